"""engine.outputs.video: streamed atomic mp4 writing, metadata, recovery when saving fails."""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from engine.errors import Cancelled, SaveError
from engine.outputs import video as video_mod
from engine.outputs.video import (
    VideoWriter,
    float_video_to_uint8,
    read_video_info,
    video_metadata,
    write_video,
)
from engine.outputs.video_files import (
    check_output_path,
    default_output_name,
    load_recovered_frames,
    save_frames_fallback,
    stale_temp_files,
)
from tests.fixtures_video import _parse_ffmetadata, read_video_frames, read_video_metadata

WIDTH, HEIGHT = 64, 48


def _clip(frames: int = 12) -> np.ndarray:
    """Smooth moving gradients [F, H, W, 3] uint8 that H.264 reproduces closely."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    out = np.empty((frames, HEIGHT, WIDTH, 3), np.uint8)
    for f in range(frames):
        out[f, ..., 0] = (x * 4 + f * 8) % 256
        out[f, ..., 1] = (y * 5) % 256
        out[f, ..., 2] = 40 + f * 10
    return out


def _wait_for(path: Path | None, seconds: float = 10.0) -> bool:
    """ffmpeg creates its output a moment after the first frames arrive."""
    deadline = time.monotonic() + seconds
    while path is not None and time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.01)
    return False


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_roundtrip_frames_size_fps_and_content(tmp_path):
    clip = _clip(12)
    target = tmp_path / "out.mp4"
    with VideoWriter(target, (WIDTH, HEIGHT), fps=24) as writer:
        for start in range(0, 12, 4):  # three chunks, as the decoder streams them
            writer.write(clip[start : start + 4])
    assert writer.frames_written == 12
    assert read_video_info(target) == (12, WIDTH, HEIGHT, 24.0)
    decoded = read_video_frames(target)
    assert decoded.shape == clip.shape
    # Lossy, but close (CRF 10): a wrong channel order or frame order would be far off.
    assert np.abs(decoded.astype(int) - clip.astype(int)).mean() < 4.0
    assert _leftovers(tmp_path) == ["out.mp4"]


def test_other_fps_is_written(tmp_path):
    target = write_video(_clip(5), tmp_path / "f.mp4", fps=16)
    assert read_video_info(target) == (5, WIDTH, HEIGHT, 16.0)


def test_korean_and_spaces_in_path_and_missing_folder_created(tmp_path):
    folder = tmp_path / "새 폴더" / "내 영상 들"
    target = folder / "고양이 video 1.mp4"
    assert not folder.exists()
    write_video(_clip(6), target, metadata=video_metadata("바다 위의 고양이", "", 7, {}))
    assert read_video_info(target)[:3] == (6, WIDTH, HEIGHT)
    assert read_video_metadata(target)["title"] == "바다 위의 고양이"
    assert _leftovers(folder) == ["고양이 video 1.mp4"]


def test_metadata_prompt_negative_seed_settings_read_back(tmp_path):
    settings = {"steps": 3, "guidance": 5.0, "odd": "a=b;c#d\\e"}
    meta = video_metadata("a cat\non a boat = fun", "blurry, 色调艳丽", 1234, settings)
    target = write_video(_clip(3), tmp_path / "m.mp4", metadata=meta)
    tags = read_video_metadata(target)
    assert tags["title"] == "a cat\non a boat = fun"
    assert "1234" in tags["description"] and "色调艳丽" in tags["description"]
    payload = json.loads(tags["comment"])
    assert payload["prompt"] == "a cat\non a boat = fun"
    assert payload["negative_prompt"] == "blurry, 色调艳丽"
    assert payload["seed"] == 1234
    assert payload["settings"] == settings


def test_huge_settings_are_capped_but_stay_valid_json():
    meta = video_metadata("p" * 100, "n", 1, {"blob": "x" * 50_000})
    assert len(meta["comment"]) <= video_mod.MAX_METADATA_CHARS
    assert json.loads(meta["comment"])["settings"] == {"truncated": True}


def test_cancel_inside_with_leaves_no_file_and_no_temp(tmp_path):
    target = tmp_path / "cancelled.mp4"
    with pytest.raises(Cancelled):
        with VideoWriter(target, (WIDTH, HEIGHT)) as writer:
            writer.write(_clip(12))
            assert _wait_for(writer.temp_path)  # ffmpeg has started the temp file
            raise Cancelled("save")
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_abort_removes_temp_and_target_stays_untouched(tmp_path):
    target = tmp_path / "keep.mp4"
    target.write_bytes(b"previous video")  # an older file of the same name survives abort
    writer = VideoWriter(target, (WIDTH, HEIGHT))
    writer.open()
    writer.write(_clip(12))
    assert _wait_for(writer.temp_path)
    writer.abort()
    assert target.read_bytes() == b"previous video"
    assert _leftovers(tmp_path) == ["keep.mp4"]


def test_keyboard_interrupt_leaves_nothing(tmp_path):
    target = tmp_path / "ctrl_c.mp4"
    with pytest.raises(KeyboardInterrupt):
        with VideoWriter(target, (WIDTH, HEIGHT)) as writer:
            writer.write(_clip(2))
            raise KeyboardInterrupt
    assert _leftovers(tmp_path) == []


def test_unwritable_folder_refused_up_front(tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with pytest.raises(SaveError) as info:
        check_output_path(blocker / "sub" / "out.mp4")
    assert "cannot be created" in info.value.message and info.value.advice


def test_folder_as_target_refused(tmp_path):
    (tmp_path / "clip.mp4").mkdir()
    with pytest.raises(SaveError, match="is a folder"):
        check_output_path(tmp_path / "clip.mp4")


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="permission bits do not bind root/Windows"
)
def test_read_only_folder_refused_up_front(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(SaveError, match="not writable"):
            check_output_path(folder / "out.mp4")
    finally:
        folder.chmod(stat.S_IRWXU)


def test_not_enough_disk_space_refused(tmp_path):
    with pytest.raises(SaveError, match="free"):
        check_output_path(tmp_path / "x.mp4", needed_bytes=2**62)
    assert check_output_path(tmp_path / "x.mp4", needed_bytes=1) == (tmp_path / "x.mp4").absolute()
    assert _leftovers(tmp_path) == []  # the probe file is gone


def _fake_ffmpeg(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake_ffmpeg.sh"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return str(script)


@pytest.mark.skipif(sys.platform == "win32", reason="fake ffmpeg is a shell script")
def test_ffmpeg_dying_mid_write_raises_save_error_and_keeps_every_frame(tmp_path, monkeypatch):
    # ffmpeg exits at once (as on "No space left on device"): writes hit a broken pipe.
    fake = _fake_ffmpeg(tmp_path, "exit 1")
    monkeypatch.setattr("imageio_ffmpeg._io.get_ffmpeg_exe", lambda: fake)
    out_dir = tmp_path / "out"
    recovery = tmp_path / "recovery"
    clip = np.concatenate([_clip(12)] * 4)  # 48 frames: more than a pipe buffer holds
    writer = VideoWriter(out_dir / "v.mp4", (WIDTH, HEIGHT), recovery_folders=[recovery])
    with pytest.raises(SaveError) as info:
        with writer:
            for start in range(0, len(clip), 8):
                writer.write(clip[start : start + 8])  # must not raise: frames keep coming
    error = info.value
    assert error.recovered_path is not None
    frames, fps, meta = load_recovered_frames(error.recovered_path)
    np.testing.assert_array_equal(frames, clip)  # all 48, bit for bit
    assert fps == 24.0
    assert meta["intended_path"] == str((out_dir / "v.mp4").absolute())
    assert "48 frames were kept" in error.message
    assert _leftovers(out_dir) == []  # no half file, no temp


@pytest.mark.skipif(sys.platform == "win32", reason="fake ffmpeg is a shell script")
def test_truncated_output_detected_by_verification(tmp_path, monkeypatch):
    # ffmpeg "succeeds" but leaves a broken file (disk filled while writing the index).
    fake = _fake_ffmpeg(
        tmp_path, 'cat > /dev/null; for a; do last="$a"; done; printf junk > "$last"'
    )
    monkeypatch.setattr("imageio_ffmpeg._io.get_ffmpeg_exe", lambda: fake)
    out_dir = tmp_path / "out"
    with pytest.raises(SaveError) as info:
        write_video(_clip(6), out_dir / "v.mp4", recovery_folders=[tmp_path / "rec"])
    # Says what happened (not a finished MP4), and no disk-space advice: the disk is not full.
    assert "is not a complete video" in info.value.message
    assert "not an MP4 file" in info.value.message
    assert "disk space" not in info.value.advice
    frames, _, _ = load_recovered_frames(info.value.recovered_path)
    np.testing.assert_array_equal(frames, _clip(6))
    assert _leftovers(out_dir) == []


def test_locked_target_on_rename_keeps_frames(tmp_path, monkeypatch):
    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(video_mod.os, "replace", locked)
    with pytest.raises(SaveError) as info:
        write_video(_clip(4), tmp_path / "v.mp4", recovery_folders=[tmp_path / "a", tmp_path / "b"])
    assert "open in a player" in info.value.message
    # os.replace is what save_frames_fallback uses too, so folder "a" fails as well... and
    # "b" too: with nowhere to keep them the error says so instead of pretending.
    assert info.value.recovered_path is None
    assert "keeping the frames failed too" in info.value.message
    assert not (tmp_path / "v.mp4").exists()


def test_rename_failure_recovers_when_a_folder_works(tmp_path, monkeypatch):
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(".mp4"):
            raise PermissionError(13, "locked")
        return real_replace(src, dst)

    monkeypatch.setattr(video_mod.os, "replace", replace)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, so this recovery folder cannot be made")
    with pytest.raises(SaveError) as info:
        write_video(_clip(4), tmp_path / "v.mp4", recovery_folders=[blocked, tmp_path / "rec"])
    assert Path(info.value.recovered_path).parent == tmp_path / "rec"
    np.testing.assert_array_equal(load_recovered_frames(info.value.recovered_path)[0], _clip(4))
    assert sorted(_leftovers(tmp_path)) == ["blocked", "rec"]


def test_save_frames_fallback_accepts_chunks(tmp_path):
    clip = _clip(5)
    path = save_frames_fallback([clip[:2], clip[2:]], tmp_path / "r", fps=16, metadata={"seed": 3})
    frames, fps, meta = load_recovered_frames(path)
    np.testing.assert_array_equal(frames, clip)
    assert (fps, meta) == (16.0, {"seed": 3})
    assert _leftovers(tmp_path / "r") == [path.name]


def test_writer_rejects_wrong_frames(tmp_path):
    with pytest.raises(ValueError):
        VideoWriter(tmp_path / "odd.mp4", (63, 48))
    with VideoWriter(tmp_path / "v.mp4", (WIDTH, HEIGHT)) as writer:
        with pytest.raises(ValueError):
            writer.write(np.zeros((1, HEIGHT, WIDTH, 3), np.float32))
        with pytest.raises(ValueError):
            writer.write(np.zeros((1, WIDTH, HEIGHT, 3), np.uint8))
        writer.write(_clip(1)[0])  # a single [H, W, 3] frame is fine
    assert read_video_info(tmp_path / "v.mp4")[0] == 1


def test_stale_temp_files_listed(tmp_path):
    (tmp_path / ".a.mp4.part-1234abcd").write_bytes(b"x")
    (tmp_path / "a.mp4").write_bytes(b"x")
    assert [p.name for p in stale_temp_files(tmp_path)] == [".a.mp4.part-1234abcd"]


# --------------------------------------------------------------------------- uint8 rule


def test_uint8_rule_truncates_like_wan_save_video():
    values = np.array([-3.0, -1.0, -0.5, 0.0, 0.999, 1.0, 2.0, 0.003922], np.float32)
    video = np.broadcast_to(values[None, None, None, :], (3, 1, 1, len(values)))
    frames = float_video_to_uint8(video)
    # 0.0 → 127.5 → 127 (rounding would give 128); 0.999 → 254.87 → 254.
    assert frames[0, 0, :, 0].tolist() == [0, 0, 63, 127, 254, 255, 255, 128]


def test_uint8_rule_matches_torch_reference_bit_for_bit():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    video = rng.normal(0, 0.8, size=(3, 5, 6, 7)).astype(np.float32)
    # Wan's save_video: clamp, make_grid(normalize, value_range=(-1,1)) = clamp_.sub_(-1).div_(2),
    # then (t * 255).type(torch.uint8), permuted to [F, H, W, C].
    t = torch.from_numpy(video).clamp(-1, 1)
    t = t.clamp(min=-1, max=1).sub(-1).div(max(1 - (-1), 1e-5))
    expected = (t * 255).type(torch.uint8).permute(1, 2, 3, 0).numpy()
    np.testing.assert_array_equal(float_video_to_uint8(video), expected)


def test_uint8_layout_channels_last():
    video = np.full((3, 2, 4, 6), -1.0, np.float32)
    video[0] = 1.0  # red channel full
    frames = float_video_to_uint8(video)
    assert frames.shape == (2, 4, 6, 3) and frames.flags.c_contiguous
    assert frames[..., 0].min() == 255 and frames[..., 1:].max() == 0
    with pytest.raises(ValueError):
        float_video_to_uint8(np.zeros((2, 4, 6, 3), np.float32))


# --------------------------------------------------------------------------- names


def test_default_output_name_like_generate_py():
    when = datetime(2025, 8, 1, 12, 30, 5)
    name = default_output_name("A cat/dog on a boat", (1280, 704), 42, now=when)
    assert name == "ti2v-5B_1280x704_A_cat_dog_on_a_boat_20250801_123005_42.mp4"
    assert default_output_name("x", "704*1280", 1, now=when).startswith("ti2v-5B_704x1280_x_")


def test_default_output_name_sanitised_and_limited():
    when = datetime(2025, 1, 1)
    name = default_output_name('바다 <고양이>: "what?" |*\\ ' + "z" * 100, (64, 64), 0, now=when)
    prompt_part = name[len("ti2v-5B_64x64_") : -len("_20250101_000000_0.mp4")]
    assert len(prompt_part) <= 50
    assert not set('<>:"/\\|?* ') & set(name)
    assert prompt_part.startswith("바다__고양이")
    assert "untitled" in default_output_name("   ", (64, 64), 0, now=when)
    assert "untitled" in default_output_name("CON", (64, 64), 0, now=when)


def test_ffmetadata_parser_undoes_escapes():
    text = ";FFMETADATA1\ntitle=a\\=b\\;c\\#d\\\\e\\\nline2\ncomment=x\n"
    assert _parse_ffmetadata(text) == {"title": "a=b;c#d\\e\nline2", "comment": "x"}
