"""The conditioning image: open, check, size and crop exactly like the original.

Torch-free (Pillow + numpy), so the GUI can show the output size an image will produce.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.errors import ImageError

MAX_IMAGE_PIXELS = 200_000_000  # refuse decompression bombs with our own message
WORKING_PIXELS = 4096 * 4096  # huge pictures are reduced to no fewer pixels than this


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


def _reduction_factor(size: tuple[int, int], max_pixels: int | None) -> int:
    """Largest integer factor that keeps at least ``max_pixels`` pixels (1: keep as is)."""
    if not max_pixels:
        return 1
    w, h = size
    k = 1
    while (w // (k + 1)) * (h // (k + 1)) >= max_pixels:
        k += 1
    return k


def open_image(path: str | Path, *, max_pixels: int | None = WORKING_PIXELS):
    """Open a picture as 8-bit RGB, honouring EXIF rotation.  Animated images give their
    first frame; 16-bit, CMYK, grayscale and palette images are converted; alpha is dropped
    as the original ``Image.open(...).convert("RGB")`` does.  Raises ImageError naming the
    file for anything that is not a readable picture.

    Huge pictures are reduced by an integer factor while (JPEG) or right after decoding so
    that at least ``max_pixels`` pixels stay (default: a 4096×4096 video's worth, so the
    video is always downscaled from more pixels than it has): a 12000×8000 photo costs
    about a second and a few hundred MB instead of many seconds and more than a GB.
    ``max_pixels=None`` keeps every pixel.  The EXIF-rotated size of the file itself is in
    ``img.info["source_size"]`` (see :func:`source_size`); output sizes are computed from
    it, so the reduction never changes the video's size.
    """
    import warnings

    from PIL import Image, ImageOps, UnidentifiedImageError

    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ImageError(f"The image '{path}' does not exist.", "Pick an existing picture.")
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                # Refuse before decoding anything: the header alone says how big it is.
                if img.width * img.height > MAX_IMAGE_PIXELS:
                    raise Image.DecompressionBombError(
                        f"{img.width}×{img.height} = {img.width * img.height / 1e6:.0f} megapixels"
                    )
                img.seek(0)
                stored = img.size
                k = _reduction_factor(stored, max_pixels)
                if k > 1 and img.format == "JPEG":
                    img.draft(img.mode if img.mode in ("RGB", "L") else None, (stored[0] // k, stored[1] // k))
                reduce_after = k > 1 and img.size == stored  # not a JPEG, or draft could not scale
                img.load()
                orientation = img.getexif().get(0x0112, 1)
                source = (stored[1], stored[0]) if orientation in (5, 6, 7, 8) else stored
                ImageOps.exif_transpose(img, in_place=True)
                if img.mode.startswith("I;16") or img.mode == "I":
                    arr = np.asarray(img, dtype=np.float32)
                    peak = 65535.0 if arr.max() > 255 else 255.0
                    img = Image.fromarray(np.clip(arr / peak * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
                rgb = img if img.mode == "RGB" else img.convert("RGB")
                if reduce_after:
                    rgb = rgb.reduce(k)
    except Image.DecompressionBombError as exc:
        raise ImageError(
            f"The image '{name}' is too large to open safely ({exc}).",
            f"Use a picture under {MAX_IMAGE_PIXELS // 1_000_000} megapixels; it is resized to the video size anyway.",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(
            f"'{name}' is not a picture Artifex can read ({type(exc).__name__}: {exc}).",
            "Use a PNG, JPEG, WebP, BMP or TIFF image, and check the file is not damaged.",
        ) from None
    if source[0] < 2 or source[1] < 2:
        raise ImageError(f"The image '{name}' is only {source[0]}×{source[1]} pixels.", "Use a real picture.")
    rgb.info["source_size"] = source
    return rgb


def source_size(img) -> tuple[int, int]:
    """(width, height) of the picture file, EXIF rotation applied, before any reduction
    :func:`open_image` made; the output size is computed from this."""
    return tuple(img.info.get("source_size", img.size))


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
