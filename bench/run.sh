#!/usr/bin/env bash
# bench/run.sh - galen against SQLite FTS5 and Xapian, on the same machine in
# the same run. Speed and size: MedQuAD converted to BEIR and replicated to
# >= 500k documents, the same MedQuAD questions top-10 through each engine.
# Quality: the shared eval sets (MEDIQA Alexa, RQE) through `galen eval` and
# through the baseline drivers scored with eval.py. Writes results.md and
# results.jsonl (bench/ for a full run, $WORK for QUICK=1).
#
# The baselines are the shared drivers (../shared/bench/src), compiled here
# the way ../shared/bench/run-baselines.sh compiles them; nothing of theirs is
# copied into this repo. Everything generated goes under $WORK (gitignored).
#
# Knobs (environment):
#   QUICK=1        smoke run: MedQuAD x1 (16k docs), 200 questions, REPS=1,
#                  MEDIQA only; results in $WORK, bench/results.* untouched
#   SCALE=N        MedQuAD copies (default: the fewest giving >= MIN_DOCS)
#   MIN_DOCS=N     500000
#   REPS=N         timed passes per query set (3; medians are reported)
#   BUILD_REPS=N   builds per engine on the big corpus (1)
#   NQ=N           MedQuAD questions used as queries (1000)
#   FTS5_NQ=N      first N of them for the three-engine subset (100): FTS5
#                  needs ~1-2 s per query at 500k docs
#   K=N            top-k for the latency runs (10)
#   ENGINES="..."  subset of "fts5 xapian galen"
#   EVAL_SETS=".." eval sets under ../shared/data/eval ("mediqa-alexa
#                  rqe-train"); EVAL_SETS=none skips quality
#   WORK=DIR       scratch dir (bench/work)
#   GALEN_SHARED   the shared dir (default <repo>/../shared)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
SHARED="${GALEN_SHARED:-$ROOT/../shared}"
SB="$SHARED/bench"
QUICK="${QUICK:-0}"
WORK="${WORK:-$HERE/work}"
MIN_DOCS="${MIN_DOCS:-500000}"
BUILD_REPS="${BUILD_REPS:-1}"
FTS5_NQ="${FTS5_NQ:-100}"
K="${K:-10}"
ENGINES="${ENGINES:-fts5 xapian galen}"
if [ "$QUICK" = 1 ]; then
    REPS="${REPS:-1}"; NQ="${NQ:-200}"; SCALE="${SCALE:-1}"
    EVAL_SETS="${EVAL_SETS:-mediqa-alexa}"
    OUTDIR="${OUTDIR:-$WORK}"
else
    REPS="${REPS:-3}"; NQ="${NQ:-1000}"; SCALE="${SCALE:-}"
    EVAL_SETS="${EVAL_SETS:-mediqa-alexa rqe-train}"
    OUTDIR="${OUTDIR:-$HERE}"
fi
BIN="$WORK/bin"
IDX="$WORK/idx"
RUNS="$WORK/runs"
TMP="$WORK/tmp"
RESULTS="$OUTDIR/results.jsonl"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { echo "bench/run.sh: $*" >&2; exit 1; }
has() { case " $ENGINES " in *" $1 "*) return 0 ;; esac; return 1; }

# ---------------------------------------------------------------- checks
[ -d "$SB/src" ] || die "$SB/src not found (set GALEN_SHARED)"
[ -d "$SHARED/data/medquad" ] || die "$SHARED/data/medquad not found"
need=()
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
command -v xapian-config >/dev/null 2>&1 || need+=(libxapian-dev)
[ -x /usr/bin/time ] || need+=(time)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ "${#need[@]}" -gt 0 ]; then
    log "installing: ${need[*]}"
    sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi
mkdir -p "$BIN" "$IDX" "$RUNS" "$TMP" "$OUTDIR"

# ---------------------------------------------------------------- compile
# The shared drivers, exactly as run-baselines.sh builds them.
if [ ! -x "$BIN/fts5_bench" ] || [ "$SB/src/fts5_bench.c" -nt "$BIN/fts5_bench" ] || [ "$SB/src/common.h" -nt "$BIN/fts5_bench" ]; then
    log "compiling fts5_bench"
    gcc -O2 -Wall -Wextra -o "$BIN/fts5_bench" "$SB/src/fts5_bench.c" -lsqlite3
fi
if [ ! -x "$BIN/xapian_bench" ] || [ "$SB/src/xapian_bench.cc" -nt "$BIN/xapian_bench" ] || [ "$SB/src/common.h" -nt "$BIN/xapian_bench" ]; then
    log "compiling xapian_bench"
    # shellcheck disable=SC2046
    g++ -O2 -Wall -Wextra -o "$BIN/xapian_bench" "$SB/src/xapian_bench.cc" $(xapian-config --cxxflags --libs)
fi
if has galen; then
    log "building galen and bench_search (make bench)"
    make -C "$ROOT" -s -j2 bench >&2
fi
FTS5="$BIN/fts5_bench"
XAP="$BIN/xapian_bench"
GALEN="$ROOT/build/release/galen"
GSEARCH="$ROOT/build/release/bench/bench_search"

: > "$RESULTS"
python3 - "$QUICK" "$REPS" "$ROOT" <<'PY' >> "$RESULTS"
import json, os, platform, subprocess as s, sys
cpu = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")]
def out(*a):
    try:
        return s.run(list(a), capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"
print(json.dumps({"kind": "env", "cpu": cpu[0] if cpu else "?", "cores": os.cpu_count(),
                  "kernel": platform.release(), "quick": sys.argv[1] == "1", "reps": int(sys.argv[2]),
                  "sqlite": (out("sqlite3", "--version").split() or ["?"])[0],
                  "xapian": out("xapian-config", "--version").split()[-1],
                  "gcc": out("gcc", "-dumpfullversion"),
                  "galen_commit": out("git", "-C", sys.argv[3], "rev-parse", "--short", "HEAD")}))
PY

# ---------------------------------------------------------------- helpers
# record JSON [files...] [--time time.txt] [--eval eval.json]: one results line
record() { python3 "$SB/rec.py" "$@" >> "$RESULTS"; }

# Sizes of a galen data dir as JSON: db_bytes (every file), store_bytes
# (the compressed stored text, from the summary line of `galen index`),
# index_bytes (the rest: postings, lexicon, lengths, manifest), plus the
# build's own counts.
galen_sizes() {
    python3 - "$1" "$2" <<'PY'
import json, os, re, sys
total = 0
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        total += os.path.getsize(os.path.join(d, f))
rec = {"db_bytes": total}
# The summary line of `galen index` (MB with one decimal).
text = open(sys.argv[2]).read()
m = re.search(r"indexed (\d+) docs, (\d+) terms, ([\d.]+) MB of text in ([\d.]+) s"
              r".*index ([\d.]+) MB, stored text ([\d.]+) MB", text)
if m:
    rec.update({"docs": int(m.group(1)), "terms": int(m.group(2)),
                "galen_text_bytes": int(float(m.group(3)) * 1e6),
                "galen_build_s": float(m.group(4)),
                "store_bytes": int(float(m.group(6)) * 1e6)})
if "store_bytes" in rec:
    rec["index_bytes"] = total - rec["store_bytes"]
print(json.dumps(rec))
PY
}

# build ENGINE CORPUS_NAME CORPUS_FILE INDEX_PATH REP
build() {
    local engine="$1" cname="$2" cfile="$3" ipath="$4" rep="$5"
    rm -rf "$ipath"
    sync
    case "$engine" in
    fts5)   /usr/bin/time -v -o "$TMP/time.txt" "$FTS5" build "$cfile" "$ipath" > "$TMP/build.json" ;;
    xapian) /usr/bin/time -v -o "$TMP/time.txt" "$XAP" build "$cfile" "$ipath" > "$TMP/build.json" ;;
    galen)
        /usr/bin/time -v -o "$TMP/time.txt" "$GALEN" index -d "$ipath" --format beir --merge "$cfile" \
            > "$TMP/galen-index.txt" 2>&1 || { cat "$TMP/galen-index.txt" >&2; die "galen index failed"; }
        galen_sizes "$ipath" "$TMP/galen-index.txt" > "$TMP/build.json" ;;
    esac
    record "{\"kind\":\"build\",\"corpus\":\"$cname\",\"engine\":\"$engine\",\"rep\":$rep}" "$TMP/build.json" --time "$TMP/time.txt"
    log "built $engine on $cname: $(tail -1 "$RESULTS" | cut -c1-200)"
}

# search ENGINE CORPUS SET INDEX QUERIES QRELS K EVAL(0/1) [driver args...]
search() {
    local engine="$1" cname="$2" set="$3" ipath="$4" qf="$5" qrels="$6" k="$7" do_eval="$8"; shift 8
    local tag="$engine" a skip=0
    for a in "$@"; do
        if [ "$skip" = 1 ]; then skip=0; continue; fi
        case "$a" in --warmup|--maxq|--reps) skip=1 ;; *) tag="$tag$(printf '%s' "$a" | tr -d -- '-' | tr '.' '_')" ;; esac
    done
    local run="$RUNS/$cname.$set.$tag.top$k.txt" bin
    case "$engine" in fts5) bin="$FTS5" ;; xapian) bin="$XAP" ;; galen) bin="$GSEARCH" ;; esac
    /usr/bin/time -v -o "$TMP/time.txt" "$bin" search "$ipath" "$qf" "$qrels" "$k" "$run" "$tag" "$@" > "$TMP/search.json"
    local evalarg=()
    if [ "$do_eval" = 1 ]; then
        python3 "$SB/eval.py" "$qrels" "$run" --json > "$TMP/eval.json"
        evalarg=(--eval "$TMP/eval.json")
    fi
    record "{\"kind\":\"search\",\"corpus\":\"$cname\",\"set\":\"$set\",\"tag\":\"$tag\"}" "$TMP/search.json" --time "$TMP/time.txt" "${evalarg[@]}"
    log "search $tag $cname/$set top$k: $(tail -1 "$RESULTS" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("nq=%s p50=%sus p99=%sus qps=%s" % (r["nq"], r["p50_us"], r["p99_us"], r["qps"]), "ndcg10=%s" % r["eval"]["ndcg@10"] if "eval" in r else "")')"
}

# ---------------------------------------------------------------- quality
# Every engine at top-1000 on each eval set: the baselines through their
# drivers + eval.py, galen through `galen eval` (and eval.py on its run as
# a cross-check). Xapian gets the three BM25 settings run-baselines.sh uses.
for name in $EVAL_SETS; do
    [ "$name" = none ] && break
    d="$SHARED/data/eval/$name"
    qrels="$(ls "$d"/qrels/*.tsv 2>/dev/null | head -1)"
    [ -s "$d/corpus.jsonl" ] && [ -n "$qrels" ] || { log "skipping $name: not found"; continue; }
    if has fts5; then
        build fts5 "$name" "$d/corpus.jsonl" "$IDX/$name.fts5.db" 1
        search fts5 "$name" quality "$IDX/$name.fts5.db" "$d/queries.jsonl" "$qrels" 1000 1 --reps 1 --warmup 50
    fi
    if has xapian; then
        build xapian "$name" "$d/corpus.jsonl" "$IDX/$name.xapian" 1
        search xapian "$name" quality "$IDX/$name.xapian" "$d/queries.jsonl" "$qrels" 1000 1 --reps 1 --warmup 50
        search xapian "$name" quality "$IDX/$name.xapian" "$d/queries.jsonl" "$qrels" 1000 1 --reps 1 --warmup 50 --k1 0.9 --b 0.4
        search xapian "$name" quality "$IDX/$name.xapian" "$d/queries.jsonl" "$qrels" 1000 1 --reps 1 --warmup 50 --k1 1.2 --b 0.75
    fi
    if has galen; then
        build galen "$name" "$d/corpus.jsonl" "$IDX/$name.galen" 1
        run="$RUNS/$name.quality.galen.top1000.txt"
        "$GALEN" eval -d "$IDX/$name.galen" --queries "$d/queries.jsonl" --qrels "$qrels" \
            --run "$run" -k 1000 --tag galen --json > "$TMP/galen-eval.json"
        python3 "$SB/eval.py" "$qrels" "$run" --json > "$TMP/eval.json"
        record "{\"kind\":\"galen_eval\",\"corpus\":\"$name\",\"set\":\"quality\",\"engine\":\"galen\",\"tag\":\"galen\"}" \
            "$TMP/galen-eval.json" --eval "$TMP/eval.json"
        log "galen eval $name: $(cat "$TMP/galen-eval.json")"
    fi
    rm -rf "$IDX/$name".*
done

# ---------------------------------------------------------------- speed
MQ="$WORK/medquad"
if [ ! -s "$MQ/corpus.jsonl" ] || [ ! -s "$MQ/queries.jsonl" ] || [ "$(wc -l < "$MQ/queries.jsonl")" != "$NQ" ]; then
    log "converting MedQuAD XML"
    python3 "$SB/medquad2beir.py" "$SHARED/data/medquad" "$MQ" --nq "$NQ" >&2
fi
base_docs="$(wc -l < "$MQ/corpus.jsonl")"
SCALE="${SCALE:-$(( (MIN_DOCS + base_docs - 1) / base_docs ))}"
CNAME="medquad-x$SCALE"
CORPUS="$WORK/$CNAME.jsonl"
if [ "$SCALE" = 1 ]; then
    CORPUS="$MQ/corpus.jsonl"
elif [ ! -s "$CORPUS" ] || [ "$MQ/corpus.jsonl" -nt "$CORPUS" ]; then
    log "replicating MedQuAD x$SCALE"
    python3 "$SB/mkscaled.py" "$MQ/corpus.jsonl" "$SCALE" "$CORPUS" >&2
fi
log "speed corpus: $CNAME, $(wc -l < "$CORPUS") docs, $(du -m "$CORPUS" | cut -f1) MB of JSONL"

for engine in fts5 xapian galen; do
    has "$engine" || continue
    case "$engine" in fts5) ip="$IDX/$CNAME.fts5.db" ;; xapian) ip="$IDX/$CNAME.xapian" ;; galen) ip="$IDX/$CNAME.galen" ;; esac
    for rep in $(seq 1 "$BUILD_REPS"); do build "$engine" "$CNAME" "$CORPUS" "$ip" "$rep"; done
    # All engines: the same first FTS5_NQ questions. FTS5 runs only these.
    if [ "$engine" = fts5 ]; then
        search fts5 "$CNAME" "subset" "$ip" "$MQ/queries.jsonl" - "$K" 0 --maxq "$FTS5_NQ" --reps 1 --warmup 5
    else
        search "$engine" "$CNAME" "subset" "$ip" "$MQ/queries.jsonl" - "$K" 0 --maxq "$FTS5_NQ" --reps "$REPS" --warmup 20
        search "$engine" "$CNAME" "all" "$ip" "$MQ/queries.jsonl" - "$K" 0 --reps "$REPS" --warmup 100
        # What `galen search` users get: the same, with a snippet per hit.
        if [ "$engine" = galen ]; then
            search galen "$CNAME" "snippets" "$ip" "$MQ/queries.jsonl" - "$K" 0 --reps "$REPS" --warmup 100 --snippets
        fi
    fi
    rm -rf "$ip"
done

# ---------------------------------------------------------------- report
python3 "$HERE/report.py" "$RESULTS" > "$OUTDIR/results.md"
log "wrote $OUTDIR/results.md and $RESULTS"
