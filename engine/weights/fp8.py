"""Linears whose stored weight stays as it was read (fp8 included) and that may carry LoRAs.

:class:`AdaptedLinear` is ``nn.Linear`` with two optional extras, both plain buffers so they
travel with the module (``.to()``, block offload streams them with the block):

- ``fp8_scale``: the weight is kept in float8 (half the RAM/VRAM of fp16 and half the
  host→device bytes in block offload); at use it becomes ``(W.float() · scale).to(x.dtype)``
  — the published "scaled fp8" rule — for this one matmul only. This works on every device
  (the CPU and GPUs without fp8 matmuls): only the dequantized copy meets the matmul.
- ``lora_down`` ``[R, in]`` / ``lora_up`` ``[out, R]``: LoRAs as a low-rank side path,
  ``y = W x + b + up(down(x))`` with each LoRA's ``strength · alpha / rank`` folded into its
  rows of ``up``. Several LoRAs are concatenated along R. The stored weight is never
  changed, so switching LoRAs or strengths costs no reload and no un-merge (see
  docs/MODELS.md for the measurement that chose this over merging).

The parameter names stay those of ``nn.Linear`` (``weight``, ``bias``): the state dict and
every name check are unchanged. Modules are converted in place with :func:`adapt`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

FP8_DTYPES = tuple(getattr(torch, n) for n in ("float8_e4m3fn", "float8_e5m2") if hasattr(torch, n))


def is_fp8(t: torch.Tensor) -> bool:
    return t.dtype in FP8_DTYPES


def dequantize(w: torch.Tensor, scale: torch.Tensor | None, dtype: torch.dtype) -> torch.Tensor:
    """``(W.float() · scale).to(dtype)``; a per-row scale (``[out]``/``[out, 1]``) broadcasts."""
    x = w.float()
    if scale is not None:
        s = scale.float()
        if s.numel() > 1:
            s = s.reshape(-1, *([1] * (x.dim() - 1)))
        x = x * s
    return x.to(dtype)


def quantize_scaled(
    w: torch.Tensor, dtype: torch.dtype = FP8_DTYPES[0]
) -> tuple[torch.Tensor, torch.Tensor]:
    """``(W_fp8, scale)`` with ``scale = max|W| / fp8_max`` (how scaled-fp8 files are made);
    :func:`dequantize` inverts it within fp8 rounding. Used to build test files."""
    fmax = torch.finfo(dtype).max
    scale = (w.float().abs().max() / fmax).clamp(min=1e-12).reshape(())
    return (w.float() / scale).clamp(-fmax, fmax).to(dtype), scale.to(torch.float32)


class AdaptedLinear(nn.Linear):
    """``nn.Linear`` with an optional fp8 weight scale and optional LoRA side factors."""

    fp8_scale: torch.Tensor | None
    lora_down: torch.Tensor | None
    lora_up: torch.Tensor | None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight
        if w.dtype != x.dtype:  # fp8 (scaled or not) or a stored dtype other than the run's
            w = dequantize(w, self.fp8_scale, x.dtype)
        bias = self.bias
        if bias is not None and bias.dtype != x.dtype:
            bias = bias.to(x.dtype)
        y = F.linear(x, w, bias)
        if self.lora_down is not None:
            y = y + F.linear(F.linear(x, self.lora_down.to(x.dtype)), self.lora_up.to(x.dtype))
        return y

    # -- state

    def set_lora(self, down: torch.Tensor | None, up: torch.Tensor | None) -> None:
        """Install (or with None, remove) the concatenated LoRA factors; shapes checked."""
        if down is None or up is None:
            self.lora_down = None
            self.lora_up = None
            return
        assert down.dim() == 2 and up.dim() == 2 and down.shape[0] == up.shape[1]
        assert down.shape[1] == self.in_features and up.shape[0] == self.out_features
        self.lora_down = down
        self.lora_up = up


def adapt(linear: nn.Linear) -> AdaptedLinear:
    """Turn an ``nn.Linear`` into an :class:`AdaptedLinear` in place (same parameters)."""
    if not isinstance(linear, AdaptedLinear):
        linear.__class__ = AdaptedLinear
        linear.register_buffer("fp8_scale", None, persistent=False)
        linear.register_buffer("lora_down", None, persistent=False)
        linear.register_buffer("lora_up", None, persistent=False)
    return linear  # type: ignore[return-value]


def assign_fp8(linear: nn.Linear, weight: torch.Tensor, scale: torch.Tensor | None, device) -> None:
    """Keep ``weight`` (float8) as the linear's stored weight, with its scale (if any)."""
    lin = adapt(linear)
    lin._parameters["weight"] = nn.Parameter(weight.to(device), requires_grad=False)
    lin.fp8_scale = None if scale is None else scale.to(device=device, dtype=torch.float32)


def fp8_bytes(module: nn.Module) -> int:
    """Bytes held in float8 weights inside ``module``."""
    return sum(p.numel() for p in module.parameters() if is_fp8(p))
