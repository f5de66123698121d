#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# cluster.sh: galen as a site runs it (issue 13, docs/deploy.md): one
# PostgreSQL server holds everything written; three stateless `galen
# serve` replicas, each with its own index in its own, at first empty, data
# folder; Debian's nginx in front with passive health checks. All real
# processes on loopback, started here and stopped by process id. Shows:
#   - each replica builds its index from the store by itself, and a write
#     through one replica is read on the others within 5 s (sessions,
#     questions, replies, new documents in the index);
#   - kill -9 of a replica under load through nginx: no GET fails and no
#     acknowledged write is lost;
#   - a PostgreSQL restart under load: writes get 503 for the window, then
#     succeed again, and nothing acknowledged is lost;
#   - a replica started later (and the killed one, restarted) catch up.
# Skips, saying so, only where PostgreSQL cannot run at all (never under
# CI=true). PostgreSQL and nginx run as an unprivileged user when the
# tests run as root.
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
C=(curl -s -m 10)

skip() {
    if [ "${CI:-}" = true ]; then
        echo "FAIL: cluster.sh: $* (CI=true: not skipping)"
        exit 1
    fi
    echo "cluster.sh: skipped: $*"
    exit 0
}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] && [ -x "$pgbin/initdb" ] ||
    skip "PostgreSQL is not installed (scripts/deps.sh installs postgresql)"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { bad "nginx is not installed (scripts/deps.sh installs it)"; finish; exit 1; }

# PostgreSQL refuses to run as root: run it (and nginx) as postgres.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no unprivileged 'postgres' user"
    as_user=(setpriv --reuid=postgres --regid=postgres --init-groups --)
    chmod 711 "$tmp"
fi
own() { [ "$(id -u)" -ne 0 ] || chown -R postgres: "$@"; }

# ---- processes this script started, stopped by pid on exit -------------
declare -A rpid rport
pg_pid="" ngx_pid="" load_pid=""
stop_pid() { # PID [SIGNAL]: stops it and waits for it
    [ -n "$1" ] || return 0
    kill "-${2:-TERM}" "$1" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}
cleanup() {
    stop_pid "$load_pid"
    for r in "${!rpid[@]}"; do stop_pid "${rpid[$r]}"; done
    stop_pid "$ngx_pid" QUIT
    stop_pid "$pg_pid" INT
    # CLUSTER_LOGS=DIR keeps every process's log for a look afterwards.
    [ -z "${CLUSTER_LOGS:-}" ] || { mkdir -p "$CLUSTER_LOGS" && cp "$tmp"/*.log "$tmp"/*.json* "$CLUSTER_LOGS"/ 2>/dev/null; }
    lib_cleanup
}
trap cleanup EXIT

# ---- PostgreSQL ---------------------------------------------------------
pg="$tmp/pg"
mkdir -p "$pg/sock"
own "$pg"
pg_port=5432 # a Unix socket in $pg/sock only: no TCP port is taken
"${as_user[@]}" "$pgbin/initdb" -D "$pg/data" -U galen -A trust -E UTF8 \
    --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 ||
    skip "initdb failed: $(tail -3 "$tmp/initdb.log")"
pg_up() {
    "${as_user[@]}" "$pgbin/postgres" -D "$pg/data" -k "$pg/sock" -p "$pg_port" \
        -c listen_addresses= -c max_connections=200 >>"$tmp/pg.log" 2>&1 &
    pg_pid=$!
    for _ in $(seq 100); do
        "$pgbin/pg_isready" -q -h "$pg/sock" -p "$pg_port" && return 0
        sleep 0.1
    done
    return 1
}
pg_up || skip "PostgreSQL did not start: $(tail -3 "$tmp/pg.log")"
"$pgbin/createdb" -h "$pg/sock" -p "$pg_port" -U galen galen || { bad "createdb"; finish; exit 1; }
export GALEN_STORE="postgresql://galen@/galen?host=$pg/sock&port=$pg_port"
expect "import pack into PostgreSQL" 0 "$GALEN" import article -q --no-index -d "$tmp/loader" "$root/data/pack"
printf 'correct horse battery\n' | "$GALEN" user add sam --role specialist \
    --specialty Neurology -d "$tmp/loader" >/dev/null || bad "user add"

# ---- replicas -----------------------------------------------------------
# start_replica N: `galen serve` on an empty (or kept) folder $tmp/rN.
start_replica() {
    local n=$1
    mkdir -p "$tmp/r$n"
    rm -f "$tmp/r$n.port"
    "$GALEN" serve -d "$tmp/r$n" --listen 127.0.0.1:0 --port-file "$tmp/r$n.port" \
        --threads 4 -q 2>>"$tmp/r$n.log" &
    rpid[$n]=$!
    for _ in $(seq 100); do [ -s "$tmp/r$n.port" ] && break; sleep 0.1; done
    rport[$n]=$(cat "$tmp/r$n.port" 2>/dev/null)
    [ -n "${rport[$n]}" ]
}
url() { echo "http://127.0.0.1:${rport[$1]}"; }
ready() { [ "$("${C[@]}" -o /dev/null -w '%{http_code}' "$(url "$1")/api/ready")" = 200 ]; }
docs_of() { "${C[@]}" "$1/api/ready" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])' 2>/dev/null; }

# within SECONDS CMD...: true as soon as CMD succeeds, false after SECONDS.
within() {
    local limit=$1 t0
    shift
    t0=$(date +%s%N)
    while ! "$@"; do
        [ $(($(date +%s%N) - t0)) -gt $((limit * 1000000000)) ] && return 1
        sleep 0.2
    done
    echo "  ($* after $((($(date +%s%N) - t0) / 1000000)) ms)"
}

for n in 1 2 3; do
    start_replica "$n" || bad "replica $n did not start: $(cat "$tmp/r$n.log")"
done
for n in 1 2 3; do
    within 30 ready "$n" || bad "replica $n not ready: $(tail -3 "$tmp/r$n.log")"
done
want_docs=$(docs_of "$(url 1)")
[ "${want_docs:-0}" -gt 0 ] && ok || bad "replica 1 has no documents"
for n in 2 3; do
    [ "$(docs_of "$(url "$n")")" = "$want_docs" ] && ok || bad "replica $n documents differ"
    [ -f "$tmp/r$n/index/FOLLOW" ] && ok || bad "replica $n has no FOLLOW cursor"
done

# ---- nginx --------------------------------------------------------------
ngx="$tmp/nginx"
mkdir -p "$ngx/logs"
ngx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
write_nginx_conf() {
    {
        echo "worker_processes 1;"
        echo "events { worker_connections 1024; }"
        echo "http {"
        echo "  access_log off;"
        for d in client_body proxy fastcgi uwsgi scgi; do echo "  ${d}_temp_path $ngx/$d;"; done
        echo "  upstream galen {"
        for n in "$@"; do
            # Passive health checks: a replica that fails is left alone
            # for fail_timeout, then tried again.
            echo "    server 127.0.0.1:${rport[$n]} max_fails=1 fail_timeout=2s;"
        done
        echo "  }"
        echo "  server {"
        echo "    listen 127.0.0.1:$ngx_port;"
        echo "    location / {"
        echo "      proxy_pass http://galen;"
        echo "      proxy_set_header X-Forwarded-For \$remote_addr;"
        # Only idempotent requests (GET, HEAD) move on to another replica;
        # a POST that reached one is never sent twice.
        echo "      proxy_next_upstream error timeout http_502 http_503;"
        echo "      proxy_next_upstream_tries 3;"
        echo "      proxy_connect_timeout 1s;"
        echo "      proxy_read_timeout 30s;"
        echo "    }"
        echo "  }"
        echo "}"
    } >"$ngx/nginx.conf"
}
write_nginx_conf 1 2 3
own "$ngx"
"${as_user[@]}" "$NGINX" -p "$ngx" -c "$ngx/nginx.conf" \
    -g "daemon off; pid $ngx/nginx.pid; error_log $ngx/logs/error.log;" 2>>"$tmp/nginx.log" &
ngx_pid=$!
lb="http://127.0.0.1:$ngx_port"
within 10 eval '[ "$("${C[@]}" -o /dev/null -w "%{http_code}" "$lb/api/ready")" = 200 ]' && ok ||
    bad "nginx not answering: $(cat "$tmp/nginx.log" "$ngx/logs/error.log" 2>/dev/null | tail -3)"

# ---- a write on one replica is read on the others within 5 s ------------
login() { # N: a session token from replica N
    "${C[@]}" -X POST "$(url "$1")/api/login" -H 'Content-Type: application/json' \
        -d '{"name":"sam","password":"correct horse battery"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
token=$(login 1)
[ -n "$token" ] && ok || bad "login on replica 1"
for n in 2 3; do # the session lives in the store
    code=$("${C[@]}" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$(url "$n")/api/me")
    [ "$code" = 200 ] && ok || bad "session from replica 1 refused on replica $n ($code)"
done
# The per-account login backoff is in the store too: a failure through
# one replica makes the others wait.
# Two failures, so the wait (2 s) outlasts the store's whole-second clock.
for i in 1 2; do
    [ "$i" = 1 ] || sleep 1.1
    code=$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$(url 1)/api/login" \
        -H 'Content-Type: application/json' -d '{"name":"sam","password":"wrong guess"}')
    [ "$code" = 401 ] && ok || bad "wrong password on replica 1: $code"
done
for n in 2 3; do
    code=$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$(url "$n")/api/login" \
        -H 'Content-Type: application/json' -d '{"name":"sam","password":"correct horse battery"}')
    [ "$code" = 429 ] && ok || bad "replica $n ignored the backoff from replica 1 ($code)"
done
sleep 2.2
q=$("${C[@]}" -X POST "$(url 1)/api/questions" -H 'Content-Type: application/json' \
    -d '{"title":"Cramps at night","body":"My calves cramp every night. Why?"}')
qid=$(printf '%s' "$q" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)
qkey=$(printf '%s' "$q" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' 2>/dev/null)
[ -n "$qid" ] && ok || bad "question on replica 1: $q"
has_reply() { # N ID: replica N lists reply ID of the question
    "${C[@]}" "$(url "$1")/api/questions/$qid?key=$qkey" |
        python3 -c "import json,sys; sys.exit($2 not in [r['id'] for r in json.load(sys.stdin)['replies']])" 2>/dev/null
}
for n in 2 3; do
    within 5 eval '[ "$("${C[@]}" -o /dev/null -w "%{http_code}" "$(url '"$n"')/api/questions/$qid?key=$qkey")" = 200 ]' &&
        ok || bad "question from replica 1 not read on replica $n"
done
rid=$("${C[@]}" -X POST "$(url 2)/api/questions/$qid/replies" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"body":"Stretch the calf before bed."}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)
[ -n "$rid" ] && ok || bad "reply on replica 2"
for n in 1 3; do within 5 has_reply "$n" "$rid" && ok || bad "reply from replica 2 not on replica $n"; done

# A new document reaches every replica's own index.
cat >"$tmp/late.md" <<EOT
---
id: cluster-late
kind: consumer
title: Notes on vembriquat
audience: patient
source: galen test suite
date: 2026-12-01
status: submitted
---
# Notes on vembriquat

The vembriquat is a word that only this test document contains.
EOT
found() { "${C[@]}" "$1/api/search?q=vembriquat" | grep -q '"id":"cluster-late"'; }
expect "import late document" 0 "$GALEN" import article -q --no-index -d "$tmp/loader" "$tmp/late.md"
for n in 1 2 3; do within 5 found "$(url "$n")" && ok || bad "new document not in replica $n's index within 5 s"; done

# ---- load through nginx; kill -9 one replica ----------------------------
# run_load SECONDS OUT: the load generator in the background.
run_load() {
    python3 "$root/tests/integration/cluster_load.py" --base "$lb" --token "$token" \
        --question "$qid" --seconds "$1" >"$2" 2>"$2.err" &
    load_pid=$!
}
field() { python3 -c "import json,sys; d=json.load(open('$1')); print($2)"; }
acked_all_present() { # LOADFILE: every acknowledged reply id is in the store
    "${C[@]}" "$lb/api/questions/$qid?key=$qkey" >"$tmp/q.json"
    python3 - "$1" "$tmp/q.json" <<'EOF'
import json, sys
acked = set(json.load(open(sys.argv[1]))["acked"])
have = {r["id"] for r in json.load(open(sys.argv[2]))["replies"]}
lost = acked - have
print(f"  {len(acked)} acknowledged writes, {len(lost)} lost")
sys.exit(1 if lost or not acked else 0)
EOF
}

run_load 12 "$tmp/load1.json"
sleep 4
kill -KILL "${rpid[2]}"
wait "${rpid[2]}" 2>/dev/null
unset 'rpid[2]'
wait "$load_pid"
load_pid=""
echo "  kill -9 load: $(field "$tmp/load1.json" 'd["get"], d["post"]')"
[ "$(field "$tmp/load1.json" 'sum(d["get"].values())')" -gt 100 ] && ok || bad "too little load"
[ "$(field "$tmp/load1.json" 'sum(v for k, v in d["get"].items() if k != "200")')" = 0 ] && ok ||
    bad "GETs failed during kill -9: $(field "$tmp/load1.json" 'd["get_failures"]')"
check "no acknowledged write lost (kill -9)" acked_all_present "$tmp/load1.json"

# ---- a PostgreSQL restart under load ------------------------------------
run_load 14 "$tmp/load2.json"
sleep 3
stop_pid "$pg_pid" INT # a fast shutdown: sessions are cut
sleep 2                # the window
pg_up || bad "PostgreSQL did not restart"
wait "$load_pid"
load_pid=""
echo "  restart load: $(field "$tmp/load2.json" 'd["get"], d["post"], d["window"]')"
[ "$(field "$tmp/load2.json" 'sum(v for k, v in d["get"].items() if k != "200")')" = 0 ] && ok ||
    bad "GETs failed during the restart: $(field "$tmp/load2.json" 'd["get_failures"]')"
[ "$(field "$tmp/load2.json" 'd["post"].get("503", 0)')" -gt 0 ] && ok ||
    bad "no 503 while PostgreSQL was down"
[ "$(field "$tmp/load2.json" 'sorted(set(d["post"]) - {"201", "503"})')" = "[]" ] && ok ||
    bad "writes got other than 201 or 503: $(field "$tmp/load2.json" 'd["post"]')"
# Recovery: writes succeed again well before the load ended.
[ "$(field "$tmp/load2.json" 'int(d["window"] is not None and d["window"][1] < d["seconds"] - 3)')" = 1 ] && ok ||
    bad "writes did not recover after the restart: window $(field "$tmp/load2.json" 'd["window"]')"
check "no acknowledged write lost (restart)" acked_all_present "$tmp/load2.json"

# ---- replicas started later catch up ------------------------------------
sed 's/cluster-late/cluster-later/; s/vembriquat/quendrilox/g' "$tmp/late.md" >"$tmp/later.md"
expect "import a later document" 0 "$GALEN" import article -q --no-index -d "$tmp/loader" "$tmp/later.md"
start_replica 4 || bad "replica 4 did not start"
within 30 ready 4 && ok || bad "late replica 4 not ready"
within 5 found "$(url 4)" && ok || bad "late replica 4 lacks the new document"
want_docs=$(docs_of "$(url 1)")
within 5 eval '[ "$(docs_of "$(url 4)")" = "$want_docs" ]' && ok || bad "late replica 4: $(docs_of "$(url 4)") documents, want $want_docs"
start_replica 2 || bad "replica 2 did not restart"
within 30 ready 2 && ok || bad "restarted replica 2 not ready"
within 5 eval '[ "$(docs_of "$(url 2)")" = "$want_docs" ]' && ok || bad "restarted replica 2 did not catch up"
"${C[@]}" "$(url 2)/api/search?q=quendrilox" | grep -q '"id":"cluster-later"' && ok ||
    bad "restarted replica 2 lacks the later document"
for n in 1 2 3 4; do kill -0 "${rpid[$n]}" 2>/dev/null && ok || bad "replica $n died"; done

# Each replica stops cleanly on SIGTERM (under ASan: with no leak or
# error report either).
for n in 1 2 3 4; do
    kill -TERM "${rpid[$n]}"
    wait "${rpid[$n]}"
    rc=$?
    unset "rpid[$n]"
    [ "$rc" -eq 0 ] && ok || bad "replica $n exited with $rc: $(tail -5 "$tmp/r$n.log")"
done
grep -l -E "AddressSanitizer|LeakSanitizer|runtime error" "$tmp"/r*.log && bad "sanitizer reports above" || ok

finish
