"""Fewer DiT passes through the real denoise loop on the tiny float32 model: one pass at
guidance 1.0, the few-step sampler, and the step caches (threshold 0 = bit for bit)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.cancel import CancelToken
from engine.config import PRESETS
from engine.nets.dit import sdpa_attention
from engine.sampling.cache import make_step_cache
from engine.sampling.denoise import denoise, seeded_noise
from engine.sampling.fewstep import FASTWAN_TIMESTEPS, TURBO_TIMESTEPS
from tests.sampling_helpers import SHAPE, contexts, image_latent, tiny_model
from tests.test_fewstep import _reference


class Counter:
    """Counts DiT calls and block-0 / block-1 runs of a model."""

    def __init__(self, model) -> None:
        self.calls = 0
        self.block0 = 0
        self.block1 = 0
        real = model.forward

        def forward(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        model.forward = forward
        model.blocks[0].register_forward_hook(lambda *a: setattr(self, "block0", self.block0 + 1))
        model.blocks[1].register_forward_hook(lambda *a: setattr(self, "block1", self.block1 + 1))


def _run(
    model,
    *,
    image: bool,
    steps: int = 8,
    guidance: float = 5.0,
    solver: str = "unipc",
    cache=None,
    timesteps=None,
    two_pass: bool = False,
    seed: int = 5,
):
    ctx, null = contexts()
    noise, gen = seeded_noise(SHAPE, seed, torch.device("cpu"))
    stats = []
    latent = denoise(
        model,
        noise=noise,
        context=ctx,
        context_null=null,
        image_latent=image_latent() if image else None,
        steps=steps,
        shift=5.0,
        guidance=guidance,
        solver=solver,
        attention=sdpa_attention,
        cancel=CancelToken(),
        on_step=lambda s, _p: stats.append(s),
        timesteps=timesteps,
        generator=gen,
        cache=cache,
        one_pass_at_unit_guidance=not two_pass,
    )
    return latent, stats


def _decode(latent: torch.Tensor) -> np.ndarray:
    from engine.nets.vae import WanVAE, build_diffusers_vae
    from engine.outputs.video import float_video_to_uint8

    torch.manual_seed(0)
    cfg = PRESETS["tiny"].vae
    vae = WanVAE(build_diffusers_vae(cfg, device="cpu").float().eval(), cfg)
    return np.concatenate([float_video_to_uint8(c.numpy()) for c in vae.decode_stream(latent)])


@pytest.mark.parametrize("image", [False, True], ids=["t2v", "i2v"])
def test_guidance_one_runs_one_pass_and_gives_the_two_pass_video(image):
    model = tiny_model()
    counter = Counter(model)
    one, stats = _run(model, image=image, guidance=1.0)
    assert counter.calls == 8  # one pass per step, counted
    assert all(
        s.passes == ("cond",) and s.pass_reused == (False,) and len(s.pass_seconds) == 1
        for s in stats
    )
    two, stats2 = _run(model, image=image, guidance=1.0, two_pass=True)
    assert counter.calls == 8 + 16 and all(s.passes == ("cond", "uncond") for s in stats2)
    # uncond + 1·(cond − uncond) is cond up to float rounding; the decoded video is the same
    assert torch.allclose(one, two, rtol=0, atol=1e-5), (one - two).abs().max()
    assert np.array_equal(_decode(one), _decode(two))


@pytest.mark.parametrize("timesteps", [FASTWAN_TIMESTEPS, TURBO_TIMESTEPS])
@pytest.mark.parametrize("image", [False, True], ids=["t2v", "i2v"])
def test_fewstep_through_denoise_equals_the_independent_loop(timesteps, image):
    model = tiny_model()
    counter = Counter(model)
    ours, stats = _run(
        model, image=image, solver="fewstep", timesteps=timesteps, guidance=5.0, seed=42
    )
    assert counter.calls == len(timesteps) and [s.timestep for s in stats] == [
        float(t) for t in timesteps
    ]
    ctx, _ = contexts()
    ref = _reference(model, ctx, 42, timesteps, image_latent() if image else None)
    assert torch.equal(ours, ref)


@pytest.mark.parametrize("mode", ["magcache", "easycache", "fbc"])
@pytest.mark.parametrize("image", [False, True], ids=["t2v", "i2v"])
@pytest.mark.parametrize("guidance", [5.0, 1.0])
def test_threshold_zero_is_bit_for_bit_the_uncached_run(mode, image, guidance):
    model = tiny_model()
    plain, _ = _run(model, image=image, steps=12, guidance=guidance)
    cache = make_step_cache(mode, 0.0, 12, image)
    cached, stats = _run(model, image=image, steps=12, guidance=guidance, cache=cache)
    assert torch.equal(plain, cached)
    assert not any(r for s in stats for r in s.pass_reused)


@pytest.mark.parametrize("mode, threshold", [("magcache", 0.5), ("easycache", 0.5), ("fbc", 0.5)])
def test_high_threshold_reuses_runs_no_blocks_for_reused_passes_and_says_so(mode, threshold):
    steps = 20
    model = tiny_model()
    counter = Counter(model)
    cache = make_step_cache(mode, threshold, steps, True)
    latent, stats = _run(model, image=True, steps=steps, cache=cache)
    flags = [r for s in stats for r in s.pass_reused]
    reused = sum(flags)
    assert len(flags) == 2 * steps and 0 < reused < len(flags), flags
    assert counter.calls == 2 * steps  # every pass still calls the DiT (embeddings, head) ...
    assert (
        counter.block1 == 2 * steps - reused
    )  # ... but a reused pass runs no block past the first
    assert counter.block0 == (
        2 * steps if mode == "fbc" else 2 * steps - reused
    )  # FBC always runs block 0
    computed, cached = cache.counts()
    assert (computed, cached) == (2 * steps - reused, reused)
    plain, _ = _run(model, image=True, steps=steps)
    err = ((latent - plain).norm() / plain.norm()).item()
    assert 0 < err < 0.5, err  # an approximation, not another video
