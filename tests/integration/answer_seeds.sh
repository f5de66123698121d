#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# answer_seeds.sh: issue 4's bar on the built-in pack. Every question the
# seed pages answer (../shared/seeds 000-002) gets a full answer for both
# audiences: lead, sections, references from >= 3 sources, a citation on
# every sentence, the disclaimer, and the facts the seed pages give
# (electrolytes, dehydration, fatigue, circulation, medications; for
# clinicians the baclofen and albumin doses). Seed 002's message also gets
# the red-flag notice first. The same question asked twice gives
# byte-identical output. Prints "N passed, N failed".
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

"$GALEN" import -q -d "$tmp" article "$root/data/pack" >/dev/null 2>&1 ||
	bad "import of data/pack"

read -r -d '' message <<'MSG'
Leg cramps?
I have been experiencing a sensation of warmth in my right calf at night for the past few months. My middle toe, ring toe, and little toe tend to curl up and then relax. However, if I get up and sit for a few minutes, the symptoms improve. Now, the symptoms start whenever I sit or lie down, but they resolve with movement. I consulted a practitioner who suggested that I have poor blood circulation. They performed cupping therapy, which provided some relief, but the symptoms returned after a few days. I also noticed some pain on the right side of my right foot, but it goes away after walking for a bit.
MSG

questions=("What causes soleus muscle cramps?"
	"What is a muscle cramp?"
	"What deficiency causes calf spasms?"
	"What are the causes of lower leg cramps?"
	"$message")
# Which checks apply: facts (the five causes facts; nocirc drops
# circulation, which is not a deficiency), doses (clinician baclofen and
# albumin doses), redflag (the notice comes first).
checks=("facts doses" "doses" "facts nocirc" "facts doses" "facts redflag")

# check_answer FILE AUDIENCE CHECKS: prints one line per failed check.
check_answer() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, re, sys
path, audience, checks = sys.argv[1], sys.argv[2], sys.argv[3].split()
a = json.load(open(path))
def fail(msg):
    print(msg)
if a.get("abstained"):
    fail("abstained"); sys.exit(0)
sents = list(a["lead"]) + a["key_points"]
for sec in a["sections"]:
    for g in sec["groups"]:
        sents += g["sentences"]
if not a["lead"]:
    fail("no lead summary")
if not a["sections"]:
    fail("no sections")
refs = a["references"]
if len({r["id"] for r in refs}) < 3:
    fail("cites fewer than 3 sources")
nums = {r["n"] for r in refs}
for s in sents:
    if s.get("cite") not in nums:
        fail("sentence without a valid citation: " + s["text"][:60])
    p = s["provenance"]
    for k in ("doc", "section", "start", "end", "evidence", "date"):
        if k not in p:
            fail("provenance lacks " + k)
if not a.get("disclaimer"):
    fail("no disclaimer")
text = " ".join(s["text"] for s in sents).lower()
facts = {
    "electrolytes": r"electrolyte|potassium|magnesium|calcium|sodium",
    "dehydration": r"dehydrat|fluid",
    "fatigue": r"fatigue|overuse|tired",
    "circulation": r"circulation|blood flow|arter",
    "medications": r"medicine|medication|diuretic|statin|drug",
}
if "nocirc" in checks:
    del facts["circulation"]
if "facts" in checks:
    for name, rx in facts.items():
        if not re.search(rx, text):
            fail("missing fact: " + name)
if "doses" in checks and audience == "clinician":
    if not re.search(r"baclofen[^.]*\d+ ?mg", text):
        fail("missing baclofen dose")
    if not re.search(r"albumin[^.]*\d+ ?(-|to) ?\d+ ?g", text):
        fail("missing albumin dose")
if "redflag" in checks:
    if not a["red_flags"]:
        fail("no red-flag notice")
PY
}

for i in "${!questions[@]}"; do
	q=${questions[$i]}
	short=${q:0:40}
	for aud in patient clinician; do
		out="$tmp/a.json"
		# The answer is as long as the seed page it matches: the clinician
		# pages and the message's page (800-1,200 words) are long answers,
		# the patient pages (400-500 words with their references) are the
		# default.
		len=
		[ "$aud" = clinician ] || [ "$q" = "$message" ] && len=--long
		if ! "$GALEN" ask -d "$tmp" --json -a "$aud" $len "$q" >"$out" 2>/dev/null; then
			bad "$aud: '$short' exited non-zero"
			continue
		fi
		problems=$(check_answer "$out" "$aud" "${checks[$i]}")
		if [ -n "$problems" ]; then
			bad "$aud: '$short': $(echo "$problems" | tr '\n' ';')"
		else
			ok
		fi
	done
done

# The red-flag notice comes before everything else in the text rendering.
"$GALEN" ask -d "$tmp" --no-color "$message" >"$tmp/msg.txt" 2>/dev/null
first=$(grep -n -m1 '^!!' "$tmp/msg.txt" | cut -d: -f1)
summary=$(grep -n -m1 '^Summary' "$tmp/msg.txt" | cut -d: -f1)
if [ -n "$first" ] && [ -n "$summary" ] && [ "$first" -lt "$summary" ]; then
	ok
else
	bad "red flag is not shown before the summary"
fi

# Determinism: the same question twice gives byte-identical output.
for fmt in --json --html --no-color; do
	"$GALEN" ask -d "$tmp" $fmt -a clinician "${questions[0]}" >"$tmp/one" 2>/dev/null
	"$GALEN" ask -d "$tmp" $fmt -a clinician "${questions[0]}" >"$tmp/two" 2>/dev/null
	if cmp -s "$tmp/one" "$tmp/two" && [ -s "$tmp/one" ]; then
		ok
	else
		bad "output differs between two runs ($fmt)"
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
