#!/usr/bin/env bash
# Issue 16, second GPU call: the warm-up after the run-1 fixes (thread joined before the text
# encoder; no torch.device mode around the compiled call) and malloc_trim in block mode.
#   bench/run_issue16b.sh OUTDIR [FOLDER]
set -u
OUT=${1:?outdir}; F=${2:-/tmp/wan5b}
B="python3 bench/bench_issue16.py --folder $F"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee -a "$OUT/log.txt"
[ -e "$F/config.json" ] || python3 bench/full_folder.py "$F" 2>&1 | tail -3 | tee -a "$OUT/log.txt"
run() { name=$1; shift; echo "== $name $*" | tee -a "$OUT/log.txt"
  timeout 150 "$@" --case "$name" --out "$OUT/$name.json" 2>&1 | grep -v "^  \[\|Warning\|attn_output\|warn_once\|If it is" | tee -a "$OUT/log.txt"; }
# 1. warm-up phase, compiled while loading, cold Inductor cache (fresh folder)
ARTIFEX_CACHE_DIR=/tmp/cacheC run warm_cold2 $B --offload none --warmup on
# 2./3. second start (cache warm), block mode, with and without malloc_trim after placing
ARTIFEX_CACHE_DIR=/tmp/cacheC run block_trim $B --offload block --warmup on --steps 3 --stop-at-decode
ARTIFEX_CACHE_DIR=/tmp/cacheC run block_notrim $B --offload block --warmup on --steps 3 --stop-at-decode --trim off
