/* SPDX-License-Identifier: MIT */
/* spell.c: symmetric-delete spelling correction. Words live in one byte pool;
 * an open-addressing table finds a word exactly. The deletion index is a
 * bucket array: each word's prefix deletions are hashed to a bucket, built
 * by counting sort (a count pass, then a fill pass), so it costs two flat
 * uint32 arrays and no per-entry allocation. Buckets may mix deletions with
 * equal hashes; every candidate is verified by the true distance. */
#include "spell.h"

#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/mem.h"

enum { POOL_MAX = 1u << 30, DEL_MAX = 64 };

struct word {
    uint32_t off; /* into pool */
    uint32_t len;
    uint64_t freq;
};

struct spell {
    struct buf pool;    /* word bytes, back to back */
    struct word *words; /* words[0..nwords) */
    size_t nwords, cap;
    uint32_t *table;      /* exact lookup: word id + 1, 0 = empty */
    size_t table_mask;    /* table size - 1 (a power of two) */
    uint32_t *bucket_off; /* deletion buckets: ids in [off[b], off[b+1]) */
    uint32_t *bucket_ids;
    size_t bucket_mask;
    bool built;
};

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = hash_fnv1a64(p, n);

    return h ^ (h >> 29);
}

static const char *word_bytes(const struct spell *sp, const struct word *w)
{
    return (const char *)sp->pool.data + w->off;
}

int spell_new(struct spell **out)
{
    struct spell *sp = galen_calloc(1, sizeof *sp);

    if (!sp)
        return GALEN_ENOMEM;
    buf_init(&sp->pool, POOL_MAX);
    *out = sp;
    return GALEN_OK;
}

void spell_free(struct spell *sp)
{
    if (!sp)
        return;
    buf_cleanup(&sp->pool);
    galen_free(sp->words);
    galen_free(sp->table);
    galen_free(sp->bucket_off);
    galen_free(sp->bucket_ids);
    galen_free(sp);
}

/* Returns the slot holding word, or the empty slot where it would go. */
static size_t table_slot(const struct spell *sp, const char *w, size_t len)
{
    size_t i = hash_bytes(w, len) & sp->table_mask;

    for (;;) {
        uint32_t id = sp->table[i];
        const struct word *x;

        if (id == 0)
            return i;
        x = &sp->words[id - 1];
        if (x->len == len && memcmp(word_bytes(sp, x), w, len) == 0)
            return i;
        i = (i + 1) & sp->table_mask;
    }
}

static int table_grow(struct spell *sp)
{
    size_t n = sp->table ? (sp->table_mask + 1) * 2 : 1024, i;
    uint32_t *t = galen_calloc(n, sizeof *t);

    if (!t)
        return GALEN_ENOMEM;
    galen_free(sp->table);
    sp->table = t;
    sp->table_mask = n - 1;
    for (i = 0; i < sp->nwords; i++) {
        const struct word *w = &sp->words[i];
        sp->table[table_slot(sp, word_bytes(sp, w), w->len)] = (uint32_t)i + 1;
    }
    return GALEN_OK;
}

static int words_reserve(struct spell *sp)
{
    struct word *w;
    size_t ncap;

    if (sp->nwords < sp->cap)
        return GALEN_OK;
    if (sp->nwords >= UINT32_MAX - 1)
        return GALEN_ETOOBIG;
    ncap = sp->cap ? sp->cap * 2 : 256;
    w = galen_realloc(sp->words, ncap * sizeof *w);
    if (!w)
        return GALEN_ENOMEM;
    sp->words = w;
    sp->cap = ncap;
    return GALEN_OK;
}

int spell_reserve(struct spell *sp, size_t nwords, size_t nbytes)
{
    size_t n = 1024;
    int rc;

    if (sp->built || sp->nwords > 0)
        return GALEN_ESTATE;
    if (nwords >= UINT32_MAX / 4)
        return GALEN_ETOOBIG;
    while (n < nwords * 2 + 2)
        n *= 2;
    galen_free(sp->table);
    sp->table = galen_calloc(n, sizeof *sp->table);
    if (!sp->table)
        return GALEN_ENOMEM;
    sp->table_mask = n - 1;
    sp->words = galen_malloc(MAX(nwords, (size_t)1) * sizeof *sp->words);
    if (!sp->words)
        return GALEN_ENOMEM;
    sp->cap = MAX(nwords, (size_t)1);
    rc = buf_reserve(&sp->pool, nbytes);
    return rc;
}

int spell_add(struct spell *sp, const char *word, size_t len, uint64_t freq)
{
    size_t slot;
    int rc = GALEN_OK;

    if (sp->built)
        return GALEN_ESTATE;
    if (len == 0 || len > SPELL_WORD_MAX)
        return GALEN_OK;
    if (!sp->table || (sp->nwords + 1) * 2 > sp->table_mask + 1) {
        rc = table_grow(sp);
        if (rc != GALEN_OK)
            return rc;
    }
    slot = table_slot(sp, word, len);
    if (sp->table[slot]) {
        sp->words[sp->table[slot] - 1].freq += freq;
        return GALEN_OK;
    }
    rc = words_reserve(sp);
    if (rc != GALEN_OK)
        return rc;
    sp->words[sp->nwords].off = (uint32_t)sp->pool.len;
    buf_put(&rc, &sp->pool, word, len);
    if (rc != GALEN_OK)
        return rc;
    sp->words[sp->nwords].len = (uint32_t)len;
    sp->words[sp->nwords].freq = freq;
    sp->nwords++;
    sp->table[slot] = (uint32_t)sp->nwords;
    return GALEN_OK;
}

size_t spell_size(const struct spell *sp)
{
    return sp->nwords;
}

uint64_t spell_freq(const struct spell *sp, const char *word, size_t len)
{
    size_t slot;

    if (!sp->table || len == 0 || len > SPELL_WORD_MAX)
        return 0;
    slot = table_slot(sp, word, len);
    return sp->table[slot] ? sp->words[sp->table[slot] - 1].freq : 0;
}

/* Calls fn for the hash of every string made by deleting 0..max bytes from
 * w[0..min(len, SPELL_PREFIX)). Duplicate strings are reported once per
 * distinct deletion position set, which callers tolerate. */
typedef void (*delete_fn)(void *ctx, uint64_t h);

static void deletes(const char *w, size_t len, unsigned max, delete_fn fn,
                    void *ctx)
{
    char t[SPELL_PREFIX];
    size_t n = MIN(len, (size_t)SPELL_PREFIX), i, j, k, m;

    fn(ctx, hash_bytes(w, n));
    for (i = 0; i < n; i++) {
        for (k = 0, m = 0; k < n; k++) {
            if (k != i)
                t[m++] = w[k];
        }
        fn(ctx, hash_bytes(t, m));
        if (max < 2)
            continue;
        for (j = i + 1; j < n; j++) {
            for (k = 0, m = 0; k < n; k++) {
                if (k != i && k != j)
                    t[m++] = w[k];
            }
            fn(ctx, hash_bytes(t, m));
        }
    }
}

struct build_ctx {
    struct spell *sp;
    uint32_t id;
    bool fill;
};

static void build_one(void *ctx, uint64_t h)
{
    struct build_ctx *c = ctx;
    size_t b = h & c->sp->bucket_mask;

    if (c->fill)
        c->sp->bucket_ids[c->sp->bucket_off[b]++] = c->id;
    else
        c->sp->bucket_off[b + 1]++;
}

static void build_pass(struct spell *sp, bool fill)
{
    struct build_ctx c = {sp, 0, fill};
    size_t i;

    for (i = 0; i < sp->nwords; i++) {
        const struct word *w = &sp->words[i];
        c.id = (uint32_t)i;
        deletes(word_bytes(sp, w), w->len, SPELL_MAX_DIST, build_one, &c);
    }
}

int spell_build(struct spell *sp)
{
    size_t nb = 1024, i, total;

    if (sp->built)
        return GALEN_OK;
    while (nb < sp->nwords * 16)
        nb *= 2;
    sp->bucket_off = galen_calloc(nb + 1, sizeof *sp->bucket_off);
    if (!sp->bucket_off)
        return GALEN_ENOMEM;
    sp->bucket_mask = nb - 1;
    build_pass(sp, false);
    for (i = 0; i < nb; i++)
        sp->bucket_off[i + 1] += sp->bucket_off[i];
    total = sp->bucket_off[nb];
    sp->bucket_ids = galen_malloc((total ? total : 1) * sizeof(uint32_t));
    if (!sp->bucket_ids) {
        galen_free(sp->bucket_off);
        sp->bucket_off = NULL;
        return GALEN_ENOMEM;
    }
    /* The fill pass advances each bucket's start to its end; shifting the
     * array right by one restores the starts. */
    build_pass(sp, true);
    memmove(sp->bucket_off + 1, sp->bucket_off, nb * sizeof *sp->bucket_off);
    sp->bucket_off[0] = 0;
    sp->built = true;
    return GALEN_OK;
}

unsigned spell_distance(const char *a, size_t alen, const char *b, size_t blen,
                        unsigned max)
{
    unsigned rows[3][SPELL_WORD_MAX + 1];
    unsigned *pp = rows[0], *p = rows[1], *c = rows[2];
    size_t i, j;

    if (alen > SPELL_WORD_MAX || blen > SPELL_WORD_MAX)
        return max + 1;
    if ((alen > blen ? alen - blen : blen - alen) > max)
        return max + 1;
    for (j = 0; j <= blen; j++)
        p[j] = (unsigned)j;
    for (i = 1; i <= alen; i++) {
        unsigned low = c[0] = (unsigned)i;
        unsigned *t;

        for (j = 1; j <= blen; j++) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned v = MIN(MIN(p[j] + 1, c[j - 1] + 1), p[j - 1] + cost);

            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = MIN(v, pp[j - 2] + 1);
            c[j] = v;
            low = MIN(low, v);
        }
        if (low > max)
            return max + 1;
        t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[blen] > max ? max + 1 : p[blen];
}

struct lookup_ctx {
    const struct spell *sp;
    const char *w;
    size_t len;
    unsigned max;
    struct spell_hit best;
    bool found;
};

static bool better(const struct spell_hit *a, const struct spell_hit *b)
{
    size_t n = MIN(a->len, b->len);
    int c;

    if (a->dist != b->dist)
        return a->dist < b->dist;
    if (a->freq != b->freq)
        return a->freq > b->freq;
    c = memcmp(a->word, b->word, n);
    return c != 0 ? c < 0 : a->len < b->len;
}

static void lookup_one(void *ctx, uint64_t h)
{
    struct lookup_ctx *c = ctx;
    const struct spell *sp = c->sp;
    size_t b = h & sp->bucket_mask, k;

    for (k = sp->bucket_off[b]; k < sp->bucket_off[b + 1]; k++) {
        const struct word *x = &sp->words[sp->bucket_ids[k]];
        struct spell_hit hit;

        hit.word = word_bytes(sp, x);
        hit.len = x->len;
        hit.freq = x->freq;
        hit.dist = spell_distance(c->w, c->len, hit.word, hit.len, c->max);
        if (hit.dist == 0 || hit.dist > c->max)
            continue;
        if (!c->found || better(&hit, &c->best)) {
            c->best = hit;
            c->found = true;
        }
    }
}

bool spell_correct(const struct spell *sp, const char *word, size_t len,
                   struct spell_hit *out)
{
    struct lookup_ctx c;

    if (len == 0 || len > SPELL_WORD_MAX || spell_freq(sp, word, len) > 0 ||
        !sp->built)
        return false;
    memset(&c, 0, sizeof c);
    c.sp = sp;
    c.w = word;
    c.len = len;
    c.max = len <= 4 ? 1 : SPELL_MAX_DIST;
    deletes(word, len, c.max, lookup_one, &c);
    if (!c.found)
        return false;
    *out = c.best;
    return true;
}
