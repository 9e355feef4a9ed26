"""Whole-job benchmark through the real engine: a full-size random-weight folder in the
original layout → load → text encode → image encode → denoise → streamed decode → mp4.

    python bench/bench_job.py --folder /tmp/Wan2.2-TI2V-5B --modes none,block --out $OUT/job.json
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import GiB, env_line, table, write_json  # noqa: E402
from engine import events as ev  # noqa: E402
from engine.request import GenerationRequest  # noqa: E402
from engine.run.runner import Engine  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True)
    ap.add_argument("--modes", default="none,block")
    ap.add_argument("--size", default="1280*704")
    ap.add_argument("--frames", type=int, default=121)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--dtype", default="bf16")
    ap.add_argument("--outdir", default="/tmp/bench_job")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    w, h = (int(x) for x in args.size.split("*"))
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    from PIL import Image

    img = outdir / "start.png"
    Image.fromarray((np.random.default_rng(0).random((720, 1280, 3)) * 255).astype(np.uint8)).save(img)
    print(env_line(), flush=True)
    results, rows = {"env": env_line(), "runs": {}}, []
    engine = Engine()
    for mode in args.modes.split(","):
        req = GenerationRequest(prompt="A red fox running through fresh snow, cinematic", image_path=str(img),
                                checkpoint_dir=args.folder, width=w, height=h, frames=args.frames, steps=args.steps,
                                seed=1, device=args.device, dtype=args.dtype, offload_mode=mode,
                                output_path=str(outdir / f"job_{mode}.mp4"), previews=True)
        events = []
        if torch.cuda.is_available():
            torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()

        def on_event(e, events=events, t0=t0):
            events.append(e)
            if isinstance(e, (ev.PhaseFinished, ev.RunStarted, ev.RunFailed, ev.TransferInfo)):
                print(f"  [{time.perf_counter() - t0:6.1f}s] {e}", flush=True)

        final = engine.run(req, on_event)
        total = time.perf_counter() - t0
        peak = torch.cuda.max_memory_allocated() / GiB if torch.cuda.is_available() else 0.0
        steps = [e for e in events if isinstance(e, ev.StepFinished)]
        phases = {e.phase: e.seconds for e in events if isinstance(e, ev.PhaseFinished)}
        secs = [s.seconds for s in steps]
        med = statistics.median(secs) if secs else float("nan")
        run = {"final": type(final).__name__, "total_seconds": total, "phases": phases, "step_seconds": secs,
               "median_step": med, "slowest_over_median": max(secs) / med if secs else None,
               "h2d_gib_per_step": [s.h2d_bytes / GiB for s in steps], "peak_vram_gib": peak,
               "step_peaks_gib": [s.vram_peak_bytes / GiB for s in steps]}
        if isinstance(final, ev.RunFailed):
            run["error"] = final.message + " " + final.details[-2000:]
        results["runs"][mode] = run
        job = total - phases.get("load", 0.0)
        rows.append([mode, f"{phases.get('load', 0):.1f}", f"{job:.1f}", f"{phases.get('encode_text', 0):.1f}",
                     f"{phases.get('denoise', 0):.1f}", f"{med:.3f}", f"{run['slowest_over_median'] or 0:.3f}",
                     f"{phases.get('decode', 0):.1f}", f"{peak:.2f}"])
        print(f"{mode}: {type(final).__name__}, total {total:.1f} s, median step {med:.3f} s, peak {peak:.2f} GiB", flush=True)
        write_json(args.out, results)
    print()
    print(table(rows, ["offload", "load s", "job s (no load)", "text s", "denoise s", "median step", "slowest/med",
                       "decode+mp4 s", "peak GiB"]))


if __name__ == "__main__":
    main()
