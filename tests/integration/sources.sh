#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sources.sh: the sources of issue 12 end to end. MedlinePlus XML imports
# and is quoted by `galen ask` with the topic's URL as its reference; a
# broken file fails naming file:line and stores nothing.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh

mp=tests/data/medlineplus/mplus_topics_sample.xml

# ---- MedlinePlus -----------------------------------------------------------
d="$tmp/mp"
expect "import medlineplus" 0 "$GALEN" import medlineplus -q -d "$d" "$mp"
contains "import count" "$out" "imported 5,"
expect "ask" 0 "$GALEN" ask -d "$d" "what causes muscle cramps?"
contains "ask quotes the summary" "$out" "sudden tightening of a muscle"
contains "ask cites MedlinePlus" "$out" "Muscle Cramps. MedlinePlus."
contains "ask gives the URL" "$out" "https://medlineplus.gov/musclecramps.html"
expect "export" 0 "$GALEN" export -d "$d"
contains "spanish kept" "$out" '"language":"Spanish"'
contains "synonyms" "$out" '"synonyms":["Charley horse","Muscle spasm","Cramps, Muscle"]'

d="$tmp/mpbad"
expect "broken file" 2 "$GALEN" import medlineplus -q -d "$d" \
    tests/data/medlineplus-bad/broken.xml
contains "broken names file:line" "$err" "broken.xml:7: malformed XML"
contains "broken summary" "$out" "imported 0,"
expect "nothing stored" 0 "$GALEN" export -d "$d"
check "no documents after a failed file" test -z "$out"
expect "missing url" 2 "$GALEN" import medlineplus -q -d "$d" \
    tests/data/medlineplus-bad/nourl.xml
contains "missing url names the line" "$err" "nourl.xml:3: health-topic needs"

finish
