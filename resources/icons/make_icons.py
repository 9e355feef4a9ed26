"""Regenerate artifex.png / artifex.ico from the same drawing as artifex.svg (Pillow only).

    python resources/icons/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent


def draw(size: int = 1024) -> Image.Image:
    s = size / 256
    # diagonal gradient #2563eb → #7c3aed
    grad = Image.new("RGB", (size, size))
    a, b = (0x25, 0x63, 0xEB), (0x7C, 0x3A, 0xED)
    px = grad.load()
    for y in range(size):
        for x in range(size):
            t = (x + y) / (2 * size - 2)
            px[x, y] = tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))
    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle([8 * s, 8 * s, 248 * s, 248 * s], radius=52 * s, fill=255)
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    img.paste(grad, (0, 0), mask)
    overlay = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(overlay)
    d.rounded_rectangle([40 * s, 64 * s, 216 * s, 192 * s], radius=18 * s, outline=(255, 255, 255, 90), width=int(8 * s))
    d.polygon([(106 * s, 92 * s), (170 * s, 128 * s), (106 * s, 164 * s)], fill=(255, 255, 255, 255))
    star = [(192, 40), (199, 57), (216, 64), (199, 71), (192, 88), (185, 71), (168, 64), (185, 57)]
    d.polygon([(x * s, y * s) for x, y in star], fill=(0xFD, 0xE6, 0x8A, 255))
    return Image.alpha_composite(img, overlay)


def main() -> None:
    big = draw(1024)
    big.resize((256, 256), Image.LANCZOS).save(HERE / "artifex.png")
    big.resize((256, 256), Image.LANCZOS).save(
        HERE / "artifex.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    )


if __name__ == "__main__":
    main()
