"""Runs the engine off the main thread.

``GenerationWorker`` owns a ``QThread`` and a separate signal object (after superqt's
``GeneratorWorker``).  Signals carry plain data only — the request, the engine's frozen event
dataclasses (a failure is the engine's own ``RunFailed``) — and the worker never touches a widget.  Order, always:

    started(request) → event(e)* → [errored(report)] → finished(final_event)

``finished`` is emitted exactly once, last, with ``RunFinished``, ``RunFailed`` or
``RunCancelled``; ``errored`` comes just before it when the run failed, whether the engine
reported the failure or raised.  That is the one road errors travel to the window.
"""

from __future__ import annotations

import traceback
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from artifex_gui.engine_bridge import EngineHost, EngineUnavailable, available_attention_backends
from engine.cancel import CancelToken
from engine.events import RunCancelled, RunFailed, RunFinished
from engine.request import GenerationRequest

_LIVE_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()


def running_threads() -> list[QThread]:
    """Threads started by this module that are still running (tests fail on leftovers)."""
    return [t for t in list(_LIVE_THREADS) if t.isRunning()]


# The engine's own failure event is what the window shows: no GUI copy of it.
ErrorReport = RunFailed


def failure_from_exception(exc: BaseException) -> RunFailed:
    """A :class:`RunFailed` for an exception that reached the worker (engine bug, missing
    engine, or one of our own errors raised instead of reported)."""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if isinstance(exc, EngineUnavailable):
        return RunFailed(
            kind="engine_unavailable",
            message=str(exc),
            advice=QCoreApplication.translate(
                "ErrorReport",
                "Reinstall Artifex, or run from a checkout where the engine is complete.",
            ),
            details=details,
        )
    kind = getattr(exc, "kind", "internal")
    message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    advice = getattr(exc, "advice", "") or QCoreApplication.translate(
        "ErrorReport",
        "This is a bug in Artifex. The details were written to the log file; please report them.",
    )
    return RunFailed(
        kind=kind,
        message=message,
        advice=advice,
        recovered_path=getattr(exc, "recovered_path", None),
        details=details,
    )


class _Thread(QThread):
    def __init__(self, work: Callable[[], None]) -> None:
        super().__init__()
        self._work = work

    def run(self) -> None:  # runs in the new thread
        self._work()


class ThreadedJob:
    """Owns one ``QThread`` running ``self._work``; registered so the tests' leftover-thread
    check sees it.  Subclasses set their signal object and implement ``_work``."""

    wait_ms = 10_000

    def __init__(self) -> None:
        self._thread = _Thread(self._work)
        _LIVE_THREADS.add(self._thread)

    def _work(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, ms: int | None = None) -> bool:
        return self._thread.wait(self.wait_ms if ms is None else ms)


class WorkerSignals(QObject):
    started = Signal(object)  # GenerationRequest
    event = Signal(object)  # one engine event (engine.events)
    errored = Signal(object)  # RunFailed
    finished = Signal(object)  # RunFinished | RunFailed | RunCancelled


class GenerationWorker(ThreadedJob):
    """One generation run in its own ``QThread``; ``cancel()`` is safe from any thread."""

    def __init__(self, request: GenerationRequest, host: EngineHost) -> None:
        self.request = request
        self.signals = WorkerSignals()
        self.cancel_token = CancelToken()
        self._host = host
        super().__init__()

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def _work(self) -> None:
        signals = self.signals
        signals.started.emit(self.request)
        final: Any
        try:
            engine = self._host.get()  # first time: imports torch, here, off the main thread
            if self.cancel_token.cancelled:
                final = RunCancelled(phase="load")
                signals.event.emit(final)
            else:
                final = engine.run(self.request, signals.event.emit, self.cancel_token)
            if not isinstance(final, (RunFinished, RunFailed, RunCancelled)):
                raise RuntimeError(f"engine.run returned {type(final).__name__}, not a final event")
        except BaseException as exc:  # noqa: BLE001 — every failure must reach the window
            final = failure_from_exception(exc)
            signals.event.emit(final)
            signals.errored.emit(final)
            signals.finished.emit(final)
            return
        if isinstance(final, RunFailed):
            signals.errored.emit(final)
        signals.finished.emit(final)


class WarmupSignals(QObject):
    loaded = Signal(object)  # list[str] of attention backends that work here
    failed = Signal(str)


class EngineWarmup(ThreadedJob):
    """Imports the engine (and torch) in the background right after the window shows."""

    wait_ms = 30_000

    def __init__(self, host: EngineHost) -> None:
        self.signals = WarmupSignals()
        self._host = host
        super().__init__()

    def _work(self) -> None:
        try:
            self._host.get()
            backends = available_attention_backends()
        except BaseException as exc:  # noqa: BLE001
            self.signals.failed.emit(str(exc))
            return
        self.signals.loaded.emit(backends)


class RecoverySignals(QObject):
    saved = Signal(str)  # the written video
    failed = Signal(str)  # what went wrong, for the error panel


class RecoverySave(ThreadedJob):
    """Writes the frames kept after a failed save as an mp4 (an encode: seconds), off the
    main thread.  The recovery file is never removed, so a failure loses nothing."""

    def __init__(self, recovered_path: str, target: str) -> None:
        self.signals = RecoverySignals()
        self.recovered_path, self.target = recovered_path, target
        super().__init__()

    def _work(self) -> None:
        from artifex_gui.engine_bridge import load_recovered_frames, write_video
        from engine.errors import ArtifexError

        try:
            frames, fps, metadata = load_recovered_frames(self.recovered_path)
            tags = {k: str(v) for k, v in metadata.items() if k not in RECOVERY_ONLY_TAGS}
            # No second recovery file if this fails too: the first one is still there.
            written = write_video(frames, self.target, fps=fps, metadata=tags, recovery_folders=[])
        except ArtifexError as exc:
            self.signals.failed.emit(
                QCoreApplication.translate(
                    "ErrorPanel", "Not saved: {0} The frames are still in {1}."
                ).format(exc.message, self.recovered_path)
            )
        except (OSError, ValueError, KeyError) as exc:
            self.signals.failed.emit(
                QCoreApplication.translate(
                    "ErrorPanel", "The recovered frames cannot be read: {0}"
                ).format(exc)
            )
        except BaseException as exc:  # noqa: BLE001 — every failure reaches the panel
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.saved.emit(str(written))


# Tags the writer adds for itself; the rest (title, comment, description) go back into the mp4.
RECOVERY_ONLY_TAGS = ("intended_path",)
