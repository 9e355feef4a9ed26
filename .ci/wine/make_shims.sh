#!/usr/bin/env bash
# Builds the native DLLs the Wine check needs under Wine 8.0 (Debian 12) and puts them into
# the prefix's system32: ucrtbase.dll (see ucrt_complex.c; Wine's own ucrtbase is copied as
# ucrtwine.dll) icuuc.dll (see icuuc_stub.c), bcryptprimitives.dll
# (see bcryptprimitives_stub.c) and mscms.dll (see mscms_stub.c; Wine's own as mscmswine.dll). Neither is ever part of the shipped app.
# Usage: make_shims.sh WINEPREFIX BUILD_DIR        (needs gcc-mingw-w64-x86-64)
set -euo pipefail
PREFIX=$1
BUILD=$2
HERE=$(cd "$(dirname "$0")" && pwd)
WINE_UCRT=${WINE_UCRT:-}
[ -n "$WINE_UCRT" ] || WINE_UCRT=$(ls /usr/lib/x86_64-linux-gnu/wine/x86_64-windows/ucrtbase.dll /usr/lib/wine/x86_64-windows/ucrtbase.dll 2>/dev/null | head -n 1 || true)
[ -f "$WINE_UCRT" ] || { echo "make_shims: Wine's ucrtbase.dll not found" >&2; exit 1; }
mkdir -p "$BUILD"
# Wine's ucrtbase, marked native: a file with Wine's "builtin" mark loaded under another
# name is not found by Wine's builtin loader.
cp "$WINE_UCRT" "$BUILD/ucrtwine.dll"
printf '\0%.0s' $(seq 16) | dd of="$BUILD/ucrtwine.dll" bs=1 seek=64 conv=notrunc status=none
# Every export of Wine's ucrtbase; the ones ucrt_complex.c defines are ours, the rest forward.
x86_64-w64-mingw32-objdump -p "$WINE_UCRT" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' \
  | grep -v 'Table' | grep -o '\] .*' | cut -c3- > "$BUILD/exports.txt"
ours=$(grep -oE '^(dcx|fcx|double|float) [A-Za-z_]+\(' "$HERE/ucrt_complex.c" | grep -oE '[A-Za-z_]+\($' | tr -d '(' ; \
       grep -oE '^UNARY\(.*' "$HERE/ucrt_complex.c" | grep -oE 'UNARY\([a-z0-9]+' | cut -c7- | sed 'p;s/$/f/p;s/f$/l/')
printf '%s\n' $ours | sort -u > "$BUILD/ours.txt"
{
  echo "LIBRARY ucrtbase.dll"
  echo "EXPORTS"
  grep -vxF -f "$BUILD/ours.txt" "$BUILD/exports.txt" | sed 's/.*/  & = ucrtwine.&/'
  sed 's/^/  /' "$BUILD/ours.txt"
} > "$BUILD/ucrtbase.def"
printf 'LIBRARY ucrtwine.dll\nEXPORTS\n  exp\n  log\n  sin\n  cos\n  sinh\n  cosh\n  atan2\n  sqrt\n  hypot\n  fabs\n  memcpy\n  memset\n' > "$BUILD/ucrtwine.def"
x86_64-w64-mingw32-dlltool -d "$BUILD/ucrtwine.def" -l "$BUILD/libucrtwine.a"
x86_64-w64-mingw32-gcc -O2 -fno-builtin -Wall -shared -nostdlib -nostartfiles -e DllMainCRTStartup \
  -o "$BUILD/ucrtbase.dll" "$HERE/ucrt_complex.c" "$BUILD/ucrtbase.def" "$BUILD/libucrtwine.a" -lgcc
SYS="$PREFIX/drive_c/windows/system32"
cp "$BUILD/ucrtwine.dll" "$SYS/ucrtwine.dll"
cp "$BUILD/ucrtbase.dll" "$SYS/ucrtbase.dll"
x86_64-w64-mingw32-gcc -O2 -fno-builtin -Wall -shared -nostdlib -nostartfiles -e DllMainCRTStartup \
  -o "$BUILD/icuuc.dll" "$HERE/icuuc_stub.c"
cp "$BUILD/icuuc.dll" "$SYS/icuuc.dll"
x86_64-w64-mingw32-gcc -O2 -Wall -shared -nostdlib -nostartfiles -e DllMainCRTStartup \
  -o "$BUILD/bcryptprimitives.dll" "$HERE/bcryptprimitives_stub.c" -lbcrypt
cp "$BUILD/bcryptprimitives.dll" "$SYS/bcryptprimitives.dll"
# mscms.dll: WcsCreateIccProfile ours (mscms_stub.c), the rest forwarded to Wine's own.
WINE_MSCMS=$(dirname "$WINE_UCRT")/mscms.dll
cp "$WINE_MSCMS" "$BUILD/mscmswine.dll"
printf '\0%.0s' $(seq 16) | dd of="$BUILD/mscmswine.dll" bs=1 seek=64 conv=notrunc status=none
{
  echo "LIBRARY mscms.dll"
  echo "EXPORTS"
  x86_64-w64-mingw32-objdump -p "$WINE_MSCMS" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' \
    | grep -v 'Table' | grep -o '\] .*' | cut -c3- | grep -vx WcsCreateIccProfile | sed 's/.*/  & = mscmswine.&/'
  echo "  WcsCreateIccProfile"
} > "$BUILD/mscms.def"
x86_64-w64-mingw32-gcc -O2 -Wall -shared -nostdlib -nostartfiles -e DllMainCRTStartup \
  -o "$BUILD/mscms.dll" "$HERE/mscms_stub.c" "$BUILD/mscms.def"
cp "$BUILD/mscmswine.dll" "$SYS/mscmswine.dll"
cp "$BUILD/mscms.dll" "$SYS/mscms.dll"
echo "make_shims: $(wc -l < "$BUILD/ours.txt") complex functions implemented, $(($(wc -l < "$BUILD/exports.txt") - $(wc -l < "$BUILD/ours.txt"))) exports forwarded to ucrtwine.dll"
