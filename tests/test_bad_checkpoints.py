"""Damaged or foreign model folders end as a clear bad_checkpoint (no traceback, no code
run from a pickle), and the engine keeps working."""

from __future__ import annotations

import pytest

from engine import events as ev
from tests.fixtures_cases import (
    CHECKPOINT_CASES,
    _damage,
)
from tests.fixtures_runs import leftovers, phases, request_for, run


@pytest.mark.parametrize("case", CHECKPOINT_CASES)
def test_damaged_or_foreign_model_folder_is_a_clear_bad_checkpoint(
    engine, tiny_checkpoint_copy, tmp_path, case
):
    marker = tmp_path / "pwned"
    word = _damage(tiny_checkpoint_copy, case, marker)
    out = tmp_path / "out" / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_copy, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_checkpoint", final
    assert word in final.message, final.message
    assert final.advice and not final.details  # what to do; no traceback for a user's file
    assert "weights_only=False" not in final.message + final.advice
    assert not marker.exists(), "the pickle's code ran"
    assert "denoise" not in phases(events) and leftovers(out.parent) == []


def test_engine_works_after_a_bad_folder(
    engine, tiny_checkpoint_copy, tiny_checkpoint_dir, tmp_path
):
    _damage(tiny_checkpoint_copy, "wrong shape that sets the VAE's size", tmp_path / "m")
    assert (
        run(engine, request_for(tiny_checkpoint_copy, tmp_path / "a.mp4"))[0].kind
        == "bad_checkpoint"
    )
    final, _ = run(engine, request_for(tiny_checkpoint_dir, tmp_path / "b.mp4"))
    assert isinstance(final, ev.RunFinished), final
