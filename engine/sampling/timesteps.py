"""Few-step timesteps: the known distilled models' lists and the one parsing rule (no torch,
so the request check and the GUI can use it before the engine loads)."""

from __future__ import annotations

from collections.abc import Sequence

from engine.errors import RequestError

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
