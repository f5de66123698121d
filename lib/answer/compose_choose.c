/* SPDX-License-Identifier: MIT */
/* compose_choose.c: choosing sentences: maximal marginal relevance, the lead,
 * the blocks, the word budgets and the key points. */
#include "compose_int.h"

/* ---- choosing sentences ------------------------------------------------- */

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

/* Weighs every candidate term by its rarity among the candidates, and
 * gives each sentence its centrality (SM_CENTRAL): the idf-weighted share
 * of the candidates that hold its terms, per square root of its terms,
 * relative to the most central. What many passages say is what the
 * question's sources agree on. */
int compose_weigh_terms(struct compose *c)
{
    size_t cap = 16, k, j;
    uint32_t *key;
    uint32_t *cnt;
    double top = 0;
    int rc = GALEN_OK;

    while (cap < 2 * c->npool + 2)
        cap *= 2;
    key = galen_calloc(cap, sizeof *key);
    cnt = galen_calloc(cap, sizeof *cnt);
    c->weight = galen_calloc(c->npool + 1, sizeof *c->weight);
    c->share = galen_calloc(c->npool + 1, sizeof *c->share);
    c->mass = galen_calloc(c->ns + 1, sizeof *c->mass);
    if (!key || !cnt || !c->weight || !c->share || !c->mass)
        rc = GALEN_ENOMEM;
    for (k = 0; rc == GALEN_OK && k < 2 * c->npool; k++) {
        size_t p = k % c->npool, i = (c->pool[p] | 1) & (cap - 1);

        while (key[i] && key[i] != (c->pool[p] | 1))
            i = (i + 1) & (cap - 1);
        key[i] = c->pool[p] | 1;
        if (k < c->npool) {
            cnt[i]++;
        } else {
            c->weight[p] =
                (float)log(1.0 + (double)c->ns / (double)MAX(cnt[i], 1u));
            c->share[p] = (float)((double)cnt[i] / (double)MAX(c->ns, 1));
        }
    }
    for (k = 0; rc == GALEN_OK && k < c->ns; k++) {
        double cen = 0;

        for (j = 0; j < c->s[k].nstems; j++) {
            size_t p = c->s[k].stem_off + j;

            c->mass[k] += c->weight[p];
            cen += c->weight[p] * c->share[p];
        }
        c->s[k].f[SM_CENTRAL] =
            c->s[k].nstems ? cen / sqrt((double)c->s[k].nstems) : 0;
        top = MAX(top, c->s[k].f[SM_CENTRAL]);
    }
    for (k = 0; rc == GALEN_OK && top > 0 && k < c->ns; k++)
        c->s[k].f[SM_CENTRAL] /= top;
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
    if (s->used || pick_score(p, s) < p->floor || (c->picking_lead && s->leans))
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

    if (ch->nall >= CHOSEN_MAX || ch->words >= compose_words(c, BODY_WORDS_MAX))
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
        ch->words += c->s[best].words;
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

/* A lead sentence stands alone: one that leans on a sentence before it
 * ("this form of surgery") leads only when no other will. */
static size_t pick_lead(struct compose *c, struct chosen *ch,
                        const struct pick *p, size_t n)
{
    size_t got;

    c->picking_lead = true;
    got = pick_first(c, ch, p, n);
    c->picking_lead = false;
    return got != NONE ? got : pick_first(c, ch, p, n);
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
void compose_lead_patient(struct compose *c, struct chosen *ch, double floor)
{
    const unsigned act = (1u << QTYPE_TREATMENT) |
                         (1u << QTYPE_WHEN_TO_SEE_DOCTOR) |
                         (1u << QTYPE_PREVENTION);
    unsigned pb = compose_primary_bit(&c->q);
    struct pick first[] = {
        {ANSWER_BLOCK_PATIENTS, pb, true, false, floor, false, false},
        {-1, pb, true, false, floor, false, false},
        {-1, 0, true, false, floor, false, false}};
    struct pick second[] = {
        {ANSWER_BLOCK_PATIENTS, act & ~pb, true, false, floor, true, false},
        {-1, act & ~pb, true, false, floor, true, false}};

    add_lead(c, ch, pick_lead(c, ch, first, ARRAY_SIZE(first)));
    if (ch->nlead > 0 && (act & ~pb))
        add_lead(c, ch, pick_lead(c, ch, second, ARRAY_SIZE(second)));
    if (ch->nlead == 1)
        add_lead(c, ch, pick_lead(c, ch, first, ARRAY_SIZE(first)));
}

/* Clinicians: the guideline's answer first, then the research's. */
void compose_lead_clinician(struct compose *c, struct chosen *ch, double floor)
{
    unsigned pb = compose_primary_bit(&c->q);
    struct pick first[] = {
        {ANSWER_BLOCK_GUIDELINES, pb, false, false, floor, false, false},
        {ANSWER_BLOCK_RESEARCH, pb, false, false, floor, false, false},
        {-1, pb, false, false, floor, false, false},
        {-1, 0, false, false, floor, false, false}};
    struct pick second[] = {
        {ANSWER_BLOCK_RESEARCH, pb, false, false, floor, false, false},
        {-1, pb, false, false, floor, false, false}};

    add_lead(c, ch, pick_lead(c, ch, first, ARRAY_SIZE(first)));
    if (ch->nlead > 0)
        add_lead(c, ch, pick_lead(c, ch, second, ARRAY_SIZE(second)));
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

/* A block's share of the body's words: the preferred block of the
 * audience most, the others a little each, so that every kind of source
 * speaks within the budget. */
static size_t block_words(const struct compose *c, enum answer_block_kind b)
{
    return compose_words(c, b == answer_block_order(c->in->audience)[0]
                                ? BLOCK_WORDS_FIRST
                                : BLOCK_WORDS_OTHER);
}

static bool block_add(struct compose *c, struct chosen *ch,
                      enum answer_block_kind b, const struct pick *p)
{
    size_t got;

    if (ch->bwords[b] >= block_words(c, b))
        return false;
    got = mmr_pick(c, ch, p);
    if (got == NONE)
        return false;
    ch->block[b][ch->nblock[b]++] = got;
    ch->bwords[b] += c->s[got].words;
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
    unsigned asked = compose_primary_bit(&c->q) | c->q.mask;
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

void compose_fill_blocks(struct compose *c, struct chosen *ch, double floor)
{
    const enum answer_block_kind *order = answer_block_order(c->in->audience);
    size_t k;

    for (k = 0; k < ANSWER_BLOCK_COUNT; k++) {
        enum answer_block_kind b = order[k];
        bool preferred = c->in->audience == GALEN_AUDIENCE_CLINICIAN
                             ? b != ANSWER_BLOCK_PATIENTS
                             : b == ANSWER_BLOCK_PATIENTS;

        /* The long answer gives every kind of source the room of the
         * preferred one. */
        fill_block(c, ch, b,
                   preferred || c->in->long_answer ? ANSWER_BLOCK_MAX
                                                   : ANSWER_OTHER_MAX,
                   floor);
    }
}

/* An answer shorter than BODY_WORDS_MIN takes the best of the rest of the
 * preferred block above a lower floor: on plain passages without headings
 * or cue words the scores are flatter, and two sentences do not answer. */
void compose_fill_short(struct compose *c, struct chosen *ch, double best)
{
    enum answer_block_kind b = answer_block_order(c->in->audience)[0];
    struct pick p = {(int)b,
                     0,
                     c->in->audience == GALEN_AUDIENCE_PATIENT,
                     false,
                     MAX(ANSWER_MIN_FLOOR_LOW, FLOOR_RATIO_LOW * best),
                     false,
                     false};

    while (ch->words < BODY_WORDS_MIN && ch->nblock[b] < ANSWER_BLOCK_MAX &&
           block_add(c, ch, b, &p))
        ;
}

void compose_fill_keypoints(struct compose *c, struct chosen *ch, double floor)
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

/* The best score among a block's sentences of one facet. */
static double facet_best(const struct compose *c, const size_t *v, size_t n,
                         unsigned facet)
{
    double best = 0;
    size_t k;

    for (k = 0; k < n; k++) {
        if (c->s[v[k]].facet == facet)
            best = MAX(best, c->s[v[k]].score);
    }
    return best;
}

/* True for the question's own type or one of the types it asks about. */
static bool asked_facet(const struct qmodel *q, enum qtype t)
{
    return t == q->primary || (q->mask & (1u << t));
}

/* True when sentence x goes before y in a block: the asked facets first, then
 * the facet whose best sentence scores higher (the groups follow the ranking,
 * not a fixed outline), each facet's sentences together, then by score, then in
 * document order. */
static bool goes_before(const struct compose *c, const size_t *v, size_t n,
                        size_t x, size_t y)
{
    const struct csent *a = &c->s[x], *b = &c->s[y];
    double ga = facet_best(c, v, n, a->facet),
           gb = facet_best(c, v, n, b->facet);
    bool pa = asked_facet(&c->q, a->facet), pb = asked_facet(&c->q, b->facet);

    if (pa != pb)
        return pa;
    if (ga != gb)
        return ga > gb;
    if (a->facet != b->facet)
        return a->facet < b->facet;
    if (a->score != b->score)
        return a->score > b->score;
    return x < y;
}

/* Orders a block's sentences (insertion sort: a block holds at most
 * ANSWER_BLOCK_MAX). The facets' best scores are taken from the block as
 * chosen, since the sort moves its entries. */
void compose_sort_block(const struct compose *c, size_t *v, size_t n)
{
    size_t i, j, orig[ANSWER_BLOCK_MAX];

    if (n > ARRAY_SIZE(orig))
        return; /* never: blocks are ANSWER_BLOCK_MAX long */
    memcpy(orig, v, n * sizeof *v);
    for (i = 1; i < n; i++) {
        size_t x = v[i];

        for (j = i; j > 0 && goes_before(c, orig, n, x, v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}
