"""VAE decode benchmark: our streamed decode beside diffusers' AutoencoderKLWan.decode
(untiled and tiled), same random full-size weights and latents, same run.

    python bench/bench_vae.py --out $OUT/vae.json        # H100: ~2 minutes
    python bench/bench_vae.py --tiny                     # CPU smoke test
    python bench/bench_vae.py --bands 2x2,3x2,4x2,6x2 --ours-tiled --no-diffusers   # issue 16 item 3
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import GiB, env_line, peak_bytes, random_vae, rel_err, sync, table, write_json  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1280*704")
    ap.add_argument("--frames", type=int, default=121)
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--out", default=None)
    ap.add_argument("--bands", default="2x2,4x2,2x1", help="banded decodes to time: BANDSxSPLIT[xFRAMES_PER_SLICE],...")
    ap.add_argument("--ours-tiled", action="store_true", help="also time decode_tiled_stream")
    ap.add_argument("--no-diffusers", dest="diffusers", action="store_false", help="skip diffusers' own decodes")
    args = ap.parse_args()
    if torch.cuda.is_available() and not args.tiny:
        torch.backends.cudnn.benchmark = True
    print(env_line(), flush=True)
    vae, z, (w, h), frames, device, dtype = random_vae(args.tiny, args.size, args.frames)
    module = vae.module
    rows, results = [], {"env": env_line(), "rows": {}}

    def record(name, seconds, peak, note=""):
        results["rows"][name] = {"seconds": seconds, "peak_gib": peak / GiB, "note": note}
        rows.append([name, f"{seconds:.2f}", f"{peak / GiB:.2f}", note])
        print(f"  {name}: {seconds:.2f} s, peak +{peak / GiB:.2f} GiB {note}", flush=True)

    def ours():
        return torch.cat(list(vae.decode_stream(z)), dim=1)

    def theirs(tiled: bool, tile=(256, 256)):
        if tiled:
            module.enable_tiling(tile_sample_min_height=tile[0], tile_sample_min_width=tile[1],
                                 tile_sample_stride_height=tile[0] * 3 // 4, tile_sample_stride_width=tile[1] * 3 // 4)
        else:
            module.disable_tiling()
        mean, std = vae._stats(z.device)
        mu = (z.float() * std + mean).unsqueeze(0).to(dtype)
        with torch.inference_mode():
            out = module.decode(mu).sample
        return out[0].float().clamp(-1, 1).cpu()

    for name, fn in (("ours streamed (warm-up)", ours), ("ours streamed", ours)):
        sync()
        t0 = time.perf_counter()
        out_ours, peak = peak_bytes(fn)
        record(name, time.perf_counter() - t0, peak, f"{out_ours.shape[1]} frames to CPU chunk by chunk")
    band_cases = [(tuple(int(v) for v in c.split("x")) + (0,))[:3] for c in args.bands.split(",") if c]
    for bands, split, per_slice in band_cases:  # the banded decode: same frames, less memory
        name = f"ours bands {bands}, split {split}" + (f", {per_slice} frame(s) a slice" if per_slice else "")
        sync()
        t0 = time.perf_counter()
        out, peak = peak_bytes(lambda b=bands, s=split, k=per_slice: torch.cat(
            list(vae.decode_banded_stream(z, bands=b, split=s, frames_per_slice=k)), dim=1))
        record(name, time.perf_counter() - t0, peak, f"vs ours streamed: rel err {rel_err(out, out_ours):.1e}")
        del out
    if args.ours_tiled:  # what block mode decoded with so far (diffusers' tiles, video held on the device)
        sync()
        t0 = time.perf_counter()
        out, peak = peak_bytes(lambda: torch.cat(list(vae.decode_tiled_stream(z)), dim=1))
        record("ours tiled 256 (block mode's decode)", time.perf_counter() - t0, peak,
               f"vs ours streamed: rel err {rel_err(out, out_ours):.1e}")
        del out
    theirs_cases = (("diffusers untiled", dict(tiled=False)), ("diffusers tiled 256", dict(tiled=True)),
                    ("diffusers tiled 448x768", dict(tiled=True, tile=(448, 768))))
    for name, kw in theirs_cases if args.diffusers else ():
        try:
            sync()
            t0 = time.perf_counter()
            out, peak = peak_bytes(lambda kw=kw: theirs(**kw))
            record(name, time.perf_counter() - t0, peak)
            if name == "diffusers untiled":
                results["ours_vs_diffusers_untiled_rel_err"] = rel_err(out_ours, out)
                print(f"  ours vs diffusers untiled: rel err {results['ours_vs_diffusers_untiled_rel_err']:.2e}", flush=True)
            del out
        except torch.cuda.OutOfMemoryError as exc:
            record(name, float("nan"), 0, f"OOM: {str(exc)[:60]}")
        gc.collect()
        if device.type == "cuda":
            torch.cuda.empty_cache()
    print()
    print(table(rows, ["variant", "seconds", "peak GiB", "note"]))
    write_json(args.out, results)


if __name__ == "__main__":
    main()
