"""Text-to-video and image-to-video denoising, as the original ``textimage2video.py``.

This module holds the math of one generation given loaded models; ``engine.run.runner``
owns loading, events, files and errors.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from engine.cancel import CancelToken
from engine.config import model_constants, token_grid
from engine.nets.dit import WanModel
from engine.sampling.cache import COND, UNCOND, StepCache
from engine.sampling.fewstep import (
    DEFAULT_FEWSTEP_TIMESTEPS,
    FewStepSolver,
    first_frame_imposer,
    noise_generator,
)
from engine.sampling.solver import make_solver
from engine.telemetry import Stopwatch


@dataclass
class StepStats:
    index: int
    total: int
    seconds: float
    pass_seconds: tuple[float, ...]
    timestep: float
    passes: tuple[str, ...] = ()  # kinds evaluated: ("cond", "uncond") or ("cond",)
    pass_reused: tuple[bool, ...] = ()  # aligned with passes: True = the step cache's residual


def draw_noise(shape: tuple[int, ...], seed: int, device: torch.device) -> torch.Tensor:
    """float32 noise from a generator seeded with ``seed`` on the run device (the original's
    ``seed_g``)."""
    return seeded_noise(shape, seed, device)[0]


def seeded_noise(shape: tuple[int, ...], seed: int, device: torch.device) -> tuple[torch.Tensor, torch.Generator]:
    """The first noise and the generator that drew it: the few-step sampler draws its
    re-noise from the same generator, in order (DESIGN.md §8)."""
    gen = noise_generator(seed, device)
    return torch.randn(*shape, dtype=torch.float32, generator=gen, device=device), gen


def token_segments(grid: tuple[int, int, int], image_conditioned: bool) -> list[int]:
    """Token counts per timestep segment: first latent frame (t=0) and the rest when an
    image conditions the video, else one segment."""
    f, h, w = grid
    if image_conditioned:
        return [h * w, (f - 1) * h * w]
    return [f * h * w]


def segment_timesteps(t: torch.Tensor, image_conditioned: bool, batch: int) -> torch.Tensor:
    """[B, S] timesteps per segment: (0, t) with an image, (t,) without; float32 like the
    original's ``mask * timestep``."""
    t = t.to(torch.float32).reshape(1, 1)
    ts = torch.cat([torch.zeros_like(t), t], dim=1) if image_conditioned else t
    return ts.expand(batch, -1).contiguous()


@lru_cache(maxsize=4)
def _preview_factors(device: str) -> tuple[torch.Tensor, torch.Tensor]:
    consts = model_constants()["latent_rgb_preview"]
    factors = torch.tensor(consts["factors"], dtype=torch.float32, device=device)
    return factors, torch.tensor(consts["bias"], dtype=torch.float32, device=device)


def preview_frames(x0: torch.Tensor, count: int = 3) -> np.ndarray:
    """Cheap RGB preview of a normalised latent [48, F, H, W] through the published linear
    latent→RGB factors: uint8 [n, H, W, 3] for n latent frames spread over the clip."""
    factors, bias = _preview_factors(str(x0.device))  # [48, 3], [3]
    f = x0.shape[1]
    idx = sorted({0, f // 2, f - 1})[:count]
    lat = x0[:, idx].float()  # [48, n, H, W]
    rgb = torch.einsum("cnhw,cr->nhwr", lat, factors) + bias
    return ((rgb.clamp(-1, 1) + 1) * 127.5).to(torch.uint8).cpu().numpy()


def denoise(
    model: WanModel,
    *,
    noise: torch.Tensor,
    context: torch.Tensor,
    context_null: torch.Tensor,
    image_latent: torch.Tensor | None,
    steps: int,
    shift: float,
    guidance: float,
    solver: str,
    attention: Callable,
    cancel: CancelToken,
    on_step: Callable[[StepStats, torch.Tensor | None], None],
    want_preview: Callable[[int], bool] = lambda i: False,
    cfg_batch: bool = False,
    timesteps: Sequence[int] | None = None,
    generator: torch.Generator | None = None,
    cache: StepCache | None = None,
    one_pass_at_unit_guidance: bool = True,
) -> torch.Tensor:
    """Run the sampler.  noise [48, F, H, W] float32 on the device; contexts [Lt, 4096];
    image_latent [48, 1, H, W] (normalised) or None.  Returns the final latent.

    CFG: ``uncond + g·(cond − uncond)``, as two batch-1 passes (cond, then uncond) like the
    original, or with ``cfg_batch`` as one batch-2 pass (same math; larger matmuls and, when
    blocks are streamed, each block's weights copied once per step instead of twice).  With an image, latent frame 0 is replaced by the
    image latent before the first step and after every solver step.

    Fewer passes: at guidance 1.0 the formula is the cond prediction, so only the cond pass
    runs (``one_pass_at_unit_guidance``; off only to measure the two-pass formula).  The
    ``fewstep`` solver (engine/sampling/fewstep.py) is DESIGN §8's predict-x0 / re-noise loop
    over ``timesteps`` with one cond pass per step, re-noised from ``generator`` — the
    generator that drew ``noise``.  ``cache`` (engine/sampling/cache.py) decides per pass
    whether the DiT computes its blocks or adds the last residual of that kind; a cached run
    takes separate cond/uncond passes (``cfg_batch`` is ignored)."""
    device = noise.device
    image_conditioned = image_latent is not None
    fewstep = solver == "fewstep"
    impose = first_frame_imposer(image_latent, noise.shape) if image_conditioned else None
    if fewstep:
        if generator is None:
            raise ValueError("the fewstep solver needs the generator that drew the noise")
        sched = FewStepSolver(timesteps or DEFAULT_FEWSTEP_TIMESTEPS, generator, impose)
    else:
        sched = make_solver(solver, steps, shift, device)
    one_pass = fewstep or (guidance == 1.0 and one_pass_at_unit_guidance)
    batched = cfg_batch and not one_pass and cache is None
    grid = token_grid(noise.shape, model.cfg.patch_size)
    lengths = token_segments(grid, image_conditioned)
    mask = torch.ones_like(noise)
    if image_conditioned:
        mask[:, 0] = 0
    latent = noise
    if image_conditioned:
        latent = (1.0 - mask) * image_latent + mask * latent
    with torch.inference_mode():
        ctx_c = model.embed_text(context.unsqueeze(0))
        ctx_u = None if one_pass else model.embed_text(context_null.unsqueeze(0))
        ctx_both = torch.cat([ctx_c, ctx_u]) if batched else None
    total = len(sched.timesteps)

    def dit_pass(i: int, kind: int, inp, ts, ctx) -> tuple[torch.Tensor, bool]:
        """One batch-1 pass of ``kind`` (cond/uncond) → (prediction [C, F, H, W], reused)."""
        if cache is None:
            return model(inp, ts, lengths, ctx, attention, context_embedded=True)[0], False
        call = cache.begin(i, kind, latent)
        out = model(inp, ts, lengths, ctx, attention, context_embedded=True, block_cache=call)[0]
        cache.end(call, out)
        return out, not call.computed

    for i, t in enumerate(sched.timesteps):
        cancel.raise_if_cancelled("denoise")
        start = time.perf_counter()
        ts = segment_timesteps(t, image_conditioned, 1).to(device)
        inp = latent.unsqueeze(0)
        with torch.inference_mode():
            if one_pass:
                with Stopwatch(device) as pass_c:
                    cond, reused_c = dit_pass(i, COND, inp, ts, ctx_c)
                pass_seconds: tuple[float, ...] = (pass_c.seconds,)
                passes, reused = ("cond",), (reused_c,)
                flow = cond
            elif batched:
                with Stopwatch(device) as both:
                    cond, uncond = model(inp.expand(2, *inp.shape[1:]), ts, lengths, ctx_both, attention,
                                         context_embedded=True)
                pass_seconds = (both.seconds,)
                passes, reused = ("cond", "uncond"), (False, False)
                flow = uncond + guidance * (cond - uncond)
            else:
                with Stopwatch(device) as pass_c:
                    cond, reused_c = dit_pass(i, COND, inp, ts, ctx_c)
                with Stopwatch(device) as pass_u:
                    uncond, reused_u = dit_pass(i, UNCOND, inp, ts, ctx_u)
                pass_seconds = (pass_c.seconds, pass_u.seconds)
                passes, reused = ("cond", "uncond"), (reused_c, reused_u)
                flow = uncond + guidance * (cond - uncond)
            new_latent = sched.step(flow, t, latent)
            if image_conditioned:
                new_latent = (1.0 - mask) * image_latent + mask * new_latent
        preview_x0 = None
        if want_preview(i):
            sigma = float(sched.sigmas[i])
            preview_x0 = latent - sigma * flow
        latent = new_latent
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        stats = StepStats(i, total, time.perf_counter() - start, pass_seconds, float(t), passes, reused)
        on_step(stats, preview_x0)
    return latent
