"""Cached DiT passes on the step chart: a thin marker in their own colour at their (near
zero) cost, inside the step's span — one slot per pass, so "cond computed, uncond reused"
reads left to right.  The chart keeps drawing the step's bar; a step whose passes were all
reused gets the cached colour too, so the gaps in the compute are visible at a glance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyqtgraph as pg

from artifex_gui.model.pass_stats import step_passes

CACHED_COLOR = "#c792ea"
MIN_MARK_FRACTION = 0.03  # of the y range, so a 1 ms reuse stays visible


def time_span(step: object) -> tuple[float, float]:
    """A step's place on a time axis: its start and end (seconds since the run started)."""
    return float(step.start_s), float(step.end_s)


def cached_pass_rects(
    steps: Sequence[object],
    y_max: float,
    span: Callable[[object], tuple[float, float]] = time_span,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x0, x1, height) of one thin bar per reused pass; ``span`` gives each step's x range
    (its time span by default; the step chart gives its step slot)."""
    x0, x1, heights = [], [], []
    floor = MIN_MARK_FRACTION * max(y_max, 1e-9)
    for step in steps:
        _kinds, flags = step_passes(step)
        if not any(flags):
            continue
        start, end = span(step)
        seconds = list(getattr(step, "pass_seconds", ()) or ())
        slot = (end - start) / len(flags)
        for i, reused in enumerate(flags):
            if not reused:
                continue
            cost = seconds[i] if len(seconds) == len(flags) else 0.0
            left = start + i * slot
            x0.append(left + 0.2 * slot)
            x1.append(left + 0.8 * slot)
            heights.append(max(cost, floor))
    return np.array(x0, dtype=float), np.array(x1, dtype=float), np.array(heights, dtype=float)


def all_reused(step: object) -> bool:
    _kinds, flags = step_passes(step)
    return bool(flags) and all(flags)


class CachedPassMarks:
    """The markers on ``plot``: a thin bar per reused pass and, since a reused step is only
    milliseconds wide on the time axis, a small diamond on it that stays visible at any zoom.
    ``update`` after each step."""

    def __init__(
        self, plot: pg.PlotWidget, span: Callable[[object], tuple[float, float]] = time_span
    ) -> None:
        self.span = span
        self.item = pg.BarGraphItem(x0=[0.0], x1=[0.0], height=[0.0], brush=CACHED_COLOR, pen=None)
        self.item.setZValue(12)
        plot.addItem(self.item)
        self.dots = pg.ScatterPlotItem(
            symbol="d", size=10, pen=pg.mkPen("#3b2450"), brush=CACHED_COLOR
        )
        self.dots.setZValue(13)
        plot.addItem(self.dots)
        self.count = 0

    def update(self, steps: Sequence[object], y_max: float) -> None:
        x0, x1, heights = cached_pass_rects(steps, y_max, self.span)
        self.count = len(heights)
        if not len(heights):
            self.item.setOpts(x0=[0.0], x1=[0.0], height=[0.0])
            self.dots.setData([], [])
            return
        self.item.setOpts(x0=x0, x1=x1, height=heights)
        self.dots.setData(x=(x0 + x1) / 2, y=heights)
