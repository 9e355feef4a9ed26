"""The one place in the window where errors appear: what happened, what to do, details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class ErrorPanel(QFrame):
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
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.details_button)
        head.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.advice)
        layout.addWidget(self.details)
        self.hide()

    def show_error(self, report) -> None:
        """``report``: artifex_gui.worker.ErrorReport (kind, message, advice, details)."""
        self.report = report
        self.title.setText(report.message)
        self.advice.setText(report.advice)
        self.advice.setVisible(bool(report.advice))
        self.details.setPlainText(f"kind: {report.kind}\n\n{report.details}".strip())
        self.details_button.setVisible(bool(report.details))
        self.details_button.setChecked(False)
        self.show()

    def dismiss(self) -> None:
        self.report = None
        self.hide()
