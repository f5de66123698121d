#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# store_pg.sh: the store's unit tests (store, store index, service, service
# API) again on PostgreSQL. Starts a private server (lib.sh pg_start) and
# runs each binary with GALEN_TEST_PG set, which makes it run its table on
# SQLite and then on PostgreSQL, each store in a fresh schema. Skips only
# where PostgreSQL is not installed, and never under CI=true.
set -u
. "$(dirname "$0")/lib.sh"
tests=${GALEN_TESTS:-$(dirname "$GALEN")/tests}

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

for t in test_store test_store_index test_store_follow test_service test_service_api; do
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
finish
