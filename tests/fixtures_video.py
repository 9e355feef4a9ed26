"""Test-only readers of the videos the engine writes: every frame, and the container tags
(read with the bundled ffmpeg; the product reads frame counts and sizes from the MP4
container itself, engine/outputs/mp4.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import numpy as np

from engine.errors import SaveError

_PROBE_TIMEOUT_S = 60.0


def _run_ffmpeg(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    import imageio_ffmpeg

    # Ctrl+C in a terminal goes to the whole process group: the probe must not die of it
    # (a killed probe would turn a cancel into "the file cannot be read back"); the engine
    # handles the interrupt itself.  imageio-ffmpeg shields its writer the same way.
    kwargs: dict[str, Any] = {}
    if sys.platform == "win32":
        # CREATE_NO_WINDOW (no console flash in the GUI) | CREATE_NEW_PROCESS_GROUP
        kwargs["creationflags"] = 0x08000000 | 0x00000200
    else:
        kwargs["start_new_session"] = True
    try:
        return subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-hide_banner", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_PROBE_TIMEOUT_S,
            check=False,
            **kwargs,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SaveError(f"ffmpeg could not run: {exc}.", "Reinstall Artifex.") from exc


def read_video_frames(path: str | os.PathLike[str]) -> np.ndarray:
    """All frames of a video as ``[F, H, W, 3]`` uint8 (for tests and thumbnails)."""
    import imageio_ffmpeg

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    width, height = meta["size"]
    frames = [np.frombuffer(b, np.uint8).reshape(height, width, 3) for b in reader]
    return np.stack(frames) if frames else np.zeros((0, height, width, 3), np.uint8)


def read_video_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """The container tags of a video (``title``, ``comment``, ``description`` …), read with
    the bundled ffmpeg in its ``ffmetadata`` format (escapes undone)."""
    result = _run_ffmpeg(["-i", str(path), "-f", "ffmetadata", "-"])
    if result.returncode != 0:
        raise SaveError(f"Cannot read the tags of '{path}'.", "Check that the file is a video.")
    return _parse_ffmetadata(result.stdout.decode("utf-8", "replace"))


def _parse_ffmetadata(text: str) -> dict[str, str]:
    tags: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line or line.startswith(";") or line.startswith("#") or line.startswith("["):
            continue
        # A backslash at the end of a line is an escaped newline: join the next line.
        while _ends_with_odd_backslashes(line) and i < len(lines):
            line = line[:-1] + "\n" + lines[i]
            i += 1
        key, value = _split_unescaped(line)
        if key is not None:
            tags[key] = value
    return tags


def _ends_with_odd_backslashes(line: str) -> bool:
    count = len(line) - len(line.rstrip("\\"))
    return count % 2 == 1


def _split_unescaped(line: str) -> tuple[str | None, str]:
    key_chars: list[str] = []
    value_chars: list[str] = []
    target = key_chars
    escaped = False
    for char in line:
        if escaped:
            target.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "=" and target is key_chars:
            target = value_chars
        else:
            target.append(char)
    if target is key_chars:
        return None, ""
    return "".join(key_chars), "".join(value_chars)
