#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# keys.sh: the CSRF key lives in the store. A login form served by one
# `galen serve` process posts to another process on the same store, and to
# the same process after a restart; a token from another store is refused.
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
D="$tmp/data"
C=(curl -s -m 10)

expect "import pack" 0 "$GALEN" import article -q -d "$D" "$root/data/pack"
printf 'correct horse battery\n' | "$GALEN" user add ed --role editor -d "$D" >/dev/null

# start2 PORTFILE DATA: another server; sets pid2. (Not in $(...): the
# subshell would run lib.sh's exit trap.)
start2() {
    rm -f "$1"
    "$GALEN" serve -d "$2" -q --listen 127.0.0.1:0 --port-file "$1" 2>/dev/null &
    pid2=$!
}
wait_port() { for _ in $(seq 100); do [ -s "$1" ] && break; sleep 0.1; done; cat "$1"; }
# form_from BASE: fetches the login form (cookie jar $tmp/jar), prints its token.
form_from() {
    rm -f "$tmp/jar"
    "${C[@]}" -c "$tmp/jar" "$1/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1
}
post_to() { # post_to BASE TOKEN: HTTP status of the login post
    "${C[@]}" -b "$tmp/jar" -o /dev/null -w '%{http_code}' -X POST "$1/login" \
        --data-urlencode "name=ed" --data-urlencode "password=correct horse battery" \
        --data-urlencode "csrf=$2"
}

serve_start "$tmp/log" -d "$D" -q || bad "server A did not start"
start2 "$tmp/port-b" "$D"
pid_b=$pid2
base_b="http://127.0.0.1:$(wait_port "$tmp/port-b")"

token=$(form_from "$base")
[ -n "$token" ] && ok || bad "no CSRF token in the form"
code=$(post_to "$base_b" "$token")
[ "$code" = 303 ] && ok || bad "form from A posted to B: HTTP $code, want 303"

# After a restart of A, a form it served before still posts.
token=$(form_from "$base")
kill "$server_pid"
wait "$server_pid" 2>/dev/null
serve_start "$tmp/log" -d "$D" -q || bad "server A did not restart"
code=$(post_to "$base" "$token")
[ "$code" = 303 ] && ok || bad "form posted after a restart: HTTP $code, want 303"

# Another store has its own key.
expect "other store" 0 "$GALEN" user add zed --role editor -d "$tmp/other" <<<"correct horse battery"
start2 "$tmp/port-c" "$tmp/other"
pid_c=$pid2
base_c="http://127.0.0.1:$(wait_port "$tmp/port-c")"
token=$(form_from "$base")
code=$(post_to "$base_c" "$token")
[ "$code" = 403 ] && ok || bad "token of another store accepted: HTTP $code, want 403"

kill "$pid_b" "$pid_c"
wait "$pid_b" "$pid_c" 2>/dev/null
finish
