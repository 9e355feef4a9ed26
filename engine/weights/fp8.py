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

**fp8 compute** (``--precision fp8``, :func:`prepare_fp8_compute`): a linear with
``fp8_compute`` set multiplies in float8 on the tensor cores instead of dequantizing: its
weight is float8 e4m3 with one scale per output row (``amax(row) / 448``), each call scales
the activations per token the same way and calls PyTorch's ``torch._scaled_mm`` (the kernel
torchao's float8 row-wise mode calls), ``y = (x8 · W8ᵀ) · s_x · s_w`` accumulated in float32,
then the bias and any LoRA side path in the run's dtype.  :func:`reference_fp8_linear` writes
the same rule out in float32 (the tests' independent check).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

FP8_DTYPES = tuple(getattr(torch, n) for n in ("float8_e4m3fn", "float8_e5m2") if hasattr(torch, n))
E4M3 = getattr(torch, "float8_e4m3fn", None)
E4M3_MAX = 448.0  # torch.finfo(torch.float8_e4m3fn).max
_EPS = 1e-12  # an all-zero row keeps a finite scale


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


def quantize_rows(w: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """``(W8, scale)``: float8 e4m3 with one float32 scale per row (``amax(row) / 448``)."""
    wf = w.float()
    scale = (wf.abs().amax(dim=1) / E4M3_MAX).clamp(min=_EPS)
    return (wf / scale[:, None]).clamp(-E4M3_MAX, E4M3_MAX).to(E4M3), scale


_ROWS = 4096  # tokens quantized at a time: the float32 working copy stays ~4096 × K × 4 bytes


def _quantize_tokens(x2: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Activations ``[M, K]`` → float8 e4m3 and a ``[M, 1]`` float32 scale per token, in
    float32 arithmetic, a slice of rows at a time (one float32 copy of a whole 27k-token
    FFN input would be 3 GiB)."""
    lo, hi = torch.aminmax(x2, dim=1, keepdim=True)  # no |x| copy
    scale = (torch.maximum(-lo, hi).float() / E4M3_MAX).clamp(min=_EPS)
    if _compiling():
        # Inductor fuses the cast into one kernel (no float32 copy is ever stored); the
        # sliced form below makes it emit a masked float8 constant that Triton 3.6 cannot
        # build ("no attribute 'get_fp8e4nv'", seen on the H200 with torch 2.11).
        return (x2.float() / scale).clamp(-E4M3_MAX, E4M3_MAX).to(E4M3), scale
    out = torch.empty(x2.shape, dtype=E4M3, device=x2.device)
    for start in range(0, x2.shape[0], _ROWS):
        rows = slice(start, start + _ROWS)
        out[rows] = (x2[rows].float() / scale[rows]).clamp(-E4M3_MAX, E4M3_MAX).to(E4M3)
    return out, scale


def _compiling() -> bool:
    compiler = getattr(torch, "compiler", None)
    return bool(compiler is not None and getattr(compiler, "is_compiling", lambda: False)())


def fp8_matmul(x: torch.Tensor, w8: torch.Tensor, w_scale: torch.Tensor) -> torch.Tensor:
    """``x · Wᵀ`` with both sides in float8 e4m3, row-wise scales, float32 accumulation;
    ``w8`` ``[N, K]`` e4m3, ``w_scale`` ``[N]`` float32.  Returns ``x``'s dtype."""
    k = x.shape[-1]
    x8, sx = _quantize_tokens(x.reshape(-1, k))
    y = torch._scaled_mm(x8, w8.t(), scale_a=sx, scale_b=w_scale.reshape(1, -1), out_dtype=x.dtype)
    return y.reshape(*x.shape[:-1], w8.shape[0])


def reference_fp8_linear(x: torch.Tensor, w: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
    """The same rule written out in float32 without ``_scaled_mm`` (for checking): round the
    activations per token and the weight per row to e4m3, multiply the rounded values in
    float32, apply both scales."""
    k = w.shape[1]
    xf = x.reshape(-1, k).float()
    sx = (xf.abs().amax(dim=1, keepdim=True) / E4M3_MAX).clamp(min=_EPS)
    xq = (xf / sx).clamp(-E4M3_MAX, E4M3_MAX).to(E4M3).float()
    wf = w.float()
    sw = (wf.abs().amax(dim=1) / E4M3_MAX).clamp(min=_EPS)
    wq = (wf / sw[:, None]).clamp(-E4M3_MAX, E4M3_MAX).to(E4M3).float()
    y = (xq @ wq.t()) * sx * sw[None, :]
    if bias is not None:
        y = y + bias.float()
    return y.reshape(*x.shape[:-1], w.shape[0])


def fp8_compute_problem(device: torch.device) -> str | None:
    """Why fp8 matmuls cannot run on ``device`` (None: they can).  Tries one tiny
    ``_scaled_mm``: torch builds and GPUs differ in what they support."""
    if E4M3 is None or not hasattr(torch, "_scaled_mm"):
        return f"this PyTorch ({torch.__version__}) has no float8 matmul (torch._scaled_mm)"
    if device.type == "cuda":
        major, minor = torch.cuda.get_device_capability(device)
        if (major, minor) < (8, 9):
            name = torch.cuda.get_device_name(device)
            return f"{name} (compute capability {major}.{minor}) has no fp8 tensor cores"
    try:
        x = torch.ones(16, 32, device=device, dtype=torch.bfloat16)
        w8, sw = quantize_rows(torch.ones(16, 32, device=device))
        fp8_matmul(x, w8, sw)
    except (RuntimeError, NotImplementedError, TypeError) as exc:
        return f"this PyTorch ({torch.__version__}) cannot multiply in float8 on {device}: {str(exc).splitlines()[0]}"
    return None


class AdaptedLinear(nn.Linear):
    """``nn.Linear`` with an optional fp8 weight scale and optional LoRA side factors."""

    fp8_scale: torch.Tensor | None
    lora_down: torch.Tensor | None
    lora_up: torch.Tensor | None
    fp8_compute: bool = False  # multiply in float8 (weight e4m3, fp8_scale per row)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight
        if self.fp8_compute:
            y = fp8_matmul(x, w, self.fp8_scale)
            if self.bias is not None:
                y = y + self.bias.to(x.dtype)
        elif w.dtype != x.dtype:  # fp8 (scaled or not) or a stored dtype other than the run's
            w = dequantize(w, self.fp8_scale, x.dtype)
        if not self.fp8_compute:
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


def to_fp8_compute(linear: nn.Linear) -> int:
    """Make ``linear`` multiply in float8: its weight becomes e4m3 with one scale per row.
    A weight already in e4m3 with a per-tensor scale (a scaled-fp8 file) keeps its values,
    the scale repeated per row; other weights are quantized.  Returns the weight's elements."""
    lin = adapt(linear)
    w = lin.weight.data
    if w.dtype == E4M3 and (lin.fp8_scale is None or lin.fp8_scale.numel() in (1, w.shape[0])):
        scale = torch.ones((), device=w.device) if lin.fp8_scale is None else lin.fp8_scale.float()
        w8, sw = w, scale.reshape(-1).expand(w.shape[0]).contiguous()
    else:
        w8, sw = quantize_rows(dequantize(w, lin.fp8_scale, torch.float32) if is_fp8(w) else w)
    lin._parameters["weight"] = nn.Parameter(w8, requires_grad=False)
    lin.fp8_scale = sw
    lin.fp8_compute = True
    return w8.numel()


from engine.request import DIT_BLOCK_LINEARS, PRECISION_LINEARS  # noqa: E402  (torch-free names)


def prepare_fp8_compute(
    dit: nn.Module, kinds: tuple[str, ...] = PRECISION_LINEARS["fp8"], skip_blocks: tuple[int, ...] = ()
) -> tuple[int, int]:
    """Turn the chosen block linears of ``dit`` (a WanModel) to fp8 compute, in place, on the
    device the weights are on.  Returns ``(linears, weight elements)`` converted."""
    unknown = set(kinds) - set(DIT_BLOCK_LINEARS)
    if unknown:
        raise ValueError(f"unknown DiT linears {sorted(unknown)}; known: {', '.join(DIT_BLOCK_LINEARS)}")
    count = elements = 0
    for i, block in enumerate(dit.blocks):
        if i in skip_blocks:
            continue
        for kind in kinds:
            elements += to_fp8_compute(block.get_submodule(kind))
            count += 1
    return count, elements


def fp8_compute_linears(module: nn.Module) -> int:
    """How many linears inside ``module`` multiply in float8."""
    return sum(1 for m in module.modules() if isinstance(m, AdaptedLinear) and m.fp8_compute)
