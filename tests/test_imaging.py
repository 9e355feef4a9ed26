"""Image-to-video size selection and image preparation (DESIGN.md §2)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from engine.errors import ImageError
from engine.imaging import best_output_size, open_image, output_size_for_image, prepare_image


@pytest.mark.parametrize(
    "image,size,expected",
    [
        ((1920, 1080), (1280, 704), (1248, 704)),  # 16:9 landscape
        ((1080, 1920), (1280, 704), (704, 1248)),  # 9:16 portrait
        ((1000, 1000), (1280, 704), (960, 928)),  # square: a tie, the original keeps height-first
        ((1280, 704), (1280, 704), (1280, 704)),  # already the right shape
        ((4000, 3000), (704, 1280), (1088, 800)),  # 4:3: area bound, not the box
    ],
)
def test_output_size(image, size, expected):
    w, h = output_size_for_image(image, *size)
    assert (w, h) == expected
    assert w % 32 == 0 and h % 32 == 0 and w * h <= size[0] * size[1]


def test_best_output_size_prefers_closer_ratio():
    # width-first gives 1248×704 (ratio 1.773) vs height-first 1280×704 (1.818) for 16:9
    assert best_output_size(1920, 1080, 32, 32, 1280 * 704) == (1248, 704)


def test_prepare_image_crops_centre_and_scales(tmp_path):
    arr = np.zeros((100, 300, 3), np.uint8)
    arr[:, 100:200] = 255  # white centre third
    img = Image.fromarray(arr)
    out = prepare_image(img, 64, 64)
    assert out.shape == (3, 64, 64) and out.dtype == np.float32
    assert out.min() >= -1.0 and out.max() <= 1.0
    assert out[:, 32, 32].mean() == pytest.approx(1.0)  # centre is white → +1


def test_exif_rotation_is_honoured(tmp_path):
    img = Image.new("RGB", (40, 20), "red")
    exif = img.getexif()
    exif[0x0112] = 6  # rotate 90° on display
    path = tmp_path / "rotated.jpg"
    img.save(path, exif=exif)
    assert open_image(path).size == (20, 40)


def test_modes_converted(tmp_path):
    for mode, ext in (("CMYK", "jpg"), ("L", "png"), ("RGBA", "png"), ("P", "png")):
        p = tmp_path / f"img_{mode}.{ext}"
        Image.new(mode, (10, 8)).save(p)
        assert open_image(p).mode == "RGB"
    p16 = tmp_path / "deep.png"
    Image.fromarray(np.full((8, 10), 65535, np.uint16)).save(p16)
    assert np.asarray(open_image(p16)).max() == 255


def test_not_an_image_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "notes 새 폴더.png"
    bad.write_text("hello")
    with pytest.raises(ImageError, match="notes 새 폴더.png"):
        open_image(bad)
