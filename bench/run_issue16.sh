#!/usr/bin/env bash
# Issue 16's GPU cases, one fresh process each, in one device call (see bench/bench_issue16.py).
#   bench/run_issue16.sh OUTDIR [FOLDER]
set -u
OUT=${1:?outdir}; F=${2:-/tmp/wan5b}
B="python3 bench/bench_issue16.py --folder $F"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee -a "$OUT/log.txt"
[ -e "$F/config.json" ] || python3 bench/full_folder.py "$F" 2>&1 | tail -3 | tee -a "$OUT/log.txt"
run() { name=$1; shift; echo "== $name $*" | tee -a "$OUT/log.txt"
  timeout 170 "$@" --case "$name" --out "$OUT/$name.json" 2>&1 | grep -v "^  \[" | tee -a "$OUT/log.txt"; }
# 1. baseline: no warm-up, cold Inductor cache → compile inside step 1
ARTIFEX_CACHE_DIR=/tmp/cacheA run nowarm_cold $B --offload none --warmup off
# 2. warm-up phase, compiled while loading, cold cache
ARTIFEX_CACHE_DIR=/tmp/cacheB run warm_cold $B --offload none --warmup on
# 3. second start (cache warm), block mode, one page-locked buffer per block
ARTIFEX_CACHE_DIR=/tmp/cacheB run block_buffer $B --offload block --warmup on --pin buffer
# 4. block mode with the old per-tensor pin_memory(), same shapes, stopped at decode
ARTIFEX_CACHE_DIR=/tmp/cacheB run block_per_tensor $B --offload block --warmup on --pin per_tensor --steps 3 --stop-at-decode
# 5. the memory plan at another shape and mode: model offload, text-to-video 960x544x81
ARTIFEX_CACHE_DIR=/tmp/cacheB run model_t2v_small $B --offload model --warmup on --t2v --size 960*544 --frames 81 --steps 3
free -g | tee -a "$OUT/log.txt"
