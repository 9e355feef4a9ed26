"""Whole runs through the engine on each weight format and with LoRAs (issue 14 §6):
the same weights in another layout give the same latents and video (float32, same seed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from engine import events as ev
from engine.request import GenerationRequest, LoraChoice
from engine.run.runner import Engine
from engine.weights.lora import match_lora, merge_into_state, parse_lora
from tests.formats_builders import (
    SPEC128,
    build_comfy_files,
    build_diffusers_folder,
    build_original_folder,
    fp16_exact,
    original_states,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fmtrun")
    states = fp16_exact(original_states(SPEC128))
    out = {
        "original": build_original_folder(root / "Wan2.2-TI2V-5B", states),
        "diffusers": build_diffusers_folder(root / "Wan2.2-TI2V-5B-Diffusers"),
    }
    comfy = build_comfy_files(root / "comfy")
    # the DiT files of the comfy set must hold the fp16-exact weights of `original`
    save_file(
        {f"model.diffusion_model.{k}": v.half() for k, v in states["dit"].items()},
        str(comfy["dit_fp16_prefixed.safetensors"]),
    )
    save_file(
        {k: v.half() for k, v in states["dit"].items()},
        str(comfy["dit_bf16.safetensors"].with_name("dit_fp16.safetensors")),
    )
    out.update({f"comfy/{k}": v for k, v in comfy.items()})
    out["comfy/dit_fp16.safetensors"] = comfy["dit_bf16.safetensors"].with_name(
        "dit_fp16.safetensors"
    )
    out["root"] = root
    return out


@pytest.fixture(scope="module")
def diffusers_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An original folder with exactly the (not fp16-rounded) weights of the Diffusers folder."""
    return build_original_folder(
        tmp_path_factory.mktemp("fmtref") / "Wan2.2-TI2V-5B", original_states(SPEC128)
    )


def _request(out: Path, **kw) -> GenerationRequest:
    base = dict(
        prompt="a red fox running in snow",
        width=64,
        height=64,
        frames=5,
        steps=3,
        seed=11,
        device="cpu",
        dtype="fp32",
        output_path=str(out),
        dump_tensors_dir=str(out.with_suffix("")),
    )
    base.update(kw)
    return GenerationRequest(**base)


def _run(engine: Engine, req: GenerationRequest) -> tuple[ev.Event, dict[str, torch.Tensor], list]:
    events: list = []
    final = engine.run(req, events.append)
    assert isinstance(final, ev.RunFinished), final
    d = Path(req.dump_tensors_dir)
    return (
        final,
        {**load_file(str(d / "latents.safetensors")), **load_file(str(d / "video.safetensors"))},
        events,
    )


def _same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> None:
    assert torch.equal(a["latents"], b["latents"])
    assert torch.equal(a["video"], b["video"])


def test_diffusers_folder_gives_the_original_folders_video(
    diffusers_reference, built, tmp_path
) -> None:
    _, ref, _ = _run(
        Engine(), _request(tmp_path / "o.mp4", checkpoint_dir=str(diffusers_reference))
    )
    final, got, events = _run(
        Engine(), _request(tmp_path / "d.mp4", checkpoint_dir=str(built["diffusers"]))
    )
    _same(got, ref)
    logs = " ".join(e.text for e in events if isinstance(e, ev.LogMessage))
    assert "Diffusers" in logs
    report = json.loads(Path(final.report_path).read_text())
    files = report["environment"]["model_files"]
    assert {f["part"]: f["format"] for f in files} == {
        "dit": "diffusers", "text_encoder": "diffusers", "vae": "diffusers", "tokenizer": "diffusers",
    }  # fmt: skip
    assert all(
        x["hash"].startswith("q1:") and x["size_bytes"] > 0 for f in files for x in f["files"]
    )


@pytest.mark.parametrize("dit", ["dit_fp16_prefixed.safetensors", "dit_fp16.safetensors"])
def test_comfy_files_give_the_original_folders_video(built, tmp_path, dit: str) -> None:
    """fp16 files of fp16-exact weights: the same tensors, so the same latents and video."""
    _, ref, _ = _run(Engine(), _request(tmp_path / "o.mp4", checkpoint_dir=str(built["original"])))
    req = _request(
        tmp_path / "c.mp4",
        dit_file=str(built[f"comfy/{dit}"]),
        t5_file=str(built["comfy/umt5_bf16.safetensors"]),
        vae_file=str(built["comfy/wan2.2_vae.safetensors"]),
    )
    _, got, _ = _run(Engine(), req)
    _same(got, ref)


def test_fp8_scaled_text_encoder_run(built, tmp_path) -> None:
    """The fp8-scaled umT5 stays fp8 in memory and gives the original's result within the
    fp8 rounding of its weights."""
    _, ref, _ = _run(Engine(), _request(tmp_path / "o.mp4", checkpoint_dir=str(built["original"])))
    engine = Engine()
    req = _request(
        tmp_path / "f.mp4",
        checkpoint_dir=str(built["original"]),
        t5_file=str(built["comfy/umt5_fp8_e4m3fn_scaled.safetensors"]),
    )
    _, got, _ = _run(engine, req)
    enc = engine.loaded.text_encoder.module
    assert enc.encoder.block[0].layer[0].SelfAttention.q.weight.dtype == torch.float8_e4m3fn
    assert (
        enc.encoder.block[0].layer[1].DenseReluDense.wo.weight.dtype == torch.float32
    )  # see load_part
    rel = (got["latents"] - ref["latents"]).abs().max() / ref["latents"].abs().max()
    assert 0 < rel < 0.05, rel
    # a different seed is far further away: the tolerance above is not vacuous
    _, other, _ = _run(
        Engine(), _request(tmp_path / "s.mp4", checkpoint_dir=str(built["original"]), seed=12)
    )
    assert (other["latents"] - ref["latents"]).abs().max() / ref["latents"].abs().max() > 10 * rel


def _lora_file(path: Path, dit_state) -> Path:
    g = torch.Generator().manual_seed(9)
    sd = {}
    for i in range(SPEC128.dit.num_layers):
        for m in ("self_attn.q", "self_attn.v", "cross_attn.k", "ffn.0", "ffn.2"):
            w = dit_state[f"blocks.{i}.{m}.weight"]
            sd[f"diffusion_model.blocks.{i}.{m}.lora_down.weight"] = (
                torch.randn(4, w.shape[1], generator=g) * 0.3
            )
            sd[f"diffusion_model.blocks.{i}.{m}.lora_up.weight"] = (
                torch.randn(w.shape[0], 4, generator=g) * 0.3
            )
            sd[f"diffusion_model.blocks.{i}.{m}.alpha"] = torch.tensor(8.0)
        sd[f"diffusion_model.blocks.{i}.ffn.2.diff_b"] = (
            torch.randn(dit_state[f"blocks.{i}.ffn.2.bias"].shape, generator=g) * 0.05
        )
    save_file(sd, str(path))
    return path


def test_lora_run_equals_a_premerged_folder_and_switches_without_reload(
    built, tmp_path, monkeypatch
) -> None:
    states = fp16_exact(original_states(SPEC128))
    lora_path = _lora_file(tmp_path / "my_lora.safetensors", states["dit"])
    shapes = {k: tuple(v.shape) for k, v in states["dit"].items()}
    merged = dict(states)
    merged["dit"] = merge_into_state(
        {k: v.clone() for k, v in states["dit"].items()},
        match_lora(parse_lora(lora_path), shapes),
        0.8,
    )
    premerged = build_original_folder(tmp_path / "premerged", merged)
    _, want, _ = _run(Engine(), _request(tmp_path / "m.mp4", checkpoint_dir=str(premerged)))
    _, base, _ = _run(Engine(), _request(tmp_path / "b.mp4", checkpoint_dir=str(built["original"])))

    engine = Engine()
    final, got, events = _run(
        engine,
        _request(
            tmp_path / "l.mp4",
            checkpoint_dir=str(built["original"]),
            loras=(LoraChoice(str(lora_path), 0.8),),
        ),
    )
    rel = (got["latents"] - want["latents"]).abs().max() / want["latents"].abs().max()
    assert rel < 1e-4, rel
    assert (got["video"] - want["video"]).abs().max() < 1e-3
    assert not torch.equal(got["latents"], base["latents"])  # the LoRA did something
    report = json.loads(Path(final.report_path).read_text())
    (rec,) = report["environment"]["loras"]
    assert (
        rec["strength"] == 0.8
        and rec["style"] == "original"
        and rec["applied_tensors"] == rec["tensors"]
    )
    assert rec["hash"].startswith("q1:")
    assert any(
        "LoRA my_lora.safetensors: all" in e.text for e in events if isinstance(e, ev.LogMessage)
    )

    # strength 0, then no LoRA: the base run exactly, and nothing read from the model files
    models = engine.loaded
    import engine.weights.parts as parts_mod

    def no_read(*a, **k):
        raise AssertionError("the model was read from disk again")

    monkeypatch.setattr(parts_mod, "iter_tensors", no_read)
    _, zero, _ = _run(
        engine,
        _request(
            tmp_path / "z.mp4",
            checkpoint_dir=str(built["original"]),
            loras=(LoraChoice(str(lora_path), 0.0),),
        ),
    )
    _same(zero, base)
    _, none, _ = _run(engine, _request(tmp_path / "n.mp4", checkpoint_dir=str(built["original"])))
    _same(none, base)
    _, again, _ = _run(
        engine,
        _request(
            tmp_path / "a.mp4",
            checkpoint_dir=str(built["original"]),
            loras=(LoraChoice(str(lora_path), 0.8),),
        ),
    )
    assert torch.equal(again["latents"], got["latents"])
    assert engine.loaded is models  # the same loaded model throughout


def test_lora_of_another_model_fails_the_run_cleanly(built, tmp_path) -> None:
    f = tmp_path / "wan14b_lora.safetensors"
    save_file(
        {
            "diffusion_model.blocks.0.self_attn.q.lora_down.weight": torch.zeros(4, 5120),
            "diffusion_model.blocks.0.self_attn.q.lora_up.weight": torch.zeros(5120, 4),
        },
        str(f),
    )
    events: list = []
    final = Engine().run(
        _request(
            tmp_path / "x.mp4", checkpoint_dir=str(built["original"]), loras=(LoraChoice(str(f)),)
        ),
        events.append,
    )
    assert isinstance(final, ev.RunFailed) and final.kind == "bad_checkpoint"
    assert "wan14b_lora.safetensors" in final.message and "blocks.0.self_attn.q" in final.message
