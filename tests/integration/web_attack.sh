#!/usr/bin/env bash
# web_attack.sh: replays every finding of issue 10 (security and privacy of
# galen serve) against a fresh server on 127.0.0.1, with the attacks in
# web_attack.py: early-rejected requests that used to leak, open patient
# questions, the data folder's permissions, slowloris from two addresses,
# password guesses spread over many addresses and a burst of logins, NUL,
# trailing data and duplicate keys in JSON, an open redirect, a full disk,
# /register, self-approval and bad HTTP framing. Loopback only; every wait
# is bounded (about 40 s in all).
set -u
. "$(dirname "$0")/lib.sh"
GALEN=$(cd "$(dirname "$GALEN")" && pwd)/$(basename "$GALEN")
cd "$(dirname "$0")/../.."
WEB="$PWD/web"
ATTACK="$PWD/tests/integration/web_attack.py"
# Under AddressSanitizer, leaks show at exit and RSS is ASan's own.
asan=0
grep -q __asan_init "$GALEN" && asan=1

C=(curl -s -m 10)
status() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
attack() { PORT=$port timeout 120 python3 "$ATTACK" "$@"; }
private() { # private DIR: nothing in DIR is open to group or others
    [ -z "$(find "$1" -perm /077 -print -quit)" ]
}

# --- 4: the data folder is private after import and serve -------------------
# An old-style folder (0755, a 0644 file) is tightened, and new files are
# created private.
data="$tmp/data"
mkdir -m 755 "$data"
touch "$data/old-notes.txt"
chmod 644 "$data/old-notes.txt"
(umask 022 && "$GALEN" import article data/pack -d "$data" >/dev/null 2>&1) || bad "import"
check "data folder private after import" private "$data"
for u in "ed password-edit1 editor" "ed2 password-edit2 editor" \
    "neuro password-spec1 specialist" "pat password-pat01 patient"; do
    set -- $u
    extra=()
    [ "$3" = specialist ] && extra=(--specialty Neurology)
    echo "$2" | "$GALEN" user add "$1" --role "$3" "${extra[@]}" -d "$data" >/dev/null || bad "user add $1"
done
chmod 644 "$data/store.db"
if ! (umask 022 && serve_start "$tmp/log" -d "$data" --web "$WEB" --head-timeout 3); then
    echo "server did not start" >&2
    cat "$tmp/log" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
# serve_start ran in a subshell: find the port and pid again.
port=$(cat "$tmp/port")
server_pid=$(pgrep -n -f "galen serve --listen 127.0.0.1:0 --port-file $tmp/port")
B="http://127.0.0.1:$port"
"${C[@]}" -o /dev/null "$B/api/health"
check "data folder private while serving" private "$data"
check "serve said it tightened permissions" grep -q 'readable by other users' "$tmp/log"

# --- 1: early rejections are answered at once and leak nothing --------------
check "leak loop" attack leak "$server_pid" 1500 $((1 - asan))
check "early rejections logged" grep -q 'refused: too many parameters' "$tmp/log"
check "libmicrohttpd's rejections logged" grep -q ' 400 0 .*refused: malformed request' "$tmp/log"

# --- 2: open patient questions are private ----------------------------------
mkq() { # mkq PUBLIC: a question; prints its JSON
    "${C[@]}" -X POST "$B/api/questions" -H 'Content-Type: application/json' \
        --interface "127.0.4.$((RANDOM % 200 + 1))" \
        -d "{\"title\":\"HIV test\",\"body\":\"I tested positive for HIV.\",\"age_band\":\"30-39\",\"sex\":\"male\",\"specialty\":\"Neurology\",\"public\":$1}"
}
q1=$(mkq false)
id1=$(printf '%s' "$q1" | json_field '["id"]')
link1=$(printf '%s' "$q1" | json_field '["link"]')
check "anonymous cannot read an open question (API)" test "$(status "$B/api/questions/$id1")" = 404
check "anonymous cannot read an open question (page)" test "$(status "$B/questions/$id1")" = 404
check "a missing question looks the same" test "$(status "$B/api/questions/999999")" = 404
check "the asker's link reads it" test "$(status "$B$link1")" = 200
check "anonymous sees no open queue" test "$(status "$B/api/questions?status=open")" = 401
login() {
    "${C[@]}" -X POST "$B/api/login" -H 'Content-Type: application/json' \
        --interface "127.0.5.$((RANDOM % 200 + 1))" \
        -d "{\"name\":\"$1\",\"password\":\"$2\"}" | json_field '["token"]'
}
tok_spec=$(login neuro password-spec1)
tok_pat=$(login pat password-pat01)
tok_ed=$(login ed password-edit1)
tok_ed2=$(login ed2 password-edit2)
check "another patient cannot read it" test "$(status -H "Authorization: Bearer $tok_pat" "$B/api/questions/$id1")" = 404
check "its specialist reads it" test "$(status -H "Authorization: Bearer $tok_spec" "$B/api/questions/$id1")" = 200
reply() {
    status -X POST "$B/api/questions/$1/replies" -H "Authorization: Bearer $tok_spec" \
        -H 'Content-Type: application/json' -d '{"body":"Treatment works well."}'
}
check "specialist replies" test "$(reply "$id1")" = 201
check "answered without consent stays private" test "$(status "$B/api/questions/$id1")" = 404
q2=$(mkq true)
id2=$(printf '%s' "$q2" | json_field '["id"]')
check "consent alone does not publish an open question" test "$(status "$B/api/questions/$id2")" = 404
check "specialist replies again" test "$(reply "$id2")" = 201
check "answered with consent is public" test "$(status "$B/api/questions/$id2")" = 200
"${C[@]}" -H "Authorization: Bearer $tok_ed" "$B/api/questions/$id1" >"$tmp/q.json"
check "the asker's name is read back for staff" python3 -c '
import json, sys; q = json.load(open(sys.argv[1])); sys.exit(0 if "asker" in q else 1)' "$tmp/q.json"

# --- 3: slowloris from two addresses ----------------------------------------
check "slowloris" attack slowloris 150 5 3

# --- 5: per-account backoff and bounded hashing -----------------------------
check "40 guesses from 40 addresses" attack guesses ed password-edit1 40
check "logins do not starve searches" attack hashing 24 nobody

# --- 6 and 7: strict JSON bodies --------------------------------------------
for body in '{"name":"pat\u0000x","password":"password-pat01"}' \
    '{"name":"pat","password":"password-pat01"}garbage' \
    '{"name":"pat","password":"password-pat01"}{"name":"ed"}' \
    '{"name":"ed","name":"pat","password":"password-pat01"}'; do
    check "JSON refused: $body" test "$(status -X POST "$B/api/login" --interface 127.0.6.1 \
        -H 'Content-Type: application/json' --data-binary "$body")" = 400
done

# --- 8: open redirect -------------------------------------------------------
check "login redirect stays on site" attack redirect

# --- 10: names, four eyes, framing ------------------------------------------
csrf_form() { # csrf_form JAR: fetches /register, prints its CSRF token
    "${C[@]}" -c "$1" "$B/register" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p'
}
reg() { # reg NAME: the status and Location of registering NAME
    local jar="$tmp/jar.$1" tok
    tok=$(csrf_form "$jar")
    "${C[@]}" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
        --interface 127.0.7.1 -X POST "$B/register" \
        --data-urlencode "csrf=$tok" --data-urlencode "name=$1" \
        --data-urlencode password=password-new1 --data-urlencode password2=password-new1
}
free=$(reg "newname$$")
taken=$(reg pat)
check "register: taken and free names answer alike ($free / $taken)" test "$free" = "$taken"
review() { # review TOKEN ACTION
    status -X POST "$B/api/documents/$doc/review" -H "Authorization: Bearer $1" \
        -H 'Content-Type: application/json' -d "{\"action\":\"$2\",\"note\":\"n\"}"
}
doc=$("${C[@]}" -H "Authorization: Bearer $tok_ed" "$B/api/review?status=submitted" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"][0]["id"])' 2>/dev/null)
check "a document to review" test -n "$doc"
check "editor starts a review" test "$(review "$tok_ed" start)" = 200
check "the same editor cannot approve it" test "$(review "$tok_ed" approve)" = 403
check "another editor can" test "$(review "$tok_ed2" approve)" = 200
check "bad framing" attack framing

# --- 9: a full disk is reported with its cause ------------------------------
full="$tmp/full"
(ulimit -f 2048 && trap '' XFSZ &&
    "$GALEN" import medquad ../shared/data/medquad/10_MPlus_ADAM_QA -d "$full" -q) \
    >/dev/null 2>"$tmp/full.err"
if [ -d ../shared/data/medquad/10_MPlus_ADAM_QA ]; then
    check "full disk: import fails" grep -q 'import stopped' "$tmp/full.err"
    check "full disk: the real error, not the rollback's" \
        bash -c "grep -q -e 'disk I/O error' -e 'disk is full' '$tmp/full.err' && ! grep -q 'cannot rollback' '$tmp/full.err'"
else
    echo "web_attack.sh: no MedQuAD sample; the full-disk import is not checked"
fi

# --- no leaks, clean stop ---------------------------------------------------
check "still healthy" test "$(status "$B/api/health")" = 200
kill -TERM "$server_pid"
for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
check "server stopped" bash -c "! kill -0 $server_pid 2>/dev/null"
check "no leak reported" bash -c "! grep -q 'LeakSanitizer' '$tmp/log'"
check "no sanitizer report" bash -c "! grep -q -e 'AddressSanitizer' -e 'runtime error' '$tmp/log'"
server_pid=""
finish
