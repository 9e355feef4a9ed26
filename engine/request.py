"""``GenerationRequest``: everything one generation needs, frozen, validated in one place.

The GUI and the CLI both build one of these; ``check_request`` applies the same rules for
both (multiples of 32, 4n+1 frames, ranges) and returns the notes it made when it had to
adjust something, so a client can show them.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import RequestError

SOLVERS = ("unipc", "dpm++", "fewstep")
CACHE_MODES = ("off", "magcache", "easycache", "fbc")
# The published thresholds (DESIGN.md §9): MagCache 0.06 for TI2V-5B, EasyCache 0.05, FBC 0.05.
CACHE_DEFAULT_THRESHOLDS = {"magcache": 0.06, "easycache": 0.05, "fbc": 0.05}
DISTILLED_KINDS = ("fastwan", "turbo")
OFFLOAD_MODES = ("auto", "none", "model", "block")
DTYPES = ("bf16", "fp16", "fp32")
# "dtype": every matmul in the run's dtype.  On GPUs with fp8 tensor cores (engine/weights/fp8.py;
# error and speed measured in docs/PERFORMANCE.md): "fp8": the attention's q/k/v projections
# multiply in float8 (within the 2e-2 error target); "fp8-all": every DiT block linear does
# (the faster one, with about 3.5× fp8's error).
PRECISIONS = ("dtype", "fp8", "fp8-all")
# The VAE decode: "auto" = the fastest that fits the free VRAM (the memory plan); "full": the
# per-frame loop (fastest, most memory); "bands": the same frames with its high-resolution part a
# frame at a time, in two horizontal bands when short of memory (0.62× the memory at 1.11× the
# time on an H200); "tiled": diffusers' spatial tiles (least memory, ~2–3× slower, blended seams).
# engine/run/decoding.py, engine/run/memory_plan.choose_decode.
DECODE_CHOICES = ("auto", "full", "bands", "tiled")
# The DiT block linears (engine/nets/dit.py AttentionBlock names) each precision runs in float8.
DIT_BLOCK_LINEARS = (
    "self_attn.q", "self_attn.k", "self_attn.v", "self_attn.o",
    "cross_attn.q", "cross_attn.k", "cross_attn.v", "cross_attn.o",
    "ffn.0", "ffn.2",
)  # fmt: skip
PRECISION_LINEARS = {
    "dtype": (),
    "fp8": ("self_attn.q", "self_attn.k", "self_attn.v", "cross_attn.q", "cross_attn.k", "cross_attn.v"),
    "fp8-all": DIT_BLOCK_LINEARS,
}


def fp8_text(precision: str) -> str:
    """What follows the run's dtype where it is shown: "", " + fp8 q/k/v", " + fp8 linears"."""
    return {"fp8": " + fp8 q/k/v", "fp8-all": " + fp8 linears"}.get(precision, "")
ATTENTION_BACKENDS = (
    "auto",
    "sdpa",
    "flash",
    "cudnn",
    "efficient",
    "math",
    "chunked",
    "sage",
    "flash-attn",
)
OFFICIAL_SIZES = ("1280*704", "704*1280")
SIZE_MULTIPLE = 32
MAX_SIDE = 4096
MAX_STEPS = 1000
MAX_FRAMES = 1001
MAX_LORA_STRENGTH = 4.0  # |strength|; LoRAs are trained for about 1


@dataclass(frozen=True)
class LoraChoice:
    """One LoRA for a run: a ``.safetensors`` file and its strength (1.0 = as trained)."""

    path: str
    strength: float = 1.0


def parse_lora_arg(text: str) -> LoraChoice:
    """``FILE[:STRENGTH]``: the strength is what follows the LAST colon, and only if it is a
    number, so ``C:\\loras\\x.safetensors`` (a drive letter) keeps its colon."""
    head, sep, tail = text.rpartition(":")
    if sep and head:
        try:
            return LoraChoice(head, float(tail))
        except ValueError:
            pass
    return LoraChoice(text, 1.0)


@dataclass(frozen=True)
class GenerationRequest:
    prompt: str
    negative_prompt: str = ""  # empty: the model's default negative prompt
    image_path: str | None = None  # None: text-to-video
    width: int | None = None  # None: the model's default (1280 for TI2V-5B)
    height: int | None = None
    frames: int | None = None  # 4n+1; None: the model's default (121)
    steps: int | None = None  # None: the model's default (50)
    shift: float | None = None
    guidance: float | None = None
    solver: str = "unipc"  # "fewstep": the distilled models' predict-x0 / re-noise sampler
    timesteps: tuple[int, ...] | None = None  # fewstep only; None: the distilled model's own
    cache: str = "off"  # step cache: off, magcache, easycache, fbc (DESIGN.md §9)
    cache_threshold: float | None = None  # None: the cache's published threshold; 0 reuses nothing
    distilled: str | None = None  # "fastwan" | "turbo": a distilled checkpoint's defaults; None: detect
    seed: int = -1  # -1: random, chosen and reported by the engine
    checkpoint_dir: str | None = None  # None (and no part files): the built-in tiny demo model
    # single parts (ComfyUI files, or overriding parts of checkpoint_dir); None: from the folder
    dit_file: str | None = None
    t5_file: str | None = None
    vae_file: str | None = None
    tokenizer_dir: str | None = None
    loras: tuple[LoraChoice, ...] = ()  # applied in order; strength 0 = off
    attention: str = "auto"
    attention_chunk: int | None = None  # query chunk for "chunked"; None: from free memory
    dtype: str = "bf16"
    precision: str = "dtype"  # "fp8", "fp8-all": DiT block linears in float8 (see PRECISIONS)
    decode_mode: str = "auto"  # see DECODE_CHOICES
    device: str = "auto"  # "auto" | "cpu" | "cuda" | "cuda:N"
    offload_mode: str = "auto"
    t5_cpu: bool = False
    # Low-RAM mode (for 16 GB PCs): the text encoder (11 GB) is not kept between runs; it is
    # read from its file when a new prompt needs it (memory-mapped where the file allows,
    # streamed without a page-locked copy) and let go right after the text encode.
    low_ram: bool = False
    output_path: str | None = None  # None: outputs/<time>_<seed>.mp4 under the cwd
    fps: int | None = None
    previews: bool = True
    cfg_batch: bool | None = None  # one batch-2 pass for CFG; None: on for CUDA
    compile: bool | None = None  # torch.compile the DiT blocks; None: where Triton works
    warmup: bool | None = None  # a "warmup" phase (compile, first-use costs) before denoise; None: on CUDA
    dump_tensors_dir: str | None = None
    keep_latents: bool = True  # keep the final latents beside the report (decode again later)
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def replace(self, **changes) -> GenerationRequest:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @property
    def uses_demo_model(self) -> bool:
        """True when no model folder or file is given: the built-in tiny demo model runs."""
        return self.checkpoint_dir is None and not any(
            (self.dit_file, self.t5_file, self.vae_file)
        )


def parse_size(text: str) -> tuple[int, int]:
    """``"1280*704"`` (also ``x`` or ``×``) → (1280, 704)."""
    cleaned = text.strip().lower().replace("×", "*").replace("x", "*")
    parts = cleaned.split("*")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise RequestError(
            f"Size '{text}' is not of the form WIDTH*HEIGHT.",
            "Write it like 1280*704 (both sides multiples of 32).",
        )
    return int(parts[0]), int(parts[1])


def snap_to_multiple(value: int, multiple: int = SIZE_MULTIPLE) -> int:
    return max(multiple, int(round(value / multiple)) * multiple)


def snap_frames(frames: int) -> int:
    """Nearest 4n+1 frame count, at least 1."""
    return max(1, int(round((frames - 1) / 4)) * 4 + 1)


def check_request(req: GenerationRequest, *, clamp: bool = False) -> tuple[GenerationRequest, list[str]]:
    """Validate ``req``.  With ``clamp`` fixable values are adjusted and a note is returned
    for each; without it they raise :class:`RequestError`.  Unfixable values always raise.
    Values left as None (model defaults) are not touched here."""
    notes: list[str] = []
    changes: dict = {}

    def fix(name: str, new, message: str, advice: str) -> None:
        if not clamp:
            raise RequestError(message, advice)
        changes[name] = new
        notes.append(f"{message} Using {new}.")

    if not isinstance(req.prompt, str):
        raise RequestError("The prompt must be text.", "Type a prompt.")
    if req.solver not in SOLVERS:
        raise RequestError(f"Unknown solver '{req.solver}'.", f"Choose one of {', '.join(SOLVERS)}.")
    if req.cache not in CACHE_MODES:
        raise RequestError(f"Unknown step cache '{req.cache}'.", f"Choose one of {', '.join(CACHE_MODES)}.")
    if req.cache_threshold is not None and not (0 <= req.cache_threshold <= 10):
        raise RequestError(
            f"The cache threshold {req.cache_threshold} is outside 0..10.",
            "Use 0 (no reuse) up to about 0.3, or leave it empty for the published value.",
        )
    if req.distilled is not None and req.distilled not in DISTILLED_KINDS:
        raise RequestError(
            f"Unknown distilled model '{req.distilled}'.", f"Choose one of {', '.join(DISTILLED_KINDS)}."
        )
    if req.timesteps is not None:
        from engine.config import parse_timesteps  # one rule for both clients, no torch

        changes["timesteps"] = parse_timesteps(req.timesteps)
        if req.solver != "fewstep" and req.distilled is None:
            raise RequestError(
                "Timesteps are given but the sampler is not the few-step one.",
                "Choose the fewstep sampler (--sample_solver fewstep) or drop the timesteps.",
            )
    if req.solver == "fewstep" and req.cache != "off":
        raise RequestError(
            "A step cache cannot be used with the few-step sampler: its 3–4 steps differ too much to reuse.",
            "Turn the cache off, or use a multistep sampler (unipc) with the cache.",
        )
    if req.offload_mode not in OFFLOAD_MODES:
        raise RequestError(
            f"Unknown offload mode '{req.offload_mode}'.", f"Choose one of {', '.join(OFFLOAD_MODES)}."
        )
    if req.dtype not in DTYPES:
        raise RequestError(f"Unknown dtype '{req.dtype}'.", f"Choose one of {', '.join(DTYPES)}.")
    if req.decode_mode not in DECODE_CHOICES:
        raise RequestError(
            f"Unknown decode mode '{req.decode_mode}'.", f"Choose one of {', '.join(DECODE_CHOICES)}."
        )
    if req.precision not in PRECISIONS:
        raise RequestError(
            f"Unknown precision '{req.precision}'.", f"Choose one of {', '.join(PRECISIONS)}."
        )
    if req.attention not in ATTENTION_BACKENDS:
        raise RequestError(
            f"Unknown attention backend '{req.attention}'.",
            f"Choose one of {', '.join(ATTENTION_BACKENDS)}.",
        )
    if req.attention_chunk is not None and req.attention_chunk < 1:
        raise RequestError("The attention chunk must be at least 1 query.", "Leave it empty for automatic.")
    for name in ("width", "height"):
        value = getattr(req, name)
        if value is None:
            continue
        if value < SIZE_MULTIPLE or value > MAX_SIDE:
            fix(
                name,
                min(max(value, SIZE_MULTIPLE), MAX_SIDE) // SIZE_MULTIPLE * SIZE_MULTIPLE,
                f"The {name} {value} is outside {SIZE_MULTIPLE}..{MAX_SIDE} pixels.",
                f"Choose a {name} between {SIZE_MULTIPLE} and {MAX_SIDE}.",
            )
        elif value % SIZE_MULTIPLE:
            fix(
                name,
                snap_to_multiple(value),
                f"The {name} {value} is not a multiple of {SIZE_MULTIPLE}.",
                f"Use a multiple of {SIZE_MULTIPLE}, for example {snap_to_multiple(value)}.",
            )
    if req.frames is not None:
        if req.frames < 1 or req.frames > MAX_FRAMES:
            fix(
                "frames",
                min(max(req.frames, 1), MAX_FRAMES),
                f"The frame count {req.frames} is outside 1..{MAX_FRAMES}.",
                "Choose a frame count of the form 4n+1, such as 121.",
            )
        elif (req.frames - 1) % 4:
            fix(
                "frames",
                snap_frames(req.frames),
                f"The frame count {req.frames} is not of the form 4n+1.",
                f"Use {snap_frames(req.frames)} (4n+1 frames, such as 81 or 121).",
            )
    if req.steps is not None and not (1 <= req.steps <= MAX_STEPS):
        fix(
            "steps",
            min(max(req.steps, 1), MAX_STEPS),
            f"The step count {req.steps} is outside 1..{MAX_STEPS}.",
            "Use between 1 and 1000 steps (50 is the model's default).",
        )
    if req.guidance is not None and req.guidance < 0:
        fix(
            "guidance",
            0.0,
            f"The guidance scale {req.guidance} is negative.",
            "Use 0 or more (5.0 is the model's default).",
        )
    if req.shift is not None and req.shift <= 0:
        fix("shift", 1.0, f"The shift {req.shift} must be positive.", "Use a shift above 0 (5.0 is the default).")
    if req.fps is not None and not (1 <= req.fps <= 240):
        fix("fps", min(max(req.fps, 1), 240), f"The frame rate {req.fps} is outside 1..240.", "Use 24.")
    if not isinstance(req.keep_latents, bool):
        raise RequestError(
            f"keep_latents must be true or false, not {req.keep_latents!r}.",
            "Leave it on to be able to decode a run again, or turn it off to save ~21 MB per run.",
        )
    if not (-1 <= req.seed < 2**63):
        raise RequestError(f"The seed {req.seed} is out of range.", "Use -1 (random) or 0..2^63-1.")
    if req.image_path is not None and not Path(req.image_path).is_file():
        raise RequestError(
            f"The image '{req.image_path}' does not exist.", "Give the path of an existing picture, or generate without one (text-to-video)."
        )
    if req.checkpoint_dir is not None and not Path(req.checkpoint_dir).is_dir():
        raise RequestError(
            f"The model folder '{req.checkpoint_dir}' does not exist.",
            "Give the Wan2.2-TI2V-5B model folder you downloaded, or none to use the demo model.",
        )
    _check_model_parts(req)
    loras = []
    for i, lora in enumerate(req.loras):
        if not isinstance(lora, LoraChoice):
            raise RequestError(f"LoRA {i + 1} is not a file and a strength.", "Add the LoRA again.")
        if not Path(lora.path).is_file():
            raise RequestError(
                f"The LoRA file '{lora.path}' does not exist.",
                "Give the path of an existing LoRA .safetensors file, or remove it from the list.",
            )
        if Path(lora.path).suffix.lower() != ".safetensors":
            raise RequestError(
                f"The LoRA '{Path(lora.path).name}' is not a .safetensors file.",
                "Artifex reads LoRAs saved as .safetensors.",
            )
        strength = lora.strength
        if not isinstance(strength, (int, float)) or not math.isfinite(strength):
            raise RequestError(f"The LoRA strength '{strength}' is not a number.", "Use a number such as 1.0.")
        if abs(strength) > MAX_LORA_STRENGTH:
            clamped = math.copysign(MAX_LORA_STRENGTH, strength)
            if not clamp:
                raise RequestError(
                    f"The LoRA strength {strength:g} of {Path(lora.path).name} is outside "
                    f"-{MAX_LORA_STRENGTH:g}..{MAX_LORA_STRENGTH:g}.",
                    "Use a strength between -4 and 4 (1.0 is as trained).",
                )
            notes.append(f"The LoRA strength {strength:g} of {Path(lora.path).name} is outside "
                         f"-{MAX_LORA_STRENGTH:g}..{MAX_LORA_STRENGTH:g}. Using {clamped:g}.")
            lora = LoraChoice(lora.path, clamped)
        loras.append(lora)
    if tuple(loras) != tuple(req.loras):
        changes["loras"] = tuple(loras)
    return (req.replace(**changes) if changes else req), notes


def _check_model_parts(req: GenerationRequest) -> None:
    """Files given for single parts exist (what they hold is checked when loading)."""
    for name, what in (("dit_file", "DiT"), ("t5_file", "text encoder"), ("vae_file", "VAE")):
        value = getattr(req, name)
        if value is not None and not Path(value).is_file():
            raise RequestError(
                f"The {what} file '{value}' does not exist.",
                "Give the path of the downloaded .safetensors file (see README, Models and LoRAs).",
            )
    if req.tokenizer_dir is not None and not Path(req.tokenizer_dir).is_dir():
        raise RequestError(
            f"The tokenizer folder '{req.tokenizer_dir}' does not exist.",
            "Give the umT5 tokenizer folder (google/umt5-xxl of Wan-AI/Wan2.2-TI2V-5B).",
        )
    if req.checkpoint_dir is None and req.uses_demo_model is False:
        missing = [w for n, w in (("dit_file", "DiT"), ("t5_file", "text encoder"), ("vae_file", "VAE"))
                   if getattr(req, n) is None]
        if missing:
            raise RequestError(
                f"Without a model folder, all three model files are needed; missing: {', '.join(missing)}.",
                "Give the DiT, the text encoder and the VAE files, or a model folder.",
            )
