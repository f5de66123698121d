#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# live.sh: a running `galen serve` picks up new content with no restart. A
# document imported into its data folder (with or without --no-index) is
# found by /api/search within 5 s; approving the sources of an answer
# changes the answer's review banner within 5 s; `rm -rf index && galen
# index` (a rebuild) is picked up too; SIGHUP forces a reload.
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
D="$tmp/data"
C=(curl -s -m 10)

# article ID WORD: a small article whose body holds a word found nowhere else.
article() {
    cat >"$tmp/$1.md" <<EOT
---
id: $1
kind: consumer
title: Notes on $2
audience: patient
source: galen test suite
date: 2026-12-01
status: submitted
---
# Notes on $2

The $2 is a word that only this test document contains.
EOT
}

# within SECONDS CMD...: true as soon as CMD succeeds, false after SECONDS.
within() {
    local limit=$1 t0
    shift
    t0=$(date +%s.%N)
    while ! "$@"; do
        if [ "$(echo "$(date +%s.%N) - $t0 > $limit" | bc)" = 1 ]; then return 1; fi
        sleep 0.2
    done
    echo "  $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-4) s" >&2
}
found() { "${C[@]}" "$base/api/search?q=$1" | grep -q "\"id\":\"$2\""; }
banner() { "${C[@]}" "$base/api/ask?q=night+cramps" | python3 -c "import json,sys; sys.exit(json.load(sys.stdin)['review']['status'] != '$1')"; }

expect "import pack" 0 "$GALEN" import article -q -d "$D" "$root/data/pack"
printf 'correct horse battery\n' | "$GALEN" user add ed --role editor -d "$D" >/dev/null
# Four-eyes review: one editor starts a review, another approves.
printf 'correct horse battery\n' | "$GALEN" user add jo --role editor -d "$D" >/dev/null
serve_start "$tmp/log" -d "$D" -q || bad "server did not start"
found cramp pack-faq-leg-cramps && ok || bad "pack not searchable"

# The service corrects spelling as `galen ask` does, with the system word
# list: "summer camps" are English words, not a misspelt "number cramps".
dym() { python3 -c "import json,sys; print(json.load(sys.stdin)['did_you_mean'])"; }
got=$("${C[@]}" "$base/api/ask?q=Do+summer+camps+cause+leg+cramps%3F" | dym)
[ "$got" = None ] && ok || bad "service corrected English words: $got"
got=$("$GALEN" ask -d "$D" --json "Do summer camps cause leg cramps?" | dym)
[ "$got" = None ] && ok || bad "ask corrected English words: $got"

# An import that indexes by itself: the server sees the MANIFEST change.
article live-a quorblax
found quorblax live-a && bad "live-a found before import" || ok
expect "import live-a" 0 "$GALEN" import article -q -d "$D" "$tmp/live-a.md"
within 5 found quorblax live-a && ok || bad "imported document not found within 5 s"

# --no-index: the server applies the store change to the index itself.
article live-b zentravox
expect "import live-b --no-index" 0 "$GALEN" import article -q --no-index -d "$D" "$tmp/live-b.md"
within 5 found zentravox live-b && ok || bad "--no-index document not found within 5 s"

# Review decisions reach the answer banner.
banner submitted && ok || bad "banner not 'submitted' to begin with"
login() {
    "${C[@]}" -X POST "$base/api/login" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"password\":\"correct horse battery\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
declare -A token=([start]=$(login ed) [approve]=$(login jo))
# Every pack document, so whatever the answer cites is approved.
ids=$(sed -n 's/^id: //p' "$root"/data/pack/*.md)
[ -n "$ids" ] && ok || bad "no pack ids"
for id in $ids; do
    for action in start approve; do
        code=$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$base/api/documents/$id/review" \
            -H "Authorization: Bearer ${token[$action]}" -H 'Content-Type: application/json' \
            -d "{\"action\":\"$action\"}")
        [ "$code" = 200 ] || bad "review $action $id: HTTP $code"
    done
done
within 5 banner approved && ok || {
    bad "approval did not reach the banner within 5 s"
    "${C[@]}" "$base/api/ask?q=night+cramps" | head -c 600
    sqlite3 "$D/store.db" "select id,status,indexed_hash is content_hash from documents where status!='approved' or indexed_hash is not content_hash"
    cat "$tmp/log"
}

# Requests keep working through every swap below: each finishes on the
# snapshot it started on.
(for _ in $(seq 300); do
    "${C[@]}" -o /dev/null -w '%{http_code}\n' "$base/api/ask?q=night+cramps"
done >"$tmp/codes") &
hammer=$!

# A rebuild (a new index folder, generation 1 again) is picked up.
rm -rf "$D/index"
expect "rebuild while serving" 0 "$GALEN" index -q -d "$D"
within 5 grep -q "index generation 1 loaded" "$tmp/log" && ok || bad "rebuilt index not loaded within 5 s"
found quorblax live-a && ok || bad "rebuilt index lacks live-a"

# SIGHUP forces a reload even when nothing changed.
n=$(grep -c "loaded" "$tmp/log")
kill -HUP "$server_pid"
within 5 eval '[ "$(grep -c loaded "$tmp/log")" -gt "$n" ]' && ok || bad "SIGHUP did not reload"
grep -q "SIGHUP received" "$tmp/log" && ok || bad "SIGHUP not logged"
found cramp pack-faq-leg-cramps && ok || bad "server broken after SIGHUP"
for _ in 1 2 3; do kill -HUP "$server_pid"; sleep 0.3; done
wait "$hammer"
n=$(grep -c . "$tmp/codes")
[ "$n" -eq 300 ] && ok || bad "only $n of 300 requests during reloads answered"
grep -qv '^200$' "$tmp/codes" && bad "non-200 during reloads: $(sort "$tmp/codes" | uniq -c)" || ok
kill -0 "$server_pid" && ok || bad "server died"

finish
