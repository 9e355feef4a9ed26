"""No CUDA: a message when CUDA is asked for, the CPU for auto."""

from __future__ import annotations

import torch

from engine import events as ev
from tests.fixtures_runs import phases, request_for, run


def test_no_cuda_is_a_message_for_cuda_and_the_cpu_for_auto(
    engine, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    final, events = run(engine, request_for(tiny_checkpoint_dir, tmp_path / "a.mp4", device="cuda"))
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_request", final
    assert "No CUDA GPU" in final.message and "cpu" in final.advice and phases(events) == []
    final, events = run(engine, request_for(tiny_checkpoint_dir, tmp_path / "b.mp4", device="auto"))
    assert isinstance(final, ev.RunFinished), final
    assert next(e for e in events if isinstance(e, ev.RunStarted)).device == "cpu"
