"""How to apply a LoRA: merged into the weight, or as a low-rank side path — measured.

For one real-size linear of the 5B (3072×3072 and the FFN's 14336×3072, bf16, rank 32) and
T tokens, times: the linear itself; building the merged weight ``(W.float() + s·B@A).to(bf16)``
(what a merge costs per tensor, and what re-merging "at use" would cost per forward); and
the side path ``B(A x)``. Runs on the CPU (the choice in docs/MODELS.md was made with it) or
``--device cuda``.

    python -m bench.bench_lora_paths [--device cuda] [--threads 2]
"""

from __future__ import annotations

import argparse
import time

import torch
import torch.nn.functional as F


def _time(fn, device: torch.device, repeat: int = 3) -> float:
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
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rank", type=int, default=32)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    torch.manual_seed(0)
    bf16 = torch.bfloat16
    tokens = (1024, 4096) if device.type == "cpu" else (4096, 27280)
    for out_f, in_f in ((3072, 3072), (14336, 3072)):
        w = torch.randn(out_f, in_f, device=device).to(bf16)
        a = torch.randn(args.rank, in_f, device=device).to(bf16)
        b = torch.randn(out_f, args.rank, device=device).to(bf16)
        for t in tokens:
            x = torch.randn(t, in_f, device=device).to(bf16)
            base = _time(lambda x=x, w=w: F.linear(x, w), device)
            merge = _time(
                lambda w=w, a=a, b=b: (w.float() + (b.float() @ a.float()) * 0.5).to(bf16), device
            )
            side = _time(lambda x=x, a=a, b=b: F.linear(F.linear(x, a), b), device)
            print(
                f"{out_f}x{in_f} T={t}: linear {base * 1e3:.1f} ms | merged weight {merge * 1e3:.1f} ms "
                f"({100 * merge / base:.0f}% of the linear) | side path {side * 1e3:.1f} ms "
                f"({100 * side / base:.0f}%) | backup to un-merge {w.numel() * 2 / 2**20:.0f} MiB"
            )


if __name__ == "__main__":
    main()
