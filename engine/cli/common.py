"""What every ``artifex-cli`` command shares: exit codes and how an error is printed."""

from __future__ import annotations

import sys

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 130


def print_error(exc) -> None:
    """An :class:`engine.errors.ArtifexError` as the two lines a person reads."""
    print(f"error: {exc.message}", file=sys.stderr)
    if exc.advice:
        print(f"what to do: {exc.advice}", file=sys.stderr)
