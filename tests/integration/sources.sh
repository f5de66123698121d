#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sources.sh: the sources of issue 12 end to end. MedlinePlus XML imports
# and is quoted by `galen ask` with the topic's URL as its reference; a
# broken file fails naming file:line and stores nothing. Hugo and Jekyll
# front matter imports; bad YAML names its line. `export --format article`
# then `import article` gives the same documents, search results and
# answers. A source is approved in bulk from the command line and from the
# dashboard, each approval an audit event, four-eyes review kept.
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

# ---- front matter -----------------------------------------------------------
d="$tmp/fm"
expect "hugo and jekyll" 2 "$GALEN" import article -q -d "$d" tests/data/frontmatter
contains "two imported" "$out" "imported 2,"
contains "bad YAML names its line" "$err" "bad-yaml.md:8: bad YAML"
expect "export fm" 0 "$GALEN" export -d "$d"
contains "hugo id from the file name" "$out" '"id":"hugo-night-cramps"'
contains "hugo unknown keys kept" "$out" '"tags":"cramps, sleep"'
contains "jekyll date" "$out" '"date":"2024-03-18"'

# ---- export --format article round trip --------------------------------------
a="$tmp/pack" b="$tmp/pack2"
expect "import pack" 0 "$GALEN" import article -q -d "$a" data/pack
expect "import medlineplus too" 0 "$GALEN" import medlineplus -q -d "$a" "$mp"
expect "export article" 0 "$GALEN" export -d "$a" --format article -o "$tmp/articles"
contains "export summary" "$err" "left out 0"
n_src=$(sqlite3 "$a/store.db" "select count(*) from documents")
n_md=$(ls "$tmp/articles"/*.md | wc -l)
check "one file per document ($n_md of $n_src)" test "$n_md" -eq "$n_src"
expect "import the export" 0 "$GALEN" import article -q -d "$b" "$tmp/articles"
"$GALEN" export -d "$a" >"$tmp/a.jsonl"
"$GALEN" export -d "$b" >"$tmp/b.jsonl"
check "same documents after the round trip" cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl"
for q in "night cramps quinine" "magnesium pregnancy" "calambres"; do
    # The same ids, scores, snippets and metadata; only the import times
    # (updated_at) differ.
    "$GALEN" search -d "$a" --json -k 10 "$q" 2>&1 | grep -v '"updated_at"' >"$tmp/sa"
    "$GALEN" search -d "$b" --json -k 10 "$q" 2>&1 | grep -v '"updated_at"' >"$tmp/sb"
    check "search results: $q" test -s "$tmp/sa"
    check "same search results: $q" cmp -s "$tmp/sa" "$tmp/sb"
done
for q in "why do my legs cramp at night?" "what causes muscle cramps?"; do
    "$GALEN" ask -d "$a" "$q" >"$tmp/aa" 2>&1
    "$GALEN" ask -d "$b" "$q" >"$tmp/ab" 2>&1
    check "same answer: $q" cmp -s "$tmp/aa" "$tmp/ab"
done
expect "article needs -o" 1 "$GALEN" export -d "$a" --format article
expect "unknown format" 1 "$GALEN" export -d "$a" --format xml

# ---- bulk review ------------------------------------------------------------
d="$tmp/review"
expect "import for review" 0 "$GALEN" import medlineplus -q -d "$d" "$mp"
for u in ann bob; do
    echo "correct horse battery" | "$GALEN" user add "$u" --role editor -d "$d" >/dev/null
done
expect "approve before start" 0 "$GALEN" review approve --source MedlinePlus --as ann -d "$d"
contains "nothing approved yet" "$out" "approved 0 document(s)"
contains "says why" "$out" "skipped 5 not yet under review"
expect "bulk start" 0 "$GALEN" review start --source MedlinePlus --as ann -d "$d"
contains "started" "$out" "started review of 5 document(s) of 'MedlinePlus'"
expect "four-eyes" 0 "$GALEN" review approve --source MedlinePlus --as ann -d "$d" --json
contains "four-eyes skips" "$out" '"done":0,"not_ready":0,"four_eyes":5'
expect "no such editor" 4 "$GALEN" review approve --source MedlinePlus --as zed -d "$d"
expect "no source" 1 "$GALEN" review approve --as bob -d "$d"

# The dashboard: bob logs in and approves all five from the review queue.
serve_start "$tmp/log" -d "$d" -q || bad "server did not start"
C=(curl -s -m 10 -b "$tmp/jar" -c "$tmp/jar")
tok=$("${C[@]}" "$base/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$base/login" \
    --data-urlencode "name=bob" --data-urlencode "password=correct horse battery" \
    --data-urlencode "csrf=$tok")
check "bob logs in ($code)" test "$code" = 303
page=$("${C[@]}" "$base/review")
contains "bulk form" "$page" "Approve all 5 under review from MedlinePlus"
tok=$(printf '%s' "$page" | sed -n 's/.*action="\/review-source".*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
code=$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$base/review-source" \
    --data-urlencode "source=MedlinePlus" --data-urlencode "expect=4" \
    --data-urlencode "csrf=$tok")
check "a stale count is refused ($code)" test "$code" = 409
code=$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$base/review-source" \
    --data-urlencode "source=MedlinePlus" --data-urlencode "expect=5")
check "no CSRF token, no approval ($code)" test "$code" = 403
loc=$("${C[@]}" -o /dev/null -w '%{redirect_url}' -X POST "$base/review-source" \
    --data-urlencode "source=MedlinePlus" --data-urlencode "expect=5" \
    --data-urlencode "csrf=$tok")
contains "approved five" "$loc" "approved=5&not_ready=0&own=0"
page=$("${C[@]}" "$base/review?status=approved&approved=5&not_ready=0&own=0")
contains "flash" "$page" "Approved 5; left 0"
n=$(sqlite3 "$d/store.db" "select count(*) from review_events where to_status='approved' and who='bob'")
check "one audit event per approval ($n)" test "$n" = 5

finish
