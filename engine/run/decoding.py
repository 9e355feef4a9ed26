"""The VAE decode of a run, so that a decode failure never costs the denoising.

1. :func:`keep_latents` writes the final latents beside the report (``NAME.latents.safetensors``,
   float32, with the facts needed to decode them again; see :mod:`engine.outputs.latents`)
   before the decode starts — unless the request turns it off.
2. :func:`decode_to_video` decodes in the run's mode ("full": diffusers' per-frame loop,
   ~10 GiB at 1280×704; "tiled": spatial tiles, ~3 GiB and ~3× slower, the mode of block
   offload).  When the full decode runs out of memory it retries at once in tiled mode,
   saying so; when the last mode fails too it raises :class:`engine.errors.DecodeFailed`
   whose message names the kept latents and how to decode them again.

The run's decode stage (:func:`engine.run.stages.decode`) and the decode-only job
(:mod:`engine.run.decode_job`) share :func:`decode_to_video`, so a decode again in the same
mode writes the same frames as the run did.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import torch

from engine import events as ev
from engine.errors import DecodeFailed, out_of_memory_kind
from engine.outputs.latents import DECODE_MODES, LatentsFacts, latents_path_for, save_latents

# The mode to try when one ran out of memory (the lowest has none): the banded decode needs
# 62 % of the full one's memory at 1.16× its time, the tiled 29 % at 3.1× (H200, 1280×704).
_LOWER_MODE = {"full": "bands", "bands": "tiled"}


# The banded decode's bands when the plan gives none, and its frames per slice: one frame at a
# time measured best (H200, 1280×704: 6.20 GiB at 8.17 s, against 7.58 GiB at 8.34 s for two).
DEFAULT_BANDS = 1
DEFAULT_FRAMES_PER_SLICE = 1


def decode_chunks(vae, latent: torch.Tensor, mode: str, cancel, bands: int | None = None) -> Iterator[torch.Tensor]:
    """``latent [C, F, h, w]`` → float32 CPU chunks ``[3, n, H, W]`` in [−1, 1] (1, then 4 frames)."""
    if mode not in DECODE_MODES:
        raise ValueError(f"unknown decode mode {mode!r}")
    if mode == "tiled":
        return vae.decode_tiled_stream(latent, cancel)
    if mode == "bands":
        return vae.decode_banded_stream(latent, cancel, bands=bands or DEFAULT_BANDS,
                                        frames_per_slice=DEFAULT_FRAMES_PER_SLICE)
    return vae.decode_stream(latent, cancel)


def facts_for(plan, vae, latent: torch.Tensor, mode: str) -> LatentsFacts:
    """The facts of the run's decode: what a decode again needs, and the mp4's tags."""
    from engine.nets.dtypes import dtype_name
    from engine.outputs.video import video_metadata

    req = plan.request
    settings = {k: v for k, v in req.to_dict().items() if k not in ("extra", "output_path", "dump_tensors_dir")}
    settings.update(width=plan.width, height=plan.height, frames=plan.frames, seed=plan.seed)
    return LatentsFacts(
        width=plan.width, height=plan.height, frames=plan.frames, fps=int(plan.fps), seed=int(plan.seed),
        latent_shape=tuple(int(v) for v in latent.shape),
        checkpoint_dir=None if plan.demo else str(plan.folder), demo=bool(plan.demo),
        vae_dtype=dtype_name(vae.dtype), device=str(plan.device), decode_mode=mode,
        video_path=str(plan.output), prompt=req.prompt,
        video_tags=video_metadata(req.prompt, req.negative_prompt, plan.seed, settings),
    )  # fmt: skip


def keep_latents(run, plan, latent: torch.Tensor, facts: LatentsFacts) -> str | None:
    """Write the run's final latents beside its report; the path, or None when the request
    turned it off or the write failed (a warning: the run goes on, only the safety net is gone)."""
    if not plan.request.keep_latents:
        return None
    path = latents_path_for(plan.output)
    try:
        save_latents(path, latent, facts)
    except OSError as exc:
        run.warn(f"The final latents could not be kept in {path} ({exc.strerror or exc}); "
                 "if the decode fails, the denoising is lost.")
        return None
    size = path.stat().st_size
    size_text = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
    run.emit(ev.LogMessage("info", f"latents kept in {path} ({size_text}): "
                           "a failed decode can be decoded again from them"))
    return str(path)


def decode_to_video(run, vae, latent: torch.Tensor, facts: LatentsFacts, output: Path, *,
                    mode: str, latents_path: str | None, report_path: Path,
                    dump: list[torch.Tensor] | None = None, bands: int | None = None) -> str:
    """Decode ``latent`` into the mp4 at ``output`` (streamed, atomic), emitting DecodeProgress;
    on running out of memory retry in the next lower mode.  Returns the mode that worked.
    Raises :class:`DecodeFailed` when every mode ran out of memory.  ``run``: the run object
    of :mod:`engine.run.runner` (``emit``, ``cancel``, ``phase``); the caller holds the phase."""
    tried: list[str] = []
    while True:
        tried.append(mode)
        try:
            _decode_once(run, vae, latent, facts, output, mode, dump, bands)
            return mode
        except Exception as exc:  # noqa: BLE001 — only running out of memory is handled here
            memory = out_of_memory_kind(exc)
            if memory is None:
                raise
            reason = _first_line(exc)
        _free_memory()
        lower = _LOWER_MODE.get(mode)
        what = "GPU memory" if memory == "gpu" else "RAM"
        if lower is None:
            raise _decode_failed(tried, what, reason, latents_path, report_path)
        run.warn(f"The VAE decode ran out of {what} in {mode} mode ({reason}); "
                 f"retrying at once in {lower} mode (less memory, slower).")
        mode = lower


def _decode_once(run, vae, latent, facts: LatentsFacts, output: Path, mode: str,
                 dump: list[torch.Tensor] | None, bands: int | None = None) -> None:
    from engine.outputs.video import VideoWriter, float_video_to_uint8

    run.phase = "decode"
    if dump is not None:
        dump.clear()
    done = 0
    with VideoWriter(output, (facts.width, facts.height), fps=float(facts.fps), metadata=facts.video_tags) as writer:
        with BackgroundWrites(lambda chunk: writer.write(float_video_to_uint8(chunk.numpy()))) as writes:
            for chunk in decode_chunks(vae, latent, mode, run.cancel, bands):  # [3, n, H, W] float32 CPU
                run.cancel.raise_if_cancelled("decode")
                if dump is not None:
                    dump.append(chunk)
                writes.put(chunk)  # converted and piped to ffmpeg while the next chunk decodes
                done += chunk.shape[1]
                run.emit(ev.DecodeProgress(done, facts.frames))
        run.phase = "save"
        run.cancel.raise_if_cancelled("save")


class BackgroundWrites:
    """Runs ``write(item)`` for each :meth:`put` item on one worker thread, in order, at most
    ``depth`` items waiting (so the decode's chunks are converted to uint8 and piped to ffmpeg
    while the GPU decodes the next one, with bounded memory).  Leaving the ``with`` block waits
    for the writes; an exception raised by ``write`` is raised again there (or at the next
    ``put``).  When the block exits with an exception, the waiting items are dropped."""

    _STOP = object()

    def __init__(self, write, depth: int = 2) -> None:
        import queue
        import threading

        self._write = write
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._dropping = False  # the decode failed: what still waits is not written
        self._thread = threading.Thread(target=self._work, name="artifex-video-writes", daemon=True)

    def __enter__(self) -> BackgroundWrites:
        self._thread.start()
        return self

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is self._STOP:
                return
            if self._error is None and not self._dropping:
                try:
                    self._write(item)
                except BaseException as exc:  # noqa: BLE001 — handed to the caller's thread
                    self._error = exc

    def put(self, item) -> None:
        self._raise()
        self._queue.put(item)

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:  # cancelled or failed: what waits is not written
            self._dropping = True
        self._queue.put(self._STOP)
        self._thread.join()
        if exc_type is None:
            self._raise()


def _free_memory() -> None:
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _decode_failed(tried: list[str], what: str, reason: str, latents_path: str | None,
                   report_path: Path) -> DecodeFailed:
    modes = " mode and again in ".join(tried) + " mode"
    ran_out = "The GPU ran out of memory" if what == "GPU memory" else "The computer ran out of RAM"
    message = f"{ran_out} while decoding the video, in {modes} ({reason})."
    if latents_path is None:
        return DecodeFailed(
            message + " The latents were not kept (keep latents is off), so the denoising is lost.",
            "Turn on offload (mode 'block' decodes in tiles), close other programs using the GPU, or choose "
            "a smaller size or fewer frames, then press Generate again; keep latents on to decode again later.",
        )
    return DecodeFailed(
        message + f" The denoising is not lost: its latents are kept in {latents_path}.",
        "Close other programs using the GPU, then press Decode again (here or in History); on the command "
        f'line: artifex-cli decode "{report_path}" --decode_mode tiled (--device cpu: slow, needs no GPU memory).',
        latents_path=latents_path,
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
