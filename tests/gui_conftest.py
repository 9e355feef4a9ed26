"""Fixtures for the GUI tests (``tests/test_gui_*.py``).

Nothing here imports Qt at module level: ``tests/conftest.py`` re-exports these fixtures for
every test, and the engine's tests check that Qt stays out of their process.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"


def _is_gui_test(request) -> bool:
    return Path(str(request.node.fspath)).name.startswith("test_gui_")


@pytest.fixture(autouse=True)
def gui_isolation(request, tmp_path_factory, monkeypatch):
    """GUI tests: a private data folder (never the real user one), offscreen Qt, and a
    failure if the test leaves a worker thread running."""
    if not _is_gui_test(request):
        yield None
        return
    folder = tmp_path_factory.mktemp("artifex-data")
    from PySide6.QtWidgets import QMessageBox

    # Nobody can answer a modal question offscreen: a window closed while busy (pytest-qt
    # closes the widgets of a test that failed mid-run) would wait for ever.  "Yes" lets it
    # cancel the run and close, as a person quitting would.
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    monkeypatch.setenv("ARTIFEX_DATA_DIR", str(folder))
    monkeypatch.setenv("QT_QPA_PLATFORM", os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    yield folder
    import gc

    from PySide6.QtCore import QCoreApplication

    from artifex_gui.worker import running_threads

    gc.collect()  # drop finished workers while the QApplication is alive
    leftovers = running_threads()
    for thread in leftovers:  # give them a moment, then fail loudly and stop them
        thread.wait(3000)
        QCoreApplication.processEvents()
    still = running_threads()
    if still:
        for thread in still:
            thread.terminate()
            thread.wait(1000)
        pytest.fail(f"{len(still)} worker thread(s) still running after the test", pytrace=False)


@pytest.fixture
def data_dir(gui_isolation) -> Path:
    return gui_isolation


@pytest.fixture
def fake_engine(data_dir):
    from tests.fake_engine import FakeEngine

    return FakeEngine(output_dir=data_dir / "outputs")


@pytest.fixture
def engine_host(fake_engine):
    from artifex_gui.engine_bridge import EngineHost

    return EngineHost(factory=lambda: fake_engine)


class FakeSampler:
    """MemorySample without CUDA (like this CI machine), or with a card when told."""

    def __init__(self, vram_total: int | None = None, vram_used: int = 0) -> None:
        self.vram_total, self.vram_used = vram_total, vram_used
        self.calls = 0

    def sample(self):
        from engine.events import MemorySample

        self.calls += 1
        has_gpu = self.vram_total is not None
        return MemorySample(
            vram_used_bytes=self.vram_used if has_gpu else None,
            vram_total_bytes=self.vram_total,
            vram_allocated_bytes=self.vram_used // 2 if has_gpu else None,
            vram_reserved_bytes=self.vram_used if has_gpu else None,
            ram_used_bytes=12 * 2**30, ram_total_bytes=32 * 2**30, process_rss_bytes=1 * 2**30,
            source="nvml" if has_gpu else "none",
        )


@pytest.fixture
def fake_sampler():
    return FakeSampler()


@pytest.fixture
def settings_store(data_dir):
    from artifex_gui.settings import SettingsStore

    store = SettingsStore(data_dir)
    store.load()
    return store


@pytest.fixture
def main_window(qtbot, settings_store, engine_host, fake_sampler):
    from PySide6.QtWidgets import QApplication

    from artifex_gui.app import apply_style
    from artifex_gui.ui.main_window import MainWindow

    apply_style(QApplication.instance())
    window = MainWindow(settings_store, engine_host, sampler=fake_sampler)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.shutdown(timeout_ms=10_000)


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def make_picture(path: Path, size: tuple[int, int] = (640, 480)) -> Path:
    import numpy as np
    from PIL import Image

    w, h = size
    x = np.linspace(0, 1, w)[None, :]
    y = np.linspace(0, 1, h)[:, None]
    sky = np.stack([255 * (0.9 - 0.4 * y) + 0 * x, 140 + 60 * x - 80 * y, 90 + 120 * y + 0 * x], -1)
    sea = np.broadcast_to(y > 0.62, (h, w))[..., None]
    rgb = np.where(sea, np.stack([20 + 0 * x + 0 * y, 70 + 40 * y + 0 * x, 120 + 60 * x + 0 * y], -1), sky)
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(path)
    return path


__all__ = [
    "artifacts_dir",
    "data_dir",
    "engine_host",
    "fake_engine",
    "fake_sampler",
    "gui_isolation",
    "main_window",
    "settings_store",
]
