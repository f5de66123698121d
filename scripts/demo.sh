#!/usr/bin/env bash
# demo.sh: build galen and run its main job on the built-in knowledge pack:
# import data/pack into the default data folder (indexing it), search it and
# answer the question from it.
# GALEN_DATA overrides the data folder; arguments replace the sample query.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
make -j"$(nproc 2>/dev/null || echo 2)" all
galen=build/release/galen
data="${GALEN_DATA:-galen-data}"
query="${*:-why do my calves cramp at night?}"
"$galen" import article -d "$data" data/pack
echo
echo "\$ galen search \"$query\""
"$galen" search -d "$data" -k 5 "$query"
echo
echo "\$ galen ask \"$query\""
"$galen" ask -d "$data" "$query"
