"""How much of fp8's error is the scale granularity, and how much the e4m3 format itself:
one DiT FFN linear (3072 → 14336) on 4,096 tokens, activations and weights rounded to e4m3
with per-tensor, per-row (ours, torchao's PerRow) and per-128-block scales (1×128 activation
groups, 128×128 weight tiles), the product in float64, against the exact float64 product.
CPU only (rounding emulated exactly); no GPU needed.

    python bench/fp8_scales.py
"""

from __future__ import annotations

import torch

E4M3 = torch.float8_e4m3fn
FMAX = 448.0


def rounded(x: torch.Tensor, groups: tuple[int, int]) -> torch.Tensor:
    """``x`` [R, C] rounded to e4m3 with one scale per (groups[0] × groups[1]) tile."""
    r, c = x.shape
    gr, gc = min(groups[0], r), min(groups[1], c)
    tiles = x.reshape(r // gr, gr, c // gc, gc)
    scale = (tiles.abs().amax(dim=(1, 3), keepdim=True) / FMAX).clamp(min=1e-12)
    q = (tiles / scale).clamp(-FMAX, FMAX).to(E4M3).to(torch.float64) * scale
    return q.reshape(r, c)


def main() -> None:
    g = torch.Generator().manual_seed(0)
    tokens, k, n = 4096, 3072, 14336
    cases = {
        "gaussian activations": torch.randn(tokens, k, generator=g, dtype=torch.float64),
        "activations with outlier channels (8 of 3072 × 50)": None,
    }
    x_out = torch.randn(tokens, k, generator=g, dtype=torch.float64)
    x_out[:, torch.randperm(k, generator=g)[:8]] *= 50
    cases["activations with outlier channels (8 of 3072 × 50)"] = x_out
    w = torch.randn(n, k, generator=g, dtype=torch.float64) * 0.02
    schemes = {
        "per tensor": ((10**9, 10**9), (10**9, 10**9)),
        "per row (ours, torchao PerRow)": ((1, 10**9), (1, 10**9)),
        "per 128-block (1×128 / 128×128)": ((1, 128), (128, 128)),
        "per 32-block (1×32 / 32×32)": ((1, 32), (32, 32)),
    }
    print(f"one linear {k} → {n}, {tokens} tokens; relative L2 error of the product against float64")
    for name, x in cases.items():
        exact = x @ w.t()
        bf16 = x.to(torch.bfloat16).to(torch.float64) @ w.to(torch.bfloat16).to(torch.float64).t()
        print(f"\n{name}: bf16 inputs {((bf16 - exact).norm() / exact.norm()).item():.2e}")
        for label, (gx, gw) in schemes.items():
            y = rounded(x, gx) @ rounded(w, gw).t()
            print(f"  {label:34s} {((y - exact).norm() / exact.norm()).item():.2e}")


if __name__ == "__main__":
    main()
