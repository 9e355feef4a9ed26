"""Recognising a few-step distilled TI2V-5B checkpoint (DESIGN.md §8) from what its folder
says about itself — names and metadata, never the weights (they have the base model's shapes).

- FastWan2.2-TI2V-5B (FastVideo): a Diffusers folder whose model card (README.md) or
  ``model_index.json`` / ``transformer/config.json`` ``_name_or_path`` names FastWan.
- Wan2.2-TI2V-5B-Turbo (quanhaol): a ``generator.pt`` / ``generator*.safetensors`` of the DiT
  (keys prefixed ``model.``) over the base folder, or a card/name that says Turbo.

A folder we cannot tell stays a base model; the user's "Distilled model" preset (or
``--distilled``) chooses then.  What was recognised, and from which file, is said in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from engine.config import DISTILLED_TIMESTEPS

DISTILLED_KINDS = tuple(DISTILLED_TIMESTEPS)  # ("fastwan", "turbo")
_CARD_BYTES = 32_768


@dataclass(frozen=True)
class DistilledInfo:
    kind: str  # "fastwan" | "turbo"
    reason: str  # what told us, for the log

    @property
    def timesteps(self) -> tuple[int, ...]:
        return DISTILLED_TIMESTEPS[self.kind]


def _kind_in(text: str) -> str | None:
    low = text.lower()
    if "fastwan" in low:
        return "fastwan"
    if "ti2v-5b-turbo" in low or "wan2.2-turbo" in low or "turbo" in low.replace("-", " ").split():
        return "turbo"
    return None


def _read_text(path: Path, limit: int = _CARD_BYTES) -> str:
    try:
        with path.open("rb") as fh:
            return fh.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return ""


def detect_distilled(path: str | Path | None) -> DistilledInfo | None:
    """The distilled model a checkpoint file or folder is, or None when nothing says so."""
    if path is None:
        return None
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    names = [path.name] if path.is_file() else []
    kind = _kind_in(path.name)
    if kind:
        return DistilledInfo(kind, f"the name {path.name!r}")
    if not folder.is_dir():
        return None
    for child in sorted(folder.iterdir()):
        names.append(child.name)
        if (
            child.is_file()
            and child.name.lower().startswith("generator")
            and child.suffix in (".pt", ".safetensors")
        ):
            return DistilledInfo("turbo", f"the Turbo generator file {child.name!r}")
    for rel in ("model_index.json", "config.json", "transformer/config.json"):
        meta = folder / rel
        if not meta.is_file():
            continue
        try:
            data = json.loads(_read_text(meta, 1_000_000))
        except ValueError:
            continue
        if isinstance(data, dict):
            for key in ("_name_or_path", "model_name", "name"):
                value = data.get(key)
                if isinstance(value, str) and (kind := _kind_in(value)):
                    return DistilledInfo(kind, f"{rel} ({key}: {value!r})")
    card = folder / "README.md"
    if card.is_file():
        head = _read_text(card)
        # the card's front matter and title, not any passing mention further down
        for line in head.splitlines()[:40]:
            if line.startswith("#") or line.lower().startswith(("base_model", "model_name", "- ")):
                if kind := _kind_in(line):
                    return DistilledInfo(kind, f"README.md ({line.strip()[:80]!r})")
    return None
