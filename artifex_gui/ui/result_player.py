"""The finished video, played in the window, with "open folder" and "copy path".

QtMultimedia needs system libraries (PulseAudio on Linux) that may be missing; without them
the panel still shows the path and the buttons and says why it cannot play.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedLayout, QVBoxLayout, QWidget

try:  # an optional system dependency: never let it stop the window from opening
    from PySide6.QtMultimedia import QMediaPlayer
    from PySide6.QtMultimediaWidgets import QVideoWidget

    MULTIMEDIA_ERROR = ""
except Exception as exc:  # noqa: BLE001
    QMediaPlayer = QVideoWidget = None  # type: ignore[assignment,misc]
    MULTIMEDIA_ERROR = str(exc)


class ResultPlayer(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = ""
        self.report_path = ""
        self.player = None
        self.stack = QStackedLayout()
        self.message = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.message.setObjectName("playerMessage")
        self.stack.addWidget(self.message)
        if QMediaPlayer is not None:
            self.video = QVideoWidget()
            self.video.setObjectName("videoWidget")
            self.player = QMediaPlayer(self)
            self.player.setVideoOutput(self.video)
            self.player.setLoops(QMediaPlayer.Loops.Infinite)
            self.player.errorOccurred.connect(self._on_player_error)
            self.stack.addWidget(self.video)
        self.play_button = QPushButton(self.tr("Pause"))
        self.play_button.clicked.connect(self.toggle_play)
        self.open_button = QPushButton(self.tr("Open folder"))
        self.open_button.clicked.connect(self.open_folder)
        self.copy_button = QPushButton(self.tr("Copy path"))
        self.copy_button.clicked.connect(self.copy_path)
        self.path_label = QLabel(wordWrap=True)
        self.path_label.setObjectName("hint")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.stack, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.path_label)
        self.set_result("", "")

    def set_result(self, path: str, report_path: str) -> None:
        self.path, self.report_path = path, report_path
        has = bool(path)
        for button in (self.play_button, self.open_button, self.copy_button):
            button.setEnabled(has)
        if not has:
            self.message.setText(self.tr("The finished video plays here"))
            self.stack.setCurrentWidget(self.message)
            self.path_label.setText("")
            if self.player is not None:
                self.player.stop()
            return
        lines = [self.tr("Video: {0}").format(path)]
        if report_path:
            lines.append(self.tr("Run report: {0}").format(report_path))
        self.path_label.setText("\n".join(lines))
        if self.player is None:
            self.message.setText(self.tr("Video playback is not available here ({0}). Use Open folder.").format(MULTIMEDIA_ERROR))
            self.play_button.setEnabled(False)
            return
        self.stack.setCurrentWidget(self.video)
        self.player.setSource(QUrl.fromLocalFile(path))
        self.player.play()
        self.play_button.setText(self.tr("Pause"))

    def toggle_play(self) -> None:
        if self.player is None:
            return
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
            self.play_button.setText(self.tr("Play"))
        else:
            self.player.play()
            self.play_button.setText(self.tr("Pause"))

    def stop(self) -> None:
        if self.player is not None:
            self.player.stop()

    def open_folder(self) -> None:
        if self.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.path).parent)))

    def copy_path(self) -> None:
        if self.path:
            QGuiApplication.clipboard().setText(self.path)

    def _on_player_error(self, _error, text: str) -> None:
        self.message.setText(self.tr("The video cannot be played here: {0}").format(text))
        self.stack.setCurrentWidget(self.message)
