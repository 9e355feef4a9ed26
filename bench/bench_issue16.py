"""Issue 16 on one GPU: the warm-up phase (no compile spike in step 1), the memory plan
against measured peaks, and block mode's system RAM with the old per-tensor pinning against
one page-locked buffer per block.  One fresh process per case (compile caches and the pinned
allocator are per process); results are written as they come.

    python bench/full_folder.py /tmp/wan5b
    python bench/bench_issue16.py --folder /tmp/wan5b --case warm_cold --out $OUT/warm_cold.json

Cases: ``--warmup on|off``, ``--offload``, ``--pin buffer|per_tensor|pageable``, ``--size``,
``--frames``, ``--steps``, ``--t2v``, ``--stop-at-decode`` (cancel when decoding starts).
The Inductor cache lives under ``$ARTIFEX_CACHE_DIR/inductor`` (the app's cache folder), so
running two cases with the same ARTIFEX_CACHE_DIR gives a cold then a warm start.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
import psutil
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import GiB, env_line, write_json  # noqa: E402
from engine import events as ev  # noqa: E402
from engine.cancel import CancelToken  # noqa: E402
from engine.request import GenerationRequest  # noqa: E402
from engine.run import offload  # noqa: E402
from engine.run.plan import make_plan  # noqa: E402
from engine.run.runner import Engine  # noqa: E402


def plan_memory_none():
    from engine.run.memory_plan import ModeMemory

    return ModeMemory("none", {}, 0)


class RamSampler(threading.Thread):
    """Max RSS of this process per phase, sampled every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process()
        self.phase = "start"
        self.max_rss: dict[str, int] = {}
        self.stop = False

        self.max_anon: dict[str, int] = {}  # Linux: RssAnon (not file-backed mmap pages)

    def run(self) -> None:
        while not self.stop:
            rss = self.proc.memory_info().rss
            self.max_rss[self.phase] = max(self.max_rss.get(self.phase, 0), rss)
            anon = _rss_anon()
            if anon is not None:
                self.max_anon[self.phase] = max(self.max_anon.get(self.phase, 0), anon)
            time.sleep(0.2)


def _rss_anon() -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def dynamo_graphs() -> int:
    try:
        from torch._dynamo.utils import counters

        return int(counters["stats"]["unique_graphs"])
    except Exception:
        return -1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folder", required=True)
    ap.add_argument("--case", required=True)
    ap.add_argument("--offload", default="none")
    ap.add_argument("--warmup", choices=("on", "off"), default="on")
    ap.add_argument("--pin", default="buffer")
    ap.add_argument("--size", default="1280*704")
    ap.add_argument("--frames", type=int, default=121)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--t2v", action="store_true")
    ap.add_argument("--stop-at-decode", action="store_true")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--trim", choices=("on", "off"), default="on")
    ap.add_argument("--precision", choices=("dtype", "fp8", "fp8-all"), default="dtype")
    ap.add_argument("--compile-while-loading", choices=("on", "off"), default="off")  # runs 1, 2: on
    ap.add_argument("--decode-mode", default="auto", choices=("auto", "full", "bands", "tiled"))
    ap.add_argument("--bands", type=int, default=None, help="bands of --decode-mode bands (default: the plan's)")
    ap.add_argument("--slice", type=int, default=None, help="frames per slice of --decode-mode bands")
    ap.add_argument("--low-ram", action="store_true", help="the request's low_ram (text encoder per prompt)")
    ap.add_argument("--outdir", default="/tmp/bench16")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    base_rss = psutil.Process().memory_info().rss
    if args.device.startswith("cuda"):
        torch.cuda.init()
        torch.zeros(1, device=args.device)
    cuda_rss = psutil.Process().memory_info().rss
    offload.PIN_MODE = args.pin
    if args.bands:
        from engine.run import decoding

        decoding.DEFAULT_BANDS = args.bands
    if args.slice is not None:
        from engine.run import decoding

        decoding.DEFAULT_FRAMES_PER_SLICE = args.slice
    offload.TRIM_HEAP = args.trim == "on"
    from engine.run import warmup

    warmup.COMPILE_WHILE_LOADING = args.compile_while_loading == "on"  # on in runs 1 and 2
    w, h = (int(x) for x in args.size.split("*"))
    outdir = Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    image = None
    if not args.t2v:
        from PIL import Image

        image = outdir / "start.png"
        Image.fromarray(
            (np.random.default_rng(0).random((720, 1280, 3)) * 255).astype(np.uint8)
        ).save(image)
    req = GenerationRequest(prompt="A red fox running through fresh snow, cinematic", image_path=str(image) if image else None,
                            checkpoint_dir=args.folder, width=w, height=h, frames=args.frames, steps=args.steps, seed=1,
                            device=args.device, dtype="bf16", precision=args.precision, offload_mode=args.offload, warmup=args.warmup == "on", decode_mode=args.decode_mode, low_ram=args.low_ram,
                            output_path=str(outdir / f"{args.case}.mp4"), previews=False)  # fmt: skip
    plan = make_plan(req, prepare=False)
    mode_memory = plan.memory.modes.get(plan.offload) if plan.memory else None
    if mode_memory is None:  # the CPU smoke run: no plan to check
        mode_memory = plan_memory_none()
    result = {"env": env_line(), "case": args.case, "args": vars(args), "plan": plan.describe(),
              "predicted_gib": {p: v / GiB for p, v in mode_memory.phase_peaks.items()},
              "predicted_ram_gib_without_process": (mode_memory.ram_bytes) / GiB,
              "rss_start_gib": base_rss / GiB, "rss_after_cuda_init_gib": cuda_rss / GiB}  # fmt: skip
    print(env_line(), flush=True)
    print(plan.describe(), flush=True)
    ram = RamSampler()
    ram.start()
    cancel = CancelToken()
    events: list = []
    graphs: list[tuple[str, int]] = []
    t0 = time.perf_counter()

    def on_event(e) -> None:
        events.append(e)
        if isinstance(e, ev.PhaseStarted):
            ram.phase = e.phase
            graphs.append((f"start {e.phase}", dynamo_graphs()))
        if isinstance(e, ev.PhaseFinished):
            graphs.append((f"end {e.phase}", dynamo_graphs()))
        if isinstance(e, ev.StepFinished):
            graphs.append((f"step {e.index + 1}", dynamo_graphs()))
            print(
                f"  step {e.index + 1}: {e.seconds:.3f} s  h2d {e.h2d_bytes / GiB:.2f} GiB in {e.h2d_seconds:.3f} s",
                flush=True,
            )
        if isinstance(
            e, (ev.PhaseFinished, ev.RunFailed, ev.RunFinished, ev.RunCancelled, ev.LogMessage)
        ):
            print(f"  [{time.perf_counter() - t0:6.1f}s] {e}"[:400], flush=True)
        if isinstance(e, ev.PhaseStarted) and e.phase == "decode" and args.stop_at_decode:
            cancel.cancel()

    final = Engine().run(req, on_event, cancel)
    ram.stop = True
    total = time.perf_counter() - t0
    steps = [e.seconds for e in events if isinstance(e, ev.StepFinished)]
    med = statistics.median(steps) if steps else float("nan")
    phases = [(e.phase, e.seconds) for e in events if isinstance(e, ev.PhaseFinished)]
    measured = {}
    for e in events:
        if isinstance(e, ev.LogMessage) and e.text.startswith("VRAM peak per phase: "):
            for name, gib in re.findall(r"(\w+) ([\d.]+) GiB", e.text):
                measured[name] = float(gib)
    result.update({
        "final": type(final).__name__, "final_text": str(final)[:3000], "total_seconds": total,
        "phases": phases, "step_seconds": steps, "median_step": med,
        "step1_over_median": steps[0] / med if steps else None,
        "slowest_over_median": max(steps) / med if steps else None,
        "h2d_gib_per_step": [e.h2d_bytes / GiB for e in events if isinstance(e, ev.StepFinished)],
        "h2d_seconds_per_step": [e.h2d_seconds for e in events if isinstance(e, ev.StepFinished)],
        "measured_phase_peak_gib": measured,
        "prediction_error": {p: (result["predicted_gib"][p] - v) / v for p, v in measured.items()
                             if p in result["predicted_gib"] and v > 0},
        "max_rss_gib_per_phase": {k: v / GiB for k, v in ram.max_rss.items()},
        "max_rss_anon_gib_per_phase": {k: v / GiB for k, v in ram.max_anon.items()},  # added after run 2
        "dynamo_graphs": graphs,
        "logs": [e.text for e in events if isinstance(e, ev.LogMessage)],
    })  # fmt: skip
    write_json(args.out, result)
    print(
        f"{args.case}: {type(final).__name__} total {total:.1f} s; steps {[round(s, 3) for s in steps]}; "
        f"step1/median {result['step1_over_median']}; phases {[(p, round(s, 1)) for p, s in phases]}"
    )
    print(
        f"  peaks measured {measured}; predicted { {k: round(v, 2) for k, v in result['predicted_gib'].items()} }"
    )
    print(
        f"  max RSS per phase { {k: round(v, 2) for k, v in result['max_rss_gib_per_phase'].items()} } "
        f"(after CUDA init {cuda_rss / GiB:.2f})"
    )
    print(f"  dynamo graphs {graphs}", flush=True)


if __name__ == "__main__":
    main()
