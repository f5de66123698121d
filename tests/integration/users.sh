#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# users.sh: `galen user disable|enable|delete|passwd` change what a running
# server accepts at login, and `user add` on a terminal asks for the
# password without echoing it.
set -u
. "$(dirname "$0")/lib.sh"
D="$tmp/data"
C=(curl -s -m 10)
login() { # login NAME PASSWORD: the HTTP status of POST /api/login
    "${C[@]}" -o /dev/null -w '%{http_code}' -X POST "$base/api/login" \
        -H 'Content-Type: application/json' -d "{\"name\":\"$1\",\"password\":\"$2\"}"
}

expect "add ann" 0 "$GALEN" user add ann --role editor -d "$D" <<<"first password"
serve_start "$tmp/log" -d "$D" -q --redflags "$(dirname "$0")/../../data/redflags.txt" || bad "server did not start"
[ "$(login ann 'first password')" = 200 ] && ok || bad "login before any change"

expect "disable" 0 "$GALEN" user disable ann -d "$D"
[ "$(login ann 'first password')" = 401 ] && ok || bad "a disabled user logged in"
# A failed login backs the account off for 1 s (docs/security.md): wait it out.
sleep 1.2
expect "list shows disabled" 0 "$GALEN" user list --json -d "$D"
contains "disabled flag" "$out" '"disabled":true'
expect "enable" 0 "$GALEN" user enable ann -d "$D"
[ "$(login ann 'first password')" = 200 ] && ok || bad "login after enable"

expect "passwd" 0 "$GALEN" user passwd ann -d "$D" <<<"second password"
[ "$(login ann 'first password')" = 401 ] && ok || bad "the old password still works"
sleep 1.2
[ "$(login ann 'second password')" = 200 ] && ok || bad "the new password does not work"
expect "passwd too short" 1 "$GALEN" user passwd ann -d "$D" <<<"short"
contains "says why" "$err" "8 to 128 bytes"

expect "delete" 0 "$GALEN" user delete ann -d "$D"
[ "$(login ann 'second password')" = 401 ] && ok || bad "a deleted user logged in"
expect "delete unknown" 4 "$GALEN" user delete ann -d "$D"
contains "names the user" "$err" "no user 'ann'"
expect "disable needs a name" 1 "$GALEN" user disable -d "$D"

# On a terminal the password is asked twice and never echoed.
if command -v script >/dev/null; then
    # Typed after each prompt, as a person would (type-ahead is echoed by
    # the terminal before galen can turn echo off).
    { sleep 1; printf 'hidden pass 1\n'; sleep 0.5; printf 'hidden pass 1\n'; sleep 0.5; } |
        script -qec "'$GALEN' user add bob --role editor -d '$D'" /dev/null >"$tmp/tty" 2>&1
    contains "prompted" "$(cat "$tmp/tty")" "Password again:"
    lacks "not echoed" "$(cat "$tmp/tty")" "hidden pass 1"
    [ "$(login bob 'hidden pass 1')" = 200 ] && ok || bad "password typed on the terminal does not work"
fi
finish
