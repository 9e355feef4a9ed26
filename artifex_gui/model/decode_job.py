"""Decode again from the window: a decode-only job through the engine, in the worker thread.

:class:`DecodeWorker` is a :class:`artifex_gui.worker.GenerationWorker` whose job is
:func:`artifex_gui.engine_bridge.decode_again` (``engine.run.decode_job``) instead of ``Engine.run``: the same signals in
the same order (``started → event* → [errored] → finished``), the same cancel, so the
window shows its progress and plays its result like a generation's.  Only the VAE is
loaded; the run's kept latents (``NAME.latents.safetensors``) are decoded into a video.

No torch here: the engine's decode job is imported in the worker thread.
"""

from __future__ import annotations

from pathlib import Path

from artifex_gui.engine_bridge import DecodeRequest, decode_again, delete_latents, kept_latents_for
from artifex_gui.worker import GenerationWorker


class DecodeWorker(GenerationWorker):
    """One decode-only job (``request``: :class:`engine.outputs.latents.DecodeRequest`)."""

    def _run(self, engine):
        return decode_again(engine, self.request, self.signals.event.emit, self.cancel_token)


def make_worker(request, host) -> GenerationWorker:
    """The worker for a job: a decode again for a DecodeRequest, else a generation."""
    if isinstance(request, DecodeRequest):
        return DecodeWorker(request, host)
    return GenerationWorker(request, host)


def is_decode_job(request) -> bool:
    return isinstance(request, DecodeRequest)


def kept_latents(report_path: str | Path, result: dict | None = None) -> Path | None:
    """The run's kept latents file when it is there (see engine.outputs.latents.kept_latents_for)."""
    return kept_latents_for(report_path, result)


def remove_latents(path: str | Path) -> bool:
    """Delete a run's kept latents (History's "Delete latents"); True when a file went."""
    return delete_latents(path)


__all__ = ["DecodeRequest", "DecodeWorker", "is_decode_job", "kept_latents", "make_worker", "remove_latents"]
