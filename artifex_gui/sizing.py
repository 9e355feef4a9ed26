"""Output sizes, clip lengths and picture checks, torch-free, so the inputs panel can show
them live.

The output-size rule and the way a picture is opened (EXIF rotation, 16-bit, palette …) come
from ``engine.imaging`` — the same code the engine runs — so the size shown under the drop
zone is the size the video will have.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from artifex_gui.engine_bridge import (
    best_output_size,
    open_image,
    output_size_for_image,
    source_size,
)

SIZE_MULTIPLE = 32  # patch (2) × VAE spatial stride (16)
THUMBNAIL_PIXELS = 1_000_000  # the drop zone decodes huge pictures reduced to about this
DEFAULT_FPS = 24

__all__ = [
    "ImageReadError",
    "best_output_size",
    "clip_seconds",
    "image_output_size",
    "load_picture",
    "source_size",
    "snap_frames",
    "snap_side",
]


def image_output_size(image_size: tuple[int, int], width: int, height: int) -> tuple[int, int]:
    """The video size a picture of ``image_size`` (w, h) produces at ``width``×``height``:
    its aspect ratio, area ≤ width·height, both sides multiples of 32."""
    return output_size_for_image(image_size, width, height, SIZE_MULTIPLE)


def snap_side(value: int) -> int:
    """Nearest multiple of 32 within 32..4096."""
    return min(4096, max(SIZE_MULTIPLE, int(round(value / SIZE_MULTIPLE)) * SIZE_MULTIPLE))


def snap_frames(frames: int) -> int:
    """Nearest 4n+1 frame count, at least 1."""
    return max(1, int(round((frames - 1) / 4)) * 4 + 1)


def clip_seconds(frames: int, fps: int = DEFAULT_FPS) -> float:
    return frames / fps


class ImageReadError(Exception):
    """The file is not a picture we can read; ``message`` says why, for the drop zone."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def load_picture(path: str | Path):
    """The picture as the engine will see it (8-bit RGB, EXIF-rotated PIL image), reduced
    for a thumbnail when it is huge (its full size is ``source_size(picture)``); raises
    :class:`ImageReadError` with a message for the drop zone."""
    from engine.errors import ImageError

    try:
        return open_image(path, max_pixels=THUMBNAIL_PIXELS)
    except ImageError as exc:
        raise ImageReadError(exc.message) from None
    except Exception as exc:  # noqa: BLE001 — the zone must never crash on a file
        message = QCoreApplication.translate("ImageDropZone", "'{0}' cannot be read: {1}")
        raise ImageReadError(message.format(Path(path).name, exc)) from None
