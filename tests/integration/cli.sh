#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cli.sh: the command line itself: options after the question (GNU
# permutation) are options, never words of the question; every usage error
# names its cause; --json on index, user list and version; no highlight
# marks in a pipe and none with NO_COLOR on a terminal; the README's exit
# codes; a data folder that does not exist is an error except for the
# commands that create one.
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
D="$tmp/data"
json_ok() { python3 -c "import json,sys; v=json.load(sys.stdin); $1" >/dev/null 2>&1; }

expect "import pack" 0 "$GALEN" import article -q -d "$D" "$root/data/pack"

# Options anywhere.
expect "ask --json after question" 0 "$GALEN" ask "night cramps" --json -d "$D"
if printf '%s' "$out" | json_ok 'assert v["question"] == "night cramps"'; then ok; else bad "ask --json: question is not 'night cramps': $out"; fi
lacks "no folded option" "$out" "--son"
expect "search -k after query" 0 "$GALEN" search cramp -k 2 -d "$D"
n=$(printf '%s\n' "$out" | grep -c '^[0-9]*\. ')
if [ "$n" -eq 2 ]; then ok; else bad "search cramp -k 2 gave $n hits"; fi
expect "similar --json after" 0 "$GALEN" similar "leg cramps at night" --json -k 3 -d "$D"
if printf '%s' "$out" | json_ok 'assert len(v) <= 3'; then ok; else bad "similar --json: $out"; fi
expect "-- keeps a leading dash" 0 "$GALEN" search -d "$D" -- -quinine cramp
expect "leading dash without --" 1 "$GALEN" search -d "$D" -quinine cramp
contains "names the option" "$err" "unknown option '-q"

# Usage errors name their cause.
expect "search -k 0" 1 "$GALEN" search -d "$D" -k 0 cramp
contains "search -k 0 cause" "$err" "bad -k '0'"
expect "ask -a martian" 1 "$GALEN" ask -d "$D" -a martian cramps
contains "ask -a cause" "$err" "unknown audience 'martian'"
expect "serve --threads 0" 1 "$GALEN" serve -d "$D" --threads 0
contains "serve --threads cause" "$err" "bad --threads '0'"
expect "unknown long option" 1 "$GALEN" ask -d "$D" --jsn cramps
contains "unknown long option cause" "$err" "unknown option '--jsn'"
expect "missing value" 1 "$GALEN" search -d "$D" cramp -k
contains "missing value cause" "$err" "option '-k' needs a value"
expect "no question" 1 "$GALEN" ask -d "$D"
contains "no question cause" "$err" "no question given"
expect "ask --width" 1 "$GALEN" ask -d "$D" -w 5 cramps
contains "ask --width cause" "$err" "bad width '5'"
expect "unknown import format" 1 "$GALEN" import xml -d "$D" "$root/data/pack"
contains "import format cause" "$err" "unknown format 'xml'"
expect "user bad action" 1 "$GALEN" user frob -d "$D"
contains "user action cause" "$err" "unknown action 'frob'"
expect "serve extra argument" 1 "$GALEN" serve -d "$D" extra
contains "serve extra cause" "$err" "unexpected argument 'extra'"

# --json everywhere results are printed.
expect "version --json" 0 "$GALEN" version --json
if printf '%s' "$out" | json_ok 'assert v["version"]'; then ok; else bad "version --json: $out"; fi
expect "index --json" 0 "$GALEN" index -d "$D" --json
if printf '%s' "$out" | json_ok 'assert "changed" in v and "added" in v'; then ok; else bad "index --json: $out"; fi
expect "index --verify --json" 0 "$GALEN" index -d "$D" --verify --json
if printf '%s' "$out" | json_ok 'assert v["ok"] and v["live_docs"] > 0'; then ok; else bad "verify --json: $out"; fi
printf 'correct horse battery\n' >"$tmp/pw"
expect "user add" 0 "$GALEN" user add ann --role editor -d "$D" <"$tmp/pw"
expect "user list --json" 0 "$GALEN" user list --json -d "$D"
if printf '%s' "$out" | json_ok 'assert v[0]["name"] == "ann" and v[0]["role"] == "editor"'; then ok; else bad "user list --json: $out"; fi

# No marks in a pipe; bold on a terminal unless NO_COLOR.
expect "piped search" 0 "$GALEN" search -d "$D" cramp
lacks "no quote marks" "$out" "«"
lacks "no ANSI in a pipe" "$out" $'\033['
if command -v script >/dev/null; then
    tty_out=$(script -qec "'$GALEN' search -d '$D' cramp" /dev/null)
    contains "bold on a terminal" "$tty_out" $'\033[1m'
    tty_out=$(NO_COLOR=1 script -qec "'$GALEN' search -d '$D' cramp" /dev/null)
    lacks "NO_COLOR on a terminal" "$tty_out" $'\033['
    tty_out=$(NO_COLOR=1 script -qec "'$GALEN' ask -d '$D' night cramps" /dev/null)
    lacks "NO_COLOR ask" "$tty_out" $'\033['
fi

# Exit codes as the README says; a missing data folder is not created.
expect "missing import path" 4 "$GALEN" import article -d "$D" "$tmp/nowhere"
contains "missing path named" "$err" "$tmp/nowhere"
for cmd in "search cramp" "ask cramps" "similar cramps" "index" "index --verify" "user list"; do
    # shellcheck disable=SC2086
    expect "missing data: $cmd" 4 "$GALEN" $cmd -d "$tmp/typo"
    contains "missing data named: $cmd" "$err" "no data folder $tmp/typo"
done
expect "serve missing data" 4 "$GALEN" serve -d "$tmp/typo" --listen 127.0.0.1:0
if [ ! -e "$tmp/typo" ]; then ok; else bad "a mistyped -d created a folder"; fi
expect "user add creates" 0 "$GALEN" user add bob --role admin -d "$tmp/new" <"$tmp/pw"
expect "import creates" 0 "$GALEN" import article -q -d "$tmp/new2" "$root/data/pack"

finish
