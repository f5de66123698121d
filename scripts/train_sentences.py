#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Trains galen's sentence model: the logistic regression that scores each
candidate sentence of an answer (docs/answer.md, "Sentence model"). Writes
data/answer-model.tsv, which galen loads beside its red-flag rules.

Training data, dev sets only (never a test split): the mas-dev questions,
the consumer's own words and the short question, each over its own answer
passages (a bare BEIR corpus). galen prints every candidate sentence with
its features (GALEN_SENTENCE_FEATURES=1); a sentence is a positive when the
experts' extractive summary holds it. Each question weighs the same, and
positives as much as negatives within it.

Reports 5-fold cross-validation by question (the folds keep both forms of
a question together), and each form held out in turn: the model fitted on
the short questions scores the long ones, and back. The score is the share
of positives among the top sentences up to the summary's length (the
budget ans_rouge.py gives), beside the same for the lead sentences only.

usage: scripts/train_sentences.py [--galen BIN] [--shared DIR] [--out FILE]
                                  [--features CACHE.jsonl] [--no-write]
"""
import json, os, random, re, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_answer import (dumped, medquad_pairs, trainer_args,  # noqa: E402
                          train as logistic, write_atomic)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = ["focus", "rel", "cue", "heading", "doc", "lead", "central",
         "anaphoric", "long", "context", "title"]
NF = len(NAMES)



def norm(s):
    return " ".join(re.findall(r"[a-z0-9]+", s.lower()))


def features(galen, data, q):
    return [([float(x) for x in v[1:1 + NF]], v[-1], v[-3])
            for v in dumped(galen, data, q, "sentence")]


def collect(galen, shared, tmp, sets):
    mas = [json.loads(l) for l in open(os.path.join(
        shared, "data", "eval", "mas-dev", "questions.jsonl"))]
    rows = []  # (question index, form, features, label, words)
    for i, it in enumerate(mas):
        d = os.path.join(tmp, "mas%d" % i)
        c = d + ".jsonl"
        with open(c, "w") as f:
            for a in it["answers"]:
                f.write(json.dumps({"_id": a["id"], "title": a.get("title", ""),
                                    "text": a["text"]}) + "\n")
        subprocess.run([galen, "index", "-q", "-d", d, "--format", "beir", c],
                       check=True, stdout=subprocess.DEVNULL)
        ext = norm(it["extractive"])
        for form in ("question", "short_question"):
            for f, text, _ in features(galen, d, it[form]):
                t = norm(text)
                rows.append((i, form, f, int(len(t) > 0 and t in ext),
                             len(text.split()), len(it["extractive"].split())))
    if "mediqa-alexa" in sets:
        mediqa(galen, shared, tmp, rows)
    if "medquad" in sets:
        medquad(galen, shared, tmp, rows)
    return rows


def mediqa(galen, shared, tmp, rows):
    ev = os.path.join(shared, "data", "eval", "mediqa-alexa")
    grade = {}
    for l in list(open(os.path.join(ev, "qrels", "dev.tsv")))[1:]:
        q, d, g = l.rstrip("\n").split("\t")
        grade[(q, d)] = int(g)
    ma = os.path.join(tmp, "mediqa")
    subprocess.run([galen, "import", "-q", "-d", ma, "beir",
                    os.path.join(ev, "corpus.jsonl")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for i, l in enumerate(open(os.path.join(ev, "queries.jsonl"))):
        q = json.loads(l)
        # A sentence of a judged-good answer (3 or 4 of 4) is a positive.
        for f, text, doc in features(galen, ma, q["text"]):
            rows.append((1000 + i, "mediqa-alexa", f,
                         int(grade.get((q["_id"], doc), 0) >= 3),
                         len(text.split()), 200))


def medquad(galen, shared, tmp, rows):
    # MedQuAD: every 80th answered question over all of MedQuAD; a positive
    # is a sentence of its own answer (galen's document SOURCE_DOC_SecPID),
    # against the same page's other answers and every other page: picking
    # the right section among a document's others.
    mq = os.path.join(tmp, "medquad")
    subprocess.run([galen, "import", "-q", "-d", mq, "medquad",
                    os.path.join(shared, "data", "medquad")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for i, (q, gold) in enumerate(medquad_pairs(os.path.join(
            shared, "data", "medquad"))):
        for f, text, doc in features(galen, mq, q):
            rows.append((5000 + i, "medquad", f, int(doc == gold),
                         len(text.split()), 200))


def weights(rows):
    """Each question weighs the same; within it, positives as negatives."""
    cnt = {}
    for r in rows:
        cnt.setdefault((r[0], r[1], r[3]), 0)
        cnt[(r[0], r[1], r[3])] += 1
    return [1.0 / cnt[(r[0], r[1], r[3])] for r in rows]


def subsample(rows, cap=80):
    """At most cap candidates per question, drawn the same way every run:
    a question over a large corpus has hundreds, and each question weighs
    the same anyway. Pure python stays fast."""
    by = {}
    for r in rows:
        by.setdefault((r[0], r[1]), []).append(r)
    out = []
    for key in sorted(by, key=str):
        rs = by[key]
        if len(rs) > cap:
            rs = random.Random(str(key)).sample(rs, cap)
        out += rs
    return out


def train(rows, l2=1e-3, iters=400, lr=4.0):
    rows = subsample(rows)
    return logistic([r[2] for r in rows], [r[3] for r in rows],
                    weights(rows), l2=l2, iters=iters, lr=lr)


def precision(m, rows, key=None):
    """Mean over questions of the share of positive words among the top
    sentences up to the summary's length."""
    by = {}
    for r in rows:
        by.setdefault((r[0], r[1]), []).append(r)
    tot = 0.0
    for rs in by.values():
        if key is None:
            b, W = m
            rs = sorted(rs, key=lambda r: -(b + sum(a * c for a, c in
                                                    zip(W, r[2]))))
        else:
            rs = sorted(rs, key=key)
        got = words = 0
        for r in rs:
            if words >= r[5]:
                break
            words += r[4]
            got += r[4] * r[3]
        tot += got / max(1, words)
    return tot / max(1, len(by))


def report(rows):
    qs = sorted({r[0] for r in rows})
    rnd = random.Random(8)
    rnd.shuffle(qs)
    folds = [set(qs[k::5]) for k in range(5)]
    fits = [train([r for r in rows if r[0] not in f]) for f in folds]
    cv = {}
    forms = [f for f in ("question", "short_question", "mediqa-alexa",
                         "medquad") if any(r[1] == f for r in rows)]
    for form in forms:
        s = n = 0.0
        for k, f in enumerate(folds):
            held_rows = [r for r in rows if r[0] in f and r[1] == form]
            nq = len({r[0] for r in held_rows})
            if nq:
                s += precision(fits[k], held_rows) * nq
                n += nq
        cv[form] = s / max(1, n)
    held = {}
    for form in forms:
        # mas-dev's two forms are one set: hold out the set, not the form.
        held_set = {form} if form in ("mediqa-alexa", "medquad") else {
            "question", "short_question"}
        rest = [r for r in rows if r[1] not in held_set]
        # With one set only there is nothing to fit the held-out model on.
        held[form] = precision(train(rest), [r for r in rows if r[1] == form]
                               ) if rest else None
    lead = {form: precision(None, [r for r in rows if r[1] == form],
                            key=lambda r: -r[2][NAMES.index("lead")])
            for form in forms}
    out = ["| set | 5-fold CV | other set held out | lead only |",
           "|---|---|---|---|"]
    for form in forms:
        out.append("| %s | %.3f | %s | %.3f |" % (
            form, cv[form], "—" if held[form] is None else "%.3f" % held[form],
            lead[form]))
    return out


def write_model(path, m, table):
    b, W = m
    lines = ["# galen's sentence model: written by scripts/train_sentences.py;",
             "# do not edit. A logistic regression over the features of",
             "# docs/answer.md (\"Sentence model\"). Share of summary words",
             "# among the top-ranked sentences, mas-dev:"]
    lines += ["#   " + l for l in table]
    lines.append("bias\t%.6f" % b)
    lines += ["%s\t%.6f" % (n, w) for n, w in zip(NAMES, W)]
    write_atomic(path, "\n".join(lines) + "\n")


def main():
    ap = trainer_args("data/answer-model.tsv")
    ap.add_argument("--features", help="cache of collected rows (jsonl)")
    ap.add_argument("--sets", default="mas-dev,mediqa-alexa",
                    help="training sets: mas-dev (always), mediqa-alexa, "
                    "medquad")
    a = ap.parse_args()
    if a.features and os.path.exists(a.features):
        rows = [tuple(json.loads(l)) for l in open(a.features)]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = collect(a.galen, a.shared, tmp, a.sets.split(","))
        if a.features:
            with open(a.features, "w") as f:
                for r in rows:
                    f.write(json.dumps(r) + "\n")
    table = report(rows)
    print("\n".join(table))
    m = train(rows)
    print("bias %.4f %s" % (m[0], " ".join("%s=%.3f" % (n, w)
                                           for n, w in zip(NAMES, m[1]))))
    if not a.no_write:
        write_model(a.out, m, table)
        print("wrote", a.out)


if __name__ == "__main__":
    main()
