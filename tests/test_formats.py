"""Weight formats (engine/weights/formats): detection per part, readers under the original
names, refusals. Files are written by diffusers/transformers/safetensors themselves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from engine.errors import CheckpointError
from engine.weights.formats import detect_parts, inspect_file
from engine.weights.formats import keys as fkeys
from engine.weights.formats.readers import iter_tensors, read_state
from tests.formats_builders import (
    FP8,
    SPEC128,
    build_comfy_files,
    build_diffusers_folder,
    original_states,
)


@pytest.fixture(scope="module")
def diffusers_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_diffusers_folder(tmp_path_factory.mktemp("fmt") / "Wan2.2-TI2V-5B-Diffusers")


@pytest.fixture(scope="module")
def comfy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_comfy_files(tmp_path_factory.mktemp("fmt") / "comfy")


@pytest.fixture(scope="module")
def reference() -> dict[str, dict[str, torch.Tensor]]:
    return original_states(SPEC128)


def test_detection_is_torch_free() -> None:
    code = (
        "import sys, engine.weights.formats as f; "
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def test_original_folder_detected(tiny_checkpoint_dir: Path) -> None:
    found = detect_parts(tiny_checkpoint_dir).check()
    assert {p: found.parts[p].format for p in found.parts} == {
        "dit": "original", "text_encoder": "original", "vae": "original", "tokenizer": "original",
    }  # fmt: skip
    assert found.parts["dit"].dtype == "float32" and len(found.parts["dit"].files) == 3


def test_diffusers_folder_reads_the_original_tensors(diffusers_dir: Path, reference) -> None:
    found = detect_parts(diffusers_dir).check()
    assert {p.format for p in found.parts.values()} == {"diffusers"}
    assert len(found.parts["text_encoder"].files) >= 2  # sharded, read through the index
    assert found.parts["text_encoder"].dtype == "bfloat16"
    for part in ("dit", "text_encoder", "vae"):
        state = read_state(found.parts[part])
        ref = reference[part]
        assert set(state) == set(ref), part
        for k, v in ref.items():
            assert torch.equal(state[k].to(v.dtype), v), (part, k)
    assert found.parts["dit"].config["num_attention_heads"] == SPEC128.dit.num_heads


@pytest.mark.parametrize(
    "name, part, exact",
    [
        ("dit_fp32.safetensors", "dit", True),
        ("dit_fp16_prefixed.safetensors", "dit", False),
        ("dit_bf16.safetensors", "dit", False),
        ("umt5_bf16.safetensors", "text_encoder", True),
        ("umt5_fp16.safetensors", "text_encoder", False),
        ("wan2.2_vae.safetensors", "vae", True),
    ],
)
def test_comfy_single_files(comfy, reference, name: str, part: str, exact: bool) -> None:
    found, problems = inspect_file(comfy[name])
    assert not problems and found is not None and found.part == part and found.format == "comfyui"
    assert found.prefix == ("model.diffusion_model." if "prefixed" in name else "")
    state = read_state(found)
    assert set(state) == set(reference[part])
    for k, v in reference[part].items():
        got = state[k]
        # a file stored in fp16/bf16 holds exactly the fp16/bf16 rounding of the weights
        want = v if exact else v.to(got.dtype)
        assert torch.equal(got, want.to(got.dtype)), k


def test_fp8_scaled_text_encoder(comfy, reference) -> None:
    found, problems = inspect_file(comfy["umt5_fp8_e4m3fn_scaled.safetensors"])
    assert not problems and found.quantization == "fp8 scaled"
    seen_fp8 = 0
    for name, t, scale in iter_tensors(found):
        if t.dtype == FP8:
            seen_fp8 += 1
            assert scale is not None and scale.dtype == torch.float32
            w = t.float() * scale  # the published rule
            ref = reference["text_encoder"][name].float()
            # e4m3 keeps 3 mantissa bits: relative error ≤ 2^-4 of the value, plus the
            # subnormal floor of the scale
            tol = ref.abs() * 2**-4 + scale * 2**-9
            assert torch.all((w - ref).abs() <= tol), name
    assert seen_fp8 == SPEC128.t5.num_layers * 7


def test_mixed_set_and_overrides(diffusers_dir: Path, comfy) -> None:
    found = detect_parts(
        diffusers_dir,
        dit=comfy["dit_fp16_prefixed.safetensors"],
        vae=comfy["wan2.2_vae.safetensors"],
    ).check()
    assert found.parts["dit"].format == "comfyui" and found.parts["vae"].format == "comfyui"
    assert found.parts["text_encoder"].format == "diffusers"
    assert found.parts["tokenizer"].format == "diffusers"
    lines = "\n".join(found.describe_lines())
    assert "dit_fp16_prefixed.safetensors" in lines and "float16" in lines


def test_single_files_find_the_tokenizer_next_to_them(comfy) -> None:
    found = detect_parts(
        dit=comfy["dit_bf16.safetensors"],
        text_encoder=comfy["umt5_fp8_e4m3fn_scaled.safetensors"],
        vae=comfy["wan2.2_vae.safetensors"],
    ).check()
    assert (
        found.parts["tokenizer"].files[0]
        == comfy["dit_bf16.safetensors"].parent / "google" / "umt5-xxl"
    )


def test_missing_tokenizer_names_the_command(tmp_path: Path, comfy) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    for n in ("dit_bf16.safetensors", "umt5_bf16.safetensors", "wan2.2_vae.safetensors"):
        (lone / n).write_bytes(comfy[n].read_bytes())
    found = detect_parts(lone)
    assert set(found.missing) == {"tokenizer"} and not found.problems
    with pytest.raises(CheckpointError) as e:
        found.check()
    text = str(e.value)
    assert 'huggingface-cli download Wan-AI/Wan2.2-TI2V-5B --include "google/umt5-xxl/*"' in text
    assert str(lone) in text and "20 MB" in text


def test_missing_parts_each_named(tmp_path: Path, comfy) -> None:
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "d.safetensors").write_bytes(comfy["dit_bf16.safetensors"].read_bytes())
    found = detect_parts(tmp_path / "only")
    assert list(found.missing) == ["text_encoder", "vae", "tokenizer"]
    assert "text encoder (umT5-XXL) is missing" in found.summary()


def _fake_dit(path: Path, dim: int, in_dim: int, prefix: str = "") -> Path:
    """A header-true DiT file: the tensors detection looks at, at their real shapes."""
    z = torch.zeros
    save_file(
        {
            f"{prefix}patch_embedding.weight": z(dim, in_dim, 1, 2, 2, dtype=torch.float16),
            f"{prefix}head.modulation": z(1, 2, dim, dtype=torch.float16),
            f"{prefix}blocks.0.self_attn.q.bias": z(dim, dtype=torch.float16),
        },
        str(path),
    )
    return path


@pytest.mark.parametrize(
    "dim, in_dim, words",
    [
        (5120, 16, "14B text-to-video"),
        (5120, 36, "14B image-to-video"),
        (1536, 16, "Wan2.1 1.3B"),
        (3072, 16, "Wan2.1-family"),
    ],
)
def test_other_wan_dits_refused_by_name(tmp_path: Path, dim: int, in_dim: int, words: str) -> None:
    f = _fake_dit(tmp_path / "wan2.x.safetensors", dim, in_dim, "model.diffusion_model.")
    found, problems = inspect_file(f, want="dit")
    assert found is None and words in problems[0] and "Wan2.2-TI2V-5B" in problems[0]
    with pytest.raises(CheckpointError, match=words):
        detect_parts(dit=f).check()


def test_wan21_vae_refused(tmp_path: Path) -> None:
    f = tmp_path / "wan_2.1_vae.safetensors"
    save_file({"decoder.upsamples.0.residual.2.weight": torch.zeros(4, 4, 3, 3, 3)}, str(f))
    found, problems = inspect_file(f, want="vae")
    assert found is None and "Wan2.1 VAE" in problems[0]


def test_flux_t5_refused(tmp_path: Path) -> None:
    f = tmp_path / "t5xxl_fp16.safetensors"
    blk = "encoder.block.{}.layer.0.SelfAttention.{}"
    save_file(
        {
            "shared.weight": torch.zeros(8, 4),
            blk.format(0, "q.weight"): torch.zeros(4, 4),
            blk.format(0, "relative_attention_bias.weight"): torch.zeros(32, 2),
            blk.format(1, "q.weight"): torch.zeros(4, 4),
        },
        str(f),
    )
    found, problems = inspect_file(f, want="text_encoder")
    assert found is None and "not umT5" in problems[0]


def test_a_part_given_in_the_wrong_place(comfy) -> None:
    found = detect_parts(dit=comfy["wan2.2_vae.safetensors"])
    assert any("given as the DiT" in p and "VAE" in p for p in found.problems)


def test_truncated_single_file(tmp_path: Path, comfy) -> None:
    f = tmp_path / "cut.safetensors"
    data = comfy["dit_bf16.safetensors"].read_bytes()
    f.write_bytes(data[: len(data) - 100])
    found = detect_parts(dit=f)
    assert any("cut.safetensors is truncated" in p for p in found.problems)
    with pytest.raises(CheckpointError, match="truncated"):
        found.check()


def test_truncated_diffusers_shard(tmp_path: Path, diffusers_dir: Path) -> None:
    import shutil

    copy = tmp_path / "d"
    shutil.copytree(diffusers_dir, copy)
    shard = sorted((copy / "text_encoder").glob("model-*.safetensors"))[0]
    shard.write_bytes(shard.read_bytes()[:-10])
    with pytest.raises(CheckpointError, match=f"{shard.name} is truncated"):
        detect_parts(copy).check()
    (copy / "vae" / "diffusion_pytorch_model.safetensors").unlink()
    assert "vae" in detect_parts(copy).missing


def test_scaled_fp8_missing_scales_refused(tmp_path: Path, comfy) -> None:
    state = load_file(str(comfy["umt5_fp8_e4m3fn_scaled.safetensors"]))
    victim = "encoder.block.1.layer.1.DenseReluDense.wo"
    del state[victim + ".scale_weight"]
    f = tmp_path / "umt5_fp8_scaled_broken.safetensors"
    save_file(state, str(f))
    found, problems = inspect_file(f, want="text_encoder")
    assert found is None and f"{victim}.weight has no {victim}.scale_weight" in problems[0]


def test_a14b_folder_and_a_lora_refused(tmp_path: Path) -> None:
    (tmp_path / "a14b" / "high_noise_model").mkdir(parents=True)
    (tmp_path / "a14b" / "config.json").write_text(json.dumps({"model_type": "t2v", "dim": 5120}))
    assert "A14B" in (detect_parts(tmp_path / "a14b").refused or "")
    lora = tmp_path / "x_lora.safetensors"
    save_file({"diffusion_model.blocks.0.self_attn.q.lora_A.weight": torch.zeros(2, 8)}, str(lora))
    found, problems = inspect_file(lora, want="dit")
    assert found is None and "LoRA" in problems[0]


def test_key_maps_are_inverse_of_diffusers_and_ours(reference) -> None:
    from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

    from engine.nets.text_encoder import map_t5_key
    from engine.nets.vae import map_vae_key

    dit = reference["dit"]
    converted = convert_wan_transformer_to_diffusers(dict.fromkeys(dit, torch.zeros(1)))
    back = {fkeys.dit_from_diffusers(k) for k in converted}
    assert back == set(dit)
    assert {fkeys.dit_to_diffusers(k) for k in dit} == set(converted)
    assert all(fkeys.t5_from_hf(map_t5_key(k)) == k for k in reference["text_encoder"])
    assert all(fkeys.vae_from_diffusers(map_vae_key(k)) == k for k in reference["vae"])
    with pytest.raises(KeyError):
        fkeys.dit_from_diffusers("blocks.0.attn2.add_k_proj.weight")  # I2V-only
