"""Inputs: the drop zone (drag and drop with a file URL, refusals), sizes, frames, seed, model folder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from artifex_gui.sizing import best_output_size, image_output_size, snap_frames, snap_side
from artifex_gui.ui.drop_zone import ImageDropZone
from artifex_gui.ui.inputs_panel import InputsPanel
from tests.gui_conftest import make_picture

pytestmark = pytest.mark.gui


def _drop(widget, path) -> bool:
    """Send a real drag-enter + drop carrying ``path`` as a file URL, like the desktop does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPointF(10, 10), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(10, 10), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def test_best_output_size_matches_the_original_rule():
    assert best_output_size(1280, 704, 32, 32, 1280 * 704) == (1280, 704)
    assert best_output_size(640, 480, 32, 32, 1280 * 704) == (1088, 800)
    assert best_output_size(1080, 1920, 32, 32, 1280 * 704) == (704, 1248)
    for w, h in [(1, 1), (4000, 300), (300, 4000), (1920, 1080)]:
        ow, oh = image_output_size((w, h), 1280, 704)
        assert ow % 32 == 0 and oh % 32 == 0 and ow * oh <= 1280 * 704


def test_snapping_helpers():
    assert snap_frames(120) == 121 and snap_frames(1) == 1 and snap_frames(83) == 81
    assert snap_side(1000) == 992 and snap_side(5) == 32 and snap_side(9999) == 4096


def test_dropping_a_picture_shows_it_and_its_output_size(qtbot, settings_store, tmp_path):
    settings_store.set("width", 1280)  # the real model's size (a fresh store has the demo's)
    settings_store.set("height", 704)
    panel = InputsPanel(settings_store)
    qtbot.addWidget(panel)
    picture = make_picture(tmp_path / "cat.png", (640, 480))
    with qtbot.waitSignal(panel.drop_zone.image_changed, timeout=2000) as blocker:
        assert _drop(panel.drop_zone, picture)
    assert blocker.args == [str(picture)]
    assert settings_store.values.image_path == str(picture)
    assert panel.drop_zone.image_size == (640, 480)
    assert panel.drop_zone.thumb.pixmap() is not None and not panel.drop_zone.thumb.pixmap().isNull()
    assert "1088×800" in panel.output_size_label.text()
    panel.drop_zone.clear()
    assert settings_store.values.image_path == ""
    assert "text-to-video" in panel.output_size_label.text()


@pytest.mark.parametrize("content", [b"this is not a picture", b"\x89PNG\r\n\x1a\n broken"])
def test_a_non_image_is_refused_at_the_zone(qtbot, tmp_path, content):
    zone = ImageDropZone()
    qtbot.addWidget(zone)
    zone.show()
    bad = tmp_path / "notes.png"
    bad.write_bytes(content)
    with qtbot.waitSignal(zone.image_rejected, timeout=2000) as blocker:
        _drop(zone, bad)
    assert "notes.png" in blocker.args[0]
    assert zone.path == "" and zone.message.isVisible()
    assert zone.message.text() == blocker.args[0]


def test_a_drag_without_files_is_not_accepted(qtbot):
    zone = ImageDropZone()
    qtbot.addWidget(zone)
    mime = QMimeData()
    mime.setText("just text")
    enter = QDragEnterEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(zone, enter)
    assert not enter.isAccepted()


def test_size_presets_frames_and_seed(qtbot, settings_store):
    panel = InputsPanel(settings_store)
    qtbot.addWidget(panel)
    panel.size_preset.setCurrentIndex(panel.size_preset.findData("704*1280"))
    assert (settings_store.values.width, settings_store.values.height) == (704, 1280)
    panel.width_spin.setValue(1000)
    panel.width_spin.editingFinished.emit()
    assert settings_store.values.width == 992
    assert panel.size_preset.currentData() == "custom"
    panel.frames_spin.setValue(120)
    panel.frames_spin.editingFinished.emit()
    assert settings_store.values.frames == 121
    assert "5.04 s" in panel.clip_label.text()
    settings_store.set("last_seed", 424242)
    panel.reuse_last_seed()
    assert panel.seed_edit.text() == "424242" and not panel.seed_random.isChecked()
    panel.copy_seed()
    assert QApplication.clipboard().text() == "424242"


def test_model_folder_lists_exactly_what_is_missing(qtbot, settings_store, tmp_path):
    panel = InputsPanel(settings_store)
    qtbot.addWidget(panel)
    folder = tmp_path / "Wan2.2-TI2V-5B"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    with qtbot.waitSignal(panel.model_dir_changed, timeout=2000) as blocker:
        panel.set_model_dir(str(folder))
    check = blocker.args[0]
    assert check is not None and not check.ok
    assert check.missing or check.problems
    for name in check.missing:
        assert name in panel.model_status.text()
    assert panel.model_status.property("state") == "bad"
    panel.set_model_dir("")
    assert panel.model_status.property("state") == "demo"


def test_precision_and_decode_choices_reach_the_request(qtbot, settings_store, tmp_path):
    from artifex_gui.model.request_builder import build_request

    panel = InputsPanel(settings_store)
    qtbot.addWidget(panel)
    assert [panel.precision_combo.itemData(i) for i in range(panel.precision_combo.count())] == ["dtype", "fp8", "fp8-all"]
    assert build_request(settings_store.values, output_dir=tmp_path)[0].precision == "dtype"
    panel.precision_combo.setCurrentIndex(panel.precision_combo.findData("fp8-all"))
    assert settings_store.values.precision == "fp8-all"
    assert build_request(settings_store.values, output_dir=tmp_path)[0].precision == "fp8-all"
    panel.decode_combo.setCurrentIndex(panel.decode_combo.findData("bands"))
    assert build_request(settings_store.values, output_dir=tmp_path)[0].decode_mode == "bands"
    panel.set_running(True)
    assert not panel.precision_combo.isEnabled()
