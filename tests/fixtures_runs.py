"""Running the real engine in tests: one Engine per test module (fixture ``engine``,
registered in ``tests/conftest.py``), a small fast request, and what a run left behind."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from engine import events as ev
from engine.cancel import CancelToken
from engine.request import GenerationRequest

if TYPE_CHECKING:  # the fixture imports torch only when a test asks for it
    from engine.run.runner import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    from engine.run.runner import Engine

    return Engine()


def request_for(ckpt: Path | None, out: Path, **changes) -> GenerationRequest:
    base = dict(
        prompt="a red fox running in snow",
        checkpoint_dir=str(ckpt) if ckpt else None,
        width=128,
        height=96,
        frames=9,
        steps=2,
        seed=3,
        device="cpu",
        dtype="fp32",
        output_path=str(out),
    )
    base.update(changes)
    return GenerationRequest(**base)


def run(engine: Engine, req: GenerationRequest, cancel: CancelToken | None = None, on_event=None):
    events: list = []

    def record(e):
        events.append(e)
        if on_event is not None:
            on_event(e)

    final = engine.run(req, record, cancel)
    return final, events


def phases(events) -> list[str]:
    return [e.phase for e in events if isinstance(e, ev.PhaseStarted)]


def leftovers(folder: Path) -> list[str]:
    """Everything in ``folder`` (videos, reports, ``.part`` temp files)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
