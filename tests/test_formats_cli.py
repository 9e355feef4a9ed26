"""CLI and request rules for model parts and LoRAs: ``--lora FILE[:STRENGTH]`` (Windows
drive letters), ``--dit_file``/``--t5_file``/``--vae_file``, ``doctor --model``, and the
same words for GUI and CLI (engine/request.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from engine.errors import RequestError
from engine.request import GenerationRequest, LoraChoice, check_request, parse_lora_arg
from tests.fixtures_cli import cli_args, run_cli
from tests.formats_builders import build_comfy_files


@pytest.fixture(scope="module")
def comfy(tmp_path_factory) -> dict[str, Path]:
    return build_comfy_files(tmp_path_factory.mktemp("cli_comfy") / "comfy")


@pytest.mark.parametrize(
    "text, path, strength",
    [
        ("style.safetensors", "style.safetensors", 1.0),
        ("style.safetensors:0.7", "style.safetensors", 0.7),
        (r"C:\loras\style.safetensors", r"C:\loras\style.safetensors", 1.0),
        (r"C:\loras\style.safetensors:-0.5", r"C:\loras\style.safetensors", -0.5),
        ("/a/b:c/x.safetensors", "/a/b:c/x.safetensors", 1.0),
    ],
)
def test_lora_argument(text: str, path: str, strength: float) -> None:
    assert parse_lora_arg(text) == LoraChoice(path, strength)


def _lora(path: Path) -> Path:
    save_file(
        {
            "diffusion_model.blocks.0.self_attn.q.lora_A.weight": torch.zeros(2, 128),
            "diffusion_model.blocks.0.self_attn.q.lora_B.weight": torch.zeros(128, 2),
        },
        str(path),
    )
    return path


def test_request_rules(tmp_path, comfy) -> None:
    lora = _lora(tmp_path / "x.safetensors")
    base = GenerationRequest(prompt="p", dit_file=str(comfy["dit_bf16.safetensors"]))
    with pytest.raises(RequestError, match="missing: text encoder, VAE"):
        check_request(base)
    with pytest.raises(RequestError, match="does not exist"):
        check_request(GenerationRequest(prompt="p", dit_file=str(tmp_path / "nope.safetensors")))
    with pytest.raises(RequestError, match="LoRA file .* does not exist"):
        check_request(
            GenerationRequest(prompt="p", loras=(LoraChoice(str(tmp_path / "n.safetensors")),))
        )
    with pytest.raises(RequestError, match="outside -4..4"):
        check_request(GenerationRequest(prompt="p", loras=(LoraChoice(str(lora), 9.0),)))
    req, notes = check_request(
        GenerationRequest(prompt="p", loras=(LoraChoice(str(lora), 9.0),)), clamp=True
    )
    assert req.loras[0].strength == 4.0 and "Using 4" in notes[0]
    pt = tmp_path / "x.pt"
    pt.write_bytes(b"x")
    with pytest.raises(RequestError, match="not a .safetensors"):
        check_request(GenerationRequest(prompt="p", loras=(LoraChoice(str(pt)),)))
    assert GenerationRequest(prompt="p").uses_demo_model
    assert not base.uses_demo_model


def test_doctor_model_describes_files_and_loras(capsys, comfy, tmp_path) -> None:
    lora = _lora(tmp_path / "my_lora.safetensors")
    code, out, _ = run_cli(
        capsys,
        [
            "doctor",
            "--model",
            str(comfy["umt5_fp8_e4m3fn_scaled.safetensors"]),
            str(comfy["dit_fp16_prefixed.safetensors"]),
            str(lora),
        ],
    )
    assert code == 0, out
    assert (
        "text encoder, ComfyUI file umt5_fp8_e4m3fn_scaled.safetensors" in out
        and "fp8 scaled" in out
    )
    assert (
        "dit, ComfyUI file dit_fp16_prefixed.safetensors, float16" in out
        and "618,048 parameters" in out
    )
    assert "LoRA (original style), 2 tensors, rank 2" in out and "self_attn.q" in out
    # a folder holding several DiTs is not usable as it is: said, and the exit code says so
    code, out, _ = run_cli(capsys, ["doctor", "--model", str(comfy["dit_bf16.safetensors"].parent)])
    assert code == 1 and "model folder" in out and "more than one DiT" in out
    code, out, _ = run_cli(capsys, ["doctor", "--model", str(tmp_path / "none.safetensors")])
    assert code == 1 and "does not exist" in out


def test_generate_with_comfy_files_and_a_lora(capsys, comfy, tmp_path) -> None:
    out = tmp_path / "c.mp4"
    lora = _lora(tmp_path / r"style.safetensors")
    args = cli_args(
        None,
        out,
        "--dit_file",
        str(comfy["dit_bf16.safetensors"]),
        "--t5_file",
        str(comfy["umt5_fp8_e4m3fn_scaled.safetensors"]),
        "--vae_file",
        str(comfy["wan2.2_vae.safetensors"]),
        "--lora",
        f"{lora}:0.5",
    )
    code, stdout, stderr = run_cli(capsys, args)
    assert code == 0, stdout + stderr
    assert out.is_file()
    assert "style.safetensors" in stdout + stderr
