"""The History tab: past runs (newest first) above, the comparison of two of them below.

Runs come from the output folder and the folders the user added (``Settings.history_folders``),
listed by a :class:`HistoryScanWorker` in a thread: the list appears first, thumbnails follow.
A damaged report is a grey, unselectable row whose tooltip says what is wrong.  Selecting two
runs compares them: A is the older, B the newer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from artifex_gui.engine_bridge import compare, fmt_seconds
from artifex_gui.history_worker import HistoryScanWorker
from artifex_gui.model.history import HistoryScanner, RunEntry
from artifex_gui.model.names import count_text
from artifex_gui.paths import data_dir
from artifex_gui.settings import SettingsStore
from artifex_gui.ui.compare_view import RUN_COLORS, CompareView

THUMB_ICON = QSize(96, 54)
DAMAGED_COLOR = "#5f6672"
COL_TAG, COL_RUN, COL_SIZE, COL_TOTAL, COL_MEDIAN, COL_DATE = range(6)
KEY_ROLE = Qt.ItemDataRole.UserRole

_LIST_STYLE = """
QTreeWidget { background: #14171c; border: 1px solid #2c323c; border-radius: 6px;
              alternate-background-color: #171a20; }
QTreeWidget::item { padding: 3px 2px; }
QTreeWidget::item:selected { background: #24406b; color: #ffffff; }
QHeaderView::section { background: #1f232a; color: #9aa4b2; border: none;
                       border-bottom: 1px solid #2c323c; padding: 4px 8px; font-weight: 600; }
"""


def _blank_icon() -> QIcon:
    pixmap = QPixmap(THUMB_ICON)
    pixmap.fill(QColor("#0f1114"))
    return QIcon(pixmap)


def rgb_to_pixmap(rgb) -> QPixmap:
    """A numpy ``[H, W, 3]`` uint8 array as a QPixmap (main thread only)."""
    height, width = rgb.shape[:2]
    image = QImage(rgb.tobytes(), width, height, 3 * width, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())


class HistoryPanel(QWidget):
    """Lists runs; ``refresh()`` rescans.  ``errored`` carries scan and export failures to
    the window's one error place; ``scan_finished`` fires after every scan."""

    errored = Signal(object)  # engine.events.RunFailed
    scan_finished = Signal()
    comparison_changed = Signal(object)  # Comparison | None

    def __init__(
        self,
        store: SettingsStore,
        output_dir: Callable[[], Path],
        *,
        thumbnail_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._output_dir = output_dir
        self.scanner = HistoryScanner(thumbnail_dir or data_dir() / "thumbnails")
        self.entries: list[RunEntry] = []
        self.worker: HistoryScanWorker | None = None
        self.loaded = False  # a scan has been started at least once
        self._pending = False  # refresh asked while a scan ran
        self._items: dict[str, QTreeWidgetItem] = {}
        self._pixmaps: dict[str, QPixmap] = {}
        self._blank = _blank_icon()
        self._build()
        store.changed.connect(self._on_setting_changed)

    # ---------------------------------------------------------------------------- layout
    def _build(self) -> None:
        title = QLabel(self.tr("Past runs"))
        title.setObjectName("sectionTitle")
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.add_button = QPushButton(self.tr("Add folder…"))
        self.add_button.clicked.connect(self.browse_folder)
        self.folders_button = QToolButton()
        self.folders_button.setText(self.tr("Folders"))
        self.folders_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.folders_menu = QMenu(self)
        self.folders_menu.aboutToShow.connect(self._fill_folders_menu)
        self.folders_button.setMenu(self.folders_menu)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(title)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.folders_button)
        bar.addWidget(self.refresh_button)

        self.tree = QTreeWidget()
        self.tree.setObjectName("historyList")
        self.tree.setStyleSheet(_LIST_STYLE)
        self.tree.setColumnCount(6)
        self.tree.setHeaderLabels(
            [
                "",
                self.tr("Run"),
                self.tr("Size"),
                self.tr("Total"),
                self.tr("Median step"),
                self.tr("Date"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setIconSize(THUMB_ICON)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        head = self.tree.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(COL_TAG, QHeaderView.ResizeMode.Fixed)
        self.tree.setColumnWidth(COL_TAG, 28)
        head.setSectionResizeMode(COL_RUN, QHeaderView.ResizeMode.Stretch)
        for column in (COL_SIZE, COL_TOTAL, COL_MEDIAN, COL_DATE):
            head.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._on_selection_changed)

        self.compare_view = CompareView()
        self.compare_view.errored.connect(self.errored)

        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(6)
        list_layout.addLayout(bar)
        list_layout.addWidget(self.tree, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(list_box)
        self.splitter.addWidget(self.compare_view)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter)
        self._update_summary()

    # ---------------------------------------------------------------------------- folders
    def folders(self) -> list[Path]:
        """The output folder first, then the added ones; duplicates dropped."""
        out: list[Path] = []
        for folder in [self._output_dir(), *map(Path, self.store.values.history_folders)]:
            if folder not in out:
                out.append(folder)
        return out

    def add_folder(self, folder: str | Path) -> None:
        folders = list(self.store.values.history_folders)
        if str(folder) not in folders and Path(folder) != self._output_dir():
            self.store.set("history_folders", [*folders, str(folder)])  # a new list: emits

    def remove_folder(self, folder: str | Path) -> None:
        folders = [f for f in self.store.values.history_folders if f != str(folder)]
        self.store.set("history_folders", folders)

    def browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Add a folder with runs"), str(self._output_dir())
        )
        if folder:
            self.add_folder(folder)

    def _fill_folders_menu(self) -> None:
        menu = self.folders_menu
        menu.clear()
        output = menu.addAction(self.tr("{0}  (output folder)").format(self._output_dir()))
        output.setEnabled(False)
        for folder in self.store.values.history_folders:
            action = menu.addAction(self.tr("Remove {0}").format(folder))
            action.triggered.connect(lambda _=False, f=folder: self.remove_folder(f))

    def _on_setting_changed(self, name: str, _value) -> None:
        if name in ("history_folders", "output_dir") and self.loaded:
            self.refresh()

    # ------------------------------------------------------------------------- scanning
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        """Rescan in the background; a refresh during a scan runs once that one ends."""
        self.loaded = True
        if self.worker is not None:
            self._pending = True
            return
        self._pending = False
        self.refresh_button.setEnabled(False)
        self.summary.setText(self.tr("Scanning…"))
        worker = HistoryScanWorker(self.scanner, self.folders())
        worker.signals.listed.connect(self._on_listed)
        worker.signals.thumbnail.connect(self._on_thumbnail)
        worker.signals.errored.connect(self.errored)
        worker.signals.finished.connect(self._on_scan_finished)
        self.worker = worker
        worker.start()

    def refresh_if_loaded(self) -> None:
        """After a run: rescan only if the tab was opened (otherwise it scans when shown)."""
        if self.loaded:
            self.refresh()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker.wait(timeout_ms)

    def _on_scan_finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait(1000)
        self.refresh_button.setEnabled(True)
        self._update_summary()
        self.scan_finished.emit()
        if self._pending:
            self.refresh()

    def _on_listed(self, entries: list[RunEntry]) -> None:
        selected = self.selected_keys()
        self.entries = entries
        tree = self.tree
        tree.blockSignals(True)
        tree.clear()
        self._items.clear()
        for entry in entries:
            item = self._make_item(entry)
            tree.addTopLevelItem(item)
            self._items[entry.key] = item
            if entry.key in selected and not entry.damaged:
                item.setSelected(True)
        tree.blockSignals(False)
        self._update_summary()
        self._on_selection_changed()

    def _make_item(self, entry: RunEntry) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setData(COL_RUN, KEY_ROLE, entry.key)
        item.setIcon(
            COL_RUN, QIcon(self._pixmaps[entry.key]) if entry.key in self._pixmaps else self._blank
        )
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.sort_time))
        item.setText(COL_DATE, when)
        name = entry.report_path.name
        if entry.damaged:
            item.setText(COL_RUN, self.tr("damaged: {0}").format(name))
            tip = self.tr("This report cannot be read, so the run is left out:\n{0}\n{1}").format(
                entry.damaged_reason, entry.report_path
            )
            for column in range(self.tree.columnCount()):
                item.setForeground(column, QBrush(QColor(DAMAGED_COLOR)))
                item.setToolTip(column, tip)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # listed, never selected for comparison
            return item
        analysis = entry.analysis
        assert analysis is not None
        prompt = entry.prompt.replace("\n", " ") or self.tr("(no prompt)")
        status = "" if analysis.status == "finished" else f" · {analysis.status}"
        item.setText(COL_RUN, f"{prompt}\n{entry.report_path.stem}{status}")
        item.setText(COL_SIZE, entry.size_text.replace(" · ", "\n"))
        item.setText(COL_TOTAL, fmt_seconds(analysis.total_seconds, 1))
        item.setText(COL_MEDIAN, fmt_seconds(analysis.median_step_seconds))
        for column in (COL_TOTAL, COL_MEDIAN):
            item.setTextAlignment(
                column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        models = f"\n{entry.models_text}" if entry.models_text else ""
        item.setToolTip(COL_RUN, f"{entry.prompt}\n{entry.report_path}{models}")
        return item

    def _on_thumbnail(self, key: str, rgb) -> None:
        frame = rgb_to_pixmap(rgb).scaled(
            THUMB_ICON,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        # letterboxed on a fixed canvas: every row's text starts at the same x
        pixmap = QPixmap(THUMB_ICON)
        pixmap.fill(QColor("#0f1114"))
        painter = QPainter(pixmap)
        painter.drawPixmap(
            (THUMB_ICON.width() - frame.width()) // 2,
            (THUMB_ICON.height() - frame.height()) // 2,
            frame,
        )
        painter.end()
        self._pixmaps[key] = pixmap
        item = self._items.get(key)
        if item is not None:
            item.setIcon(COL_RUN, QIcon(pixmap))

    def _update_summary(self) -> None:
        runs = sum(1 for e in self.entries if not e.damaged)
        damaged = len(self.entries) - runs
        folders = len(self.folders())
        text = (
            count_text(runs, self.tr("1 run"), self.tr("{0} runs"))
            + " "
            + count_text(folders, self.tr("in 1 folder"), self.tr("in {0} folders"))
        )
        if damaged:
            text += " · " + self.tr("{0} damaged").format(damaged)
        if self.worker is None:
            text += " · " + self.tr("select two to compare")
        self.summary.setText(text)

    # ------------------------------------------------------------------------ selection
    def entry(self, key: str) -> RunEntry | None:
        return next((e for e in self.entries if e.key == key), None)

    def selected_keys(self) -> list[str]:
        return [item.data(COL_RUN, KEY_ROLE) for item in self.tree.selectedItems()]

    def select(self, keys: list[str | Path]) -> None:
        """Select these runs (report paths) and nothing else."""
        wanted = {str(k) for k in keys}
        self.tree.blockSignals(True)
        self.tree.clearSelection()
        for key, item in self._items.items():
            if key in wanted and item.flags() & Qt.ItemFlag.ItemIsSelectable:
                item.setSelected(True)
        self.tree.blockSignals(False)
        self._on_selection_changed()

    def _on_selection_changed(self) -> None:
        chosen = [self.entry(k) for k in self.selected_keys()]
        runs = [e for e in chosen if e is not None and e.analysis is not None]
        for item in self._items.values():
            item.setText(COL_TAG, "")
        comparison = sizes = None
        if len(runs) == 2:
            older, newer = sorted(runs, key=lambda e: (e.sort_time, e.key))
            comparison = compare(older.analysis, newer.analysis)
            sizes = (older.output_size, newer.output_size)
            for tag, entry, color in zip("AB", (older, newer), RUN_COLORS):
                item = self._items[entry.key]
                item.setText(COL_TAG, tag)
                item.setForeground(COL_TAG, QBrush(QColor(color)))
                item.setTextAlignment(COL_TAG, Qt.AlignmentFlag.AlignCenter)
        self.compare_view.set_comparison(comparison, sizes)
        self.comparison_changed.emit(comparison)
