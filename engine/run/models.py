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
    parts: object = None  # engine.weights.formats.ModelParts the models came from
    lora_state: object = None  # engine.weights.lora.LoraState (what is applied now)
    lora_key: tuple = ()  # (path, size, mtime, strength) of the LoRAs applied now
    fp8_elements: int = 0  # DiT weights kept in float8
    low_ram: bool = False  # the text encoder is read for each new prompt and let go after
    text_cache: dict = field(default_factory=dict)  # low RAM: (prompt, negative) → CPU contexts


def load_models(key: tuple, plan, meter, emit: Callable, compile_blocks: bool,
                check_cancel: Callable[[], None] | None) -> LoadedModels:
    """Read the weights of the plan's model parts (any format) onto their devices, then place
    them for the plan's offload mode (:func:`engine.run.offload.place_models`)."""
    from engine.nets.dit import WanModel
    from engine.nets.vae import WanVAE
    from engine.run.offload import module_bytes, place_models
    from engine.weights.parts import dit_config_json, dit_shapes, load_dit_part_into, resolve_parts
    from engine.weights.stream import LoadMeter

    device, dtype = plan.torch_device(), plan.torch_dtype()
    parts = plan.parts if plan.parts is not None else resolve_parts(plan.folder)
    dit_part = parts.parts["dit"]
    folder = plan.folder or dit_part.path
    dit_cfg = dit_config_from_tensors(dit_shapes(dit_part), dit_config_json(dit_part))
    spec = PRESETS["tiny"] if plan.demo else PRESETS["ti2v-5B"]
    spec = ModelSpec(spec.name, dit_cfg, spec.t5, spec.vae, spec.defaults)
    resident = plan.offload == "none"
    start = time.perf_counter()
    with torch.device("meta"):
        dit = WanModel(dit_cfg)
    # LoadProgress for the whole load, file by file (every file of every weight part).
    skipped = ("tokenizer", "text_encoder") if plan.request.low_ram else ("tokenizer",)
    progress = LoadMeter(emit, [(name, f) for name, p in parts.parts.items() if name not in skipped for f in p.files])
    fp8_elements = load_dit_part_into(dit, dit_part, dtype, device if resident else torch.device("cpu"),
                                      check_cancel=check_cancel, progress=progress)
    dit.eval()
    for p in parts.parts.values():
        emit(ev.LogMessage("info", f"{p.part.replace('_', ' ')}: {p.describe()}"))
    if plan.request.precision != "dtype":
        from engine.request import PRECISION_LINEARS
        from engine.weights.fp8 import prepare_fp8_compute

        linears, fp8_elements = prepare_fp8_compute(dit, PRECISION_LINEARS[plan.request.precision])
        emit(ev.LogMessage("info", f"DiT: {linears} block linears multiply in float8 (row-wise scales), "
                                   f"{fp8_elements:,} weights held in float8"))
    elif fp8_elements:
        emit(ev.LogMessage("info", f"DiT: {fp8_elements:,} weights kept in float8, dequantized per block at use"))
    if compile_blocks:
        from engine.nets.dit import compile_blocks as compile_dit_blocks

        compile_dit_blocks(dit)
        emit(ev.LogMessage("info", "DiT blocks compiled with torch.compile (on first use: in the warm-up phase, or in step 1 without it)"))
    t5_cpu = plan.request.t5_cpu
    if check_cancel is not None:
        check_cancel()
    low_ram = bool(plan.request.low_ram)
    text_encoder = None  # low RAM: read at the text encode, when a new prompt needs it
    if not low_ram:
        text_encoder = load_text_encoder(plan, parts, dit_cfg.text_dim, progress)
    if check_cancel is not None:
        check_cancel()
    # bf16/fp16 convolutions are emulated on CPUs and many times slower there.
    vae_dtype = torch.float32 if device.type == "cpu" else dtype
    vae = WanVAE.load_part(parts.parts["vae"], vae_dtype, device if resident else torch.device("cpu"),
                           progress=progress)
    vae.module.eval()
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    if resident and device.type == "cuda":
        nbytes = module_bytes(dit) + module_bytes(vae.module)
        emit(ev.TransferInfo("load all models", nbytes, time.perf_counter() - start))
    models = LoadedModels(key, folder, plan.demo, spec, dit, text_encoder, vae, device, dtype,
                          plan.offload, t5_cpu, parts=parts, fp8_elements=fp8_elements, low_ram=low_ram)
    place_models(models, meter)
    return models


def load_text_encoder(plan, parts, text_dim: int, progress=None):
    """The umT5 of the plan's parts in RAM (CPU), or on the run device without CUDA.  The
    text encoder (11 GB in bf16) is used once per run: off the GPU it leaves the room to the
    DiT and the VAE; resident mode swaps it in for the encode only."""
    from engine.nets.text_encoder import TextEncoder

    device, dtype = plan.torch_device(), plan.torch_dtype()
    t5_device = torch.device("cpu") if (plan.request.t5_cpu or device.type == "cuda") else device
    return TextEncoder.load_part(parts.parts["text_encoder"], parts.parts["tokenizer"].files[0],
                                 dtype if dtype != torch.float16 else torch.bfloat16, t5_device,
                                 dit_text_dim=text_dim, progress=progress)
