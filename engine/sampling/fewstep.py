"""Few-step sampling for DMD-distilled TI2V-5B models (DESIGN.md §8).

FastWan2.2-TI2V-5B and Wan2.2-TI2V-5B-Turbo predict the clean latent in one conditional pass
per step (no guidance, no negative prompt) and are re-noised to the next timestep.  With
``σ_i = t_i / 1000``::

    v = model(x, t_i);  x0 = x − σ_i·v
    if a next step exists:  x = (1 − σ_{i+1})·x0 + σ_{i+1}·ε     (ε fresh float32 noise)
    result: the last x0

Image-to-video replaces latent frame 0 by the image latent at the start, on every x0 and after
every re-noise (the model sees timestep 0 on those tokens, as in §2).

Same seed → same video: the first noise is drawn exactly as for the other samplers (a
generator seeded with the seed on the run device) and every ε comes from *that same
generator*, in step order, with the latent's shape — so an independent implementation of the
loop above, given the seed, reproduces ours bit for bit (tested).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from engine.config import (  # noqa: F401  (re-exported: one place to import from)
    DEFAULT_FEWSTEP_TIMESTEPS,
    DISTILLED_TIMESTEPS,
    FASTWAN_TIMESTEPS,
    MAX_FEWSTEP_STEPS,
    NUM_TRAIN_TIMESTEPS,
    TURBO_TIMESTEPS,
    format_timesteps,
    parse_timesteps,
)

Impose = Callable[[torch.Tensor], torch.Tensor]


def noise_generator(seed: int, device: torch.device | str) -> torch.Generator:
    """The run's generator: seeded with the seed on the run device (the original's
    ``seed_g``); the first noise and every re-noise come from it, in order."""
    gen = torch.Generator(device=device)
    gen.manual_seed(seed)
    return gen


def generator_after_first_noise(
    seed: int, shape: Sequence[int], device: torch.device | str
) -> torch.Generator:
    """The run's generator as it stands after drawing the first noise (``shape``, float32):
    the runner draws that noise elsewhere, and the re-noise must continue the same stream —
    replaying one draw of the same shape puts the generator in exactly that state."""
    gen = noise_generator(seed, device)
    torch.randn(*shape, dtype=torch.float32, generator=gen, device=device)
    return gen


def first_frame_imposer(image_latent: torch.Tensor | None, shape: Sequence[int]) -> Impose | None:
    """image_latent [C, 1, H, W] → ``x ↦ (1−mask)·z + mask·x`` with mask 0 on latent frame 0
    (the same expression the multistep samplers use), or None without an image."""
    if image_latent is None:
        return None
    mask = torch.ones(tuple(shape), dtype=torch.float32, device=image_latent.device)
    mask[:, 0] = 0
    keep = 1.0 - mask

    def impose(x: torch.Tensor) -> torch.Tensor:
        return keep * image_latent + mask * x

    return impose


class FewStepSolver:
    """The §8 update with the interface of the multistep solvers: ``timesteps`` [N] int64,
    ``sigmas`` [N+1] float64 (σ_i = t_i/1000, then 0), ``step(flow, t, x)`` → next x (the
    re-noised latent, or x0 after the last step).  Steps must be taken in order, once each."""

    def __init__(
        self, timesteps: Sequence[int], generator: torch.Generator, impose: Impose | None = None
    ) -> None:
        self.timestep_values = parse_timesteps(timesteps)
        self.sigma_values = tuple(t / NUM_TRAIN_TIMESTEPS for t in self.timestep_values)
        self.timesteps = torch.tensor(
            self.timestep_values, dtype=torch.int64, device=generator.device
        )
        self.sigmas = torch.tensor((*self.sigma_values, 0.0), dtype=torch.float64)
        self.generator = generator
        self.impose = impose
        self.index = 0

    def step(
        self, flow: torch.Tensor, timestep: torch.Tensor | int, sample: torch.Tensor
    ) -> torch.Tensor:
        """flow, sample: [C, F, H, W] float32 → the next latent, float32."""
        i = self.index
        if i >= len(self.timestep_values) or int(timestep) != self.timestep_values[i]:
            raise RuntimeError(
                f"few-step solver stepped out of order at {int(timestep)} (step {i})"
            )
        self.index += 1
        x0 = sample - self.sigma_values[i] * flow
        if self.impose is not None:
            x0 = self.impose(x0)
        if i + 1 == len(self.timestep_values):
            return x0
        sigma_next = self.sigma_values[i + 1]
        eps = torch.randn(
            sample.shape, dtype=torch.float32, generator=self.generator, device=sample.device
        )
        return (1.0 - sigma_next) * x0 + sigma_next * eps


def sample_fewstep(
    predict: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    *,
    noise: torch.Tensor,
    timesteps: Sequence[int],
    generator: torch.Generator,
    image_latent: torch.Tensor | None = None,
    on_step: Callable[[int, torch.Tensor], None] | None = None,
) -> torch.Tensor:
    """The whole loop.  predict(x [C, F, H, W], t) → v; noise: the first draw from
    ``generator``; image_latent [C, 1, H, W] or None.  Returns the final x0."""
    impose = first_frame_imposer(image_latent, noise.shape)
    solver = FewStepSolver(timesteps, generator, impose)
    x = noise if impose is None else impose(noise)
    for i, t in enumerate(solver.timesteps):
        x = solver.step(predict(x, t), t, x)
        if impose is not None:
            x = impose(x)
        if on_step is not None:
            on_step(i, x)
    return x
