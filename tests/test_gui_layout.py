"""The window as a demanding user sees it (issue 12): the wheel, the splitter width, the
Generate button's place, styled banners and number boxes, texts that fit, the status bar,
an error that goes when its cause goes, the About box, Korean names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.gui_conftest import make_picture

pytestmark = pytest.mark.gui


def _wheel(widget, steps: int = -3) -> None:
    """A real wheel event over ``widget``'s middle (negative: scroll down)."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def _wait_idle(qtbot, window, timeout=15_000):
    qtbot.waitUntil(lambda: not window.is_busy, timeout=timeout)


def test_wheel_over_an_unfocused_field_scrolls_the_panel_not_the_value(qtbot, main_window):
    window = main_window
    window.resize(1280, 720)
    qtbot.wait(50)
    inputs = window.inputs
    scroll = window.findChild(type(window.side_scroll), "inputsScroll")
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0  # the column is taller than the window at 720 px
    store = window.store
    before = (store.values.width, store.values.size_preset, store.values.steps, store.values.solver)
    for widget in (inputs.width_spin, inputs.steps_spin, inputs.size_preset, inputs.solver_combo):
        assert not widget.hasFocus()
        bar.setValue(0)
        scroll.ensureWidgetVisible(widget)
        start = bar.value()
        down = start < bar.maximum()
        _wheel(widget, steps=-3 if down else 3)
        moved = bar.value() > start if down else bar.value() < start
        assert moved, f"the wheel over {widget} did not scroll the column"
    assert (store.values.width, store.values.size_preset, store.values.steps, store.values.solver) == before
    # once clicked into, the wheel changes the value on purpose
    inputs.steps_spin.setFocus()
    qtbot.waitUntil(inputs.steps_spin.hasFocus, timeout=2000)
    _wheel(inputs.steps_spin, steps=1)
    assert store.values.steps == before[2] + 1


def test_history_comparison_does_not_squeeze_the_settings_column(qtbot, main_window, fake_engine):
    window = main_window
    window.resize(1280, 720)
    for _ in range(2):
        window.generate()
        _wait_idle(qtbot, window)
    window.main_tabs.setCurrentWidget(window.history)
    qtbot.waitUntil(lambda: len(window.history.entries) >= 2, timeout=10_000)
    window.history.select([e.key for e in window.history.entries[:2]])
    qtbot.wait(100)
    left = window.left_pane
    scroll = window.findChild(type(window.side_scroll), "inputsScroll")
    assert window.splitter.sizes()[0] >= left.minimumWidth()
    # nothing of the column is cut: its contents fit the scroll area's width
    assert window.inputs.width() <= scroll.viewport().width()
    assert window.inputs.width() >= window.inputs.minimumSizeHint().width()
    clear = window.inputs.model_clear
    assert clear.mapTo(window, QPoint(clear.width(), 0)).x() <= left.mapTo(window, QPoint(left.width(), 0)).x()
    # a narrow width saved by an older version is widened on the next start
    window.splitter.setSizes([200, 1080])
    window.store.set("splitter_state", bytes(window.splitter.saveState().toBase64()).decode())
    window._restore_geometry()
    assert window.splitter.sizes()[0] >= left.minimumWidth()
    # and dragging the handle cannot make it narrower than its contents
    window.splitter.moveSplitter(100, 1)
    assert window.splitter.sizes()[0] >= left.minimumWidth()
    state = QByteArray.fromBase64(window.store.values.splitter_state.encode())
    assert state  # what shutdown saves is the restored (wide enough) width, checked above


def test_generate_button_stays_put_when_a_job_starts_and_one_is_queued(qtbot, main_window, fake_engine):
    window = main_window
    window.resize(1280, 720)
    qtbot.wait(50)
    button = window.generate_button

    def place():
        return button.mapTo(window, QPoint(0, 0)), button.size()

    idle = place()
    fake_engine.pause_at_step = 1
    window.generate()
    assert fake_engine.paused.wait(10)
    qtbot.wait(50)
    assert place() == idle
    window.generate()  # queued: the queue list appears
    qtbot.wait(50)
    assert window.queue_panel.isVisible() and place() == idle
    fake_engine.pause_at_step = None
    fake_engine.resume.set()
    qtbot.waitUntil(lambda: fake_engine.runs == 2 and not window.is_busy, timeout=15_000)
    assert place() == idle


def test_demo_banner_and_number_boxes_are_styled(qtbot, main_window):
    window = main_window
    banner = window.demo_banner
    assert banner.objectName() == "banner" and banner.property("kind") == "demo"
    image = banner.grab().toImage()
    assert image.pixelColor(3, banner.height() // 2).name() == "#3a3117"  # the sheet's colour
    spin = window.inputs.steps_spin
    picture = spin.grab().toImage()
    arrow = QColor("#c9d1d9")

    def arrow_pixels(y0: int, y1: int) -> int:
        count = 0
        for x in range(spin.width() - 18, spin.width()):
            for y in range(y0, y1):
                c = picture.pixelColor(x, y)
                if abs(c.red() - arrow.red()) + abs(c.green() - arrow.green()) + abs(c.blue() - arrow.blue()) < 120:
                    count += 1
        return count

    half = spin.height() // 2
    assert arrow_pixels(0, half) >= 4 and arrow_pixels(half, spin.height()) >= 4  # ▲ and ▼ drawn


def test_placeholders_fit_their_boxes(qtbot, main_window):
    window = main_window
    window.resize(1280, 720)
    qtbot.wait(50)
    for edit in window.inputs.findChildren(QLineEdit):
        text = edit.placeholderText()
        if not text or not edit.isVisible():
            continue
        room = edit.contentsRect().width() - 12  # the style sheet's padding
        assert edit.fontMetrics().horizontalAdvance(text) <= room, text
    negative = window.inputs.negative
    assert negative.fontMetrics().horizontalAdvance(negative.placeholderText()) <= negative.viewport().width()
    assert "Empty: the model's default negative prompt" in negative.toolTip()


def test_output_size_hint_reads_plainly(qtbot, main_window, tmp_path):
    inputs = main_window.inputs
    inputs.drop_zone.set_image(str(make_picture(tmp_path / "tall.png", (480, 768))))
    text = inputs.output_size_label.text()
    assert text.startswith("Output 160×256") and "aspect ratio within" not in text
    assert "at most the pixels of 256×160" in text


def test_status_bar_follows_runs_and_errors(qtbot, main_window, fake_engine):
    window = main_window
    status = window.engine_status
    fake_engine.pause_at_step = 2
    window.generate()
    assert fake_engine.paused.wait(10)
    qtbot.wait(600)  # a tick
    assert "Generating" in status.text() and "Engine ready" not in status.text()
    fake_engine.resume.set()
    _wait_idle(qtbot, window)
    assert status.text().startswith("Finished:")
    fake_engine.pause_at_step = None
    fake_engine.fail_at_step = 1
    window.generate()
    _wait_idle(qtbot, window)
    assert status.text().startswith("Error: The GPU ran out of memory")


def test_error_goes_away_when_its_cause_does(qtbot, main_window, tmp_path):
    window = main_window
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    window.inputs.set_model_dir(str(folder))
    window.generate()
    assert window.error_panel.isVisible() and window.error_panel.report.kind == "bad_checkpoint"
    window.store.set("prompt", "something else")  # not the cause: the error stays
    assert window.error_panel.isVisible()
    window.inputs.set_model_dir("")  # back to the demo model: the folder problem is gone
    assert not window.error_panel.isVisible()
    assert not window.engine_status.text().startswith("Error")


def test_about_shows_the_version(main_window):
    from engine import __version__

    text = main_window.about_text()
    assert f"Artifex {__version__}" in text and "artifex.log" in text


def test_plural_texts_are_words_not_parentheses(qtbot, main_window, fake_engine):
    fake_engine.steps = 8
    fake_engine.spike_steps = (2, 5)
    main_window.generate()
    _wait_idle(qtbot, main_window)
    caption = main_window.chart.caption.text()
    assert "2 spikes > 1.25× median" in caption and "(s)" not in caption
    fake_engine.spike_steps = (3,)
    main_window.generate()
    _wait_idle(qtbot, main_window)
    assert "1 spike > 1.25× median" in main_window.chart.caption.text()


def test_korean_window_names_phases_and_kernels_in_korean(qtbot, main_window, fake_engine):
    from artifex_gui.i18n import install_translators
    from artifex_gui.model.names import kernel_text, phase_name
    from engine import events as ev

    app = QApplication.instance()
    try:
        assert install_translators(app, "ko") == "ko"
        assert phase_name("encode_text") == "텍스트 인코딩"
        assert kernel_text("sdpa (PyTorch's choice)") == "sdpa (PyTorch가 선택)"
        state = main_window.run_state
        state.apply(ev.PhaseFinished("decode", 1.5))
        level, text = main_window.log_panel.lines[-1]
        assert text.startswith("디코드") and "decode" not in text
    finally:
        install_translators(app, "en")
