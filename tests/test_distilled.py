"""Recognising FastWan / Turbo checkpoints from names and metadata."""

from __future__ import annotations

import json

from engine.sampling.distilled import detect_distilled
from engine.sampling.fewstep import FASTWAN_TIMESTEPS, TURBO_TIMESTEPS


def test_fastwan_diffusers_folder_by_model_index(tmp_path):
    folder = tmp_path / "some-download"
    (folder / "transformer").mkdir(parents=True)
    (folder / "model_index.json").write_text(
        json.dumps(
            {
                "_class_name": "WanPipeline",
                "_name_or_path": "FastVideo/FastWan2.2-TI2V-5B-FullAttn-Diffusers",
            }
        )
    )
    info = detect_distilled(folder)
    assert info is not None and info.kind == "fastwan" and info.timesteps == FASTWAN_TIMESTEPS
    assert "model_index.json" in info.reason


def test_turbo_by_generator_file_and_by_name(tmp_path):
    base = tmp_path / "Wan2.2-TI2V-5B"
    base.mkdir()
    assert detect_distilled(base) is None
    (base / "generator.pt").write_bytes(b"")
    info = detect_distilled(base)
    assert info is not None and info.kind == "turbo" and info.timesteps == TURBO_TIMESTEPS
    named = tmp_path / "Wan2.2-TI2V-5B-Turbo"
    named.mkdir()
    assert detect_distilled(named).kind == "turbo"
    assert detect_distilled(tmp_path / "FastWan2.2-TI2V-5B.safetensors").kind == "fastwan"


def test_model_card_title_counts_but_a_passing_mention_does_not(tmp_path):
    card = tmp_path / "card"
    card.mkdir()
    (card / "README.md").write_text(
        "---\nlicense: apache-2.0\n---\n# FastWan2.2-TI2V-5B-FullAttn\n"
    )
    assert detect_distilled(card).kind == "fastwan"
    base = tmp_path / "base"
    base.mkdir()
    (base / "README.md").write_text(
        "# Wan2.2\n" + "text\n" * 60 + "Distilled variants such as FastWan exist.\n"
    )
    assert detect_distilled(base) is None
    assert detect_distilled(None) is None
