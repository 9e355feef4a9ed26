"""A run's analysis as text: aligned tables, Markdown and the step-time chart PNG.

The analysis (median step, spikes, phase times, peak memory, and with a comparison the
settings that differ) is shown as aligned tables; the overlaid step-time chart is drawn with
Pillow (no matplotlib, no Qt). ``artifex-cli report`` (:mod:`engine.cli.report`) and the GUI
both use these functions.
"""

from __future__ import annotations

import math
import statistics
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine.outputs.analysis import SPIKE_FACTOR, Comparison, RunAnalysis, SettingDifference
from engine.outputs.report import _is_number

RUN_COLOURS = ((31, 119, 180), (230, 110, 20))  # A blue, B orange
SPIKE_COLOUR = (214, 39, 40)


# --------------------------------------------------------------------------- formatting


def fmt_seconds(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "-"
    if value >= 120:
        minutes, seconds = divmod(value, 60)
        return f"{value:.1f} s ({int(minutes)} min {seconds:02.0f} s)"
    return f"{value:.{digits}f} s"


def fmt_bytes(value: int | None) -> str:
    if value is None:
        return "-"
    if value >= 2**30:
        return f"{value / 2**30:.2f} GiB"
    if value >= 2**20:
        return f"{value / 2**20:.1f} MiB"
    if value >= 2**10:
        return f"{value / 2**10:.1f} KiB"
    return f"{value} B"


def _display_width(text: str) -> int:
    """Terminal columns: wide (CJK, Hangul) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, align: str) -> str:
    gap = max(0, width - _display_width(text))
    return " " * gap + text if align == "r" else text + " " * gap


def format_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    aligns: str | None = None,
    indent: str = "  ",
) -> str:
    """An aligned plain-text table; ``aligns`` has one ``l``/``r`` per column."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    columns = len(headers)
    aligns = aligns or "l" + "r" * (columns - 1)
    widths = [max(_display_width(row[i]) for row in cells) for i in range(columns)]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            indent + "  ".join(_pad(row[i], widths[i], aligns[i]) for i in range(columns)).rstrip()
        )
        if n == 0:
            lines.append(indent + "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _short(value: Any, limit: int = 60) -> str:
    text = "-" if value is None else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slowest(analysis: RunAnalysis) -> str:
    if analysis.slowest_step is None:
        return "-"
    index, seconds = analysis.slowest_step
    return f"#{index + 1}  {fmt_seconds(seconds)}"


def _steps_done(analysis: RunAnalysis) -> str:
    planned = analysis.steps_planned
    return f"{analysis.step_count} / {planned}" if planned else str(analysis.step_count)


def _summary_rows(runs: Sequence[RunAnalysis]) -> list[list[str]]:
    def row(name: str, fn) -> list[str]:
        return [name, *(fn(r) for r in runs)]

    return [
        row("status", lambda r: r.status),
        row("steps done", _steps_done),
        row("median step", lambda r: fmt_seconds(r.median_step_seconds)),
        row("mean step", lambda r: fmt_seconds(r.mean_step_seconds)),
        row("slowest step", _slowest),
        row(f"spikes (> {SPIKE_FACTOR}x median)", lambda r: str(len(r.spikes))),
        row("DiT passes computed", _passes_text),
        row("copied host->device", lambda r: fmt_bytes(r.total_h2d_bytes)),
        row("total time", lambda r: fmt_seconds(r.total_seconds, 1)),
    ]


def _passes_text(run: RunAnalysis) -> str:
    """``"60/100 (40 reused, 1.67x fewer)"`` or ``"50/50"``; per step when planned."""
    if not run.passes_total:
        return "-"
    text = f"{run.passes_computed}/{run.passes_total}"
    if run.passes_reused:
        text += f" ({run.passes_reused} reused, {run.pass_speedup:.2f}x fewer)"
    if run.passes_per_step:
        text += f", {run.passes_per_step}/step"
    return text


def _patterns(runs: Sequence[RunAnalysis], names: Sequence[str]) -> list[tuple[str, str, str]]:
    """(run name, cache, pattern) of the runs that reused a pass; the pattern has one letter
    per pass (C computed, r reused), steps separated by spaces, 10 steps to a group."""
    out = []
    for name, run in zip(names, runs):
        if run.passes_reused:
            steps = run.pass_pattern.split()
            groups = " | ".join(" ".join(steps[i : i + 10]) for i in range(0, len(steps), 10))
            out.append((name, run.cache, groups))
    return out


def _phase_rows(runs: Sequence[RunAnalysis]) -> list[list[str]]:
    phases = list(dict.fromkeys(p for r in runs for p in r.phase_seconds))
    return [[p, *(fmt_seconds(r.phase_seconds.get(p)) for r in runs)] for p in phases]


def _memory_rows(runs: Sequence[RunAnalysis]) -> list[list[str]]:
    return [
        ["VRAM allocated (peak)", *(fmt_bytes(r.peak_vram_bytes) for r in runs)],
        ["VRAM reserved (peak)", *(fmt_bytes(r.peak_vram_reserved_bytes) for r in runs)],
        ["VRAM whole card (NVML)", *(fmt_bytes(r.peak_vram_card_bytes) for r in runs)],
        ["process RAM (peak)", *(fmt_bytes(r.peak_ram_bytes) for r in runs)],
    ]


def _spike_rows(runs: Sequence[RunAnalysis], names: Sequence[str]) -> list[list[str]]:
    rows = []
    for name, run in zip(names, runs):
        for spike in run.spikes:
            rows.append(
                [
                    name,
                    f"#{spike.number}",
                    fmt_seconds(spike.seconds),
                    f"{spike.ratio:.2f}x",
                    fmt_bytes(spike.h2d_bytes),
                    fmt_seconds(spike.h2d_seconds),
                ]
            )
    return rows


def _context_line(run: RunAnalysis) -> str:
    s, e = run.settings, run.environment
    size = f"{s.get('width', '?')}x{s.get('height', '?')}"
    parts = [
        size,
        f"{s.get('frames', '?')} frames",
        f"{s.get('steps', '?')} steps",
        f"seed {s.get('seed', '?')}",
        f"{s.get('solver', '?')}",
        f"offload {e.get('offload_mode', s.get('offload_mode', '?'))}",
        f"attention {s.get('attention', '?')} -> {e.get('attention_kernel', '?')}",
        f"{e.get('dtype', s.get('dtype', '?'))}",
        f"GPU {e.get('gpu_name') or 'none'}",
    ]
    dist = e.get("distributed")
    if isinstance(dist, dict) and dist.get("world_size"):
        parts[-1] = f"{dist['world_size']} x {parts[-1]}"
    return ", ".join(parts)


def _distributed_sections(
    runs: Sequence[RunAnalysis], names: Sequence[str]
) -> list[tuple[str, str, list[list[str]]]]:
    """Per multi-GPU run: (name, one line of its layout, a row per rank: median, mean, slowest step)."""
    out = []
    for name, run in zip(names, runs):
        dist = run.environment.get("distributed")
        if not isinstance(dist, dict):
            continue
        line = (
            f"{dist.get('world_size')} processes ({dist.get('backend')}), ulysses_size {dist.get('ulysses_size')}, "
            f"dit_fsdp {dist.get('dit_fsdp')}, t5_fsdp {dist.get('t5_fsdp')}, "
            f"{dist.get('tokens_per_rank')} of {dist.get('tokens')} tokens per GPU (padding {dist.get('padding')})"
        )
        rows = []
        for rank, seconds in enumerate(dist.get("per_rank_step_seconds") or []):
            steps = [(i, float(x)) for i, x in enumerate(seconds or []) if _is_number(x)]
            if not steps:
                continue
            values = [x for _, x in steps]
            slowest, slowest_s = max(steps, key=lambda step: step[1])
            rows.append(
                [
                    str(rank),
                    fmt_seconds(statistics.median(values)),
                    fmt_seconds(sum(values) / len(values)),
                    f"#{slowest + 1}  {fmt_seconds(slowest_s)}",
                ]
            )
        out.append((name, line, rows))
    return out


def _names(first: RunAnalysis, comparison: Comparison | None) -> list[str]:
    if comparison is None:
        return [first.label]
    return [f"A: {comparison.a.label}", f"B: {comparison.b.label}"]


def format_analysis(first: RunAnalysis, comparison: Comparison | None = None) -> str:
    """The terminal text: summary, phases, memory, spikes, and differing settings."""
    runs = [first] if comparison is None else [comparison.a, comparison.b]
    names = _names(first, comparison)
    parts = []
    if comparison is None:
        parts.append(f"Run {first.label}\n")
    else:
        parts.append(f"Comparing A: {comparison.a.label}\n      and B: {comparison.b.label}\n")
    for name, run in zip(names, runs):
        prompt = run.settings.get("prompt")
        prefix = f"{name}: " if comparison is not None else ""
        parts.append(f"  {prefix}{_context_line(run)}\n")
        if prompt:
            parts.append(f"  {' ' * len(prefix)}prompt: {_short(prompt, 90)}\n")
    parts.append("\nSteps\n")
    parts.append(format_table(["", *names], _summary_rows(runs)))
    patterns = _patterns(runs, names)
    if patterns:
        parts.append("  DiT passes per step (C computed, r reused from the step cache):\n")
        parts.extend(f"  {name} ({cache}): {groups}\n" for name, cache, groups in patterns)
    if comparison is not None and comparison.median_ratio is not None:
        ratio = comparison.median_ratio
        faster = "faster" if ratio < 1 else "slower"
        parts.append(
            f"  B's median step is {ratio:.2f}x A's ({abs(1 - ratio) * 100:.0f}% {faster}).\n"
        )
    parts.append("\nPhase times\n")
    phase_rows = _phase_rows(runs)
    parts.append(format_table(["phase", *names], phase_rows) if phase_rows else "  none recorded\n")
    parts.append("\nPeak memory\n")
    parts.append(format_table(["", *names], _memory_rows(runs)))
    for name, line, rows in _distributed_sections(runs, names):
        parts.append(f"\nSeveral GPUs ({name})\n  {line}\n")
        parts.append(
            format_table(["rank", "median step", "mean step", "slowest step"], rows, "lrrr")
        )
    parts.append(f"\nSpikes (steps over {SPIKE_FACTOR}x the median)\n")
    spike_rows = _spike_rows(runs, names)
    if spike_rows:
        parts.append(
            format_table(
                ["run", "step", "seconds", "x median", "copied h->d", "copy time"],
                spike_rows,
                "lrrrrr",
            )
        )
    else:
        parts.append("  none\n")
    if comparison is not None:
        parts.append("\nSettings that differ\n")
        diffs = _all_differences(comparison)
        if diffs:
            parts.append(
                format_table(
                    ["setting", "A", "B"],
                    [[d.key, _short(d.a, 40), _short(d.b, 40)] for d in diffs],
                    "lll",
                )
            )
        else:
            parts.append("  none: same settings\n")
    return "".join(parts)


def _all_differences(comparison: Comparison) -> list[SettingDifference]:
    """Differing settings, then differing environment entries as ``env.KEY``; an entry
    that only repeats a differing setting (same key, same values) is left out."""
    settings = {(d.key, repr(d.a), repr(d.b)) for d in comparison.differing_settings}
    out = list(comparison.differing_settings)
    for d in comparison.differing_environment:
        if (d.key, repr(d.a), repr(d.b)) not in settings:
            out.append(SettingDifference(f"env.{d.key}", d.a, d.b))
    return out


def _md_cell(value: Any) -> str:
    return _short(value, 120).replace("|", "\\|")


def _md_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], aligns: str | None = None
) -> str:
    aligns = aligns or "l" + "r" * (len(headers) - 1)
    rule = ["---:" if a == "r" else "---" for a in aligns]
    lines = ["| " + " | ".join(_md_cell(h) for h in headers) + " |", "| " + " | ".join(rule) + " |"]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def format_markdown(
    first: RunAnalysis,
    comparison: Comparison | None = None,
    *,
    chart_path: str | Path | None = None,
) -> str:
    """A Markdown summary with the same numbers as the terminal output."""
    runs = [first] if comparison is None else [comparison.a, comparison.b]
    names = _names(first, comparison)
    title = (
        f"# Run {first.label}"
        if comparison is None
        else f"# Run comparison: {comparison.a.label} vs {comparison.b.label}"
    )
    parts = [title + "\n\n"]
    for name, run in zip(names, runs):
        parts.append(f"- **{name}**: {_md_cell(_context_line(run))}\n")
        if run.settings.get("prompt"):
            parts.append(f"  - prompt: {_md_cell(run.settings['prompt'])}\n")
    if chart_path:
        parts.append(f"\n![Step times]({Path(chart_path).as_posix()})\n")
    parts.append("\n## Steps\n\n" + _md_table(["", *names], _summary_rows(runs)))
    patterns = _patterns(runs, names)
    if patterns:
        parts.append("\nDiT passes per step (`C` computed, `r` reused from the step cache):\n\n")
        parts.extend(f"- {name} ({cache}): `{groups}`\n" for name, cache, groups in patterns)
    if comparison is not None and comparison.median_ratio is not None:
        parts.append(f"\nB's median step is **{comparison.median_ratio:.2f}x** A's.\n")
    phase_rows = _phase_rows(runs)
    parts.append("\n## Phase times\n\n")
    parts.append(_md_table(["phase", *names], phase_rows) if phase_rows else "None recorded.\n")
    parts.append("\n## Peak memory\n\n" + _md_table(["", *names], _memory_rows(runs)))
    for name, line, rows in _distributed_sections(runs, names):
        parts.append(f"\n## Several GPUs ({_md_cell(name)})\n\n{_md_cell(line)}\n\n")
        parts.append(_md_table(["rank", "median step", "mean step", "slowest step"], rows, "lrrr"))
    parts.append(f"\n## Spikes (steps over {SPIKE_FACTOR}x the median)\n\n")
    spike_rows = _spike_rows(runs, names)
    parts.append(
        _md_table(
            ["run", "step", "seconds", "x median", "copied host->device", "copy time"],
            spike_rows,
            "lrrrrr",
        )
        if spike_rows
        else "None.\n"
    )
    if comparison is not None:
        parts.append("\n## Settings that differ\n\n")
        diffs = [(d.key, d.a, d.b) for d in _all_differences(comparison)]
        parts.append(_md_table(["setting", "A", "B"], diffs, "lll") if diffs else "None.\n")
    return "".join(parts)


# --------------------------------------------------------------------------- the chart


def _nice_step(span: float, target_ticks: int = 6) -> float:
    """A 1-2-5 tick spacing giving about ``target_ticks`` ticks over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _font(size: int):
    from PIL import ImageFont

    # Fonts with Hangul/CJK first (file names and prompts may be Korean), then plain ones;
    # Pillow looks these names up in the system font folders.
    for name in (
        "malgun.ttf",
        "NotoSansCJK-Regular.ttc",
        "segoeui.ttf",
        "DejaVuSans.ttf",
        "Arial.ttf",
    ):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def write_step_chart(
    path: str | Path,
    first: RunAnalysis,
    second: RunAnalysis | None = None,
    *,
    width: int = 1200,
    height: int = 640,
) -> Path:
    """Draw seconds per step for one or two runs, overlaid, with each run's median (dashed)
    and its spikes marked; save as PNG at ``path`` (``width``×``height`` pixels)."""
    from PIL import Image, ImageDraw

    scale = 2  # draw at twice the size and downsample: smooth lines without anti-aliasing
    w, h = width * scale, height * scale
    image = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    title_font, label_font, tick_font = _font(22 * scale), _font(15 * scale), _font(13 * scale)
    runs = [r for r in (first, second) if r is not None]
    names = (
        [r.label for r in runs] if len(runs) == 1 else [f"A: {first.label}", f"B: {second.label}"]
    )

    left, right, top, bottom = 95 * scale, 30 * scale, 110 * scale, 75 * scale
    plot = (left, top, w - right, h - bottom)
    x0, y0, x1, y1 = plot

    title = "Seconds per denoising step" if len(runs) == 1 else "Seconds per denoising step, A vs B"
    draw.text((left, 18 * scale), title, font=title_font, fill=(30, 30, 30))

    all_seconds = [s for r in runs for s in r.step_seconds]
    max_step = max([len(r.step_seconds) and (max(r.step_indices) + 1) for r in runs] + [1])
    y_max_data = max(all_seconds) if all_seconds else 1.0
    y_tick = _nice_step(y_max_data * 1.08)
    y_top = y_tick * math.ceil(y_max_data * 1.08 / y_tick) if y_max_data > 0 else 1.0
    x_lo, x_hi = 0.5, max(max_step, 2) + 0.5  # half a step of air at both ends

    def px(step_number: float) -> float:
        return x0 + (step_number - x_lo) / (x_hi - x_lo) * (x1 - x0)

    def py(seconds: float) -> float:
        return y1 - seconds / y_top * (y1 - y0)

    # Grid and ticks.
    grid, axis, text = (232, 232, 232), (90, 90, 90), (60, 60, 60)
    value = 0.0
    while value <= y_top + 1e-9:
        y = py(value)
        draw.line([(x0, y), (x1, y)], fill=grid, width=scale)
        label = f"{value:g}"
        tw = draw.textlength(label, font=tick_font)
        draw.text((x0 - 10 * scale - tw, y - 8 * scale), label, font=tick_font, fill=text)
        value += y_tick
    x_tick = max(1, int(_nice_step(x_hi - x_lo, 10)))
    ticks = [1] + list(range(x_tick, int(x_hi) + 1, x_tick))
    for step_number in dict.fromkeys(ticks):
        x = px(step_number)
        draw.line([(x, y0), (x, y1)], fill=grid, width=scale)
        label = str(step_number)
        tw = draw.textlength(label, font=tick_font)
        draw.text((x - tw / 2, y1 + 8 * scale), label, font=tick_font, fill=text)
    draw.line([(x0, y1), (x1, y1)], fill=axis, width=2 * scale)
    draw.line([(x0, y0), (x0, y1)], fill=axis, width=2 * scale)

    # Axis labels.
    x_label = "step"
    tw = draw.textlength(x_label, font=label_font)
    draw.text(((x0 + x1) / 2 - tw / 2, y1 + 36 * scale), x_label, font=label_font, fill=text)
    y_label = "seconds per step"
    lw = int(draw.textlength(y_label, font=label_font)) + 4
    label_img = Image.new("RGBA", (lw, 24 * scale), (255, 255, 255, 0))
    ImageDraw.Draw(label_img).text((2, 0), y_label, font=label_font, fill=text)
    rotated = label_img.rotate(90, expand=True)
    image.paste(rotated, (14 * scale, int((y0 + y1) / 2 - rotated.height / 2)), rotated)

    # Curves, medians, spikes.
    for colour, run in zip(RUN_COLOURS, runs):
        points = [(px(i + 1), py(s)) for i, s in zip(run.step_indices, run.step_seconds)]
        if run.median_step_seconds is not None:
            _dashed_line(draw, x0, x1, py(run.median_step_seconds), _lighter(colour), 2 * scale)
        if len(points) > 1:
            draw.line(points, fill=colour, width=3 * scale, joint="curve")
        dot = 3.5 * scale if len(points) <= 80 else 0
        for x, y in points:
            if dot:
                draw.ellipse([x - dot, y - dot, x + dot, y + dot], fill=colour)
        for spike in run.spikes:
            x, y = px(spike.number), py(spike.seconds)
            r = 8 * scale
            draw.ellipse([x - r, y - r, x + r, y + r], outline=SPIKE_COLOUR, width=3 * scale)
    if not all_seconds:
        message = "no steps recorded"
        tw = draw.textlength(message, font=label_font)
        draw.text(((x0 + x1) / 2 - tw / 2, (y0 + y1) / 2), message, font=label_font, fill=text)

    # Legend, in one row under the title.
    lx, ly = left, 62 * scale
    entries = []
    for colour, name, run in zip(RUN_COLOURS, names, runs):
        median = fmt_seconds(run.median_step_seconds, 2)
        entries.append(("line", colour, f"{_short(name, 40)}  (median {median})"))
    entries.append(("dash", (150, 150, 150), "median"))
    entries.append(("ring", SPIKE_COLOUR, f"spike > {SPIKE_FACTOR}x median"))
    for kind, colour, label in entries:
        cy = ly + 10 * scale
        if kind == "line":
            draw.line([(lx, cy), (lx + 30 * scale, cy)], fill=colour, width=3 * scale)
            draw.ellipse(
                [lx + 11 * scale, cy - 4 * scale, lx + 19 * scale, cy + 4 * scale], fill=colour
            )
        elif kind == "dash":
            _dashed_line(draw, lx, lx + 30 * scale, cy, colour, 2 * scale)
        else:
            r = 8 * scale
            c = lx + 15 * scale
            draw.ellipse([c - r, cy - r, c + r, cy + r], outline=colour, width=3 * scale)
        draw.text((lx + 38 * scale, ly), label, font=label_font, fill=text)
        lx += 38 * scale + draw.textlength(label, font=label_font) + 28 * scale

    image = image.resize((width, height), Image.Resampling.LANCZOS)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, format="PNG", optimize=True)
    return target


def _lighter(colour: tuple[int, int, int], amount: float = 0.45) -> tuple[int, int, int]:
    return tuple(int(c + (255 - c) * amount) for c in colour)  # type: ignore[return-value]


def _dashed_line(draw, xa: float, xb: float, y: float, colour, width: int, dash: int = 14) -> None:
    x = xa
    while x < xb:
        draw.line([(x, y), (min(x + dash, xb), y)], fill=colour, width=width)
        x += dash * 1.8
