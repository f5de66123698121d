#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# safety_files.sh: the lexicon and red-flag rules are never optional. A
# copy of galen outside the source tree, with no share folder, will not ask,
# look for similar questions or serve, and names the missing file; an
# unreadable file (a dangling link) or a bad --redflags path is an error
# too; $GALEN_SHARE supplies them, and then the red flag is raised and the
# server's health says the engine is up. Prints "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/integration/lib.sh"

calf="my left calf is swollen, hot and red"
unset GALEN_SHARE GALEN_WEB GALEN_DATA
mkdir -p "$tmp/bin" "$tmp/share" "$tmp/elsewhere"
cp "$GALEN" "$tmp/bin/galen"
"$GALEN" import -q -d "$tmp/data" article "$root/data/pack" >/dev/null 2>&1 || bad "import of data/pack"
cd "$tmp/elsewhere" || exit 1
g=$tmp/bin/galen

# The compiled-in share folder must not exist here for the first checks.
builtin=$("$g" ask --help | sed -n 's/.*\$GALEN_SHARE or \(.*\))$/\1/p')
if [ -e "$builtin/lexicon.tsv" ] || [ -e "$builtin/redflags.txt" ]; then
	echo "safety_files.sh: $builtin is installed; skipping the missing-file checks"
else
	expect "ask without files" 4 "$g" ask -d "$tmp/data" "$calf"
	contains "ask names the lexicon" "$err" "lexicon.tsv"
	contains "ask says where it looked" "$err" "$tmp/data, $builtin, $tmp/bin/../share/galen"
	check "ask prints nothing" [ -z "$out" ]
	expect "similar without files" 4 "$g" similar -d "$tmp/data" "$calf"
	contains "similar names the lexicon" "$err" "lexicon.tsv"
	expect "serve without files" 4 timeout 10 "$g" serve -q -d "$tmp/data" --listen 127.0.0.1:0
	contains "serve refuses" "$err" "not serving"

	cp "$root/data/lexicon.tsv" "$tmp/share/"
	expect "ask without red-flag rules" 4 env GALEN_SHARE="$tmp/share" "$g" ask -d "$tmp/data" "$calf"
	contains "ask names the red-flag rules" "$err" "red-flag rules (redflags.txt)"
	check "ask without red-flag rules prints nothing" [ -z "$out" ]
fi

# A red-flag rules file that is there but cannot be read is not skipped.
cp "$root/data/lexicon.tsv" "$tmp/share/"
ln -sf "$tmp/nowhere/redflags.txt" "$tmp/share/redflags.txt"
expect "unreadable red-flag rules" 3 env GALEN_SHARE="$tmp/share" "$g" ask -d "$tmp/data" "$calf"
contains "unreadable file named" "$err" "cannot read the red-flag rules $tmp/share/redflags.txt"
expect "--redflags missing" 3 "$g" ask -d "$tmp/data" --lexicon "$root/data/lexicon.tsv" --redflags "$tmp/nope.txt" "$calf"
contains "--redflags file named" "$err" "$tmp/nope.txt"
expect "serve --redflags missing" 3 timeout 10 "$g" serve -q -d "$tmp/data" --lexicon "$root/data/lexicon.tsv" --redflags "$tmp/nope.txt" --listen 127.0.0.1:0
contains "serve names the file" "$err" "$tmp/nope.txt"

# The medicine warnings travel with the red-flag rules: without
# companions.tsv beside them, galen will not answer.
rm -f "$tmp/share/redflags.txt"
cp "$root/data/redflags.txt" "$tmp/share/"
expect "ask without companions.tsv" 4 env GALEN_SHARE="$tmp/share" "$g" ask -d "$tmp/data" "$calf"
contains "ask names companions.tsv" "$err" "$tmp/share/companions.tsv"

# With $GALEN_SHARE, the copy raises the red flag and serves.
cp "$root/data/companions.tsv" "$tmp/share/"
# The sentence model travels with them: without it the answer would not be
# the one galen was measured on.
expect "ask without answer-model.tsv" 4 env GALEN_SHARE="$tmp/share" "$g" ask -d "$tmp/data" "$calf"
contains "ask names answer-model.tsv" "$err" "$tmp/share/answer-model.tsv"
printf 'bias\t1\nfocus\tx\n' >"$tmp/share/answer-model.tsv"
expect "bad answer-model.tsv" 2 env GALEN_SHARE="$tmp/share" "$g" ask -d "$tmp/data" "$calf"
contains "bad answer-model.tsv names the line" "$err" "answer-model.tsv:2"
cp "$root/data/answer-model.tsv" "$tmp/share/"
expect "ask with GALEN_SHARE" 0 env GALEN_SHARE="$tmp/share" "$g" ask -d "$tmp/data" --json "$calf"
check "red flag raised" python3 -c \
	'import json,sys; a=json.loads(sys.argv[1]); sys.exit(0 if a["red_flags"] else 1)' "$out"
export GALEN_SHARE=$tmp/share
GALEN=$g
if serve_start "$tmp/serve.log" -q -d "$tmp/data"; then
	contains "health: engine up" "$(curl -s "$base/api/health")" '"engine":true'
else
	bad "serve with GALEN_SHARE did not start: $(cat "$tmp/serve.log")"
fi
finish
