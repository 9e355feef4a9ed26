"""umT5 text encoder: key mapping, config inference, parity with transformers (engine/nets/text_encoder.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import UMT5EncoderModel

from engine.config import PRESETS, T5Config
from engine.errors import CheckpointError
from engine.nets.text_encoder import (
    TIED_KEYS,
    TextEncoder,
    build_meta_encoder,
    clean_prompt,
    hf_config,
    map_t5_key,
    t5_config_from_tensors,
    wan_t5_shapes,
)
from engine.weights.folder import T5_FILE
from engine.weights.stream import load_pth

PROMPTS = ["A cat walks on the grass, realistic.", "한국어 프롬프트: 바다 위의 배", "x"]
T5_MANIFEST_KEY = "models_t5_umt5-xxl-enc-bf16.pth"


def test_manifest_maps_onto_full_size_umt5(manifest: dict) -> None:
    wan = manifest[T5_MANIFEST_KEY]
    assert len(wan) == 242
    cfg = t5_config_from_tensors(wan)
    assert cfg == T5Config()
    hf = {k: list(v.shape) for k, v in build_meta_encoder(cfg).state_dict().items()}
    mapped = {map_t5_key(k): s for k, s in wan.items()}
    assert len(mapped) == 242  # the mapping is one to one
    assert mapped == {k: s for k, s in hf.items() if k not in TIED_KEYS}
    assert {k: list(s) for k, s in wan_t5_shapes(cfg).items()} == wan


def test_unknown_key_rejected() -> None:
    with pytest.raises(KeyError):
        map_t5_key("blocks.0.attn.qkv.weight")
    with pytest.raises(KeyError):
        map_t5_key("lm_head.weight")


def test_clean_prompt() -> None:
    assert clean_prompt("  &amp;lt;b&amp;gt;  a\n\t cat  ") == "<b> a cat"
    # ftfy.fix_text first, as Wan's basic_clean: mojibake, curly quotes, full-width letters
    assert clean_prompt("the fox doesnÃ¢â‚¬â„¢t stop") == "the fox doesn't stop"
    assert clean_prompt("a “red” fox, ｆｕｌｌ") == 'a "red" fox, full'
    assert clean_prompt("눈 위를 달리는 여우 — café") == "눈 위를 달리는 여우 — café"  # valid text untouched


def _reference_outputs(folder: Path, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """transformers' UMT5EncoderModel filled from a HF-keyed dict (same bf16 weights, fp32)."""
    wan = load_pth(folder / T5_FILE)
    cfg = t5_config_from_tensors({k: v.shape for k, v in wan.items()})
    ref = UMT5EncoderModel(hf_config(cfg)).eval()
    state = {map_t5_key(k): v.float() for k, v in wan.items()}
    state["encoder.embed_tokens.weight"] = state["shared.weight"]
    ref.load_state_dict(state, strict=True)
    with torch.no_grad():
        return ref(input_ids=ids, attention_mask=mask).last_hidden_state


def test_parity_with_transformers_fp32(tiny_checkpoint_dir: Path) -> None:
    enc = TextEncoder.load(tiny_checkpoint_dir, torch.float32, "cpu")
    assert enc.config == PRESETS["tiny"].t5
    out = enc.encode(PROMPTS)
    ids, mask = enc.tokenize(PROMPTS)
    ref = _reference_outputs(tiny_checkpoint_dir, ids, mask)
    for i, o in enumerate(out):
        n = int(mask[i].sum())
        assert o.shape == (n, enc.config.d_model) and o.dtype == torch.float32
        assert ids[i, n - 1] == 1  # eos closes the real tokens
        err = (o - ref[i, :n]).norm() / ref[i, :n].norm()
        assert err <= 1e-5, err
    assert out[0].abs().mean() > 0.1  # not a trivially zero output


def test_pad_truncate_to_512(tiny_checkpoint_dir: Path) -> None:
    enc = TextEncoder.load(tiny_checkpoint_dir, torch.float32, "cpu")
    ids, mask = enc.tokenize(["word " * 2000, "hi"])
    assert ids.shape == (2, 512) and mask[0].sum() == 512 and mask[1].sum() < 10
    assert (ids[1, mask[1].sum() :] == 0).all()  # pad id 0
    assert [o.shape[0] for o in enc.encode(["word " * 2000])] == [512]


def test_load_casts_to_bf16_and_ties_embedding(tiny_checkpoint_dir: Path) -> None:
    enc = TextEncoder.load(tiny_checkpoint_dir, torch.bfloat16, "cpu")
    params = dict(enc.module.named_parameters(remove_duplicate=False))
    assert all(p.dtype == torch.bfloat16 and p.device.type == "cpu" for p in params.values())
    assert enc.module.encoder.embed_tokens.weight is enc.module.shared.weight
    assert enc.encode(["a dog"])[0].dtype == torch.bfloat16
    enc.to("cpu")
    assert enc.module.encoder.embed_tokens.weight is enc.module.shared.weight


def test_wrong_shape_in_t5_file(tiny_checkpoint_copy: Path) -> None:
    path = tiny_checkpoint_copy / T5_FILE
    state = load_pth(path)
    state = {k: v.clone() for k, v in state.items()}
    state["blocks.1.ffn.fc2.weight"] = torch.zeros(3, 3, dtype=torch.bfloat16)
    torch.save(state, path)
    with pytest.raises(CheckpointError) as e:
        TextEncoder.load(tiny_checkpoint_copy, torch.float32, "cpu")
    msg = str(e.value)
    assert T5_FILE in msg and "layer.1.DenseReluDense.wo.weight" in msg and "[3, 3]" in msg


def test_foreign_key_in_t5_file(tiny_checkpoint_copy: Path) -> None:
    path = tiny_checkpoint_copy / T5_FILE
    state = {k: v.clone() for k, v in load_pth(path).items()}
    state["lm_head.weight"] = torch.zeros(2, dtype=torch.bfloat16)
    torch.save(state, path)
    with pytest.raises(CheckpointError, match="lm_head.weight"):
        TextEncoder.load(tiny_checkpoint_copy, torch.float32, "cpu")


def _wan_bucket(rel_pos: torch.Tensor, num_buckets: int, max_dist: int) -> torch.Tensor:
    """Wan's ``T5RelativeEmbedding._relative_position_bucket`` (bidirectional), restated."""
    import math

    num_buckets //= 2
    buckets = (rel_pos > 0).long() * num_buckets
    rel_pos = rel_pos.abs()
    max_exact = num_buckets // 2
    large = (
        max_exact
        + (
            torch.log(rel_pos.float() / max_exact)
            / math.log(max_dist / max_exact)
            * (num_buckets - max_exact)
        ).long()
    )
    large = torch.clamp(large, max=num_buckets - 1)
    return buckets + torch.where(rel_pos < max_exact, rel_pos, large)


def _wan_t5_forward(w: dict, cfg: T5Config, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Wan's ``T5Encoder`` forward written out on Wan keys (independent of the key mapping)."""
    w = {k: v.float() for k, v in w.items()}
    B, L = ids.shape
    H, d = cfg.num_heads, cfg.d_kv

    def norm(x: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        return weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + cfg.eps))

    rel = torch.arange(L)[None, :] - torch.arange(L)[:, None]
    buckets = _wan_bucket(
        rel, cfg.relative_attention_num_buckets, cfg.relative_attention_max_distance
    )
    x = w["token_embedding.weight"][ids]
    for i in range(cfg.num_layers):
        b = f"blocks.{i}."
        bias = w[b + "pos_embedding.embedding.weight"][buckets].permute(2, 0, 1)[None]
        h = norm(x, w[b + "norm1.weight"])
        q, k, v = ((h @ w[b + f"attn.{p}.weight"].T).view(B, L, H, d) for p in "qkv")
        attn = torch.einsum("binc,bjnc->bnij", q, k) + bias
        attn = attn.masked_fill(mask[:, None, None, :] == 0, torch.finfo(attn.dtype).min).softmax(
            -1
        )
        x = (
            x
            + torch.einsum("bnij,bjnc->binc", attn, v).reshape(B, L, H * d)
            @ w[b + "attn.o.weight"].T
        )
        h = norm(x, w[b + "norm2.weight"])
        gate = torch.nn.functional.gelu(h @ w[b + "ffn.gate.0.weight"].T, approximate="tanh")
        x = x + ((h @ w[b + "ffn.fc1.weight"].T) * gate) @ w[b + "ffn.fc2.weight"].T
    return norm(x, w["norm.weight"])


def test_parity_with_wan_t5_restated(tiny_checkpoint_dir: Path) -> None:
    enc = TextEncoder.load(tiny_checkpoint_dir, torch.float32, "cpu")
    ids, mask = enc.tokenize(PROMPTS)
    ref = _wan_t5_forward(load_pth(tiny_checkpoint_dir / T5_FILE), enc.config, ids, mask)
    for i, o in enumerate(enc.encode(PROMPTS)):
        n = o.shape[0]
        err = (o - ref[i, :n]).norm() / ref[i, :n].norm()
        assert err <= 1e-5, err


def test_block_streaming_looks_the_embedding_up_in_ram_with_the_same_result(tiny_checkpoint_dir: Path) -> None:
    """Block mode keeps the 2 GiB embedding table in RAM and passes the looked-up rows as
    ``inputs_embeds``: the hidden states equal the ordinary path's, and streaming the blocks
    (engine.run.offload) gives the same again."""
    from engine.run.offload import BlockStreamer
    from engine.telemetry import TransferMeter

    enc = TextEncoder.load(tiny_checkpoint_dir, torch.bfloat16, "cpu")
    plain = enc.encode(PROMPTS)
    assert enc.mapped_file is not None  # bf16 file, bf16 run: no cast, a view of the map
    before = enc.module.shared.weight
    blocks = enc.keep_all_but_blocks_on("cpu")
    # the table now comes from a fresh map of the file (not the load's, which every loaded
    # tensor's pages kept resident): another storage, the same values
    after = enc.module.shared.weight
    assert after.data_ptr() != before.data_ptr() and torch.equal(after, before)
    assert enc.module.encoder.embed_tokens.weight is after
    assert enc.embedding_in_ram and enc.compute_device.type == "cpu"
    calls = []
    hook = enc.module.shared.register_forward_hook(lambda m, a, o: calls.append(a[0].device))
    in_ram = enc.encode(PROMPTS)
    assert calls == [torch.device("cpu")]  # the rows were looked up by the embedding itself
    streamer = BlockStreamer(blocks, torch.device("cpu"), TransferMeter(), name="text_encoder")
    streamed = enc.encode(PROMPTS)
    hook.remove()
    streamer.remove()
    for a, b, c in zip(plain, in_ram, streamed):
        torch.testing.assert_close(b, a, rtol=0, atol=0)
        torch.testing.assert_close(c, a, rtol=0, atol=0)
    enc.to("cpu")
    assert not enc.embedding_in_ram


def test_a_cast_embedding_is_not_taken_from_the_file_again(tiny_checkpoint_dir: Path) -> None:
    enc = TextEncoder.load(tiny_checkpoint_dir, torch.float32, "cpu")  # the file is bf16: cast
    assert enc.mapped_file is None
    before = enc.module.shared.weight
    enc.keep_all_but_blocks_on("cpu")
    assert enc.module.shared.weight is before
