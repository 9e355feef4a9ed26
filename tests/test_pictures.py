"""Pictures through the engine: every kind decoded as a person sees it, refused ones named
before any model work, huge ones cheap in time and memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine import events as ev
from engine.imaging import open_image, output_size_for_image, source_size
from tests.fixtures_cases import (
    ACCEPTED,
    IMAGES,
    REFUSED,
    _gradient,
    make_image,
)
from tests.fixtures_runs import leftovers, phases, request_for, run

REPO = Path(__file__).resolve().parents[1]


def test_pictures_are_decoded_as_the_person_sees_them(tmp_path):
    """Pixel content, not just the mode: EXIF honoured, first GIF frame, CMYK/16-bit/gray
    converted right; alpha dropped exactly like the original ``convert("RGB")``."""
    pix = lambda name: np.asarray(open_image(make_image(tmp_path, name)))  # noqa: E731
    rotated = pix("exif rotated.jpg")
    assert rotated.shape == (60, 40, 3)
    assert rotated[5, 20, 0] > 200 and rotated[5, 20, 2] < 60  # shown top: red
    assert rotated[55, 20, 2] > 200 and rotated[55, 20, 0] < 60  # shown bottom: blue
    assert tuple(pix("animated.gif")[0, 0]) == (0, 204, 0)
    assert tuple(pix("cmyk.jpg")[0, 0]) == pytest.approx((255, 0, 0), abs=3)
    assert tuple(pix("deep 16-bit.png")[0, 0]) == (156, 156, 156)  # 40000/65535·255
    assert tuple(pix("grayscale.png")[0, 0]) == (77, 77, 77)
    assert tuple(pix("alpha.png")[0, 0]) == (0, 255, 0)


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_pictures_make_a_video_of_the_right_size(
    engine, tiny_checkpoint_dir, tmp_path, name
):
    image = make_image(tmp_path / "pictures", name)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out, image_path=str(image)))
    assert isinstance(final, ev.RunFinished), final
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert started.image_conditioned
    assert (started.width, started.height) == output_size_for_image(IMAGES[name][1], 128, 96)
    assert out.is_file()


@pytest.mark.parametrize("name", REFUSED)
def test_refused_pictures_name_the_file_before_any_model_work(
    engine, tiny_checkpoint_dir, tmp_path, name
):
    image = make_image(tmp_path / "pictures", name)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out, image_path=str(image)))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_image", final
    assert name in final.message and final.advice and not final.details
    assert phases(events) == [] and leftovers(out.parent) == []


def _peak_rss_of(code: str) -> tuple[int, str]:
    """Peak RSS (MiB) of a fresh interpreter running ``code`` — the test process's own
    high-water mark is shared with every other test."""
    # VmHWM belongs to the address space, so unlike ru_maxrss it does not inherit the
    # forking pytest process's high-water mark across exec.
    wrapped = code + (
        "\nhwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]"
        "\nprint('RSS', int(hwm.split()[1]) // 1024)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapped], cwd=REPO, capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split("RSS")[-1]), proc.stdout


@pytest.mark.skipif(
    not Path("/proc/self/status").is_file(), reason="peak memory read from /proc (Linux)"
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_12000x8000_picture_costs_neither_minutes_nor_gigabytes(tmp_path, fmt):
    """Without the reduction a 12000×8000 picture peaks above 1.1 GB (decoded RGB, the
    EXIF copy, the conversion copy); with it JPEG decodes at half scale and PNG is reduced
    right after decoding."""
    path = tmp_path / f"huge 큰 사진.{fmt.lower()}"
    small = Image.fromarray(_gradient(120, 80))
    small.resize((12000, 8000), Image.BILINEAR).save(
        path, format=fmt, **({"compress_level": 1} if fmt == "PNG" else {})
    )
    code = (
        "import time; from engine.imaging import open_image, prepare_image, output_size_for_image, source_size\n"
        f"t = time.perf_counter(); img = open_image({str(path)!r})\n"
        "w, h = output_size_for_image(source_size(img), 1280, 704); arr = prepare_image(img, w, h)\n"
        "print('SECONDS', time.perf_counter() - t, 'SIZE', source_size(img), 'OUT', (w, h), arr.shape)\n"
    )
    peak_mib, out = _peak_rss_of(code)
    expected = output_size_for_image((12000, 8000), 1280, 704)
    assert "SIZE (12000, 8000)" in out and f"OUT {expected}" in out, (
        out
    )  # the full picture's size decides
    assert peak_mib < (400 if fmt == "JPEG" else 800), f"peak RSS {peak_mib} MiB"
    assert float(out.split("SECONDS")[1].split()[0]) < 60


def test_a_huge_picture_through_the_engine_keeps_the_output_size_exact(
    engine, tiny_checkpoint_dir, tmp_path
):
    path = tmp_path / "huge.jpg"
    Image.fromarray(_gradient(120, 80)).resize((12000, 8000)).save(path, quality=80)
    img = open_image(path)
    assert img.size == (6000, 4000) and source_size(img) == (12000, 8000)  # decoded at half scale
    final, events = run(
        engine, request_for(tiny_checkpoint_dir, tmp_path / "o.mp4", image_path=str(path))
    )
    assert isinstance(final, ev.RunFinished), final
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert (started.width, started.height) == output_size_for_image((12000, 8000), 128, 96)
