"""LoRA files for the Wan DiT: three key styles read into the original module names, the
merge math, and applying/removing LoRAs on a loaded model without touching the disk.

Styles (DESIGN.md §7), all parsed into original module paths (``blocks.0.self_attn.q``):

- ``original`` (Wan/DiffSynth/ai-toolkit): ``diffusion_model.blocks.0.self_attn.q.lora_A.weight``
  / ``lora_B`` (or ``lora_down`` / ``lora_up``), ``.alpha``, ``.diff``, ``.diff_b``;
- ``kohya`` (kohya/musubi-tuner): ``lora_unet_blocks_0_self_attn_q.lora_down.weight`` …;
- ``diffusers`` (diffusers/PEFT): ``transformer.blocks.0.attn1.to_q.lora_A.weight``, the
  bias delta as ``lora_B.bias``, alpha from ``lora_adapter_metadata`` when present.

Math: ``W += strength · (alpha / rank) · (up @ down)`` in float32 (rank = ``down.shape[0]``,
no alpha → factor 1), ``W += strength · diff``, ``b += strength · diff_b``.

Applying (:func:`apply_loras`): low-rank pairs on linears that run through their own forward
go on a side path (:class:`engine.weights.fp8.AdaptedLinear`): the stored weights stay as
loaded, so a change of LoRAs or strengths only swaps small factors. Everything else (``diff``,
``diff_b``, convolutions, linears whose weight the model reads directly) is merged in place,
and the tensor it replaced is kept to put back before the next change — only touched
tensors, never a reload.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from engine.errors import CheckpointError
from engine.weights import fp8 as fp8m
from engine.weights.formats import keys

STYLES = ("original", "kohya", "diffusers")
_KINDS = {
    "lora_A.weight": "down",
    "lora_down.weight": "down",
    "lora_A.default.weight": "down",
    "lora_B.weight": "up",
    "lora_up.weight": "up",
    "lora_B.default.weight": "up",
    "lora_B.bias": "diff_b",
    "alpha": "alpha",
    "diff": "diff",
    "diff_b": "diff_b",
}
_KEY_RE = re.compile(
    r"^(?P<mod>.+?)\.(?P<kind>lora_[AB](?:\.default)?\.weight|lora_(?:down|up)\.weight|lora_B\.bias"
    r"|alpha|diff_b|diff)$"
)
# kohya names: the module path with dots as underscores; Wan's grammar makes it unambiguous
_KOHYA_MODULES = [
    (re.compile(r"^blocks_(\d+)_(self_attn|cross_attn)_(q|k|v|o|norm_q|norm_k|k_img|v_img|norm_k_img)$"),
     lambda m: f"blocks.{m[1]}.{m[2]}.{m[3]}"),
    (re.compile(r"^blocks_(\d+)_ffn_(\d+)$"), lambda m: f"blocks.{m[1]}.ffn.{m[2]}"),
    (re.compile(r"^blocks_(\d+)_(norm\d|modulation)$"), lambda m: f"blocks.{m[1]}.{m[2]}"),
    (re.compile(r"^(text_embedding|time_embedding|time_projection)_(\d+)$"), lambda m: f"{m[1]}.{m[2]}"),
    (re.compile(r"^head_head$"), lambda m: "head.head"),
    (re.compile(r"^patch_embedding$"), lambda m: "patch_embedding"),
]  # fmt: skip
_PREFIXES = {
    "original": ("model.diffusion_model.", "diffusion_model."),
    "kohya": ("lora_unet_",),
    "diffusers": ("transformer.", "base_model.model."),
}


@dataclass
class LoraTarget:
    """What one LoRA file does to one module (original path, e.g. ``blocks.0.self_attn.q``)."""

    module: str
    down: torch.Tensor | None = None  # [rank, in, *kernel]
    up: torch.Tensor | None = None  # [out, rank, *1]
    alpha: float | None = None
    diff: torch.Tensor | None = None  # full weight delta
    diff_b: torch.Tensor | None = None  # bias delta
    keys: list[str] = field(default_factory=list)  # the file's keys for this module

    @property
    def rank(self) -> int:
        return int(self.down.shape[0]) if self.down is not None else 0

    @property
    def factor(self) -> float:
        """``alpha / rank`` (1 without alpha)."""
        return self.alpha / self.rank if self.alpha is not None and self.rank else 1.0


@dataclass
class LoraFile:
    path: Path
    style: str
    targets: dict[str, LoraTarget]
    tensor_count: int
    default_alpha: float | None = None  # from lora_adapter_metadata (diffusers)

    def ranks(self) -> list[int]:
        return sorted({t.rank for t in self.targets.values() if t.rank})

    def alphas(self) -> list[float]:
        return sorted({t.alpha for t in self.targets.values() if t.alpha is not None})

    def kinds(self) -> list[str]:
        """Targeted module kinds without block numbers: ``self_attn.q``, ``ffn.0`` …"""
        return sorted({re.sub(r"^blocks\.\d+\.", "", m) for m in self.targets})

    def blocks(self) -> list[int]:
        return sorted({int(m.split(".")[1]) for m in self.targets if m.startswith("blocks.")})

    def describe(self) -> str:
        ranks = ", ".join(map(str, self.ranks())) or "-"
        alphas = ", ".join(f"{a:g}" for a in self.alphas()) or "none (factor 1)"
        parts = {"up/down": 0, "diff": 0, "diff_b": 0}
        for t in self.targets.values():
            parts["up/down"] += t.down is not None
            parts["diff"] += t.diff is not None
            parts["diff_b"] += t.diff_b is not None
        what = ", ".join(f"{n} {k}" for k, n in parts.items() if n)
        blocks = self.blocks()
        span = f"blocks {blocks[0]}–{blocks[-1]}" if blocks else "no blocks"
        return (
            f"LoRA ({self.style} style), {self.tensor_count} tensors, rank {ranks}, alpha {alphas}; "
            f"{len(self.targets)} modules ({what}) in {span}: {', '.join(self.kinds())}"
        )


def _refuse(path: Path, what: str) -> CheckpointError:
    return CheckpointError(
        f"The LoRA {path.name} {what}.",
        "Use a LoRA trained for Wan2.2 TI2V-5B (a LoRA of another model does not fit).",
    )


def detect_style(names: Sequence[str]) -> str:
    if any(k.startswith("lora_unet_") for k in names):
        return "kohya"
    if any(k.startswith(_PREFIXES["diffusers"]) for k in names):
        return "diffusers"
    return "original"


def _module_of(path_in_file: str, style: str) -> str | None:
    """The original module path for a LoRA's module path, or None if Wan has no such name."""
    if style == "kohya":
        for rx, fn in _KOHYA_MODULES:
            if m := rx.match(path_in_file):
                return fn(m)
        return None
    if style == "diffusers" or re.search(
        r"\.(attn[12]|ffn\.net|condition_embedder)\.|^proj_out", path_in_file
    ):
        try:
            return keys.dit_from_diffusers(path_in_file)
        except KeyError:
            return None
    return path_in_file


def parse_lora(path: str | Path, state: Mapping[str, torch.Tensor] | None = None) -> LoraFile:
    """Read a LoRA ``.safetensors`` into original module paths (no model needed).

    Unreadable files, DoRA, and keys that are not LoRA keys at all are refused, naming the
    first such key; names of modules this model lacks are kept for :func:`match_lora` to judge.
    """
    path = Path(path)
    metadata: dict[str, str] = {}
    if state is None:
        from safetensors import safe_open

        try:
            with safe_open(str(path), framework="pt", device="cpu") as f:
                metadata = dict(f.metadata() or {})
                state = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118
        except Exception as e:  # safetensors raises its own error type for damaged files
            raise _refuse(
                path, f"cannot be read ({type(e).__name__}: {e}); it is damaged or truncated"
            ) from None
    names = list(state)
    if not names:
        raise _refuse(path, "holds no tensors")
    if any("dora_scale" in k for k in names):
        first = next(k for k in names if "dora_scale" in k)
        raise _refuse(path, f"is a DoRA ({first}); Artifex merges plain LoRAs only")
    style = detect_style(names)
    default_alpha = None
    if meta := metadata.get("lora_adapter_metadata"):
        try:
            cfg = json.loads(meta)
            if cfg.get("lora_alpha") is not None and cfg.get("r"):
                default_alpha = float(cfg["lora_alpha"])
        except (ValueError, TypeError, AttributeError):
            pass
    targets: dict[str, LoraTarget] = {}
    for k in names:
        bare = k
        for p in _PREFIXES[style] + (_PREFIXES["original"] if style == "diffusers" else ()):
            if bare.startswith(p):
                bare = bare[len(p) :]
                break
        m = _KEY_RE.match(bare)
        if not m:
            raise _refuse(path, f"holds {k!r}, which is not a LoRA tensor of a Wan DiT")
        module = _module_of(m["mod"], style) or f"?{m['mod']}"  # '?' = no Wan module of that name
        kind = _KINDS[m["kind"]]
        t = targets.setdefault(module, LoraTarget(module))
        t.keys.append(k)
        v = state[k]
        if kind == "alpha":
            t.alpha = float(v.float().item())
        else:
            setattr(t, kind, v)
    for t in targets.values():
        if (t.down is None) != (t.up is None):
            raise _refuse(path, f"has only half of a low-rank pair ({t.keys[0]})")
        if t.down is not None and t.alpha is None and default_alpha is not None:
            t.alpha = default_alpha
        if t.down is not None and t.up.shape[1] != t.down.shape[0]:
            raise _refuse(path, f"has a low-rank pair of two ranks ({t.keys[0]})")
    return LoraFile(path, style, targets, len(names), default_alpha)


@dataclass
class LoraMatch:
    """What of a LoRA fits a model: the targets to apply and how many tensors they hold."""

    lora: LoraFile
    applied: dict[str, LoraTarget]
    applied_tensors: int
    unmatched: list[str]  # file keys naming modules the model does not have

    def message(self) -> str:
        name = self.lora.path.name
        if not self.unmatched:
            return f"{name}: all {self.applied_tensors} tensors applied."
        return (
            f"{name}: {self.applied_tensors} of {self.lora.tensor_count} tensors applied; "
            f"{len(self.unmatched)} name modules this model lacks (first: {self.unmatched[0]})."
        )


def match_lora(lora: LoraFile, shapes: Mapping[str, Sequence[int]]) -> LoraMatch:
    """Check a parsed LoRA against the model's parameter shapes (original names).

    Refused (:class:`CheckpointError`, first mismatching key named): no tensor fits (another
    model's LoRA), or any fitting name with a wrong shape. A LoRA that only partly fits is
    applied in part; :meth:`LoraMatch.message` says how much.
    """
    applied: dict[str, LoraTarget] = {}
    unmatched: list[str] = []
    count = 0
    for module, t in lora.targets.items():
        wname, bname = f"{module}.weight", f"{module}.bias"
        if module.startswith("?") or (wname not in shapes and module not in shapes):
            unmatched.extend(k for k in t.keys if not k.endswith(".alpha"))
            continue
        wshape = tuple(shapes.get(wname) or shapes[module])
        if t.down is not None:
            out, inn = wshape[0], int(torch.tensor(wshape[1:]).prod()) if len(wshape) > 1 else 1
            d, u = t.down.reshape(t.down.shape[0], -1), t.up.reshape(t.up.shape[0], -1)
            if d.shape[1] != inn or u.shape[0] != out:
                raise _refuse(
                    lora.path,
                    f"does not fit this model: {t.keys[0]} gives a [{u.shape[0]}, {d.shape[1]}] "
                    f"update for {wname} of shape {list(wshape)}",
                )
        if t.diff is not None and tuple(t.diff.shape) != wshape:
            raise _refuse(
                lora.path,
                f"does not fit: its diff for {wname} has shape {list(t.diff.shape)}, the model {list(wshape)}",
            )
        if t.diff_b is not None:
            if bname not in shapes or tuple(t.diff_b.shape) != tuple(shapes[bname]):
                raise _refuse(
                    lora.path,
                    f"does not fit: its bias delta for {module} has shape {list(t.diff_b.shape)}",
                )
        applied[module] = t
        count += len(t.keys)
    if not applied:
        first = unmatched[0] if unmatched else next(iter(lora.targets.values())).keys[0]
        raise _refuse(
            lora.path,
            f"fits none of this model's modules (first key: {first}) — it is another model's LoRA",
        )
    return LoraMatch(lora, applied, count, unmatched)


# ------------------------------------------------------------------------------ the math


def lowrank_delta(t: LoraTarget, strength: float, shape: Sequence[int]) -> torch.Tensor:
    """``strength · (alpha/rank) · (up @ down)`` in float32, shaped like the weight."""
    d = t.down.float().reshape(t.down.shape[0], -1)
    u = t.up.float().reshape(t.up.shape[0], -1)
    return ((u @ d) * (strength * t.factor)).reshape(tuple(shape))


def merge_into_state(
    state: dict[str, torch.Tensor], match: LoraMatch, strength: float
) -> dict[str, torch.Tensor]:
    """Merge into a state dict (original names), each tensor in float32 then cast back to
    its dtype. Returns ``state`` (changed in place). Used for pre-merged folders and tests."""
    for module, t in match.applied.items():
        wname = f"{module}.weight" if f"{module}.weight" in state else module
        w = state[wname]
        acc = w.float()
        if t.down is not None:
            acc = acc + lowrank_delta(t, strength, w.shape)
        if t.diff is not None:
            acc = acc + strength * t.diff.float()
        state[wname] = acc.to(w.dtype)
        if t.diff_b is not None:
            b = state[f"{module}.bias"]
            state[f"{module}.bias"] = (b.float() + strength * t.diff_b.float()).to(b.dtype)
    return state


# ------------------------------------------------------------------ applying to a model


@dataclass
class LoraState:
    """What :func:`apply_loras` changed on a model, to put back before the next change."""

    merged_backups: dict[str, tuple[torch.Tensor, torch.Tensor | None]] = field(
        default_factory=dict
    )
    side_modules: set[str] = field(default_factory=set)
    applied: list[str] = field(default_factory=list)  # messages, one per LoRA

    @property
    def active(self) -> bool:
        return bool(self.merged_backups or self.side_modules)


def _get_tensor(model: nn.Module, name: str) -> tuple[nn.Module, str, torch.Tensor]:
    owner_name, _, leaf = name.rpartition(".")
    owner = model.get_submodule(owner_name) if owner_name else model
    return owner, leaf, getattr(owner, leaf)


def _set_param(owner: nn.Module, leaf: str, t: torch.Tensor) -> None:
    if leaf in owner._parameters:
        owner._parameters[leaf] = nn.Parameter(t, requires_grad=False)
    else:
        owner._buffers[leaf] = t


def remove_loras(model: nn.Module, state: LoraState) -> None:
    """Put every touched tensor back and drop every side path (no disk access)."""
    for name, (t, scale) in state.merged_backups.items():
        owner, leaf, _ = _get_tensor(model, name)
        _set_param(owner, leaf, t)
        if scale is not None and isinstance(owner, fp8m.AdaptedLinear):
            owner.fp8_scale = scale
    for module in state.side_modules:
        lin = model.get_submodule(module)
        if isinstance(lin, fp8m.AdaptedLinear):
            lin.set_lora(None, None)
    state.merged_backups.clear()
    state.side_modules.clear()
    state.applied.clear()


def apply_loras(
    model: nn.Module,
    loras: Sequence[tuple[LoraFile, float]],
    state: LoraState,
    *,
    compute_dtype: torch.dtype,
    side_path: Callable[[str], bool] = lambda name: True,
    equal_blocks: bool = True,
) -> LoraState:
    """Replace the LoRAs on ``model`` by ``loras`` (``(file, strength)``; strength 0 = off).

    ``side_path(module)`` says which ``nn.Linear`` may take the low-rank side path (their own
    ``forward`` runs); the rest are merged in place with the replaced tensor kept. With
    ``equal_blocks`` every block gets factors of the same shapes (zeros where a LoRA skips a
    block) so block offload, which needs identical blocks, streams them with each block.
    """
    remove_loras(model, state)
    shapes = {k: tuple(v.shape) for k, v in model.state_dict(keep_vars=True).items()}
    side: dict[str, list[tuple[torch.Tensor, torch.Tensor]]] = {}
    modules = dict(model.named_modules())
    for lora, strength in loras:
        match = match_lora(lora, shapes)
        state.applied.append(match.message())
        if strength == 0:
            continue
        for module, t in match.applied.items():
            target = modules.get(module)
            lowrank_side = (
                t.down is not None and isinstance(target, nn.Linear) and side_path(module)
            )
            if lowrank_side:
                d = t.down.reshape(t.down.shape[0], -1).float()
                u = t.up.reshape(t.up.shape[0], -1).float() * (strength * t.factor)
                side.setdefault(module, []).append((d, u))
            if t.diff is not None or (t.down is not None and not lowrank_side):
                _merge_weight(
                    model, module, t, strength, state, compute_dtype, lowrank=not lowrank_side
                )
            if t.diff_b is not None:
                _merge_bias(model, module, t, strength, state)
    if equal_blocks:
        _equalize(side, model)
    for module, pairs in side.items():
        lin = fp8m.adapt(model.get_submodule(module))
        dev = lin.weight.device
        down = torch.cat([d for d, _ in pairs], 0).to(device=dev, dtype=compute_dtype)
        up = torch.cat([u for _, u in pairs], 1).to(device=dev, dtype=compute_dtype)
        lin.set_lora(down, up)
        state.side_modules.add(module)
    return state


def _merge_weight(model, module, t, strength, state, compute_dtype, *, lowrank: bool) -> None:
    try:
        owner, leaf, w = _get_tensor(model, f"{module}.weight")
        wname = f"{module}.weight"
    except AttributeError:  # a bare parameter such as blocks.0.modulation
        owner, leaf, w = _get_tensor(model, module)
        wname = module
    scale = getattr(owner, "fp8_scale", None) if leaf == "weight" else None
    if wname not in state.merged_backups:
        state.merged_backups[wname] = (w.detach(), scale)
    acc = fp8m.dequantize(w, scale, torch.float32) if fp8m.is_fp8(w) else w.detach().float()
    if lowrank and t.down is not None:
        acc = acc + lowrank_delta(t, strength, w.shape).to(acc.device)
    if t.diff is not None:
        acc = acc + strength * t.diff.float().to(acc.device)
    dtype = compute_dtype if fp8m.is_fp8(w) else w.dtype
    _set_param(owner, leaf, acc.to(dtype))
    if scale is not None:
        owner.fp8_scale = None  # the merged weight is no longer fp8


def _merge_bias(model, module, t, strength, state) -> None:
    owner, leaf, b = _get_tensor(model, f"{module}.bias")
    name = f"{module}.bias"
    if name not in state.merged_backups:
        state.merged_backups[name] = (b.detach(), None)
    _set_param(
        owner, leaf, (b.detach().float() + strength * t.diff_b.float().to(b.device)).to(b.dtype)
    )


def _equalize(side: dict[str, list[tuple[torch.Tensor, torch.Tensor]]], model: nn.Module) -> None:
    """Give every block the same factor shapes per module kind (zeros where absent)."""
    by_kind: dict[str, dict[int, int]] = {}
    for module, pairs in side.items():
        if m := re.match(r"^blocks\.(\d+)\.(.+)$", module):
            by_kind.setdefault(m[2], {})[int(m[1])] = sum(d.shape[0] for d, _ in pairs)
    if not by_kind:
        return
    n_blocks = len(model.get_submodule("blocks")) if hasattr(model, "blocks") else 0
    for kind, ranks in by_kind.items():
        top = max(ranks.values())
        for i in range(n_blocks):
            module = f"blocks.{i}.{kind}"
            lin = model.get_submodule(module)
            have = ranks.get(i, 0)
            if have < top:
                pad = top - have
                side.setdefault(module, []).append(
                    (torch.zeros(pad, lin.in_features), torch.zeros(lin.out_features, pad))
                )
