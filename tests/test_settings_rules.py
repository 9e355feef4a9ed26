"""One rule for settings out of range: clamped with a note, or refused with the same words;
the engine applies the strict rule itself."""

from __future__ import annotations

import pytest

from engine import events as ev
from engine.errors import RequestError
from engine.request import GenerationRequest, check_request
from tests.fixtures_cases import (
    OUT_OF_RANGE,
    OUT_OF_RANGE_HUGE,
)
from tests.fixtures_runs import phases, request_for, run


@pytest.mark.parametrize(
    "field,value,fixed",
    [
        (f, v, x)
        for f, (v, x) in {
            **OUT_OF_RANGE,
            **{k + " (huge)": v for k, v in OUT_OF_RANGE_HUGE.items()},
        }.items()
    ],
)
def test_one_rule_clamps_with_a_note_or_refuses_with_the_same_words(
    engine, tmp_path, field, value, fixed
):
    field = field.removesuffix(" (huge)")
    req = GenerationRequest(prompt="x").replace(**{field: value})
    with pytest.raises(RequestError) as refused:
        check_request(req, clamp=False)
    clamped, notes = check_request(req, clamp=True)
    assert getattr(clamped, field) == fixed and len(notes) == 1
    assert notes[0].startswith(refused.value.message) and str(fixed) in notes[0]
    check_request(clamped, clamp=False)  # the clamped request is valid
    # the engine applies the strict rule itself: a client that skipped it gets bad_request
    final, events = run(engine, request_for(None, tmp_path / "x.mp4").replace(**{field: value}))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_request"
    assert final.message == refused.value.message and phases(events) == []
