"""RSS and anonymous memory (Linux RssAnon) while the models of a plan load — the load phase
alone, no run.  On the CPU it runs the same placement code as on a GPU, without the
page-locking call, so the host-memory side of loading can be measured on any Linux machine.

    python bench/full_folder.py /tmp/wan5b cpu          # random full-size weights, ~33 GB
    python bench/load_peak.py --folder /tmp/wan5b --offload block --low-ram
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.request import GenerationRequest  # noqa: E402
from engine.run.plan import make_plan  # noqa: E402
from engine.run.runner import Engine  # noqa: E402

GiB = 1024**3


def _anon() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) * 1024
    return 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--offload", default="block")
    ap.add_argument("--low-ram", action="store_true")
    args = ap.parse_args()
    proc, peak, stop = psutil.Process(), {"rss": 0, "anon": 0}, threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak["rss"] = max(peak["rss"], proc.memory_info().rss)
            peak["anon"] = max(peak["anon"], _anon())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    req = GenerationRequest(prompt="x", checkpoint_dir=args.folder, device=args.device, dtype="bf16",
                            offload_mode=args.offload, low_ram=args.low_ram, width=256, height=256, frames=5,
                            compile=False, warmup=False)
    plan = make_plan(req, prepare=False)
    start = time.perf_counter()
    Engine().models_for(plan, lambda event: None)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    print(json.dumps({"offload": args.offload, "low_ram": args.low_ram, "load_s": round(seconds, 1),
                      "peak_rss_gib": round(peak["rss"] / GiB, 2), "peak_anon_gib": round(peak["anon"] / GiB, 2),
                      "after_rss_gib": round(proc.memory_info().rss / GiB, 2),
                      "after_anon_gib": round(_anon() / GiB, 2)}))


if __name__ == "__main__":
    main()
