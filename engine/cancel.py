"""A cancel flag shared between a client thread and the engine."""

from __future__ import annotations

import threading

from engine.errors import Cancelled


class CancelToken:
    """Set from any thread; the engine checks it between steps and decode chunks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self, phase: str = "") -> None:
        if self._event.is_set():
            raise Cancelled(phase)
