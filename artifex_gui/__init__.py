"""Artifex desktop app: a PySide6 window that drives :mod:`engine` live.

Layout (after krita-ai-diffusion): ``model/`` holds observable state objects with
``<name>_changed`` signals, ``ui/`` holds widgets that bind to them, ``worker.py`` runs the
engine in a ``QThread`` and ``engine_bridge.py`` is the only place that imports the engine's
heavy modules — lazily, so the window is on screen before torch loads.
"""

from __future__ import annotations

from artifex_gui.qt_compat import fix_singleton_refcounts

fix_singleton_refcounts()  # before any Qt call can leak (see qt_compat)

from engine import __version__  # noqa: E402 — one version for the app and the engine

__all__: list[str] = ["__version__"]
