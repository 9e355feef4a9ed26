"""The analysis of run reports: ``analyse`` turns a report into the numbers users compare
(median step, spikes over 1.25× the median with the bytes copied host→device during them,
phase times, peak memory); ``compare`` puts two analyses side by side and lists the
settings that differ.  The CLI's ``report`` command and the GUI's history both use it."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.events import (
    PHASES,
    MemorySample,
    PhaseFinished,
    RunFinished,
    RunStarted,
    StepFinished,
)
from engine.outputs.report import Report, _is_number

SPIKE_FACTOR = 1.25  # a step is a spike when it took more than 1.25 × the median step
# Settings that always differ between runs and say nothing about speed or result.
IGNORED_SETTING_KEYS = frozenset({"output_path"})
# Environment entries worth comparing (the rest, like RAM size, is context).
COMPARED_ENVIRONMENT_KEYS = (
    "gpu_name",
    "driver",
    "torch",
    "torch_cuda",
    "attention_backend",
    "attention_kernel",
    "dtype",
    "device",
    "offload_mode",
    "vae_decode",  # the decode mode that made the video (after any out-of-memory retry)
    "models",  # each part's format, file and quick hash (engine/weights/parts.py)
    "lora_set",  # the LoRAs and their strengths
)

@dataclass(frozen=True)
class Spike:
    """A step that took more than SPIKE_FACTOR × the median.  ``index`` is 0-based."""

    index: int
    seconds: float
    ratio: float  # seconds / median
    h2d_bytes: int  # host→device bytes copied during the step
    h2d_seconds: float

    @property
    def number(self) -> int:
        """1-based step number, as shown to people."""
        return self.index + 1


@dataclass(frozen=True)
class RunAnalysis:
    """The numbers of one run.  Seconds are wall time; bytes are bytes."""

    label: str
    status: str
    step_indices: tuple[int, ...]  # 0-based, sorted
    step_seconds: tuple[float, ...]
    step_h2d_bytes: tuple[int, ...]
    steps_planned: int | None
    median_step_seconds: float | None  # of the steps that computed the most passes (all, without a cache)
    mean_step_seconds: float | None
    slowest_step: tuple[int, float] | None  # (0-based index, seconds)
    spike_threshold_seconds: float | None
    spikes: tuple[Spike, ...]
    phase_seconds: dict[str, float]
    peak_vram_bytes: int | None  # torch allocator peak (steps, samples, whole-job peak)
    peak_vram_reserved_bytes: int | None
    peak_vram_card_bytes: int | None  # whole card, from NVML samples
    peak_ram_bytes: int | None  # process RSS
    total_seconds: float | None
    total_h2d_bytes: int
    settings: dict[str, Any]
    environment: dict[str, Any]
    # DiT passes (old reports: one computed pass per timing, nothing reused)
    passes_computed: int = 0
    passes_reused: int = 0
    passes_per_step: int | None = None  # planned: 2 with CFG, 1 at guidance 1.0 / few-step
    pass_pattern: str = ""  # per step, one letter per pass: C computed, r reused ("CC Cr rr")
    cache: str = "off"

    @property
    def step_count(self) -> int:
        return len(self.step_seconds)

    @property
    def passes_total(self) -> int:
        return self.passes_computed + self.passes_reused

    @property
    def pass_speedup(self) -> float | None:
        """Passes run per pass computed (1.0: none reused); None without steps."""
        return self.passes_total / self.passes_computed if self.passes_computed else None


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _max(values: Iterable[Any]) -> int | None:
    numbers = [int(v) for v in values if _is_number(v)]
    return max(numbers) if numbers else None


def analyse(report: Report) -> RunAnalysis:
    """The step, phase and memory numbers of one run (see :class:`RunAnalysis`)."""
    events = report.typed_events()
    steps: dict[int, StepFinished] = {}
    phase_seconds: dict[str, float] = {}
    samples: list[MemorySample] = []
    started: RunStarted | None = None
    finished: RunFinished | None = None
    for event in events:
        if isinstance(event, StepFinished):
            steps[int(event.index)] = event  # a repeated index keeps the last
        elif isinstance(event, PhaseFinished):
            phase_seconds[event.phase] = phase_seconds.get(event.phase, 0.0) + float(event.seconds)
        elif isinstance(event, MemorySample):
            samples.append(event)
        elif isinstance(event, RunStarted):
            started = event
        elif isinstance(event, RunFinished):
            finished = event
    ordered = [steps[i] for i in sorted(steps)]
    seconds = tuple(float(s.seconds) for s in ordered)
    # With a step cache, steps that reused passes are short by design: the median and the
    # spike rule compare steps that computed as many passes (one group without a cache).
    group_medians: dict[int, float] = {}
    for count in {s.passes_computed for s in ordered}:
        group_medians[count] = statistics.median(float(s.seconds) for s in ordered if s.passes_computed == count)
    median = group_medians[max(group_medians)] if group_medians else None
    mean = statistics.fmean(seconds) if seconds else None
    slowest = None
    spikes: list[Spike] = []
    threshold = None
    if seconds:
        worst = max(range(len(ordered)), key=lambda i: seconds[i])
        slowest = (int(ordered[worst].index), seconds[worst])
        threshold = SPIKE_FACTOR * median
        for step in ordered:
            group_median = group_medians[step.passes_computed]
            if step.seconds > SPIKE_FACTOR * group_median:
                spikes.append(
                    Spike(
                        index=int(step.index),
                        seconds=float(step.seconds),
                        ratio=float(step.seconds) / group_median if group_median else float("inf"),
                        h2d_bytes=int(step.h2d_bytes or 0),
                        h2d_seconds=float(step.h2d_seconds or 0.0),
                    )
                )
    total = None
    if finished is not None:
        total = float(finished.total_seconds)
    elif _is_number(report.result.get("total_seconds")):
        total = float(report.result["total_seconds"])
    elif phase_seconds:
        total = sum(phase_seconds.values())
    ordered_phases = {p: phase_seconds[p] for p in PHASES if p in phase_seconds}
    ordered_phases.update({p: s for p, s in phase_seconds.items() if p not in ordered_phases})
    # The final event carries the whole job's allocator peak (decode often peaks above the
    # steps); 0 there means "not measured" (no CUDA), not a zero peak.
    job_peak = (
        [finished.vram_peak_bytes] if finished is not None and finished.vram_peak_bytes else []
    )
    peak_vram = _max(
        [s.vram_peak_bytes for s in ordered] + [m.vram_allocated_bytes for m in samples] + job_peak
    )
    return RunAnalysis(
        label=report.label,
        status=report.status,
        step_indices=tuple(int(s.index) for s in ordered),
        step_seconds=seconds,
        step_h2d_bytes=tuple(int(s.h2d_bytes or 0) for s in ordered),
        steps_planned=int(ordered[-1].total) if ordered else (started.steps if started else None),
        median_step_seconds=median,
        mean_step_seconds=mean,
        slowest_step=slowest,
        spike_threshold_seconds=threshold,
        spikes=tuple(spikes),
        phase_seconds=ordered_phases,
        peak_vram_bytes=peak_vram,
        peak_vram_reserved_bytes=_max(
            [s.vram_reserved_bytes for s in ordered]
            + [m.vram_reserved_bytes for m in samples]
            + (
                [finished.vram_reserved_peak_bytes]
                if finished is not None and finished.vram_reserved_peak_bytes
                else []
            )
        ),
        peak_vram_card_bytes=_max(m.vram_used_bytes for m in samples if m.source == "nvml"),
        peak_ram_bytes=_max(m.process_rss_bytes for m in samples),
        total_seconds=total,
        total_h2d_bytes=sum(int(s.h2d_bytes or 0) for s in ordered),
        settings=_resolved_settings(report.settings, started),
        environment=dict(report.environment),
        passes_computed=sum(s.passes_computed for s in ordered),
        passes_reused=sum(s.passes_reused for s in ordered),
        passes_per_step=(started.passes_per_step or None) if started is not None else None,
        pass_pattern=" ".join(step_pattern(s) for s in ordered),
        cache=(started.cache if started is not None else None) or str(report.settings.get("cache") or "off"),
    )


def step_pattern(step: StepFinished) -> str:
    """One letter per pass of a step: ``C`` computed, ``r`` reused from the step cache."""
    if not step.passes:
        return "C" * max(1, len(step.pass_seconds))
    flags = step.pass_reused if len(step.pass_reused) == len(step.passes) else (False,) * len(step.passes)
    return "".join("r" if f else "C" for f in flags)


def _resolved_settings(settings: Mapping[str, Any], started: RunStarted | None) -> dict[str, Any]:
    """The request's settings with the engine's choices filled in where it left them open
    (size, frames, steps, fps as None; seed -1 = random), so runs compare on what ran."""
    flat = _flatten(settings)
    if started is not None:
        resolved = {
            "width": started.width,
            "height": started.height,
            "frames": started.frames,
            "steps": started.steps,
            "fps": started.fps,
        }
        for key, value in resolved.items():
            if flat.get(key) is None:
                flat[key] = value
        if started.solver:  # what ran: a distilled preset or checkpoint picks the few-step sampler
            flat["solver"] = started.solver
            if started.cache != "off":
                flat["cache_threshold"] = started.cache_threshold
        if flat.get("seed") in (None, -1):
            flat["seed"] = started.seed
    return flat


@dataclass(frozen=True)
class SettingDifference:
    key: str
    a: Any
    b: Any


@dataclass(frozen=True)
class Comparison:
    a: RunAnalysis
    b: RunAnalysis
    differing_settings: tuple[SettingDifference, ...]
    differing_environment: tuple[SettingDifference, ...]

    @property
    def median_ratio(self) -> float | None:
        """b's median step / a's (below 1: b is faster)."""
        if not self.a.median_step_seconds or self.b.median_step_seconds is None:
            return None
        return self.b.median_step_seconds / self.a.median_step_seconds


_MISSING = object()


def _differences(a: Mapping[str, Any], b: Mapping[str, Any], keys: Iterable[str]) -> tuple:
    out = []
    for key in keys:
        va, vb = a.get(key, _MISSING), b.get(key, _MISSING)
        if va != vb:
            out.append(
                SettingDifference(
                    key, None if va is _MISSING else va, None if vb is _MISSING else vb
                )
            )
    return tuple(out)


def compare(a: RunAnalysis | Report, b: RunAnalysis | Report) -> Comparison:
    """Two runs side by side with the settings (and environment entries) that differ."""
    first = analyse(a) if isinstance(a, Report) else a
    second = analyse(b) if isinstance(b, Report) else b
    setting_keys = [
        k
        for k in dict.fromkeys([*first.settings, *second.settings])
        if k not in IGNORED_SETTING_KEYS
    ]
    return Comparison(
        a=first,
        b=second,
        differing_settings=_differences(first.settings, second.settings, setting_keys),
        differing_environment=_differences(
            first.environment, second.environment, COMPARED_ENVIRONMENT_KEYS
        ),
    )
