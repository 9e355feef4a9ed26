"""Folder layouts → :class:`~engine.weights.formats.detect.ModelParts`, and mixed sets.

:func:`detect_parts` is the one entry: a folder of any layout and/or single files per part
(the single files override the folder's parts). Torch-free.
"""

from __future__ import annotations

import re
from pathlib import Path

from engine.weights.formats import classify as cl
from engine.weights.formats.detect import (
    MODEL_NAME,
    ORIG_CONFIG,
    ORIG_DIT_INDEX,
    ORIG_DIT_SINGLE,
    ORIG_T5,
    ORIG_TOKENIZER,
    ORIG_VAE,
    PART_LABELS,
    PARTS,
    TOKENIZER_FILES,
    ModelParts,
    Part,
    _headers,
    _part_from_headers,
    _pth_part,
    find_tokenizer,
    inspect_file,
    tokenizer_missing_sentence,
    tokenizer_part,
)
from engine.weights.formats.files import read_json, shard_files

_A14B_DIRS = ("high_noise_model", "low_noise_model")
_SHARD_RE = re.compile(r"^diffusion_pytorch_model-\d{5}-of-\d{5}\.safetensors$")


def _refuse_folder(folder: Path, config: dict) -> str | None:
    if any((folder / d).is_dir() for d in _A14B_DIRS) or (folder / "transformer_2").is_dir():
        return f"{folder} is a Wan2.2 A14B model (two 14B experts); Artifex runs {MODEL_NAME}."
    model_type = str(config.get("model_type", "")).lower()
    if model_type and model_type != "ti2v":
        dim = config.get("dim")
        size = {5120: "14B", 1536: "1.3B"}.get(dim, "")
        return f"{folder} is a Wan {size} {model_type.upper()} model; Artifex runs {MODEL_NAME}."
    return None


def _original(folder: Path, out: ModelParts) -> None:
    try:
        config = read_json(folder / ORIG_CONFIG) if (folder / ORIG_CONFIG).is_file() else {}
    except ValueError as e:
        out.problems.append(f"{e}.")
        config = {}
    out.refused = _refuse_folder(folder, config)
    if out.refused:
        return
    # DiT: the index's shards, or one file
    if (folder / ORIG_DIT_INDEX).is_file() or (folder / ORIG_DIT_SINGLE).is_file():
        files, why = shard_files(folder, ORIG_DIT_INDEX, ORIG_DIT_SINGLE)
    else:
        files = sorted(p for p in folder.iterdir() if _SHARD_RE.match(p.name))
        why = None if files else f"{ORIG_DIT_INDEX} and the DiT shards are missing."
    if why:
        out.missing["dit"] = why
    else:
        part = _part_from_headers(
            _headers(files, out.problems), "original", "dit", out.problems, config
        )
        if part is not None:
            out.parts["dit"] = part
    for name, p in ((ORIG_T5, "text_encoder"), (ORIG_VAE, "vae")):
        if not (folder / name).is_file():
            out.missing[p] = f"{name} is not in {folder}."
        elif (part := _pth_part(folder / name, p, out.problems)) is not None:
            out.parts[p] = part
    tok = folder / ORIG_TOKENIZER
    if any((tok / f).is_file() for f in TOKENIZER_FILES):
        out.parts["tokenizer"] = tokenizer_part(tok, "original")
    else:
        out.missing["tokenizer"] = tokenizer_missing_sentence(folder)


def _diffusers(folder: Path, out: ModelParts) -> None:
    try:
        index = read_json(folder / "model_index.json")
    except ValueError as e:
        out.problems.append(f"{e}.")
        index = {}
    out.refused = _refuse_folder(folder, {})
    if out.refused:
        return
    cls = str(index.get("_class_name", ""))
    if (
        index.get("image_encoder")
        or "transformer_2" in index
        and index.get("transformer_2") not in (None, [None, None])
    ):
        out.refused = f"{folder} is a {cls or 'Wan'} with parts TI2V-5B does not have; Artifex runs {MODEL_NAME}."
        return
    sub = {
        "dit": (
            "transformer",
            "diffusion_pytorch_model.safetensors.index.json",
            "diffusion_pytorch_model.safetensors",
        ),
        "text_encoder": ("text_encoder", "model.safetensors.index.json", "model.safetensors"),
        "vae": (
            "vae",
            "diffusion_pytorch_model.safetensors.index.json",
            "diffusion_pytorch_model.safetensors",
        ),
    }
    for p, (d, index_name, single) in sub.items():
        pdir = folder / d
        if not pdir.is_dir():
            out.missing[p] = f"the {d}/ folder is not in {folder}."
            continue
        config: dict = {}
        if (pdir / "config.json").is_file():
            try:
                config = read_json(pdir / "config.json")
            except ValueError as e:
                out.problems.append(f"{d}/{e}.")
        files, why = shard_files(pdir, index_name, single)
        if why:
            out.missing[p] = why
            continue
        part = _part_from_headers(
            _headers(files, out.problems), "diffusers", p, out.problems, config
        )
        if part is not None:
            out.parts[p] = part
    tok = folder / "tokenizer"
    if any((tok / f).is_file() for f in TOKENIZER_FILES):
        out.parts["tokenizer"] = tokenizer_part(tok, "diffusers")
    else:
        out.missing["tokenizer"] = tokenizer_missing_sentence(folder)


def _single_files_folder(folder: Path, out: ModelParts) -> None:
    """A folder holding ComfyUI-style single files: each recognised by its header."""
    found: dict[str, list[Part]] = {}
    for f in sorted(folder.glob("*.safetensors")):
        part, problems = inspect_file(f)
        if part is not None:
            found.setdefault(part.part, []).append(part)
        else:
            # a LoRA or another model lying next to the parts is not an error of this set
            skip = any("is a LoRA" in p or "Artifex runs" in p for p in problems)
            if not skip:
                out.problems.extend(problems)
    for p in ("dit", "text_encoder", "vae"):
        parts = found.get(p, [])
        if len(parts) > 1:
            names = ", ".join(x.files[0].name for x in parts)
            out.problems.append(
                f"{folder} holds more than one {PART_LABELS[p]} ({names}); choose one file for it."
            )
        elif parts:
            out.parts[p] = parts[0]
        else:
            out.missing[p] = f"no {PART_LABELS[p]} file was recognised in {folder}."
    tok = find_tokenizer(folder)
    if tok is not None:
        out.parts["tokenizer"] = tokenizer_part(tok, "comfyui")
    else:
        out.missing["tokenizer"] = tokenizer_missing_sentence(folder)


def detect_folder(folder: str | Path) -> ModelParts:
    """Recognise a folder of any layout; never raises for bad content."""
    folder = Path(folder)
    out = ModelParts()
    if not folder.is_dir():
        out.problems.append(f"{folder} is not a folder.")
        return out
    if (folder / "model_index.json").is_file():
        _diffusers(folder, out)
    elif (
        (folder / ORIG_CONFIG).is_file()
        or (folder / ORIG_DIT_INDEX).is_file()
        or (folder / ORIG_T5).is_file()
        or any((folder / d).is_dir() for d in _A14B_DIRS)
    ):
        _original(folder, out)
    else:
        _single_files_folder(folder, out)
    return out


def detect_parts(
    ckpt_dir: str | Path | None = None,
    *,
    dit: str | Path | None = None,
    text_encoder: str | Path | None = None,
    vae: str | Path | None = None,
    tokenizer: str | Path | None = None,
) -> ModelParts:
    """The model set from a folder and/or single files; files given override folder parts.

    Missing parts are listed in ``missing`` with a sentence saying what to get; nothing
    raises here (call ``.check()``).
    """
    out = detect_folder(ckpt_dir) if ckpt_dir is not None else ModelParts()
    if ckpt_dir is None:
        for p in ("dit", "text_encoder", "vae"):
            out.missing[p] = f"no {PART_LABELS[p]} was given."
    if out.refused:
        return out
    for p, given in (("dit", dit), ("text_encoder", text_encoder), ("vae", vae)):
        if given is None:
            continue
        out.missing.pop(p, None)
        out.parts.pop(p, None)
        part, problems = inspect_file(given, want=p)
        out.problems.extend(problems)
        if part is not None:
            out.parts[p] = part
    if tokenizer is not None:
        tok = Path(tokenizer)
        found = find_tokenizer(tok) if tok.is_dir() else None
        out.parts.pop("tokenizer", None)
        out.missing.pop("tokenizer", None)
        if found is None:
            out.problems.append(f"{tok} holds no umT5 tokenizer ({' or '.join(TOKENIZER_FILES)}).")
        else:
            out.parts["tokenizer"] = tokenizer_part(found, "given")
    elif "tokenizer" not in out.parts:
        # single files given without a folder: look next to them
        near = [Path(x) for x in (text_encoder, dit, vae) if x is not None]
        found = find_tokenizer(*near) if near else None
        if found is not None:
            out.missing.pop("tokenizer", None)
            out.parts["tokenizer"] = tokenizer_part(found, "comfyui")
        else:
            base = near[0].parent if near else Path(ckpt_dir or ".")
            out.missing["tokenizer"] = tokenizer_missing_sentence(base)
    out.missing = {p: out.missing[p] for p in PARTS if p in out.missing}
    return out


def check_parts(ckpt_dir: str | Path | None = None, **files: str | Path | None) -> ModelParts:
    """:func:`detect_parts`, raising :class:`CheckpointError` unless every part is usable."""
    return detect_parts(ckpt_dir, **files).check()


__all__ = ["detect_folder", "detect_parts", "check_parts", "cl"]
