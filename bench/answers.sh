#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# answers.sh: the answer engine's ranking against plain BM25F and the
# baselines, in one run (issue 4): MEDIQA Alexa imported as a store, then
#   galen eval            (BM25F, the search core)
#   galen eval --answers  (the answer engine's scoring over BM25F's top 100)
# and on RQE `galen eval --similar` against plain BM25F; FTS5 and Xapian run
# on the same corpora with the shared drivers (compiled by bench/run.sh into
# $WORK/bin; rerun that first if they are missing). Writes
# bench/answers-results.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
GALEN=${GALEN:-$root/build/release/galen}
shared=${GALEN_SHARED:-$root/../shared}
WORK=${WORK:-$root/bench/work}
out=${OUT:-$root/bench/answers-results.md}
[ -x "$GALEN" ] || { echo "build galen first (make)" >&2; exit 1; }
[ -d "$shared/data/eval" ] || { echo "skip: $shared/data/eval not found" >&2; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

row() { # ENGINE RANKER JSON
    python3 -c 'import json,sys; e=json.loads(sys.argv[3])
print("| %s | %s | %.4f | %.4f | %.4f | %.4f |" % (sys.argv[1], sys.argv[2],
      e["ndcg@10"], e["mrr@10"], e.get("recall@10", float("nan")), e["recall@100"]))' "$@"
}

# recall@10 is not in eval.py's output; compute it beside the others.
score() { # QRELS RUN
    python3 - "$1" "$2" <<'PY'
import json, os, subprocess, sys
qrels, run = sys.argv[1], sys.argv[2]
e = json.loads(subprocess.run([sys.executable, os.environ["EVALPY"], qrels,
    run, "--json"], capture_output=True, text=True, check=True).stdout)
rel, top = {}, {}
for i, l in enumerate(open(qrels)):
    p = l.split()
    if i == 0 and not p[-1].isdigit():
        continue
    if int(p[2]) > 0:
        rel.setdefault(p[0], set()).add(p[1])
for l in open(run):
    q, _, d, r = l.split()[:4]
    if int(r) <= 10:
        top.setdefault(q, set()).add(d)
qs = [q for q in rel]
e["recall@10"] = sum(len(rel[q] & top.get(q, set())) / len(rel[q]) for q in qs) / len(qs)
print(json.dumps(e))
PY
}
export EVALPY="$shared/bench/eval.py"

set_eval() { # NAME FLAG
    local name=$1 flag=$2 d="$shared/data/eval/$1" data="$tmp/$1"
    local qrels; qrels=$(ls "$d"/qrels/*.tsv | head -1)
    "$GALEN" import -q -d "$data" beir "$d/corpus.jsonl" >/dev/null
    "$GALEN" eval -q "$d/queries.jsonl" -r "$qrels" -d "$data" -k 100 -o "$tmp/$name.bm25f.run" --json >/dev/null
    "$GALEN" eval -q "$d/queries.jsonl" -r "$qrels" -d "$data" -k 100 "$flag" -o "$tmp/$name.engine.run" --json >/dev/null
    echo "### $name ($(wc -l < "$d/queries.jsonl") queries, $(wc -l < "$d/corpus.jsonl") documents)"
    echo
    echo "| engine | ranking | nDCG@10 | MRR@10 | Recall@10 | Recall@100 |"
    echo "|---|---|---|---|---|---|"
    row galen "BM25F (search core)" "$(score "$qrels" "$tmp/$name.bm25f.run")"
    row galen "answer engine ($flag)" "$(score "$qrels" "$tmp/$name.engine.run")"
    for eng in fts5 xapian; do
        local bin="$WORK/bin/${eng}_bench"
        [ -x "$bin" ] || { echo "| $eng | (driver missing: run bench/run.sh) | | | | |"; continue; }
        "$bin" build "$d/corpus.jsonl" "$tmp/$name.$eng" >/dev/null
        local extra=(); [ "$eng" = xapian ] && extra=(--k1 1.2 --b 0.75)
        "$bin" search "$tmp/$name.$eng" "$d/queries.jsonl" "$qrels" 100 "$tmp/$name.$eng.run" "$eng" "${extra[@]}" >/dev/null
        row "$eng" "default${extra:+ k1=1.2 b=0.75}" "$(score "$qrels" "$tmp/$name.$eng.run")"
    done
    echo
}

# mas-dev (issue 8): galen's answer against LEAD, BM25 sentence selection
# and the oracle, ROUGE-2 F1 against the expert extractive summary, for the
# consumer's own words and the short question; the bar is 1.1x the better
# of LEAD and BM25 with at most 2 abstentions of 50.
mas_dev() {
    local q="$shared/data/eval/mas-dev/questions.jsonl" py=/usr/bin/python3
    [ -f "$q" ] || return 0
    echo "### mas-dev ($(wc -l < "$q") consumer questions, each over its own answer passages)"
    echo
    echo "ROUGE-2 F1 (extractive reference), \`../shared/bench/ans_rouge.py\`."
    echo
    echo "| question | galen abstained | galen | LEAD | BM25 | oracle | galen / max(LEAD, BM25) |"
    echo "|---|---|---|---|---|---|---|"
    for f in "" --short; do
        "$py" "$shared/bench/ans_rouge.py" "$GALEN" "$q" $f | "$py" -c '
import json, sys
r = json.load(sys.stdin)
g, l, b, o = (r[k]["ext_r2"] for k in ("galen", "lead", "bm25", "oracle"))
print("| %s | %d of %d | %.4f | %.4f | %.4f | %.4f | %.2f |" % (
    "short question" if r["field"] == "short_question" else "the consumer words",
    r["galen_abstained"], r["questions"], g, l, b, o, g / max(l, b)))'
    done
    echo
}

# Abstention on the held-out off-topic lists (short questions and long
# messages), over the pack and MedQuAD.
offtopic() {
    local name dir n a list
    echo "### Off-topic abstention (held out from training)"
    echo
    echo "| store | tests/data/offtopic.txt | tests/data/offtopic-messages.txt | tests/data/offtopic-trap.txt |"
    echo "|---|---|---|---|"
    "$GALEN" import -q -d "$tmp/pack" article "$root/data/pack" >/dev/null 2>&1
    [ -d "$shared/data/medquad" ] &&
        "$GALEN" import -q -d "$tmp/medquad" medquad "$shared/data/medquad" >/dev/null 2>&1
    for name in pack medquad; do
        dir="$tmp/$name"
        [ -d "$dir" ] || continue
        printf '| %s |' "$name"
        for list in offtopic offtopic-messages offtopic-trap; do
            n=0 a=0
            while IFS= read -r q; do
                case "$q" in \#* | "") continue ;; esac
                n=$((n + 1))
                "$GALEN" ask -d "$dir" --json "$q" 2>/dev/null | grep -q '"abstained":true' && a=$((a + 1))
            done <"$root/tests/data/$list.txt"
            printf ' %s of %s |' "$a" "$n"
        done
        echo
    done
    echo
}

{
    echo "# Answer-engine ranking vs BM25F and the baselines (bench/answers.sh)"
    echo
    echo "galen $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d), one run. Each eval set is imported as a store with \`galen import beir\` (the store gives an untitled document a title from its first words, which the BEIR baselines do not have). Top 100 per query; metrics from \`../shared/bench/eval.py\` plus Recall@10."
    echo
    set_eval mediqa-alexa --answers
    set_eval rqe-train --similar
    mas_dev
    offtopic
} > "$out"
cat "$out"
