"""Attention backends: PyTorch SDPA kernels, our exact chunked attention, and optional
third-party kernels (SageAttention, flash-attn) used only after a self-test.

Every backend is a function ``attn(q, k, v) -> out`` on [B, H, L, d] tensors, non-causal,
no mask, dropout 0.  ``resolve(name, device, dtype, ...)`` turns a setting ("auto",
"cudnn", "chunked", ...) into such a function plus the name of the kernel that runs.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from engine.nets.dtypes import dtype_name, torch_dtype

AttnFn = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]

SDPA_KERNELS = ("flash", "cudnn", "efficient", "math")
THIRD_PARTY = ("sage", "flash-attn")
# Relative error a kernel may show against float32 math on the probe before it is refused.
_TOLERANCE = {"fp32": 2e-3, "bf16": 2.5e-2, "fp16": 1e-2}
_THIRD_PARTY_TOLERANCE = {"sage": 6e-2, "flash-attn": 2.5e-2}


@dataclass(frozen=True)
class Resolved:
    fn: AttnFn
    backend: str  # what was asked
    kernel: str  # what runs


def _sdpa_backend(kernel: str):
    from torch.nn.attention import SDPBackend

    return {
        "flash": SDPBackend.FLASH_ATTENTION,
        "cudnn": SDPBackend.CUDNN_ATTENTION,
        "efficient": SDPBackend.EFFICIENT_ATTENTION,
        "math": SDPBackend.MATH,
    }[kernel]


def sdpa_fn(kernel: str | None) -> AttnFn:
    """SDPA restricted to one kernel (None: let PyTorch choose)."""
    if kernel is None:
        return lambda q, k, v: F.scaled_dot_product_attention(q, k, v)
    from torch.nn.attention import sdpa_kernel

    backend = _sdpa_backend(kernel)

    def attn(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        with sdpa_kernel(backend):
            return F.scaled_dot_product_attention(q, k, v)

    return attn


def chunked_fn(inner: AttnFn, chunk: int | Callable[[torch.Tensor, torch.Tensor], int]) -> AttnFn:
    """Exact attention computed over query chunks: softmax is per query row, so splitting
    the queries changes nothing but the peak memory.  ``chunk`` is a query count or a
    function of (q, k) giving one."""

    def attn(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        n = chunk(q, k) if callable(chunk) else chunk
        lq = q.shape[2]
        if n >= lq:
            return inner(q, k, v)
        out = q.new_empty(q.shape[:-1] + (v.shape[-1],))
        for start in range(0, lq, n):
            out[:, :, start : start + n] = inner(q[:, :, start : start + n], k, v)
        return out

    return attn


def chunk_from_free_memory(q: torch.Tensor, k: torch.Tensor, fraction: float = 0.4) -> int:
    """Query rows per chunk so the math kernel's float32 score matrix (plus softmax copy)
    fits in ``fraction`` of free device memory; at least 128, at most all rows."""
    b, h, lq, _ = q.shape
    lk = k.shape[2]
    if q.device.type == "cuda":
        free, _ = torch.cuda.mem_get_info(q.device)
    else:
        import psutil

        free = psutil.virtual_memory().available
    bytes_per_row = b * h * lk * 4 * 3
    rows = int(free * fraction // max(1, bytes_per_row))
    return max(128, min(lq, rows // 128 * 128 if rows >= 128 else 128))


def _sage_fn() -> AttnFn | None:
    try:
        from sageattention import sageattn  # type: ignore[import-not-found]
    except Exception:
        return None
    return lambda q, k, v: sageattn(q, k, v, tensor_layout="HND", is_causal=False)


def _flash_attn_fn() -> AttnFn | None:
    try:
        from flash_attn import flash_attn_func  # type: ignore[import-not-found]
    except Exception:
        return None

    def attn(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        out = flash_attn_func(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), dropout_p=0.0)
        return out.transpose(1, 2)

    return attn


# --------------------------------------------------------------------------- probing


def _probe_inputs(device: torch.device, dtype: torch.dtype, head_dim: int, lq: int = 333, lk: int = 333):
    gen = torch.Generator(device="cpu").manual_seed(1234)
    shape_q, shape_k = (1, 2, lq, head_dim), (1, 2, lk, head_dim)
    q, k, v = (torch.randn(s, generator=gen) for s in (shape_q, shape_k, shape_k))
    return [t.to(device=device, dtype=dtype) for t in (q, k, v)]


def self_test(fn: AttnFn, device: torch.device, dtype: torch.dtype, head_dim: int, tolerance: float) -> bool:
    """True when ``fn`` runs here and agrees with float32 math attention on random input
    (odd lengths, cross-attention shape too)."""
    try:
        for lq, lk in ((333, 333), (257, 77)):
            q, k, v = _probe_inputs(device, dtype, head_dim, lq, lk)
            ref = sdpa_fn("math")(q.float(), k.float(), v.float())
            out = fn(q, k, v).float()
            if out.shape != ref.shape or not torch.isfinite(out).all():
                return False
            if ((out - ref).norm() / ref.norm()).item() > tolerance:
                return False
        return True
    except Exception:
        return False


def working_kernels(device: torch.device, dtype: torch.dtype, head_dim: int = 128) -> dict[str, AttnFn]:
    """Backends that pass the self-test on this device and dtype, by setting name."""
    tol = _TOLERANCE[dtype_name(dtype)]
    found: dict[str, AttnFn] = {}
    for kernel in SDPA_KERNELS:
        fn = sdpa_fn(kernel)
        if self_test(fn, device, dtype, head_dim, tol):
            found[kernel] = fn
    for name, maker in (("sage", _sage_fn), ("flash-attn", _flash_attn_fn)):
        fn = maker() if device.type == "cuda" else None
        if fn is not None and self_test(fn, device, dtype, head_dim, _THIRD_PARTY_TOLERANCE[name]):
            found[name] = fn
    return found


def resolve_device(device: str) -> torch.device:
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


def available_backends(device: str = "auto", dtype: str = "bf16") -> list[str]:
    """Settings that work here, for menus: "auto", "sdpa", the working kernels, "chunked"."""
    dev = resolve_device(device)
    wanted = torch_dtype(dtype)
    if dev.type == "cpu" and wanted == torch.float16:
        wanted = torch.float32
    return ["auto", "sdpa", *working_kernels(dev, wanted), "chunked"]


# --------------------------------------------------------------------------- auto choice


def _cache_path() -> Path:
    base = os.environ.get("ARTIFEX_CACHE_DIR")
    if base:
        return Path(base) / "attention_choice.json"
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "Artifex" / "cache" / "attention_choice.json"
    return Path.home() / ".cache" / "artifex" / "attention_choice.json"


def _device_key(device: torch.device, dtype: torch.dtype, heads: int, head_dim: int) -> str:
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        name = f"{props.name}|cc{props.major}.{props.minor}|cuda{torch.version.cuda}"
        try:
            import pynvml

            pynvml.nvmlInit()
            name += "|driver" + str(pynvml.nvmlSystemGetDriverVersion())
        except Exception:
            pass
    else:
        name = "cpu"
    return f"{name}|torch{torch.__version__}|{dtype_name(dtype)}|{heads}x{head_dim}"


def time_kernel(fn: AttnFn, device: torch.device, dtype: torch.dtype, heads: int, head_dim: int, length: int, repeats: int = 3) -> float:
    """Median seconds of one attention call at [1, heads, length, head_dim]."""
    q, k, v = (torch.randn(1, heads, length, head_dim, device=device, dtype=dtype) for _ in range(3))
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    fn(q, k, v)
    sync()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(q, k, v)
        sync()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def choose_auto(device: torch.device, dtype: torch.dtype, heads: int, head_dim: int, kernels: dict[str, AttnFn]) -> str:
    """Fastest working kernel on this GPU, timed once and cached per GPU/driver/torch."""
    if device.type != "cuda":
        return "sdpa"
    path = _cache_path()
    key = _device_key(device, dtype, heads, head_dim)
    try:
        cache = json.loads(path.read_text())
    except (OSError, ValueError):
        cache = {}
    if cache.get(key) in kernels:
        return cache[key]
    candidates = {k: f for k, f in kernels.items() if k != "math"}
    if not candidates:
        return "chunked"
    timings = {}
    for name, fn in candidates.items():
        try:
            timings[name] = time_kernel(fn, device, dtype, heads, head_dim, length=8192)
        except Exception:
            continue
    if not timings:
        return "chunked"
    best = min(timings, key=timings.get)
    cache[key] = best
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(cache, indent=1))
    except OSError:
        pass
    return best


def resolve(
    backend: str,
    device: torch.device,
    dtype: torch.dtype,
    heads: int,
    head_dim: int,
    chunk: int | None = None,
) -> Resolved:
    """Setting → attention function.  Raises ValueError with a clear sentence when the
    asked kernel does not work here."""
    if backend == "sdpa":
        return Resolved(sdpa_fn(None), backend, "sdpa (PyTorch's choice)")
    kernels = working_kernels(device, dtype, head_dim)
    if backend == "auto":
        choice = choose_auto(device, dtype, heads, head_dim, kernels)
        if choice == "sdpa":
            return Resolved(sdpa_fn(None), backend, "sdpa (PyTorch's choice)")
        if choice != "chunked":
            return Resolved(kernels[choice], backend, _kernel_label(choice))
        backend = "chunked"
    if backend == "chunked":
        inner_name = next((k for k in ("cudnn", "flash", "efficient") if k in kernels), "math")
        inner = kernels.get(inner_name, sdpa_fn("math"))
        size: int | Callable = chunk if chunk else chunk_from_free_memory
        label = f"chunked({_kernel_label(inner_name)}, {'auto' if chunk is None else chunk} queries)"
        return Resolved(chunked_fn(inner, size), backend, label)
    if backend in kernels:
        return Resolved(kernels[backend], backend, _kernel_label(backend))
    raise ValueError(
        f"The attention kernel '{backend}' does not work on {device} with {dtype_name(dtype)} "
        f"here (it failed its self-test or is not installed). Working: {', '.join(kernels) or 'none'}; "
        "choose 'auto' or 'chunked'."
    )


def _kernel_label(name: str) -> str:
    return {
        "flash": "sdpa-flash",
        "cudnn": "sdpa-cudnn",
        "efficient": "sdpa-efficient",
        "math": "sdpa-math",
        "sage": "sageattention",
        "flash-attn": "flash-attn",
    }.get(name, name)


def attention_flops(batch: int, heads: int, lq: int, lk: int, head_dim: int) -> float:
    """Multiply-adds ×2 of QKᵀ and PV."""
    return 4.0 * batch * heads * lq * lk * head_dim


__all__ = [
    "Resolved",
    "attention_flops",
    "available_backends",
    "chunk_from_free_memory",
    "chunked_fn",
    "resolve",
    "sdpa_fn",
    "self_test",
    "working_kernels",
]
