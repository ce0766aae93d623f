#!/usr/bin/env bash
# Builds sophon-bridge on first use (or when sources changed), then runs the task server.
# Usage: ./start.sh [--stream-path=<sophon-stream root>] [--host=..] [--port=8001] [--data-dir=./data] [--max-tasks=<n>] [--help]
set -euo pipefail
cd "$(dirname "$0")"

jar=server/target/server.jar
need_build=0
for j in "$jar" business-logic/target/business-logic.jar cpu-stream/target/cpu-stream.jar; do
  [[ -f "$j" ]] || need_build=1
done
if [[ $need_build -eq 0 ]] && [[ -n "$(find . -path ./data -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]]; then
  need_build=1
fi
if [[ $need_build -eq 1 ]]; then
  echo "sophon-bridge: building (mvn -B -ntp -q -DskipTests package)..." >&2
  mvn -B -ntp -q -DskipTests package >&2
fi
exec java -XX:+UseSerialGC -Xss512k -Xmx256m -jar "$jar" "$@"
