#!/usr/bin/env bash
# Sets up .venv (if needed) and runs the whole test suite on the CPU, Qt offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_env.sh
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
.venv/bin/python -m ruff check engine artifex_gui tests bench
set +e
.venv/bin/python -m pytest -q "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure for this project." >&2
  exit 1
fi
[ "$rc" -eq 0 ] || exit "$rc"
# The same code against the oldest dependency versions pyproject admits (scripts/oldest-deps.txt).
# Only when the whole suite was asked for (no pytest arguments).
if [ "$#" -eq 0 ] && [ "${ARTIFEX_SKIP_OLDEST:-0}" != 1 ]; then
  bash scripts/test_oldest.sh
fi
