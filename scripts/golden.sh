#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# golden.sh: the golden outputs of `galen ask` and `galen search`.
#
#   scripts/golden.sh [--update] [GALEN]
#
# Imports the built-in pack (data/pack) into a fresh data folder with GALEN
# (default build/release/galen), then, for every question in
# tests/data/expected/questions.txt, runs
#   galen ask --no-color -w 80 [OPTIONS] QUESTION   -> NN.ask.txt
#   galen ask --json [OPTIONS] QUESTION             -> NN.ask.json
#   galen search --plain QUESTION                   -> NN.search.txt
# and compares each with tests/data/expected/NN.*. It prints a unified diff
# and exits 1 when any differs (tests/integration/golden.sh runs this);
# with --update it rewrites tests/data/expected/ instead.
#
# A change to the answers (ranking, composition, red flags, the pack's
# wording) changes these files on purpose. Whoever makes it runs
#   make && scripts/golden.sh --update
# and commits the new files with the change, so that the diff shows what
# the change did to the answers and the commit message explains it. This is
# expected of the answer-engine (ans), red-flag (safety) and pack branches
# when they merge. A diff that nobody meant is a regression.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
update=0
if [ "${1:-}" = "--update" ]; then
	update=1
	shift
fi
galen=${1:-$root/build/release/galen}
expected=${GOLDEN_EXPECTED:-$root/tests/data/expected} # tests point elsewhere
questions=$expected/questions.txt
[ -x "$galen" ] || {
	echo "golden.sh: no galen at $galen (run make)" >&2
	exit 2
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
# The data files come from this tree, whatever else is installed.
export GALEN_SHARE=$root/data
unset GALEN_DATA
"$galen" import -q -d "$tmp/data" article "$root/data/pack" >"$tmp/import.log" 2>&1 || {
	cat "$tmp/import.log" >&2
	echo "golden.sh: import of data/pack failed" >&2
	exit 2
}

n=0
while IFS= read -r line; do
	case "$line" in \#* | "") continue ;; esac
	n=$((n + 1))
	opts=()
	q=$line
	if [[ "$line" == *$'\t'* ]]; then
		read -r -a opts <<<"${line%%$'\t'*}"
		q=${line#*$'\t'}
	fi
	id=$(printf '%02d' "$n")
	# A failure is part of the output: its exit code and message are kept.
	for run in "ask.txt:ask --no-color -w 80" "ask.json:ask --json" "search.txt:search --plain"; do
		name=${run%%:*}
		read -r -a cmd <<<"${run#*:}"
		if [ "${cmd[0]}" = ask ]; then cmd+=("${opts[@]}"); fi
		rc=0
		"$galen" "${cmd[@]}" -d "$tmp/data" -- "$q" >"$tmp/out/$id.$name" 2>"$tmp/err" || rc=$?
		if [ "$rc" -ne 0 ]; then
			printf '[exit %d] %s\n' "$rc" "$(cat "$tmp/err")" >>"$tmp/out/$id.$name"
		fi
	done
done <"$questions"

if [ "$update" -eq 1 ]; then
	find "$expected" -name '[0-9][0-9].*' -delete
	cp "$tmp/out/"* "$expected/"
	echo "golden.sh: wrote $n questions' outputs to tests/data/expected/"
	exit 0
fi
# Compare the whole folder, so that a removed or added question shows too.
mkdir "$tmp/want"
cp "$expected/"[0-9][0-9].* "$tmp/want/" 2>/dev/null || true
if diff -ru "$tmp/want" "$tmp/out" | sed "s|$tmp/want|expected|g; s|$tmp/out|actual|g"; then
	echo "golden.sh: $n questions, outputs as expected"
else
	echo "golden.sh: outputs differ from tests/data/expected/ (scripts/golden.sh --update if meant)" >&2
	exit 1
fi
