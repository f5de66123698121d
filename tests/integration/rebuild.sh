#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# rebuild.sh: the index is derived from the store and can always be rebuilt
# from it. After `rm -rf DATA/index`, `galen index` alone gives the same
# search results; a corrupt index is reported with the command that fixes
# it, and `galen index --rebuild` does.
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
D="$tmp/data"
queries=("cramp" "night leg cramps" "title:magnesium" "chest pain" "+fever child")

results() {
    local q
    for q in "${queries[@]}"; do
        "$GALEN" search -d "$D" --json -k 20 -- "$q" || echo "search failed: $q"
    done
}

expect "import pack" 0 "$GALEN" import article -q -d "$D" "$root/data/pack"
results >"$tmp/before"
grep -q '"id"' "$tmp/before" && ok || bad "no hits before the rebuild"

rm -rf "$D/index"
expect "index after rm" 0 "$GALEN" index -d "$D"
ndocs=$(find "$root/data/pack" -name '*.md' ! -name 'README.md' | wc -l)
contains "says it rebuilt" "$out" "rebuilt the index from $ndocs documents"
results >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then ok; else bad "search results differ after rm -rf index && galen index"; fi
expect "verify rebuilt" 0 "$GALEN" index -d "$D" --verify
expect "second run is incremental" 0 "$GALEN" index -d "$D" --json
contains "nothing changed" "$out" '"changed":0'

# A damaged index names the fix.
printf 'garbage' >"$D/index/MANIFEST"
expect "search on a corrupt index" 2 "$GALEN" search -d "$D" cramp
contains "search names the fix" "$err" "galen index -d $D --rebuild"
expect "update on a corrupt index" 2 "$GALEN" index -d "$D"
contains "index names the fix" "$err" "--rebuild"
expect "rebuild" 0 "$GALEN" index -d "$D" --rebuild
results >"$tmp/again"
if cmp -s "$tmp/before" "$tmp/again"; then ok; else bad "search results differ after --rebuild"; fi
if [ ! -e "$D/index.old" ] && [ ! -e "$D/index.rebuild" ]; then ok; else bad "rebuild left a folder behind"; fi
expect "rebuild takes no file" 1 "$GALEN" index -d "$D" --rebuild x.jsonl

finish
