#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# golden.sh: `galen ask` (text and JSON) and `galen search` on the built-in
# pack give exactly the outputs in tests/data/expected/ (scripts/golden.sh;
# after a meant change, `scripts/golden.sh --update` and commit the diff).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/integration/lib.sh"

expect "golden outputs" 0 "$root/scripts/golden.sh" "$GALEN"
[ "$fail" -eq 0 ] || printf '%s\n%s\n' "$out" "$err" | head -60
contains "golden questions asked" "$out" "12 questions"

# The comparison can fail: a changed answer, or a missing one, is a diff.
cp -r "$root/tests/data/expected" "$tmp/expected"
sed -i '1s/.*/Question: something else/' "$tmp/expected/01.ask.txt"
expect "a changed answer fails" 1 env GOLDEN_EXPECTED="$tmp/expected" "$root/scripts/golden.sh" "$GALEN"
contains "the diff names the file" "$out" "expected/01.ask.txt"
contains "the diff shows the line" "$out" "+Question: What causes leg cramps at night?"
cp "$root/tests/data/expected/01.ask.txt" "$tmp/expected/"
rm "$tmp/expected/12.search.txt"
expect "a missing answer fails" 1 env GOLDEN_EXPECTED="$tmp/expected" "$root/scripts/golden.sh" "$GALEN"
finish
