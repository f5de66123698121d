/* SPDX-License-Identifier: MIT */
/* search.c: query evaluation. A query becomes
 *   - scoring terms: distinct (term, fields) of its optional and required
 *     clauses, phrase words included, each with a collection-wide idf;
 *   - matchers: the variants of its required and excluded clauses (a term
 *     with a field mask, or a phrase checked with positions), grouped by the
 *     written clause they come from.
 * Segments are visited in order and documents in increasing id, all feeding
 * one top-k, so its threshold carries over from segment to segment.
 *
 * Exactness. A document's score is always the sum of its terms'
 * contributions in scoring-term order, whichever path computed them, so
 * both paths produce bit-identical scores. Pruning compares upper bounds
 * with the threshold; bounds are inflated by BOUND_SLACK so that summing
 * them in another order can never round below a real score. A document is
 * skipped only when its bound is <= the threshold, and a score equal to the
 * threshold could not enter anyway (topk.h), so pruning never changes the
 * result.
 *
 * Scratch lives in struct search and is sized for QUERY_MAX_ATOMS terms
 * when it is created; a query allocates only when it meets a longer
 * positions list or more segments than any query before it. */
#include "search.h"

#include <math.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"

#define BOUND_SLACK (1.0 + 1e-9)

enum {
    MAX_TERMS = QUERY_MAX_ATOMS,
    POS_INITIAL = 64,
    SEED_MAX_POSTINGS = 4096, /* longest seed pass, in postings */
    SEED_SHARE = 4            /* seed lists are at most 1/4 of all */
};

/* A scoring term in the segment being searched. */
struct scorer {
    struct postings_cursor *c;
    double wt;            /* idf * (k1 + 1) */
    uint8_t mask;         /* fields scored */
    uint32_t idx;         /* scoring-term index: the summation order */
    double list_ub;       /* bound over the whole list */
    double win_ub;        /* bound over the current window */
    uint32_t cached_last; /* block whose bound is cached, by its last doc */
    double cached_ub;
};

/* A clause variant in the segment being searched. */
struct matcher {
    uint8_t mask;
    bool is_phrase;
    bool absent;       /* a term of it is not in this segment */
    bool valid;        /* doc holds an answer */
    uint32_t doc;      /* first match >= the last target asked for */
    uint32_t first, n; /* its words: s->matom, s->mcur[first .. first + n) */
};

/* A written required or excluded clause: matched by any of its variants. */
struct group {
    uint8_t occur;
    uint32_t first, n; /* matchers */
    uint64_t cost;     /* smallest df among variants, to order required */
};

struct search {
    const struct index *idx;
    const struct segment *seg;
    uint32_t seg_no;
    struct topk top;
    struct topk seed; /* documents of the seed pass */
    size_t top_cap;   /* entries allocated in top and seed */
    struct bm25 m;
    bool exhaustive;
    struct search_stats stats;
    /* scoring terms of the query */
    struct search_term term[MAX_TERMS];
    size_t nterms;
    /* per segment */
    struct scorer sc[MAX_TERMS];
    size_t nsc;
    struct scorer *order[MAX_TERMS]; /* by window bound, ascending */
    double prefix[MAX_TERMS];        /* sums of those bounds */
    size_t first_ess;                /* order[first_ess..] are essential */
    struct matcher mt[MAX_TERMS];
    size_t nmt;
    struct group grp[MAX_TERMS];
    size_t ngrp;
    size_t nmust; /* required groups come first in grp */
    /* per document */
    double contrib[MAX_TERMS];
    uint64_t touched; /* bit i: contrib[i] is set for this document */
    uint32_t len_doc[INDEX_MAX_FIELDS]; /* whose field lengths are cached */
    uint32_t len[INDEX_MAX_FIELDS];
    /* storage */
    struct postings_cursor *scur;              /* MAX_TERMS scoring cursors */
    struct postings_cursor *mcur;              /* MAX_TERMS matcher cursors */
    const struct query_atom *matom[MAX_TERMS]; /* their words */
    uint32_t *pos[MAX_TERMS]; /* positions of each matcher cursor */
    uint32_t pos_cap[MAX_TERMS];
    struct term_info *ti; /* [segment][atom] */
    bool *found;
    size_t ti_cap; /* entries */
};

void search_params_default(struct search_params *p,
                           const struct index_conf *conf, unsigned k)
{
    unsigned f;

    memset(p, 0, sizeof *p);
    p->k = k;
    p->k1 = conf->k1;
    for (f = 0; f < conf->nfields && f < INDEX_MAX_FIELDS; f++) {
        p->weight[f] = conf->field[f].weight;
        p->b[f] = conf->field[f].b;
    }
}

int search_new(const struct index *idx, struct search **out)
{
    struct search *s = galen_calloc(1, sizeof *s);
    size_t i;

    if (!s)
        return GALEN_ENOMEM;
    s->idx = idx;
    s->scur = galen_calloc(MAX_TERMS, sizeof *s->scur);
    s->mcur = galen_calloc(MAX_TERMS, sizeof *s->mcur);
    if (!s->scur || !s->mcur || topk_init(&s->top, 10) != GALEN_OK ||
        topk_init(&s->seed, 10) != GALEN_OK)
        goto fail;
    s->top_cap = 10;
    for (i = 0; i < MAX_TERMS; i++) {
        s->pos[i] = galen_malloc(POS_INITIAL * sizeof(uint32_t));
        if (!s->pos[i])
            goto fail;
        s->pos_cap[i] = POS_INITIAL;
    }
    *out = s;
    return GALEN_OK;
fail:
    search_free(s);
    return GALEN_ENOMEM;
}

void search_free(struct search *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < MAX_TERMS; i++)
        galen_free(s->pos[i]);
    galen_free(s->ti);
    galen_free(s->found);
    galen_free(s->scur);
    galen_free(s->mcur);
    topk_cleanup(&s->top);
    topk_cleanup(&s->seed);
    galen_free(s);
}

size_t search_terms(const struct search *s, const struct search_term **out)
{
    *out = s->term;
    return s->nterms;
}

void search_get_stats(const struct search *s, struct search_stats *st)
{
    *st = s->stats;
}

/* ---- scoring ------------------------------------------------------------ */

static uint32_t field_len(struct search *s, uint32_t doc, unsigned f)
{
    if (s->len_doc[f] != doc) {
        s->len[f] = segment_field_len(s->seg, doc, f);
        s->len_doc[f] = doc;
    }
    return s->len[f];
}

/* The contribution of sc's term to the document its cursor is on. */
static double term_score(struct search *s, const struct scorer *sc)
{
    const struct postings_cursor *c = sc->c;
    double ptf = 0;
    unsigned f;

    for (f = 0; f < s->m.nfields; f++) {
        uint32_t tf;

        if (!(sc->mask >> f & 1))
            continue;
        tf = postings_tf(c, f);
        if (tf)
            ptf += bm25_field_tf(&s->m, f, tf, field_len(s, c->doc, f));
    }
    return bm25_saturate(&s->m, sc->wt, ptf);
}

static void add_contrib(struct search *s, const struct scorer *sc, double v)
{
    s->contrib[sc->idx] = v;
    s->touched |= 1ull << sc->idx;
}

/* The document's score: contributions summed in scoring-term order. */
static double total(struct search *s)
{
    uint64_t t = s->touched;
    double sum = 0;

    while (t) {
        sum += s->contrib[__builtin_ctzll(t)];
        t &= t - 1;
    }
    return sum;
}

/* Bound of the block the cursor's block pointer is on. */
static double block_ub(struct search *s, struct scorer *sc)
{
    uint32_t last = postings_block_last(sc->c);

    if (sc->cached_last != last) {
        sc->cached_ub =
            bm25_bound(&s->m, sc->wt, sc->mask, postings_block_impacts(sc->c)) *
            BOUND_SLACK;
        sc->cached_last = last;
    }
    return sc->cached_ub;
}

/* Moves the block pointer to where target would be. Returns false when the
 * list holds nothing at or after target. */
static bool shallow(struct postings_cursor *c, uint32_t target)
{
    uint32_t last;

    if (c->doc == POSTINGS_END)
        return false;
    if (target < c->doc)
        target = c->doc;
    postings_shallow_geq(c, target);
    last = postings_block_last(c);
    return last != POSTINGS_END && last >= target;
}

static void advance(struct postings_cursor *c, uint32_t target)
{
    if (c->doc < target)
        postings_next_geq(c, target);
}

/* ---- matchers ----------------------------------------------------------- */

static bool masked_tf(const struct postings_cursor *c, uint8_t mask)
{
    unsigned f;

    for (f = 0; f < INDEX_MAX_FIELDS; f++) {
        if ((mask >> f & 1) && postings_tf(c, f))
            return true;
    }
    return false;
}

/* Loads the positions of matcher cursor i in field f into s->pos[i]. */
static int load_positions(struct search *s, uint32_t i, unsigned f, uint32_t *n)
{
    uint32_t cnt = postings_positions(&s->mcur[i], f, s->pos[i], s->pos_cap[i]);

    if (cnt > s->pos_cap[i]) {
        uint32_t *p = galen_realloc(s->pos[i], (size_t)cnt * sizeof *p);

        if (!p)
            return GALEN_ENOMEM;
        s->pos[i] = p;
        s->pos_cap[i] = cnt;
        cnt = postings_positions(&s->mcur[i], f, s->pos[i], s->pos_cap[i]);
    }
    *n = MIN(cnt, s->pos_cap[i]);
    return s->mcur[i].err;
}

/* True if the phrase occurs in field f of the document all of m's cursors
 * are on: some position p of the first word has word i at p + relpos_i. */
static bool phrase_in_field(struct search *s, const struct matcher *m,
                            unsigned f, int *rc)
{
    uint32_t n[MAX_TERMS] = {0}, at[MAX_TERMS] = {0}, i, k;

    for (i = 0; i < m->n; i++) {
        if (!postings_tf(&s->mcur[m->first + i], f))
            return false;
        *rc = load_positions(s, m->first + i, f, &n[i]);
        if (*rc != GALEN_OK)
            return false;
    }
    for (k = 0; k < n[0]; k++) {
        uint32_t base = s->pos[m->first][k] - s->matom[m->first]->relpos;

        for (i = 1; i < m->n; i++) {
            uint32_t want = base + s->matom[m->first + i]->relpos;
            const uint32_t *p = s->pos[m->first + i];

            while (at[i] < n[i] && p[at[i]] < want)
                at[i]++;
            if (at[i] == n[i])
                return false;
            if (p[at[i]] != want)
                break;
        }
        if (i == m->n)
            return true;
    }
    return false;
}

static bool phrase_at(struct search *s, const struct matcher *m, int *rc)
{
    unsigned f;

    for (f = 0; f < s->m.nfields; f++) {
        if ((m->mask >> f & 1) && phrase_in_field(s, m, f, rc))
            return true;
        if (*rc != GALEN_OK)
            return false;
    }
    return false;
}

/* Moves all of m's cursors to the first document >= d holding every word. */
static uint32_t leapfrog(struct search *s, const struct matcher *m, uint32_t d)
{
    uint32_t agree = 0, i = 0;

    while (agree < m->n) {
        struct postings_cursor *c = &s->mcur[m->first + i];

        advance(c, d);
        if (c->doc == POSTINGS_END)
            return POSTINGS_END;
        if (c->doc == d) {
            agree++;
        } else {
            d = c->doc;
            agree = 1;
        }
        i = (i + 1) % m->n;
    }
    return d;
}

/* First document >= t that m matches. Targets never decrease. */
static uint32_t matcher_next_geq(struct search *s, struct matcher *m,
                                 uint32_t t, int *rc)
{
    uint32_t d = t;

    if (m->absent)
        return POSTINGS_END;
    if (m->valid && m->doc >= t)
        return m->doc;
    if (!m->is_phrase) {
        struct postings_cursor *c = &s->mcur[m->first];

        advance(c, t);
        while (c->doc != POSTINGS_END && !masked_tf(c, m->mask))
            postings_next(c);
        d = c->doc;
    } else {
        for (;;) {
            d = leapfrog(s, m, d);
            if (d == POSTINGS_END || phrase_at(s, m, rc) || *rc != GALEN_OK)
                break;
            d++;
        }
    }
    m->doc = d;
    m->valid = true;
    return d;
}

static uint32_t group_next_geq(struct search *s, const struct group *g,
                               uint32_t t, int *rc)
{
    uint32_t best = POSTINGS_END, i;

    for (i = 0; i < g->n && *rc == GALEN_OK; i++) {
        uint32_t d = matcher_next_geq(s, &s->mt[g->first + i], t, rc);

        best = MIN(best, d);
    }
    return best;
}

/* First document >= d matched by every required group. */
static uint32_t conj_next_geq(struct search *s, uint32_t d, int *rc)
{
    size_t g = 0, agree = 0;

    while (agree < s->nmust && *rc == GALEN_OK) {
        uint32_t dg = group_next_geq(s, &s->grp[g], d, rc);

        if (dg == POSTINGS_END)
            return POSTINGS_END;
        if (dg == d) {
            agree++;
        } else {
            d = dg;
            agree = 1;
        }
        g = (g + 1) % s->nmust;
    }
    return d;
}

static bool excluded(struct search *s, uint32_t d, int *rc)
{
    size_t g;

    for (g = s->nmust; g < s->ngrp; g++) {
        if (group_next_geq(s, &s->grp[g], d, rc) == d)
            return true;
    }
    return false;
}

static bool required(struct search *s, uint32_t d, int *rc)
{
    size_t g;

    for (g = 0; g < s->nmust; g++) {
        if (group_next_geq(s, &s->grp[g], d, rc) != d)
            return false;
    }
    return true;
}

/* Offers a fully scored document. Deletions are checked only here, as
 * deleted documents are few and most candidates never get this far. */
static void offer(struct search *s, uint32_t d, double score, int *rc)
{
    s->stats.scored++;
    if (!topk_would_enter(&s->top, score) || segment_is_deleted(s->seg, d) ||
        excluded(s, d, rc) || *rc != GALEN_OK)
        return;
    topk_insert(&s->top, score, s->seg_no, d);
}

/* ---- exhaustive: every posting of every scoring term -------------------- */

static uint32_t min_doc(struct search *s)
{
    uint32_t d = POSTINGS_END;
    size_t i;

    for (i = 0; i < s->nsc; i++)
        d = MIN(d, s->sc[i].c->doc);
    return d;
}

static int run_exhaustive(struct search *s)
{
    uint32_t d;
    int rc = GALEN_OK;

    for (d = min_doc(s); d != POSTINGS_END && rc == GALEN_OK; d = min_doc(s)) {
        size_t i;

        s->touched = 0;
        s->stats.candidates++;
        for (i = 0; i < s->nsc; i++) {
            struct scorer *sc = &s->sc[i];

            if (sc->c->doc != d)
                continue;
            add_contrib(s, sc, term_score(s, sc));
            postings_next(sc->c);
        }
        if (!required(s, d, &rc))
            continue;
        offer(s, d, total(s), &rc);
    }
    return rc;
}

/* ---- required clauses: candidates from the conjunction ------------------ */

/* Sum of block bounds at d, and the last document they all cover. */
static double block_bound_at(struct search *s, uint32_t d, uint32_t *upto)
{
    double ub = 0;
    size_t i;

    *upto = POSTINGS_END;
    for (i = 0; i < s->nsc; i++) {
        struct scorer *sc = &s->sc[i];

        if (!shallow(sc->c, d))
            continue;
        ub += block_ub(s, sc);
        *upto = MIN(*upto, postings_block_last(sc->c));
    }
    return ub;
}

static void score_all(struct search *s, uint32_t d)
{
    size_t i;

    s->touched = 0;
    for (i = 0; i < s->nsc; i++) {
        struct scorer *sc = &s->sc[i];

        advance(sc->c, d);
        if (sc->c->doc == d)
            add_contrib(s, sc, term_score(s, sc));
    }
}

static int run_conjunction(struct search *s)
{
    uint32_t d = 0, upto;
    int rc = GALEN_OK;

    for (;;) {
        d = conj_next_geq(s, d, &rc);
        if (d == POSTINGS_END || rc != GALEN_OK)
            break;
        s->stats.candidates++;
        if (block_bound_at(s, d, &upto) <= s->top.threshold) {
            /* Nothing up to the end of these blocks can enter. */
            if (upto == POSTINGS_END)
                break;
            d = upto + 1;
            continue;
        }
        score_all(s, d);
        offer(s, d, total(s), &rc);
        d++;
    }
    return rc;
}

/* ---- optional terms only: MaxScore over block windows ------------------- */

static void sort_by_window_ub(struct search *s)
{
    size_t i, j;

    for (i = 1; i < s->nsc; i++) {
        struct scorer *x = s->order[i];

        for (j = i; j > 0 && s->order[j - 1]->win_ub > x->win_ub; j--)
            s->order[j] = s->order[j - 1];
        s->order[j] = x;
    }
}

/* Splits order into non-essential terms, which together cannot reach the
 * threshold, and essential ones, which drive the candidates. */
static void partition(struct search *s)
{
    size_t i;

    s->first_ess = s->nsc;
    for (i = 0; i < s->nsc; i++) {
        if (s->prefix[i] > s->top.threshold) {
            s->first_ess = i;
            break;
        }
    }
}

/* The window [win_min, end) ends where the first essential block ends. */
static uint32_t window_end(struct search *s, uint32_t win_min)
{
    uint64_t end = POSTINGS_END;
    size_t i;

    for (i = s->first_ess; i < s->nsc; i++) {
        struct postings_cursor *c = s->order[i]->c;

        if (shallow(c, win_min))
            end = MIN(end, (uint64_t)postings_block_last(c) + 1);
    }
    if (end == POSTINGS_END && s->first_ess > 0) {
        s->first_ess = 0; /* essential lists ran out: look at all */
        return window_end(s, win_min);
    }
    return (uint32_t)end;
}

static void window_bounds(struct search *s, uint32_t win_min, uint32_t win_max)
{
    size_t i;
    double sum = 0;

    for (i = 0; i < s->nsc; i++) {
        struct scorer *sc = &s->sc[i];

        if (!shallow(sc->c, win_min))
            sc->win_ub = 0;
        else if (postings_block_last(sc->c) >= win_max - 1)
            sc->win_ub = block_ub(s, sc);
        else
            sc->win_ub = sc->list_ub;
    }
    sort_by_window_ub(s);
    for (i = 0; i < s->nsc; i++) {
        sum += s->order[i]->win_ub;
        s->prefix[i] = sum;
    }
    partition(s);
}

/* Scores the essential terms on d and moves their cursors past it. */
static double score_essential(struct search *s, uint32_t d)
{
    double score = 0;
    size_t i;

    s->touched = 0;
    for (i = s->first_ess; i < s->nsc; i++) {
        struct scorer *sc = s->order[i];

        double v;

        if (sc->c->doc != d)
            continue;
        v = term_score(s, sc);
        add_contrib(s, sc, v);
        score += v;
        postings_next(sc->c);
    }
    return score;
}

/* Adds non-essential terms, best bound first, while d can still enter. */
static bool score_rest(struct search *s, uint32_t d, double score)
{
    size_t i;

    for (i = s->first_ess; i-- > 0;) {
        struct scorer *sc = s->order[i];

        if (score + s->prefix[i] <= s->top.threshold)
            return false;
        advance(sc->c, d);
        if (sc->c->doc == d) {
            double v = term_score(s, sc);
            add_contrib(s, sc, v);
            score += v;
        }
    }
    return true;
}

static uint32_t essential_min(struct search *s)
{
    uint32_t d = POSTINGS_END;
    size_t i;

    for (i = s->first_ess; i < s->nsc; i++)
        d = MIN(d, s->order[i]->c->doc);
    return d;
}

static int run_window(struct search *s, uint32_t win_min, uint32_t win_max)
{
    int rc = GALEN_OK;
    size_t i;

    for (i = s->first_ess; i < s->nsc; i++)
        advance(s->order[i]->c, win_min);
    while (s->first_ess < s->nsc && rc == GALEN_OK) {
        uint32_t d = essential_min(s);
        double score;

        if (d >= win_max)
            break;
        s->stats.candidates++;
        score = score_essential(s, d);
        if (!score_rest(s, d, score))
            continue;
        offer(s, d, total(s), &rc);
        partition(s);
    }
    return rc;
}

static int run_maxscore(struct search *s)
{
    uint32_t win_min = 0, win_max;
    size_t i;
    int rc = GALEN_OK;

    for (i = 0; i < s->nsc; i++)
        s->order[i] = &s->sc[i];
    s->first_ess = 0;
    while (rc == GALEN_OK && win_min != POSTINGS_END) {
        win_max = window_end(s, win_min);
        if (win_max == POSTINGS_END)
            break; /* no list holds anything at or after win_min */
        window_bounds(s, win_min, win_max);
        rc = run_window(s, win_min, win_max);
        win_min = win_max;
    }
    return rc;
}

/* ---- setting up a query and a segment ----------------------------------- */

/* Scoring terms: distinct (term, weighted fields) of optional and required
 * clauses. */
static void collect_terms(struct search *s, const struct query *q)
{
    uint8_t weighted = 0;
    size_t c, a, t;
    unsigned f;

    for (f = 0; f < s->m.nfields; f++)
        weighted |= (uint8_t)((s->m.f[f].weight > 0) << f);
    s->nterms = 0;
    for (c = 0; c < q->nclauses; c++) {
        const struct query_clause *cl = &q->clause[c];
        uint8_t mask = cl->mask & weighted;

        if (cl->occur == QUERY_MUST_NOT || !mask)
            continue;
        for (a = cl->first; a < cl->first + cl->n; a++) {
            for (t = 0; t < s->nterms; t++) {
                if (s->term[t].mask == mask &&
                    str_eq(s->term[t].term, q->atom[a].term))
                    break;
            }
            if (t < s->nterms)
                continue;
            s->term[t].term = q->atom[a].term;
            s->term[t].mask = mask;
            s->term[t].atom = (uint32_t)a;
            s->term[t].df = 0;
            s->nterms++;
        }
    }
}

/* Looks every atom up in every segment, once. */
static int lookup_all(struct search *s, const struct query *q)
{
    size_t nseg = index_segment_count(s->idx), need = nseg * q->natoms;
    size_t g, a;

    if (need > s->ti_cap) {
        struct term_info *ti = galen_malloc(need * sizeof *ti);
        bool *found = galen_malloc(need * sizeof *found);

        if (!ti || !found) {
            galen_free(ti);
            galen_free(found);
            return GALEN_ENOMEM;
        }
        galen_free(s->ti);
        galen_free(s->found);
        s->ti = ti;
        s->found = found;
        s->ti_cap = need;
    }
    for (g = 0; g < nseg; g++) {
        const struct segment *seg = index_segment(s->idx, (uint32_t)g);

        for (a = 0; a < q->natoms; a++) {
            size_t k = g * q->natoms + a;
            int rc = segment_lookup(seg, q->atom[a].term, &s->ti[k]);

            if (rc != GALEN_OK && rc != GALEN_ENOENT)
                return rc;
            s->found[k] = rc == GALEN_OK;
        }
    }
    return GALEN_OK;
}

static void compute_idf(struct search *s, const struct query *q)
{
    size_t nseg = index_segment_count(s->idx), g, t;
    uint64_t n = index_doc_count(s->idx);

    for (t = 0; t < s->nterms; t++) {
        struct search_term *st = &s->term[t];

        st->df = 0;
        for (g = 0; g < nseg; g++) {
            size_t k = g * q->natoms + st->atom;

            if (s->found[k])
                st->df += s->ti[k].df;
        }
        st->idf = bm25_idf(st->df, n);
    }
}

static void setup_scorers(struct search *s, const struct query *q, size_t g)
{
    size_t t;

    s->nsc = 0;
    for (t = 0; t < s->nterms; t++) {
        const struct search_term *st = &s->term[t];
        size_t k = g * q->natoms + st->atom;
        struct scorer *sc = &s->sc[s->nsc];

        if (!s->found[k])
            continue;
        sc->c = &s->scur[s->nsc];
        postings_cursor_init(sc->c, s->seg, &s->ti[k]);
        sc->wt = bm25_term_weight(&s->m, st->idf);
        sc->mask = st->mask;
        sc->idx = (uint32_t)t;
        sc->list_ub = bm25_bound(&s->m, sc->wt, sc->mask, &s->ti[k].list_max) *
                      BOUND_SLACK;
        sc->cached_last = POSTINGS_END;
        s->nsc++;
    }
}

/* Adds the matcher of clause variant cl to grp. A phrase matches the
 * parts of joined tokens, which cover the same positions. */
static void add_matcher(struct search *s, const struct query *q,
                        const struct query_clause *cl, size_t g,
                        struct group *grp)
{
    struct matcher *m = &s->mt[s->nmt];
    uint64_t cost = UINT64_MAX;
    uint32_t i;

    m->first = s->nmt == 0 ? 0 : m[-1].first + m[-1].n;
    m->n = 0;
    m->mask = cl->mask;
    m->absent = false;
    m->valid = false;
    m->doc = 0;
    for (i = 0; i < cl->n; i++) {
        const struct query_atom *at = &q->atom[cl->first + i];
        size_t k = g * q->natoms + cl->first + i;

        if (cl->is_phrase && at->joined)
            continue;
        s->matom[m->first + m->n] = at;
        if (s->found[k]) {
            postings_cursor_init(&s->mcur[m->first + m->n], s->seg, &s->ti[k]);
            cost = MIN(cost, (uint64_t)s->ti[k].df);
        } else {
            m->absent = true;
        }
        m->n++;
    }
    m->is_phrase = m->n > 1;
    if (!m->absent)
        grp->cost = MIN(grp->cost, cost);
    grp->n++;
    s->nmt++;
}

static void swap_groups(struct group *a, struct group *b)
{
    struct group t = *a;

    *a = *b;
    *b = t;
}

/* Matchers and groups for the required and excluded clauses; required
 * groups first, rarest first, so the conjunction starts from the rarest. */
static void setup_matchers(struct search *s, const struct query *q, size_t g)
{
    size_t c, i, j;

    s->nmt = s->ngrp = s->nmust = 0;
    for (c = 0; c < q->nclauses; c++) {
        const struct query_clause *cl = &q->clause[c];
        struct group *grp = &s->grp[s->ngrp];

        if (cl->occur == QUERY_SHOULD)
            continue;
        if (c == 0 || cl->group != q->clause[c - 1].group || s->ngrp == 0) {
            grp->occur = cl->occur;
            grp->first = (uint32_t)s->nmt;
            grp->n = 0;
            grp->cost = UINT64_MAX;
            s->ngrp++;
        }
        add_matcher(s, q, cl, g, &s->grp[s->ngrp - 1]);
    }
    for (i = 0; i < s->ngrp; i++) {
        for (j = i; j > 0; j--) {
            struct group *a = &s->grp[j - 1], *b = &s->grp[j];
            bool b_first = b->occur == QUERY_MUST &&
                           (a->occur != QUERY_MUST || b->cost < a->cost);

            if (!b_first)
                break;
            swap_groups(a, b);
        }
    }
    for (i = 0; i < s->ngrp; i++)
        s->nmust += s->grp[i].occur == QUERY_MUST;
}

static int check_cursors(const struct search *s)
{
    size_t i;

    for (i = 0; i < s->nsc; i++) {
        if (s->sc[i].c->err != GALEN_OK)
            return GALEN_ECORRUPT;
    }
    for (i = 0; i < s->nmt; i++) {
        uint32_t k;

        for (k = 0; !s->mt[i].absent && k < s->mt[i].n; k++) {
            if (s->mcur[s->mt[i].first + k].err != GALEN_OK)
                return GALEN_ECORRUPT;
        }
    }
    return GALEN_OK;
}

/* Sets up segment g; returns false if nothing in it can match. */
static bool enter_segment(struct search *s, const struct query *q, size_t g)
{
    size_t i;

    s->seg_no = (uint32_t)g;
    s->seg = index_segment(s->idx, (uint32_t)g);
    for (i = 0; i < INDEX_MAX_FIELDS; i++)
        s->len_doc[i] = POSTINGS_END;
    setup_scorers(s, q, g);
    setup_matchers(s, q, g);
    if (s->nsc == 0)
        return false;
    for (i = 0; i < s->nmust; i++) {
        if (s->grp[i].cost == UINT64_MAX)
            return false; /* a required clause has no match here */
    }
    return true;
}

static int search_segment(struct search *s, const struct query *q, size_t g)
{
    int rc;

    if (!enter_segment(s, q, g))
        return GALEN_OK;
    if (s->exhaustive)
        rc = run_exhaustive(s);
    else if (s->nmust > 0)
        rc = run_conjunction(s);
    else
        rc = run_maxscore(s);
    if (rc == GALEN_OK)
        rc = check_cursors(s);
    return rc;
}

/* ---- seeding the threshold ---------------------------------------------- */

/* The rarest scoring terms, as a bit set, whose lists hold together at
 * least k and at most SEED_MAX_POSTINGS postings, and at most 1 in
 * SEED_SHARE of all the query's postings (else seeding saves little); 0 if
 * there are none. */
static uint64_t choose_seeds(const struct search *s, size_t k)
{
    uint64_t chosen = 0, total = 0, all = 0;
    size_t t;

    for (t = 0; t < s->nterms; t++)
        all += s->term[t].df;

    while (total < k) {
        size_t best = s->nterms;

        for (t = 0; t < s->nterms; t++) {
            if (!(chosen >> t & 1) && s->term[t].df > 0 &&
                (best == s->nterms || s->term[t].df < s->term[best].df))
                best = t;
        }
        if (best == s->nterms || total + s->term[best].df > SEED_MAX_POSTINGS)
            return 0;
        chosen |= 1ull << best;
        total += s->term[best].df;
    }
    return total * SEED_SHARE <= all ? chosen : 0;
}

/* Puts every qualifying document of the seed lists of segment g into
 * s->seed, with the part of its score the seed terms make. */
static int seed_segment(struct search *s, const struct query *q, size_t g,
                        uint64_t seeds)
{
    int rc = GALEN_OK;

    if (!enter_segment(s, q, g))
        return GALEN_OK;
    for (;;) {
        uint32_t d = POSTINGS_END;
        size_t i;

        for (i = 0; i < s->nsc; i++) {
            if (seeds >> s->sc[i].idx & 1)
                d = MIN(d, s->sc[i].c->doc);
        }
        if (d == POSTINGS_END || rc != GALEN_OK)
            break;
        s->touched = 0;
        for (i = 0; i < s->nsc; i++) {
            struct scorer *sc = &s->sc[i];

            if (sc->c->doc != d || !(seeds >> sc->idx & 1))
                continue;
            add_contrib(s, sc, term_score(s, sc));
            postings_next(sc->c);
        }
        if (segment_is_deleted(s->seg, d) || !required(s, d, &rc) ||
            excluded(s, d, &rc) || rc != GALEN_OK)
            continue;
        topk_insert(&s->seed, total(s), s->seg_no, d);
    }
    return rc == GALEN_OK ? check_cursors(s) : rc;
}

/* When the rarest terms' lists are short, reads them first. If k of their
 * documents qualify, no hit can score below the k-th best of their partial
 * scores (the seed terms' contributions, summed in the same order as a
 * full score, so never above it), and the main pass may prune everything
 * below that from its first document on. The floor is the largest double
 * below that score, so documents that tie with it still enter, in index
 * order. Touching only the seed lists keeps this pass cheap. */
static int seed_threshold(struct search *s, const struct query *q)
{
    uint64_t seeds = choose_seeds(s, s->top.k);
    size_t g, nseg = index_segment_count(s->idx);
    int rc = GALEN_OK;

    if (!seeds)
        return GALEN_OK;
    topk_clear(&s->seed);
    s->seed.k = s->top.k;
    for (g = 0; g < nseg && rc == GALEN_OK; g++)
        rc = seed_segment(s, q, g, seeds);
    if (rc == GALEN_OK && s->seed.n == s->seed.k)
        topk_set_floor(&s->top, nextafter(s->seed.threshold, -INFINITY));
    return rc;
}

static int check_params(const struct search_params *p, unsigned nfields)
{
    unsigned f;

    if (p->k == 0 || p->k > SEARCH_MAX_K || !(p->k1 >= 0 && p->k1 < 1e6))
        return GALEN_EINVAL;
    for (f = 0; f < nfields; f++) {
        if (!(p->weight[f] >= 0 && p->weight[f] < 1e6) ||
            !(p->b[f] >= 0 && p->b[f] <= 1))
            return GALEN_EINVAL;
    }
    return GALEN_OK;
}

static int prepare(struct search *s, const struct search_params *p)
{
    const struct index_conf *conf = index_get_conf(s->idx);
    double avg[INDEX_MAX_FIELDS] = {0};
    unsigned f;
    int rc = check_params(p, conf->nfields);

    if (rc != GALEN_OK)
        return rc;
    if (p->k > s->top_cap) {
        struct topk t, seed;

        rc = topk_init(&t, p->k);
        if (rc != GALEN_OK)
            return rc;
        rc = topk_init(&seed, p->k);
        if (rc != GALEN_OK) {
            topk_cleanup(&t);
            return rc;
        }
        topk_cleanup(&s->top);
        topk_cleanup(&s->seed);
        s->top = t;
        s->seed = seed;
        s->top_cap = p->k;
    }
    topk_clear(&s->top);
    s->top.k = p->k;
    for (f = 0; f < conf->nfields && f < INDEX_MAX_FIELDS; f++)
        avg[f] = index_avg_field_len(s->idx, f);
    bm25_init(&s->m, p->k1, conf->nfields, p->weight, p->b, avg);
    s->exhaustive = p->exhaustive;
    memset(&s->stats, 0, sizeof s->stats);
    return GALEN_OK;
}

int search_run(struct search *s, const struct query *q,
               const struct search_params *p, const struct topk_entry **hits,
               size_t *n)
{
    size_t g, nseg = index_segment_count(s->idx);
    int rc = prepare(s, p);

    if (rc != GALEN_OK)
        return rc;
    collect_terms(s, q);
    rc = lookup_all(s, q);
    if (rc != GALEN_OK)
        return rc;
    compute_idf(s, q);
    if (!s->exhaustive)
        rc = seed_threshold(s, q);
    for (g = 0; g < nseg && rc == GALEN_OK; g++)
        rc = search_segment(s, q, g);
    if (rc != GALEN_OK)
        return rc;
    *n = topk_finalize(&s->top);
    *hits = s->top.heap;
    return GALEN_OK;
}
