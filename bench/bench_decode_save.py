"""The decode phase as a run has it: VAE decode streamed into the H.264 mp4 (the encode runs in
ffmpeg beside the decode), per decode mode, with cuDNN's autotuner off (the engine's default so
far) and on.  Random full-size VAE weights, bf16, one process; each row is timed from the first
latent frame to the closed mp4, the autotuner's first-use cost included (a fresh shape set).

    python bench/bench_decode_save.py --out $OUT/decode_save.json
    python bench/bench_decode_save.py --tiny            # CPU smoke test
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import GiB, env_line, random_vae, sync, table, write_json  # noqa: E402
from engine.outputs.video import VideoWriter, float_video_to_uint8  # noqa: E402
from engine.run.decoding import BackgroundWrites  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1248*704")
    ap.add_argument("--frames", type=int, default=121)
    ap.add_argument("--tiny", action="store_true")
    ap.add_argument("--cases", default="full:0,full:1,slices:0,slices:1,bands2:1,tiled:0,tiled:1,full:1",
                    help="MODE:AUTOTUNE[:FLAGS]; FLAGS: t = the engine's background writes (uint8 conversion "
                         "and pipe on a thread), p = 10 GiB of page-locked host memory registered meanwhile "
                         "(as block offload holds)")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    print(env_line(), flush=True)
    vae, z, (w, h), frames, device, _ = random_vae(args.tiny, args.size, args.frames)
    streams = {
        "full": lambda: vae.decode_stream(z),
        "slices": lambda: vae.decode_banded_stream(z, bands=1, split=2, frames_per_slice=1),
        "bands2": lambda: vae.decode_banded_stream(z, bands=2, split=2, frames_per_slice=1),
        "tiled": lambda: vae.decode_tiled_stream(z),
    }
    rows, results = [], {"env": env_line(), "size": [w, h, frames], "rows": []}
    out_dir = Path(tempfile.mkdtemp())
    for i, case in enumerate(args.cases.split(",")):
        mode, bench, flags = (case.split(":") + [""])[:3]
        torch.backends.cudnn.benchmark = bench == "1"
        pinned = None
        if "p" in flags and device.type == "cuda":
            from engine.run.offload import PinnedBuffer, cuda_host_register

            pinned = PinnedBuffer({"x": torch.zeros(10 * 2**30, dtype=torch.uint8)}, cuda_host_register)
        if device.type == "cuda":
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated() if device.type == "cuda" else 0
        sync()
        t0 = time.perf_counter()
        decode_s = 0.0
        with VideoWriter(out_dir / f"{i}.mp4", (w, h), fps=24.0) as writer:
            def write(chunk, writer=writer):
                writer.write(float_video_to_uint8(chunk.numpy()))

            with (BackgroundWrites(write) if "t" in flags else contextlib.nullcontext()) as writes:
                stream = streams[mode]()
                while True:
                    t1 = time.perf_counter()
                    chunk = next(stream, None)
                    decode_s += time.perf_counter() - t1
                    if chunk is None:
                        break
                    (writes.put if writes is not None else write)(chunk)
        total = time.perf_counter() - t0
        if pinned is not None:
            pinned.release()
            del pinned
        peak = (torch.cuda.max_memory_allocated() - base) / GiB if device.type == "cuda" else 0.0
        row = {"mode": mode, "cudnn_benchmark": bench == "1", "flags": flags, "decode_and_save_s": total,
               "waiting_for_chunks_s": decode_s, "peak_gib": peak}
        results["rows"].append(row)
        rows.append([mode, bench, flags, f"{total:.2f}", f"{decode_s:.2f}", f"{peak:.2f}"])
        print(f"  {mode} cudnn.benchmark={bench} {flags}: {total:.2f} s to the closed mp4 "
              f"({decode_s:.2f} s waiting for chunks), peak +{peak:.2f} GiB", flush=True)
        write_json(args.out, results)
    print(table(rows, ["mode", "benchmark", "flags", "decode+save s", "waiting s", "peak GiB"]))


if __name__ == "__main__":
    main()
