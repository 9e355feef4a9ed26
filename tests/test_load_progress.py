"""Model-loading progress (issue 12): the ``LoadProgress`` event, its report round trip, and
the loader's events over a whole load of the tiny checkpoint folder."""

from __future__ import annotations

from pathlib import Path

from engine import events as ev
from engine.request import GenerationRequest


def test_load_progress_round_trips_through_a_report_dict():
    event = ev.LoadProgress("dit", "shard-1.safetensors", 10, 100, 2, 20, 10, 40)
    data = ev.event_to_dict(event)
    assert data["type"] == "LoadProgress" and data["done_bytes"] == 10
    assert ev.event_from_dict(data) == event
    assert ev.event_from_dict({**data, "from_the_future": 1}) == event  # tolerant


def test_the_loader_reports_the_whole_load_file_by_file(tiny_checkpoint_dir: Path, tmp_path):
    from engine.run.runner import Engine

    events: list[object] = []
    request = GenerationRequest(
        prompt="a red kite",
        checkpoint_dir=str(tiny_checkpoint_dir),
        width=64,
        height=64,
        frames=5,
        steps=1,
        device="cpu",
        dtype="fp32",
        output_path=str(tmp_path / "clip.mp4"),
    )
    engine = Engine()
    try:
        final = engine.run(request, events.append)
    finally:
        engine.unload()
    assert isinstance(final, ev.RunFinished)
    loads = [e for e in events if isinstance(e, ev.LoadProgress)]
    assert loads, "no LoadProgress during the load"
    # inside the load phase, before the run's first step
    kinds = [type(e).__name__ for e in events]
    assert kinds.index("LoadProgress") > kinds.index("PhaseStarted")
    assert kinds.index("LoadProgress") < kinds.index("StepFinished")
    # one total for the whole load, counted up to the end, monotonically
    total = sum(p.stat().st_size for p in tiny_checkpoint_dir.rglob("*") if p.suffix in (".safetensors", ".pth"))
    assert {e.total_bytes for e in loads} == {total}
    done = [e.done_bytes for e in loads]
    assert done == sorted(done) and done[-1] == total
    last = loads[-1]
    assert last.done_tensors == last.total_tensors > 0
    assert {e.part for e in loads} == {"dit", "text_encoder", "vae"}
    assert all(0 <= e.file_done_bytes <= e.file_total_bytes for e in loads)
    assert {e.file for e in loads if e.file_done_bytes == e.file_total_bytes} >= {
        "models_t5_umt5-xxl-enc-bf16.pth",
        "Wan2.2_VAE.pth",
    }
