#!/usr/bin/env bash
# demo.sh: build galen and run its main job on the built-in knowledge pack:
# import data/pack into the data folder (which indexes it), answer a
# question, then serve the web pages and JSON API on 127.0.0.1:8080 until
# Ctrl-C. GALEN_DATA overrides the data folder, GALEN_LISTEN the address,
# GALEN_DEMO_SERVE=0 skips the server; arguments replace the sample question.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --build
make -j"$(nproc 2>/dev/null || echo 2)" all
galen=build/release/galen
data="${GALEN_DATA:-galen-data}"
question="${*:-Why do my calves cramp at night?}"
"$galen" import article -d "$data" data/pack
echo
echo "\$ galen ask \"$question\""
"$galen" ask -d "$data" "$question"
[ "${GALEN_DEMO_SERVE:-1}" = 0 ] && exit 0
listen="${GALEN_LISTEN:-127.0.0.1:8080}"
echo
echo "serving http://$listen/ (Ctrl-C stops)"
exec "$galen" serve -d "$data" --listen "$listen"
