#!/usr/bin/env bash
# Issue 16, third GPU session: the banded decode against the full and the tiled decode, block
# mode with the slots and the umT5 embedding off the GPU between phases, and the whole
# 50-step job in bf16 and with fp8 compute.  Carried: .whl/g2 (diffusers, importlib_metadata
# wheels; ftfy, wcwidth, imageio-ffmpeg unpacked, its ffmpeg xz-compressed).
#   bench/run_issue16c.sh OUTDIR [FOLDER]
set -u
OUT=${1:?outdir}; F=${2:-/tmp/wan5b}
W=$PWD/.whl/g2
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site $W/*.whl || exit 1
export PYTHONPATH=/tmp/site:$W:$PWD PYTHONUNBUFFERED=1
xz -dc "$W/imageio_ffmpeg/binaries/ffmpeg-linux-x86_64-v9.0.2.xz" > /tmp/ffmpeg && chmod +x /tmp/ffmpeg
export IMAGEIO_FFMPEG_EXE=/tmp/ffmpeg
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee -a "$OUT/log.txt"
git log -1 --format="code at %h %s" | tee -a "$OUT/log.txt"
F16=${CASES:-vae,folder,block_bands,fp8all_50,bf16_50}
has() { case ",$F16," in *",$1,"*) return 0;; esac; return 1; }
B="python3 bench/bench_issue16.py --folder $F"
run() { name=$1; shift; echo "== $name $*" | tee -a "$OUT/log.txt"
  timeout ${T:-150} "$@" --case "$name" --out "$OUT/$name.json" 2>&1 | grep -v "^  \[\|Warning\|attn_output\|warn_once\|If it is" | tee -a "$OUT/log.txt"; }
if has vae; then echo "== vae" | tee -a "$OUT/log.txt"
  timeout 170 python3 bench/bench_vae.py --bands ${VAE_BANDS:-2x2,3x2,4x2,6x2,4x1} --ours-tiled --no-diffusers --out "$OUT/vae.json" 2>&1 | grep -v "Warning\|warn(" | tee -a "$OUT/log.txt"; fi
if has folder; then [ -e "$F/config.json" ] || python3 bench/full_folder.py "$F" 2>&1 | tail -3 | tee -a "$OUT/log.txt"; fi
export ARTIFEX_CACHE_DIR=/tmp/cacheG
has block_bands && run block_bands $B --offload block --steps 3 --decode-mode bands --bands ${BANDS:-4} ${SLICE:+--slice $SLICE}
has block_tiled && run block_tiled $B --offload block --steps 3 --decode-mode tiled
has block_lowram && run block_lowram $B --offload block --steps 3 --low-ram --decode-mode bands
if has decode_save; then echo "== decode_save" | tee -a "$OUT/log.txt"
  timeout 240 python3 bench/bench_decode_save.py --cases ${DECODE_CASES:-full:0,full:0,slices:0,tiled:0,full:1,full:1,slices:1,slices:1,bands2:1} --out "$OUT/decode_save.json" 2>&1 | grep -v "Warning\|warn(" | tee -a "$OUT/log.txt"; fi
has fp8all_50 && T=220 run fp8all_50 $B --offload none --precision fp8-all --steps 50
has bf16_50 && T=200 run bf16_50 $B --offload none --steps 50
exit 0
