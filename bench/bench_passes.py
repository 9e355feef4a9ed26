"""Fewer DiT passes per clip, timed end to end on the GPU: the exact 50-step run, each step
cache at its published threshold, a fixed published-style skip pattern, one-pass guidance and
the few-step sampler (3 and 4 passes) — each with decode and mp4 save — plus each mode's
final-latent relative error and decoded-video PSNR against the exact run (same seed).

Full-size random weights built in memory (DiT and VAE, as bench_dit.py / bench_vae.py do);
the text encoder is not run (random 512-token contexts: it costs the same in every mode).
Random weights are not a quality measurement: the errors show the mechanism, the times the
cost.  On random weights EasyCache's and first-block cache's decisions are not the ones real
weights would make, hence the fixed pattern (MagCache's decisions read only its calibrated
ratios, so they are the real ones).

    python bench/bench_passes.py --out $OUT --group 1   # exact + caches + pattern (~8 min H200)
    python bench/bench_passes.py --out $OUT --group 2   # one-pass, g=1 check, few-step 3 and 4
    python bench/bench_passes.py --tiny --out /tmp/bp   # CPU dry run of this script, seconds

JSON is rewritten to ``$OUT/passes.json`` after every mode, so a cut-off run keeps what it
measured; ``--budget_s`` skips a mode that would not finish in the time left.
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import env_line, random_init_, rel_err, sync, table, write_json  # noqa: E402
from engine.cancel import CancelToken  # noqa: E402
from engine.config import PRESETS, VAEConfig, WanConfig, latent_shape  # noqa: E402
from engine.nets.attention import resolve  # noqa: E402
from engine.nets.dit import WanModel, can_compile, compile_blocks  # noqa: E402
from engine.nets.vae import WanVAE, build_diffusers_vae  # noqa: E402
from engine.outputs.video import VideoWriter, float_video_to_uint8  # noqa: E402
from engine.sampling.cache import PatternRule, StepCache, make_step_cache  # noqa: E402
from engine.sampling.denoise import denoise  # noqa: E402
from engine.sampling.fewstep import FASTWAN_TIMESTEPS, TURBO_TIMESTEPS, noise_generator  # noqa: E402


@dataclass(frozen=True)
class Mode:
    name: str
    steps: int = 50
    guidance: float = 5.0
    solver: str = "unipc"
    cache: str = "off"
    threshold: float | None = None
    timesteps: tuple[int, ...] | None = None
    pattern: str = ""  # "easycache-2x": the fixed published-style pattern
    reference: str = "exact"  # which run its errors are measured against ("" none)
    notes: list[str] = field(default_factory=list, compare=False, hash=False)


def modes_for(steps: int) -> dict[str, Mode]:
    return {
        "exact": Mode("exact", steps, reference=""),
        "magcache": Mode("magcache", steps, cache="magcache", threshold=0.06),
        "easycache": Mode("easycache", steps, cache="easycache", threshold=0.05),
        "fbc": Mode("fbc", steps, cache="fbc", threshold=0.05),
        "pattern": Mode("pattern", steps, pattern="easycache-2x"),
        "onepass": Mode("onepass", steps, guidance=1.0, reference=""),
        "fewstep3": Mode(
            "fewstep3",
            len(FASTWAN_TIMESTEPS),
            1.0,
            "fewstep",
            timesteps=FASTWAN_TIMESTEPS,
            reference="",
        ),
        "fewstep4": Mode(
            "fewstep4",
            len(TURBO_TIMESTEPS),
            1.0,
            "fewstep",
            timesteps=TURBO_TIMESTEPS,
            reference="",
        ),
    }


GROUPS = {
    "1": "exact,magcache,easycache,fbc,pattern",
    "2": "onepass,g1check,fewstep3,fewstep4",
    "all": "exact,magcache,easycache,fbc,pattern,onepass,g1check,fewstep3,fewstep4",
}


def easycache_style_pattern(steps: int, warmup: int = 10) -> list[bool]:
    """EasyCache's shape at about 2× (its Wan2.1 threshold 0.1): the warm-up computed, then
    every other step reused, the last step computed.  True = compute (both passes)."""
    return [i < warmup or i == steps - 1 or (i - warmup) % 2 == 0 for i in range(steps)]


def psnr_uint8(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return math.inf if mse == 0 else 10 * math.log10(255.0**2 / mse)


class Bench:
    """One model pair (DiT + VAE, random weights) and the fixed inputs every mode shares."""

    def __init__(
        self,
        *,
        tiny: bool = False,
        size: str = "1280*704",
        frames: int = 121,
        seed: int = 42,
        t2v: bool = False,
        compile: bool = True,
        device: str | None = None,
    ) -> None:
        self.seed = seed
        default = "cuda" if torch.cuda.is_available() and not tiny else "cpu"
        self.device = torch.device(device or default)
        self.dtype = torch.bfloat16 if self.device.type == "cuda" else torch.float32
        self.cfg, vae_cfg = (
            (PRESETS["tiny"].dit, PRESETS["tiny"].vae) if tiny else (WanConfig(), VAEConfig())
        )
        self.width, self.height = (int(x) for x in size.split("*"))
        self.frames = frames
        t0 = time.perf_counter()
        with torch.device("meta"):
            model = WanModel(self.cfg)
        self.model = model.to_empty(device=self.device).to(self.dtype).eval()
        random_init_(self.model)
        self.compiled = bool(compile) and can_compile(self.device)
        if self.compiled:
            compile_blocks(self.model)
        with torch.device(self.device):
            module = build_diffusers_vae(vae_cfg, device=self.device)
        self.vae = WanVAE(module.to(self.dtype).eval(), vae_cfg)
        self.attn = resolve(
            "auto", self.device, self.dtype, self.cfg.num_heads, self.cfg.head_dim, None
        )
        sync()
        self.build_seconds = time.perf_counter() - t0
        self.shape = latent_shape(
            vae_cfg.z_dim,
            self.frames,
            self.width,
            self.height,
            (
                vae_cfg.scale_factor_temporal,
                vae_cfg.scale_factor_spatial,
                vae_cfg.scale_factor_spatial,
            ),
        )
        gen = torch.Generator(device=self.device).manual_seed(123)
        text = self.cfg.text_dim
        self.context = torch.randn(120, text, generator=gen, device=self.device) * 0.5
        self.context_null = torch.randn(80, text, generator=gen, device=self.device) * 0.5
        self.image_latent = (
            None
            if t2v
            else torch.randn(self.shape[0], 1, *self.shape[2:], generator=gen, device=self.device)
        )

    def cache_for(self, mode: Mode) -> StepCache | None:
        image = self.image_latent is not None
        if mode.pattern:
            flags = easycache_style_pattern(mode.steps)
            return StepCache("pattern", 1.0, mode.steps, PatternRule([(f, f) for f in flags]))
        return make_step_cache(mode.cache, mode.threshold, mode.steps, image)

    def denoise(
        self,
        mode: Mode,
        steps: int | None = None,
        record: list | None = None,
        two_pass: bool = False,
    ) -> torch.Tensor:
        steps = steps or mode.steps
        gen = noise_generator(self.seed, self.device)
        noise = torch.randn(*self.shape, dtype=torch.float32, generator=gen, device=self.device)
        cache = self.cache_for(mode) if steps == mode.steps else None

        def on_step(stats, _preview):
            if record is not None:
                record.append(stats)

        return denoise(
            self.model,
            noise=noise,
            context=self.context,
            context_null=self.context_null,
            image_latent=self.image_latent,
            steps=steps,
            shift=5.0,
            guidance=mode.guidance,
            solver=mode.solver,
            attention=self.attn.fn,
            cancel=CancelToken(),
            on_step=on_step,
            timesteps=mode.timesteps,
            generator=gen,
            cache=cache,
            one_pass_at_unit_guidance=not two_pass,
        )

    def decode(self, latent: torch.Tensor) -> np.ndarray:
        """uint8 frames [F, H, W, 3], the saved video's pixels."""
        return np.concatenate(
            [float_video_to_uint8(c.numpy()) for c in self.vae.decode_stream(latent.to(self.dtype))]
        )

    def decode_and_save(self, latent: torch.Tensor, path: Path) -> np.ndarray:
        frames = []
        with VideoWriter(path, (self.width, self.height), fps=24.0, keep_frames=False) as writer:
            for chunk in self.vae.decode_stream(latent.to(self.dtype)):
                rgb = float_video_to_uint8(chunk.numpy())
                writer.write(rgb)
                frames.append(rgb)
        return np.concatenate(frames)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=None, help="folder for passes.json and the videos")
    ap.add_argument("--group", default=None, choices=sorted(GROUPS), help="a preset list of modes")
    ap.add_argument("--modes", default=None, help=f"comma list of {GROUPS['all']}")
    ap.add_argument("--steps", type=int, default=None, help="default 50 (--tiny: 12)")
    ap.add_argument("--size", default=None, help="default 1280*704 (--tiny: 64*64)")
    ap.add_argument("--frames", type=int, default=None, help="default 121 (--tiny: 5)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--t2v", action="store_true", help="text-to-video (default: image-conditioned)")
    ap.add_argument(
        "--compile", type=int, default=1, help="torch.compile the blocks where Triton works"
    )
    ap.add_argument(
        "--budget_s", type=float, default=520.0, help="skip modes that would not finish in time"
    )
    ap.add_argument(
        "--tiny", action="store_true", help="tiny model on the CPU: a dry run of this script"
    )
    args = ap.parse_args()
    args.steps = args.steps or (12 if args.tiny else 50)
    args.size = args.size or ("64*64" if args.tiny else "1280*704")
    args.frames = args.frames or (5 if args.tiny else 121)
    started = time.perf_counter()
    out = Path(args.out or "/tmp/bench_passes")
    out.mkdir(parents=True, exist_ok=True)
    names = (args.modes or GROUPS[args.group or ("all" if args.tiny else "1")]).split(",")
    bench = Bench(
        tiny=args.tiny,
        size=args.size,
        frames=args.frames,
        seed=args.seed,
        t2v=args.t2v,
        compile=bool(args.compile),
    )
    catalogue = modes_for(args.steps)
    results: dict = {
        "env": env_line(),
        "device": str(bench.device),
        "dtype": str(bench.dtype),
        "size": [bench.width, bench.height, bench.frames],
        "latent": list(bench.shape),
        "image_conditioned": bench.image_latent is not None,
        "compiled": bench.compiled,
        "attention": bench.attn.kernel,
        "build_seconds": bench.build_seconds,
        "seed": args.seed,
        "random_weights": True,
        "text_encoder": "not run (random contexts)",
        "modes": {},
    }
    json_path = str(out / "passes.json")
    print(
        env_line(),
        f"| {bench.attn.kernel} | compiled {bench.compiled} | build {bench.build_seconds:.1f} s",
        flush=True,
    )
    if bench.compiled:  # compile outside any timed mode: one step of each batch shape
        t0 = time.perf_counter()
        bench.denoise(Mode("warm", 1))
        sync()
        results["compile_warmup_seconds"] = time.perf_counter() - t0
    refs: dict[str, tuple[torch.Tensor, np.ndarray]] = {}
    pass_seconds_seen: list[float] = []
    rows = []
    for name in names:
        elapsed = time.perf_counter() - started
        if name == "g1check":
            n = min(4, args.steps)
            if pass_seconds_seen and elapsed + 3 * n * np.median(pass_seconds_seen) > args.budget_s:
                results["modes"][name] = {"skipped": "time budget"}
                continue
            one = bench.denoise(Mode("g1-one", n, guidance=1.0))
            two = bench.denoise(Mode("g1-two", n, guidance=1.0), two_pass=True)
            results["modes"][name] = {
                "steps": n,
                "latent_rel_err_one_vs_two_pass": rel_err(one, two),
                "note": "one pass at g=1 vs the two-pass formula uncond + 1·(cond − uncond)",
            }
            print(
                f"g1check: one-pass vs two-pass at g=1 over {n} steps: rel err {rel_err(one, two):.2e}",
                flush=True,
            )
            write_json(json_path, results)
            continue
        mode = catalogue[name]
        if pass_seconds_seen:
            expected_passes = mode.steps * (
                1 if mode.guidance == 1.0 or mode.solver == "fewstep" else 2
            )
            estimate = expected_passes * float(np.median(pass_seconds_seen)) + 15.0
            if elapsed + estimate > args.budget_s:
                results["modes"][name] = {
                    "skipped": f"time budget ({elapsed:.0f} s used, ~{estimate:.0f} s needed)"
                }
                print(f"{name}: skipped for the time budget", flush=True)
                write_json(json_path, results)
                continue
        gc.collect()
        if bench.device.type == "cuda":
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        record: list = []
        sync()
        t0 = time.perf_counter()
        latent = bench.denoise(mode, record=record)
        sync()
        t_denoise = time.perf_counter() - t0
        frames = bench.decode_and_save(latent, out / f"{name}.mp4")
        t_total = time.perf_counter() - t0
        computed = sum(1 for s in record for r in s.pass_reused if not r)
        reused = sum(1 for s in record for r in s.pass_reused if r)
        for s in record:
            for sec, r in zip(s.pass_seconds, s.pass_reused):
                if not r and len(s.pass_seconds) == len(s.pass_reused):
                    pass_seconds_seen.append(sec)
        pattern = " ".join("".join("r" if r else "C" for r in s.pass_reused) for s in record)
        entry = {
            "steps": mode.steps,
            "guidance": mode.guidance,
            "solver": mode.solver,
            "cache": mode.pattern or mode.cache,
            "threshold": mode.threshold,
            "timesteps": list(mode.timesteps) if mode.timesteps else None,
            "passes_computed": computed,
            "passes_reused": reused,
            "pattern": pattern,
            "denoise_seconds": t_denoise,
            "decode_save_seconds": t_total - t_denoise,
            "end_to_end_seconds": t_total,
            "step_seconds": [s.seconds for s in record],
            "vram_peak_gib": (torch.cuda.max_memory_allocated() / 2**30)
            if bench.device.type == "cuda"
            else 0.0,
        }
        if name == "exact":
            refs["exact"] = (latent.float().cpu(), frames)
        if mode.reference and mode.reference in refs:
            ref_latent, ref_frames = refs[mode.reference]
            entry["latent_rel_err"] = rel_err(latent.float().cpu(), ref_latent)
            entry["video_psnr_db"] = psnr_uint8(frames, ref_frames)
        results["modes"][name] = entry
        write_json(json_path, results)
        err = f"{entry['latent_rel_err']:.3e}" if "latent_rel_err" in entry else "–"
        psnr = f"{entry['video_psnr_db']:.2f}" if "video_psnr_db" in entry else "–"
        rows.append(
            [
                name,
                f"{computed}/{computed + reused}",
                f"{t_denoise:.1f}",
                f"{t_total - t_denoise:.1f}",
                f"{t_total:.1f}",
                err,
                psnr,
            ]
        )
        print(
            f"{name}: {computed} passes computed, {reused} reused; denoise {t_denoise:.1f} s, "
            f"decode+save {t_total - t_denoise:.1f} s, end to end {t_total:.1f} s; rel err {err}, PSNR {psnr}",
            flush=True,
        )
        del latent, frames
    results["wall_seconds"] = time.perf_counter() - started
    write_json(json_path, results)
    print()
    print(
        table(
            rows,
            [
                "mode",
                "passes",
                "denoise s",
                "decode+save s",
                "end to end s",
                "latent rel err",
                "PSNR dB",
            ],
        )
    )


if __name__ == "__main__":
    main()
