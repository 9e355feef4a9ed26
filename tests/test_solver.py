"""Solver grids equal the original Wan2.2 code's, computed here independently."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.sampling.solver import make_solver


def _original_unipc(steps: int, shift: float):
    # wan/utils/fm_solvers_unipc.py: training sigmas stored as float32, sigma_max = .item()
    alphas = np.linspace(1, 1 / 1000, 1000)[::-1].copy()
    train_sigmas = torch.from_numpy(1.0 - alphas).to(dtype=torch.float32)
    sigma_max, sigma_min = train_sigmas[0].item(), train_sigmas[-1].item()
    sigmas = np.linspace(sigma_max, sigma_min, steps + 1).copy()[:-1]
    sigmas = shift * sigmas / (1 + (shift - 1) * sigmas)
    timesteps = torch.from_numpy(sigmas * 1000).to(dtype=torch.int64)
    return np.concatenate([sigmas, [0.0]]).astype(np.float32), timesteps


def _original_dpm(steps: int, shift: float):
    sigma = np.linspace(1, 0, steps + 1)[:steps]
    sigma = shift * sigma / (1 + (shift - 1) * sigma)
    return np.concatenate([sigma, [0.0]]).astype(np.float32), torch.from_numpy(sigma * 1000).to(torch.int64)


@pytest.mark.parametrize("steps,shift", [(50, 5.0), (40, 5.0), (8, 3.0), (1, 5.0)])
def test_unipc_grid_equals_original(steps, shift):
    solver = make_solver("unipc", steps, shift)
    sigmas, timesteps = _original_unipc(steps, shift)
    assert torch.equal(solver.timesteps, timesteps)
    np.testing.assert_array_equal(solver.sigmas.numpy(), sigmas)


@pytest.mark.parametrize("steps,shift", [(50, 5.0), (20, 3.0)])
def test_dpm_grid_equals_original(steps, shift):
    solver = make_solver("dpm++", steps, shift)
    sigmas, timesteps = _original_dpm(steps, shift)
    assert torch.equal(solver.timesteps, timesteps)
    np.testing.assert_array_equal(solver.sigmas.numpy(), sigmas)
    assert solver.timesteps[0].item() == 1000


@pytest.mark.parametrize("name", ["unipc", "dpm++"])
def test_solver_reaches_the_data_for_an_exact_flow(name):
    """With the exact flow v = noise − x0 every solver must land on x0."""
    gen = torch.Generator().manual_seed(0)
    x0 = torch.randn(4, 2, 3, 3, generator=gen)
    noise = torch.randn(4, 2, 3, 3, generator=gen)
    solver = make_solver(name, 12, 5.0)
    sigma0 = solver.sigmas[0].item()  # UniPC starts at 0.9998, not 1
    x = sigma0 * noise + (1 - sigma0) * x0
    for t in solver.timesteps:
        x = solver.step(noise - x0, t, x)
    torch.testing.assert_close(x, x0, rtol=1e-4, atol=1e-4)



def test_flow_sigmas_without_the_keyword_equal_diffusers_own(monkeypatch):
    # diffusers 0.35 (admitted by pyproject) has no set_timesteps(sigmas=...): the fallback must
    # give the scheduler exactly what the newer diffusers computes from the same sigmas
    import inspect

    from engine.sampling import solver as solver_mod

    real = solver_mod.set_flow_sigmas
    keyword = "sigmas" in inspect.signature(
        __import__("diffusers").UniPCMultistepScheduler.set_timesteps).parameters
    for steps, shift in ((50, 5.0), (4, 3.0), (1, 5.0)):
        a = make_solver("unipc", steps, shift).scheduler  # the installed diffusers' own path
        monkeypatch.setattr(solver_mod, "set_flow_sigmas", lambda sch, g, d: real(sch, g, d, use_keyword=False))
        b = make_solver("unipc", steps, shift).scheduler
        monkeypatch.undo()
        assert torch.equal(a.sigmas, b.sigmas) and torch.equal(a.timesteps, b.timesteps)
        assert a.num_inference_steps == b.num_inference_steps == steps
        assert b.model_outputs == [None] * b.config.solver_order and b.step_index is None
    if not keyword:  # under the oldest diffusers both ran the fallback: nothing was compared
        pytest.skip("this diffusers has no sigmas keyword; compared with the newest in the main run")
