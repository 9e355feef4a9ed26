"""Read a recognised part's tensors under the ORIGINAL Wan2.2 names, one tensor at a time.

Whatever the layout (original, Diffusers, ComfyUI), a reader yields ``(name, tensor, scale)``
with ``name`` as in the original checkpoint (``blocks.0.self_attn.q.weight`` for the DiT,
``blocks.0.attn.q.weight`` for the umT5 ``.pth``, ``decoder.upsamples...`` for the VAE), so
one model class and one set of shape checks serve all formats. ``tensor`` is as stored
(float32/float16/bfloat16, or float8); ``scale`` is the float32 ``scale_weight`` of a
"scaled fp8" tensor (the real weight is ``tensor.float() * scale``), else None. Nothing is
cast here: the caller decides what stays fp8 (see :mod:`engine.weights.fp8`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import CheckpointError
from engine.weights.formats import classify as cl
from engine.weights.formats import keys
from engine.weights.formats.detect import MODEL_NAME, Part
from engine.weights.formats.files import read_header

if TYPE_CHECKING:  # pragma: no cover
    import torch

_SKIP_SUFFIXES = (cl.SCALE_SUFFIX, cl.INPUT_SCALE_SUFFIX)


def _rename(part: Part, vae_res_blocks: int):
    """The function stored name → original name for ``part`` (None = skip this tensor)."""
    prefix = part.prefix

    def strip(k: str) -> str:
        return k[len(prefix) :] if prefix and k.startswith(prefix) else k

    if part.part == "dit":
        if part.names == "diffusers":
            return lambda k: keys.dit_from_diffusers(strip(k))
        return strip
    if part.part == "text_encoder":
        if part.names == "hf":

            def t5(k: str) -> str | None:
                if k.startswith("decoder.") or k == "lm_head.weight":
                    return None  # a full T5 file: the decoder is not used
                return keys.t5_from_hf(k)

            return t5
        return lambda k: k
    if part.part == "vae":
        if part.names == "diffusers":
            return lambda k: keys.vae_from_diffusers(k, vae_res_blocks)
        return lambda k: k
    raise ValueError(part.part)


def _stored_names(part: Part) -> list[tuple[Path, str]]:
    out = []
    for f in part.files:
        out.extend((f, k) for k in read_header(f).tensors)
    return out


def name_map(part: Part) -> dict[str, tuple[Path, str]]:
    """Original name → (file, stored name) for a safetensors part; refuses foreign names.

    The umT5 embedding may be stored twice (``shared`` and ``encoder.embed_tokens``, tied):
    the first is kept.
    """
    stored = _stored_names(part)
    res = keys.vae_res_blocks_from_diffusers({k for _, k in stored}) if part.part == "vae" else 2
    rename = _rename(part, res)
    out: dict[str, tuple[Path, str]] = {}
    for f, k in stored:
        if k == cl.FP8_MARKER or k.endswith(_SKIP_SUFFIXES):
            continue
        try:
            name = rename(k)
        except KeyError:
            raise CheckpointError(
                f"{f.name} holds tensor {k!r}, which has no place in the {part.part.replace('_', ' ')} "
                f"of {MODEL_NAME}.",
                "Check that the file is the Wan2.2-TI2V-5B one (see README, Models and LoRAs).",
            ) from None
        if name is None or name in out:
            continue
        out[name] = (f, k)
    return out


def part_shapes(part: Part) -> dict[str, tuple[int, ...]]:
    """Original name → shape, from headers (safetensors) or a memory-mapped load (.pth)."""
    if part.files[0].suffix == ".pth":
        state = load_pth_state(part.files[0])
        return {k: tuple(v.shape) for k, v in state.items()}
    headers = {f: read_header(f) for f in part.files}
    return {n: headers[f].tensors[k].shape for n, (f, k) in name_map(part).items()}


def load_pth_state(path: Path) -> dict[str, torch.Tensor]:
    """A ``.pth`` state dict, ``weights_only`` (never runs code), memory-mapped."""
    from engine.weights.stream import load_pth

    return load_pth(path)


def iter_tensors(
    part: Part, *, skip: set[str] | None = None, progress: Any = None
) -> Iterator[tuple[str, torch.Tensor, torch.Tensor | None]]:
    """Yield ``(original_name, stored_tensor, fp8_scale_or_None)``, one tensor at a time.

    ``progress`` (an ``engine.weights.stream.LoadMeter``) is told of every tensor read and
    every file read through, for the load's progress events."""
    import torch
    from safetensors import safe_open

    if part.files[0].suffix == ".pth":
        state = load_pth_state(part.files[0])
        if progress is not None:
            progress.opened(part.files[0], len(state))
        for k in list(state):
            t = state.pop(k)
            if skip is None or k not in skip:
                yield k, t, None
            if progress is not None:
                progress.tensor(part.files[0], t.numel() * t.element_size())
        if progress is not None:
            progress.file_done(part.files[0])
        return
    by_file: dict[Path, list[tuple[str, str]]] = {}
    for name, (f, k) in name_map(part).items():
        if skip is None or name not in skip:
            by_file.setdefault(f, []).append((name, k))
    for f, items in by_file.items():
        try:
            with safe_open(str(f), framework="pt", device="cpu") as src:
                stored = set(src.keys())
                for name, k in items:
                    t = src.get_tensor(k)
                    scale = None
                    sk = (k[: -len(".weight")] + cl.SCALE_SUFFIX) if k.endswith(".weight") else None
                    if sk is not None and sk in stored and t.dtype in _fp8_dtypes(torch):
                        scale = src.get_tensor(sk).to(torch.float32)
                    yield name, t, scale
                    if progress is not None:
                        progress.tensor(f, t.numel() * t.element_size())
            if progress is not None:
                progress.file_done(f)
        except (OSError, RuntimeError) as e:  # safetensors raises SafetensorError(RuntimeError)
            if isinstance(e, CheckpointError):
                raise
            raise CheckpointError(
                f"{f.name} cannot be read ({e}); it is damaged or truncated.",
                "Download the file again.",
            ) from None


def _fp8_dtypes(torch) -> tuple:
    return tuple(getattr(torch, n) for n in ("float8_e4m3fn", "float8_e5m2") if hasattr(torch, n))


def is_fp8(t: torch.Tensor) -> bool:
    import torch

    return t.dtype in _fp8_dtypes(torch)


def dequantize(t: torch.Tensor, scale: torch.Tensor | None, dtype: torch.dtype) -> torch.Tensor:
    """The published rule for scaled fp8: ``W = W_fp8.float() * scale_weight``, then ``dtype``.

    A per-row scale (``[out]`` or ``[out, 1]``) broadcasts over the rows.
    """
    w = t.float()
    if scale is not None:
        s = scale.float()
        if s.numel() > 1:
            s = s.reshape(-1, *([1] * (w.dim() - 1)))
        w = w * s
    return w.to(dtype)


def read_state(part: Part, dtype: torch.dtype | None = None) -> dict[str, torch.Tensor]:
    """All tensors of a part (tests and small parts): fp8 dequantized, floats cast to ``dtype``."""
    out = {}
    for name, t, scale in iter_tensors(part):
        if is_fp8(t):
            t = dequantize(t, scale, dtype or __import__("torch").float32)
        elif dtype is not None and t.is_floating_point():
            t = t.to(dtype)
        out[name] = t
    return out
