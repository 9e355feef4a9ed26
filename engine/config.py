"""Model configuration: the Wan DiT, the umT5 text encoder and the Wan2.2 VAE.

Two presets: ``ti2v-5B`` (the real model) and ``tiny`` (tests and the built-in demo).
``dit_config_from_tensors`` reads the dimensions from a checkpoint's tensor shapes, so a
tiny folder and the real one load through the same code.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from engine.errors import RequestError


@dataclass(frozen=True)
class WanConfig:
    dim: int = 3072
    ffn_dim: int = 14336
    num_heads: int = 24
    num_layers: int = 30
    freq_dim: int = 256
    text_dim: int = 4096
    in_dim: int = 48
    out_dim: int = 48
    patch_size: tuple[int, int, int] = (1, 2, 2)
    text_len: int = 512
    eps: float = 1e-6
    rope_theta: float = 10000.0

    @property
    def head_dim(self) -> int:
        return self.dim // self.num_heads

    def rope_split(self) -> tuple[int, int, int]:
        """Real dims of one head given to (frame, height, width): 44/42/42 at d=128."""
        d = self.head_dim
        return d - 4 * (d // 6), 2 * (d // 6), 2 * (d // 6)


@dataclass(frozen=True)
class T5Config:
    vocab_size: int = 256384
    d_model: int = 4096
    d_kv: int = 64
    d_ff: int = 10240
    num_heads: int = 64
    num_layers: int = 24
    relative_attention_num_buckets: int = 32
    relative_attention_max_distance: int = 128
    eps: float = 1e-6


@dataclass(frozen=True)
class VAEConfig:
    base_dim: int = 160
    decoder_base_dim: int = 256
    z_dim: int = 48
    dim_mult: tuple[int, ...] = (1, 2, 4, 4)
    num_res_blocks: int = 2
    temperal_downsample: tuple[bool, ...] = (False, True, True)
    in_channels: int = 12
    out_channels: int = 12
    patch_size: int = 2
    scale_factor_temporal: int = 4
    scale_factor_spatial: int = 16


@dataclass(frozen=True)
class GenerationDefaults:
    width: int = 1280
    height: int = 704
    frames: int = 121
    steps: int = 50
    shift: float = 5.0
    guidance: float = 5.0
    fps: int = 24


@dataclass(frozen=True)
class ModelSpec:
    name: str
    dit: WanConfig
    t5: T5Config
    vae: VAEConfig
    defaults: GenerationDefaults = field(default_factory=GenerationDefaults)

    @property
    def vae_stride(self) -> tuple[int, int, int]:
        return (self.vae.scale_factor_temporal, self.vae.scale_factor_spatial, self.vae.scale_factor_spatial)

    def latent_shape(self, frames: int, width: int, height: int) -> tuple[int, int, int, int]:
        """The latent of a clip of this model: (48, (F−1)/4+1, H/16, W/16) for TI2V."""
        return latent_shape(self.vae.z_dim, frames, width, height, self.vae_stride)

    def token_grid(self, frames: int, width: int, height: int) -> tuple[int, int, int]:
        """The DiT's token grid of a clip of this model: ((F−1)/4+1, H/32, W/32) for TI2V."""
        return token_grid(self.latent_shape(frames, width, height), self.dit.patch_size)


def latent_shape(
    z_dim: int, frames: int, width: int, height: int, stride: tuple[int, int, int]
) -> tuple[int, int, int, int]:
    """(C, F_lat, H_lat, W_lat) = (48, (F−1)/4+1, H/16, W/16)."""
    return (z_dim, (frames - 1) // stride[0] + 1, height // stride[1], width // stride[2])


def token_grid(latent: Sequence[int], patch: Sequence[int]) -> tuple[int, int, int]:
    """Latent [C, F, H, W] → the DiT's token grid (F/pt, H/ph, W/pw): the one place the grid
    is computed (plan, denoise loop, auto offload, bench-attention, multi-GPU split)."""
    _, f, h, w = latent
    pt, ph, pw = patch
    return f // pt, h // ph, w // pw


def token_count(grid: Sequence[int]) -> int:
    return math.prod(grid)


PRESETS: dict[str, ModelSpec] = {
    "ti2v-5B": ModelSpec("ti2v-5B", WanConfig(), T5Config(), VAEConfig()),
    # Small enough to generate a short clip on a laptop CPU in seconds; same structure.
    "tiny": ModelSpec(
        "tiny",
        WanConfig(dim=64, ffn_dim=128, num_heads=2, num_layers=2, text_dim=32),
        T5Config(vocab_size=512, d_model=32, d_kv=16, d_ff=64, num_heads=2, num_layers=2),
        VAEConfig(base_dim=8, decoder_base_dim=16),
        GenerationDefaults(width=256, height=160, frames=17, steps=8),
    ),
}


@lru_cache(maxsize=1)
def model_constants() -> dict:
    """Numbers of Wan2.2 that live outside the tensors (VAE latent mean/std, default
    negative prompt, latent→RGB preview factors)."""
    text = resources.files("engine.data").joinpath("wan22_constants.json").read_text(encoding="utf-8")
    return json.loads(text)


# The official generate.py's EXAMPLE_PROMPT["ti2v-5B"], used when no prompt is given.
EXAMPLE_PROMPT = (
    "Two anthropomorphic cats in comfy boxing gear and bright gloves fight intensely on a "
    "spotlighted stage."
)


def default_negative_prompt() -> str:
    return model_constants()["default_negative_prompt"]


_BLOCK_RE = re.compile(r"^blocks\.(\d+)\.")


def dit_config_from_tensors(
    shapes: Mapping[str, Sequence[int]], config_json: Mapping | None = None
) -> WanConfig:
    """Infer a :class:`WanConfig` from DiT tensor shapes (and ``config.json`` for the head
    count, which shapes cannot tell)."""
    config_json = dict(config_json or {})
    pe = list(shapes["patch_embedding.weight"])  # [dim, in_dim, pt, ph, pw]
    dim, in_dim, patch = pe[0], pe[1], tuple(pe[2:5])
    layers = {int(m.group(1)) for k in shapes if (m := _BLOCK_RE.match(k))}
    head_out = list(shapes["head.head.weight"])[0]
    num_heads = int(config_json.get("num_heads") or max(1, dim // 128))
    return WanConfig(
        dim=dim,
        ffn_dim=list(shapes["blocks.0.ffn.0.weight"])[0],
        num_heads=num_heads,
        num_layers=len(layers),
        freq_dim=list(shapes["time_embedding.0.weight"])[1],
        text_dim=list(shapes["text_embedding.0.weight"])[1],
        in_dim=in_dim,
        out_dim=head_out // math.prod(patch),
        patch_size=patch,  # type: ignore[arg-type]
        text_len=int(config_json.get("text_len", 512)),
        eps=float(config_json.get("eps", 1e-6)),
    )


# --------------------------------------------------------------------------- few-step timesteps
# The known distilled TI2V-5B models' timesteps (DESIGN.md §8) and the one parsing rule for
# them (request check, CLI, GUI); the sampler is engine/sampling/fewstep.py.

NUM_TRAIN_TIMESTEPS = 1000
FASTWAN_TIMESTEPS = (1000, 757, 522)  # FastVideo's torch pipeline: raw timesteps
TURBO_TIMESTEPS = (1000, 750, 500, 250)
# Which timesteps each known distilled model was trained for.
DISTILLED_TIMESTEPS: dict[str, tuple[int, ...]] = {
    "fastwan": FASTWAN_TIMESTEPS,
    "turbo": TURBO_TIMESTEPS,
}
DEFAULT_FEWSTEP_TIMESTEPS = FASTWAN_TIMESTEPS
MAX_FEWSTEP_STEPS = 16


def parse_timesteps(value: str | Sequence[int]) -> tuple[int, ...]:
    """``"1000,757,522"`` or a sequence → validated tuple: integers in 1..1000, strictly
    decreasing, 1 to 16 of them.  Refuses anything else with one message for both clients."""
    advice = "Give 1 to 16 whole numbers from 1000 down to 1, highest first, e.g. 1000,757,522."
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(" ", ",").split(",") if p.strip()]
        try:
            steps = [int(p) for p in parts]
        except ValueError:
            raise RequestError(
                f"The few-step timesteps {value!r} are not whole numbers.", advice
            ) from None
    else:
        try:
            steps = [int(v) for v in value]
        except (TypeError, ValueError):
            raise RequestError(
                f"The few-step timesteps {value!r} are not whole numbers.", advice
            ) from None
        if any(float(a) != b for a, b in zip(value, steps)):
            raise RequestError(
                f"The few-step timesteps {list(value)} are not whole numbers.", advice
            )
    if not 1 <= len(steps) <= MAX_FEWSTEP_STEPS:
        raise RequestError(f"{len(steps)} few-step timesteps given.", advice)
    if any(not 1 <= t <= NUM_TRAIN_TIMESTEPS for t in steps):
        raise RequestError(f"Few-step timesteps must lie in 1..1000 (got {steps}).", advice)
    if any(a <= b for a, b in zip(steps, steps[1:])):
        raise RequestError(f"Few-step timesteps must decrease (got {steps}).", advice)
    return tuple(steps)


def format_timesteps(timesteps: Sequence[int]) -> str:
    return ",".join(str(int(t)) for t in timesteps)
