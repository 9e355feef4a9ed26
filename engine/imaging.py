"""The conditioning image: open, check, size and crop exactly like the original.

Torch-free (Pillow + numpy), so the GUI can show the output size an image will produce.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.errors import ImageError

MAX_IMAGE_PIXELS = 200_000_000  # refuse decompression bombs with our own message


def best_output_size(w: int, h: int, dw: int, dh: int, expected_area: int) -> tuple[int, int]:
    """The original ``best_output_size``: (width, height) with the image's aspect ratio,
    area ≤ ``expected_area``, multiples of (dw, dh); tries width-first and height-first
    rounding and keeps the one whose ratio is closer."""
    ratio = w / h
    ow = (expected_area * ratio) ** 0.5
    oh = expected_area / ow
    ow1 = int(ow // dw * dw)
    oh1 = int(expected_area / ow1 // dh * dh)
    ratio1 = ow1 / oh1
    oh2 = int(oh // dh * dh)
    ow2 = int(expected_area / oh2 // dw * dw)
    ratio2 = ow2 / oh2
    if max(ratio / ratio1, ratio1 / ratio) < max(ratio / ratio2, ratio2 / ratio):
        return ow1, oh1
    return ow2, oh2


def open_image(path: str | Path):
    """Open a picture as 8-bit RGB, honouring EXIF rotation.  Animated images give their
    first frame; 16-bit, CMYK, grayscale and palette images are converted.  Raises
    ImageError naming the file for anything that is not a readable picture."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ImageError(f"The image '{path}' does not exist.", "Pick an existing picture.")
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(path) as img:
            img.seek(0)
            img.load()
            img = ImageOps.exif_transpose(img)
            if img.mode in ("I;16", "I;16B", "I;16L", "I"):
                arr = np.asarray(img, dtype=np.float64)
                peak = 65535.0 if arr.max() > 255 else 255.0
                img = Image.fromarray(np.clip(arr / peak * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
            rgb = img.convert("RGB")
    except Image.DecompressionBombError as exc:
        raise ImageError(
            f"The image '{name}' is too large to open safely ({exc}).",
            "Use a picture under 200 megapixels; it is resized to the video size anyway.",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageError(
            f"'{name}' is not a picture Artifex can read ({type(exc).__name__}: {exc}).",
            "Use a PNG, JPEG, WebP, BMP or TIFF image, and check the file is not damaged.",
        ) from None
    if rgb.width < 2 or rgb.height < 2:
        raise ImageError(f"The image '{name}' is only {rgb.width}×{rgb.height} pixels.", "Use a real picture.")
    return rgb


def output_size_for_image(image_size: tuple[int, int], max_width: int, max_height: int, multiple: int = 32) -> tuple[int, int]:
    """Video (width, height) an image of ``image_size`` produces at a chosen size."""
    return best_output_size(image_size[0], image_size[1], multiple, multiple, max_width * max_height)


def prepare_image(img, out_w: int, out_h: int) -> np.ndarray:
    """Lanczos-resize to cover (out_w, out_h), centre-crop, scale to [-1, 1].
    Returns float32 [3, H, W] (as the original: resize, crop, to_tensor, (x−0.5)/0.5)."""
    from PIL import Image

    iw, ih = img.size
    scale = max(out_w / iw, out_h / ih)
    img = img.resize((round(iw * scale), round(ih * scale)), Image.LANCZOS)
    x1 = (img.width - out_w) // 2
    y1 = (img.height - out_h) // 2
    img = img.crop((x1, y1, x1 + out_w, y1 + out_h))
    arr = np.asarray(img, dtype=np.float32) / 255.0
    return ((arr - 0.5) / 0.5).transpose(2, 0, 1).copy()
