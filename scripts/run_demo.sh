#!/usr/bin/env bash
# Sets up .venv (if needed) and generates a short clip in the CURRENT folder.  With no
# --ckpt_dir this uses the built-in tiny DEMO model (random weights: the video is noise-like,
# not a real generation) at a small size that finishes in seconds on a CPU.
set -euo pipefail
here=$(pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
bash "$repo/scripts/setup_env.sh"
cd "$here"
exec "$repo/.venv/bin/artifex-cli" generate --prompt "A red fox running through fresh snow, cinematic" "$@"
