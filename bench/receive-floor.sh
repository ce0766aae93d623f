#!/usr/bin/env bash
# What a process per task pays on this machine only to receive the frames (not a test; documented
# in business-logic/README.md, "The floor under CPU per frame"):
#   bench/receive-floor.sh [tasks=16] [fps=25] [seconds=30] [warmup=5] [runs=5]
# <tasks> receiver processes written in C (bench/receive-floor/receive-floor.c, built here with gcc)
# each take the recorded 1080p frame (bench/business-logic/frame-1080p.json) at <fps> over one
# keep-alive loopback connection, as business logic does from http_push, and answer each with the
# same small 200; they parse nothing and build no alarm. Prints the receivers' CPU per frame of
# each run (CPU time of the processes, as bench/box-bench.sh counts it) and the median.
set -euo pipefail
cd "$(dirname "$0")/.."
tasks="${1:-16}"
fps="${2:-25}"
seconds="${3:-30}"
warmup="${4:-5}"
runs="${5:-5}"
command -v gcc >/dev/null || { echo "receive-floor needs gcc (apt-get install gcc)" >&2; exit 1; }
bin="$(mktemp -d)/receive-floor"
trap 'rm -rf "$(dirname "$bin")"' EXIT
gcc -O2 -pthread -o "$bin" bench/receive-floor/receive-floor.c
mkdir -p bench/results
out="bench/results/receive-floor-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "receive floor: $tasks receivers x $fps frames/s, $warmup s warm-up, $seconds s measured, $runs runs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  for _ in $(seq "$runs"); do
    "$bin" "$tasks" "$fps" "$seconds" "$warmup" bench/business-logic/frame-1080p.json
  done | tee /dev/stderr | sed -n 's/.* = \([0-9.]*\) ms per frame/\1/p' | sort -n \
    | awk '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median receivers CPU per frame: %.3f ms (min %.3f, max %.3f)\n", m, v[1], v[NR]}'
} 2>&1 | tee "$out"
echo "results: $out"
