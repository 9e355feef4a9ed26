"""Wan2.2 VAE: key mapping, config inference, encode/decode parity with diffusers (engine/nets/vae.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from diffusers import AutoencoderKLWan

from engine.cancel import CancelToken
from engine.config import PRESETS, VAEConfig, model_constants
from engine.errors import Cancelled, CheckpointError
from engine.nets.vae import (
    WanVAE,
    build_diffusers_vae,
    map_vae_key,
    unmap_vae_key,
    vae_config_from_tensors,
)
from engine.weights.folder import VAE_FILE
from engine.weights.stream import load_pth

VAE_MANIFEST_KEY = "Wan2.2_VAE.pth"


def test_manifest_maps_onto_full_size_diffusers_vae(manifest: dict) -> None:
    wan = manifest[VAE_MANIFEST_KEY]
    assert len(wan) == 196
    cfg = vae_config_from_tensors(wan)
    assert cfg == VAEConfig()
    hf = {k: list(v.shape) for k, v in build_diffusers_vae(cfg).state_dict().items()}
    mapped = {map_vae_key(k): s for k, s in wan.items()}
    assert len(mapped) == 196 and mapped == hf
    assert all(unmap_vae_key(map_vae_key(k), cfg.num_res_blocks) == k for k in wan)


def test_unknown_key_rejected() -> None:
    for bad in (
        "encoder.middle.3.residual.0.gamma",
        "decoder.upsamples.0.upsamples.0.residual.9.weight",
        "x",
    ):
        with pytest.raises(KeyError):
            map_vae_key(bad)


def _reference_vae(folder: Path) -> AutoencoderKLWan:
    """diffusers' AutoencoderKLWan loaded with its own strict ``load_state_dict`` (float32)."""
    wan = load_pth(folder / VAE_FILE)
    ref = build_diffusers_vae(
        vae_config_from_tensors({k: v.shape for k, v in wan.items()}), device="cpu"
    )
    ref.load_state_dict({map_vae_key(k): v.float() for k, v in wan.items()}, strict=True)
    return ref.eval()


def _rel(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).norm() / b.norm())


@pytest.fixture(scope="module")
def vae32(tiny_checkpoint_dir: Path) -> WanVAE:
    return WanVAE.load(tiny_checkpoint_dir, torch.float32, "cpu")


def test_config_inferred_from_tiny(vae32: WanVAE) -> None:
    assert vae32.config == PRESETS["tiny"].vae


def test_decode_stream_matches_diffusers_decode(vae32: WanVAE, tiny_checkpoint_dir: Path) -> None:
    g = torch.Generator().manual_seed(1)
    z = torch.randn(48, 3, 2, 3, generator=g)  # 3 latent frames → 1 + 4 + 4 video frames
    chunks = list(vae32.decode_stream(z))
    assert [c.shape for c in chunks] == [(3, 1, 32, 48), (3, 4, 32, 48), (3, 4, 32, 48)]
    assert all(c.dtype == torch.float32 and c.device.type == "cpu" for c in chunks)
    video = torch.cat(chunks, dim=1)
    consts = model_constants()
    mean = torch.tensor(consts["vae_latents_mean"]).view(1, 48, 1, 1, 1)
    std = torch.tensor(consts["vae_latents_std"]).view(1, 48, 1, 1, 1)
    with torch.no_grad():
        ref = _reference_vae(tiny_checkpoint_dir).decode(z[None] * std + mean).sample[0]
    assert video.shape == ref.shape == (3, 9, 32, 48)
    assert _rel(video, ref) <= 1e-5 and ref.abs().mean() > 1e-3
    assert torch.equal(vae32.decode(z), video)


def test_encode_image_matches_diffusers(vae32: WanVAE, tiny_checkpoint_dir: Path) -> None:
    g = torch.Generator().manual_seed(2)
    img = torch.rand(3, 1, 32, 64, generator=g) * 2 - 1
    z = vae32.encode_image(img)
    assert z.shape == (48, 1, 2, 4) and z.dtype == torch.float32
    consts = model_constants()
    mean = torch.tensor(consts["vae_latents_mean"]).view(1, 48, 1, 1, 1)
    std = torch.tensor(consts["vae_latents_std"]).view(1, 48, 1, 1, 1)
    with torch.no_grad():
        mu = _reference_vae(tiny_checkpoint_dir).encode(img[None]).latent_dist.mean
    assert _rel(z, ((mu - mean) / std)[0]) <= 1e-5


def test_cancel_between_chunks(vae32: WanVAE) -> None:
    token = CancelToken()
    stream = vae32.decode_stream(torch.zeros(48, 3, 2, 2), cancel=token)
    first = next(stream)
    assert first.shape[1] == 1
    token.cancel()
    with pytest.raises(Cancelled) as e:
        next(stream)
    assert e.value.phase == "decode"
    assert all(f is None for f in vae32.module._feat_map)  # the feature cache was dropped
    assert torch.is_grad_enabled()  # no inference mode leaked out of the generator


def test_load_casts_to_bf16(tiny_checkpoint_dir: Path) -> None:
    vae = WanVAE.load(tiny_checkpoint_dir, torch.bfloat16, "cpu")
    assert all(p.dtype == torch.bfloat16 for p in vae.module.state_dict().values())
    out = vae.decode(torch.zeros(48, 1, 1, 1))
    assert out.shape == (3, 1, 16, 16) and out.dtype == torch.float32


def test_wrong_shape_in_vae_file(tiny_checkpoint_copy: Path) -> None:
    path = tiny_checkpoint_copy / VAE_FILE
    state = {k: v.clone() for k, v in load_pth(path).items()}
    state["decoder.middle.1.proj.bias"] = torch.zeros(7)
    torch.save(state, path)
    with pytest.raises(CheckpointError) as e:
        WanVAE.load(tiny_checkpoint_copy, torch.float32, "cpu")
    assert VAE_FILE in str(e.value) and "decoder.mid_block.attentions.0.proj.bias" in str(e.value)
    assert "[7]" in str(e.value)


def test_missing_tensor_in_vae_file(tiny_checkpoint_copy: Path) -> None:
    path = tiny_checkpoint_copy / VAE_FILE
    state = {k: v.clone() for k, v in load_pth(path).items()}
    del state["encoder.head.0.gamma"]
    torch.save(state, path)
    with pytest.raises(CheckpointError, match="missing.*encoder.norm_out.gamma"):
        WanVAE.load(tiny_checkpoint_copy, torch.float32, "cpu")


def test_tiled_decode_matches_untiled_when_one_tile_covers_it(tiny_checkpoint_dir):
    """With a tile larger than the frame, the tiled path must give the streamed result."""
    import torch

    from engine.nets.vae import WanVAE

    vae = WanVAE.load(tiny_checkpoint_dir, torch.float32, "cpu")
    z = torch.randn(48, 3, 4, 6, generator=torch.Generator().manual_seed(0))
    tiled = list(vae.decode_tiled_stream(z, tile=512))
    assert [c.shape[1] for c in tiled] == [1, 4, 4]
    torch.testing.assert_close(torch.cat(tiled, 1), vae.decode(z), rtol=1e-4, atol=1e-4)
