"""What a run's sampling will be: solver, steps, guidance, few-step timesteps, step cache —
resolved once from the request, the model's defaults and what the checkpoint says it is, with
a sentence for every choice made on the user's behalf (the run log shows them).

Rules (DESIGN.md §8–§9):
- ``distilled`` set (the GUI's "Distilled model" preset, ``--distilled``): the few-step sampler
  with that model's timesteps (unless given), guidance off.
- Not set, and the folder names itself FastWan or Turbo (engine/sampling/distilled.py): the
  same, but only when the user left sampler, steps and guidance at their defaults; otherwise
  their choice stands and the log says what the model was made for.
- The few-step sampler runs one conditional pass per step: guidance is 1.0, steps = number of
  timesteps, no cache.
- Guidance 1.0 with a multistep sampler: one pass per step (the uncond pass would not change
  ``uncond + 1·(cond − uncond)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from engine.config import (
    DEFAULT_FEWSTEP_TIMESTEPS,
    DISTILLED_TIMESTEPS,
    format_timesteps,
)
from engine.request import CACHE_DEFAULT_THRESHOLDS as DEFAULT_THRESHOLDS
from engine.request import GenerationRequest
from engine.sampling.distilled import DistilledInfo, detect_distilled

CACHE_NAMES = {"magcache": "MagCache", "easycache": "EasyCache", "fbc": "first-block cache"}
DISTILLED_NAMES = {"fastwan": "FastWan2.2-TI2V-5B", "turbo": "Wan2.2-TI2V-5B-Turbo"}


@dataclass(frozen=True)
class SamplingChoice:
    solver: str
    steps: int
    guidance: float
    timesteps: tuple[int, ...] | None  # few-step only
    cache: str
    cache_threshold: float  # 0 with cache "off"
    distilled: DistilledInfo | None = None  # what the checkpoint was recognised as
    notes: tuple[str, ...] = field(default=(), compare=False)  # info lines for the log
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def passes_per_step(self) -> int:
        return 1 if self.solver == "fewstep" or self.guidance == 1.0 else 2

    @property
    def passes_planned(self) -> int:
        return self.steps * self.passes_per_step

    def describe(self) -> str:
        """One line: what runs and what it costs in DiT passes."""
        if self.solver == "fewstep":
            head = f"few-step sampler, timesteps {format_timesteps(self.timesteps or ())}, guidance off"
        else:
            guidance = "guidance 1.0 (off)" if self.guidance == 1.0 else f"CFG {self.guidance:g}"
            head = f"{'UniPC' if self.solver == 'unipc' else self.solver.upper()} {self.steps} steps, {guidance}"
        per = "1 pass per step" if self.passes_per_step == 1 else "2 passes per step"
        text = f"{head}: {per}, {self.passes_planned} DiT passes"
        if self.cache != "off":
            text += f"; {CACHE_NAMES[self.cache]} threshold {self.cache_threshold:g} reuses some of them"
        return text


def resolve_sampling(
    req: GenerationRequest, *, folder: Path | None, default_steps: int, default_guidance: float
) -> SamplingChoice:
    """``folder`` None: the demo model (never distilled)."""
    notes: list[str] = []
    warnings: list[str] = []
    solver, timesteps = req.solver, req.timesteps
    detected = detect_distilled(folder) if folder is not None and req.distilled is None else None
    distilled = (
        DistilledInfo(req.distilled, "the distilled-model preset") if req.distilled else detected
    )
    if req.distilled is not None:
        solver = "fewstep"
        timesteps = timesteps or DISTILLED_TIMESTEPS[req.distilled]
        notes.append(
            f"Distilled model preset ({DISTILLED_NAMES[req.distilled]}): few-step sampler, timesteps "
            f"{format_timesteps(timesteps)}, guidance off."
        )
    elif detected is not None:
        name = DISTILLED_NAMES[detected.kind]
        untouched = (
            req.solver == "unipc"
            and req.steps is None
            and req.guidance is None
            and req.cache == "off"
        )
        if req.solver == "fewstep" or untouched:
            if solver != "fewstep" or timesteps is None:
                notes.append(
                    f"This checkpoint is {name} (recognised from {detected.reason}): using its few-step "
                    f"sampler, timesteps {format_timesteps(timesteps or detected.timesteps)}, guidance off."
                )
            solver = "fewstep"
            timesteps = timesteps or detected.timesteps
        else:
            warnings.append(
                f"This checkpoint looks like {name} (from {detected.reason}), a few-step distilled "
                f"model, but {req.solver} with the chosen steps/guidance was asked for; choose the "
                "'Distilled model' preset (or --sample_solver fewstep) for the sampler it was made for."
            )
    if solver == "fewstep":
        timesteps = tuple(timesteps or DEFAULT_FEWSTEP_TIMESTEPS)
        if req.guidance is not None and req.guidance != 1.0:
            warnings.append(
                f"Guidance {req.guidance:g} is not used: the few-step sampler runs one conditional "
                "pass per step (the distilled model has guidance built in)."
            )
        if req.steps is not None and req.steps != len(timesteps):
            notes.append(
                f"{len(timesteps)} steps, one per few-step timestep (the step count {req.steps} is "
                "not used)."
            )
        return SamplingChoice(
            "fewstep",
            len(timesteps),
            1.0,
            timesteps,
            "off",
            0.0,
            distilled,
            tuple(notes),
            tuple(warnings),
        )
    steps = req.steps or default_steps
    guidance = req.guidance if req.guidance is not None else default_guidance
    if guidance == 1.0:
        notes.append(
            "Guidance 1.0: one DiT pass per step (the pass without the prompt would not change "
            "the result)."
        )
    threshold = 0.0
    if req.cache != "off":
        threshold = (
            DEFAULT_THRESHOLDS[req.cache]
            if req.cache_threshold is None
            else float(req.cache_threshold)
        )
        if req.cache_threshold is None:
            notes.append(f"{CACHE_NAMES[req.cache]}: the published threshold {threshold:g}.")
        if req.cfg_batch:
            notes.append(
                "With a step cache the two guidance passes run one after the other (cfg_batch is "
                "not used): each decides its own reuse."
            )
    return SamplingChoice(
        solver,
        steps,
        guidance,
        None,
        req.cache,
        threshold,
        distilled,
        tuple(notes),
        tuple(warnings),
    )
