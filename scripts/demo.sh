#!/usr/bin/env bash
# demo.sh: build galen and run its main job on the built-in knowledge pack.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
make -j"$(nproc 2>/dev/null || echo 2)" all
echo "built build/release/galen"
build/release/galen --version
