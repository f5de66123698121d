#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# answer_cli.sh: `galen ask` and `galen similar` on the built-in pack:
# abstention on the off-topic sets (tests/data/offtopic*.txt),
# "did you mean", follow-ups, filters, HTML escaping, similar questions and
# usage errors. Prints "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
GALEN=${GALEN:-$root/build/release/galen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
	fail=$((fail + 1))
	printf 'FAIL: %s\n' "$*"
}
check() { if eval "$2"; then ok; else bad "$1"; fi; }
json() { python3 -c "import json,sys; a=json.load(open('$1')); print($2)"; }

"$GALEN" import -q -d "$tmp" article "$root/data/pack" >/dev/null 2>&1 ||
	bad "import of data/pack"
ask() { "$GALEN" ask -d "$tmp" "$@" 2>/dev/null; }

# Off-topic questions, and long off-topic messages, abstain (>= 95%).
abstentions() { # FILE: sets n and abst
	n=0
	abst=0
	while IFS= read -r q; do
		case "$q" in \#* | "") continue ;; esac
		n=$((n + 1))
		ask --json "$q" | grep -q '"abstained":true' && abst=$((abst + 1))
	done <"$1"
}
abstentions "$root/tests/data/offtopic.txt"
echo "off-topic: $abst of $n abstained"
check "off-topic abstention $abst/$n below 95%" '[ $((abst * 100)) -ge $((n * 95)) ] && [ "$n" -ge 60 ]'
abstentions "$root/tests/data/offtopic-messages.txt"
echo "off-topic messages: $abst of $n abstained"
check "off-topic message abstention $abst/$n below 95%" '[ $((abst * 100)) -ge $((n * 95)) ] && [ "$n" -ge 20 ]'
# Off-topic questions that use words of health care in another sense
# ("a computer virus on my laptop"): held out from training (>= 95%).
abstentions "$root/tests/data/offtopic-trap.txt"
echo "off-topic traps: $abst of $n abstained"
check "off-topic trap abstention $abst/$n below 95%" '[ $((abst * 100)) -ge $((n * 95)) ] && [ "$n" -ge 30 ]'

# An abstention says so and suggests a rephrasing.
ask --no-color "What is the capital of France?" >"$tmp/t"
check "abstention text" 'grep -q "^No answer" "$tmp/t" && grep -q "example" "$tmp/t" && ! grep -q "Did you mean" "$tmp/t"'

# Spelling: "did you mean".
ask --json "What dose of baclophen for cramps?" >"$tmp/a.json"
check "did you mean baclofen" '[ "$(json "$tmp/a.json" "a[\"did_you_mean\"]")" = "What dose of baclofen for cramps?" ]'

# A follow-up inherits the previous question's focus.
ask --json -p "What causes leg cramps?" "and during pregnancy?" >"$tmp/f.json"
check "follow-up focus" '[ "$(json "$tmp/f.json" "a[\"focus\"][\"text\"], a[\"focus\"][\"inherited\"]")" = "leg cramps True" ]'
check "follow-up answers the qualifier" 'json "$tmp/f.json" "a[\"lead\"][0][\"text\"]" | grep -qi pregnan'

# Lay terms: "charley horse" is a muscle cramp.
ask --json "What is a charley horse?" >"$tmp/c.json"
check "lay term answered" '[ "$(json "$tmp/c.json" "a[\"abstained\"]")" = "False" ]'

# An urgent description with no question word still gets its cited context
# under the red-flag notice rather than an abstention.
ask --json "My calf is swollen, warm and red on one side after a long flight" >"$tmp/r.json"
check "red flag answered" '[ "$(json "$tmp/r.json" "len(a[\"red_flags\"]) > 0, a[\"abstained\"]")" = "True False" ]'

# Filters: only guideline sources; evidence at least systematic review.
ask --json --kind guideline -a clinician "What causes leg cramps?" >"$tmp/k.json"
check "--kind guideline" '[ "$(json "$tmp/k.json" "sorted({r[\"kind\"] for r in a[\"references\"]})")" = "[$(printf "%s" "'"'"'guideline'"'"'")]" ]'
ask --json --min-evidence systematic-review -a clinician "Does magnesium help leg cramps?" >"$tmp/e.json"
check "--min-evidence" 'json "$tmp/e.json" "all(r[\"evidence\"] in (\"guideline\",\"meta-analysis\",\"systematic-review\") for r in a[\"references\"])" | grep -q True'

# HTML is escaped.
ask --html "Why do my calves cramp <script>alert(1)</script>?" >"$tmp/h.html"
check "html escapes the question" '! grep -q "<script>" "$tmp/h.html" && grep -q "&lt;script&gt;" "$tmp/h.html"'
check "html is one article" 'head -1 "$tmp/h.html" | grep -q "^<article class=\"galen-answer\""'

# Similar questions.
"$GALEN" similar -d "$tmp" --json -k 3 "why do my calves cramp at night" >"$tmp/s.json" 2>/dev/null
check "similar returns questions" '[ "$(json "$tmp/s.json" "len(a)")" -ge 1 ] && [ "$(json "$tmp/s.json" "len(a)")" -le 3 ]'

# Usage errors exit 1.
"$GALEN" ask -d "$tmp" >/dev/null 2>&1
check "ask without a question" '[ $? -eq 1 ]'
"$GALEN" ask -d "$tmp" --min-evidence bogus "x" >/dev/null 2>&1
check "bad --min-evidence" '[ $? -eq 1 ]'
"$GALEN" similar -d "$tmp" -k 0 "x" >/dev/null 2>&1
check "bad -k" '[ $? -eq 1 ]'
"$GALEN" ask -d "$tmp/none" "What is a cramp?" >/dev/null 2>&1
check "missing index" '[ $? -ne 0 ]'

# A bare corpus (untitled BEIR passages, no metadata) still answers what
# its passages cover: evidence counts the words of every section, not only
# titles, and a small corpus does not make its own words look common. An
# off-topic question over it still abstains.
cat >"$tmp/bare.jsonl" <<'EOF'
{"_id": "p1", "title": "", "text": "A single dose of worm medicine usually kills tapeworms in the intestines. If tapeworm cysts have formed in the organs, surgery may be needed to remove them. Antiparasitic drugs can kill living cysts, and corticosteroids are often given with them to reduce swelling."}
{"_id": "p2", "title": "", "text": "Tapeworm infection is caught by eating undercooked meat or food and water that carry tapeworm eggs. Most people with a tapeworm in the intestine have no symptoms. Some have belly pain, nausea or weight loss. Doctors find the infection by testing a stool sample for eggs or worm segments."}
EOF
"$GALEN" index -q -d "$tmp/bare" --format beir "$tmp/bare.jsonl" >/dev/null 2>&1 ||
	bad "index of a bare BEIR corpus"
"$GALEN" ask -d "$tmp/bare" --json "Can a tapeworm come back after treatment?" >"$tmp/b.json" 2>/dev/null
check "bare corpus answered" '[ "$(json "$tmp/b.json" "a[\"abstained\"]")" = "False" ]'
# Plain passages score flatter than the pack's headed sections: the answer
# still fills towards the default length instead of stopping at one line.
"$GALEN" ask -d "$tmp/bare" --json "How is a tapeworm infection treated?" >"$tmp/b3.json" 2>/dev/null
check "bare corpus answer has several sentences" '[ "$(json "$tmp/b3.json" "len(a[\"lead\"]) + sum(len(g[\"sentences\"]) for s in a[\"sections\"] for g in s[\"groups\"])")" -ge 3 ]'
"$GALEN" ask -d "$tmp/bare" --json "How do I train my dog to sit?" >"$tmp/b2.json" 2>/dev/null
check "bare corpus off-topic abstains" '[ "$(json "$tmp/b2.json" "a[\"abstained\"]")" = "True" ]'

# A message whose question names nothing the sources use ("Do you know of
# any research?") is looked up by its whole story: our own two-passage
# corpus, tests/data/message/corpus.jsonl.
"$GALEN" index -q -d "$tmp/msg" --format beir \
	"$root/tests/data/message/corpus.jsonl" >/dev/null 2>&1 || bad "index message corpus"
"$GALEN" ask -d "$tmp/msg" --json "My granddaughter has a 15q13 \
duplication. It was found before she was born. She seems to be developing \
okay but her speech is slow. Do you know of any research?" >"$tmp/m.json" 2>/dev/null
check "message found by its story" '[ "$(json "$tmp/m.json" "a[\"abstained\"], any(\"15q13\" in s[\"text\"] for s in a[\"lead\"])")" = "False True" ]'

# A sentence that three sources hold word for word is boilerplate, never an
# answer sentence (tests/data/boilerplate/corpus.jsonl, our own text).
"$GALEN" index -q -d "$tmp/bp" --format beir \
	"$root/tests/data/boilerplate/corpus.jsonl" >/dev/null 2>&1 || bad "index boilerplate corpus"
"$GALEN" ask -d "$tmp/bp" --json "What are the symptoms of an ear infection?" >"$tmp/bp.json" 2>/dev/null
check "boilerplate left out" '[ "$(json "$tmp/bp.json" "a[\"abstained\"], sum(\"Our editors\" in s[\"text\"] for s in a[\"lead\"] + [x for sec in a[\"sections\"] for g in sec[\"groups\"] for x in g[\"sentences\"]] + a[\"key_points\"])")" = "False 0" ]'

# A heading run into a sentence is never quoted: the answer quotes from the
# sentence proper ("Over time, ..."), verbatim, and an organisation's name
# at a sentence's start is no heading (tests/data/heading/, our own text).
"$GALEN" index -q -d "$tmp/hd" --format beir \
	"$root/tests/data/heading/corpus.jsonl" >/dev/null 2>&1 || bad "index heading corpus"
"$GALEN" ask -d "$tmp/hd" --json --long "What are the complications of high blood pressure?" >"$tmp/hd.json" 2>/dev/null
ts='[s["text"] for s in a["lead"] + [x for sec in a["sections"] for g in sec["groups"] for x in g["sentences"]]]'
check "glued heading left out" '[ "$(json "$tmp/hd.json" "(not any(\"Possible Complications\" in t or \"SKIN CARE\" in t for t in $ts), any(t.startswith(\"Over time, high blood pressure\") for t in $ts), any(t.startswith(\"Keep the skin moist\") for t in $ts), any(t.startswith(\"The American Heart\") for t in $ts))")" = "(True, True, True, True)" ]'

# A lead stands alone: a sentence that points back ("treated by this
# operation") leads only when no other will (tests/data/lead/, our own
# text); it may still support the answer below.
"$GALEN" index -q -d "$tmp/ld" --format beir \
	"$root/tests/data/lead/corpus.jsonl" >/dev/null 2>&1 || bad "index lead corpus"
"$GALEN" ask -d "$tmp/ld" --json --audience patient "How is glaucoma treated?" >"$tmp/ld.json" 2>/dev/null
check "lead stands alone" '[ "$(json "$tmp/ld.json" "\" \".join(s[\"text\"].split()[0] for s in a[\"lead\"])")" = "Eye Most" ]'

# A misspelling the stem speller cannot reach: the stemmer cuts
# "folliculitis" to "follicul" but leaves "folliculitus" whole, so the
# word's own one-letter edits are stemmed and looked up
# (tests/data/spelling/, our own text).
"$GALEN" index -q -d "$tmp/sp" --format beir \
	"$root/tests/data/spelling/corpus.jsonl" >/dev/null 2>&1 || bad "index spelling corpus"
"$GALEN" ask -d "$tmp/sp" --json "What causes folliculitus?" >"$tmp/sp.json" 2>/dev/null
check "misspelling past the stemmer corrected" '[ "$(json "$tmp/sp.json" "a[\"did_you_mean\"], a[\"abstained\"]")" = "What causes folliculitis? False" ]'

# The ranking's retrieval feature is the score of the question's own words:
# a page found only through the lexicon ("flu" -> "influenza") has none
# (tests/data/rank/, our own text). GALEN_RANK_FEATURES prints the features
# scripts/train_rank.py fits on.
"$GALEN" index -q -d "$tmp/rk" --format beir \
	"$root/tests/data/rank/corpus.jsonl" >/dev/null 2>&1 || bad "index rank corpus"
GALEN_RANK_FEATURES=1 "$GALEN" eval -q "$root/tests/data/rank/queries.jsonl" \
	-r "$root/tests/data/rank/qrels.tsv" -d "$tmp/rk" -k 10 --answers \
	-o "$tmp/rk.run" >/dev/null 2>"$tmp/rk.err"
check "ranking scores the question's own words" '[ "$(grep -c "^rank-question	How long does the flu last?$" "$tmp/rk.err")" = 1 ] &&
	grep -q "^rank-features	only-influenza	0.00000	" "$tmp/rk.err" &&
	grep -q "^rank-features	both	1.00000	" "$tmp/rk.err" &&
	[ "$(awk "\$4 == 1 {print \$3}" "$tmp/rk.run")" = both ]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
