"""Past runs found on disk: their reports, analyses and first-frame thumbnails.

No widgets (only ``QCoreApplication.translate`` for texts): :class:`HistoryScanner` runs in a worker thread (``artifex_gui/history_worker.py``)
and returns plain :class:`RunEntry` values.  A report is every ``*.json`` in a scanned folder
that has a video beside it or reads like a run report; one that cannot be loaded becomes a
*damaged* entry carrying the reason, so one bad file never hides the others.

Caches, both keyed by (path, size, mtime) so a changed file is read again:
  - analyses, in memory, for the life of the scanner (refreshes only read new files);
  - thumbnails, as small PNGs under ``<data folder>/thumbnails`` (restarts stay fast).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from artifex_gui.engine_bridge import ReportError, RunAnalysis, analyse, load_report
from engine.events import RunStarted

VIDEO_SUFFIXES = (".mp4", ".mkv", ".webm", ".mov")
THUMB_SIZE = (160, 90)  # width, height in pixels (fits inside; aspect kept)
_SNIFF_BYTES = 2048
_REPORT_KEYS = ('"format_version"', '"events"', '"settings"', '"request"')


@dataclass(frozen=True)
class RunEntry:
    """One row of the history.  ``analysis`` is None exactly when ``damaged_reason`` is set."""

    report_path: Path
    video_path: Path | None  # None: no video beside the report (deleted or moved)
    sort_time: float  # POSIX seconds: the report's creation time, else the file's mtime
    analysis: RunAnalysis | None
    damaged_reason: str | None = None
    output_size: tuple[int, int] | None = None  # what the run produced (its RunStarted)

    @property
    def damaged(self) -> bool:
        return self.damaged_reason is not None

    @property
    def key(self) -> str:
        return str(self.report_path)

    @property
    def prompt(self) -> str:
        if self.analysis is None:
            return ""
        return str(self.analysis.settings.get("prompt") or "")

    @property
    def size_text(self) -> str:
        """``"1280×704 · 121 frames"``: the size the run produced (an image run keeps the
        picture's shape, so not always the size asked for); ``""`` when unknown."""
        if self.analysis is None:
            return ""
        s = self.analysis.settings
        if self.output_size is not None:
            text = f"{self.output_size[0]}×{self.output_size[1]}"
        elif s.get("width") is not None and s.get("height") is not None:
            text = f"{s['width']}×{s['height']}"
        else:
            return ""
        if not s.get("frames"):
            return text
        return (
            text + " · " + QCoreApplication.translate("RunEntry", "{0} frames").format(s["frames"])
        )

    @property
    def models_text(self) -> str:
        """The run's model files and LoRAs (from its report), one per line; ``""`` if unknown."""
        if self.analysis is None:
            return ""
        env = self.analysis.environment
        lines = [str(x) for x in str(env.get("models") or "").split("; ") if x]
        loras = env.get("lora_set")
        if loras and loras != "none":
            lines.append("LoRA: " + str(loras))
        return "\n".join(lines)

    @property
    def comparable(self) -> bool:
        return self.analysis is not None


def _file_key(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (str(path), st.st_size, st.st_mtime_ns)


def _video_beside(report: Path) -> Path | None:
    for suffix in VIDEO_SUFFIXES:
        candidate = report.with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def _reads_like_report(path: Path) -> bool:
    """A cheap sniff so other JSON files in a user's folder are not listed as damaged."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    return any(key in head for key in _REPORT_KEYS)


def _created_time(created: str) -> float | None:
    if not created:
        return None
    try:
        stamp = datetime.fromisoformat(created)
    except ValueError:
        return None
    return stamp.timestamp()  # naive stamps are read as local time


def report_candidates(folder: Path) -> list[Path]:
    """The report files of one folder (not recursive; hidden and temp files skipped)."""
    try:
        names = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json")
    except OSError:
        return []
    out = []
    for path in names:
        if path.name.startswith(".") or not path.is_file():
            continue  # ".name.json.part-xxxx" temp files, folders named *.json
        if _video_beside(path) is not None or _reads_like_report(path):
            out.append(path)
    return out


class HistoryScanner:
    """Lists runs in folders; keeps analyses cached between scans.  Not thread-safe: one
    scan at a time (the worker guarantees it)."""

    def __init__(self, thumbnail_dir: Path | None = None) -> None:
        self.thumbnail_dir = thumbnail_dir
        self._entries: dict[tuple[str, int, int], RunEntry] = {}

    def scan(
        self, folders: Iterable[Path], *, should_stop: Callable[[], bool] = lambda: False
    ) -> list[RunEntry]:
        """Every run in ``folders``, newest first, damaged ones last.  Missing folders are
        skipped."""
        seen: set[Path] = set()
        entries: list[RunEntry] = []
        live_keys = set()
        for folder in folders:
            for path in report_candidates(Path(folder)):
                if should_stop():
                    return entries
                resolved = path.resolve()
                if resolved in seen:
                    continue
                seen.add(resolved)
                entry = self.entry_for(path)
                if entry is not None:
                    entries.append(entry)
                    key = _file_key(path)
                    if key is not None:
                        live_keys.add(key)
        # forget entries of files that changed or went away
        self._entries = {k: v for k, v in self._entries.items() if k in live_keys}
        # newest first; damaged reports (no trustworthy date) after the runs
        entries.sort(key=lambda e: (not e.damaged, e.sort_time, e.key), reverse=True)
        return entries

    def entry_for(self, path: Path) -> RunEntry | None:
        """One report file as an entry (damaged when it cannot be read); None if it vanished."""
        key = _file_key(path)
        if key is None:
            return None
        cached = self._entries.get(key)
        if cached is not None:
            # the video may have appeared or been deleted since
            return RunEntry(
                cached.report_path,
                _video_beside(path),
                cached.sort_time,
                cached.analysis,
                cached.damaged_reason,
                cached.output_size,
            )
        mtime = key[2] / 1e9
        try:
            report = load_report(path)
            analysis = analyse(report)
        except ReportError as exc:
            entry = RunEntry(path, _video_beside(path), mtime, None, exc.message)
        except Exception as exc:  # noqa: BLE001 — a report that loads but breaks analysis
            reason = QCoreApplication.translate("HistoryScanner", "cannot be analysed: {0}")
            entry = RunEntry(path, _video_beside(path), mtime, None, reason.format(exc))
        else:
            created = _created_time(report.created)
            entry = RunEntry(
                path, _video_beside(path), created or mtime, analysis, None, produced_size(report)
            )
        self._entries[key] = entry
        return entry

    # ------------------------------------------------------------------------ thumbnails
    def thumbnail(self, video: Path) -> np.ndarray | None:
        """The first frame, shrunk to fit :data:`THUMB_SIZE`, as ``[H, W, 3]`` uint8; read
        from the disk cache when the video has not changed.  None when it cannot be read."""
        from PIL import Image

        key = _file_key(video)
        if key is None:
            return None
        cache = None
        if self.thumbnail_dir is not None:
            digest = hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:20]
            cache = self.thumbnail_dir / f"{digest}.png"
            if cache.is_file():
                try:
                    with Image.open(cache) as image:
                        return np.asarray(image.convert("RGB"))
                except OSError:
                    pass  # a broken cache file: read the video again
        frame = first_frame(video)
        if frame is None:
            return None
        image = Image.fromarray(frame)
        image.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
        if cache is not None:
            try:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp")
                image.save(tmp, format="PNG")
                os.replace(tmp, cache)
            except OSError:
                pass  # no cache this time; the thumbnail still shows
        return np.asarray(image)


def produced_size(report) -> tuple[int, int] | None:
    """(width, height) of the video a report's run made: its ``RunStarted``, which the
    engine emits with the size it resolved (an image run keeps the picture's shape)."""
    for event in report.typed_events():
        if isinstance(event, RunStarted):
            return int(event.width), int(event.height)
    return None


def first_frame(video: Path) -> np.ndarray | None:
    """The first frame of a video as ``[H, W, 3]`` uint8, decoding only that frame."""
    try:
        import imageio_ffmpeg

        reader = imageio_ffmpeg.read_frames(str(video))
        try:
            meta = next(reader)
            width, height = meta["size"]
            data = next(reader)
        finally:
            reader.close()
    except (StopIteration, OSError, RuntimeError, KeyError, ValueError):
        return None
    return np.frombuffer(data, np.uint8).reshape(height, width, 3).copy()
