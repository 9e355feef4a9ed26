"""Few-step DMD sampling (DESIGN.md §8): equal, bit for bit in float32, to an independent
implementation of the loop written here from the design text."""

from __future__ import annotations

import pytest
import torch

from engine.errors import RequestError
from engine.sampling.fewstep import (
    FASTWAN_TIMESTEPS,
    TURBO_TIMESTEPS,
    FewStepSolver,
    noise_generator,
    parse_timesteps,
    sample_fewstep,
)
from tests.sampling_helpers import (
    SHAPE,
    contexts,
    image_latent,
    segment_lengths,
    timestep_row,
    tiny_model,
)


def _reference(model, ctx, seed: int, timesteps, z: torch.Tensor | None) -> torch.Tensor:
    """DESIGN.md §8 read literally: σ_i = t_i/1000; v = model(x, t_i); x0 = x − σ_i·v; if a
    next step exists x = (1 − σ_{i+1})·x0 + σ_{i+1}·ε; frame 0 := image latent at the start,
    on every x0 and after every re-noise; ε from the seeded generator, in order."""
    gen = torch.Generator("cpu")
    gen.manual_seed(seed)
    x = torch.randn(*SHAPE, dtype=torch.float32, generator=gen)
    if z is not None:
        x[:, :1] = z
    for i, t in enumerate(timesteps):
        with torch.inference_mode():
            v = model(
                x[None], timestep_row(t, z is not None), segment_lengths(z is not None), ctx[None]
            )[0]
        x0 = x - (t / 1000) * v
        if z is not None:
            x0[:, :1] = z
        if i + 1 == len(timesteps):
            return x0
        s = timesteps[i + 1] / 1000
        eps = torch.randn(*SHAPE, dtype=torch.float32, generator=gen)
        x = (1 - s) * x0 + s * eps
        if z is not None:
            x[:, :1] = z
    raise AssertionError("unreachable")


def _ours(model, ctx, seed: int, timesteps, z: torch.Tensor | None) -> tuple[torch.Tensor, int]:
    calls = []

    def predict(x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        calls.append(int(t))
        with torch.inference_mode():
            return model(
                x[None],
                timestep_row(float(t), z is not None),
                segment_lengths(z is not None),
                ctx[None],
            )[0]

    gen = noise_generator(seed, "cpu")
    noise = torch.randn(*SHAPE, dtype=torch.float32, generator=gen)
    out = sample_fewstep(predict, noise=noise, timesteps=timesteps, generator=gen, image_latent=z)
    assert calls == list(timesteps)
    return out, len(calls)


@pytest.mark.parametrize("timesteps", [FASTWAN_TIMESTEPS, TURBO_TIMESTEPS])
@pytest.mark.parametrize("image", [False, True], ids=["t2v", "i2v"])
def test_fewstep_loop_equals_independent_reimplementation_bit_for_bit(timesteps, image):
    model = tiny_model()
    ctx, _ = contexts()
    z = image_latent() if image else None
    ours, passes = _ours(model, ctx, 42, timesteps, z)
    ref = _reference(model, ctx, 42, timesteps, z)
    assert passes == len(timesteps)  # one conditional pass per step
    assert ours.dtype == torch.float32
    assert torch.equal(ours, ref)
    if z is not None:
        assert torch.equal(ours[:, :1], z)
    # the re-noise really draws fresh noise: another seed, another video
    other, _ = _ours(model, ctx, 43, timesteps, z)
    assert not torch.equal(other, ours)


def test_fewstep_renoise_draws_follow_the_first_noise_in_order():
    """One step: x0 only, no draw.  Two steps: exactly one draw after the first noise."""
    gen = noise_generator(7, "cpu")
    noise = torch.randn(*SHAPE, generator=gen)
    solver = FewStepSolver((1000, 500), gen)
    flow = torch.ones(SHAPE)
    x = solver.step(flow, torch.tensor(1000), noise)
    check = noise_generator(7, "cpu")
    torch.randn(*SHAPE, generator=check)
    eps = torch.randn(*SHAPE, generator=check)
    assert torch.equal(x, 0.5 * (noise - 1.0 * flow) + 0.5 * eps)
    last = solver.step(flow, torch.tensor(500), x)
    assert torch.equal(last, x - 0.5 * flow)
    with pytest.raises(RuntimeError):
        solver.step(flow, torch.tensor(500), x)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1000,757,522", (1000, 757, 522)),
        (" 1000, 750 ,500,250 ", TURBO_TIMESTEPS),
        ([1000, 500], (1000, 500)),
    ],
)
def test_parse_timesteps_accepts(text, expected):
    assert parse_timesteps(text) == expected


@pytest.mark.parametrize(
    "bad", ["", "1000,abc", "500,757", "1000,1000", "1001,500", "1000,0", [1000.5], "1," * 17]
)
def test_parse_timesteps_refuses_with_advice(bad):
    with pytest.raises(RequestError) as info:
        parse_timesteps(bad)
    assert "1000" in info.value.advice
