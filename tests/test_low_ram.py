"""Low-RAM mode (``--low_ram``, the window's Low RAM box): the text encoder is not held between
runs — read from its file at the text encode of a new prompt, let go right after, the same
prompts again reuse their encoding — and the videos are the normal mode's, bit for bit, in
every offload mode."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import events as ev
from engine.errors import RequestError
from engine.run.runner import Engine
from tests.fixtures_cli import cli_args, run_cli
from tests.fixtures_runs import request_for, run
from tests.fixtures_video import read_video_frames


def _logs(events) -> list[str]:
    return [e.text for e in events if isinstance(e, ev.LogMessage)]


@pytest.mark.parametrize("offload", ["none", "block"])
def test_low_ram_reads_the_text_encoder_per_new_prompt_and_makes_the_same_videos(tiny_checkpoint_dir, tmp_path,
                                                                                 offload):
    normal_engine, low_engine = Engine(), Engine()
    normal, _ = run(normal_engine, request_for(tiny_checkpoint_dir, tmp_path / "n.mp4", offload_mode=offload))
    assert isinstance(normal, ev.RunFinished), normal
    assert normal_engine.loaded.text_encoder is not None  # kept between runs

    first, events = run(low_engine, request_for(tiny_checkpoint_dir, tmp_path / "a.mp4", offload_mode=offload,
                                                low_ram=True))
    assert isinstance(first, ev.RunFinished), first
    logs = _logs(events)
    assert any("text encoder read from its file" in t for t in logs), logs
    assert any("text encoder let go after the encode" in t for t in logs), logs
    models = low_engine.loaded
    assert models.text_encoder is None and "text_encoder" not in models.swaps
    assert [s.name for s in models.streamers] == (["dit"] if offload == "block" else [])
    assert np.array_equal(read_video_frames(tmp_path / "a.mp4"), read_video_frames(tmp_path / "n.mp4"))

    again, events = run(low_engine, request_for(tiny_checkpoint_dir, tmp_path / "b.mp4", offload_mode=offload,
                                                low_ram=True, seed=4))
    assert isinstance(again, ev.RunFinished), again
    logs = _logs(events)
    assert any("same prompts as the last run" in t for t in logs), logs
    assert not any("read from its file" in t for t in logs)
    assert low_engine.loaded is models  # the DiT and VAE stayed loaded

    other, events = run(low_engine, request_for(tiny_checkpoint_dir, tmp_path / "c.mp4", offload_mode=offload,
                                                low_ram=True, prompt="a blue heron in reeds"))
    assert isinstance(other, ev.RunFinished), other
    assert any("text encoder read from its file" in t for t in _logs(events))
    control, _ = run(normal_engine, request_for(tiny_checkpoint_dir, tmp_path / "d.mp4", offload_mode=offload,
                                                prompt="a blue heron in reeds"))
    assert np.array_equal(read_video_frames(tmp_path / "c.mp4"), read_video_frames(tmp_path / "d.mp4"))


def test_switching_low_ram_reloads_the_models(tiny_checkpoint_dir, tmp_path):
    engine = Engine()
    run(engine, request_for(tiny_checkpoint_dir, tmp_path / "a.mp4"))
    first = engine.loaded
    run(engine, request_for(tiny_checkpoint_dir, tmp_path / "b.mp4", low_ram=True))
    assert engine.loaded is not first and engine.loaded.low_ram


def test_cli_low_ram_flag_plan_and_report(capsys, tiny_checkpoint_dir, tmp_path):
    code, out, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, tmp_path / "a.mp4", "--low_ram", "--dry-run"))
    assert code == 0, err
    assert "low RAM" in out and "VAE decode" in out
    code, out, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, tmp_path / "a.mp4", "--low_ram"))
    assert code == 0, err
    report = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert report["settings"]["low_ram"] is True
    assert report["environment"]["vae_decode"] == "full"


def test_low_ram_on_several_gpus_is_refused():
    from engine.request import GenerationRequest
    from engine.run.plan import make_plan

    class FakeDist:
        def broadcast_object(self, value):
            return value

    with pytest.raises(RequestError, match="Low-RAM mode runs on one GPU"):
        make_plan(GenerationRequest(prompt="x", low_ram=True, device="cpu"), FakeDist(), prepare=False)
