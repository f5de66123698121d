#!/usr/bin/env bash
# deps.sh: install the Debian 12 packages galen needs to build and test,
# skipping those already present. Uses sudo when not root. With arguments,
# installs those packages instead (deps-browser.sh does).
set -euo pipefail

pkgs=(gcc make pkg-config clang
      libsqlite3-dev libmicrohttpd-dev libxml2-dev libcjson-dev
      libstemmer-dev libzstd-dev libsodium-dev zlib1g-dev libcmocka-dev
      python3 sqlite3 curl wamerican clang-format cppcheck
      python3-prometheus-client nginx)
[ "$#" -gt 0 ] && pkgs=("$@")
[ "${GALEN_DEPS_EXTRA:-}" ] && read -r -a extra <<<"$GALEN_DEPS_EXTRA" && pkgs+=("${extra[@]}")

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
