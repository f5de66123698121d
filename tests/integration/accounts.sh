#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# accounts.sh: a user changes their own password on /account (their other
# sessions end, this one stays) and through the API; an admin issues a
# one-time reset link from the Users page and with `galen user
# reset-link`; the link sets a password once, ends every session, and the
# audit trail records it all.
set -u
. "$(dirname "$0")/lib.sh"
D="$tmp/data"
# Each part comes from its own loopback address, so that the login rate
# limit (10 attempts per address, which these routes share) never trips.
C=(curl -s -m 20 --interface 127.0.0.2)
from() { C=(curl -s -m 20 --interface "127.0.0.$1"); }
csrf_of() { grep -o 'name="csrf" value="[^"]*"' "$1" | head -1 | sed 's/.*value="//; s/"$//'; }
api_login() { # NAME PASSWORD: prints the bearer token, or nothing
    "${C[@]}" -X POST "$base/api/login" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"password\":\"$2\"}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin).get("token",""))' 2>/dev/null
}
web_login() { # JAR NAME PASSWORD: logs the cookie jar in; prints the status
    "${C[@]}" -c "$1" -b "$1" -o "$tmp/login.html" "$base/login"
    "${C[@]}" -c "$1" -b "$1" -o /dev/null -w '%{http_code}' -X POST "$base/login" \
        --data-urlencode "csrf=$(csrf_of "$tmp/login.html")" \
        --data-urlencode "name=$2" --data-urlencode "password=$3"
}
status() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
me() { "${C[@]}" "$@" "$base/api/me"; }

expect "add admin" 0 "$GALEN" user add root --role admin -d "$D" <<<"admin password"
expect "add ann" 0 "$GALEN" user add ann --role patient -d "$D" <<<"first password"
serve_start "$tmp/log" -d "$D" -q --redflags "$(dirname "$0")/../../data/redflags.txt" || bad "server did not start"

# Two sessions: a browser's and an API client's.
[ "$(web_login "$tmp/ann" ann 'first password')" = 303 ] && ok || bad "web login"
tok=$(api_login ann 'first password')
[ -n "$tok" ] && ok || bad "API login"
"${C[@]}" -b "$tmp/ann" -c "$tmp/ann" -o "$tmp/acct.html" "$base/account"
contains "account page" "$(cat "$tmp/acct.html")" 'action="/account/password"'
t=$(csrf_of "$tmp/acct.html")
post_pw() { # CURRENT NEW AGAIN
    status -b "$tmp/ann" -c "$tmp/ann" -X POST "$base/account/password" \
        --data-urlencode "csrf=$t" --data-urlencode "current=$1" \
        --data-urlencode "password=$2" --data-urlencode "again=$3"
}
[ "$(post_pw 'wrong password' 'second password' 'second password')" = 403 ] && ok || bad "wrong current password accepted"
[ "$(post_pw 'first password' 'second password' 'other password')" = 400 ] && ok || bad "differing new passwords accepted"
[ "$(post_pw 'first password' 'short' 'short')" = 400 ] && ok || bad "short password accepted"
[ "$(status -b "$tmp/ann" -X POST "$base/account/password" --data-urlencode "current=first password" \
    --data-urlencode "password=second password" --data-urlencode "again=second password")" = 403 ] &&
    ok || bad "password change without CSRF token"
[ "$(post_pw 'first password' 'second password' 'second password')" = 303 ] && ok || bad "password change"
contains "this session stays" "$(me -b "$tmp/ann")" '"name":"ann"'
lacks "the other session ended" "$(me -H "Authorization: Bearer $tok")" '"name":"ann"'
[ -z "$(api_login ann 'first password')" ] && ok || bad "the old password still works"
sleep 1.2 # the failed login's backoff (docs/security.md)
tok=$(api_login ann 'second password')
[ -n "$tok" ] && ok || bad "the new password does not work"

from 3
# The API: a bearer client changes the password; the browser session ends.
[ "$(status -X POST "$base/api/account/password" -H "Authorization: Bearer $tok" \
    -H 'Content-Type: application/json' -d '{"current":"second password","password":"third password"}')" = 200 ] &&
    ok || bad "API password change"
contains "bearer session stays" "$(me -H "Authorization: Bearer $tok")" '"name":"ann"'
lacks "browser session ended" "$(me -b "$tmp/ann")" '"name":"ann"'
[ "$(status -X POST "$base/api/account/password" -H 'Content-Type: application/json' \
    -d '{"current":"x","password":"yyyyyyyyyy"}')" = 401 ] && ok || bad "anonymous API password change"

from 4
# An admin issues a reset link on the Users page.
[ "$(web_login "$tmp/root" root 'admin password')" = 303 ] && ok || bad "admin login"
"${C[@]}" -b "$tmp/root" -c "$tmp/root" -o "$tmp/users.html" "$base/admin/users"
ann_id=$("$GALEN" user list --json -d "$D" >/dev/null; "${C[@]}" -b "$tmp/root" "$base/api/users" |
    python3 -c 'import json,sys; print([u["id"] for u in json.load(sys.stdin)["users"] if u["name"]=="ann"][0])')
contains "reset button" "$(cat "$tmp/users.html")" "action=\"/admin/users/$ann_id/reset\""
"${C[@]}" -b "$tmp/root" -c "$tmp/root" -o "$tmp/reset.html" -X POST "$base/admin/users/$ann_id/reset" \
    --data-urlencode "csrf=$(csrf_of "$tmp/users.html")"
link=$(grep -o '/reset?token=[A-Za-z0-9_-]*' "$tmp/reset.html" | head -1)
[ -n "$link" ] && ok || bad "no reset link on the page: $(head -c 300 "$tmp/reset.html")"
"${C[@]}" -c "$tmp/anon" -b "$tmp/anon" -o "$tmp/form.html" "$base$link"
contains "reset form names the user" "$(cat "$tmp/form.html")" "<strong>ann</strong>"
use_link() { # TOKEN PASSWORD: the status of POST /reset
    status -c "$tmp/anon" -b "$tmp/anon" -X POST "$base/reset" --data-urlencode "csrf=$(csrf_of "$tmp/form.html")" \
        --data-urlencode "token=$1" --data-urlencode "password=$2" --data-urlencode "again=$2"
}
token=${link#*token=}
[ "$(use_link "$token" short)" = 400 ] && ok || bad "reset accepted a short password"
[ "$(use_link "$token" 'fourth password')" = 303 ] && ok || bad "reset link did not work"
lacks "reset ends every session" "$(me -H "Authorization: Bearer $tok")" '"name":"ann"'
s=$(use_link "$token" "fifth password"); [ "$s" = 404 ] && ok || bad "a reset link worked twice: $s"
[ "$(status "$base$link")" = 404 ] && ok || bad "a used link still shows its form"
[ -n "$(api_login ann 'fourth password')" ] && ok || bad "the reset password does not work"

from 5
# The command line prints a link (with the server's base path).
expect "reset-link" 0 "$GALEN" user reset-link ann --base-path /galen -d "$D"
contains "link path" "$out" "/galen/reset?token="
token=${out#*token=}
[ "$(use_link "$token" 'sixth password')" = 303 ] && ok || bad "CLI reset link did not work"
expect "reset-link unknown user" 4 "$GALEN" user reset-link nobody -d "$D"
expect "reset-link bad base path" 1 "$GALEN" user reset-link ann --base-path galen/ -d "$D"

# The audit trail, on the Users page and from the command line.
expect "audit" 0 "$GALEN" user audit ann --json -d "$D"
n=$(printf '%s' "$out" | python3 -c 'import json,sys; e=json.load(sys.stdin); print(" ".join(x["event"] for x in e))')
[ "$n" = "password_reset reset_issued password_reset reset_issued password_changed password_changed" ] &&
    ok || bad "audit events: $n"
contains "admin named as actor" "$out" '"actor":"root"'
contains "command line as actor" "$out" '"actor":null'
"${C[@]}" -b "$tmp/root" -o "$tmp/users.html" "$base/admin/users"
contains "audit on the Users page" "$(cat "$tmp/users.html")" "reset link issued"
# Only hashes are stored.
if command -v sqlite3 >/dev/null; then
    lacks "token not stored" "$(sqlite3 "$D/store.db" 'SELECT token_hash FROM password_resets')" "$token"
fi
finish
