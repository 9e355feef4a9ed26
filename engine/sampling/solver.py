"""Flow-matching solvers on diffusers' schedulers with the original Wan2.2 sigma grids.

The original (``wan/utils/fm_solvers_unipc.py``) builds its UniPC grid as
``linspace(sigma_max, 0, N+1)[:-1]`` with ``sigma_max = float32(0.999)`` (its training
sigmas are stored as float32 before ``.item()``), shifts it with ``s·σ/(1+(s−1)σ)``, and
uses ``int64(σ·1000)`` as timesteps.  DPM++ (``get_sampling_sigmas``) uses
``linspace(1, 0, N+1)[:N]`` shifted the same way.  diffusers' own default grids differ, so
the sigmas are given explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

NUM_TRAIN_TIMESTEPS = 1000
UNIPC_SIGMA_MAX = float(np.float32(1.0 - 1.0 / NUM_TRAIN_TIMESTEPS))  # 0.9990000128746033


def shift_sigmas(sigmas: np.ndarray, shift: float) -> np.ndarray:
    return shift * sigmas / (1 + (shift - 1) * sigmas)


def unipc_sigmas(steps: int, shift: float) -> np.ndarray:
    """The original UniPC grid: N shifted sigmas (float64), without the final 0."""
    return shift_sigmas(np.linspace(UNIPC_SIGMA_MAX, 0.0, steps + 1).copy()[:-1], shift)


def dpm_sigmas(steps: int, shift: float) -> np.ndarray:
    """The original DPM++ grid (``get_sampling_sigmas``): N shifted sigmas, float64."""
    return shift_sigmas(np.linspace(1, 0, steps + 1)[:steps], shift)


@dataclass
class FlowSolver:
    """Wraps a diffusers scheduler: ``timesteps`` [N] int64 and ``step(flow, t, x)``."""

    scheduler: object
    timesteps: torch.Tensor
    sigmas: torch.Tensor

    def step(self, flow: torch.Tensor, timestep: torch.Tensor, sample: torch.Tensor) -> torch.Tensor:
        """flow, sample: [C, F, H, W] float32 → next sample."""
        out = self.scheduler.step(flow.unsqueeze(0), timestep, sample.unsqueeze(0), return_dict=False)[0]
        return out.squeeze(0)


def set_flow_sigmas(sched, sigmas, device, *, use_keyword: bool | None = None) -> None:
    """``UniPCMultistepScheduler.set_timesteps(sigmas=...)`` for a flow scheduler built with
    ``flow_shift=1``: diffusers before 0.36 has no ``sigmas`` argument (pyproject admits 0.35),
    so there the scheduler is reset with the step count and given the same sigmas and
    timesteps as the newer code computes from them (tests compare both on the newest)."""
    import inspect

    if use_keyword is None:
        use_keyword = "sigmas" in inspect.signature(sched.set_timesteps).parameters
    if use_keyword:
        sched.set_timesteps(sigmas=sigmas, device=device)
        return
    sched.set_timesteps(len(sigmas), device=device)  # resets the solver's history and indices
    grid = np.array(sigmas, dtype=np.float64)
    if abs(grid[0] - 1) < 1e-6:  # as diffusers: no log(0) in the first updates
        grid[0] -= 1e-6
    timesteps = grid * sched.config.num_train_timesteps
    sched.sigmas = torch.from_numpy(np.concatenate([grid, [0.0]]).astype(np.float32))
    sched.timesteps = torch.from_numpy(timesteps).to(device=device, dtype=torch.int64)
    sched.num_inference_steps = len(timesteps)


def make_solver(name: str, steps: int, shift: float, device: torch.device | str = "cpu") -> FlowSolver:
    if name == "unipc":
        from diffusers import UniPCMultistepScheduler

        sched = UniPCMultistepScheduler(
            num_train_timesteps=NUM_TRAIN_TIMESTEPS,
            solver_order=2,
            prediction_type="flow_prediction",
            predict_x0=True,
            solver_type="bh2",
            lower_order_final=True,
            use_flow_sigmas=True,
            flow_shift=1.0,  # the grid below is already shifted
            final_sigmas_type="zero",
        )
        set_flow_sigmas(sched, unipc_sigmas(steps, shift), device)
    elif name == "dpm++":
        from diffusers import DPMSolverMultistepScheduler

        sched = DPMSolverMultistepScheduler(
            num_train_timesteps=NUM_TRAIN_TIMESTEPS,
            solver_order=2,
            prediction_type="flow_prediction",
            algorithm_type="dpmsolver++",
            solver_type="midpoint",
            lower_order_final=True,
            use_flow_sigmas=True,
            flow_shift=1.0,
            final_sigmas_type="zero",
        )
        sched.set_timesteps(steps, device=device)
        sigmas = dpm_sigmas(steps, shift)
        sched.sigmas = torch.from_numpy(np.concatenate([sigmas, [0.0]]).astype(np.float32))
        sched.timesteps = torch.from_numpy(sigmas * NUM_TRAIN_TIMESTEPS).to(device=device, dtype=torch.int64)
    else:
        raise ValueError(f"unknown solver {name!r}")
    return FlowSolver(sched, sched.timesteps, sched.sigmas)
