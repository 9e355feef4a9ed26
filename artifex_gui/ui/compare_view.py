"""Two runs side by side: step times overlaid on one chart, and a table of their numbers.

The chart draws seconds per step (x: step number) for run A and run B, each with its median
as a dashed line and its spikes (steps over 1.25× the median) ringed.  The table shows the
rows of :func:`artifex_gui.model.comparison.comparison_rows` — the numbers of
``engine.outputs.report.analyse`` as recorded — with the settings that differ highlighted.

Exports reuse the CLI's writers: :func:`export_png` (``write_step_chart``, the same chart as
``artifex-cli report --png``) and :func:`export_markdown` (``format_markdown``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from artifex_gui.engine_bridge import (
    SPIKE_FACTOR,
    Comparison,
    fmt_seconds,
    format_markdown,
    write_step_chart,
)
from artifex_gui.model.comparison import (
    SECTIONS,
    comparison_rows,
    median_ratio_text,
    section_title,
    size_text,
    sizes_differ,
)
from artifex_gui.model.names import count_text
from engine.events import RunFailed

RUN_COLORS = ("#4f9cf0", "#f59e42")  # A, B: the CLI chart's blue and orange, lit for dark
SPIKE_COLOR = "#ff5c5c"
DIFF_BACKGROUND = "#4a3b12"
DIFF_FOREGROUND = "#ffd76a"
SECTION_BACKGROUND = "#232833"
RAW_VALUE_ROLE = Qt.ItemDataRole.UserRole  # the unformatted number, as analyse() gave it
ROW_KEY_ROLE = Qt.ItemDataRole.UserRole + 1

_TABLE_STYLE = """
QTableWidget { background: #14171c; border: 1px solid #2c323c; border-radius: 6px;
               gridline-color: #222731; }
QTableWidget::item { padding: 2px 8px; }
QHeaderView::section { background: #1f232a; color: #9aa4b2; border: none;
                       border-bottom: 1px solid #2c323c; padding: 4px 8px; font-weight: 600; }
"""


def export_png(comparison: Comparison, path: str | Path) -> Path:
    """The overlaid step chart as a PNG (same drawing as ``artifex-cli report --png``)."""
    return write_step_chart(path, comparison.a, comparison.b)


def export_markdown(
    comparison: Comparison, path: str | Path, *, chart_path: str | Path | None = None
) -> Path:
    """The Markdown summary of ``artifex-cli report --markdown``; a chart beside the file is
    linked by its name so the two can be moved together."""
    target = Path(path)
    if chart_path is not None:
        chart = Path(chart_path)
        chart_path = chart.name if chart.parent.resolve() == target.parent.resolve() else chart
    text = format_markdown(comparison.a, comparison, chart_path=chart_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


class CompareChart(pg.PlotWidget):
    """Seconds per step of two runs; curves are created once and updated with setData."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, background="#15181d")
        self.setMinimumHeight(220)
        self.setMenuEnabled(False)
        self.showGrid(x=True, y=True, alpha=0.12)
        self.setLabel("bottom", self.tr("step"))
        self.setLabel("left", self.tr("step time"), units="s")
        item = self.getPlotItem()
        item.setContentsMargins(6, 6, 10, 6)
        self.legend = item.addLegend(
            offset=(-10, 10),
            labelTextColor="#d8dee9",
            brush=pg.mkBrush(21, 24, 29, 220),
            pen=pg.mkPen("#2c323c"),
        )
        self.curves: list[pg.PlotDataItem] = []
        self.medians: list[pg.InfiniteLine] = []
        for color in RUN_COLORS:
            curve = pg.PlotDataItem(
                pen=pg.mkPen(color, width=2.5),
                symbol="o",
                symbolSize=6,
                symbolBrush=color,
                symbolPen=pg.mkPen(color),
            )
            item.addItem(curve)
            self.curves.append(curve)
            median = pg.InfiniteLine(
                angle=0, pen=pg.mkPen(color, width=1.2, style=Qt.PenStyle.DashLine)
            )
            median.setOpacity(0.75)
            median.hide()
            item.addItem(median)
            self.medians.append(median)
        self.spikes = pg.ScatterPlotItem(
            symbol="o", size=16, brush=None, pen=pg.mkPen(SPIKE_COLOR, width=2.2)
        )
        self.spikes.setZValue(20)
        item.addItem(self.spikes)
        self.legend.addItem(self.spikes, self.tr("spike > {0}× median").format(SPIKE_FACTOR))

    def set_comparison(self, comparison: Comparison | None) -> None:
        runs = [] if comparison is None else [comparison.a, comparison.b]
        spike_x: list[float] = []
        spike_y: list[float] = []
        top = 0.0
        for n, (curve, median) in enumerate(zip(self.curves, self.medians)):
            if n >= len(runs):
                curve.setData([], [])
                median.hide()
                continue
            run = runs[n]
            x = np.array(run.step_indices, dtype=float) + 1  # 1-based step numbers
            y = np.array(run.step_seconds, dtype=float)
            curve.setData(x, y)
            self.legend.removeItem(curve)
            tag = "AB"[n]
            self.legend.addItem(
                curve,
                # the run's name is in the view's title, in the same colour
                self.tr("{0} · median {1}").format(tag, fmt_seconds(run.median_step_seconds)),
            )
            if run.median_step_seconds is not None:
                median.setValue(run.median_step_seconds)
                median.show()
            else:
                median.hide()
            spike_x += [float(s.number) for s in run.spikes]
            spike_y += [float(s.seconds) for s in run.spikes]
            if len(y):
                top = max(top, float(y.max()))
        self.spikes.setData(spike_x, spike_y)
        # keep the spike legend entry last
        self.legend.removeItem(self.spikes)
        self.legend.addItem(self.spikes, self.tr("spike > {0}× median").format(SPIKE_FACTOR))
        longest = max([max(r.step_indices) + 1 for r in runs if r.step_indices] + [2])
        # headroom above the highest step keeps the curves clear of the legend (top right)
        view = self.getPlotItem().getViewBox()
        view.setRange(xRange=(0.5, longest + 0.5), yRange=(0, (top or 1.0) * 1.45), padding=0)
        self.getPlotItem().getAxis("bottom").setTickSpacing(
            major=max(1, int(np.ceil(longest / 12))), minor=1
        )


class CompareView(QWidget):
    """The comparison of two runs: header, chart, table and the export buttons."""

    exported = Signal(str)  # path of a written file
    errored = Signal(object)  # RunFailed: an export could not be written

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.output_sizes = None
        self._last_png: Path | None = None

        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.ratio_label = QLabel()
        self.ratio_label.setObjectName("hint")
        self.png_button = QPushButton(self.tr("Export chart (PNG)…"))
        self.png_button.clicked.connect(self.export_png_dialog)
        self.markdown_button = QPushButton(self.tr("Export summary (Markdown)…"))
        self.markdown_button.clicked.connect(self.export_markdown_dialog)
        # Long run names wrap instead of pushing the buttons (or being cut) at 1280 px.
        for label in (self.title, self.ratio_label):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.png_button)
        top.addWidget(self.markdown_button)
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addLayout(top)
        header.addWidget(self.ratio_label)

        self.chart = CompareChart()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("compareTable")
        self.table.setStyleSheet(_TABLE_STYLE)
        self.table.setHorizontalHeaderLabels(["", "A", "B"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)  # explicit line breaks only; long values elide
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 160)
        self.table.setMinimumWidth(420)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        head.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.chart)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([470, 570])

        self.placeholder = QLabel(
            self.tr(
                "Select two runs above (Ctrl+click) to compare their step times, phases, memory "
                "and settings."
            )
        )
        self.placeholder.setObjectName("hint")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(6)
        body_layout.addLayout(header)
        body_layout.addWidget(self.splitter, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.set_comparison(None)

    # ----------------------------------------------------------------------------- data
    def set_comparison(self, comparison: Comparison | None, output_sizes=None) -> None:
        """``output_sizes``: (A's, B's) produced (width, height), or None when unknown."""
        self.comparison = comparison
        self.output_sizes = output_sizes
        self.chart.set_comparison(comparison)
        self._fill_table(comparison)
        self.png_button.setEnabled(comparison is not None)
        self.markdown_button.setEnabled(comparison is not None)
        if comparison is None:
            self.stack.setCurrentIndex(0)
            self.title.clear()
            self.ratio_label.clear()
            return
        self.stack.setCurrentIndex(1)
        a, b = comparison.a, comparison.b
        versus = _html(self.tr("vs"))
        self.title.setText(
            f'<span style="color:{RUN_COLORS[0]}">A: {_html(a.label)}</span>'
            f"&nbsp;&nbsp;{versus}&nbsp;&nbsp;"
            f'<span style="color:{RUN_COLORS[1]}">B: {_html(b.label)}</span>'
        )
        parts = [median_ratio_text(comparison)]
        # an environment entry repeating a differing setting (offload_mode …) counts once
        same = {(d.key, repr(d.a), repr(d.b)) for d in comparison.differing_settings}
        env_only = [
            d for d in comparison.differing_environment if (d.key, repr(d.a), repr(d.b)) not in same
        ]
        count = len(comparison.differing_settings) + len(env_only) + sizes_differ(output_sizes)
        if sizes_differ(output_sizes):
            parts.append(
                self.tr("different output sizes: {0} and {1}").format(
                    size_text(output_sizes[0]), size_text(output_sizes[1])
                )
            )
        parts.append(
            count_text(count, self.tr("1 setting differs (highlighted)"), self.tr("{0} settings differ (highlighted)"))
            if count
            else self.tr("same settings")
        )
        self.ratio_label.setText(" · ".join(p for p in parts if p))

    def _fill_table(self, comparison: Comparison | None) -> None:
        table = self.table
        table.clearSpans()
        table.setRowCount(0)
        if comparison is None:
            return
        rows = comparison_rows(comparison, self.output_sizes)
        # Short, distinct headers: the run names are in the title above (long names that
        # share a prefix used to elide to the same text here).
        table.setHorizontalHeaderLabels(["", "A", "B"])
        for column, run in ((1, comparison.a), (2, comparison.b)):
            header = table.horizontalHeaderItem(column)
            header.setToolTip(run.label)
            header.setForeground(QBrush(QColor(RUN_COLORS[column - 1])))
        bold = QFont(table.font())
        bold.setBold(True)
        for section in SECTIONS:
            section_rows = [r for r in rows if r.section == section]
            if not section_rows:
                continue
            n = table.rowCount()
            table.insertRow(n)
            title = QTableWidgetItem(section_title(section))
            title.setFont(bold)
            title.setForeground(QBrush(QColor("#9aa4b2")))
            title.setBackground(QBrush(QColor(SECTION_BACKGROUND)))
            table.setItem(n, 0, title)
            table.setSpan(n, 0, 1, 3)
            for row in section_rows:
                n = table.rowCount()
                table.insertRow(n)
                label = QTableWidgetItem(("≠ " if row.differs else "") + row.label)
                label.setData(ROW_KEY_ROLE, row.key)
                label.setForeground(QBrush(QColor("#9aa4b2")))
                table.setItem(n, 0, label)
                for column, (text, value) in enumerate(
                    ((row.a_text, row.a_value), (row.b_text, row.b_value)), start=1
                ):
                    cell = QTableWidgetItem(text)
                    cell.setData(RAW_VALUE_ROLE, value)
                    cell.setData(ROW_KEY_ROLE, row.key)
                    cell.setToolTip(text)
                    table.setItem(n, column, cell)
                if row.differs:
                    for column in range(3):
                        item = table.item(n, column)
                        item.setBackground(QBrush(QColor(DIFF_BACKGROUND)))
                        item.setForeground(QBrush(QColor(DIFF_FOREGROUND)))
                        item.setFont(bold)
        table.resizeRowsToContents()

    def row_for(self, key: str) -> int | None:
        """The table row of a :class:`ComparisonRow` key (``"median_step"`` …)."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(ROW_KEY_ROLE) == key:
                return row
        return None

    # -------------------------------------------------------------------------- export
    def export_png_dialog(self) -> None:
        if self.comparison is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export chart"),
            self._suggested_name(".png"),
            self.tr("PNG image (*.png)"),
        )
        if path:
            self._export(self.export_png, path)

    def export_markdown_dialog(self) -> None:
        if self.comparison is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export summary"), self._suggested_name(".md"), self.tr("Markdown (*.md)")
        )
        if path:
            self._export(self.export_markdown, path)

    def _export(self, write, path: str) -> None:
        try:
            write(path)
        except OSError as exc:
            self.errored.emit(
                RunFailed(
                    "save_failed",
                    self.tr("'{0}' could not be written: {1}").format(path, exc),
                    self.tr("Choose another folder or file name."),
                )
            )

    def export_png(self, path: str | Path) -> Path:
        """Raises OSError when the file cannot be written."""
        assert self.comparison is not None
        written = export_png(self.comparison, path)
        self._last_png = written
        self.exported.emit(str(written))
        return written

    def export_markdown(self, path: str | Path) -> Path:
        """Links the last exported PNG; raises OSError when the file cannot be written."""
        assert self.comparison is not None
        written = export_markdown(self.comparison, path, chart_path=self._last_png)
        self.exported.emit(str(written))
        return written

    def _suggested_name(self, suffix: str) -> str:
        assert self.comparison is not None
        folder = self._last_png.parent if self._last_png else Path.home()
        name = f"compare_{self.comparison.a.label}_vs_{self.comparison.b.label}{suffix}"
        return str(folder / name)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
