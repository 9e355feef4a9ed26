"""Where weights live.

- ``none``:  every model resident on the device.
- ``model``: models wait in RAM and move to the device for their phase only (like the
  official ``--offload_model``); each move is a counted host→device transfer.
- ``block``: the DiT's (and the text encoder's) repeated blocks stay in pinned RAM and are
  streamed: while block i computes, block i+1 is copied on a side CUDA stream into the
  other of two device slots, which exist only in the phases that run that model (the
  umT5's during the text encode, the DiT's during warm-up and denoise); the umT5's 2 GiB
  embedding table stays in RAM (a prompt's rows are looked up there).  The copy of a 5B block (~330 MB bf16) takes ~6 ms at
  55 GB/s against ~34 ms of compute, so the stream hides it.  Each block's tensors are views
  of one ordinary host buffer page-locked with ``cudaHostRegister`` (:class:`PinnedBuffer`):
  ``Tensor.pin_memory()`` per tensor goes through PyTorch's pinned caching allocator, which
  rounds every allocation up to a power of two (an 18.9 MB projection takes 32 MB, an 88 MB
  FFN matrix 128 MB): 27 GiB of page-locked RAM for 17.8 GiB of blocks.
- ``auto``: chosen from free VRAM (see :func:`choose_offload_mode`).
"""

from __future__ import annotations

import ctypes
import sys
import time
import weakref
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager

import torch
from torch import nn

from engine.telemetry import TransferMeter

GiB = 1024**3
# How BlockStreamer keeps its blocks in RAM: "buffer" (one page-locked buffer per block, the
# default), "per_tensor" (Tensor.pin_memory() each tensor: the old way, kept for the bench's
# baseline) or "pageable" (not page-locked; copies are synchronous staging copies).
PIN_MODE = "buffer"
_ALIGN = 256  # byte alignment of each tensor inside a block's buffer (≥ any element size)


class PinnedBuffer:
    """Tensors packed as views of one uint8 host buffer, optionally page-locked.

    ``views[name]`` equals ``tensors[name]`` (shape, dtype, values) and lives inside
    ``buffer`` at an offset aligned to 256 bytes.  ``register(ptr, nbytes)`` page-locks the
    buffer (``cudaHostRegister``); the returned unregister runs in :meth:`release` or when
    this object is collected, always before the buffer can be freed."""

    def __init__(self, tensors: Mapping[str, torch.Tensor],
                 register: Callable[[int, int], Callable[[], None]] | None = None) -> None:
        offsets, total = {}, 0
        for name, t in tensors.items():
            offsets[name] = total
            total += -(-t.numel() * t.element_size() // _ALIGN) * _ALIGN
        self.nbytes = total
        self.buffer = torch.empty(max(total, 1), dtype=torch.uint8)
        self.views: dict[str, torch.Tensor] = {}
        for name, t in tensors.items():
            n = t.numel() * t.element_size()
            view = self.buffer[offsets[name] : offsets[name] + n].view(t.dtype).view(t.shape)
            view.copy_(t.detach())
            self.views[name] = view
        self._finalizer = None
        if register is not None and total > 0:
            unregister = register(self.buffer.data_ptr(), total)
            # holds the buffer until it has been unregistered
            self._finalizer = weakref.finalize(self, _call_then_drop, unregister, self.buffer)

    def release(self) -> None:
        """Unlock the pages (the views stay valid, now pageable)."""
        if self._finalizer is not None:
            self._finalizer()


def _call_then_drop(fn: Callable[[], None], _buffer: torch.Tensor) -> None:
    fn()


TRIM_HEAP = True  # hand freed heap pages back to the OS after placing (bench toggles it)


def release_freed_host_memory() -> None:
    """Linux/glibc: return the pages of freed heap chunks to the OS (``malloc_trim``).  Loading
    casts tensors on the CPU; glibc keeps the freed chunks below 32 MB in its heap, where
    they count as this process's memory although nothing uses them."""
    if not TRIM_HEAP or not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to do
        pass


def cuda_host_register(ptr: int, nbytes: int) -> Callable[[], None]:
    """Page-lock ``nbytes`` at ``ptr`` for the CUDA driver (exactly that size, no rounding);
    returns the function that unlocks them."""
    cudart = torch.cuda.cudart()
    err = int(cudart.cudaHostRegister(ptr, nbytes, 0))
    if err != 0:
        raise RuntimeError(f"cudaHostRegister of {nbytes} bytes failed (cudaError {err})")

    def unregister() -> None:
        cudart.cudaHostUnregister(ptr)

    return unregister


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

    def __init__(self, blocks: Sequence[nn.Module], device: torch.device, meter: TransferMeter,
                 pin: str | None = None, name: str = "dit") -> None:
        """``pin``: how the blocks wait in RAM (see :data:`PIN_MODE`, the default); ``name``:
        the model the blocks belong to ("dit" or "text_encoder").  The two device slots are
        allocated at the first block's use and given back by :meth:`release_slots`, so a
        model's slots take VRAM only in the phases that run it."""
        self.name = name
        self.blocks = list(blocks)
        self.device = device
        self.meter = meter
        self.cuda = device.type == "cuda"
        self.pin = pin or PIN_MODE
        self._host: list[dict[str, torch.Tensor]] = []
        self._buffers: list[PinnedBuffer] = []
        for block in self.blocks:
            tensors = {name: t.data.to("cpu") for name, t in _tensors(block)}
            if self.pin == "buffer":
                packed = PinnedBuffer(tensors, cuda_host_register if self.cuda else None)
                self._buffers.append(packed)
                host = packed.views
            elif self.pin == "per_tensor" and self.cuda:
                host = {name: h.pin_memory() for name, h in tensors.items()}
            else:
                host = tensors
            for name, t in _tensors(block):
                t.data = host[name]
            self._host.append(host)
            del tensors
        shapes0 = {k: (v.shape, v.dtype) for k, v in self._host[0].items()}
        for host in self._host[1:]:
            if {k: (v.shape, v.dtype) for k, v in host.items()} != shapes0:
                raise ValueError("BlockStreamer needs blocks of identical shapes")
        self.block_bytes = sum(v.numel() * v.element_size() for v in self._host[0].values())
        self.slots: list[dict[str, torch.Tensor]] | None = None  # allocated at first use
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
        self.release_slots()
        for packed in self._buffers:
            packed.release()

    def release_slots(self) -> None:
        """Give the two device slots back (after the copies in flight have landed); the next
        use allocates them again.  Called between the phases that run this model."""
        if self.slots is None:
            return
        if self.cuda:
            self.copy_stream.synchronize()
            torch.cuda.current_stream(self.device).synchronize()
        self.slots = None
        self.slot_block = [-1, -1]
        self.current_slot = None
        if self.cuda:
            torch.cuda.empty_cache()  # reserved too: the meters and a small card see it free

    def _ensure_slots(self) -> list[dict[str, torch.Tensor]]:
        if self.slots is None:
            shapes = self._host[0].items()
            self.slots = [{k: torch.empty(v.shape, dtype=v.dtype, device=self.device) for k, v in shapes}
                          for _ in range(2)]
        return self.slots

    def host_bytes(self) -> int:
        """RAM the blocks take as kept (the buffers' sizes; per-tensor pinning rounds up)."""
        if self._buffers:
            return sum(p.nbytes for p in self._buffers)
        return self.block_bytes * len(self.blocks)

    # -- copies

    def _copy_into_slot(self, index: int, slot: int) -> None:
        host, dst = self._host[index], self._ensure_slots()[slot]
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
        """VRAM the slots take now (none between the phases that use them)."""
        return 0 if self.slots is None else 2 * self.block_bytes


def streaming_only(models, name: str | None) -> None:
    """Block mode: the streamers of other models than ``name`` give their device slots back
    (the text encoder's slots are not needed while denoising, nor the DiT's while decoding)."""
    for streamer in models.streamers:
        if streamer.name != name:
            streamer.release_slots()


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
    device, mode = models.device, models.offload_mode
    if models.text_encoder is not None:
        place_text_encoder(models, meter)
    if mode == "model":
        models.swaps["dit"] = ModelSwap(models.dit, device, meter)
        models.swaps["vae"] = ModelSwap(models.vae.module, device, meter)
    elif mode == "block":
        # Blocks stream from pinned RAM; everything else of the DiT is resident.
        for name, module in models.dit.named_children():
            if name != "blocks":
                module.to(device)
        models.streamers.insert(0, BlockStreamer(models.dit.blocks, device, meter, name="dit"))
        models.vae.to(device)
    release_freed_host_memory()


def place_text_encoder(models, meter: TransferMeter) -> None:
    """The text encoder for its offload mode: a swap onto the GPU for its phase (modes none
    and model), or its blocks streamed (block).  In low-RAM mode its tensors stay views of
    the file's memory map (no page-locked copy: the block copies are ordinary ones)."""
    device, mode = models.device, models.offload_mode
    if models.t5_cpu:
        return
    if mode in ("none", "model"):
        if device.type == "cuda":
            models.swaps["text_encoder"] = ModelSwap(models.text_encoder.module, device, meter)
    elif mode == "block":
        blocks = models.text_encoder.keep_all_but_blocks_on(device)
        pin = "pageable" if models.low_ram else None
        models.streamers.append(BlockStreamer(blocks, device, meter, pin=pin, name="text_encoder"))


def drop_text_encoder(models) -> None:
    """Low-RAM mode: let the text encoder go after its phase (its swap, its streamer and the
    weights); the next new prompt reads it again."""
    import gc

    for streamer in [s for s in models.streamers if s.name == "text_encoder"]:
        streamer.remove()
        models.streamers.remove(streamer)
    models.swaps.pop("text_encoder", None)
    models.text_encoder = None
    gc.collect()
    release_freed_host_memory()


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
