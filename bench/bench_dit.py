"""DiT step benchmark: ours (eager, compiled, block-streamed) beside diffusers'
WanTransformer3DModel, same random full-size weights, same inputs, same run.

    python bench/bench_dit.py --out $OUT/dit.json          # H100: ~5 minutes
    python bench/bench_dit.py --tiny                       # CPU smoke test of this script

A "step" is what one denoising step costs: two passes (cond, uncond), image-conditioned
per-token timesteps (first latent frame t=0).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (  # noqa: E402
    GiB,
    env_line,
    median,
    peak_bytes,
    random_init_,
    rel_err,
    sync,
    table,
    timed,
    write_json,
)
from engine.config import WanConfig  # noqa: E402
from engine.nets.attention import resolve  # noqa: E402
from engine.nets.dit import WanModel, compile_blocks  # noqa: E402
from engine.run.offload import BlockStreamer  # noqa: E402
from engine.sampling.denoise import token_segments  # noqa: E402
from engine.telemetry import TransferMeter  # noqa: E402


def step_flops(cfg: WanConfig, tokens: int, text: int = 512) -> float:
    d, f, n = cfg.dim, cfg.ffn_dim, cfg.num_layers
    per_block = (4 * 2 * tokens * d * d + 2 * 2 * tokens * d * d + 2 * 2 * text * d * d + 2 * 2 * tokens * d * f
                 + 4 * tokens * tokens * d + 4 * tokens * text * d)
    return 2 * n * per_block


def build_ours(cfg: WanConfig, device, dtype) -> WanModel:
    with torch.device("meta"):
        model = WanModel(cfg)
    model = model.to_empty(device=device).to(dtype)
    random_init_(model)
    return model.eval()


def build_diffusers(ours: WanModel, device, dtype):
    from diffusers import WanTransformer3DModel
    from diffusers.loaders.single_file_utils import convert_wan_transformer_to_diffusers

    cfg = ours.cfg
    with torch.device(device):
        twin = WanTransformer3DModel(
            patch_size=cfg.patch_size, num_attention_heads=cfg.num_heads, attention_head_dim=cfg.head_dim,
            in_channels=cfg.in_dim, out_channels=cfg.out_dim, text_dim=cfg.text_dim, freq_dim=cfg.freq_dim,
            ffn_dim=cfg.ffn_dim, num_layers=cfg.num_layers, cross_attn_norm=True, qk_norm="rms_norm_across_heads",
            eps=cfg.eps, rope_max_seq_len=1024)
    state = convert_wan_transformer_to_diffusers({k: v.detach().clone() for k, v in ours.state_dict().items()})
    twin = twin.to(dtype)
    # As from_pretrained(torch_dtype=bf16) does: diffusers keeps these in float32.
    keep = getattr(twin, "_keep_in_fp32_modules", None) or []
    for name, module in twin.named_modules():
        if any(k in name.split(".") for k in keep):
            module.float()
    twin.load_state_dict(state, strict=True)
    return twin.eval()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1280*704")
    ap.add_argument("--frames", type=int, default=121)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--offload-steps", type=int, default=12)
    ap.add_argument("--tiny", action="store_true", help="tiny model on the CPU: checks the script runs")
    ap.add_argument("--skip", default="", help="comma list of sections to skip: diffusers,compile,fp32,offload")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    device = torch.device("cuda" if torch.cuda.is_available() and not args.tiny else "cpu")
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    if args.tiny:
        cfg, (w, h), frames = WanConfig(dim=64, ffn_dim=128, num_heads=2, num_layers=2, text_dim=32), (128, 96), 9
        skip |= {"compile"}
    else:
        cfg, frames = WanConfig(), args.frames
        w, h = (int(x) for x in args.size.split("*"))
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
    lat_shape = (1, 48, (frames - 1) // 4 + 1, h // 16, w // 16)
    grid = (lat_shape[2], lat_shape[3] // 2, lat_shape[4] // 2)
    tokens = grid[0] * grid[1] * grid[2]
    lengths = token_segments(grid, image_conditioned=True)
    flops = step_flops(cfg, tokens)
    print(env_line())
    print(f"tokens {tokens}, step = 2 passes, {flops / 1e12:.0f} TFLOP per step", flush=True)
    results: dict = {"env": env_line(), "tokens": tokens, "step_tflop": flops / 1e12, "rows": {}}
    rows = []

    def record(name, seconds, peak, note=""):
        tf = flops / seconds / 1e12
        results["rows"][name] = {"seconds": seconds, "tflops": tf, "peak_gib": peak / GiB, "note": note}
        rows.append([name, f"{seconds:.3f}", f"{tf:.0f}", f"{peak / GiB:.2f}", note])
        print(f"  {name}: {seconds:.3f} s/step, {tf:.0f} TFLOP/s, peak +{peak / GiB:.2f} GiB {note}", flush=True)

    gen = torch.Generator(device=device).manual_seed(0)
    latents = torch.randn(lat_shape, generator=gen, device=device)
    ctx_c = torch.randn(1, 120, cfg.text_dim, generator=gen, device=device) * 0.1
    ctx_u = torch.randn(1, 300, cfg.text_dim, generator=gen, device=device) * 0.1
    ts = torch.tensor([[0.0, 937.0]], device=device)

    t0 = time.perf_counter()
    ours = build_ours(cfg, device, dtype)
    sync()
    print(f"built ours in {time.perf_counter() - t0:.1f} s; weights {torch.cuda.memory_allocated() / GiB if device.type == 'cuda' else 0:.2f} GiB", flush=True)
    attn = resolve("auto", device, dtype, cfg.num_heads, cfg.head_dim)
    print(f"attention auto → {attn.kernel}", flush=True)
    results["attention_kernel"] = attn.kernel
    with torch.inference_mode():
        e_c, e_u = ours.embed_text(ctx_c), ours.embed_text(ctx_u)

    e_both = torch.cat([e_c, e_u])
    lat2 = latents.expand(2, *latents.shape[1:])

    def ours_step(model=ours, fn=attn.fn, batched=False):
        with torch.inference_mode():
            if batched:
                out = model(lat2, ts, lengths, e_both, fn, context_embedded=True)
                return out[:1], out[1:]
            a = model(latents, ts, lengths, e_c, fn, context_embedded=True)
            b = model(latents, ts, lengths, e_u, fn, context_embedded=True)
        return a, b

    t0 = time.perf_counter()
    ours_step()
    sync()
    results["first_step_seconds"] = time.perf_counter() - t0
    (ref_a, _), peak = peak_bytes(ours_step)
    record("ours eager", median(timed(ours_step, args.repeats, 0)), peak, attn.kernel)
    ref_a = ref_a.float()

    (b2_a, _), peak = peak_bytes(lambda: ours_step(batched=True))
    record("ours eager, CFG batch 2", median(timed(lambda: ours_step(batched=True), args.repeats)), peak)
    results["batch2_vs_batch1_rel_err"] = rel_err(b2_a.float(), ref_a)
    if device.type == "cuda":
        for kernel in ("flash",):
            try:
                fn = resolve(kernel, device, dtype, cfg.num_heads, cfg.head_dim).fn
            except ValueError as exc:
                print(f"  ours {kernel}: {exc}")
                continue
            _, peak = peak_bytes(lambda fn=fn: ours_step(fn=fn))
            record(f"ours eager {kernel}", median(timed(lambda fn=fn: ours_step(fn=fn), args.repeats)), peak)

    if "diffusers" not in skip:
        twin = build_diffusers(ours, device, dtype)
        per_token = torch.cat([torch.zeros(lengths[0], device=device), torch.full((lengths[1],), 937.0, device=device)])[None]
        pad = lambda c: torch.cat([c, c.new_zeros(1, 512 - c.shape[1], c.shape[2])], 1).to(dtype)  # noqa: E731
        pc, pu = pad(ctx_c), pad(ctx_u)

        def twin_step():
            with torch.inference_mode():
                a = twin(hidden_states=latents.to(dtype), timestep=per_token, encoder_hidden_states=pc, return_dict=False)[0]
                b = twin(hidden_states=latents.to(dtype), timestep=per_token, encoder_hidden_states=pu, return_dict=False)[0]
            return a, b

        kernels = ["cudnn", "flash"] if device.type == "cuda" else [None]
        for kernel in kernels:
            from contextlib import nullcontext

            from torch.nn.attention import SDPBackend, sdpa_kernel

            ctx = nullcontext() if kernel is None else sdpa_kernel(SDPBackend.CUDNN_ATTENTION if kernel == "cudnn" else SDPBackend.FLASH_ATTENTION)
            with ctx:
                (tw_a, _), peak = peak_bytes(twin_step)
                record(f"diffusers {kernel or 'sdpa'}", median(timed(twin_step, args.repeats)), peak)
        results["ours_vs_diffusers_rel_err"] = rel_err(ref_a, tw_a.float())
        print(f"  ours vs diffusers (bf16 both): rel err {results['ours_vs_diffusers_rel_err']:.2e}", flush=True)
        del twin, tw_a
        gc.collect()
        torch.cuda.empty_cache() if device.type == "cuda" else None

    if "fp32" not in skip:
        ours32 = build_ours(cfg, device, torch.float32)
        ours32.load_state_dict({k: v.float() for k, v in ours.state_dict().items()})
        with torch.inference_mode():
            out32 = ours32(latents, ts, lengths, ctx_c, resolve("sdpa", device, torch.float32, cfg.num_heads, cfg.head_dim).fn)
        results["bf16_vs_fp32_rel_err"] = rel_err(ref_a, out32.float())
        print(f"  bf16 vs fp32 same weights, one pass: rel err {results['bf16_vs_fp32_rel_err']:.2e}", flush=True)
        del ours32, out32
        gc.collect()
        torch.cuda.empty_cache() if device.type == "cuda" else None

    if "offload" not in skip:
        meter = TransferMeter()
        streamer = BlockStreamer(ours.blocks, device, meter)
        sync()
        resident = torch.cuda.memory_allocated() if device.type == "cuda" else 0
        print(f"  block streaming: resident weights now {resident / GiB:.2f} GiB", flush=True)
        _, peak = peak_bytes(lambda: ours_step(batched=True))
        times, moved = [], []
        for _ in range(args.offload_steps):  # batch-2 CFG: each block copied once per step
            t = timed(lambda: ours_step(batched=True), 1, 0)[0]
            streamer.flush_timings()
            times.append(t)
            moved.append(meter.take())
        med = median(times)
        record("ours eager b2, block offload", med, peak + resident, f"slowest {max(times) / med:.3f}× median")
        results["offload"] = {"step_seconds": times, "h2d_gib_per_step": [m.bytes / GiB for m in moved],
                              "h2d_seconds_per_step": [m.seconds for m in moved], "peak_total_gib": (peak + resident) / GiB}
        print(f"  h2d per step {moved[-1].bytes / GiB:.2f} GiB in {moved[-1].seconds:.3f} s copy time", flush=True)
        streamer.remove()
        for block, host in zip(ours.blocks, streamer._host):
            for name, t in list(block.named_parameters()) + list(block.named_buffers()):
                t.data = host[name].to(device)
        del streamer
        gc.collect()

    if "compile" not in skip:
        t0 = time.perf_counter()
        compile_blocks(ours)
        ours_step()
        sync()
        results["compile_seconds"] = time.perf_counter() - t0
        (c_a, _), peak = peak_bytes(ours_step)
        record("ours compiled", median(timed(ours_step, args.repeats)), peak, f"compile {results['compile_seconds']:.0f} s")
        ours_step(batched=True)
        _, peak = peak_bytes(lambda: ours_step(batched=True))
        record("ours compiled, CFG batch 2", median(timed(lambda: ours_step(batched=True), args.repeats)), peak)
        results["compiled_vs_eager_rel_err"] = rel_err(c_a.float(), ref_a)
        print(f"  compiled vs eager rel err {results['compiled_vs_eager_rel_err']:.2e}", flush=True)

    print()
    print(table(rows, ["variant", "s/step", "TFLOP/s", "peak GiB", "note"]))
    write_json(args.out, results)


if __name__ == "__main__":
    main()
