"""``artifex-cli generate`` when things go wrong: bad model folders, pictures and paths,
settings out of range, out of memory, failed saves, no CUDA — exit codes and a message
that says what happened and what to do, never a traceback.

Most cases call ``engine.cli.main`` in this process (fast); the ones about the real stderr
and paths handed to ffmpeg run ``python -m engine.cli`` as a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from engine.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from engine.errors import RequestError
from engine.request import GenerationRequest, check_request
from tests.fixtures_cases import (
    OUT_OF_RANGE,
    _damage,
    make_image,
)
from tests.fixtures_cli import assert_clear_failure, cli_args, leftovers, run_cli

REPO = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- model folders
@pytest.mark.parametrize(
    "case",
    [
        "missing models_t5_umt5-xxl-enc-bf16.pth",
        "truncated shard",
        "wrong shape that sets the DiT's size",
        "wrong shape that sets the VAE's size",
        "LFS pointer: Wan2.2_VAE.pth",
        "code in the VAE (legacy pickle)",
        "a 14B folder",
    ],
)
def test_bad_model_folder_exit_1_with_a_message(capsys, tiny_checkpoint_copy, tmp_path, case):
    marker = tmp_path / "pwned"
    word = _damage(tiny_checkpoint_copy, case, marker)
    out = tmp_path / "out" / "clip.mp4"
    code, stdout, err = run_cli(capsys, cli_args(tiny_checkpoint_copy, out))
    assert code == EXIT_FAILED
    assert_clear_failure(err, word)
    assert not marker.exists() and leftovers(out.parent) == []
    assert "saved" not in stdout


def test_malicious_checkpoint_in_a_real_process_no_traceback_nothing_executed(
    tiny_checkpoint_copy, tmp_path
):
    marker = tmp_path / "pwned"
    _damage(tiny_checkpoint_copy, "code in the text encoder (zip pickle)", marker)
    out = tmp_path / "out" / "clip.mp4"
    proc = subprocess.run(
        [sys.executable, "-m", "engine.cli", *cli_args(tiny_checkpoint_copy, out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == EXIT_FAILED, proc.stderr
    assert_clear_failure(proc.stderr, "contains code", "models_t5_umt5-xxl-enc-bf16.pth")
    assert not marker.exists() and leftovers(out.parent) == []


# --------------------------------------------------------------------------- pictures and paths
@pytest.mark.parametrize("name", ["not an image.png", "truncated.jpg", "one pixel.png", "bomb.png"])
def test_bad_picture_exit_1_naming_the_file(capsys, tiny_checkpoint_dir, tmp_path, name):
    image = make_image(tmp_path / "pictures", name)
    out = tmp_path / "out" / "clip.mp4"
    code, _, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, out, "--image", str(image)))
    assert code == EXIT_FAILED
    assert_clear_failure(err, name)
    assert leftovers(out.parent) == []


def test_korean_and_spaces_everywhere_through_ffmpeg(tiny_checkpoint_dir, tmp_path):
    import shutil

    from PIL import Image

    from engine.outputs.video import read_video_info
    from tests.fixtures_video import read_video_metadata

    root = tmp_path / "새 폴더"
    ckpt = root / "내 모델" / "Wan2.2 TI2V-5B"
    shutil.copytree(tiny_checkpoint_dir, ckpt)
    image = make_image(root, "exif rotated.jpg")  # 60×40 stored, shown 40×60: portrait video
    out = root / "새 출력 폴더" / "여우 영상 1.mp4"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "engine.cli",
            *cli_args(ckpt, out, "--image", str(image), "--prompt", "눈 속의 여우"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == EXIT_OK, proc.stderr
    assert f"saved {out}" in proc.stdout and "Traceback" not in proc.stderr
    frames, width, height, _ = read_video_info(out)
    assert (frames, width < height) == (9, True)
    assert read_video_metadata(out)["title"] == "눈 속의 여우"
    assert Image.open(image).size == (60, 40)


def test_output_under_a_file_is_refused_before_loading(capsys, tiny_checkpoint_dir, tmp_path):
    blocker = tmp_path / "not a folder"
    blocker.write_text("x")
    code, stdout, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, blocker / "clip.mp4"))
    assert code == EXIT_FAILED
    assert_clear_failure(err, "cannot be created")
    assert "load done" not in stdout


# --------------------------------------------------------------------------- settings
FLAG_FOR = {  # field → CLI flags that set it to the bad value
    "width": lambda v: ["--size", f"{v}*96"],
    "height": lambda v: ["--size", f"128*{v}"],
    "frames": lambda v: ["--frame_num", str(v)],
    "steps": lambda v: ["--sample_steps", str(v)],
    "guidance": lambda v: ["--sample_guide_scale", str(v)],
    "shift": lambda v: ["--sample_shift", str(v)],
}


@pytest.mark.parametrize("field", list(OUT_OF_RANGE))
def test_out_of_range_settings_refused_with_the_shared_rule(capsys, tmp_path, field):
    """The CLI applies check_request strictly (like the original generate.py); its words
    are the ones the GUI shows in its clamp note (tests/test_robustness_gui.py)."""
    value, _fixed = OUT_OF_RANGE[field]
    with pytest.raises(RequestError) as rule:
        check_request(GenerationRequest(prompt="x").replace(**{field: value}), clamp=False)
    args = cli_args(None, tmp_path / "x.mp4")
    code, _, err = run_cli(capsys, [*args, *FLAG_FOR[field](value)])  # later flags win
    assert code == EXIT_USAGE
    assert_clear_failure(err, rule.value.message, rule.value.advice)
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- failures at run time
def test_out_of_memory_is_advice_not_a_traceback_and_the_next_run_works(
    capsys, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    import engine.sampling.denoise as pipeline

    def boom(*a, **k):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    monkeypatch.setattr(pipeline, "denoise", boom)
    out = tmp_path / "clip.mp4"
    code, _, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, out))
    assert code == EXIT_FAILED
    assert_clear_failure(err, "ran out of memory while denoising", "offload")
    monkeypatch.undo()
    code, stdout, _ = run_cli(capsys, cli_args(tiny_checkpoint_dir, out))
    assert code == EXIT_OK and out.is_file() and "saved" in stdout


def test_save_failure_prints_where_the_frames_are(
    capsys, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    import engine.outputs.video as video

    monkeypatch.setattr(video, "default_recovery_folders", lambda: [tmp_path / "kept"])
    real_replace = video.os.replace

    def locked(src, dst, *a, **k):
        if str(dst).endswith(".mp4"):
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(video.os, "replace", locked)
    out = tmp_path / "out" / "clip.mp4"
    code, _, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, out))
    assert code == EXIT_FAILED
    assert_clear_failure(err, "could not be saved", "the generated frames were kept in:")
    kept = err.split("the generated frames were kept in:")[1].strip().splitlines()[0]
    assert Path(kept).is_file() and Path(kept).parent == tmp_path / "kept"
    assert leftovers(out.parent) == []


def test_no_cuda_gpu_is_a_message(capsys, tiny_checkpoint_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    code, _, err = run_cli(
        capsys, cli_args(tiny_checkpoint_dir, tmp_path / "c.mp4", "--device", "cuda")
    )
    assert code == EXIT_FAILED
    assert_clear_failure(err, "No CUDA GPU", "cpu")
