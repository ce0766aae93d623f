#!/usr/bin/env bash
# Installs (or upgrades) sophon-bridge from this unpacked bundle as a systemd service.
# Usage: sudo ./install.sh [--prefix=/opt/sophon-bridge] [--data-dir=/data/sophon-bridge]
#                          [--user=sophon-bridge] [--env-file=/etc/sophon-bridge/sophon-bridge.env]
#                          [--unit-dir=/etc/systemd/system]
# An upgrade replaces the program, keeps the data dir and the env file (the new bundle's template
# is left next to it as <env-file>.new), and restarts the service if it was running.
set -euo pipefail
bundle=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)

prefix=/opt/sophon-bridge
data=/data/sophon-bridge
user=sophon-bridge
env_file=/etc/sophon-bridge/sophon-bridge.env
unit_dir=/etc/systemd/system
for arg in "$@"; do
  case "$arg" in
    --prefix=*) prefix=${arg#--prefix=} ;;
    --data-dir=*) data=${arg#--data-dir=} ;;
    --user=*) user=${arg#--user=} ;;
    --env-file=*) env_file=${arg#--env-file=} ;;
    --unit-dir=*) unit_dir=${arg#--unit-dir=} ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
for p in "$prefix" "$data" "$env_file" "$unit_dir"; do
  # systemd reads unit paths up to whitespace; the env file, up to the end of the line.
  [[ "$p" == /* && "$p" != *[[:space:]\\\"\'%$]* ]] || { echo "install.sh: paths must be absolute, without blanks, quotes, backslash, % or \$, not '$p'" >&2; exit 2; }
done
[[ "$prefix" != / && "$prefix" != "$bundle" ]] || { echo "install.sh: --prefix must be another folder than / and this bundle" >&2; exit 2; }

arch=$(uname -m)
[[ "$arch" == arm64 ]] && arch=aarch64
if [[ "$arch" != "$(cat "$bundle/ARCH")" ]]; then
  echo "install.sh: this bundle is for $(cat "$bundle/ARCH"), this machine is $arch" >&2
  exit 1
fi

# A system user without a login owns the data; root keeps the program.
if ! id -u "$user" >/dev/null 2>&1; then
  useradd --system --user-group --home-dir "$data" --no-create-home --shell /usr/sbin/nologin "$user"
  echo "install.sh: created system user $user"
fi
group=$(id -gn "$user")

# The new program next to the old one, then swapped in: a running server keeps its open jars.
mkdir -p "$(dirname "$prefix")"
rm -rf "$prefix.new" "$prefix.old"
mkdir "$prefix.new"
cp -a "$bundle/." "$prefix.new/"
chown -R root:root "$prefix.new" 2>/dev/null || true
upgrade=0
if [[ -d "$prefix" ]]; then
  upgrade=1
  mv "$prefix" "$prefix.old"
fi
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"

mkdir -p "$data"
chown "$user:$group" "$data"
chmod 750 "$data"

template=$(<"$bundle/sophon-bridge.env")
template=${template//\/data\/sophon-bridge/"$data"}
mkdir -p "$(dirname "$env_file")"
if [[ -f "$env_file" ]]; then
  printf '%s\n' "$template" > "$env_file.new"
  echo "install.sh: kept $env_file (the new template is $env_file.new)"
else
  # 600: it may hold SOPHON_BRIDGE_UI_TOKEN; systemd reads it as root.
  (umask 077 && printf '%s\n' "$template" > "$env_file")
  chmod 600 "$env_file"
  echo "install.sh: wrote $env_file"
fi

# The unit with this install's paths and user, key by key.
unit=""
while IFS= read -r line; do
  case "$line" in
    Documentation=*) line="Documentation=file:$prefix/README.md" ;;
    User=*) line="User=$user" ;;
    Group=*) line="Group=$group" ;;
    EnvironmentFile=*) line="EnvironmentFile=$env_file" ;;
    WorkingDirectory=*) line="WorkingDirectory=$data" ;;
    ExecStart=*) line="ExecStart=$prefix/bin/sophon-bridge" ;;
  esac
  unit+=$line$'\n'
done < "$bundle/sophon-bridge.service"
mkdir -p "$unit_dir"
printf '%s' "$unit" > "$unit_dir/sophon-bridge.service"
echo "install.sh: installed $(cat "$prefix/VERSION") in $prefix, unit $unit_dir/sophon-bridge.service, data in $data"

java_hint=""
if ! command -v java >/dev/null 2>&1; then
  java_hint="no java on PATH: install a Java 17 runtime first (apt-get install openjdk-17-jre-headless; README.md, Install)"
  echo "install.sh: $java_hint" >&2
fi
# systemctl only where systemd runs (not in a container or a chroot).
if [[ -d /run/systemd/system && "$unit_dir" == /etc/systemd/system ]]; then
  systemctl daemon-reload
  if [[ $upgrade -eq 1 ]] && systemctl is-active --quiet sophon-bridge; then
    systemctl restart sophon-bridge
    echo "install.sh: restarted sophon-bridge"
  else
    echo "install.sh: next: systemctl enable --now sophon-bridge"
  fi
fi
