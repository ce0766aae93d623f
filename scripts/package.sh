#!/usr/bin/env bash
# Builds the offline release bundles: dist/sophon-bridge-<version>-linux-<arch>.tar.gz for
# aarch64 (Sophgo boxes) and x86_64, each with only its own architecture's native libraries.
# A box then needs a Java 17 runtime and nothing else (no Maven, no network): packaging/README.md.
#
# Usage: scripts/package.sh [--arch=aarch64|x86_64|all] [--no-build] [--out=<dir>]
#   --arch      which bundle(s) (default all)
#   --no-build  assemble from the jars already in */target (mvn package or mvn verify ran); the
#               bundle test uses it so that CI builds each module once
#   --out       where the .tar.gz files go (default dist/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

arch=all
build=1
out=$root/dist
for arg in "$@"; do
  case "$arg" in
    --arch=*) arch=${arg#--arch=} ;;
    --no-build) build=0 ;;
    --out=*) out=${arg#--out=} ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
case "$arch" in
  all) arches=(aarch64 x86_64) ;;
  aarch64|x86_64) arches=("$arch") ;;
  *) echo "package.sh: --arch must be aarch64, x86_64 or all, not '$arch'" >&2; exit 2 ;;
esac

if [[ $build -eq 1 ]]; then
  # The build runs under a UTF-8 locale, as start.sh and scripts/test.sh run it.
  if [[ "$(locale charmap 2>/dev/null)" != "UTF-8" ]]; then
    export LC_ALL=C.UTF-8
  fi
  echo "package.sh: building (mvn -B -ntp -q -DskipTests package)..." >&2
  mvn -B -ntp -q -DskipTests package >&2
fi

modules=(server business-logic cpu-stream)
for m in "${modules[@]}"; do
  if [[ ! -f "$m/target/$m.jar" || ! -d "$m/target/lib" ]]; then
    echo "package.sh: $m/target/$m.jar or its lib/ is missing: run without --no-build (or mvn package first)" >&2
    exit 1
  fi
done
# The version Maven stamped into the server jar it built (no pom parsing, no extra plugin).
version=$(sed -n 's/^version=//p' server/target/maven-archiver/pom.properties)
[[ -n "$version" ]] || { echo "package.sh: no version in server/target/maven-archiver/pom.properties" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

for a in "${arches[@]}"; do
  # bytedeco names its native jars by classifier: linux-arm64 / linux-x86_64. The other
  # architecture's jars stay out; the jar manifests still list them, and the JVM skips a
  # Class-Path entry whose file does not exist.
  case "$a" in
    aarch64) foreign=linux-x86_64 ;;
    x86_64) foreign=linux-arm64 ;;
  esac
  name=sophon-bridge-$version-linux-$a
  dir=$stage/$name
  mkdir -p "$dir/bin"
  for m in "${modules[@]}"; do
    mkdir -p "$dir/$m/lib"
    cp "$m/target/$m.jar" "$m/jvm.options" "$dir/$m/"
    find "$m/target/lib" -maxdepth 1 -name '*.jar' ! -name "*-$foreign.jar" -exec cp -t "$dir/$m/lib/" {} +
  done
  # The three modules share most libraries (Jackson, logback, SQLite, ...): one copy, hard links
  # for the others; tar stores a hard link as a link, install.sh's cp -a keeps it one.
  for jar in "$dir"/business-logic/lib/*.jar "$dir"/cpu-stream/lib/*.jar; do
    first=$dir/server/lib/$(basename "$jar")
    [[ -f "$first" ]] || first=$dir/business-logic/lib/$(basename "$jar")
    if [[ "$first" != "$jar" && -f "$first" ]] && cmp -s "$first" "$jar"; then
      ln -f "$first" "$jar"
    fi
  done
  # cpu-stream's stand-in for a sophon-stream root (the samples' data files).
  cp -r cpu-stream/root "$dir/cpu-stream/root"
  rm -f "$dir/cpu-stream/root/.gitignore"
  # Template sets: one folder per algorithm; the module's pom, tests and build output stay out.
  mkdir -p "$dir/stream-graphs"
  cp stream-graphs/README.md "$dir/stream-graphs/"
  for g in stream-graphs/*/; do
    g=${g%/}
    case "${g#stream-graphs/}" in src|target) continue ;; esac
    cp -r "$g" "$dir/stream-graphs/"
  done
  cp packaging/bin/sophon-bridge "$dir/bin/"
  cp packaging/install.sh packaging/uninstall.sh packaging/sophon-bridge.service packaging/sophon-bridge.env \
     packaging/README.md "$dir/"
  chmod 755 "$dir/bin/sophon-bridge" "$dir/install.sh" "$dir/uninstall.sh"
  printf '%s\n' "$version" > "$dir/VERSION"
  printf '%s\n' "$a" > "$dir/ARCH"
  tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name -czf "$out/$name.tar.gz" "$name"
  rm -rf "$dir"
  echo "$out/$name.tar.gz $(du -h "$out/$name.tar.gz" | cut -f1)"
done
