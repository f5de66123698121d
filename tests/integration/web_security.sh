#!/usr/bin/env bash
# web_security.sh: galen serve on a free 127.0.0.1 port, driven with curl.
# XSS payloads go into a question, a reply, a comment and an imported
# article and must come back escaped; forbidden actions are refused;
# malformed requests get 4xx JSON errors; the access log holds no question
# text or query strings; SIGTERM stops the server cleanly. Every wait is
# bounded.
set -u
. "$(dirname "$0")/lib.sh"
GALEN=$(cd "$(dirname "$GALEN")" && pwd)/$(basename "$GALEN")
cd "$(dirname "$0")/../.."
WEB="$PWD/web"

XSS1='<script>alert(1)</script>'
XSS2='"><img src=x onerror=alert(2)>'
XSS3="'><svg/onload=alert(3)>"

# An imported article carrying payloads in every field a page shows.
mkdir -p "$tmp/articles"
cat > "$tmp/articles/xss.md" <<EOF
---
id: xss-article
kind: article
title: Cramps $XSS1
audience: both
specialty: neurology
source: Evil $XSS2 Press
date: 2025-01-02
topics: [cramp $XSS3]
status: submitted
references:
  - kind: research | title: Study $XSS1 | source: Journal $XSS2 | year: 2020 | url: javascript:alert(4)
---
Lead $XSS1 text [1].

## Quick Summary
Summary $XSS2.

## Section $XSS3
- bullet $XSS1
1. step $XSS2

| Col $XSS1 | Col 2 |
|---|---|
| cell $XSS2 | cell $XSS3 |

## FAQ
### Question $XSS1?
Answer $XSS3.
EOF

data="$tmp/data"
mkdir -p "$data"
"$GALEN" import article "$tmp/articles" -d "$data" >/dev/null 2>&1 || bad "import"
echo "password-spec1" | "$GALEN" user add neuro --role specialist --specialty Neurology -d "$data" >/dev/null || bad "user add"
echo "password-edit1" | "$GALEN" user add ed --role editor -d "$data" >/dev/null || bad "user add"
echo "password-pat01" | "$GALEN" user add pat --role patient -d "$data" >/dev/null || bad "user add"

if ! serve_start "$tmp/log" -d "$data" --web "$WEB"; then
    echo "server did not start" >&2
    cat "$tmp/log" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
B=$base
C=(curl -s -m 10)

status() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
login() {
    "${C[@]}" -X POST "$B/api/login" -H 'Content-Type: application/json' \
        -d "{\"name\":\"$1\",\"password\":\"$2\"}" | json_field '["token"]'
}
no_raw() { # no_raw FILE: none of the payloads appears unescaped
    ! grep -qF -e '<script>alert' -e '<img src=x' -e '<svg/onload' \
        -e 'href="javascript:' "$1"
}

# --- payloads in, escaped out ------------------------------------------------
mkjson() { # mkjson key=value...: a JSON object of strings
    python3 -c 'import json,sys; print(json.dumps(dict(a.split("=", 1) for a in sys.argv[1:])))' "$@"
}
q=$(mkjson "title=Calf $XSS1" "body=Warm calf at night $XSS2 $XSS3" \
    age_band=40-49 sex=female specialty=Neurology)
qjson=$("${C[@]}" -X POST "$B/api/questions" -H 'Content-Type: application/json' -d "$q")
qid=$(printf '%s' "$qjson" | json_field '["id"]')
qlink=$(printf '%s' "$qjson" | json_field '["link"]')
check "question created" test -n "$qid"
tok_spec=$(login neuro password-spec1)
tok_ed=$(login ed password-edit1)
tok_pat=$(login pat password-pat01)
check "logins" test -n "$tok_spec" -a -n "$tok_ed" -a -n "$tok_pat"
r=$(mkjson "body=Reply $XSS1 $XSS3")
check "reply 201" test "$(status -X POST "$B/api/questions/$qid/replies" -H "Authorization: Bearer $tok_spec" -H 'Content-Type: application/json' -d "$r")" = 201
cm=$(mkjson "author=Mal $XSS2" "body=Nice $XSS1")
cid=$("${C[@]}" -X POST "$B/api/articles/xss-article/comments" -H 'Content-Type: application/json' -d "$cm" | json_field '["id"]')
check "comment held" test -n "$cid"
check "comment approved" test "$(status -X POST "$B/api/comments/$cid/moderate" -H "Authorization: Bearer $tok_ed" -H 'Content-Type: application/json' -d '{"action":"approve"}')" = 200

"${C[@]}" "$B$qlink" >"$tmp/q.html"
"${C[@]}" "$B/articles/xss-article" >"$tmp/a.html"
"${C[@]}" -H "Authorization: Bearer $tok_ed" "$B/review/xss-article" >"$tmp/r.html"
"${C[@]}" "$B/articles" >"$tmp/list.html"
askq=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$XSS1 $XSS2")
"${C[@]}" "$B/ask?q=$askq" >"$tmp/ask.html"
for f in q a r list ask; do
    check "no raw payload in $f page" no_raw "$tmp/$f.html"
done
check "question escaped" grep -qF 'Calf &lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/q.html"
check "reply escaped" grep -qF 'Reply &lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/q.html"
check "comment escaped" grep -qF 'Nice &lt;script&gt;' "$tmp/a.html"
check "comment author escaped" grep -qF 'Mal &quot;&gt;&lt;img' "$tmp/a.html"
check "imported title escaped" grep -qF 'Cramps &lt;script&gt;' "$tmp/a.html"
check "imported table escaped" grep -qF 'cell &quot;&gt;&lt;img' "$tmp/a.html"
check "imported FAQ escaped" grep -qF 'Question &lt;script&gt;' "$tmp/a.html"
check "javascript: URL not linked" grep -qvF 'javascript:' "$tmp/a.html"
check "ask page escaped" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/ask.html"

# --- forbidden actions -------------------------------------------------------
review='{"action":"start"}'
check "anon cannot review" test "$(status -X POST "$B/api/documents/xss-article/review" -H 'Content-Type: application/json' -d "$review")" = 401
check "patient cannot review" test "$(status -X POST "$B/api/documents/xss-article/review" -H "Authorization: Bearer $tok_pat" -H 'Content-Type: application/json' -d "$review")" = 403
check "specialist cannot review" test "$(status -X POST "$B/api/documents/xss-article/review" -H "Authorization: Bearer $tok_spec" -H 'Content-Type: application/json' -d "$review")" = 403
check "patient cannot reply" test "$(status -X POST "$B/api/questions/$qid/replies" -H "Authorization: Bearer $tok_pat" -H 'Content-Type: application/json' -d '{"body":"x"}')" = 403
check "editor cannot list users" test "$(status -H "Authorization: Bearer $tok_ed" "$B/api/users")" = 403
check "patient cannot moderate" test "$(status -X POST "$B/api/comments/$cid/moderate" -H "Authorization: Bearer $tok_pat" -H 'Content-Type: application/json' -d '{"action":"reject"}')" = 403
check "anon sees no open queue" test "$(status "$B/api/questions?status=open")" = 401
check "editor can review" test "$(status -X POST "$B/api/documents/xss-article/review" -H "Authorization: Bearer $tok_ed" -H 'Content-Type: application/json' -d "$review")" = 200
check "form POST without CSRF refused" test "$(status -X POST "$B/questions" -d 'title=a&body=b')" = 403
check "bad bearer is anonymous" test "$(status -H 'Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' "$B/api/users")" = 401

# --- malformed requests ------------------------------------------------------
is_json_4xx() { # is_json_4xx EXPECTED CURL-ARGS...
    local want=$1
    shift
    local out code
    out=$("${C[@]}" -w '\n%{http_code}' "$@")
    code=${out##*$'\n'}
    [ "$code" = "$want" ] && printf '%s' "${out%$'\n'*}" | python3 -c 'import json,sys; json.load(sys.stdin)["error"]' 2>/dev/null
}
check "bad JSON 400" is_json_4xx 400 -X POST "$B/api/questions" -H 'Content-Type: application/json' -d '{"title":'
check "JSON array 400" is_json_4xx 400 -X POST "$B/api/questions" -H 'Content-Type: application/json' -d '[]'
check "wrong type 400" is_json_4xx 400 -X POST "$B/api/questions" -H 'Content-Type: application/json' -d '{"title":1,"body":2}'
check "text/plain 415" is_json_4xx 415 -X POST "$B/api/questions" -H 'Content-Type: text/plain' -d 'hi'
head -c 70000 /dev/zero | tr '\0' 'a' >"$tmp/big"
check "large body 413" is_json_4xx 413 -X POST "$B/api/questions" -H 'Content-Type: application/json' --data-binary @"$tmp/big"
check "bad UTF-8 in query 400" is_json_4xx 400 "$B/api/search?q=%ff%fe"
check "NUL in path 400" is_json_4xx 400 "$B/api/health%00x"
check "bad limit 400" is_json_4xx 400 "$B/api/documents?limit=-5"
check "huge id 404" is_json_4xx 404 "$B/api/questions/99999999999999999999"
check "unknown method 405" is_json_4xx 405 -X DELETE "$B/api/health"
check "unknown API 404" is_json_4xx 404 "$B/api/nothing"
big_cookie=$(head -c 40000 /dev/zero | tr '\0' 'c')
code=$(status -H "Cookie: sid=$big_cookie" "$B/api/health")
check "oversized headers refused ($code)" test "$code" -ge 400 -a "$code" -lt 500
check "path traversal 404" test "$(status --path-as-is "$B/static/../store.db")" = 404
check "still healthy" test "$(status "$B/api/health")" = 200

# --- headers and the log -----------------------------------------------------
"${C[@]}" -D "$tmp/h" -o /dev/null "$B/"
check "CSP header" grep -qi '^Content-Security-Policy: default-src' "$tmp/h"
check "nosniff header" grep -qi '^X-Content-Type-Options: nosniff' "$tmp/h"
"${C[@]}" -D "$tmp/h2" -o /dev/null "$B/login"
check "cookie flags" grep -qi '^Set-Cookie: sid=.*HttpOnly; SameSite=Strict' "$tmp/h2"
check "log has access lines" grep -q 'galen: access: .* GET /api/health 200' "$tmp/log"
check "log has no question text" bash -c "! grep -qi -e 'calf' -e 'alert' -e 'q=' '$tmp/log'"

# --- graceful stop -----------------------------------------------------------
kill -TERM "$server_pid"
stopped=no
for _ in $(seq 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        stopped=yes
        break
    fi
    sleep 0.1
done
wait "$server_pid" 2>/dev/null
rc=$?
server_pid=""
check "SIGTERM stops the server" test "$stopped" = yes
check "exit status 0 after SIGTERM" test "$rc" = 0

finish
