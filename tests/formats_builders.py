"""Tiny model files in the layouts people have, written by the libraries' own writers.

All hold the SAME weights as a tiny original-layout folder (``engine.run.demo``), so every format
must load to identical tensors (and, through the engine, the same latents and video):

- :func:`build_diffusers_folder`: ``WanPipeline(...).save_pretrained`` with diffusers'
  ``WanTransformer3DModel`` / ``AutoencoderKLWan``, transformers' ``UMT5EncoderModel`` and a
  T5 tokenizer; the text encoder sharded.
- :func:`build_comfy_files`: single safetensors like Comfy-Org's repackaged files (DiT with or
  without ``model.diffusion_model.``, umT5 in HF names, the VAE in Wan names), and the umT5
  quantized to scaled fp8 with the published rule (``W ≈ W_fp8.float() · scale_weight``).

The spec has a head dim of 128 like the real model: a single DiT file carries no config, and
the head count is then the width / 128 (true of every Wan DiT).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import torch
from safetensors.torch import save_file

from engine.config import PRESETS, ModelSpec, WanConfig

SPEC128: ModelSpec = replace(
    PRESETS["tiny"],
    name="tiny-h128",
    dit=WanConfig(dim=128, ffn_dim=256, num_heads=1, num_layers=2, text_dim=32),
)
FP8 = torch.float8_e4m3fn


def original_states(spec: ModelSpec = SPEC128, seed: int = 0) -> dict[str, dict[str, torch.Tensor]]:
    from engine.run.demo import dit_state_dict, t5_state_dict, vae_state_dict

    return {
        "dit": dit_state_dict(spec, seed),
        "text_encoder": t5_state_dict(spec, seed),
        "vae": vae_state_dict(spec, seed),
    }


def diffusers_transformer(spec: ModelSpec, dit_state: dict[str, torch.Tensor]):
    from diffusers import WanTransformer3DModel
    from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

    c = spec.dit
    model = WanTransformer3DModel(
        patch_size=c.patch_size, num_attention_heads=c.num_heads, attention_head_dim=c.head_dim,
        in_channels=c.in_dim, out_channels=c.out_dim, text_dim=c.text_dim, freq_dim=c.freq_dim,
        ffn_dim=c.ffn_dim, num_layers=c.num_layers, cross_attn_norm=True,
        qk_norm="rms_norm_across_heads", eps=c.eps,
    )  # fmt: skip
    converted = convert_wan_transformer_to_diffusers({k: v.clone() for k, v in dit_state.items()})
    model.load_state_dict(converted, strict=True)
    return model


def hf_t5_state(t5_state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    from engine.nets.text_encoder import map_t5_key

    return {map_t5_key(k): v for k, v in t5_state.items()}


def build_diffusers_folder(folder: Path, spec: ModelSpec = SPEC128, seed: int = 0) -> Path:
    """A ``Wan2.2-TI2V-5B-Diffusers``-layout folder written by ``WanPipeline.save_pretrained``."""
    from diffusers import UniPCMultistepScheduler, WanPipeline
    from transformers import AutoTokenizer, UMT5EncoderModel

    from engine.nets.text_encoder import hf_config
    from engine.nets.text_encoder import t5_config_from_tensors as t5cfg
    from engine.nets.vae import build_diffusers_vae, map_vae_key
    from engine.run.demo import write_tokenizer

    states = original_states(spec, seed)
    transformer = diffusers_transformer(spec, states["dit"])
    t5 = states["text_encoder"]
    encoder = UMT5EncoderModel(hf_config(t5cfg({k: tuple(v.shape) for k, v in t5.items()})))
    missing, unexpected = encoder.load_state_dict(hf_t5_state(t5), strict=False)
    assert not unexpected and set(missing) <= {"encoder.embed_tokens.weight"}, (missing, unexpected)
    encoder = encoder.to(torch.bfloat16)  # the real text_encoder/ is bf16
    vae = build_diffusers_vae(spec.vae, device="cpu")
    vae.load_state_dict({map_vae_key(k): v for k, v in states["vae"].items()}, strict=True)
    tok_src = folder.parent / (folder.name + "-tok")
    tok_src.mkdir(parents=True, exist_ok=True)
    write_tokenizer(tok_src, spec.t5.vocab_size)
    tokenizer = AutoTokenizer.from_pretrained(str(tok_src))
    scheduler = UniPCMultistepScheduler(
        prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=5.0
    )
    pipe = WanPipeline(
        tokenizer=tokenizer, text_encoder=encoder, transformer=transformer, vae=vae,
        scheduler=scheduler, expand_timesteps=True,
    )  # fmt: skip
    pipe.save_pretrained(str(folder))
    # shard the text encoder like the real one (several files + index)
    encoder.save_pretrained(str(folder / "text_encoder"), max_shard_size="40KB")
    for f in (folder / "text_encoder").glob("model.safetensors"):
        f.unlink()  # the sharded save replaces the single file
    return folder


def build_comfy_files(folder: Path, spec: ModelSpec = SPEC128, seed: int = 0) -> dict[str, Path]:
    """ComfyUI-style single files (see module docstring); returns name → path."""
    from engine.run.demo import write_tokenizer
    from engine.weights.fp8 import quantize_scaled

    folder.mkdir(parents=True, exist_ok=True)
    s = original_states(spec, seed)
    out: dict[str, Path] = {}

    def save(name: str, state: dict[str, torch.Tensor]) -> None:
        out[name] = folder / name
        save_file({k: v.contiguous() for k, v in state.items()}, str(out[name]))

    save("dit_fp32.safetensors", s["dit"])
    save(
        "dit_fp16_prefixed.safetensors",
        {f"model.diffusion_model.{k}": v.half() for k, v in s["dit"].items()},
    )
    save("dit_bf16.safetensors", {k: v.to(torch.bfloat16) for k, v in s["dit"].items()})
    hf = hf_t5_state(s["text_encoder"])
    save("umt5_bf16.safetensors", hf)
    save("umt5_fp16.safetensors", {k: v.half() for k, v in hf.items()})
    scaled: dict[str, torch.Tensor] = {"scaled_fp8": torch.empty(0, dtype=FP8)}
    for k, v in hf.items():
        if (
            v.dim() == 2
            and "SelfAttention" in k
            and "relative_attention_bias" not in k
            or "DenseReluDense" in k
        ):
            w8, scale = quantize_scaled(v)
            scaled[k] = w8
            scaled[k[: -len(".weight")] + ".scale_weight"] = scale
        else:
            scaled[k] = v
    save("umt5_fp8_e4m3fn_scaled.safetensors", scaled)
    save("wan2.2_vae.safetensors", s["vae"])
    write_tokenizer(folder / "google" / "umt5-xxl", spec.t5.vocab_size)
    return out


def build_original_folder(
    folder: Path, states: dict[str, dict[str, torch.Tensor]], spec: ModelSpec = SPEC128
) -> Path:
    """The original ``Wan2.2-TI2V-5B`` layout holding ``states`` (DiT float32 shards)."""
    import json

    from engine.run.demo import _write_dit_shards, config_json, write_tokenizer
    from engine.weights.folder import CONFIG_FILE, T5_FILE, TOKENIZER_DIR, VAE_FILE

    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_FILE).write_text(json.dumps(config_json(spec)), encoding="utf-8")
    _write_dit_shards(folder, {k: v.float().contiguous() for k, v in states["dit"].items()}, 3)
    torch.save(states["text_encoder"], folder / T5_FILE)
    torch.save(states["vae"], folder / VAE_FILE)
    write_tokenizer(folder / TOKENIZER_DIR, spec.t5.vocab_size)
    return folder


def fp16_exact(states: dict[str, dict[str, torch.Tensor]]) -> dict[str, dict[str, torch.Tensor]]:
    """The same weights with the DiT rounded through float16 once (then held in float32), so a
    float16 file of them is exact."""
    out = dict(states)
    out["dit"] = {k: v.half().float() for k, v in states["dit"].items()}
    return out
