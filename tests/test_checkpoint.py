"""Checkpoint folder validation and DiT tensor streaming (engine/weights/folder.py)."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from engine.config import PRESETS, WanConfig, dit_config_from_tensors
from engine.errors import CheckpointError
from engine.nets.dit import WanModel
from engine.weights.folder import (
    CONFIG_FILE,
    DIT_INDEX_FILE,
    T5_FILE,
    TOKENIZER_DIR,
    VAE_FILE,
    check_folder,
    dit_shard_name,
    dit_tensor_shapes,
    inspect_folder,
)
from engine.weights.stream import load_dit_state_into, load_pth
from tests.fixtures_io import DIT_MANIFEST_KEY

SHARD2 = dit_shard_name(2, 3)
LFS_STUB = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c4b1c\n"
    "size 9999999999\n"
)


def _meta_tiny_dit() -> WanModel:
    with torch.device("meta"):
        return WanModel(PRESETS["tiny"].dit)


def test_tiny_folder_passes(tiny_checkpoint_dir: Path) -> None:
    report = check_folder(tiny_checkpoint_dir)
    assert report.ok and not report.missing and not report.problems
    assert report.recognised_other_model is None
    assert report.dit_shards == [dit_shard_name(i, 3) for i in (1, 2, 3)]
    assert report.model_name is not None


def test_inspect_is_torch_free() -> None:
    code = "import sys, engine.weights.folder; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


@pytest.mark.parametrize(
    "rel",
    [
        CONFIG_FILE,
        DIT_INDEX_FILE,
        dit_shard_name(1, 3),
        SHARD2,
        dit_shard_name(3, 3),
        T5_FILE,
        VAE_FILE,
        f"{TOKENIZER_DIR}/tokenizer.json",
    ],
)
def test_each_missing_file_is_named(tiny_checkpoint_copy: Path, rel: str) -> None:
    (tiny_checkpoint_copy / rel).unlink()
    report = inspect_folder(tiny_checkpoint_copy)
    assert not report.ok and rel in report.missing
    with pytest.raises(CheckpointError) as e:
        check_folder(tiny_checkpoint_copy)
    assert rel in str(e.value) and "download" in str(e.value).lower()


def test_index_decides_required_shards(tiny_checkpoint_copy: Path) -> None:
    index = json.loads((tiny_checkpoint_copy / DIT_INDEX_FILE).read_text())
    # Point every tensor at shard 2 of 3: shards 1 and 3 are then not required, shard 2 lacks names.
    index["weight_map"] = {k: SHARD2 for k in index["weight_map"]}
    (tiny_checkpoint_copy / DIT_INDEX_FILE).write_text(json.dumps(index))
    (tiny_checkpoint_copy / dit_shard_name(1, 3)).unlink()
    report = inspect_folder(tiny_checkpoint_copy)
    assert report.dit_shards == [SHARD2] and not report.missing
    assert any(SHARD2 in p and "lacks" in p for p in report.problems)


def test_truncated_shard(tiny_checkpoint_copy: Path) -> None:
    p = tiny_checkpoint_copy / SHARD2
    data = p.read_bytes()
    p.write_bytes(data[: len(data) - 1000])
    with pytest.raises(CheckpointError) as e:
        check_folder(tiny_checkpoint_copy)
    assert SHARD2 in str(e.value) and "truncated" in str(e.value)


@pytest.mark.parametrize("rel", [SHARD2, T5_FILE, VAE_FILE])
def test_lfs_pointer_stub(tiny_checkpoint_copy: Path, rel: str) -> None:
    (tiny_checkpoint_copy / rel).write_text(LFS_STUB)
    with pytest.raises(CheckpointError) as e:
        check_folder(tiny_checkpoint_copy)
    assert rel in str(e.value) and "Git-LFS" in str(e.value)


def test_unreadable_index(tiny_checkpoint_copy: Path) -> None:
    (tiny_checkpoint_copy / DIT_INDEX_FILE).write_text("{not json")
    report = inspect_folder(tiny_checkpoint_copy)
    assert any(DIT_INDEX_FILE in p and "JSON" in p for p in report.problems)


def test_truncated_pth(tiny_checkpoint_copy: Path) -> None:
    p = tiny_checkpoint_copy / VAE_FILE
    p.write_bytes(p.read_bytes()[:5000])
    with pytest.raises(CheckpointError, match="Wan2.2_VAE.pth"):
        check_folder(tiny_checkpoint_copy)
    with pytest.raises(CheckpointError, match="damaged or truncated"):
        load_pth(p)


@pytest.mark.parametrize(
    ("config", "name"),
    [
        ({"model_type": "t2v", "dim": 5120, "in_dim": 16, "num_layers": 40}, "14B"),
        ({"model_type": "i2v", "dim": 5120, "in_dim": 36, "num_layers": 40}, "14B"),
        ({"model_type": "t2v", "dim": 1536, "in_dim": 16, "num_layers": 30}, "1.3B"),
    ],
)
def test_other_wan_model_refused_by_name(
    tiny_checkpoint_copy: Path, config: dict, name: str
) -> None:
    (tiny_checkpoint_copy / CONFIG_FILE).write_text(
        json.dumps({"_class_name": "WanModel", **config})
    )
    with pytest.raises(CheckpointError) as e:
        check_folder(tiny_checkpoint_copy)
    assert f"This is a Wan {name}" in str(e.value) and "Artifex runs Wan2.2-TI2V-5B" in str(e.value)


def test_a14b_layout_refused(tmp_path: Path) -> None:
    (tmp_path / "high_noise_model").mkdir()
    (tmp_path / "low_noise_model").mkdir()
    report = inspect_folder(tmp_path)
    assert not report.ok and "A14B" in (report.recognised_other_model or "")


def test_dit_config_from_folder(tiny_checkpoint_dir: Path) -> None:
    cfg = json.loads((tiny_checkpoint_dir / CONFIG_FILE).read_text())
    assert (
        dit_config_from_tensors(dit_tensor_shapes(tiny_checkpoint_dir), cfg) == PRESETS["tiny"].dit
    )


def test_dit_full_size_names_match_manifest(manifest: dict) -> None:
    with torch.device("meta"):
        model = WanModel(WanConfig())
    ours = {k: list(v.shape) for k, v in model.state_dict().items()}
    assert len(manifest[DIT_MANIFEST_KEY]) == 825
    assert ours == manifest[DIT_MANIFEST_KEY]


@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float32])
def test_load_dit_casts_per_tensor(tiny_checkpoint_dir: Path, dtype: torch.dtype) -> None:
    model = load_dit_state_into(_meta_tiny_dit(), tiny_checkpoint_dir, dtype, "cpu")
    state = model.state_dict()
    assert all(t.dtype == dtype and t.device.type == "cpu" for t in state.values())
    on_disk = load_file(str(tiny_checkpoint_dir / SHARD2))
    for k, t in on_disk.items():
        assert t.dtype == torch.float32
        assert torch.equal(state[k], t.to(dtype)), k


def test_load_dit_keep_float32(tiny_checkpoint_dir: Path) -> None:
    model = load_dit_state_into(
        _meta_tiny_dit(),
        tiny_checkpoint_dir,
        torch.bfloat16,
        "cpu",
        keep_float32=lambda name: "modulation" in name,
    )
    assert model.blocks[0].modulation.dtype == torch.float32
    assert model.blocks[0].self_attn.q.weight.dtype == torch.bfloat16


def _rewrite_shard(folder: Path, change) -> None:
    p = folder / SHARD2
    tensors = load_file(str(p))
    change(tensors)
    save_file(tensors, str(p), metadata={"format": "pt"})
    index = json.loads((folder / DIT_INDEX_FILE).read_text())
    index["weight_map"] = {k: v for k, v in index["weight_map"].items() if v != SHARD2}
    index["weight_map"].update({k: SHARD2 for k in tensors})
    (folder / DIT_INDEX_FILE).write_text(json.dumps(index))


def test_wrong_shape_named(tiny_checkpoint_copy: Path) -> None:
    holder = {}

    def change(t: dict) -> None:
        name = next(k for k in t if k.endswith(".weight") and t[k].dim() == 2)
        holder["name"], holder["shape"] = name, list(t[name].shape)
        t[name] = torch.zeros(t[name].shape[0], t[name].shape[1] + 1)

    _rewrite_shard(tiny_checkpoint_copy, change)
    with pytest.raises(CheckpointError) as e:
        load_dit_state_into(_meta_tiny_dit(), tiny_checkpoint_copy, torch.float32, "cpu")
    msg = str(e.value)
    r, c = holder["shape"]
    assert holder["name"] in msg and SHARD2 in msg
    assert f"[{r}, {c + 1}]" in msg and f"expected [{r}, {c}]" in msg


def test_unexpected_extra_tensor_reported(tiny_checkpoint_copy: Path) -> None:
    _rewrite_shard(
        tiny_checkpoint_copy, lambda t: t.update({"blocks.99.extra.weight": torch.zeros(2)})
    )
    with pytest.raises(CheckpointError, match=r"unexpected tensor.*blocks\.99\.extra\.weight"):
        load_dit_state_into(_meta_tiny_dit(), tiny_checkpoint_copy, torch.float32, "cpu")


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("zip_format", [True, False])
def test_malicious_pickle_refused_not_executed(
    tiny_checkpoint_copy: Path, tmp_path: Path, zip_format: bool
) -> None:
    marker = tmp_path / "pwned"
    target = tiny_checkpoint_copy / T5_FILE
    payload = {"token_embedding.weight": torch.zeros(2), "x": _Evil(marker)}
    if zip_format:
        torch.save(payload, target)
    else:
        with open(target, "wb") as f:
            pickle.dump(payload, f, protocol=2)
    with pytest.raises(CheckpointError, match="contains code, refused") as e:
        load_pth(target)
    assert T5_FILE in str(e.value)
    assert not marker.exists()
    # sanity: the payload really is live when unpickled unsafely
    if not zip_format:
        pickle.loads(target.read_bytes())
        assert marker.exists()


def test_streaming_holds_one_source_tensor(
    tiny_checkpoint_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each float32 tensor read from a shard is freed (after the bf16 cast) before the next
    read (reference counting frees it at once; no gc pass needed)."""
    import weakref

    import safetensors

    real_open = safetensors.safe_open
    alive: list[weakref.ref] = []
    reads = []

    class Tracking:
        def __init__(self, *a, **k) -> None:
            self._cm = real_open(*a, **k)

        def __enter__(self):
            self._f = self._cm.__enter__()
            return self

        def __exit__(self, *exc):
            return self._cm.__exit__(*exc)

        def keys(self):
            return self._f.keys()

        def get_tensor(self, name: str) -> torch.Tensor:
            reads.append(sum(r() is not None for r in alive))
            t = self._f.get_tensor(name)
            alive.append(weakref.ref(t))
            return t

    monkeypatch.setattr(safetensors, "safe_open", Tracking)
    load_dit_state_into(_meta_tiny_dit(), tiny_checkpoint_dir, torch.bfloat16, "cpu")
    assert len(reads) == len(_meta_tiny_dit().state_dict())
    assert max(reads) == 0
