"""RunPlan: one plan per run from the request — defaults from the presets, sizes, token grid,
offload — its text for ``--dry-run`` and the GUI, and the same numbers the run announces."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from engine import events as ev
from engine.config import PRESETS, token_count, token_grid
from engine.imaging import output_size_for_image
from engine.request import GenerationRequest
from engine.run.plan import describe_plan, make_plan
from tests.fixtures_runs import request_for, run

REPO = Path(__file__).resolve().parents[1]


def test_defaults_come_from_the_model_presets(tmp_path):
    plan = make_plan(
        GenerationRequest(prompt="x", device="cpu", output_path=str(tmp_path / "a.mp4")),
        prepare=False,
    )
    d = PRESETS["tiny"].defaults
    assert plan.demo and plan.folder is None  # not built without prepare
    assert (plan.width, plan.height, plan.frames, plan.steps, plan.fps) == (
        d.width,
        d.height,
        d.frames,
        d.steps,
        d.fps,
    )
    assert (plan.shift, plan.guidance) == (d.shift, d.guidance)
    assert plan.latent_shape == (48, (d.frames - 1) // 4 + 1, d.height // 16, d.width // 16)
    assert plan.grid == ((d.frames - 1) // 4 + 1, d.height // 32, d.width // 32)
    assert plan.tokens == plan.grid[0] * plan.grid[1] * plan.grid[2]
    assert plan.offload == "none" and plan.device == "cpu" and plan.passes_per_step == 2


def test_token_grid_is_one_function():
    spec = PRESETS["ti2v-5B"]
    assert spec.latent_shape(121, 1280, 704) == (48, 31, 44, 80)
    assert (
        spec.token_grid(121, 1280, 704) == token_grid((48, 31, 44, 80), (1, 2, 2)) == (31, 22, 40)
    )
    assert token_count((31, 22, 40)) == 27280


def test_fp16_on_the_cpu_is_a_note_and_fp32(tmp_path):
    said = []
    plan = make_plan(
        GenerationRequest(
            prompt="x", device="cpu", dtype="fp16", output_path=str(tmp_path / "a.mp4")
        ),
        prepare=False,
        on_note=said.append,
    )
    assert plan.dtype == "fp32" and said == ["fp16 is not supported on the CPU; using fp32."]
    assert plan.notes == tuple(said) and "note: fp16" in plan.describe()


def test_image_to_video_size_rule_and_batched_cfg(tmp_path):
    image = tmp_path / "tall.png"
    Image.fromarray(np.zeros((300, 120, 3), np.uint8)).save(image)
    plan = make_plan(
        GenerationRequest(
            prompt="x",
            device="cpu",
            image_path=str(image),
            width=256,
            height=160,
            cfg_batch=True,
            output_path=str(tmp_path / "a.mp4"),
        ),
        prepare=False,
    )
    assert plan.image_size == (120, 300) and plan.image_conditioned
    assert (plan.width, plan.height) == output_size_for_image((120, 300), 256, 160)
    assert plan.passes_per_step == 1 and "1 batched pass" in plan.describe()


def test_describe_plan_writes_nothing_and_says_what_would_run(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("ARTIFEX_CACHE_DIR", str(cache))
    out = tmp_path / "not yet" / "clip.mp4"
    text = describe_plan(
        GenerationRequest(prompt="a fox", device="cpu", seed=5, output_path=str(out))
    )
    assert "DEMO model" in text and "256×160, 17 frames at 24 fps" in text
    assert "token grid 5×5×8 = 200 tokens" in text and "offload auto → none" in text
    assert "seed 5" in text and str(out) in text
    assert not out.parent.exists() and not cache.exists()  # no output folder, no demo built


def test_the_plan_is_what_the_run_announces(engine, tiny_checkpoint_dir, tmp_path):
    req = request_for(tiny_checkpoint_dir, tmp_path / "o.mp4")
    plan = make_plan(req)
    final, events = run(engine, req)
    assert isinstance(final, ev.RunFinished), final
    started = next(e for e in events if isinstance(e, ev.RunStarted))
    assert (started.width, started.height, started.frames, started.fps, started.steps) == (
        plan.width,
        plan.height,
        plan.frames,
        plan.fps,
        plan.steps,
    )
    assert tuple(started.latent_shape) == plan.latent_shape and started.token_count == plan.tokens
    assert (started.offload_mode, started.seed, started.device) == (
        plan.offload,
        plan.seed,
        plan.device,
    )


def test_plan_module_does_not_import_torch():
    code = "import sys, engine.run.plan; sys.exit(1 if 'torch' in sys.modules else 0)"
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, "engine.run.plan imported torch"


def test_cli_dry_run_prints_the_plan_and_writes_nothing(tmp_path):
    out = tmp_path / "later" / "clip.mp4"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            "generate",
            "--prompt",
            "x",
            "--size",
            "128*96",
            "--frame_num",
            "9",
            "--device",
            "cpu",
            "--save_file",
            str(out),
            "--dry-run",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ARTIFEX_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert proc.returncode == 0, proc.stderr
    assert "128×96, 9 frames" in proc.stdout and "token grid 3×3×4 = 36 tokens" in proc.stdout
    assert not out.parent.exists() and not (tmp_path / "cache").exists()
