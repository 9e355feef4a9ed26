"""The GUI's one door to the engine.

Every engine module the app uses besides the public contract (``engine.request``,
``engine.events``, ``engine.errors``, ``engine.config``, ``engine.cancel``) is imported
here and nowhere else, so when the engine's rooms move only this file is re-pointed.

Two kinds of import:
  - torch-free modules (report, report formatting, imaging, video, folder inspection,
    memory telemetry) are imported at module level: the window needs them to open;
  - ``engine.run.runner`` and ``engine.nets.attention`` import torch (seconds): they are imported
    lazily, inside functions that run in a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from engine.imaging import best_output_size, open_image, output_size_for_image, source_size
from engine.outputs.analysis import (
    COMPARED_ENVIRONMENT_KEYS,
    SPIKE_FACTOR,
    Comparison,
    RunAnalysis,
    Spike,
    analyse,
    compare,
)
from engine.outputs.latents import DecodeRequest, delete_latents, kept_latents_for
from engine.outputs.report import ReportError, load_report
from engine.outputs.report_format import fmt_bytes, fmt_seconds, format_markdown, write_step_chart
from engine.outputs.video import write_video
from engine.outputs.video_files import load_recovered_frames
from engine.request import GenerationRequest
from engine.telemetry import MemorySampler
from engine.weights.folder import inspect_folder

__all__ = [
    "COMPARED_ENVIRONMENT_KEYS",
    "SPIKE_FACTOR",
    "Comparison",
    "DecodeRequest",
    "EngineHost",
    "EngineUnavailable",
    "FolderCheck",
    "ReportError",
    "RunAnalysis",
    "Spike",
    "analyse",
    "available_attention_backends",
    "best_output_size",
    "check_model_folder",
    "compare",
    "decode_again",
    "delete_latents",
    "fmt_bytes",
    "fmt_seconds",
    "kept_latents_for",
    "format_markdown",
    "load_recovered_frames",
    "load_report",
    "make_memory_sampler",
    "plan_text",
    "open_image",
    "output_size_for_image",
    "source_size",
    "write_step_chart",
    "write_video",
]


class EngineUnavailable(Exception):
    """``engine.run.runner`` cannot be imported (a broken install, or torch fails to load)."""


@dataclass
class FolderCheck:
    ok: bool
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    model_name: str | None = None
    recognised_other_model: str | None = None
    summary: str = ""  # one readable paragraph: what is wrong and where
    advice: str = ""  # what to do about it


def check_model_folder(path: str) -> FolderCheck:
    """Validate a checkpoint folder with the engine's torch-free inspector."""
    folder = Path(path)
    if not folder.is_dir():
        return FolderCheck(
            False,
            problems=[
                QCoreApplication.translate("ModelFolder", "'{0}' is not a folder.").format(path)
            ],
        )
    parts = check_model_parts(path)
    if parts is not None and parts.layout not in ("original", ""):
        return FolderCheck(
            parts.ok, missing=list(parts.missing.values()), problems=list(parts.problems),
            model_name="Wan2.2-TI2V-5B" if parts.ok else None,
            recognised_other_model=parts.refused, summary=parts.summary, advice=parts.advice,
        )  # fmt: skip
    try:
        report = inspect_folder(str(folder))
    except Exception as exc:  # the inspector itself failed: say so, don't crash the picker
        return FolderCheck(
            False,
            problems=[
                QCoreApplication.translate(
                    "ModelFolder", "The folder could not be checked: {0}"
                ).format(exc)
            ],
        )
    return FolderCheck(
        ok=bool(report.ok),
        missing=list(report.missing),
        problems=list(report.problems),
        model_name=report.model_name,
        recognised_other_model=report.recognised_other_model,
        summary=report.summary(),
        advice=report.advice(),
    )


@dataclass
class PartsCheck:
    """What :func:`check_model_parts` found: one line per part, what is missing, the verdict."""

    ok: bool
    layout: str  # the DiT's format: "original" | "diffusers" | "comfyui" | "" (none found)
    parts: dict[str, str] = field(default_factory=dict)  # part → "ComfyUI file x, float16, …"
    formats: dict[str, str] = field(default_factory=dict)  # part → format word
    missing: dict[str, str] = field(default_factory=dict)  # part → what to get
    problems: list[str] = field(default_factory=list)
    refused: str | None = None
    summary: str = ""
    advice: str = ""


def check_model_parts(
    folder: str = "", dit: str = "", t5: str = "", vae: str = "", tokenizer: str = ""
) -> PartsCheck | None:
    """Recognise a folder (any layout) and/or single part files, torch-free (headers only).
    None when the engine's detection is unavailable."""
    try:
        from engine.weights.formats import detect_parts  # type: ignore[import-not-found]
    except Exception:
        return None
    try:
        found = detect_parts(
            folder or None, dit=dit or None, text_encoder=t5 or None, vae=vae or None,
            tokenizer=tokenizer or None,
        )  # fmt: skip
    except Exception as exc:  # the detection itself failed: say so, don't crash the picker
        text = QCoreApplication.translate("ModelFolder", "The files could not be checked: {0}").format(exc)
        return PartsCheck(False, "", problems=[text], summary=text)
    dit_part = found.parts.get("dit")
    return PartsCheck(
        ok=found.ok,
        layout=dit_part.format if dit_part is not None else "",
        parts={name: part.describe() for name, part in found.parts.items()},
        formats={name: part.format for name, part in found.parts.items()},
        missing=dict(found.missing),
        problems=list(found.problems),
        refused=found.refused,
        summary=found.summary(),
        advice=found.advice(),
    )


def describe_lora(path: str) -> tuple[bool, str]:
    """``(usable, one line)`` for a LoRA file, from its header (torch-free, fast)."""
    try:
        from engine.weights.formats.lora_header import summarise_lora  # type: ignore[import-not-found]
    except Exception as exc:
        return False, str(exc)
    summary = summarise_lora(path)
    return summary.ok, summary.text()


def available_attention_backends(device: str = "auto") -> list[str]:
    """Call in a worker thread: imports torch."""
    from engine.nets.attention import available_backends

    backends = list(available_backends(device))
    return backends if "auto" in backends else ["auto", *backends]


def decode_again(engine: Any, request: DecodeRequest, on_event: Callable, cancel: Any) -> Any:
    """The decode-only job (a run's kept latents → video) on ``engine``; imports torch, so it
    is called in a worker thread.  Returns the final event."""
    from engine.run.decode_job import decode_again as run_decode_job

    return run_decode_job(engine, request, on_event, cancel)


def plan_text(request: GenerationRequest) -> str:
    """What ``request`` would run — the text of ``artifex-cli generate --dry-run`` (sizes, tokens,
    passes, device, offload, output) and, on a GPU, its memory plan.  Loads no weights, writes
    nothing; raises the engine's ``ArtifexError`` for a request that cannot run."""
    from engine.run.plan import describe_plan

    return describe_plan(request)


def make_memory_sampler() -> MemorySampler:
    """An object with ``sample() -> engine.events.MemorySample``; torch-free."""
    return MemorySampler()


def _import_engine_class() -> Callable[[], Any]:
    try:
        from engine.run.runner import Engine  # imports torch
    except Exception as exc:
        raise EngineUnavailable(
            QCoreApplication.translate("EngineHost", "The engine could not load: {0}").format(exc)
        ) from exc
    return Engine


class EngineHost:
    """Keeps one engine between runs (loaded weights stay in memory).

    ``get()`` is thread-safe and may block for seconds the first time (torch import): call it
    from a worker thread.  Tests pass ``factory`` to drive a fake engine.
    """

    def __init__(self, factory: Callable[[], Any] | None = None) -> None:
        self._factory = factory
        self._engine: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def get(self) -> Any:
        with self._lock:
            if self._engine is None:
                factory = self._factory or _import_engine_class()
                self._engine = factory()
            return self._engine

    def unload(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None and hasattr(engine, "unload"):
            try:
                engine.unload()
            except Exception:
                pass
