"""Warm-up: torch.compile and the other first-use costs out of the denoising steps (issue 16,
item 2).

A fresh process used to compile the DiT block inside step 1 (Inductor cold ~15 s, ~4 s with
its cache warm), which the step chart showed as a spike of our own making.  Now:

1. Inductor keeps its cache in the app's cache folder (:func:`use_app_inductor_cache`), not in
   the system's temp folder, so a second start finds it.
2. Optionally (:data:`COMPILE_WHILE_LOADING`, off), while the weights load,
   :class:`BackgroundCompile` compiles the shared compiled block
   forward (engine/nets/dit.py ``compiled_block_forward``) for the run's exact shapes on a
   throwaway block, in a thread; it also resolves the attention kernel, because the compiled
   code is specialised on that function.
3. Phase "warmup", right after loading (before the text encoder runs): waits for that
   compile, then runs one DiT pass with the run's shapes on the real model (zeros in, result
   dropped), so cuDNN plans, cuBLAS handles, the allocator's pools and any remaining compile
   are paid there.  The thread must be done before any other attention runs: the SDPA kernel
   choice (``torch.nn.attention.sdpa_kernel``) is process-wide, and the text encoder's masked
   attention failed with "No available kernel" while the thread held it on cuDNN (H200, run 1).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import torch

# Compile in a thread while the weights load (BackgroundCompile).  Off: on the H200 (runs 1
# and 2 of docs/PERFORMANCE.md, "Warm-up") it saved nothing — with a cold cache, load +
# warm-up took 33.0 s against 32.9 s for load + compile-in-step-1, because loading slowed by
# the thread (GIL) and the real blocks compiled their own graph anyway (the throwaway
# block's graph was not reused; cause not found) — and it raises the load phase's VRAM.
COMPILE_WHILE_LOADING = False


def inductor_cache_dir() -> Path:
    from engine.run.demo import cache_root

    return cache_root() / "inductor"


def use_app_inductor_cache() -> Path:
    """Point Inductor's on-disk cache (FX graphs, Triton kernels) at the app's cache folder,
    unless the person set ``TORCHINDUCTOR_CACHE_DIR`` already; call before anything compiles."""
    if "TORCHINDUCTOR_CACHE_DIR" not in os.environ:
        path = inductor_cache_dir()
        path.mkdir(parents=True, exist_ok=True)
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(path)
    return Path(os.environ["TORCHINDUCTOR_CACHE_DIR"])


def wants_warmup(plan) -> bool:
    """The request's ``warmup`` when set; by default on CUDA devices (a CPU pass of the real
    model would cost minutes for no spike worth hiding)."""
    asked = plan.request.warmup
    return asked if asked is not None else plan.torch_device().type == "cuda"


def warmup_inputs(plan, model) -> dict[str, Any]:
    """The DiT inputs of one denoising step of ``plan``, with zeros for the data: the shapes,
    dtypes and strides that the compiled code is specialised on, as the denoise loop makes
    them (engine/sampling/denoise.py)."""
    from engine.sampling.denoise import segment_timesteps, token_segments

    device = plan.torch_device()
    grid = plan.grid
    lengths = token_segments(grid, plan.image_conditioned)
    batch = 2 if plan.cfg_batch else 1
    latents = torch.zeros(batch, *plan.latent_shape, device=device)
    t = torch.tensor(999.0, device=device)
    timesteps = segment_timesteps(t, plan.image_conditioned, 1).to(device)
    text = torch.zeros(1, 1, model.cfg.text_dim, device=device)
    with torch.inference_mode():
        context = model.embed_text(text)
        if batch == 2:
            context = torch.cat([context, context])
    return {"latents": latents, "timesteps": timesteps, "lengths": lengths, "context": context}


def warm_up(plan, model, attention) -> float:
    """One DiT pass with the run's shapes (the result is dropped); returns its seconds."""
    inputs = warmup_inputs(plan, model)
    device = plan.torch_device()
    start = time.perf_counter()
    with torch.inference_mode():
        model(inputs["latents"], inputs["timesteps"], inputs["lengths"], inputs["context"], attention,
              context_embedded=True)  # fmt: skip
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    return time.perf_counter() - start


class BackgroundCompile:
    """Resolves the attention kernel and compiles the block for the run's shapes in a thread,
    on a throwaway block with random weights, while the real weights load.

    Errors are kept, not raised: the warm-up phase compiles on the real model anyway."""

    def __init__(self, plan, resolve_attention) -> None:
        self.plan = plan
        self._resolve = resolve_attention
        self.attention = None  # the Resolved kernel, once known
        self.error: BaseException | None = None
        self.seconds = 0.0
        self._attention_ready = threading.Event()
        self._thread = threading.Thread(target=self._work, name="artifex-compile", daemon=True)

    def start(self) -> BackgroundCompile:
        self._thread.start()
        return self

    def resolved_attention(self):
        """The attention kernel the thread resolved (waits for it); None if that failed."""
        self._attention_ready.wait()
        return self.attention

    def join(self) -> None:
        self._thread.join()

    def _work(self) -> None:
        start = time.perf_counter()
        try:
            try:
                self.attention = self._resolve()
            finally:
                self._attention_ready.set()
            self._compile(self.attention.fn)
        except BaseException as exc:  # noqa: BLE001 - reported by the warm-up phase
            self.error = exc
        self.seconds = time.perf_counter() - start

    def _compile(self, attention) -> None:
        from engine.nets.dit import AttentionBlock, Rope, Segments, compiled_block_forward
        from engine.sampling.denoise import token_segments

        plan = self.plan
        cfg, device, dtype = plan.spec.dit, plan.torch_device(), plan.torch_dtype()
        batch = 2 if plan.cfg_batch else 1
        lengths = token_segments(plan.grid, plan.image_conditioned)
        with torch.device(device):
            block = AttentionBlock(cfg).to(dtype).requires_grad_(False)  # as loaded weights are
        rope = Rope(cfg, plan.grid, device)
        with torch.inference_mode():
            # the residual stream as WanModel.forward makes it: [B, L, D] float32 in the
            # transposed layout of the patch embedding (the compiled code guards on strides)
            x = torch.zeros(batch, cfg.dim, *plan.grid, dtype=dtype, device=device)
            x = x.flatten(2).transpose(1, 2).float()
            e0 = torch.zeros(1, len(lengths), 6, cfg.dim, device=device)
            context = torch.zeros(batch, cfg.text_len, cfg.dim, dtype=dtype, device=device)
            # not under ``with torch.device``: that is a TorchFunctionMode, and code traced
            # under it is another graph (with breaks, H200 run 1) the real blocks cannot reuse
            forward = compiled_block_forward()
            forward(block, x, e0, Segments(lengths), rope, context, attention, None)
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        del block, x, context
