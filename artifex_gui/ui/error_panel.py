"""The one place in the window where errors appear: what happened, what to do, details.

When saving a finished video failed, the engine kept the generated frames in a recovery
file (``ErrorReport.recovered_path``); the panel then offers "Save recovered video as…",
which writes them as an mp4 wherever the user chooses — nothing generated is lost.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
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

# Tags the writer adds for itself; the rest (title, comment, description) go back into the mp4.
_RECOVERY_ONLY_TAGS = ("intended_path",)


class ErrorPanel(QFrame):
    recovered_saved = Signal(str)  # path of the video written from the recovered frames

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorPanel")
        self.report = None
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
        """``report``: artifex_gui.worker.ErrorReport (kind, message, advice, details,
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
    def save_recovered(self, target: str | None = None) -> str | None:
        """Write the recovered frames as an mp4 at ``target`` (asked with a file dialog when
        None).  Returns the written path, or None when cancelled or failed — the failure is
        shown in the panel and the recovery file stays, so the user can try another place."""
        recovered = getattr(self.report, "recovered_path", None)
        if not recovered:
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
        from engine.errors import ArtifexError
        from engine.outputs.video import load_recovered_frames, write_video

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            frames, fps, metadata = load_recovered_frames(recovered)
            tags = {k: str(v) for k, v in metadata.items() if k not in _RECOVERY_ONLY_TAGS}
            # No second recovery file if this fails too: the first one is still there.
            written = write_video(frames, target, fps=fps, metadata=tags, recovery_folders=[])
        except ArtifexError as exc:
            self._recovery_message(
                self.tr("Not saved: {0} The frames are still in {1}.").format(
                    exc.message, recovered
                )
            )
            return None
        except (OSError, ValueError, KeyError) as exc:
            self._recovery_message(self.tr("The recovered frames cannot be read: {0}").format(exc))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.save_recovered_button.hide()
        self._recovery_message(self.tr("Saved the recovered video to {0}").format(written))
        self.recovered_saved.emit(str(written))
        return str(written)

    def _recovery_message(self, text: str) -> None:
        self.recovery_status.setText(text)
        self.recovery_status.show()
