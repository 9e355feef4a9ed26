"""PyInstaller runtime hook: runs before the entry script in both frozen programs."""

import glob
import os
import sys

_bundle = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))

# imageio-ffmpeg finds its binary through the package; name it explicitly so that a stray
# IMAGEIO_FFMPEG_EXE-less lookup never falls back to whatever ffmpeg is on PATH.
_ffmpeg = sorted(glob.glob(os.path.join(_bundle, "imageio_ffmpeg", "binaries", "ffmpeg*")))
if _ffmpeg and "IMAGEIO_FFMPEG_EXE" not in os.environ:
    os.environ["IMAGEIO_FFMPEG_EXE"] = _ffmpeg[0]

# torch.compile (inductor) starts compile workers as `sys.executable -m ...`; in a frozen
# app sys.executable is Artifex.exe itself, so compile in-process instead.
os.environ.setdefault("TORCHINDUCTOR_COMPILE_THREADS", "1")
