"""Memory sampling (NVML, torch, psutil), step timing and host→device transfer accounting.

Torch-free at import: torch numbers are read only when torch is already loaded, so the
GUI can sample RAM and NVML before the engine has started.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass

import psutil

from engine.events import MemorySample


class MemorySampler:
    """``sample()`` → :class:`MemorySample`.  NVML gives whole-card use (what the driver
    sees, other programs included); torch gives this process's allocator numbers."""

    def __init__(self, device_index: int = 0) -> None:
        self.device_index = device_index
        self._nvml_handle = None
        self._nvml_tried = False
        self._process = psutil.Process(os.getpid())

    def _nvml(self):
        if not self._nvml_tried:
            self._nvml_tried = True
            try:
                import pynvml

                pynvml.nvmlInit()
                self._nvml_handle = pynvml.nvmlDeviceGetHandleByIndex(self.device_index)
            except Exception:
                self._nvml_handle = None
        return self._nvml_handle

    def sample(self) -> MemorySample:
        vm = psutil.virtual_memory()
        used = total = allocated = reserved = None
        source = "none"
        handle = self._nvml()
        if handle is not None:
            try:
                import pynvml

                info = pynvml.nvmlDeviceGetMemoryInfo(handle)
                used, total, source = int(info.used), int(info.total), "nvml"
            except Exception:
                pass
        torch = sys.modules.get("torch")
        if torch is not None:
            try:
                if torch.cuda.is_available() and torch.cuda.is_initialized():
                    allocated = int(torch.cuda.memory_allocated(self.device_index))
                    reserved = int(torch.cuda.memory_reserved(self.device_index))
                    if used is None:
                        free, total_t = torch.cuda.mem_get_info(self.device_index)
                        used, total, source = int(total_t - free), int(total_t), "torch"
            except Exception:
                pass
        return MemorySample(
            vram_used_bytes=used,
            vram_total_bytes=total,
            vram_allocated_bytes=allocated,
            vram_reserved_bytes=reserved,
            ram_used_bytes=int(vm.total - vm.available),
            ram_total_bytes=int(vm.total),
            process_rss_bytes=int(self._process.memory_info().rss),
            source=source,
        )


@dataclass
class TransferTotals:
    bytes: int = 0
    seconds: float = 0.0


class TransferMeter:
    """Counts host→device copies.  Thread-safe; ``take()`` returns and resets the totals
    since the last call (one step's worth)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._since = TransferTotals()
        self.total = TransferTotals()

    def add(self, nbytes: int, seconds: float) -> None:
        with self._lock:
            self._since.bytes += nbytes
            self._since.seconds += seconds
            self.total.bytes += nbytes
            self.total.seconds += seconds

    def take(self) -> TransferTotals:
        with self._lock:
            out, self._since = self._since, TransferTotals()
        return out


def device_synchronize(device) -> None:
    if getattr(device, "type", str(device)).startswith("cuda"):
        import torch

        torch.cuda.synchronize(device)


class Stopwatch:
    """Wall seconds of a region, the device synchronised at both ends."""

    def __init__(self, device) -> None:
        self.device = device
        self.seconds = 0.0

    def __enter__(self) -> Stopwatch:
        device_synchronize(self.device)
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        device_synchronize(self.device)
        self.seconds = time.perf_counter() - self._start


def vram_numbers(device) -> tuple[int, int, int]:
    """(allocated, reserved, peak allocated) bytes on ``device``; zeros off CUDA."""
    if getattr(device, "type", "cpu") != "cuda":
        return 0, 0, 0
    import torch

    return (
        int(torch.cuda.memory_allocated(device)),
        int(torch.cuda.memory_reserved(device)),
        int(torch.cuda.max_memory_allocated(device)),
    )
