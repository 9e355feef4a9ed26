"""The rows of the comparison table, built from an :class:`engine.outputs.report.Comparison`.

No widgets (only ``QCoreApplication.translate`` for the labels).  Every number is taken as is from ``engine.outputs.report.analyse``/``compare`` (each row
keeps the raw values beside the text) and formatted with the CLI's own helpers, so the app,
the terminal and the Markdown summary show the same figures.  Which settings differ comes
from ``Comparison.differing_settings`` / ``differing_environment``; nothing is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

from artifex_gui.engine_bridge import (
    COMPARED_ENVIRONMENT_KEYS,
    SPIKE_FACTOR,
    Comparison,
    RunAnalysis,
    Spike,
    fmt_bytes,
    fmt_seconds,
)
from artifex_gui.model.names import phase_name, setting_name

# Settings always shown (in this order); any other setting that differs is added after them.
KEY_SETTINGS = (
    "prompt",
    "image_path",
    "width",
    "height",
    "frames",
    "steps",
    "solver",
    "seed",
    "guidance",
    "shift",
    "attention",
    "dtype",
    "precision",
    "decode_mode",
    "offload_mode",
    "low_ram",
    "checkpoint_dir",
)
SECTIONS = ("Steps", "Phase times", "Peak memory", "Settings", "Environment")


def section_title(section: str) -> str:
    """The shown (translated) title of a section of :data:`SECTIONS`."""
    titles = {
        "Steps": QCoreApplication.translate("Comparison", "Steps"),
        "Phase times": QCoreApplication.translate("Comparison", "Phase times"),
        "Peak memory": QCoreApplication.translate("Comparison", "Peak memory"),
        "Settings": QCoreApplication.translate("Comparison", "Settings"),
        "Environment": QCoreApplication.translate("Comparison", "Environment"),
    }
    return titles.get(section, section)


@dataclass(frozen=True)
class ComparisonRow:
    """One table row.  ``key`` is stable (``"median_step"``, ``"phase.decode"``,
    ``"setting.steps"``, ``"env.gpu_name"``) for code and tests; ``label`` is shown."""

    section: str
    key: str
    label: str
    a_text: str
    b_text: str
    a_value: Any = None
    b_value: Any = None
    differs: bool = False  # a setting / environment entry that differs: highlighted


def value_text(value: Any, limit: int = 200) -> str:
    if value is None:
        return "-"
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slowest_text(run: RunAnalysis) -> str:
    if run.slowest_step is None:
        return "-"
    index, seconds = run.slowest_step
    return f"#{index + 1} · {fmt_seconds(seconds)}"


def spike_text(spike: Spike) -> str:
    """Two lines: ``"#4  3.000 s (1.50×)"`` and ``"   1.00 GiB copied"``."""
    return (
        f"#{spike.number}  {fmt_seconds(spike.seconds)} ({spike.ratio:.2f}×)\n"
        + "      "
        + QCoreApplication.translate("Comparison", "{0} copied").format(fmt_bytes(spike.h2d_bytes))
    )


def spikes_text(run: RunAnalysis) -> str:
    return (
        "\n".join(spike_text(s) for s in run.spikes)
        if run.spikes
        else QCoreApplication.translate("Comparison", "none")
    )


def steps_done_text(run: RunAnalysis) -> str:
    planned = run.steps_planned
    return f"{run.step_count} / {planned}" if planned else str(run.step_count)


Size = tuple[int, int]


def size_text(size: Size | None) -> str:
    return "-" if size is None else f"{size[0]}×{size[1]}"


def sizes_differ(output_sizes: tuple[Size | None, Size | None] | None) -> bool:
    """True when both runs' produced sizes are known and not the same."""
    if output_sizes is None or None in output_sizes:
        return False
    return tuple(output_sizes[0]) != tuple(output_sizes[1])


def passes_text(run: RunAnalysis) -> str:
    if not run.passes_total:
        return "–"
    text = f"{run.passes_computed}/{run.passes_total}"
    if run.passes_reused:
        text += " · " + QCoreApplication.translate("Comparison", "{0} reused, {1:.2f}× fewer").format(
            run.passes_reused, run.pass_speedup
        )
    return text


def comparison_rows(
    comparison: Comparison, output_sizes: tuple[Size | None, Size | None] | None = None
) -> list[ComparisonRow]:
    """``output_sizes``: the sizes the two runs produced (their reports' ``RunStarted``),
    shown first among the settings and flagged when they differ."""
    a, b = comparison.a, comparison.b
    rows: list[ComparisonRow] = []

    def add(section: str, key: str, label: str, fmt, get, differs: bool = False) -> None:
        va, vb = get(a), get(b)
        rows.append(ComparisonRow(section, key, label, fmt(va), fmt(vb), va, vb, differs))

    sec = "Steps"
    status = QCoreApplication.translate("Comparison", "status")
    rows.append(ComparisonRow(sec, "status", status, a.status, b.status, a.status, b.status))
    rows.append(
        ComparisonRow(
            sec,
            "steps_done",
            QCoreApplication.translate("Comparison", "steps done"),
            steps_done_text(a),
            steps_done_text(b),
            a.step_count,
            b.step_count,
        )
    )
    add(
        sec,
        "median_step",
        QCoreApplication.translate("Comparison", "median step"),
        fmt_seconds,
        lambda r: r.median_step_seconds,
    )
    add(
        sec,
        "mean_step",
        QCoreApplication.translate("Comparison", "mean step"),
        fmt_seconds,
        lambda r: r.mean_step_seconds,
    )
    rows.append(
        ComparisonRow(
            sec,
            "slowest_step",
            QCoreApplication.translate("Comparison", "slowest step"),
            slowest_text(a),
            slowest_text(b),
            a.slowest_step,
            b.slowest_step,
        )
    )
    rows.append(
        ComparisonRow(
            sec,
            "passes",
            QCoreApplication.translate("Comparison", "DiT passes computed"),
            passes_text(a),
            passes_text(b),
            a.passes_computed,
            b.passes_computed,
        )
    )
    if a.passes_reused or b.passes_reused:
        rows.append(
            ComparisonRow(
                sec,
                "pass_pattern",
                QCoreApplication.translate("Comparison", "passes per step (C computed, r reused)"),
                a.pass_pattern,
                b.pass_pattern,
                a.pass_pattern,
                b.pass_pattern,
            )
        )
    rows.append(
        ComparisonRow(
            sec,
            "spike_count",
            QCoreApplication.translate("Comparison", "spikes (> {0}×)").format(SPIKE_FACTOR),
            str(len(a.spikes)),
            str(len(b.spikes)),
            len(a.spikes),
            len(b.spikes),
        )
    )
    rows.append(
        ComparisonRow(
            sec,
            "spikes",
            QCoreApplication.translate("Comparison", "spike steps, copied"),
            spikes_text(a),
            spikes_text(b),
            a.spikes,
            b.spikes,
        )
    )
    add(
        sec,
        "h2d_total",
        QCoreApplication.translate("Comparison", "copied host→device"),
        fmt_bytes,
        lambda r: r.total_h2d_bytes,
    )
    add(
        sec,
        "total_time",
        QCoreApplication.translate("Comparison", "total time"),
        lambda v: fmt_seconds(v, 1),
        lambda r: r.total_seconds,
    )

    sec = "Phase times"
    for phase in dict.fromkeys([*a.phase_seconds, *b.phase_seconds]):
        add(
            sec, f"phase.{phase}", phase_name(phase), fmt_seconds, lambda r, p=phase: r.phase_seconds.get(p)
        )

    sec = "Peak memory"
    add(
        sec,
        "vram_peak",
        QCoreApplication.translate("Comparison", "VRAM allocated (peak)"),
        fmt_bytes,
        lambda r: r.peak_vram_bytes,
    )
    add(
        sec,
        "vram_reserved",
        QCoreApplication.translate("Comparison", "VRAM reserved (peak)"),
        fmt_bytes,
        lambda r: r.peak_vram_reserved_bytes,
    )
    add(
        sec,
        "vram_card",
        QCoreApplication.translate("Comparison", "VRAM whole card (NVML)"),
        fmt_bytes,
        lambda r: r.peak_vram_card_bytes,
    )
    add(
        sec,
        "ram_peak",
        QCoreApplication.translate("Comparison", "process RAM (peak)"),
        fmt_bytes,
        lambda r: r.peak_ram_bytes,
    )

    sec = "Settings"
    if output_sizes is not None:
        sa, sb = output_sizes
        rows.append(
            ComparisonRow(
                sec, "setting.output_size", setting_name("output_size"), size_text(sa),
                size_text(sb), sa, sb, sizes_differ(output_sizes),
            )
        )  # fmt: skip
    differing = {d.key: d for d in comparison.differing_settings}
    keys = [k for k in KEY_SETTINGS if k in a.settings or k in b.settings or k in differing]
    keys += [k for k in differing if k not in keys]
    for key in keys:
        add(
            sec,
            f"setting.{key}",
            setting_name(key),
            value_text,
            lambda r, k=key: r.settings.get(k),
            differs=key in differing,
        )

    sec = "Environment"
    env_differing = {d.key for d in comparison.differing_environment}
    for key in COMPARED_ENVIRONMENT_KEYS:
        if key in a.environment or key in b.environment:
            add(
                sec,
                f"env.{key}",
                setting_name(key),
                value_text,
                lambda r, k=key: r.environment.get(k),
                differs=key in env_differing,
            )
    return rows


def median_ratio_text(comparison: Comparison) -> str:
    """``"B's median step is 0.80× A's (20% faster)"``, or ``""`` without medians."""
    ratio = comparison.median_ratio
    if ratio is None:
        return ""
    percent = f"{abs(1 - ratio) * 100:.0f}"
    if ratio < 1:
        text = QCoreApplication.translate("Comparison", "B's median step is {0}× A's ({1}% faster)")
    else:
        text = QCoreApplication.translate("Comparison", "B's median step is {0}× A's ({1}% slower)")
    return text.format(f"{ratio:.2f}", percent)
