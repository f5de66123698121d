#!/usr/bin/env bash
# deps.sh: install the Debian 12 packages galen needs to build and test,
# skipping those already present. Uses sudo when not root. With --build,
# only what building and running galen needs (the demo); with package
# names as arguments, those instead (deps-browser.sh does).
set -euo pipefail

# What building and running galen needs (scripts/demo.sh: --build).
build_pkgs=(gcc make pkg-config
            libsqlite3-dev libpq-dev libmicrohttpd-dev libxml2-dev libcjson-dev libyaml-dev
            libstemmer-dev libzstd-dev libsodium-dev zlib1g-dev wamerican)
# What the checks need on top: the fuzzer's compiler, cmocka, the linters,
# and the tools the integration tests drive.
pkgs=("${build_pkgs[@]}" clang libcmocka-dev
      python3 sqlite3 curl clang-format cppcheck
      python3-prometheus-client nginx postgresql)
if [ "${1:-}" = --build ]; then
    shift
    pkgs=("${build_pkgs[@]}")
fi
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
