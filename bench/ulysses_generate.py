"""The whole CLI job on 1, 2 and 4 GPUs: same seed, same folder, same video?

    python bench/full_folder.py /tmp/wan5b                      # random full-size weights, ~1 min
    python bench/ulysses_generate.py /tmp/wan5b --out $OUT/e2e  # torchrun per GPU count

For each GPU count N this runs, exactly as a user would,

    torchrun --standalone --nproc_per_node N -m engine.cli generate --ckpt_dir FOLDER
        --ulysses_size N --base_seed 42 --dump-tensors DIR ...

(N = 1 without torchrun: the plain single-GPU CLI) and then compares, against the 1-GPU run,
the final latents and the decoded video (float32 dumps) and the mp4's frames; it prints the
wall time, the mean denoising step time from each report (per rank for N > 1) and the
relative errors.  bf16 through a different reduction order is not bit-equal: expect
relative errors around 1e-3..1e-2 on the latents for random weights, tiny pixel
differences in the video.  ``--tiny`` runs the built-in demo-sized model on the CPU (gloo)
to check this script.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "folder", nargs="?", default=None, help="model folder (default with --tiny: the demo model)"
    )
    p.add_argument(
        "--gpus",
        default="1,2,4",
        help="process counts, comma separated; 'Nfsdp' adds --dit_fsdp --t5_fsdp (default: %(default)s)",
    )
    p.add_argument("--size", default="1280*704")
    p.add_argument("--frame_num", type=int, default=121)
    p.add_argument("--sample_steps", type=int, default=10)
    p.add_argument("--image", default=None, help="first-frame picture (image-to-video)")
    p.add_argument(
        "--extra", default="", help="more CLI flags for every run, e.g. '--dit_fsdp --t5_fsdp'"
    )
    p.add_argument(
        "--tiny", action="store_true", help="CPU, gloo, demo-sized model: checks the script"
    )
    p.add_argument(
        "--out", default="/tmp/ulysses_generate", help="folder for videos, reports, dumps"
    )
    p.add_argument(
        "--reference",
        default=None,
        help="compare with this earlier --out folder's 1-GPU run instead of this run's first",
    )
    p.add_argument("--timeout", type=int, default=900)
    return p.parse_args(argv)


def command(args, n: int, out: Path, name: str, fsdp: bool) -> list[str]:
    cli = ["-m", "engine.cli", "generate"]
    if n > 1:
        cli = ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node", str(n), *cli]
    cmd = [
        sys.executable,
        *cli,
        "--prompt",
        "A red fox runs through fresh snow at dawn, cinematic",
        "--size",
        args.size,
        "--frame_num",
        str(args.frame_num),
        "--sample_steps",
        str(args.sample_steps),
        "--base_seed",
        "42",
        "--save_file",
        str(out / f"{name}.mp4"),
        "--dump-tensors",
        str(out / f"dump_{name}"),
        "--ulysses_size",
        str(n),
        "--offload",
        "none",
    ]
    if args.folder:
        cmd += ["--ckpt_dir", args.folder]
    if args.image:
        cmd += ["--image", args.image]
    if args.tiny:
        cmd += ["--device", "cpu", "--dtype", "fp32"]
    if fsdp:
        cmd += ["--dit_fsdp", "--t5_fsdp"]
    return cmd + args.extra.split()


def mp4_frames(path: Path) -> torch.Tensor:
    import imageio_ffmpeg
    import numpy as np

    reader = imageio_ffmpeg.read_frames(str(path))
    meta = next(reader)
    w, h = meta["size"]
    frames = [np.frombuffer(f, dtype=np.uint8).reshape(h, w, 3) for f in reader]
    return torch.from_numpy(np.stack(frames))


def main(argv=None) -> int:
    from safetensors.torch import load_file

    from bench.common import rel_err

    args = parse_args(argv)
    if args.tiny:
        args.size, args.frame_num, args.sample_steps = "160*96", 9, min(args.sample_steps, 2)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    runs = [
        (int(c.strip().removesuffix("fsdp")), c.strip().endswith("fsdp"))
        for c in args.gpus.split(",")
        if c.strip()
    ]
    if not args.tiny and torch.cuda.device_count() < max(n for n, _ in runs):
        print(f"note: {torch.cuda.device_count()} GPU(s) here")
        runs = [(n, f) for n, f in runs if n <= torch.cuda.device_count()]
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1" if args.tiny else "4")
    env.setdefault("NCCL_NVLS_ENABLE", "0")  # multicast stays off (shared hosts)
    rows, base = [], None
    if args.reference:
        ref = Path(args.reference)
        base = {
            "lat": load_file(str(ref / "dump_gpus1" / "latents.safetensors"))["latents"],
            "vid": load_file(str(ref / "dump_gpus1" / "video.safetensors"))["video"],
            "frames": mp4_frames(ref / "gpus1.mp4"),
        }
    for n, fsdp in runs:
        name = f"gpus{n}" + ("_fsdp" if fsdp else "")
        cmd = command(args, n, out, name, fsdp)
        print(f"[{name}] {' '.join(cmd)}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run(
            cmd, cwd=REPO, env=env, timeout=args.timeout, capture_output=True, text=True
        )
        wall = time.perf_counter() - start
        (out / f"{name}.log").write_text(proc.stdout + proc.stderr)
        if proc.returncode != 0:
            print(
                f"[{n}] failed (exit {proc.returncode}); last lines:\n{(proc.stdout + proc.stderr)[-3000:]}"
            )
            continue
        saved = [line for line in proc.stdout.splitlines() if "saved" in line.lower()]
        report = json.loads((out / f"{name}.json").read_text())
        steps = [e for e in report.get("events", []) if e.get("type") == "StepFinished"]
        step_s = [e.get("seconds", e.get("step_seconds")) for e in steps]
        step_s = [s for s in step_s if isinstance(s, (int, float))]
        dist_info = report.get("environment", {}).get("distributed")
        per_rank = dist_info["per_rank_step_seconds"] if dist_info else [step_s]
        means = [sum(s[1:]) / max(1, len(s) - 1) for s in per_rank]  # first step has warm-up
        lat = load_file(str(out / f"dump_{name}" / "latents.safetensors"))["latents"]
        vid = load_file(str(out / f"dump_{name}" / "video.safetensors"))["video"]
        frames = mp4_frames(out / f"{name}.mp4")
        current = {"lat": lat, "vid": vid, "frames": frames}
        if base is None:
            base = current
        row = {
            "gpus": n,
            "fsdp": fsdp,
            "wall_s": round(wall, 1),
            "saved_lines": len(saved),
            "mean_step_s_per_rank": [round(m, 3) for m in means],
            "latent_rel_err": rel_err(lat, base["lat"]),
            "video_rel_err": rel_err(vid, base["vid"]),
            "video_max_abs": (vid - base["vid"]).abs().max().item(),
            "mp4_frames": list(frames.shape),
            "mp4_max_pixel_diff": int((frames.int() - base["frames"].int()).abs().max().item())
            if frames.shape == base["frames"].shape
            else None,
            "mp4_mean_pixel_diff": float(
                (frames.float() - base["frames"].float()).abs().mean().item()
            )
            if frames.shape == base["frames"].shape
            else None,
            "report_distributed": {
                k: v for k, v in (dist_info or {}).items() if k != "per_rank_step_seconds"
            },
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    (out / "summary.json").write_text(json.dumps({"args": vars(args), "rows": rows}, indent=1))
    print(
        f"\n{args.size}x{args.frame_num}, {args.sample_steps} steps, seed 42, extra flags '{args.extra}'"
        + (" [TINY on CPU]" if args.tiny else "")
    )
    print(
        f"{'GPUs':>6} {'wall s':>7} {'step s (mean per rank)':>28} {'latent rel':>10} {'video rel':>10} "
        f"{'mp4 max|d|':>10} {'mp4 mean|d|':>11}"
    )
    for r in rows:
        print(
            f"{str(r['gpus']) + ('+fsdp' if r['fsdp'] else ''):>6} {r['wall_s']:>7} {str(r['mean_step_s_per_rank']):>28} {r['latent_rel_err']:>10.2e} "
            f"{r['video_rel_err']:>10.2e} {str(r['mp4_max_pixel_diff']):>10} {r['mp4_mean_pixel_diff'] or 0:>11.3f}"
        )
    return 0 if len(rows) == len(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
