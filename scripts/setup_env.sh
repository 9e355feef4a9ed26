#!/usr/bin/env bash
# Creates .venv with PyTorch and Artifex installed (editable, with dev tools).
# Usage: bash scripts/setup_env.sh        (re-running skips the installs when nothing changed)
#
# Which PyTorch build:
# - a machine with an NVIDIA driver (nvidia-smi works): PyPI's torch, which on Linux and
#   Windows x64 is the CUDA build (~2.7 GB with its CUDA libraries) — the GPU is used;
# - otherwise the CPU build (~200 MB) from the PyTorch CPU index (on Linux, PyPI's torch
#   would be the multi-GB CUDA build even without a GPU).
# Override with ARTIFEX_TORCH=cuda|cpu|pypi ('pypi': whatever `pip install torch` gives here,
# e.g. a machine whose pip serves a local CPU wheel, as CI's does).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
TORCH_VERSION=2.13.0
choice=${ARTIFEX_TORCH:-}
if [ -z "$choice" ]; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    choice=cuda
  else
    choice=cpu
  fi
fi
case "$choice" in
  cpu) torch_args=(--index-url https://download.pytorch.org/whl/cpu --extra-index-url https://pypi.org/simple) ;;
  cuda|pypi) torch_args=() ;;
  *) echo "ARTIFEX_TORCH must be cuda, cpu or pypi (got '$choice')" >&2; exit 2 ;;
esac
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# Skip the installs when this exact set-up is already done (same pyproject, same torch choice).
stamp=.venv/.artifex-setup
want="$choice torch==$TORCH_VERSION $(cksum < pyproject.toml)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && .venv/bin/python -c "import torch, engine" 2>/dev/null; then
  exit 0
fi
.venv/bin/python -m pip install -q --upgrade pip
# torch first, pinned, so that installing Artifex does not pull another build.
.venv/bin/python -m pip install -q "${torch_args[@]}" "torch==$TORCH_VERSION"
.venv/bin/python -m pip install -q -e ".[dev]"
echo "$want" > "$stamp"
.venv/bin/python -c "import torch; print(f'PyTorch {torch.__version__} installed in .venv (CUDA: {torch.version.cuda or \"none, CPU build\"})')"
