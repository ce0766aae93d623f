#!/usr/bin/env bash
# Where business logic's CPU goes at a box's load (not a test; documented in business-logic/README.md):
#   bench/box-profile.sh [seconds=20] [warmup=75]
# Runs bench/box-bench.sh 16 25 (seconds + 20) 60 and, <warmup> s into it, records all 16
# business-logic processes with perf (cpu-clock, 999 Hz, <seconds> s; Java frames named through
# `jcmd <pid> Compiler.perfmap`). Prints the share of samples per thread and per thread and symbol
# (summed over the 16 processes), and keeps perf.data in bench/results/. Needs perf (linux-perf).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
warmup="${2:-75}"
command -v perf >/dev/null || { echo "box-profile needs perf (apt-get install linux-perf)" >&2; exit 1; }
mkdir -p bench/results
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
data="bench/results/box-profile-$stamp.perf.data"
out="bench/results/box-profile-$stamp.txt"
bench/box-bench.sh 16 25 "$((seconds + 20))" 60 > "bench/results/box-profile-$stamp.bench.txt" 2>&1 &
bench=$!
sleep "$warmup"
pids="$(pgrep -f 'business-logic.jar' | paste -sd, -)"
[ -n "$pids" ] || { echo "no business-logic process found" >&2; wait "$bench"; exit 1; }
for p in ${pids//,/ }; do jcmd "$p" Compiler.perfmap > /dev/null 2>&1 || true; done
perf record -q -e cpu-clock -F 999 -g -p "$pids" -o "$data" -- sleep "$seconds"
# code compiled during the recording gets its name too
for p in ${pids//,/ }; do jcmd "$p" Compiler.perfmap > /dev/null 2>&1 || true; done
sum() {
  awk '{pct=$1; sub("%","",pct); $1=""; s[$0]+=pct} END {for (k in s) printf "%6.2f %%%s\n", s[k], k}' | sort -rn
}
{
  echo "box profile $stamp: $seconds s of perf after $warmup s of bench/box-bench.sh 16 25; processes $pids"
  echo "--- per thread"
  perf report -i "$data" --no-children --sort comm -g none --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | sum | head -15
  echo "--- per thread and symbol (top 40)"
  perf report -i "$data" --no-children --sort comm,sym -g none --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | sum | head -40
} | tee "$out"
wait "$bench"
echo "results: $out (perf data $data; the bench's own output bench/results/box-profile-$stamp.bench.txt)"
