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
- ``block``: the VAE and the DiT's parts outside its blocks; the repeated blocks wait in
  page-locked RAM and stream through two device slots that exist only in the phases that
  run their model (the umT5's in the text encode, the DiT's in warm-up and denoise); the
  umT5's embedding table stays in RAM.

The decode mode of each offload mode is chosen here too (``decode_mode`` "auto"): the full
decode when it fits, else the banded decode (one band, frames a slice at a time; two bands
when that does not fit), else the tiled decode.

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
# peaks above the resident weights of text encode 0.55 GiB, image encode 1.15 GiB, tiled
# decode 2.89 GiB; untiled streamed decode 9.94 GiB above the VAE at 1280×704
# (docs/bench-results/vae.json).  The DiT pass: 1.81 GiB at 26,598 tokens above the weights
# and the sampler's state, the same in `none` and `block` mode on one H200 (2026-12-01,
# docs/bench-results/issue16/run3_*.json; the H100 fit, 86,800 B, was 19 % above it).  The
# banded decode's: bench/bench_vae.py on the H200 (run3_vae.json), 6.20 GiB (one band,
# a frame a slice) and 5.35 GiB (two bands) above the VAE at 1280×704.
_TEXT_ENCODE_BYTES = int(0.55 * GiB)  # 2 prompts × 512 tokens: the shapes never change
_IMAGE_ENCODE_BYTES_PER_PIXEL = 1405  # VAE encode of the one picture, per output pixel
_DIT_BYTES_PER_TOKEN_PER_BATCH = 73_000  # one DiT pass: float32 residual, norms, FFN hidden
_DECODE_BYTES_PER_PIXEL = 11_844  # untiled causal decode, one 4-frame chunk at full size
_BANDED_DECODE_BYTES_PER_PIXEL = {1: 7_387, 2: 6_375}  # bands → bytes per output pixel
_TILED_DECODE_TILE_BYTES = int(1.70 * GiB)  # diffusers' 256 px tiles, whatever the size
# The decodes "auto" tries, fastest first (H200, decode alone at 1280×704: 7.1, 8.2, 9.9, 21.9 s).
DECODE_ORDER = (("full", 1), ("bands", 1), ("bands", 2), ("tiled", 1))


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
    decode_mode: str = "full"  # the decode this mode's run uses (full, bands, tiled)
    decode_bands: int = 1  # bands of the banded decode

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
    width: int, height: int, frames: int, mode: str, dtype_bytes: int = 2, bands: int = 1
) -> int:
    """Peak of the VAE decode above the VAE's weights.  "full" (engine/nets/vae.py
    ``decode_stream``): the decoder's activations for one chunk at full size.  "bands"
    (``decode_banded_stream``, a frame a slice): the causal caches and the full-frame
    low-resolution part, plus the high-resolution part of one band.  "tiled"
    (``decode_tiled_stream``): the tiles' activations plus the whole video held on the device
    twice (the decoded sample and its clamp)."""
    if mode == "full":
        return width * height * _DECODE_BYTES_PER_PIXEL
    if mode == "bands":
        return width * height * _BANDED_DECODE_BYTES_PER_PIXEL[min(2, max(1, bands))]
    return _TILED_DECODE_TILE_BYTES + 2 * 3 * frames * height * width * dtype_bytes


def choose_decode(asked: str, offload_mode: str, room: int | None, width: int, height: int,
                  frames: int, dtype_bytes: int = 2) -> tuple[str, int]:
    """``(mode, bands)`` of the decode: ``asked`` unless "auto"; "auto" takes the fastest of
    :data:`DECODE_ORDER` whose peak fits ``room`` (free VRAM less the margin and what the
    decode phase holds besides; None: no GPU to fit — full, or tiled in block mode as
    before the plan chose).  An asked banded decode takes one band when it fits, else two."""
    def fits(mode: str, bands: int) -> bool:
        return room is not None and decode_activation_bytes(width, height, frames, mode, dtype_bytes, bands) <= room

    if asked == "bands":
        return ("bands", 1) if room is None or fits("bands", 1) else ("bands", 2)
    if asked != "auto":
        return asked, 1
    if room is None:
        return ("tiled", 1) if offload_mode == "block" else ("full", 1)
    for mode, bands in DECODE_ORDER:
        if fits(mode, bands):
            return mode, bands
    return "tiled", 1


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
    decode_mode: str = "auto",
    low_ram: bool = False,
) -> MemoryPlan:
    """Each mode's per-phase VRAM peaks (allocated bytes, as ``torch.cuda.max_memory_allocated``
    reads them), its decode (``decode_mode``: see :func:`choose_decode`) and RAM.
    ``process_ram_bytes``: the process without weights (torch, CUDA).  ``low_ram``: the text
    encoder is not held between runs (read from its file for the text encode)."""
    w = model_bytes(spec, dtype_bytes, fp8_linears)
    bf16_dit = model_bytes(spec, dtype_bytes).dit
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
    t5_ram = 0 if low_ram else w.t5  # low RAM: read for the text encode only (memory-mapped)
    for mode in modes:
        if mode == "none":
            resident = w.dit + w.vae
            # fp8 compute: the DiT arrives in bf16 and its linears are converted in place
            load = max(resident, bf16_dit) if fp8_linears else resident
            peaks = {
                "load": load,
                "encode_text": resident + t5_dev + text,
                "encode_image": resident + image,
                "denoise": resident + sampler_state + dit_act,
                "decode": resident + latent,
            }
            ram = t5_ram
        elif mode == "model":
            peaks = {
                "load": 0,
                "encode_text": t5_dev + text,
                "encode_image": w.vae + image,
                "denoise": w.dit + sampler_state + dit_act,
                "decode": w.vae + latent,
            }
            ram = w.dit + t5_ram + w.vae
        elif mode == "block":
            resident = w.dit_outside_blocks + w.vae
            t5_slots = 0 if t5_cpu else 2 * w.t5_block
            peaks = {
                "load": resident,
                "encode_text": resident + t5_slots + text,
                "encode_image": resident + image,
                "denoise": resident + 2 * w.dit_block + sampler_state + dit_act,
                "decode": resident + latent,
            }
            t5_held = w.t5 if t5_cpu else w.t5_block * w.t5_blocks
            ram = w.dit_block * w.dit_blocks + (0 if low_ram else t5_held)
        else:
            raise ValueError(f"unknown offload mode {mode!r}")
        room = None if free_bytes is None else free_bytes - VRAM_MARGIN_BYTES - peaks["decode"]
        chosen, bands = choose_decode(decode_mode, mode, room, width, height, frames, dtype_bytes)
        peaks["decode"] += decode_activation_bytes(width, height, frames, chosen, dtype_bytes, bands)
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
        out[mode] = ModeMemory(mode, peaks, ram + process_ram_bytes, background, chosen, bands)
    return MemoryPlan(out, free_bytes, device_name)


def _gib(n: int) -> str:
    return f"{n / GiB:.1f} GiB"


_PHASE_WORDS = {"load": "load", "warmup": "warm-up", "encode_text": "text encode", "encode_image": "image encode",
                "denoise": "denoise", "decode": "decode"}  # fmt: skip


def _decode_words(m: ModeMemory) -> str:
    if m.decode_mode == "bands":
        return f" (bands ×{m.decode_bands})" if m.decode_bands > 1 else " (bands)"
    return f" ({m.decode_mode})"


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
        phases = ", ".join(f"{_PHASE_WORDS[p]}{_decode_words(m) if p == 'decode' else ''} {v / GiB:.1f}"
                           for p, v in m.phase_peaks.items())
        lines.append(f"  {mode}: peak {_gib(m.peak)} in {_PHASE_WORDS[m.peak_phase]}{verdict}; "
                     f"RAM {_gib(m.ram_bytes)}{mark}  ({phases} GiB)")  # fmt: skip
    return "\n".join(lines)
