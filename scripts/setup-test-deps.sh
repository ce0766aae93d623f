#!/usr/bin/env bash
# Debian packages the tests run (called by scripts/test.sh; safe to run again): each line is a
# command the tests need and the package that has it. Installs only what is missing.
set -euo pipefail
missing=()
while read -r command package; do
  command -v "$command" >/dev/null 2>&1 || missing+=("$package")
done <<'LIST'
promtool prometheus
LIST
if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    echo "setup-test-deps: missing ${missing[*]}; run as root (apt-get install ${missing[*]})" >&2
    exit 1
  fi
  sudo=$([[ $(id -u) -eq 0 ]] && echo "" || echo sudo)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
