"""The one map between the dtype names of a request ("bf16", "fp16", "fp32") and torch's."""

from __future__ import annotations

import torch

TORCH_DTYPES: dict[str, torch.dtype] = {
    "bf16": torch.bfloat16,
    "fp16": torch.float16,
    "fp32": torch.float32,
}


def torch_dtype(name: str) -> torch.dtype:
    """``"bf16"`` → ``torch.bfloat16`` (names: :data:`engine.request.DTYPES`)."""
    return TORCH_DTYPES[name]


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.bfloat16`` → ``"bf16"``."""
    return {v: k for k, v in TORCH_DTYPES.items()}[dtype]
