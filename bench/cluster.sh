#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cluster.sh: /api/ask throughput and latency through nginx with 1, 2 and 3
# `galen serve` replicas on one PostgreSQL store (docs/deploy.md), side by
# side, plus what the capacity projection of docs/deploy.md is built on:
# the time a replica with an empty data folder takes to build its own index
# from the store, its index size per document and its memory (RSS) after
# the load. Everything runs on this machine, on loopback: wrk, nginx, the
# replicas and PostgreSQL share its cores, so on a small machine the table
# shows the cost of the extra hops more than any gain from more replicas.
#
#   bench/cluster.sh                     MedQuAD (../shared/data/medquad)
#   DURATION=10 bench/cluster.sh         shorter runs
#   GALEN_BENCH_CORPUS=pack bench/cluster.sh   the built-in pack (no MedQuAD)
#
# Writes bench/cluster-results.md (and prints it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
GALEN=${GALEN:-$root/build/release/galen}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-64}
SERVER_THREADS=${SERVER_THREADS:-2}
shared=${GALEN_SHARED:-$root/../shared}
corpus=${GALEN_BENCH_CORPUS:-medquad}
out=${OUT:-$root/bench/cluster-results.md}

command -v wrk >/dev/null || { echo "cluster.sh: wrk is not installed (scripts/deps.sh)"; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "cluster.sh: nginx is not installed (scripts/deps.sh)"; exit 1; }
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] || { echo "cluster.sh: PostgreSQL is not installed (scripts/deps.sh)"; exit 1; }
[ -x "$GALEN" ] || make -j2 all >/dev/null

tmp=$(mktemp -d)
chmod 711 "$tmp"
declare -A rpid rport
pg_pid="" ngx_pid=""
stop_pid() {
    [ -n "$1" ] || return 0
    kill "-${2:-TERM}" "$1" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    for r in "${!rpid[@]}"; do stop_pid "${rpid[$r]}"; done
    stop_pid "$ngx_pid" QUIT
    stop_pid "$pg_pid" INT
    rm -rf "$tmp"
}
trap cleanup EXIT

as_user=()
if [ "$(id -u)" -eq 0 ]; then as_user=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi
own() { [ "$(id -u)" -ne 0 ] || chown -R postgres: "$@"; }

# PostgreSQL, on a Unix socket only.
mkdir -p "$tmp/pg/sock" "$tmp/nginx"
own "$tmp/pg" "$tmp/nginx"
"${as_user[@]}" "$pgbin/initdb" -D "$tmp/pg/data" -U galen -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_user[@]}" "$pgbin/postgres" -D "$tmp/pg/data" -k "$tmp/pg/sock" -p 5432 \
    -c listen_addresses= -c max_connections=100 -c shared_buffers=256MB >"$tmp/pg.log" 2>&1 &
pg_pid=$!
for _ in $(seq 100); do "$pgbin/pg_isready" -q -h "$tmp/pg/sock" -p 5432 && break; sleep 0.1; done
"$pgbin/createdb" -h "$tmp/pg/sock" -p 5432 -U galen galen
export GALEN_STORE="postgresql://galen@/galen?host=$tmp/pg/sock&port=5432"

if [ "$corpus" = medquad ]; then
    [ -d "$shared/data/medquad" ] || { echo "cluster.sh: no $shared/data/medquad (GALEN_BENCH_CORPUS=pack runs on the pack)"; exit 1; }
    t0=$(date +%s.%N)
    "$GALEN" import medquad "$shared/data/medquad" --no-index -q -d "$tmp/loader"
else
    t0=$(date +%s.%N)
    "$GALEN" import article "$root/data/pack" --no-index -q -d "$tmp/loader"
fi
import_s=$(echo "$(date +%s.%N) - $t0" | bc)
store_docs=$("$pgbin/psql" -h "$tmp/pg/sock" -p 5432 -U galen -d galen -qtAc "SELECT count(*) FROM documents")
store_mb=$("$pgbin/psql" -h "$tmp/pg/sock" -p 5432 -U galen -d galen -qtAc "SELECT round(pg_database_size('galen')/1e6,1)")

start_replica() { # N: a replica on an empty folder; waits until it answers
    local n=$1
    mkdir -p "$tmp/r$n"
    "$GALEN" serve -d "$tmp/r$n" --listen 127.0.0.1:0 --port-file "$tmp/r$n.port" \
        --threads "$SERVER_THREADS" --per-ip 100000 --max-conns 1024 -q 2>>"$tmp/r$n.log" &
    rpid[$n]=$!
    for _ in $(seq 100); do [ -s "$tmp/r$n.port" ] && break; sleep 0.1; done
    rport[$n]=$(cat "$tmp/r$n.port")
    for _ in $(seq 3000); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${rport[$n]}/api/ready")" = 200 ] && return 0
        sleep 0.1
    done
    echo "cluster.sh: replica $n never became ready" >&2
    return 1
}

ngx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
nginx_for() { # N...: nginx in front of these replicas (reloaded if running)
    {
        echo "worker_processes 1; events { worker_connections 4096; }"
        echo "http { access_log off;"
        for d in client_body proxy fastcgi uwsgi scgi; do echo "  ${d}_temp_path $tmp/nginx/$d;"; done
        echo "  upstream galen {"
        for n in "$@"; do echo "    server 127.0.0.1:${rport[$n]} max_fails=1 fail_timeout=2s;"; done
        echo "  }"
        echo "  server { listen 127.0.0.1:$ngx_port;"
        echo "    location / { proxy_pass http://galen; proxy_next_upstream error timeout http_502 http_503; }"
        echo "  }"
        echo "}"
    } >"$tmp/nginx/nginx.conf"
    own "$tmp/nginx"
    if [ -z "$ngx_pid" ]; then
        "${as_user[@]}" "$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" \
            -g "daemon off; pid $tmp/nginx/nginx.pid; error_log $tmp/nginx/error.log;" &
        ngx_pid=$!
    else
        kill -HUP "$ngx_pid"
    fi
    sleep 1
}

# wrk through URL; prints "rps p50_ms p99_ms errors requests".
load() {
    local r
    r=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
        -s bench/load_ask.lua "$1/api/ask")
    echo "$r" | grep '^RESULT' | python3 -c '
import sys
kv = dict(p.split("=") for p in sys.stdin.read().split()[1:])
n = int(kv["requests"]); secs = int(kv["duration_us"]) / 1e6
errors = sum(int(kv[k]) for k in ("non2xx", "connect", "read", "write", "timeout"))
print("%.0f %.1f %.1f %d %d" % (n / secs, int(kv["p50_us"]) / 1000, int(kv["p99_us"]) / 1000, errors, n))'
}
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# CPU seconds (user + system) the given processes have used so far: what a
# request costs, whatever else the machine is running meanwhile.
cpu_s() {
    local t=0 p
    for p in "$@"; do
        [ -r "/proc/$p/stat" ] || continue
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat")))
    done
    echo "scale=3; $t / $(getconf CLK_TCK)" | bc
}
pg_pids() { echo "$pg_pid" $(pgrep -P "$pg_pid"); }
ngx_pids() { echo "$ngx_pid" $(pgrep -P "$ngx_pid" 2>/dev/null); }
# measure URL PIDS...: one wrk row; prints its table cells.
measure() {
    local url=$1 rps p50 p99 err n a0 b0 c0 a1 b1 c1 load
    shift
    a0=$(cpu_s "$@") b0=$(cpu_s $(pg_pids)) c0=$(cpu_s $(ngx_pids))
    read -r rps p50 p99 err n < <(load "$url")
    a1=$(cpu_s "$@") b1=$(cpu_s $(pg_pids)) c1=$(cpu_s $(ngx_pids))
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf '%s | %s ms | %s ms | %s | %s | %.2f | %.2f | %.2f | %s' "$rps" "$p50" "$p99" "$err" "$n" \
        "$(echo "scale=2; 1000 * ($a1 - $a0) / $n" | bc)" \
        "$(echo "scale=2; 1000 * ($b1 - $b0) / $n" | bc)" \
        "$(echo "scale=2; 1000 * ($c1 - $c0) / $n" | bc)" "$load"
}

t0=$(date +%s.%N)
start_replica 1
catchup_s=$(echo "$(date +%s.%N) - $t0" | bc)
index_docs=$(curl -s "http://127.0.0.1:${rport[1]}/api/ready" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
index_bytes=$(du -sb "$tmp/r1/index" | cut -f1)
curl -s -o /dev/null "http://127.0.0.1:${rport[1]}/api/ask?q=what+causes+muscle+cramps"

rows=()
cells=$(measure "http://127.0.0.1:${rport[1]}" "${rpid[1]}")
rows+=("| 1, direct (no nginx) | $cells | $(rss_mb "${rpid[1]}") MB |")
for k in 1 2 3; do
    [ "$k" -eq 1 ] || start_replica "$k"
    nginx_for $(seq "$k")
    pids=()
    for r in $(seq "$k"); do pids+=("${rpid[$r]}"); done
    cells=$(measure "http://127.0.0.1:$ngx_port" "${pids[@]}")
    rss=""
    for r in $(seq "$k"); do rss="$rss$(rss_mb "${rpid[$r]}")/"; done
    rows+=("| $k, through nginx | $cells | ${rss%/} MB |")
done

{
    echo "# galen behind nginx: 1, 2 and 3 replicas"
    echo
    echo "Generated by \`bench/cluster.sh\` on $(date -u +%Y-%m-%d), galen $(git rev-parse --short HEAD 2>/dev/null || echo '?'):"
    echo "wrk (2 threads, $CONNECTIONS connections, ${DURATION} s per row, bench/load_ask.lua's 12 questions) on"
    echo "\`/api/ask\`; each replica \`galen serve --threads $SERVER_THREADS\` with its own index"
    echo "built from one PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') store; nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') in front."
    echo "Corpus: $corpus ($store_docs documents in the store, $index_docs answered and indexed)."
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM; wrk, nginx, PostgreSQL and every replica share those cores."
    echo
    echo "| replicas | req/s | p50 | p99 | errors | requests | galen CPU ms/req | PostgreSQL CPU ms/req | nginx CPU ms/req | load avg | RSS per replica |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "What a replica costs (inputs of the capacity projection in docs/deploy.md):"
    echo
    echo "| measure | value |"
    echo "|---|---|"
    echo "| import into PostgreSQL ($store_docs documents, --no-index) | ${import_s%??????} s |"
    echo "| PostgreSQL database size | $store_mb MB |"
    echo "| new replica, empty folder → ready (index built from the store) | ${catchup_s%??????} s |"
    echo "| index size | $((index_bytes / 1000000)) MB ($((index_bytes / (index_docs > 0 ? index_docs : 1))) bytes per indexed document) |"
} >"$out"
cat "$out"
