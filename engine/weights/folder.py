"""The user's ``Wan2.2-TI2V-5B`` folder: validate it without torch.

Torch-free, safe to import from the GUI: :func:`inspect_folder` looks at the
folder without loading any weights — required files, Git-LFS pointer stubs, truncated
safetensors shards (file size vs. the header's data extent), damaged ``.pth`` archives, and
other Wan models recognised by name. :func:`check_folder` raises :class:`CheckpointError`.

Streaming the tensors into modules is :mod:`engine.weights.stream`.
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import CheckpointError

MODEL_NAME = "Wan2.2-TI2V-5B"
CONFIG_FILE = "config.json"
DIT_INDEX_FILE = "diffusion_pytorch_model.safetensors.index.json"
T5_FILE = "models_t5_umt5-xxl-enc-bf16.pth"
VAE_FILE = "Wan2.2_VAE.pth"
TOKENIZER_DIR = "google/umt5-xxl"
TOKENIZER_FILES = ("tokenizer.json", "spiece.model")  # either one is enough
DEFAULT_DIT_SHARDS = 3
LFS_PREFIX = b"version https://git-lfs"
_LFS_MAX_BYTES = 1024
_SHARD_RE = re.compile(r"^diffusion_pytorch_model-(\d{5})-of-(\d{5})\.safetensors$")
_DOWNLOAD_ADVICE = (
    "Download the model again, e.g. `huggingface-cli download Wan-AI/Wan2.2-TI2V-5B "
    "--local-dir <folder>` (with Git, run `git lfs pull` inside the folder)."
)


def dit_shard_name(index: int, count: int) -> str:
    """``diffusion_pytorch_model-00001-of-00003.safetensors`` for ``index=1, count=3``."""
    return f"diffusion_pytorch_model-{index:05d}-of-{count:05d}.safetensors"


@dataclass
class FolderReport:
    """What :func:`inspect_folder` found. ``missing`` holds paths relative to ``path``."""

    path: Path
    ok: bool = False
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    model_name: str | None = None
    recognised_other_model: str | None = None
    dit_shards: list[str] = field(default_factory=list)  # relative names, in order
    config: dict = field(default_factory=dict)

    def summary(self) -> str:
        """One paragraph a person can read: what is wrong and where."""
        if self.recognised_other_model:
            return (
                f"This is a {self.recognised_other_model} folder ({self.path}); "
                f"Artifex runs {MODEL_NAME}."
            )
        parts = []
        if self.missing:
            parts.append(f"The model folder {self.path} is missing: {', '.join(self.missing)}.")
        parts.extend(self.problems)
        return (
            " ".join(parts) if parts else f"{self.path} looks like a complete {MODEL_NAME} folder."
        )

    def advice(self) -> str:
        if self.recognised_other_model:
            return f"Download Wan-AI/{MODEL_NAME} and choose that folder."
        return _DOWNLOAD_ADVICE


# --------------------------------------------------------------------------- torch-free


def is_lfs_pointer(path: Path) -> bool:
    """True for a Git-LFS pointer stub (~130 bytes of text) left where weights should be."""
    try:
        if path.stat().st_size > _LFS_MAX_BYTES:
            return False
        with open(path, "rb") as f:
            return f.read(len(LFS_PREFIX)) == LFS_PREFIX
    except OSError:
        return False


def read_safetensors_header(path: Path) -> tuple[dict[str, Any], int]:
    """Return ``(header, data_start_bytes)`` of a ``.safetensors`` file without reading data.

    Raises ``ValueError`` with a readable reason when the header is not valid.
    """
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) < 8:
            raise ValueError("the file is shorter than a safetensors header")
        (n,) = struct.unpack("<Q", raw)
        if n > 100_000_000:
            raise ValueError("the header length is implausible (not a safetensors file?)")
        text = f.read(n)
        if len(text) < n:
            raise ValueError("the file ends inside its header")
    try:
        header = json.loads(text)
    except ValueError as e:
        raise ValueError(f"the header is not valid JSON ({e})") from None
    if not isinstance(header, dict):
        raise ValueError("the header is not a JSON object")
    return header, 8 + n


def safetensors_shapes(path: Path) -> dict[str, tuple[int, ...]]:
    """Tensor name → shape from a ``.safetensors`` header (no tensor data is read)."""
    header, _ = read_safetensors_header(path)
    return {k: tuple(v["shape"]) for k, v in header.items() if k != "__metadata__"}


def _check_safetensors(path: Path, rel: str, expected_names: Iterable[str]) -> list[str]:
    """Problems with one shard: unreadable header, size vs. data extent, names absent."""
    try:
        header, start = read_safetensors_header(path)
    except (OSError, ValueError) as e:
        return [f"{rel} is damaged: {e}."]
    extent = max(
        (int(v["data_offsets"][1]) for k, v in header.items() if k != "__metadata__"), default=0
    )
    size = path.stat().st_size
    problems = []
    if size != start + extent:
        how = (
            "truncated (an interrupted download?)"
            if size < start + extent
            else "longer than its header says"
        )
        problems.append(f"{rel} is {how}: {size} bytes on disk, {start + extent} expected.")
    absent = [n for n in expected_names if n not in header]
    if absent:
        problems.append(
            f"{rel} lacks {len(absent)} tensor(s) the index places there (first: {absent[0]})."
        )
    return problems


def _check_pth(path: Path, rel: str) -> list[str]:
    """A torch ``.pth`` is a zip archive (new format) or a bare pickle (legacy)."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except (zipfile.BadZipFile, OSError) as e:
            return [f"{rel} is damaged or truncated ({e})."]
        if not any(n.endswith("data.pkl") for n in names):
            return [f"{rel} is a zip archive but not a torch checkpoint."]
        return []
    if magic[:1] == b"\x80":  # legacy torch.save pickle
        return []
    return [f"{rel} is not a torch checkpoint (unknown file format)."]


def _recognise_other(folder: Path, config: Mapping) -> str | None:
    """Name another Wan model from its folder layout or ``config.json``, else None."""
    if (folder / "high_noise_model").is_dir() or (folder / "low_noise_model").is_dir():
        return "Wan2.2 A14B (high/low-noise experts, 14B)"
    if (folder / "model_index.json").is_file() or config.get(
        "_class_name"
    ) == "WanTransformer3DModel":
        return "diffusers-format Wan (…-Diffusers)"
    if not config:
        return None
    model_type = str(config.get("model_type", "")).lower()
    dim = config.get("dim")
    in_dim = config.get("in_dim")
    size = {5120: "14B", 1536: "1.3B"}.get(dim) if isinstance(dim, int) else None
    if model_type and model_type != "ti2v":
        return (
            f"Wan {size or model_type.upper()} ({model_type})"
            if size
            else f"Wan {model_type.upper()}"
        )
    if size or in_dim in (16, 36):
        return f"Wan {size or '2.1'}"
    return None


def _read_json(path: Path, rel: str, problems: list[str]) -> dict | None:
    if is_lfs_pointer(path):
        problems.append(f"{rel} is a Git-LFS pointer stub, not the real file.")
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        problems.append(f"{rel} cannot be read as JSON ({e}).")
        return None
    if not isinstance(data, dict):
        problems.append(f"{rel} is not a JSON object.")
        return None
    return data


def _dit_shards_from_index(index: Mapping, problems: list[str]) -> dict[str, list[str]]:
    """Shard file → tensor names placed in it, from the index's ``weight_map``."""
    weight_map = index.get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        problems.append(f"{DIT_INDEX_FILE} has no weight_map.")
        return {}
    shards: dict[str, list[str]] = {}
    for name, shard in weight_map.items():
        if not isinstance(shard, str) or not _SHARD_RE.match(shard):
            problems.append(f"{DIT_INDEX_FILE} names an unexpected shard file {shard!r}.")
            return {}
        shards.setdefault(shard, []).append(name)
    return dict(sorted(shards.items()))


def inspect_folder(path: str | Path) -> FolderReport:
    """Look at a checkpoint folder without loading weights; never raises for bad content."""
    folder = Path(path)
    report = FolderReport(path=folder)
    if not folder.is_dir():
        report.problems.append(f"{folder} is not a folder.")
        return report

    config_path = folder / CONFIG_FILE
    if config_path.is_file():
        report.config = _read_json(config_path, CONFIG_FILE, report.problems) or {}
    else:
        report.missing.append(CONFIG_FILE)
    report.recognised_other_model = _recognise_other(folder, report.config)
    if report.recognised_other_model:
        return report

    # DiT shards: the index says which shards exist; without it, expect the real three.
    index_path = folder / DIT_INDEX_FILE
    shard_names: dict[str, list[str]] = {}
    if index_path.is_file():
        index = _read_json(index_path, DIT_INDEX_FILE, report.problems)
        if index is not None:
            shard_names = _dit_shards_from_index(index, report.problems)
    else:
        report.missing.append(DIT_INDEX_FILE)
        shard_names = {
            dit_shard_name(i, DEFAULT_DIT_SHARDS): [] for i in range(1, DEFAULT_DIT_SHARDS + 1)
        }
    report.dit_shards = list(shard_names)
    for rel, names in shard_names.items():
        p = folder / rel
        if not p.is_file():
            report.missing.append(rel)
        elif is_lfs_pointer(p):
            report.problems.append(
                f"{rel} is a Git-LFS pointer stub (~130 bytes), not the weights."
            )
        else:
            report.problems.extend(_check_safetensors(p, rel, names))

    for rel in (T5_FILE, VAE_FILE):
        p = folder / rel
        if not p.is_file():
            report.missing.append(rel)
        elif is_lfs_pointer(p):
            report.problems.append(
                f"{rel} is a Git-LFS pointer stub (~130 bytes), not the weights."
            )
        else:
            report.problems.extend(_check_pth(p, rel))

    tok = folder / TOKENIZER_DIR
    present = [n for n in TOKENIZER_FILES if (tok / n).is_file()]
    if not present:
        report.missing.append(f"{TOKENIZER_DIR}/{TOKENIZER_FILES[0]}")
    for n in present:
        if is_lfs_pointer(tok / n):
            report.problems.append(
                f"{TOKENIZER_DIR}/{n} is a Git-LFS pointer stub, not the real file."
            )

    if report.config:
        dim = report.config.get("dim")
        report.model_name = (
            MODEL_NAME if dim in (None, 3072) else f"Wan TI2V (dim {dim}, test size)"
        )
    report.ok = not report.missing and not report.problems
    return report


def check_folder(path: str | Path) -> FolderReport:
    """:func:`inspect_folder`, raising :class:`CheckpointError` unless the folder is usable."""
    report = inspect_folder(path)
    if not report.ok:
        raise CheckpointError(report.summary(), report.advice())
    return report


def dit_tensor_shapes(folder: str | Path) -> dict[str, tuple[int, ...]]:
    """Every DiT tensor name → shape, read from the shard headers (no data).

    The tensors the model's dimensions are inferred from are checked here (present, of the
    right rank, consistent with each other and with TI2V's 48 latent channels and
    (1, 2, 2) patches), so a damaged or foreign shard is a :class:`CheckpointError` naming
    the tensor and its file, not a crash while the model is built or run.
    """
    report = check_folder(folder)
    shapes: dict[str, tuple[int, ...]] = {}
    where: dict[str, str] = {}
    for rel in report.dit_shards:
        for name, shape in safetensors_shapes(Path(folder) / rel).items():
            shapes[name], where[name] = shape, rel
    check_dit_shapes(shapes, where, report.config)
    return shapes


# Fixed by the model family, whatever its size: the latent channels of the Wan2.2 VAE
# (in and out of the DiT) and the DiT's patch.  The tiny test folder shares them.
TI2V_LATENT_CHANNELS = 48
TI2V_PATCH = (1, 2, 2)


def check_dit_shapes(
    shapes: Mapping[str, tuple[int, ...]], where: Mapping[str, str], config: Mapping | None = None
) -> None:
    """Raise :class:`CheckpointError` unless the tensors that define the DiT's dimensions
    describe a Wan2.2 TI2V DiT (names, ranks, cross-consistency)."""
    pe = shapes.get("patch_embedding.weight")
    dim = pe[0] if pe and len(pe) == 5 else None
    out = TI2V_LATENT_CHANNELS * TI2V_PATCH[0] * TI2V_PATCH[1] * TI2V_PATCH[2]
    # name → (expected shape with None for "any positive size", what it means)
    rules = {
        "patch_embedding.weight": ((dim, TI2V_LATENT_CHANNELS, *TI2V_PATCH), "[dim, 48, 1, 2, 2]"),
        "head.head.weight": ((out, dim), f"[{out}, dim]"),
        "text_embedding.0.weight": ((dim, None), "[dim, text_dim]"),
        "time_embedding.0.weight": ((dim, None), "[dim, freq_dim]"),
        "blocks.0.ffn.0.weight": ((None, dim), "[ffn_dim, dim]"),
    }
    problems = []
    for name, (expected, meaning) in rules.items():
        found = shapes.get(name)
        if found is None:
            problems.append(f"tensor {name} is missing")
            continue
        fits = len(found) == len(expected) and all(
            s > 0 and (e is None or s == e) for s, e in zip(found, expected)
        )
        if not fits:
            problems.append(
                f"tensor {name} in {where.get(name, DIT_INDEX_FILE)} has shape {list(found)}, "
                f"expected {meaning}" + (f" with dim {dim}" if dim else "")
            )
    heads = (config or {}).get("num_heads")
    if dim and isinstance(heads, int) and (heads <= 0 or dim % heads):
        problems.append(f"{CONFIG_FILE} says num_heads {heads}, which does not divide dim {dim}")
    if problems:
        raise CheckpointError(
            f"The DiT weights are not those of {MODEL_NAME}: " + "; ".join(problems[:3]) + ".",
            "Check that the folder holds the original Wan2.2-TI2V-5B files; " + _DOWNLOAD_ADVICE,
        )


@contextmanager
def shapes_guard(path: Path, what: str) -> Iterator[None]:
    """Around inferring a config from a file's tensor shapes and building the module:
    anything that fails there means the file is not the ``what`` of Wan2.2 TI2V, which is
    the user's file to replace, not a bug — so it becomes a :class:`CheckpointError`."""
    try:
        yield
    except CheckpointError:
        raise
    except (
        KeyError,
        ValueError,
        IndexError,
        TypeError,
        ZeroDivisionError,
        RuntimeError,
        AssertionError,
    ) as e:
        raise CheckpointError(
            f"The tensors in {path.name} do not fit together as the {what} of {MODEL_NAME} "
            f"({type(e).__name__}: {e}).",
            "Check that the folder holds the original Wan2.2-TI2V-5B files; " + _DOWNLOAD_ADVICE,
        ) from None
