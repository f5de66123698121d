/* SPDX-License-Identifier: MIT */
/* accum.c: in-memory postings accumulator. Terms live in an open-addressing
 * hash table; each owns a byte buffer of its postings in the order docs
 * were added, so doc ids only grow and the buffer is a simple delta code:
 *
 *   posting := varint doc_delta     -- doc minus the term's previous doc
 *                                      (the first posting: the doc itself)
 *              varint tf[nfields]
 *              for each field: tf varints, position gaps (first from 0)
 *
 * Within one document, tokens are first collected as (slot, field,
 * position), one slot per distinct term, then grouped by slot with a
 * counting sort, so each term's posting is appended in one go. */
#include "accum.h"

#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "base/hash.h"
#include "base/mem.h"
#include "base/varint.h"

struct acc_term {
    unsigned char *post; /* owned postings buffer */
    size_t post_len, post_cap;
    uint32_t hash;
    uint32_t off;      /* term bytes in accum.bytes */
    uint32_t len;      /* term length */
    uint32_t df;       /* postings so far */
    uint32_t last_doc; /* doc of the last posting */
    uint32_t slot;     /* slot in the current doc, if stamp == accum.stamp */
    uint32_t stamp;
};

struct tok {
    uint32_t slot;
    uint32_t pos;
    uint32_t field;
};

struct id_entry {
    uint32_t hash;
    uint32_t doc1; /* doc + 1; 0 = empty */
};

struct accum {
    unsigned nfields;
    struct analyzer_opts opts[INDEX_MAX_FIELDS];
    struct acc_term *terms;
    size_t nterms, terms_cap;
    uint32_t *tab; /* term index + 1; 0 = empty */
    size_t tab_cap;
    struct buf bytes;     /* all term bytes */
    struct id_entry *ids; /* external id -> newest doc */
    size_t nids, ids_cap;
    struct buf deleted; /* bitmap of buffered docs */
    size_t post_mem;    /* sum of post_cap */
    /* per-document scratch */
    struct tok *toks;
    size_t ntoks, toks_cap;
    uint32_t *slot_term, *slot_start, *order, *posv;
    size_t nslots, slots_cap, starts_cap, order_cap, posv_cap;
    uint32_t doc;
    uint32_t stamp; /* counts accum_add calls: marks the current doc */
    unsigned field;
    uint32_t flen[INDEX_MAX_FIELDS];
};

enum { ACCUM_BYTES_MAX = 0xffffffffu, ACCUM_TAB_MIN = 1024 };

/* Grows the array *p of elem-sized items so it holds at least need. */
static int grow(void *p, size_t *cap, size_t need, size_t elem)
{
    void **pp = p;
    size_t ncap = *cap ? *cap : 16;
    void *q;

    if (need <= *cap)
        return GALEN_OK;
    while (ncap < need)
        ncap *= 2;
    if (ncap > SIZE_MAX / elem)
        return GALEN_ETOOBIG;
    q = galen_realloc(*pp, ncap * elem);
    if (!q)
        return GALEN_ENOMEM;
    *pp = q;
    *cap = ncap;
    return GALEN_OK;
}

int accum_new(unsigned nfields, const struct analyzer_opts *opts,
              struct accum **out)
{
    struct accum *a = galen_calloc(1, sizeof *a);

    if (!a)
        return GALEN_ENOMEM;
    a->nfields = nfields;
    memcpy(a->opts, opts, nfields * sizeof *opts);
    buf_init(&a->bytes, ACCUM_BYTES_MAX);
    buf_init(&a->deleted, ACCUM_BYTES_MAX);
    *out = a;
    return GALEN_OK;
}

static void free_terms(struct accum *a)
{
    size_t i;

    for (i = 0; i < a->nterms; i++)
        galen_free(a->terms[i].post);
    a->nterms = 0;
    a->post_mem = 0;
}

void accum_reset(struct accum *a)
{
    free_terms(a);
    if (a->tab)
        memset(a->tab, 0, a->tab_cap * sizeof *a->tab);
    if (a->ids)
        memset(a->ids, 0, a->ids_cap * sizeof *a->ids);
    a->nids = 0;
    buf_reset(&a->bytes);
    buf_reset(&a->deleted);
}

void accum_free(struct accum *a)
{
    if (!a)
        return;
    free_terms(a);
    galen_free(a->terms);
    galen_free(a->tab);
    galen_free(a->ids);
    galen_free(a->toks);
    galen_free(a->slot_term);
    galen_free(a->slot_start);
    galen_free(a->order);
    galen_free(a->posv);
    buf_cleanup(&a->bytes);
    buf_cleanup(&a->deleted);
    galen_free(a);
}

size_t accum_mem(const struct accum *a)
{
    return a->post_mem + a->terms_cap * sizeof *a->terms +
           a->tab_cap * sizeof *a->tab + a->bytes.cap +
           a->ids_cap * sizeof *a->ids + a->toks_cap * sizeof *a->toks +
           (a->slots_cap + a->starts_cap + a->order_cap + a->posv_cap) *
               sizeof(uint32_t);
}

/* ---- term table --------------------------------------------------------- */

static int rehash(struct accum *a)
{
    size_t cap = a->tab_cap ? a->tab_cap * 2 : ACCUM_TAB_MIN;
    uint32_t *t = galen_calloc(cap, sizeof *t);
    size_t i;

    if (!t)
        return GALEN_ENOMEM;
    for (i = 0; i < a->nterms; i++) {
        size_t j = a->terms[i].hash & (cap - 1);

        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = (uint32_t)i + 1;
    }
    galen_free(a->tab);
    a->tab = t;
    a->tab_cap = cap;
    return GALEN_OK;
}

static int add_term(struct accum *a, const char *p, size_t len, uint32_t h,
                    size_t slot, uint32_t *out)
{
    struct acc_term *e;
    int rc = GALEN_OK;

    if (a->nterms >= UINT32_MAX - 1 || a->bytes.len + len > ACCUM_BYTES_MAX)
        return GALEN_ETOOBIG;
    rc = grow(&a->terms, &a->terms_cap, a->nterms + 1, sizeof *a->terms);
    if (rc != GALEN_OK)
        return rc;
    e = &a->terms[a->nterms];
    memset(e, 0, sizeof *e);
    e->hash = h;
    e->off = (uint32_t)a->bytes.len;
    e->len = (uint32_t)len;
    buf_put(&rc, &a->bytes, p, len);
    if (rc != GALEN_OK)
        return rc;
    a->tab[slot] = (uint32_t)a->nterms + 1;
    *out = (uint32_t)a->nterms++;
    return GALEN_OK;
}

static int find_or_add(struct accum *a, const char *p, size_t len,
                       uint32_t *out)
{
    uint32_t h = hash_fnv1a32(p, len);
    size_t j;
    int rc;

    if ((a->nterms + 1) * 2 > a->tab_cap) {
        rc = rehash(a);
        if (rc != GALEN_OK)
            return rc;
    }
    for (j = h & (a->tab_cap - 1); a->tab[j]; j = (j + 1) & (a->tab_cap - 1)) {
        const struct acc_term *e = &a->terms[a->tab[j] - 1];

        if (e->hash == h && e->len == len &&
            memcmp(a->bytes.data + e->off, p, len) == 0) {
            *out = a->tab[j] - 1;
            return GALEN_OK;
        }
    }
    return add_term(a, p, len, h, j, out);
}

/* ---- ids ---------------------------------------------------------------- */

static int ids_rehash(struct accum *a)
{
    size_t cap = a->ids_cap ? a->ids_cap * 2 : ACCUM_TAB_MIN;
    struct id_entry *t = galen_calloc(cap, sizeof *t);
    size_t i;

    if (!t)
        return GALEN_ENOMEM;
    for (i = 0; i < a->ids_cap; i++) {
        size_t j;

        if (!a->ids[i].doc1)
            continue;
        j = a->ids[i].hash & (cap - 1);
        while (t[j].doc1)
            j = (j + 1) & (cap - 1);
        t[j] = a->ids[i];
    }
    galen_free(a->ids);
    a->ids = t;
    a->ids_cap = cap;
    return GALEN_OK;
}

/* Returns the slot holding id, or the empty slot where it would go. */
static size_t id_slot(const struct accum *a, const struct segment_builder *b,
                      struct str id, uint32_t h)
{
    size_t j = h & (a->ids_cap - 1);

    while (a->ids[j].doc1) {
        if (a->ids[j].hash == h &&
            str_eq(segment_builder_doc_id(b, a->ids[j].doc1 - 1), id))
            break;
        j = (j + 1) & (a->ids_cap - 1);
    }
    return j;
}

int accum_find_id(const struct accum *a, const struct segment_builder *b,
                  struct str id, uint32_t *doc)
{
    size_t j;

    if (a->ids_cap == 0 || !b)
        return GALEN_ENOENT;
    j = id_slot(a, b, id, hash_fnv1a32(id.p, id.len));
    if (!a->ids[j].doc1)
        return GALEN_ENOENT;
    *doc = a->ids[j].doc1 - 1;
    return GALEN_OK;
}

static int remember_id(struct accum *a, const struct segment_builder *b,
                       struct str id, uint32_t doc)
{
    uint32_t h = hash_fnv1a32(id.p, id.len);
    size_t j;

    if ((a->nids + 1) * 2 > a->ids_cap) {
        int rc = ids_rehash(a);

        if (rc != GALEN_OK)
            return rc;
    }
    j = id_slot(a, b, id, h);
    if (!a->ids[j].doc1)
        a->nids++;
    a->ids[j].hash = h;
    a->ids[j].doc1 = doc + 1;
    return GALEN_OK;
}

void accum_mark_deleted(struct accum *a, uint32_t doc)
{
    size_t byte = doc >> 3;

    if (byte >= a->deleted.len) {
        int rc = buf_reserve(&a->deleted, byte + 1 - a->deleted.len);

        if (rc != GALEN_OK)
            return; /* only reachable on ENOMEM; add() reserves ahead */
        memset(a->deleted.data + a->deleted.len, 0, byte + 1 - a->deleted.len);
        a->deleted.len = byte + 1;
    }
    a->deleted.data[byte] |= (unsigned char)(1u << (doc & 7));
}

bool accum_is_deleted(const struct accum *a, uint32_t doc)
{
    size_t byte = doc >> 3;

    return byte < a->deleted.len && ((a->deleted.data[byte] >> (doc & 7)) & 1);
}

/* ---- adding a document -------------------------------------------------- */

static int on_term(void *ctx, const struct aterm *t)
{
    struct accum *a = ctx;
    struct acc_term *e;
    uint32_t ti;
    int rc;

    if (t->len == 0 || t->len > SEGMENT_TERM_MAX)
        return GALEN_OK;
    if (a->flen[a->field] == UINT32_MAX)
        return GALEN_ETOOBIG;
    rc = find_or_add(a, t->term, t->len, &ti);
    if (rc == GALEN_OK)
        rc = grow(&a->toks, &a->toks_cap, a->ntoks + 1, sizeof *a->toks);
    if (rc == GALEN_OK)
        rc = grow(&a->slot_term, &a->slots_cap, a->nslots + 1,
                  sizeof *a->slot_term);
    if (rc != GALEN_OK)
        return rc;
    e = &a->terms[ti];
    if (e->stamp != a->stamp) {
        e->stamp = a->stamp;
        e->slot = (uint32_t)a->nslots;
        a->slot_term[a->nslots++] = ti;
    }
    a->toks[a->ntoks].slot = e->slot;
    a->toks[a->ntoks].pos = t->pos;
    a->toks[a->ntoks].field = a->field;
    a->ntoks++;
    a->flen[a->field]++;
    return GALEN_OK;
}

/* Groups the doc's tokens by slot: order[slot_start[s]..slot_start[s+1])
 * are the indices of slot s's tokens, in the order they came. */
static int group_by_slot(struct accum *a)
{
    size_t i;
    int rc = grow(&a->order, &a->order_cap, a->ntoks + 1, sizeof *a->order);

    if (rc == GALEN_OK)
        rc = grow(&a->slot_start, &a->starts_cap, a->nslots + 1,
                  sizeof *a->slot_start);
    if (rc != GALEN_OK)
        return rc;
    memset(a->slot_start, 0, (a->nslots + 1) * sizeof *a->slot_start);
    for (i = 0; i < a->ntoks; i++)
        a->slot_start[a->toks[i].slot + 1]++;
    for (i = 0; i < a->nslots; i++)
        a->slot_start[i + 1] += a->slot_start[i];
    for (i = 0; i < a->ntoks; i++)
        a->order[a->slot_start[a->toks[i].slot]++] = (uint32_t)i;
    /* slot_start[s] now holds the end of s; shift back to starts. */
    memmove(a->slot_start + 1, a->slot_start, a->nslots * sizeof(uint32_t));
    a->slot_start[0] = 0;
    return GALEN_OK;
}

static inline unsigned char *put_varint(unsigned char *p, uint32_t v)
{
    if (GALEN_LIKELY(v < 0x80)) {
        *p = (unsigned char)v;
        return p + 1;
    }
    return p + varint_encode(p, v);
}

static void sort_small(uint32_t *v, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        uint32_t x = v[i];

        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Appends the posting of the term in slot s to its buffer. */
static int emit_slot(struct accum *a, size_t s)
{
    struct acc_term *e = &a->terms[a->slot_term[s]];
    uint32_t first = a->slot_start[s];
    uint32_t n = a->slot_start[s + 1] - first;
    uint32_t tf[INDEX_MAX_FIELDS] = {0};
    uint32_t i, k;
    unsigned f;
    unsigned char *p;
    int rc =
        grow(&e->post, &e->post_cap,
             e->post_len + VARINT_MAX_LEN * (1 + a->nfields + (size_t)n), 1);

    if (rc != GALEN_OK)
        return rc;
    for (i = 0; i < n; i++)
        tf[a->toks[a->order[first + i]].field]++;
    p = e->post + e->post_len;
    p = put_varint(p, a->doc - (e->df ? e->last_doc : 0));
    for (f = 0; f < a->nfields; f++)
        p = put_varint(p, tf[f]);
    for (f = 0, k = 0; f < a->nfields; f++) {
        uint32_t *v = a->posv + k;
        uint32_t prev = 0;

        for (i = 0; i < tf[f]; i++)
            v[i] = a->toks[a->order[first + k + i]].pos;
        sort_small(v, tf[f]);
        for (i = 0; i < tf[f]; i++) {
            p = put_varint(p, v[i] - prev);
            prev = v[i];
        }
        k += tf[f];
    }
    e->post_len = (size_t)(p - e->post);
    e->df++;
    e->last_doc = a->doc;
    return GALEN_OK;
}

static int emit_postings(struct accum *a)
{
    size_t old_mem = 0;
    size_t new_mem = 0;
    size_t s;
    int rc = group_by_slot(a);

    if (rc == GALEN_OK)
        rc = grow(&a->posv, &a->posv_cap, a->ntoks + 1, sizeof *a->posv);
    for (s = 0; s < a->nslots && rc == GALEN_OK; s++) {
        const struct acc_term *e = &a->terms[a->slot_term[s]];

        old_mem += e->post_cap;
        rc = emit_slot(a, s);
        new_mem += e->post_cap;
    }
    a->post_mem += new_mem - old_mem;
    return rc;
}

static int analyze(struct accum *a, struct analyzer *an,
                   const struct index_doc *d)
{
    unsigned f;
    int rc = GALEN_OK;

    a->ntoks = 0;
    a->nslots = 0;
    a->stamp++;
    for (f = 0; f < a->nfields && rc == GALEN_OK; f++) {
        a->field = f;
        a->flen[f] = 0;
        if (d->field[f].len > 0)
            rc = analyzer_run(an, &a->opts[f], d->field[f].p, d->field[f].len,
                              on_term, a);
    }
    return rc;
}

int accum_add(struct accum *a, struct analyzer *an, struct segment_builder *b,
              const struct index_doc *d)
{
    int rc;

    if (d->id.len == 0 || d->id.len > SEGMENT_ID_MAX)
        return GALEN_EINVAL;
    a->doc = segment_builder_doc_count(b);
    rc = buf_reserve(&a->deleted, (size_t)a->doc / 8 + 1);
    if (rc == GALEN_OK)
        rc = analyze(a, an, d);
    if (rc == GALEN_OK)
        rc = segment_builder_add_doc(b, d->id, a->flen, d->field, d->meta);
    if (rc == GALEN_OK)
        rc = emit_postings(a);
    if (rc == GALEN_OK)
        rc = remember_id(a, b, d->id, a->doc);
    return rc;
}

/* ---- flushing ----------------------------------------------------------- */

struct term_ref {
    const unsigned char *p;
    uint32_t len;
    uint32_t idx;
};

static int cmp_term_ref(const void *x, const void *y)
{
    const struct term_ref *a = x;
    const struct term_ref *b = y;
    int c = memcmp(a->p, b->p, MIN(a->len, b->len));

    if (c != 0)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

/* Positions scratch for decoding one posting. */
struct pos_scratch {
    uint32_t *v[INDEX_MAX_FIELDS];
    size_t cap[INDEX_MAX_FIELDS];
};

/* The buffers are our own, so a truncated varint cannot occur; the
 * one-byte case is inline because nearly every tf and gap is small. */
static inline size_t get_varint32(const unsigned char *p,
                                  const unsigned char *end, uint32_t *v)
{
    uint64_t x = 0;
    size_t k;

    if (GALEN_LIKELY(p < end && p[0] < 0x80)) {
        *v = p[0];
        return 1;
    }
    k = varint_decode(p, (size_t)(end - p), &x);
    *v = (uint32_t)x;
    return k;
}

/* Decodes one buffered posting at *pp into pw. */
static int replay_posting(const struct accum *a, const unsigned char **pp,
                          const unsigned char *end, uint32_t *doc,
                          struct pos_scratch *ps, struct postings_writer *pw,
                          const struct segment_builder *b)
{
    const unsigned char *p = *pp;
    uint32_t tf[INDEX_MAX_FIELDS], len[INDEX_MAX_FIELDS], delta, i;
    unsigned f;

    p += get_varint32(p, end, &delta);
    *doc = pw->df ? *doc + delta : delta;
    for (f = 0; f < a->nfields; f++)
        p += get_varint32(p, end, &tf[f]);
    for (f = 0; f < a->nfields; f++) {
        uint32_t prev = 0;
        int rc =
            grow(&ps->v[f], &ps->cap[f], (size_t)tf[f] + 1, sizeof(uint32_t));

        if (rc != GALEN_OK)
            return rc;
        for (i = 0; i < tf[f]; i++) {
            p += get_varint32(p, end, &delta);
            prev += delta;
            ps->v[f][i] = prev;
        }
        len[f] = segment_builder_field_len(b, *doc, f);
    }
    *pp = p;
    postings_writer_add(pw, *doc, tf, len, (const uint32_t *const *)ps->v);
    return pw->rc;
}

static int flush_term(const struct accum *a, const struct acc_term *e,
                      struct segment_builder *b, struct postings_writer *pw,
                      struct pos_scratch *ps, struct buf *blob)
{
    const unsigned char *p = e->post;
    const unsigned char *end = e->post + e->post_len;
    struct str term = {(const char *)a->bytes.data + e->off, e->len};
    uint32_t doc = 0;
    int rc = GALEN_OK;

    if (e->df == 0)
        return GALEN_OK; /* seen only in a document that was refused */
    postings_writer_begin(pw);
    while (p < end && rc == GALEN_OK)
        rc = replay_posting(a, &p, end, &doc, ps, pw, b);
    buf_reset(blob);
    if (rc == GALEN_OK)
        rc = postings_writer_finish(pw, blob);
    if (rc == GALEN_OK)
        rc = segment_builder_add_term(b, term, blob->data, blob->len, pw->df);
    return rc;
}

int accum_flush(struct accum *a, struct segment_builder *b,
                enum postings_codec codec)
{
    struct term_ref *refs = galen_malloc((a->nterms + 1) * sizeof *refs);
    struct postings_writer *pw = galen_malloc(sizeof *pw);
    struct pos_scratch ps;
    struct buf blob;
    size_t i;
    int rc = GALEN_OK;

    memset(&ps, 0, sizeof ps);
    buf_init(&blob, SIZE_MAX / 2);
    if (!refs || !pw) {
        rc = GALEN_ENOMEM;
        goto out;
    }
    postings_writer_init(pw, codec, a->nfields);
    for (i = 0; i < a->nterms; i++) {
        refs[i].p = a->bytes.data + a->terms[i].off;
        refs[i].len = a->terms[i].len;
        refs[i].idx = (uint32_t)i;
    }
    qsort(refs, a->nterms, sizeof *refs, cmp_term_ref);
    for (i = 0; i < a->nterms && rc == GALEN_OK; i++)
        rc = flush_term(a, &a->terms[refs[i].idx], b, pw, &ps, &blob);
    postings_writer_cleanup(pw);
out:
    for (i = 0; i < INDEX_MAX_FIELDS; i++)
        galen_free(ps.v[i]);
    buf_cleanup(&blob);
    galen_free(pw);
    galen_free(refs);
    return rc;
}
