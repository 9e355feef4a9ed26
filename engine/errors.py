"""Errors a person can hit.  Each says what happened and what to do next.

``kind`` is a short stable word clients can switch on (the GUI picks an icon, the CLI an
exit code); ``advice`` is the sentence telling the user what to do.
"""

from __future__ import annotations


class ArtifexError(Exception):
    kind = "error"

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice

    def __str__(self) -> str:
        return f"{self.message} {self.advice}".strip()


class RequestError(ArtifexError):
    """A setting is out of range or inconsistent."""

    kind = "bad_request"


class ImageError(ArtifexError):
    """The conditioning image cannot be used."""

    kind = "bad_image"


class CheckpointError(ArtifexError):
    """The model folder is missing files, has damaged files or is another model."""

    kind = "bad_checkpoint"


class GPUOutOfMemory(ArtifexError):
    kind = "out_of_memory"


class DecodeFailed(GPUOutOfMemory):
    """The VAE decode ran out of memory in every decode mode it tried; ``latents_path`` holds
    the denoised latents when they were kept, so the video can be decoded again later."""

    def __init__(self, message: str, advice: str = "", latents_path: str | None = None):
        super().__init__(message, advice)
        self.latents_path = latents_path


class SaveError(ArtifexError):
    """Writing the video failed; ``recovered_path`` holds the generated frames if kept."""

    kind = "save_failed"

    def __init__(self, message: str, advice: str = "", recovered_path: str | None = None):
        super().__init__(message, advice)
        self.recovered_path = recovered_path


class Cancelled(Exception):
    """Raised inside the engine when the user cancels; never shown as an error."""

    def __init__(self, phase: str = "") -> None:
        super().__init__(phase)
        self.phase = phase


# How CUDA libraries and the CPU allocator report running out of memory when they do not
# raise torch.cuda.OutOfMemoryError / MemoryError (cuBLAS and cuDNN errors are RuntimeErrors).
_GPU_MEMORY_MARKERS = (
    "CUDA out of memory",
    "CUDA error: out of memory",
    "CUBLAS_STATUS_ALLOC_FAILED",
    "CUDNN_STATUS_ALLOC_FAILED",
    "CUDNN_STATUS_NOT_ENOUGH_WORKSPACE",
    "HIP out of memory",
)
_RAM_MARKERS = (
    "DefaultCPUAllocator: not enough memory",
    "DefaultCPUAllocator: can't allocate memory",
)


def out_of_memory_kind(exc: BaseException) -> str | None:
    """``"gpu"`` or ``"ram"`` when ``exc`` means memory ran out, else None."""
    if type(exc).__name__ == "OutOfMemoryError":
        return "gpu"
    if isinstance(exc, MemoryError):
        return "ram"
    if isinstance(exc, RuntimeError):
        text = str(exc)
        if any(marker in text for marker in _GPU_MEMORY_MARKERS):
            return "gpu"
        if any(marker in text for marker in _RAM_MARKERS):
            return "ram"
    return None
