"""DiT pass accounting for the progress panel and the step chart: how many passes ran, how
many were reused from the step cache, the speed-up so far and an ETA that expects the skips.

Plain data in, plain numbers out (no Qt): a step is anything with ``pass_seconds``,
``passes`` (kinds, one per evaluated row: "cond", "uncond") and ``pass_reused`` (aligned
with ``passes``).  Old runs without the last two count every pass as computed.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PassTotals:
    computed: int
    reused: int

    @property
    def total(self) -> int:
        return self.computed + self.reused

    @property
    def speedup(self) -> float:
        """Passes a run without reuse would have computed, per pass computed (1.0: none reused)."""
        return self.total / self.computed if self.computed else 1.0


def step_passes(step: object) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """(kinds, reused flags) of one step; old records: one computed pass per timing."""
    kinds = tuple(getattr(step, "passes", ()) or ())
    reused = tuple(getattr(step, "pass_reused", ()) or ())
    if not kinds:
        n = len(getattr(step, "pass_seconds", ()) or ()) or 1
        return tuple("pass" for _ in range(n)), tuple(False for _ in range(n))
    if len(reused) != len(kinds):
        reused = tuple(False for _ in kinds)
    return kinds, reused


def pass_totals(steps: Sequence[object]) -> PassTotals:
    computed = reused = 0
    for step in steps:
        _kinds, flags = step_passes(step)
        reused += sum(flags)
        computed += len(flags) - sum(flags)
    return PassTotals(computed, reused)


def pass_pattern(steps: Sequence[object]) -> str:
    """One character per pass, steps separated by spaces: ``C`` computed, ``r`` reused —
    e.g. ``CC CC Cr rr`` (the report and the log show the same)."""
    return " ".join("".join("r" if f else "C" for f in step_passes(s)[1]) for s in steps)


def computed_count(step: object) -> int:
    _kinds, flags = step_passes(step)
    return len(flags) - sum(flags)


def full_step_median(steps: Sequence[object]) -> float | None:
    """Median seconds of the steps that computed the most passes (all steps of a run
    without reuse): the step time a cache does not change."""
    if not steps:
        return None
    most = max(computed_count(s) for s in steps)
    return statistics.median(
        float(getattr(s, "seconds", 0.0)) for s in steps if computed_count(s) == most
    )


def spike_flags(steps: Sequence[object], factor: float) -> list[bool]:
    """A step is a spike when it took more than ``factor`` × the median of the steps that
    computed as many passes as it did (a reused pass is not a fast step, a computed one not
    a spike)."""
    groups: dict[int, list[float]] = {}
    for s in steps:
        groups.setdefault(computed_count(s), []).append(float(getattr(s, "seconds", 0.0)))
    medians = {k: statistics.median(v) for k, v in groups.items()}
    return [float(getattr(s, "seconds", 0.0)) > factor * medians[computed_count(s)] for s in steps]


def computed_pass_seconds(steps: Sequence[object]) -> tuple[float | None, float]:
    """(median seconds of a computed pass, median seconds of a reused one, 0 if none yet),
    per evaluated row: a batched pass holding both rows counts half each."""
    computed: list[float] = []
    reused: list[float] = []
    for step in steps:
        kinds, flags = step_passes(step)
        seconds = list(getattr(step, "pass_seconds", ()) or ())
        if len(seconds) == len(flags):
            for sec, flag in zip(seconds, flags):
                (reused if flag else computed).append(sec)
        elif len(seconds) == 1 and not any(flags):  # one batched pass for all rows
            computed.extend([seconds[0] / len(flags)] * len(flags))
    return (statistics.median(computed) if computed else None), (
        statistics.median(reused) if reused else 0.0
    )


def expected_eta_seconds(
    steps: Sequence[object], total_steps: int, expected_computed: Sequence[int] = ()
) -> float | None:
    """Seconds of denoising left.  ``expected_computed``: per step, the passes the engine
    expects to compute (-1 where its cache cannot know yet; empty: every pass computes).
    Unknown steps are expected at the rate seen so far on the steps that were unknown too."""
    if not steps or not total_steps:
        return None
    done = len(steps)
    t_pass, t_reused = computed_pass_seconds(steps)
    step_times = [float(getattr(s, "seconds", 0.0)) for s in steps[-5:]]
    per_step = statistics.median(step_times)
    if t_pass is None or not expected_computed:
        return max(0, total_steps - done) * per_step
    passes_per_step = len(step_passes(steps[-1])[1])
    # the rest of a step (solver, sync, copies) beyond its passes, from recent steps
    recent = []
    for s in steps[-5:]:
        _k, flags = step_passes(s)
        work = (len(flags) - sum(flags)) * t_pass + sum(flags) * t_reused
        recent.append(max(0.0, float(getattr(s, "seconds", 0.0)) - work))
    overhead = statistics.median(recent)
    unknown_seen = [
        s for i, s in enumerate(steps) if i < len(expected_computed) and expected_computed[i] < 0
    ]
    if unknown_seen:
        seen = pass_totals(unknown_seen)
        rate = seen.computed / seen.total if seen.total else 1.0
    else:
        rate = 1.0
    left = 0.0
    for i in range(done, total_steps):
        expected = expected_computed[i] if i < len(expected_computed) else passes_per_step
        computed = rate * passes_per_step if expected < 0 else float(expected)
        left += overhead + computed * t_pass + (passes_per_step - computed) * t_reused
    return left
