"""The kept latents of a run: ``NAME.latents.safetensors`` beside ``NAME.mp4`` and ``NAME.json``.

A run writes its final (normalised) latent here, in float32, before the VAE decode starts,
so an out-of-memory error in the decode never costs the denoising: ``artifex-cli decode
RUN.json`` and the GUI's *Decode again* turn the file into a video later, loading only the
VAE (:mod:`engine.run.decode_job`).

The file is one tensor ``latents [C, F_lat, H_lat, W_lat]`` float32 (~21 MB at 1280×704×121)
and, in the safetensors header, the plan's facts needed to decode it again — JSON under the
key ``artifex_latents``: size, frames, fps, seed, the model folder (or the demo model), the
VAE's dtype, the decode mode the run chose, the video path it aimed at and the mp4 tags.
Decoding the same latent with the same VAE, dtype and mode gives the same frames, bit for
bit on the CPU in float32.

No torch at module level: safetensors' torch API is imported where a tensor is read or written.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import ArtifexError, RequestError

if TYPE_CHECKING:  # pragma: no cover
    import torch

LATENTS_SUFFIX = ".latents.safetensors"
LATENTS_FORMAT_VERSION = 1
_HEADER_KEY = "artifex_latents"
from engine.request import DECODE_CHOICES  # noqa: E402

DECODE_MODES = DECODE_CHOICES[1:]  # full, bands, tiled (what each does: engine/request.py)


class LatentsError(ArtifexError):
    """A kept-latents file is missing, damaged or not ours."""

    kind = "bad_latents"


@dataclass(frozen=True)
class LatentsFacts:
    """What decoding a kept latent needs besides the tensor (all plain JSON data)."""

    width: int
    height: int
    frames: int
    fps: int
    seed: int
    latent_shape: tuple[int, int, int, int]  # (C, F_lat, H_lat, W_lat)
    checkpoint_dir: str | None  # None: the built-in demo model
    demo: bool
    vae_dtype: str  # "fp32" | "bf16" | "fp16": the dtype the run's VAE decoded in
    device: str  # the run's device ("cpu", "cuda:0")
    decode_mode: str  # the mode the run tried first: "full" | "tiled"
    video_path: str  # the mp4 the run aimed at
    prompt: str = ""
    video_tags: dict[str, str] = field(default_factory=dict)  # title, comment, description
    format_version: int = LATENTS_FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, source: Path) -> LatentsFacts:
        try:
            data = json.loads(text)
            data["latent_shape"] = tuple(int(v) for v in data["latent_shape"])
            data["video_tags"] = {str(k): str(v) for k, v in dict(data.get("video_tags") or {}).items()}
            names = set(cls.__dataclass_fields__)
            return cls(**{k: v for k, v in data.items() if k in names})
        except (ValueError, TypeError, KeyError) as exc:
            raise LatentsError(
                f"The latents file '{source.name}' has damaged facts ({type(exc).__name__}: {exc}).",
                "It cannot be decoded again; generate the video again.",
            ) from exc


def latents_path_for(video_path: str | os.PathLike[str]) -> Path:
    """``…/NAME.mp4`` → ``…/NAME.latents.safetensors`` (beside the video and its report)."""
    path = Path(video_path)
    return path.with_name(path.stem + LATENTS_SUFFIX)


def save_latents(path: str | os.PathLike[str], latent: torch.Tensor, facts: LatentsFacts) -> Path:
    """Write ``latent`` ([C, F, H, W], any device/dtype → float32 CPU) with ``facts``,
    atomically (temp name, then rename).  Returns the path.  Raises OSError."""
    from safetensors.torch import save_file

    from engine.outputs.video_files import write_atomically

    if tuple(latent.shape) != tuple(facts.latent_shape):
        raise ValueError(f"latent {tuple(latent.shape)} does not match the facts {facts.latent_shape}")

    def write(part: Path) -> None:
        save_file({"latents": latent.detach().float().cpu().contiguous()}, str(part),
                  metadata={_HEADER_KEY: facts.to_json()})
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(part, 0o666 & ~umask)  # safetensors creates 0600; the video beside it is 0666 & ~umask

    return write_atomically(path, write)


def read_latents_facts(path: str | os.PathLike[str]) -> LatentsFacts:
    """The facts of a latents file, from its header only (no tensor is read)."""
    source = Path(path)
    header = _header(source)
    meta = header.get("__metadata__") or {}
    if _HEADER_KEY not in meta or "latents" not in header:
        raise LatentsError(f"'{source.name}' is not an Artifex latents file.",
                           "Choose the NAME.latents.safetensors file written beside a run's report.")
    return LatentsFacts.from_json(meta[_HEADER_KEY], source)


def load_latents(path: str | os.PathLike[str]) -> tuple[torch.Tensor, LatentsFacts]:
    """The latent (float32 CPU ``[C, F, H, W]``) and its facts; raises :class:`LatentsError`."""
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    source = Path(path)
    facts = read_latents_facts(source)
    try:
        latent = load_file(str(source))["latents"]
    except (OSError, SafetensorError, KeyError) as exc:
        raise LatentsError(f"The latents file '{source}' cannot be read: {exc}.",
                           "It may be damaged; generate the video again.") from exc
    if tuple(latent.shape) != facts.latent_shape:
        raise LatentsError(f"The latents in '{source.name}' are {tuple(latent.shape)}, "
                           f"their facts say {facts.latent_shape}.", "Generate the video again.")
    return latent.float(), facts


def _header(source: Path) -> dict[str, Any]:
    """The safetensors JSON header (8-byte little-endian length, then JSON)."""
    try:
        with open(source, "rb") as handle:
            size = int.from_bytes(handle.read(8), "little")
            if not 0 < size < 100_000_000:
                raise ValueError(f"header length {size}")
            return json.loads(handle.read(size).decode("utf-8"))
    except FileNotFoundError as exc:
        raise LatentsError(f"The latents file '{source}' does not exist (deleted, or never kept).",
                           "Generate the video again; keep latents on to be able to decode again.") from exc
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise LatentsError(f"The latents file '{source}' cannot be read: {exc}.",
                           "It may be damaged; generate the video again.") from exc


def delete_latents(path: str | os.PathLike[str]) -> bool:
    """Remove a kept-latents file; True when it was there."""
    try:
        Path(path).unlink()
    except FileNotFoundError:
        return False
    return True


# --------------------------------------------------------------------------- decode again


def kept_latents_for(report_path: str | os.PathLike[str], result: dict | None = None) -> Path | None:
    """The kept latents of the run reported at ``report_path`` when the file is there: the
    one its result names (also beside the report, if the folder was moved), else
    ``NAME.latents.safetensors`` beside it.  Reads no file but the directory entries."""
    report = Path(report_path)
    named = (result or {}).get("latents_path")
    candidates = [Path(named), report.parent / Path(named).name] if named else []
    candidates.append(report.with_name(report.stem + LATENTS_SUFFIX))
    return next((p for p in candidates if p.is_file()), None)


@dataclass(frozen=True)
class DecodeRequest:
    source: str  # the run's report (NAME.json) or its NAME.latents.safetensors
    output_path: str | None = None  # None: the rule of engine.run.decode_job
    decode_mode: str | None = None  # "full" | "tiled"; None: the mode the run chose
    device: str | None = None  # None: the run's device when it is here, else "auto"

    def to_dict(self) -> dict:
        return {"source": self.source, "output_path": self.output_path,
                "decode_mode": self.decode_mode, "device": self.device}


@dataclass(frozen=True)
class DecodeSource:
    """What a decode again starts from: the latents file and the run's report, if any."""

    latents_path: Path
    report_path: Path | None


def find_source(source: str | Path) -> DecodeSource:
    """The latents file and report of ``source`` (either of the two); raises RequestError."""
    from engine.outputs.report import load_report

    path = Path(source).expanduser().absolute()
    if path.name.endswith(LATENTS_SUFFIX):
        report = path.with_name(path.name[: -len(LATENTS_SUFFIX)] + ".json")
        return DecodeSource(path, report if report.is_file() else None)
    if not path.is_file():
        raise RequestError(f"The run report '{path}' does not exist.",
                           "Give the NAME.json report written beside the run's video, or its "
                           "NAME.latents.safetensors file.")
    report = load_report(path)
    kept = report.result.get("latents_path") or _latents_named_in_events(report.events)
    if not kept and path.with_name(path.stem + LATENTS_SUFFIX).is_file():  # an older report
        kept = str(path.with_name(path.stem + LATENTS_SUFFIX))
    if not kept:
        raise RequestError(f"The run '{path.name}' kept no latents (keep latents was off, or the run "
                           "ended before its decode).", "Generate the video again.")
    latents = Path(kept)
    if not latents.is_absolute():
        latents = path.parent / latents
    if not latents.is_file():
        beside = path.parent / latents.name  # the folder was moved with its files
        if not beside.is_file():
            raise RequestError(f"The latents of '{path.name}' are gone ({latents} does not exist; "
                               "they may have been deleted in History).", "Generate the video again.")
        latents = beside
    return DecodeSource(latents, path)


def _latents_named_in_events(events: list[dict]) -> str | None:
    for data in reversed(events):
        if data.get("type") in ("RunFinished", "RunFailed") and data.get("latents_path"):
            return str(data["latents_path"])
    return None
