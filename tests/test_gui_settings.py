"""Settings: round trip, tolerant loading, damaged-file recovery, restore into the window."""

from __future__ import annotations

import json

import pytest

from artifex_gui.settings import SETTINGS_VERSION, Settings, SettingsStore

pytestmark = pytest.mark.gui


def test_tests_never_use_the_real_user_folder(data_dir):
    from artifex_gui import paths

    assert paths.data_dir() == data_dir  # ARTIFEX_DATA_DIR points every default path here
    assert SettingsStore().path.parent == data_dir
    assert str(paths.default_output_dir()).startswith(str(data_dir))


def test_round_trip(data_dir, qtbot):
    store = SettingsStore(data_dir)
    changes = []
    store.changed.connect(lambda name, value: changes.append((name, value)))
    store.set("prompt", "a red fox in the snow, 한국어 too")
    store.set("width", 704)
    store.set("height", 1280)
    store.set("guidance", 6.5)
    store.set("random_seed", False)
    store.set("seed", 2**40)
    store.set("language", "ko")
    store.save()
    assert changes[0] == ("prompt", "a red fox in the snow, 한국어 too")
    saved = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["version"] == SETTINGS_VERSION
    again = SettingsStore(data_dir)
    values = again.load()
    assert values == store.values
    assert again.load_message == ""


def test_damaged_file_is_moved_aside_and_defaults_used(data_dir):
    (data_dir / "settings.json").write_text("{ this is not json", encoding="utf-8")
    store = SettingsStore(data_dir)
    values = store.load()
    assert values == Settings()
    assert "damaged" in store.load_message
    kept = list(data_dir.glob("settings.damaged-*.json"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "{ this is not json"
    assert not (data_dir / "settings.json").exists()
    store.save()  # and the next save writes a good file
    assert SettingsStore(data_dir).load() == Settings()


def test_wrong_types_and_unknown_keys_fall_back_per_field(data_dir):
    (data_dir / "settings.json").write_text(
        json.dumps({"version": 99, "width": "wide", "steps": 12, "guidance": 3, "random_seed": "yes", "future": 1}),
        encoding="utf-8",
    )
    store = SettingsStore(data_dir)
    values = store.load()
    assert values.width == Settings().width and values.steps == 12 and values.guidance == 3.0
    assert values.random_seed is True and store.load_message == ""


def test_last_inputs_are_restored_in_a_new_window(qtbot, data_dir, engine_host, fake_sampler, tmp_path):
    from artifex_gui.ui.main_window import MainWindow
    from tests.gui_conftest import make_picture

    picture = make_picture(tmp_path / "p.png", (300, 200))
    store = SettingsStore(data_dir)
    store.load()
    window = MainWindow(store, engine_host, sampler=fake_sampler)
    qtbot.addWidget(window)
    window.inputs.prompt.setPlainText("waves at dusk")
    window.inputs.drop_zone.set_image(str(picture))
    window.inputs.size_preset.setCurrentIndex(window.inputs.size_preset.findData("704*1280"))
    window.inputs.steps_spin.setValue(20)
    window.inputs.offload_combo.setCurrentIndex(window.inputs.offload_combo.findData("block"))
    window.shutdown()
    window.close()

    store2 = SettingsStore(data_dir)
    store2.load()
    window2 = MainWindow(store2, engine_host, sampler=fake_sampler)
    qtbot.addWidget(window2)
    inputs = window2.inputs
    assert inputs.prompt.toPlainText() == "waves at dusk"
    assert inputs.drop_zone.path == str(picture) and inputs.drop_zone.image_size == (300, 200)
    assert (inputs.width_spin.value(), inputs.height_spin.value()) == (704, 1280)
    assert inputs.steps_spin.value() == 20
    assert inputs.offload_combo.currentData() == "block"
    window2.shutdown()
