"""`artifex-cli doctor` and `artifex-cli bench-attention` on this machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def test_doctor_reports_torch_gpu_and_working_kernels():
    proc = _cli("doctor")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "torch " in out and "Python " in out
    assert "no CUDA GPU" in out or "GPU 0:" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("attention kernels that pass the self-test (fp32)"))
    assert "math" in line and "chunked" in line
    assert "ffmpeg: " in out and "missing" not in out


def test_bench_attention_prints_a_table_of_working_backends():
    proc = _cli("bench-attention", "--tokens", "300", "--heads", "2", "--head_dim", "32", "--dtype", "fp32",
                "--device", "cpu", "--repeats", "1")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("backend"))
    rows = {ln.split()[0]: ln.split()[1:] for ln in lines[header + 1:] if ln.strip()}
    assert {"math", "sdpa", "chunked"} <= set(rows)
    for name in ("math", "sdpa", "chunked"):
        ms, tflops = (float(x) for x in rows[name])
        assert ms > 0 and tflops > 0


def test_generate_compile_flag_maps_to_the_request():
    from engine.cli import build_parser
    from engine.cli.generate import _request_from_args

    parser = build_parser()
    for flag, want in (("auto", None), ("on", True), ("off", False)):
        args = parser.parse_args(["generate", "--prompt", "a fox", "--compile", flag])
        assert _request_from_args(args).compile is want
    with pytest.raises(SystemExit):
        parser.parse_args(["generate", "--prompt", "a fox", "--compile", "maybe"])


def test_generate_without_prompt_uses_the_official_example_prompt(capsys):
    """Like the official generate.py: no --prompt → its example prompt for ti2v-5B (said on stderr)."""
    from engine.cli import build_parser
    from engine.cli.generate import _request_from_args
    from engine.config import EXAMPLE_PROMPT

    args = build_parser().parse_args(["generate"])
    req = _request_from_args(args)
    assert req.prompt == EXAMPLE_PROMPT and "boxing gear" in req.prompt
    assert "official example prompt" in capsys.readouterr().err
