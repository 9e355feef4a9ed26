"""A tiny checkpoint folder in the original ``Wan2.2-TI2V-5B`` layout, with random weights.

Tests and the built-in demo load it through exactly the code path a user's real folder takes:
``config.json``, sharded float32 safetensors + index, the umT5 ``.pth`` (bf16, Wan keys),
``Wan2.2_VAE.pth`` (Wan keys) and a ``google/umt5-xxl`` tokenizer folder. The tokenizer is a
small Unigram vocabulary (ASCII pieces) with byte fallback, so any prompt — Korean included —
tokenizes; pad id 0, eos id 1 (``</s>`` appended), unk id 2, like T5.

Weights are drawn from ``torch.Generator().manual_seed(seed)`` in a fixed order, so the same
call twice writes identical tensors.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import string
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from engine.config import PRESETS, ModelSpec
from engine.weights.folder import (
    CONFIG_FILE,
    DIT_INDEX_FILE,
    T5_FILE,
    TOKENIZER_DIR,
    VAE_FILE,
    dit_shard_name,
)

if TYPE_CHECKING:  # pragma: no cover
    import torch

DEMO_FORMAT_VERSION = 1  # bump when the folder's content changes for the same spec/seed
_SPECIALS = ("<pad>", "</s>", "<unk>")  # ids 0, 1, 2 as in T5


def _init(
    name: str, shape: tuple[int, ...], g: torch.Generator, *, fan_in_scaled: bool
) -> torch.Tensor:
    """One float32 tensor: norm weights 1, biases/linears N(0, 0.02²), modulations N(0, 1/dim)."""
    import torch

    leaf = name.rsplit(".", 1)[-1]
    owner = name.rsplit(".", 2)[-2] if name.count(".") >= 1 else ""
    if (
        leaf == "gamma"
        or (leaf == "weight" and len(shape) == 1 and "norm" in owner)
        or name == "norm.weight"
    ):
        return torch.ones(shape)
    if leaf == "modulation":
        return torch.randn(shape, generator=g) / shape[-1] ** 0.5
    if name == "token_embedding.weight":
        return torch.randn(shape, generator=g)
    if fan_in_scaled and len(shape) > 1:  # convolutions of the VAE: keep activations O(1)
        fan_in = 1
        for s in shape[1:]:
            fan_in *= s
        return torch.randn(shape, generator=g) / fan_in**0.5
    return torch.randn(shape, generator=g) * 0.02


def dit_state_dict(spec: ModelSpec, seed: int = 0) -> dict[str, torch.Tensor]:
    """Random float32 DiT weights named like the checkpoint (``WanModel``'s own names)."""
    import torch

    from engine.nets.dit import WanModel

    with torch.device("meta"):
        shapes = {k: tuple(v.shape) for k, v in WanModel(spec.dit).state_dict().items()}
    g = torch.Generator().manual_seed(seed)
    return {k: _init(k, s, g, fan_in_scaled=False) for k, s in shapes.items()}


def t5_state_dict(spec: ModelSpec, seed: int = 0) -> dict[str, torch.Tensor]:
    """Random umT5 encoder weights in Wan's key layout, bfloat16 like the real file."""
    import torch

    from engine.nets.text_encoder import wan_t5_shapes

    g = torch.Generator().manual_seed(seed + 1)
    return {
        k: _init(k, s, g, fan_in_scaled=False).to(torch.bfloat16)
        for k, s in wan_t5_shapes(spec.t5).items()
    }


def vae_state_dict(spec: ModelSpec, seed: int = 0) -> dict[str, torch.Tensor]:
    """Random Wan2.2 VAE weights in Wan's key layout (float32)."""
    import torch

    from engine.nets.vae import build_diffusers_vae, unmap_vae_key

    hf = build_diffusers_vae(spec.vae)
    g = torch.Generator().manual_seed(seed + 2)
    out = {}
    for k, v in hf.state_dict().items():
        wan = unmap_vae_key(k, spec.vae.num_res_blocks)
        t = _init(wan, tuple(v.shape), g, fan_in_scaled=True)
        out[wan] = t * 0.1 if wan.endswith(".bias") else t
    return out


def config_json(spec: ModelSpec) -> dict:
    """``config.json`` like the real one (``_class_name`` WanModel, ``model_type`` ti2v)."""
    c = spec.dit
    return {
        "_class_name": "WanModel",
        "_diffusers_version": "0.33.0",
        "dim": c.dim,
        "eps": c.eps,
        "ffn_dim": c.ffn_dim,
        "freq_dim": c.freq_dim,
        "in_dim": c.in_dim,
        "model_type": "ti2v",
        "num_heads": c.num_heads,
        "num_layers": c.num_layers,
        "out_dim": c.out_dim,
        "text_len": c.text_len,
    }


def write_tokenizer(folder: Path, vocab_size: int) -> None:
    """A T5-like Unigram tokenizer with byte fallback, at most ``vocab_size`` pieces."""
    from tokenizers import (
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )
    from transformers import PreTrainedTokenizerFast

    pieces: list[tuple[str, float]] = [(s, 0.0) for s in _SPECIALS]
    pieces += [(f"<0x{b:02X}>", 0.0) for b in range(256)]
    chars = string.ascii_letters + string.digits + string.punctuation
    pieces += [("▁", -2.0)] + [("▁" + ch, -3.0) for ch in chars] + [(ch, -4.0) for ch in chars]
    pieces = pieces[:vocab_size]
    tok = Tokenizer(models.Unigram(pieces, unk_id=2, byte_fallback=True))
    tok.normalizer = normalizers.Sequence(
        [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Sequence([decoders.ByteFallback(), decoders.Metaspace(replacement="▁")])
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", pair="$A </s> $B </s>", special_tokens=[("</s>", 1)]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        pad_token="<pad>",
        eos_token="</s>",
        unk_token="<unk>",
        model_max_length=512,
    )
    fast.save_pretrained(str(folder))


def _write_dit_shards(folder: Path, state: dict[str, torch.Tensor], shards: int) -> None:
    """Split into ``shards`` files of about equal bytes, in state-dict order, plus the index."""
    from safetensors.torch import save_file

    total = sum(t.numel() * t.element_size() for t in state.values())
    groups: list[dict[str, torch.Tensor]] = [{} for _ in range(shards)]
    done = 0
    for k, t in state.items():
        i = min(shards - 1, done * shards // max(total, 1))
        groups[i][k] = t
        done += t.numel() * t.element_size()
    weight_map = {}
    for i, group in enumerate(groups, start=1):
        name = dit_shard_name(i, shards)
        save_file(group, str(folder / name), metadata={"format": "pt"})
        weight_map.update({k: name for k in group})
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    (folder / DIT_INDEX_FILE).write_text(json.dumps(index, indent=2), encoding="utf-8")


def build_checkpoint_folder(
    path: str | Path, spec: ModelSpec = PRESETS["tiny"], seed: int = 0, shards: int = 3
) -> Path:
    """Write a complete folder in the original layout into ``path`` (created); returns it."""
    import torch

    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CONFIG_FILE).write_text(json.dumps(config_json(spec), indent=2), encoding="utf-8")
    _write_dit_shards(folder, dit_state_dict(spec, seed), shards)
    torch.save(t5_state_dict(spec, seed), folder / T5_FILE)
    torch.save(vae_state_dict(spec, seed), folder / VAE_FILE)
    tok_dir = folder / TOKENIZER_DIR
    tok_dir.mkdir(parents=True, exist_ok=True)
    write_tokenizer(tok_dir, spec.t5.vocab_size)
    return folder


def cache_root() -> Path:
    """Per-user cache: ``$ARTIFEX_CACHE_DIR``, else %LOCALAPPDATA%/Artifex/cache, else ~/.cache/artifex."""
    env = os.environ.get("ARTIFEX_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "Artifex" / "cache"
    return Path.home() / ".cache" / "artifex"


def _demo_fingerprint(spec: ModelSpec, seed: int) -> str:
    """Changes when the spec, the seed, the format or the DiT's parameter names change."""
    import torch

    from engine.nets.dit import WanModel

    with torch.device("meta"):
        names = [(k, tuple(v.shape)) for k, v in WanModel(spec.dit).state_dict().items()]
    text = repr((DEMO_FORMAT_VERSION, spec, seed, names))
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def demo_checkpoint_dir(spec: ModelSpec = PRESETS["tiny"], seed: int = 0) -> Path:
    """The built-in demo folder: built once per user (atomically), then reused."""
    root = cache_root()
    final = root / f"demo-{spec.name}-v{DEMO_FORMAT_VERSION}-{_demo_fingerprint(spec, seed)}"
    if final.is_dir():
        return final
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        build_checkpoint_folder(tmp, spec, seed)
        try:
            os.replace(tmp, final)  # atomic; fails if another process got there first
        except OSError:
            if not final.is_dir():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return final
