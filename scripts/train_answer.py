#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Trains galen's evidence model: the logistic regression that decides
whether the retrieved documents answer a question or galen abstains
(docs/answer.md, "Abstention"). Writes lib/answer/evidence_model.h.

Training data, dev sets only (never a test split):
  answerable  mas-dev questions, both the consumer's words and the short
              question, each over its own answer passages (a bare BEIR
              corpus); MedQuAD questions (every 80th answered pair) over all
              of MedQuAD; mediqa-alexa questions over its corpus; the seed
              questions over the built-in pack.
  not         tests/data/offtopic-train.txt (written for training; the
              held-out tests/data/offtopic.txt is never used here) over the
              pack, MedQuAD, mediqa-alexa and mas-dev passages;
              tests/data/offtopic-trap-train.txt (non-health questions
              that use health words in another sense: "computer virus")
              over the same four; and each mas-dev short question over
              another question's passages.
  reported    (scored, never fitted: REPORT_ONLY) each mas-dev question in
              the consumer's words over another question's passages
              ("cross-bare-long": a health message whose sources are about
              something else), and tests/data/offtopic-messages-train.txt
              (25 long non-health messages) over the same four corpora.

galen prints the features of each question (GALEN_EVIDENCE_FEATURES=1);
rows where galen found no eligible sentence carry no features (it abstains
before the model). Reports 5-fold and leave-one-group-out cross-validation.

usage: scripts/train_answer.py [--galen BIN] [--shared DIR] [--out FILE]
                               [--features CACHE.jsonl] [--no-write]
Needs python3 only; runs in a few minutes on two cores.
"""
import argparse, glob, json, math, os, random, re, subprocess, tempfile
import xml.etree.ElementTree as ET

NF = 15
NAMES = ["doc_coverage", "doc_topic", "sentence_share", "focus_in_sentence",
         "medical_words", "medical_focus", "red_flag", "best_sentence", "focus_topic",
         "peak_topic", "question_length", "collection_size", "named_held",
         "named_any", "named_count"]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Groups that are scored but never fitted: how the model does on kinds of
# question the fitted groups do not teach.
REPORT_ONLY = {"cross-bare-long", "offmsg-pack", "offmsg-medquad",
               "offmsg-mediqa", "offmsg-bare"}


def write_atomic(path, text):
    """Writes text to path through a temporary file: never half a model."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def format_c(path):
    """Lays a written C file out as the house style (clang-format, as
    `make format` does) so that `make format-check` passes; a machine
    without clang-format keeps the file as written."""
    try:
        subprocess.run(["clang-format", "-i", path], check=True)
    except (OSError, subprocess.CalledProcessError):
        pass


def trainer_args(out):
    """The options every trainer takes: --galen, --shared, --out (default
    out, under the repository) and --no-write."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--galen", default=os.path.join(ROOT, "build/release/galen"))
    ap.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    ap.add_argument("--out", default=os.path.join(ROOT, out))
    ap.add_argument("--no-write", action="store_true")
    return ap


def dumped(galen, data, q, what):
    """The fields of every line that `galen ask` prints on stderr for
    GALEN_<WHAT>_FEATURES=1 (what: "evidence" or "sentence")."""
    env = dict(os.environ, GALEN_SHARE=os.path.join(ROOT, "data"))
    env["GALEN_%s_FEATURES" % what.upper()] = "1"
    p = subprocess.run([galen, "ask", "-d", data, "--json", q], env=env,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("galen ask failed on %r: %s" % (q, p.stderr.strip()))
    tag = what + "-features\t"
    return [l.split("\t") for l in p.stderr.splitlines() if l.startswith(tag)]


def features(galen, data, q):
    rows = dumped(galen, data, q, "evidence")
    return [float(x) for x in rows[0][1:1 + NF]] if rows else None


def lines(path):
    return [l.strip() for l in open(path, encoding="utf-8")
            if l.strip() and not l.startswith("#")]


def medquad_pairs(d, every=80):
    """Every `every`th answered MedQuAD question with galen's id for its
    answer (SOURCE_DOC_SecPID, as galen's MedQuAD importer names it)."""
    out = []
    for f in sorted(glob.glob(os.path.join(d, "*", "*.xml"))):
        try:
            root = ET.parse(f).getroot()
        except ET.ParseError:
            continue
        src = root.get("source") or root.get("corpus") or ""
        docid = root.get("id") or root.get("docid") or ""
        for p in root.iter("QAPair"):
            q, a = p.find("Question"), p.find("Answer")
            if q is not None and a is not None and (a.text or "").strip():
                out.append((q.text.strip(), "%s_%s_Sec%s" % (
                    src, docid, p.get("pid"))))
    return out[::every]


def seed_questions():
    text = open(os.path.join(ROOT, "tests/integration/answer_seeds.sh")).read()
    qs = re.findall(r'^questions=\("([^"]+)"', text, re.M)
    qs += re.findall(r'^\t"([^"$]+\?)"', text, re.M)
    return qs


def bare_corpus(galen, tmp, name, item):
    d = os.path.join(tmp, name)
    c = d + ".jsonl"
    with open(c, "w") as f:
        for a in item["answers"]:
            f.write(json.dumps({"_id": a["id"], "title": a.get("title", ""),
                                "text": a["text"]}) + "\n")
    subprocess.run([galen, "index", "-q", "-d", d, "--format", "beir", c],
                   check=True, stdout=subprocess.DEVNULL)
    return d


def collect(galen, shared, tmp):
    rows = []  # (group, label, features or None)

    def add(group, label, data, q):
        rows.append((group, label, features(galen, data, q)))

    ev = os.path.join(shared, "data", "eval")
    mas = [json.loads(l) for l in open(os.path.join(ev, "mas-dev",
                                                    "questions.jsonl"))]
    off = lines(os.path.join(ROOT, "tests/data/offtopic-train.txt"))
    pack = os.path.join(tmp, "pack")
    subprocess.run([galen, "import", "-q", "-d", pack, "article",
                    os.path.join(ROOT, "data/pack")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mq = os.path.join(tmp, "medquad")
    subprocess.run([galen, "import", "-q", "-d", mq, "medquad",
                    os.path.join(shared, "data/medquad")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ma = os.path.join(tmp, "mediqa")
    subprocess.run([galen, "import", "-q", "-d", ma, "beir",
                    os.path.join(ev, "mediqa-alexa", "corpus.jsonl")],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    bare = [bare_corpus(galen, tmp, "mas%d" % i, it)
            for i, it in enumerate(mas)]
    for i, it in enumerate(mas):
        add("mas-dev-long", 1, bare[i], it["question"])
        add("mas-dev-short", 1, bare[i], it["short_question"])
        add("cross-bare", 0, bare[(i + 25) % len(mas)], it["short_question"])
        add("cross-bare-long", 0, bare[(i + 25) % len(mas)], it["question"])
    for q, _ in medquad_pairs(os.path.join(shared, "data/medquad")):
        add("medquad", 1, mq, q)
    for l in open(os.path.join(ev, "mediqa-alexa", "queries.jsonl")):
        add("mediqa-alexa", 1, ma, json.loads(l)["text"])
    for q in seed_questions():
        add("seeds-pack", 1, pack, q)
    lists = [("offtopic", off)] + [
        (name, lines(os.path.join(ROOT, "tests/data", f)))
        for name, f in (("trap", "offtopic-trap-train.txt"),
                        ("offmsg", "offtopic-messages-train.txt"))]
    for name, qs in lists:
        for k, q in enumerate(qs):
            add(name + "-pack", 0, pack, q)
            add(name + "-medquad", 0, mq, q)
            add(name + "-mediqa", 0, ma, q)
            add(name + "-bare", 0, bare[k % len(bare)], q)
    return rows


def train(X, y, w, l2=1e-3, iters=3000, lr=0.5):
    """Weighted logistic regression by full-batch gradient descent (also
    the sentence model's, scripts/train_sentences.py)."""
    nf = len(X[0]) if X else NF
    b, W = 0.0, [0.0] * nf
    tw = sum(w)
    for _ in range(iters):
        gb, gW = 0.0, [0.0] * nf
        for x, t, wi in zip(X, y, w):
            z = b + sum(a * c for a, c in zip(W, x))
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            g = wi * (p - t)
            gb += g
            for k in range(nf):
                gW[k] += g * x[k]
        b -= lr * gb / tw
        W = [Wk - lr * (gk / tw + l2 * Wk) for Wk, gk in zip(W, gW)]
    return b, W


def predict(m, x):
    b, W = m
    return b + sum(a * c for a, c in zip(W, x)) >= 0


def balanced(rows):
    """Each class weighs the same in total, and so does each group within
    its class, so that no one set decides the model."""
    groups = {}
    for g, t, _ in rows:
        groups.setdefault((t, g), 0)
        groups[(t, g)] += 1
    ng = {t: sum(1 for (tt, _) in groups if tt == t) for t in (0, 1)}
    return [1.0 / (groups[(t, g)] * ng[t]) * len(rows) for g, t, _ in rows]


def score(rows, preds):
    """Per group: the share decided right (answered for answerable groups,
    abstained for the others). A row without features is an abstention."""
    out = {}
    for (g, t, _), p in zip(rows, preds):
        out.setdefault(g, [0, 0])
        out[g][0] += int(p == bool(t))
        out[g][1] += 1
    return out


def fit_rows(rows):
    fr = [r for r in rows if r[2] is not None and r[0] not in REPORT_ONLY]
    m = train([r[2] for r in fr], [r[1] for r in fr], balanced(fr))
    return m


def decide(m, rows):
    return [r[2] is not None and predict(m, r[2]) for r in rows]


def cross_validate(rows):
    rnd = random.Random(8)
    idx = list(range(len(rows)))
    rnd.shuffle(idx)
    folds = [idx[k::5] for k in range(5)]
    preds = [None] * len(rows)
    for f in folds:
        fs = set(f)
        m = fit_rows([rows[i] for i in idx if i not in fs])
        for i in f:
            preds[i] = rows[i][2] is not None and predict(m, rows[i][2])
    kfold = score(rows, preds)
    logo = {}
    for g in sorted({r[0] for r in rows}):
        m = fit_rows([r for r in rows if r[0] != g])
        held = [r for r in rows if r[0] == g]
        logo.update(score(held, decide(m, held)))
    return kfold, logo


def write_model(path, m, cv_note):
    b, W = m
    body = ",\n    ".join("%.6f /* %s */" % (w, n) for w, n in zip(W, NAMES))
    text = """/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
%s */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = %d };

static const double evidence_bias = %.6f;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    %s};

#endif
""" % (cv_note, NF, b, body)
    write_atomic(path, text)
    format_c(path)


def main():
    ap = trainer_args("lib/answer/evidence_model.h")
    ap.add_argument("--features", help="cache of collected rows (jsonl)")
    a = ap.parse_args()
    if a.features and os.path.exists(a.features):
        rows = [(g, t, f[:NF] if f else f) for g, t, f in
                (json.loads(l) for l in open(a.features))]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = collect(a.galen, a.shared, tmp)
        if a.features:
            with open(a.features, "w") as f:
                for r in rows:
                    f.write(json.dumps(r) + "\n")
    kfold, logo = cross_validate(rows)
    m = fit_rows(rows)
    train_acc = score(rows, decide(m, rows))
    lines_out = ["| group | n | right, 5-fold CV | right, group held out | right, all data |",
                 "|---|---|---|---|---|"]
    for g in sorted(kfold):
        n = kfold[g][1]
        lines_out.append("| %s | %d | %.3f | %.3f | %.3f |" % (
            g, n, kfold[g][0] / n, logo[g][0] / n, train_acc[g][0] / n))
    print("\n".join(lines_out))
    print("bias %.4f weights %s" % (m[0], " ".join(
        "%s=%.3f" % (n, w) for n, w in zip(NAMES, m[1]))))
    note = " * Cross-validation (share decided right per group):\n" + "\n".join(
        " *   " + l for l in lines_out[2:])
    if not a.no_write:
        write_model(a.out, m, note)
        print("wrote", a.out)


if __name__ == "__main__":
    main()
