"""Scans the history folders off the main thread.

Order, always: ``listed(entries)`` → ``thumbnail(key, rgb)``* → ``finished()``, or
``errored(report)`` → ``finished()`` when the scan itself broke (a single bad report never
does: it becomes a damaged entry).  The list comes first so the panel fills at once; the
thumbnails (one ffmpeg decode each, unless cached) follow one by one.  ``stop()`` is checked
between files and between thumbnails.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from artifex_gui.model.history import HistoryScanner, RunEntry

# The generation worker's thread base, so the tests' leftover-thread check covers scans too.
from artifex_gui.worker import ThreadedJob, failure_from_exception


class HistoryScanSignals(QObject):
    listed = Signal(object)  # list[RunEntry], newest first
    thumbnail = Signal(str, object)  # RunEntry.key, numpy uint8 [H, W, 3]
    errored = Signal(object)  # engine.events.RunFailed
    finished = Signal()


class HistoryScanWorker(ThreadedJob):
    """One scan of ``folders`` with ``scanner`` (whose caches outlive the worker)."""

    def __init__(self, scanner: HistoryScanner, folders: list[Path]) -> None:
        self.signals = HistoryScanSignals()
        self._scanner = scanner
        self._folders = list(folders)
        self._stop = threading.Event()
        super().__init__()

    def stop(self) -> None:
        self._stop.set()

    def _work(self) -> None:
        signals = self.signals
        try:
            entries: list[RunEntry] = self._scanner.scan(
                self._folders, should_stop=self._stop.is_set
            )
            if self._stop.is_set():
                return
            signals.listed.emit(entries)
            for entry in entries:
                if self._stop.is_set():
                    return
                if entry.video_path is None:
                    continue
                rgb = self._scanner.thumbnail(entry.video_path)
                if rgb is not None:
                    signals.thumbnail.emit(entry.key, rgb)
        except BaseException as exc:  # noqa: BLE001 — every failure reaches the window
            signals.errored.emit(failure_from_exception(exc))
        finally:
            signals.finished.emit()
