"""A LoRA file summarised from its header alone (torch-free, for the GUI's list): style, tensor
count, ranks, alpha values (scalars read straight from the file) and how many modules it
targets. The full reading and matching is :mod:`engine.weights.lora`."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from engine.weights.formats.classify import is_lora
from engine.weights.formats.files import check_complete, read_header

_SCALAR = {"F32": ("<f", 4), "F64": ("<d", 8), "F16": ("<e", 2)}


@dataclass(frozen=True)
class LoraSummary:
    ok: bool
    style: str = ""
    tensors: int = 0
    modules: int = 0
    ranks: tuple[int, ...] = ()
    alphas: tuple[float, ...] = ()
    problem: str = ""

    def text(self) -> str:
        if not self.ok:
            return self.problem
        ranks = "/".join(map(str, self.ranks)) or "-"
        alphas = "/".join(f"{a:g}" for a in self.alphas) or "-"
        return f"{self.style}, rank {ranks}, alpha {alphas}, {self.modules} modules"


def _scalar(path: Path, start: int, dtype: str, offsets: tuple[int, int]) -> float | None:
    if dtype == "BF16":
        with open(path, "rb") as f:
            f.seek(start + offsets[0])
            raw = f.read(2)
        return struct.unpack("<f", b"\x00\x00" + raw)[0] if len(raw) == 2 else None
    if dtype not in _SCALAR:
        return None
    fmt, n = _SCALAR[dtype]
    with open(path, "rb") as f:
        f.seek(start + offsets[0])
        raw = f.read(n)
    return struct.unpack(fmt, raw)[0] if len(raw) == n else None


def summarise_lora(path: str | Path) -> LoraSummary:
    path = Path(path)
    try:
        h = read_header(path)
    except (OSError, ValueError) as e:
        return LoraSummary(False, problem=f"{path.name} cannot be read: {e}.")
    if (why := check_complete(h)) is not None:
        return LoraSummary(False, problem=why)
    names = list(h.tensors)
    if not is_lora(names):
        return LoraSummary(False, problem=f"{path.name} is not a LoRA.")
    if any(k.startswith("lora_unet_") for k in names):
        style = "kohya"
    elif any(k.startswith(("transformer.", "base_model.model.")) for k in names):
        style = "diffusers"
    else:
        style = "original"
    ranks = sorted(
        {
            e.shape[0]
            for k, e in h.tensors.items()
            if k.endswith((".lora_A.weight", ".lora_down.weight"))
        }
    )
    import json

    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        raw = json.loads(f.read(n))
    alphas = set()
    for k, e in h.tensors.items():
        if k.endswith(".alpha") and e.numel == 1:
            value = _scalar(path, h.data_start, e.dtype, tuple(raw[k]["data_offsets"]))
            if value is not None:
                alphas.add(round(value, 6))
    suffixes = (".lora_A.weight", ".lora_B.weight", ".lora_down.weight", ".lora_up.weight",
                ".alpha", ".diff", ".diff_b", ".lora_B.bias")  # fmt: skip
    modules = {next((k[: -len(s)] for s in suffixes if k.endswith(s)), k) for k in names}
    return LoraSummary(True, style, len(names), len(modules), tuple(ranks), tuple(sorted(alphas)))
