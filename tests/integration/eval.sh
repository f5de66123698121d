#!/usr/bin/env bash
# eval.sh: `galen eval` on hand-made qrels and runs: the metrics of a known
# case, --json, exit codes and file:line messages for bad input, and (when
# ../shared/bench/eval.py is present) agreement with the reference script.
set -u
. "$(dirname "$0")/lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SHARED="${GALEN_SHARED:-$ROOT/../shared}"

printf 'query-id\tcorpus-id\tscore\nq\ta\t2\nq\tc\t1\nq\td\t2\nr\tx\t1\n' > "$tmp/qrels.tsv"
printf 'q Q0 a 1 3.0 t\nq Q0 b 2 2.0 t\nq Q0 c 3 1.0 t\nr Q0 y 1 2 t\nr Q0 x 2 2 t\n' > "$tmp/run.txt"

# q: nDCG@10 = 2.5 / (2 + 2/log2(3) + 0.5) = 0.6646; r: x and y tie at 2,
# doc id descending puts y first, so x is at rank 2: nDCG = 1/log2(3) = 0.6309.
# Mean nDCG@10 = (0.66456 + 0.63093) / 2 = 0.6477, MRR@10 = (1 + 0.5) / 2 = 0.75.
out="$("$GALEN" eval --qrels "$tmp/qrels.tsv" --score "$tmp/run.txt" --json)"
case "$out" in *'"ndcg@10":0.6477'*'"mrr@10":0.7500'*) ok ;; *) bad "metrics: $out" ;; esac
# The tag is the user's text: --json must stay valid JSON whatever it holds.
out="$("$GALEN" eval --qrels "$tmp/qrels.tsv" --score "$tmp/run.txt" --tag 'a "b"	\' --json)"
tag="$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tag"], end="")' 2>&1)"
[ "$tag" = 'a "b"	\' ] && ok || bad "--tag with quotes gives invalid JSON: $out ($tag)"
out="$("$GALEN" eval --qrels "$tmp/qrels.tsv" --score "$tmp/run.txt")"
case "$out" in *"MRR@10       0.7500"*) ok ;; *) bad "text output: $out" ;; esac

"$GALEN" eval --score "$tmp/run.txt" >/dev/null 2>&1
[ $? -eq 1 ] && ok || bad "missing --qrels should exit 1"
"$GALEN" eval --qrels "$tmp/qrels.tsv" -k 0 --queries x >/dev/null 2>&1
[ $? -eq 1 ] && ok || bad "-k 0 should exit 1"
"$GALEN" eval --help | grep -q -- '--qrels' && ok || bad "--help"

printf 'q a 1\nq b oops\n' > "$tmp/bad.tsv"
err="$("$GALEN" eval --qrels "$tmp/bad.tsv" --score "$tmp/run.txt" 2>&1 >/dev/null)"
rc=$?
[ $rc -eq 2 ] && ok || bad "malformed qrels should exit 2 (got $rc)"
case "$err" in *"bad.tsv:2:"*) ok ;; *) bad "message should name file:line: $err" ;; esac
printf '{"_id":"q","text":"x"}\n{"_id":\n' > "$tmp/q.jsonl"
err="$("$GALEN" eval --qrels "$tmp/qrels.tsv" --queries "$tmp/q.jsonl" 2>&1 >/dev/null)"
case "$err" in *"q.jsonl:2:"*) ok ;; *) bad "queries message should name file:line: $err" ;; esac
"$GALEN" eval --qrels "$tmp/nonexistent.tsv" --score "$tmp/run.txt" >/dev/null 2>&1
rc=$?
[ $rc -ne 0 ] && ok || bad "missing file should fail"

# End to end: index a tiny corpus, eval through galen's search.
cat > "$tmp/corpus.jsonl" <<'J'
{"_id": "flu1", "title": "Influenza", "text": "Flu is a viral infection of the nose, throat and lungs."}
{"_id": "flu2", "title": "Flu vaccine", "text": "The flu vaccine lowers the risk of influenza each season."}
{"_id": "cramp", "title": "Leg cramps", "text": "Night leg cramps are sudden tight calf muscles."}
{"_id": "b12", "title": "Vitamin B12", "text": "B12 deficiency causes tiredness and anaemia."}
J
printf '{"_id": "q1", "text": "What is the flu?"}
{"_id": "q2", "text": "why do my calves cramp at night?"}
{"_id": "q3", "text": "unjudged"}
' > "$tmp/queries.jsonl"
printf 'query-id\tcorpus-id\tscore\nq1\tflu1\t2\nq1\tflu2\t1\nq2\tcramp\t1\n' > "$tmp/e2e.tsv"
if "$GALEN" index -d "$tmp/data" --format beir --quiet "$tmp/corpus.jsonl" >/dev/null 2>&1; then
    ok
    out="$("$GALEN" eval -d "$tmp/data" --queries "$tmp/queries.jsonl" --qrels "$tmp/e2e.tsv" --run "$tmp/e2e.run" -k 10 --json)"
    case "$out" in *'"num_q":2,"num_q_with_results":2'*'"mrr@10":1.0000'*) ok ;; *) bad "e2e metrics: $out" ;; esac
    if awk 'NF != 6 || $2 != "Q0" || $6 != "galen" { bad = 1 } END { exit bad }' "$tmp/e2e.run" &&
        ! grep -q '^q3 ' "$tmp/e2e.run" && grep -q '^q1 Q0 flu[12] 1 ' "$tmp/e2e.run"; then ok; else bad "run file: $(cat "$tmp/e2e.run")"; fi
    "$GALEN" eval -d "$tmp/nodata" --queries "$tmp/queries.jsonl" --qrels "$tmp/e2e.tsv" >/dev/null 2>&1
    [ $? -ne 0 ] && ok || bad "a missing index should fail"
else
    bad "galen index failed"
fi

# Agreement with the reference evaluator on a random graded case.
if [ -x "$SHARED/bench/eval.py" ] && command -v python3 >/dev/null; then
    python3 - "$tmp" <<'PY'
import random, sys
rng = random.Random(7)
d = sys.argv[1]
with open(d + "/rq.tsv", "w") as q, open(d + "/rr.txt", "w") as r:
    q.write("query-id\tcorpus-id\tscore\n")
    for qi in range(40):
        for di in rng.sample(range(60), 12):
            q.write("q%d\td%d\t%d\n" % (qi, di, rng.choice([0, 1, 1, 2, 3])))
        for rank, di in enumerate(rng.sample(range(60), 50)):
            r.write("q%d Q0 d%d %d %.2f t\n" % (qi, di, rank + 1, rng.choice([1, 2, 3, 4.5])))
PY
    a="$("$GALEN" eval --qrels "$tmp/rq.tsv" --score "$tmp/rr.txt" --json)"
    b="$(python3 "$SHARED/bench/eval.py" "$tmp/rq.tsv" "$tmp/rr.txt" --json)"
    if python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
keys = ["ndcg@10", "recall@100", "recall@1000", "mrr@10", "map", "p@10", "num_q"]
sys.exit(0 if all(abs(a[k] - b[k]) < 1e-9 for k in keys) else 1)' "$a" "$b"; then ok; else bad "differs from eval.py: $a vs $b"; fi
else
    echo "skip: $SHARED/bench/eval.py not found"
fi

finish
