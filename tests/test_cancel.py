"""Cancel in every phase leaves nothing behind and the engine keeps working."""

from __future__ import annotations

import pytest
from PIL import Image

from engine import events as ev
from engine.cancel import CancelToken
from tests.fixtures_cases import (
    _gradient,
)
from tests.fixtures_runs import leftovers, request_for, run


@pytest.mark.parametrize(
    "phase", ["load", "encode_text", "encode_image", "denoise", "decode", "save"]
)
def test_cancel_in_every_phase_leaves_nothing_and_the_engine_works(
    engine, tiny_checkpoint_dir, tmp_path, phase
):
    image = tmp_path / "pic.png"
    Image.fromarray(_gradient(160, 120)).save(image)
    out = tmp_path / "out" / "clip.mp4"
    cancel = CancelToken()

    def on_event(e):
        if phase == "save":  # the last decoded chunk is in: the file is being finished
            hit = isinstance(e, ev.DecodeProgress) and e.done_frames == e.total_frames
        else:
            hit = isinstance(e, ev.PhaseStarted) and e.phase == phase
        if hit:
            cancel.cancel()

    final, events = run(
        engine,
        request_for(tiny_checkpoint_dir, out, image_path=str(image), steps=3),
        cancel,
        on_event,
    )
    assert isinstance(final, ev.RunCancelled) and final.phase == phase, final
    assert leftovers(out.parent) == []  # no video, no report, no .part temp file
    final, _ = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFinished) and out.is_file()
