"""The events the engine emits while it runs: the contract between engine and clients.

Every event is a small frozen dataclass of plain data (numbers, strings, tuples, and a
numpy array for previews).  ``event_to_dict`` turns one into JSON-ready data for the run
report; ``event_from_dict`` reads it back.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any

PHASES = ("load", "warmup", "encode_text", "encode_image", "denoise", "decode", "save")


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class RunStarted:
    width: int
    height: int
    frames: int
    fps: int
    latent_shape: tuple[int, int, int, int]  # (C, F_lat, H_lat, W_lat)
    token_count: int  # DiT tokens per pass, no padding
    attention_backend: str  # what was asked ("auto", "chunked", ...)
    attention_kernel: str  # what runs ("sdpa-cudnn", "chunked(sdpa-math, 4096)", ...)
    dtype: str
    device: str
    offload_mode: str
    seed: int
    steps: int
    demo_model: bool
    image_conditioned: bool
    time: float = field(default_factory=_now)
    # What each step costs in DiT passes (0/"" in reports older than these fields):
    solver: str = ""  # "unipc", "dpm++", "fewstep"
    cache: str = "off"  # step cache: off, magcache, easycache, fbc
    cache_threshold: float = 0.0
    passes_per_step: int = 0  # 2 with CFG, 1 at guidance 1.0 or with the few-step sampler
    # per step, the passes the cache is expected to compute (-1: it cannot know before the
    # run); empty: every pass computes.  The ETA counts on it.
    expected_computed: tuple[int, ...] = ()


@dataclass(frozen=True)
class AttentionInfo:
    """Logged once per run: what attention computes and with which kernel."""

    backend: str
    kernel: str
    dtype: str
    dropout: float
    query_len: int
    key_len: int
    cross_key_len: int
    heads: int
    head_dim: int


@dataclass(frozen=True)
class LogMessage:
    level: str  # "info" | "warning"
    text: str
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class PhaseStarted:
    phase: str
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class PhaseFinished:
    phase: str
    seconds: float
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class StepFinished:
    index: int  # 0-based
    total: int
    seconds: float  # wall time of the whole step, device synchronised
    pass_seconds: tuple[float, ...]  # per DiT pass (cond, uncond) or one batched pass
    timestep: float
    h2d_bytes: int  # host→device bytes copied during the step
    h2d_seconds: float
    vram_allocated_bytes: int
    vram_reserved_bytes: int
    vram_peak_bytes: int
    time: float = field(default_factory=_now)
    passes: tuple[str, ...] = ()  # the passes evaluated, "cond" / "uncond" (empty: old report)
    pass_reused: tuple[bool, ...] = ()  # aligned with passes: True = the cached residual, no blocks run

    @property
    def passes_computed(self) -> int:
        """DiT passes whose blocks ran (an old report: one per timing)."""
        if not self.passes:
            return len(self.pass_seconds)
        return sum(1 for r in self.pass_reused if not r) if self.pass_reused else len(self.passes)

    @property
    def passes_reused(self) -> int:
        return sum(1 for r in self.pass_reused if r)


@dataclass(frozen=True)
class MemorySample:
    vram_used_bytes: int | None  # whole card (NVML) or torch reserved; None without CUDA
    vram_total_bytes: int | None
    vram_allocated_bytes: int | None  # this process, torch allocator
    vram_reserved_bytes: int | None
    ram_used_bytes: int
    ram_total_bytes: int
    process_rss_bytes: int
    source: str  # "nvml" | "torch" | "none"
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class TransferInfo:
    """One host→device copy outside a step (model load, phase swap)."""

    what: str
    bytes: int
    seconds: float
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class LoadProgress:
    """Model weights being read, emitted as the loader goes (a few times a second at most).

    ``done_bytes``/``total_bytes`` and ``done_tensors``/``total_tensors`` count the whole
    load (every file of every part); ``file_*`` the file being read now.  A client derives
    the time estimate from these and the event times."""

    part: str  # "dit" | "text_encoder" | "vae"
    file: str  # the file's name (no folder)
    done_bytes: int
    total_bytes: int
    done_tensors: int
    total_tensors: int
    file_done_bytes: int = 0
    file_total_bytes: int = 0
    time: float = field(default_factory=_now)


@dataclass(frozen=True, eq=False)
class Preview:
    step: int
    frames: Any  # numpy uint8 [n, h, w, 3], a few frames of the current estimate
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class DecodeProgress:
    done_frames: int
    total_frames: int
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class RunFinished:
    output_path: str
    report_path: str
    total_seconds: float
    seed: int
    vram_peak_bytes: int = 0  # whole job, all phases (0 without CUDA)
    vram_reserved_peak_bytes: int = 0  # the caching allocator's reserve at its highest, whole job
    latents_path: str | None = None  # the kept final latents (NAME.latents.safetensors), if kept
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class RunFailed:
    kind: str
    message: str
    advice: str
    recovered_path: str | None = None
    details: str = ""  # traceback for internal errors, for the log file only
    latents_path: str | None = None  # the denoised latents, kept: "Decode again" can use them
    time: float = field(default_factory=_now)


@dataclass(frozen=True)
class RunCancelled:
    phase: str
    time: float = field(default_factory=_now)


Event = (
    RunStarted
    | AttentionInfo
    | LogMessage
    | PhaseStarted
    | PhaseFinished
    | StepFinished
    | MemorySample
    | TransferInfo
    | LoadProgress
    | Preview
    | DecodeProgress
    | RunFinished
    | RunFailed
    | RunCancelled
)
FINAL_EVENTS = (RunFinished, RunFailed, RunCancelled)
EVENT_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        RunStarted,
        AttentionInfo,
        LogMessage,
        PhaseStarted,
        PhaseFinished,
        StepFinished,
        MemorySample,
        TransferInfo,
        LoadProgress,
        Preview,
        DecodeProgress,
        RunFinished,
        RunFailed,
        RunCancelled,
    )
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """JSON-ready dict with a ``type`` key.  Preview frames are left out (summarised)."""
    if isinstance(event, Preview):
        shape = tuple(getattr(event.frames, "shape", ()))
        return {"type": "Preview", "step": event.step, "shape": list(shape), "time": event.time}
    data = dataclasses.asdict(event)
    for key, value in data.items():
        if isinstance(value, tuple):
            data[key] = list(value)
    return {"type": type(event).__name__, **data}


def event_from_dict(data: dict[str, Any]) -> Event | None:
    """Inverse of ``event_to_dict``; unknown types and fields are ignored (None / dropped)."""
    cls = EVENT_TYPES.get(str(data.get("type")))
    if cls is None or cls is Preview:
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in names}
    try:
        return cls(**kwargs)
    except TypeError:
        return None
