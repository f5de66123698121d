#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ask.sh: latency of `galen ask` on the MedQuAD store, measured per process
# (start-up, index open, analysis, retrieval, composition and rendering:
# what a user waits for). The questions are the MEDIQA Alexa dev questions
# plus the seed questions. Usage:
#   bench/ask.sh [DATA_DIR]
# DATA_DIR must hold a MedQuAD store and index; without it the script
# imports ../shared/data/medquad into a temporary folder first. Prints
# p50/p90/p99/max in milliseconds and the share of questions answered,
# per process and (with `make bench`) in process.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
GALEN=${GALEN:-$root/build/release/galen}
shared=${GALEN_SHARED:-$root/../shared}
queries=$shared/data/eval/mediqa-alexa/queries.jsonl
[ -x "$GALEN" ] || { echo "build galen first (make)" >&2; exit 1; }
[ -f "$queries" ] || { echo "skip: $queries not found" >&2; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
data=${1:-}
if [ -z "$data" ]; then
	data=$tmp/medquad
	echo "importing MedQuAD into $data ..." >&2
	"$GALEN" import -q -d "$data" medquad "$shared/data/medquad" >/dev/null
fi
python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["text"])' "$queries" >"$tmp/q.txt"
cat >>"$tmp/q.txt" <<'Q'
What causes soleus muscle cramps?
What is a muscle cramp?
What deficiency causes calf spasms?
What are the causes of lower leg cramps?
Q
# One warm-up run so the page cache holds the index, as on a server.
"$GALEN" ask -d "$data" "What is diabetes?" >/dev/null
: >"$tmp/ms.txt"
answered=0
n=0
while IFS= read -r q; do
	t0=$(date +%s%N)
	"$GALEN" ask -d "$data" --json "$q" >"$tmp/out.json"
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000)) >>"$tmp/ms.txt"
	grep -q '"abstained":false' "$tmp/out.json" && answered=$((answered + 1))
	n=$((n + 1))
done <"$tmp/q.txt"
# In process, as `galen serve` runs it: bench_ask opens the folder once.
if [ -x "$root/build/release/bench/bench_ask" ]; then
	echo "in process (bench_ask, median of 3 passes): $("$root/build/release/bench/bench_ask" "$data" "$tmp/q.txt" \
		--lexicon "$root/data/lexicon.tsv" --redflags "$root/data/redflags.txt")"
fi
sort -n "$tmp/ms.txt" | awk -v n="$n" -v a="$answered" '
	{ v[NR] = $1 }
	END {
		printf "galen ask, %d questions, per process: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms; answered %d of %d\n",
		       NR, v[int((NR + 1) * 0.50)] / 1000, v[int((NR + 1) * 0.90)] / 1000,
		       v[int((NR + 1) * 0.99)] / 1000, v[NR] / 1000, a, n
	}'
