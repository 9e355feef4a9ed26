"""Sampling presets, the step-cache control, pass accounting and the cached-pass marks."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from artifex_gui.model.pass_stats import expected_eta_seconds, pass_pattern, pass_totals
from artifex_gui.ui.pass_marks import MIN_MARK_FRACTION, all_reused, cached_pass_rects
from artifex_gui.ui.sampling_box import SamplingPresetBox, matching_preset

pytestmark = pytest.mark.gui


@dataclass
class Step:
    seconds: float
    pass_seconds: tuple[float, ...]
    passes: tuple[str, ...] = ()
    pass_reused: tuple[bool, ...] = ()
    start_s: float = 0.0
    end_s: float = 0.0


def test_presets_fill_the_settings_and_stay_editable(qtbot, settings_store):
    box = SamplingPresetBox(settings_store)
    qtbot.addWidget(box)
    values = settings_store.values
    assert matching_preset(values) == "quality" and box.preset_combo.currentData() == "quality"
    box.preset_combo.setCurrentIndex(box.preset_combo.findData("faster"))
    assert (values.cache, values.cache_threshold, values.steps, values.solver) == (
        "magcache",
        0.06,
        50,
        "unipc",
    )
    assert (
        box.cache_combo.currentData() == "magcache"
        and box.threshold_spin.value() == pytest.approx(0.06)
    )
    box.preset_combo.setCurrentIndex(box.preset_combo.findData("distilled"))
    assert (values.solver, values.timesteps, values.steps, values.guidance, values.cache) == (
        "fewstep",
        "1000,757,522",
        3,
        1.0,
        "off",
    )
    assert box.timesteps_edit.isVisibleTo(box) and not box.cache_combo.isEnabled()
    box.distilled_combo.setCurrentIndex(box.distilled_combo.findData("turbo"))
    assert (values.timesteps, values.steps) == ("1000,750,500,250", 4)
    assert "4 DiT passes" in box.passes_label.text()
    # editable afterwards: another guidance → custom
    settings_store.set("guidance", 3.0)
    assert box.preset_combo.currentData() == "custom"
    box.preset_combo.setCurrentIndex(box.preset_combo.findData("quality"))
    assert (values.solver, values.steps, values.guidance, values.cache) == ("unipc", 50, 5.0, "off")
    assert not box.timesteps_edit.isVisibleTo(box)
    # the cache control alone: picking a cache sets its published threshold
    box.cache_combo.setCurrentIndex(box.cache_combo.findData("easycache"))
    assert (values.cache, values.cache_threshold) == ("easycache", 0.05)
    assert box.preset_combo.currentData() == "custom"
    settings_store.set("guidance", 1.0)
    box.cache_combo.setCurrentIndex(box.cache_combo.findData("off"))
    assert (
        "one pass per step" in box.passes_label.text()
        and "50 DiT passes" in box.passes_label.text()
    )


def test_pass_totals_pattern_and_old_records():
    steps = [
        Step(2.0, (1.0, 1.0), ("cond", "uncond"), (False, False)),
        Step(1.0, (1.0, 0.01), ("cond", "uncond"), (False, True)),
        Step(0.05, (0.01, 0.01), ("cond", "uncond"), (True, True)),
        Step(2.0, (2.0,)),
    ]  # an old record: one timing, nothing known about reuse
    totals = pass_totals(steps)
    assert (totals.computed, totals.reused, totals.total) == (4, 3, 7)
    assert totals.speedup == pytest.approx(7 / 4)
    assert pass_pattern(steps) == "CC Cr rr C"


def test_eta_expects_the_known_skips_and_the_observed_rate():
    step = Step(2.0, (1.0, 1.0), ("cond", "uncond"), (False, False))
    reuse = Step(0.02, (0.01, 0.01), ("cond", "uncond"), (True, True))
    done = [step, step, reuse]
    plain = expected_eta_seconds(done, 6)
    assert plain == pytest.approx(3 * 2.0)  # no plan: median of recent step times
    # plan: remaining steps 3, 4, 5 compute 2, 0, 2 passes → about 2 + 0.02 + 2 s
    eta = expected_eta_seconds(done, 6, (2, 2, 0, 2, 0, 2))
    assert eta == pytest.approx(2.0 + 0.02 + 2.0, abs=0.01)
    # unknown ahead (-1): the rate seen on earlier unknown steps (here 1 of 2 steps computed)
    eta_unknown = expected_eta_seconds(done, 5, (2, -1, -1, -1, -1))
    assert eta_unknown == pytest.approx(2 * (0.5 * 2 * 1.0 + 0.5 * 2 * 0.01), abs=0.01)


def test_cached_pass_marks_are_thin_slots_at_their_cost():
    steps = [
        Step(1.0, (0.9, 0.001), ("cond", "uncond"), (False, True), start_s=10.0, end_s=11.0),
        Step(0.1, (0.0005, 0.0005), ("cond", "uncond"), (True, True), start_s=11.0, end_s=11.1),
        Step(1.0, (0.5, 0.5), ("cond", "uncond"), (False, False), start_s=11.1, end_s=12.1),
    ]
    x0, x1, heights = cached_pass_rects(steps, y_max=1.0)
    assert len(heights) == 3
    assert x0[0] == pytest.approx(10.5 + 0.1) and x1[0] == pytest.approx(
        10.5 + 0.4
    )  # uncond slot of step 1
    assert heights[0] == pytest.approx(MIN_MARK_FRACTION)  # near-zero cost, kept visible
    assert [all_reused(s) for s in steps] == [False, True, False]


def test_window_shows_cached_passes_live_and_screenshot(qtbot, main_window, artifacts_dir):
    """A cached run fed through the run state: the chart marks the reused passes, the
    progress panel counts them, the ETA expects the plan; screenshot at 1280×720."""

    from engine import events as ev
    from engine.sampling.cache import COND, UNCOND, make_step_cache

    window = main_window
    window.resize(1280, 720)
    window.inputs.sampling_box.apply_preset("faster")
    steps = 30
    cache = make_step_cache("magcache", 0.06, steps, image_conditioned=True)
    plan = cache.expected_pattern((COND, UNCOND))
    expected = tuple(sum(row) for row in plan)
    state = window.run_state
    state.begin()
    t0 = state.t0
    state.apply(ev.PhaseStarted("load", time=t0))
    state.apply(ev.PhaseFinished("load", 2.0, time=t0 + 2.0))
    state.apply(
        ev.RunStarted(
            1280,
            704,
            121,
            24,
            (48, 31, 44, 80),
            27280,
            "auto",
            "sdpa-cudnn",
            "bfloat16",
            "cuda:0",
            "none",
            42,
            steps,
            False,
            True,
            time=t0 + 2.0,
            solver="unipc",
            cache="magcache",
            cache_threshold=0.06,
            passes_per_step=2,
            expected_computed=expected,
        )
    )
    state.apply(ev.PhaseStarted("denoise", time=t0 + 2.1))
    now = t0 + 2.1
    done = 22
    for i in range(done):
        flags = tuple(not f for f in plan[i])
        seconds = tuple(0.004 if r else 1.0 for r in flags)
        step_s = sum(seconds) + 0.03
        now += step_s
        state.apply(
            ev.StepFinished(
                i,
                steps,
                step_s,
                seconds,
                999.0 - 30 * i,
                0,
                0.0,
                9 * 2**30,
                10 * 2**30,
                11 * 2**30,
                time=now,
                passes=("cond", "uncond"),
                pass_reused=flags,
            )
        )
    qtbot.wait(50)
    reused = sum(not f for row in plan[:done] for f in row)
    assert reused > 0
    assert window.chart.cached_marks.count == reused
    text = window.progress.pass_counter.text()
    assert f"Passes {2 * done - reused}/{2 * done}" in text and f"{reused} reused" in text
    eta = state.eta_seconds
    remaining_computed = sum(expected[done:])
    assert (
        eta is not None
        and abs(
            eta
            - (
                remaining_computed * 1.0
                + 0.03 * (steps - done)
                + (2 * (steps - done) - remaining_computed) * 0.004
            )
        )
        < 0.2
    )
    assert window.chart.state.spike_indices() == []  # reused steps do not make computed ones spikes
    assert window.inputs.sampling_box.preset_combo.currentData() == "faster"
    window.grab().save(str(artifacts_dir / "main_window_cached_1280x720.png"))
    from PySide6.QtWidgets import QScrollArea

    for area in window.findChildren(QScrollArea):
        if area.isAncestorOf(window.inputs):
            area.ensureWidgetVisible(window.inputs.sampling_box, 10, 40)
            area.horizontalScrollBar().setValue(0)
    qtbot.wait(50)
    window.grab().save(str(artifacts_dir / "main_window_sampling_box_1280x720.png"))
