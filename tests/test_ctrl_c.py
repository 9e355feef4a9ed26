"""Ctrl+C in ``artifex-cli generate``: a clean cancel in every phase (real signals to a
subprocess), and no traceback from a finalizer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.cli import EXIT_CANCELLED, EXIT_OK
from tests.fixtures_cases import (
    _gradient,
)
from tests.fixtures_cli import cli_args, leftovers, run_cli

REPO = Path(__file__).resolve().parents[1]


def _start(args: list[str]) -> subprocess.Popen:
    """A CLI process in its own process group, so a signal to the group reaches it the way
    a terminal's Ctrl+C does (ffmpeg included)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "engine.cli", *args],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for_line(proc: subprocess.Popen, needle: str, timeout_s: float = 120) -> list[str]:
    seen = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return seen
    proc.kill()
    raise AssertionError(f"never saw {needle!r}: {''.join(seen)}{proc.stderr.read()}")


@pytest.mark.skipif(sys.platform == "win32", reason="process-group signals")
@pytest.mark.parametrize(
    "phase,wait_for,extra,presses",
    [
        ("denoise", "step 2/", ["--size", "64*64", "--sample_steps", "1000"], 1),
        (
            "decode",
            "denoise done",
            ["--size", "64*64", "--frame_num", "401", "--sample_steps", "1"],
            1,
        ),
        ("denoise, pressed twice", "step 2/", ["--size", "64*64", "--sample_steps", "1000"], 2),
    ],
)
def test_ctrl_c_cancels_cleanly(tiny_checkpoint_dir, tmp_path, phase, wait_for, extra, presses):
    out = tmp_path / "out" / "clip.mp4"
    proc = _start([*cli_args(tiny_checkpoint_dir, out), *extra])
    try:
        _wait_for_line(proc, wait_for)
        for _ in range(presses):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.05)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == EXIT_CANCELLED, stderr
    assert "Traceback" not in stderr, stderr
    assert "cancelled during" in stderr or "interrupted" in stderr, stderr
    if presses == 1:
        assert f"cancelled during {phase}" in stderr or "cancelled during save" in stderr, stderr
    assert "saved" not in stdout
    assert leftovers(out.parent) == [], "a video, report or temp file was left behind"


def test_a_picture_that_works_still_works_after_all_that(capsys, tiny_checkpoint_dir, tmp_path):
    from PIL import Image

    image = tmp_path / "ok.png"
    Image.fromarray(_gradient(160, 120)).save(image)
    out = tmp_path / "ok.mp4"
    code, stdout, err = run_cli(capsys, cli_args(tiny_checkpoint_dir, out, "--image", str(image)))
    assert code == EXIT_OK, err
    assert "image-to-video 128x96" in stdout and out.is_file()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_second_ctrl_c_inside_a_finalizer_prints_no_traceback(capsys, monkeypatch, tmp_path):
    """Python swallows an exception raised in __del__ and prints its traceback; the second
    Ctrl+C can land there.  The run still ends as cancelled, without that noise."""
    import gc

    from engine import events as ev
    from engine.run.runner import Engine

    class Finalized:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGINT)  # the second press, inside a finalizer

    def fake_run(self, req, on_event, cancel):
        os.kill(os.getpid(), signal.SIGINT)  # first press: sets the flag
        assert cancel.cancelled
        Finalized()  # collected at once: its __del__ takes the second press
        gc.collect()
        final = ev.RunCancelled("denoise")
        on_event(final)
        return final

    reported = []  # what reaches the hook that prints "Exception ignored ... Traceback"
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_type))
    monkeypatch.setattr(Engine, "run", fake_run)
    code, _, err = run_cli(capsys, cli_args(None, tmp_path / "clip.mp4"))
    assert code == EXIT_CANCELLED, err
    assert reported == [] and "Traceback" not in err, (reported, err)
    assert "cancelled during denoise" in err, err
