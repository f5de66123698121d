/* SPDX-License-Identifier: MIT */
/* compose_qmodel.c: the question model: the question's own words, its focus
 * sets and expansions, weighted. */
#include "compose_int.h"

/* ---- the question model ------------------------------------------------- */

/* Adds a term or raises its weight. Only the question's own terms make
 * up the total that coverage is measured against: expansions are
 * alternatives that can only help. */
static void add_qterm(struct qmodel *q, uint32_t h, double w, double cw,
                      bool own)
{
    struct qterm_h *t = NULL;
    size_t k;

    for (k = 0; k < q->nt && !t; k++) {
        if (q->t[k].h == h)
            t = &q->t[k];
    }
    if (!t) {
        if (q->nt >= QTERMS_MAX)
            return;
        t = &q->t[q->nt++];
        t->h = h;
        t->w = 0;
        t->cw = 0;
        t->own = false;
    }
    if (t->own) {
        q->total -= t->w;
        q->ctotal -= t->cw;
    }
    t->w = MAX(t->w, w);
    t->cw = MAX(t->cw, cw);
    if (own && !t->own)
        q->nown++;
    t->own = t->own || own;
    if (t->own) {
        q->total += t->w;
        q->ctotal += t->cw;
    }
}

/* True if the word was corrected: its correction stands in for it. */
static bool was_fixed(const struct qanalysis *qa, const char *w, size_t len)
{
    size_t k;

    for (k = 0; k < qa->nfixes; k++) {
        if (answer_text_ieq(w, len, qa->fixes[k].from))
            return true;
    }
    return false;
}

int compose_on_qterm(void *ctx, const struct aterm *t)
{
    struct qcollect *c = ctx;
    uint32_t h = hash_fnv1a32(t->term, t->len);
    double idf = 1.0, cidf;

    if (qanalyze_is_frame_word(c->text + t->start, t->end - t->start) ||
        was_fixed(c->in->qa, c->text + t->start, t->end - t->start))
        return 0;
    if (c->set) {
        if (c->set->n < ARRAY_SIZE(c->set->h)) {
            c->set->body[c->set->n] =
                qanalyze_is_body_word(c->text + t->start, t->end - t->start);
            c->set->h[c->set->n++] = h;
        }
        return 0;
    }
    if (c->in->idf)
        idf = c->in->idf(c->in->idf_ctx, t->term, t->len);
    cidf = c->in->cover_idf ? c->in->cover_idf(c->in->idf_ctx, t->term, t->len)
                            : idf;
    add_qterm(c->q, h, c->weight * idf, c->weight * cidf, c->own);
    return 0;
}

static int collect_terms(struct answer_compose_in *in, struct qmodel *q,
                         const char *text, double weight, struct focus_set *set)
{
    /* Full-weight terms are the question's own; expansions weigh less. */
    struct qcollect c = {q, text, weight, set, in, weight >= 1.0};

    if (!text || !*text)
        return GALEN_OK;
    return analyzer_run(in->analyzer, &index_opts, text, strlen(text),
                        compose_on_qterm, &c);
}

static int add_focus_set(struct answer_compose_in *in, struct qmodel *q,
                         const char *text, double weight)
{
    struct focus_set *set;
    int rc;

    if (q->nfocus >= FOCUS_SETS_MAX || !text)
        return GALEN_OK;
    set = &q->focus[q->nfocus];
    memset(set, 0, sizeof *set);
    set->weight = weight;
    rc = collect_terms(in, q, text, 0, set);
    if (rc == GALEN_OK && set->n > 0)
        q->nfocus++;
    return rc;
}

/* The question's own words: a follow-up's qualifiers; a long message's
 * questions and medical words (the rest of its story would swamp the
 * coverage of every sentence); or the whole question. */
static int question_terms(struct answer_compose_in *in, struct qmodel *q)
{
    const struct qanalysis *qa = in->qa;
    char *sub;
    size_t k;
    int rc = GALEN_OK;

    if (qa->is_follow_up)
        return collect_terms(in, q, qa->qualifiers, 1.0, NULL);
    if (!qa->is_message)
        return collect_terms(in, q, qa->text, 1.0, NULL);
    for (k = 0; rc == GALEN_OK && k < qa->nsubs; k++) {
        sub = galen_strndup(qa->text + qa->subs[k].start,
                            qa->subs[k].end - qa->subs[k].start);
        rc = sub ? collect_terms(in, q, sub, 1.0, NULL) : GALEN_ENOMEM;
        galen_free(sub);
    }
    if (rc == GALEN_OK)
        rc = collect_terms(in, q, qa->keywords, 0.7, NULL);
    return rc;
}

/* Collecting the words of a text into a word set: each with its own
 * naming weight (weight 0), skipping those that name nothing, or all of
 * them with the given weight. A misspelt word is skipped: its correction
 * is added on its own. */
struct set_collect {
    struct answer_compose_in *in;
    struct word_set *set;
    const char *text;
    double weight;
};

static int on_set_word(void *ctx, const struct aterm *t)
{
    struct set_collect *sc = ctx;
    const struct qanalysis *qa = sc->in->qa;
    const char *w = sc->text + t->start;
    size_t len = t->end - t->start, k;
    uint32_t h = hash_fnv1a32(t->term, t->len);
    double weight = sc->weight;

    if (qanalyze_is_frame_word(w, len) || was_fixed(qa, w, len))
        return 0;
    if (weight <= 0)
        weight = qanalyze_name_weight(qa, sc->in->common_word, sc->in->idf_ctx,
                                      w, len);
    if (weight <= 0)
        return 0;
    k = word_set_find(sc->set, h);
    if (k < sc->set->n) {
        sc->set->w[k] = MAX(sc->set->w[k], weight);
    } else if (k < WORD_SET_MAX) {
        sc->set->h[k] = h;
        sc->set->w[k] = weight;
        sc->set->n++;
    }
    return 0;
}

static int collect_set(struct answer_compose_in *in, struct word_set *set,
                       const char *text, double weight)
{
    struct set_collect sc = {in, set, text, weight};

    return analyzer_run(in->analyzer, &index_opts, text, strlen(text),
                        on_set_word, &sc);
}

/* The question's words that name something (a symptom, condition,
 * medicine, body part, a phrase of the lexicon, or a word outside
 * everyday English), each misspelt one as its correction: the key
 * concepts a source must hold. */
static int named_words(struct answer_compose_in *in, struct qmodel *q)
{
    const struct qanalysis *qa = in->qa;
    size_t k;
    int rc = collect_set(in, &q->named, qa->text, 0);

    if (rc == GALEN_OK && qa->lexical)
        rc = collect_set(in, &q->named, qa->lexical, 1.0);
    for (k = 0; rc == GALEN_OK && k < qa->nfixes; k++)
        rc = collect_set(in, &q->named, qa->fixes[k].to, 2.0);
    return rc;
}

/* "Muscle cramps" -> "muscle cramp*": the focus as a phrase pattern that
 * also matches its plural or singular. Empty when there is no focus. */
static void focus_pattern(const char *focus, char *out, size_t cap)
{
    size_t i = 0, e = 0, n = 0, len = focus ? strlen(focus) : 0, k;

    out[0] = '\0';
    for (;;) {
        i = answer_text_word(focus, len, i, &e);
        if (i >= len)
            break;
        if (n + (e - i) + 3 > cap) {
            out[0] = '\0';
            return;
        }
        if (n)
            out[n++] = ' ';
        for (k = i; k < e; k++)
            out[n++] = (char)answer_text_lower((unsigned char)focus[k]);
        i = e;
    }
    if (n > 3 && out[n - 1] == 's')
        n--;
    if (n > 0)
        out[n++] = '*';
    out[n] = '\0';
}

/* True for "A muscle cramp is ...", "Muscle cramps are ...": the focus as
 * the subject of the sentence's first verb, the shape of a definition. */
bool compose_is_definitional(const struct qmodel *q, const char *s, size_t len)
{
    static const char *const verbs[] = {"is", "are", "refers", "means",
                                        "describes"};
    size_t e = 0, i = answer_text_word(s, len, 0, &e), m, k;

    if (!q->focus_pat[0] || i >= len)
        return false;
    if (answer_text_ieq(s + i, e - i, "a") ||
        answer_text_ieq(s + i, e - i, "an") ||
        answer_text_ieq(s + i, e - i, "the"))
        i = answer_text_word(s, len, e, &e);
    if (i >= len || !answer_text_phrase_at(s, len, i, q->focus_pat, &m))
        return false;
    i = answer_text_word(s, len, m, &e);
    for (k = 0; i < len && k < ARRAY_SIZE(verbs); k++) {
        if (answer_text_ieq(s + i, e - i, verbs[k]))
            return true;
    }
    return false;
}

static int on_body(void *ctx, const struct aterm *t)
{
    struct qmodel *q = ctx;

    if (q->nbody < BODY_MAX)
        q->body[q->nbody++] = hash_fnv1a32(t->term, t->len);
    return 0;
}

/* The analysed forms of the body-part words, to see whether a sentence
 * names some part of the body. */
static int body_terms(struct answer_compose_in *in, struct qmodel *q)
{
    size_t n, k;
    const char *const *w = qanalyze_body_words(&n);
    int rc = GALEN_OK;

    for (k = 0; k < n && rc == GALEN_OK; k++)
        rc = analyzer_run(in->analyzer, &index_opts, w[k], strlen(w[k]),
                          on_body, q);
    return rc;
}

int compose_build_qmodel(struct answer_compose_in *in, struct qmodel *q)
{
    const struct qanalysis *qa = in->qa;
    size_t k;
    int rc;

    memset(q, 0, sizeof *q);
    q->primary = qa->qtype.type;
    q->mask = qa->qtype.mask;
    focus_pattern(qa->focus, q->focus_pat, sizeof q->focus_pat);
    rc = body_terms(in, q);
    if (rc == GALEN_OK)
        rc = add_focus_set(in, q, qa->focus, 1.0);
    for (k = 0; rc == GALEN_OK && k < qa->nterms; k++) {
        if (qa->terms[k].origin != QTERM_SPELLING)
            rc = add_focus_set(in, q, qa->terms[k].text, qa->terms[k].weight);
    }
    if (rc == GALEN_OK)
        rc = collect_terms(in, q, qa->focus, 2.0, NULL);
    if (rc == GALEN_OK)
        rc = question_terms(in, q);
    if (rc == GALEN_OK)
        rc = named_words(in, q);
    for (k = 0; rc == GALEN_OK && k < qa->nterms; k++)
        rc = collect_terms(in, q, qa->terms[k].text, qa->terms[k].weight, NULL);
    return rc;
}
