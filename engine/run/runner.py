"""``Engine``: one loaded model set kept between runs, and ``run()`` — a request in, a
stream of events out, a video and its report on disk.

``run`` never raises for things a person can cause: it emits and returns one final event
(RunFinished, RunFailed or RunCancelled).  Internal bugs become RunFailed(kind="internal")
with the traceback in ``details``.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager

import torch

from engine import events as ev
from engine.cancel import CancelToken
from engine.errors import ArtifexError, Cancelled, GPUOutOfMemory, out_of_memory_kind
from engine.request import GenerationRequest
from engine.run import stages
from engine.run.hooks import RunHooks
from engine.run.models import LoadedModels, load_models
from engine.run.plan import RunPlan, make_plan

OOM_ADVICE = (
    "Turn on offload (mode 'block' needs the least GPU memory), or choose a smaller size or "
    "fewer frames, then press Generate again."
)


class Engine:
    """Keeps the loaded models between runs; one run at a time."""

    def __init__(self, dist=None) -> None:
        """``dist``: this process's multi-GPU context (:class:`engine.run.distributed.DistContext`,
        made by the caller, e.g. ``artifex-cli generate`` under torchrun); None on one GPU."""
        self.dist = dist
        self._models: LoadedModels | None = None
        self._lora_files: dict[tuple, object] = {}  # (path, size, mtime) → parsed LoRA file
        self._lock = threading.Lock()
        from engine.telemetry import MemorySampler, TransferMeter

        self.meter = TransferMeter()
        self.sampler = MemorySampler()

    # ------------------------------------------------------------------ public

    def run(
        self,
        request: GenerationRequest,
        on_event: Callable[[ev.Event], None],
        cancel: CancelToken | None = None,
    ):
        cancel = cancel or CancelToken()
        hooks = RunHooks()
        if self.dist is not None:
            from engine.run.distributed import DistributedHooks

            hooks = DistributedHooks(self.dist)
        return self.execute(RunJob(self, request, on_event, cancel, self.dist, hooks))

    def execute(self, job: RunJob):
        """Run ``job`` (a :class:`RunJob`: a generation, or a decode-again job) under the
        engine's lock: one job at a time on one engine; returns its final event."""
        with self._lock:
            return job.execute()

    @property
    def loaded(self) -> LoadedModels | None:
        """The model set loaded now (kept between runs), None when nothing is loaded."""
        return self._models

    def unload(self) -> None:
        """Free every loaded model (RAM and VRAM)."""
        if self._models is not None:
            for streamer in self._models.streamers:
                streamer.remove()
        self._models = None
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    # ------------------------------------------------------------------ loading

    def models_for(self, plan: RunPlan, emit, compile_blocks: bool = False,
                   cancel: CancelToken | None = None) -> LoadedModels:
        """The models of ``plan``: the ones already loaded when nothing that matters changed."""
        from engine.weights.parts import parts_key

        parts = plan.parts.parts if plan.parts is not None else {}
        key = (str(plan.folder), parts_key(parts), str(plan.torch_device()), str(plan.torch_dtype()),
               plan.offload, plan.request.t5_cpu, plan.request.low_ram, plan.request.precision,
               compile_blocks)  # compiled: last
        if self._models is not None and self._models.key == key:
            return self._models
        self.unload()
        device = plan.torch_device()
        if device.type == "cuda":  # peaks from here on are this load's, not the old models'
            torch.cuda.reset_peak_memory_stats(device)
        check_cancel = (lambda: cancel.raise_if_cancelled("load")) if cancel is not None else None
        self._models = load_models(key, plan, self.meter, emit, compile_blocks, check_cancel)
        return self._models

    def set_loras(self, models: LoadedModels, loras, emit) -> list[dict]:
        """Apply ``loras`` to the loaded DiT without reloading it (engine/run/loras.py)."""
        from engine.run.loras import set_loras

        return set_loras(models, loras, self._lora_files, self.meter, emit)


class RunJob:
    """One generation: the steps of ``Engine.run`` with their shared state (the base of the
    other jobs an engine runs, e.g. :mod:`engine.run.decode_job`)."""

    def __init__(self, engine: Engine, request: GenerationRequest, on_event, cancel: CancelToken,
                 dist=None, hooks: RunHooks | None = None) -> None:
        self.engine = engine
        self.request = request
        self.on_event = on_event
        self.cancel = cancel
        self.dist = dist
        self.hooks = hooks or RunHooks()
        self.plan: RunPlan | None = None
        self.phase = "load"
        self.builder = None
        self.started = time.perf_counter()
        self.device: torch.device | None = None
        self.job_peak = 0
        self.job_reserved_peak = 0
        self.phase_peaks: dict[str, int] = {}
        self.latents_path: str | None = None  # the kept final latents, once written (decode stage)
        self.report_path_on_failure = None  # where the report goes if the run fails after that
        self.background_compile = None  # engine.run.warmup.BackgroundCompile while loading

    # ------------------------------------------------------------------ what stages and hooks use

    def emit(self, event) -> None:
        """To the client and into the report."""
        if self.builder is not None:
            self.builder.add(event)
        self.on_event(event)

    def notify(self, event) -> None:
        """To the client only."""
        self.on_event(event)

    def warn(self, text: str) -> None:
        self.emit(ev.LogMessage("warning", text))

    @property
    def environment(self) -> dict:
        return self.builder.environment

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def finish(self, final: ev.RunFinished, report_path) -> None:
        """The final event into the report, the report onto disk, then to the client."""
        self.builder.add(final)
        self.builder.write(report_path)
        self.on_event(final)

    @contextmanager
    def phase_of(self, name: str):
        self.phase = name
        self.emit(ev.PhaseStarted(name))
        start = time.perf_counter()
        yield
        self.emit(ev.PhaseFinished(name, time.perf_counter() - start))
        self.fold_peak(name)

    def fold_peak(self, phase: str = "") -> None:
        """Fold the device's peak allocation since the last call into the job's peak."""
        device = self.device
        if device is None or device.type != "cuda":
            return
        peak = torch.cuda.max_memory_allocated(device)
        self.phase_peaks[phase] = max(self.phase_peaks.get(phase, 0), peak)
        self.job_peak = max(self.job_peak, peak)
        self.job_reserved_peak = max(self.job_reserved_peak, torch.cuda.max_memory_reserved(device))
        torch.cuda.reset_peak_memory_stats(device)

    def execute(self):
        from engine.outputs.report import ReportBuilder

        self.builder = ReportBuilder(settings=self.request)
        try:
            return self._generate()
        except Cancelled as exc:
            final = ev.RunCancelled(exc.phase or self.phase)
        except torch.cuda.OutOfMemoryError as exc:
            final = _failed(GPUOutOfMemory(f"The GPU ran out of memory while {_phase_words(self.phase)} ({_first_line(exc)}).", OOM_ADVICE))
        except ArtifexError as exc:
            if self.cancel.cancelled:  # e.g. Ctrl+C reached ffmpeg too: the user's stop, not a fault
                kept = getattr(exc, "recovered_path", None)
                self.emit(ev.LogMessage("warning", f"after the cancel request: {exc.message}"
                                        + (f" The frames were saved to {kept}." if kept else "")))
                final = ev.RunCancelled(self.phase)
            else:
                final = _failed(exc)
        except MemoryError:
            final = _failed(GPUOutOfMemory(f"The computer ran out of RAM while {_phase_words(self.phase)}.",
                                           "Close other programs, or choose a smaller size or fewer frames."))
        except Exception as exc:  # an internal bug: report it, keep the app alive
            memory = out_of_memory_kind(exc)  # cuBLAS, cuDNN and the CPU allocator say it with RuntimeError
            if memory == "gpu":
                final = _failed(GPUOutOfMemory(f"The GPU ran out of memory while {_phase_words(self.phase)} ({_first_line(exc)}).", OOM_ADVICE))
            elif memory == "ram":
                final = _failed(GPUOutOfMemory(f"The computer ran out of RAM while {_phase_words(self.phase)}.",
                                               "Close other programs, or choose a smaller size or fewer frames."))
            else:
                final = ev.RunFailed("internal", f"Internal error while {_phase_words(self.phase)}: {type(exc).__name__}: {exc}",
                                     "Please report this with the log file; the engine is still usable.",
                                     details=traceback.format_exc())
        self._release_after_failure()
        if self.latents_path is not None and self.report_path_on_failure is not None:
            return self._end_with_latents(final)
        self.emit(final)
        return final

    def _end_with_latents(self, final):
        """The end of a run whose latents were kept, when it did not finish.  A failure that
        lost the video (the decode ran out of memory, say): the final event names the
        latents and the report is written beside them, so ``artifex-cli decode RUN.json``
        and the GUI's Decode again find them.  A cancel, or a save failure whose frames were
        recovered elsewhere: the latents go, and the output folder is left as it was."""
        from engine.outputs.latents import delete_latents

        if not isinstance(final, ev.RunFailed) or final.recovered_path:
            delete_latents(self.latents_path)
            self.latents_path = None
            self.emit(final)
            return final
        if final.latents_path is None:
            final = dataclasses.replace(final, latents_path=self.latents_path)
        self.builder.add(final)
        try:
            self.builder.write(self.report_path_on_failure)
        except OSError as exc:  # the latents stay; only their report is missing
            self.on_event(ev.LogMessage("warning", f"the run report could not be written: {exc}"))
        self.on_event(final)
        return final

    def _release_after_failure(self) -> None:
        if self.background_compile is not None:  # its throwaway block holds GPU memory
            self.background_compile.join()
            self.background_compile = None
        models = self.engine._models
        if models is not None:
            for swap in models.swaps.values():
                swap.to_host()
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    # ------------------------------------------------------------------ the run

    def _generate(self):
        plan = self.plan = make_plan(self.request, self.dist, on_note=self.warn)
        self.device = plan.torch_device()
        if self.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self.device)
        models = stages.load(self, plan)
        attn = stages.start(self, plan, models)
        stages.warmup(self, plan, models, attn)
        image_tensor, noise = stages.image_and_noise(plan)
        context, context_null = stages.encode_text(self, plan, models)
        image_latent = stages.encode_image(self, plan, models, image_tensor)
        if noise is None:
            from engine.sampling.denoise import draw_noise

            noise = draw_noise(plan.latent_shape, plan.seed, self.device)
        latent, step_seconds = stages.denoise(self, plan, models, attn, noise, context, context_null, image_latent)
        final = self.hooks.after_denoise(self, step_seconds)
        if final is not None:  # ranks other than 0 stop here: rank 0 alone decodes and writes
            return final
        del noise
        dump = stages.decode(self, plan, models, latent)
        return stages.save(self, plan, latent, dump)


def _failed(exc: ArtifexError) -> ev.RunFailed:
    return ev.RunFailed(exc.kind, exc.message, exc.advice, getattr(exc, "recovered_path", None),
                        latents_path=getattr(exc, "latents_path", None))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _phase_words(phase: str) -> str:
    return {
        "load": "loading the model",
        "encode_text": "encoding the prompt",
        "encode_image": "encoding the image",
        "warmup": "warming up (compiling)",
        "denoise": "denoising",
        "decode": "decoding the video",
        "save": "saving the video",
    }.get(phase, phase)
