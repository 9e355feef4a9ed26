"""One typed settings object, saved as JSON in the user data folder.

``Settings`` is a plain dataclass (defaults and help text in one place); ``SettingsStore``
wraps it for Qt: ``set()`` emits ``changed(name, value)``, ``save()`` writes atomically.
Loading is tolerant: unknown keys are dropped, values of the wrong type fall back to the
default, and a file that is not JSON is moved aside (``settings.damaged-<time>.json``) and
defaults are used — the store then carries a message for the window to show.

The generation defaults are the engine's model presets (``engine.config.PRESETS``), read
here and nowhere else in the app: with no model folder the demo model's (``tiny``: a short
clip that finishes in seconds on a CPU), with a folder the real model's (``ti2v-5B``).
A fresh install has no folder, so ``Settings()`` starts with the demo's.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from artifex_gui.paths import data_dir
from engine.config import PRESETS, GenerationDefaults

SETTINGS_VERSION = 1
SETTINGS_FILE = "settings.json"
REAL_PRESET, DEMO_PRESET = "ti2v-5B", "tiny"
# The settings a model preset decides; the rest are the user's own.
PRESET_FIELDS = ("size_preset", "width", "height", "frames", "steps", "guidance", "shift")


def preset_defaults(preset: str) -> dict[str, Any]:
    """The generation settings of ``engine.config.PRESETS[preset]``."""
    d: GenerationDefaults = PRESETS[preset].defaults
    size = f"{d.width}*{d.height}"
    return {
        "size_preset": size if size in ("1280*704", "704*1280") else "custom",
        "width": d.width,
        "height": d.height,
        "frames": d.frames,
        "steps": d.steps,
        "guidance": d.guidance,
        "shift": d.shift,
    }


def defaults_for(model_dir: str) -> dict[str, Any]:
    """The demo model's defaults without a folder, the real model's with one."""
    return preset_defaults(REAL_PRESET if model_dir else DEMO_PRESET)


QUICK_DEMO = preset_defaults(DEMO_PRESET)
_START = QUICK_DEMO  # a fresh install has no model folder


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    language: str = field(default="system", metadata={"help": "system, en or ko"})
    model_dir: str = field(default="", metadata={"help": "Wan2.2-TI2V-5B folder; empty: demo model"})
    # single model parts (ComfyUI files), used instead of / over model_dir; empty: none
    dit_file: str = ""
    t5_file: str = ""
    vae_file: str = ""
    tokenizer_dir: str = ""
    loras: list[dict] = field(
        default_factory=list, metadata={"help": "[{path, strength, enabled}], applied in order"}
    )
    output_dir: str = field(default="", metadata={"help": "where videos go; empty: Videos/Artifex"})
    prompt: str = ""
    negative_prompt: str = field(default="", metadata={"help": "empty: the model's default"})
    image_path: str = ""
    size_preset: str = field(default=_START["size_preset"], metadata={"help": "1280*704, 704*1280 or custom"})
    width: int = _START["width"]
    height: int = _START["height"]
    frames: int = _START["frames"]
    steps: int = _START["steps"]
    guidance: float = _START["guidance"]
    shift: float = _START["shift"]
    seed: int = -1
    random_seed: bool = True
    last_seed: int = -1
    solver: str = "unipc"
    cache: str = field(default="off", metadata={"help": "step cache: off, magcache, easycache or fbc"})
    cache_threshold: float = field(default=0.0, metadata={"help": "step cache threshold; 0 reuses nothing"})
    timesteps: str = field(default="1000,757,522", metadata={"help": "few-step sampler timesteps"})
    distilled: str = field(default="fastwan", metadata={"help": "distilled checkpoint kind: fastwan or turbo"})
    attention: str = "auto"
    dtype: str = "bf16"
    decode_mode: str = "auto"  # the VAE decode (engine DECODE_CHOICES)
    precision: str = "dtype"  # "fp8": the DiT linears multiply in float8 (engine PRECISIONS)
    offload_mode: str = "auto"
    low_ram: bool = field(
        default=False, metadata={"help": "for 16 GB PCs: the text encoder is read for each new prompt, not kept"}
    )
    keep_latents: bool = field(
        default=True, metadata={"help": "keep each run's final latents beside its report (decode again)"}
    )
    history_folders: list[str] = field(
        default_factory=list, metadata={"help": "folders the History tab lists besides output_dir"}
    )
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    splitter_state: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def has_preset(self, preset: str) -> bool:
        """True while every preset-decided setting still has ``preset``'s value."""
        return all(getattr(self, k) == v for k, v in preset_defaults(preset).items() if k != "size_preset")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Tolerant: keeps what has the right type, defaults the rest."""
        defaults = cls()
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data or f.name == "version":
                continue
            value, default = data[f.name], getattr(defaults, f.name)
            if isinstance(default, bool):
                ok = isinstance(value, bool)
            elif isinstance(default, float):
                ok = isinstance(value, (int, float)) and not isinstance(value, bool)
                value = float(value) if ok else value
            elif isinstance(default, int):
                ok = isinstance(value, int) and not isinstance(value, bool)
            elif f.name == "loras":
                ok = isinstance(value, list)
                value = [x for x in (_lora_entry(v) for v in value) if x] if ok else value
            elif isinstance(default, list):
                ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
                value = list(value) if ok else value
            else:
                ok = isinstance(value, type(default))
            if ok:
                kwargs[f.name] = value
        return cls(**kwargs)


def _lora_entry(value: Any) -> dict | None:
    """One remembered LoRA ``{path, strength, enabled}``; None when damaged."""
    if not isinstance(value, dict) or not isinstance(value.get("path"), str) or not value["path"]:
        return None
    strength = value.get("strength", 1.0)
    if not isinstance(strength, (int, float)) or isinstance(strength, bool):
        strength = 1.0
    enabled = value.get("enabled", True)
    return {"path": value["path"], "strength": float(strength), "enabled": bool(enabled)}


class SettingsStore(QObject):
    """Holds the current :class:`Settings`; one ``changed`` signal for every field."""

    changed = Signal(str, object)  # field name, new value

    def __init__(self, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder) if folder is not None else data_dir()
        self.values = Settings()
        self.load_message = ""  # set when the file was damaged and moved aside

    @property
    def path(self) -> Path:
        return self.folder / SETTINGS_FILE

    def get(self, name: str) -> Any:
        return getattr(self.values, name)

    def set(self, name: str, value: Any) -> None:
        if not hasattr(self.values, name):
            raise AttributeError(f"no setting named {name!r}")
        if getattr(self.values, name) != value:
            setattr(self.values, name, value)
            self.changed.emit(name, value)

    def load(self) -> Settings:
        self.load_message = ""
        if not self.path.is_file():
            self.values = Settings()
            return self.values
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("top level is not an object")
            version = data.get("version", 0)
            if not isinstance(version, int):
                raise ValueError("version is not a number")
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            aside = self.folder / f"settings.damaged-{time.strftime('%Y%m%d-%H%M%S')}.json"
            try:
                os.replace(self.path, aside)
                where = str(aside)
            except OSError:
                where = "(could not be moved)"
            self.values = Settings()
            self.load_message = (
                f"The settings file was damaged ({exc}); it was kept as {where} and the "
                "default settings are used."
            )
            return self.values
        # Newer files (version > ours) load tolerantly too: unknown keys are dropped.
        self.values = Settings.from_dict(data)
        return self.values

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.values.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)  # atomic: a crash never leaves half a file
