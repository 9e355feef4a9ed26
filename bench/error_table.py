"""The error of every speed-up mode against the exact run, same seed: the final latent's
relative error and the decoded video's PSNR — on the TINY RANDOM model, float32, CPU.

Tiny random weights are not a quality measurement: the numbers show that each mechanism
does what it says (0 where it must be exact, small and growing with the threshold where it
approximates), not how a real clip looks.  ``bench/bench_passes.py`` measures the same on the
full-size random-weight model on the GPU.

    python bench/error_table.py                 # prints the Markdown table for docs/PERFORMANCE.md
    python bench/error_table.py --out table.md  # and writes it
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_passes import Bench, Mode, psnr_uint8  # noqa: E402
from bench.common import rel_err  # noqa: E402


@dataclass(frozen=True)
class ErrorRow:
    mode: str
    reference: str
    passes_computed: int
    passes_total: int
    latent_rel_err: float
    video_psnr_db: float  # inf when the decoded videos are identical


def error_rows(
    steps: int = 50,
    seed: int = 42,
    image_conditioned: bool = True,
    size: str = "128*96",
    frames: int = 9,
) -> list[ErrorRow]:
    bench = Bench(
        tiny=True,
        size=size,
        frames=frames,
        seed=seed,
        t2v=not image_conditioned,
        compile=False,
        device="cpu",
    )
    exact_mode = Mode("exact", steps)
    record: list = []
    exact = bench.denoise(exact_mode, record=record)
    exact_frames = bench.decode(exact)
    rows = [ErrorRow("exact (UniPC, CFG 5)", "—", *_passes(record), 0.0, float("inf"))]
    for cache, thresholds in (
        ("magcache", (0.06, 0.12)),
        ("easycache", (0.05, 0.1)),
        ("fbc", (0.05, 0.1)),
    ):
        for threshold in thresholds:
            record = []
            latent = bench.denoise(
                Mode(cache, steps, cache=cache, threshold=threshold), record=record
            )
            rows.append(
                ErrorRow(
                    f"{cache} {threshold:g}",
                    "exact",
                    *_passes(record),
                    rel_err(latent, exact),
                    psnr_uint8(bench.decode(latent), exact_frames),
                )
            )
    record = []
    latent = bench.denoise(
        Mode("threshold 0", steps, cache="magcache", threshold=0.0), record=record
    )
    rows.append(
        ErrorRow(
            "magcache 0 (no reuse)",
            "exact",
            *_passes(record),
            rel_err(latent, exact),
            psnr_uint8(bench.decode(latent), exact_frames),
        )
    )
    # one-pass guidance: its reference is the two-pass formula at the same guidance 1.0
    two = bench.denoise(Mode("two", steps, guidance=1.0), two_pass=True)
    record = []
    one = bench.denoise(Mode("one", steps, guidance=1.0), record=record)
    rows.append(
        ErrorRow(
            "one pass, guidance 1.0",
            "two passes, guidance 1.0",
            *_passes(record),
            rel_err(one, two),
            psnr_uint8(bench.decode(one), bench.decode(two)),
        )
    )
    return rows


def _passes(record: list) -> tuple[int, int]:
    computed = sum(1 for s in record for r in s.pass_reused if not r)
    return computed, sum(len(s.pass_reused) for s in record)


def markdown(rows: list[ErrorRow], steps: int, size: str = "128*96", frames: int = 9) -> str:
    lines = [
        f"Tiny random model (`tiny` preset: dim 64, 2 layers), float32 on the CPU, {size.replace('*', '×')}×{frames}, "
        f"{steps} steps,",
        "image-conditioned, seed 42. **Not a quality measurement** — random weights; the mechanism, not the look.",
        "",
        "| mode | passes computed | final latent rel. error | video PSNR | against |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        psnr = "identical" if r.video_psnr_db == float("inf") else f"{r.video_psnr_db:.1f} dB"
        err = "0" if r.latent_rel_err == 0 else f"{r.latent_rel_err:.2e}"
        lines.append(
            f"| {r.mode} | {r.passes_computed}/{r.passes_total} | {err} | {psnr} | {r.reference} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--size", default="128*96")
    ap.add_argument("--frames", type=int, default=9)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    rows = error_rows(args.steps, size=args.size, frames=args.frames)
    text = markdown(rows, args.steps, args.size, args.frames)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
