"""Training-free step caching: MagCache, EasyCache and first-block cache (DESIGN.md §9).

A cache is a *rule* that says, for each DiT call (one step, one kind: cond or uncond), whether
to compute the blocks or reuse, fed with exactly what its published method reads, plus the
residual of the last computed call of each kind.  A reused call costs one add:
``blocks(x) ≈ x + r``, ``r`` the blocks' output minus input of the last computed call of the
same kind; patch embedding, time embedding and the head still run at the current timestep
(they are a sliver of a pass).

The rules, as published:
- MagCache (Zehong-Ma/MagCache, ``MagCache4Wan2.2/magcache_generate.py``): per call
  ``ratio *= mag[call]; skips += 1; err += |1 − ratio|``; reuse while ``err < thresh and
  skips ≤ K``, else compute and reset (ratio 1, err 0, skips 0); no call in the first
  ``int(retention · calls)`` is ever reused.  Calls are interleaved (cond, uncond) and the
  ratios list is indexed by call; one-pass guidance uses the cond entries.  Decisions
  depend on the ratios only, so the whole pattern is known before the run.
- EasyCache (``EasyCache4Wan2.1``, no calibration): the cond call decides for the pair,
  uncond follows.  ``Δin = mean|x_t − x_prev|`` (x the model's latent input, x_prev the last
  cond call's input), ``k = Δout/Δin`` between the last two computed cond calls (Δout on the
  model output), accumulate ``k·Δin / mean|v_last|``; reuse while the sum is below the
  threshold; the first ``warmup_steps`` (10) and the last step always compute.  The
  original adds its residual end to end (latent in → velocity out); ours is the blocks'
  residual like the other two (DESIGN.md §9), so the head sees the current timestep.
- First-block cache (diffusers ``FirstBlockCache``): run block 0, compare its residual with
  the first-block residual of the last computed call of the same kind,
  ``mean|Δ| / mean|prev|``; above the threshold run the rest, else add the tail residual
  (blocks 1..N) of that call to block 0's output.

Threshold 0 (or below) never reuses, and a computed call runs the same blocks in the same
order on the same tensor as no cache at all: bit for bit the uncached result (tested).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import torch

from engine.errors import RequestError
from engine.request import CACHE_DEFAULT_THRESHOLDS as DEFAULT_THRESHOLDS
from engine.request import CACHE_MODES

COND, UNCOND = 0, 1
KIND_NAMES = ("cond", "uncond")

# (x, start, stop) → x with blocks [start, stop) applied (x may be updated in place).
RunBlocks = Callable[[torch.Tensor, int, int], torch.Tensor]


# --------------------------------------------------------------------------- MagCache


@dataclass(frozen=True)
class MagCacheTable:
    """The published TI2V-5B calibration: interleaved (cond, uncond) ratios for 50 steps."""

    t2v: tuple[float, ...]
    i2v: tuple[float, ...]
    threshold: float
    max_skips: int  # K
    retention: float
    source: str


@lru_cache(maxsize=1)
def magcache_table() -> MagCacheTable:
    """engine/data/magcache_ti2v5b.json (copied from the MagCache repository's numbers)."""
    text = (
        resources.files("engine.data").joinpath("magcache_ti2v5b.json").read_text(encoding="utf-8")
    )
    data = json.loads(text)
    settings = data["published_settings"]
    return MagCacheTable(
        t2v=tuple(float(v) for v in data["mag_ratios_t2v"]),
        i2v=tuple(float(v) for v in data["mag_ratios_i2v"]),
        threshold=float(settings["magcache_thresh"]),
        max_skips=int(settings["K"]),
        retention=float(settings["retention_ratio"]),
        source=str(data["source"]),
    )


def nearest_interp(values: Sequence[float], length: int) -> np.ndarray:
    """MagCache's ``nearest_interp``: ``length`` samples of ``values`` at rounded, evenly
    spaced positions (the last value when ``length`` is 1)."""
    src = np.asarray(values, dtype=np.float64)
    if length == 1:
        return src[-1:].copy()
    scale = (len(src) - 1) / (length - 1)
    return src[np.round(np.arange(length) * scale).astype(int)]


def mag_ratios_for(
    steps: int, image_conditioned: bool, table: MagCacheTable | None = None
) -> np.ndarray:
    """Interleaved ratios [2·steps] for this step count: the published list at 50 steps, else
    cond and uncond entries interpolated separately (nearest) and interleaved again."""
    table = table or magcache_table()
    ratios = np.asarray(table.i2v if image_conditioned else table.t2v, dtype=np.float64)
    if len(ratios) == 2 * steps:
        return ratios.copy()
    cond = nearest_interp(ratios[0::2], steps)
    uncond = nearest_interp(ratios[1::2], steps)
    return np.stack([cond, uncond], axis=1).reshape(-1)


class MagCacheRule:
    """Decides from the calibrated ratios alone (no tensors)."""

    def __init__(
        self,
        ratios: Sequence[float],
        steps: int,
        threshold: float,
        max_skips: int = 2,
        retention: float = 0.2,
    ) -> None:
        self.ratios = np.asarray(ratios, dtype=np.float64)
        if len(self.ratios) != 2 * steps:
            raise ValueError(f"MagCache needs 2·steps = {2 * steps} ratios, got {len(self.ratios)}")
        self.steps = steps
        self.threshold = float(threshold)
        self.max_skips = int(max_skips)
        self.retention = float(retention)
        self.first_reusable_call = int(2 * steps * retention)
        self._ratio = [1.0, 1.0]
        self._err = [0.0, 0.0]
        self._skips = [0, 0]

    def decide(self, step: int, kind: int, has_residual: bool = True) -> bool:
        """True: compute this call; False: reuse."""
        call = 2 * step + kind
        if self.threshold <= 0 or call < self.first_reusable_call:
            return True
        self._ratio[kind] *= self.ratios[call]
        self._skips[kind] += 1
        self._err[kind] += abs(1.0 - self._ratio[kind])
        if (
            self._err[kind] < self.threshold
            and self._skips[kind] <= self.max_skips
            and has_residual
        ):
            return False
        self._ratio[kind], self._err[kind], self._skips[kind] = 1.0, 0.0, 0
        return True


# --------------------------------------------------------------------------- EasyCache


class EasyCacheRule:
    """Decides from the latent inputs and model outputs of the cond calls."""

    def __init__(self, steps: int, threshold: float, warmup_steps: int = 10) -> None:
        self.steps = steps
        self.threshold = float(threshold)
        self.warmup_steps = warmup_steps
        self._compute_pair = True
        self._accumulated: torch.Tensor | float = 0.0
        self._k: torch.Tensor | None = None
        self._prev_input: torch.Tensor | None = None  # last cond call's input (every call)
        self._input_at_last_compute: torch.Tensor | None = None  # the one before, for k
        self._prev_output: torch.Tensor | None = None  # last computed cond call's output

    def decide(self, step: int, kind: int, latent: torch.Tensor, has_residual: bool = True) -> bool:
        """latent: the model's input [C, F, H, W] for this call.  True: compute."""
        if kind == COND:
            if self.threshold <= 0 or step < self.warmup_steps or step >= self.steps - 1:
                compute = True
                self._accumulated = 0.0
            elif self._prev_input is not None and self._prev_output is not None:
                delta_in = (latent - self._prev_input).abs().mean()
                if self._k is not None:
                    self._accumulated = self._accumulated + self._k * (
                        delta_in / self._prev_output.abs().mean()
                    )
                    compute = not bool(self._accumulated < self.threshold)
                    if compute:
                        self._accumulated = 0.0
                else:
                    compute = True
            else:
                compute = True
            self._prev_input = latent.clone()
            self._compute_pair = compute
        return self._compute_pair or not has_residual

    def observe(self, kind: int, output: torch.Tensor) -> None:
        """After a computed call: output [C, F, H, W], the model's prediction."""
        if kind != COND:
            return
        if self._prev_output is not None and self._input_at_last_compute is not None:
            delta_out = (output - self._prev_output).abs().mean()
            delta_in = (self._prev_input - self._input_at_last_compute).abs().mean()
            self._k = delta_out / delta_in
        self._input_at_last_compute = self._prev_input
        self._prev_output = output.clone()


# --------------------------------------------------------------------------- first-block cache


class FirstBlockRule:
    """Decides from block 0's residual, inside the DiT call."""

    def __init__(self, threshold: float) -> None:
        self.threshold = float(threshold)
        self._prev: list[torch.Tensor | None] = [None, None]

    def decide(self, kind: int, first_residual: torch.Tensor, has_residual: bool = True) -> bool:
        """first_residual: block 0's output minus input [B, L, D].  True: compute."""
        prev = self._prev[kind]
        if prev is None or self.threshold <= 0 or not has_residual:
            compute = True
        else:
            diff = ((first_residual - prev).abs().mean() / prev.abs().mean()).item()
            compute = diff > self.threshold
        if compute:
            self._prev[kind] = first_residual
        return compute


# --------------------------------------------------------------------------- fixed pattern


class PatternRule:
    """A fixed decision list, per step a (cond, uncond) pair of compute flags: for timing a
    known skip pattern (bench/) where a rule's own decisions would not be the real ones."""

    def __init__(self, pattern: Sequence[tuple[bool, bool]]) -> None:
        self.pattern = [tuple(bool(f) for f in row) for row in pattern]

    def decide(self, step: int, kind: int, has_residual: bool = True) -> bool:
        return self.pattern[step][kind] or not has_residual


# --------------------------------------------------------------------------- the run's cache


@dataclass
class CacheCall:
    """One DiT call (one step, one kind).  The DiT calls it with the tokens before the blocks
    and a function that runs a range of blocks; it returns the tokens after the blocks.
    ``computed`` says what happened (None until the DiT ran it)."""

    cache: StepCache
    step: int
    kind: int
    decision: bool | None  # decided before the call (MagCache, EasyCache); None for FBC
    computed: bool | None = None

    def __call__(self, x: torch.Tensor, run_blocks: RunBlocks, num_blocks: int) -> torch.Tensor:
        """x [B, L, D] float32 residual stream → after the blocks (or their cached residual)."""
        return self.cache._run(self, x, run_blocks, num_blocks)


@dataclass
class StepCache:
    """One run's cache.  ``begin`` before each DiT call, hand the returned call to the DiT,
    ``end`` with the model's output after it.  ``pattern[step][kind]``: True computed."""

    mode: str
    threshold: float
    steps: int
    rule: MagCacheRule | EasyCacheRule | FirstBlockRule | PatternRule
    residuals: list[torch.Tensor | None] = field(default_factory=lambda: [None, None])
    pattern: dict[int, dict[int, bool]] = field(default_factory=dict)

    def begin(self, step: int, kind: int, latent: torch.Tensor) -> CacheCall:
        has = self.residuals[kind] is not None
        if isinstance(self.rule, (MagCacheRule, PatternRule)):
            decision: bool | None = self.rule.decide(step, kind, has)
        elif isinstance(self.rule, EasyCacheRule):
            decision = self.rule.decide(step, kind, latent, has)
        else:
            decision = None
        return CacheCall(self, step, kind, decision)

    def end(self, call: CacheCall, output: torch.Tensor) -> None:
        """output [C, F, H, W]: the prediction of this call (EasyCache reads it)."""
        assert call.computed is not None, "the DiT did not run this cache call"
        self.pattern.setdefault(call.step, {})[call.kind] = call.computed
        if call.computed and isinstance(self.rule, EasyCacheRule):
            self.rule.observe(call.kind, output)

    def _run(
        self, call: CacheCall, x: torch.Tensor, run_blocks: RunBlocks, num_blocks: int
    ) -> torch.Tensor:
        kind = call.kind
        if isinstance(self.rule, FirstBlockRule):
            before = x.clone()
            x = run_blocks(x, 0, 1)
            first_residual = x - before
            del before
            call.computed = self.rule.decide(kind, first_residual, self.residuals[kind] is not None)
            if not call.computed:
                return x + self.residuals[kind]
            head_out = x.clone()
            x = run_blocks(x, 1, num_blocks)
            self.residuals[kind] = x - head_out
            return x
        call.computed = bool(call.decision)
        if not call.computed:
            return x + self.residuals[kind]
        before = x.clone()
        x = run_blocks(x, 0, num_blocks)
        self.residuals[kind] = x - before
        return x

    # ------------------------------------------------------------------ accounting

    def counts(self) -> tuple[int, int]:
        """(computed, reused) calls so far."""
        flags = [c for kinds in self.pattern.values() for c in kinds.values()]
        return sum(flags), len(flags) - sum(flags)

    def expected_pattern(self, kinds: Sequence[int]) -> list[tuple[bool | None, ...]]:
        """Per step, per kind: True compute, False reuse, None not known before the run.
        MagCache's pattern is fully known (it reads only the ratios); EasyCache knows its
        warm-up and last step; first-block cache knows only that its first call computes."""
        out: list[tuple[bool | None, ...]] = []
        if isinstance(self.rule, PatternRule):
            return [
                tuple(self.rule.pattern[step][kind] for kind in kinds) for step in range(self.steps)
            ]
        if isinstance(self.rule, MagCacheRule):
            rule = self.rule
            twin = MagCacheRule(
                rule.ratios, self.steps, self.threshold, rule.max_skips, rule.retention
            )
            seen = [False, False]
            for step in range(self.steps):
                row = []
                for kind in kinds:
                    compute = twin.decide(step, kind, seen[kind])
                    seen[kind] = seen[kind] or compute
                    row.append(compute)
                out.append(tuple(row))
            return out
        for step in range(self.steps):
            if isinstance(self.rule, EasyCacheRule):
                known = (
                    self.threshold <= 0 or step < self.rule.warmup_steps or step >= self.steps - 1
                )
            else:
                known = self.threshold <= 0 or step == 0
            out.append(tuple(True if known else None for _ in kinds))
        return out


def make_step_cache(
    mode: str, threshold: float | None, steps: int, image_conditioned: bool
) -> StepCache | None:
    """The cache for one run, or None for ``off``.  ``threshold`` None: the published default."""
    if mode == "off":
        return None
    if mode not in CACHE_MODES:
        raise RequestError(
            f"Unknown step cache {mode!r}.", f"Choose one of: {', '.join(CACHE_MODES)}."
        )
    thresh = DEFAULT_THRESHOLDS[mode] if threshold is None else float(threshold)
    if not thresh >= 0:
        raise RequestError(
            f"The cache threshold must be 0 or more (got {threshold}).",
            "Use 0 for no reuse, or the published default by leaving it empty.",
        )
    rule: MagCacheRule | EasyCacheRule | FirstBlockRule
    if mode == "magcache":
        table = magcache_table()
        rule = MagCacheRule(
            mag_ratios_for(steps, image_conditioned, table),
            steps,
            thresh,
            table.max_skips,
            table.retention,
        )
    elif mode == "easycache":
        rule = EasyCacheRule(steps, thresh)
    else:
        rule = FirstBlockRule(thresh)
    return StepCache(mode, thresh, steps, rule)


def expected_remaining_passes(
    expected: Sequence[Sequence[bool | None]], done_steps: int, observed_fraction: float | None
) -> float:
    """Passes still to compute after ``done_steps`` steps: known decisions as they are,
    unknown ones at ``observed_fraction`` (computed/decided among the unknown-ahead calls
    so far; 1.0 when nothing was observed yet, the cautious guess)."""
    frac = 1.0 if observed_fraction is None else observed_fraction
    total = 0.0
    for row in expected[done_steps:]:
        for flag in row:
            total += frac if flag is None else float(flag)
    return total
