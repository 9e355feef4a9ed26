"""``artifex-cli``: the engine from a terminal.

``artifex-cli generate`` takes the flags of the official Wan2.2 ``generate.py`` (same names,
same defaults) plus ``--attention``, ``--device``, ``--dtype``, ``--offload`` and
``--dump-tensors``.  ``doctor`` reports what this machine can run; ``bench-attention``
times the attention kernels that work here; ``report`` analyses run reports.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from engine.cli.bench_attention import add_bench_attention_parser, cmd_bench_attention
from engine.cli.common import EXIT_CANCELLED, EXIT_FAILED, EXIT_OK, EXIT_USAGE
from engine.cli.doctor import add_doctor_parser, cmd_doctor
from engine.cli.generate import add_generate_parser, cmd_generate
from engine.cli.report import add_report_parser, run_report

__all__ = ["EXIT_CANCELLED", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="artifex-cli", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    add_generate_parser(sub)
    add_doctor_parser(sub)
    add_bench_attention_parser(sub)
    add_report_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    if os.name == "nt" or getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()
    for stream in (sys.stdout, sys.stderr):  # Korean prompts on a Windows console
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    started = time.perf_counter()
    handlers = {"generate": cmd_generate, "doctor": cmd_doctor, "bench-attention": cmd_bench_attention}
    if args.command == "report":
        return run_report(args)
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print(f"\ninterrupted after {time.perf_counter() - started:.0f} s", file=sys.stderr)
        return EXIT_CANCELLED
