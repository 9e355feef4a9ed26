"""Live step-time chart: one bar per denoising step on a time axis, phases as bands.

x is seconds since the run started, so load, encode, denoise, decode and save share one
axis; a bar spans its step's wall time and its height is the step's seconds.  A dashed line
marks the median; bars slower than 1.25× the median are drawn as spikes; triangles on top of
a bar mark host→device copies during that step, sized by bytes.  Hovering shows the numbers.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from artifex_gui.model.pass_stats import spike_flags
from artifex_gui.model.run_state import SPIKE_FACTOR, RunState, StepRecord
from artifex_gui.ui.pass_marks import CACHED_COLOR, CachedPassMarks, all_reused

PHASE_COLORS = {
    "load": "#5b6b8c",
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


def _gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


class StepChart(QWidget):
    def __init__(self, state: RunState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.phase_names = {
            "load": self.tr("load"),
            "encode_text": self.tr("text encode"),
            "encode_image": self.tr("image encode"),
            "denoise": self.tr("denoise"),
            "decode": self.tr("decode"),
            "save": self.tr("save"),
        }
        self.caption = QLabel()
        self.caption.setObjectName("chartCaption")
        self.plot = pg.PlotWidget(background="#15181d")
        self.plot.setMinimumHeight(180)
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        self.plot.setLabel("bottom", self.tr("time since start"), units="s")
        self.plot.setLabel("left", self.tr("step time"), units="s")
        self.plot.getPlotItem().getViewBox().setMouseEnabled(x=True, y=False)
        self.plot.getPlotItem().setContentsMargins(4, 4, 8, 4)

        self.bars = pg.BarGraphItem(x0=[0.0], x1=[0.0], height=[0.0], brush=BAR_COLOR, pen=None)
        self.bars.setZValue(10)
        self.plot.addItem(self.bars)
        self.cached_marks = CachedPassMarks(self.plot)
        self.transfers = pg.ScatterPlotItem(symbol="t1", pen=pg.mkPen("#0b3b3a"), brush=TRANSFER_COLOR)
        self.transfers.setZValue(20)
        self.plot.addItem(self.transfers)
        self.median_line = pg.InfiniteLine(
            angle=0,
            pen=pg.mkPen(MEDIAN_COLOR, width=1, style=Qt.PenStyle.DashLine),
            label="",
            labelOpts={"position": 0.02, "color": MEDIAN_COLOR, "anchors": [(0, 1), (0, 1)]},
        )
        self.median_line.setZValue(15)
        self.median_line.hide()
        self.plot.addItem(self.median_line)
        self.placeholder = pg.TextItem(self.tr("Step times appear here when a run starts"), color="#8a94a6", anchor=(0.5, 0.5))
        self.plot.addItem(self.placeholder)
        self.hover_label = pg.TextItem(color="#f0f0f0", fill=pg.mkBrush(20, 22, 28, 230), anchor=(0, 1))
        self.hover_label.setZValue(50)
        self.hover_label.hide()
        self.plot.addItem(self.hover_label)
        self._phase_items: list[pg.GraphicsObject] = []
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

        legend = QLabel(
            "  ".join(
                f'<span style="color:{PHASE_COLORS[p]}">■</span> {self.phase_names[p]}' for p in PHASE_COLORS
            )
            + f'  <span style="color:{SPIKE_COLOR}">■</span> ' + self.tr("spike")
            + f'  <span style="color:{TRANSFER_COLOR}">▲</span> ' + self.tr("host→device copy (size = bytes)")
            + f'  <span style="color:{CACHED_COLOR}">▬</span> ' + self.tr("pass reused from the step cache")
        )
        legend.setObjectName("hint")
        legend.setWordWrap(True)
        legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(legend)
        layout.addWidget(self.plot, 1)

        state.steps_changed.connect(self.refresh_steps)
        state.phases_changed.connect(self.refresh_phases)
        self.refresh_steps()
        self.refresh_phases()

    # ----------------------------------------------------------------------------- data
    def refresh_steps(self) -> None:
        steps = self.state.steps
        self.placeholder.setVisible(not steps and not self.state.phases)
        if not steps:
            self.bars.setOpts(x0=[0.0], x1=[0.0], height=[0.0], brushes=None)
            self.transfers.setData([], [])
            self.cached_marks.update([], 1.0)
            self.median_line.hide()
            if not self.state.phases:  # idle: a calm empty chart, not an autoscaled 0..0
                view = self.plot.getPlotItem().getViewBox()
                view.setRange(xRange=(0, 10), yRange=(0, 1), padding=0)
                self.placeholder.setPos(5, 0.5)
            self._update_caption()
            return
        x0 = np.array([s.start_s for s in steps])
        x1 = np.array([s.end_s for s in steps])
        gap = np.minimum(0.08 * (x1 - x0), 0.05 * np.maximum(x1 - x0, 1e-9))
        heights = np.array([s.seconds for s in steps])
        median = float(self.state.median_step_seconds or np.median(heights))
        spikes = spike_flags(steps, SPIKE_FACTOR)
        brushes = [pg.mkBrush(CACHED_COLOR if all_reused(step) else SPIKE_COLOR if spike else BAR_COLOR)
                   for step, spike in zip(steps, spikes)]
        self.bars.setOpts(x0=x0 + gap, x1=x1 - gap, height=heights, brushes=brushes)
        self.median_line.setValue(median)
        self.median_line.label.setFormat(self.tr("median {0:.3g} s").format(median))
        self.median_line.show()

        moved = [s for s in steps if s.h2d_bytes > 0]
        if moved:
            biggest = max(s.h2d_bytes for s in moved)
            self.transfers.setData(
                x=[(s.start_s + s.end_s) / 2 for s in moved],
                y=[s.seconds for s in moved],
                size=[7 + 17 * float(np.sqrt(s.h2d_bytes / biggest)) for s in moved],
            )
        else:
            self.transfers.setData([], [])
        self.cached_marks.update(steps, float(heights.max()))
        self.plot.getPlotItem().getViewBox().setYRange(0, float(heights.max()) * 1.25, padding=0)
        self._fit_x()
        self._update_caption()

    def refresh_phases(self) -> None:
        for item in self._phase_items:
            self.plot.removeItem(item)
        self._phase_items.clear()
        now = self.state.elapsed_seconds
        for span in self.state.phases:
            end = span.end_s if span.end_s is not None else max(now, span.start_s)
            color = QColor(PHASE_COLORS.get(span.phase, "#555555"))
            color.setAlpha(60)
            region = pg.LinearRegionItem((span.start_s, max(end, span.start_s + 1e-3)), movable=False, brush=color, pen=pg.mkPen(None))
            region.setZValue(-10)
            label = pg.TextItem(self.phase_names.get(span.phase, span.phase), color="#b8c0cc", anchor=(0, 0))
            label.setFont(QFont(self.font().family(), 8))
            label.setZValue(-5)
            label.setParentItem(region)  # follows the region; positioned in refresh via view coords
            self.plot.addItem(region)
            self._phase_items.append(region)
            self._place_phase_label(label, span.start_s, end - span.start_s)
        self.placeholder.setVisible(not self.state.steps and not self.state.phases)
        self._fit_x()

    def _place_phase_label(self, label: pg.TextItem, x: float, width: float = 0.0) -> None:
        view = self.plot.getPlotItem().getViewBox()
        (left, right), (_bottom, top) = view.viewRange()
        label.setPos(x, top)
        # a label only where its band is wide enough to hold it; the legend names the rest
        label.setVisible(width >= 0.09 * max(right - left, 1e-9))

    def tick(self) -> None:
        """Called about twice a second while a run is busy: extends the open phase band."""
        if any(span.end_s is None for span in self.state.phases):
            self.refresh_phases()

    def _fit_x(self) -> None:
        ends = [s.end_s for s in self.state.steps] + [
            span.end_s if span.end_s is not None else span.start_s for span in self.state.phases
        ]
        if ends:
            self.plot.getPlotItem().getViewBox().setXRange(0, max(max(ends), 1e-3) * 1.02, padding=0)
        for region in self._phase_items:
            for child in region.childItems():
                if isinstance(child, pg.TextItem):
                    start, end = region.getRegion()
                    self._place_phase_label(child, start, end - start)

    def _update_caption(self) -> None:
        steps = self.state.steps
        if not steps:
            self.caption.setText(self.tr("Step time"))
            return
        median = self.state.median_step_seconds or 0.0
        spikes = len(self.state.spike_indices())
        copied = sum(s.h2d_bytes for s in steps)
        text = self.tr("Step time · median {0:.3g} s · {1} spike(s) > {2}× median").format(median, spikes, SPIKE_FACTOR)
        if copied:
            text += " · " + self.tr("{0} copied to the GPU").format(_gib(copied))
        self.caption.setText(text)

    # ---------------------------------------------------------------------------- hover
    def step_at(self, x: float) -> StepRecord | None:
        for step in self.state.steps:
            if step.start_s <= x <= step.end_s:
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
        text = self.describe_step(step)
        self.hover_label.setText(text)
        self.hover_label.setPos(point.x(), view.viewRange()[1][1])
        self.hover_label.show()
