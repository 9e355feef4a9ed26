"""Name maps from other layouts to the original Wan2.2 checkpoint names (one place for each).

- DiT: diffusers ``WanTransformer3DModel`` names → original (the inverse of the renames in
  diffusers' ``convert_wan_transformer_to_diffusers``); works on module paths as well as
  parameter names, so the diffusers LoRA style uses it too.
- umT5: Hugging Face ``UMT5EncoderModel`` names (Diffusers ``text_encoder/``, ComfyUI files) ↔
  Wan's ``models_t5_umt5-xxl-enc-bf16.pth`` names.
- VAE: diffusers ``AutoencoderKLWan`` names ↔ ``Wan2.2_VAE.pth`` names (diffusers ships this map
  only in a script, so it is ours; checked both ways by the tests against diffusers' own model).
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------------------------ DiT
_DIT_TOP = (
    ("condition_embedder.time_embedder.linear_1", "time_embedding.0"),
    ("condition_embedder.time_embedder.linear_2", "time_embedding.2"),
    ("condition_embedder.text_embedder.linear_1", "text_embedding.0"),
    ("condition_embedder.text_embedder.linear_2", "text_embedding.2"),
    ("condition_embedder.time_proj", "time_projection.1"),
    ("proj_out", "head.head"),
    ("patch_embedding", "patch_embedding"),
    ("scale_shift_table", "head.modulation"),
)
_DIT_BLOCK = (
    ("attn1.to_q", "self_attn.q"),
    ("attn1.to_k", "self_attn.k"),
    ("attn1.to_v", "self_attn.v"),
    ("attn1.to_out.0", "self_attn.o"),
    ("attn1.norm_q", "self_attn.norm_q"),
    ("attn1.norm_k", "self_attn.norm_k"),
    ("attn2.to_q", "cross_attn.q"),
    ("attn2.to_k", "cross_attn.k"),
    ("attn2.to_v", "cross_attn.v"),
    ("attn2.to_out.0", "cross_attn.o"),
    ("attn2.norm_q", "cross_attn.norm_q"),
    ("attn2.norm_k", "cross_attn.norm_k"),
    ("norm2", "norm3"),  # diffusers' norm2 is the cross-attention LayerNorm, Wan's norm3
    ("ffn.net.0.proj", "ffn.0"),
    ("ffn.net.2", "ffn.2"),
    ("scale_shift_table", "modulation"),
)
_BLOCK_PATH = re.compile(r"^blocks\.(\d+)\.(.+)$")


def _swap_prefix(path: str, table: tuple[tuple[str, str], ...], *, reverse: bool) -> str | None:
    for a, b in table:
        src, dst = (b, a) if reverse else (a, b)
        if path == src or path.startswith(src + "."):
            return dst + path[len(src) :]
    return None


def dit_from_diffusers(key: str) -> str:
    """diffusers transformer name (parameter or module path) → original; ``KeyError`` if none."""
    if m := _BLOCK_PATH.match(key):
        rest = _swap_prefix(m.group(2), _DIT_BLOCK, reverse=False)
        if rest is not None:
            return f"blocks.{m.group(1)}.{rest}"
        raise KeyError(key)
    out = _swap_prefix(key, _DIT_TOP, reverse=False)
    if out is None:
        raise KeyError(key)
    return out


def dit_to_diffusers(key: str) -> str:
    """Original DiT name (parameter or module path) → diffusers; ``KeyError`` if none."""
    if m := _BLOCK_PATH.match(key):
        rest = _swap_prefix(m.group(2), _DIT_BLOCK, reverse=True)
        if rest is not None:
            return f"blocks.{m.group(1)}.{rest}"
        raise KeyError(key)
    out = _swap_prefix(key, _DIT_TOP, reverse=True)
    if out is None:
        raise KeyError(key)
    return out


# ----------------------------------------------------------------------------------- umT5
T5_BLOCK_MAP = {
    "norm1.weight": "layer.0.layer_norm.weight",
    "attn.q.weight": "layer.0.SelfAttention.q.weight",
    "attn.k.weight": "layer.0.SelfAttention.k.weight",
    "attn.v.weight": "layer.0.SelfAttention.v.weight",
    "attn.o.weight": "layer.0.SelfAttention.o.weight",
    "pos_embedding.embedding.weight": "layer.0.SelfAttention.relative_attention_bias.weight",
    "norm2.weight": "layer.1.layer_norm.weight",
    "ffn.gate.0.weight": "layer.1.DenseReluDense.wi_0.weight",
    "ffn.fc1.weight": "layer.1.DenseReluDense.wi_1.weight",
    "ffn.fc2.weight": "layer.1.DenseReluDense.wo.weight",
}
T5_TOP_MAP = {
    "token_embedding.weight": "shared.weight",
    "norm.weight": "encoder.final_layer_norm.weight",
}
_T5_BLOCK_UNMAP = {v: k for k, v in T5_BLOCK_MAP.items()}
_T5_TOP_UNMAP = {v: k for k, v in T5_TOP_MAP.items()}
_T5_WAN_BLOCK = re.compile(r"^blocks\.(\d+)\.(.+)$")
_T5_HF_BLOCK = re.compile(r"^encoder\.block\.(\d+)\.(.+)$")
T5_TIED_HF = "encoder.embed_tokens.weight"  # a copy of shared.weight in transformers


def t5_to_hf(wan_key: str) -> str:
    """Wan umT5 key → ``UMT5EncoderModel`` key; ``KeyError`` for a key that has no place."""
    if wan_key in T5_TOP_MAP:
        return T5_TOP_MAP[wan_key]
    m = _T5_WAN_BLOCK.match(wan_key)
    if m and m.group(2) in T5_BLOCK_MAP:
        return f"encoder.block.{m.group(1)}.{T5_BLOCK_MAP[m.group(2)]}"
    raise KeyError(wan_key)


def t5_from_hf(hf_key: str) -> str:
    """``UMT5EncoderModel`` key → Wan umT5 key (``encoder.embed_tokens`` = the embedding)."""
    if hf_key == T5_TIED_HF:
        return "token_embedding.weight"
    if hf_key in _T5_TOP_UNMAP:
        return _T5_TOP_UNMAP[hf_key]
    m = _T5_HF_BLOCK.match(hf_key)
    if m and m.group(2) in _T5_BLOCK_UNMAP:
        return f"blocks.{m.group(1)}.{_T5_BLOCK_UNMAP[m.group(2)]}"
    raise KeyError(hf_key)


# ------------------------------------------------------------------------------------ VAE
_RESNET_MAP = {
    "residual.0.gamma": "norm1.gamma",
    "residual.2.weight": "conv1.weight",
    "residual.2.bias": "conv1.bias",
    "residual.3.gamma": "norm2.gamma",
    "residual.6.weight": "conv2.weight",
    "residual.6.bias": "conv2.bias",
    "shortcut.weight": "conv_shortcut.weight",
    "shortcut.bias": "conv_shortcut.bias",
}
_RESNET_UNMAP = {v: k for k, v in _RESNET_MAP.items()}
_MIDDLE = {"0": "resnets.0", "1": "attentions.0", "2": "resnets.1"}
_MIDDLE_UNMAP = {v: k for k, v in _MIDDLE.items()}
_SAMPLE_RE = re.compile(
    r"^(encoder|decoder)\.(down|up)samples\.(\d+)\.(?:down|up)samples\.(\d+)\.(.+)$"
)
_SIDE_RE = re.compile(r"^(encoder|decoder)\.(.+)$")


def vae_to_diffusers(wan_key: str) -> str:
    """``Wan2.2_VAE.pth`` key → ``AutoencoderKLWan`` key; ``KeyError`` if it has no place."""
    if wan_key.startswith("conv1."):
        return "quant_conv." + wan_key[len("conv1.") :]
    if wan_key.startswith("conv2."):
        return "post_quant_conv." + wan_key[len("conv2.") :]
    if m := _SAMPLE_RE.match(wan_key):
        side, kind, i, _j, rest = m.groups()
        blocks = f"{side}.{kind}_blocks.{i}"
        if rest.startswith(("resample.", "time_conv.")):
            return f"{blocks}.{kind}sampler.{rest}"
        if rest in _RESNET_MAP:
            return f"{blocks}.resnets.{_j}.{_RESNET_MAP[rest]}"
        raise KeyError(wan_key)
    m = _SIDE_RE.match(wan_key)
    if not m:
        raise KeyError(wan_key)
    side, rest = m.groups()
    for old, new in (("conv1.", "conv_in."), ("head.0.", "norm_out."), ("head.2.", "conv_out.")):
        if rest.startswith(old):
            return f"{side}.{new}{rest[len(old) :]}"
    if mm := re.match(r"^middle\.(\d)\.(.+)$", rest):
        idx, tail = mm.groups()
        if idx in _MIDDLE:
            if _MIDDLE[idx].startswith("resnets"):
                if tail not in _RESNET_MAP:
                    raise KeyError(wan_key)
                tail = _RESNET_MAP[tail]
            return f"{side}.mid_block.{_MIDDLE[idx]}.{tail}"
    raise KeyError(wan_key)


def vae_from_diffusers(hf_key: str, num_res_blocks: int = 2) -> str:
    """Inverse of :func:`vae_to_diffusers`.

    The encoder's down-sampler sits at index ``num_res_blocks`` of Wan's list, the decoder's
    up-sampler at ``num_res_blocks + 1``.
    """
    if hf_key.startswith("quant_conv."):
        return "conv1." + hf_key[len("quant_conv.") :]
    if hf_key.startswith("post_quant_conv."):
        return "conv2." + hf_key[len("post_quant_conv.") :]
    side, _, rest = hf_key.partition(".")
    if side not in ("encoder", "decoder"):
        raise KeyError(hf_key)
    if m := re.match(r"^(down|up)_blocks\.(\d+)\.(.+)$", rest):
        kind, i, tail = m.groups()
        prefix = f"{side}.{kind}samples.{i}.{kind}samples"
        if mm := re.match(r"^resnets\.(\d+)\.(.+)$", tail):
            if mm.group(2) not in _RESNET_UNMAP:
                raise KeyError(hf_key)
            return f"{prefix}.{mm.group(1)}.{_RESNET_UNMAP[mm.group(2)]}"
        if not tail.startswith(f"{kind}sampler."):
            raise KeyError(hf_key)
        sampler_index = num_res_blocks if kind == "down" else num_res_blocks + 1
        return f"{prefix}.{sampler_index}.{tail.split('.', 1)[1]}"
    for new, old in (("conv_in.", "conv1."), ("norm_out.", "head.0."), ("conv_out.", "head.2.")):
        if rest.startswith(new):
            return f"{side}.{old}{rest[len(new) :]}"
    if m := re.match(r"^mid_block\.(resnets\.\d|attentions\.\d)\.(.+)$", rest):
        part, tail = m.groups()
        if part.startswith("resnets"):
            if tail not in _RESNET_UNMAP:
                raise KeyError(hf_key)
            tail = _RESNET_UNMAP[tail]
        return f"{side}.middle.{_MIDDLE_UNMAP[part]}.{tail}"
    raise KeyError(hf_key)


def vae_res_blocks_from_diffusers(names: list[str] | set[str]) -> int:
    """``num_res_blocks`` of a diffusers Wan VAE state dict (resnets per encoder level)."""
    found = {
        int(m.group(1))
        for k in names
        if (m := re.match(r"^encoder\.down_blocks\.0\.resnets\.(\d+)\.", k))
    }
    return len(found) or 2
