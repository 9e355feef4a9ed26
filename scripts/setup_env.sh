#!/usr/bin/env bash
# Creates .venv with the CPU build of PyTorch and Artifex installed (editable, with dev tools).
# Usage: bash scripts/setup_env.sh        (re-running is cheap: it only installs what is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# The CPU build of torch first, pinned, so nothing pulls the multi-GB CUDA build.
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[dev]"
