#!/usr/bin/env bash
# Installs the Debian packages the tests need beyond Java and Maven, when their command is missing
# (called by scripts/test.sh; a fresh machine then needs no other step). One line per need:
# <command> <package> <which test needs it>.
set -euo pipefail
missing=()
while read -r cmd pkg _why; do
  [[ -z "$cmd" || "$cmd" == \#* ]] && continue
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done <<'NEEDS'
systemd-analyze systemd     server BundleIT: systemd-analyze verify of the unit install.sh writes
promtool        prometheus  server MetricsEndToEndTest: promtool check metrics, and a real prometheus scraping the bridge
chromium        chromium    server StatusPageBrowserTest: the status page in headless chromium, driven over the DevTools protocol
NEEDS
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "test-deps.sh: installing ${missing[*]} (apt-get)" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "test-deps.sh: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
