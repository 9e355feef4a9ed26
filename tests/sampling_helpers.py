"""Tiny random DiT and helpers shared by the few-step, cache and speed-up tests."""

from __future__ import annotations

import torch

from engine.config import PRESETS, WanConfig
from engine.nets.dit import WanModel

SHAPE = (48, 3, 8, 8)  # latent [C, F, H, W]: 3 latent frames, 4×4 tokens each (patch 1,2,2)


def tiny_cfg() -> WanConfig:
    return PRESETS["tiny"].dit


def tiny_model(seed: int = 0) -> WanModel:
    """float32, eval, weights ~N(0, 0.05²) so every layer matters."""
    torch.manual_seed(seed)
    model = WanModel(tiny_cfg()).float().eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * 0.05)
    return model


def contexts(seed: int = 1, tokens: int = 7) -> tuple[torch.Tensor, torch.Tensor]:
    """(cond, uncond) text-encoder outputs [tokens, text_dim]."""
    gen = torch.Generator().manual_seed(seed)
    dim = tiny_cfg().text_dim
    return torch.randn(tokens, dim, generator=gen), torch.randn(tokens + 2, dim, generator=gen)


def image_latent(seed: int = 2) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(SHAPE[0], 1, *SHAPE[2:], generator=gen)


def segment_lengths(image_conditioned: bool) -> list[int]:
    f, h, w = SHAPE[1], SHAPE[2] // 2, SHAPE[3] // 2
    return [h * w, (f - 1) * h * w] if image_conditioned else [f * h * w]


def timestep_row(t: float, image_conditioned: bool) -> torch.Tensor:
    """[1, S] float32: (0, t) with an image, (t,) without."""
    return torch.tensor(
        [[0.0, float(t)]] if image_conditioned else [[float(t)]], dtype=torch.float32
    )
