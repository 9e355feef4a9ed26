"""engine.outputs.mp4: frames, size and fps read from the MP4 container, for every ffmpeg build.

Issue 12: imageio-ffmpeg 0.6.0's ffmpeg prints no ``frame=`` for a stream copy, and every
good video was reported unreadable after the whole generation.  Nothing here may depend on
what ffmpeg prints.
"""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from engine.errors import SaveError
from engine.outputs import video as video_mod
from engine.outputs.mp4 import Mp4Error, video_facts
from engine.outputs.video import read_video_info, write_video


def _clip(frames: int, width: int = 64, height: int = 48) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width]
    out = np.empty((frames, height, width, 3), np.uint8)
    for f in range(frames):
        out[f, ..., 0] = (x * 3 + f * 9) % 256
        out[f, ..., 1] = (y * 5) % 256
        out[f, ..., 2] = (30 + f * 7) % 256
    return out


@pytest.mark.parametrize("frames,fps", [(1, 24.0), (13, 24.0), (9, 16.0), (121, 24.0)])
def test_written_video_facts_from_the_container(tmp_path, frames, fps):
    out = write_video(_clip(frames, 96, 64), tmp_path / "v.mp4", fps=fps)
    facts = video_facts(out)
    assert (facts.frames, facts.width, facts.height) == (frames, 96, 64)
    assert facts.fps == pytest.approx(fps)
    assert facts.duration_s == pytest.approx(frames / fps, rel=1e-3)


def test_no_ffmpeg_output_is_parsed_when_verifying(tmp_path, monkeypatch):
    """An ffmpeg that prints nothing for probes (like 0.6.0's) must not fail the save:
    the check reads the container and never runs ffmpeg."""

    def no_probe(*args, **kwargs):  # any probe would be a regression
        raise AssertionError(f"ffmpeg was run to verify the file: {args}")

    monkeypatch.setattr(subprocess, "run", no_probe)
    out = write_video(_clip(7), tmp_path / "v.mp4")
    assert read_video_info(out) == (7, 64, 48, 24.0)


def test_fragmented_mp4_is_counted(tmp_path):
    import imageio_ffmpeg

    src = write_video(_clip(10), tmp_path / "v.mp4")
    frag = tmp_path / "frag.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(src),
            "-c",
            "copy",
            "-movflags",
            "frag_keyframe+empty_moov",
            str(frag),
        ],
        check=True,
    )
    facts = video_facts(frag)
    assert (facts.frames, facts.width, facts.height) == (10, 64, 48)


def test_cut_off_file_is_named_as_such(tmp_path):
    out = write_video(_clip(12), tmp_path / "v.mp4")
    data = out.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) - 200])
    with pytest.raises(Mp4Error, match="cut off"):
        video_facts(cut)
    with pytest.raises(SaveError, match="not a readable video: the file is cut off"):
        read_video_info(cut)


def test_missing_index_and_not_mp4(tmp_path):
    out = write_video(_clip(4), tmp_path / "v.mp4")
    data = out.read_bytes()
    # Keep ftyp and mdat only: what a killed ffmpeg leaves without +faststart.
    no_moov = tmp_path / "nomoov.mp4"
    pos, kept = 0, b""
    while pos < len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind != b"moov":
            kept += data[pos : pos + size]
        pos += size
    no_moov.write_bytes(kept)
    with pytest.raises(Mp4Error, match="no index"):
        video_facts(no_moov)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00\x00\x00\x10abcdabcdabcdabcd")
    with pytest.raises(Mp4Error, match="not an MP4"):
        video_facts(junk)


def test_disk_space_advice_only_when_the_disk_is_full(tmp_path, monkeypatch):
    import shutil
    from collections import namedtuple

    def wrong_frames(self):  # the file is fine on disk, but holds fewer frames than sent
        self._fail("the written file holds 3 frames instead of 6")

    monkeypatch.setattr(video_mod.VideoWriter, "_verify_temp", wrong_frames)
    with pytest.raises(SaveError) as info:
        write_video(_clip(6), tmp_path / "a.mp4", recovery_folders=[tmp_path / "rec"])
    assert "disk space" not in info.value.advice
    assert "report this" in info.value.advice

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10**9, 10**9, 1024))
    with pytest.raises(SaveError) as info:
        write_video(_clip(6), tmp_path / "b.mp4", recovery_folders=[tmp_path / "rec"])
    assert "free some disk space" in info.value.advice
