"""The loaded model set of a run: the DiT, the text encoder and the VAE, on their devices."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch

from engine import events as ev
from engine.config import PRESETS, ModelSpec, dit_config_from_tensors


@dataclass
class LoadedModels:
    key: tuple
    folder: Path
    demo: bool
    spec: ModelSpec
    dit: object
    text_encoder: object
    vae: object
    device: torch.device
    dtype: torch.dtype
    offload_mode: str
    t5_cpu: bool
    swaps: dict = field(default_factory=dict)  # name → ModelSwap (mode "model")
    streamers: list = field(default_factory=list)  # BlockStreamers (mode "block")


def load_models(key: tuple, plan, meter, emit: Callable, compile_blocks: bool,
                check_cancel: Callable[[], None] | None) -> LoadedModels:
    """Read the weights of ``plan.folder`` onto their devices, then place them for the
    plan's offload mode (:func:`engine.run.offload.place_models`)."""
    from engine.nets.dit import WanModel
    from engine.nets.text_encoder import TextEncoder
    from engine.nets.vae import WanVAE
    from engine.run.offload import module_bytes, place_models
    from engine.weights.folder import check_folder, dit_tensor_shapes
    from engine.weights.stream import load_dit_state_into

    folder, device, dtype = plan.folder, plan.torch_device(), plan.torch_dtype()
    report = check_folder(folder)
    dit_cfg = dit_config_from_tensors(dit_tensor_shapes(folder), report.config)
    spec = PRESETS["tiny"] if plan.demo else PRESETS["ti2v-5B"]
    spec = ModelSpec(spec.name, dit_cfg, spec.t5, spec.vae, spec.defaults)
    resident = plan.offload == "none"
    start = time.perf_counter()
    with torch.device("meta"):
        dit = WanModel(dit_cfg)
    load_dit_state_into(dit, folder, dtype, device if resident else torch.device("cpu"),
                        check_cancel=check_cancel)
    dit.eval()
    if compile_blocks:
        from engine.nets.dit import compile_blocks as compile_dit_blocks

        compile_dit_blocks(dit)
        emit(ev.LogMessage("info", "DiT blocks compiled with torch.compile (the first step includes compile time)"))
    # The text encoder (11 GB in bf16) is used once per run: off the GPU it leaves the
    # room to the DiT and the VAE.  Resident mode swaps it in for the encode only.
    t5_cpu = plan.request.t5_cpu
    t5_device = torch.device("cpu") if (t5_cpu or device.type == "cuda") else device
    if check_cancel is not None:
        check_cancel()
    text_encoder = TextEncoder.load(folder, dtype if dtype != torch.float16 else torch.bfloat16, t5_device)
    if check_cancel is not None:
        check_cancel()
    # bf16/fp16 convolutions are emulated on CPUs and many times slower there.
    vae_dtype = torch.float32 if device.type == "cpu" else dtype
    vae = WanVAE.load(folder, vae_dtype, device if resident else torch.device("cpu"))
    vae.module.eval()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    if resident and device.type == "cuda":
        nbytes = module_bytes(dit) + module_bytes(vae.module)
        emit(ev.TransferInfo("load all models", nbytes, time.perf_counter() - start))
    models = LoadedModels(key, folder, plan.demo, spec, dit, text_encoder, vae, device, dtype,
                          plan.offload, t5_cpu)
    place_models(models, meter)
    return models
