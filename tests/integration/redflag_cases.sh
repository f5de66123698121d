#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# redflag_cases.sh: issue 9's bars. Every message in
# tests/data/redflag-cases.tsv is asked on the built-in pack (and again on
# the pack plus MedQuAD when ../shared/data/medquad is there; that part is
# skipped, with a note, when it is not):
#  - every flag case raises exactly its expected urgency (the most urgent
#    notice), every calm case raises none (the bar allows 2%: we allow 0);
#  - no answer to a flagged message quotes self-care its flags conflict
#    with (the rules' "conflicts:" terms, not negated);
#  - every answer that quotes a sentence about a watched medicine
#    (data/companions.tsv) quotes a warning about it right before that
#    sentence in the same list, or carries a note that the sources hold
#    none;
#  - patient answers to questions that do not ask about a dose quote no
#    dose sentence.
# Medicine questions are added to the cases for the last two bars.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/integration/lib.sh"
GALEN=${GALEN:-$root/build/release/galen}
cases="$root/tests/data/redflag-cases.tsv"
medquad=${GALEN_MEDQUAD:-$root/../shared/data/medquad}

cat >"$tmp/drugs.tsv" <<'EOF'
none	Is quinine safe for leg cramps?
soon	A 67-year-old on a diuretic and simvastatin asks: is my friend right that quinine or tonic water helps night cramps?
none	can I buy quinine online without a prescription for my cramps
none	How much quinine should I take for night cramps?
none	Can I take ibuprofen for the soreness after a cramp?
none	Does magnesium help with leg cramps?
none	Is baclofen used for muscle cramps?
none	Can water tablets cause cramps?
none	What drugs are used to treat muscle cramps?
none	Does tonic water help night cramps?
EOF

# run DATA LABEL: asks every case and checks the bars; prints failures.
run() {
	python3 - "$GALEN" "$1" "$2" "$cases" "$tmp/drugs.tsv" \
		"$root/data/redflags.txt" "$root/data/companions.tsv" <<'PY'
import json, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
galen, data, label, cases, drugs, rules_path, comp_path = sys.argv[1:8]
rank = {"none": 0, "soon": 1, "urgent": 2, "emergency": 3}

def alts_rx(alts):
    parts = []
    for a in alts.split("|"):
        a = a.strip().lower()
        star = a.endswith("*")
        words = re.findall(r"[a-z0-9]+", a)
        rx = r"[^a-z0-9]+".join(map(re.escape, words))
        parts.append(r"\b" + rx + (r"[a-z0-9]*" if star else r"\b"))
    return re.compile("|".join(parts))

conflicts = {}
for block in open(rules_path).read().split("\n\n"):
    kv = dict(l.split(": ", 1) for l in block.splitlines()
              if ": " in l and not l.startswith("#"))
    if "id" in kv and "conflicts" in kv:
        conflicts[kv["id"]] = alts_rx(kv["conflicts"].replace(",", "|"))
companions = []
for l in open(comp_path):
    if l.startswith("#") or not l.strip():
        continue
    c = l.rstrip("\n").split("\t")
    companions.append((c[0], alts_rx(c[2]), alts_rx(c[4])))
negated = re.compile(r"\b(no|not|never|avoid|don t|do not|without)\b")

def load(path):
    out = []
    for l in open(path):
        if l.startswith("#") or not l.strip():
            continue
        want, msg = l.rstrip("\n").split("\t", 1)
        out.append((want, msg))
    return out

def ask(msg):
    p = subprocess.run([galen, "ask", "-d", data, "--json", msg],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        return None
    return json.loads(p.stdout)

def lists(a):
    """The answer's lists: lead, each section (its groups in order), key
    points; a warning goes right before the first sentence about its
    medicine in each list."""
    yield a["lead"]
    for sec in a["sections"]:
        yield [s for g in sec["groups"] for s in g["sentences"]]
    yield a["key_points"]

def check(want, msg, a):
    errs = []
    if a is None:
        return ["galen ask failed"]
    flags = a["red_flags"]
    got = max([rank[f["urgency"]] for f in flags] + [0])
    if got != rank[want]:
        errs.append("urgency %s, want %s (%s)" % (
            [k for k, v in rank.items() if v == got][0], want,
            ",".join(f["id"] for f in flags)))
    for f in flags:
        if not f.get("action") or not f.get("action_source"):
            errs.append("flag %s without action" % f["id"])
    for lst in lists(a):
        for s in lst:
            t = s["text"].lower().replace("'", " ")
            for f in flags:
                rx = conflicts.get(f["id"])
                m = rx.search(t) if rx else None
                if m and not negated.search(t[max(0, m.start() - 30):m.start()]):
                    errs.append("conflicting self-care under %s: %s" % (
                        f["id"], s["text"][:70]))
            if s.get("dose") and a["audience"] == "patient" and not re.search(
                    r"\b(dose|dosage|how much|mg)\b", msg.lower()):
                errs.append("unasked dose: " + s["text"][:70])
        for cid, drug, cue in companions:
            for i, s in enumerate(lst):
                t = s["text"].lower()
                if not drug.search(t):
                    continue
                warned = cue.search(t) or (
                    i > 0 and drug.search(lst[i - 1]["text"].lower()) and
                    cue.search(lst[i - 1]["text"].lower()))
                noted = any(cid in n or "no warning" in n
                            for n in a.get("safety_notes", []))
                if not warned and not noted:
                    errs.append("%s sentence without its warning: %s" % (
                        cid, s["text"][:70]))
                break
    return errs

todo = load(cases) + load(drugs)
with ThreadPoolExecutor(2) as ex:
    answers = list(ex.map(lambda c: ask(c[1]), todo))
flag_ok = flag_n = calm_ok = calm_n = 0
bad = 0
for (want, msg), a in zip(todo, answers):
    errs = check(want, msg, a)
    if want == "none":
        calm_n += 1
        calm_ok += not any(e.startswith("urgency") for e in errs)
    else:
        flag_n += 1
        flag_ok += not any(e.startswith("urgency") for e in errs)
    for e in errs:
        bad += 1
        print("FAIL %s: %s | %s" % (label, e, msg[:80]))
print("INFO %s: flag cases %d/%d right urgency, calm cases %d/%d quiet" % (
    label, flag_ok, flag_n, calm_ok, calm_n))
sys.exit(1 if bad else 0)
PY
}

"$GALEN" import -q -d "$tmp/pack" article "$root/data/pack" >/dev/null 2>&1 ||
	bad "import of data/pack"
check "cases on the pack" run "$tmp/pack" pack

if [ -d "$medquad" ]; then
	"$GALEN" import -q -d "$tmp/mq" medquad "$medquad" >/dev/null 2>&1 &&
		"$GALEN" import -q -d "$tmp/mq" article "$root/data/pack" \
			>/dev/null 2>&1 || bad "import of MedQuAD and the pack"
	check "cases on the pack and MedQuAD" run "$tmp/mq" pack+medquad
else
	echo "SKIP: $medquad not found; the pack+MedQuAD run is skipped"
fi

# A missing or broken companions file stops the answerer (never skipped).
mkdir -p "$tmp/rf"
cp "$root/data/redflags.txt" "$tmp/rf/"
expect "no companions.tsv" 4 "$GALEN" ask -d "$tmp/pack" \
	--redflags "$tmp/rf/redflags.txt" "leg cramps"
contains "no companions.tsv names the file" "$err" "companions.tsv"
printf 'quinine\tquinine\tquinine\tmaybe\tbleeding\tFDA\n' >"$tmp/rf/companions.tsv"
expect "bad companions.tsv" 2 "$GALEN" ask -d "$tmp/pack" \
	--redflags "$tmp/rf/redflags.txt" "leg cramps"
contains "bad companions.tsv names the line" "$err" "companions.tsv:1"
finish
