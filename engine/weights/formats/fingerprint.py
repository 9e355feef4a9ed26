"""A cheap content hash for multi-GB weight files, for reports and history.

``quick_hash`` reads the first 1 MiB (the whole safetensors header of any real file) and 16
evenly spaced 64 KiB samples, plus the size: about 2 MiB for a 10 GB file, so a run costs
milliseconds, not a minute. Two files with equal quick hashes are the same download in
practice; it is not a proof of integrity (the size/truncation checks do that part).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_HEAD = 1 << 20
_SAMPLE = 1 << 16
_SAMPLES = 16


def quick_hash(path: str | Path) -> str:
    """``"q1:<sha256 hex, 16 chars>"`` of size + head + samples (``q1`` = this recipe)."""
    path = Path(path)
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with open(path, "rb") as f:
        h.update(f.read(_HEAD))
        if size > _HEAD:
            span = size - _HEAD - _SAMPLE
            for i in range(_SAMPLES):
                f.seek(_HEAD + max(0, span) * i // max(1, _SAMPLES - 1))
                h.update(f.read(_SAMPLE))
    return "q1:" + h.hexdigest()[:16]
