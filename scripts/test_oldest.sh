#!/usr/bin/env bash
# Runs the tests of each line of scripts/oldest-deps.txt with that line's (oldest admitted)
# dependency versions laid over .venv through a `pip install --target` overlay.
# Usage: bash scripts/test_oldest.sh        (needs .venv from scripts/setup_env.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
overlays=$(mktemp -d "${TMPDIR:-/tmp}/artifex-oldest.XXXXXX")
trap 'rm -rf "$overlays"' EXIT
n=0
failed=0
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  packages=$(echo "${line%%|*}" | xargs)
  tests=$(echo "${line#*|}" | xargs)
  n=$((n + 1))
  target="$overlays/$n"
  echo "== oldest versions: $packages"
  # shellcheck disable=SC2086
  .venv/bin/python -m pip install -q --no-deps --target "$target" $packages
  # Prove the overlay is what gets imported, not .venv's newer copy.
  # shellcheck disable=SC2086
  PYTHONPATH="$target" .venv/bin/python - $packages <<'PY'
import importlib.metadata as md
import sys

for pin in sys.argv[1:]:
    name, want = pin.split("==")
    have = md.version(name)
    assert have == want, f"{name}: overlay not in effect ({have} imported, {want} wanted)"
    print(f"   using {name} {have}")
PY
  # shellcheck disable=SC2086
  if ! PYTHONPATH="$target" .venv/bin/python -m pytest -q -p no:cacheprovider $tests; then
    failed=$((failed + 1))
  fi
done < scripts/oldest-deps.txt
if [ "$failed" -ne 0 ]; then
  echo "$failed of $n oldest-version runs failed" >&2
  exit 1
fi
echo "all $n oldest-version runs passed"
