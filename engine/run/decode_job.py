"""Decode again: a run's kept latents → a video, without the DiT or the text encoder.

``artifex-cli decode RUN.json`` and the GUI's *Decode again* build a :class:`DecodeRequest`
and call :func:`decode_again`.  The job loads only the VAE of the run's model folder (the
demo model's when the run used it) in the dtype the run decoded in, decodes the latents of
``NAME.latents.safetensors`` through the same code as the run's decode stage
(:func:`engine.run.decoding.decode_to_video`: the same mode gives the same frames, and a
full decode that runs out of memory retries tiled), and streams the same events as a run:
PhaseStarted/Finished ("load", "decode", "save"), DecodeProgress, one final event.

Where the video and its report go — what a person expects:
- the run's own video path when no video is there (the run's decode failed): the video takes
  its place and the run's report is **updated** (its steps stay; the decode again is appended
  and the result becomes "finished"), so History shows one finished run;
- otherwise (the run has its video, or ``output_path`` is given) a new video, by default
  ``NAME-decoded.mp4`` (``-decoded-2`` … when taken), with a **new report** beside it: a copy
  of the run's report whose result is the new video.  The run's own files are not touched.
The report names the same latents file.  A failed decode again writes no report.
"""

from __future__ import annotations

from pathlib import Path

import torch

from engine import events as ev
from engine.errors import RequestError
from engine.outputs.latents import (
    DECODE_MODES,
    DecodeRequest,
    DecodeSource,
    LatentsFacts,
    find_source,
    load_latents,
)
from engine.run.runner import Engine, RunJob


def default_output(facts: LatentsFacts, source: DecodeSource) -> Path:
    """The run's video path when nothing is there, else the first free ``NAME-decoded[-N].mp4``."""
    video = Path(facts.video_path)
    if source.report_path is not None:
        video = source.report_path.with_suffix(".mp4")  # the run's folder, even if it was moved
    if not video.exists():
        return video
    for n in range(1, 1000):
        candidate = video.with_name(f"{video.stem}-decoded{'' if n == 1 else f'-{n}'}.mp4")
        if not candidate.exists():
            return candidate
    raise RequestError(f"Too many decoded copies beside {video}.", "Give --save_file.")


def decode_again(engine: Engine, request: DecodeRequest, on_event, cancel=None):
    """Run the decode-only job; returns its final event (RunFinished, RunFailed, RunCancelled),
    never raises for what a person can cause (as :meth:`Engine.run`)."""
    from engine.cancel import CancelToken

    cancel = cancel or CancelToken()
    return engine.execute(_DecodeRun(engine, request, on_event, cancel))  # one job at a time


def _bands_that_fit(mode: str, device: torch.device, facts: LatentsFacts) -> int | None:
    """The banded decode's bands for the free GPU memory now (one, or two when one does not
    fit), as a run's memory plan chooses them; None (the default) elsewhere."""
    if mode != "bands" or device.type != "cuda":
        return None
    from engine.run.memory_plan import VRAM_MARGIN_BYTES, choose_decode

    free, _ = torch.cuda.mem_get_info(device)
    room = int(free) + int(torch.cuda.memory_reserved(device)) - int(torch.cuda.memory_allocated(device)) - VRAM_MARGIN_BYTES
    return choose_decode("bands", "none", room, facts.width, facts.height, facts.frames)[1]


class _DecodeRun(RunJob):
    """A run whose only stages are: load the VAE, decode, save (error mapping as a run)."""

    def _generate(self):
        from engine.nets.attention import resolve_device
        from engine.outputs.report import ReportBuilder, load_report, report_path_for
        from engine.outputs.video_files import check_output_path, ffmpeg_exe
        from engine.run.decoding import decode_to_video

        req: DecodeRequest = self.request
        if req.decode_mode is not None and req.decode_mode not in DECODE_MODES:
            raise RequestError(f"Unknown decode mode '{req.decode_mode}'.", f"Choose one of {', '.join(DECODE_MODES)}.")
        source = find_source(req.source)
        latent, facts = load_latents(source.latents_path)
        mode = req.decode_mode or facts.decode_mode
        device = self._device(req.device or facts.device, resolve_device)
        output = check_output_path(Path(req.output_path) if req.output_path else default_output(facts, source))
        ffmpeg_exe()
        report_path = report_path_for(output)
        original = load_report(source.report_path) if source.report_path is not None else None
        self.builder = _builder_from(original, facts, ReportBuilder)
        vae_dtype = "fp32" if device.type == "cpu" else facts.vae_dtype
        self.emit(ev.LogMessage("info", f"decode again: {source.latents_path} → {output}, {mode} mode, VAE {vae_dtype} "
                                f"on {device}; the DiT and the text encoder are not loaded"))
        if vae_dtype != facts.vae_dtype:
            self.warn(f"The run decoded in {facts.vae_dtype}; on the CPU the VAE runs in fp32, "
                      "so the frames may differ slightly from the run's.")
        vae = self._load_vae(facts, device, vae_dtype)
        self.latents_path = str(source.latents_path)
        bands = _bands_that_fit(mode, device, facts)
        with self.phase_of("decode"):
            used = decode_to_video(self, vae, latent.to(device), facts, output, mode=mode, bands=bands,
                                   latents_path=self.latents_path,
                                   report_path=source.report_path or report_path)
        with self.phase_of("save"):
            self.emit(ev.LogMessage("info", f"decoded again in {used} mode: {output}"))
            self.fold_peak("save")
            final = ev.RunFinished(str(output), str(report_path), self.elapsed(), facts.seed,
                                   vram_peak_bytes=self.job_peak, vram_reserved_peak_bytes=self.job_reserved_peak,
                                   latents_path=self.latents_path)
        self.finish(final, report_path)
        return final

    def _device(self, name: str, resolve_device) -> torch.device:
        device = resolve_device(name)
        if device.type == "cuda" and not torch.cuda.is_available():
            self.warn(f"The run used {name}, which is not available here; decoding on the CPU.")
            device = torch.device("cpu")
        self.device = device
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        return device

    def _load_vae(self, facts: LatentsFacts, device: torch.device, vae_dtype: str):
        from engine.nets.dtypes import torch_dtype
        from engine.nets.vae import WanVAE

        models = self.engine.loaded
        if device.type == "cuda" and models is not None and models.device.type == "cuda":
            # A decode that ran out of memory needs the GPU to itself: the run's models go
            # (the next Generate loads them again).
            self.emit(ev.LogMessage("info", "unloading the generation models to give the VAE the GPU memory"))
            self.engine.unload()
        with self.phase_of("load"):
            if facts.demo:
                from engine.run.demo import demo_checkpoint_dir

                folder = demo_checkpoint_dir()
            else:
                folder = Path(str(facts.checkpoint_dir))
                if not folder.is_dir():
                    raise RequestError(f"The run's model folder '{folder}' is not there any more.",
                                       "Put the Wan2.2-TI2V-5B folder back where it was, then decode again.")
            vae = WanVAE.load(folder, torch_dtype(vae_dtype), device)
            vae.module.eval()
        self.cancel.raise_if_cancelled("load")
        return vae


def _builder_from(original, facts: LatentsFacts, builder_class):
    """The new report: the run's settings, environment and events up to its end, then the
    decode again's events (the run's own final event is left out: this job's is the result)."""
    if original is None:
        builder = builder_class(settings={"prompt": facts.prompt, "width": facts.width, "height": facts.height,
                                          "frames": facts.frames, "seed": facts.seed, "fps": facts.fps,
                                          "checkpoint_dir": facts.checkpoint_dir})
        return builder
    builder = builder_class(settings=original.settings, environment=original.environment)
    finals = ("RunFinished", "RunFailed", "RunCancelled")
    builder.events = [dict(e) for e in original.events if e.get("type") not in finals]
    ended = original.result
    if ended.get("status") == "failed":  # keep what happened to the first decode, as a log line
        builder.events.append({"type": "LogMessage", "level": "warning", "time": builder.events[-1].get("time", 0.0)
                               if builder.events else 0.0, "text": f"the run failed: {ended.get('message')}"})
    builder.created = original.created or builder.created
    return builder
