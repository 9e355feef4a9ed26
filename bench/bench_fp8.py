"""fp8 compute (``--precision fp8``, engine/weights/fp8.py) on the full-size DiT: the error of
each choice of block linears against the same run's bf16 and fp32 outputs, then the step time
of the bf16 baseline and the fp8 variants, compiled, same weights, same inputs, same process.

    python bench/bench_fp8.py --out $OUT/fp8.json        # H200: ~6 minutes
    python bench/bench_fp8.py --tiny                     # CPU smoke test of this script

1. error per kind: one kind of block linear (say ``ffn.2``) in fp8 in all 30 blocks, the rest
   bf16; one image-conditioned pass at 1280×704×121 → relative error of the DiT's output
   against bf16 and against fp32 (eager: what the error comes from, not the speed);
2. greedy variants: start from every block linear in fp8, take out the kind with the largest
   error of its own, measure, repeat while above the target (2e-2 against bf16); plus the
   same with the first and last blocks kept in bf16;
3. speed: a step (both CFG passes, batch 2 as the engine runs it on CUDA) compiled, for bf16
   and each variant; the rows give s/step, the ratio to bf16 and the error;
4. an independent check: torchao's float8 row-wise dynamic quantization (if importable) on one
   real-size linear against ours.

Random weights (std 0.02, bench/common.py): the error of real weights with their outliers is
not measured here.
"""

from __future__ import annotations

import argparse
import copy
import gc
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_dit import build_ours  # noqa: E402
from bench.common import GiB, env_line, median, rel_err, sync, timed, write_json  # noqa: E402
from engine.config import WanConfig  # noqa: E402
from engine.nets.attention import resolve  # noqa: E402
from engine.nets.dit import compile_blocks  # noqa: E402
from engine.sampling.denoise import token_segments  # noqa: E402
from engine.weights import fp8  # noqa: E402

TARGET = 2e-2


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1280*704")
    ap.add_argument("--frames", type=int, default=121)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--no-compile", action="store_true")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() and not args.tiny else "cpu")
    dtype = torch.bfloat16
    if args.tiny:
        cfg, (w, h), frames = WanConfig(dim=64, ffn_dim=128, num_heads=2, num_layers=3, text_dim=32), (128, 96), 9
    else:
        cfg, frames = WanConfig(), args.frames
        w, h = (int(x) for x in args.size.split("*"))
    compiled = device.type == "cuda" and not args.no_compile
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
    problem = fp8.fp8_compute_problem(device)
    lat_shape = (1, 48, (frames - 1) // 4 + 1, h // 16, w // 16)
    grid = (lat_shape[2], lat_shape[3] // 2, lat_shape[4] // 2)
    tokens = grid[0] * grid[1] * grid[2]
    lengths = token_segments(grid, image_conditioned=True)
    res: dict = {"env": env_line(), "tokens": tokens, "fp8_problem": problem, "target": TARGET,
                 "kinds": {}, "variants": {}, "speed": {}}
    print(res["env"], f"tokens {tokens}", f"fp8: {problem or 'available'}", flush=True)
    if problem:
        write_json(args.out, res)
        sys.exit(f"fp8 compute unavailable: {problem}")

    gen = torch.Generator(device=device).manual_seed(0)
    latents = torch.randn(lat_shape, generator=gen, device=device)
    ctx_c = torch.randn(1, 120, cfg.text_dim, generator=gen, device=device) * 0.1
    ctx_u = torch.randn(1, 300, cfg.text_dim, generator=gen, device=device) * 0.1
    ts = torch.tensor([[0.0, 937.0]], device=device)
    ours = build_ours(cfg, device, dtype)
    attn = resolve("auto", device, dtype, cfg.num_heads, cfg.head_dim)
    res["attention_kernel"] = attn.kernel
    with torch.inference_mode():
        e_c, e_u = ours.embed_text(ctx_c), ours.embed_text(ctx_u)
        e_both = torch.cat([e_c, e_u])
    lat2 = latents.expand(2, *latents.shape[1:])

    def one_pass(model):
        with torch.inference_mode():
            return model(latents, ts, lengths, e_c, attn.fn, context_embedded=True).float()

    def step(model):
        with torch.inference_mode():
            return model(lat2, ts, lengths, e_both, attn.fn, context_embedded=True)

    ref16 = one_pass(ours)
    ours32 = build_ours(cfg, device, torch.float32)
    ours32.load_state_dict({k: v.float() for k, v in ours.state_dict().items()})
    attn32 = resolve("sdpa", device, torch.float32, cfg.num_heads, cfg.head_dim)
    with torch.inference_mode():
        ref32 = ours32(latents, ts, lengths, ours32.embed_text(ctx_c), attn32.fn, context_embedded=True).float()
    del ours32
    gc.collect()
    res["bf16_vs_fp32"] = rel_err(ref16, ref32)
    print(f"bf16 vs fp32, one pass: {res['bf16_vs_fp32']:.3e}", flush=True)
    write_json(args.out, res)

    def measure(name: str, kinds, skip_blocks=()) -> float:
        model = copy.deepcopy(ours)
        n, elements = fp8.prepare_fp8_compute(model, tuple(kinds), tuple(skip_blocks))
        out = one_pass(model)
        row = {"kinds": list(kinds), "skip_blocks": list(skip_blocks), "linears": n,
               "vs_bf16": rel_err(out, ref16), "vs_fp32": rel_err(out, ref32),
               "fp8_weight_gib": elements / GiB}
        del model, out
        gc.collect()
        if device.type == "cuda":
            torch.cuda.empty_cache()
        print(f"  {name}: {n} linears, vs bf16 {row['vs_bf16']:.3e}, vs fp32 {row['vs_fp32']:.3e}", flush=True)
        return row

    print("error per kind (that kind in fp8 in every block, the rest bf16):", flush=True)
    for kind in fp8.DIT_BLOCK_LINEARS:
        res["kinds"][kind] = measure(kind, [kind])
        write_json(args.out, res)

    print("greedy variants:", flush=True)
    order = sorted(fp8.DIT_BLOCK_LINEARS, key=lambda k: -res["kinds"][k]["vs_bf16"])
    last = cfg.num_layers - 1
    kinds = list(fp8.DIT_BLOCK_LINEARS)
    for edge in ((), (0, last)):
        kinds = list(fp8.DIT_BLOCK_LINEARS)
        while kinds:
            tag = f"fp8 {'+'.join(kinds) if len(kinds) < 10 else 'all'}" + (" (blocks 0, last in bf16)" if edge else "")
            row = measure(tag, kinds, edge)
            res["variants"][tag] = row
            write_json(args.out, res)
            if row["vs_bf16"] <= TARGET:
                break
            worst = next(k for k in order if k in kinds)
            kinds.remove(worst)

    print("speed (a step: both CFG passes in one batch of 2):", flush=True)
    candidates = [("bf16", None, ())]
    candidates.append(("fp8 all", list(fp8.DIT_BLOCK_LINEARS), ()))
    within = [(t, r) for t, r in res["variants"].items() if r["vs_bf16"] <= TARGET]
    for tag, row in sorted(within, key=lambda tr: -tr[1]["linears"])[:2]:
        if row["linears"] != len(fp8.DIT_BLOCK_LINEARS) * cfg.num_layers:
            candidates.append((tag, row["kinds"], tuple(row["skip_blocks"])))
    for tag, kinds, edge in candidates:
        model = ours if kinds is None else copy.deepcopy(ours)
        if kinds is not None:
            fp8.prepare_fp8_compute(model, tuple(kinds), edge)
        if compiled:
            compile_blocks(model)
        t0 = time.perf_counter()
        step(model)
        sync()
        first = time.perf_counter() - t0
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats()
        seconds = median(timed(lambda m=model: step(m), args.repeats))
        peak = torch.cuda.max_memory_allocated() / GiB if device.type == "cuda" else 0.0
        weights = sum(p.numel() * p.element_size() for p in model.parameters()) / GiB
        res["speed"][tag] = {"seconds": seconds, "first_seconds": first, "peak_gib": peak,
                             "weights_gib": weights, "compiled": compiled}
        base = res["speed"]["bf16"]["seconds"]
        print(f"  {tag}: {seconds:.3f} s/step ({seconds / base:.3f}× bf16), first call {first:.1f} s, "
              f"weights {weights:.2f} GiB, peak {peak:.2f} GiB", flush=True)
        write_json(args.out, res)
        if kinds is not None:
            del model
            gc.collect()
            if device.type == "cuda":
                torch.cuda.empty_cache()

    print("independent check against torchao (one real-size linear):", flush=True)
    try:
        from torchao.quantization import (
            Float8DynamicActivationFloat8WeightConfig,
            PerRow,
            quantize_,
        )

        lin = torch.nn.Linear(cfg.dim, cfg.ffn_dim, device=device, dtype=dtype)
        x = torch.randn(4096, cfg.dim, device=device, dtype=dtype)
        ao = copy.deepcopy(lin)
        quantize_(ao, Float8DynamicActivationFloat8WeightConfig(granularity=PerRow()))
        mine = copy.deepcopy(lin)
        fp8.to_fp8_compute(mine)
        with torch.inference_mode():
            y_ao, y_mine, y16 = ao(x).float(), mine(x).float(), lin(x).float()
            y_ref = fp8.reference_fp8_linear(x, lin.weight, lin.bias)
        res["torchao"] = {"ours_vs_torchao": rel_err(y_mine, y_ao), "torchao_vs_bf16": rel_err(y_ao, y16),
                          "ours_vs_bf16": rel_err(y_mine, y16), "ours_vs_written_out": rel_err(y_mine, y_ref)}
        print("  " + ", ".join(f"{k} {v:.3e}" for k, v in res["torchao"].items()), flush=True)
    except Exception as exc:  # torchao missing or of another torch
        res["torchao"] = {"error": f"{type(exc).__name__}: {exc}"}
        print(f"  not run: {res['torchao']['error']}", flush=True)
    write_json(args.out, res)


if __name__ == "__main__":
    main()
