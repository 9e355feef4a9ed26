"""engine.outputs.report and engine.outputs.report_format: run reports, their analysis, and the report command."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from engine.cli.report import add_report_parser, run_report
from engine.errors import ArtifexError
from engine.events import (
    AttentionInfo,
    PhaseFinished,
    PhaseStarted,
    Preview,
    RunFinished,
    RunStarted,
    StepFinished,
)
from engine.outputs.analysis import analyse, compare
from engine.outputs.report import (
    FORMAT_VERSION,
    ReportBuilder,
    ReportError,
    collect_environment,
    load_report,
    report_path_for,
)
from engine.outputs.report_format import RUN_COLOURS, SPIKE_COLOUR, format_table, write_step_chart
from engine.request import GenerationRequest

GiB = 2**30


def _step(index: int, total: int, seconds: float, h2d_bytes: int = 0, peak: int = 10 * GiB) -> dict:
    return {
        "type": "StepFinished",
        "index": index,
        "total": total,
        "seconds": seconds,
        "pass_seconds": [seconds / 2, seconds / 2],
        "timestep": 999.0 - index,
        "h2d_bytes": h2d_bytes,
        "h2d_seconds": h2d_bytes / (20 * GiB),
        "vram_allocated_bytes": 8 * GiB,
        "vram_reserved_bytes": peak + GiB,
        "vram_peak_bytes": peak,
        "time": 1000.0 + index,
    }


# Run A: median 2.0 s (sorted: 2,2,2,2,2,2.4,2.6,3), threshold 2.5 s → spikes at
# indices 3 (3.0 s, 1 GiB copied) and 5 (2.6 s, 0.5 GiB); 2.4 s is not one.  Mean 2.25 s.
A_SECONDS = [2.0, 2.0, 2.0, 3.0, 2.0, 2.6, 2.0, 2.4]
A_H2D = [0, 0, 0, GiB, 0, GiB // 2, 0, 0]


def _hand_report(
    seconds=A_SECONDS, h2d=A_H2D, *, offload="block", steps=8, kernel="sdpa-cudnn", peaks=None
) -> dict:
    total = len(seconds)
    peaks = peaks or [10 * GiB] * total
    events = [
        {
            "type": "RunStarted",
            "width": 1280,
            "height": 704,
            "frames": 121,
            "fps": 24,
            "latent_shape": [48, 31, 44, 80],
            "token_count": 27280,
            "attention_backend": "auto",
            "attention_kernel": kernel,
            "dtype": "bf16",
            "device": "cuda",
            "offload_mode": offload,
            "seed": 42,
            "steps": steps,
            "demo_model": False,
            "image_conditioned": False,
            "time": 999.0,
        },
        {"type": "PhaseFinished", "phase": "load", "seconds": 30.0, "time": 1.0},
        {"type": "PhaseFinished", "phase": "encode_text", "seconds": 4.5, "time": 2.0},
        *[_step(i, total, s, b, p) for i, (s, b, p) in enumerate(zip(seconds, h2d, peaks))],
        {"type": "PhaseFinished", "phase": "denoise", "seconds": sum(seconds), "time": 3.0},
        {"type": "PhaseFinished", "phase": "decode", "seconds": 10.25, "time": 4.0},
        {
            "type": "MemorySample",
            "vram_used_bytes": 20 * GiB,
            "vram_total_bytes": 24 * GiB,
            "vram_allocated_bytes": 9 * GiB,
            "vram_reserved_bytes": 11 * GiB,
            "ram_used_bytes": 30 * GiB,
            "ram_total_bytes": 64 * GiB,
            "process_rss_bytes": 21 * GiB,
            "source": "nvml",
            "time": 5.0,
        },
        {"type": "Preview", "step": 3, "shape": [2, 44, 80, 3], "time": 6.0},
        {
            "type": "RunFinished",
            "output_path": "out/a.mp4",
            "report_path": "out/a.json",
            "total_seconds": 80.5,
            "seed": 42,
            "time": 7.0,
        },
    ]
    return {
        "format_version": 1,
        "app": {"name": "Artifex", "version": "0.1.0"},
        "created": "2025-08-01T12:00:00+00:00",
        "settings": GenerationRequest(
            prompt="a cat", steps=steps, offload_mode=offload, output_path="out/a.mp4"
        ).to_dict(),
        "environment": {
            "gpu_name": "RTX 3090",
            "attention_kernel": kernel,
            "offload_mode": offload,
        },
        "events": events,
        "result": {"status": "finished", "total_seconds": 80.5},
    }


def _save(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- analysis


def test_analysis_numbers_of_a_hand_made_report(tmp_path):
    analysis = analyse(load_report(_save(tmp_path, "a.json", _hand_report())))
    assert analysis.label == "a" and analysis.status == "finished"
    assert analysis.step_seconds == tuple(A_SECONDS)
    assert analysis.median_step_seconds == 2.0
    assert analysis.mean_step_seconds == pytest.approx(2.25)
    assert analysis.slowest_step == (3, 3.0)
    assert analysis.spike_threshold_seconds == 2.5
    assert [(s.index, s.number, s.seconds, s.h2d_bytes) for s in analysis.spikes] == [
        (3, 4, 3.0, GiB),
        (5, 6, 2.6, GiB // 2),
    ]
    assert analysis.spikes[0].ratio == pytest.approx(1.5)
    assert analysis.spikes[0].h2d_seconds == pytest.approx(0.05)
    assert analysis.phase_seconds == {
        "load": 30.0,
        "encode_text": 4.5,
        "denoise": pytest.approx(18.0),
        "decode": 10.25,
    }
    assert analysis.peak_vram_bytes == 10 * GiB  # step peaks beat the 9 GiB sample
    assert analysis.peak_vram_reserved_bytes == 11 * GiB
    assert analysis.peak_vram_card_bytes == 20 * GiB
    assert analysis.peak_ram_bytes == 21 * GiB
    assert analysis.total_seconds == 80.5
    assert analysis.total_h2d_bytes == GiB + GiB // 2
    assert analysis.steps_planned == 8


def test_exactly_the_threshold_is_not_a_spike_and_even_count_median():
    from engine.outputs.report import report_from_dict

    data = _hand_report([1.0, 1.0, 1.25, 1.26, 1.0, 1.0], [0, 0, 7, 9, 0, 0], steps=6)
    analysis = analyse(report_from_dict(data))
    assert analysis.median_step_seconds == 1.0
    assert [(s.index, s.h2d_bytes) for s in analysis.spikes] == [(3, 9)]


def test_steps_sorted_by_index_and_peak_from_steps(tmp_path):
    data = _hand_report([1.0, 5.0, 1.0], [0, 0, 0], steps=3, peaks=[GiB, 3 * GiB, 2 * GiB])
    steps = [e for e in data["events"] if e["type"] == "StepFinished"]
    rest = [e for e in data["events"] if e["type"] != "StepFinished"]
    data["events"] = rest + steps[::-1]  # out of order in the file
    analysis = analyse(load_report(_save(tmp_path, "r.json", data)))
    assert analysis.step_indices == (0, 1, 2)
    assert analysis.step_seconds == (1.0, 5.0, 1.0)
    assert analysis.slowest_step == (1, 5.0)
    # The 9 GiB allocated in the memory sample is above every step peak here (1..3 GiB).
    assert analysis.peak_vram_bytes == 9 * GiB


def test_compare_lists_differing_settings_and_environment():
    from engine.outputs.report import report_from_dict

    a = analyse(report_from_dict(_hand_report(offload="block", kernel="sdpa-cudnn")))
    b_data = _hand_report([1.0] * 8, [0] * 8, offload="none", kernel="sdpa-flash")
    b_data["settings"]["output_path"] = "somewhere/else.mp4"  # ignored: always differs
    b_data["settings"]["guidance"] = 3.5
    comparison = compare(a, analyse(report_from_dict(b_data)))
    assert [(d.key, d.a, d.b) for d in comparison.differing_settings] == [
        ("guidance", None, 3.5),
        ("offload_mode", "block", "none"),
    ]
    assert [(d.key, d.a, d.b) for d in comparison.differing_environment] == [
        ("attention_kernel", "sdpa-cudnn", "sdpa-flash"),
        ("offload_mode", "block", "none"),
    ]
    assert comparison.median_ratio == pytest.approx(0.5)
    assert compare(a, a).differing_settings == ()


def test_settings_filled_with_what_ran():
    from engine.outputs.report import report_from_dict

    analysis = analyse(report_from_dict(_hand_report()))
    # The request left size/frames at None and the seed random (-1); RunStarted resolved them.
    assert (analysis.settings["width"], analysis.settings["height"]) == (1280, 704)
    assert analysis.settings["frames"] == 121 and analysis.settings["seed"] == 42


# --------------------------------------------------------------------------- builder and files


def test_builder_writes_atomically_and_round_trips(tmp_path):
    request = GenerationRequest(prompt="바다 위의 고양이", seed=7, offload_mode="auto")
    builder = ReportBuilder(request, {"gpu_name": "RTX 4090", "nan": float("nan")})
    builder.add(
        RunStarted(
            640,
            352,
            17,
            24,
            (48, 5, 22, 40),
            2200,
            "auto",
            "sdpa-cudnn",
            "bf16",
            "cuda",
            "block",
            7,
            2,
            False,
            False,
        )
    )
    builder.add(AttentionInfo("auto", "sdpa-cudnn", "bf16", 0.0, 2200, 2200, 512, 24, 128))
    builder.add(PhaseStarted("denoise"))
    for i, s in enumerate((1.5, 2.5)):
        builder.add(StepFinished(i, 2, s, (s,), 999.0, 10 * i, 0.1 * i, 1, 2, 3))
    builder.add(Preview(1, np.zeros((2, 8, 8, 3), np.uint8)))
    builder.add(PhaseFinished("denoise", 4.0))
    builder.add(RunFinished("out/v.mp4", "out/v.json", 9.0, 7))
    target = report_path_for(tmp_path / "새 폴더" / "v.mp4")
    assert target.name == "v.json"
    builder.write(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["v.json"]  # no temp left

    raw = json.loads(target.read_text(encoding="utf-8"))
    assert raw["format_version"] == FORMAT_VERSION == 1
    assert raw["environment"]["nan"] is None  # JSON has no NaN
    preview = next(e for e in raw["events"] if e["type"] == "Preview")
    assert preview["shape"] == [2, 8, 8, 3] and "frames" not in preview

    report = load_report(target)
    assert report.settings["prompt"] == "바다 위의 고양이"
    assert report.environment["offload_mode"] == "block"  # filled from RunStarted
    assert report.environment["attention_kernel"] == "sdpa-cudnn"
    assert report.result == {
        "status": "finished",
        "output_path": "out/v.mp4",
        "report_path": "out/v.json",
        "total_seconds": 9.0,
        "seed": 7,
    }
    assert [type(e).__name__ for e in report.typed_events()] == [
        "RunStarted", "AttentionInfo", "PhaseStarted", "StepFinished", "StepFinished",
        "PhaseFinished", "RunFinished",
    ]  # fmt: skip
    analysis = analyse(report)
    assert analysis.median_step_seconds == 2.0 and analysis.total_seconds == 9.0


def test_builder_without_final_event_is_incomplete(tmp_path):
    builder = ReportBuilder({"prompt": "x"})
    builder.add(StepFinished(0, 5, 1.0, (1.0,), 999.0, 0, 0.0, 0, 0, 0))
    report = load_report(builder.write(tmp_path / "r.json"))
    assert report.status == "incomplete"
    assert analyse(report).steps_planned == 5


def test_older_format_version_loads(tmp_path):
    v0 = {
        "request": {"prompt": "old", "steps": 3, "offload_mode": "none"},
        "events": [_step(0, 3, 2.0), _step(1, 3, 4.0), _step(2, 3, 2.0)],
    }
    report = load_report(_save(tmp_path, "old.json", v0))
    assert report.format_version == 0
    assert report.settings["prompt"] == "old"
    assert report.status == "incomplete" and "format 0" in report.notes[0]
    analysis = analyse(report)
    assert analysis.median_step_seconds == 2.0
    assert [s.index for s in analysis.spikes] == [1]


def test_missing_fields_and_newer_version_load(tmp_path):
    report = load_report(_save(tmp_path, "bare.json", {"format_version": 1}))
    analysis = analyse(report)
    assert analysis.step_count == 0 and analysis.median_step_seconds is None
    assert analysis.slowest_step is None and analysis.spikes == ()
    data = _hand_report()
    data["format_version"] = 99
    data["new_thing"] = {"x": 1}
    data["events"].append({"type": "SomethingNew", "value": 1})
    data["events"].append("garbage")
    newer = load_report(_save(tmp_path, "new.json", data))
    assert analyse(newer).median_step_seconds == 2.0
    assert any("newer" in n for n in newer.notes)
    assert any("malformed" in n for n in newer.notes)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("truncated", json.dumps(_hand_report())[:700]),
        ("empty", ""),
        ("list", "[1, 2, 3]"),
        ("events_not_list", json.dumps({"format_version": 1, "events": {"a": 1}})),
        ("settings_not_object", json.dumps({"format_version": 1, "settings": [1]})),
        ("bad_version", json.dumps({"format_version": "one", "events": []})),
        (
            "bad_step",
            json.dumps(
                {
                    "format_version": 1,
                    "events": [{"type": "StepFinished", "index": 0, "seconds": "slow"}],
                }
            ),
        ),  # noqa: E501
        ("not_a_report", json.dumps({"hello": "world"})),
    ],
)
def test_damaged_or_partial_report_raises_report_error(tmp_path, name, content):
    path = _save(tmp_path, f"{name}.json", content)
    with pytest.raises(ReportError) as info:
        load_report(path)
    assert isinstance(info.value, ArtifexError) and info.value.kind == "bad_report"
    assert path.name in info.value.message or "is not" in info.value.message


def test_unreadable_report_raises_report_error(tmp_path):
    with pytest.raises(ReportError, match="cannot be read"):
        load_report(tmp_path / "missing.json")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ReportError):
        load_report(tmp_path / "bin.json")


def test_collect_environment_lazily_imports_torch():
    torch = pytest.importorskip("torch")
    env = collect_environment({"attention_kernel": "sdpa-math", "dtype": "fp32"})
    assert env["torch"] == torch.__version__
    assert env["python"] == sys.version.split()[0]
    assert env["attention_kernel"] == "sdpa-math" and env["dtype"] == "fp32"
    assert env["cuda_available"] == torch.cuda.is_available()
    json.dumps(env)  # plain data


def test_modules_import_neither_torch_nor_qt():
    code = (
        "import sys, engine.outputs.report, engine.outputs.analysis, engine.outputs.report_format\n"
        "import engine.outputs.video, engine.outputs.video_files, engine.outputs.mp4\n"
        "import engine.cli.report\n"
        "bad = [m for m in sys.modules if m == 'torch' or m.startswith(('PySide6', 'PyQt'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent.parent)


# --------------------------------------------------------------------------- CLI


def _has_colour(pixels: np.ndarray, colour: tuple[int, int, int]) -> bool:
    return bool((pixels == np.array(colour, np.uint8)).all(axis=1).any())


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="artifex-cli")
    add_report_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["report", *argv])


def test_cli_prints_the_numbers(tmp_path):
    path = _save(tmp_path, "run_a.json", _hand_report())
    out, err = io.StringIO(), io.StringIO()
    assert run_report(_args(str(path)), out=out, err=err) == 0
    text = out.getvalue()
    assert "median step" in text and "2.000 s" in text
    assert "mean step" in text and "2.250 s" in text
    assert "#4  3.000 s" in text  # slowest, shown 1-based
    spike_part = text.split("Spikes (steps over 1.25x the median)")[1].splitlines()
    spike_lines = [line.split() for line in spike_part if line.strip().startswith("run_a")]
    assert spike_lines == [
        ["run_a", "#4", "3.000", "s", "1.50x", "1.00", "GiB", "0.050", "s"],
        ["run_a", "#6", "2.600", "s", "1.30x", "512.0", "MiB", "0.025", "s"],
    ]
    assert "decode" in text and "10.250 s" in text
    assert "VRAM allocated (peak)" in text and "10.00 GiB" in text
    assert err.getvalue() == ""


def test_cli_compare_png_and_markdown(tmp_path):
    a = _save(tmp_path, "run_a.json", _hand_report())
    b = _save(tmp_path, "run_b.json", _hand_report([1.0] * 8, [0] * 8, offload="none"))
    png, md = tmp_path / "out" / "chart.png", tmp_path / "out" / "summary.md"
    out = io.StringIO()
    code = run_report(
        _args(str(a), "--compare", str(b), "--png", str(png), "--markdown", str(md)), out=out
    )
    assert code == 0
    text = out.getvalue()
    assert "A: run_a" in text and "B: run_b" in text
    assert "B's median step is 0.50x A's (50% faster)" in text
    diff_rows = text.split("Settings that differ")[1].splitlines()
    assert any(row.split() == ["offload_mode", "block", "none"] for row in diff_rows)
    assert not any("output_path" in row for row in diff_rows)

    with Image.open(png) as image:
        image.verify()
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size == (1200, 640)
        rgb = np.asarray(image.convert("RGB"))
    pixels = rgb.reshape(-1, 3)
    assert _has_colour(pixels, RUN_COLOURS[0]) and _has_colour(pixels, RUN_COLOURS[1])  # curves
    # Spike rings inside the plot (the legend above y=100 has one too).  The x axis runs
    # from step 0.5 at x=95 to step 8.5 at x=1170: run A's spikes, steps 4 and 6, sit at
    # x≈565 and x≈834, and nowhere else has one.
    plot = rgb[110:560]

    def ring_between(x_from: int, x_to: int) -> bool:
        return _has_colour(plot[:, x_from:x_to].reshape(-1, 3), SPIKE_COLOUR)

    assert ring_between(530, 600) and ring_between(800, 870)
    assert not ring_between(0, 520) and not ring_between(610, 790) and not ring_between(880, 1200)
    assert (pixels == 255).all(axis=1).mean() > 0.5  # mostly white background, not a blot

    summary = md.read_text(encoding="utf-8")
    assert summary.startswith("# Run comparison: run_a vs run_b")
    assert "| median step | 2.000 s | 1.000 s |" in summary
    assert "| offload_mode | block | none |" in summary
    assert "![Step times](" in summary and "| A: run_a | #4 | 3.000 s | 1.50x |" in summary


def test_cli_damaged_report_exit_code_and_message(tmp_path):
    good = _save(tmp_path, "good.json", _hand_report())
    bad = _save(tmp_path, "bad.json", '{"format_version": 1, "events": [')
    out, err = io.StringIO(), io.StringIO()
    assert run_report(_args(str(good), "--compare", str(bad)), out=out, err=err) == 2
    assert "bad.json" in err.getvalue() and "damaged or incomplete" in err.getvalue()
    assert out.getvalue() == ""


def test_cli_unwritable_chart_path_exit_code(tmp_path):
    good = _save(tmp_path, "good.json", _hand_report())
    blocker = tmp_path / "file"
    blocker.write_text("x")
    err = io.StringIO()
    code = run_report(_args(str(good), "--png", str(blocker / "c.png")), out=io.StringIO(), err=err)
    assert code == 1 and "chart could not be written" in err.getvalue()


def test_single_run_and_empty_chart(tmp_path):
    from engine.outputs.report import report_from_dict

    one = write_step_chart(tmp_path / "one.png", analyse(report_from_dict(_hand_report())))
    empty = write_step_chart(
        tmp_path / "empty.png", analyse(report_from_dict({"format_version": 1}))
    )
    for path in (one, empty):
        with Image.open(path) as image:
            assert image.size == (1200, 640)
    with Image.open(one) as image:
        pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    assert _has_colour(pixels, RUN_COLOURS[0]) and not _has_colour(pixels, RUN_COLOURS[1])


def test_table_aligns_wide_characters():
    table = format_table(["name", "value"], [["고양이", "1.0 s"], ["cat", "10.0 s"]])
    lines = table.splitlines()
    # "고양이" is six columns wide, so both value cells end in the same column.
    from engine.outputs.report_format import _display_width

    assert {_display_width(line) for line in lines[2:]} == {_display_width(lines[1])}


def test_failed_write_keeps_the_previous_report_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "r.json"
    ReportBuilder({"prompt": "first"}).write(target)

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("engine.outputs.report.os.fsync", disk_full)
    with pytest.raises(OSError):
        ReportBuilder({"prompt": "second"}).write(target)
    assert load_report(target).settings == {"prompt": "first"}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_a_multi_gpu_report_shows_every_rank(tmp_path):
    from engine.outputs.report_format import format_analysis, format_markdown

    data = _hand_report()
    data["environment"]["distributed"] = {
        "world_size": 2,
        "ulysses_size": 2,
        "dit_fsdp": True,
        "t5_fsdp": False,
        "backend": "nccl",
        "tokens": 27280,
        "tokens_per_rank": 13640,
        "padding": 0,
        "per_rank_step_seconds": [[5.0, 1.0, 1.2, 1.1], [4.0, 1.3, 1.0, 0.9]],
    }
    analysis = analyse(load_report(_save(tmp_path, "multi.json", data)))
    text = format_analysis(analysis)
    assert "2 x GPU RTX 3090" in text
    assert "ulysses_size 2, dit_fsdp True, t5_fsdp False, 13640 of 27280 tokens per GPU" in text
    rows = text.split("Several GPUs (multi)")[1].split("Spikes")[0].splitlines()
    rank0 = next(r for r in rows if r.strip().startswith("0 "))
    rank1 = next(r for r in rows if r.strip().startswith("1 "))
    # median (of four: the mean of the middle two), mean, slowest with its 1-based number
    assert rank0.split() == ["0", "1.150", "s", "2.075", "s", "#1", "5.000", "s"]
    assert rank1.split() == ["1", "1.150", "s", "1.800", "s", "#1", "4.000", "s"]
    assert "## Several GPUs (multi)" in format_markdown(analysis)
    plain = analyse(load_report(_save(tmp_path, "one.json", _hand_report())))
    assert "Several GPUs" not in format_analysis(plain)
    # a damaged entry (hand-edited or truncated report) is skipped, step numbers stay right
    data["environment"]["distributed"]["per_rank_step_seconds"] = [[None, "x", 2.0, 9.0], "bad"]
    text = format_analysis(analyse(load_report(_save(tmp_path, "damaged.json", data))))
    rows = text.split("Several GPUs (damaged)")[1].split("Spikes")[0].splitlines()
    rank0 = next(r for r in rows if r.strip().startswith("0 "))
    assert rank0.split() == ["0", "5.500", "s", "5.500", "s", "#4", "9.000", "s"]


def test_whole_job_peaks_from_the_final_event_beat_the_step_samples(tmp_path):
    """Decode and the text encoder often peak above the steps: the final event carries the
    whole job's allocator peaks, so 'reserved' is never shown below 'allocated'."""
    data = _hand_report()
    final = data["events"][-1]
    final["vram_peak_bytes"] = 15 * GiB  # steps peak at 10, samples at 9 allocated / 11 reserved
    final["vram_reserved_peak_bytes"] = 16 * GiB
    analysis = analyse(load_report(_save(tmp_path, "peaks.json", data)))
    assert analysis.peak_vram_bytes == 15 * GiB
    assert analysis.peak_vram_reserved_bytes == 16 * GiB
    final["vram_reserved_peak_bytes"] = 0  # 0 = not measured (no CUDA): the samples stand
    analysis = analyse(load_report(_save(tmp_path, "cpu.json", data)))
    assert analysis.peak_vram_reserved_bytes == 11 * GiB
