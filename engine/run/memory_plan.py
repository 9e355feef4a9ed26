"""The memory plan: each phase's peak VRAM and the run's system RAM, for every offload mode,
predicted from the plan's shapes before anything is loaded (issue 16, item 4).

The numbers are arithmetic on the model configuration and the run's shapes, never a trial
run: weight bytes are parameter counts × the dtype's size; activation bytes are per token or
per pixel.  Where a coefficient could not be derived it was measured once and is named
below with where it was measured (docs/PERFORMANCE.md, "Memory plan"); the plan is checked
against measured peaks by ``bench/bench_issue16.py``.

What each mode keeps on the GPU (engine/run/offload.py):

- ``none``: the DiT and the VAE all the time; the text encoder is swapped in for its phase.
- ``model``: only the model of the phase (text encoder, VAE, DiT, VAE).
- ``block``: everything but the repeated blocks of the DiT and of the text encoder, plus two
  device slots per streamer; the blocks wait in page-locked RAM.

Torch-free: the GUI can call :func:`describe_memory` before torch has loaded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engine.config import ModelSpec, T5Config, WanConfig

GiB = 1024**3
PHASES = ("load", "warmup", "encode_text", "encode_image", "denoise", "decode")
MODES = ("none", "model", "block")
# CUDA context, cuBLAS/cuDNN workspaces and allocator slack on top of the allocated peak:
# what a mode needs free beyond its predicted peak to be said to fit.
VRAM_MARGIN_BYTES = int(1.0 * GiB)
# Parameters of the Wan2.2 VAE (encoder + decoder), from the official checkpoint's tensor
# manifest (engine/data/checkpoint_manifest.json).
WAN22_VAE_PARAMETERS = 704_688_668
# RSS of the process beyond the weights once it has run (Python, torch, the CUDA context,
# cuBLAS/cuDNN loaded, Inductor): 0.6 GiB right after CUDA init, but 1.9 GiB beyond the
# weights while denoising in block mode on the H200 (docs/bench-results/issue16/
# run2_block_trim.json); checked on the none and model runs there (docs/PERFORMANCE.md).
PROCESS_RAM_BYTES = int(2.0 * GiB)

# ---- activation coefficients (bytes).  Measured on one H100, fresh process, block mode,
# 1248×704×121 image-to-video, bf16, compiled blocks (docs/bench-results/job_block_fresh.json):
# peaks above the resident weights of text encode 0.55 GiB, image encode 1.15 GiB, denoise
# 2.15 GiB at 26,598 tokens, tiled decode 2.89 GiB; untiled streamed decode 9.94 GiB above
# the VAE at 1280×704 (docs/bench-results/vae.json).
_TEXT_ENCODE_BYTES = int(0.55 * GiB)  # 2 prompts × 512 tokens: the shapes never change
_IMAGE_ENCODE_BYTES_PER_PIXEL = 1405  # VAE encode of the one picture, per output pixel
_DIT_BYTES_PER_TOKEN_PER_BATCH = 86_800  # one DiT pass: float32 residual, norms, FFN hidden
_DECODE_BYTES_PER_PIXEL = 11_844  # untiled causal decode, one 4-frame chunk at full size
_TILED_DECODE_TILE_BYTES = int(1.70 * GiB)  # diffusers' 256 px tiles, whatever the size


@dataclass(frozen=True)
class ModelBytes:
    """Weight bytes of the three models in the run dtype, split as block streaming splits them."""

    dit: int
    dit_block: int  # one of the repeated blocks
    dit_blocks: int  # how many
    t5: int
    t5_block: int
    t5_blocks: int
    vae: int
    dit_tensor_shapes: tuple[tuple[int, ...], ...] = ()  # one block's tensors (RAM rounding)
    t5_tensor_shapes: tuple[tuple[int, ...], ...] = ()

    @property
    def dit_outside_blocks(self) -> int:
        return self.dit - self.dit_block * self.dit_blocks

    @property
    def t5_outside_blocks(self) -> int:
        return self.t5 - self.t5_block * self.t5_blocks


@dataclass(frozen=True)
class ModeMemory:
    """One offload mode: peak allocated VRAM per phase (bytes) and the RAM the weights hold."""

    mode: str
    phase_peaks: dict[str, int]
    ram_bytes: int  # weights held in RAM while denoising, plus the process itself
    # the block is compiled in a thread while loading (its bytes are in the load peak); else
    # in the warm-up phase, because compiling while loading would raise the run's peak
    compile_while_loading: bool = False

    @property
    def peak(self) -> int:
        return max(self.phase_peaks.values())

    @property
    def peak_phase(self) -> str:
        # on a tie the later phase (the warm-up has the denoise phase's peak by construction)
        return max(reversed(list(self.phase_peaks)), key=lambda p: self.phase_peaks[p])

    def fits(self, free_bytes: int) -> bool:
        return self.peak + VRAM_MARGIN_BYTES <= free_bytes


@dataclass(frozen=True)
class MemoryPlan:
    modes: dict[str, ModeMemory]
    free_bytes: int | None  # free VRAM when planned (None: no CUDA GPU)
    device_name: str = ""

    def fitting(self) -> list[str]:
        if self.free_bytes is None:
            return list(self.modes)
        return [m for m in MODES if m in self.modes and self.modes[m].fits(self.free_bytes)]

    def auto_mode(self) -> str:
        """The mode ``auto`` picks: the first of none, model, block that fits; block when
        none fits (it needs the least)."""
        fitting = self.fitting()
        return fitting[0] if fitting else "block"


# --------------------------------------------------------------------------- weights


def dit_block_shapes(cfg: WanConfig) -> list[tuple[int, ...]]:
    """Every tensor of one DiT block (engine/nets/dit.py AttentionBlock)."""
    d, f = cfg.dim, cfg.ffn_dim
    attn = [(d, d), (d,)] * 4 + [(d,), (d,)]  # q, k, v, o (weight, bias); norm_q, norm_k
    return [
        *attn,
        *attn,
        (d,),
        (d,),
        (f, d),
        (f,),
        (d, f),
        (d,),
        (1, 6, d),
    ]  # self, cross, norm3, ffn, modulation


def dit_parameter_count(cfg: WanConfig) -> int:
    d, patch = cfg.dim, math.prod(cfg.patch_size)
    outside = (
        d * cfg.in_dim * patch + d  # patch_embedding
        + cfg.text_dim * d + d + d * d + d  # text_embedding
        + cfg.freq_dim * d + d + d * d + d  # time_embedding
        + d * 6 * d + 6 * d  # time_projection
        + d * cfg.out_dim * patch + cfg.out_dim * patch + 2 * d  # head (+ its modulation)
    )  # fmt: skip
    return outside + cfg.num_layers * sum(math.prod(s) for s in dit_block_shapes(cfg))


def t5_block_shapes(cfg: T5Config) -> list[tuple[int, ...]]:
    """One umT5 encoder block: q, k, v, o, the relative position bias, two norms, the gated FFN."""
    inner = cfg.num_heads * cfg.d_kv
    m = cfg.d_model
    shapes = [
        (inner, m),
        (inner, m),
        (inner, m),
        (m, inner),
        (cfg.relative_attention_num_buckets, cfg.num_heads),
    ]
    return shapes + [(m,), (m,), (cfg.d_ff, m), (cfg.d_ff, m), (m, cfg.d_ff)]


def t5_parameter_count(cfg: T5Config) -> int:
    return (
        cfg.vocab_size * cfg.d_model
        + cfg.d_model
        + cfg.num_layers * sum(math.prod(s) for s in t5_block_shapes(cfg))
    )


def model_bytes(spec: ModelSpec, dtype_bytes: int = 2, fp8_linears: Sequence[str] = ()) -> ModelBytes:
    """The three models' weight bytes in a dtype of ``dtype_bytes``; the DiT block linears
    named in ``fp8_linears`` (fp8 compute, ``engine.request.PRECISION_LINEARS``) take one byte
    per weight plus a float32 scale per row."""
    dit_shapes = dit_block_shapes(spec.dit)
    d, f = spec.dit.dim, spec.dit.ffn_dim
    linear_shape = {"ffn.0": (f, d), "ffn.2": (d, f)}
    saved = 0  # bytes one block saves
    for kind in fp8_linears:
        rows, cols = linear_shape.get(kind, (d, d))
        saved += rows * cols * (dtype_bytes - 1) - rows * 4
    t5_shapes = t5_block_shapes(spec.t5)
    vae_params = WAN22_VAE_PARAMETERS
    if spec.vae.base_dim != 160:  # the tiny demo VAE: convolutions scale with the width squared
        vae_params = int(WAN22_VAE_PARAMETERS * (spec.vae.base_dim / 160) ** 2)
    return ModelBytes(
        dit=dit_parameter_count(spec.dit) * dtype_bytes - saved * spec.dit.num_layers,
        dit_block=sum(math.prod(s) for s in dit_shapes) * dtype_bytes - saved,
        dit_blocks=spec.dit.num_layers,
        t5=t5_parameter_count(spec.t5) * dtype_bytes,
        t5_block=sum(math.prod(s) for s in t5_shapes) * dtype_bytes,
        t5_blocks=spec.t5.num_layers,
        vae=vae_params * dtype_bytes,
        dit_tensor_shapes=tuple(dit_shapes),
        t5_tensor_shapes=tuple(t5_shapes),
    )


def pow2_pinned_bytes(shapes: Iterable[Sequence[int]], dtype_bytes: int) -> int:
    """What PyTorch's pinned caching allocator takes for tensors pinned one by one: each size
    rounded up to a power of two (the old block streaming, before one page-locked buffer per
    block)."""
    return sum(1 << max(0, (math.prod(s) * dtype_bytes - 1).bit_length()) for s in shapes)


# --------------------------------------------------------------------------- activations


def dit_activation_bytes(tokens: int, batch: int = 1) -> int:
    return tokens * batch * _DIT_BYTES_PER_TOKEN_PER_BATCH


def background_compile_bytes(
    spec: ModelSpec, tokens: int, batch: int = 1, dtype_bytes: int = 2
) -> int:
    """What compiling while loading adds to the load phase (engine/run/warmup.py): a
    throwaway block and one block's activations at the run's shapes."""
    return model_bytes(spec, dtype_bytes).dit_block + dit_activation_bytes(tokens, batch)


def decode_activation_bytes(
    width: int, height: int, frames: int, tiled: bool, dtype_bytes: int = 2
) -> int:
    """Peak of the VAE decode above the VAE's weights.  Untiled (engine/nets/vae.py
    ``decode_stream``): the decoder's activations for one chunk at full size.  Tiled
    (``decode_tiled_stream``): the tiles' activations plus the whole video held on the device
    twice (the decoded sample and its clamp)."""
    if not tiled:
        return width * height * _DECODE_BYTES_PER_PIXEL
    return _TILED_DECODE_TILE_BYTES + 2 * 3 * frames * height * width * dtype_bytes


def image_encode_bytes(width: int, height: int) -> int:
    return width * height * _IMAGE_ENCODE_BYTES_PER_PIXEL


# --------------------------------------------------------------------------- the plan


def plan_memory(
    spec: ModelSpec,
    *,
    width: int,
    height: int,
    frames: int,
    tokens: int,
    latent_shape: Sequence[int],
    image_conditioned: bool,
    cfg_batch: bool,
    dtype_bytes: int = 2,
    t5_cpu: bool = False,
    free_bytes: int | None = None,
    process_ram_bytes: int = 0,
    device_name: str = "",
    modes: Sequence[str] = MODES,
    compile_while_loading: bool = False,
    warmup: bool = False,
    fp8_linears: Sequence[str] = (),
) -> MemoryPlan:
    """Each mode's per-phase VRAM peaks (allocated bytes, as ``torch.cuda.max_memory_allocated``
    reads them) and RAM.  ``process_ram_bytes``: the process without weights (torch, CUDA)."""
    w = model_bytes(spec, dtype_bytes, fp8_linears)
    batch = 1 if not cfg_batch else 2
    latent = math.prod(latent_shape) * 4  # one float32 latent
    # noise, latent, mask, the image latent and the solver's history, all float32
    sampler_state = latent * 6
    text = 0 if t5_cpu else _TEXT_ENCODE_BYTES
    image = image_encode_bytes(width, height) if image_conditioned else 0
    dit_act = dit_activation_bytes(tokens, batch)
    if fp8_linears:  # the float8 copy of the widest input quantized, and one float32 slice of it
        widest = spec.dit.ffn_dim if "ffn.2" in fp8_linears else spec.dit.dim
        dit_act += tokens * batch * widest + 4096 * widest * 4
    t5_dev = 0 if t5_cpu else w.t5
    out: dict[str, ModeMemory] = {}
    for mode in modes:
        tiled = mode == "block"
        decode = decode_activation_bytes(width, height, frames, tiled, dtype_bytes)
        if mode == "none":
            resident = w.dit + w.vae
            peaks = {
                "load": resident,
                "encode_text": resident + t5_dev + text,
                "encode_image": resident + image,
                "denoise": resident + sampler_state + dit_act,
                "decode": resident + latent + decode,
            }
            ram = w.t5
        elif mode == "model":
            peaks = {
                "load": 0,
                "encode_text": t5_dev + text,
                "encode_image": w.vae + image,
                "denoise": w.dit + sampler_state + dit_act,
                "decode": w.vae + latent + decode,
            }
            ram = w.dit + w.t5 + w.vae
        elif mode == "block":
            t5_res = 0 if t5_cpu else w.t5_outside_blocks + 2 * w.t5_block
            resident = w.dit_outside_blocks + 2 * w.dit_block + t5_res + w.vae
            peaks = {
                "load": resident,
                "encode_text": resident + text,
                "encode_image": resident + image,
                "denoise": resident + sampler_state + dit_act,
                "decode": resident + latent + decode,
            }
            ram = w.dit_block * w.dit_blocks + (w.t5 if t5_cpu else w.t5_block * w.t5_blocks)
        else:
            raise ValueError(f"unknown offload mode {mode!r}")
        if not image_conditioned:
            peaks.pop("encode_image")
        if warmup:  # one DiT pass with the denoise phase's residency (engine/run/warmup.py)
            peaks = {"load": peaks.pop("load"), "warmup": peaks["denoise"], **peaks}
        background = False
        if compile_while_loading:  # only where it stays under the run's own peak
            extra = background_compile_bytes(spec, tokens, batch, dtype_bytes)
            background = peaks["load"] + extra <= max(peaks.values())
            if background:
                peaks["load"] += extra
        out[mode] = ModeMemory(mode, peaks, ram + process_ram_bytes, background)
    return MemoryPlan(out, free_bytes, device_name)


def _gib(n: int) -> str:
    return f"{n / GiB:.1f} GiB"


_PHASE_WORDS = {"load": "load", "warmup": "warm-up", "encode_text": "text encode", "encode_image": "image encode",
                "denoise": "denoise", "decode": "decode"}  # fmt: skip


def describe_memory(plan: MemoryPlan, chosen: str | None = None) -> str:
    """The plan as lines for a person, e.g. ``block: peak 7.7 GiB in decode — fits``."""
    if plan.free_bytes is None:
        head = "memory plan (no CUDA GPU here: VRAM needs, for a GPU)"
    else:
        name = f"{plan.device_name}, " if plan.device_name else ""
        head = f"memory plan ({name}{_gib(plan.free_bytes)} free; {_gib(VRAM_MARGIN_BYTES)} kept for the CUDA context):"
    lines = [head]
    for mode in MODES:
        m = plan.modes.get(mode)
        if m is None:
            continue
        verdict = ""
        if plan.free_bytes is not None:
            verdict = " — fits" if m.fits(plan.free_bytes) else " — does not fit"
        mark = "  ← chosen" if mode == chosen else ""
        phases = ", ".join(f"{_PHASE_WORDS[p]} {v / GiB:.1f}" for p, v in m.phase_peaks.items())
        lines.append(f"  {mode}: peak {_gib(m.peak)} in {_PHASE_WORDS[m.peak_phase]}{verdict}; "
                     f"RAM {_gib(m.ram_bytes)}{mark}  ({phases} GiB)")  # fmt: skip
    return "\n".join(lines)
