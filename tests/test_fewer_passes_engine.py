"""Fewer passes through the whole engine on the tiny folder: the events say which passes
were computed and which reused, the report and its analysis hold the pattern and totals, a
distilled preset runs its few steps and says so, and old reports still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import events as ev
from engine.outputs.analysis import analyse
from engine.outputs.report import load_report
from engine.request import GenerationRequest
from engine.run.runner import Engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _request(ckpt: Path, out: Path, **kw) -> GenerationRequest:
    base = dict(
        prompt="a red fox running in snow",
        checkpoint_dir=str(ckpt),
        width=128,
        height=96,
        frames=9,
        steps=12,
        seed=7,
        device="cpu",
        dtype="fp32",
        output_path=str(out),
    )
    base.update(kw)
    return GenerationRequest(**base)


def test_cached_run_shows_reused_passes_in_events_and_report(engine, tiny_checkpoint_dir, tmp_path):
    events: list = []
    final = engine.run(
        _request(tiny_checkpoint_dir, tmp_path / "c.mp4", cache="magcache", cache_threshold=0.5),
        events.append,
    )
    assert isinstance(final, ev.RunFinished), final
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert (started.cache, started.cache_threshold, started.passes_per_step, started.solver) == (
        "magcache",
        0.5,
        2,
        "unipc",
    )
    steps = [e for e in events if isinstance(e, ev.StepFinished)]
    assert all(s.passes == ("cond", "uncond") for s in steps)
    reused = sum(s.passes_reused for s in steps)
    assert 0 < reused < 24
    # MagCache reads only its ratios: the plan announced at the start is what happened
    assert list(started.expected_computed) == [s.passes_computed for s in steps]
    logs = " ".join(e.text for e in events if isinstance(e, ev.LogMessage))
    assert "sampling: UniPC 12 steps, CFG 5: 2 passes per step, 24 DiT passes" in logs
    analysis = analyse(load_report(final.report_path))
    assert (analysis.passes_computed, analysis.passes_reused) == (24 - reused, reused)
    assert analysis.pass_pattern.count("r") == reused and len(analysis.pass_pattern.split()) == 12
    assert analysis.cache == "magcache" and analysis.passes_per_step == 2


def test_distilled_preset_runs_its_few_steps_one_pass_each(engine, tiny_checkpoint_dir, tmp_path):
    events: list = []
    final = engine.run(
        _request(
            tiny_checkpoint_dir, tmp_path / "d.mp4", distilled="turbo", steps=None, image_path=None
        ),
        events.append,
    )
    assert isinstance(final, ev.RunFinished), final
    steps = [e for e in events if isinstance(e, ev.StepFinished)]
    assert [s.timestep for s in steps] == [1000.0, 750.0, 500.0, 250.0]
    assert all(s.passes == ("cond",) and s.passes_computed == 1 for s in steps)
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert (started.solver, started.steps, started.passes_per_step) == ("fewstep", 4, 1)
    logs = [e.text for e in events if isinstance(e, ev.LogMessage)]
    assert any("Distilled model preset (Wan2.2-TI2V-5B-Turbo)" in t for t in logs), logs
    analysis = analyse(load_report(final.report_path))
    assert analysis.settings["solver"] == "fewstep" and analysis.passes_computed == 4


def test_a_recognised_distilled_folder_sets_the_defaults_and_says_so(
    engine, tiny_checkpoint_copy, tmp_path
):
    (tiny_checkpoint_copy / "README.md").write_text("# FastWan2.2-TI2V-5B-FullAttn-Diffusers\n")
    events: list = []
    final = engine.run(
        _request(tiny_checkpoint_copy, tmp_path / "f.mp4", steps=None), events.append
    )
    assert isinstance(final, ev.RunFinished), final
    steps = [e for e in events if isinstance(e, ev.StepFinished)]
    assert [s.timestep for s in steps] == [1000.0, 757.0, 522.0]
    logs = [e.text for e in events if isinstance(e, ev.LogMessage)]
    assert any(
        "This checkpoint is FastWan2.2-TI2V-5B (recognised from README.md" in t for t in logs
    ), logs


def test_old_step_events_load_and_count_as_computed():
    old = {
        "type": "StepFinished",
        "index": 0,
        "total": 50,
        "seconds": 2.0,
        "pass_seconds": [1.0, 1.0],
        "timestep": 999.0,
        "h2d_bytes": 0,
        "h2d_seconds": 0.0,
        "vram_allocated_bytes": 0,
        "vram_reserved_bytes": 0,
        "vram_peak_bytes": 0,
        "time": 1.0,
    }
    step = ev.event_from_dict(old)
    assert (
        step is not None
        and step.passes == ()
        and (step.passes_computed, step.passes_reused) == (2, 0)
    )
    new = ev.event_to_dict(
        ev.StepFinished(
            1,
            50,
            0.1,
            (1.0, 0.01),
            981.0,
            0,
            0.0,
            0,
            0,
            0,
            passes=("cond", "uncond"),
            pass_reused=(False, True),
        )
    )
    back = ev.event_from_dict(new)
    assert back.pass_reused == (False, True) and (back.passes_computed, back.passes_reused) == (
        1,
        1,
    )
