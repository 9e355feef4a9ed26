"""The command line room: ``artifex-cli generate | doctor | bench-attention | report``.

Entry point ``engine.cli:main`` (also ``python -m engine.cli``). It may import every room.
"""

from __future__ import annotations

from engine.cli.generate import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    build_parser,
    main,
)

__all__ = ["EXIT_CANCELLED", "EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
