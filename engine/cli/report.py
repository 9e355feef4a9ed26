"""``artifex-cli report RUN.json [--compare OTHER.json] [--png OUT.png] [--markdown OUT.md]``.

Prints a run's analysis (median step, spikes, phase times, peak memory, and with
``--compare`` the settings that differ) as aligned tables, and can write the overlaid
step-time chart as a PNG and a Markdown summary (formatting: :mod:`engine.outputs.report_format`).
``engine/cli/__init__.py`` wires it in with :func:`add_report_parser` and :func:`run_report`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from engine.outputs.analysis import SPIKE_FACTOR, analyse, compare
from engine.outputs.report import ReportError, load_report
from engine.outputs.report_format import format_analysis, format_markdown, write_step_chart

EXIT_OK = 0
EXIT_WRITE_FAILED = 1
EXIT_BAD_REPORT = 2


# --------------------------------------------------------------------------- argparse


def add_report_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``report`` sub-command to ``subparsers`` (from ``add_subparsers()``)."""
    parser = subparsers.add_parser(
        "report",
        help="analyse a run report: step times, spikes, phases, memory; compare two runs",
        description=(
            "Print the analysis of a run report (the .json beside each video): median and "
            f"slowest step, spikes (steps over {SPIKE_FACTOR}x the median) with the bytes "
            "copied host-to-device during them, phase times and peak memory."
        ),
    )
    parser.add_argument("run", metavar="RUN.json", help="the run report to analyse")
    parser.add_argument(
        "--compare", metavar="OTHER.json", default=None, help="a second report to compare with"
    )
    parser.add_argument(
        "--png", metavar="OUT.png", default=None, help="write the step-time chart as a PNG"
    )
    parser.add_argument(
        "--markdown", metavar="OUT.md", default=None, help="write a Markdown summary"
    )
    parser.set_defaults(func=run_report)
    return parser


def run_report(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run ``artifex-cli report``.  Returns the exit code: 0 ok, 1 an output file could not
    be written, 2 a report is damaged or unreadable."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        first = analyse(load_report(args.run))
        second = analyse(load_report(args.compare)) if getattr(args, "compare", None) else None
    except ReportError as exc:
        _write(err, f"error: {exc.message}\n{exc.advice}\n")
        return EXIT_BAD_REPORT
    comparison = compare(first, second) if second is not None else None
    _write(out, format_analysis(first, comparison))
    code = EXIT_OK
    png = getattr(args, "png", None)
    if png:
        try:
            path = write_step_chart(png, first, second)
            _write(out, f"\nChart written to {path}\n")
        except OSError as exc:
            _write(err, f"error: the chart could not be written to '{png}': {exc}\n")
            code = EXIT_WRITE_FAILED
    markdown = getattr(args, "markdown", None)
    if markdown:
        try:
            text = format_markdown(first, comparison, chart_path=png)
            path = Path(markdown)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            _write(out, f"Markdown summary written to {path}\n")
        except OSError as exc:
            _write(err, f"error: the summary could not be written to '{markdown}': {exc}\n")
            code = EXIT_WRITE_FAILED
    return code


def _write(stream: TextIO, text: str) -> None:
    """Write text; a console that cannot show some characters gets '?' instead of a crash."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "replace").decode(encoding, "replace"))
