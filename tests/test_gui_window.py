"""The main window driven by the fake engine: runs, queue, cancel, errors, chart, meters,
and the screenshots (idle, mid-run, finished) written to tests/_artifacts/."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from artifex_gui.model import RunStatus
from artifex_gui.ui.step_chart import BAR_WIDTH
from engine import events as ev
from tests.gui_conftest import FakeSampler, make_picture

pytestmark = pytest.mark.gui


def _wait_idle(qtbot, window, timeout=15_000):
    qtbot.waitUntil(lambda: not window.is_busy, timeout=timeout)


def test_generate_run_finish_and_screenshots(qtbot, main_window, fake_engine, artifacts_dir, tmp_path):
    window = main_window
    fake_engine.steps = 12
    fake_engine.step_seconds = 0.01
    fake_engine.pause_at_step = 8
    window.inputs.prompt.setPlainText("A lighthouse on a cliff at sunset, waves crashing, slow aerial orbit")
    window.inputs.drop_zone.set_image(str(make_picture(tmp_path / "cliff.png", (960, 640))))
    window.resize(1400, 900)
    qtbot.wait(50)
    window.grab().save(str(artifacts_dir / "main_window_idle.png"))
    assert window.demo_banner.isVisible() and "Demo model" in window.demo_banner.label.text()

    window.generate()
    assert window.is_busy and window.run_state.status.busy
    assert fake_engine.paused.wait(10)
    qtbot.waitUntil(lambda: len(window.run_state.steps) == 8, timeout=5000)
    qtbot.wait(100)  # let queued preview/memory signals land
    assert "8/12" in window.windowTitle()
    assert window.progress.step_label.text() == "Step 8/12"
    assert window.chart.bars.opts["height"] is not None and len(window.chart.bars.opts["height"]) == 8
    assert window.preview.images, "the live preview got frames"
    assert window.generate_button.text().startswith("Add to queue")
    window.grab().save(str(artifacts_dir / "main_window_running.png"))

    fake_engine.resume.set()
    _wait_idle(qtbot, window)
    state = window.run_state
    assert state.status == RunStatus.FINISHED
    assert state.output_path and state.report_path
    assert window.result.path == state.output_path
    assert window.view_tabs.currentWidget() is window.result
    assert window.windowTitle().endswith("finished")
    assert window.store.values.last_seed == 1234567
    qtbot.wait(300)
    window.grab().save(str(artifacts_dir / "main_window_finished.png"))
    for name in ("idle", "running", "finished"):
        assert (artifacts_dir / f"main_window_{name}.png").stat().st_size > 10_000


def test_chart_gets_steps_phases_spikes_and_hover_text(qtbot, main_window, fake_engine):
    fake_engine.steps = 8
    fake_engine.spike_steps = (5,)
    main_window.generate()
    _wait_idle(qtbot, main_window)
    chart, state = main_window.chart, main_window.run_state
    assert len(state.steps) == 8
    assert state.spike_indices() == [5]
    brushes = chart.bars.opts["brushes"]
    assert brushes[5].color().name() != brushes[0].color().name()  # the spike stands out
    assert chart.median_line.isVisible() and chart.median_line.value() == pytest.approx(state.median_step_seconds)
    assert {span.phase for span in state.phases} >= {"load", "encode_text", "denoise", "decode", "save"}
    assert all(span.end_s is not None for span in state.phases)
    assert len(chart._phase_items) == len(state.phases)
    x, _y = chart.transfers.getData()
    assert len(x) == sum(1 for s in state.steps if s.h2d_bytes)  # one marker per step that copied
    sizes = [p.size() for p in chart.transfers.points()]
    assert max(sizes) > min(sizes)  # sized by bytes
    step = state.steps[4]
    assert chart.step_at(step.index + 1) is step  # the step axis: step numbers, 1-based
    text = chart.describe_step(step)
    assert "Step 5/8" in text and "copied" in text
    view = chart.plot.getPlotItem().getViewBox()
    scene_pos = view.mapViewToScene(QPointF(step.index + 1, step.seconds / 2))
    chart._on_mouse_moved(scene_pos)
    assert chart.hover_label.isVisible() and "Step 5/8" in chart.hover_label.textItem.toPlainText()
    assert "median" in chart.caption.text()


def test_meters_sample_about_four_times_a_second(qtbot, main_window, fake_sampler):
    start = fake_sampler.calls
    qtbot.wait(1100)
    assert 3 <= fake_sampler.calls - start <= 7
    assert "no CUDA GPU" in main_window.meters.vram_bar.format()
    assert "12.0 / 32.0 GiB" in main_window.meters.ram_bar.format()


def test_meters_show_vram_and_warn_when_nearly_full(qtbot, main_window):
    meters = main_window.meters
    meters.update_sample(FakeSampler(vram_total=24 * 2**30, vram_used=10 * 2**30).sample())
    assert "10.0 / 24.0 GiB" in meters.vram_bar.format() and not meters.warning.isVisibleTo(main_window)
    meters.update_sample(FakeSampler(vram_total=24 * 2**30, vram_used=23 * 2**30).sample())
    assert meters.vram_nearly_full and meters.warning.isVisibleTo(main_window)
    assert "offload" in meters.warning.text()


def test_generate_while_busy_queues_and_queue_can_be_edited(qtbot, main_window, fake_engine):
    fake_engine.pause_at_step = 1
    main_window.generate()
    assert fake_engine.paused.wait(10)
    main_window.generate()
    main_window.generate()
    assert len(main_window.queue) == 2
    assert main_window.queue_panel.isVisible() and main_window.queue_panel.list.count() == 2
    assert "(2)" in main_window.generate_button.text()
    main_window.queue_panel.list.item(0).setSelected(True)
    main_window.queue_panel.remove_selected()
    assert len(main_window.queue) == 1
    fake_engine.pause_at_step = None
    fake_engine.resume.set()
    qtbot.waitUntil(lambda: fake_engine.runs == 2 and not main_window.is_busy, timeout=15_000)
    assert len(main_window.queue) == 0 and not main_window.queue_panel.isVisible()


def test_cancel_from_the_window(qtbot, main_window, fake_engine):
    fake_engine.steps = 50
    fake_engine.pause_at_step = 2
    main_window.generate()
    assert fake_engine.paused.wait(10)
    main_window.cancel()
    assert main_window.run_state.status == RunStatus.CANCELLING
    fake_engine.resume.set()
    _wait_idle(qtbot, main_window)
    assert main_window.run_state.status == RunStatus.CANCELLED
    assert len(main_window.run_state.steps) == 2
    assert not main_window.error_panel.isVisible()
    assert main_window.cancel_button.isEnabled() is False


def test_engine_errors_arrive_in_the_error_panel(qtbot, main_window, fake_engine):
    fake_engine.fail_at_step = 1
    main_window.generate()
    _wait_idle(qtbot, main_window)
    panel = main_window.error_panel
    assert panel.isVisible() and panel.report.kind == "out_of_memory"
    assert "offload" in panel.advice.text()
    assert main_window.run_state.status == RunStatus.FAILED
    assert any(level == "error" for level, _ in main_window.log_panel.lines)


def test_incomplete_model_folder_is_refused_before_running(qtbot, main_window, fake_engine, tmp_path):
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    main_window.inputs.set_model_dir(str(folder))
    assert not main_window.demo_banner.isVisible()
    main_window.generate()
    assert not main_window.is_busy and fake_engine.runs == 0
    assert main_window.error_panel.report.kind == "bad_checkpoint"


def test_quick_demo_settings_and_log_messages(qtbot, main_window, fake_engine):
    main_window.use_quick_demo_settings()
    values = main_window.store.values
    assert (values.width, values.height, values.frames, values.steps) == (256, 160, 17, 8)
    main_window.generate()
    _wait_idle(qtbot, main_window)
    text = "\n".join(t for _l, t in main_window.log_panel.lines)
    assert "Attention: auto → sdpa-math" in text and "tokens" in text and "bf16" in text


def test_run_state_eta_and_fraction():
    from artifex_gui.model import RunState

    state = RunState()
    state.begin()
    state.apply(ev.RunStarted(64, 64, 17, 24, (48, 5, 4, 4), 20, "auto", "sdpa", "bf16", "cpu", "none", 1, 10, True, False))
    for i in range(4):
        state.apply(ev.StepFinished(i, 10, 2.0, (1.0, 1.0), 900.0, 0, 0.0, 0, 0, 0))
    assert state.eta_seconds == pytest.approx(12.0)
    assert 0.3 < state.fraction_done < 0.4


def _bar_pixels(chart) -> float:
    """Width in pixels of one step bar on screen."""
    view = chart.plot.getPlotItem().getViewBox()
    left = view.mapViewToScene(QPointF(1 - BAR_WIDTH / 2, 0)).x()
    right = view.mapViewToScene(QPointF(1 + BAR_WIDTH / 2, 0)).x()
    return right - left


def test_chart_at_8_steps_is_readable_with_a_tenfold_first_step(qtbot, main_window, fake_engine):
    """Issue 12: a short run's steps were a sliver of a wall-time axis, the median label sat
    on the bars, and one 10× step (a compile) flattened the rest."""
    fake_engine.steps = 8
    fake_engine.spike_steps = ()
    fake_engine.step_factors = {0: 10.0}  # step 1 takes ten times the rest
    main_window.resize(1280, 720)
    main_window.generate()
    _wait_idle(qtbot, main_window)
    qtbot.wait(50)
    chart, state = main_window.chart, main_window.run_state
    view = chart.plot.getPlotItem().getViewBox()
    (x0, x1), (_y0, top) = view.viewRange()
    assert (x0, x1) == pytest.approx((0.5, 8.5))  # the steps fill the axis, load/decode aside
    assert _bar_pixels(chart) >= view.sceneBoundingRect().width() / 8 * 0.6
    median = state.median_step_seconds
    assert top < 4 * median  # the 10× bar does not set the scale…
    assert chart.bars.opts["height"][0] == pytest.approx(top)  # …it is cut at the edge
    assert [label.toPlainText() for label in chart.clipped_labels] == [f"{state.steps[0].seconds:.3g} s ↑"]
    normal = chart.bars.opts["height"][1:]
    assert min(normal) > 0.25 * top  # the other seven stay readable
    assert getattr(chart.median_line, "label", None) is None  # its value is in the caption, not on the bars
    assert "median" in chart.caption.text() and "1 spike >" in chart.caption.text()
    assert "(s)" not in chart.caption.text()
    # the phases sit beside the steps on the clock, one row each
    ticks = chart.phase_plot.getPlotItem().getAxis("left")._tickLevels[0]
    assert [name for _row, name in ticks][:3] == ["load", "text encode", "denoise"]


def test_chart_clock_moves_while_the_model_loads(qtbot, main_window, fake_engine):
    fake_engine.load_seconds = 1.2
    main_window.generate()
    qtbot.waitUntil(lambda: main_window.run_state.load is not None, timeout=5000)
    chart = main_window.chart
    first = chart.clock.value()
    qtbot.wait(700)  # at least one tick of the window's clock
    assert chart.clock.value() > first + 0.3
    load_bar = chart._phase_items[0]
    assert load_bar.opts["x1"][0] > 0.3
    progress = main_window.progress
    assert progress.load_label.isVisible()
    assert "GiB" in progress.load_label.text() and "tensors" in progress.load_label.text()
    # the file being read now: the DiT's shards take the first 0.72 s of the 1.2 s load, so by
    # now it may be the text encoder's (seen in a full-suite run) — any of the run's files
    loading = ("diffusion_pytorch_model-0000", "models_t5_umt5-xxl-enc-bf16.pth", "Wan2.2_VAE.pth")
    assert any(name in progress.load_label.text() for name in loading), progress.load_label.text()
    assert progress.step_label.text().startswith("Load ")
    assert progress.eta_label.text() != "ETA –"
    _wait_idle(qtbot, main_window)
