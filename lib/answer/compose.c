/* SPDX-License-Identifier: MIT */
/* answer_compose.c: from retrieved documents to a laid-out answer. Every
 * eligible sentence of the top documents is scored on the question's focus,
 * on how much of the question it covers, on cue words for the question
 * type, on its section heading and on its document's retrieval score; then
 * the lead, the blocks and the key points are picked by maximal marginal
 * relevance so that near-duplicates drop out. Weights, thresholds and the
 * order of every choice are documented in docs/answer.md. */
#include "compose_int.h"
#include "evidence_model.h"
#include "rank_model.h"

/* ---- the whole composition ---------------------------------------------- */

static int start_answer(struct galen_answer *ans,
                        const struct answer_compose_in *in)
{
    const struct qanalysis *qa = in->qa;
    int rc = GALEN_OK;

    ans->question = compose_dup_or_null(qa->text, &rc);
    ans->did_you_mean = compose_dup_or_null(qa->did_you_mean, &rc);
    ans->focus = compose_dup_or_null(qa->focus, &rc);
    ans->focus_kind = qa->focus_kind;
    ans->focus_inherited = qa->focus_inherited;
    ans->qtype = qa->qtype.type;
    ans->facets = qa->qtype.mask;
    ans->audience = in->audience;
    if (rc == GALEN_OK)
        rc = compose_copy_redflags(ans, in);
    return rc;
}

static int abstain(struct galen_answer *ans, bool nothing)
{
    int rc = GALEN_OK;

    ans->abstained = true;
    ans->abstain_reason = compose_dup_or_null(
        nothing ? "galen's sources hold nothing that matches this question."
                : "galen's sources hold nothing that answers this question "
                  "well enough to quote; it may not be a health question "
                  "they cover.",
        &rc);
    ans->suggestion = compose_dup_or_null(
        "Ask about one condition, symptom or medicine at a time, in a few "
        "words, for example: \"What causes calf cramps at night?\"",
        &rc);
    return rc;
}

static int compose_init(struct compose *c, struct answer_compose_in *in,
                        size_t nscan)
{
    size_t n = MAX(in->ncands, (size_t)1);

    memset(c, 0, sizeof *c);
    c->in = in;
    c->nscan = MIN(in->ncands, nscan);
    c->pop = compose_populations(in->qa->text, strlen(in->qa->text));
    if (in->ncands > 0 && in->cands[0].score <= 0)
        return GALEN_EINVAL;
    c->doc_cov = galen_calloc(n, sizeof *c->doc_cov);
    c->doc_best = galen_calloc(n, sizeof *c->doc_best);
    c->per_doc = galen_calloc(n, sizeof *c->per_doc);
    c->tf = galen_calloc(n, sizeof *c->tf);
    c->doc_topic = galen_calloc(n, sizeof *c->doc_topic);
    c->named_seen = galen_calloc(n, sizeof *c->named_seen);
    c->doc_len = galen_calloc(n, sizeof *c->doc_len);
    c->docw = galen_calloc(n, sizeof *c->docw);
    if (!c->doc_cov || !c->doc_best || !c->per_doc || !c->tf || !c->doc_topic ||
        !c->named_seen || !c->doc_len || !c->docw)
        return GALEN_ENOMEM;
    return in->ncands > 0 ? compose_build_qmodel(in, &c->q) : GALEN_OK;
}

static void compose_cleanup(struct compose *c)
{
    galen_free(c->s);
    galen_free(c->pool);
    galen_free(c->doc_cov);
    galen_free(c->doc_best);
    galen_free(c->per_doc);
    galen_free(c->weight);
    galen_free(c->share);
    galen_free(c->mass);
    galen_free(c->tf);
    galen_free(c->doc_topic);
    galen_free(c->named_seen);
    galen_free(c->doc_len);
    galen_free(c->docw);
}

static double best_score(const struct compose *c)
{
    double best = 0;
    size_t k;

    for (k = 0; k < c->ns; k++)
        best = MAX(best, c->s[k].score);
    return best;
}

static double best_coverage(const struct compose *c)
{
    double best = 0;
    size_t k;

    for (k = 0; k < c->nscan; k++)
        best = MAX(best, c->doc_cov[k]);
    return best;
}

/* The abstention rule (docs/answer.md): some sentence must score at least
 * ANSWER_MIN_SENTENCE_SCORE, and either one document must hold at least
 * ANSWER_MIN_COVERAGE of the question's own words, or the focus must be a
 * medical one (symptom, condition, drug, body part) that some sentence
 * names in full. A matched red-flag rule also proves the question is a
 * health one, whatever its focus kind: an urgent description ("swollen,
 * warm calf after a flight") must not lose its cited context. Words the
 * sources never use count against coverage: that is what makes "How do I
 * train my dog to sit?" abstain. */
/* How much the best document is about the focus: the focus words' mean
 * density (as for doc_topic) in the document that has them most. */
static double focus_topic(const struct compose *c)
{
    const struct focus_set *fs = c->q.nfocus ? &c->q.focus[0] : NULL;
    double best = 0;
    size_t ci, f, k;

    for (ci = 0; fs && fs->n && ci < c->nscan; ci++) {
        double v = 0;

        for (f = 0; f < fs->n; f++) {
            for (k = 0; k < c->q.nt; k++) {
                if (c->q.t[k].own && c->q.t[k].h == fs->h[f]) {
                    v += MIN(1.0, compose_density(c, ci, k) / TOPIC_DENSITY);
                    break;
                }
            }
        }
        best = MAX(best, v / (double)fs->n);
    }
    return best;
}

/* The one question word the retrieved documents are most about: its
 * density (as for doc_topic) in the document that has it most. A long
 * message names many words its sources never use, but the passages that
 * answer it keep returning to one of its words ("meniscus"). */
static double peak_topic(const struct compose *c)
{
    double best = 0;
    size_t ci, k;

    for (ci = 0; ci < c->nscan; ci++) {
        for (k = 0; k < c->q.nt; k++) {
            if (c->q.t[k].own)
                best = MAX(best,
                           MIN(1.0, compose_density(c, ci, k) / TOPIC_DENSITY));
        }
    }
    return best;
}

static double best_topic(const struct compose *c)
{
    double best = 0;
    size_t k;

    for (k = 0; k < c->nscan; k++)
        best = MAX(best, c->doc_topic[k]);
    return best;
}

/* The naming weight that makes a question fully about health care
 * (f[14]): two conditions or rare names, or four words of care. */
#define NAMED_ENOUGH 4.0

/* The naming weights of a word set, summed. */
static double named_mass(const struct word_set *ws)
{
    double m = 0;
    size_t k;

    for (k = 0; k < ws->n; k++)
        m += ws->w[k];
    return m;
}

/* The share of a word set that the document holding most of it has; 0
 * for an empty set. */
static double set_held(const struct compose *c, const struct word_set *ws,
                       const uint32_t *seen)
{
    size_t ci;
    int best = 0;

    for (ci = 0; ws->n && ci < c->nscan; ci++)
        best = MAX(best, __builtin_popcount(seen[ci]));
    return ws->n ? (double)best / (double)ws->n : 0;
}

/* The evidence features (docs/answer.md): how well the best document
 * covers the question's own words (idf-weighted) and how much it is about
 * them, the best single sentence's share of them and of the focus, the
 * question's medical words, a medical focus, a red flag, the best
 * sentence score, how much the best document is about the focus, the
 * question word the documents are most about, the question's length, the
 * collection's size, how many of the words that name something one
 * document holds, and how many there are. */
static void evidence_features(const struct compose *c, double *f)
{
    enum focus_kind fk = c->in->qa->focus_kind;

    f[0] = best_coverage(c);
    f[1] = best_topic(c);
    f[2] = c->best_share;
    f[3] = MIN(1.0, c->best_focus);
    f[4] = qanalyze_medical_share(c->in->qa);
    f[5] = fk == FOCUS_SYMPTOM || fk == FOCUS_CONDITION || fk == FOCUS_DRUG ||
           fk == FOCUS_BODY_PART;
    f[6] = c->in->nredflags > 0;
    f[7] = MIN(1.0, best_score(c));
    f[8] = focus_topic(c);
    f[9] = peak_topic(c);
    /* How many words the question has of its own: the longer it is, the
     * less of it any source covers, answerable or not. */
    f[10] = MIN(1.0, log(1.0 + (double)c->q.nown) / log(64.0));
    /* The collection's size: in a large one every word is in some title,
     * so a chance match proves less than in a small one. */
    f[11] = MIN(1.0, log10(1.0 + (double)c->in->ndocs) / 6.0);
    /* The key concepts: a story's everyday words say little, but the
     * condition, medicine or rare name it mentions must be in a source. */
    f[12] = set_held(c, &c->q.named, c->named_seen);
    f[13] = c->q.named.n > 0;
    /* How many things it names: a question about one word of health
     * care among words of another trade ("a computer virus on my laptop")
     * names one; a message about an illness names several. */
    f[14] = MIN(1.0, named_mass(&c->q.named) / NAMED_ENOUGH);
}

/* The probability that the retrieved documents answer the question, from
 * the logistic evidence model (lib/answer/evidence_model.h, trained by
 * scripts/train_answer.py). GALEN_EVIDENCE_FEATURES=1 prints the features
 * on stderr for that script. */
static double evidence(const struct compose *c)
{
    double f[EVIDENCE_NFEATURES], z = evidence_bias;
    size_t k;

    evidence_features(c, f);
    for (k = 0; k < EVIDENCE_NFEATURES; k++)
        z += evidence_weights[k] * f[k];
    if (getenv("GALEN_EVIDENCE_FEATURES")) {
        fputs("evidence-features", stderr);
        for (k = 0; k < EVIDENCE_NFEATURES; k++)
            fprintf(stderr, "\t%.4f", f[k]);
        fputc('\n', stderr);
    }
    return 1.0 / (1.0 + exp(-z));
}

/* The abstention rule: no eligible sentence, or the evidence model's
 * probability below one half. */
static bool relevant_enough(const struct compose *c)
{
    return c->ns > 0 && evidence(c) >= 0.5;
}

static int answer_body(struct compose *c, struct galen_answer *ans)
{
    struct chosen ch;
    struct builder b = {c, ans, {0}};
    double best = best_score(c);
    double floor = MAX(ANSWER_MIN_FLOOR, FLOOR_RATIO * best);
    int rc;

    memset(&ch, 0, sizeof ch);
    if (c->in->audience == GALEN_AUDIENCE_CLINICIAN)
        compose_lead_clinician(c, &ch, floor);
    else
        compose_lead_patient(c, &ch, floor);
    compose_fill_blocks(c, &ch, floor);
    compose_fill_short(c, &ch, best);
    compose_fill_keypoints(c, &ch, floor);
    rc = compose_build_body(&b, &ch);
    if (rc == GALEN_OK)
        rc = compose_review_banner(ans);
    if (rc == GALEN_OK)
        rc = compose_build_followups(c, ans);
    return rc;
}

static void take_similar(struct galen_answer *ans, struct answer_compose_in *in)
{
    ans->similar = in->similar;
    ans->nsimilar = in->nsimilar;
    in->similar = NULL;
    in->nsimilar = 0;
}

int answer_compose(struct answer_compose_in *in, struct galen_answer **out)
{
    struct galen_answer *ans = galen_calloc(1, sizeof *ans);
    struct compose c;
    int rc;

    if (!ans)
        return GALEN_ENOMEM;
    rc = compose_init(&c, in, ANSWER_DOCS_MAX);
    if (rc == GALEN_OK)
        rc = start_answer(ans, in);
    if (rc == GALEN_OK && in->ncands > 0)
        rc = compose_scan_docs(&c);
    if (rc == GALEN_OK)
        rc = compose_weigh_terms(&c);
    if (rc == GALEN_OK) {
        compose_score_sentences(&c);
        if (!relevant_enough(&c)) {
            rc = abstain(ans, c.ns == 0);
        } else {
            rc = answer_body(&c, ans);
            take_similar(ans, in);
        }
    }
    compose_cleanup(&c);
    if (rc != GALEN_OK) {
        answer_free(ans);
        return rc;
    }
    *out = ans;
    return GALEN_OK;
}

/* The ranking features of candidate k (docs/answer.md, "Ranking"): its
 * own-words retrieval score against the best one's, its best sentence's
 * score and its coverage of the question. */
static void rank_features(const struct compose *c, size_t k, double top,
                          double *f)
{
    f[0] = top > 0 ? c->in->cands[k].own / top : 0;
    f[1] = c->doc_best[k];
    f[2] = c->doc_cov[k];
}

int answer_rank_scores(const struct answer_compose_in *in, double *out)
{
    struct answer_compose_in tmp = *in;
    struct compose c;
    double top = 0, f[RANK_NFEATURES];
    bool dump = getenv("GALEN_RANK_FEATURES") != NULL;
    size_t k, j;
    int rc = compose_init(&c, &tmp, in->ncands);

    if (rc == GALEN_OK && in->ncands > 0)
        rc = compose_scan_docs(&c);
    if (rc == GALEN_OK)
        rc = compose_weigh_terms(&c);
    if (rc == GALEN_OK)
        compose_score_sentences(&c);
    for (k = 0; k < in->ncands; k++)
        top = MAX(top, in->cands[k].own);
    /* GALEN_RANK_FEATURES=1 prints each candidate's features on stderr,
     * after a line for the question: scripts/train_rank.py's data. */
    if (rc == GALEN_OK && dump)
        fprintf(stderr, "rank-question\t%.*s\n",
                (int)strcspn(in->qa->text, "\t\r\n"), in->qa->text);
    for (k = 0; rc == GALEN_OK && k < in->ncands; k++) {
        rank_features(&c, k, top, f);
        out[k] = 0;
        for (j = 0; j < RANK_NFEATURES; j++)
            out[k] += rank_weights[j] * f[j];
        if (dump)
            fprintf(stderr, "rank-features\t%s\t%.5f\t%.5f\t%.5f\n",
                    in->cands[k].doc->id, f[0], f[1], f[2]);
    }
    compose_cleanup(&c);
    return rc;
}

/* ---- freeing ------------------------------------------------------------ */

static void free_similar(struct answer_similar *v, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++) {
        galen_free(v[k].id);
        galen_free(v[k].question);
        galen_free(v[k].snippet);
        galen_free(v[k].specialty);
        galen_free(v[k].kind);
        galen_free(v[k].asked);
        galen_free(v[k].age_band);
        galen_free(v[k].sex);
    }
    galen_free(v);
}

void answer_similar_free(struct answer_similar *v, size_t n)
{
    free_similar(v, n);
}

void answer_free(struct galen_answer *ans)
{
    size_t k;

    if (!ans)
        return;
    for (k = 0; k < ans->nredflags; k++) {
        galen_free(ans->redflags[k].id);
        galen_free(ans->redflags[k].message);
        galen_free(ans->redflags[k].source);
        galen_free(ans->redflags[k].urgency);
        galen_free(ans->redflags[k].action);
        galen_free(ans->redflags[k].action_source);
    }
    for (k = 0; k < ans->nnotes; k++)
        galen_free(ans->notes[k]);
    galen_free(ans->notes);
    for (k = 0; k < ans->nsentences; k++)
        galen_free(ans->sentences[k].text);
    for (k = 0; k < ans->nsources; k++)
        doc_free(ans->sources[k].doc);
    for (k = 0; k < ans->nfollowups; k++)
        galen_free(ans->followups[k]);
    for (k = 0; k < ANSWER_BLOCK_COUNT; k++)
        galen_free(ans->block[k]);
    free_similar(ans->similar, ans->nsimilar);
    galen_free(ans->redflags);
    galen_free(ans->sentences);
    galen_free(ans->sources);
    galen_free(ans->followups);
    galen_free(ans->lead);
    galen_free(ans->keypoints);
    galen_free(ans->question);
    galen_free(ans->did_you_mean);
    galen_free(ans->focus);
    galen_free(ans->abstain_reason);
    galen_free(ans->suggestion);
    galen_free(ans->status);
    galen_free(ans->updated);
    galen_free(ans);
}

bool answer_abstained(const struct galen_answer *ans)
{
    return ans->abstained;
}

size_t answer_source_count(const struct galen_answer *ans)
{
    return ans->nsources;
}

size_t answer_redflag_count(const struct galen_answer *ans)
{
    return ans->nredflags;
}
