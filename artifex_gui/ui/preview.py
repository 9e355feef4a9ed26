"""The live preview: the frames of the current denoised estimate that the engine sends each
step (``Preview`` events, computed from the latent→RGB factors, no VAE), played in a loop."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


def frame_to_qimage(frame: np.ndarray) -> QImage:
    """uint8 [h, w, 3] → QImage (copied, so the array may go away)."""
    frame = np.ascontiguousarray(frame[..., :3], dtype=np.uint8)
    h, w, _ = frame.shape
    return QImage(frame.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class PreviewView(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewView")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(QSize(240, 135))
        self.images: list[QImage] = []
        self._index = 0
        self._timer = QTimer(self, interval=1000 // 8)  # loop the few preview frames at 8 fps
        self._timer.timeout.connect(self._next_frame)
        self.clear_preview()

    def clear_preview(self) -> None:
        self.images = []
        self._timer.stop()
        self.clear()
        self.setText(self.tr("The preview of each step appears here"))

    def set_frames(self, frames) -> None:
        """``frames``: numpy uint8 [n, h, w, 3] (or [h, w, 3])."""
        array = np.asarray(frames)
        if array.ndim == 3:
            array = array[None]
        if array.ndim != 4 or array.shape[0] == 0:
            return
        self.images = [frame_to_qimage(f) for f in array]
        self._index = min(self._index, len(self.images) - 1)
        self._show(self._index)
        if len(self.images) > 1 and not self._timer.isActive():
            self._timer.start()
        elif len(self.images) <= 1:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    def _next_frame(self) -> None:
        if not self.images or not self.isVisible():
            return
        self._index = (self._index + 1) % len(self.images)
        self._show(self._index)

    def _show(self, index: int) -> None:
        pix = QPixmap.fromImage(self.images[index])
        self.setPixmap(pix.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.images:
            self._show(self._index)
