# SPDX-License-Identifier: MIT
# lib.sh: the prelude every integration script shares. Source it right
# after `set -u`. It sets GALEN (default build/release/galen), makes a
# temporary folder $tmp that is removed on exit together with any server
# serve_start left running, and counts checks in $pass and $fail; the
# script ends with `finish`, which prints "N passed, N failed" and fails
# when any check did. KEEP_TMP=1 keeps $tmp to look at after a failure.

GALEN=${GALEN:-build/release/galen}
tmp=$(mktemp -d)
pass=0
fail=0
server_pid=""

pg_dir=""

lib_cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    pg_stop
    [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"
}
trap lib_cleanup EXIT

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

check() { # check DESCRIPTION COMMAND...: passes if COMMAND succeeds
    local what=$1
    shift
    if "$@"; then ok; else bad "$what"; fi
}

# expect NAME WANT_EXIT CMD...: runs CMD, keeps stdout/stderr in $out/$err.
expect() {
    local name=$1 want=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
    if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, want $want: $err"; fi
}

contains() { # NAME HAYSTACK NEEDLE
    if printf '%s' "$2" | grep -qF -- "$3"; then ok; else bad "$1: no '$3' in: $2"; fi
}

lacks() { # NAME HAYSTACK NEEDLE
    if printf '%s' "$2" | grep -qF -- "$3"; then bad "$1: unexpected '$3'"; else ok; fi
}

# serve_start LOG ARGS...: starts `galen serve ARGS` in the background on a
# free 127.0.0.1 port (port 0, reported through --port-file), with stderr
# in LOG. Waits at most 10 s for the port; sets server_pid, port and base
# (http://127.0.0.1:PORT). Returns 1 if the server did not start.
serve_start() {
    local log=$1
    shift
    rm -f "$tmp/port"
    "$GALEN" serve --listen 127.0.0.1:0 --port-file "$tmp/port" "$@" 2>"$log" &
    server_pid=$!
    for _ in $(seq 100); do
        [ -s "$tmp/port" ] && break
        sleep 0.1
    done
    port=$(cat "$tmp/port" 2>/dev/null)
    [ -n "$port" ] || return 1
    base="http://127.0.0.1:$port"
}

# pg_start: starts a private PostgreSQL server (Debian's initdb and pg_ctl)
# in a folder of its own, on a Unix socket there and no TCP port, and sets
# PG_URL to a postgresql:// URL for its database "postgres". As root it
# runs the server as "nobody" (initdb refuses root). Where PostgreSQL is
# not installed it returns 2 (the caller skips, except under CI=true, where
# it must fail); 1 if the server did not start. lib_cleanup stops it.
pg_start() {
    local bin="" d run=()
    for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin=$d; done
    if [ -z "$bin" ]; then
        bin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")
        [ -x "$bin/initdb" ] || return 2
    fi
    pg_dir=$(mktemp -d /tmp/galen-pg-XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
        chown nobody "$pg_dir" && chmod 700 "$pg_dir" || return 1
        run=(runuser -u nobody --)
    fi
    (cd "$pg_dir" && "${run[@]}" "$bin/initdb" -D "$pg_dir/data" -U galen \
        -A trust -E UTF8 --locale=C >"$pg_dir/initdb.log" 2>&1) || {
        cat "$pg_dir/initdb.log" >&2
        return 1
    }
    (cd "$pg_dir" && "${run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
        -o "-k $pg_dir -c listen_addresses='' -c fsync=off" start >/dev/null) || {
        cat "$pg_dir/log" >&2
        return 1
    }
    PG_URL="postgresql:///postgres?host=$pg_dir&user=galen"
}

# pg_stop: stops the server pg_start started (by the pid it wrote).
pg_stop() {
    local pid
    [ -n "$pg_dir" ] || return 0
    pid=$(head -n1 "$pg_dir/data/postmaster.pid" 2>/dev/null)
    if [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null; then
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$pg_dir"
    pg_dir=""
}

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
