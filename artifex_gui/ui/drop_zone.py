"""The image drop zone: drag a picture from the desktop or click to browse.

Anything that is not a readable picture is refused right here, with the reason shown inside
the zone; the zone never raises.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QIcon, QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from artifex_gui.paths import resource
from artifex_gui.sizing import ImageReadError, load_picture, source_size

THUMB_SIZE = QSize(220, 124)


def _paths_from_mime(mime: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


def thumbnail_image(picture, size: QSize = THUMB_SIZE) -> QImage:
    """``picture``: PIL RGB image → a small QImage (2× the label size: sharp on HiDPI)."""
    img = picture.copy()
    img.thumbnail((size.width() * 2, size.height() * 2))
    data = img.tobytes()
    qimage = QImage(data, img.width, img.height, img.width * 3, QImage.Format.Format_RGB888)
    return qimage.copy()  # own the pixels; ``data`` goes away


class ImageDropZone(QFrame):
    image_changed = Signal(str)  # path, "" when cleared
    image_rejected = Signal(str)  # message

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(150)
        self.setProperty("dragOver", False)
        self.path = ""
        self.image_size: tuple[int, int] | None = None

        self.thumb = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.thumb.setObjectName("dropThumb")
        self.thumb.setMinimumSize(QSize(120, 68))
        self.hint = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.hint.setObjectName("dropHint")
        self.hint.setWordWrap(True)
        self.message = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setObjectName("dropError")
        self.message.setWordWrap(True)
        self.message.hide()
        self.clear_button = QToolButton(text="✕")
        self.clear_button.setObjectName("dropClear")
        self.clear_button.setCursor(Qt.CursorShape.ArrowCursor)
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.hide()

        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.thumb, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        self.retranslate()

    def retranslate(self) -> None:
        self.clear_button.setToolTip(self.tr("Remove the image (text-to-video)"))
        self.setToolTip(self.tr("Drop a picture here or click to choose one"))
        self._show_hint()

    def _show_hint(self) -> None:
        if self.path and self.image_size:
            w, h = self.image_size
            self.hint.setText(f"{Path(self.path).name} · {w}×{h}")
        else:
            self.thumb.setPixmap(QIcon(str(resource("icons", "image_drop.svg"))).pixmap(QSize(48, 48)))
            self.hint.setText(
                self.tr("Drop a picture here or click to browse\n(optional — without one, text-to-video)")
            )

    # --------------------------------------------------------------------------- actions
    def set_image(self, path: str) -> bool:
        """Show ``path`` if it is a readable picture; otherwise refuse it with a message."""
        try:
            picture = load_picture(path)  # decoded like the engine will: EXIF, modes …
            size = source_size(picture)  # the file's size, even when decoded reduced
            thumb = thumbnail_image(picture)
        except ImageReadError as exc:
            self._reject(exc.message)
            return False
        except Exception as exc:  # Pillow can fail late on damaged data
            self._reject(self.tr("'{0}' cannot be read: {1}").format(Path(path).name, exc))
            return False
        self.path, self.image_size = str(path), size
        pix = QPixmap.fromImage(thumb)
        self.thumb.setPixmap(
            pix.scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        )
        self.message.hide()
        self.clear_button.show()
        self._show_hint()
        self.image_changed.emit(self.path)
        return True

    def clear(self) -> None:
        had = bool(self.path)
        self.path, self.image_size = "", None
        self.thumb.clear()
        self.clear_button.hide()
        self.message.hide()
        self._show_hint()
        if had:
            self.image_changed.emit("")

    def _reject(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()
        self.image_rejected.emit(message)

    def browse(self) -> None:
        start = str(Path(self.path).parent) if self.path else ""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose a picture"),
            start,
            self.tr("Pictures (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)"),
        )
        if path:
            self.set_image(path)

    # ----------------------------------------------------------------------------- events
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled():
            self.browse()
        super().mouseReleaseEvent(event)

    def _set_drag_over(self, on: bool) -> None:
        self.setProperty("dragOver", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _paths_from_mime(event.mimeData()):
            event.acceptProposedAction()
            self._set_drag_over(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:
        self._set_drag_over(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drag_over(False)
        paths = _paths_from_mime(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.set_image(paths[0])
