#!/usr/bin/env bash
# import_cli.sh: `galen import` end to end on the fixtures in tests/data:
# each format's counts, the "file:line: what" failure lines, --strict, exit
# codes, --json, and idempotent re-runs.
set -u
. "$(dirname "$0")/lib.sh"
DATA="$(cd "$(dirname "$0")/../data" && pwd)"

D="$tmp/data"
expect "medquad" 0 "$GALEN" import medquad -d "$D" "$DATA/medquad"
contains "medquad summary" "$out" "imported 9, unchanged 0, skipped 0, failed 0"
expect "medquad again" 0 "$GALEN" import medquad -d "$D" "$DATA/medquad"
contains "medquad idempotent" "$out" "imported 0, unchanged 9"

expect "medquad bad" 2 "$GALEN" import medquad -d "$D" "$DATA/medquad-bad"
contains "broken file:line" "$err" "medquad-bad/broken.xml:8: malformed XML"
contains "nopid file:line" "$err" "medquad-bad/nopid.xml:"
contains "bad summary" "$out" "failed 2"
expect "medquad strict" 2 "$GALEN" import medquad --strict -d "$D" "$DATA/medquad-bad"
contains "strict stops" "$out" "failed 1"

expect "pubmed" 2 "$GALEN" import pubmed -d "$D" "$DATA/pubmed"
contains "pubmed summary" "$out" "imported 14, unchanged 0, skipped 3, failed 2"
contains "pubmed bad record" "$err" "types.xml:"
expect "beir json" 2 "$GALEN" import beir --json -d "$D" "$DATA/beir"
contains "beir json" "$out" '"imported":4,"unchanged":0,"skipped":0,"failed":3'
contains "beir line" "$err" "corpus.jsonl:4: not a JSON object"
expect "article" 0 "$GALEN" import article -d "$D" "$DATA/article"
contains "article summary" "$out" "imported 2,"

expect "missing path" 4 "$GALEN" import article -d "$D" "$tmp/nowhere"
contains "missing path" "$err" "no such file or folder"
expect "bad format" 1 "$GALEN" import xml -d "$D" "$DATA/medquad"
expect "no path" 1 "$GALEN" import medquad -d "$D"
expect "help" 0 "$GALEN" import --help
contains "help" "$out" "usage: galen import FORMAT"

finish
