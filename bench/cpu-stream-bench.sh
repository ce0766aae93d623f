#!/usr/bin/env bash
# cpu-stream benchmark (see cpu-stream/README.md, "Benchmark"). Measures on this machine, in one run:
#   1. decode-only throughput of vtest.avi (played 5 times): cpu-stream (FFmpeg via JavaCV; a graph of decode
#      alone decodes without colour conversion, as ffmpeg -f null does) against the ffmpeg CLI, plain and with
#      -pix_fmt bgr24 (the conversion cpu-stream does for the frames a graph uses);
#   2. the shipped tripwire graph (decode -> yolox_group -> bytetrack -> filter -> http_push) with
#      sample_interval 3, fps -1 (as fast as possible), on 1 channel and on 4 channels in
#      parallel (4 processes, as the server runs 4 tasks);
#   3. peak RSS of each process (GNU time).
# cpu-stream's own numbers come from its log line "finished after N decoded frame(s) in S s (F frames/s)",
# which times the channel from opening the source to its end (JVM start-up excluded).
# usage: bench/cpu-stream-bench.sh [--decode-only]   (builds cpu-stream if needed; installs ffmpeg if missing)
#   --decode-only: part 1 only (about 10 s a round), for before/after comparisons of the decode path.
#   BENCH_ROUNDS=n (default 3): decode-only rounds, ffmpeg and cpu-stream alternating; the medians of the ratios
#   are printed, since one round on a shared 2-core machine swings by +-30 %.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
VIDEO="$REPO/../shared/testdata/vtest.avi"
JAR="$REPO/cpu-stream/target/cpu-stream.jar"
WORK="$(mktemp -d /tmp/cpu-stream-bench.XXXXXX)"
PORT=${BENCH_PORT:-18777}
[ -f "$VIDEO" ] || { echo "missing $VIDEO" >&2; exit 1; }
if [ ! -f "$JAR" ]; then (cd "$REPO" && mvn -B -ntp -q -pl cpu-stream -am package -DskipTests); fi
if ! command -v ffmpeg >/dev/null; then apt-get install -y ffmpeg >/dev/null || { apt-get update >/dev/null && apt-get install -y ffmpeg >/dev/null; }; fi
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
JAVA_FLAGS=()
while IFS= read -r line; do
  line="${line%%#*}"; line="$(echo "$line" | xargs)"; [ -n "$line" ] && JAVA_FLAGS+=("$line")
done < "$REPO/cpu-stream/jvm.options"
python3 "$REPO/bench/cpu-stream/receiver.py" "$PORT" & RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 0.5
fps_of() { grep -o 'in [0-9.]* s ([0-9.]* frames/s)' "$1" | sed 's/.*(\([0-9.]*\) frames.*/\1/' | head -1; }
rss_of() { awk '/Maximum resident set size/ {printf "%.0f", $6/1024}' "$1"; }
run_cpu_stream() { # dir demo log timelog
  (cd "$1" && /usr/bin/time -v java "${JAVA_FLAGS[@]}" -jar "$JAR" --demo_config_path="$2" >"$3" 2>"$4")
}
cpu_of() { awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.2f", s}' "$1"; }
cpufps_of() { grep -o '([0-9.]* frames per CPU-second)' "$1" | grep -o '[0-9.]*' | head -1; }
ffmpeg_fps() { # extra args...  (5 plays of the file, as cpu-stream below); prints "wall-fps cpu-fps"
  local t0 t1
  t0=$(date +%s.%N); /usr/bin/time -v -o "$WORK/ff.time" ffmpeg -v error -threads 1 -stream_loop 4 -i "$VIDEO" "$@" -f null - ; t1=$(date +%s.%N)
  python3 -c "print(f'{3975/($t1-$t0):.1f} {3975/max($(cpu_of "$WORK/ff.time"),0.01):.1f}')"
}
ROUNDS=${BENCH_ROUNDS:-3}
echo "== decode only (vtest.avi played 5 times = 3975 frames, 768x576, 1 decoder thread; $ROUNDS alternating rounds)"
read -r FF_BGR FF_BGR_CPU <<<"$(ffmpeg_fps -pix_fmt bgr24)"
echo "ffmpeg -pix_fmt bgr24 -f null -  : $FF_BGR wall frames/s, $FF_BGR_CPU frames per CPU-second"
DEMO=$(python3 "$REPO/bench/cpu-stream/make_config.py" "$REPO" tripwire "$WORK/decode" "$VIDEO" 1 "$PORT" decode-only 5)
echo "round  ffmpeg -f null (wall, per CPU-s)   cpu-stream decode-only (wall, per CPU-s of its decode thread)   ratio wall, CPU"
WALL_RATIOS=(); CPU_RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
  read -r FF_PLAIN FF_PLAIN_CPU <<<"$(ffmpeg_fps)"
  run_cpu_stream "$WORK/decode" "$DEMO" "$WORK/decode.log" "$WORK/decode.time"
  CS=$(fps_of "$WORK/decode.log"); CS_CPU=$(cpufps_of "$WORK/decode.log")
  WR=$(python3 -c "print(f'{100*$CS/$FF_PLAIN:.0f}')"); CR=$(python3 -c "print(f'{100*$CS_CPU/$FF_PLAIN_CPU:.0f}')")
  WALL_RATIOS+=("$WR"); CPU_RATIOS+=("$CR")
  echo "$round      $FF_PLAIN, $FF_PLAIN_CPU                   $CS, $CS_CPU (RSS $(rss_of "$WORK/decode.time") MB)                              $WR %, $CR %"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "cpu-stream / plain ffmpeg, median of $ROUNDS rounds: wall $(median "${WALL_RATIOS[@]}") %, CPU $(median "${CPU_RATIOS[@]}") %"
[ "${1:-}" = "--decode-only" ] && exit 0
echo "== tripwire graph, sample_interval 3, fps -1"
DEMO=$(python3 "$REPO/bench/cpu-stream/make_config.py" "$REPO" tripwire "$WORK/one" "$VIDEO" 3 "$PORT")
run_cpu_stream "$WORK/one" "$DEMO" "$WORK/one.log" "$WORK/one.time"
echo "1 channel : $(fps_of "$WORK/one.log") frames/s decoded (1 in 3 detected), RSS $(rss_of "$WORK/one.time") MB, CPU $(cpu_of "$WORK/one.time") s for 795 frames incl. JVM start"
PIDS=()
for i in 1 2 3 4; do
  python3 "$REPO/bench/cpu-stream/make_config.py" "$REPO" tripwire "$WORK/four$i" "$VIDEO" 3 "$PORT" >/dev/null
  run_cpu_stream "$WORK/four$i" "$DEMO" "$WORK/four$i.log" "$WORK/four$i.time" & PIDS+=($!)
done
for p in "${PIDS[@]}"; do wait "$p"; done
TOTAL=0; CPU_TOTAL=0
for i in 1 2 3 4; do
  F=$(fps_of "$WORK/four$i.log"); TOTAL=$(python3 -c "print(round($TOTAL+$F, 1))")
  CPU_TOTAL=$(python3 -c "print(round($CPU_TOTAL+$(cpu_of "$WORK/four$i.time"), 2))")
  echo "4 channels, process $i: $F frames/s decoded, RSS $(rss_of "$WORK/four$i.time") MB, CPU $(cpu_of "$WORK/four$i.time") s"
done
echo "4 channels total: $TOTAL frames/s (real time for four 10-fps channels needs 40, each channel >= 10)"
echo "4 channels CPU total: $CPU_TOTAL s for 4 x 79.5 s of 10-fps video = $(python3 -c "print(round(636/$CPU_TOTAL, 1))") x real time on 2 cores"
echo "(wall-clock numbers depend on what else runs on the machine; CPU seconds much less)"
