"""The DiT: checkpoint names/shapes at full size, and float32 parity with diffusers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from engine.config import PRESETS, WanConfig, dit_config_from_tensors
from engine.nets.dit import Segments, WanModel, rope_angles

MANIFEST = Path(__file__).resolve().parents[2] / "shared" / "reference" / "checkpoint_manifest.json"


def _manifest_dit() -> dict[str, list[int]]:
    if not MANIFEST.exists():
        pytest.skip(f"{MANIFEST} is not beside this checkout")
    data = json.loads(MANIFEST.read_text())
    return data["diffusion_pytorch_model (3 safetensors shards)"]


def test_full_size_model_matches_checkpoint_names_and_shapes():
    shapes = _manifest_dit()
    cfg = dit_config_from_tensors(shapes, {"num_heads": 24})
    assert cfg == WanConfig()
    with torch.device("meta"):
        model = WanModel(cfg)
    ours = {k: list(v.shape) for k, v in model.state_dict().items()}
    assert len(shapes) == 825
    assert ours == {k: list(v) for k, v in shapes.items()}
    assert sum(p.numel() for p in model.parameters()) == 4_999_787_712


def test_rope_split_matches_design():
    assert WanConfig().rope_split() == (44, 42, 42)
    assert PRESETS["tiny"].dit.rope_split() == (12, 10, 10)
    angles = rope_angles(PRESETS["tiny"].dit, (3, 2, 4), torch.device("cpu"))
    assert angles.shape == (3 * 2 * 4, 16)
    # token (f=1, h=0, w=0): only the frame part rotates, by 1·θ^0 = 1 for its first pair
    assert angles[8, 0].item() == pytest.approx(1.0)
    assert torch.all(angles[8, 6:] == 0)


def _random_model(cfg: WanConfig, seed: int = 0) -> WanModel:
    torch.manual_seed(seed)
    model = WanModel(cfg).float().eval()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * 0.05)
    return model


def _diffusers_twin(model: WanModel):
    from diffusers import WanTransformer3DModel
    from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

    cfg = model.cfg
    twin = WanTransformer3DModel(
        patch_size=cfg.patch_size,
        num_attention_heads=cfg.num_heads,
        attention_head_dim=cfg.head_dim,
        in_channels=cfg.in_dim,
        out_channels=cfg.out_dim,
        text_dim=cfg.text_dim,
        freq_dim=cfg.freq_dim,
        ffn_dim=cfg.ffn_dim,
        num_layers=cfg.num_layers,
        cross_attn_norm=True,
        qk_norm="rms_norm_across_heads",
        eps=cfg.eps,
        rope_max_seq_len=1024,
    ).float().eval()
    converted = convert_wan_transformer_to_diffusers({k: v.clone() for k, v in model.state_dict().items()})
    twin.load_state_dict(converted, strict=True)
    return twin


def _rel(a: torch.Tensor, b: torch.Tensor) -> float:
    return ((a - b).norm() / b.norm()).item()


@pytest.mark.parametrize("image_conditioned", [False, True])
def test_parity_with_diffusers_float32(image_conditioned: bool):
    cfg = WanConfig(dim=96, ffn_dim=160, num_heads=2, num_layers=2, text_dim=40)
    model = _random_model(cfg)
    twin = _diffusers_twin(model)
    gen = torch.Generator().manual_seed(1)
    latents = torch.randn(1, 48, 3, 6, 10, generator=gen)  # tokens: 3·3·5 = 45
    context = torch.randn(1, 7, cfg.text_dim, generator=gen)  # 7 real text tokens
    t = 937.0
    per_frame = 3 * 5
    if image_conditioned:
        lengths, ts = [per_frame, 2 * per_frame], torch.tensor([[0.0, t]])
        per_token = torch.cat([torch.zeros(per_frame), torch.full((2 * per_frame,), t)])[None]
    else:
        lengths, ts = [3 * per_frame], torch.tensor([[t]])
        per_token = torch.full((1, 3 * per_frame), t)
    with torch.no_grad():
        ours = model(latents, ts, lengths, context)
        padded = torch.cat([context, context.new_zeros(1, 512 - 7, cfg.text_dim)], dim=1)
        theirs = twin(hidden_states=latents, timestep=per_token, encoder_hidden_states=padded, return_dict=False)[0]
    assert ours.shape == theirs.shape == (1, 48, 3, 6, 10)
    assert _rel(ours, theirs) <= 1e-5


def test_segments_modulate_matches_per_token():
    x = torch.randn(2, 10, 4)
    shift, scale = torch.randn(2, 2, 4), torch.randn(2, 2, 4)
    seg = Segments([3, 7])
    per_token_shift = torch.cat([shift[:, :1].expand(2, 3, 4), shift[:, 1:].expand(2, 7, 4)], dim=1)
    per_token_scale = torch.cat([scale[:, :1].expand(2, 3, 4), scale[:, 1:].expand(2, 7, 4)], dim=1)
    torch.testing.assert_close(seg.modulate(x, shift, scale), x * (1 + per_token_scale) + per_token_shift)
    y, gate = torch.randn(2, 10, 4), torch.randn(2, 2, 4)
    per_token_gate = torch.cat([gate[:, :1].expand(2, 3, 4), gate[:, 1:].expand(2, 7, 4)], dim=1)
    torch.testing.assert_close(seg.gated_add_(x.clone(), y, gate), x + y * per_token_gate)
