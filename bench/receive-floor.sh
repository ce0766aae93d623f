#!/usr/bin/env bash
# What a process per task pays on this machine only to receive the frames (not a test; documented
# in business-logic/README.md, "The floor under CPU per frame"):
#   bench/receive-floor.sh [tasks=16] [fps=25] [seconds=30] [warmup=5] [runs=5]
# <tasks> receiver processes each take the recorded 1080p frame (bench/business-logic/frame-1080p.json)
# at <fps> over one keep-alive loopback connection, as business logic does from http_push, and
# answer each with the same small 200; they parse nothing and build no alarm. Two kinds, <runs>
# runs each: written in C (bench/receive-floor/receive-floor.c, built here with gcc), and JVMs with
# business logic's own flags (business-logic/jvm.options) running bench/receive-floor/JavaReceiver.java,
# which reads like business logic's HttpConnection (given <warmup> + 10 s to start and compile).
# Prints the receivers' CPU per frame of each run (CPU time of the processes, as
# bench/box-bench.sh counts it) and the median of each kind.
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
javac -d "$(dirname "$bin")" bench/receive-floor/JavaReceiver.java
jvm=()
while IFS= read -r line; do
  line="${line%%#*}"; line="$(echo "$line" | xargs)"
  [ -n "$line" ] && jvm+=("$line")
done < business-logic/jvm.options
median() {
  sed -n 's/.* = \([0-9.]*\) ms per frame/\1/p' | sort -n \
    | awk -v kind="$1" '{v[NR] = $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %s CPU per frame: %.3f ms (min %.3f, max %.3f)\n", kind, m, v[1], v[NR]}'
}
mkdir -p bench/results
out="bench/results/receive-floor-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "receive floor: $tasks receivers x $fps frames/s, $warmup s warm-up, $seconds s measured, $runs runs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  for _ in $(seq "$runs"); do
    "$bin" "$tasks" "$fps" "$seconds" "$warmup" bench/business-logic/frame-1080p.json
  done | tee /dev/stderr | median "C receivers'"
  for _ in $(seq "$runs"); do
    "$bin" "$tasks" "$fps" "$seconds" "$((warmup + 10))" bench/business-logic/frame-1080p.json 65536 \
      -- java "${jvm[@]}" -cp "$(dirname "$bin")" JavaReceiver
  done | tee /dev/stderr | median "Java receivers'"
} 2>&1 | tee "$out"
echo "results: $out"
