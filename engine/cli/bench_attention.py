"""``artifex-cli bench-attention``: time each attention backend that works here."""

from __future__ import annotations

from engine.cli.common import EXIT_OK
from engine.request import DTYPES


def add_bench_attention_parser(sub) -> None:
    b = sub.add_parser("bench-attention", help="time each working attention backend on this machine")
    b.add_argument("--size", default="1280*704")
    b.add_argument("--frame_num", type=int, default=121)
    b.add_argument("--tokens", type=int, default=None, help="override the token count")
    b.add_argument("--heads", type=int, default=24)
    b.add_argument("--head_dim", type=int, default=128)
    b.add_argument("--dtype", choices=DTYPES, default="bf16")
    b.add_argument("--device", default="auto")
    b.add_argument("--repeats", type=int, default=5)


def cmd_bench_attention(args) -> int:
    import torch

    from engine.config import PRESETS, token_count
    from engine.nets.attention import (
        attention_flops,
        chunked_fn,
        resolve_device,
        sdpa_fn,
        time_kernel,
        working_kernels,
    )
    from engine.nets.dtypes import torch_dtype
    from engine.request import parse_size

    device = resolve_device(args.device)
    dtype = torch_dtype(args.dtype)
    if args.tokens:
        tokens = args.tokens
    else:
        w, h = parse_size(args.size)
        tokens = token_count(PRESETS["ti2v-5B"].token_grid(args.frame_num, w, h))
    if device.type == "cpu" and not args.tokens and tokens > 4096:
        print(f"note: {tokens} tokens would take minutes on the CPU; timing 4096 (use --tokens to force)")
        tokens = 4096
    kernels = dict(working_kernels(device, dtype, args.head_dim))
    kernels["sdpa"] = sdpa_fn(None)
    kernels["chunked"] = chunked_fn(kernels.get("cudnn") or kernels.get("flash") or sdpa_fn("math"), 8192)
    flops = attention_flops(1, args.heads, tokens, tokens, args.head_dim)
    print(f"device {device}, {args.dtype}, {args.heads} heads × {args.head_dim}, {tokens} tokens, non-causal")
    rows = []
    for name, fn in kernels.items():
        try:
            seconds = time_kernel(fn, device, dtype, args.heads, args.head_dim, tokens, repeats=args.repeats)
            rows.append((name, seconds))
        except Exception as exc:  # e.g. the math kernel out of memory at full size
            rows.append((name, f"failed: {str(exc).splitlines()[0][:60]}"))
        if device.type == "cuda":
            torch.cuda.empty_cache()
    print(f"{'backend':<12} {'ms':>10} {'TFLOP/s':>9}")
    for name, value in rows:
        if isinstance(value, float):
            print(f"{name:<12} {value * 1e3:>10.2f} {flops / value / 1e12:>9.3g}")
        else:
            print(f"{name:<12} {value}")
    return EXIT_OK
