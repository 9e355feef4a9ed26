"""Engine fixtures: keep every test away from the real user cache folder."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """Point ARTIFEX_CACHE_DIR (demo model, attention choice) at a session temp folder."""
    mp = pytest.MonkeyPatch()
    mp.setenv("ARTIFEX_CACHE_DIR", str(tmp_path_factory.mktemp("artifex_cache")))
    yield
    mp.undo()
