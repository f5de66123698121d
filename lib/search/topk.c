/* SPDX-License-Identifier: MIT */
/* topk.c: bounded binary min-heap. "Worse" means lower score, or an equal
 * score at a later (seg, doc), so the root is always the entry to evict and
 * the threshold is its score once the heap is full. */
#include "topk.h"

#include <stdlib.h>

#include <galen/error.h>

#include "base/mem.h"

int topk_init(struct topk *t, size_t k)
{
    if (k == 0 || k > SIZE_MAX / sizeof(struct topk_entry))
        return GALEN_EINVAL;
    t->heap = galen_malloc(k * sizeof(struct topk_entry));
    if (!t->heap)
        return GALEN_ENOMEM;
    t->k = k;
    topk_clear(t);
    return GALEN_OK;
}

void topk_cleanup(struct topk *t)
{
    galen_free(t->heap);
    t->heap = NULL;
    t->n = 0;
    t->k = 0;
}

void topk_clear(struct topk *t)
{
    t->n = 0;
    t->threshold = 0.0;
    t->floor = 0.0;
}

void topk_set_floor(struct topk *t, double floor)
{
    t->floor = MAX(t->floor, floor);
    t->threshold = MAX(t->threshold, t->floor);
}

/* True if a ranks below b. */
static bool worse(const struct topk_entry *a, const struct topk_entry *b)
{
    if (a->score != b->score)
        return a->score < b->score;
    if (a->seg != b->seg)
        return a->seg > b->seg;
    return a->doc > b->doc;
}

static void sift_up(struct topk_entry *h, size_t i)
{
    struct topk_entry e = h[i];

    while (i > 0) {
        size_t parent = (i - 1) / 2;

        if (!worse(&e, &h[parent]))
            break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

static void sift_down(struct topk_entry *h, size_t n, size_t i)
{
    struct topk_entry e = h[i];

    for (;;) {
        size_t c = 2 * i + 1;

        if (c >= n)
            break;
        if (c + 1 < n && worse(&h[c + 1], &h[c]))
            c++;
        if (!worse(&h[c], &e))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

bool topk_insert(struct topk *t, double score, uint32_t seg, uint32_t doc)
{
    struct topk_entry e = {score, seg, doc};

    if (!topk_would_enter(t, score))
        return false;
    if (t->n < t->k) {
        t->heap[t->n] = e;
        sift_up(t->heap, t->n++);
    } else {
        t->heap[0] = e;
        sift_down(t->heap, t->n, 0);
    }
    if (t->n == t->k)
        t->threshold = MAX(t->heap[0].score, t->floor);
    return true;
}

static int cmp_best_first(const void *pa, const void *pb)
{
    const struct topk_entry *a = pa;
    const struct topk_entry *b = pb;

    if (worse(a, b))
        return 1;
    return worse(b, a) ? -1 : 0;
}

size_t topk_finalize(struct topk *t)
{
    if (t->n > 1)
        qsort(t->heap, t->n, sizeof(struct topk_entry), cmp_best_first);
    return t->n;
}
