#!/usr/bin/env bash
# Box-scale benchmark (not a test; documented in business-logic/README.md):
#   bench/box-bench.sh [tasks=16] [fps=25] [seconds=30] [warmup=60]
# The real server jar with <tasks> type-3 (yolov5) tasks; each task's stream is a stand-in that
# posts the recorded 1080p frame (bench/business-logic/frame-1080p.json, re-shaped as a yolov5
# result: two persons, one crossing the HotArea every BOX_ALARM_PERIOD frames, default 100) at
# <fps> to its http_push target over one keep-alive connection; all posting and the alarm
# receiver run in this one driver JVM (see BoxBench.java). After <warmup> s it measures <seconds>:
# PSS of the server and of the business-logic processes, their CPU per frame, frames in, alarms
# and their latency, frames refused. Results are also written to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
tasks="${1:-16}"
fps="${2:-25}"
seconds="${3:-30}"
warmup="${4:-60}"
period="${BOX_ALARM_PERIOD:-100}"
if [ -z "${BOX_NO_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests package   # -DskipTests still compiles server's test classes (the bench lives there)
fi
mkdir -p bench/results
out="bench/results/box-$(date -u +%Y%m%dT%H%M%SZ).txt"
java -XX:ThreadPriorityPolicy=1 -Djava.awt.headless=true -Dsophon.bridge.home="$PWD" \
  -cp "server/target/test-classes:server/target/classes:server/target/lib/*" \
  sophon.bridge.server.bench.BoxBench "$tasks" "$fps" "$seconds" "$warmup" "$period" | tee "$out"
echo "results: $out"
