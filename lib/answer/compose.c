/* SPDX-License-Identifier: MIT */
/* answer_compose.c: from retrieved documents to a laid-out answer. Every
 * eligible sentence of the top documents is scored on the question's focus,
 * on how much of the question it covers, on cue words for the question
 * type, on its section heading and on its document's retrieval score; then
 * the lead, the blocks and the key points are picked by maximal marginal
 * relevance so that near-duplicates drop out. Weights, thresholds and the
 * order of every choice are documented in docs/answer.md. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "answer.h"
#include "base/hash.h"
#include "base/mem.h"
#include "redflag.h"
#include "text/analyzer.h"
#include "text/sentence.h"
#include "text/words.h"

enum {
    BODY_MAX = 96,
    COVERED_SLOTS = 2048, /* power of two; open addressing, 0 = empty */
    SENT_MIN_BYTES = 25,
    SENT_MAX_BYTES = 600,
    SENT_MIN_WORDS = 4,
    STEMS_MAX = 96,     /* distinct terms kept per sentence */
    QTERMS_MAX = 128,   /* query terms */
    FOCUS_SETS_MAX = 8, /* the focus and its expansions */
    CANDS_MAX = 2048    /* candidate sentences */
};

/* Sentence score weights (they sum to 1); see docs/answer.md. */
#define W_FOCUS     0.30
#define W_REL       0.15
#define W_CUE       0.30
#define W_HEADING   0.10
#define W_DOC       0.15
#define FOCUS_HEAD  0.5 /* share of the focus's last (head) word */
#define DOC_W_SCORE 0.6 /* share of retrieval in a document's weight */

/* Choosing sentences: the MMR overlap penalty, the bonus for new terms,
 * the penalty per sentence already taken from the same section, the
 * near-duplicate threshold and how containment counts towards it, and the
 * floor relative to the best sentence. */
#ifndef MMR_LAMBDA
#define MMR_LAMBDA 0.5
#endif
#ifndef NOVELTY
#define NOVELTY 0.35
#endif
#ifndef SAME_SECTION
#define SAME_SECTION 0.08
#endif
#define DUP_SIM        0.5
#define DUP_NOVELTY    0.3
#define NOVELTY_MASS   15.0
#define CONTAIN_WEIGHT 0.6
#ifndef FLOOR_RATIO
#define FLOOR_RATIO 0.55
#endif

struct qterm_h {
    uint32_t h;
    double w;
    bool own; /* from the question itself, not an expansion */
};

struct focus_set {
    uint32_t h[16];
    bool body[16]; /* the word names a body part */
    size_t n;
    double weight;
};

/* The question, analysed into weighted term hashes. */
struct qmodel {
    struct qterm_h t[QTERMS_MAX];
    size_t nt;
    double total; /* sum of the weights of the question's own terms */
    size_t nown;  /* how many terms are the question's own */
    struct focus_set focus[FOCUS_SETS_MAX];
    size_t nfocus;
    enum qtype primary;
    unsigned mask;
    char focus_pat[128];     /* the focus, lower case, last word a prefix */
    uint32_t body[BODY_MAX]; /* analysed body-part words */
    size_t nbody;
};

struct csent {
    size_t cand;       /* index into in->cands */
    size_t section;    /* section index */
    size_t start, end; /* in the section text */
    size_t stem_off;   /* its sorted distinct term hashes: pool + stem_off */
    size_t nstems;
    double score, focus, rel, cue;
    double fscore; /* score with the cue of its own facet, not the asked */
    enum qtype facet;
    enum answer_block_kind block;
    bool is_dose;
    bool keypoint_section;
    bool used;
};

struct compose {
    struct answer_compose_in *in;
    struct qmodel q;
    struct csent *s;
    size_t ns, cap;
    uint32_t *pool; /* stems of all sentences */
    size_t npool, pool_cap;
    size_t nscan;        /* candidates scanned: the first nscan */
    double *doc_cov;     /* per candidate: best sentence coverage */
    size_t *per_doc;     /* per candidate: sentences chosen */
    double *doc_best;    /* per candidate: best sentence score */
    uint64_t (*seen)[2]; /* per candidate: own question terms in its text */
    double best_focus;   /* highest focus coverage of any sentence */
    double *docw;        /* per candidate: doc_weight, once computed */
    uint32_t covered[COVERED_SLOTS]; /* terms of chosen sentences (set) */
    float *weight; /* per pool entry: log(1 + ns / sentences with it) */
    double *mass;  /* per sentence: sum of its terms' weights */
};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static bool has_hash(const uint32_t *v, size_t n, uint32_t h)
{
    return n > 0 && bsearch(&h, v, n, sizeof *v, cmp_u32) != NULL;
}

/* ---- the question model ------------------------------------------------- */

struct qcollect {
    struct qmodel *q;
    const char *text;
    double weight;
    struct focus_set *set; /* when collecting a focus set */
    struct answer_compose_in *in;
    bool own;
};

/* Adds a term or raises its weight. Only the question's own terms make
 * up the total that coverage is measured against: expansions are
 * alternatives that can only help. */
static void add_qterm(struct qmodel *q, uint32_t h, double w, bool own)
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
        t->own = false;
    }
    if (t->own)
        q->total -= t->w;
    t->w = MAX(t->w, w);
    if (own && !t->own)
        q->nown++;
    t->own = t->own || own;
    if (t->own)
        q->total += t->w;
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

static int on_qterm(void *ctx, const struct aterm *t)
{
    struct qcollect *c = ctx;
    uint32_t h = hash_fnv1a32(t->term, t->len);
    double idf = 1.0;

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
    add_qterm(c->q, h, c->weight * idf, c->own);
    return 0;
}

static const struct analyzer_opts index_opts = {true, true};

static int collect_terms(struct answer_compose_in *in, struct qmodel *q,
                         const char *text, double weight, struct focus_set *set)
{
    /* Full-weight terms are the question's own; expansions weigh less. */
    struct qcollect c = {q, text, weight, set, in, weight >= 1.0};

    if (!text || !*text)
        return GALEN_OK;
    return analyzer_run(in->analyzer, &index_opts, text, strlen(text), on_qterm,
                        &c);
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
static bool is_definitional(const struct qmodel *q, const char *s, size_t len)
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

static int build_qmodel(struct answer_compose_in *in, struct qmodel *q)
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
    for (k = 0; rc == GALEN_OK && k < qa->nterms; k++)
        rc = collect_terms(in, q, qa->terms[k].text, qa->terms[k].weight, NULL);
    return rc;
}

/* ---- sentence features ------------------------------------------------- */

static unsigned primary_bit(const struct qmodel *q)
{
    return q->primary == QTYPE_OTHER ? 0 : 1u << q->primary;
}

static double coverage(const struct qmodel *q, const uint32_t *st, size_t n)
{
    double got = 0;
    size_t k;

    if (q->total <= 0)
        return 0;
    for (k = 0; k < q->nt; k++) {
        if (has_hash(st, n, q->t[k].h))
            got += q->t[k].w;
    }
    return MIN(1.0, got / q->total);
}

static bool names_body(const struct qmodel *q, const uint32_t *st, size_t n)
{
    size_t k;

    for (k = 0; k < q->nbody; k++) {
        if (has_hash(st, n, q->body[k]))
            return true;
    }
    return false;
}

/* Coverage of one focus set: its last word, the head of the noun phrase
 * ("cramps" in "soleus muscle cramps"), weighs FOCUS_HEAD and the others
 * share the rest. A body-part modifier the sentence lacks earns half its
 * share when the sentence names another part ("leg cramps" for "soleus
 * muscle cramps"). The best set, times its weight, counts. */
static double set_cov(const struct focus_set *fs, const uint32_t *st, size_t n,
                      bool body)
{
    double v = 0, share;
    size_t k;

    if (fs->n == 1)
        return has_hash(st, n, fs->h[0]) ? 1.0 : 0.0;
    share = (1.0 - FOCUS_HEAD) / (double)(fs->n - 1);
    for (k = 0; k + 1 < fs->n; k++) {
        if (has_hash(st, n, fs->h[k]))
            v += share;
        else if (fs->body[k] && body)
            v += share / 2;
    }
    return v + (has_hash(st, n, fs->h[fs->n - 1]) ? FOCUS_HEAD : 0.0);
}

static double focus_cov(const struct qmodel *q, const uint32_t *st, size_t n)
{
    bool body = names_body(q, st, n);
    double best = 0;
    size_t f;

    for (f = 0; f < q->nfocus; f++)
        best =
            MAX(best, q->focus[f].weight * set_cov(&q->focus[f], st, n, body));
    return best;
}

/* Types a sentence's facet is chosen from, in tie-break order. */
static const enum qtype layout_types[] = {
    QTYPE_CAUSES,       QTYPE_SYMPTOMS,   QTYPE_DIAGNOSIS,
    QTYPE_TREATMENT,    QTYPE_PREVENTION, QTYPE_WHEN_TO_SEE_DOCTOR,
    QTYPE_RISK_FACTORS, QTYPE_PROGNOSIS,  QTYPE_DOSAGE,
    QTYPE_SIDE_EFFECTS, QTYPE_DEFINITION, QTYPE_COMPARISON};

/* Picks the facet: the section heading's type when it has one, else the
 * type whose cue words the sentence has most of (the question's own type
 * winning ties); sets *cue to the cue score for what the question asks. */
/* Picks the facet a sentence answers and sets *cue (its cue score for
 * what the question asks) and *fcue (for its own facet). The section
 * heading decides when it names facets, the sentence's cue words choosing
 * among several ("Prevention and treatment"); a heading's facet counts as
 * a cue of at least HEADING_CUE. Otherwise the type with most cue words
 * wins, the question's own type winning ties. */
#define HEADING_CUE 0.6

static enum qtype choose_facet(const struct qmodel *q,
                               const struct qtype_result *heading,
                               const char *s, size_t len, double *cue,
                               double *fcue)
{
    enum qtype best = q->primary, hbest = QTYPE_OTHER;
    double best_v = -1, hv = -1, asked = 0, v[QTYPE_COUNT];
    size_t k;

    qtype_sentence_scores(s, len, v);
    if (q->primary != QTYPE_OTHER) {
        best_v = v[q->primary];
        asked = best_v;
    }
    for (k = 0; k < ARRAY_SIZE(layout_types); k++) {
        enum qtype t = layout_types[k];

        if (q->mask & (1u << t) && t != q->primary)
            asked = MAX(asked, 0.8 * v[t]);
        if (v[t] > best_v) {
            best_v = v[t];
            best = t;
        }
        if ((heading->mask & (1u << t)) && t != QTYPE_COMPARISON &&
            (v[t] > hv || (v[t] == hv && t == heading->type))) {
            hv = v[t];
            hbest = t;
        }
    }
    *cue = q->primary == QTYPE_OTHER ? MAX(asked, 0.5) : asked;
    if (hbest != QTYPE_OTHER) {
        *fcue = MAX(v[hbest], HEADING_CUE);
        if (hbest == q->primary)
            *cue = MAX(*cue, HEADING_CUE);
        return hbest;
    }
    if (best_v <= 0)
        best = q->primary == QTYPE_OTHER ? QTYPE_DEFINITION : q->primary;
    *fcue = v[best];
    return best;
}

/* Sentences opening with a word that points back ("This", "They") read
 * badly out of context; they score a little lower. */
static bool is_anaphoric(const char *s, size_t len)
{
    static const char *const words[] = {
        "this",    "these", "they", "it", "its", "those", "such",
        "however", "also",  "both", "he", "she", "that"};
    size_t e = 0, b = answer_text_word(s, len, 0, &e), k;

    for (k = 0; b < len && k < ARRAY_SIZE(words); k++) {
        if (answer_text_ieq(s + b, e - b, words[k]))
            return true;
    }
    return false;
}

static bool eligible_text(const char *s, size_t len, unsigned flags)
{
    if (flags & (SENTENCE_HEADING | SENTENCE_LEADIN))
        return false;
    if (len < SENT_MIN_BYTES || len > SENT_MAX_BYTES || s[len - 1] == '?')
        return false;
    return answer_text_word_count(s, len) >= SENT_MIN_WORDS;
}

bool answer_is_dose(const char *s, size_t len)
{
    static const char *const units[] = {
        "mg",    "g",    "mcg", "ug",         "μg",    "ml",        "iu",
        "units", "mmol", "meq", "milligrams", "grams", "micrograms"};
    size_t i = 0, e = 0, k;
    bool prev_num = false;

    for (;;) {
        bool num;

        i = answer_text_word(s, len, i, &e);
        if (i >= len)
            return false;
        num = s[i] >= '0' && s[i] <= '9';
        for (k = 0; k < ARRAY_SIZE(units); k++) {
            size_t n = strlen(units[k]);
            /* "10 mg" or "10mg" */
            if ((prev_num && answer_text_ieq(s + i, e - i, units[k])) ||
                (num && e - i > n && answer_text_ieq(s + e - n, n, units[k]) &&
                 s[e - n - 1] >= '0' && s[e - n - 1] <= '9'))
                return true;
        }
        prev_num = num;
        i = e;
    }
}

int answer_evidence_rank(int evidence)
{
    return evidence == DOC_EVIDENCE_NONE ? DOC_EVIDENCE_COUNT : evidence;
}

static enum answer_block_kind block_of(const struct doc *d)
{
    if (d->kind == DOC_KIND_GUIDELINE)
        return ANSWER_BLOCK_GUIDELINES;
    if (d->kind == DOC_KIND_RESEARCH)
        return ANSWER_BLOCK_RESEARCH;
    return ANSWER_BLOCK_PATIENTS;
}

/* True for a patient's own question with a specialist's reply: it feeds
 * "Similar Q&A", not the answer's evidence. */
static bool is_patient_qa(const struct doc *d)
{
    return d->kind == DOC_KIND_QA && (d->replied || d->age_band);
}

static bool doc_allowed(const struct answer_compose_in *in, const struct doc *d)
{
    if (!d || !d->has_answer || d->status == DOC_STATUS_REJECTED ||
        is_patient_qa(d))
        return false;
    if (in->kinds && !(in->kinds & (1u << d->kind)))
        return false;
    if (in->min_evidence != DOC_EVIDENCE_NONE &&
        answer_evidence_rank((int)d->evidence) >
            answer_evidence_rank(in->min_evidence))
        return false;
    return true;
}

static bool skip_section(const char *heading)
{
    static const char *const skip[] = {"table of contents", "contents",
                                       "references", "sources", "question"};
    size_t k;

    for (k = 0; heading && k < ARRAY_SIZE(skip); k++) {
        if (answer_text_ieq(heading, strlen(heading), skip[k]))
            return true;
    }
    return false;
}

/* ---- scanning documents into candidate sentences ------------------------ */

struct sec_terms {
    struct compose *c;
    uint32_t *h; /* term hash per token */
    size_t *at;  /* its start offset */
    size_t n, cap;
    int rc;
};

static int on_sec_term(void *ctx, const struct aterm *t)
{
    struct sec_terms *st = ctx;

    if (st->n == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 256;
        uint32_t *h = galen_realloc(st->h, ncap * sizeof *h);
        size_t *at;

        if (!h)
            return GALEN_ENOMEM;
        st->h = h;
        at = galen_realloc(st->at, ncap * sizeof *at);
        if (!at)
            return GALEN_ENOMEM;
        st->at = at;
        st->cap = ncap;
    }
    st->h[st->n] = hash_fnv1a32(t->term, t->len);
    st->at[st->n] = t->start;
    st->n++;
    return 0;
}

static int pool_reserve(struct compose *c, size_t n)
{
    uint32_t *p;
    size_t ncap;

    if (c->npool + n <= c->pool_cap)
        return GALEN_OK;
    ncap = c->pool_cap ? c->pool_cap : 4096;
    while (ncap < c->npool + n)
        ncap *= 2;
    p = galen_realloc(c->pool, ncap * sizeof *p);
    if (!p)
        return GALEN_ENOMEM;
    c->pool = p;
    c->pool_cap = ncap;
    return GALEN_OK;
}

/* Copies the sorted distinct hashes of tokens in [b, e) to the end of the
 * pool without claiming them (consider() claims them if it keeps the
 * sentence) and sets *n to their count. */
static int sentence_stems(struct compose *c, const struct sec_terms *st,
                          size_t *tok, size_t b, size_t e, size_t *n)
{
    uint32_t tmp[STEMS_MAX] = {0};
    size_t m = 0, k, u = 0;
    int rc;

    while (*tok < st->n && st->at[*tok] < b)
        (*tok)++;
    for (k = *tok; k < st->n && st->at[k] < e && m < STEMS_MAX; k++)
        tmp[m++] = st->h[k];
    qsort(tmp, m, sizeof *tmp, cmp_u32);
    for (k = 0; k < m; k++) {
        if (u == 0 || tmp[k] != tmp[u - 1])
            tmp[u++] = tmp[k];
    }
    rc = pool_reserve(c, u);
    if (rc != GALEN_OK)
        return rc;
    memcpy(c->pool + c->npool, tmp, u * sizeof *tmp);
    *n = u;
    return GALEN_OK;
}

static int push_sent(struct compose *c, const struct csent *s)
{
    if (c->ns >= CANDS_MAX)
        return GALEN_OK;
    if (c->ns == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 128;
        struct csent *p = galen_realloc(c->s, ncap * sizeof *p);
        if (!p)
            return GALEN_ENOMEM;
        c->s = p;
        c->cap = ncap;
    }
    c->s[c->ns++] = *s;
    return GALEN_OK;
}

static bool is_keypoint_heading(const char *h)
{
    return h && (answer_text_ieq(h, strlen(h), "key points") ||
                 answer_text_ieq(h, strlen(h), "quick summary") ||
                 answer_text_ieq(h, strlen(h), "summary"));
}

/* True if the document as a whole answers the question's type: its own
 * question type (MedQuAD, the pack's front matter) or its title says so. */
static bool doc_answers_type(const struct doc *d, enum qtype t)
{
    struct qtype_result r;
    enum qtype dt;

    if (t == QTYPE_OTHER)
        return false;
    if (d->question_type &&
        qtype_from_name(d->question_type, strlen(d->question_type), &dt) &&
        dt == t)
        return true;
    qtype_classify(d->title, strlen(d->title), &r);
    return r.type == t;
}

/* A document's weight in its sentences' scores: its retrieval score
 * relative to the best (softened by a square root, since one rare title
 * word can put the first document far ahead) and whether the document
 * answers the question's type. */
static double doc_weight(const struct compose *c, size_t ci)
{
    double rel = c->in->cands[ci].score / c->in->cands[0].score;
    bool typed = doc_answers_type(c->in->cands[ci].doc, c->q.primary);

    return DOC_W_SCORE * sqrt(rel) + (typed ? 1.0 - DOC_W_SCORE : 0.0);
}

/* True if the sentence has one of the question's own terms other than
 * the focus: for a follow-up, its qualifiers. */
static bool has_qualifier(const struct compose *c, const uint32_t *st, size_t n)
{
    size_t k, f;

    for (k = 0; k < c->q.nt; k++) {
        bool in_focus = false;

        if (!c->q.t[k].own)
            continue;
        for (f = 0; c->q.nfocus && f < c->q.focus[0].n; f++)
            in_focus = in_focus || c->q.focus[0].h[f] == c->q.t[k].h;
        if (!in_focus && has_hash(st, n, c->q.t[k].h))
            return true;
    }
    return false;
}

/* Scores one sentence and keeps it if it is eligible and relevant. */
static int consider(struct compose *c, size_t ci, size_t si,
                    const struct qtype_result *hr, double heading_focus,
                    const char *text, const struct sentence *sen, size_t nstems)
{
    const struct doc *d = c->in->cands[ci].doc;
    const char *s = text + sen->start;
    size_t len = sen->end - sen->start;
    struct csent cs;
    double heading, fheading, docw, fcue = 0;

    memset(&cs, 0, sizeof cs);
    cs.stem_off = c->npool;
    cs.nstems = nstems;
    cs.focus = focus_cov(&c->q, c->pool + c->npool, nstems);
    cs.rel = coverage(&c->q, c->pool + c->npool, nstems);
    if (cs.focus <= 0 && cs.rel < 0.34)
        return GALEN_OK;
    cs.facet = choose_facet(&c->q, hr, s, len, &cs.cue, &fcue);
    if (is_definitional(&c->q, s, len) &&
        (c->q.primary == QTYPE_DEFINITION || c->q.primary == QTYPE_OTHER)) {
        cs.facet = QTYPE_DEFINITION;
        cs.cue = fcue = 1.0;
    }
    /* A heading on what was asked (or on the sentence's own facet, for
     * fscore) and a heading naming the focus both help. */
    heading = (hr->mask & (primary_bit(&c->q) | c->q.mask)) ? 1.0 : 0.0;
    heading = MIN(1.0, heading + 0.5 * heading_focus);
    fheading = (hr->mask & (1u << cs.facet)) ? 1.0 : 0.0;
    fheading = MIN(1.0, fheading + 0.5 * heading_focus);
    docw = c->docw[ci];
    cs.score = W_FOCUS * cs.focus + W_REL * cs.rel + W_CUE * cs.cue +
               W_HEADING * heading + W_DOC * docw;
    cs.fscore =
        cs.score + W_CUE * (fcue - cs.cue) + W_HEADING * (fheading - heading);
    /* A follow-up asks about its qualifier ("during pregnancy"): a sentence
     * without it answers the previous question, not this one. */
    if (c->in->qa->is_follow_up &&
        !has_qualifier(c, c->pool + c->npool, nstems)) {
        cs.score *= 0.7;
        cs.fscore *= 0.7;
    }
    if (is_anaphoric(s, len)) {
        cs.score *= 0.85;
        cs.fscore *= 0.85;
    }
    if (len > 300) {
        cs.score *= 0.9;
        cs.fscore *= 0.9;
    }
    cs.cand = ci;
    cs.section = si;
    cs.start = sen->start;
    cs.end = sen->end;
    cs.block = block_of(d);
    cs.is_dose = answer_is_dose(s, len);
    cs.keypoint_section = is_keypoint_heading(d->sections[si].heading);
    c->npool += nstems;
    return push_sent(c, &cs);
}

static double heading_focus(struct compose *c, const char *heading)
{
    struct focus_set tmp;
    size_t k, hit = 0, best_n = 0;
    struct qcollect qc = {&c->q, heading, 0, &tmp, c->in, false};

    if (!heading || !*heading || c->q.nfocus == 0)
        return 0;
    memset(&tmp, 0, sizeof tmp);
    if (analyzer_run(c->in->analyzer, &index_opts, heading, strlen(heading),
                     on_qterm, &qc) != GALEN_OK)
        return 0;
    qsort(tmp.h, tmp.n, sizeof *tmp.h, cmp_u32);
    best_n = c->q.focus[0].n;
    for (k = 0; k < best_n; k++)
        hit += has_hash(tmp.h, tmp.n, c->q.focus[0].h[k]);
    return best_n ? (double)hit / (double)best_n : 0;
}

/* Notes which of the question's own terms occur among n token hashes. */
static void note_seen(struct compose *c, size_t ci, const uint32_t *h, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        for (k = 0; k < c->q.nt && k < 128; k++) {
            if (c->q.t[k].own && c->q.t[k].h == h[i])
                c->seen[ci][k / 64] |= 1ull << (k % 64);
        }
    }
}

static int scan_section(struct compose *c, size_t ci, size_t si, size_t *budget)
{
    const struct doc_section *sec = &c->in->cands[ci].doc->sections[si];
    size_t len = MIN(strlen(sec->text), *budget), pos = 0, tok = 0;
    struct sec_terms st = {c, NULL, NULL, 0, 0, GALEN_OK};
    struct qtype_result hr;
    struct sentence sen;
    double hf;
    int rc, t;

    *budget -= len;
    qtype_classify(sec->heading, strlen(sec->heading), &hr);
    /* Only a heading that clearly names a facet ("Causes", not "Medicines")
     * decides a sentence's facet. */
    hr.mask = 0;
    for (t = 0; t < QTYPE_COUNT; t++) {
        if (hr.score[t] >= QTYPE_FACET_MIN)
            hr.mask |= 1u << t;
    }
    hf = heading_focus(c, sec->heading);
    rc = analyzer_run(c->in->analyzer, &index_opts, sec->text, len, on_sec_term,
                      &st);
    while (rc == GALEN_OK && sentence_next(sec->text, len, &pos, &sen)) {
        size_t n = 0;

        if (!eligible_text(sec->text + sen.start, sen.end - sen.start,
                           sen.flags))
            continue;
        rc = sentence_stems(c, &st, &tok, sen.start, sen.end, &n);
        if (rc == GALEN_OK)
            rc = consider(c, ci, si, &hr, hf, sec->text, &sen, n);
    }
    galen_free(st.h);
    galen_free(st.at);
    return rc;
}

/* A document's coverage of the question (the share of the question's own
 * terms its title and text have, each term counted once) and its best
 * sentence score. */
static int doc_summary(struct compose *c, size_t ci, size_t first)
{
    const char *title = c->in->cands[ci].doc->title;
    struct sec_terms st = {c, NULL, NULL, 0, 0, GALEN_OK};
    int rc = analyzer_run(c->in->analyzer, &index_opts, title, strlen(title),
                          on_sec_term, &st);
    size_t k, hit = 0;

    if (rc == GALEN_OK)
        note_seen(c, ci, st.h, st.n);
    galen_free(st.h);
    galen_free(st.at);
    for (k = 0; k < c->q.nt && k < 128; k++)
        hit += (c->seen[ci][k / 64] >> (k % 64)) & 1;
    c->doc_cov[ci] = c->q.nown ? (double)hit / (double)c->q.nown : 0;
    for (k = first; k < c->ns; k++) {
        c->doc_best[ci] = MAX(c->doc_best[ci], c->s[k].score);
        c->best_focus = MAX(c->best_focus, c->s[k].focus);
    }
    return rc;
}

static int scan_docs(struct compose *c)
{
    size_t ci, si;
    int rc = GALEN_OK;

    for (ci = 0; ci < c->nscan; ci++) {
        const struct doc *d = c->in->cands[ci].doc;
        size_t budget = ANSWER_DOC_TEXT_MAX, first = c->ns;

        if (!doc_allowed(c->in, d))
            continue;
        c->docw[ci] = doc_weight(c, ci);
        for (si = 0; rc == GALEN_OK && si < d->nsections && budget > 0; si++) {
            if (!skip_section(d->sections[si].heading))
                rc = scan_section(c, ci, si, &budget);
        }
        if (rc != GALEN_OK)
            return rc;
        rc = doc_summary(c, ci, first);
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

/* ---- choosing sentences ------------------------------------------------- */

enum { CHOSEN_MAX = 48, NONE = SIZE_MAX };

struct pick {
    int block;       /* enum answer_block_kind, or -1 for any */
    unsigned facets; /* facet mask; 0 for any */
    bool no_dose;    /* leave dose sentences out */
    bool keypoint;   /* prefer short "Key Points" sentences */
    double floor;    /* lowest score taken */
    bool by_facet;   /* rank by fscore (a related facet), not score */
    bool want_dose;  /* only sentences that state a dose */
};

struct chosen {
    size_t lead[ANSWER_LEAD_MAX], nlead;
    size_t block[ANSWER_BLOCK_COUNT][ANSWER_BLOCK_MAX],
        nblock[ANSWER_BLOCK_COUNT];
    size_t key[ANSWER_KEYPOINTS_MAX], nkey;
    size_t all[CHOSEN_MAX], nall;
};

/* Overlap of candidate b with chosen sentence a, each term weighted by
 * how rare it is among the candidate sentences (so sharing "fatigue"
 * counts and sharing "cramp" hardly does): the larger of the weighted
 * Jaccard index and of the share of b's weight that a already has, so a
 * candidate that a already says counts as a near-duplicate while one that
 * says a and more does not. */
static double similarity(const struct compose *c, const struct csent *a,
                         const struct csent *b)
{
    const uint32_t *x = c->pool + a->stem_off, *y = c->pool + b->stem_off;
    const float *wx = c->weight + a->stem_off;
    size_t i = 0, j = 0;
    double inter = 0, ma = c->mass[a - c->s], mb = c->mass[b - c->s], uni;

    while (i < a->nstems && j < b->nstems) {
        if (x[i] == y[j]) {
            inter += wx[i];
            i++;
            j++;
        } else if (x[i] < y[j]) {
            i++;
        } else {
            j++;
        }
    }
    uni = ma + mb - inter;
    if (uni <= 0 || mb <= 0)
        return 0;
    return MAX(inter / uni, CONTAIN_WEIGHT * inter / mb);
}

/* Weighs every candidate term by its rarity among the candidates. */
static int weigh_terms(struct compose *c)
{
    size_t cap = 16, k, j;
    uint32_t *key;
    uint32_t *cnt;
    int rc = GALEN_OK;

    while (cap < 2 * c->npool + 2)
        cap *= 2;
    key = galen_calloc(cap, sizeof *key);
    cnt = galen_calloc(cap, sizeof *cnt);
    c->weight = galen_calloc(c->npool + 1, sizeof *c->weight);
    c->mass = galen_calloc(c->ns + 1, sizeof *c->mass);
    if (!key || !cnt || !c->weight || !c->mass)
        rc = GALEN_ENOMEM;
    for (k = 0; rc == GALEN_OK && k < 2 * c->npool; k++) {
        size_t p = k % c->npool, i = (c->pool[p] | 1) & (cap - 1);

        while (key[i] && key[i] != (c->pool[p] | 1))
            i = (i + 1) & (cap - 1);
        key[i] = c->pool[p] | 1;
        if (k < c->npool)
            cnt[i]++;
        else
            c->weight[p] =
                (float)log(1.0 + (double)c->ns / (double)MAX(cnt[i], 1u));
    }
    for (k = 0; rc == GALEN_OK && k < c->ns; k++) {
        for (j = 0; j < c->s[k].nstems; j++)
            c->mass[k] += c->weight[c->s[k].stem_off + j];
    }
    galen_free(key);
    galen_free(cnt);
    return rc;
}

/* How many chosen sentences come from the same section as s: a document's
 * sections are its sub-topics, and an answer should visit several. */
static size_t same_section(const struct compose *c, const struct chosen *ch,
                           const struct csent *s)
{
    size_t k, n = 0;

    for (k = 0; k < ch->nall; k++) {
        const struct csent *x = &c->s[ch->all[k]];
        n += x->cand == s->cand && x->section == s->section;
    }
    return n;
}

static double max_sim(const struct compose *c, const struct chosen *ch,
                      const struct csent *s)
{
    double m = 0;
    size_t k;

    for (k = 0; k < ch->nall; k++)
        m = MAX(m, similarity(c, &c->s[ch->all[k]], s));
    return m;
}

static double pick_score(const struct pick *p, const struct csent *s)
{
    return p->by_facet ? s->fscore : s->score;
}

static bool passes(const struct compose *c, const struct pick *p,
                   const struct csent *s)
{
    if (s->used || pick_score(p, s) < p->floor)
        return false;
    if (p->block >= 0 && (int)s->block != p->block)
        return false;
    if (p->facets && !(p->facets & (1u << s->facet)))
        return false;
    if ((p->no_dose && s->is_dose) || (p->want_dose && !s->is_dose))
        return false;
    if (p->keypoint && s->end - s->start > 220)
        return false;
    /* A related facet may come from a document already quoted for what was
     * asked: guideline summaries hold causes and doses side by side. */
    /* The document that answers the question best (retrieved first and of
     * the question's type) may give a few more. */
    return c->per_doc[s->cand] < (size_t)ANSWER_PER_DOC_MAX +
                                     (p->by_facet ? 2 : 0) +
                                     (c->docw[s->cand] >= 0.9 ? 2 : 0);
}

static bool covered_has(const struct compose *c, uint32_t h)
{
    size_t i = (h | 1) & (COVERED_SLOTS - 1);

    while (c->covered[i]) {
        if (c->covered[i] == (h | 1))
            return true;
        i = (i + 1) & (COVERED_SLOTS - 1);
    }
    return false;
}

/* Adds a chosen sentence's terms; a full set just stops growing. */
static void cover(struct compose *c, const struct csent *s)
{
    size_t k, n = 0;

    for (k = 0; k < COVERED_SLOTS; k++)
        n += c->covered[k] != 0;
    for (k = 0; k < s->nstems && n < COVERED_SLOTS / 2; k++) {
        uint32_t h = c->pool[s->stem_off + k] | 1;
        size_t i = h & (COVERED_SLOTS - 1);

        while (c->covered[i] && c->covered[i] != h)
            i = (i + 1) & (COVERED_SLOTS - 1);
        if (!c->covered[i]) {
            c->covered[i] = h;
            n++;
        }
    }
}

static bool is_qterm(const struct qmodel *q, uint32_t h)
{
    size_t k;

    for (k = 0; k < q->nt; k++) {
        if (q->t[k].h == h)
            return true;
    }
    return false;
}

/* What a sentence would add to the answer: the weight of its terms (the
 * question's own aside) that no chosen sentence has, relative to
 * NOVELTY_MASS and capped at 1, so a sentence that adds more new things
 * counts for more than a short one that adds a few. */
static double novelty(const struct compose *c, const struct csent *s)
{
    double fresh = 0;
    size_t k;

    for (k = 0; k < s->nstems; k++) {
        uint32_t h = c->pool[s->stem_off + k];

        if (!is_qterm(&c->q, h) && !covered_has(c, h))
            fresh += c->weight[s->stem_off + k];
    }
    return MIN(1.0, fresh / NOVELTY_MASS);
}

/* Maximal marginal relevance: the best score after a penalty for overlap
 * with what is already chosen and a bonus for what it adds that nothing
 * chosen says; near-duplicates are never taken. Scanning in document,
 * section and offset order with a strict '>' makes ties go to the
 * earliest sentence. */
static size_t mmr_pick(struct compose *c, struct chosen *ch,
                       const struct pick *p)
{
    size_t k, best = NONE;
    double best_v = 0;

    if (ch->nall >= CHOSEN_MAX)
        return NONE;
    for (k = 0; k < c->ns; k++) {
        const struct csent *s = &c->s[k];
        double sim, nov, v;

        if (!passes(c, p, s))
            continue;
        sim = max_sim(c, ch, s);
        nov = novelty(c, s);
        /* Overlapping a chosen sentence makes a near-duplicate only when
         * the candidate also adds little that is new. */
        if (sim >= DUP_SIM && nov < DUP_NOVELTY)
            continue;
        /* No section penalty in a document that answers the question best
         * (weight 1): its sections are the answer's outline. */
        v = pick_score(p, s) - MMR_LAMBDA * sim + NOVELTY * nov -
            SAME_SECTION * 2.0 * (1.0 - c->docw[s->cand]) *
                (double)same_section(c, ch, s);
        if (p->keypoint && s->keypoint_section)
            v += 0.15;
        if (best == NONE || v > best_v) {
            best = k;
            best_v = v;
        }
    }
    if (best != NONE) {
        c->s[best].used = true;
        c->per_doc[c->s[best].cand]++;
        ch->all[ch->nall++] = best;
        cover(c, &c->s[best]);
    }
    return best;
}

/* Tries each pick in turn and returns the first sentence found. */
static size_t pick_first(struct compose *c, struct chosen *ch,
                         const struct pick *p, size_t n)
{
    size_t k, got = NONE;

    for (k = 0; k < n && got == NONE; k++)
        got = mmr_pick(c, ch, &p[k]);
    return got;
}

/* Lead sentences summarise; they do not count against their document's
 * share of the body. */
static void add_lead(struct compose *c, struct chosen *ch, size_t got)
{
    if (got == NONE)
        return;
    c->per_doc[c->s[got].cand]--;
    if (ch->nlead < ANSWER_LEAD_MAX)
        ch->lead[ch->nlead++] = got;
}

/* Patients: the answer to what they asked from plain sources first, then
 * what to do or when to see a doctor; never a dose. */
static void lead_patient(struct compose *c, struct chosen *ch, double floor)
{
    const unsigned act = (1u << QTYPE_TREATMENT) |
                         (1u << QTYPE_WHEN_TO_SEE_DOCTOR) |
                         (1u << QTYPE_PREVENTION);
    unsigned pb = primary_bit(&c->q);
    struct pick first[] = {
        {ANSWER_BLOCK_PATIENTS, pb, true, false, floor, false, false},
        {-1, pb, true, false, floor, false, false},
        {-1, 0, true, false, floor, false, false}};
    struct pick second[] = {
        {ANSWER_BLOCK_PATIENTS, act & ~pb, true, false, floor, true, false},
        {-1, act & ~pb, true, false, floor, true, false}};

    add_lead(c, ch, pick_first(c, ch, first, ARRAY_SIZE(first)));
    if (ch->nlead > 0 && (act & ~pb))
        add_lead(c, ch, pick_first(c, ch, second, ARRAY_SIZE(second)));
    if (ch->nlead == 1)
        add_lead(c, ch, pick_first(c, ch, first, ARRAY_SIZE(first)));
}

/* Clinicians: the guideline's answer first, then the research's. */
static void lead_clinician(struct compose *c, struct chosen *ch, double floor)
{
    unsigned pb = primary_bit(&c->q);
    struct pick first[] = {
        {ANSWER_BLOCK_GUIDELINES, pb, false, false, floor, false, false},
        {ANSWER_BLOCK_RESEARCH, pb, false, false, floor, false, false},
        {-1, pb, false, false, floor, false, false},
        {-1, 0, false, false, floor, false, false}};
    struct pick second[] = {
        {ANSWER_BLOCK_RESEARCH, pb, false, false, floor, false, false},
        {-1, pb, false, false, floor, false, false}};

    add_lead(c, ch, pick_first(c, ch, first, ARRAY_SIZE(first)));
    if (ch->nlead > 0)
        add_lead(c, ch, pick_first(c, ch, second, ARRAY_SIZE(second)));
}

static const enum answer_block_kind patient_order[] = {
    ANSWER_BLOCK_PATIENTS, ANSWER_BLOCK_GUIDELINES, ANSWER_BLOCK_RESEARCH};

static const enum answer_block_kind clinician_order[] = {
    ANSWER_BLOCK_GUIDELINES, ANSWER_BLOCK_RESEARCH, ANSWER_BLOCK_PATIENTS};

const enum answer_block_kind *answer_block_order(enum galen_audience a)
{
    return a == GALEN_AUDIENCE_CLINICIAN ? clinician_order : patient_order;
}

enum { RELATED_MAX = 3, RELATED_PER_BLOCK = 2 };

/* The facets a reader asking about one facet usually needs next, for each
 * audience: a patient asking about causes also wants to know what to do
 * and when to see a doctor; a clinician, the treatment and its doses. */
static size_t related_facets(enum qtype t, enum galen_audience a,
                             enum qtype *out)
{
    static const enum qtype patient[QTYPE_COUNT][RELATED_MAX] = {
        [QTYPE_OTHER] = {QTYPE_CAUSES, QTYPE_TREATMENT,
                         QTYPE_WHEN_TO_SEE_DOCTOR},
        [QTYPE_DEFINITION] = {QTYPE_CAUSES, QTYPE_TREATMENT,
                              QTYPE_WHEN_TO_SEE_DOCTOR},
        [QTYPE_CAUSES] = {QTYPE_PREVENTION, QTYPE_TREATMENT,
                          QTYPE_WHEN_TO_SEE_DOCTOR},
        [QTYPE_SYMPTOMS] = {QTYPE_CAUSES, QTYPE_WHEN_TO_SEE_DOCTOR,
                            QTYPE_TREATMENT},
        [QTYPE_DIAGNOSIS] = {QTYPE_WHEN_TO_SEE_DOCTOR, QTYPE_SYMPTOMS,
                             QTYPE_CAUSES},
        [QTYPE_TREATMENT] = {QTYPE_PREVENTION, QTYPE_WHEN_TO_SEE_DOCTOR,
                             QTYPE_SIDE_EFFECTS},
        [QTYPE_PREVENTION] = {QTYPE_TREATMENT, QTYPE_CAUSES,
                              QTYPE_WHEN_TO_SEE_DOCTOR},
        [QTYPE_RISK_FACTORS] = {QTYPE_CAUSES, QTYPE_PREVENTION,
                                QTYPE_WHEN_TO_SEE_DOCTOR},
    };

    static const enum qtype clinician[QTYPE_COUNT][RELATED_MAX] = {
        [QTYPE_OTHER] = {QTYPE_CAUSES, QTYPE_TREATMENT, QTYPE_DIAGNOSIS},
        [QTYPE_DEFINITION] = {QTYPE_CAUSES, QTYPE_TREATMENT, QTYPE_DIAGNOSIS},
        [QTYPE_CAUSES] = {QTYPE_TREATMENT, QTYPE_PREVENTION, QTYPE_DIAGNOSIS},
        [QTYPE_SYMPTOMS] = {QTYPE_CAUSES, QTYPE_DIAGNOSIS, QTYPE_TREATMENT},
        [QTYPE_DIAGNOSIS] = {QTYPE_CAUSES, QTYPE_TREATMENT},
        [QTYPE_TREATMENT] = {QTYPE_DOSAGE, QTYPE_SIDE_EFFECTS,
                             QTYPE_PREVENTION},
        [QTYPE_PREVENTION] = {QTYPE_TREATMENT, QTYPE_CAUSES},
        [QTYPE_RISK_FACTORS] = {QTYPE_CAUSES, QTYPE_PREVENTION},
    };
    const enum qtype *r =
        a == GALEN_AUDIENCE_CLINICIAN ? clinician[t] : patient[t];
    size_t n = 0, k;

    for (k = 0; k < RELATED_MAX; k++) {
        if (r[k] != QTYPE_OTHER && r[k] != t)
            out[n++] = r[k];
    }
    return n;
}

static bool block_add(struct compose *c, struct chosen *ch,
                      enum answer_block_kind b, const struct pick *p)
{
    size_t got = mmr_pick(c, ch, p);

    if (got == NONE)
        return false;
    ch->block[b][ch->nblock[b]++] = got;
    return true;
}

enum { DOSES_PER_BLOCK = 2 };

/* Fills block b: sentences on what was asked; for clinicians, up to
 * DOSES_PER_BLOCK treatment sentences that state a dose; up to
 * RELATED_PER_BLOCK on related facets (ranked by their own facet's cues);
 * then the best of the rest. */
static void fill_block(struct compose *c, struct chosen *ch,
                       enum answer_block_kind b, size_t max, double floor)
{
    const unsigned treat = (1u << QTYPE_TREATMENT) | (1u << QTYPE_DOSAGE) |
                           (1u << QTYPE_PREVENTION);
    enum qtype rel[RELATED_MAX];
    size_t nrel = related_facets(c->q.primary, c->in->audience, rel), k;
    size_t quota = max > RELATED_PER_BLOCK ? max - RELATED_PER_BLOCK : 1;
    unsigned asked = primary_bit(&c->q) | c->q.mask;
    struct pick p = {(int)b, asked, false, false, floor, false, false};
    struct pick dose = {(int)b, treat, false, false, floor, true, true};

    while (ch->nblock[b] < quota && block_add(c, ch, b, &p))
        ;
    for (k = 0; c->in->audience == GALEN_AUDIENCE_CLINICIAN &&
                k < DOSES_PER_BLOCK && ch->nblock[b] < max;
         k++) {
        if (!block_add(c, ch, b, &dose))
            break;
    }
    for (k = 0; k < nrel && ch->nblock[b] < max && k < RELATED_PER_BLOCK; k++) {
        struct pick r = {(int)b, 1u << rel[k], false, false,
                         floor,  true,         false};
        block_add(c, ch, b, &r);
    }
    p.facets = 0;
    while (ch->nblock[b] < max && block_add(c, ch, b, &p))
        ;
}

static void fill_blocks(struct compose *c, struct chosen *ch, double floor)
{
    const enum answer_block_kind *order = answer_block_order(c->in->audience);
    size_t k;

    for (k = 0; k < ANSWER_BLOCK_COUNT; k++) {
        enum answer_block_kind b = order[k];
        bool preferred = c->in->audience == GALEN_AUDIENCE_CLINICIAN
                             ? b != ANSWER_BLOCK_PATIENTS
                             : b == ANSWER_BLOCK_PATIENTS;

        fill_block(c, ch, b, preferred ? ANSWER_BLOCK_MAX : ANSWER_OTHER_MAX,
                   floor);
    }
}

static void fill_keypoints(struct compose *c, struct chosen *ch, double floor)
{
    struct pick p = {-1,   0,     c->in->audience == GALEN_AUDIENCE_PATIENT,
                     true, floor, false,
                     false};

    if (ch->nall < 4)
        return;
    while (ch->nkey < ANSWER_KEYPOINTS_MAX) {
        size_t got = mmr_pick(c, ch, &p);
        if (got == NONE)
            break;
        ch->key[ch->nkey++] = got;
    }
}

/* Display rank of a facet: the question's own type, then its other facets,
 * then the rest in layout order. */
static int facet_rank(const struct qmodel *q, enum qtype t)
{
    size_t k;

    if (t == q->primary)
        return 0;
    for (k = 0; k < ARRAY_SIZE(layout_types); k++) {
        if (layout_types[k] == t)
            return ((q->mask & (1u << t)) ? 1 : 20) + (int)k;
    }
    return 40;
}

/* Orders a block's sentences by facet, then score, then document rank and
 * offset (insertion sort: blocks are a handful of sentences). */
static void sort_block(const struct compose *c, size_t *v, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        size_t x = v[i];
        const struct csent *a = &c->s[x];

        for (j = i; j > 0; j--) {
            const struct csent *b = &c->s[v[j - 1]];
            int ra = facet_rank(&c->q, a->facet),
                rb = facet_rank(&c->q, b->facet);

            if (ra > rb ||
                (ra == rb && (a->score < b->score ||
                              (a->score == b->score && v[j - 1] < x))))
                break;
            v[j] = v[j - 1];
        }
        v[j] = x;
    }
}

/* ---- building the answer ------------------------------------------------ */

/* Length of an inline citation "[3]", "[1, 2]" or "[2-4]" at s[i], or 0. */
static size_t cite_len(const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    bool digit = false;

    if (s[i] != '[')
        return 0;
    while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == ',' ||
                       s[j] == ' ' || s[j] == '-')) {
        digit = digit || (s[j] >= '0' && s[j] <= '9');
        j++;
    }
    return (j < len && s[j] == ']' && digit) ? j + 1 - i : 0;
}

/* Records the reference numbers of the citation s[0..n) in as. */
static void note_refs(struct answer_sentence *as, const char *s, size_t n)
{
    size_t k = 1;

    while (k < n) {
        long v = 0;
        bool any = false;

        while (k < n && s[k] >= '0' && s[k] <= '9' && v < 100000) {
            v = v * 10 + (s[k] - '0');
            any = true;
            k++;
        }
        if (any && as->nrefs < ARRAY_SIZE(as->refs))
            as->refs[as->nrefs++] = (int)v;
        k++;
    }
}

/* Copies the sentence without the source's own citation markers (galen
 * puts its own [n] on it) and with white space runs collapsed. */
static int copy_sentence(struct answer_sentence *as, const char *s, size_t len)
{
    char *out = galen_malloc(len + 1);
    size_t i = 0, n = 0;

    if (!out)
        return GALEN_ENOMEM;
    while (i < len) {
        size_t cl = cite_len(s, len, i);
        unsigned char ch = (unsigned char)s[i];

        if (cl) {
            note_refs(as, s + i, cl);
            while (n > 0 && out[n - 1] == ' ')
                n--;
            i += cl;
            continue;
        }
        if (ch == '\n' || ch == '\t' || ch == '\r')
            ch = ' ';
        if (!(ch == ' ' && (n == 0 || out[n - 1] == ' ')))
            out[n++] = (char)ch;
        i++;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    as->text = out;
    return GALEN_OK;
}

struct builder {
    struct compose *c;
    struct galen_answer *ans;
    size_t src_of[ANSWER_DOCS_MAX]; /* source index per candidate, or NONE */
};

static int source_for(struct builder *b, size_t ci, size_t *out)
{
    struct galen_answer *ans = b->ans;
    struct answer_source *src;

    if (b->src_of[ci] != NONE) {
        *out = b->src_of[ci];
        return GALEN_OK;
    }
    src = &ans->sources[ans->nsources];
    src->doc = b->c->in->cands[ci].doc;
    b->c->in->cands[ci].doc = NULL;
    src->number = (unsigned)ans->nsources + 1;
    src->rank = ci;
    src->score = b->c->in->cands[ci].score;
    src->cited = true;
    b->src_of[ci] = ans->nsources;
    *out = ans->nsources++;
    return GALEN_OK;
}

/* Appends chosen sentence k to the answer; *idx gets its index. */
static int add_sentence(struct builder *b, size_t k, size_t *idx)
{
    const struct csent *cs = &b->c->s[k];
    struct galen_answer *ans = b->ans;
    struct answer_sentence *as = &ans->sentences[ans->nsentences];
    const struct doc *d = b->c->in->cands[cs->cand].doc;
    int rc;

    memset(as, 0, sizeof *as);
    if (!d)
        d = ans->sources[b->src_of[cs->cand]].doc;
    rc = copy_sentence(as, d->sections[cs->section].text + cs->start,
                       cs->end - cs->start);
    if (rc == GALEN_OK)
        rc = source_for(b, cs->cand, &as->source);
    if (rc != GALEN_OK)
        return rc;
    as->section = cs->section;
    as->start = cs->start;
    as->end = cs->end;
    as->facet = cs->facet;
    as->score = cs->score;
    as->is_dose = cs->is_dose;
    *idx = ans->nsentences++;
    return GALEN_OK;
}

static int add_list(struct builder *b, const size_t *v, size_t n, size_t **out,
                    size_t *nout)
{
    size_t k;
    int rc = GALEN_OK;

    *nout = 0;
    if (n == 0)
        return GALEN_OK;
    *out = galen_calloc(n, sizeof **out);
    if (!*out)
        return GALEN_ENOMEM;
    for (k = 0; k < n && rc == GALEN_OK; k++) {
        rc = add_sentence(b, v[k], &(*out)[k]);
        if (rc == GALEN_OK)
            (*nout)++;
    }
    return rc;
}

static int build_body(struct builder *b, struct chosen *ch)
{
    struct galen_answer *ans = b->ans;
    const enum answer_block_kind *order = answer_block_order(ans->audience);
    size_t k;
    int rc;

    ans->sentences =
        galen_calloc(ch->nall ? ch->nall : 1, sizeof *ans->sentences);
    ans->sources = galen_calloc(ANSWER_DOCS_MAX, sizeof *ans->sources);
    if (!ans->sentences || !ans->sources)
        return GALEN_ENOMEM;
    for (k = 0; k < ANSWER_DOCS_MAX; k++)
        b->src_of[k] = NONE;
    rc = add_list(b, ch->lead, ch->nlead, &ans->lead, &ans->nlead);
    for (k = 0; rc == GALEN_OK && k < ANSWER_BLOCK_COUNT; k++) {
        enum answer_block_kind bk = order[k];
        sort_block(b->c, ch->block[bk], ch->nblock[bk]);
        rc = add_list(b, ch->block[bk], ch->nblock[bk], &ans->block[bk],
                      &ans->nblock[bk]);
    }
    if (rc == GALEN_OK)
        rc = add_list(b, ch->key, ch->nkey, &ans->keypoints, &ans->nkeypoints);
    return rc;
}

static char *dup_or_null(const char *s, int *rc)
{
    char *d;

    if (!s || *rc != GALEN_OK)
        return NULL;
    d = galen_strdup(s);
    if (!d)
        *rc = GALEN_ENOMEM;
    return d;
}

static int copy_redflags(struct galen_answer *ans,
                         const struct answer_compose_in *in)
{
    size_t k, n = MIN(in->nredflags, (size_t)ANSWER_REDFLAGS_MAX);
    int rc = GALEN_OK;

    if (n == 0)
        return GALEN_OK;
    ans->redflags = galen_calloc(n, sizeof *ans->redflags);
    if (!ans->redflags)
        return GALEN_ENOMEM;
    for (k = 0; k < n && rc == GALEN_OK; k++) {
        const struct redflag_rule *r = in->redflags[k];
        struct answer_redflag *f = &ans->redflags[k];

        f->id = dup_or_null(r->id, &rc);
        f->message = dup_or_null(r->message, &rc);
        f->source = dup_or_null(r->source, &rc);
        f->urgency = dup_or_null(redflag_urgency_name(r->urgency), &rc);
        ans->nredflags++;
    }
    return rc;
}

/* Status and date of the answer: the least-reviewed status and the latest
 * date among the cited sources. */
static int review_banner(struct galen_answer *ans)
{
    static const int rank[DOC_STATUS_COUNT] = {[DOC_STATUS_REJECTED] = 0,
                                               [DOC_STATUS_SUBMITTED] = 1,
                                               [DOC_STATUS_UNDER_REVIEW] = 2,
                                               [DOC_STATUS_APPROVED] = 3};
    const char *date = NULL;
    int low = 99, low_status = DOC_STATUS_SUBMITTED, rc = GALEN_OK;
    size_t k;

    for (k = 0; k < ans->nsources; k++) {
        const struct doc *d = ans->sources[k].doc;
        if (rank[d->status] < low) {
            low = rank[d->status];
            low_status = (int)d->status;
        }
        if (d->date && (!date || strcmp(d->date, date) > 0))
            date = d->date;
    }
    if (ans->nsources == 0)
        return GALEN_OK;
    ans->status =
        dup_or_null(doc_status_name((enum doc_status)low_status), &rc);
    ans->updated = dup_or_null(date, &rc);
    return rc;
}

/* ---- follow-up questions ------------------------------------------------ */

/* Follow-ups offered, in this order; drugs get their own set. */
static const enum qtype followup_order[] = {
    QTYPE_DEFINITION,         QTYPE_CAUSES,       QTYPE_SYMPTOMS,
    QTYPE_DIAGNOSIS,          QTYPE_TREATMENT,    QTYPE_PREVENTION,
    QTYPE_WHEN_TO_SEE_DOCTOR, QTYPE_RISK_FACTORS, QTYPE_PROGNOSIS};

static const enum qtype drug_followup_order[] = {QTYPE_DEFINITION, QTYPE_DOSAGE,
                                                 QTYPE_SIDE_EFFECTS};

/* True if the document is about the question's focus: its title and focus
 * terms hold at least half of the focus words. */
static bool doc_on_focus(struct compose *c, const struct doc *d)
{
    struct focus_set tmp;
    struct qcollect qc = {&c->q, NULL, 0, &tmp, c->in, false};
    size_t k, hit = 0;

    if (c->q.nfocus == 0 || !d->title)
        return false;
    memset(&tmp, 0, sizeof tmp);
    qc.text = d->title;
    if (analyzer_run(c->in->analyzer, &index_opts, d->title, strlen(d->title),
                     on_qterm, &qc) != GALEN_OK)
        return false;
    for (k = 0; k < d->focus.n; k++) {
        qc.text = d->focus.v[k];
        if (analyzer_run(c->in->analyzer, &index_opts, d->focus.v[k],
                         strlen(d->focus.v[k]), on_qterm, &qc) != GALEN_OK)
            return false;
    }
    qsort(tmp.h, tmp.n, sizeof *tmp.h, cmp_u32);
    for (k = 0; k < c->q.focus[0].n; k++)
        hit += has_hash(tmp.h, tmp.n, c->q.focus[0].h[k]);
    return 2 * hit >= c->q.focus[0].n;
}

/* The facets some retrieved document on the focus can answer: its question
 * type, or a section whose heading asks that facet. */
static unsigned answerable(struct compose *c)
{
    unsigned m = 0;
    size_t ci, si;

    for (ci = 0; ci < c->nscan; ci++) {
        const struct doc *d = c->in->cands[ci].doc;
        enum qtype t;

        if (!d || !doc_allowed(c->in, d) || !doc_on_focus(c, d))
            continue;
        if (d->question_type &&
            qtype_from_name(d->question_type, strlen(d->question_type), &t))
            m |= 1u << t;
        for (si = 0; si < d->nsections; si++) {
            struct qtype_result r;
            const char *h = d->sections[si].heading;
            qtype_classify(h, strlen(h), &r);
            if (r.type != QTYPE_OTHER && r.score[r.type] >= QTYPE_FACET_MIN)
                m |= 1u << r.type;
        }
    }
    return m;
}

static bool is_plural(const char *focus)
{
    size_t n = strlen(focus);

    return n > 3 && focus[n - 1] == 's' && focus[n - 2] != 's' &&
           focus[n - 2] != 'u' && focus[n - 2] != 'i';
}

/* Fills the template's "%s" with the focus, lower-casing a capitalised
 * first word ("Leg cramps") but not an acronym ("ALS"). */
static int add_followup(struct galen_answer *ans, const char *tmpl,
                        const char *focus)
{
    const char *at = strstr(tmpl, "%s");
    struct buf b;
    int rc = GALEN_OK;
    char first = focus[0];

    if (!at)
        return GALEN_OK;
    if (focus[1] >= 'a' && focus[1] <= 'z')
        first = (char)answer_text_lower((unsigned char)first);
    buf_init(&b, 4096);
    buf_put(&rc, &b, tmpl, (size_t)(at - tmpl));
    buf_put_byte(&rc, &b, (unsigned char)first);
    buf_put_str(&rc, &b, focus + 1);
    buf_put_str(&rc, &b, at + 2);
    buf_put_nul(&rc, &b);
    if (rc != GALEN_OK) {
        buf_cleanup(&b);
        return rc;
    }
    ans->followups[ans->nfollowups++] = (char *)buf_take(&b, NULL);
    return GALEN_OK;
}

static int build_followups(struct compose *c, struct galen_answer *ans)
{
    const struct qanalysis *qa = c->in->qa;
    bool drug = qa->focus_kind == FOCUS_DRUG;
    const enum qtype *order = drug ? drug_followup_order : followup_order;
    size_t n =
        drug ? ARRAY_SIZE(drug_followup_order) : ARRAY_SIZE(followup_order);
    unsigned can;
    size_t k;
    int rc = GALEN_OK;

    if (!qa->focus || c->q.nfocus == 0)
        return GALEN_OK;
    can = answerable(c);
    ans->followups = galen_calloc(ANSWER_FOLLOWUPS_MAX, sizeof(char *));
    if (!ans->followups)
        return GALEN_ENOMEM;
    for (k = 0; k < n && rc == GALEN_OK; k++) {
        const char *tmpl = qtype_followup(order[k], is_plural(qa->focus));

        if (ans->nfollowups >= ANSWER_FOLLOWUPS_MAX)
            break;
        if (order[k] == qa->qtype.type || !(can & (1u << order[k])) || !tmpl)
            continue;
        rc = add_followup(ans, tmpl, qa->focus);
    }
    return rc;
}

/* ---- the whole composition ---------------------------------------------- */

static int start_answer(struct galen_answer *ans,
                        const struct answer_compose_in *in)
{
    const struct qanalysis *qa = in->qa;
    int rc = GALEN_OK;

    ans->question = dup_or_null(qa->text, &rc);
    ans->did_you_mean = dup_or_null(qa->did_you_mean, &rc);
    ans->focus = dup_or_null(qa->focus, &rc);
    ans->focus_kind = qa->focus_kind;
    ans->focus_inherited = qa->focus_inherited;
    ans->qtype = qa->qtype.type;
    ans->facets = qa->qtype.mask;
    ans->audience = in->audience;
    if (rc == GALEN_OK)
        rc = copy_redflags(ans, in);
    return rc;
}

static int abstain(struct galen_answer *ans, bool nothing)
{
    int rc = GALEN_OK;

    ans->abstained = true;
    ans->abstain_reason = dup_or_null(
        nothing ? "galen's sources hold nothing that matches this question."
                : "galen's sources hold nothing that answers this question "
                  "well enough to quote; it may not be a health question "
                  "they cover.",
        &rc);
    ans->suggestion = dup_or_null(
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
    if (in->ncands > 0 && in->cands[0].score <= 0)
        return GALEN_EINVAL;
    c->doc_cov = galen_calloc(n, sizeof *c->doc_cov);
    c->doc_best = galen_calloc(n, sizeof *c->doc_best);
    c->per_doc = galen_calloc(n, sizeof *c->per_doc);
    c->seen = galen_calloc(n, sizeof *c->seen);
    c->docw = galen_calloc(n, sizeof *c->docw);
    if (!c->doc_cov || !c->doc_best || !c->per_doc || !c->seen || !c->docw)
        return GALEN_ENOMEM;
    return in->ncands > 0 ? build_qmodel(in, &c->q) : GALEN_OK;
}

static void compose_cleanup(struct compose *c)
{
    galen_free(c->s);
    galen_free(c->pool);
    galen_free(c->doc_cov);
    galen_free(c->doc_best);
    galen_free(c->per_doc);
    galen_free(c->weight);
    galen_free(c->mass);
    galen_free(c->seen);
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
static bool relevant_enough(const struct compose *c)
{
    enum focus_kind fk = c->in->qa->focus_kind;
    bool medical_focus = fk == FOCUS_SYMPTOM || fk == FOCUS_CONDITION ||
                         fk == FOCUS_DRUG || fk == FOCUS_BODY_PART ||
                         c->in->nredflags > 0;

    if (c->ns == 0 || best_score(c) < ANSWER_MIN_SENTENCE_SCORE)
        return false;
    return best_coverage(c) >= ANSWER_MIN_COVERAGE ||
           (medical_focus && c->best_focus >= 0.99);
}

static int answer_body(struct compose *c, struct galen_answer *ans)
{
    struct chosen ch;
    struct builder b = {c, ans, {0}};
    double best = best_score(c);
    double floor = MAX(ANSWER_MIN_SENTENCE_SCORE, FLOOR_RATIO * best);
    int rc;

    memset(&ch, 0, sizeof ch);
    if (c->in->audience == GALEN_AUDIENCE_CLINICIAN)
        lead_clinician(c, &ch, floor);
    else
        lead_patient(c, &ch, floor);
    fill_blocks(c, &ch, floor);
    fill_keypoints(c, &ch, floor);
    rc = build_body(&b, &ch);
    if (rc == GALEN_OK)
        rc = review_banner(ans);
    if (rc == GALEN_OK)
        rc = build_followups(c, ans);
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
        rc = scan_docs(&c);
    if (rc == GALEN_OK)
        rc = weigh_terms(&c);
    if (rc == GALEN_OK) {
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

int answer_rank_scores(const struct answer_compose_in *in, double *out)
{
    struct answer_compose_in tmp = *in;
    struct compose c;
    size_t k;
    int rc = compose_init(&c, &tmp, in->ncands);

    if (rc == GALEN_OK && in->ncands > 0)
        rc = scan_docs(&c);
    for (k = 0; rc == GALEN_OK && k < in->ncands; k++) {
        double bm = in->cands[k].score / in->cands[0].score;
        out[k] = ANSWER_RANK_W_BM25 * bm +
                 ANSWER_RANK_W_SENTENCE * c.doc_best[k] +
                 ANSWER_RANK_W_COVERAGE * c.doc_cov[k];
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
    }
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
