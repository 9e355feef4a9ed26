"""Torch-free looks at weight files: safetensors headers, truncation, Git-LFS stubs, dtypes.

Everything here reads only headers (a few KB), so the GUI can recognise a 10 GB file at once.
"""

from __future__ import annotations

import json
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.weights.folder import is_lfs_pointer  # one rule for LFS stubs

# safetensors dtype codes → bytes per element and the torch name used in messages
DTYPE_BYTES = {
    "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "F8_E4M3": 1, "F8_E5M2": 1,
    "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1,
}  # fmt: skip
DTYPE_NAMES = {
    "F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16",
    "F8_E4M3": "float8_e4m3fn", "F8_E5M2": "float8_e5m2",
    "I64": "int64", "I32": "int32", "I16": "int16", "I8": "int8", "U8": "uint8", "BOOL": "bool",
}  # fmt: skip
FP8_CODES = ("F8_E4M3", "F8_E5M2")



@dataclass(frozen=True)
class TensorEntry:
    """One tensor as a safetensors header describes it."""

    dtype: str  # safetensors code, e.g. "BF16"
    shape: tuple[int, ...]
    nbytes: int

    @property
    def numel(self) -> int:
        n = 1
        for s in self.shape:
            n *= s
        return n


@dataclass(frozen=True)
class SafetensorsHeader:
    path: Path
    tensors: dict[str, TensorEntry]
    metadata: dict[str, str]
    data_start: int
    data_end: int  # byte offset of the end of the last tensor, from the file start
    file_size: int

    @property
    def truncated(self) -> bool:
        return self.file_size < self.data_end

    def shapes(self) -> dict[str, tuple[int, ...]]:
        return {k: v.shape for k, v in self.tensors.items()}


def read_header(path: str | Path) -> SafetensorsHeader:
    """Parse a ``.safetensors`` header; ``ValueError`` with a readable reason if invalid."""
    path = Path(path)
    if is_lfs_pointer(path):
        raise ValueError("it is a Git-LFS pointer stub (~130 bytes), not the weights")
    size = path.stat().st_size
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) < 8:
            raise ValueError("the file is shorter than a safetensors header")
        (n,) = struct.unpack("<Q", raw)
        if n > 100_000_000 or n + 8 > size:
            raise ValueError(
                "the header length is implausible (not a safetensors file, or cut off)"
            )
        text = f.read(n)
    try:
        header = json.loads(text)
    except ValueError as e:
        raise ValueError(f"the header is not valid JSON ({e})") from None
    if not isinstance(header, dict):
        raise ValueError("the header is not a JSON object")
    meta = header.pop("__metadata__", None) or {}
    tensors: dict[str, TensorEntry] = {}
    end = 0
    try:
        for k, v in header.items():
            a, b = (int(x) for x in v["data_offsets"])
            tensors[k] = TensorEntry(str(v["dtype"]), tuple(int(s) for s in v["shape"]), b - a)
            end = max(end, b)
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"the header entry is malformed ({e})") from None
    return SafetensorsHeader(path, tensors, dict(meta), 8 + n, 8 + n + end, size)


def check_complete(h: SafetensorsHeader) -> str | None:
    """A sentence when the file is truncated or longer than its header says, else None."""
    if h.file_size == h.data_end:
        return None
    how = "truncated (an interrupted download?)" if h.truncated else "longer than its header says"
    return f"{h.path.name} is {how}: {h.file_size} bytes on disk, {h.data_end} expected."


def check_pth(path: Path) -> str | None:
    """A torch ``.pth`` is a zip archive (new format) or a bare pickle (legacy)."""
    if is_lfs_pointer(path):
        return f"{path.name} is a Git-LFS pointer stub (~130 bytes), not the weights."
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError) as e:
            return f"{path.name} is damaged or truncated ({e})."
        if not any(n.endswith("data.pkl") for n in names):
            return f"{path.name} is a zip archive but not a torch checkpoint."
        return None
    if magic[:1] == b"\x80":
        return None
    return f"{path.name} is not a torch checkpoint (unknown file format)."


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; ``ValueError`` with the reason otherwise."""
    if is_lfs_pointer(path):
        raise ValueError(f"{path.name} is a Git-LFS pointer stub, not the real file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{path.name} cannot be read as JSON ({e})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path.name} is not a JSON object")
    return data


def dtype_summary(entries: Mapping[str, TensorEntry]) -> str:
    """The stored dtypes by share of bytes: ``"bfloat16"`` or ``"float8_e4m3fn 80% + float32"``."""
    by: dict[str, int] = {}
    for e in entries.values():
        by[e.dtype] = by.get(e.dtype, 0) + e.nbytes
    total = sum(by.values()) or 1
    ranked = sorted(by.items(), key=lambda kv: -kv[1])
    ranked = [(c, n) for c, n in ranked if n * 100 >= total] or ranked[:1]  # drop <1% dtypes
    if len(ranked) == 1:
        return DTYPE_NAMES.get(ranked[0][0], ranked[0][0])
    return " + ".join(f"{DTYPE_NAMES.get(c, c)} {100 * n // total}%" for c, n in ranked)


def shard_files(folder: Path, index_name: str, single_name: str) -> tuple[list[Path], str | None]:
    """The safetensors files of a (possibly sharded) model in ``folder``.

    Returns ``(files, problem)``: from ``index_name``'s weight_map when present, else the
    single file; a problem sentence names what is missing or unreadable.
    """
    index = folder / index_name
    if index.is_file():
        try:
            weight_map = read_json(index).get("weight_map")
        except ValueError as e:
            return [], f"{folder.name}/{index_name}: {e}."
        if not isinstance(weight_map, dict) or not weight_map:
            return [], f"{folder.name}/{index_name} has no weight_map."
        names = sorted({str(v) for v in weight_map.values()})
        files = [folder / n for n in names]
        absent = [n for n, f in zip(names, files) if not f.is_file()]
        if absent:
            return (
                files,
                f"{folder.name}/{absent[0]} is missing ({len(absent)} of {len(names)} shards).",
            )
        return files, None
    single = folder / single_name
    if single.is_file():
        return [single], None
    return [], f"{folder.name}/{single_name} is missing."
