"""Running ``artifex-cli`` in tests: the small fast arguments, the call in this process,
and the checks of a clear failure."""

from __future__ import annotations

from pathlib import Path

from engine.cli import main


def cli_args(ckpt: Path | None, out: Path, *extra: str) -> list[str]:
    args = [
        "generate",
        "--prompt",
        "a red fox",
        "--size",
        "128*96",
        "--frame_num",
        "9",
        "--sample_steps",
        "2",
        "--base_seed",
        "3",
        "--device",
        "cpu",
        "--dtype",
        "fp32",
        "--offload_model",
        "False",
        "--save_file",
        str(out),
        *extra,
    ]
    if ckpt is not None:
        args += ["--ckpt_dir", str(ckpt)]
    return args


def run_cli(capsys, args: list[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_clear_failure(err: str, *words: str) -> None:
    """What happened and what to do, each on its own line; no traceback."""
    assert "Traceback" not in err and 'File "' not in err, err
    assert err.startswith("error: ") or "\nerror: " in err, err
    assert "what to do: " in err, err
    for word in words:
        assert word in err, f"{word!r} not in {err!r}"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
