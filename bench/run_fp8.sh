#!/usr/bin/env bash
# fp8 compute on the GPU (issue 16 item 1).  Carried packages (torchao for the independent
# check, ftfy/wcwidth, imageio-ffmpeg with its ffmpeg xz-compressed) in .whl/fp8.
#   bench/run_fp8.sh OUTDIR errors|engine [FOLDER]
set -u
OUT=${1:?outdir}; WHAT=${2:?errors or engine}; F=${3:-/tmp/wan5b}
W=$PWD/.whl/fp8
export PYTHONPATH=$W:$PWD
if [ -e "$W/imageio_ffmpeg/binaries/ffmpeg-linux-x86_64-v9.0.2.xz" ]; then
  xz -dc "$W/imageio_ffmpeg/binaries/ffmpeg-linux-x86_64-v9.0.2.xz" > /tmp/ffmpeg && chmod +x /tmp/ffmpeg
  export IMAGEIO_FFMPEG_EXE=/tmp/ffmpeg
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee -a "$OUT/log.txt"
git log -1 --format="code at %h %s" | tee -a "$OUT/log.txt"
if [ "$WHAT" = errors ]; then
  timeout 560 python3 bench/bench_fp8.py --out "$OUT/fp8.json" 2>&1 | grep -v "Warning\|warn(" | tee -a "$OUT/log.txt"
  exit 0
fi
[ -e "$F/config.json" ] || python3 bench/full_folder.py "$F" 2>&1 | tail -3 | tee -a "$OUT/log.txt"
B="python3 bench/bench_issue16.py --folder $F"
run() { name=$1; shift; echo "== $name $*" | tee -a "$OUT/log.txt"
  timeout ${T:-200} "$@" --case "$name" --out "$OUT/$name.json" 2>&1 | grep -v "^  \[\|Warning\|attn_output\|warn_once\|If it is" | tee -a "$OUT/log.txt"; }
export ARTIFEX_CACHE_DIR=/tmp/cacheF
run fp8_block $B --offload block --precision fp8 --steps 3 --stop-at-decode
T=300 run fp8_none_50 $B --offload none --precision fp8 --steps 50
