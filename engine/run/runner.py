"""``Engine``: one loaded model set kept between runs, and ``run()`` — a request in, a
stream of events out, a video and its report on disk.

``run`` never raises for things a person can cause: it emits and returns one final event
(RunFinished, RunFailed or RunCancelled).  Internal bugs become RunFailed(kind="internal")
with the traceback in ``details``.
"""

from __future__ import annotations

import gc
import random
import sys
import threading
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import torch

from engine import events as ev
from engine.cancel import CancelToken
from engine.config import PRESETS, ModelSpec, default_negative_prompt, dit_config_from_tensors
from engine.errors import ArtifexError, Cancelled, GPUOutOfMemory, RequestError, out_of_memory_kind
from engine.nets.attention import resolve as resolve_attention
from engine.nets.attention import resolve_device
from engine.request import GenerationRequest, check_request

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}
OOM_ADVICE = (
    "Turn on offload (mode 'block' needs the least GPU memory), or choose a smaller size or "
    "fewer frames, then press Generate again."
)


@dataclass
class LoadedModels:
    key: tuple
    folder: Path
    demo: bool
    spec: ModelSpec
    dit: object
    text_encoder: object
    vae: object
    device: torch.device
    dtype: torch.dtype
    offload_mode: str
    t5_cpu: bool
    swaps: dict = field(default_factory=dict)  # name → ModelSwap (mode "model")
    streamers: list = field(default_factory=list)  # BlockStreamers (mode "block")


class Engine:
    """Keeps the loaded models between runs; one run at a time."""

    def __init__(self) -> None:
        self._models: LoadedModels | None = None
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
        with self._lock:
            return _Run(self, request, on_event, cancel).execute()

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

    def models_for(self, folder: Path, demo: bool, device: torch.device, dtype: torch.dtype,
                   offload_mode: str, t5_cpu: bool, emit, compile_blocks: bool = False,
                   cancel: CancelToken | None = None) -> LoadedModels:
        key = (str(folder), str(device), str(dtype), offload_mode, t5_cpu, compile_blocks)
        if self._models is not None and self._models.key == key:
            return self._models
        self.unload()
        if device.type == "cuda":  # peaks from here on are this load's, not the old models'
            torch.cuda.reset_peak_memory_stats(device)
        from engine.nets.dit import WanModel
        from engine.nets.text_encoder import TextEncoder
        from engine.nets.vae import WanVAE
        from engine.run.offload import BlockStreamer, ModelSwap, module_bytes
        from engine.weights.folder import check_folder, dit_tensor_shapes
        from engine.weights.stream import load_dit_state_into

        report = check_folder(folder)
        dit_cfg = dit_config_from_tensors(dit_tensor_shapes(folder), report.config)
        spec = PRESETS["tiny"] if demo else PRESETS["ti2v-5B"]
        spec = ModelSpec(spec.name, dit_cfg, spec.t5, spec.vae, spec.defaults)

        resident = offload_mode == "none"
        dit_device = device if resident else torch.device("cpu")
        start = time.perf_counter()
        with torch.device("meta"):
            dit = WanModel(dit_cfg)
        check_cancel = (lambda: cancel.raise_if_cancelled("load")) if cancel is not None else None
        load_dit_state_into(dit, folder, dtype, dit_device, check_cancel=check_cancel)
        dit.eval()
        if compile_blocks:
            from engine.nets.dit import compile_blocks as compile_dit_blocks

            compile_dit_blocks(dit)
            emit(ev.LogMessage("info", "DiT blocks compiled with torch.compile (the first step includes compile time)"))
        # The text encoder (11 GB in bf16) is used once per run: off the GPU it leaves the
        # room to the DiT and the VAE.  Resident mode swaps it in for the encode only.
        t5_device = torch.device("cpu") if (t5_cpu or device.type == "cuda") else device
        if check_cancel is not None:
            check_cancel()
        text_encoder = TextEncoder.load(folder, dtype if dtype != torch.float16 else torch.bfloat16, t5_device)
        if check_cancel is not None:
            check_cancel()
        # bf16/fp16 convolutions are emulated on CPUs and many times slower there.
        vae_dtype = torch.float32 if device.type == "cpu" else dtype
        vae = WanVAE.load(folder, vae_dtype, device if resident else torch.device("cpu"))
        vae.module.eval()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        if resident and device.type == "cuda":
            nbytes = module_bytes(dit) + module_bytes(vae.module)
            emit(ev.TransferInfo("load all models", nbytes, time.perf_counter() - start))
        models = LoadedModels(key, folder, demo, spec, dit, text_encoder, vae, device, dtype, offload_mode, t5_cpu)
        if offload_mode in ("none", "model") and device.type == "cuda" and not t5_cpu:
            models.swaps["text_encoder"] = ModelSwap(text_encoder.module, device, self.meter)
        if offload_mode == "model":
            models.swaps["dit"] = ModelSwap(dit, device, self.meter)
            models.swaps["vae"] = ModelSwap(vae.module, device, self.meter)
        elif offload_mode == "block":
            # Blocks stream from pinned RAM; everything else of the DiT is resident.
            for name, module in dit.named_children():
                if name != "blocks":
                    module.to(device)
            models.streamers.append(BlockStreamer(dit.blocks, device, self.meter))
            if not t5_cpu:
                enc = text_encoder.module
                enc.shared.to(device)
                enc.encoder.final_layer_norm.to(device)
                enc.encoder.embed_tokens.weight = enc.shared.weight
                models.streamers.append(BlockStreamer(enc.encoder.block, device, self.meter))
            vae.to(device)
        self._models = models
        return models


class _Run:
    """One generation: the steps of ``Engine.run`` with their shared state."""

    def __init__(self, engine: Engine, request: GenerationRequest, on_event, cancel: CancelToken) -> None:
        self.engine = engine
        self.request = request
        self.on_event = on_event
        self.cancel = cancel
        self.phase = "load"
        self.builder = None
        self.started = time.perf_counter()
        self.device: torch.device | None = None
        self.job_peak = 0
        self.job_reserved_peak = 0
        self.phase_peaks: dict[str, int] = {}

    def emit(self, event) -> None:
        if self.builder is not None:
            self.builder.add(event)
        self.on_event(event)

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
        self.emit(final)
        return final

    def _release_after_failure(self) -> None:
        models = self.engine._models
        if models is not None:
            for swap in models.swaps.values():
                swap.to_host()
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()

    # ------------------------------------------------------------------ the run

    def _generate(self):
        from engine.imaging import open_image, output_size_for_image, prepare_image, source_size
        from engine.outputs.report import collect_environment, report_path_for
        from engine.outputs.video import check_output_path, default_output_name, ffmpeg_exe
        from engine.sampling.denoise import draw_noise, latent_shape, preview_frames
        from engine.weights.folder import check_folder

        req, notes = check_request(self.request, clamp=False)
        for note in notes:
            self.emit(ev.LogMessage("warning", note))
        demo = req.checkpoint_dir is None
        if demo:
            from engine.run.demo import demo_checkpoint_dir

            folder = demo_checkpoint_dir()
        else:
            folder = Path(req.checkpoint_dir)
            check_folder(folder)
        spec_defaults = (PRESETS["tiny"] if demo else PRESETS["ti2v-5B"]).defaults
        width = req.width or spec_defaults.width
        height = req.height or spec_defaults.height
        frames = req.frames or spec_defaults.frames
        steps = req.steps or spec_defaults.steps
        shift = req.shift if req.shift is not None else spec_defaults.shift
        guidance = req.guidance if req.guidance is not None else spec_defaults.guidance
        fps = req.fps or spec_defaults.fps
        device = resolve_device(req.device)
        if device.type == "cuda" and not torch.cuda.is_available():
            raise RequestError("No CUDA GPU is available here.", "Choose device 'cpu' or 'auto'.")
        self.device = device
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        dtype = DTYPES[req.dtype]
        if device.type == "cpu" and dtype == torch.float16:
            dtype = torch.float32
            self.emit(ev.LogMessage("warning", "fp16 is not supported on the CPU; using fp32."))
        image = None
        if req.image_path:
            image = open_image(req.image_path)
            width, height = output_size_for_image(source_size(image), width, height)
        seed = req.seed if req.seed >= 0 else random.randint(0, sys.maxsize)
        output = Path(req.output_path) if req.output_path else Path.cwd() / default_output_name(req.prompt, (width, height), seed)
        output = check_output_path(output)
        ffmpeg_exe()  # before the long part: a missing encoder is said now

        from engine.run.distributed import current as current_distributed

        dctx = current_distributed()  # None unless started by torchrun with multi-GPU flags
        offload = req.offload_mode
        if dctx is not None:
            seed = dctx.broadcast_object(seed)  # a random seed: rank 0's
            offload = dctx.resident_offload(offload, self.emit)
        elif offload == "auto":
            offload = self._auto_offload(device, width, height, frames, demo)

        with self.phase_of("load"):
            from engine.nets.dit import can_compile

            use_compile = req.compile if req.compile is not None else (can_compile(device) and not getattr(sys, "frozen", False))
            if use_compile and not can_compile(device):
                self.emit(ev.LogMessage("warning", "torch.compile needs a CUDA GPU and Triton; running without it."))
                use_compile = False
            models = self.engine.models_for(folder, demo, device, dtype, offload, req.t5_cpu, self.emit, use_compile, cancel=self.cancel)
            if dctx is not None:
                from engine.run.distributed import prepare_models

                prepare_models(models, dctx, self.emit)
        self.cancel.raise_if_cancelled("load")
        cfg = models.dit.cfg
        shape = latent_shape(models.vae.config.z_dim, frames, width, height, models.spec.vae_stride)
        grid = (shape[1] // cfg.patch_size[0], shape[2] // cfg.patch_size[1], shape[3] // cfg.patch_size[2])
        tokens = grid[0] * grid[1] * grid[2]
        def resolve():
            return resolve_attention(req.attention, device, dtype, cfg.num_heads, cfg.head_dim, req.attention_chunk)

        attn = resolve() if dctx is None else dctx.rank0_first(resolve)  # rank 0 times and caches the choice
        self.builder.environment.update(collect_environment({
            "attention_backend": attn.backend, "attention_kernel": attn.kernel, "dtype": req.dtype,
            "device": str(device), "offload_mode": offload, "checkpoint": str(folder), "demo_model": demo,
        }))
        self.emit(ev.RunStarted(width, height, frames, fps, shape, tokens, attn.backend, attn.kernel,
                                str(dtype).replace("torch.", ""), str(device), offload, seed, steps, demo, image is not None))
        self.emit(ev.AttentionInfo(attn.backend, attn.kernel, str(dtype).replace("torch.", ""), 0.0, tokens, tokens,
                                   cfg.text_len, cfg.num_heads, cfg.head_dim))
        self.emit(ev.LogMessage("info", f"attention: {attn.kernel}, {str(dtype).replace('torch.', '')}, dropout 0, "
                                f"query/key length {tokens}/{tokens} (cross: {tokens}/{cfg.text_len}), "
                                f"{cfg.num_heads} heads × {cfg.head_dim}"))
        if demo:
            self.emit(ev.LogMessage("warning", "Built-in DEMO model: tiny random weights, the video is not a real generation. "
                                    "Set a Wan2.2-TI2V-5B model folder for real videos."))

        # Image: noise first (as the original i2v), then text, then the image latent.
        image_tensor = None
        noise = None
        if image is not None:
            image_tensor = torch.from_numpy(prepare_image(image, width, height)).unsqueeze(1)  # [3, 1, H, W]
            noise = draw_noise(shape, seed, device)

        negative = req.negative_prompt or default_negative_prompt()
        with self.phase_of("encode_text"):
            with self._placed(models, "text_encoder"):
                context, context_null = models.text_encoder.encode([req.prompt, negative])
            context, context_null = context.to(device), context_null.to(device)
        self.cancel.raise_if_cancelled("encode_text")
        self.emit(ev.LogMessage("info", f"text tokens: prompt {context.shape[0]}, negative {context_null.shape[0]}; "
                                f"video tokens {tokens} ({shape[1]}×{shape[2]}×{shape[3]} latent)"))

        image_latent = None
        if image_tensor is not None:
            with self.phase_of("encode_image"):
                with self._placed(models, "vae"):
                    image_latent = models.vae.encode_image(image_tensor.to(device)).to(device)
            self.cancel.raise_if_cancelled("encode_image")
        if noise is None:
            noise = draw_noise(shape, seed, device)

        from engine.sampling.denoise import denoise

        self.engine.meter.take()
        step_seconds: list[float] = []

        def on_step(stats, preview_x0):
            step_seconds.append(stats.seconds)
            for streamer in models.streamers:
                streamer.flush_timings()
            moved = self.engine.meter.take()
            from engine.telemetry import vram_numbers

            alloc, reserved, peak = vram_numbers(device)
            self.fold_peak("denoise")  # per-step peaks: reset after each step
            self.emit(ev.StepFinished(stats.index, stats.total, stats.seconds, stats.pass_seconds, stats.timestep,
                                      moved.bytes, moved.seconds, alloc, reserved, peak))
            self.emit(self.engine.sampler.sample())
            if preview_x0 is not None:
                self.emit(ev.Preview(stats.index, preview_frames(preview_x0)))

        with self.phase_of("denoise"):
            with self._placed(models, "dit"):
                latent = denoise(models.dit, noise=noise, context=context, context_null=context_null,
                                 image_latent=image_latent, steps=steps, shift=shift, guidance=guidance,
                                 solver=req.solver, attention=attn.fn, on_step=on_step,
                                 cancel=self.cancel if dctx is None else dctx.agreed_cancel(self.cancel),
                                 want_preview=lambda i: req.previews,
                                 cfg_batch=bool(req.cfg_batch))
        if dctx is not None:
            from engine.run.distributed import after_denoise

            final = after_denoise(self, dctx, step_seconds, seed, tokens)
            if final is not None:  # ranks other than 0 stop here: rank 0 alone decodes and writes
                return final
        del noise
        return self._decode_and_save(models, latent, output, width, height, frames, fps, seed, negative, report_path_for)

    def _decode_and_save(self, models, latent, output, width, height, frames, fps, seed, negative, report_path_for):
        from engine.outputs.video import VideoWriter, float_video_to_uint8, video_metadata

        req = self.request
        dump = []
        settings = {k: v for k, v in req.to_dict().items() if k not in ("extra", "output_path", "dump_tensors_dir")}
        settings.update(width=width, height=height, frames=frames, seed=seed)
        metadata = video_metadata(req.prompt, req.negative_prompt, seed, settings)
        done = 0
        with self.phase_of("decode"):
            with self._placed(models, "vae"):
                with VideoWriter(output, (width, height), fps=float(fps), metadata=metadata) as writer:
                    # Block offload means little VRAM: decode in spatial tiles there.
                    if models.offload_mode == "block":
                        chunks = models.vae.decode_tiled_stream(latent, self.cancel)
                    else:
                        chunks = models.vae.decode_stream(latent, self.cancel)
                    for chunk in chunks:  # [3, n, H, W] float32 CPU
                        self.cancel.raise_if_cancelled("decode")
                        if req.dump_tensors_dir:
                            dump.append(chunk)
                        writer.write(float_video_to_uint8(chunk.numpy()))
                        done += chunk.shape[1]
                        self.emit(ev.DecodeProgress(done, frames))
                    self.phase = "save"
                    self.cancel.raise_if_cancelled("save")
        with self.phase_of("save"):
            if req.dump_tensors_dir:
                _dump_tensors(Path(req.dump_tensors_dir), latent, torch.cat(dump, dim=1))
            report_path = report_path_for(output)
            self.fold_peak("save")
            if self.phase_peaks:
                self.emit(ev.LogMessage("info", "VRAM peak per phase: " + ", ".join(
                    f"{k} {v / 2**30:.2f} GiB" for k, v in self.phase_peaks.items())))
            final = ev.RunFinished(str(output), str(report_path), time.perf_counter() - self.started, seed,
                                   vram_peak_bytes=self.job_peak,
                                   vram_reserved_peak_bytes=self.job_reserved_peak)
        self.builder.add(final)
        self.builder.write(report_path)
        self.on_event(final)
        return final

    @contextmanager
    def _placed(self, models: LoadedModels, name: str):
        """Mode 'model': the named model is on the device for the block, in RAM after."""
        swap = models.swaps.get(name)
        if swap is None:
            yield
            return
        swap.to_device()
        try:
            yield
        finally:
            swap.to_host()

    def _auto_offload(self, device: torch.device, width: int, height: int, frames: int, demo: bool) -> str:
        from engine.run.offload import GiB, choose_offload_mode, estimate_dit_activation_bytes

        if device.type != "cuda" or demo:
            return "none"
        tokens = ((frames - 1) // 4 + 1) * (height // 32) * (width // 32)
        return choose_offload_mode(device, int(10.0 * GiB), int(11.4 * GiB), int(1.4 * GiB),
                                   estimate_dit_activation_bytes(tokens, 3072, 14336))


def _dump_tensors(folder: Path, latent: torch.Tensor, video: torch.Tensor) -> None:
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    save_file({"latents": latent.float().cpu().contiguous()}, str(folder / "latents.safetensors"))
    save_file({"video": video.float().contiguous()}, str(folder / "video.safetensors"))


def _failed(exc: ArtifexError) -> ev.RunFailed:
    return ev.RunFailed(exc.kind, exc.message, exc.advice, getattr(exc, "recovered_path", None))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _phase_words(phase: str) -> str:
    return {
        "load": "loading the model",
        "encode_text": "encoding the prompt",
        "encode_image": "encoding the image",
        "denoise": "denoising",
        "decode": "decoding the video",
        "save": "saving the video",
    }.get(phase, phase)
