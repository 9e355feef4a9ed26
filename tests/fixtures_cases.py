"""Shared cases of the error tests: pictures of every kind, damaged model folders, and the
settings out of range.  The engine, CLI and GUI tests all draw from these tables."""

from __future__ import annotations

import json
import pickle
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file, save_file

from engine.weights.folder import (
    CONFIG_FILE,
    DIT_INDEX_FILE,
    T5_FILE,
    TOKENIZER_DIR,
    VAE_FILE,
    dit_shard_name,
)

LFS_STUB = (
    "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab" * 32 + "\nsize 9999999999\n"
)


# --------------------------------------------------------------------------- pictures


# name → (maker(path), expected displayed size or None when refused)
def _gradient(w: int, h: int) -> np.ndarray:
    x = np.linspace(0, 255, w)[None, :, None]
    y = np.linspace(0, 255, h)[:, None, None]
    return np.concatenate([x + 0 * y, y + 0 * x, 128 + 0 * x + 0 * y], axis=2).astype(np.uint8)


def _make_exif(path: Path) -> None:
    arr = np.zeros((40, 60, 3), np.uint8)
    arr[:, :30] = (255, 0, 0)  # left half red, right half blue, as stored
    arr[:, 30:] = (0, 0, 255)
    img = Image.fromarray(arr)
    exif = img.getexif()
    exif[0x0112] = 6  # shown rotated 90° clockwise: the stored left is the shown top
    img.save(path, exif=exif, quality=95)


def _make_truncated(path: Path, fmt: str) -> None:
    rng = np.random.default_rng(0)
    Image.fromarray((rng.random((300, 400, 3)) * 255).astype(np.uint8)).save(path, format=fmt)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _make_gif(path: Path) -> None:
    first = Image.new("RGB", (60, 40), (0, 204, 0)).convert("P")
    second = Image.new("RGB", (60, 40), (204, 0, 0)).convert("P")
    first.save(path, save_all=True, append_images=[second], duration=100, loop=0)


def _make_too_many_pixels(path: Path) -> None:
    """A PNG whose header claims 20000×15000 (300 MP) with almost no data: it must be
    refused from the header, in milliseconds, without allocating the pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 20000, 15000, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


IMAGES = {
    # accepted: (maker, shown size)
    "tiny 3x2.png": (lambda p: Image.new("RGB", (3, 2), (10, 20, 30)).save(p), (3, 2)),
    "animated.gif": (_make_gif, (60, 40)),
    "cmyk.jpg": (lambda p: Image.new("CMYK", (60, 40), (0, 255, 255, 0)).save(p), (60, 40)),
    "deep 16-bit.png": (
        lambda p: Image.fromarray(np.full((40, 60), 40000, np.uint16)).save(p),
        (60, 40),
    ),
    "alpha.png": (lambda p: Image.new("RGBA", (60, 40), (0, 255, 0, 60)).save(p), (60, 40)),
    "exif rotated.jpg": (_make_exif, (40, 60)),
    "grayscale.png": (lambda p: Image.new("L", (60, 40), 77).save(p), (60, 40)),
    # refused: (maker, None)
    "not an image.png": (lambda p: p.write_text("hello, I am text"), None),
    "empty.jpg": (lambda p: p.write_bytes(b""), None),
    "truncated.jpg": (lambda p: _make_truncated(p, "JPEG"), None),
    "truncated.png": (lambda p: _make_truncated(p, "PNG"), None),
    "one pixel.png": (lambda p: Image.new("RGB", (1, 1)).save(p), None),
    "bomb.png": (_make_too_many_pixels, None),
}
ACCEPTED = [name for name, (_, size) in IMAGES.items() if size]
REFUSED = [name for name, (_, size) in IMAGES.items() if not size]


def make_image(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    IMAGES[name][0](path)
    return path


# --------------------------------------------------------------------------- model folders


def _rewrite_dit(folder: Path, name: str, change) -> str:
    index = json.loads((folder / DIT_INDEX_FILE).read_text())["weight_map"]
    shard = folder / index[name]
    tensors = load_file(shard)
    tensors[name] = change(tensors[name])
    save_file(tensors, shard)
    return index[name]


def _rewrite_pth(path: Path, name: str, change) -> None:
    state = torch.load(path, weights_only=True)
    state[name] = change(state[name])
    torch.save(state, path)


class _Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _damage(folder: Path, case: str, marker: Path) -> str:
    """Damage ``folder`` the way ``case`` says; return a word the message must contain."""
    shard2 = dit_shard_name(2, 3)
    if case.startswith("missing "):
        rel = case.removeprefix("missing ")
        target = folder / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
        return rel.split("/")[-1] if "/" not in rel else rel.split("/")[0]
    if case == "truncated shard":
        data = (folder / shard2).read_bytes()
        (folder / shard2).write_bytes(data[:-1000])
        return "truncated"
    if case == "wrong shape in the DiT":
        return _rewrite_dit(
            folder, "blocks.1.self_attn.q.weight", lambda t: torch.zeros(t.shape[0], t.shape[1] + 1)
        )
    if case == "wrong shape that sets the DiT's size":
        _rewrite_dit(
            folder, "patch_embedding.weight", lambda t: torch.zeros(t.shape[0], 16, *t.shape[2:])
        )
        return "patch_embedding.weight"
    if case == "text encoder of another width":
        _rewrite_pth(
            folder / T5_FILE,
            "token_embedding.weight",
            lambda t: torch.zeros(t.shape[0], t.shape[1] + 1),
        )
        return T5_FILE
    if case == "wrong shape that sets the VAE's size":
        _rewrite_pth(
            folder / VAE_FILE,
            "encoder.conv1.weight",
            lambda t: torch.zeros(t.shape[0] + 1, *t.shape[1:]),
        )
        return VAE_FILE
    if case == "tokenizer of another vocabulary":
        _rewrite_pth(folder / T5_FILE, "token_embedding.weight", lambda t: t[:3].clone())
        return "tokenizer"
    if case.startswith("LFS pointer: "):
        rel = case.removeprefix("LFS pointer: ")
        (folder / rel).write_text(LFS_STUB)
        return "Git-LFS"
    if case == "code in the text encoder (zip pickle)":
        torch.save({"token_embedding.weight": torch.zeros(2), "x": _Evil(marker)}, folder / T5_FILE)
        return "contains code"
    if case == "code in the VAE (legacy pickle)":
        with open(folder / VAE_FILE, "wb") as f:
            pickle.dump({"x": _Evil(marker)}, f, protocol=2)
        return "contains code"
    if case == "a 14B folder":
        config = json.loads((folder / CONFIG_FILE).read_text())
        config.update(model_type="t2v", dim=5120, in_dim=16, num_layers=40)
        (folder / CONFIG_FILE).write_text(json.dumps(config))
        return "14B"
    if case == "an A14B folder":
        (folder / "high_noise_model").mkdir()
        (folder / "low_noise_model").mkdir()
        return "A14B"
    raise AssertionError(case)


CHECKPOINT_CASES = [
    *(
        f"missing {rel}"
        for rel in (
            CONFIG_FILE,
            DIT_INDEX_FILE,
            dit_shard_name(1, 3),
            dit_shard_name(2, 3),
            dit_shard_name(3, 3),
            T5_FILE,
            VAE_FILE,
            TOKENIZER_DIR,
        )
    ),
    "truncated shard",
    "wrong shape in the DiT",
    "wrong shape that sets the DiT's size",
    "text encoder of another width",
    "wrong shape that sets the VAE's size",
    "tokenizer of another vocabulary",
    *(f"LFS pointer: {rel}" for rel in (dit_shard_name(1, 3), T5_FILE, VAE_FILE, DIT_INDEX_FILE)),
    "code in the text encoder (zip pickle)",
    "code in the VAE (legacy pickle)",
    "a 14B folder",
    "an A14B folder",
]


# --------------------------------------------------------------------------- settings


# field → (bad value, what the clamp makes of it).  The GUI and CLI tests use this table.
OUT_OF_RANGE = {
    "width": (1000, 992),
    "height": (20, 32),
    "frames": (120, 121),
    "steps": (0, 1),
    "guidance": (-2.0, 0.0),
    "shift": (0.0, 1.0),
}
OUT_OF_RANGE_HUGE = {"width": (100_000, 4096), "frames": (5000, 1001), "steps": (10**6, 1000)}
