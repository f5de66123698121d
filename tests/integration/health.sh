#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# health.sh: the probes. /api/health is liveness (200 as long as the server
# answers); /api/ready is 503 until the index, the lexicon and the red-flag
# rules are loaded and 200 after; /metrics is the Prometheus text format
# and parses with the reference parser (python3-prometheus-client), with
# requests by route and status, the latency histogram, answers,
# abstentions, red flags, the index generation and store errors.
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
D="$tmp/data"
C=(curl -s -m 10)
py=/usr/bin/python3 # Debian's, which has python3-prometheus-client
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$base$1"; }
within() { # within SECONDS CMD...
    local end=$((SECONDS + $1))
    shift
    while ! "$@"; do [ "$SECONDS" -ge "$end" ] && return 1; sleep 0.2; done
}
is_ready() { [ "$(code /api/ready)" = 200 ]; }

# A store but no index yet: alive, not ready.
printf 'correct horse battery\n' | "$GALEN" user add ed --role editor -d "$D" >/dev/null
serve_start "$tmp/log" -d "$D" -q || bad "server did not start"
[ "$(code /api/health)" = 200 ] && ok || bad "health not 200 without an index"
[ "$(code /api/ready)" = 503 ] && ok || bad "ready not 503 without an index"
contains "ready says why" "$("${C[@]}" "$base/api/ready")" '"index":false'
expect "import" 0 "$GALEN" import article -q -d "$D" "$root/data/pack"
within 5 is_ready && ok || bad "not ready within 5 s of the index appearing"
contains "ready body" "$("${C[@]}" "$base/api/ready")" '"redflags":true'
kill "$server_pid"
wait "$server_pid" 2>/dev/null
server_pid=""

# Without red-flag rules galen never answers: serve refuses to start (I/O).
expect "serve without rules" 3 "$GALEN" serve -d "$D" -q --listen 127.0.0.1:0 --redflags "$tmp/missing.txt"
contains "names the rules" "$err" "red-flag rules"

# Metrics, after some traffic: an answer, an abstention, a red flag, a 404.
serve_start "$tmp/log" -d "$D" -q || bad "server did not restart"
"${C[@]}" -o /dev/null "$base/api/ask?q=why+do+my+legs+cramp+at+night"
"${C[@]}" -o /dev/null "$base/api/ask?q=what+is+the+capital+of+france"
"${C[@]}" -o /dev/null "$base/api/ask?q=my+calf+is+swollen+red+and+hot+after+a+long+flight"
"${C[@]}" -o /dev/null "$base/api/documents/no-such-doc"
"${C[@]}" -o /dev/null "$base/nowhere/at/all"
"${C[@]}" "$base/metrics" >"$tmp/metrics"
"${C[@]}" -D - -o /dev/null "$base/metrics" | grep -qi '^content-type: text/plain; version=0.0.4' && ok || bad "metrics content type"
if [ -x "$py" ] && "$py" -c 'import prometheus_client' 2>/dev/null; then
    ndocs=$(find "$root/data/pack" -name '*.md' ! -name 'README.md' | wc -l)
    if "$py" - "$tmp/metrics" "$ndocs" <<'PY'; then ok; else bad "metrics do not parse or lack a family"; fi
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
def val(name, **labels):
    for f in fams.values():
        for s in f.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    raise SystemExit("no sample %s %s" % (name, labels))
assert fams["galen_http_requests"].type == "counter"
assert val("galen_http_requests_total", route="/api/ask", status="200") == 3
assert val("galen_http_requests_total", route="/api/documents/{slug}", status="404") == 1
assert val("galen_http_requests_total", route="other", status="404") == 1
assert fams["galen_http_request_duration_seconds"].type == "histogram"
assert val("galen_http_request_duration_seconds_count") >= 5
assert val("galen_http_request_duration_seconds_bucket", le="+Inf") == val("galen_http_request_duration_seconds_count")
assert val("galen_answers_total") == 3
assert val("galen_abstentions_total") >= 1
assert val("galen_red_flags_total") >= 1, "no red flag raised"
assert val("galen_index_generation") >= 1
assert val("galen_index_documents") == int(sys.argv[2])
assert val("galen_store_errors_total") == 0
assert val("galen_ready") == 1
PY
else
    bad "python3-prometheus-client is missing (scripts/deps.sh installs it)"
fi
lacks "no question text in metrics" "$(cat "$tmp/metrics")" "cramp"

finish
