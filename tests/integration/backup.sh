#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# backup.sh: galen backup, restore, export and delete. Backup then restore
# into a new folder gives identical `galen export` output and identical
# answers; a backup taken while a server runs and imports keep committing
# loses nothing acknowledged before it started, and the writers never fail;
# delete removes a document from export and search.
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
D="$tmp/data"
questions=("why do my legs cramp at night" "is quinine safe for cramps" "magnesium for leg cramps")
answers() {
    local q
    for q in "${questions[@]}"; do "$GALEN" ask -d "$1" --json "$q"; done
}

expect "import pack" 0 "$GALEN" import article -q -d "$D" "$root/data/pack"
printf 'correct horse battery\n' | "$GALEN" user add ed --role editor -d "$D" >/dev/null

# Round trip.
expect "backup" 0 "$GALEN" backup -d "$D" "$tmp/bk" --json
contains "backup reports its generation" "$out" '"index_generation":'
[ ! -e "$tmp/bk.partial" ] && ok || bad "partial folder left behind"
expect "restore" 0 "$GALEN" restore "$tmp/bk" -d "$tmp/r"
"$GALEN" export -d "$D" >"$tmp/e-orig"
"$GALEN" export -d "$tmp/r" >"$tmp/e-rest"
# One line per document of the pack.
ndocs=$(find "$root/data/pack" -name '*.md' ! -name 'README.md' | wc -l)
[ "$(wc -l <"$tmp/e-orig")" -eq "$ndocs" ] && ok || bad "export has $(wc -l <"$tmp/e-orig") lines, want $ndocs"
cmp -s "$tmp/e-orig" "$tmp/e-rest" && ok || bad "export differs after backup and restore"
answers "$D" >"$tmp/a-orig"
answers "$tmp/r" >"$tmp/a-rest"
grep -q '"lead"' "$tmp/a-orig" && ok || bad "no answers to compare"
cmp -s "$tmp/a-orig" "$tmp/a-rest" && ok || bad "answers differ after backup and restore"
expect "users restored" 0 "$GALEN" user list -d "$tmp/r" --json
contains "user ed restored" "$out" '"name":"ed"'
expect "restored index verifies" 0 "$GALEN" index --verify -d "$tmp/r"

# Usage and refusal.
expect "backup over an existing folder" 1 "$GALEN" backup -d "$D" "$tmp/bk"
contains "says it exists" "$err" "already exists"
expect "restore over data" 1 "$GALEN" restore "$tmp/bk" -d "$D"
contains "says not empty" "$err" "not empty"
expect "restore a non-backup" 4 "$GALEN" restore "$tmp/nothing" -d "$tmp/r2"
[ ! -e "$tmp/r2" ] && ok || bad "failed restore created its folder"
expect "export bad format" 1 "$GALEN" export -d "$D" --format xml
contains "export names the format" "$err" "unknown format 'xml'"

# Delete.
expect "delete" 0 "$GALEN" delete -d "$tmp/r" pack-faq-leg-cramps
"$GALEN" export -d "$tmp/r" | grep -q '"id":"pack-faq-leg-cramps"' && bad "deleted document still exported" || ok
"$GALEN" search -d "$tmp/r" --json -k 100 cramp | grep -q 'pack-faq-leg-cramps' && bad "deleted document still found" || ok
expect "delete unknown" 4 "$GALEN" delete -d "$tmp/r" no-such-doc

# Under load: a server runs, a writer imports one article after another,
# and a backup is taken in the middle.
serve_start "$tmp/log" -d "$D" -q || bad "server did not start"
mkdir -p "$tmp/load"
(
    for i in $(seq 1 40); do
        cat >"$tmp/load/load-$i.md" <<EOT
---
id: load-$i
kind: consumer
title: Load document $i
source: galen test suite
date: 2026-12-01
status: submitted
---
# Load document $i

Load document number $i exists to be backed up.
EOT
        if "$GALEN" import article -q -d "$D" "$tmp/load/load-$i.md" >/dev/null 2>"$tmp/load/err-$i"; then
            echo "load-$i $(date +%s%N)" >>"$tmp/acked"
        else
            echo "load-$i" >>"$tmp/failed"
        fi
    done
) &
writer=$!
touch "$tmp/acked"
for _ in $(seq 600); do
    [ "$(wc -l <"$tmp/acked")" -ge 10 ] && break
    kill -0 "$writer" 2>/dev/null || break
    sleep 0.05
done
t_start=$(date +%s%N)
expect "backup under load" 0 "$GALEN" backup -d "$D" "$tmp/bk-load"
wait "$writer"
[ ! -s "$tmp/failed" ] && ok || bad "writes failed during the backup: $(cat "$tmp/failed")"
expect "restore the load backup" 0 "$GALEN" restore "$tmp/bk-load" -d "$tmp/r-load"
"$GALEN" export -d "$tmp/r-load" >"$tmp/e-load"
lost=0
while read -r id at; do
    if [ "$at" -lt "$t_start" ] && ! grep -q "\"id\":\"$id\"" "$tmp/e-load"; then
        lost=$((lost + 1))
    fi
done <"$tmp/acked"
[ "$lost" -eq 0 ] && ok || bad "$lost acknowledged writes missing from the backup"
n=$(grep -c '"id":"load-' "$tmp/e-load")
echo "  backup under load held $n of 40 load documents"
[ "$n" -ge 10 ] && ok || bad "backup under load holds only $n load documents"
# Every document in the restored store is searchable once indexed.
expect "index after restore" 0 "$GALEN" index -d "$tmp/r-load" --json
id=$(grep -o '"id":"load-[0-9]*"' "$tmp/e-load" | tail -1 | cut -d'"' -f4)
"$GALEN" search -d "$tmp/r-load" --json -k 100 "load document" | grep -q "\"$id\"" && ok || bad "$id not searchable after restore"

finish
