"""The one place in the window where errors appear: what happened, what to do, details.

When saving a finished video failed, the engine kept the generated frames in a recovery
file (``RunFailed.recovered_path``); the panel then offers "Save recovered video as…",
which writes them as an mp4 wherever the user chooses (in a worker thread: encoding takes
seconds) — nothing generated is lost.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from artifex_gui.worker import RecoverySave


class ErrorPanel(QFrame):
    recovered_saved = Signal(str)  # path of the video written from the recovered frames
    recovery_failed = Signal(str)  # why it was not written

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorPanel")
        self.report = None
        self.saving: RecoverySave | None = None
        self.title = QLabel()
        self.title.setObjectName("errorTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice = QLabel()
        self.advice.setObjectName("errorAdvice")
        self.advice.setWordWrap(True)
        self.advice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(readOnly=True)
        self.details.setMaximumHeight(140)
        self.details.hide()
        self.details_button = QToolButton(text=self.tr("Details"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self.details.setVisible)
        self.close_button = QToolButton(text="✕")
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.clicked.connect(self.dismiss)
        self.save_recovered_button = QPushButton(self.tr("Save recovered video as…"))
        self.save_recovered_button.setObjectName("saveRecoveredButton")
        self.save_recovered_button.clicked.connect(lambda: self.save_recovered())
        self.save_recovered_button.hide()
        self.recovery_status = QLabel()
        self.recovery_status.setObjectName("recoveryStatus")
        self.recovery_status.setWordWrap(True)
        self.recovery_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_status.hide()
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.details_button)
        head.addWidget(self.close_button)
        recovery = QHBoxLayout()
        recovery.addWidget(self.save_recovered_button)
        recovery.addWidget(self.recovery_status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.advice)
        layout.addLayout(recovery)
        layout.addWidget(self.details)
        self.hide()

    def show_error(self, report) -> None:
        """``report``: the engine's ``RunFailed`` (kind, message, advice, details,
        recovered_path)."""
        self.report = report
        self.title.setText(report.message)
        self.advice.setText(report.advice)
        self.advice.setVisible(bool(report.advice))
        self.details.setPlainText(f"kind: {report.kind}\n\n{report.details}".strip())
        self.details_button.setVisible(bool(report.details))
        self.details_button.setChecked(False)
        recovered = getattr(report, "recovered_path", None)
        self.save_recovered_button.setVisible(bool(recovered))
        self.recovery_status.hide()
        self.show()

    def dismiss(self) -> None:
        self.report = None
        self.hide()

    # ------------------------------------------------------------------------- recovery
    def save_recovered(self, target: str | None = None) -> RecoverySave | None:
        """Write the recovered frames as an mp4 at ``target`` (asked with a file dialog when
        None), in a worker thread.  ``recovered_saved`` follows on success; a failure is
        shown in the panel and the recovery file stays, so the user can try another place.
        Returns the running job, or None when there was nothing to do."""
        recovered = getattr(self.report, "recovered_path", None)
        if not recovered or self.saving is not None:
            return None
        if target is None:
            suggestion = str(Path.home() / (Path(recovered).stem + ".mp4"))
            target, _ = QFileDialog.getSaveFileName(
                self, self.tr("Save recovered video as"), suggestion, self.tr("Video (*.mp4)")
            )
            if not target:
                return None
        if not target.lower().endswith(".mp4"):
            target += ".mp4"
        job = RecoverySave(recovered, target)
        job.signals.saved.connect(self._on_recovered_saved)
        job.signals.failed.connect(self._on_recovery_failed)
        self.saving = job
        self.save_recovered_button.setEnabled(False)
        self._recovery_message(self.tr("Saving the recovered video to {0}…").format(target))
        job.start()
        return job

    def _end_save(self) -> None:
        job, self.saving = self.saving, None
        if job is not None:
            job.wait(5000)
        self.save_recovered_button.setEnabled(True)

    def _on_recovered_saved(self, written: str) -> None:
        self._end_save()
        self.save_recovered_button.hide()
        self._recovery_message(self.tr("Saved the recovered video to {0}").format(written))
        self.recovered_saved.emit(written)

    def _on_recovery_failed(self, text: str) -> None:
        self._end_save()
        self._recovery_message(text)
        self.recovery_failed.emit(text)

    def shutdown(self) -> None:
        if self.saving is not None:
            self.saving.wait(60_000)
            self.saving = None

    def _recovery_message(self, text: str) -> None:
        self.recovery_status.setText(text)
        self.recovery_status.show()
