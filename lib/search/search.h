/* SPDX-License-Identifier: MIT */
/* search.h: document-at-a-time evaluation of a parsed query over every
 * segment of an index snapshot, with BM25F scores from collection-wide
 * statistics, into an exact top-k. The fast path (MaxScore over windows of
 * postings blocks for OR queries, block-max skipping for queries with
 * required clauses) returns exactly the list and the scores that scoring
 * every posting would; params.exhaustive does the latter, for tests. */
#ifndef GALEN_SEARCH_H
#define GALEN_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "bm25.h"
#include "index/index.h"
#include "query.h"
#include "topk.h"

enum { SEARCH_MAX_K = 10000 };

struct search_params {
    unsigned k;                      /* hits wanted, 1..SEARCH_MAX_K */
    double k1;                       /* BM25 saturation */
    double weight[INDEX_MAX_FIELDS]; /* BM25F field weights */
    double b[INDEX_MAX_FIELDS];      /* BM25F length normalisation */
    bool exhaustive;                 /* score every posting, no pruning */
};

/* k hits with the index's stored BM25F parameters. */
void search_params_default(struct search_params *p,
                           const struct index_conf *conf, unsigned k);

/* A term that contributes to scores, with its collection idf. */
struct search_term {
    struct str term; /* borrowed from the query */
    uint8_t mask;    /* fields it is scored in */
    uint32_t atom;   /* index of its first atom in the query */
    uint64_t df;     /* documents containing it, summed over segments */
    double idf;
};

/* Work counters of the last search_run, for tests and benchmarks. */
struct search_stats {
    uint64_t scored;     /* documents whose full score was computed (not
                            counting the cheap seed pass) */
    uint64_t candidates; /* documents considered at all */
};

struct search;

/* Creates scratch for searching idx (borrowed; it must outlive s). One
 * search is used by one thread at a time. GALEN_OK or GALEN_ENOMEM; caller
 * frees with search_free. */
GALEN_NODISCARD int search_new(const struct index *idx, struct search **out);
void search_free(struct search *s);

/* Runs q (analysed for idx's configuration) and points *hits at the ranked
 * hits, best first: higher score, then lower (segment, doc). *hits is
 * borrowed from s and valid until the next search_run. Errors:
 * GALEN_EINVAL (bad params), GALEN_ENOMEM, GALEN_ECORRUPT (a postings block
 * did not decode). */
GALEN_NODISCARD int search_run(struct search *s, const struct query *q,
                               const struct search_params *p,
                               const struct topk_entry **hits, size_t *n);

/* The scoring terms of the last search_run; borrowed like the hits. */
size_t search_terms(const struct search *s, const struct search_term **out);

/* Counters of the last search_run. */
void search_get_stats(const struct search *s, struct search_stats *st);

#endif
