#!/usr/bin/env bash
# Removes the sophon-bridge service and program. Keeps the data dir and the env file unless
# --purge is given (then the data dir, the env file and the system user go too).
# Usage: sudo ./uninstall.sh [--purge] [--prefix=/opt/sophon-bridge] [--data-dir=<from the env file>]
#                            [--user=sophon-bridge] [--env-file=/etc/sophon-bridge/sophon-bridge.env]
#                            [--unit-dir=/etc/systemd/system]
set -euo pipefail
prefix=/opt/sophon-bridge
data=""
user=sophon-bridge
env_file=/etc/sophon-bridge/sophon-bridge.env
unit_dir=/etc/systemd/system
purge=0
for arg in "$@"; do
  case "$arg" in
    --purge) purge=1 ;;
    --prefix=*) prefix=${arg#--prefix=} ;;
    --data-dir=*) data=${arg#--data-dir=} ;;
    --user=*) user=${arg#--user=} ;;
    --env-file=*) env_file=${arg#--env-file=} ;;
    --unit-dir=*) unit_dir=${arg#--unit-dir=} ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "uninstall.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$prefix" == /* && "$prefix" != / ]] || { echo "uninstall.sh: --prefix must be an absolute folder other than /" >&2; exit 2; }
# The data dir the service used: the env file's SOPHON_BRIDGE_DATA_DIR line (read, not sourced).
if [[ -z "$data" && -f "$env_file" ]]; then
  data=$(sed -n 's/^[[:space:]]*SOPHON_BRIDGE_DATA_DIR=//p' "$env_file" | tail -n1)
  data=${data%\"}; data=${data#\"}
fi
[[ -n "$data" ]] || data=/data/sophon-bridge

if [[ -d /run/systemd/system && "$unit_dir" == /etc/systemd/system ]]; then
  systemctl disable --now sophon-bridge 2>/dev/null || true
fi
rm -f "$unit_dir/sophon-bridge.service"
if [[ -d /run/systemd/system && "$unit_dir" == /etc/systemd/system ]]; then
  systemctl daemon-reload
fi
rm -rf "$prefix"
echo "uninstall.sh: removed $prefix and the unit"

if [[ $purge -eq 1 ]]; then
  [[ "$data" == /* && "$data" != / ]] || { echo "uninstall.sh: not removing data dir '$data'" >&2; exit 2; }
  rm -rf "$data"
  rm -f "$env_file" "$env_file.new"
  rmdir "$(dirname "$env_file")" 2>/dev/null || true
  if [[ "$user" != root ]] && id -u "$user" >/dev/null 2>&1 && [[ "$(id -u "$user")" -ne "$(id -u)" ]]; then
    userdel "$user" 2>/dev/null || true
  fi
  echo "uninstall.sh: purged $data, $env_file and user $user"
else
  echo "uninstall.sh: kept $data and $env_file (--purge removes them)"
fi
