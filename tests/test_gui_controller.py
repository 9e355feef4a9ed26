"""The model room behind the window (issue 13): the run controller, ``bind()``, one road for
memory samples, the recovered-video save off the UI thread, defaults from the engine's
presets, and the log file that holds every run (issue 12)."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

from artifex_gui.model.run_controller import RunController
from artifex_gui.settings import QUICK_DEMO, Settings, preset_defaults
from artifex_gui.ui.bind import bind
from engine import events as ev
from engine.config import PRESETS

pytestmark = pytest.mark.gui


def test_the_controller_runs_a_job_without_a_window(qtbot, settings_store, engine_host, fake_sampler):
    controller = RunController(settings_store, engine_host, sampler=fake_sampler)
    busy: list[bool] = []
    controller.busy_changed.connect(busy.append)
    with qtbot.waitSignal(controller.finished, timeout=15_000) as done:
        controller.generate()
        assert controller.is_busy
    assert isinstance(done.args[0], ev.RunFinished)
    assert busy[0] is True and busy[-1] is False and not controller.is_busy
    assert controller.run_state.status.value == "finished"
    controller.shutdown()


def test_refusals_carry_their_cause(qtbot, settings_store, engine_host, tmp_path):
    controller = RunController(settings_store, engine_host)
    folder = tmp_path / "empty"
    folder.mkdir()
    settings_store.set("model_dir", str(folder))
    with qtbot.waitSignal(controller.errored, timeout=2000) as refused:
        controller.generate()
    failure, causes = refused.args
    assert isinstance(failure, ev.RunFailed) and failure.kind == "bad_checkpoint"
    assert causes == frozenset({"model_dir"}) and not controller.is_busy


def test_error_report_is_the_engines_run_failed():
    from artifex_gui.worker import ErrorReport, failure_from_exception

    assert ErrorReport is ev.RunFailed
    failure = failure_from_exception(RuntimeError("boom"))
    assert isinstance(failure, ev.RunFailed) and failure.kind == "internal" and "boom" in failure.message


def test_bind_shows_and_writes_without_echo(qtbot, settings_store):
    spin, combo, edit = QSpinBox(maximum=5000), QComboBox(), QLineEdit()
    for widget in (spin, combo, edit):
        qtbot.addWidget(widget)
    combo.addItem("UniPC", "unipc")
    combo.addItem("DPM++", "dpm++")
    writes: list[str] = []
    settings_store.changed.connect(lambda name, _v: writes.append(name))
    bind(settings_store, "width", spin)
    bind(settings_store, "solver", combo)
    bind(settings_store, "seed", edit, show=lambda s: str(s) if s >= 0 else "", read=lambda t: int(t) if t else -1)
    assert (spin.value(), combo.currentData(), edit.text()) == (settings_store.values.width, "unipc", "")
    assert writes == []  # showing a value never writes it back
    settings_store.set("width", 704)
    settings_store.set("solver", "dpm++")
    settings_store.set("seed", 42)
    assert (spin.value(), combo.currentData(), edit.text()) == (704, "dpm++", "42")
    assert writes == ["width", "solver", "seed"]  # one change each: no echo from the widgets
    spin.setValue(960)
    edit.setText("")
    edit.textEdited.emit("")
    assert settings_store.values.width == 960 and settings_store.values.seed == -1


def test_memory_samples_take_one_road(qtbot, main_window, fake_sampler):
    """The timer's samples and the engine's both arrive through RunState.memory_changed."""
    seen: list[object] = []
    main_window.run_state.memory_changed.connect(seen.append)
    main_window.sample_memory()
    assert seen and seen[-1].ram_total_bytes == 32 * 2**30
    main_window.run_state.apply(
        ev.MemorySample(None, None, None, None, 1 * 2**30, 8 * 2**30, 2**29, "none")
    )
    assert seen[-1].ram_total_bytes == 8 * 2**30
    assert main_window.meters.last_sample is seen[-1]


def test_recovered_video_is_written_off_the_ui_thread(qtbot, monkeypatch, tmp_path):
    import numpy as np

    from artifex_gui import engine_bridge
    from artifex_gui.ui.error_panel import ErrorPanel

    threads: list[threading.Thread] = []

    def fake_write(frames, target, **_kwargs):
        threads.append(threading.current_thread())
        return target

    monkeypatch.setattr(engine_bridge, "load_recovered_frames", lambda _p: (np.zeros((1, 2, 2, 3), np.uint8), 24.0, {}))
    monkeypatch.setattr(engine_bridge, "write_video", fake_write)
    panel = ErrorPanel()
    qtbot.addWidget(panel)
    kept = tmp_path / "kept.npz"
    kept.write_bytes(b"x")
    panel.show_error(ev.RunFailed("save_failed", "not saved", "", recovered_path=str(kept)))
    with qtbot.waitSignal(panel.recovered_saved, timeout=10_000) as saved:
        job = panel.save_recovered(str(tmp_path / "out"))
        assert job is not None and "Saving" in panel.recovery_status.text()
    assert saved.args == [str(tmp_path / "out.mp4")]
    assert threads and threads[0] is not threading.main_thread()


def test_defaults_come_from_the_engine_presets_and_follow_the_model_folder(
    qtbot, main_window, tmp_path
):
    tiny, real = PRESETS["tiny"].defaults, PRESETS["ti2v-5B"].defaults
    fresh = Settings()
    assert (fresh.width, fresh.height, fresh.frames, fresh.steps) == (tiny.width, tiny.height, tiny.frames, tiny.steps)
    assert QUICK_DEMO == preset_defaults("tiny")
    banner = main_window.demo_banner.label.text()
    assert "a run takes seconds" in banner and "256×160, 17 frames, 8 steps" in banner
    assert not main_window.demo_banner.button.isVisible()  # already the quick settings
    store = main_window.store
    folder = tmp_path / "Wan2.2-TI2V-5B"
    folder.mkdir()
    main_window.inputs.set_model_dir(str(folder))
    values = store.values
    assert (values.width, values.height, values.frames, values.steps) == (real.width, real.height, real.frames, real.steps)
    assert "the model's own defaults" in main_window.notice_banner.label.text()
    main_window.inputs.set_model_dir("")
    assert (store.values.width, store.values.frames, store.values.steps) == (tiny.width, tiny.frames, tiny.steps)
    # values the user chose are kept
    store.set("steps", 12)
    main_window.inputs.set_model_dir(str(folder))
    assert store.values.steps == 12 and store.values.width == tiny.width


def test_the_log_file_holds_every_run(qtbot, main_window, fake_engine, data_dir):
    from artifex_gui.app import setup_logging

    path = setup_logging()
    main_window.store.set("prompt", "a heron in the reeds")
    main_window.generate()  # a run that finishes
    qtbot.waitUntil(lambda: not main_window.is_busy, timeout=15_000)
    fake_engine.pause_at_step = 1
    main_window.generate()  # a cancel
    assert fake_engine.paused.wait(10)
    main_window.cancel()
    fake_engine.resume.set()
    qtbot.waitUntil(lambda: not main_window.is_busy, timeout=15_000)
    fake_engine.pause_at_step = None
    fake_engine.fail_at_step = 1
    main_window.generate()  # an error
    qtbot.waitUntil(lambda: not main_window.is_busy, timeout=15_000)
    for handler in logging.getLogger("artifex").handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert text.count('settings: {"prompt": "a heron in the reeds"') == 3  # every run's request
    assert "Run started: 256×160" in text and "denoise took" in text  # phases
    assert "WARNING artifex.run: Cancelled during denoise." in text
    assert "ERROR artifex.run: The GPU ran out of memory at step 2." in text
    assert "Finished in" in text
