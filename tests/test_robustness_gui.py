"""Issue 6 through the window: pictures dropped on the zone, odd paths, bad model folders,
settings out of range, out of memory, cancel in every phase through the worker, a failed
save the user can still save elsewhere, a damaged settings file / second instance / no GPU
at start, and a 20-run soak of the worker.

The scripted fake engine drives the window; the tiny real engine drives the worker where
the engine's own behaviour is the point (cancel, bad folders, failed saves, paths).
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from artifex_gui.engine_bridge import EngineHost
from artifex_gui.model import RunStatus
from artifex_gui.sizing import image_output_size, load_picture, source_size
from artifex_gui.ui.drop_zone import ImageDropZone
from artifex_gui.worker import ErrorReport, GenerationWorker, running_threads
from engine import events as ev
from engine.errors import RequestError
from engine.request import GenerationRequest, check_request
from tests.fixtures_cases import IMAGES, OUT_OF_RANGE, _damage, _gradient, make_image

pytestmark = pytest.mark.gui
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory, monkeypatch):
    """What ``gui_isolation`` does for test_gui_* files: a private data folder, offscreen
    Qt, and a failure when a worker thread outlives the test."""
    folder = tmp_path_factory.mktemp("artifex-data")
    monkeypatch.setenv("ARTIFEX_DATA_DIR", str(folder))
    monkeypatch.setenv("QT_QPA_PLATFORM", os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    yield folder
    gc.collect()
    for thread in running_threads():
        thread.wait(3000)
    still = running_threads()
    for thread in still:
        thread.terminate()
        thread.wait(1000)
    assert not still, f"{len(still)} worker thread(s) still running after the test"


@pytest.fixture
def real_host():
    host = EngineHost()  # the real engine.run.runner.Engine, imported on first use
    yield host
    host.unload()


def _drop(widget, path: Path) -> bool:
    """A real drag-enter + drop carrying ``path`` as a file URL, as the desktop sends it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        QPointF(10, 10), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        QPointF(10, 10), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def _wait_idle(qtbot, window, timeout: int = 120_000) -> None:
    qtbot.waitUntil(lambda: not window.is_busy, timeout=timeout)


# --------------------------------------------------------------------------- pictures


@pytest.mark.parametrize("name", list(IMAGES))
def test_drop_zone_takes_or_refuses_each_kind_of_picture(qtbot, tmp_path, name):
    zone = ImageDropZone()
    qtbot.addWidget(zone)
    zone.show()
    path = make_image(tmp_path / "새 폴더", name)  # Korean and spaces in the path as well
    rejected: list[str] = []
    zone.image_rejected.connect(rejected.append)
    assert _drop(zone, path)
    shown_size = IMAGES[name][1]
    if shown_size:
        assert zone.path == str(path) and zone.image_size == shown_size and not rejected
        assert not zone.thumb.pixmap().isNull()
    else:
        assert zone.path == "" and zone.image_size is None
        assert rejected and name in rejected[0] and zone.message.isVisible()
        assert "Traceback" not in rejected[0]


def test_a_12000x8000_picture_is_decoded_small_for_the_zone_but_sized_from_the_file(
    qtbot, tmp_path
):
    path = tmp_path / "huge.jpg"
    Image.fromarray(_gradient(120, 80)).resize((12000, 8000)).save(path, quality=80)
    picture = load_picture(path)
    assert source_size(picture) == (12000, 8000)
    assert picture.width * picture.height <= 4_000_000, "the zone decoded every pixel"
    zone = ImageDropZone()
    qtbot.addWidget(zone)
    start = time.perf_counter()
    assert zone.set_image(str(path))
    assert time.perf_counter() - start < 20
    assert zone.image_size == (12000, 8000)
    assert image_output_size(zone.image_size, 1280, 704) == (1152, 768)


# --------------------------------------------------------------------------- paths and model folders


def test_korean_paths_for_picture_model_and_output_through_the_window(
    qtbot, settings_store, real_host, fake_sampler, tiny_checkpoint_dir, tmp_path
):
    from artifex_gui.ui.main_window import MainWindow

    root = tmp_path / "새 폴더"
    model = root / "내 모델" / "Wan2.2 TI2V-5B"
    shutil.copytree(tiny_checkpoint_dir, model)
    picture = root / "그림 한 장.png"
    Image.fromarray(_gradient(160, 120)).save(picture)
    window = MainWindow(settings_store, real_host, sampler=fake_sampler)
    qtbot.addWidget(window)
    for name, value in {
        "width": 128,
        "height": 96,
        "frames": 5,
        "steps": 2,
        "prompt": "여우",
        "output_dir": str(root / "아직 없는 출력"),
        "dtype": "fp32",
    }.items():
        settings_store.set(name, value)
    window.inputs.set_model_dir(str(model))
    assert _drop(window.inputs.drop_zone, picture)
    window.generate()
    _wait_idle(qtbot, window)
    state = window.run_state
    assert state.status == RunStatus.FINISHED, window.error_panel.title.text()
    assert (
        Path(state.output_path).parent == root / "아직 없는 출력"
        and Path(state.output_path).stat().st_size > 0
    )
    window.shutdown()


def test_a_14b_folder_is_refused_by_name_before_running(
    qtbot, main_window, fake_engine, tiny_checkpoint_copy, tmp_path
):
    _damage(tiny_checkpoint_copy, "a 14B folder", tmp_path / "m")
    main_window.inputs.set_model_dir(str(tiny_checkpoint_copy))
    main_window.generate()
    report = main_window.error_panel.report
    assert fake_engine.runs == 0 and report.kind == "bad_checkpoint"
    assert "14B" in report.message and "Wan2.2-TI2V-5B" in report.advice


@pytest.mark.parametrize(
    "case", ["code in the text encoder (zip pickle)", "wrong shape that sets the VAE's size"]
)
def test_damaged_weights_reach_the_error_road_as_bad_checkpoint(
    qtbot, real_host, tiny_checkpoint_copy, tmp_path, case
):
    marker = tmp_path / "pwned"
    word = _damage(tiny_checkpoint_copy, case, marker)
    request = GenerationRequest(
        prompt="x",
        checkpoint_dir=str(tiny_checkpoint_copy),
        width=128,
        height=96,
        frames=5,
        steps=2,
        device="cpu",
        dtype="fp32",
        output_path=str(tmp_path / "o.mp4"),
    )
    worker = GenerationWorker(request, real_host)
    with qtbot.waitSignal(worker.signals.errored, timeout=120_000) as errored:
        worker.start()
    assert worker.wait(10_000)
    report = errored.args[0]
    assert report.kind == "bad_checkpoint" and word in report.message and report.advice
    assert report.details == "" and not marker.exists()


# --------------------------------------------------------------------------- settings


def test_out_of_range_settings_are_clamped_with_a_visible_note_in_the_cli_words(
    qtbot, main_window, fake_engine, settings_store
):
    """The window builds its request with check_request(clamp=True); each note carries the
    exact words the CLI refuses with (check_request(clamp=False)), shown in the banner."""
    requests: list[GenerationRequest] = []
    original_run = fake_engine.run
    fake_engine.run = lambda r, on_event, cancel: (
        requests.append(r),
        original_run(r, on_event, cancel),
    )[1]
    for name, (value, _fixed) in OUT_OF_RANGE.items():
        settings_store.values.__setattr__(name, value)  # as a hand-edited settings file would
    main_window.generate()
    _wait_idle(qtbot, main_window)
    assert main_window.run_state.status == RunStatus.FINISHED
    banner = main_window.notice_banner
    assert banner.isVisible()
    sent = requests[0]
    check_request(sent, clamp=False)  # what reached the engine is valid
    for name, (value, fixed) in OUT_OF_RANGE.items():
        with pytest.raises(RequestError) as rule:
            check_request(GenerationRequest(prompt="x").replace(**{name: value}), clamp=False)
        assert rule.value.message in banner.label.text(), name
        assert getattr(sent, name) == fixed


# --------------------------------------------------------------------------- out of memory


def test_out_of_memory_shows_advice_and_the_next_run_works(qtbot, main_window, fake_engine):
    fake_engine.fail_at_step = 2
    main_window.generate()
    _wait_idle(qtbot, main_window)
    panel = main_window.error_panel
    assert (
        panel.isVisible()
        and panel.report.kind == "out_of_memory"
        and "offload" in panel.advice.text()
    )
    assert (
        main_window.generate_button.isEnabled() and main_window.generate_button.text() == "Generate"
    )
    fake_engine.fail_at_step = None
    main_window.generate()
    _wait_idle(qtbot, main_window)
    assert main_window.run_state.status == RunStatus.FINISHED and not panel.isVisible()


# --------------------------------------------------------------------------- cancel


class _CancelAt:
    """Wraps the real engine: presses the worker's Cancel (its thread-safe ``cancel()``, as
    the window's button does) the moment ``phase`` starts."""

    def __init__(self, engine, phase: str) -> None:
        self.engine, self.phase, self.worker = engine, phase, None

    def run(self, request, on_event, cancel):
        def watch(event):
            on_event(event)
            if self.phase == "save":
                hit = (
                    isinstance(event, ev.DecodeProgress) and event.done_frames == event.total_frames
                )
            else:
                hit = isinstance(event, ev.PhaseStarted) and event.phase == self.phase
            if hit:
                self.worker.cancel()

        return self.engine.run(request, watch, cancel)


@pytest.mark.parametrize(
    "phase", ["load", "encode_text", "encode_image", "denoise", "decode", "save"]
)
def test_cancel_in_every_phase_through_the_worker(
    qtbot, real_host, tiny_checkpoint_dir, tmp_path, phase
):
    picture = tmp_path / "pic.png"
    Image.fromarray(_gradient(160, 120)).save(picture)
    out_dir = tmp_path / "out"
    request = GenerationRequest(
        prompt="x",
        image_path=str(picture),
        checkpoint_dir=str(tiny_checkpoint_dir),
        width=128,
        height=96,
        frames=9,
        steps=3,
        device="cpu",
        dtype="fp32",
        output_path=str(out_dir / "clip.mp4"),
    )
    engine = real_host.get()
    wrapper = _CancelAt(engine, phase)
    worker = GenerationWorker(request, EngineHost(lambda: wrapper))
    wrapper.worker = worker
    errors: list[ErrorReport] = []
    worker.signals.errored.connect(errors.append)
    with qtbot.waitSignal(worker.signals.finished, timeout=120_000) as finished:
        worker.start()
    assert worker.wait(10_000)
    final = finished.args[0]
    assert isinstance(final, ev.RunCancelled) and final.phase == phase, final
    assert not errors
    assert not out_dir.exists() or list(out_dir.iterdir()) == []
    # the same engine runs again
    worker = GenerationWorker(request.replace(image_path=None), real_host)
    with qtbot.waitSignal(worker.signals.finished, timeout=120_000) as finished:
        worker.start()
    assert worker.wait(10_000)
    assert isinstance(finished.args[0], ev.RunFinished), finished.args[0]


# --------------------------------------------------------------------------- saving fails


def test_failed_save_keeps_the_frames_and_the_panel_saves_them_elsewhere(
    qtbot, main_window, real_host, tiny_checkpoint_dir, tmp_path, monkeypatch
):
    import engine.outputs.video as video
    from engine.outputs.video import read_video_info

    monkeypatch.setattr(video, "default_recovery_folders", lambda: [tmp_path / "kept"])
    real_replace = video.os.replace

    def locked(src, dst, *a, **k):
        if str(dst).endswith(".mp4"):
            raise PermissionError(13, "The file is open in another program", str(dst))
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(video.os, "replace", locked)
    request = GenerationRequest(
        prompt="x",
        checkpoint_dir=str(tiny_checkpoint_dir),
        width=128,
        height=96,
        frames=9,
        steps=2,
        device="cpu",
        dtype="fp32",
        output_path=str(tmp_path / "out" / "clip.mp4"),
    )
    worker = GenerationWorker(request, real_host)
    worker.signals.errored.connect(main_window.show_error)  # the window's one error road
    with qtbot.waitSignal(worker.signals.finished, timeout=120_000):
        worker.start()
    assert worker.wait(10_000)
    monkeypatch.setattr(video.os, "replace", real_replace)
    panel = main_window.error_panel
    report = panel.report
    assert (
        report.kind == "save_failed"
        and report.recovered_path
        and Path(report.recovered_path).is_file()
    )
    assert panel.isVisible() and panel.save_recovered_button.isVisible()

    # the first place chosen fails too: a message, the button stays, nothing lost
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(blocker / "v.mp4"), ""))
    )
    with qtbot.waitSignal(panel.recovery_failed, timeout=60_000):
        panel.save_recovered_button.click()  # the encode runs in a worker thread
    assert panel.recovery_status.isVisible() and "Not saved" in panel.recovery_status.text()
    assert panel.save_recovered_button.isVisible() and Path(report.recovered_path).is_file()

    target = tmp_path / "다른 곳" / "구한 영상"  # no .mp4: added
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    with qtbot.waitSignal(panel.recovered_saved, timeout=60_000) as saved:
        panel.save_recovered_button.click()
    written = Path(saved.args[0])
    assert written == target.with_name("구한 영상.mp4") and read_video_info(written)[:3] == (
        9,
        128,
        96,
    )
    assert "Saved" in panel.recovery_status.text() and not panel.save_recovered_button.isVisible()


# --------------------------------------------------------------------------- at start


def _run_app(
    data_dir: Path, code: str, env_extra: dict | None = None
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ARTIFEX_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(REPO),
        **(env_extra or {}),
    }
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )


def test_damaged_settings_and_no_gpu_at_start_are_notices_not_crashes(data_dir):
    (data_dir / "settings.json").write_text('{"version": 1, "width": 12', encoding="utf-8")
    code = """
        import sys
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from artifex_gui import app as app_module
        from artifex_gui.ui.main_window import MainWindow

        # the engine's state reaches the window through the run controller's engine_changed
        original_notice, original_changed = MainWindow.show_notice, MainWindow._on_engine_changed
        def show_notice(self, text):
            print("NOTICE", text, flush=True)
            original_notice(self, text)
        def changed(self, state, detail):
            original_changed(self, state, detail)
            if state in ("ready", "unavailable"):
                print("ENGINE", self.engine_state, flush=True)
                QTimer.singleShot(0, QApplication.instance().quit)
        MainWindow.show_notice, MainWindow._on_engine_changed = show_notice, changed
        QTimer.singleShot(90_000, lambda: QApplication.instance().quit())
        print("EXIT", app_module.main([]), flush=True)
    """
    proc = _run_app(data_dir, code, {"CUDA_VISIBLE_DEVICES": ""})  # a GPU that is gone
    assert "EXIT 0" in proc.stdout, proc.stdout + proc.stderr
    assert "NOTICE The settings file was damaged" in proc.stdout
    assert "ENGINE ready" in proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    assert list(data_dir.glob("settings.damaged-*.json"))


def test_a_second_instance_in_another_process_gets_a_message(data_dir):
    from artifex_gui.app import acquire_single_instance

    first = acquire_single_instance(data_dir)
    assert first is not None
    try:
        code = """
            from PySide6.QtWidgets import QMessageBox
            from artifex_gui import app as app_module
            QMessageBox.information = staticmethod(lambda *a, **k: print("MESSAGE", a[2], flush=True))
            print("EXIT", app_module.main([]), flush=True)
        """
        proc = _run_app(data_dir, code)
    finally:
        first.unlock()
    assert "MESSAGE Artifex is already running" in proc.stdout and "EXIT 0" in proc.stdout, (
        proc.stdout + proc.stderr
    )
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- soak


def test_soak_twenty_worker_runs_leave_no_threads_handles_or_memory(
    qtbot, fake_engine, engine_host, tmp_path
):
    import psutil

    process = psutil.Process()
    fake_engine.step_seconds = 0.0

    def one(i: int):
        request = GenerationRequest(
            prompt="soak",
            width=64,
            height=64,
            frames=5,
            steps=4,
            output_path=str(tmp_path / f"v{i}.mp4"),
        )
        worker = GenerationWorker(request, engine_host)
        with qtbot.waitSignal(worker.signals.finished, timeout=30_000) as finished:
            if i % 4 == 3:
                worker.cancel()  # cancelled before it starts: the engine is not even asked
            worker.start()
        assert worker.wait(5000)
        return finished.args[0]

    for i in range(3):
        one(i)
    gc.collect()
    rss_before, fds_before = process.memory_info().rss, process.num_fds()
    finals = [one(i) for i in range(3, 23)]
    gc.collect()
    QApplication.processEvents()
    assert sum(isinstance(f, ev.RunFinished) for f in finals) == 15
    assert sum(isinstance(f, ev.RunCancelled) for f in finals) == 5
    assert running_threads() == []
    assert process.num_fds() <= fds_before, f"file handles {fds_before} → {process.num_fds()}"
    growth = process.memory_info().rss - rss_before
    assert growth < 48 * 2**20, f"RSS grew by {growth / 2**20:.0f} MiB over 20 runs"
    assert np.all([Path(f.output_path).is_file() for f in finals if isinstance(f, ev.RunFinished)])
