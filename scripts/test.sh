#!/usr/bin/env bash
# The test command of README.md: installs what the tests need, builds every module and runs every
# test (the release bundle too, from the jars this build made: server BundleIT).
set -euo pipefail
cd "$(dirname "$0")/.."
# Under a locale that is not UTF-8 (a CI runner's LANG=C, or none) the JVMs the tests start would
# name CJK folders wrongly or relaunch themselves (see server/README.md, Locale): run as start.sh does.
if [[ "$(locale charmap 2>/dev/null)" != "UTF-8" ]]; then
  utf8=$(locale -a 2>/dev/null | grep -ixE 'C\.utf-?8' | head -n1 || true)
  export LC_ALL="${utf8:-C.UTF-8}"
fi
# Debian packages some tests need (systemd-analyze, promtool/prometheus, ...), installed when missing.
scripts/test-deps.sh
exec mvn -B -ntp verify "$@"
