"""Load recognised model parts (engine.weights.formats) into modules, whatever their format.

The readers yield original names, so the checks and assignments here are those of the
original folder: shapes compared with the module before any data is read, tensors read and
cast one at a time. Float8 tensors of the DiT's block linears (and ``text_embedding``) stay
float8 (:mod:`engine.weights.fp8`); other float8 tensors are dequantized while loading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import CheckpointError
from engine.weights.folder import check_dit_shapes, check_folder
from engine.weights.formats import ModelParts, Part, detect_parts
from engine.weights.formats.detect import MODEL_NAME, ORIG_CONFIG, ORIG_DIT_INDEX
from engine.weights.formats.readers import iter_tensors, name_map, part_shapes

if TYPE_CHECKING:  # pragma: no cover
    import torch

# DiT weights that run through their module's own forward (so may stay fp8 / take a LoRA
# side path); time_embedding/time_projection/head are read directly by the model in float32.
_DIT_ADAPTABLE = re.compile(
    r"^(blocks\.\d+\.(self_attn|cross_attn)\.[qkvo]|blocks\.\d+\.ffn\.[02]|text_embedding\.[02])$"
)


def dit_adaptable(module_path: str) -> bool:
    """True for DiT linears that may stay fp8 and take the LoRA side path."""
    return bool(_DIT_ADAPTABLE.match(module_path))


def resolve_parts(
    ckpt_dir: str | Path | None,
    *,
    dit_file: str | Path | None = None,
    t5_file: str | Path | None = None,
    vae_file: str | Path | None = None,
    tokenizer_dir: str | Path | None = None,
) -> ModelParts:
    """The checked model set; raises :class:`CheckpointError` naming what is missing.

    An original-layout folder used whole keeps the original folder check (Git-LFS stubs,
    shards the index names, other Wan models) with its own messages.
    """
    overrides = (dit_file, t5_file, vae_file, tokenizer_dir)
    parts = detect_parts(
        ckpt_dir, dit=dit_file, text_encoder=t5_file, vae=vae_file, tokenizer=tokenizer_dir
    )
    nothing_found = ckpt_dir is not None and not parts.parts and not parts.refused
    folder = Path(ckpt_dir) if ckpt_dir is not None else None
    dit = parts.parts.get("dit")
    whole_original = (
        folder is not None
        and all(o is None for o in overrides)
        and not (folder / "model_index.json").is_file()
        and (
            (dit is not None and dit.format == "original")
            or nothing_found
            or any((folder / n).is_file() for n in (ORIG_CONFIG, ORIG_DIT_INDEX))
        )
    )
    if whole_original:
        try:
            check_folder(folder)
        except CheckpointError as e:
            if not nothing_found:
                raise
            raise CheckpointError(
                e.message + " Artifex also reads a Diffusers folder or the ComfyUI files.",
                e.advice,
            ) from None
    return parts.check()


def dit_shapes(part: Part) -> dict[str, tuple[int, ...]]:
    """The DiT's tensor names (original) → shapes, checked as a Wan2.2 TI2V DiT."""
    shapes = part_shapes(part)
    check_dit_shapes(shapes, {k: part.files[0].name for k in shapes}, dit_config_json(part))
    return shapes


def dit_config_json(part: Part) -> dict[str, Any]:
    """What the tensors cannot tell (the head count), in the original config's words."""
    cfg = dict(part.config or {})
    if part.format == "diffusers" and "num_attention_heads" in cfg:
        return {"num_heads": int(cfg["num_attention_heads"])}
    return {k: cfg[k] for k in ("num_heads", "text_len", "eps") if k in cfg}


def load_dit_part_into(
    module: torch.nn.Module,
    part: Part,
    dtype: torch.dtype,
    device: Any,
    *,
    keep_fp8: bool = True,
    check_cancel: Callable[[], None] | None = None,
    progress: Any = None,
) -> int:
    """Stream the DiT part into ``module`` (built on ``meta``); returns the fp8 bytes kept."""
    from engine.weights import fp8
    from engine.weights.stream import assign_tensor, compare_shapes

    found = part_shapes(part)
    expected = {k: tuple(v.shape) for k, v in module.state_dict(keep_vars=True).items()}
    compare_shapes(expected, found, file_of=_file_of(part), what="DiT")
    kept = 0
    modules = dict(module.named_modules())
    for name, t, scale in iter_tensors(part, progress=progress):
        if check_cancel is not None:
            check_cancel()
        owner = name[: -len(".weight")] if name.endswith(".weight") else None
        if fp8.is_fp8(t):
            if keep_fp8 and owner is not None and dit_adaptable(owner):
                fp8.assign_fp8(modules[owner], t, scale, device)
                kept += t.numel()
                continue
            t = fp8.dequantize(t, scale, dtype)
        assign_tensor(module, name, _cast(t, dtype, device))
    return kept


def _file_of(part: Part) -> Callable[[str], str]:
    """Original tensor name → the name of the file holding it (for messages)."""
    if part.files[0].suffix == ".pth":
        return lambda _k: part.files[0].name
    files = {n: f.name for n, (f, _) in name_map(part).items()}
    return lambda k: files.get(k, part.path.name)


_ALIGN = 64  # bytes; what torch's own allocations guarantee


def _cast(t: torch.Tensor, dtype: torch.dtype | None, device: Any) -> torch.Tensor:
    """Cast/move; a tensor left as a view at an odd offset of a file buffer is copied into
    an aligned allocation, because CPU matmul kernels round differently with the alignment:
    without this the same weights give results differing in the last bit by file layout."""
    if dtype is not None and t.is_floating_point() and t.dtype != dtype:
        return t.to(device=device, dtype=dtype)
    out = t.to(device=device)
    if out.device.type == "cpu" and out.data_ptr() % _ALIGN:
        out = out.clone()
    return out


def load_mapped_part_into(
    module: torch.nn.Module,
    part: Part,
    map_key: Callable[[str], str],
    dtype: torch.dtype,
    device: Any,
    *,
    what: str,
    skip_expected: tuple[str, ...] = (),
    keep_fp8: Callable[[str], bool] = lambda _name: False,
    progress: Any = None,
) -> int:
    """Load a text encoder / VAE part (original names → module names by ``map_key``), strict.

    Float8 weights whose module name passes ``keep_fp8`` stay float8; returns their count.
    """
    from engine.weights import fp8
    from engine.weights.stream import assign_tensor, compare_shapes

    shapes = part_shapes(part)
    try:
        mapped = {map_key(k): k for k in shapes}
    except KeyError as e:
        raise CheckpointError(
            f"{part.path.name} holds tensor {e.args[0]!r}, which is not part of the {what} of {MODEL_NAME}.",
            "Check that the file is the Wan2.2-TI2V-5B one (see README, Models and LoRAs).",
        ) from None
    skip = set(skip_expected)
    expected = {
        k: tuple(v.shape) for k, v in module.state_dict(keep_vars=True).items() if k not in skip
    }
    compare_shapes(
        expected,
        {m: shapes[o] for m, o in mapped.items()},
        file_of=lambda _k: part.path.name,
        what=what,
    )
    kept = 0
    modules = dict(module.named_modules())
    for name, t, scale in iter_tensors(part, progress=progress):
        target = map_key(name)
        if fp8.is_fp8(t):
            owner = target[: -len(".weight")] if target.endswith(".weight") else ""
            if keep_fp8(owner) and owner in modules:
                fp8.assign_fp8(modules[owner], t, scale, device)
                kept += t.numel()
                continue
            t = fp8.dequantize(t, scale, dtype)
        assign_tensor(module, target, _cast(t, dtype, device))
    return kept


def part_record(part: Part) -> dict[str, Any]:
    """The report's entry for one part: files with size and a quick content hash."""
    from engine.weights.formats.fingerprint import quick_hash

    files = [f for f in part.files if f.is_file()] or [part.path]
    return {
        "part": part.part,
        "format": part.format,
        "path": str(part.path),
        "dtype": part.dtype,
        "quantization": part.quantization,
        "size_bytes": part.size_bytes,
        "parameters": part.parameters,
        "files": [
            {"name": f.name, "size_bytes": f.stat().st_size, "hash": quick_hash(f)}
            for f in files
            if f.is_file()
        ],
    }


def parts_key(parts: Mapping[str, Part]) -> tuple:
    """What identifies a loaded model set: every file with its size and modification time."""
    out = []
    for name in sorted(parts):
        for f in parts[name].files:
            try:
                st = f.stat()
                out.append((name, str(f), st.st_size, st.st_mtime_ns))
            except OSError:
                out.append((name, str(f), -1, -1))
    return tuple(out)


def parts_summary(parts: Mapping[str, Part]) -> str:
    """One line for reports and comparisons: each part's format and file(s) with a hash.

    ``"dit: comfyui wan2.2_ti2v_5B_fp16.safetensors q1:…; text_encoder: …"``; the hash makes
    two runs on different downloads of a same-named file differ.
    """
    from engine.weights.formats.fingerprint import quick_hash

    out = []
    for name in ("dit", "text_encoder", "vae", "tokenizer"):
        part = parts.get(name)
        if part is None:
            continue
        files = [f for f in part.files if f.is_file()]
        if name == "tokenizer" or not files:
            out.append(f"{name}: {part.format} {part.path.name}")
        elif len(files) == 1:
            out.append(f"{name}: {part.format} {files[0].name} {quick_hash(files[0])}")
        else:
            out.append(
                f"{name}: {part.format} {part.path.name} ({len(files)} files, first {quick_hash(files[0])})"
            )
    return "; ".join(out)


def loras_summary(records: list[dict]) -> str:
    """``"style.safetensors ×0.8, other.safetensors ×1"``, or ``"none"``."""
    if not records:
        return "none"
    return ", ".join(f"{Path(r['path']).name} ×{r['strength']:g}" for r in records)
