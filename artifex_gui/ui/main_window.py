"""The main window: inputs on the left, the live run and the history on the right.

It lays out the widgets and binds them to the model room: the settings store, and the
:class:`RunController` that owns generate/cancel, the queue, the worker and the engine's
state.  Nothing here imports torch: the engine is reached only through worker threads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from artifex_gui import __version__
from artifex_gui.engine_bridge import EngineHost
from artifex_gui.model import RunStatus
from artifex_gui.model.run_controller import RunController
from artifex_gui.paths import data_dir, log_file
from artifex_gui.settings import DEMO_PRESET, QUICK_DEMO, SettingsStore
from artifex_gui.ui.banner import Banner
from artifex_gui.ui.error_panel import ErrorPanel
from artifex_gui.ui.history_panel import HistoryPanel
from artifex_gui.ui.inputs_panel import InputsPanel
from artifex_gui.ui.log_panel import LogPanel
from artifex_gui.ui.meters import MemoryMeters
from artifex_gui.ui.plan_dialog import PlanDialog
from artifex_gui.ui.preview import PreviewView
from artifex_gui.ui.progress_panel import ProgressPanel
from artifex_gui.ui.queue_panel import QueuePanel
from artifex_gui.ui.result_player import ResultPlayer
from artifex_gui.ui.settings_dialog import SettingsDialog
from artifex_gui.ui.step_chart import StepChart
from engine import events as ev


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    return label


class MainWindow(QMainWindow):
    def __init__(self, store: SettingsStore, host: EngineHost | None = None, *, sampler=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.controller = RunController(store, host, sampler=sampler, parent=self)
        self.run_state = self.controller.run_state
        self.queue = self.controller.queue
        self._error_causes: frozenset[str] = frozenset()
        self.setWindowTitle("Artifex")
        self.setObjectName("mainWindow")
        self.resize(1400, 900)
        self.setMinimumSize(1000, 640)
        self._build()
        self._build_menu()
        self._bind()
        self._restore_geometry()
        self._update_demo_banner()
        self._on_busy_changed(False)
        self._update_status()

    # ---------------------------------------------------------------------------- layout
    def _build(self) -> None:
        self.demo_banner = Banner("demo")  # object name "banner": the style sheet's rule
        self.engine_banner = Banner("info")
        self.engine_banner.hide()
        self.notice_banner = Banner("warning")
        self.notice_banner.hide()
        self.notice_banner.action_clicked.connect(self.notice_banner.hide)

        # left: inputs, then the run controls pinned at the bottom
        self.inputs = InputsPanel(self.store)
        scroll = QScrollArea()
        scroll.setObjectName("inputsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.inputs)
        self.generate_button = QPushButton()
        self.generate_button.setObjectName("generateButton")
        self.generate_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.cancel)
        self.plan_button = QPushButton(self.tr("Plan…"))
        self.plan_button.setObjectName("planButton")
        self.plan_button.setToolTip(self.tr("What Generate would run: sizes, tokens, passes, offload and memory (Ctrl+I)"))
        self.plan_button.setShortcut(QKeySequence("Ctrl+I"))
        self.plan_button.clicked.connect(self.show_plan)
        self.plan_dialog: PlanDialog | None = None
        # The hint keeps its two lines when empty and the queue sits above it, so the
        # buttons stay where they are when a job starts (a second click lands on them).
        self.busy_hint = QLabel()
        self.busy_hint.setObjectName("hint")
        self.busy_hint.setWordWrap(True)
        self.busy_hint.setMinimumHeight(2 * self.busy_hint.fontMetrics().lineSpacing() + 2)
        self.busy_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.queue_panel = QueuePanel(self.queue)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button, 3)
        buttons.addWidget(self.plan_button, 1)
        buttons.addWidget(self.cancel_button, 1)
        left = QWidget()
        left.setObjectName("leftPane")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 10, 8, 12)
        left_layout.setSpacing(8)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.queue_panel)
        left_layout.addWidget(self.busy_hint)
        left_layout.addLayout(buttons)
        self.left_pane = left

        # right: error panel, preview/result + progress/meters, chart, log
        self.error_panel = ErrorPanel()
        self.preview = PreviewView()
        self.result = ResultPlayer()
        self.view_tabs = QTabWidget()
        self.view_tabs.setObjectName("viewTabs")
        self.view_tabs.addTab(self.preview, self.tr("Live preview"))
        self.view_tabs.addTab(self.result, self.tr("Result"))
        self.progress = ProgressPanel(self.run_state)
        self.meters = MemoryMeters()
        side = QWidget()
        side.setObjectName("sideCard")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(12, 6, 12, 4)  # tight: at 1280×720 the whole card fits
        side_layout.setSpacing(4)
        side_layout.addWidget(_section(self.tr("Progress")))
        side_layout.addWidget(self.progress)
        side_layout.addSpacing(4)
        side_layout.addWidget(_section(self.tr("Memory")))
        side_layout.addWidget(self.meters)
        side_layout.addStretch(1)
        # At 1280×720 the card is short: it scrolls rather than cutting the VRAM or seed line.
        side_scroll = QScrollArea()
        side_scroll.setObjectName("sideScroll")
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setWidget(side)
        self.side_scroll = side_scroll
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(10)
        top_layout.addWidget(self.view_tabs, 3)
        top_layout.addWidget(side_scroll, 2)

        self.chart = StepChart(self.run_state)
        self.log_panel = LogPanel()
        log_box = QWidget()
        log_layout = QVBoxLayout(log_box)
        log_layout.setContentsMargins(0, 0, 0, 0)
        log_layout.setSpacing(4)
        log_layout.addWidget(_section(self.tr("Log")))
        log_layout.addWidget(self.log_panel)

        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setChildrenCollapsible(False)
        self.right_splitter.addWidget(top)
        self.right_splitter.addWidget(self.chart)
        self.right_splitter.addWidget(log_box)
        self.right_splitter.setSizes([420, 260, 150])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 10, 12, 12)
        right_layout.setSpacing(8)
        right_layout.addWidget(self.error_panel)
        # the live run and the history of past runs share the right side, one tab each
        self.history = HistoryPanel(self.store, self.output_dir)
        self.main_tabs = QTabWidget()
        self.main_tabs.setObjectName("mainTabs")
        self.main_tabs.setDocumentMode(True)
        self.main_tabs.addTab(self.right_splitter, self.tr("Live run"))
        self.main_tabs.addTab(self.history, self.tr("History"))
        right_layout.addWidget(self.main_tabs, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 880])
        scrollbar = scroll.verticalScrollBar().sizeHint().width()
        left.setMinimumWidth(max(440, self.inputs.minimumSizeHint().width() + scrollbar + 24))
        self.splitter.splitterMoved.connect(self._keep_inputs_readable)

        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.demo_banner)
        central_layout.addWidget(self.engine_banner)
        central_layout.addWidget(self.notice_banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.engine_status = QLabel()
        self.statusBar().addPermanentWidget(self.engine_status)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        open_image = QAction(self.tr("Open picture…"), self, shortcut=QKeySequence.StandardKey.Open)
        open_image.triggered.connect(self.inputs.drop_zone.browse)
        choose_model = QAction(self.tr("Choose model folder…"), self)
        choose_model.triggered.connect(self.inputs.browse_model_dir)
        settings = QAction(self.tr("Settings…"), self, shortcut=QKeySequence.StandardKey.Preferences)
        settings.triggered.connect(self.open_settings)
        open_outputs = QAction(self.tr("Open output folder"), self)
        open_outputs.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.output_dir()))))
        quit_action = QAction(self.tr("Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (open_image, choose_model, settings, open_outputs):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        open_logs = QAction(self.tr("Open log folder"), self)
        open_logs.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir()))))
        about = QAction(self.tr("About Artifex"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(open_logs)
        help_menu.addAction(about)

    def _bind(self) -> None:
        c, state = self.controller, self.run_state
        c.logged.connect(self.log_panel.add)
        c.errored.connect(self._on_errored)
        c.notice.connect(self._show_notice_banner)
        c.busy_changed.connect(self._on_busy_changed)
        c.engine_changed.connect(self._on_engine_changed)
        c.backends_found.connect(self.inputs.set_attention_backends)
        c.job_queued.connect(
            lambda job: self.statusBar().showMessage(self.tr("Job #{0} added to the queue").format(job.job_id), 4000)
        )
        c.run_started.connect(lambda _r: self._update_status())
        c.finished.connect(self._on_finished)
        c.tick.connect(self._tick)
        state.preview_changed.connect(self.preview.set_frames)
        state.memory_changed.connect(self.meters.update_sample)
        state.status_changed.connect(lambda _s: self._update_title())
        state.status_changed.connect(lambda _s: self._update_status())
        state.progress_changed.connect(self._update_title)
        self.store.changed.connect(self._on_setting_changed)
        self.inputs.drop_zone.image_rejected.connect(lambda msg: self.log("warning", msg))
        self.demo_banner.action_clicked.connect(self.use_quick_demo_settings)
        self.history.errored.connect(self.show_error)
        # Decode again (History, the error panel): a decode-only job through the controller
        self.history.decode_again_requested.connect(self.controller.decode_again)
        self.error_panel.decode_again_requested.connect(self.controller.decode_again)
        self.error_panel.recovery_failed.connect(lambda text: self.log("error", text))
        self.error_panel.recovered_saved.connect(
            lambda path: self.log("app", self.tr("Saved the recovered video to {0}").format(path))
        )

    # ------------------------------------------------------------------------- lifecycle
    @property
    def is_busy(self) -> bool:
        return self.controller.is_busy

    @property
    def engine_state(self) -> str:
        return self.controller.engine_state

    def output_dir(self) -> Path:
        return self.controller.output_dir()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.controller.start_sampling()

    def start_engine_warmup(self) -> None:
        self.controller.start_engine_warmup()

    def _on_engine_changed(self, state: str, detail: str) -> None:
        if state == "loading":
            self.engine_banner.show_message(self.tr("Loading the engine… you can set up your video meanwhile."), "info")
        elif state == "ready":
            self.engine_banner.hide()
        elif state == "unavailable":
            self.engine_banner.show_message(self.tr("Engine not available: {0}").format(detail), "error")
        self._update_status()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_busy:
            answer = QMessageBox.question(
                self, self.tr("Quit Artifex"),
                self.tr("A video is being generated. Cancel it and quit?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self, timeout_ms: int = 60_000) -> None:
        """Stop timers, cancel and join the worker threads, save the settings."""
        self.preview.stop()
        self.result.stop()
        self.history.shutdown()
        self.error_panel.shutdown()
        self.controller.shutdown(timeout_ms)
        self.store.set("window_geometry", bytes(self.saveGeometry().toBase64()).decode())
        self.store.set("splitter_state", bytes(self.splitter.saveState().toBase64()).decode())
        try:
            self.store.save()
        except OSError as exc:
            self.log("error", self.tr("Settings could not be saved: {0}").format(exc))

    def _restore_geometry(self) -> None:
        values = self.store.values
        if values.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(values.window_geometry.encode()))
        if values.splitter_state:
            self.splitter.restoreState(QByteArray.fromBase64(values.splitter_state.encode()))
        self._keep_inputs_readable()

    def _keep_inputs_readable(self, *_args) -> None:
        """The settings column never gets narrower than its contents (a saved narrow width,
        or a wide History comparison, would clip the prompt and the buttons)."""
        sizes = self.splitter.sizes()
        need = self.left_pane.minimumWidth()
        if len(sizes) == 2 and 0 < sizes[0] < need:
            self.splitter.setSizes([need, max(1, sum(sizes) - need)])

    # ------------------------------------------------------------------------ generation
    def generate(self) -> None:
        """Generate now, or queue the job when a run is busy."""
        self.controller.generate()

    def cancel(self) -> None:
        self.controller.cancel()

    def _on_busy_changed(self, busy: bool) -> None:
        if busy and self.run_state.status == RunStatus.STARTING and not self.run_state.steps:
            self.error_panel.dismiss()  # a new run: the last one's error is history
            self.main_tabs.setCurrentWidget(self.right_splitter)
            self.preview.clear_preview()
            self.view_tabs.setCurrentWidget(self.preview)
        queued = len(self.queue)
        if busy:
            self.generate_button.setText(self.tr("Add to queue") + (f" ({queued})" if queued else ""))
            self.generate_button.setToolTip(self.tr("A run is busy: this job waits in the queue below"))
        else:
            self.generate_button.setText(self.tr("Generate"))
            self.generate_button.setToolTip(self.tr("Start generating (Ctrl+Enter)"))
        self.generate_button.setProperty("queueing", busy)
        self.generate_button.style().unpolish(self.generate_button)
        self.generate_button.style().polish(self.generate_button)
        self.cancel_button.setEnabled(busy)
        self.busy_hint.setText(
            self.tr("Busy: Generate adds a job to the queue. Edits apply to the next job.") if busy else ""
        )
        self.inputs.set_running(busy)
        self._update_status()

    def _on_finished(self, final) -> None:
        if isinstance(final, ev.RunFinished):
            self.result.set_result(final.output_path, final.report_path)
            self.view_tabs.setCurrentWidget(self.result)
            self.history.refresh_if_loaded()
        self.preview.stop()
        self.progress.refresh()
        self.chart.tick()
        self._update_title()

    # ---------------------------------------------------------------------- small parts
    def show_error(self, report: ev.RunFailed, causes: frozenset[str] = frozenset()) -> None:
        """The one place errors are shown (runs, refused requests, bad folders, exports)."""
        self.controller.fail(report, causes)

    def _on_errored(self, report: ev.RunFailed, causes: frozenset[str]) -> None:
        self._error_causes = frozenset(causes)
        self.error_panel.show_error(report)
        self._update_status()

    def show_notice(self, text: str) -> None:
        self._show_notice_banner(text)
        self.log("warning", text)

    def _show_notice_banner(self, text: str) -> None:
        self.notice_banner.show_message(text, "warning", self.tr("Dismiss"))

    def log(self, level: str, text: str) -> None:
        self.controller.log(level, text)

    def sample_memory(self) -> None:
        self.controller.sample_memory()

    def _tick(self) -> None:
        self.progress.refresh()
        self.chart.tick()
        self._update_title()
        self._update_status()

    def _update_title(self) -> None:
        state = self.run_state
        if state.status.busy and state.total_steps:
            self.setWindowTitle(
                f"Artifex — {len(state.steps)}/{state.total_steps} ({int(100 * state.fraction_done)}%)"
            )
        elif state.status.busy:
            self.setWindowTitle("Artifex — " + self.tr("starting…"))
        elif state.status == RunStatus.FINISHED:
            self.setWindowTitle("Artifex — " + self.tr("finished"))
        else:
            self.setWindowTitle("Artifex")

    def _update_status(self) -> None:
        """The status bar says what is going on now: a run, its end, an error, the engine."""
        state, engine = self.run_state, self.controller.engine_state
        if self.is_busy:
            text = self.progress.status_label.text()
        elif self.error_panel.isVisible() and self.error_panel.report is not None:
            text = self.tr("Error: {0}").format(self.error_panel.report.message)
        elif state.status == RunStatus.FINISHED:
            text = self.tr("Finished: {0}").format(Path(state.output_path).name)
        elif state.status == RunStatus.CANCELLED:
            text = self.tr("Cancelled")
        elif engine == "loading":
            text = self.tr("Engine: loading…")
        elif engine == "unavailable":
            text = self.tr("Engine: not available")
        elif engine == "ready":
            text = self.tr("Engine ready")
        else:
            text = ""
        elided = self.engine_status.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, 520)
        self.engine_status.setText(elided)
        self.engine_status.setToolTip(text)

    def _on_setting_changed(self, name: str, _value) -> None:
        if name in self._error_causes and self.error_panel.isVisible():
            self.error_panel.dismiss()  # the setting that caused it changed: it no longer holds
            self._error_causes = frozenset()
            self._update_status()
        if name in ("model_dir", "dit_file", "t5_file", "vae_file", *QUICK_DEMO):
            self._update_demo_banner()

    def _update_demo_banner(self) -> None:
        values = self.store.values
        if values.model_dir or any((values.dit_file, values.t5_file, values.vae_file)):
            self.demo_banner.hide()
            return
        d = QUICK_DEMO
        quick = values.has_preset(DEMO_PRESET)
        text = self.tr("Demo model in use: random weights — the result is moving noise, not a real video. "
                       "Choose your Wan2.2-TI2V-5B folder (File → Choose model folder) to generate for real.")
        if quick:
            text += " " + self.tr("Quick demo settings ({0}×{1}, {2} frames, {3} steps): a run takes seconds.").format(
                d["width"], d["height"], d["frames"], d["steps"])
        self.demo_banner.show_message(text, "demo", "" if quick else self.tr("Use quick demo settings"))

    def use_quick_demo_settings(self) -> None:
        """Small size, few frames and steps: the demo model finishes in seconds on a CPU."""
        for name, value in QUICK_DEMO.items():
            self.store.set(name, value)

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.store, self)
        if dialog.exec():
            if dialog.apply():
                self.show_notice(self.tr("The language changes the next time Artifex starts."))
            self.store.save()

    def about_text(self) -> str:
        return self.tr(
            "Artifex {0} — local text and image to video with Wan2.2 TI2V-5B.\n\nData folder: {1}\nLog file: {2}"
        ).format(__version__, data_dir(), log_file())

    def show_plan(self) -> None:
        """The run plan before Generate: the engine's own plan text (as ``--dry-run`` prints
        it), in a window that does not block the app."""
        ok, text = self.controller.plan_preview()
        if self.plan_dialog is None:
            self.plan_dialog = PlanDialog(self)
        self.plan_dialog.show_text(
            self.tr("What Generate would run") if ok else self.tr("This cannot run yet"), text
        )

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About Artifex"), self.about_text())
