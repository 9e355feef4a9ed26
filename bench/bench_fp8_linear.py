"""fp8 weights kept fp8 and dequantized at use (engine/weights/fp8.py), measured: one block's
worth of real-size linears of the 5B, bf16 weights vs float8_e4m3fn "scaled" weights, T tokens;
checks the fp8 result against the dequantized weight's and reports bytes held.

    python -m bench.bench_fp8_linear [--device cuda] [--tokens 27280]
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn

from engine.weights import fp8 as fp8m


def _time(fn, device: torch.device, repeat: int = 5) -> float:
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return (time.perf_counter() - start) / repeat


@torch.no_grad()
def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--tokens", type=int, default=None)
    args = ap.parse_args()
    device = torch.device(args.device)
    tokens = args.tokens or (27280 if device.type == "cuda" else 1024)
    torch.manual_seed(0)
    shapes = [(3072, 3072)] * 8 + [(14336, 3072), (3072, 14336)]  # q,k,v,o ×2, ffn.0, ffn.2
    bf16 = [nn.Linear(i, o, device=device, dtype=torch.bfloat16) for o, i in shapes]
    q8 = []
    for lin in bf16:
        new = nn.Linear(lin.in_features, lin.out_features, device=device, dtype=torch.bfloat16)
        new.bias.data.copy_(lin.bias.data)
        w8, scale = fp8m.quantize_scaled(lin.weight.data)
        fp8m.assign_fp8(new, w8, scale, device)
        q8.append(new)
    xs = {i: torch.randn(tokens, i, device=device, dtype=torch.bfloat16) for _, i in shapes}
    t_bf16 = _time(lambda: [lin(xs[lin.in_features]) for lin in bf16], device)
    t_fp8 = _time(lambda: [lin(xs[lin.in_features]) for lin in q8], device)
    worst = 0.0
    for lin8 in q8:
        ref = nn.functional.linear(
            xs[lin8.in_features],
            fp8m.dequantize(lin8.weight, lin8.fp8_scale, torch.bfloat16),
            lin8.bias,
        )
        worst = max(worst, float((lin8(xs[lin8.in_features]) - ref).abs().max()))
    b16 = sum(lin.weight.numel() * 2 for lin in bf16)
    b8 = sum(lin.weight.numel() for lin in q8)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(f"{name}, {tokens} tokens, one block's 10 linears: bf16 {t_bf16 * 1e3:.2f} ms, "
          f"fp8 kept + dequantized at use {t_fp8 * 1e3:.2f} ms ({100 * t_fp8 / t_bf16:.0f}%); "
          f"weights {b16 / 2**20:.0f} MiB vs {b8 / 2**20:.0f} MiB; max |fp8 path - dequantized ref| {worst:g}")  # fmt: skip


if __name__ == "__main__":
    main()
