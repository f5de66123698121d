#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fits the weights of galen's answer ranking (`galen eval --answers`,
docs/answer.md "Ranking"): a weighted sum of a candidate's retrieval score
for the question's own words, its best sentence's score (the sentence
model) and its coverage of the question. Writes lib/answer/rank_model.h.

Training data, dev sets only (never a test split), each imported as a
store with its judgements:
  mediqa-alexa   its questions over its answer passages, graded qrels;
  mas-dev-short  mas-dev's short questions over all of mas-dev's answer
                 passages pooled (one store): a question's own passages
                 are relevant, the other questions' are not;
  mas-dev-long   the same with the consumer's own words.
rqe-train is left out: its documents are questions, which the similar-
question search (--similar) ranks. galen prints every candidate's features
(GALEN_RANK_FEATURES=1); the weights are the point of a grid over the
simplex with the best mean nDCG@10 over the sets.

Cross-validation, leave one set out (mas-dev's two forms are one set): the
weights fitted on the other sets score the held-out one. mediqa-alexa also
trains the sentence model, so its held-out features come from a sentence
model fitted on mas-dev alone (scripts/train_sentences.py --sets mas-dev);
mas-dev always trains it. Also reports 5-fold CV by question, and BM25F
(weights 1, 0, 0) beside every figure.

usage: scripts/train_rank.py [--galen BIN] [--shared DIR] [--out FILE]
                             [--step S] [--no-write]
"""
import json, math, os, random, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_answer import trainer_args, write_atomic  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = ["own_bm25", "best_sentence", "coverage"]
SETS = ["mediqa-alexa", "mas-dev-short", "mas-dev-long"]


def key(text):
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))[:60]


def qrels_of(path):
    rel = {}
    for i, l in enumerate(open(path)):
        p = l.split()
        if i == 0 and not p[-1].isdigit():
            continue
        rel.setdefault(p[0], {})[p[1]] = int(p[2])
    return rel


def features(galen, ev, data, share):
    """[(query id, [(doc id, features)])] in the queries' order, and the
    judgements, for ev = (corpus, queries, qrels)."""
    corpus, queries_path, qrels = ev
    env = dict(os.environ, GALEN_SHARE=share, GALEN_RANK_FEATURES="1")
    if not os.path.isdir(data):
        subprocess.run([galen, "import", "-q", "-d", data, "beir", corpus],
                       check=True, stdout=subprocess.DEVNULL)
    p = subprocess.run([galen, "eval", "-q", queries_path, "-r", qrels, "-d",
                        data, "-k", "100", "--answers", "--json"], env=env,
                       check=True, text=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
    queries = [json.loads(l) for l in open(queries_path)]
    blocks, qi = [], 0
    for line in p.stderr.splitlines():
        v = line.split("\t")
        if v[0] == "rank-question":
            k = key(v[1])
            while qi < len(queries) and key(queries[qi]["text"]) != k:
                qi += 1
            if qi == len(queries):
                sys.exit("train_rank: %s: question out of order: %s" %
                         (queries_path, v[1][:60]))
            blocks.append((queries[qi]["_id"], []))
            qi += 1
        elif v[0] == "rank-features":
            blocks[-1][1].append((v[1], [float(x) for x in v[2:5]]))
    return blocks, qrels_of(qrels)


def mediqa(shared):
    d = os.path.join(shared, "data", "eval", "mediqa-alexa")
    q = os.path.join(d, "qrels")
    return (os.path.join(d, "corpus.jsonl"), os.path.join(d, "queries.jsonl"),
            os.path.join(q, sorted(os.listdir(q))[0]))


def mas_pool(shared, tmp):
    """mas-dev as two BEIR sets over one pooled corpus: short, long."""
    items = [json.loads(l) for l in open(os.path.join(
        shared, "data", "eval", "mas-dev", "questions.jsonl"))]
    corpus = os.path.join(tmp, "mas-corpus.jsonl")
    qrels = os.path.join(tmp, "mas-qrels.tsv")
    with open(corpus, "w") as c, open(qrels, "w") as r:
        r.write("query-id\tcorpus-id\tscore\n")
        for it in items:
            for a in it["answers"]:
                c.write(json.dumps({"_id": a["id"], "title": a.get("title", ""),
                                    "text": a["text"]}) + "\n")
                r.write("%s\t%s\t1\n" % (it["id"], a["id"]))
    out = []
    for form in ("short_question", "question"):
        path = os.path.join(tmp, "mas-%s.jsonl" % form)
        with open(path, "w") as f:
            for it in items:
                f.write(json.dumps({"_id": it["id"], "text": it[form]}) + "\n")
        out.append((corpus, path, qrels))
    return out


def ndcg(w, blocks, rel):
    """Mean nDCG@10 of the weights w over the judged questions of rel;
    one without candidates scores 0, as eval.py counts it."""
    tot = 0.0
    for qid, cands in blocks:
        r = rel.get(qid, {})
        order = sorted(range(len(cands)), key=lambda i: (
            -sum(a * b for a, b in zip(w, cands[i][1])), i))
        dcg = sum(r.get(cands[i][0], 0) / math.log2(n + 2)
                  for n, i in enumerate(order[:10]))
        ideal = sorted(r.values(), reverse=True)[:10]
        idcg = sum(g / math.log2(n + 2) for n, g in enumerate(ideal))
        tot += dcg / idcg if idcg > 0 else 0.0
    return tot / max(1, len([q for q in rel if any(rel[q].values())]))


def grid(step):
    n = int(round(1 / step))
    return [(i / n, j / n, (n - i - j) / n)
            for i in range(n + 1) for j in range(n + 1 - i)]


def fit(sets, step):
    """The weights with the best mean nDCG@10 over sets [(blocks, rel)];
    ties go to the most weight on retrieval, then on the sentence."""
    return max(grid(step), key=lambda w: (
        sum(ndcg(w, b, r) for b, r in sets) / len(sets), w[0], w[1]))


def folds(blocks, rel, k=5):
    """k splits by question: (training blocks and judgements, held-out
    blocks and judgements)."""
    qs = sorted(rel)
    random.Random(8).shuffle(qs)
    out = []
    for f in range(k):
        held = set(qs[f::k])
        out.append(([b for b in blocks if b[0] not in held],
                    {q: rel[q] for q in rel if q not in held},
                    [b for b in blocks if b[0] in held],
                    {q: rel[q] for q in rel if q in held}))
    return out


def write(path, w, table):
    lines = ["/* SPDX-License-Identifier: MIT */",
             "/* rank_model.h: written by scripts/train_rank.py; do not edit."
             " The answer",
             " * ranking's weights (docs/answer.md, \"Ranking\"). nDCG@10:"]
    lines += [" *   " + t for t in table]
    lines[-1] += " */"
    lines += ["#ifndef GALEN_ANSWER_RANK_MODEL_H",
              "#define GALEN_ANSWER_RANK_MODEL_H", "",
              "enum { RANK_NFEATURES = %d };" % len(NAMES), "",
              "static const double rank_weights[RANK_NFEATURES] = {",
              "    " + ", ".join("%.2f /* %s */" % x for x in zip(w, NAMES)),
              "};", "", "#endif"]
    write_atomic(path, "\n".join(lines) + "\n")


def main():
    ap = trainer_args("lib/answer/rank_model.h")
    ap.add_argument("--step", type=float, default=0.05)
    a = ap.parse_args()
    if not os.path.isdir(os.path.join(a.shared, "data", "eval")):
        print("skip: %s/data/eval not found" % a.shared)
        return
    with tempfile.TemporaryDirectory() as tmp:
        share = os.path.join(ROOT, "data")
        # The sentence model without mediqa-alexa, for its held-out rows.
        ho = os.path.join(tmp, "share")
        shutil.copytree(share, ho)
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts",
                        "train_sentences.py"), "--galen", a.galen, "--shared",
                        a.shared, "--sets", "mas-dev", "--out",
                        os.path.join(ho, "answer-model.tsv")], check=True,
                       stdout=subprocess.DEVNULL)
        evs = dict(zip(SETS, [mediqa(a.shared)] + mas_pool(a.shared, tmp)))
        store = {s: os.path.join(tmp, "mas" if s.startswith("mas") else s)
                 for s in SETS}
        data = {s: features(a.galen, evs[s], store[s], share) for s in SETS}
        held = dict(data)
        held[SETS[0]] = features(a.galen, evs[SETS[0]], store[SETS[0]], ho)
    group = {s: s.split("-short")[0].split("-long")[0] for s in SETS}
    bm25 = (1.0, 0.0, 0.0)
    table = ["| set | BM25F | fitted on all | other sets held out | 5-fold CV |",
             "|---|---|---|---|---|"]
    w = fit(list(data.values()), a.step)
    for s in SETS:
        other = [data[o] for o in SETS if group[o] != group[s]]
        wo = fit(other, a.step)
        cv = 0.0
        for train, trel, test, rel in folds(*data[s]):
            rest = [data[o] for o in SETS if o != s]
            cv += ndcg(fit(rest + [(train, trel)], a.step), test, rel) / 5
        table.append("| %s | %.4f | %.4f | %.4f | %.4f |" % (
            s, ndcg(bm25, *data[s]), ndcg(w, *data[s]), ndcg(wo, *held[s]),
            cv))
    print("\n".join(table))
    print("weights " + " ".join("%s=%.2f" % x for x in zip(NAMES, w)))
    if not a.no_write:
        write(a.out, w, table)
        print("wrote", a.out)


if __name__ == "__main__":
    main()
