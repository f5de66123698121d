/* SPDX-License-Identifier: MIT */
/* bm25.h: pure BM25F scoring. A term's score in a document is
 *   wt * ptf / (k1 + ptf),  wt = idf * (k1 + 1),
 *   ptf = sum over fields f of w_f * tf_f / ((1 - b_f) + b_f * len_f / avg_f)
 * (Robertson and Zaragoza's BM25F: field frequencies are normalised and
 * weighted first, then saturated once). Every score and every bound goes
 * through the same inline helpers below, so a bound computed from dominating
 * (tf, len) pairs is never below a score computed from the real ones. */
#ifndef GALEN_BM25_H
#define GALEN_BM25_H

#include <stdint.h>

#include "index/index.h"

/* Smallest idf a term can have. See bm25_idf for why it is clamped. */
#define BM25_IDF_MIN 1e-6

struct bm25_field {
    double weight; /* w_f; 0 disables the field */
    double k;      /* 1 - b_f, kept above 0 so no denominator is 0 */
    double bl;     /* b_f / avg_f, or 0 when the field is empty everywhere */
};

struct bm25 {
    unsigned nfields;
    double k1;
    struct bm25_field f[INDEX_MAX_FIELDS];
};

/* Prepares the per-field constants. weight, b and avg_len have nfields
 * entries; b is clamped to [0, 1) and negative weights count as 0. */
void bm25_init(struct bm25 *m, double k1, unsigned nfields,
               const double *weight, const double *b, const double *avg_len);

/* Inverse document frequency of a term in df of n documents, never below
 * BM25_IDF_MIN. */
double bm25_idf(uint64_t df, uint64_t n);

/* The factor wt = idf * (k1 + 1) that multiplies a term's saturated
 * frequency. */
static inline double bm25_term_weight(const struct bm25 *m, double idf)
{
    return idf * (m->k1 + 1.0);
}

/* Field f's contribution to the pseudo-frequency for tf in len tokens. */
static inline double bm25_field_tf(const struct bm25 *m, unsigned f,
                                   uint32_t tf, uint32_t len)
{
    return m->f[f].weight * (double)tf / (m->f[f].k + m->f[f].bl * len);
}

/* Saturates a pseudo-frequency into a score; 0 stays 0. */
static inline double bm25_saturate(const struct bm25 *m, double wt, double ptf)
{
    return wt * ptf / (m->k1 + ptf);
}

/* Score of one term in one document: tf and len have an entry per field;
 * only fields whose bit is set in mask count. */
double bm25_score(const struct bm25 *m, double wt, unsigned mask,
                  const uint32_t *tf, const uint32_t *len);

/* An upper bound on bm25_score for every posting dominated by imp (see
 * struct impacts) in the fields of mask. */
double bm25_bound(const struct bm25 *m, double wt, unsigned mask,
                  const struct impacts *imp);

#endif
