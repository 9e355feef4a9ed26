"""The model-parts picker and the LoRA list (artifex_gui/ui/model_parts.py, lora_panel.py):
detected format per part, what is missing, LoRAs added/dropped/edited and remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from tests.formats_builders import build_comfy_files, build_diffusers_folder

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def comfy(tmp_path_factory) -> dict[str, Path]:
    return build_comfy_files(tmp_path_factory.mktemp("gui_comfy") / "comfy")


@pytest.fixture(scope="module")
def diffusers_dir(tmp_path_factory) -> Path:
    return build_diffusers_folder(tmp_path_factory.mktemp("gui_diff") / "Wan2.2-TI2V-5B-Diffusers")


def _lora(path: Path, alpha: float = 8.0) -> Path:
    save_file(
        {
            "diffusion_model.blocks.0.self_attn.q.lora_down.weight": torch.zeros(4, 128),
            "diffusion_model.blocks.0.self_attn.q.lora_up.weight": torch.zeros(128, 4),
            "diffusion_model.blocks.0.self_attn.q.alpha": torch.tensor(alpha),
        },
        str(path),
    )
    return path


def test_three_comfy_files_show_their_format(qtbot, settings_store, comfy) -> None:
    from artifex_gui.ui.model_parts import ModelPartsPanel

    panel = ModelPartsPanel(settings_store)
    qtbot.addWidget(panel)
    assert panel.check is None and "demo" in panel.summary.text()
    with qtbot.waitSignal(panel.parts_changed):
        settings_store.set("dit_file", str(comfy["dit_fp16_prefixed.safetensors"]))
    assert "missing" in panel.status["text_encoder"].text()
    settings_store.set("t5_file", str(comfy["umt5_fp8_e4m3fn_scaled.safetensors"]))
    settings_store.set("vae_file", str(comfy["wan2.2_vae.safetensors"]))
    assert panel.check.ok, panel.check.summary
    assert "ComfyUI" in panel.status["dit"].text() and "float16" in panel.status["dit"].text()
    assert "fp8 scaled" in panel.status["text_encoder"].text()
    assert "umt5-xxl" in panel.status["tokenizer"].text()  # found next to the files
    assert panel.edits["dit_file"].text().endswith("dit_fp16_prefixed.safetensors")


def test_missing_tokenizer_says_the_command(qtbot, settings_store, comfy, tmp_path) -> None:
    from artifex_gui.ui.model_parts import ModelPartsPanel

    lone = tmp_path / "lone"
    lone.mkdir()
    for n in ("dit_bf16.safetensors", "umt5_bf16.safetensors", "wan2.2_vae.safetensors"):
        (lone / n).write_bytes(comfy[n].read_bytes())
    panel = ModelPartsPanel(settings_store)
    qtbot.addWidget(panel)
    settings_store.set("model_dir", str(lone))
    assert not panel.check.ok
    assert "huggingface-cli download" in panel.status["tokenizer"].text()
    assert "✓" in panel.status["dit"].text() and "✓" in panel.status["vae"].text()


def test_diffusers_folder_is_a_good_model_folder(qtbot, settings_store, diffusers_dir) -> None:
    from artifex_gui.engine_bridge import check_model_folder
    from artifex_gui.ui.model_parts import ModelPartsPanel

    check = check_model_folder(str(diffusers_dir))
    assert check.ok and not check.recognised_other_model, check.summary
    panel = ModelPartsPanel(settings_store)
    qtbot.addWidget(panel)
    settings_store.set("model_dir", str(diffusers_dir))
    assert panel.check.ok and "Diffusers" in panel.status["dit"].text()


def test_refused_file_is_said(qtbot, settings_store, tmp_path) -> None:
    from artifex_gui.ui.model_parts import ModelPartsPanel

    f = tmp_path / "wan2.1_t2v_1.3B_fp16.safetensors"
    z = torch.zeros
    save_file(
        {"patch_embedding.weight": z(1536, 16, 1, 2, 2), "head.modulation": z(1, 2, 1536)}, str(f)
    )
    panel = ModelPartsPanel(settings_store)
    qtbot.addWidget(panel)
    settings_store.set("dit_file", str(f))
    assert "1.3B" in panel.summary.text() and not panel.check.ok


def test_lora_list_add_edit_remove_and_remember(qtbot, settings_store, data_dir, tmp_path) -> None:
    from artifex_gui.settings import SettingsStore
    from artifex_gui.ui.lora_panel import LoraPanel

    a, b = _lora(tmp_path / "style_a.safetensors"), _lora(tmp_path / "style_b.safetensors", 4.0)
    panel = LoraPanel(settings_store)
    qtbot.addWidget(panel)
    assert not panel.rows and not panel.empty.isHidden()  # "No LoRA…" is shown
    assert panel.add_paths([str(a), str(tmp_path / "notes.txt"), str(a)]) == 1
    assert panel.add_paths([str(b)]) == 1
    assert [r.path for r in panel.rows] == [str(a), str(b)] and panel.empty.isHidden()
    assert "original, rank 4, alpha 8" in panel.rows[0].info.text()
    panel.rows[0].slider.setValue(60)  # 0.60
    assert settings_store.values.loras[0]["strength"] == 0.6
    assert panel.rows[0].box.value() == pytest.approx(0.6)
    panel.rows[1].box.setValue(-1.5)  # beyond the slider's range: the box holds it
    panel.rows[1].enabled.setChecked(False)
    assert settings_store.values.loras[1] == {"path": str(b), "strength": -1.5, "enabled": False}
    panel.rows[0].remove.click()
    assert [x["path"] for x in settings_store.values.loras] == [str(b)]
    settings_store.save()
    again = SettingsStore(data_dir)
    again.load()
    assert again.values.loras == [{"path": str(b), "strength": -1.5, "enabled": False}]
    panel2 = LoraPanel(again)
    qtbot.addWidget(panel2)
    assert len(panel2.rows) == 1 and not panel2.rows[0].enabled.isChecked()


def test_dropping_files_on_the_lora_list(qtbot, settings_store, tmp_path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from artifex_gui.ui.lora_panel import LoraPanel

    a = _lora(tmp_path / "drop_me.safetensors")
    panel = LoraPanel(settings_store)
    qtbot.addWidget(panel)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(a)), QUrl.fromLocalFile(str(tmp_path / "x.png"))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(event)
    assert [x["path"] for x in settings_store.values.loras] == [str(a)]


def test_damaged_lora_and_settings_entries(qtbot, settings_store, tmp_path) -> None:
    from artifex_gui.settings import Settings
    from artifex_gui.ui.lora_panel import LoraPanel

    bad = tmp_path / "cut.safetensors"
    bad.write_bytes(_lora(tmp_path / "ok.safetensors").read_bytes()[:-8])
    panel = LoraPanel(settings_store)
    qtbot.addWidget(panel)
    panel.add_paths([str(bad)])
    assert "✗" in panel.rows[0].info.text() and "truncated" in panel.rows[0].info.text()
    values = Settings.from_dict(
        {"loras": [{"path": "a.safetensors", "strength": "x"}, 3, {"strength": 1}]}
    )
    assert values.loras == [{"path": "a.safetensors", "strength": 1.0, "enabled": True}]


def test_request_gets_parts_and_enabled_loras(settings_store, tmp_path, comfy) -> None:
    from artifex_gui.model.request_builder import build_request

    a, b = _lora(tmp_path / "a.safetensors"), _lora(tmp_path / "b.safetensors")
    settings_store.set("dit_file", str(comfy["dit_bf16.safetensors"]))
    settings_store.set("t5_file", str(comfy["umt5_bf16.safetensors"]))
    settings_store.set("vae_file", str(comfy["wan2.2_vae.safetensors"]))
    settings_store.set(
        "loras",
        [
            {"path": str(a), "strength": 0.7, "enabled": True},
            {"path": str(b), "strength": 1.0, "enabled": False},
        ],
    )
    settings_store.set("prompt", "a fox")
    req, _ = build_request(settings_store.values, output_dir=tmp_path)
    assert req.dit_file.endswith("dit_bf16.safetensors") and req.checkpoint_dir is None
    assert [(x.path, x.strength) for x in req.loras] == [(str(a), 0.7)]
    assert not req.uses_demo_model


def test_history_and_comparison_show_model_files_and_loras(tmp_path) -> None:
    from artifex_gui.model.history import RunEntry
    from engine.outputs.analysis import analyse, compare
    from engine.outputs.report import ReportBuilder

    def analysis(models: str, loras: str):
        b = ReportBuilder(
            settings={"prompt": "p"}, environment={"models": models, "lora_set": loras}
        )
        return analyse(b.report())

    a = analysis(
        "dit: comfyui wan2.2_ti2v_5B_fp16.safetensors q1:aa; vae: comfyui wan2.2_vae.safetensors q1:bb",
        "style.safetensors ×0.8",
    )
    b = analysis(
        "dit: diffusers transformer (3 files, first q1:cc); vae: comfyui wan2.2_vae.safetensors q1:bb",
        "none",
    )
    entry = RunEntry(tmp_path / "r.json", None, 0.0, a)
    assert entry.models_text.splitlines() == [
        "dit: comfyui wan2.2_ti2v_5B_fp16.safetensors q1:aa",
        "vae: comfyui wan2.2_vae.safetensors q1:bb",
        "LoRA: style.safetensors ×0.8",
    ]
    differing = {d.key for d in compare(a, b).differing_environment}
    assert {"models", "lora_set"} <= differing
