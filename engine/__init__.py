"""Artifex engine: Wan2.2 TI2V-5B text/image-to-video, with no Qt and no printing.

Importing this package is cheap: torch is only imported by the modules that run models
(``engine.run.runner``, ``engine.nets.dit`` …).  Clients build a :class:`GenerationRequest`,
call :meth:`engine.run.runner.Engine.run` and receive the events of :mod:`engine.events`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from engine.cancel import CancelToken
from engine.errors import ArtifexError
from engine.request import GenerationRequest

__all__ = ["ArtifexError", "CancelToken", "GenerationRequest", "__version__"]
