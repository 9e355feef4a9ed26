"""The run report: one JSON file beside each video, and the analysis that compares runs.

A report holds everything needed to look at a run later: the settings (the request), the
environment (OS, Python, torch, CUDA, driver, GPU, attention backend and kernel, dtype,
offload mode), every event the engine emitted (previews summarised to their shape) and the
result.  The engine feeds events into a :class:`ReportBuilder` and calls ``write(path)``;
the file is written to a temp name and renamed, so a crash never leaves half a report.

``load_report`` is tolerant (older format versions and missing fields load) but refuses a
damaged or partial file with :class:`ReportError`, which the history panel lists as
"damaged".  ``analyse`` turns a report into the numbers users compare (median step, spikes
over 1.25× the median with the bytes copied host→device during them, phase times, peak
memory); ``compare`` puts two analyses side by side and lists the settings that differ.

Format versions:
  0 — the unversioned first layout: no ``format_version``; settings under ``request``, no
      ``result`` block (it is derived from the final event).
  1 — ``format_version``, ``app``, ``created``, ``settings``, ``environment``, ``events``,
      ``result``.

No torch at module level: ``collect_environment`` imports it only when called.
"""

from __future__ import annotations

import json
import math
import os
import platform
import secrets
import statistics
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from engine.errors import ArtifexError
from engine.events import (
    PHASES,
    AttentionInfo,
    Event,
    MemorySample,
    PhaseFinished,
    RunFinished,
    RunStarted,
    StepFinished,
    event_from_dict,
    event_to_dict,
)

FORMAT_VERSION = 1
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
)


class ReportError(ArtifexError):
    """A run report cannot be read: damaged, partial or not a report."""

    kind = "bad_report"


# --------------------------------------------------------------------------- the report


@dataclass
class Report:
    """A loaded run report.  ``events`` are the stored dicts (see :meth:`typed_events`)."""

    format_version: int
    settings: dict[str, Any]
    environment: dict[str, Any]
    events: list[dict[str, Any]]
    result: dict[str, Any]
    created: str = ""
    app: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    notes: list[str] = field(default_factory=list)  # what loading had to tolerate

    @property
    def status(self) -> str:
        """``finished`` | ``failed`` | ``cancelled`` | ``incomplete``."""
        return str(self.result.get("status", "incomplete"))

    @property
    def label(self) -> str:
        """A short name for tables and legends: the file stem, else the creation time."""
        if self.path is not None:
            return self.path.stem
        return self.created or "run"

    def typed_events(self) -> list[Event]:
        """The events as dataclasses; previews and unknown types are left out."""
        out = []
        for data in self.events:
            event = event_from_dict(data)
            if event is not None:
                out.append(event)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "app": self.app,
            "created": self.created,
            "settings": self.settings,
            "environment": self.environment,
            "events": self.events,
            "result": self.result,
        }


def _jsonable(value: Any) -> Any:
    """Plain JSON data: tuples → lists, paths and other objects → str."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN/inf; a missing number reads back as None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _settings_dict(settings: Any) -> dict[str, Any]:
    if settings is None:
        return {}
    if hasattr(settings, "to_dict"):
        settings = settings.to_dict()
    return _jsonable(dict(settings))


def _result_from_events(events: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The ``result`` block from the final event, or ``incomplete`` when there is none."""
    result: dict[str, Any] = {"status": "incomplete"}
    for data in events:
        kind = data.get("type")
        if kind == "RunFinished":
            result = {
                "status": "finished",
                "output_path": data.get("output_path"),
                "report_path": data.get("report_path"),
                "total_seconds": data.get("total_seconds"),
                "seed": data.get("seed"),
            }
        elif kind == "RunFailed":
            result = {
                "status": "failed",
                "kind": data.get("kind"),
                "message": data.get("message"),
                "advice": data.get("advice"),
                "recovered_path": data.get("recovered_path"),
            }
        elif kind == "RunCancelled":
            result = {"status": "cancelled", "phase": data.get("phase")}
    return result


class ReportBuilder:
    """Collects a run's events; ``write(path)`` saves the report atomically.

    ``settings`` is the :class:`~engine.request.GenerationRequest` (or its dict) and
    ``environment`` what :func:`collect_environment` returned, plus anything the engine
    knows (attention backend and kernel, dtype, offload mode are also filled in from the
    ``RunStarted`` and ``AttentionInfo`` events when missing).
    """

    def __init__(self, settings: Any = None, environment: Mapping[str, Any] | None = None) -> None:
        self.settings = _settings_dict(settings)
        self.environment: dict[str, Any] = _jsonable(dict(environment or {}))
        self.events: list[dict[str, Any]] = []
        self.created = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")

    def add(self, event: Event) -> None:
        """Record one event (any type of :mod:`engine.events`)."""
        data = _jsonable(event_to_dict(event))
        self.events.append(data)
        if isinstance(event, RunStarted):
            for key in ("attention_backend", "attention_kernel", "dtype", "device", "offload_mode"):
                self.environment.setdefault(key, getattr(event, key))
        elif isinstance(event, AttentionInfo):
            self.environment.setdefault("attention_kernel", event.kernel)

    def extend(self, events: Iterable[Event]) -> None:
        for event in events:
            self.add(event)

    def report(self) -> Report:
        from engine import __version__

        return Report(
            format_version=FORMAT_VERSION,
            settings=self.settings,
            environment=self.environment,
            events=list(self.events),
            result=_result_from_events(self.events),
            created=self.created,
            app={"name": "Artifex", "version": __version__},
        )

    def to_dict(self) -> dict[str, Any]:
        return self.report().to_dict()

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the report to ``path`` (UTF-8 JSON) through a temp file and a rename."""
        return write_report(self.report(), path)


def write_report(report: Report, path: str | os.PathLike[str]) -> Path:
    """Atomically write ``report`` to ``path``; returns the path.  Raises OSError."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.parent / f".{target.name}.part-{secrets.token_hex(4)}"
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=1, allow_nan=False)
    try:
        with open(part, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, target)
    except BaseException:
        try:
            part.unlink()
        except OSError:
            pass
        raise
    return target


def report_path_for(video_path: str | os.PathLike[str]) -> Path:
    """The report beside a video: same folder, same stem, ``.json``."""
    return Path(video_path).with_suffix(".json")


def load_report(path: str | os.PathLike[str]) -> Report:
    """Read a report; older versions and missing fields are tolerated (see ``notes``).

    Raises :class:`ReportError` when the file cannot be read, is not complete JSON (a
    partial write) or is not a run report.
    """
    source = Path(path)
    try:
        raw_text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(
            f"The run report '{source}' cannot be read: {exc}.",
            "Check that the file exists and is not open in another program.",
        ) from exc
    try:
        data = json.loads(raw_text)
    except json.JSONDecodeError as exc:
        raise ReportError(
            f"The run report '{source.name}' is damaged or incomplete "
            f"(invalid JSON at line {exc.lineno}, column {exc.colno}).",
            "It is skipped; the video beside it is not affected.",
        ) from exc
    return report_from_dict(data, path=source)


def report_from_dict(data: Any, *, path: Path | None = None) -> Report:
    """Build a :class:`Report` from parsed JSON, migrating older versions."""
    name = path.name if path is not None else "report"
    if not isinstance(data, dict):
        raise ReportError(f"'{name}' is not a run report (no JSON object).", "It is skipped.")
    notes: list[str] = []
    version = data.get("format_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ReportError(f"'{name}' has an invalid format version {version!r}.", "It is skipped.")
    if version > FORMAT_VERSION:
        notes.append(
            f"written by a newer Artifex (format {version}, this one reads {FORMAT_VERSION}); "
            "unknown fields are ignored"
        )
    if version == 0:
        if "events" not in data and "request" not in data and "settings" not in data:
            raise ReportError(f"'{name}' is not a run report.", "It is skipped.")
        settings = data.get("settings", data.get("request", {}))
        notes.append("format 0 (unversioned) report, migrated")
    else:
        settings = data.get("settings", {})
    environment = data.get("environment", {})
    events = data.get("events", [])
    for key, value in (("settings", settings), ("environment", environment)):
        if value is None:
            notes.append(f"no {key}")
        elif not isinstance(value, dict):
            raise ReportError(f"'{name}' is damaged: '{key}' is not an object.", "It is skipped.")
    if not isinstance(events, list):
        raise ReportError(f"'{name}' is damaged: 'events' is not a list.", "It is skipped.")
    clean_events = [e for e in events if isinstance(e, dict) and isinstance(e.get("type"), str)]
    if len(clean_events) != len(events):
        notes.append(f"{len(events) - len(clean_events)} malformed events skipped")
    for event in clean_events:
        # A wrong type inside a step (e.g. seconds as text) would break every chart later.
        if event["type"] == "StepFinished" and not _is_number(event.get("seconds")):
            raise ReportError(
                f"'{name}' is damaged: step {event.get('index')} has no valid duration.",
                "It is skipped.",
            )
    result = data.get("result")
    if not isinstance(result, dict):
        if result is not None:
            notes.append("result block unreadable, derived from events")
        result = _result_from_events(clean_events)
    return Report(
        format_version=version,
        settings=dict(settings or {}),
        environment=dict(environment or {}),
        events=clean_events,
        result=result,
        created=str(data.get("created", "")),
        app=data.get("app") if isinstance(data.get("app"), dict) else {},
        path=path,
        notes=notes,
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --------------------------------------------------------------------------- environment


def collect_environment(extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """OS, Python, torch, CUDA, cuDNN, GPU name and memory, driver, CPU and RAM.

    torch, NVML and psutil are imported here, lazily, and each may be missing: their
    entries are then ``None``.  ``extra`` (attention backend and kernel, dtype, offload
    mode …) is merged over the result.
    """
    from engine import __version__

    env: dict[str, Any] = {
        "app_version": __version__,
        "os": platform.platform(),
        "machine": platform.machine(),
        "cpu": platform.processor() or None,
        "python": sys.version.split()[0],
        "torch": None,
        "torch_cuda": None,
        "cudnn": None,
        "cuda_available": False,
        "gpu_name": None,
        "gpu_total_memory_bytes": None,
        "gpu_capability": None,
        "driver": None,
        "ram_total_bytes": None,
    }
    try:
        import numpy

        env["numpy"] = numpy.__version__
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    try:
        import torch

        env["torch"] = torch.__version__
        env["torch_cuda"] = torch.version.cuda
        if torch.cuda.is_available():
            env["cuda_available"] = True
            props = torch.cuda.get_device_properties(torch.cuda.current_device())
            env["gpu_name"] = props.name
            env["gpu_total_memory_bytes"] = int(props.total_memory)
            env["gpu_capability"] = f"{props.major}.{props.minor}"
            env["cudnn"] = torch.backends.cudnn.version()
    except Exception:  # a broken torch install must not stop the report
        pass
    if env["cuda_available"]:
        try:
            import pynvml

            pynvml.nvmlInit()
            try:
                driver = pynvml.nvmlSystemGetDriverVersion()
                env["driver"] = driver.decode() if isinstance(driver, bytes) else str(driver)
            finally:
                pynvml.nvmlShutdown()
        except Exception:
            pass
    try:
        import psutil

        env["ram_total_bytes"] = int(psutil.virtual_memory().total)
    except Exception:
        pass
    env.update(_jsonable(dict(extra or {})))
    return env


# --------------------------------------------------------------------------- analysis


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
    median_step_seconds: float | None
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

    @property
    def step_count(self) -> int:
        return len(self.step_seconds)


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
    median = statistics.median(seconds) if seconds else None
    mean = statistics.fmean(seconds) if seconds else None
    slowest = None
    spikes: list[Spike] = []
    threshold = None
    if seconds:
        worst = max(range(len(ordered)), key=lambda i: seconds[i])
        slowest = (int(ordered[worst].index), seconds[worst])
        threshold = SPIKE_FACTOR * median
        for step in ordered:
            if step.seconds > threshold:
                spikes.append(
                    Spike(
                        index=int(step.index),
                        seconds=float(step.seconds),
                        ratio=float(step.seconds) / median if median else float("inf"),
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
    )


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
