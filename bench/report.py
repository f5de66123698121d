#!/usr/bin/env python3
"""report.py - turn bench/run.sh's results.jsonl into results.md.

    report.py results.jsonl > results.md

Each line of results.jsonl is one build, one query pass or one `galen eval`
(see run.sh). Builds are summarised by their median over repetitions; query
passes already hold the median over their timed passes.
"""
import json
import statistics
import sys
from collections import defaultdict


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, f="%.1f"):
    return "–" if x is None else f % x


def ratio(a, b):
    return a / b if a is not None and b else None


def load(path):
    env, builds, searches, evals = {}, defaultdict(list), {}, {}
    with open(path) as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            kind = r.get("kind")
            if kind == "env":
                env = r
            elif kind == "build":
                builds[(r["corpus"], r["engine"])].append(r)
            elif kind == "search":
                searches[(r["corpus"], r["set"], r["tag"])] = r
            elif kind == "galen_eval":
                evals[r["corpus"]] = r
    return env, builds, searches, evals


def build_summary(builds, corpus, engine):
    """Median build figures of one engine on one corpus, or None."""
    rs = builds.get((corpus, engine))
    if not rs:
        return None
    text = next((r["text_bytes"] for rr in builds.values() for r in rr
                 if r["corpus"] == corpus and r.get("text_bytes")), None)
    docs = next((r["docs"] for rr in builds.values() for r in rr
                 if r["corpus"] == corpus and r.get("docs")), None)
    last = rs[-1]
    if engine == "fts5":
        excl = last.get("index_bytes")
    elif engine == "xapian":
        excl = last["db_bytes"] - last.get("files", {}).get("docdata.glass", 0)
    else:
        excl = last.get("index_bytes")
    wall = med([r.get("wall_s") for r in rs])
    return {
        "docs": docs, "text": text, "wall": wall,
        "mbs": ratio(text / 1e6 if text else None, wall),
        "total": last.get("db_bytes"), "excl": excl,
        "rss": med([r.get("peak_rss_kb", 0) / 1024 for r in rs]),
        "reps": len(rs),
    }


def speed_corpus(builds):
    names = sorted({c for c, _ in builds if c.startswith("medquad")})
    return names[-1] if names else None


def bars(o, B, S, evals, searches):
    g, x, f = B.get("galen"), B.get("xapian"), B.get("fts5")
    gs, xs = S.get(("all", "galen")), S.get(("all", "xapian"))
    gsub, fsub = S.get(("subset", "galen")), S.get(("subset", "fts5"))
    rows = []

    def row(name, value, bar, ok):
        rows.append("| %s | %s | %s | %s |" % (name, value, bar,
                    "–" if ok is None else ("pass" if ok else "**fail**")))

    q = evals.get("mediqa-alexa")
    best_x = best_xapian(searches, "mediqa-alexa")
    if q and best_x:
        row("nDCG@10, mediqa-alexa", "%.4f vs Xapian best %.4f (%s)"
            % (q["ndcg@10"], best_x[1], best_x[0]), ">= Xapian best",
            q["ndcg@10"] >= best_x[1])
    r = ratio(gs and gs["p50_us"], xs and xs["p50_us"])
    row("top-10 p50 / Xapian", fmt(r, "%.3f"), "<= 0.1", None if r is None else r <= 0.1)
    r = ratio(gsub and gsub["p50_us"], fsub and fsub["p50_us"])
    row("top-10 p50 / FTS5 (%s-query subset)" % (fsub["nq"] if fsub else "?"),
        fmt(r, "%.4f"), "<= 0.01", None if r is None else r <= 0.01)
    p99 = gs and gs["p99_us"]
    row("top-10 p99", fmt(p99, "%.0f µs"), "<= 2000 µs", None if p99 is None else p99 <= 2000)
    r = ratio(g and g["mbs"], f and f["mbs"])
    row("build MB/s / FTS5", fmt(r, "%.2f"), ">= 1", None if r is None else r >= 1)
    r = ratio(g and g["excl"], g and g["text"])
    row("index excl. stored text / text", fmt(r, "%.3f"), "<= 0.5", None if r is None else r <= 0.5)
    row("peak RSS build / search", "%s / %s MB" % (fmt(g and g["rss"], "%.0f"),
        fmt(gs and gs.get("peak_rss_kb", 0) / 1024, "%.0f")), "reported", None)
    o.append("| bar (issue 2) | galen | target | |\n|---|---|---|---|")
    o.extend(rows)
    o.append("")


def best_xapian(S, corpus):
    best = None
    for (c, set_, tag), r in S.items():
        if c == corpus and set_ == "quality" and r.get("engine") == "xapian" and "eval" in r:
            v = r["eval"]["ndcg@10"]
            if best is None or v > best[1]:
                best = (r.get("variant", tag), v)
    return best


def ratio_table(o, B, S):
    """galen / baseline for every speed and size figure."""
    g = B.get("galen")
    if not g:
        return
    o.append("galen as a ratio of each baseline (below 1 is smaller or faster for times, "
             "sizes and memory; above 1 is better for MB/s and QPS). Latency ratios against "
             "FTS5 use the three-engine subset, against Xapian all questions.\n")
    o.append("| figure | galen / Xapian | galen / FTS5 |")
    o.append("|---|---|---|")

    def lat(e, key):
        r = S.get(("subset" if e == "fts5" else "all", e))
        gr = S.get(("subset" if e == "fts5" else "all", "galen"))
        return ratio(gr and gr[key], r and r[key])

    def rss(e):
        r = S.get(("subset" if e == "fts5" else "all", e))
        gr = S.get(("subset" if e == "fts5" else "all", "galen"))
        return ratio(gr and gr.get("peak_rss_kb"), r and r.get("peak_rss_kb"))

    rows = [("top-10 p50", lambda e: lat(e, "p50_us"), "%.4f"),
            ("top-10 p99", lambda e: lat(e, "p99_us"), "%.4f"),
            ("QPS", lambda e: lat(e, "qps"), "%.1f"),
            ("build MB/s", lambda e: ratio(g["mbs"], B[e]["mbs"]) if e in B else None, "%.2f"),
            ("index size excl. stored text", lambda e: ratio(g["excl"], B[e]["excl"]) if e in B else None, "%.3f"),
            ("index size total", lambda e: ratio(g["total"], B[e]["total"]) if e in B else None, "%.3f"),
            ("build peak RSS", lambda e: ratio(g["rss"], B[e]["rss"]) if e in B else None, "%.2f"),
            ("search peak RSS", rss, "%.2f")]
    for name, fn, f in rows:
        o.append("| %s | %s | %s |" % (name, fmt(fn("xapian"), f), fmt(fn("fts5"), f)))
    o.append("")


def speed_tables(o, corpus, B, S):
    o.append("## Speed and size: %s\n" % corpus)
    any_b = next(iter(B.values()), None)
    if any_b:
        o.append("%s documents, %s MB of text (title + body, UTF-8). Build time is the wall "
                 "clock of the build process (`/usr/bin/time -v`), median of %d; MB/s = text MB "
                 "/ build s. `excl. stored` leaves out the stored document text (FTS5 "
                 "`docs_content`, Xapian `docdata.glass`, galen's doc store).\n"
                 % (fmt(any_b["docs"], "%d"), fmt(any_b["text"] and any_b["text"] / 1e6),
                    any_b["reps"]))
    o.append("| engine | build s | MB/s | index MB total | index MB excl. stored | "
             "excl. / text | total / text | build peak RSS MB |")
    o.append("|---|---|---|---|---|---|---|---|")
    for e in ("galen", "xapian", "fts5"):
        b = B.get(e)
        if not b:
            continue
        o.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            e, fmt(b["wall"], "%.2f"), fmt(b["mbs"]), fmt(b["total"] and b["total"] / 1e6),
            fmt(b["excl"] and b["excl"] / 1e6), fmt(ratio(b["excl"], b["text"]), "%.3f"),
            fmt(ratio(b["total"], b["text"]), "%.3f"), fmt(b["rss"], "%.0f")))
    o.append("")
    ratio_table(o, B, S)
    for set_, title in (("all", "all questions"), ("subset", "the three-engine subset"),
                        ("snippets", "galen with a snippet per hit, all questions")):
        rows = [(e, S[(set_, e)]) for e in ("galen", "xapian", "fts5") if (set_, e) in S]
        if not rows:
            continue
        nq = rows[0][1]["nq"]
        o.append("Top-%s, %s (%d MedQuAD questions, OR of all query terms):\n"
                 % (rows[0][1]["k"], title, nq))
        o.append("| engine | p50 µs | p95 µs | p99 µs | QPS | search peak RSS MB | "
                 "galen p50 ratio |")
        o.append("|---|---|---|---|---|---|---|")
        gp = S.get((set_, "galen"), {}).get("p50_us")
        for e, r in rows:
            o.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                e, fmt(r["p50_us"]), fmt(r["p95_us"]), fmt(r["p99_us"]), fmt(r["qps"]),
                fmt(r.get("peak_rss_kb", 0) / 1024, "%.0f"),
                "–" if e == "galen" else fmt(ratio(gp, r["p50_us"]), "%.4f")))
        o.append("")


def quality_table(o, S, evals):
    corpora = sorted({c for (c, s, _) in S if s == "quality"} | set(evals))
    if not corpora:
        return
    o.append("## Quality (top-1000 runs, trec_eval conventions)\n")
    o.append("Baselines: the shared drivers' runs scored by `../shared/bench/eval.py`. galen: "
             "`galen eval` (its own metrics; `eval.py` on galen's run file in the last "
             "column must agree).\n")
    o.append("| set | engine | variant | nDCG@10 | R@100 | MRR@10 | MAP | P@10 | p50 µs | "
             "eval.py nDCG@10 |")
    o.append("|---|---|---|---|---|---|---|---|---|---|")
    for c in corpora:
        g = evals.get(c)
        if g:
            o.append("| %s | galen | default | %.4f | %.4f | %.4f | %.4f | %.4f | %s | %s |" % (
                c, g["ndcg@10"], g["recall@100"], g["mrr@10"], g["map"], g["p@10"],
                fmt(g.get("p50_us")), fmt(g.get("eval", {}).get("ndcg@10"), "%.4f")))
        for (cc, s, tag), r in sorted(S.items()):
            if cc != c or s != "quality" or "eval" not in r:
                continue
            e = r["eval"]
            o.append("| %s | %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f | %s | |" % (
                c, r["engine"], r.get("variant", ""), e["ndcg@10"], e["recall@100"],
                e["mrr@10"], e["map"], e["p@10"], fmt(r["p50_us"])))
    o.append("")


def main(path):
    env, builds, searches, evals = load(path)
    corpus = speed_corpus(builds)
    B = {e: build_summary(builds, corpus, e) for e in ("galen", "xapian", "fts5")}
    B = {e: b for e, b in B.items() if b}
    S = {(s, r["engine"]): r for (c, s, _), r in searches.items() if c == corpus}
    o = ["# galen benchmark: galen vs SQLite FTS5 and Xapian\n"]
    o.append("Generated by `bench/run.sh`%s. Machine: %s, %s cores (shared), kernel %s, gcc %s; "
             "SQLite %s, Xapian %s; galen %s. Every query pass is single-threaded and "
             "in-process (warm cache, untimed warm-up first, start-up excluded); latencies are "
             "medians over %s timed passes. Ratios are galen / baseline in this same run.\n"
             % (" (QUICK=1 smoke run: small corpus, not a result)" if env.get("quick") else "",
                env.get("cpu", "?"), env.get("cores", "?"), env.get("kernel", "?"),
                env.get("gcc", "?"), env.get("sqlite", "?"), env.get("xapian", "?"),
                env.get("galen_commit", "?"), env.get("reps", "?")))
    bars(o, B, S, evals, searches)
    if corpus:
        speed_tables(o, corpus, B, S)
    quality_table(o, searches, evals)
    print("\n".join(o))


if __name__ == "__main__":
    main(sys.argv[1])
