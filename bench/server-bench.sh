#!/usr/bin/env bash
# Server benchmark (not a test): create->running latency p50/p95 over 20 tasks, /task/list and /metrics p99
# with 64 tasks, recovery time after kill -9 with 16 running tasks, RSS of the server and of idle
# business-logic processes. Real server jar and business-logic processes; the stream is an idle
# shell loop behind a fake sophon-stream root (see ServerBench.java). Takes a few minutes and
# starts 64 business-logic JVMs; results are also written to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests package   # -DskipTests still compiles server's test classes (the bench lives there)
mkdir -p bench/results
out="bench/results/server-$(date -u +%Y%m%dT%H%M%SZ).txt"
java -Djava.awt.headless=true -Dsophon.bridge.home="$PWD" \
  -cp "server/target/test-classes:server/target/classes:server/target/lib/*" \
  sophon.bridge.server.bench.ServerBench | tee "$out"
echo "results: $out"
