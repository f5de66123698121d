#!/usr/bin/env bash
# load.sh: HTTP load on `galen serve`. wrk drives /api/ask on the MedQuAD
# store with 64 connections for 30 s and reports throughput, p50/p99
# latency and the error count (which must be 0), then does the same for a
# static file (/static/style.css), the ceiling of the server itself. All
# traffic goes to 127.0.0.1 and every run is bounded in time.
#
#   bench/load.sh                       build bench/work/medquad if needed, run
#   DURATION=5 CONNECTIONS=16 bench/load.sh   a short run on a shared machine
#   GALEN_BENCH_DATA=DIR bench/load.sh  use an existing data folder
#
# Building the MedQuAD data folder imports ../shared/data/medquad (or
# $GALEN_SHARED/data/medquad) and indexes it once.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
GALEN=${GALEN:-$root/build/release/galen}
DURATION=${DURATION:-30}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-$(nproc 2>/dev/null || echo 2)}
shared=${GALEN_SHARED:-$root/../shared}
data=${GALEN_BENCH_DATA:-$root/bench/work/medquad}

command -v wrk >/dev/null || { echo "load.sh: wrk is not installed (apt-get install wrk)"; exit 1; }
[ -x "$GALEN" ] || make -j2 all >/dev/null

if [ ! -f "$data/store.db" ]; then
    [ -d "$shared/data/medquad" ] || { echo "load.sh: no $shared/data/medquad; set GALEN_BENCH_DATA"; exit 1; }
    mkdir -p "$data"
    echo "load.sh: importing MedQuAD into $data" >&2
    "$GALEN" import medquad "$shared/data/medquad" -d "$data" -q
fi
if [ ! -d "$data/index" ]; then
    echo "load.sh: indexing $data" >&2
    "$GALEN" index -d "$data" -q
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$GALEN" serve -d "$data" --listen 127.0.0.1:0 --port-file "$tmp/port" \
    --threads "$SERVER_THREADS" --web "$root/web" -q 2>"$tmp/log" &
pid=$!
for _ in $(seq 300); do
    [ -s "$tmp/port" ] && break
    sleep 0.1
done
[ -s "$tmp/port" ] || { cat "$tmp/log"; exit 1; }
base="http://127.0.0.1:$(cat "$tmp/port")"
engine=$(curl -s -m 10 "$base/api/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["engine"])')
[ "$engine" = "True" ] || { echo "load.sh: the server has no answer engine for $data"; exit 1; }

# One pass; prints "name rps p50_ms p99_ms errors" and the raw wrk report.
run() {
    local name=$1 script=$2 path=$3
    local out
    out=$(timeout $((DURATION + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
        --timeout 10s --latency -s "$script" "$base$path")
    echo "$out" | sed 's/^/    /' | grep -v RESULT >&2
    echo "$out" | grep '^RESULT' | python3 -c '
import sys
kv = dict(p.split("=") for p in sys.stdin.read().split()[1:])
n = int(kv["requests"]); secs = int(kv["duration_us"]) / 1e6
errors = sum(int(kv[k]) for k in ("non2xx", "connect", "read", "write", "timeout"))
print("%-12s %10.0f req/s   p50 %7.2f ms   p99 %7.2f ms   errors %d   (%d requests)" % (
    sys.argv[1], n / secs, int(kv["p50_us"]) / 1000, int(kv["p99_us"]) / 1000, errors, n))
sys.exit(1 if errors else 0)' "$name"
}

# Warm the page cache and the answerer pool.
curl -s -m 30 -o /dev/null "$base/api/ask?q=what+causes+muscle+cramps"
echo "galen serve load: $CONNECTIONS connections, ${DURATION} s each, $SERVER_THREADS server threads, wrk -t$THREADS"
echo "data: $data"
status=0
run "/api/ask" bench/load_ask.lua "/api/ask" || status=1
run "static" bench/load_static.lua "/static/style.css" || status=1
exit $status
