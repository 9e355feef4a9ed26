"""Write a full-size Wan2.2-TI2V-5B folder of random weights in the original layout
(from the real checkpoint's tensor manifest), for load and whole-job benchmarks.

    python bench/full_folder.py /tmp/Wan2.2-TI2V-5B      # ~33 GB on disk
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.run.demo import write_tokenizer  # noqa: E402
from engine.weights.folder import dit_shard_name  # noqa: E402

MANIFEST = Path(__file__).resolve().parents[1] / "engine" / "data" / "checkpoint_manifest.json"


def _random(name: str, shape, gen, device) -> torch.Tensor:
    if name.endswith("norm.weight") or ("norm" in name and name.endswith("weight") and len(shape) == 1) or name.endswith("gamma"):
        return torch.ones(shape, device=device)
    if name.endswith("modulation"):
        return torch.randn(shape, generator=gen, device=device) / shape[-1] ** 0.5
    fan_in = 1
    for s in shape[1:]:
        fan_in *= s
    std = 0.02 if len(shape) < 2 else min(0.02, 1.0 / max(1, fan_in) ** 0.5)
    return torch.randn(shape, generator=gen, device=device) * std


def build(folder: Path, device: str = "cuda") -> Path:
    manifest = json.loads(MANIFEST.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    gen = torch.Generator(device=device).manual_seed(0)
    from safetensors.torch import save_file

    dit = manifest["diffusion_pytorch_model (3 safetensors shards)"]
    names = list(dit)
    shards = [names[i::3] for i in range(3)]
    weight_map = {}
    t0 = time.perf_counter()
    for i, part in enumerate(shards):
        state = {n: _random(n, dit[n], gen, device).float().cpu() for n in part}
        fname = dit_shard_name(i + 1, 3)
        save_file(state, str(folder / fname), metadata={"format": "pt"})
        weight_map.update({n: fname for n in part})
        del state
    (folder / "diffusion_pytorch_model.safetensors.index.json").write_text(
        json.dumps({"metadata": {"total_size": 0}, "weight_map": weight_map}))
    (folder / "config.json").write_text(json.dumps({
        "_class_name": "WanModel", "_diffusers_version": "0.33.0", "dim": 3072, "eps": 1e-06, "ffn_dim": 14336,
        "freq_dim": 256, "in_dim": 48, "model_type": "ti2v", "num_heads": 24, "num_layers": 30, "out_dim": 48,
        "text_len": 512}))
    print(f"DiT shards written in {time.perf_counter() - t0:.0f} s", flush=True)
    t5 = manifest["models_t5_umt5-xxl-enc-bf16.pth"]
    torch.save({n: _random(n, s, gen, device).to(torch.bfloat16).cpu() for n, s in t5.items()},
               folder / "models_t5_umt5-xxl-enc-bf16.pth")
    vae = manifest["Wan2.2_VAE.pth"]
    torch.save({n: _random(n, s, gen, device).float().cpu() for n, s in vae.items()}, folder / "Wan2.2_VAE.pth")
    tok = folder / "google" / "umt5-xxl"
    tok.mkdir(parents=True, exist_ok=True)
    write_tokenizer(tok, 256384)
    print(f"folder written in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


if __name__ == "__main__":
    build(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "cuda")
