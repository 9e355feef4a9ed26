"""Live run chart: the denoising steps by step number, and the phases beside them on a clock.

Left, one bar per step at x = step number (1…N, the whole run's N from the start), height
= the step's seconds, so 8 steps fill the plot as well as 50 do.  The y axis stops at a few
times the median: one step ten times slower than the rest (a first-step compile, a swap)
is drawn to the top edge with its time written on it, so the others stay readable.  A
dashed line marks the median (its value is in the caption, never on the bars); spikes use
:data:`SPIKE_FACTOR`, read from :class:`RunState`; triangles mark host→device copies, sized
by bytes.  Right, the phases on wall time since the start, one row each; the open phase
grows twice a second, so the clock moves during a long model load too.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from artifex_gui.model.names import phase_name
from artifex_gui.model.run_state import SPIKE_FACTOR, RunState, StepRecord
from artifex_gui.ui.pass_marks import CACHED_COLOR, CachedPassMarks, all_reused
from engine.events import PHASES

PHASE_COLORS = {
    "load": "#5b6b8c",
    "warmup": "#7a6b4a",
    "encode_text": "#6f5b8c",
    "encode_image": "#8c5b7d",
    "denoise": "#3e6b58",
    "decode": "#8c7a4a",
    "save": "#4a7a8c",
}
BAR_COLOR = "#4f9cf0"
SPIKE_COLOR = "#ff6b4a"
TRANSFER_COLOR = "#35d0c8"
MEDIAN_COLOR = "#e8e8e8"
Y_CAP_MEDIANS = 3.0  # the step axis shows up to this × the median (or the tallest normal step)
BAR_WIDTH = 0.72  # of one step slot


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def step_axis_top(seconds: list[float], median: float) -> float:
    """The step plot's top: every bar up to ``Y_CAP_MEDIANS`` × median shows whole; a taller
    one (ten times the rest) is clipped at the edge instead of flattening the others."""
    tallest, cap = max(seconds), Y_CAP_MEDIANS * median
    if tallest <= cap:
        return 1.15 * tallest
    return 1.15 * max((s for s in seconds if s <= cap), default=cap)


def _plot(title_left: str, title_bottom: str, units_bottom: str | None) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="#15181d")
    plot.setMinimumHeight(150)
    plot.setMenuEnabled(False)
    plot.showGrid(x=False, y=True, alpha=0.15)
    plot.setLabel("bottom", title_bottom, units=units_bottom)
    if title_left:
        plot.setLabel("left", title_left, units="s")
    plot.getPlotItem().getViewBox().setMouseEnabled(x=False, y=False)
    plot.getPlotItem().setContentsMargins(4, 4, 8, 4)
    plot.hideButtons()
    return plot


def _step_slot(step: object) -> tuple[float, float]:
    """A step's bar on the step axis: centred on its number, BAR_WIDTH wide."""
    centre = step.index + 1
    return centre - BAR_WIDTH / 2, centre + BAR_WIDTH / 2


class StepChart(QWidget):
    def __init__(self, state: RunState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.caption = QLabel()
        self.caption.setObjectName("chartCaption")

        self.plot = _plot(self.tr("step time"), self.tr("step"), None)
        self.bars = pg.BarGraphItem(x=[0.0], width=BAR_WIDTH, height=[0.0], brush=BAR_COLOR, pen=None)
        self.bars.setZValue(10)
        self.plot.addItem(self.bars)
        self.cached_marks = CachedPassMarks(self.plot, span=_step_slot)
        self.transfers = pg.ScatterPlotItem(symbol="t1", pen=pg.mkPen("#0b3b3a"), brush=TRANSFER_COLOR)
        self.transfers.setZValue(20)
        self.plot.addItem(self.transfers)
        self.median_line = pg.InfiniteLine(angle=0, pen=pg.mkPen(MEDIAN_COLOR, width=1, style=Qt.PenStyle.DashLine))
        self.median_line.setZValue(15)
        self.median_line.hide()
        self.plot.addItem(self.median_line)
        self.placeholder = pg.TextItem(self.tr("Step times appear here when a run starts"), color="#8a94a6", anchor=(0.5, 0.5))
        self.plot.addItem(self.placeholder)
        self.clipped_labels: list[pg.TextItem] = []  # the times of bars cut at the top edge
        self.hover_label = pg.TextItem(color="#f0f0f0", fill=pg.mkBrush(20, 22, 28, 230), anchor=(0, 1))
        self.hover_label.setZValue(50)
        self.hover_label.hide()
        self.plot.addItem(self.hover_label)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.phase_plot = _plot("", self.tr("time since start"), "s")
        self.phase_plot.showGrid(x=True, y=False, alpha=0.12)
        self.phase_plot.setMinimumWidth(200)
        self._phase_items: list[pg.BarGraphItem] = []
        self._phase_labels: list[pg.TextItem] = []
        self.clock = pg.InfiniteLine(angle=90, pen=pg.mkPen("#9aa4b2", width=1, style=Qt.PenStyle.DotLine))
        self.clock.hide()
        self.phase_plot.addItem(self.clock)

        legend = QLabel(
            f'<span style="color:{BAR_COLOR}">■</span> ' + self.tr("step")
            + f'  <span style="color:{SPIKE_COLOR}">■</span> ' + self.tr("spike")
            + f'  <span style="color:{TRANSFER_COLOR}">▲</span> ' + self.tr("host→device copy (size = bytes)")
            + "  ┄ " + self.tr("median")
            + f'  <span style="color:{CACHED_COLOR}">▬</span> ' + self.tr("pass reused from the step cache")
        )  # fmt: skip
        legend.setObjectName("hint")
        legend.setWordWrap(True)
        legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        plots = QHBoxLayout()
        plots.setSpacing(6)
        plots.addWidget(self.plot, 3)
        plots.addWidget(self.phase_plot, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(legend)
        layout.addLayout(plots, 1)

        state.steps_changed.connect(self.refresh_steps)
        state.phases_changed.connect(self.refresh_phases)
        state.info_changed.connect(lambda _info: self.refresh_steps())
        self.refresh_steps()
        self.refresh_phases()

    # ----------------------------------------------------------------------------- steps
    @property
    def slots(self) -> int:
        """Step positions on the x axis: the run's planned steps (at least the ones seen)."""
        return max(self.state.total_steps, len(self.state.steps), 1)

    def refresh_steps(self) -> None:
        steps = self.state.steps
        view = self.plot.getPlotItem().getViewBox()
        for label in self.clipped_labels:
            self.plot.removeItem(label)
        self.clipped_labels.clear()
        self.placeholder.setVisible(not steps and not self.state.phases)
        view.setXRange(0.5, self.slots + 0.5, padding=0)
        self.plot.getPlotItem().getAxis("bottom").setTickSpacing(major=max(1, int(np.ceil(self.slots / 10))), minor=1)
        if not steps:
            self.bars.setOpts(x=[0.0], height=[0.0], brushes=None)
            self.transfers.setData([], [])
            self.cached_marks.update([], 1.0)
            self.median_line.hide()
            view.setYRange(0, 1, padding=0)
            self.placeholder.setPos((self.slots + 1) / 2, 0.5)
            self._update_caption()
            return
        median = self.state.median_step_seconds or 0.0
        spikes = set(self.state.spike_indices())  # the run state's rule, not recomputed here
        seconds = [s.seconds for s in steps]
        top = step_axis_top(seconds, median)
        x = np.array([s.index + 1 for s in steps], dtype=float)
        heights = np.minimum(np.array(seconds), top)  # clipped at the edge; the label says the time
        brushes = [pg.mkBrush(CACHED_COLOR if all_reused(s) else SPIKE_COLOR if s.index in spikes else BAR_COLOR)
                   for s in steps]
        self.bars.setOpts(x=x, width=BAR_WIDTH, height=heights, brushes=brushes)
        self.median_line.setValue(median)
        self.median_line.show()
        for step in steps:
            if step.seconds > top:
                label = pg.TextItem(f"{step.seconds:.3g} s ↑", color="#ffd2c7", anchor=(0.5, 0))
                label.setFont(QFont(self.font().family(), 8))
                label.setZValue(30)
                label.setPos(step.index + 1, top)
                self.plot.addItem(label)
                self.clipped_labels.append(label)

        moved = [s for s in steps if s.h2d_bytes > 0]
        if moved:
            biggest = max(s.h2d_bytes for s in moved)
            self.transfers.setData(
                x=[s.index + 1 for s in moved],
                y=[min(s.seconds, top) for s in moved],
                size=[7 + 17 * float(np.sqrt(s.h2d_bytes / biggest)) for s in moved],
            )
        else:
            self.transfers.setData([], [])
        self.cached_marks.update(steps, top)
        view.setYRange(0, top, padding=0)
        self._update_caption()

    # ---------------------------------------------------------------------------- phases
    def refresh_phases(self) -> None:
        for item in self._phase_items + self._phase_labels:
            self.phase_plot.removeItem(item)
        self._phase_items.clear()
        self._phase_labels.clear()
        now = self.state.elapsed_seconds
        seen = [p for p in PHASES if any(s.phase == p for s in self.state.phases)]
        seen += [s.phase for s in self.state.phases if s.phase not in seen]
        rows = {phase: len(seen) - 1 - n for n, phase in enumerate(seen)}  # first phase on top
        busy = self.state.status.busy
        for span in self.state.phases:
            end = span.end_s if span.end_s is not None else max(now, span.start_s)
            color = QColor(PHASE_COLORS.get(span.phase, "#555555"))
            if span.end_s is None:
                color = color.lighter(135)
            bar = pg.BarGraphItem(
                x0=[span.start_s], x1=[max(end, span.start_s + 1e-3)], y=[rows[span.phase]], height=0.7,
                brush=color, pen=None,
            )  # fmt: skip
            self.phase_plot.addItem(bar)
            self._phase_items.append(bar)
        axis = self.phase_plot.getPlotItem().getAxis("left")
        axis.setTicks([[(row, phase_name(phase)) for phase, row in rows.items()]])
        for phase, row in rows.items():
            total = sum(
                (s.end_s if s.end_s is not None else now) - s.start_s for s in self.state.phases if s.phase == phase
            )
            label = pg.TextItem(f"{total:.1f} s", color="#d8dee9", anchor=(0, 0.5))
            label.setFont(QFont(self.font().family(), 8))
            label.setPos(max((s.end_s or now) for s in self.state.phases if s.phase == phase), row)
            self.phase_plot.addItem(label)
            self._phase_labels.append(label)
        span_end = max([now if busy else 0.0] + [s.end_s or now for s in self.state.phases] + [1e-3])
        self.clock.setValue(now)
        self.clock.setVisible(busy and bool(self.state.phases))
        view = self.phase_plot.getPlotItem().getViewBox()
        view.setXRange(0, max(span_end, 1.0) * 1.18, padding=0)  # room for the seconds labels
        view.setYRange(-0.6, max(len(rows), 1) - 0.4, padding=0)
        self.placeholder.setVisible(not self.state.steps and not self.state.phases)

    def tick(self) -> None:
        """About twice a second while a run is busy: the open phase and the clock move."""
        if self.state.phases:
            self.refresh_phases()

    # --------------------------------------------------------------------------- caption
    def _update_caption(self) -> None:
        steps = self.state.steps
        if not steps:
            self.caption.setText(self.tr("Step time"))
            return
        median = self.state.median_step_seconds or 0.0
        spikes = len(self.state.spike_indices())
        copied = sum(s.h2d_bytes for s in steps)
        text = self.tr("Step time · median {0:.3g} s").format(median) + " · "
        factor = f"{SPIKE_FACTOR:g}"
        if spikes == 1:
            text += self.tr("1 spike > {0}× median").format(factor)
        else:
            text += self.tr("{0} spikes > {1}× median").format(spikes, factor)
        if copied:
            text += " · " + self.tr("{0} copied to the GPU").format(_gib(copied))
        self.caption.setText(text)

    # ---------------------------------------------------------------------------- hover
    def step_at(self, x: float) -> StepRecord | None:
        """The step whose bar is at step-axis position ``x`` (1-based step numbers)."""
        for step in self.state.steps:
            if abs(x - (step.index + 1)) <= 0.5:
                return step
        return None

    def describe_step(self, step: StepRecord) -> str:
        median = self.state.median_step_seconds or step.seconds
        lines = [
            self.tr("Step {0}/{1}: {2:.3f} s ({3:.2f}× median)").format(
                step.index + 1, step.total, step.seconds, step.seconds / median if median else 1.0
            ),
            self.tr("timestep {0:.0f}").format(step.timestep),
        ]
        if step.pass_seconds and step.passes and len(step.passes) == len(step.pass_seconds):
            names = {"cond": self.tr("cond"), "uncond": self.tr("uncond")}
            lines.append(self.tr("passes: {0}").format(", ".join(
                f"{names.get(k, k)} {sec:.3f} s" + (" " + self.tr("(reused)") if r else "")
                for k, sec, r in zip(step.passes, step.pass_seconds, step.pass_reused or (False,) * len(step.passes)))))
        elif step.pass_seconds:
            lines.append(self.tr("passes: {0}").format(", ".join(f"{p:.3f} s" for p in step.pass_seconds)))
        if step.h2d_bytes:
            rate = step.h2d_bytes / step.h2d_seconds / 1e9 if step.h2d_seconds > 0 else 0.0
            lines.append(self.tr("copied {0} in {1:.3f} s ({2:.1f} GB/s)").format(_gib(step.h2d_bytes), step.h2d_seconds, rate))
        if step.vram_peak_bytes:
            lines.append(self.tr("VRAM allocated {0}, peak {1}").format(_gib(step.vram_allocated_bytes), _gib(step.vram_peak_bytes)))
        return "\n".join(lines)

    def _on_mouse_moved(self, scene_pos: QPointF) -> None:
        view = self.plot.getPlotItem().getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            self.hover_label.hide()
            return
        point = view.mapSceneToView(scene_pos)
        step = self.step_at(point.x())
        if step is None:
            self.hover_label.hide()
            return
        self.hover_label.setText(self.describe_step(step))
        (left, right), (_bottom, top) = view.viewRange()
        # open toward the middle so the box stays inside the plot
        self.hover_label.setAnchor((1, 0) if point.x() > (left + right) / 2 else (0, 0))
        self.hover_label.setPos(point.x(), top)
        self.hover_label.show()
