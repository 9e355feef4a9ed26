"""Issue 13: the GUI shows the run plan before Generate — the same text as
``artifex-cli generate --dry-run`` (RunPlan.describe), without loading weights or writing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_plan_button_shows_the_dry_run_text(qtbot, main_window, tmp_path, artifacts_dir):
    from artifex_gui.engine_bridge import plan_text
    from artifex_gui.model.request_builder import build_request

    window = main_window
    window.resize(1280, 720)
    window.store.set("output_dir", str(tmp_path / "out"))
    window.inputs.prompt.setPlainText("a lighthouse at dusk")
    window.store.set("width", 256)
    window.store.set("height", 160)
    window.store.set("frames", 17)
    window.store.set("steps", 8)
    window.plan_button.click()
    box = window.plan_dialog
    assert box is not None and box.isVisible() and not box.isModal()
    text = box.text()
    request, _notes = build_request(window.store.values, output_dir=tmp_path / "out")
    expected = plan_text(request)
    # the dry-run's lines, except the output name (it carries the clock time) and a random
    # seed (each plan draws its own)
    for line in expected.splitlines():
        if not line.startswith("output ") and "(random;" not in line:
            assert line in text, line
    assert "256×160, 17 frames" in text and "token grid" in text and "8 steps" in text
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # wrote nothing
    assert not window.is_busy
    box.grab().save(str(artifacts_dir / "plan_dialog.png"))
    window.grab().save(str(artifacts_dir / "main_window_plan_1280x720.png"))


def test_plan_button_says_why_a_request_cannot_run(qtbot, main_window, tmp_path):
    window = main_window
    window.store.set("output_dir", str(tmp_path / "out"))
    window.store.set("model_dir", str(tmp_path / "no such model"))
    window.show_plan()
    box = window.plan_dialog
    assert box is not None and "does not exist" in box.text(), box.text()
    assert not window.is_busy
