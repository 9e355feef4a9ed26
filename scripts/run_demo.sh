#!/usr/bin/env bash
# Sets up .venv (if needed) and generates a short clip. With no --ckpt_dir this uses the
# built-in tiny DEMO model (random weights: the video is noise-like, not a real generation).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
exec .venv/bin/artifex-cli generate --prompt "A red fox running through fresh snow, cinematic" "$@"
