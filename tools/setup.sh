#!/usr/bin/env bash
# Installs the Debian packages listed in tools/debian-packages.txt, and
# nothing else. Idempotent and quiet: when everything is installed it does
# nothing and prints nothing. Runs as root, or through sudo otherwise.
# Runs `apt-get update` only when a package must be installed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="$here/debian-packages.txt"
mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "setup: need root to install: ${missing[*]} (run as root, or install sudo)" >&2
  exit 1
fi

log="$(mktemp -t headless-rl-setup.XXXXXX.log)"
echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get update -q >"$log" 2>&1 ||
   ! "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
  echo "setup: apt-get failed; the last lines of $log:" >&2
  tail -n 25 "$log" >&2
  exit 1
fi
rm -f "$log"
echo "setup: done"
