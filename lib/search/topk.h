/* SPDX-License-Identifier: MIT */
/* topk.h: the k best (score, segment, doc) entries seen so far, as a bounded
 * min-heap whose root is the worst kept entry (PISA topk_queue). The query
 * loop reads topk_threshold to skip documents that cannot enter.
 * Order is total and deterministic: higher score first, then lower
 * (segment, doc). Since documents are offered in increasing (segment, doc)
 * order, a newcomer that ties the worst kept score never displaces it. */
#ifndef GALEN_TOPK_H
#define GALEN_TOPK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

struct topk_entry {
    double score;
    uint32_t seg;
    uint32_t doc;
};

struct topk {
    struct topk_entry *heap; /* owned; k entries */
    size_t n;                /* entries held */
    size_t k;                /* capacity */
    double threshold;        /* a new score must exceed this to enter */
    double floor;            /* no score <= floor enters, full or not */
};

/* Allocates room for k >= 1 entries. GALEN_OK, GALEN_EINVAL (k == 0) or
 * GALEN_ENOMEM. Caller releases with topk_cleanup. */
GALEN_NODISCARD int topk_init(struct topk *t, size_t k);
void topk_cleanup(struct topk *t);

/* Empties t, keeping its capacity. Only scores > 0 can enter an empty
 * queue: a document that matched nothing scores 0 and is never a hit. */
void topk_clear(struct topk *t);

/* From now on only scores > floor may enter (a floor never lowers the
 * threshold). A query loop that knows k documents scoring at least x sets
 * the floor just below x, which prunes from the start. */
void topk_set_floor(struct topk *t, double floor);

/* True if an entry with this score could enter now. */
static inline bool topk_would_enter(const struct topk *t, double score)
{
    return score > t->threshold;
}

/* Offers an entry; returns true if it was kept. Documents must be offered in
 * increasing (seg, doc) order for ties to resolve as documented. */
bool topk_insert(struct topk *t, double score, uint32_t seg, uint32_t doc);

/* Sorts the kept entries best first into t->heap[0..n) and returns n. The
 * heap order is gone afterwards: call topk_clear before inserting again. */
size_t topk_finalize(struct topk *t);

#endif
