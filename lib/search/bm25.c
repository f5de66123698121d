/* SPDX-License-Identifier: MIT */
/* bm25.c: BM25F scoring and score bounds from stored impacts. Pure
 * functions of their arguments: no index access, no allocation. The bound is
 * the saturation of the sum, over fields, of each field's best impact; each
 * step is monotone, so it dominates every score the impacts describe. */
#include "bm25.h"

#include <math.h>

/* b is kept strictly below 1 so that (1 - b) + b * len / avg is never 0,
 * even for a corrupt length of 0: scores stay finite and never NaN. */
#define BM25_B_MAX (1.0 - 1e-9)

void bm25_init(struct bm25 *m, double k1, unsigned nfields,
               const double *weight, const double *b, const double *avg_len)
{
    unsigned f;

    m->k1 = k1 > 0 ? k1 : 0;
    m->nfields = MIN(nfields, (unsigned)INDEX_MAX_FIELDS);
    for (f = 0; f < m->nfields; f++) {
        double bf = b[f] > 0 ? MIN(b[f], BM25_B_MAX) : 0;

        m->f[f].weight = weight[f] > 0 ? weight[f] : 0;
        m->f[f].k = 1.0 - bf;
        m->f[f].bl = avg_len[f] > 0 ? bf / avg_len[f] : 0;
    }
}

/* Lucene's form of the Robertson-Sparck Jones idf,
 * log(1 + (n - df + 0.5) / (df + 0.5)), which unlike the classic form does
 * not go negative for terms in more than half of the documents. It is still
 * clamped, as FTS5 (fts5_aux.c) and PISA (bm25.hpp) clamp theirs: a zero or
 * negative idf would make matching a term lower a score, which breaks the OR
 * meaning of a query and the premise of MaxScore and block-max WAND that
 * adding a term can only raise a document's score. df > n (which a corrupt
 * or inconsistent index could report) lands on the clamp too. */
double bm25_idf(uint64_t df, uint64_t n)
{
    double idf;

    if (df > n)
        df = n;
    idf = log(1.0 + ((double)(n - df) + 0.5) / ((double)df + 0.5));
    return idf > BM25_IDF_MIN ? idf : BM25_IDF_MIN;
}

double bm25_score(const struct bm25 *m, double wt, unsigned mask,
                  const uint32_t *tf, const uint32_t *len)
{
    double ptf = 0;
    unsigned f;

    for (f = 0; f < m->nfields; f++) {
        if ((mask >> f & 1) && tf[f])
            ptf += bm25_field_tf(m, f, tf[f], len[f]);
    }
    return bm25_saturate(m, wt, ptf);
}

double bm25_bound(const struct bm25 *m, double wt, unsigned mask,
                  const struct impacts *imp)
{
    double ptf = 0;
    unsigned f, i;

    for (f = 0; f < m->nfields; f++) {
        double best = 0;

        if (!(mask >> f & 1))
            continue;
        for (i = 0; i < imp->n[f] && i < IMPACT_MAX; i++) {
            double v = bm25_field_tf(m, f, imp->v[f][i].tf, imp->v[f][i].len);

            best = v > best ? v : best;
        }
        ptf += best;
    }
    return bm25_saturate(m, wt, ptf);
}
