#!/usr/bin/env bash
# Frozen-app check (called by .ci/run after the tests).
#
#  1. builds installer/artifex.spec with PyInstaller into a Linux one-folder bundle, using the
#     CPU torch of .venv (scripts/setup_env.sh made it; PyInstaller comes with the dev extra)
#  2. runs the frozen `artifex-cli generate` on the built-in demo model and checks the mp4:
#     it exists and has the frame count asked for (counted with the bundle's own ffmpeg)
#  3. starts the frozen GUI offscreen; after ARTIFEX_FROZEN_SMOKE_SECONDS it must still be
#     running with its main window shown, and its background engine load (torch) must
#     succeed (installer/launchers/artifex_gui_main.py reports both, then quits)
#  4. compiles installer/artifex.nsi with makensis against the built folder (uncompressed:
#     this proves the script and the folder layout, not the compression)
#
# Environment: ARTIFEX_VENV (default .venv), ARTIFEX_FROZEN_DIR (default build/frozen),
# ARTIFEX_FROZEN_KEEP=1 keeps the bundle and outputs afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

VENV=${ARTIFEX_VENV:-.venv}
PY="$VENV/bin/python"
WORK=${ARTIFEX_FROZEN_DIR:-build/frozen}
BUNDLE="$WORK/dist/Artifex"
OUT="$WORK/out"
FRAMES=9                   # 4n+1 frames: 3 latent frames on the demo model
SMOKE_SECONDS=${ARTIFEX_FROZEN_SMOKE_SECONDS:-8}

started=$SECONDS
step_started=$SECONDS
step() {
  echo
  echo "== frozen check [$((SECONDS - started)) s]: $*"
  step_started=$SECONDS
}
took() { echo "   took $((SECONDS - step_started)) s"; }
fail() { echo "FROZEN CHECK FAILED: $*" >&2; exit 1; }

[ -x "$PY" ] || fail "$PY not found: run scripts/setup_env.sh first (or set ARTIFEX_VENV)"
rm -rf "$WORK"
mkdir -p "$OUT"
WORK=$(cd "$WORK" && pwd)
BUNDLE="$WORK/dist/Artifex"
OUT="$WORK/out"

step "PyInstaller"
if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
  "$PY" -m pip install -q "pyinstaller>=6.10"
fi
"$PY" -m PyInstaller --version
# The build imports torch to collect it; keep it off any GPU and quiet.
CUDA_VISIBLE_DEVICES="" "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$WORK/dist" --workpath "$WORK/pyinstaller" installer/artifex.spec \
  > "$WORK/pyinstaller.log" 2>&1 || { tail -n 60 "$WORK/pyinstaller.log"; fail "PyInstaller build"; }
grep -E "WARNING|artifex.spec" "$WORK/pyinstaller.log" | grep -v DeprecationWarning | tail -n 20 || true
[ -x "$BUNDLE/Artifex" ] || fail "no $BUNDLE/Artifex"
[ -x "$BUNDLE/artifex-cli" ] || fail "no $BUNDLE/artifex-cli"
echo "   bundle: $(du -sh "$BUNDLE" | cut -f1) in $(find "$BUNDLE" -type f | wc -l) files"
# What the app reads from the bundle by path: every shipped resource and model constant,
# the translations, and the Qt multimedia backend QMediaPlayer needs.
missing=0
while IFS= read -r -d '' source; do
  relative=${source#resources/}
  [ -f "$BUNDLE/_internal/resources/$relative" ] || { echo "   missing: resources/$relative"; missing=1; }
done < <(find resources -type f ! -name "*.py" ! -name "*.ts" ! -name "*.md" -print0)
for required in engine/data/wan22_constants.json PySide6/Qt/plugins/multimedia PySide6/Qt/plugins/platforms/libqoffscreen.so; do
  [ -e "$BUNDLE/_internal/$required" ] || { echo "   missing: $required"; missing=1; }
done
[ "$missing" -eq 0 ] || fail "files are missing from the bundle"
took

# Run the frozen programs from an empty folder with a clean environment, so that nothing
# can come from the checkout or the virtual environment.
run_frozen() {
  (cd "$OUT" && env -u PYTHONPATH -u PYTHONHOME -u VIRTUAL_ENV -u IMAGEIO_FFMPEG_EXE \
     PATH=/usr/bin:/bin HOME="$OUT/home" ARTIFEX_DATA_DIR="$OUT/data" "$@")
}
mkdir -p "$OUT/home" "$OUT/data"

step "frozen artifex-cli generate (demo model, $FRAMES frames)"
VIDEO="$OUT/frozen demo.mp4"
set +e
run_frozen timeout 900 "$BUNDLE/artifex-cli" generate \
  --prompt "A red fox running through fresh snow, cinematic" \
  --frame_num "$FRAMES" --save_file "$VIDEO" > "$OUT/cli.log" 2>&1
cli_rc=$?
set -e
tail -n 25 "$OUT/cli.log"
[ "$cli_rc" -eq 0 ] || fail "frozen artifex-cli generate exited with $cli_rc"
[ -s "$VIDEO" ] || fail "frozen artifex-cli wrote no $VIDEO"
FFMPEG=$(ls "$BUNDLE"/_internal/imageio_ffmpeg/binaries/ffmpeg* | head -n 1)
[ -x "$FFMPEG" ] || fail "the bundled ffmpeg ($FFMPEG) is missing or not executable"
counted=$("$FFMPEG" -nostdin -hide_banner -i "$VIDEO" -map 0:v:0 -c copy -f null - 2>&1 \
  | grep -oE 'frame= *[0-9]+' | tail -n 1 | grep -oE '[0-9]+' || true)
echo "   $VIDEO: ${counted:-?} frames, $(stat -c %s "$VIDEO") bytes"
[ "${counted:-0}" -eq "$FRAMES" ] || fail "expected $FRAMES frames, found ${counted:-none}"
took

step "frozen artifex-cli doctor"
run_frozen timeout 300 "$BUNDLE/artifex-cli" doctor > "$OUT/doctor.log" 2>&1 \
  || { cat "$OUT/doctor.log"; fail "frozen artifex-cli doctor"; }
cat "$OUT/doctor.log"
grep -q "ffmpeg: $BUNDLE/" "$OUT/doctor.log" || fail "the frozen app does not use its bundled ffmpeg"
took

step "frozen GUI, offscreen: alive ${SMOKE_SECONDS} s, main window shown, engine loaded"
ENGINE_SECONDS=180
run_frozen env QT_QPA_PLATFORM=offscreen ARTIFEX_FROZEN_SMOKE_SECONDS="$SMOKE_SECONDS" \
  ARTIFEX_FROZEN_SMOKE_ENGINE_SECONDS="$ENGINE_SECONDS" \
  "$BUNDLE/Artifex" > "$OUT/gui.log" 2>&1 &
gui_pid=$!
# Poll: it must not die before the smoke timer fires, and must quit by itself after it.
deadline=$((SECONDS + SMOKE_SECONDS + ENGINE_SECONDS + 60))
while kill -0 "$gui_pid" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    kill "$gui_pid" 2>/dev/null || true
    cat "$OUT/gui.log"
    fail "the frozen GUI did not quit after its smoke-test timer"
  fi
  sleep 1
done
alive_seconds=$((SECONDS - step_started))
set +e
wait "$gui_pid"
gui_rc=$?
set -e
grep -v "symbolsresolver" "$OUT/gui.log" | tail -n 15
echo "   --- GUI log file:"
tail -n 15 "$OUT/data/artifex.log" 2>/dev/null || true
grep -q "frozen smoke test: main window shown" "$OUT/gui.log" \
  || fail "the frozen GUI did not show its main window (exit $gui_rc after ${alive_seconds} s)"
[ "$alive_seconds" -ge "$SMOKE_SECONDS" ] || fail "the frozen GUI quit after ${alive_seconds} s"
if grep -q "frozen smoke test: engine state:" "$OUT/gui.log"; then
  grep -q "frozen smoke test: engine state: ready" "$OUT/gui.log" \
    || fail "the frozen GUI could not load the engine (see the log above)"
fi
! grep -q "Traceback" "$OUT/gui.log" "$OUT/data/artifex.log" 2>/dev/null \
  || fail "the frozen GUI logged a traceback"
[ "$gui_rc" -eq 0 ] || fail "the frozen GUI exited with $gui_rc"
echo "   alive ${alive_seconds} s, main window shown, engine loaded, exit 0"
took

step "makensis: installer/artifex.nsi against the built folder"
if command -v makensis >/dev/null 2>&1; then
  version=$("$PY" installer/build_meta.py version)
  makensis -V2 -DBUNDLE_DIR="$BUNDLE" -DAPP_VERSION="$version" \
    -DAPP_VERSION_NUMERIC="$("$PY" installer/build_meta.py version-numeric)" \
    -DOUTFILE="$WORK/Artifex-$version-setup.exe" -DCOMPRESS=off installer/artifex.nsi \
    || fail "makensis could not compile installer/artifex.nsi"
  echo "   $WORK/Artifex-$version-setup.exe: $(du -sh "$WORK/Artifex-$version-setup.exe" | cut -f1) (uncompressed)"
  rm -f "$WORK/Artifex-$version-setup.exe"
else
  fail "makensis not found (Debian: apt-get install nsis)"
fi
took

if [ "${ARTIFEX_FROZEN_KEEP:-0}" != "1" ]; then
  rm -rf "$WORK"
fi
echo
echo "== frozen check passed in $((SECONDS - started)) s"
