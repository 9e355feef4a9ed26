"""``RunHooks``: where work that is not the single-GPU run plugs into a run (multi-GPU today).

The runner calls each hook at its place; the default hooks do nothing, so the one-GPU path
is exactly the plain run.  A hook sees the run only through :class:`RunView`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class RunView(Protocol):
    """What a hook may see and do of a run."""

    plan: Any  # engine.run.plan.RunPlan
    environment: dict  # the report's environment section

    def emit(self, event: Any) -> None:
        """Send an event to the client and record it in the report."""

    def notify(self, event: Any) -> None:
        """Send an event to the client only (not recorded in the report)."""

    def elapsed(self) -> float:
        """Seconds since the run began."""


class RunHooks:
    """The plain run: every hook leaves things as they are."""

    def after_load(self, models: Any, emit: Callable[[Any], None]) -> None:
        """Inside the load phase, after the models are loaded and placed."""

    def resolve_attention(self, resolve: Callable[[], Any]) -> Any:
        """Choose the attention kernel (``resolve()`` times and caches the choice)."""
        return resolve()

    def denoise_cancel(self, cancel: Any) -> Any:
        """The cancel token the denoise loop checks."""
        return cancel

    def after_denoise(self, run: RunView, step_seconds: list[float]) -> Any:
        """After the denoise phase.  A final event returned ends the run there (the video is
        not decoded by this process); None goes on to decode and save."""
        return None
