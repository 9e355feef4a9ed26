"""The run plan before Generate: the engine's plan text (what ``artifex-cli generate --dry-run``
prints — sizes, tokens, passes, device, offload, memory plan) in a window that does not block."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class PlanDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planDialog")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.heading = QLabel()
        self.heading.setObjectName("planHeading")
        self.body = QPlainTextEdit()
        self.body.setReadOnly(True)
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        layout.addWidget(buttons)
        self.resize(760, 300)

    def text(self) -> str:
        return self.body.toPlainText()

    def show_text(self, heading: str, text: str) -> None:
        self.setWindowTitle(heading)
        self.heading.setText(heading)
        self.body.setPlainText(text)
        self.show()
        self.raise_()
