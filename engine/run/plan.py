"""``RunPlan``: what one run will do, decided once from a request before any weight is loaded.

:func:`make_plan` checks the request, fills the model preset's defaults (engine/config.py is
their one home), resolves the device, dtype, output size (the image-to-video size rule
included), seed, output path and offload mode ("auto" resolved), and computes the latent
shape and the DiT's token grid.  The runner's stages read the plan; ``artifex-cli generate
--dry-run`` and the GUI show :meth:`RunPlan.describe` (through :func:`describe_plan`).

Importing this module does not import torch; resolving the device does (lazily).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.config import PRESETS, ModelSpec, default_negative_prompt, token_count
from engine.errors import RequestError
from engine.request import PRECISION_LINEARS, GenerationRequest, check_request, fp8_text
from engine.run.memory_plan import PROCESS_RAM_BYTES, MemoryPlan, describe_memory, plan_memory
from engine.sampling.choice import SamplingChoice, resolve_sampling


@dataclass(frozen=True)
class RunPlan:
    """One run, decided: every value the stages need that does not come from the weights."""

    request: GenerationRequest  # checked
    spec: ModelSpec  # the preset: tiny (demo) or ti2v-5B
    demo: bool
    folder: Path | None  # the checkpoint folder; None: the demo folder is not built yet
    width: int
    height: int
    frames: int
    steps: int
    shift: float
    guidance: float
    fps: int
    device: str  # "cpu", "cuda", "cuda:1" (resolved from "auto")
    dtype: str  # "bf16" | "fp16" | "fp32": the request's, fp32 for fp16 on the CPU
    seed: int
    seed_was_random: bool
    output: Path
    offload: str  # "none" | "model" | "block" (never "auto")
    latent_shape: tuple[int, int, int, int]
    grid: tuple[int, int, int]
    tokens: int
    passes_per_step: int  # DiT calls per step: 1 with batched CFG, else 2 (cond, then uncond)
    negative_prompt: str  # the request's, else the model's default
    image_size: tuple[int, int] | None = None  # the picture's (width, height), image-to-video
    notes: tuple[str, ...] = ()  # warnings said before the run
    image: Any = field(default=None, compare=False, repr=False)  # the opened picture (PIL)
    # engine.weights.formats.ModelParts: where each part comes from (None: demo, not built yet)
    parts: Any = field(default=None, compare=False, repr=False)
    # solver, steps, guidance, few-step timesteps, step cache (engine/sampling/choice.py);
    # None only for a plan built by hand: then the request's solver, no cache
    sampling: SamplingChoice | None = None
    # Each offload mode's predicted VRAM per phase and RAM (engine/run/memory_plan.py);
    # None for the demo model.
    memory: MemoryPlan | None = field(default=None, compare=False, repr=False)

    @property
    def image_conditioned(self) -> bool:
        return self.image_size is not None

    @property
    def cfg_batch(self) -> bool:
        return self.passes_per_step == 1

    @property
    def solver(self) -> str:
        return self.sampling.solver if self.sampling is not None else self.request.solver

    @property
    def decode(self) -> tuple[str, int]:
        """``(mode, bands)`` of the VAE decode: the memory plan's choice for the run's offload
        mode (from free VRAM), else the request's ("auto": full, tiled with block offload)."""
        if self.memory is not None and self.offload in self.memory.modes:
            m = self.memory.modes[self.offload]
            return m.decode_mode, m.decode_bands
        from engine.run.memory_plan import choose_decode

        return choose_decode(self.request.decode_mode, self.offload, None, self.width, self.height, self.frames)

    def torch_device(self):
        import torch

        return torch.device(self.device)

    def torch_dtype(self):
        from engine.nets.dtypes import torch_dtype

        return torch_dtype(self.dtype)

    def describe(self) -> str:
        """The plan as a few lines for a person: what would run, sizes, tokens, offload."""
        req = self.request
        if self.demo:
            model = "Built-in DEMO model (tiny random weights: not a real video)"
        elif self.parts is not None:
            model = "Wan2.2 TI2V-5B:\n" + "\n".join(f"  {line}" for line in self.parts.describe_lines())
        else:
            model = f"Wan2.2 TI2V-5B from {self.folder}"
        for lora in req.loras:
            model += f"\nLoRA {lora.path} at strength {lora.strength:g}"
        if self.image_size is not None:
            iw, ih = self.image_size
            kind = f"image-to-video from {req.image_path} ({iw}×{ih})"
        else:
            kind = "text-to-video"
        c, f, h, w = self.latent_shape
        if self.seed_was_random:
            seed = f"{self.seed} (random; each run draws its own)"
        else:
            seed = str(self.seed)
        cfg = "1 batched pass" if self.cfg_batch else "2 passes (cond, uncond)"
        if self.sampling is not None and self.sampling.passes_per_step == 1:
            cfg = "1 pass (cond only)"
        elif self.sampling is not None and self.sampling.cache != "off":
            cfg = "2 passes (cond, uncond; each decides its own reuse)"
        offload = (
            self.offload
            if req.offload_mode == self.offload
            else f"{req.offload_mode} → {self.offload}"
        )
        lines = [
            model,
            f"{kind}: {self.width}×{self.height}, {self.frames} frames at {self.fps} fps "
            f"({self.frames / self.fps:.1f} s)",
            f"{self.steps} steps ({self.solver}, shift {self.shift:g}, guidance {self.guidance:g}), "
            f"{cfg} per step",
            *([f"sampling: {self.sampling.describe()}"] if self.sampling is not None else []),
            f"latent {c}×{f}×{h}×{w}, token grid {self.grid[0]}×{self.grid[1]}×{self.grid[2]} "
            f"= {self.tokens} tokens",
            f"device {self.device}, {self.dtype}{fp8_text(req.precision)}, "
            f"offload {offload}{', low RAM' if req.low_ram else ''}, attention {req.attention}",
            f"VAE decode {self._decode_text()}",
            f"seed {seed}",
            f"output {self.output}",
        ]
        if self.memory is not None:
            lines.append(describe_memory(self.memory, self.offload))
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def _decode_text(self) -> str:
        mode, bands = self.decode
        text = f"{mode} ×{bands}" if mode == "bands" and bands > 1 else mode
        return text if self.request.decode_mode == mode else f"{self.request.decode_mode} → {text}"

    def describe_memory(self) -> str:
        """The memory plan alone (one line per offload mode), "" for the demo model."""
        return describe_memory(self.memory, self.offload) if self.memory is not None else ""


def make_plan(
    request: GenerationRequest,
    dist_ctx: Any = None,
    *,
    prepare: bool = True,
    on_note: Callable[[str], None] | None = None,
) -> RunPlan:
    """The plan of ``request``, checked in the run's order (the first problem a person caused
    is the one said); raises :class:`engine.errors.ArtifexError` subclasses.  ``dist_ctx``:
    the multi-GPU context (seed from rank 0, weights resident).  ``prepare``: also build the
    demo folder, probe the output folder and find ffmpeg (a real run); without it nothing is
    written (``--dry-run``, the GUI).  ``on_note``: told each warning as it arises."""
    notes: list[str] = []

    def note(text: str) -> None:
        notes.append(text)
        if on_note is not None:
            on_note(text)

    req, request_notes = check_request(request, clamp=False)
    for text in request_notes:
        note(text)
    demo, folder, parts = _model(req, prepare)
    spec = PRESETS["tiny"] if demo else PRESETS["ti2v-5B"]
    d = spec.defaults
    width, height = req.width or d.width, req.height or d.height
    frames = req.frames or d.frames
    device = _device(req.device)
    dtype = req.dtype
    if device.startswith("cpu") and dtype == "fp16":
        dtype = "fp32"
        note("fp16 is not supported on the CPU; using fp32.")
    if req.precision != "dtype":
        _check_fp8(device, dist_ctx, note)
    image, image_size = _image(req)
    if image_size is not None:
        from engine.imaging import output_size_for_image

        width, height = output_size_for_image(image_size, width, height)
    seed = req.seed if req.seed >= 0 else random.randint(0, sys.maxsize)
    output = _output(req, width, height, seed, prepare)
    sampling = resolve_sampling(req, folder=None if demo else folder, default_steps=d.steps,
                                default_guidance=d.guidance)
    for text in sampling.warnings:
        note(text)
    if dist_ctx is not None and req.low_ram:
        raise RequestError("Low-RAM mode runs on one GPU: with several, each GPU holds its share of the text encoder.",
                           "Turn low RAM off, or run on one GPU.")
    if dist_ctx is not None and sampling.cache == "fbc":
        raise RequestError("First-block cache does not run on several GPUs: each GPU would judge its own share "
                           "of the tokens.", "Choose MagCache or EasyCache, or one GPU.")
    offload = req.offload_mode
    grid = spec.token_grid(frames, width, height)
    memory = None
    if not demo:
        memory = plan_memory(
            spec, width=width, height=height, frames=frames, tokens=token_count(grid),
            latent_shape=spec.latent_shape(frames, width, height), image_conditioned=image_size is not None,
            cfg_batch=bool(req.cfg_batch), dtype_bytes=4 if dtype == "fp32" else 2, t5_cpu=req.t5_cpu,
            free_bytes=_free_vram(device), process_ram_bytes=PROCESS_RAM_BYTES, device_name=_device_name(device),
            compile_while_loading=_compiles_while_loading(req, device),
            warmup=req.warmup if req.warmup is not None else device.startswith("cuda"),
            fp8_linears=PRECISION_LINEARS[req.precision], decode_mode=req.decode_mode, low_ram=req.low_ram,
        )  # fmt: skip
    if dist_ctx is not None:
        seed = dist_ctx.broadcast_object(seed)  # a random seed: rank 0's
        offload = dist_ctx.resident_offload(offload, lambda event: note(event.text))
    elif offload == "auto":
        offload = auto_offload(device, memory)
    return RunPlan(
        request=req, spec=spec, demo=demo, folder=folder, width=width, height=height,
        frames=frames, steps=sampling.steps,
        shift=req.shift if req.shift is not None else d.shift,
        guidance=sampling.guidance,
        fps=req.fps or d.fps, device=device, dtype=dtype, seed=seed,
        seed_was_random=req.seed < 0, output=output, offload=offload,
        latent_shape=spec.latent_shape(frames, width, height), grid=grid,
        tokens=token_count(grid), passes_per_step=1 if req.cfg_batch else 2,
        negative_prompt=req.negative_prompt or default_negative_prompt(),
        image_size=image_size, notes=tuple(notes), image=image, parts=parts, sampling=sampling,
        memory=memory,
    )  # fmt: skip


def describe_plan(request: GenerationRequest) -> str:
    """What ``request`` would run, as text (writes nothing, loads no weights)."""
    return make_plan(request, prepare=False).describe()


def describe_memory_plan(request: GenerationRequest) -> str:
    """The memory plan of ``request`` alone (the GUI's label; writes nothing, loads no weights)."""
    return make_plan(request, prepare=False).describe_memory()


def auto_offload(device: str, memory: MemoryPlan | None) -> str:
    """Offload "auto": the first of none, model, block whose predicted peak fits the free GPU
    memory with the margin (engine/run/memory_plan.py); block when none fits; always "none"
    on the CPU and for the demo model (no memory plan)."""
    if not device.startswith("cuda") or memory is None:
        return "none"
    return memory.auto_mode()


def _compiles_while_loading(req: GenerationRequest, device: str) -> bool:
    from engine.run import warmup

    return (warmup.COMPILE_WHILE_LOADING and device.startswith("cuda") and req.compile is not False
            and req.warmup is not False)  # fmt: skip


def _free_vram(device: str) -> int | None:
    if not device.startswith("cuda"):
        return None
    import torch

    dev = torch.device(device)
    free, _ = torch.cuda.mem_get_info(dev)
    # this process's own cached memory (models kept from the last run) is freed before a load
    return int(free) + int(torch.cuda.memory_reserved(dev))


def _check_fp8(device: str, dist_ctx: Any, note: Callable[[str], None]) -> None:
    """fp8 compute (``precision "fp8"``): refused where float8 matmuls cannot run."""
    import torch

    from engine.weights.fp8 import fp8_compute_problem

    problem = fp8_compute_problem(torch.device(device))
    if problem is not None:
        raise RequestError(
            f"fp8 compute cannot run here: {problem}.",
            "Choose precision 'dtype' (bf16), or use a GPU with fp8 tensor cores "
            "(Ada, Hopper or Blackwell: RTX 40/50 series, L4, L40, H100, H200, B200).",
        )
    if dist_ctx is not None and dist_ctx.dit_fsdp:
        raise RequestError(
            "fp8 compute and --dit_fsdp cannot be combined: FSDP shards need one dtype per block.",
            "Drop --dit_fsdp (fp8 already halves the DiT blocks' memory) or choose precision 'dtype'.",
        )
    if device.startswith("cpu"):
        note("fp8 on the CPU is emulated (no speed-up): it shows fp8's rounding, for checking only.")


def _device_name(device: str) -> str:
    if not device.startswith("cuda"):
        return ""
    import torch

    return torch.cuda.get_device_name(torch.device(device))


# --------------------------------------------------------------------------- the steps


def _model(req: GenerationRequest, prepare: bool) -> tuple[bool, Path | None, Any]:
    """``(demo, folder, parts)``: the model set, every part found and checked (torch-free)."""
    from engine.weights.parts import resolve_parts

    if req.uses_demo_model:
        if not prepare:
            return True, None, None
        from engine.run.demo import demo_checkpoint_dir

        folder = demo_checkpoint_dir()
        return True, folder, resolve_parts(folder)
    folder = Path(req.checkpoint_dir) if req.checkpoint_dir else None
    parts = resolve_parts(
        folder, dit_file=req.dit_file, t5_file=req.t5_file, vae_file=req.vae_file,
        tokenizer_dir=req.tokenizer_dir,
    )  # fmt: skip
    return False, folder, parts


def _device(name: str) -> str:
    import torch

    from engine.nets.attention import resolve_device

    device = resolve_device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise RequestError("No CUDA GPU is available here.", "Choose device 'cpu' or 'auto'.")
    return str(device)


def _image(req: GenerationRequest) -> tuple[Any, tuple[int, int] | None]:
    if not req.image_path:
        return None, None
    from engine.imaging import open_image, source_size

    image = open_image(req.image_path)
    return image, source_size(image)


def _output(req: GenerationRequest, width: int, height: int, seed: int, prepare: bool) -> Path:
    from engine.outputs.video_files import check_output_path, default_output_name, ffmpeg_exe

    if req.output_path:
        output = Path(req.output_path)
    else:
        output = Path.cwd() / default_output_name(req.prompt, (width, height), seed)
    if not prepare:
        return output.expanduser().absolute()
    output = check_output_path(output)
    ffmpeg_exe()  # before the long part: a missing encoder is said now
    return output
