#!/usr/bin/env bash
# import_kill.sh: kill -9 in the middle of `galen import` leaves the store
# consistent (SQLite integrity and foreign keys hold, no document lacks its
# sections, only whole batches are present) and a re-run completes, after
# which a third run finds everything unchanged. The input is a synthetic
# PubMed file (gen_pubmed.py) big enough that the import is still running
# when it is killed. Then the same for `galen index`: killed mid-build,
# the next run finishes and a third finds nothing left to do.
set -u
. "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
N=20000

sql() { sqlite3 "$tmp/data/store.db" "$1"; }

if ! command -v sqlite3 >/dev/null || ! command -v python3 >/dev/null; then
    echo "import_kill: needs sqlite3 and python3 (scripts/deps.sh)"
    echo "0 passed, 1 failed"
    exit 1
fi
python3 "$HERE/gen_pubmed.py" "$N" "$tmp/big.xml.gz" || { bad "generate"; }

killed=0
for delay in 1.0 0.5 0.2; do
    rm -rf "$tmp/data"
    "$GALEN" import pubmed -q --no-index -d "$tmp/data" "$tmp/big.xml.gz" \
        >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null
        killed=1
        break
    fi
    wait "$pid"
done
if [ "$killed" -eq 1 ]; then ok; else bad "import finished before it could be killed"; fi

if [ "$(sql 'PRAGMA integrity_check')" = ok ]; then ok; else bad "integrity_check"; fi
if [ -z "$(sql 'PRAGMA foreign_key_check')" ]; then ok; else bad "foreign keys"; fi
partial=$(sql "SELECT count(*) FROM documents d WHERE NOT EXISTS
               (SELECT 1 FROM sections s WHERE s.doc = d.pk)")
if [ "$partial" = 0 ]; then ok; else bad "$partial documents without sections"; fi
before=$(sql 'SELECT count(*) FROM documents')
if [ $((before % 1000)) -eq 0 ] && [ "$before" -lt "$N" ]; then ok; else
    bad "after the kill: $before documents, want whole batches of 1000 below $N"
fi

out=$("$GALEN" import pubmed -q --no-index -d "$tmp/data" "$tmp/big.xml.gz" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then ok; else bad "re-run exit $rc: $out"; fi
case "$out" in
*"imported $((N - before)), unchanged $before, skipped 0, failed 0"*) ok ;;
*) bad "re-run summary: $out" ;;
esac
if [ "$(sql 'SELECT count(*) FROM documents')" = "$N" ]; then ok; else bad "count"; fi
if [ "$(sql 'SELECT count(*) FROM doc_versions')" = 0 ]; then ok; else bad "versions"; fi

out=$("$GALEN" import pubmed -q --no-index -d "$tmp/data" "$tmp/big.xml.gz" 2>&1)
case "$out" in
*"imported 0, unchanged $N, skipped 0, failed 0"*) ok ;;
*) bad "third run: $out" ;;
esac

# Kill `galen index` mid-build; the store still says what is unindexed.
"$GALEN" index -q -d "$tmp/data" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ "$(sql 'PRAGMA integrity_check')" = ok ]; then ok; else bad "integrity after index kill"; fi
out=$("$GALEN" index -d "$tmp/data" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then ok; else bad "index re-run exit $rc: $out"; fi
if [ "$(sql 'SELECT count(*) FROM documents WHERE indexed_hash IS NOT content_hash')" = 0 ]; then ok; else bad "unindexed left"; fi
out=$("$GALEN" index -d "$tmp/data" 2>&1)
case "$out" in
*"indexed 0 changed documents"*) ok ;;
*) bad "index third run: $out" ;;
esac
out=$("$GALEN" search -d "$tmp/data" -k 3 "$(sql "SELECT title FROM documents LIMIT 1" | cut -d' ' -f1-3)" 2>&1)
case "$out" in
*"1. PubMed_"*) ok ;;
*) bad "search after index: $out" ;;
esac

finish
