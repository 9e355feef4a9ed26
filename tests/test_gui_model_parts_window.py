"""The model-parts picker and the LoRA list inside the main window (screenshot at 1280×720),
and Generate refusing an incomplete set of single files with the set's own message."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from tests.formats_builders import build_comfy_files

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def comfy(tmp_path_factory) -> dict[str, Path]:
    return build_comfy_files(tmp_path_factory.mktemp("gui_win_comfy") / "comfy")


def _lora(path: Path) -> Path:
    save_file(
        {
            "lora_unet_blocks_0_self_attn_q.lora_down.weight": torch.zeros(16, 128),
            "lora_unet_blocks_0_self_attn_q.lora_up.weight": torch.zeros(128, 16),
            "lora_unet_blocks_0_self_attn_q.alpha": torch.tensor(16.0),
        },
        str(path),
    )
    return path


def test_window_with_comfy_files_and_loras(
    qtbot, main_window, comfy, artifacts_dir, tmp_path
) -> None:
    window = main_window
    store = window.store
    store.set("dit_file", str(comfy["dit_fp16_prefixed.safetensors"]))
    store.set("t5_file", str(comfy["umt5_fp8_e4m3fn_scaled.safetensors"]))
    store.set("vae_file", str(comfy["wan2.2_vae.safetensors"]))
    window.inputs.lora_panel.add_paths(
        [
            str(_lora(tmp_path / "cinematic_light.safetensors")),
            str(_lora(tmp_path / "slow_motion_v2.safetensors")),
        ]
    )
    window.inputs.lora_panel.rows[1].box.setValue(0.65)
    window.inputs.prompt.setPlainText("A red fox running through fresh snow, low sun")
    window.resize(1280, 720)
    qtbot.wait(100)
    assert window.inputs.model_parts.check.ok
    assert not window.demo_banner.isVisible()  # files given: not the demo model
    assert "ComfyUI" in window.inputs.model_parts.status["dit"].text()
    assert "model files below" in window.inputs.model_status.text()
    window.grab().save(str(artifacts_dir / "main_window_model_parts_1280x720.png"))
    window.inputs.lora_panel.grab().save(str(artifacts_dir / "lora_panel.png"))


def test_generate_refuses_an_incomplete_file_set(qtbot, main_window, comfy) -> None:
    window = main_window
    window.store.set("dit_file", str(comfy["dit_bf16.safetensors"]))  # no text encoder, no VAE
    window.inputs.prompt.setPlainText("a fox")
    shown = []
    # the one road errors take: the run controller's errored signal (the window shows it)
    window.controller.errored.connect(lambda report, _causes: shown.append(report))
    window.generate()
    assert shown and shown[0].kind == "bad_checkpoint"
    assert "text encoder (umT5-XXL) is missing" in shown[0].message
    assert not window.is_busy
