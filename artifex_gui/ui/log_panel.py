"""The engine's messages (backend, kernel, dtype, token counts …), newest at the bottom."""

from __future__ import annotations

import html
import time

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

LEVEL_COLORS = {"info": "#c9d1d9", "warning": "#f0b429", "error": "#ff6b6b", "app": "#8ab4f8"}


class LogPanel(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logPanel")
        self.setReadOnly(True)
        self.setMaximumBlockCount(5000)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.lines: list[tuple[str, str]] = []

    def add(self, level: str, text: str) -> None:
        self.lines.append((level, text))
        color = LEVEL_COLORS.get(level, LEVEL_COLORS["info"])
        stamp = time.strftime("%H:%M:%S")
        self.appendHtml(
            f'<span style="color:#6e7681">{stamp}</span> '
            f'<span style="color:{color}">{html.escape(text)}</span>'
        )
