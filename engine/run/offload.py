"""Where weights live.

- ``none``:  every model resident on the device.
- ``model``: models wait in RAM and move to the device for their phase only (like the
  official ``--offload_model``); each move is a counted host→device transfer.
- ``block``: the DiT's (and the text encoder's) repeated blocks stay in pinned RAM and are
  streamed: while block i computes, block i+1 is copied on a side CUDA stream into the
  other of two device slots.  The copy of a 5B block (~330 MB bf16) takes ~6 ms at
  55 GB/s against ~34 ms of compute, so the stream hides it.
- ``auto``: chosen from free VRAM (see :func:`choose_offload_mode`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import contextmanager

import torch
from torch import nn

from engine.telemetry import TransferMeter

GiB = 1024**3


def module_bytes(module: nn.Module) -> int:
    return sum(t.numel() * t.element_size() for t in module.state_dict().values())


class ModelSwap:
    """Keeps a module's weights in RAM and puts a device copy in place on demand."""

    def __init__(self, module: nn.Module, device: torch.device, meter: TransferMeter, pin: bool = False) -> None:
        self.module = module
        self.device = device
        self.meter = meter
        self.on_device = False
        self._host: dict[str, torch.Tensor] = {}
        for name, t in _tensors(module):
            host = t.data.to("cpu")
            if pin and device.type == "cuda":
                host = host.pin_memory()
            self._host[name] = host
            t.data = host

    def to_device(self) -> None:
        if self.on_device:
            return
        start = time.perf_counter()
        nbytes = 0
        for name, t in _tensors(self.module):
            host = self._host[name]
            t.data = host.to(self.device, non_blocking=True)
            nbytes += host.numel() * host.element_size()
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        self.meter.add(nbytes, time.perf_counter() - start)
        self.on_device = True

    def to_host(self) -> None:
        if not self.on_device:
            return
        for name, t in _tensors(self.module):
            t.data = self._host[name]
        self.on_device = False
        if self.device.type == "cuda":
            torch.cuda.empty_cache()


def _tensors(module: nn.Module):
    for name, p in module.named_parameters():
        yield name, p
    for name, b in module.named_buffers():
        yield name, b


class BlockStreamer:
    """Streams identical blocks from pinned RAM into two device slots, one block ahead.

    Hooks on each block: before block i runs, the compute stream waits for its copy and
    the block's tensors point at the slot; then the copy of block i+1 (wrapping to 0 for
    the next pass) starts on the side stream once the slot's previous user has finished.
    """

    def __init__(self, blocks: Sequence[nn.Module], device: torch.device, meter: TransferMeter) -> None:
        self.blocks = list(blocks)
        self.device = device
        self.meter = meter
        self.cuda = device.type == "cuda"
        self._host: list[dict[str, torch.Tensor]] = []
        for block in self.blocks:
            host = {}
            for name, t in _tensors(block):
                h = t.data.to("cpu")
                if self.cuda:
                    h = h.pin_memory()
                host[name] = h
                t.data = h
            self._host.append(host)
        shapes0 = {k: (v.shape, v.dtype) for k, v in self._host[0].items()}
        for host in self._host[1:]:
            if {k: (v.shape, v.dtype) for k, v in host.items()} != shapes0:
                raise ValueError("BlockStreamer needs blocks of identical shapes")
        self.block_bytes = sum(v.numel() * v.element_size() for v in self._host[0].values())
        self.slots = [
            {k: torch.empty(v.shape, dtype=v.dtype, device=device) for k, v in self._host[0].items()}
            for _ in range(2)
        ]
        self.slot_block = [-1, -1]  # which block each slot holds (or is receiving)
        self.current_slot: int | None = None  # slot of the block computing now
        if self.cuda:
            self.copy_stream = torch.cuda.Stream(device)
            self.loaded = [torch.cuda.Event(), torch.cuda.Event()]
            self.freed = [torch.cuda.Event(), torch.cuda.Event()]
        self._pending: list[tuple[object, object, int]] = []
        self._handles = []
        for i, block in enumerate(self.blocks):
            self._handles.append(block.register_forward_pre_hook(self._make_pre(i)))
            self._handles.append(block.register_forward_hook(self._make_post(i)))

    def remove(self) -> None:
        for h in self._handles:
            h.remove()
        self._handles.clear()

    # -- copies

    def _copy_into_slot(self, index: int, slot: int) -> None:
        host, dst = self._host[index], self.slots[slot]
        self.slot_block[slot] = index
        if not self.cuda:
            start = time.perf_counter()
            for k, v in host.items():
                dst[k].copy_(v)
            self.meter.add(self.block_bytes, time.perf_counter() - start)
            return
        stream = self.copy_stream
        stream.wait_event(self.freed[slot])
        with torch.cuda.stream(stream):
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record(stream)
            for k, v in host.items():
                dst[k].copy_(v, non_blocking=True)
            end.record(stream)
            self.loaded[slot].record(stream)
        self._pending.append((start, end, self.block_bytes))

    def _make_pre(self, index: int):
        def pre(module, args):
            if index in self.slot_block:
                slot = self.slot_block.index(index)
            else:  # not prefetched (first block of the first pass): the slot not in use
                slot = 0 if self.current_slot is None else 1 - self.current_slot
                self._copy_into_slot(index, slot)
            if self.cuda:
                torch.cuda.current_stream(self.device).wait_event(self.loaded[slot])
            for name, t in _tensors(module):
                t.data = self.slots[slot][name]
            self.current_slot = slot
            nxt = (index + 1) % len(self.blocks)
            if nxt != index and nxt not in self.slot_block:
                self._copy_into_slot(nxt, 1 - slot)  # waits until that slot's user is done
            return None

        return pre

    def _make_post(self, index: int):
        def post(module, args, output):
            slot = self.current_slot
            if self.cuda:
                self.freed[slot].record(torch.cuda.current_stream(self.device))
            for name, t in _tensors(module):
                t.data = self._host[index][name]
            return None

        return post

    def flush_timings(self) -> None:
        """Turn finished copies' events into meter totals (call after a device sync)."""
        if not self.cuda:
            return
        done = []
        for start, end, nbytes in self._pending:
            if end.query():
                self.meter.add(nbytes, start.elapsed_time(end) / 1000.0)
                done.append((start, end, nbytes))
        self._pending = [p for p in self._pending if p not in done]

    def device_bytes(self) -> int:
        return 2 * self.block_bytes


def estimate_dit_activation_bytes(tokens: int, dim: int, ffn_dim: int, dtype_bytes: int = 2) -> int:
    """Rough peak activation bytes of one DiT pass at ``tokens`` (float32 residual, norm
    temporaries, q/k/v, FFN hidden), used only to choose an offload mode."""
    return tokens * (dim * 4 * 4 + dim * dtype_bytes * 4 + ffn_dim * dtype_bytes * 2)


def choose_offload_mode(
    device: torch.device,
    dit_bytes: int,
    t5_bytes: int,
    vae_bytes: int,
    activation_bytes: int,
    free_bytes: int | None = None,
) -> str:
    """``none`` when everything fits with a margin, ``model`` when the largest model plus
    activations fits, else ``block``."""
    if device.type != "cuda":
        return "none"
    if free_bytes is None:
        free_bytes, _ = torch.cuda.mem_get_info(device)
    margin = int(1.5 * GiB)
    if dit_bytes + t5_bytes + vae_bytes + activation_bytes + margin < free_bytes:
        return "none"
    if max(dit_bytes, t5_bytes) + vae_bytes + activation_bytes + margin < free_bytes:
        return "model"
    return "block"


# --------------------------------------------------------------------------- placement


def place_models(models, meter: TransferMeter) -> None:
    """Wire loaded models (:class:`engine.run.models.LoadedModels`) for their offload mode:
    ``ModelSwap``s for mode "model" (and for the text encoder when resident on a GPU),
    ``BlockStreamer``s for mode "block" with everything but the blocks on the device."""
    device, mode, t5_cpu = models.device, models.offload_mode, models.t5_cpu
    if mode in ("none", "model") and device.type == "cuda" and not t5_cpu:
        models.swaps["text_encoder"] = ModelSwap(models.text_encoder.module, device, meter)
    if mode == "model":
        models.swaps["dit"] = ModelSwap(models.dit, device, meter)
        models.swaps["vae"] = ModelSwap(models.vae.module, device, meter)
    elif mode == "block":
        # Blocks stream from pinned RAM; everything else of the DiT is resident.
        for name, module in models.dit.named_children():
            if name != "blocks":
                module.to(device)
        models.streamers.append(BlockStreamer(models.dit.blocks, device, meter))
        if not t5_cpu:
            blocks = models.text_encoder.keep_all_but_blocks_on(device)
            models.streamers.append(BlockStreamer(blocks, device, meter))
        models.vae.to(device)


@contextmanager
def placed(swaps: dict, name: str):
    """Mode 'model': the named model is on the device for the block, in RAM after."""
    swap = swaps.get(name)
    if swap is None:
        yield
        return
    swap.to_device()
    try:
        yield
    finally:
        swap.to_host()
