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
