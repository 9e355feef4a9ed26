"""``GenerationRequest``: everything one generation needs, frozen, validated in one place.

The GUI and the CLI both build one of these; ``check_request`` applies the same rules for
both (multiples of 32, 4n+1 frames, ranges) and returns the notes it made when it had to
adjust something, so a client can show them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import RequestError

SOLVERS = ("unipc", "dpm++")
OFFLOAD_MODES = ("auto", "none", "model", "block")
DTYPES = ("bf16", "fp16", "fp32")
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
    solver: str = "unipc"
    seed: int = -1  # -1: random, chosen and reported by the engine
    checkpoint_dir: str | None = None  # None: the built-in tiny demo model
    attention: str = "auto"
    attention_chunk: int | None = None  # query chunk for "chunked"; None: from free memory
    dtype: str = "bf16"
    device: str = "auto"  # "auto" | "cpu" | "cuda" | "cuda:N"
    offload_mode: str = "auto"
    t5_cpu: bool = False
    output_path: str | None = None  # None: outputs/<time>_<seed>.mp4 under the cwd
    fps: int | None = None
    previews: bool = True
    cfg_batch: bool | None = None  # one batch-2 pass for CFG; None: on for CUDA
    compile: bool | None = None  # torch.compile the DiT blocks; None: where Triton works
    dump_tensors_dir: str | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def replace(self, **changes) -> GenerationRequest:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


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
    if req.offload_mode not in OFFLOAD_MODES:
        raise RequestError(
            f"Unknown offload mode '{req.offload_mode}'.", f"Choose one of {', '.join(OFFLOAD_MODES)}."
        )
    if req.dtype not in DTYPES:
        raise RequestError(f"Unknown dtype '{req.dtype}'.", f"Choose one of {', '.join(DTYPES)}.")
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
    return (req.replace(**changes) if changes else req), notes
