"""Where the app keeps its files: the user data folder and the shipped resources.

Tests (and portable installs) point the data folder elsewhere with ``ARTIFEX_DATA_DIR`` so
they never touch the real user folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths

APP_NAME = "Artifex"
ORG_NAME = "Artifex"
DATA_DIR_ENV = "ARTIFEX_DATA_DIR"


def data_dir() -> Path:
    """The user data folder (settings, log file, lock file), created on first use."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override)
    else:
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        path = Path(location) if location else Path.home() / f".{APP_NAME.lower()}"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return data_dir() / "artifex.log"


def default_output_dir() -> Path:
    """Videos go to the user's Movies/Videos folder (under the data folder in tests)."""
    if os.environ.get(DATA_DIR_ENV):
        return data_dir() / "outputs"
    movies = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation)
    return (Path(movies) if movies else data_dir()) / APP_NAME


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package when installed (package data), at the
    repository root in a checkout, or in the PyInstaller bundle."""
    here = Path(__file__).resolve().parent
    candidates = [here / "resources", here.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "resources")
    for candidate in candidates:
        if (candidate / "style.qss").is_file():
            return candidate
    return candidates[-1]


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
