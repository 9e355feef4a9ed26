"""The window survives a decode that runs out of memory: the error panel's Decode again,
History's latents bar (Decode again, Delete latents), the keep-latents setting.

The REAL engine on the built-in demo model; the out-of-memory error is injected at the VAE
decode (both modes), as a 24 GB card would raise it.  Screenshots (1280×720) go to
tests/_artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.fixture
def real_engine_host():
    from artifex_gui.engine_bridge import EngineHost

    host = EngineHost()
    yield host
    host.unload()


def _out_of_memory_at_every_decode(monkeypatch) -> list[str]:
    import torch

    from engine.nets.vae import WanVAE

    calls: list[str] = []

    def failing(mode):
        def decode(self, z, cancel=None, *args, **kwargs):
            calls.append(mode)
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 9.50 GiB")
            yield  # a generator, like the real ones

        return decode

    monkeypatch.setattr(WanVAE, "decode_stream", failing("full"))
    monkeypatch.setattr(WanVAE, "decode_banded_stream", failing("bands"))
    monkeypatch.setattr(WanVAE, "decode_tiled_stream", failing("tiled"))
    return calls


def _wait_idle(qtbot, window, timeout=180_000) -> None:
    qtbot.waitUntil(lambda: window.is_busy, timeout=10_000)
    qtbot.waitUntil(lambda: not window.is_busy, timeout=timeout)


def test_decode_oom_then_decode_again_from_the_error_panel_and_history(
    qtbot, settings_store, real_engine_host, fake_sampler, tmp_path, monkeypatch, artifacts_dir
):
    from PySide6.QtWidgets import QApplication

    from artifex_gui.app import apply_style
    from artifex_gui.model import RunStatus
    from artifex_gui.ui.main_window import MainWindow
    from tests.fixtures_video import read_video_frames

    out_dir = tmp_path / "out"
    for name, value in {"width": 128, "height": 96, "frames": 9, "steps": 2, "prompt": "a red kite",
                        "random_seed": False, "seed": 3, "output_dir": str(out_dir)}.items():
        settings_store.set(name, value)
    apply_style(QApplication.instance())
    window = MainWindow(settings_store, real_engine_host, sampler=fake_sampler)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    try:
        calls = _out_of_memory_at_every_decode(monkeypatch)
        window.generate()
        _wait_idle(qtbot, window)
        state, panel = window.run_state, window.error_panel
        assert state.status == RunStatus.FAILED
        assert calls == ["full", "bands", "tiled"]
        assert panel.isVisible() and "not lost" in panel.title.text()
        latents = Path(panel.report.latents_path)
        assert latents.is_file() and latents.parent == out_dir
        assert panel.decode_again_button.isVisible() and not panel.save_recovered_button.isVisible()
        assert "artifex-cli decode" in panel.advice.text()
        video = latents.with_name(latents.name.replace(".latents.safetensors", ".mp4"))
        assert not video.exists()
        window.grab().save(str(artifacts_dir / "decode_failed_error_panel.png"))
        monkeypatch.undo()

        qtbot.mouseClick(panel.decode_again_button, qtbot_left())
        _wait_idle(qtbot, window)
        assert state.status == RunStatus.FINISHED, panel.title.text()
        assert not panel.isVisible()  # a new job dismisses the old error
        assert state.output_path == str(video) and window.result.path == str(video)  # it plays
        assert state.steps == [] and state.decode_done == 9 and window.progress.bar.value() == 1000
        assert read_video_frames(video).shape == (9, 96, 128, 3)
        assert any("Decoding again from" in text for _level, text in window.log_panel.lines)

        # History: the run lists its latents; Decode again there writes a second video.
        history = window.history
        window.main_tabs.setCurrentWidget(history)
        with qtbot.waitSignal(history.scan_finished, timeout=30_000):
            history.refresh()
        qtbot.waitUntil(lambda: bool(history.entries), timeout=30_000)
        history.select([video.with_suffix(".json")])
        bar = history.latents_bar
        assert bar.latents_path == latents and bar.decode_button.isEnabled()
        assert "Latents kept" in bar.label.text() and latents.name in bar.label.text()
        qtbot.wait(300)  # thumbnails
        window.grab().save(str(artifacts_dir / "history_decode_again.png"))
        qtbot.mouseClick(bar.decode_button, qtbot_left())
        _wait_idle(qtbot, window)
        again = video.with_name(video.stem + "-decoded.mp4")
        assert state.status == RunStatus.FINISHED and window.result.path == str(again)
        assert (read_video_frames(again) == read_video_frames(video)).all()  # same mode, same frames

        window.main_tabs.setCurrentWidget(history)
        with qtbot.waitSignal(history.scan_finished, timeout=30_000):
            history.refresh()
        history.select([video.with_suffix(".json")])
        assert bar.delete_latents(confirm=False)
        assert not latents.exists() and not bar.decode_button.isEnabled()
        assert "No latents kept" in bar.label.text()
    finally:
        window.shutdown()


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_keep_latents_setting_reaches_the_request(settings_store, tmp_path):
    from artifex_gui.model import build_request
    from artifex_gui.ui.settings_dialog import SettingsDialog

    request, _ = build_request(settings_store.values, output_dir=tmp_path)
    assert request.keep_latents is True
    dialog = SettingsDialog(settings_store)
    dialog.keep_latents.setChecked(False)
    dialog.apply()
    assert settings_store.values.keep_latents is False
    request, _ = build_request(settings_store.values, output_dir=tmp_path)
    assert request.keep_latents is False
    dialog.deleteLater()
