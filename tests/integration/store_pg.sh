#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# store_pg.sh: the store on PostgreSQL. Starts a private server (lib.sh
# pg_start); runs the store's unit tests (store, store index, service,
# service API) with GALEN_TEST_PG set, which makes each run its table on
# SQLite and then on PostgreSQL, each store in a fresh schema; then drives
# the galen tool with --store / $GALEN_STORE: the same import gives the
# same export and the same answers as on SQLite. Skips only where
# PostgreSQL is not installed, and never under CI=true.
set -u
. "$(dirname "$0")/lib.sh"
tests=${GALEN_TESTS:-$(dirname "$GALEN")/tests}
root=$(cd "$(dirname "$0")/../.." && pwd)

pg_start
case $? in
0) ;;
2)
    if [ "${CI:-}" = true ]; then
        bad "PostgreSQL is not installed (scripts/deps.sh installs it)"
        finish
        exit
    fi
    echo "SKIP: PostgreSQL is not installed (scripts/deps.sh installs it)"
    exit 0
    ;;
*)
    bad "PostgreSQL did not start"
    finish
    exit
    ;;
esac

for t in test_store test_store_index test_service test_service_api; do
    if [ ! -x "$tests/$t" ]; then
        bad "$tests/$t is not built"
        continue
    fi
    GALEN_TEST_PG=$PG_URL "$tests/$t" >"$tmp/$t.log" 2>&1
    rc=$?
    # Both runs must have happened: a silent fall back to SQLite alone
    # would pass without testing PostgreSQL.
    if [ "$rc" -eq 0 ] && grep -q 'postgresql' "$tmp/$t.log"; then
        ok
    else
        bad "$t on PostgreSQL (exit $rc)"
        grep -E 'FAIL|Error|error' "$tmp/$t.log" | head -20
    fi
done

# The tool on a PostgreSQL store, next to the same steps on SQLite.
psql -q "$PG_URL" -c 'CREATE DATABASE cli' >/dev/null 2>&1 || bad "CREATE DATABASE"
U=${PG_URL/\/postgres\?//cli?}
S="$tmp/sqlite"
P="$tmp/pg"
questions=("why do my legs cramp at night" "is quinine safe for cramps")
expect "import (SQLite)" 0 "$GALEN" import article -q -d "$S" "$root/data/pack"
expect "import (PostgreSQL)" 0 "$GALEN" --store "$U" import article -q -d "$P" "$root/data/pack"
contains "import counts" "$out" "imported 59, unchanged 0"
[ ! -e "$P/store.db" ] && [ -e "$P/index/MANIFEST" ] && ok ||
    bad "the data folder should hold the index and no store.db"
expect "import again" 0 "$GALEN" --store="$U" import article -q -d "$P" "$root/data/pack"
contains "nothing changed" "$out" "imported 0, unchanged 59"
# Timestamps differ between the two imports; the rest must not.
strip() { sed -E 's/"(created_at|updated_at|at)":"[^"]*"//g'; }
"$GALEN" export -d "$S" | strip >"$tmp/e-s"
GALEN_STORE=$U "$GALEN" export -d "$P" | strip >"$tmp/e-p"
[ -s "$tmp/e-s" ] && cmp -s "$tmp/e-s" "$tmp/e-p" && ok || bad "export differs between SQLite and PostgreSQL"
for q in "${questions[@]}"; do
    "$GALEN" ask -d "$S" --json "$q" >>"$tmp/a-s"
    "$GALEN" --store "$U" ask -d "$P" --json "$q" >>"$tmp/a-p"
done
grep -q '"lead"' "$tmp/a-s" && cmp -s "$tmp/a-s" "$tmp/a-p" && ok || bad "answers differ between SQLite and PostgreSQL"
printf 'correct horse battery\n' | GALEN_STORE=$U "$GALEN" user add ed --role editor -d "$P" >/dev/null && ok || bad "user add"
expect "user list" 0 "$GALEN" --store "$U" user list -d "$P" --json
contains "user on PostgreSQL" "$out" '"name":"ed"'
printf 'correct horse battery\n' | GALEN_STORE=$U "$GALEN" user add ED --role editor -d "$P" >/dev/null 2>"$tmp/err" && bad "user names must be unique ignoring case" || ok
expect "delete" 0 "$GALEN" --store "$U" delete -d "$P" pack-faq-leg-cramps
GALEN_STORE=$U "$GALEN" export -d "$P" | grep -q '"id":"pack-faq-leg-cramps"' && bad "deleted document still exported" || ok
expect "index after delete" 0 "$GALEN" --store "$U" index -d "$P"
"$GALEN" --store "$U" search -d "$P" --json -k 100 cramp | grep -q 'pack-faq-leg-cramps' && bad "deleted document still found" || ok
expect "backup refuses a PostgreSQL store" 1 "$GALEN" --store "$U" backup -d "$P" "$tmp/bk"
contains "backup says pg_dump" "$err" "pg_dump"
expect "unreachable server" 3 "$GALEN" --store "postgresql:///x?host=$tmp/none" export -d "$P"
contains "names PostgreSQL" "$err" "PostgreSQL"
expect "--store needs a value" 1 "$GALEN" --store
finish
