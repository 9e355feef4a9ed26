"""The only door to the engine's heavy modules, opened lazily.

``engine.run.runner`` imports torch (seconds): it is imported in a worker thread, never at module
import of a GUI module.  While parts of the engine are still missing (it is being written in
parallel) every helper here degrades to something honest instead of crashing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

# Files of the real Wan2.2-TI2V-5B folder, used only if engine.weights.folder is unavailable.
EXPECTED_FILES = (
    "config.json",
    "diffusion_pytorch_model-00001-of-00003.safetensors",
    "diffusion_pytorch_model-00002-of-00003.safetensors",
    "diffusion_pytorch_model-00003-of-00003.safetensors",
    "diffusion_pytorch_model.safetensors.index.json",
    "models_t5_umt5-xxl-enc-bf16.pth",
    "Wan2.2_VAE.pth",
    "google/umt5-xxl",
)


class EngineUnavailable(Exception):
    """``engine.run.runner`` cannot be imported (not installed yet, or torch is broken)."""


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
    """Validate a checkpoint folder through ``engine.weights.folder.inspect_folder`` (torch-free),
    or by listing the expected files when the engine does not provide it yet."""
    folder = Path(path)
    if not folder.is_dir():
        return FolderCheck(
            False,
            problems=[
                QCoreApplication.translate("ModelFolder", "'{0}' is not a folder.").format(path)
            ],
        )
    try:
        from engine.weights.folder import inspect_folder  # type: ignore[import-not-found]
    except Exception:
        missing = [name for name in EXPECTED_FILES if not (folder / name).exists()]
        summary = (
            QCoreApplication.translate(
                "ModelFolder", "The model folder {0} is missing: {1}."
            ).format(folder, ", ".join(missing))
            if missing
            else ""
        )
        return FolderCheck(not missing, missing=missing, summary=summary)
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
        model_name=getattr(report, "model_name", None),
        recognised_other_model=getattr(report, "recognised_other_model", None),
        summary=report.summary(),
        advice=report.advice(),
    )


def available_attention_backends(device: str = "auto") -> list[str]:
    """Call in a worker thread: may import torch."""
    try:
        from engine.nets.attention import available_backends  # type: ignore[import-not-found]
    except Exception:
        return ["auto"]
    backends = list(available_backends(device))
    return backends if "auto" in backends else ["auto", *backends]


class _FallbackSampler:
    """psutil + NVML, used until ``engine.telemetry.MemorySampler`` exists."""

    def __init__(self) -> None:
        self._nvml_handle: Any = None
        try:
            import pynvml

            pynvml.nvmlInit()
            self._nvml_handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        except Exception:
            self._nvml_handle = None

    def sample(self):
        import os

        import psutil

        from engine.events import MemorySample

        vm = psutil.virtual_memory()
        rss = psutil.Process(os.getpid()).memory_info().rss
        used = total = None
        source = "none"
        if self._nvml_handle is not None:
            try:
                import pynvml

                info = pynvml.nvmlDeviceGetMemoryInfo(self._nvml_handle)
                used, total, source = int(info.used), int(info.total), "nvml"
            except Exception:
                pass
        return MemorySample(
            vram_used_bytes=used,
            vram_total_bytes=total,
            vram_allocated_bytes=None,
            vram_reserved_bytes=None,
            ram_used_bytes=int(vm.total - vm.available),
            ram_total_bytes=int(vm.total),
            process_rss_bytes=int(rss),
            source=source,
        )


def make_memory_sampler():
    """An object with ``sample() -> engine.events.MemorySample``; torch-free."""
    try:
        from engine.telemetry import MemorySampler  # type: ignore[import-not-found]

        return MemorySampler()
    except Exception:
        return _FallbackSampler()


def _import_engine_class() -> Callable[[], Any]:
    try:
        from engine.run.runner import Engine  # type: ignore[import-not-found]  # imports torch
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("engine"):
            raise EngineUnavailable(
                QCoreApplication.translate(
                    "EngineHost",
                    "The generation engine is not available in this build "
                    "(engine.runner is missing).",
                )
            ) from exc
        raise EngineUnavailable(_could_not_load(exc)) from exc
    except Exception as exc:
        raise EngineUnavailable(_could_not_load(exc)) from exc
    return Engine


def _could_not_load(exc: BaseException) -> str:
    return QCoreApplication.translate("EngineHost", "The engine could not load: {0}").format(exc)


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
