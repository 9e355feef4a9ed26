"""Fixtures for model I/O tests: a tiny checkpoint folder in the original layout.

Registered in ``tests/conftest.py``; built once per test session (about 2 s).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

MANIFEST_PATH = (
    Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "checkpoint_manifest.json"
)
DIT_MANIFEST_KEY = "diffusion_pytorch_model (3 safetensors shards)"


def load_manifest() -> dict:
    """The real checkpoint's tensor names and shapes; skips when the reference is absent."""
    for candidate in (MANIFEST_PATH, Path("/work/shared/reference/checkpoint_manifest.json")):
        if candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    pytest.skip("shared/reference/checkpoint_manifest.json is not available")


@pytest.fixture(scope="session")
def tiny_checkpoint_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete tiny ``Wan2.2-TI2V-5B``-layout folder (seed 0). Do not modify it."""
    from engine.run.demo import build_checkpoint_folder

    return build_checkpoint_folder(tmp_path_factory.mktemp("tiny_ckpt") / "Wan2.2-TI2V-5B")


@pytest.fixture
def tiny_checkpoint_copy(tiny_checkpoint_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny folder that a test may damage."""
    dst = tmp_path / "Wan2.2-TI2V-5B"
    shutil.copytree(tiny_checkpoint_dir, dst)
    return dst


@pytest.fixture(scope="session")
def manifest() -> dict:
    return load_manifest()
