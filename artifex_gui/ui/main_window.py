"""The main window: inputs on the left, the live run on the right.

It owns the state objects (settings store, run state, job queue), wires widgets to them and
starts :class:`GenerationWorker` runs.  Nothing here imports torch: the engine is reached
only through the worker threads.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QEventLoop, Qt, QTimer, QUrl
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

from artifex_gui.engine_bridge import EngineHost, make_memory_sampler
from artifex_gui.model import JobQueue, RunState, RunStatus, build_request
from artifex_gui.model.decode_job import DecodeRequest, is_decode_job, make_worker
from artifex_gui.paths import data_dir, default_output_dir
from artifex_gui.settings import SettingsStore
from artifex_gui.ui.banner import Banner
from artifex_gui.ui.error_panel import ErrorPanel
from artifex_gui.ui.history_panel import HistoryPanel
from artifex_gui.ui.inputs_panel import InputsPanel
from artifex_gui.ui.log_panel import LogPanel
from artifex_gui.ui.meters import MemoryMeters
from artifex_gui.ui.preview import PreviewView
from artifex_gui.ui.progress_panel import ProgressPanel
from artifex_gui.ui.queue_panel import QueuePanel
from artifex_gui.ui.result_player import ResultPlayer
from artifex_gui.ui.settings_dialog import SettingsDialog
from artifex_gui.ui.step_chart import StepChart
from artifex_gui.worker import EngineWarmup, ErrorReport, GenerationWorker
from engine import events as ev
from engine.errors import ArtifexError

MEMORY_INTERVAL_MS = 250  # ~4 Hz
TICK_INTERVAL_MS = 500
QUICK_DEMO = {"width": 256, "height": 160, "frames": 17, "steps": 8}


def _section(title: str) -> QLabel:
    label = QLabel(title)
    label.setObjectName("sectionTitle")
    return label


class MainWindow(QMainWindow):
    def __init__(self, store: SettingsStore, host: EngineHost | None = None, *, sampler=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.host = host or EngineHost()
        self.run_state = RunState(self)
        self.queue = JobQueue(self)
        self.worker: GenerationWorker | None = None
        self.warmup: EngineWarmup | None = None
        self.engine_state = "idle"  # idle | loading | ready | unavailable
        self._sampler = sampler
        self._sampler_failed = False
        self.setWindowTitle("Artifex")
        self.setObjectName("mainWindow")
        self.resize(1400, 900)
        self.setMinimumSize(1000, 640)
        self._build()
        self._build_menu()
        self._bind()
        self._restore_geometry()
        self._update_demo_banner()
        self._set_busy(False)

        self.memory_timer = QTimer(self, interval=MEMORY_INTERVAL_MS)
        self.memory_timer.timeout.connect(self.sample_memory)
        self.tick_timer = QTimer(self, interval=TICK_INTERVAL_MS)
        self.tick_timer.timeout.connect(self._tick)

    # ---------------------------------------------------------------------------- layout
    def _build(self) -> None:
        self.demo_banner = Banner("demo")
        self.demo_banner.setObjectName("demoBanner")
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
        self.busy_hint = QLabel(self.tr("Busy: Generate adds a job to the queue. Edits apply to the next job."))
        self.busy_hint.setObjectName("hint")
        self.busy_hint.setWordWrap(True)
        self.queue_panel = QueuePanel(self.queue)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button, 3)
        buttons.addWidget(self.cancel_button, 1)
        left = QWidget()
        left.setObjectName("leftPane")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(12, 10, 8, 12)
        left_layout.setSpacing(8)
        left_layout.addWidget(scroll, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.busy_hint)
        left_layout.addWidget(self.queue_panel)

        # right: error panel, preview/result + progress/meters, chart, log
        self.error_panel = ErrorPanel()
        self.error_panel.decode_again_requested.connect(self.decode_again)
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
        side_layout.setContentsMargins(12, 10, 12, 10)
        side_layout.setSpacing(6)
        side_layout.addWidget(_section(self.tr("Progress")))
        side_layout.addWidget(self.progress)
        side_layout.addSpacing(8)
        side_layout.addWidget(_section(self.tr("Memory")))
        side_layout.addWidget(self.meters)
        side_layout.addStretch(1)
        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(10)
        top_layout.addWidget(self.view_tabs, 3)
        top_layout.addWidget(side, 2)

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
        self.history.errored.connect(self.show_error)
        self.history.decode_again_requested.connect(self.decode_again)
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
        left.setMinimumWidth(440)

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
        state = self.run_state
        state.log_added.connect(self.log_panel.add)
        state.preview_changed.connect(self.preview.set_frames)
        state.memory_changed.connect(self.meters.update_sample)
        state.status_changed.connect(lambda _s: self._update_title())
        state.progress_changed.connect(self._update_title)
        self.store.changed.connect(self._on_setting_changed)
        self.inputs.drop_zone.image_rejected.connect(lambda msg: self.log("warning", msg))
        self.demo_banner.action_clicked.connect(self.use_quick_demo_settings)
        self.queue.jobs_changed.connect(lambda: self._set_busy(self.is_busy))

    # ------------------------------------------------------------------------- lifecycle
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self.memory_timer.isActive():
            self.memory_timer.start()
            QTimer.singleShot(0, self.sample_memory)

    def start_engine_warmup(self) -> None:
        """Import the engine (and torch) in the background; the window is already up."""
        if self.warmup is not None or self.host.loaded:
            return
        self.engine_state = "loading"
        self.engine_banner.show_message(self.tr("Loading the engine… you can set up your video meanwhile."), "info")
        self.engine_status.setText(self.tr("Engine: loading…"))
        self.warmup = EngineWarmup(self.host)
        self.warmup.signals.loaded.connect(self._on_engine_loaded)
        self.warmup.signals.failed.connect(self._on_engine_failed)
        self.warmup.start()

    def _on_engine_loaded(self, backends: list[str]) -> None:
        self.engine_state = "ready"
        self.engine_banner.hide()
        self.inputs.set_attention_backends(backends)
        self.engine_status.setText(self.tr("Engine ready · attention: {0}").format(", ".join(backends)))
        self.log("app", self.tr("Engine ready. Attention backends that work here: {0}").format(", ".join(backends)))
        self._finish_warmup()

    def _on_engine_failed(self, message: str) -> None:
        self.engine_state = "unavailable"
        self.engine_banner.show_message(self.tr("Engine not available: {0}").format(message), "error")
        self.engine_status.setText(self.tr("Engine: not available"))
        self.log("error", message)
        self._finish_warmup()

    def _finish_warmup(self) -> None:
        if self.warmup is not None:
            self.warmup.wait(5000)
            self.warmup = None

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
        self.memory_timer.stop()
        self.tick_timer.stop()
        self.preview.stop()
        self.result.stop()
        self.queue.clear()
        self.history.shutdown()
        for runner in (self.worker, self.warmup):
            if runner is None:
                continue
            if isinstance(runner, GenerationWorker):
                runner.cancel()
            loop_deadline = QTimer(singleShot=True, interval=timeout_ms)
            loop_deadline.start()
            while runner.is_running() and loop_deadline.isActive():  # keep painting while it stops
                runner.wait(50)
                QEventLoop().processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
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

    # ------------------------------------------------------------------------ generation
    @property
    def is_busy(self) -> bool:
        return self.worker is not None

    def output_dir(self) -> Path:
        return Path(self.store.values.output_dir) if self.store.values.output_dir else default_output_dir()

    def generate(self) -> None:
        """Generate now, or queue the job when a run is busy."""
        check = self.inputs.folder_check
        if self.store.values.model_dir and check is not None and not check.ok:
            if check.recognised_other_model:  # e.g. a 14B folder: say which model it is
                self.show_error(ErrorReport("bad_checkpoint", check.summary, check.advice))
                return
            missing = ", ".join(check.missing) or "; ".join(check.problems)
            self.show_error(ErrorReport(
                "bad_checkpoint",
                self.tr("The model folder is incomplete: {0}").format(missing),
                self.tr("Download the missing files into the folder, choose another folder, or clear it to use the demo model."),
            ))
            return
        try:
            output_dir = self.output_dir()
            output_dir.mkdir(parents=True, exist_ok=True)
            request, notes = build_request(self.store.values, output_dir=output_dir)
        except ArtifexError as exc:
            self.show_error(ErrorReport(exc.kind, exc.message, exc.advice))
            return
        except OSError as exc:
            self.show_error(ErrorReport("save_failed", self.tr("The output folder cannot be created: {0}").format(exc),
                                        self.tr("Choose another folder in Settings.")))
            return
        if notes:  # values check_request adjusted: said where it is seen, not only in the log
            self.show_notice(" ".join(notes))
        if self.is_busy:
            job = self.queue.add(request)
            self.log("app", self.tr("Queued job #{0}; it starts when the current run ends.").format(job.job_id))
            self.statusBar().showMessage(self.tr("Job #{0} added to the queue").format(job.job_id), 4000)
            return
        self.start_job(request)

    def start_job(self, request) -> None:
        self.error_panel.dismiss()
        self.run_state.begin()
        self.main_tabs.setCurrentWidget(self.right_splitter)
        self.preview.clear_preview()
        self.view_tabs.setCurrentWidget(self.preview)
        worker = make_worker(request, self.host)  # a generation, or a decode again
        worker.signals.started.connect(self._on_worker_started)
        worker.signals.event.connect(self._on_event)
        worker.signals.errored.connect(self.show_error)
        worker.signals.finished.connect(self._on_finished)
        self.worker = worker
        self._set_busy(True)
        self.tick_timer.start()
        worker.start()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.run_state.mark_cancelling()
            self.log("app", self.tr("Cancelling: the engine stops after the current step."))

    def decode_again(self, latents_path: str) -> None:
        """Decode a run's kept latents into a video again (History, error panel): a decode-only
        job in the worker thread; its progress and result show like a generation's."""
        if self.is_busy:
            self.statusBar().showMessage(QCoreApplication.translate(
                "LatentsBar", "Decode again waits for the current run: press it when the run has ended."), 6000)
            return
        self.start_job(DecodeRequest(str(latents_path)))

    def _on_worker_started(self, request) -> None:
        if is_decode_job(request):
            self.log("app", QCoreApplication.translate("LatentsBar", "Decoding again from {0}").format(request.source))
            return
        mode = self.tr("image-to-video") if request.image_path else self.tr("text-to-video")
        model = request.checkpoint_dir or self.tr("demo model")
        self.log("app", self.tr("Starting {0} with {1} → {2}").format(mode, model, request.output_path))

    def _on_event(self, event) -> None:
        self.run_state.apply(event)
        if isinstance(event, ev.RunStarted):
            self.store.set("last_seed", int(event.seed))

    def _on_finished(self, final) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.wait(5000)
        self.tick_timer.stop()
        if isinstance(final, ev.RunFinished):
            self.store.set("last_seed", int(final.seed))
            self.result.set_result(final.output_path, final.report_path)
            self.view_tabs.setCurrentWidget(self.result)
            self.history.refresh_if_loaded()
        self.preview.stop()
        self._set_busy(False)
        self.progress.refresh()
        self._update_title()
        try:
            self.store.save()
        except OSError:
            pass
        if len(self.queue):
            QTimer.singleShot(0, self._start_next_job)

    def _start_next_job(self) -> None:
        if self.is_busy:
            return
        job = self.queue.pop_next()
        if job is not None:
            self.log("app", self.tr("Starting queued job #{0}").format(job.job_id))
            self.start_job(job.request)

    # ---------------------------------------------------------------------- small parts
    def show_error(self, report: ErrorReport) -> None:
        """The one place errors arrive (worker errors, refused requests, bad folders)."""
        self.error_panel.show_error(report)
        self.log("error", f"{report.message} {report.advice}".strip())
        if report.details:
            import logging

            logging.getLogger("artifex").error("%s: %s\n%s", report.kind, report.message, report.details)

    def show_notice(self, text: str) -> None:
        self.notice_banner.show_message(text, "warning", self.tr("Dismiss"))
        self.log("warning", text)

    def log(self, level: str, text: str) -> None:
        self.log_panel.add(level, text)

    def sample_memory(self) -> None:
        if self._sampler_failed:
            return
        try:
            if self._sampler is None:
                self._sampler = make_memory_sampler()
            self.meters.update_sample(self._sampler.sample())
        except Exception as exc:  # a broken sampler must not flood the log 4× a second
            self._sampler_failed = True
            self.log("warning", self.tr("Memory meters stopped: {0}").format(exc))

    def _tick(self) -> None:
        self.progress.refresh()
        self.chart.tick()
        self._update_title()

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

    def _set_busy(self, busy: bool) -> None:
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
        self.busy_hint.setVisible(busy)
        self.inputs.set_running(busy)

    def _on_setting_changed(self, name: str, _value) -> None:
        if name == "model_dir":
            self._update_demo_banner()

    def _update_demo_banner(self) -> None:
        if self.store.values.model_dir:
            self.demo_banner.hide()
        else:
            self.demo_banner.show_message(
                self.tr("Demo model in use: random weights — the result is moving noise, not a real video. "
                        "Choose your Wan2.2-TI2V-5B folder (File → Choose model folder) to generate for real."),
                "demo",
                self.tr("Use quick demo settings"),
            )

    def use_quick_demo_settings(self) -> None:
        """Small size, few frames and steps: the demo model finishes in seconds on a CPU."""
        for name, value in QUICK_DEMO.items():
            self.store.set(name, value)
        self.store.set("size_preset", "custom")

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.store, self)
        if dialog.exec():
            if dialog.apply():
                self.show_notice(self.tr("The language changes the next time Artifex starts."))
            self.store.save()

    def _about(self) -> None:
        QMessageBox.about(
            self, self.tr("About Artifex"),
            self.tr("Artifex — local text and image to video with Wan2.2 TI2V-5B.\n\nData folder: {0}").format(data_dir()),
        )
