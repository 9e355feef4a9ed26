"""Where videos go: output names like the official ``generate.py``, the output check made
before any model work, our temp files, and the recovery files that keep every frame when a
video cannot be saved (:mod:`engine.outputs.video` writes the video itself)."""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import SaveError

DEFAULT_FPS = 24
RECOVERY_FOLDER_NAME = "artifex-recovered"
TEMP_MARKER = ".part-"


# --------------------------------------------------------------------------- names and paths


_INVALID_NAME_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def write_atomically(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """``write(temp)`` a hidden temp file beside ``path``, then rename it to ``path`` (a reader
    never sees half a file); the temp file is removed when anything fails.  Returns ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.parent / f".{target.name}.part-{secrets.token_hex(4)}"
    try:
        write(part)
        os.replace(part, target)
    except BaseException:
        try:
            part.unlink()
        except OSError:
            pass
        raise
    return target


def sanitise_prompt_for_name(prompt: str, max_chars: int = 50) -> str:
    """The prompt as a file-name fragment: like the official ``generate.py`` (spaces and
    ``/`` → ``_``, first 50 characters) but also safe on Windows (no ``<>:"\\|?*``, control
    characters, trailing dots or spaces).  Empty prompts give ``untitled``."""
    text = re.sub(r"\s+", "_", prompt.strip())
    text = _INVALID_NAME_CHARS.sub("_", text)
    text = text[:max_chars].rstrip(". _")
    if not text or text.upper() in _WINDOWS_RESERVED:
        text = f"untitled{'_' + text if text else ''}"
    return text


def default_output_name(
    prompt: str,
    size: tuple[int, int] | str,
    seed: int,
    *,
    task: str = "ti2v-5B",
    now: datetime | None = None,
) -> str:
    """File name like the official ``generate.py``: ``TASK_SIZE_PROMPT_TIME_SEED.mp4``.

    ``size`` is ``(width, height)`` or ``"1280*704"``; it is written ``1280x704`` on every
    platform (``*`` is not allowed in Windows names, the original does the same there).
    The seed is appended so two runs in the same second never collide.
    """
    if isinstance(size, str):
        size_text = size.replace("*", "x").replace("×", "x")
    else:
        size_text = f"{int(size[0])}x{int(size[1])}"
    stamp = (now or datetime.now()).strftime("%Y%m%d_%H%M%S")
    return f"{task}_{size_text}_{sanitise_prompt_for_name(prompt)}_{stamp}_{int(seed)}.mp4"


def ffmpeg_exe() -> str:
    """The ffmpeg that will encode the video, found (and test-run) now: a run checks it before
    loading the model, so a missing encoder stops it in a second, not after the last step.
    imageio-ffmpeg caches the answer, so the encoder later starts without probing again."""
    import imageio_ffmpeg

    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except (OSError, RuntimeError) as exc:
        raise SaveError(
            f"The video encoder (ffmpeg) was not found or does not run: {exc}",
            "Reinstall Artifex (its ffmpeg comes with it), or set IMAGEIO_FFMPEG_EXE to a working ffmpeg.",
        ) from exc


def check_output_path(path: str | os.PathLike[str], *, needed_bytes: int = 0) -> Path:
    """Make sure a video can be written at ``path`` before any model work starts.

    Creates the folder if missing, then proves it is writable by creating and removing a
    probe file next to the target (``os.access`` is unreliable on Windows).  With
    ``needed_bytes`` the free disk space is checked too.  Returns the absolute target path.
    Raises :class:`SaveError` saying what is wrong and what to do.
    """
    target = Path(path).expanduser().absolute()
    folder = target.parent
    if target.is_dir():
        raise SaveError(
            f"The output path '{target}' is a folder, not a file name.",
            "Choose a file name ending in .mp4.",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(
            f"The output folder '{folder}' cannot be created: {exc.strerror or exc}.",
            "Choose another output folder you can write to.",
        ) from exc
    probe = folder / f".{target.name}{TEMP_MARKER}check-{secrets.token_hex(4)}"
    try:
        with open(probe, "wb") as handle:
            handle.write(b"artifex")
    except OSError as exc:
        raise SaveError(
            f"The output folder '{folder}' is not writable: {exc.strerror or exc}.",
            "Choose another output folder, or check its permissions and free space.",
        ) from exc
    finally:
        _remove_quietly(probe)
    if needed_bytes > 0:
        try:
            import shutil

            free = shutil.disk_usage(folder).free
        except OSError:
            free = None
        if free is not None and free < needed_bytes:
            raise SaveError(
                f"The drive of '{folder}' has {free / 2**20:.0f} MiB free; about "
                f"{needed_bytes / 2**20:.0f} MiB are needed.",
                "Free some disk space or choose an output folder on another drive.",
            )
    return target


def stale_temp_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Temp files a crashed run left in ``folder`` (``.NAME.part-XXXX``), for clean-up."""
    try:
        return sorted(
            p for p in Path(folder).iterdir() if p.name.startswith(".") and TEMP_MARKER in p.name
        )
    except OSError:
        return []


def _remove_quietly(path: Path, attempts: int = 20) -> bool:
    """Remove ``path``; retry briefly because Windows keeps a killed process's handle open
    for a moment.  Returns True when the file is gone."""
    for attempt in range(attempts):
        try:
            path.unlink()
            return True
        except FileNotFoundError:
            return True
        except OSError:
            if attempt + 1 < attempts:
                time.sleep(0.05)
    return not path.exists()


# --------------------------------------------------------------------------- recovery


def default_recovery_folders() -> list[Path]:
    """Where recovered frames go, in order: the temp folder, then the home folder."""
    return [Path(tempfile.gettempdir()) / RECOVERY_FOLDER_NAME, Path.home() / RECOVERY_FOLDER_NAME]


def save_frames_fallback(
    frames_uint8: np.ndarray | Iterable[np.ndarray],
    folder: str | os.PathLike[str],
    *,
    fps: float = DEFAULT_FPS,
    metadata: Mapping[str, Any] | None = None,
    stem: str = "recovered",
) -> Path:
    """Save frames that could not become a video, so nothing generated is lost.

    ``frames_uint8``: ``[F, H, W, 3]`` uint8, or chunks ``[n, H, W, 3]`` to concatenate.
    Writes ``folder/STEM_TIME.npz`` (uncompressed: fast, ~F·H·W·3 bytes) holding
    ``frames``, ``fps`` and ``metadata_json``; read it back with
    :func:`load_recovered_frames`.  The file is written to a temp name and renamed.
    Raises OSError if the folder cannot take it (the caller tries the next folder).
    """
    if isinstance(frames_uint8, np.ndarray):
        frames = frames_uint8
    else:
        chunks = [np.asarray(c) for c in frames_uint8]
        frames = np.concatenate(chunks) if chunks else np.zeros((0, 0, 0, 3), np.uint8)
    frames = np.ascontiguousarray(frames, dtype=np.uint8)
    out_dir = Path(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    target = out_dir / f"{stem}_{stamp}_{secrets.token_hex(3)}.npz"
    part = out_dir / f".{target.name}{TEMP_MARKER}{secrets.token_hex(4)}"
    meta_json = json.dumps(dict(metadata or {}), ensure_ascii=False, default=str)
    try:
        with open(part, "wb") as handle:
            np.savez(
                handle,
                frames=frames,
                fps=np.float64(fps),
                metadata_json=np.array(meta_json),
            )
        os.replace(part, target)
    except BaseException:
        _remove_quietly(part)
        raise
    return target


def load_recovered_frames(path: str | os.PathLike[str]) -> tuple[np.ndarray, float, dict]:
    """Read a file from :func:`save_frames_fallback` → (frames [F,H,W,3] uint8, fps, metadata)."""
    with np.load(Path(path), allow_pickle=False) as data:
        frames = data["frames"]
        fps = float(data["fps"])
        metadata = json.loads(str(data["metadata_json"]))
    return frames, fps, metadata


def _save_recovery(
    chunks: list[np.ndarray],
    fps: float,
    metadata: Mapping[str, Any],
    folders: list[Path],
    stem: str,
) -> tuple[Path | None, str]:
    errors = []
    for folder in folders:
        try:
            return save_frames_fallback(chunks, folder, fps=fps, metadata=metadata, stem=stem), ""
        except OSError as exc:
            errors.append(f"{folder}: {exc.strerror or exc}")
    return None, "; ".join(errors)
