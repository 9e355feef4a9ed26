"""A decode failure never costs the denoising: kept latents, the tiled retry, Decode again.

The out-of-memory errors are injected at the VAE decode (``WanVAE.decode_stream`` is the
full mode, ``decode_tiled_stream`` the tiled one); the videos are compared frame by frame,
bit for bit (CPU, float32), with a run that did not fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from engine import events as ev
from engine.errors import RequestError
from engine.nets.vae import WanVAE
from engine.outputs.latents import LatentsError, load_latents, read_latents_facts
from engine.outputs.report import load_report
from engine.request import check_request
from engine.run.decode_job import DecodeRequest, decode_again
from tests.fixtures_runs import leftovers, request_for, run
from tests.fixtures_video import read_video_frames

OOM = "CUDA out of memory. Tried to allocate 9.50 GiB"


def _fail_decode(monkeypatch, *, full: int = 0, bands: int = 0, tiled: int = 0, after_chunks: int = 1) -> dict:
    """The next ``full`` full, ``bands`` banded and ``tiled`` tiled decodes run out of GPU
    memory after ``after_chunks`` chunks (so part of the video was already written).
    Returns the counts."""
    calls = {"full": 0, "bands": 0, "tiled": 0}
    budget = {"full": full, "bands": bands, "tiled": tiled}

    def failing(mode: str, real):
        def decode(self, z, cancel=None, *args, **kwargs):
            calls[mode] += 1
            if budget[mode] <= 0:
                yield from real(self, z, cancel, *args, **kwargs)
                return
            budget[mode] -= 1
            for i, chunk in enumerate(real(self, z, cancel, *args, **kwargs)):
                if i == after_chunks:
                    raise torch.cuda.OutOfMemoryError(OOM)
                yield chunk
            raise torch.cuda.OutOfMemoryError(OOM)

        return decode

    monkeypatch.setattr(WanVAE, "decode_stream", failing("full", WanVAE.decode_stream))
    monkeypatch.setattr(WanVAE, "decode_banded_stream", failing("bands", WanVAE.decode_banded_stream))
    monkeypatch.setattr(WanVAE, "decode_tiled_stream", failing("tiled", WanVAE.decode_tiled_stream))
    return calls


@pytest.fixture(scope="module")
def reference(engine, tiny_checkpoint_dir, tmp_path_factory):
    """One normal run (full decode): its events, folder and frames."""
    out = tmp_path_factory.mktemp("reference") / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFinished), final
    return final, events, out, read_video_frames(out)


def test_every_run_keeps_its_latents_and_the_report_names_them(reference, tiny_checkpoint_dir):
    final, events, out, frames = reference
    latents = out.with_name("clip.latents.safetensors")
    assert final.latents_path == str(latents) and latents.is_file()
    assert leftovers(out.parent) == ["clip.json", "clip.latents.safetensors", "clip.mp4"]
    report = load_report(out.with_suffix(".json"))
    assert report.result["latents_path"] == str(latents)
    tensor, facts = load_latents(latents)
    assert tensor.dtype == torch.float32 and tuple(tensor.shape) == facts.latent_shape == (48, 3, 6, 8)
    assert (facts.width, facts.height, facts.frames, facts.fps, facts.seed) == (128, 96, 9, 24, 3)
    assert facts.checkpoint_dir == str(tiny_checkpoint_dir) and not facts.demo
    assert (facts.vae_dtype, facts.device, facts.decode_mode) == ("fp32", "cpu", "full")
    assert facts.video_path == str(out) and json.loads(facts.video_tags["comment"])["seed"] == 3
    assert any(isinstance(e, ev.LogMessage) and str(latents) in e.text for e in events)
    assert frames.shape == (9, 96, 128, 3)


def test_keep_latents_off_keeps_nothing_and_the_field_is_checked(engine, tiny_checkpoint_dir, tmp_path):
    out = tmp_path / "clip.mp4"
    final, _ = run(engine, request_for(tiny_checkpoint_dir, out, keep_latents=False))
    assert isinstance(final, ev.RunFinished) and final.latents_path is None
    assert leftovers(tmp_path) == ["clip.json", "clip.mp4"]
    assert "latents_path" not in load_report(out.with_suffix(".json")).result
    with pytest.raises(RequestError, match="keep_latents"):
        check_request(request_for(tiny_checkpoint_dir, out, keep_latents="no"))


def test_a_full_decode_out_of_memory_is_retried_in_bands_then_tiled_at_once(engine, tiny_checkpoint_dir, tmp_path,
                                                                             monkeypatch):
    calls = _fail_decode(monkeypatch, full=1, bands=1, after_chunks=1)
    out = tmp_path / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFinished), final
    assert calls == {"full": 1, "bands": 1, "tiled": 1}
    warnings = [e.text for e in events if isinstance(e, ev.LogMessage) and e.level == "warning"]
    assert any("ran out of GPU memory in full mode" in t and "retrying at once in bands mode" in t
               for t in warnings), warnings
    assert any("ran out of GPU memory in bands mode" in t and "retrying at once in tiled mode" in t
               for t in warnings), warnings
    progress = [e.done_frames for e in events if isinstance(e, ev.DecodeProgress)]
    assert progress == [1, 1, 1, 5, 9]  # each failed attempt got one chunk out, the last all
    assert sorted(leftovers(tmp_path)) == ["clip.json", "clip.latents.safetensors", "clip.mp4"]
    frames = read_video_frames(out)
    assert frames.shape == (9, 96, 128, 3)
    monkeypatch.undo()
    # The retried video is the tiled decode of the kept latents, frame for frame.
    again = tmp_path / "again.mp4"
    done = decode_again(engine, DecodeRequest(str(out.with_suffix(".json")), str(again), "tiled", "cpu"), lambda e: None)
    assert isinstance(done, ev.RunFinished), done
    assert np.array_equal(read_video_frames(again), frames)


def test_decode_out_of_memory_twice_keeps_the_latents_and_decode_again_gives_the_same_video(
    engine, reference, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    _, _, _, reference_frames = reference
    calls = _fail_decode(monkeypatch, full=1, bands=1, tiled=1)
    out = tmp_path / "clip.mp4"
    final, events = run(engine, request_for(tiny_checkpoint_dir, out))
    assert isinstance(final, ev.RunFailed) and final.kind == "out_of_memory", final
    assert calls == {"full": 1, "bands": 1, "tiled": 1}
    latents, report_path = tmp_path / "clip.latents.safetensors", tmp_path / "clip.json"
    assert final.latents_path == str(latents) and latents.is_file()
    assert "in full mode and again in bands mode and again in tiled mode" in final.message
    assert "not lost" in final.message and str(latents) in final.message
    assert "Decode again" in final.advice and f'artifex-cli decode "{report_path}"' in final.advice
    assert not final.details
    # No video and no temp file; the report is there, failed, naming the latents.
    assert leftovers(tmp_path) == ["clip.json", "clip.latents.safetensors"]
    report = load_report(report_path)
    assert report.status == "failed" and report.result["latents_path"] == str(latents)
    steps = [e for e in report.events if e["type"] == "StepFinished"]
    assert len(steps) == 2
    monkeypatch.undo()

    got: list = []
    done = decode_again(engine, DecodeRequest(str(report_path), device="cpu"), got.append)
    assert isinstance(done, ev.RunFinished), done
    # No video was there: it takes the run's own place and the run's report is updated.
    assert done.output_path == str(out) and done.report_path == str(report_path)
    assert np.array_equal(read_video_frames(out), reference_frames)  # same mode: bit for bit
    phases = [e.phase for e in got if isinstance(e, ev.PhaseStarted)]
    assert phases == ["load", "decode", "save"]  # no text encoding, no denoising
    assert not any(isinstance(e, (ev.StepFinished, ev.RunStarted)) for e in got)
    updated = load_report(report_path)
    assert updated.status == "finished" and updated.result["output_path"] == str(out)
    assert updated.result["latents_path"] == str(latents)
    assert len([e for e in updated.events if e["type"] == "StepFinished"]) == 2  # the run's steps stay
    assert any("the run failed" in str(e.get("text")) for e in updated.events)


def test_decode_again_beside_a_finished_run_writes_a_new_video_and_report(engine, reference, tmp_path):
    _, _, out, frames = reference
    before = {p.name: p.stat().st_mtime_ns for p in out.parent.iterdir()}
    done = decode_again(engine, DecodeRequest(str(out.with_name("clip.latents.safetensors"))), lambda e: None)
    assert isinstance(done, ev.RunFinished), done
    assert Path(done.output_path).name == "clip-decoded.mp4"
    assert np.array_equal(read_video_frames(done.output_path), frames)
    for name, mtime in before.items():  # the run's own files are untouched
        assert (out.parent / name).stat().st_mtime_ns == mtime
    report = load_report(done.report_path)
    assert report.status == "finished" and report.settings["prompt"] == "a red fox running in snow"
    Path(done.output_path).unlink()
    Path(done.report_path).unlink()


def test_decode_again_refuses_what_it_cannot_use(engine, tmp_path):
    missing = decode_again(engine, DecodeRequest(str(tmp_path / "nope.json")), lambda e: None)
    assert isinstance(missing, ev.RunFailed) and missing.kind == "bad_request" and "does not exist" in missing.message
    bogus = tmp_path / "x.latents.safetensors"
    bogus.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")
    with pytest.raises(LatentsError, match="not an Artifex latents file"):
        read_latents_facts(bogus)
    bad_mode = decode_again(engine, DecodeRequest(str(bogus), decode_mode="huge"), lambda e: None)
    assert isinstance(bad_mode, ev.RunFailed) and "decode mode" in bad_mode.message


# --------------------------------------------------------------------------- the command line


def test_cli_decode_oom_says_how_to_decode_again_and_python_m_engine_cli_decode_does(
    capsys, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    from tests.fixtures_cli import cli_args, run_cli

    normal = tmp_path / "normal" / "clip.mp4"
    assert run_cli(capsys, cli_args(tiny_checkpoint_dir, normal))[0] == 0
    reference_frames = read_video_frames(normal)
    out = tmp_path / "clip.mp4"
    _fail_decode(monkeypatch, full=1, bands=1, tiled=1)
    code, stdout, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, out))
    monkeypatch.undo()
    assert code == 1, (stdout, err)
    assert "Traceback" not in err
    report = tmp_path / "clip.json"
    assert f"the denoised latents were kept in: {tmp_path / 'clip.latents.safetensors'}" in err
    assert f'artifex-cli decode "{report}"' in err and "what to do: " in err
    assert not out.exists()
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "engine.cli", "decode", str(report), "--decode_mode", "full",
                           "--device", "cpu"], cwd=root, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert f"saved {out}" in proc.stdout and f"report {report}" in proc.stdout
    assert np.array_equal(read_video_frames(out), reference_frames)
    # A wrong path is a usage error, said at once.
    code, _, err = run_cli(capsys, ["decode", str(tmp_path / "gone.json")])
    assert code == 2 and "does not exist" in err and "what to do: " in err


def test_cli_a_full_decode_out_of_memory_is_retried_and_said(capsys, tiny_checkpoint_dir, tmp_path, monkeypatch):
    from tests.fixtures_cli import cli_args, run_cli

    out = tmp_path / "clip.mp4"
    calls = _fail_decode(monkeypatch, full=1, after_chunks=2)
    code, stdout, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, out))
    assert code == 0, err
    assert calls == {"full": 1, "bands": 1, "tiled": 0}
    assert "warning: The VAE decode ran out of GPU memory in full mode" in stdout
    assert "retrying at once in bands mode" in stdout and f"saved {out}" in stdout
    assert f"latents {tmp_path / 'clip.latents.safetensors'}" in stdout
    assert read_video_frames(out).shape == (9, 96, 128, 3)


def test_decode_again_in_bands_takes_two_bands_when_one_does_not_fit(monkeypatch):
    """Decode again in bands picks the band count for the free GPU memory as a run's plan does."""
    from types import SimpleNamespace

    from engine.run import decode_job
    from engine.run.memory_plan import VRAM_MARGIN_BYTES

    facts = SimpleNamespace(width=1280, height=704, frames=121)
    cuda = torch.device("cuda")
    one_band = 1280 * 704 * 7_387
    for free, want in ((one_band + VRAM_MARGIN_BYTES, 1), (one_band + VRAM_MARGIN_BYTES - 1, 2)):
        monkeypatch.setattr(torch.cuda, "mem_get_info", lambda device, f=free: (f, 80 * 2**30))
        monkeypatch.setattr(torch.cuda, "memory_reserved", lambda device: 0)
        monkeypatch.setattr(torch.cuda, "memory_allocated", lambda device: 0)
        assert decode_job._bands_that_fit("bands", cuda, facts) == want
    assert decode_job._bands_that_fit("full", cuda, facts) is None
    assert decode_job._bands_that_fit("bands", torch.device("cpu"), facts) is None
