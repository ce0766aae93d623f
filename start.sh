#!/usr/bin/env bash
# Builds sophon-bridge on first use (or when sources changed), then runs the task server.
# Usage: ./start.sh [--stream-path=<sophon-stream root>] [--host=..] [--port=8001] [--data-dir=./data] [--max-tasks=<n>] [--help]
set -euo pipefail
cd "$(dirname "$0")"

# Java takes the encoding of file names and arguments from the locale once, at start: under LANG=C
# (or no locale, as systemd gives) a CJK TaskID's folder cannot even be named. Run it (and the build)
# under a UTF-8 one.
if [[ "$(locale charmap 2>/dev/null)" != "UTF-8" ]]; then
  utf8=$(locale -a 2>/dev/null | grep -ixE 'C\.utf-?8' | head -n1 || true)
  [[ -n "$utf8" ]] || utf8=$(locale -a 2>/dev/null | grep -iE '\.utf-?8(@.*)?$' | head -n1 || true)
  export LC_ALL="${utf8:-C.UTF-8}" # no locale program: glibc 2.35+ and musl have C.UTF-8 built in
fi

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
# JVM flags from server/jvm.options (one per line, # comments), as the benchmarks use them.
mapfile -t jvm_flags < <(sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' server/jvm.options | grep -v '^$')
exec java "${jvm_flags[@]}" -jar "$jar" "$@"
