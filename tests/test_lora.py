"""LoRAs (engine/weights/lora.py): the three key styles against diffusers' own LoRA reading,
the merge math, the side path on a live model (fp8 and block offload included), switching
without the disk, partial matches and refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from engine.errors import CheckpointError
from engine.nets.dit import WanModel
from engine.weights import fp8 as fp8m
from engine.weights.formats import keys as fkeys
from engine.weights.lora import (
    LoraState,
    apply_loras,
    match_lora,
    merge_into_state,
    parse_lora,
    remove_loras,
)
from tests.formats_builders import SPEC128, original_states

LINEARS = [f"{a}.{p}" for a in ("self_attn", "cross_attn") for p in "qkvo"] + ["ffn.0", "ffn.2"]
RANK = 4


@pytest.fixture(scope="module")
def dit_state() -> dict[str, torch.Tensor]:
    return original_states(SPEC128)["dit"]


def _factors(state, seed: int = 3, blocks=None, alpha: float | None = 8.0, bias: bool = True):
    """module → (down [r,in], up [out,r], alpha, diff_b) for the 10 linears of each block."""
    g = torch.Generator().manual_seed(seed)
    n = SPEC128.dit.num_layers
    out = {}
    for i in blocks if blocks is not None else range(n):
        for m in LINEARS:
            w = state[f"blocks.{i}.{m}.weight"]
            down = torch.randn(RANK, w.shape[1], generator=g) * 0.1
            up = torch.randn(w.shape[0], RANK, generator=g) * 0.1
            db = torch.randn(w.shape[0], generator=g) * 0.01 if bias else None
            out[f"blocks.{i}.{m}"] = (down, up, alpha, db)
    return out


def write_lora(path: Path, factors, style: str) -> Path:
    """The same LoRA in one of the three key styles (DESIGN.md §7)."""
    sd: dict[str, torch.Tensor] = {}
    meta = None
    for module, (down, up, alpha, db) in factors.items():
        if style == "original":
            base = f"diffusion_model.{module}"
            sd[f"{base}.lora_down.weight"], sd[f"{base}.lora_up.weight"] = down, up
            if alpha is not None:
                sd[f"{base}.alpha"] = torch.tensor(alpha)
            if db is not None:
                sd[f"{base}.diff_b"] = db
        elif style == "original_AB":  # lora_A/lora_B, no alpha (factor 1)
            base = f"diffusion_model.{module}"
            sd[f"{base}.lora_A.weight"], sd[f"{base}.lora_B.weight"] = down, up
        elif style == "kohya":
            base = "lora_unet_" + module.replace(".", "_")
            sd[f"{base}.lora_down.weight"], sd[f"{base}.lora_up.weight"] = down, up
            if alpha is not None:
                sd[f"{base}.alpha"] = torch.tensor(alpha)
        elif style == "diffusers":
            base = "transformer." + fkeys.dit_to_diffusers(module)
            sd[f"{base}.lora_A.weight"], sd[f"{base}.lora_B.weight"] = down, up
            meta = {"lora_adapter_metadata": json.dumps({"r": RANK, "lora_alpha": alpha})}
    save_file({k: v.contiguous() for k, v in sd.items()}, str(path), metadata=meta)
    return path


def _diffusers_merged(dit_state, lora_path: Path, strength: float) -> dict[str, torch.Tensor]:
    """The reference: diffusers reads the file (its own style detection and converters) and
    the PEFT update ``W += s·scaling·(B @ A)``, ``b += s·lora_B.bias`` is applied to the
    diffusers-named weights."""
    from diffusers import WanPipeline
    from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

    sd, meta = WanPipeline.lora_state_dict(str(lora_path), return_lora_metadata=True)
    scaling = 1.0  # the converters fold alpha/rank into A and B
    if meta:
        scaling = float(meta["lora_alpha"]) / float(meta["r"])
    ref = convert_wan_transformer_to_diffusers({k: v.clone() for k, v in dit_state.items()})
    for k, a in sd.items():
        if not k.endswith(".lora_A.weight"):
            continue
        mod = k[len("transformer.") : -len(".lora_A.weight")]
        b = sd[k.replace("lora_A", "lora_B")]
        w = ref[f"{mod}.weight"]
        ref[f"{mod}.weight"] = (w.float() + strength * scaling * (b.float() @ a.float())).to(
            w.dtype
        )
        if (bias := sd.get(f"transformer.{mod}.lora_B.bias")) is not None:
            ref[f"{mod}.bias"] = (ref[f"{mod}.bias"].float() + strength * bias.float()).to(w.dtype)
    return ref


def _ours_merged(dit_state, lora_path: Path, strength: float) -> dict[str, torch.Tensor]:
    from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

    shapes = {k: tuple(v.shape) for k, v in dit_state.items()}
    merged = merge_into_state(
        {k: v.clone() for k, v in dit_state.items()},
        match_lora(parse_lora(lora_path), shapes),
        strength,
    )
    return convert_wan_transformer_to_diffusers(merged)


@pytest.mark.parametrize("style", ["original", "original_AB", "kohya", "diffusers"])
@pytest.mark.parametrize("strength", [1.0, 0.6])
def test_each_style_merges_like_diffusers(tmp_path, dit_state, style: str, strength: float) -> None:
    f = write_lora(
        tmp_path / f"{style}.safetensors", _factors(dit_state, bias=style == "original"), style
    )
    lora = parse_lora(f)
    assert lora.style == style.split("_")[0]
    assert len(lora.targets) == SPEC128.dit.num_layers * 10
    ref = _diffusers_merged(dit_state, f, strength)
    ours = _ours_merged(dit_state, f, strength)
    assert set(ours) == set(ref)
    changed = 0
    for k, v in ref.items():
        torch.testing.assert_close(ours[k], v, rtol=1e-6, atol=1e-7, msg=k)
        changed += not torch.equal(v, dit_state_diffusers(dit_state)[k])
    assert changed >= SPEC128.dit.num_layers * 10  # the LoRA did change the weights


_DS_CACHE: dict[int, dict[str, torch.Tensor]] = {}


def dit_state_diffusers(dit_state):
    from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

    key = id(dit_state)
    if key not in _DS_CACHE:
        _DS_CACHE[key] = convert_wan_transformer_to_diffusers(dict(dit_state))
    return _DS_CACHE[key]


def test_diff_and_diff_b_math(tmp_path, dit_state) -> None:
    g = torch.Generator().manual_seed(5)
    diff = torch.randn(dit_state["blocks.1.norm3.weight"].shape, generator=g)
    diff_w = torch.randn(dit_state["blocks.0.ffn.2.weight"].shape, generator=g)
    diff_b = torch.randn(dit_state["blocks.0.ffn.2.bias"].shape, generator=g)
    f = tmp_path / "diff.safetensors"
    save_file(
        {
            "diffusion_model.blocks.1.norm3.diff": diff,
            "diffusion_model.blocks.0.ffn.2.diff": diff_w,
            "diffusion_model.blocks.0.ffn.2.diff_b": diff_b,
        },
        str(f),
    )
    shapes = {k: tuple(v.shape) for k, v in dit_state.items()}
    m = match_lora(parse_lora(f), shapes)
    out = merge_into_state({k: v.clone() for k, v in dit_state.items()}, m, 0.5)
    torch.testing.assert_close(
        out["blocks.1.norm3.weight"], dit_state["blocks.1.norm3.weight"] + 0.5 * diff
    )
    torch.testing.assert_close(
        out["blocks.0.ffn.2.weight"], dit_state["blocks.0.ffn.2.weight"] + 0.5 * diff_w
    )
    torch.testing.assert_close(
        out["blocks.0.ffn.2.bias"], dit_state["blocks.0.ffn.2.bias"] + 0.5 * diff_b
    )


# ------------------------------------------------------------------------- live model


def _model(dit_state) -> WanModel:
    with torch.device("meta"):
        model = WanModel(SPEC128.dit)
    model.load_state_dict({k: v.clone() for k, v in dit_state.items()}, assign=True)
    return model.eval()


def _inputs():
    g = torch.Generator().manual_seed(11)
    latents = torch.randn(1, 48, 2, 4, 6, generator=g)  # tokens 2·2·3 = 12
    context = torch.randn(1, 5, SPEC128.dit.text_dim, generator=g)
    return latents, torch.tensor([[700.0]]), [12], context


def _run(model) -> torch.Tensor:
    with torch.no_grad():
        return model(*_inputs())


@pytest.mark.parametrize("style", ["original", "kohya", "diffusers"])
def test_side_path_equals_premerged_model(tmp_path, dit_state, style: str) -> None:
    f = write_lora(tmp_path / "l.safetensors", _factors(dit_state, bias=style == "original"), style)
    lora = parse_lora(f)
    shapes = {k: tuple(v.shape) for k, v in dit_state.items()}
    premerged = _model(
        merge_into_state(
            {k: v.clone() for k, v in dit_state.items()}, match_lora(lora, shapes), 0.8
        )
    )
    model = _model(dit_state)
    state = apply_loras(model, [(lora, 0.8)], LoraState(), compute_dtype=torch.float32)
    assert len(state.side_modules) == SPEC128.dit.num_layers * 10
    assert "all" in state.applied[0]
    a, b = _run(model), _run(premerged)
    assert (a - b).abs().max() / b.abs().max() < 1e-5
    assert not torch.equal(_run(_model(dit_state)), a)  # the LoRA changes the output


def test_strength_zero_and_removal_restore_exactly(tmp_path, dit_state) -> None:
    f = write_lora(tmp_path / "l.safetensors", _factors(dit_state), "original")
    base = _run(_model(dit_state))
    model = _model(dit_state)
    state = apply_loras(model, [(parse_lora(f), 0.0)], LoraState(), compute_dtype=torch.float32)
    assert torch.equal(_run(model), base)
    apply_loras(model, [(parse_lora(f), 1.0)], state, compute_dtype=torch.float32)
    assert state.merged_backups  # diff_b merged in place, originals kept
    remove_loras(model, state)
    assert torch.equal(_run(model), base)
    for k, v in model.state_dict().items():
        assert torch.equal(v, dit_state[k]), k


def test_switching_loras_needs_no_disk(tmp_path, dit_state, monkeypatch) -> None:
    fa = write_lora(tmp_path / "a.safetensors", _factors(dit_state, seed=1), "original")
    fb = write_lora(tmp_path / "b.safetensors", _factors(dit_state, seed=2), "kohya")
    la, lb = parse_lora(fa), parse_lora(fb)  # read once, like the engine's cache
    fresh = _model(dit_state)
    apply_loras(fresh, [(lb, 0.7)], LoraState(), compute_dtype=torch.float32)
    want_b = _run(fresh)
    model = _model(dit_state)
    state = apply_loras(model, [(la, 1.0)], LoraState(), compute_dtype=torch.float32)

    def no_disk(*a, **k):
        raise AssertionError("a LoRA switch read a file")

    import safetensors

    monkeypatch.setattr(safetensors, "safe_open", no_disk)
    monkeypatch.setattr(torch, "load", no_disk)
    apply_loras(model, [(lb, 0.7)], state, compute_dtype=torch.float32)
    assert torch.equal(_run(model), want_b)
    apply_loras(model, [(la, 0.5), (lb, 0.7)], state, compute_dtype=torch.float32)  # two at once
    both = _run(model)
    shapes = {k: tuple(v.shape) for k, v in dit_state.items()}
    merged = {k: v.clone() for k, v in dit_state.items()}
    merge_into_state(merged, match_lora(la, shapes), 0.5)
    merge_into_state(merged, match_lora(lb, shapes), 0.7)
    ref = _run(_model(merged))
    assert (both - ref).abs().max() / ref.abs().max() < 1e-5


def test_fp8_weights_with_a_lora(tmp_path, dit_state) -> None:
    """Block linears kept in fp8 (scaled) carry a LoRA; equal to the dequantized merge."""
    model = _model(dit_state)
    deq = {k: v.clone() for k, v in dit_state.items()}
    for name, mod in model.named_modules():
        if name.startswith("blocks.") and isinstance(mod, torch.nn.Linear):
            w8, scale = fp8m.quantize_scaled(mod.weight.data)
            fp8m.assign_fp8(mod, w8, scale, "cpu")
            deq[f"{name}.weight"] = fp8m.dequantize(w8, scale, torch.float32)
    assert fp8m.fp8_bytes(model) > 0
    assert model.blocks[0].self_attn.q.weight.dtype == torch.float8_e4m3fn
    torch.testing.assert_close(_run(model), _run(_model(deq)), rtol=1e-5, atol=1e-6)
    f = write_lora(tmp_path / "l.safetensors", _factors(dit_state, bias=False), "original")
    lora = parse_lora(f)
    apply_loras(model, [(lora, 1.0)], LoraState(), compute_dtype=torch.float32)
    assert model.blocks[0].self_attn.q.weight.dtype == torch.float8_e4m3fn  # still fp8
    shapes = {k: tuple(v.shape) for k, v in dit_state.items()}
    ref = _run(_model(merge_into_state(deq, match_lora(lora, shapes), 1.0)))
    out = _run(model)
    assert (out - ref).abs().max() / ref.abs().max() < 1e-5


def test_block_offload_streams_the_lora(tmp_path, dit_state) -> None:
    """A LoRA on block 0 only: blocks get equal factor shapes, so BlockStreamer (which needs
    identical blocks) streams them, and the result equals the resident model's."""
    from engine.run.offload import BlockStreamer
    from engine.telemetry import TransferMeter

    f = write_lora(
        tmp_path / "l.safetensors", _factors(dit_state, blocks=[0], bias=False), "original"
    )
    lora = parse_lora(f)
    resident = _model(dit_state)
    apply_loras(resident, [(lora, 1.0)], LoraState(), compute_dtype=torch.float32)
    want = _run(resident)
    model = _model(dit_state)
    apply_loras(model, [(lora, 1.0)], LoraState(), compute_dtype=torch.float32)
    assert (
        model.blocks[1].self_attn.q.lora_down.shape == model.blocks[0].self_attn.q.lora_down.shape
    )
    meter = TransferMeter()
    streamer = BlockStreamer(list(model.blocks), torch.device("cpu"), meter)
    try:
        got = _run(model)
    finally:
        streamer.remove()
    assert torch.equal(got, want)
    assert any(k.endswith("lora_down") for k in streamer._host[0])


# ------------------------------------------------------------------------- refusals


def test_partial_match_counts(tmp_path, dit_state) -> None:
    fac = _factors(dit_state, blocks=[0], bias=False)
    sd = {}
    for module, (down, up, _a, _b) in fac.items():
        sd[f"diffusion_model.{module}.lora_A.weight"] = down
        sd[f"diffusion_model.{module}.lora_B.weight"] = up
    # an I2V-only module (the image branch of Wan2.1 I2V): no such module here
    sd["diffusion_model.blocks.0.cross_attn.k_img.lora_A.weight"] = torch.zeros(RANK, 128)
    sd["diffusion_model.blocks.0.cross_attn.k_img.lora_B.weight"] = torch.zeros(128, RANK)
    f = tmp_path / "partial.safetensors"
    save_file(sd, str(f))
    m = match_lora(parse_lora(f), {k: tuple(v.shape) for k, v in dit_state.items()})
    assert m.applied_tensors == 20 and len(m.unmatched) == 2
    assert "20 of 22 tensors applied" in m.message() and "k_img" in m.message()


def test_another_models_lora_refused_with_first_key(tmp_path, dit_state) -> None:
    # a 14B LoRA: same names, other widths
    f = tmp_path / "wan14b_lora.safetensors"
    save_file(
        {
            "diffusion_model.blocks.0.self_attn.q.lora_down.weight": torch.zeros(RANK, 5120),
            "diffusion_model.blocks.0.self_attn.q.lora_up.weight": torch.zeros(5120, RANK),
        },
        str(f),
    )
    shapes = {k: tuple(v.shape) for k, v in dit_state.items()}
    with pytest.raises(CheckpointError) as e:
        match_lora(parse_lora(f), shapes)
    assert "wan14b_lora.safetensors" in str(e.value)
    assert "blocks.0.self_attn.q.lora_down.weight" in str(e.value)
    # a LoRA of another model family (an SD/Flux UNet LoRA)
    g = tmp_path / "flux_lora.safetensors"
    save_file(
        {
            "lora_unet_double_blocks_0_img_attn_qkv.lora_down.weight": torch.zeros(RANK, 8),
            "lora_unet_double_blocks_0_img_attn_qkv.lora_up.weight": torch.zeros(8, RANK),
        },
        str(g),
    )
    with pytest.raises(CheckpointError, match="double_blocks_0.*another model's LoRA"):
        match_lora(parse_lora(g), shapes)


def test_unknown_keys_and_damaged_files_refused(tmp_path) -> None:
    f = tmp_path / "odd.safetensors"
    save_file(
        {
            "diffusion_model.blocks.0.self_attn.q.lora_A.weight": torch.zeros(2, 8),
            "foo": torch.zeros(1),
        },
        str(f),
    )
    with pytest.raises(CheckpointError, match="'foo'"):
        parse_lora(f)
    cut = tmp_path / "cut.safetensors"
    data = (tmp_path / "odd.safetensors").read_bytes()
    cut.write_bytes(data[:-4])
    with pytest.raises(CheckpointError, match="cut.safetensors.*damaged or truncated"):
        parse_lora(cut)
    dora = tmp_path / "dora.safetensors"
    save_file({"diffusion_model.blocks.0.self_attn.q.dora_scale": torch.zeros(8)}, str(dora))
    with pytest.raises(CheckpointError, match="DoRA"):
        parse_lora(dora)


def test_describe(tmp_path, dit_state) -> None:
    f = write_lora(tmp_path / "l.safetensors", _factors(dit_state), "kohya")
    text = parse_lora(f).describe()
    assert "kohya style" in text and f"rank {RANK}" in text and "alpha 8" in text
    assert "self_attn.q" in text and "ffn.2" in text and "blocks 0–1" in text
