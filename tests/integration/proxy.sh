#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# proxy.sh: galen behind a real nginx (Debian's /usr/sbin/nginx, run
# unprivileged from a temporary prefix) on loopback, as docs/deploy.md
# configures it: two `galen serve` processes on one data folder, each with
# --trusted-proxy 127.0.0.1/32 --base-path /galen, behind their own nginx
# port. Shows: pages, static files and the API work under /galen/; a form
# served by process A posts to process B; the rate limit keys on the real
# client nginx saw, not on an X-Forwarded-For the client made up (test
# clients use their own loopback addresses, 127.0.0.2 and up, so that
# nginx's $remote_addr differs per client and is not itself trusted); a
# made-up X-Forwarded-For sent straight to galen from an untrusted peer
# changes nothing; X-Forwarded-Proto https makes cookies Secure; the ask
# form posts, so the question is in neither nginx's access log nor galen's
# JSON access log. Skips when nginx is missing, except under CI=true.
set -u
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
NGINX=${NGINX:-/usr/sbin/nginx}

# Bad options are usage errors that say what was wrong (no nginx needed).
for bp in galen /galen/ //galen /a/../b '/a b' '/a?b' /; do
    expect "--base-path '$bp'" 1 "$GALEN" serve -d "$tmp/none" --base-path "$bp"
    contains "names --base-path" "$err" "bad --base-path"
done
for cidr in 10.0.0.0/33 ::/129 10.0.0/8 example.org 10.0.0.0/; do
    expect "--trusted-proxy '$cidr'" 1 "$GALEN" serve -d "$tmp/none" --trusted-proxy "$cidr"
    contains "names --trusted-proxy" "$err" "bad --trusted-proxy"
done

if [ ! -x "$NGINX" ]; then
    if [ "${CI:-}" = true ]; then
        echo "proxy test cannot run under CI: no nginx at $NGINX (scripts/deps.sh installs it)"
        echo "$pass passed, $((fail + 1)) failed"
        exit 1
    fi
    echo "proxy test skipped: no nginx at $NGINX (scripts/deps.sh installs it)"
    echo "$pass passed, $fail failed, 1 skipped"
    [ "$fail" -eq 0 ]
    exit
fi

D="$tmp/data"
pids=()
nginx_pid=""
stop_all() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    lib_cleanup
}
trap stop_all EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_file() { for _ in $(seq 100); do [ -s "$1" ] && break; sleep 0.1; done; cat "$1" 2>/dev/null; }
start_galen() { # NAME: starts a server, its port in $tmp/NAME.port
    "$GALEN" serve -d "$D" --listen 127.0.0.1:0 --port-file "$tmp/$1.port" \
        --trusted-proxy 127.0.0.1/32 --trusted-proxy ::1/128 --base-path /galen \
        --access-log "$tmp/$1.jsonl" --redflags "$root/data/redflags.txt" 2>"$tmp/$1.err" &
    pids+=($!)
}

expect "import pack" 0 "$GALEN" import article -q -d "$D" "$root/data/pack"
expect "--access-log in a missing folder" 3 "$GALEN" serve -d "$D" --listen 127.0.0.1:0 \
    --access-log "$tmp/no/such/dir/log" --redflags "$root/data/redflags.txt"
contains "names the access log" "$err" "cannot open the access log"
printf 'correct horse battery\n' | "$GALEN" user add ann --role patient -d "$D" >/dev/null
start_galen a
start_galen b
pa=$(wait_file "$tmp/a.port")
pb=$(wait_file "$tmp/b.port")
[ -n "$pa" ] && [ -n "$pb" ] && ok || bad "galen did not start: $(cat "$tmp/a.err" "$tmp/b.err")"

# nginx: port na proxies to A, nb to B, ns to A as a TLS terminator would
# (X-Forwarded-Proto https). The access log keeps nginx's default
# "combined" format, which records the request line with its query string.
na=$(free_port)
nb=$(free_port)
ns=$(free_port)
mkdir -p "$tmp/nginx/logs"
site() { # LISTEN_PORT GALEN_PORT PROTO
    cat <<EOF
    server {
        listen 127.0.0.1:$1;
        location = /galen { return 301 /galen/; }
        location /galen/ {
            proxy_pass http://127.0.0.1:$2;
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $3;
            proxy_set_header X-Request-Id \$request_id;
        }
        location = /galen/metrics { return 404; }
    }
EOF
}
{
    # Workers would otherwise switch to "nobody", who cannot enter $tmp.
    [ "$(id -u)" -eq 0 ] && echo "user root;"
    cat <<EOF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 64; }
http {
    access_log $tmp/nginx/logs/access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
EOF
    site "$na" "$pa" '$scheme'
    site "$nb" "$pb" '$scheme'
    site "$ns" "$pa" https
    echo "}"
} >"$tmp/nginx/nginx.conf"
"$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" -g 'daemon off;' &
nginx_pid=$!
up=""
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$na/galen/api/health" && up=1 && break
    sleep 0.1
done
[ -n "$up" ] && ok || { bad "nginx did not start: $(cat "$tmp/nginx/logs/error.log")"; finish; exit 1; }

A="http://127.0.0.1:$na/galen"
B="http://127.0.0.1:$nb/galen"
S="http://127.0.0.1:$ns/galen"
C=(curl -s -m 20 --interface 127.0.0.2)
as() { C=(curl -s -m 20 --interface "127.0.0.$1"); }
code() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }

# Pages, static files and the API, all under /galen/.
"${C[@]}" -o "$tmp/home.html" "$A/"
contains "home page" "$(cat "$tmp/home.html")" "Ask a health question"
contains "stylesheet under the prefix" "$(cat "$tmp/home.html")" 'href="/galen/static/style.css"'
contains "ask form under the prefix" "$(cat "$tmp/home.html")" '<form method="post" action="/galen/ask"'
lacks "no unprefixed link" "$(grep -o '\(href\|action\|src\)="/[^"]*"' "$tmp/home.html" | grep -v '="/galen/')" '="/'
[ "$(code "$A/static/app.js")" = 200 ] && ok || bad "static file under the prefix"
[ "$(code "$A/articles")" = 200 ] && ok || bad "articles under the prefix"
contains "API under the prefix" "$("${C[@]}" "$A/api/health")" '"status"'
[ "$(code "http://127.0.0.1:$na/galen")" = 301 ] && ok || bad "/galen redirects to /galen/"
[ "$(code "http://127.0.0.1:$pa/articles")" = 404 ] && ok || bad "galen answered outside its base path"
loc=$("${C[@]}" -o /dev/null -w '%{redirect_url}' "$A/specialist")
contains "redirect keeps the prefix" "$loc" "/galen/login?next=/specialist"
[ "$(code "$A/metrics")" = 404 ] && ok || bad "nginx keeps /metrics private"

# The ask form posts: the question reaches galen, no log records it.
Q="zebra quagga night cramps in my calves"
"${C[@]}" -o "$tmp/answer.html" -X POST "$A/ask" --data-urlencode "q=$Q" --data-urlencode audience=patient
contains "answer page for the posted question" "$(cat "$tmp/answer.html")" "$Q</h1>"
lacks "no link carries the question" "$(cat "$tmp/answer.html")" "?q="

# A form served by process A posts to process B (one CSRF key, one store).
rm -f "$tmp/jar"
"${C[@]}" -c "$tmp/jar" -D "$tmp/login.head" -o "$tmp/login.html" "$A/login"
contains "cookie path is the base path" "$(cat "$tmp/login.head")" "; Path=/galen;"
tok=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$tmp/login.html" | head -1)
got=$("${C[@]}" -b "$tmp/jar" -c "$tmp/jar" -o /dev/null -w '%{http_code} %{redirect_url}' -X POST "$B/login" \
    --data-urlencode "csrf=$tok" --data-urlencode name=ann --data-urlencode "password=correct horse battery")
contains "form from A posted to B" "$got" "303 http://127.0.0.1:$nb/galen/"
contains "logged in, seen by A" "$("${C[@]}" -b "$tmp/jar" "$A/account")" "<strong>ann</strong>"
grep -q '"method":"GET","path":"/galen/login"' "$tmp/a.jsonl" && ok || bad "A served the form"
grep -q '"method":"POST","path":"/galen/login","status":303' "$tmp/b.jsonl" && ok || bad "B took the post"

# X-Forwarded-Proto https from the proxy makes the cookie Secure.
contains "Secure behind TLS" "$("${C[@]}" -D - -o /dev/null "$S/login")" "; Secure"
lacks "not Secure over plain HTTP" "$("${C[@]}" -D - -o /dev/null "$A/login")" "; Secure"

# The rate limit keys on the real client. Client .2 makes up an
# X-Forwarded-For naming client .3; nginx appends .2, and galen walks
# from the right to .2. After .2 is limited, .3 still logs in.
bad_login() { # N: one failed login for a fresh name; prints the status
    "${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$A/api/login" -H 'X-Forwarded-For: 127.0.0.3' \
        -H 'Content-Type: application/json' -d "{\"name\":\"nobody$1\",\"password\":\"wrong password\"}"
}
as 2
limited=""
for i in $(seq 1 15); do
    [ "$(bad_login "$i")" = 429 ] && limited=$i && break
done
[ -n "$limited" ] && ok || bad "bad logins from one client were never limited"
grep -q '"client":"127.0.0.2","method":"POST","path":"/galen/api/login","status":429' "$tmp/a.jsonl" &&
    ok || bad "the access log names the real client: $(tail -2 "$tmp/a.jsonl")"
grep -q '"client":"127.0.0.3"' "$tmp/a.jsonl" && bad "the made-up X-Forwarded-For was believed" || ok
as 3
got=$(code -X POST "$A/api/login" -H 'Content-Type: application/json' \
    -d '{"name":"ann","password":"correct horse battery"}')
[ "$got" = 200 ] && ok || bad "another client was locked out: HTTP $got"

# Straight to galen from an untrusted peer (.4), a made-up
# X-Forwarded-For (.5) is ignored: .4 is limited, .5 is not.
as 4
direct=""
for i in $(seq 20 35); do
    got=$("${C[@]}" -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$pa/galen/api/login" \
        -H 'X-Forwarded-For: 127.0.0.5' -H 'Content-Type: application/json' \
        -d "{\"name\":\"nobody$i\",\"password\":\"wrong password\"}")
    [ "$got" = 429 ] && direct=$i && break
done
[ -n "$direct" ] && ok || bad "the untrusted peer was never limited"
grep -q '"client":"127.0.0.4","method":"POST","path":"/galen/api/login","status":429' "$tmp/a.jsonl" &&
    ok || bad "the untrusted peer is logged as itself"
as 5
got=$(code -X POST "$A/api/login" -H 'Content-Type: application/json' \
    -d '{"name":"ann","password":"correct horse battery"}')
[ "$got" = 200 ] && ok || bad "a spoofed X-Forwarded-For moved the limit onto .5: HTTP $got"

# The logs: nginx's has the path and no question; galen's lines are JSON
# with the documented fields and no question, no query string, mode 0600.
contains "nginx logged the post" "$(cat "$tmp/nginx/logs/access.log")" '"POST /galen/ask HTTP/1.1" 200'
lacks "question not in nginx's log" "$(cat "$tmp/nginx/logs/access.log")" "zebra"
lacks "question not in galen's log" "$(cat "$tmp/a.jsonl" "$tmp/b.jsonl")" "zebra"
lacks "no query string in galen's log" "$(cat "$tmp/a.jsonl" "$tmp/b.jsonl")" "?"
check "access log lines are JSON" python3 - "$tmp/a.jsonl" "$tmp/b.jsonl" <<'EOF'
import json, sys
keys = {"time", "id", "client", "method", "path", "status", "bytes", "duration_ms"}
n = 0
for name in sys.argv[1:]:
    for line in open(name):
        o = json.loads(line)
        assert keys <= set(o), (keys - set(o), line)
        assert isinstance(o["status"], int) and isinstance(o["duration_ms"], (int, float))
        n += 1
assert n >= 20, n
EOF
# nginx's request id reaches galen's log, so the two can be joined.
rid=$(grep -o '"id":"[0-9a-f]\{32\}"' "$tmp/a.jsonl" | head -1)
[ -n "$rid" ] && ok || bad "nginx's \$request_id is not galen's request id"
[ "$(stat -c %a "$tmp/a.jsonl")" = 600 ] && ok || bad "access log mode $(stat -c %a "$tmp/a.jsonl"), want 600"
finish
