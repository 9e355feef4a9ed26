"""A coloured strip across the top: demo model in use, engine loading, engine unavailable."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QFrame):
    action_clicked = Signal()

    def __init__(self, kind: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setProperty("kind", kind)
        self.label = QLabel(wordWrap=True)
        self.label.setObjectName("bannerText")
        self.button = QPushButton()
        self.button.setObjectName("bannerButton")
        self.button.hide()
        self.button.clicked.connect(self.action_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)

    def show_message(self, text: str, kind: str = "info", action: str = "") -> None:
        self.label.setText(text)
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.button.setText(action)
        self.button.setVisible(bool(action))
        self.show()
