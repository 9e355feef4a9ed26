"""The shown (translated) names of the engine's words: phases, kernels, settings, counts.

The engine speaks stable English keys (``"encode_text"``, ``"offload_mode"``,
``"sdpa (PyTorch's choice)"``); everything the window shows goes through here, so the
Korean window never shows a raw key.  No widgets.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def phase_name(phase: str) -> str:
    names = {
        "load": QCoreApplication.translate("Names", "load"),
        "warmup": QCoreApplication.translate("Names", "warm-up"),
        "encode_text": QCoreApplication.translate("Names", "text encode"),
        "encode_image": QCoreApplication.translate("Names", "image encode"),
        "denoise": QCoreApplication.translate("Names", "denoise"),
        "decode": QCoreApplication.translate("Names", "decode"),
        "save": QCoreApplication.translate("Names", "save"),
    }
    return names.get(phase, phase)


def part_name(part: str) -> str:
    """A model part being loaded."""
    names = {
        "dit": QCoreApplication.translate("Names", "DiT"),
        "text_encoder": QCoreApplication.translate("Names", "text encoder"),
        "vae": QCoreApplication.translate("Names", "VAE"),
    }
    return names.get(part, part)


def kernel_text(kernel: str) -> str:
    """An attention kernel as the engine names it, with its English remarks translated."""
    return kernel.replace("PyTorch's choice", QCoreApplication.translate("Names", "PyTorch's choice"))


def setting_name(key: str) -> str:
    """A setting or environment key of a run report, as a label."""
    names = {
        "prompt": QCoreApplication.translate("Names", "prompt"),
        "negative_prompt": QCoreApplication.translate("Names", "negative prompt"),
        "image_path": QCoreApplication.translate("Names", "start image"),
        "output_size": QCoreApplication.translate("Names", "output size"),
        "width": QCoreApplication.translate("Names", "width (asked)"),
        "height": QCoreApplication.translate("Names", "height (asked)"),
        "frames": QCoreApplication.translate("Names", "frames"),
        "steps": QCoreApplication.translate("Names", "steps"),
        "solver": QCoreApplication.translate("Names", "solver"),
        "seed": QCoreApplication.translate("Names", "seed"),
        "guidance": QCoreApplication.translate("Names", "guidance"),
        "shift": QCoreApplication.translate("Names", "shift"),
        "attention": QCoreApplication.translate("Names", "attention"),
        "dtype": QCoreApplication.translate("Names", "precision"),
        "precision": QCoreApplication.translate("Names", "DiT linears"),
        "decode_mode": QCoreApplication.translate("Names", "VAE decode"),
        "offload_mode": QCoreApplication.translate("Names", "offload"),
        "low_ram": QCoreApplication.translate("Names", "low RAM"),
        "vae_decode": QCoreApplication.translate("Names", "VAE decode (used)"),
        "checkpoint_dir": QCoreApplication.translate("Names", "model folder"),
        "device": QCoreApplication.translate("Names", "device"),
        "fps": QCoreApplication.translate("Names", "frames per second"),
        "gpu_name": QCoreApplication.translate("Names", "GPU"),
        "torch": QCoreApplication.translate("Names", "PyTorch"),
        "torch_cuda": QCoreApplication.translate("Names", "CUDA (PyTorch's build)"),
        "driver": QCoreApplication.translate("Names", "GPU driver"),
        "attention_backend": QCoreApplication.translate("Names", "attention (asked)"),
        "python": QCoreApplication.translate("Names", "Python"),
        "platform": QCoreApplication.translate("Names", "system"),
        "artifex": QCoreApplication.translate("Names", "Artifex version"),
        "attention_kernel": QCoreApplication.translate("Names", "attention kernel"),
    }
    if key in names:
        return names[key]
    return key.replace("_", " ").replace(".", " · ")


def count_text(n: int, one: str, many: str) -> str:
    """``one`` for 1, else ``many`` (both already translated, with ``{0}`` for the number)."""
    return (one if n == 1 else many).format(n)
