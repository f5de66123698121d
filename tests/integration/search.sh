#!/usr/bin/env bash
# search.sh: `galen index` and `galen search` end to end on a tiny BEIR
# corpus (tests/data/search): hits, JSON output, query syntax, exit codes
# for a bad query, a missing index and a bad corpus line.
set -u
. "$(dirname "$0")/lib.sh"
DATA_DIR="$(cd "$(dirname "$0")/../data/search" && pwd)"

D="$tmp/data"
expect "index" 0 "$GALEN" index -d "$D" --format beir "$DATA_DIR/corpus.jsonl"
contains "index summary" "$out" "indexed 7 docs"

expect "search calf" 0 "$GALEN" search -d "$D" calf
contains "calf hits cramp" "$out" "cramp-1"
contains "calf hits dvt" "$out" "dvt-1"
lacks "calf misses flu" "$out" "flu-1"
contains "snippet has the term" "$out" "calf"
lacks "no marks in a pipe" "$out" "«calf»"

expect "phrase" 0 "$GALEN" search -d "$D" -k 1 '"heart attack"'
contains "phrase hit" "$out" "1. heart-1"

expect "field" 0 "$GALEN" search -d "$D" title:cramps
contains "field hit" "$out" "cramp-1"
lacks "field only title" "$out" "dvt-1"

expect "exclude" 0 "$GALEN" search -d "$D" -- fever -influenza
contains "exclude keeps cold" "$out" "cold-1"
lacks "exclude drops flu" "$out" "flu-1"

expect "leading minus" 0 "$GALEN" search -d "$D" -- -influenza fever
contains "leading minus keeps cold" "$out" "cold-1"
lacks "leading minus drops flu" "$out" "flu-1"

expect "numeric id" 0 "$GALEN" search -d "$D" numeric decimal
contains "numeric id" "$out" "1. 42 "

expect "json" 0 "$GALEN" search -d "$D" --json -k 2 flu fever
contains "json id" "$out" '"id":'
contains "json rank" "$out" '"rank":'
contains "json meta" "$out" '"url":'
if command -v python3 >/dev/null; then
    if printf '%s' "$out" | python3 -c 'import json,sys; a=json.load(sys.stdin); assert isinstance(a,list) and len(a)==2 and a[0]["score"]>=a[1]["score"]'; then ok; else bad "json parse"; fi
fi

expect "exhaustive same" 0 "$GALEN" search -d "$D" --exhaustive --json -k 2 flu fever
exh=$out
expect "fast again" 0 "$GALEN" search -d "$D" --json -k 2 flu fever
if [ "$exh" = "$out" ]; then ok; else bad "exhaustive output differs"; fi

expect "bad query" 2 "$GALEN" search -d "$D" 'flu "oops'
contains "bad query message" "$err" "unbalanced quote at byte 5"
expect "unknown field" 2 "$GALEN" search -d "$D" 'color:red'
contains "unknown field message" "$err" "unknown field 'color' at byte 1"

expect "missing index" 4 "$GALEN" search -d "$tmp/nothing" flu
expect "usage" 1 "$GALEN" search -d "$D"
expect "help" 0 "$GALEN" search --help
contains "help text" "$out" "usage: galen search"

expect "bad corpus" 2 "$GALEN" index -d "$tmp/bad" "$DATA_DIR/bad.jsonl"
contains "bad corpus names line" "$err" "bad.jsonl:2"
expect "missing corpus" 4 "$GALEN" index -d "$tmp/bad" "$tmp/none.jsonl"

# Re-indexing replaces documents instead of duplicating them.
expect "reindex" 0 "$GALEN" index -d "$D" -q "$DATA_DIR/corpus.jsonl"
expect "search after reindex" 0 "$GALEN" search -d "$D" -k 10 calf
n=$(printf '%s\n' "$out" | grep -c '^[0-9]*\. ')
if [ "$n" -eq 2 ]; then ok; else bad "reindex duplicated hits: $n"; fi

# --verify passes on a sound index and names the file of a damaged one.
expect "verify ok" 0 "$GALEN" index -d "$D" --verify
contains "verify summary" "$out" "index ok"
seg=$(ls "$D"/index/*.gseg | head -1)
python3 - "$seg" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01
open(p, "wb").write(b)
PY
expect "verify damaged" 2 "$GALEN" index -d "$D" --verify
contains "verify names file" "$err" "$(basename "$seg")"

finish
