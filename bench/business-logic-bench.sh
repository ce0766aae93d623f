#!/usr/bin/env bash
# Benchmark of the business-logic process (documented in business-logic/README.md).
#   bench/business-logic-bench.sh [measured-seconds=20] [connections=16] [frames-per-second=0]
# Starts business-logic.jar with the flags of business-logic/jvm.options on a licence-plate task
# (type 2), then replays bench/business-logic/frame-1080p.json (a real 1080p JPEG frame, ~262 KB
# of JSON, two detections, two plates) from N concurrent keep-alive connections, like N http_push
# channels: as fast as the process answers, or paced at frames-per-second in total (answer
# latency then counted from when each frame was due). Prints frames/s, answer latency p50/p99,
# alarm latency p99 (frame received -> alarm POST started) and RSS idle / under load.
# Ports: BL_PORT (18401), BL_RECEIVER_PORT (18402); extra JVM flags for the process: BL_JVM,
# extra process options: BL_ARGS; for the load generator: BENCH_JVM (JVM flags), BL_BENCH_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
measured="${1:-20}"
connections="${2:-16}"
rate="${3:-0}"
port="${BL_PORT:-18401}"
receiver_port="${BL_RECEIVER_PORT:-18402}"
jar=business-logic/target/business-logic.jar
if [ ! -f "$jar" ]; then
  mvn -B -ntp -q -pl business-logic -am package -DskipTests
fi
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
cat > "$work/task.json" <<JSON
{"TaskID":"bench","InputSrc":{"SrcID":"bench-cam","StreamSrc":{"Address":"rtsp://127.0.0.1/bench"}},
 "Algorithm":[{"Type":2,"TrackInterval":5,"DetectInterval":1,"AlarmInterval":100,"threshold":50,
   "TargetSize":{"MinDetect":10,"MaxDetect":1000},
   "DetectInfos":[{"HotArea":[{"X":0,"Y":0},{"X":1920,"Y":0},{"X":1920,"Y":1080},{"X":0,"Y":1080}]}]}],
 "Reporting":{"ReportUrlList":["http://127.0.0.1:$receiver_port/alarms"]}}
JSON
flags=()
while IFS= read -r line; do
  line="${line%%#*}"; line="$(echo "$line" | xargs)"
  [ -n "$line" ] && flags+=("$line")
done < business-logic/jvm.options
java "${flags[@]}" ${BL_JVM:-} -jar "$jar" ${BL_ARGS:-} --port="$port" --task="$work/task.json" --work-dir="$work" > "$work/logic.log" 2>&1 &
pid=$!
echo "business-logic pid $pid, flags: ${flags[*]}"
echo "machine: $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
java -XX:ThreadPriorityPolicy=1 ${BENCH_JVM:-} bench/business-logic/Bench.java --port="$port" --receiver-port="$receiver_port" --pid="$pid" \
  --frame=bench/business-logic/frame-1080p.json --seconds="$measured" --connections="$connections" --rate="$rate" ${BL_BENCH_ARGS:-}
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -c " WARN \| ERROR " "$work/logic.log" | xargs echo "warnings/errors in the process log:"
