"""The state of the current run, built from the engine's event stream.

Times are seconds since the run started (the worker's ``started`` signal), so the chart can
put phases and steps on one axis.  Everything here is main-thread data: the window feeds
events in through :meth:`RunState.apply`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, Signal

from artifex_gui.engine_bridge import SPIKE_FACTOR  # one spike rule: the report's
from artifex_gui.model.names import kernel_text, phase_name
from artifex_gui.model.pass_stats import expected_eta_seconds, full_step_median, spike_flags
from engine import events as ev

__all__ = ["SPIKE_FACTOR", "LoadState", "PhaseSpan", "RunState", "RunStatus", "StepRecord"]


class RunStatus(str, Enum):
    IDLE = "idle"
    STARTING = "starting"  # worker started, engine loading / preparing
    RUNNING = "running"
    CANCELLING = "cancelling"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def busy(self) -> bool:
        return self in (RunStatus.STARTING, RunStatus.RUNNING, RunStatus.CANCELLING)


@dataclass(frozen=True)
class StepRecord:
    index: int  # 0-based
    total: int
    seconds: float
    start_s: float  # since run start
    end_s: float
    timestep: float
    pass_seconds: tuple[float, ...]
    h2d_bytes: int
    h2d_seconds: float
    vram_allocated_bytes: int
    vram_peak_bytes: int
    passes: tuple[str, ...] = ()  # "cond" / "uncond"
    pass_reused: tuple[bool, ...] = ()  # aligned: True = reused from the step cache


@dataclass(frozen=True)
class LoadState:
    """The model load in progress, from the engine's ``LoadProgress`` events."""

    part: str
    file: str
    done_bytes: int
    total_bytes: int
    done_tensors: int
    total_tensors: int
    file_done_bytes: int
    file_total_bytes: int
    started_s: float  # since run start: the first LoadProgress
    at_s: float  # since run start: this one

    @property
    def fraction(self) -> float:
        if self.total_bytes > 0:
            return min(1.0, self.done_bytes / self.total_bytes)
        return min(1.0, self.done_tensors / self.total_tensors) if self.total_tensors else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Remaining load time at the rate seen so far."""
        fraction, spent = self.fraction, self.at_s - self.started_s
        if fraction <= 0.0 or spent <= 0.0:
            return None
        return spent * (1.0 - fraction) / fraction


@dataclass
class PhaseSpan:
    phase: str
    start_s: float
    end_s: float | None = None  # None while the phase runs


class RunState(QObject):
    status_changed = Signal(object)  # RunStatus
    info_changed = Signal(object)  # RunStarted
    steps_changed = Signal()
    phases_changed = Signal()
    progress_changed = Signal()
    preview_changed = Signal(object)  # numpy uint8 [n, h, w, 3]
    memory_changed = Signal(object)  # MemorySample
    log_added = Signal(str, str)  # level, text

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.status = RunStatus.IDLE
        self.reset()

    # ----------------------------------------------------------------------------- state
    def reset(self) -> None:
        self.t0 = time.time()
        self.finished_at: float | None = None
        self.info: ev.RunStarted | None = None
        self.steps: list[StepRecord] = []
        self.phases: list[PhaseSpan] = []
        self.current_phase = ""
        self.total_steps = 0
        self.decode_done = 0
        self.decode_total = 0
        self.preview_frames = None
        self.load: LoadState | None = None
        self.output_path = ""
        self.report_path = ""
        self.seed: int | None = None
        self.total_seconds: float | None = None

    def begin(self) -> None:
        """A run was handed to the worker."""
        self.reset()
        self._set_status(RunStatus.STARTING)
        self.steps_changed.emit()
        self.phases_changed.emit()
        self.progress_changed.emit()

    def mark_cancelling(self) -> None:
        if self.status.busy:
            self._set_status(RunStatus.CANCELLING)

    def _set_status(self, status: RunStatus) -> None:
        if status != self.status:
            self.status = status
            self.status_changed.emit(status)

    def log(self, level: str, text: str) -> None:
        self.log_added.emit(level, text)

    # ------------------------------------------------------------------------- derived
    def rel(self, wall_time: float) -> float:
        return max(0.0, wall_time - self.t0)

    @property
    def elapsed_seconds(self) -> float:
        end = self.finished_at if self.finished_at is not None else time.time()
        return max(0.0, end - self.t0)

    @property
    def median_step_seconds(self) -> float | None:
        """Median of the steps that computed every pass (all of them without a step cache)."""
        return full_step_median(self.steps)

    def spike_indices(self) -> list[int]:
        return [s.index for s, spike in zip(self.steps, spike_flags(self.steps, SPIKE_FACTOR)) if spike]

    @property
    def loading(self) -> bool:
        return self.status.busy and self.current_phase == "load"

    @property
    def eta_seconds(self) -> float | None:
        """Remaining time: while the model loads, the load's remaining time; then the
        denoising passes still expected to compute (the step cache's plan, where it has one)
        at the measured pass time, plus the reused ones' cost."""
        if self.loading and self.load is not None:
            return self.load.eta_seconds
        if not self.steps or not self.total_steps or not self.status.busy:
            return None
        expected = tuple(getattr(self.info, "expected_computed", ()) or ()) if self.info is not None else ()
        return expected_eta_seconds(self.steps, self.total_steps, expected)

    @property
    def fraction_done(self) -> float:
        """0..1 over the whole run: denoising is 90 %, decoding the rest."""
        if self.status in (RunStatus.FINISHED,):
            return 1.0
        steps = len(self.steps) / self.total_steps if self.total_steps else 0.0
        decode = self.decode_done / self.decode_total if self.decode_total else 0.0
        return min(1.0, 0.9 * steps + 0.1 * decode)

    # -------------------------------------------------------------------------- events
    def apply(self, event: object) -> None:  # noqa: C901 — one branch per event type
        if isinstance(event, ev.RunStarted):
            self.info = event
            self.total_steps = event.steps
            self.seed = event.seed
            self.decode_total = event.frames
            self._set_status(RunStatus.RUNNING if self.status != RunStatus.CANCELLING else self.status)
            self.info_changed.emit(event)
            self.log(
                "info",
                self.tr(
                    "Run started: {0}×{1}, {2} frames, {3} steps, seed {4}, {5} tokens, {6} on {7}, "
                    "attention {8}, offload {9}"
                ).format(
                    event.width, event.height, event.frames, event.steps, event.seed,
                    f"{event.token_count:,}", event.dtype, event.device, kernel_text(event.attention_kernel),
                    event.offload_mode,
                )
                + (self.tr(" — demo model") if event.demo_model else ""),
            )
            self.progress_changed.emit()
        elif isinstance(event, ev.AttentionInfo):
            self.log(
                "info",
                self.tr(
                    "Attention: {0} → {1}, {2}, dropout {3}, {4}×{5} heads, query {6}, key {7}, "
                    "cross key {8}"
                ).format(
                    event.backend, kernel_text(event.kernel), event.dtype, f"{event.dropout:g}", event.heads,
                    event.head_dim, f"{event.query_len:,}", f"{event.key_len:,}",
                    f"{event.cross_key_len:,}",
                ),
            )
        elif isinstance(event, ev.LogMessage):
            self.log(event.level, kernel_text(event.text))
        elif isinstance(event, ev.PhaseStarted):
            self.current_phase = event.phase
            self.phases.append(PhaseSpan(event.phase, self.rel(event.time)))
            self.phases_changed.emit()
            self.progress_changed.emit()
        elif isinstance(event, ev.PhaseFinished):
            for span in reversed(self.phases):
                if span.phase == event.phase and span.end_s is None:
                    span.end_s = self.rel(event.time)
                    break
            else:  # no start seen: reconstruct it from the duration
                end = self.rel(event.time)
                self.phases.append(PhaseSpan(event.phase, max(0.0, end - event.seconds), end))
            self.log("info", self.tr("{0} took {1} s").format(phase_name(event.phase), f"{event.seconds:.2f}"))
            self.phases_changed.emit()
        elif isinstance(event, ev.StepFinished):
            end = self.rel(event.time)
            self.total_steps = event.total
            self.steps.append(
                StepRecord(
                    index=event.index,
                    total=event.total,
                    seconds=event.seconds,
                    start_s=max(0.0, end - event.seconds),
                    end_s=end,
                    timestep=event.timestep,
                    pass_seconds=tuple(event.pass_seconds),
                    h2d_bytes=event.h2d_bytes,
                    h2d_seconds=event.h2d_seconds,
                    vram_allocated_bytes=event.vram_allocated_bytes,
                    vram_peak_bytes=event.vram_peak_bytes,
                    passes=tuple(event.passes),
                    pass_reused=tuple(event.pass_reused),
                )
            )
            self.steps_changed.emit()
            self.progress_changed.emit()
        elif isinstance(event, ev.LoadProgress):
            at = self.rel(event.time)
            first = self.load is None
            self.load = LoadState(
                event.part, event.file, event.done_bytes, event.total_bytes, event.done_tensors,
                event.total_tensors, event.file_done_bytes, event.file_total_bytes,
                at if first else self.load.started_s, at,
            )  # fmt: skip
            if first:
                self.log(
                    "info",
                    self.tr("Loading the model: {0} to read").format(f"{event.total_bytes / 2**30:.2f} GiB"),
                )
            self.progress_changed.emit()
        elif isinstance(event, ev.MemorySample):
            self.memory_changed.emit(event)
        elif isinstance(event, ev.TransferInfo):
            self.log(
                "info",
                self.tr("Copied {0}: {1} GiB in {2} s").format(
                    event.what, f"{event.bytes / 2**30:.2f}", f"{event.seconds:.2f}"
                ),
            )
        elif isinstance(event, ev.Preview):
            self.preview_frames = event.frames
            self.preview_changed.emit(event.frames)
        elif isinstance(event, ev.DecodeProgress):
            self.decode_done, self.decode_total = event.done_frames, event.total_frames
            self.progress_changed.emit()
        elif isinstance(event, ev.RunFinished):
            self.output_path, self.report_path = event.output_path, event.report_path
            self.seed, self.total_seconds = event.seed, event.total_seconds
            self._finish(RunStatus.FINISHED)
            self.log(
                "info",
                self.tr("Finished in {0} s: {1}").format(f"{event.total_seconds:.1f}", event.output_path),
            )
        elif isinstance(event, ev.RunFailed):
            self._finish(RunStatus.FAILED)
            self.log(
                "error",
                self.tr("Failed ({0}): {1} {2}").format(event.kind, event.message, event.advice).strip(),
            )
        elif isinstance(event, ev.RunCancelled):
            self._finish(RunStatus.CANCELLED)
            self.log(
                "warning",
                self.tr("Cancelled during {0}.").format(phase_name(event.phase))
                if event.phase
                else self.tr("Cancelled during start-up."),
            )

    def _finish(self, status: RunStatus) -> None:
        self.finished_at = time.time()
        self.current_phase = ""
        for span in self.phases:  # close what the engine left open (cancel, failure)
            if span.end_s is None:
                span.end_s = self.rel(self.finished_at)
        self._set_status(status)
        self.phases_changed.emit()
        self.progress_changed.emit()
