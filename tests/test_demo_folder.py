"""The tiny checkpoint folder and the demo cache (engine/run/demo.py)."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoTokenizer

import engine.run.demo as demo
from engine.config import PRESETS
from engine.weights.folder import (
    CONFIG_FILE,
    DIT_INDEX_FILE,
    T5_FILE,
    TOKENIZER_DIR,
    VAE_FILE,
    check_folder,
    dit_shard_name,
)


def _tensors(folder: Path) -> dict[str, torch.Tensor]:
    out: dict[str, torch.Tensor] = {}
    for p in sorted(folder.glob("*.safetensors")):
        out.update({f"{p.name}:{k}": v for k, v in load_file(str(p)).items()})
    for name in (T5_FILE, VAE_FILE):
        out.update(
            {f"{name}:{k}": v for k, v in torch.load(folder / name, weights_only=True).items()}
        )
    return out


def test_layout_and_dtypes(tiny_checkpoint_dir: Path) -> None:
    cfg = json.loads((tiny_checkpoint_dir / CONFIG_FILE).read_text())
    assert cfg["model_type"] == "ti2v" and cfg["dim"] == PRESETS["tiny"].dit.dim
    t = _tensors(tiny_checkpoint_dir)
    assert {v.dtype for k, v in t.items() if k.startswith("diffusion")} == {torch.float32}
    assert {v.dtype for k, v in t.items() if k.startswith(T5_FILE)} == {torch.bfloat16}
    assert {v.dtype for k, v in t.items() if k.startswith(VAE_FILE)} == {torch.float32}
    index = json.loads((tiny_checkpoint_dir / DIT_INDEX_FILE).read_text())
    assert set(index["weight_map"].values()) == {dit_shard_name(i, 3) for i in (1, 2, 3)}
    assert index["metadata"]["total_size"] == sum(
        v.numel() * 4 for k, v in t.items() if k.startswith("diffusion")
    )


def test_init_scales(tiny_checkpoint_dir: Path) -> None:
    dit = load_file(str(tiny_checkpoint_dir / dit_shard_name(2, 3))) | load_file(
        str(tiny_checkpoint_dir / dit_shard_name(3, 3))
    )
    q = dit["blocks.1.self_attn.q.weight"]
    assert 0.015 < float(q.std()) < 0.025
    assert torch.equal(
        dit["blocks.1.self_attn.norm_q.weight"],
        torch.ones_like(dit["blocks.1.self_attn.norm_q.weight"]),
    )


def test_same_call_twice_is_identical(tmp_path: Path, tiny_checkpoint_dir: Path) -> None:
    other = demo.build_checkpoint_folder(tmp_path / "again")
    a, b = _tensors(tiny_checkpoint_dir), _tensors(other)
    assert a.keys() == b.keys()
    for k in a:
        assert a[k].dtype == b[k].dtype and torch.equal(a[k], b[k]), k
    for rel in (CONFIG_FILE, DIT_INDEX_FILE, f"{TOKENIZER_DIR}/tokenizer.json"):
        assert (tiny_checkpoint_dir / rel).read_bytes() == (other / rel).read_bytes()
    for p in tiny_checkpoint_dir.glob("*.safetensors"):
        assert p.read_bytes() == (other / p.name).read_bytes()
    seeded = _tensors(demo.build_checkpoint_folder(tmp_path / "seed1", seed=1))
    assert not torch.equal(seeded[next(iter(a))], a[next(iter(a))])


def test_shard_count(tmp_path: Path) -> None:
    folder = demo.build_checkpoint_folder(tmp_path / "two", shards=2)
    report = check_folder(folder)
    assert report.dit_shards == [dit_shard_name(1, 2), dit_shard_name(2, 2)]
    assert all((folder / s).stat().st_size > 1000 for s in report.dit_shards)


def test_tokenizer_like_t5(tiny_checkpoint_dir: Path) -> None:
    tok = AutoTokenizer.from_pretrained(str(tiny_checkpoint_dir / TOKENIZER_DIR))
    assert (tok.pad_token_id, tok.eos_token_id) == (0, 1)
    for text in ["Hello, World! 123", "한국어 프롬프트", "émoji 🎬 ok"]:
        ids = tok(text)["input_ids"]
        assert ids[-1] == 1 and tok.unk_token_id not in ids
        assert tok.decode(ids, skip_special_tokens=True) == text
    batch = tok(["hi"], padding="max_length", max_length=8, return_tensors="pt")
    assert (
        batch["input_ids"][0, 3:].eq(0).all()
        and batch["attention_mask"][0].tolist() == [1, 1, 1] + [0] * 5
    )


def test_demo_dir_built_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTIFEX_CACHE_DIR", str(tmp_path / "cache"))
    calls = []
    real = demo.build_checkpoint_folder
    monkeypatch.setattr(
        demo, "build_checkpoint_folder", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    first = demo.demo_checkpoint_dir()
    assert first.parent == tmp_path / "cache" and check_folder(first).ok
    assert demo.demo_checkpoint_dir() == first and len(calls) == 1
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]  # no temp leftovers


def test_demo_dir_race(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTIFEX_CACHE_DIR", str(tmp_path / "cache"))
    barrier = threading.Barrier(2)
    real = demo.build_checkpoint_folder

    def slow_build(*a, **k):  # both builders pass the "exists?" check before either renames
        barrier.wait(timeout=30)
        return real(*a, **k)

    monkeypatch.setattr(demo, "build_checkpoint_folder", slow_build)
    results: list[Path] = []
    threads = [
        threading.Thread(target=lambda: results.append(demo.demo_checkpoint_dir()))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 2 and results[0] == results[1] and check_folder(results[0]).ok
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_cache_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ARTIFEX_CACHE_DIR", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
    assert demo.cache_root() == tmp_path / "Artifex" / "cache"
    monkeypatch.setattr(sys, "platform", "linux")
    assert demo.cache_root() == Path.home() / ".cache" / "artifex"
    monkeypatch.setenv("ARTIFEX_CACHE_DIR", str(tmp_path / "x"))
    assert demo.cache_root() == tmp_path / "x"
