"""Which format each model part is in, from a folder (any layout) and/or single files.

Torch-free: reads JSON files and safetensors headers only, so the GUI can show at once what
it found per part and exactly what is missing. Layouts recognised:

- ``original``: the ``Wan2.2-TI2V-5B`` folder (config.json, DiT shards + index, umT5 ``.pth``,
  ``Wan2.2_VAE.pth``, ``google/umt5-xxl/``);
- ``diffusers``: ``Wan2.2-TI2V-5B-Diffusers`` (``model_index.json``, ``transformer/``,
  ``text_encoder/``, ``tokenizer/``, ``vae/``; sharded or single safetensors);
- ``comfyui``: single ``.safetensors`` files (DiT with or without ``model.diffusion_model.``,
  umT5 in HF names fp16/bf16/fp8 or "scaled" fp8, the Wan2.2 VAE), given one by one or lying
  together in one folder;
- a mixed set: any part from any of these, the later given overriding the earlier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import CheckpointError
from engine.weights.formats import classify as cl
from engine.weights.formats.files import (
    SafetensorsHeader,
    check_complete,
    check_pth,
    dtype_summary,
    is_lfs_pointer,
    read_header,
)

PARTS = ("dit", "text_encoder", "vae", "tokenizer")
PART_LABELS = {
    "dit": "DiT (diffusion model)",
    "text_encoder": "text encoder (umT5-XXL)",
    "vae": "VAE (Wan2.2)",
    "tokenizer": "tokenizer (umT5)",
}
MODEL_NAME = "Wan2.2-TI2V-5B"
# original layout
ORIG_CONFIG = "config.json"
ORIG_DIT_INDEX = "diffusion_pytorch_model.safetensors.index.json"
ORIG_DIT_SINGLE = "diffusion_pytorch_model.safetensors"
ORIG_T5 = "models_t5_umt5-xxl-enc-bf16.pth"
ORIG_VAE = "Wan2.2_VAE.pth"
ORIG_TOKENIZER = "google/umt5-xxl"
TOKENIZER_FILES = ("tokenizer.json", "spiece.model")  # either one is enough
# where a tokenizer may lie next to single files
TOKENIZER_NEARBY = ("google/umt5-xxl", "tokenizer", "umt5-xxl", "umt5_xxl")
TOKENIZER_COMMAND = (
    'huggingface-cli download Wan-AI/Wan2.2-TI2V-5B --include "google/umt5-xxl/*" '
    '--local-dir "{folder}"'
)
DOWNLOADS = {
    "original": "huggingface-cli download Wan-AI/Wan2.2-TI2V-5B --local-dir <folder>",
    "diffusers": "huggingface-cli download Wan-AI/Wan2.2-TI2V-5B-Diffusers --local-dir <folder>",
    "comfyui": "the files of Comfy-Org/Wan_2.2_ComfyUI_Repackaged (split_files/...)",
}


def human_size(n: int) -> str:
    """``9.31 GiB``, ``20.4 MiB``, ``812 KiB``."""
    for unit, div in (("GiB", 2**30), ("MiB", 2**20)):
        if n >= div:
            return f"{n / div:.{2 if unit == 'GiB' else 1}f} {unit}"
    return f"{max(1, round(n / 1024))} KiB"


@dataclass(frozen=True)
class Part:
    """One model part as found on disk (no weights read)."""

    part: str  # one of PARTS
    format: str  # "original" | "diffusers" | "comfyui"
    files: tuple[Path, ...]  # the weight files (or the tokenizer folder)
    names: str = "original"  # how tensor names are spelled: original | diffusers | hf
    prefix: str = ""  # name prefix to strip (ComfyUI DiT)
    dtype: str = ""  # stored dtypes, e.g. "bfloat16" or "float8_e4m3fn 92% + float32 8%"
    quantization: str | None = None  # "fp8 scaled" | "fp8" | None
    size_bytes: int = 0
    parameters: int | None = None  # None where it needs torch to count (.pth)
    config: Mapping[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.files[0] if len(self.files) == 1 else self.files[0].parent

    def describe(self) -> str:
        """``"ComfyUI file wan2.2_ti2v_5B_fp16.safetensors, float16, 9.31 GiB, 5.00 B parameters"``."""
        what = {"original": "original", "diffusers": "Diffusers", "comfyui": "ComfyUI"}.get(
            self.format, self.format
        )
        where = (
            f"file {self.files[0].name}"
            if len(self.files) == 1 and self.files[0].is_file()
            else f"folder {self.path}"
        )
        bits = [f"{what} {where}"]
        if self.dtype:
            bits.append(self.dtype + (f" ({self.quantization})" if self.quantization else ""))
        if self.size_bytes:
            bits.append(human_size(self.size_bytes))
        if self.parameters:
            bits.append(f"{self.parameters:,} parameters")
        return ", ".join(bits)


@dataclass
class ModelParts:
    """Where each part comes from; ``missing`` says what to get for each absent part."""

    parts: dict[str, Part] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    refused: str | None = None  # the whole set is another model

    @property
    def ok(self) -> bool:
        return not self.missing and not self.problems and not self.refused

    def summary(self) -> str:
        if self.refused:
            return self.refused
        lines = [f"The {PART_LABELS[p]} is missing: {why}" for p, why in self.missing.items()]
        return " ".join(lines + self.problems) or "All four parts of the model were found."

    def advice(self) -> str:
        if self.refused:
            return f"Artifex runs {MODEL_NAME}: choose its files (see README, Models and LoRAs)."
        if set(self.missing) == {"tokenizer"} and not self.problems:
            return ""  # the missing sentence already gives the command
        return (
            "Choose a complete folder (original or Diffusers layout) or the three ComfyUI files; "
            f"to download: {DOWNLOADS['original']}."
        )

    def check(self) -> ModelParts:
        """Raise :class:`CheckpointError` unless every part is present and usable."""
        if not self.ok:
            raise CheckpointError(self.summary(), self.advice())
        return self

    def describe_lines(self) -> list[str]:
        out = [f"{PART_LABELS[p]}: {self.parts[p].describe()}" for p in PARTS if p in self.parts]
        out += [f"{PART_LABELS[p]}: MISSING — {why}" for p, why in self.missing.items()]
        return out


# ------------------------------------------------------------------------- single files


def _headers(files: list[Path], problems: list[str]) -> list[SafetensorsHeader]:
    out = []
    for f in files:
        try:
            h = read_header(f)
        except (OSError, ValueError) as e:
            problems.append(f"{f.name} cannot be read: {e}.")
            continue
        if (why := check_complete(h)) is not None:
            problems.append(why)
        out.append(h)
    return out


def _part_from_headers(
    headers: list[SafetensorsHeader],
    fmt: str,
    want: str | None,
    problems: list[str],
    config: Mapping[str, Any] | None = None,
) -> Part | None:
    """A :class:`Part` from the headers of its files, or None (reason in ``problems``)."""
    if not headers:
        return None
    entries = {k: v for h in headers for k, v in h.tensors.items()}
    shapes = {k: v.shape for k, v in entries.items()}
    label = (
        headers[0].path.name
        if len(headers) == 1
        else f"{headers[0].path.parent} ({len(headers)} shards)"
    )
    rec = cl.classify(shapes)
    if rec is None:
        problems.append(f"{label} holds no tensors of a Wan DiT, umT5 encoder or Wan2.2 VAE.")
        return None
    if want is not None and rec.part != want:
        what = "a LoRA" if rec.part == "lora" else f"the {PART_LABELS[rec.part]}"
        problems.append(f"{label} was given as the {PART_LABELS[want]} but holds {what}.")
        return None
    if rec.refused:
        problems.append(f"{label} is {rec.refused}; Artifex runs {MODEL_NAME}.")
        return None
    if rec.part == "lora":
        problems.append(f"{label} is a LoRA; add it as a LoRA, not as a model part.")
        return None
    names = set(entries)
    missing_scale = cl.fp8_scale_problem({k: v.dtype for k, v in entries.items()}, names)
    if missing_scale:
        problems.append(
            f"{label} is a scaled-fp8 file but {missing_scale} has no "
            f"{missing_scale[: -len('.weight')]}{cl.SCALE_SUFFIX}: the file is damaged or "
            "was written by a tool Artifex does not know."
        )
        return None
    fp8 = any(v.dtype.startswith("F8") for k, v in entries.items() if k != cl.FP8_MARKER)
    quant = None
    if fp8:
        quant = "fp8 scaled" if any(k.endswith(cl.SCALE_SUFFIX) for k in names) else "fp8"
    real = {
        k: v
        for k, v in entries.items()
        if k != cl.FP8_MARKER and not k.endswith((cl.SCALE_SUFFIX, cl.INPUT_SCALE_SUFFIX))
    }
    return Part(
        part=rec.part,
        format=fmt,
        files=tuple(h.path for h in headers),
        names=rec.names,
        prefix=rec.prefix,
        dtype=dtype_summary(real),
        quantization=quant,
        size_bytes=sum(h.file_size for h in headers),
        parameters=sum(v.numel for v in real.values()),
        config=dict(config or {}),
    )


def inspect_file(path: str | Path, want: str | None = None) -> tuple[Part | None, list[str]]:
    """Recognise one ``.safetensors`` file as a part (``want`` checks it is that part)."""
    path = Path(path)
    problems: list[str] = []
    if not path.is_file():
        return None, [f"{path} does not exist."]
    if path.suffix.lower() == ".gguf":
        return None, [f"{path.name} is a GGUF file; Artifex reads safetensors (fp16/bf16/fp8)."]
    if path.suffix.lower() in (".pth", ".pt", ".ckpt", ".bin"):
        return _pth_part(path, want, problems), problems
    return _part_from_headers(_headers([path], problems), "comfyui", want, problems), problems


def _pth_part(path: Path, want: str | None, problems: list[str]) -> Part | None:
    """An original ``.pth`` (umT5 or VAE): recognised by file name, checked as an archive."""
    why = check_pth(path)
    if why:
        problems.append(why)
        return None
    lower = path.name.lower()
    part = want or ("text_encoder" if "t5" in lower else "vae" if "vae" in lower else None)
    if part not in ("text_encoder", "vae"):
        problems.append(
            f"{path.name}: a .pth file is read only as the umT5 or VAE of {MODEL_NAME}."
        )
        return None
    if part == "vae" and "2.1" in lower:
        problems.append(f"{path.name} is the Wan2.1 VAE; {MODEL_NAME} needs Wan2.2_VAE.pth.")
        return None
    dtype = "bfloat16" if part == "text_encoder" else "float32"
    return Part(part, "original", (path,), "original", dtype=dtype, size_bytes=path.stat().st_size)


def find_tokenizer(*near: Path) -> Path | None:
    """A umT5 tokenizer folder in or next to the given folders/files, else None."""
    for base in near:
        base = base if base.is_dir() else base.parent
        for cand in (base, *(base / n for n in TOKENIZER_NEARBY)):
            if any((cand / f).is_file() and not is_lfs_pointer(cand / f) for f in TOKENIZER_FILES):
                return cand
    return None


def tokenizer_part(folder: Path, fmt: str) -> Part:
    size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
    return Part("tokenizer", fmt, (folder,), dtype="", size_bytes=size)


def tokenizer_missing_sentence(folder: Path) -> str:
    return (
        "the umT5 tokenizer (~20 MB) is not in or next to these files. Fetch it with: "
        + TOKENIZER_COMMAND.format(folder=folder)
        + f" (it lands in {folder / ORIG_TOKENIZER}), or give --tokenizer_dir."
    )
