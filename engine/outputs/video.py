"""Frames → H.264 mp4 through imageio-ffmpeg: streamed, atomic, with metadata, nothing lost.

The video is written chunk by chunk (decode is causal over time, so frames can leave the
VAE as they are made) into a temp file **in the target folder** (``.NAME.part-XXXXXXXX``),
which is renamed onto the target with ``os.replace`` only once ffmpeg has finished and the
file has been checked.  On cancel or any exception the temp file is removed, so the target
path either holds a complete video or nothing.

When writing fails (disk full, file locked, ffmpeg gone) the writer keeps going without
ffmpeg: it holds on to every frame it is given and, at ``close()``, saves them all with
:func:`save_frames_fallback` and raises :class:`SaveError` whose ``recovered_path`` names the
``.npz`` file.  :func:`load_recovered_frames` and :func:`write_video` turn that file into a
video later ("save it elsewhere").

Output names, the early output check, temp files and the recovery files are
:mod:`engine.outputs.video_files`.

Paths may contain spaces and any Unicode (``새 폴더``): they go to ffmpeg as one argv item
each, never through a shell.  No torch here; numpy only.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import SaveError
from engine.outputs.mp4 import Mp4Error, video_facts
from engine.outputs.video_files import (
    DEFAULT_FPS,
    TEMP_MARKER,
    _remove_quietly,
    _save_recovery,
    check_output_path,
    default_recovery_folders,
)

# Same as the official save_video (imageio ``quality=8`` → libx264 CRF 10).
DEFAULT_QUALITY = 8
# Windows' command line is limited to 32,767 characters; metadata rides on it, so each
# value is capped.  The full settings are in the run report beside the video anyway.
MAX_METADATA_CHARS = 6000


# --------------------------------------------------------------------------- conversion


def float_video_to_uint8(video: np.ndarray) -> np.ndarray:
    """Decoded video ``[3, F, H, W]`` float in [-1, 1] → frames ``[F, H, W, 3]`` uint8.

    The exact rule of the official ``wan/utils/utils.py::save_video`` (Wan2.2), which calls
    ``tensor.clamp(-1, 1)``, then ``torchvision.utils.make_grid(normalize=True,
    value_range=(-1, 1))`` (``clamp_(-1, 1).sub_(-1).div_(2)`` in float32; one image per
    grid, so no padding), then ``(tensor * 255).type(torch.uint8)`` — a **truncating** cast,
    not rounding.  Computed in float32 like the original so every value matches bit for bit.
    """
    array = np.asarray(video)
    if array.ndim != 4 or array.shape[0] != 3:
        raise ValueError(f"expected a video [3, F, H, W], got shape {array.shape}")
    x = array.astype(np.float32, copy=True)
    np.clip(x, np.float32(-1.0), np.float32(1.0), out=x)
    x -= np.float32(-1.0)
    x /= np.float32(2.0)
    x *= np.float32(255.0)
    # float → uint8 truncates toward zero, as torch's .type(torch.uint8) does; x ∈ [0, 255].
    frames = x.astype(np.uint8)
    return np.ascontiguousarray(frames.transpose(1, 2, 3, 0))  # [F, H, W, 3]


# --------------------------------------------------------------------------- writer


def video_metadata(
    prompt: str = "",
    negative_prompt: str = "",
    seed: int | None = None,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The mp4 tags Artifex writes: ``title`` = prompt, ``comment`` = JSON with prompt,
    negative prompt, seed and settings (machine readable), ``description`` = a readable line.
    Each value is capped at MAX_METADATA_CHARS characters (command-line limit)."""
    payload = {
        "generator": "Artifex (Wan2.2 TI2V-5B)",
        "prompt": prompt,
        "negative_prompt": negative_prompt,
        "seed": seed,
        "settings": dict(settings or {}),
    }
    comment = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    if len(comment) > MAX_METADATA_CHARS:
        # Keep it valid JSON: drop the settings first, then shorten the prompts.
        payload["settings"] = {"truncated": True}
        payload["prompt"] = prompt[:2000]
        payload["negative_prompt"] = negative_prompt[:2000]
        comment = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    description = (
        f"seed {seed}; negative prompt: {negative_prompt}"
        if seed is not None
        else (f"negative prompt: {negative_prompt}")
    )
    return {
        "title": prompt[:MAX_METADATA_CHARS],
        "comment": comment,
        "description": description[:MAX_METADATA_CHARS],
    }


class VideoWriter:
    """Streams uint8 frames into an H.264 mp4, atomically.  Use as a context manager::

        with VideoWriter(path, (width, height), fps=24, metadata=video_metadata(...)) as w:
            for chunk in decoded_chunks:       # each [n, H, W, 3] uint8
                cancel.raise_if_cancelled("save")
                w.write(chunk)
        # here the video is at ``path``; on an exception nothing is there and no temp is left

    ``size`` is (width, height) in pixels, both even (yuv420p).  With ``keep_frames`` (the
    default) the writer holds references to every chunk (F·H·W·3 bytes, e.g. 327 MB for
    121×1280×704) so that if writing fails they can be saved to ``recovery_folders`` and
    :class:`SaveError` carries ``recovered_path``.  A write failure does not raise at once:
    later ``write`` calls keep collecting frames and ``close()`` saves them all, so the whole
    video is recovered, not just the part written before the failure.
    ``abort()`` (also on cancel / any exception in the ``with`` body) kills ffmpeg and
    removes the temp file.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        size: tuple[int, int],
        *,
        fps: float = DEFAULT_FPS,
        quality: float = DEFAULT_QUALITY,
        metadata: Mapping[str, str] | None = None,
        keep_frames: bool = True,
        recovery_folders: list[Path] | None = None,
    ) -> None:
        width, height = int(size[0]), int(size[1])
        if width <= 0 or height <= 0 or width % 2 or height % 2:
            raise ValueError(
                f"video size must be positive and even (yuv420p), got {width}x{height}"
            )
        self.path = Path(path).expanduser().absolute()
        self.size = (width, height)
        self.fps = fps
        self.quality = quality
        self.metadata = dict(metadata or {})
        self.keep_frames = keep_frames
        self.recovery_folders = (
            list(recovery_folders) if recovery_folders is not None else default_recovery_folders()
        )
        self.frames_written = 0  # frames handed to ffmpeg
        self.frames_received = 0  # frames given to write()
        self.recovered_path: Path | None = None
        self.temp_path: Path | None = None
        self._kept: list[np.ndarray] = []
        self._gen: Any = None
        self._failure: str | None = None  # why writing failed, once it has
        self._closed = False

    # -- lifecycle

    def __enter__(self) -> VideoWriter:
        self.open()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.close()
        else:
            self.abort()
        return False

    def open(self) -> None:
        """Create the folder and start ffmpeg on the temp file.  Raises SaveError."""
        import imageio_ffmpeg

        check_output_path(self.path)
        self.temp_path = self.path.parent / f".{self.path.name}{TEMP_MARKER}{secrets.token_hex(4)}"
        output_params = ["-f", "mp4", "-movflags", "+faststart"]
        for key, value in self.metadata.items():
            output_params += ["-metadata", f"{key}={value}"]
        try:
            self._gen = imageio_ffmpeg.write_frames(
                str(self.temp_path),
                self.size,
                pix_fmt_in="rgb24",
                pix_fmt_out="yuv420p",
                fps=float(self.fps),  # older imageio-ffmpeg accepts only int/float
                quality=self.quality,
                codec="libx264",
                macro_block_size=1,  # sizes are even already; never let ffmpeg rescale
                ffmpeg_log_level="error",
                output_params=output_params,
            )
            self._gen.send(None)  # starts ffmpeg
        except (OSError, RuntimeError) as exc:
            self._gen = None
            _remove_quietly(self.temp_path)
            raise SaveError(
                f"The video encoder (ffmpeg) could not start: {exc}.",
                "Reinstall Artifex; if it persists, report this with the log file.",
            ) from exc

    def write(self, frames: np.ndarray) -> None:
        """Append ``frames`` ``[n, H, W, 3]`` (or one ``[H, W, 3]``) uint8 RGB."""
        if self._closed:
            raise RuntimeError("VideoWriter is closed")
        array = np.asarray(frames)
        if array.ndim == 3:
            array = array[None]
        width, height = self.size
        if array.ndim != 4 or array.shape[1:] != (height, width, 3) or array.dtype != np.uint8:
            raise ValueError(
                f"expected uint8 frames [n, {height}, {width}, 3], got {array.dtype} {array.shape}"
            )
        array = np.ascontiguousarray(array)
        if self.keep_frames:
            self._kept.append(array)
        self.frames_received += len(array)
        if self._failure is not None or self._gen is None:
            return
        try:
            for frame in array:
                self._gen.send(frame)
                self.frames_written += 1
        except (OSError, RuntimeError, ValueError) as exc:
            self._fail(f"writing frame {self.frames_written + 1} failed: {_short(exc)}")

    def close(self) -> Path:
        """Finish the file, check it and move it onto the target path.  Returns the path.

        Raises SaveError (with ``recovered_path`` when frames were kept) if anything failed.
        """
        if self._closed:
            raise RuntimeError("VideoWriter is closed")
        self._closed = True
        if self._failure is None and self._gen is not None:
            try:
                self._gen.close()  # ffmpeg flushes and exits
            except (OSError, RuntimeError) as exc:
                self._fail(f"finishing the file failed: {_short(exc)}")
            self._gen = None
        if self._failure is None:
            self._verify_temp()
        if self._failure is None:
            try:
                os.replace(self.temp_path, self.path)
            except OSError as exc:
                self._fail(
                    f"moving the finished video onto '{self.path.name}' failed: "
                    f"{exc.strerror or exc} (is the file open in a player?)"
                )
        if self._failure is not None:
            self._raise_with_recovery()
        self._kept.clear()
        return self.path

    def abort(self) -> None:
        """Stop now: kill ffmpeg, remove the temp file, write nothing at the target."""
        if self._gen is not None:
            try:
                # A BaseException makes write_frames kill ffmpeg instead of waiting for it.
                self._gen.throw(_Abort())
            except (_Abort, StopIteration, OSError, RuntimeError):
                pass
            self._gen = None
        self._closed = True
        self._kept.clear()
        if self.temp_path is not None:
            _remove_quietly(self.temp_path)

    # -- internals

    def _fail(self, reason: str) -> None:
        if self._failure is None:
            self._failure = reason
        if self._gen is not None:
            try:
                self._gen.throw(_Abort())
            except (_Abort, StopIteration, OSError, RuntimeError):
                pass
            self._gen = None
        if self.temp_path is not None:
            _remove_quietly(self.temp_path)

    def _verify_temp(self) -> None:
        """ffmpeg's exit status is not reported by write_frames, so check the file itself:
        it must exist, be a finished MP4 (a full disk or a killed ffmpeg leaves no index) and
        hold every frame.  Read from the container, never from ffmpeg's progress text."""
        assert self.temp_path is not None
        if not self.temp_path.is_file() or self.temp_path.stat().st_size == 0:
            self._fail("ffmpeg finished without writing the file")
            return
        try:
            facts = video_facts(self.temp_path)
        except (Mp4Error, OSError) as exc:
            self._fail(f"the written file is not a complete video: {exc}")
            return
        if facts.frames != self.frames_written:
            self._fail(
                f"the written file holds {facts.frames} frames instead of {self.frames_written}"
            )
        elif (facts.width, facts.height) != self.size:
            self._fail(
                f"the written file is {facts.width}x{facts.height} instead of "
                f"{self.size[0]}x{self.size[1]}"
            )

    def _raise_with_recovery(self) -> None:
        reason = self._failure or "unknown failure"
        full = _disk_full(self.path.parent)
        if self.keep_frames and self._kept and self.recovery_folders:
            meta = {**self.metadata, "intended_path": str(self.path)}
            stem = Path(self.path.name).stem[:80] or "recovered"
            recovered, errors = _save_recovery(
                self._kept, self.fps, meta, self.recovery_folders, stem
            )
            self._kept.clear()
            if recovered is not None:
                self.recovered_path = recovered
                raise SaveError(
                    f"The video could not be saved to '{self.path}': {reason}. "
                    f"All {self.frames_received} frames were kept in '{recovered}'.",
                    _failure_advice(reason, full)
                    + " The frames are safe in that file and can be saved as a video again, "
                    "to any folder.",
                    recovered_path=str(recovered),
                )
            reason += f"; keeping the frames failed too ({errors})"
        raise SaveError(
            f"The video could not be saved to '{self.path}': {reason}.",
            _failure_advice(reason, full) + " Then generate again.",
        )


def _disk_full(folder: Path, margin_bytes: int = 64 << 20) -> bool:
    """True when the drive of ``folder`` has (almost) no free space left."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < margin_bytes
    except OSError:
        return False


def _failure_advice(reason: str, disk_full: bool) -> str:
    """What to do about a failed save — disk space only when the disk really is full."""
    if disk_full:
        return "The drive is full: free some disk space or choose an output folder on another drive."
    if "moving the finished video" in reason:
        return "Close the program that has the file open (a video player?) or choose another name."
    if "could not start" in reason or "ffmpeg finished without" in reason:
        return "The video encoder (ffmpeg) did not work: reinstall Artifex, or report this with the log file."
    return (
        "The encoder's output could not be confirmed; please report this with the log file, "
        "or choose another output folder."
    )


class _Abort(BaseException):
    """Thrown into imageio-ffmpeg's generator so it kills ffmpeg instead of waiting."""


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def write_video(
    frames_uint8: np.ndarray,
    path: str | os.PathLike[str],
    *,
    fps: float = DEFAULT_FPS,
    metadata: Mapping[str, str] | None = None,
    recovery_folders: list[Path] | None = None,
) -> Path:
    """Write a whole clip ``[F, H, W, 3]`` uint8 at once (e.g. recovered frames)."""
    frames = np.asarray(frames_uint8)
    with VideoWriter(
        path,
        (frames.shape[2], frames.shape[1]),
        fps=fps,
        metadata=metadata,
        recovery_folders=recovery_folders,
    ) as writer:
        writer.write(frames)
    return writer.path


# --------------------------------------------------------------------------- reading back


def read_video_info(path: str | os.PathLike[str]) -> tuple[int, int, int, float]:
    """``(frames, width, height, fps)`` of an MP4 video, read from its container boxes
    (the same for every ffmpeg build; see engine/outputs/mp4.py).  Raises SaveError."""
    try:
        facts = video_facts(path)
    except (Mp4Error, OSError) as exc:
        raise SaveError(f"'{path}' is not a readable video: {exc}.", "Generate it again.") from exc
    return facts.frames, facts.width, facts.height, facts.fps
