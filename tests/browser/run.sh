#!/usr/bin/env bash
# run.sh: the browser tests. Imports the knowledge pack into a temporary
# data folder (and builds its index when this galen can), adds a specialist
# and an editor, starts `galen serve` on a free 127.0.0.1 port, and runs
# web.test.mjs with node's test runner against it in headless Chromium.
# Screenshots are kept in build/browser/ as test artefacts. Skips (exit 0)
# with a message when Chromium, node or playwright-core is missing, except
# under CI (CI=true), where that fails the run.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
GALEN=${GALEN:-$root/build/release/galen}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM

# Under CI a browser test that cannot run is a failure, not a skip: CI's
# machine is meant to have everything (scripts/deps-browser.sh).
skip() {
    if [ "${CI:-}" = true ]; then
        echo "browser tests cannot run under CI: $*"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "browser tests skipped: $*"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
}
[ -x "$CHROMIUM" ] || skip "no Chromium at $CHROMIUM (scripts/deps-browser.sh installs it)"
command -v node >/dev/null || skip "no node (scripts/deps-browser.sh installs it)"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    command -v npm >/dev/null || skip "no npm to install playwright-core"
    (cd tests/browser && timeout 300 npm ci --no-audit --no-fund >/dev/null 2>&1) ||
        skip "could not install playwright-core from npm"
fi

# The shared prelude: $tmp, removed on exit with the server, and serve_start.
. tests/integration/lib.sh

data="$tmp/data"
mkdir -p "$data"
pw=browser-test-pw
"$GALEN" import article data/pack -d "$data" >/dev/null 2>&1 || { echo "pack import failed"; echo "0 passed, 1 failed"; exit 1; }
# Build the search index from the store when this galen can; without one
# the answer itself is not checked (the test says so).
"$GALEN" index -d "$data" >/dev/null 2>&1 || true
echo "$pw" | "$GALEN" user add neuro --role specialist --specialty Neurology -d "$data" >/dev/null
echo "$pw" | "$GALEN" user add ed --role editor -d "$data" >/dev/null
echo "$pw" | "$GALEN" user add ed2 --role editor -d "$data" >/dev/null

serve_start "$tmp/log" -d "$data" --web "$root/web" -q ||
    { cat "$tmp/log"; echo "0 passed, 1 failed"; exit 1; }

# One answered question already in the archive, so Similar Q&A has
# something to find among the service's own questions too.
qid=$(curl -s -m 10 -X POST "$base/api/questions" -H 'Content-Type: application/json' \
    -d '{"title":"Night leg cramps","body":"My calf cramps at night and wakes me up.","specialty":"Neurology","public":true}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
tok=$(curl -s -m 10 -X POST "$base/api/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"neuro\",\"password\":\"$pw\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -s -m 10 -o /dev/null -X POST "$base/api/questions/$qid/replies" -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/json' -d '{"body":"Stretch the calf before bed and keep hydrated."}'

mkdir -p build/browser
GALEN_URL="$base" GALEN_SHOTS="$root/build/browser" GALEN_TEST_PASSWORD="$pw" \
    timeout 300 node --test --test-reporter=spec tests/browser/
rc=$?
[ $rc -eq 0 ] || { echo "server log:"; tail -20 "$tmp/log"; }
exit $rc
