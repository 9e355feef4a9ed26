"""Helpers shared by the GPU benchmarks (never run in CI)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable

import torch

GiB = 1024**3


def random_vae(tiny: bool, size: str, frames: int):
    """``(vae, z, (w, h), frames, device, dtype)``: a random full-size Wan2.2 VAE (bf16 on a GPU)
    or the tiny one (float32 on the CPU, 128×96×9) and a random normalised latent for it."""
    from engine.config import VAEConfig
    from engine.nets.vae import WanVAE, build_diffusers_vae

    device = torch.device("cuda" if torch.cuda.is_available() and not tiny else "cpu")
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    if tiny:
        cfg, (w, h), frames = VAEConfig(base_dim=8, decoder_base_dim=16), (128, 96), 9
    else:
        cfg = VAEConfig()
        w, h = (int(x) for x in size.split("*"))
    module = build_diffusers_vae(cfg, device=device).to(dtype).eval()
    z = torch.randn(cfg.z_dim, (frames - 1) // 4 + 1, h // 16, w // 16, device=device,
                    generator=torch.Generator(device=device).manual_seed(0))
    return WanVAE(module, cfg), z, (w, h), frames, device, dtype


def env_line() -> str:
    dev = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu"
    return f"{dev} | torch {torch.__version__} | CUDA {torch.version.cuda} | {platform.python_version()} | {time.strftime('%Y-%m-%d')}"


def sync() -> None:
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def timed(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """Wall seconds of each of ``repeats`` calls, synchronised; after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    sync()
    out = []
    for _ in range(repeats):
        sync()
        start = time.perf_counter()
        fn()
        sync()
        out.append(time.perf_counter() - start)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_bytes(fn: Callable[[], object]) -> tuple[object, int]:
    """(result, peak allocated bytes above what was allocated before)."""
    if not torch.cuda.is_available():
        return fn(), 0
    sync()
    base = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    out = fn()
    sync()
    return out, torch.cuda.max_memory_allocated() - base


def rel_err(a: torch.Tensor, b: torch.Tensor) -> float:
    a, b = a.double(), b.double()
    return ((a - b).norm() / b.norm().clamp_min(1e-30)).item()


def random_init_(module: torch.nn.Module, seed: int = 0, std: float = 0.02) -> None:
    """Fill every parameter with seeded normal values in place (on its device), norms at 1."""
    gen = torch.Generator(device=next(module.parameters()).device).manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            if (
                name.endswith("norm_q.weight")
                or name.endswith("norm_k.weight")
                or ".norm" in name
                and name.endswith("weight")
            ):
                p.fill_(1.0)
            elif "modulation" in name:
                p.normal_(0, 1 / p.shape[-1] ** 0.5, generator=gen)
            else:
                p.normal_(0, std, generator=gen)


def write_json(path: str | None, data: dict) -> None:
    if path:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as f:
            json.dump(data, f, indent=1)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *[line(r) for r in rows]])
