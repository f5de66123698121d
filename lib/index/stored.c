/* SPDX-License-Identifier: MIT */
/* docstore.c: compressed document store. Records are packed into blocks of
 * about DOCSTORE_BLOCK bytes, each block one zstd frame, so loading a doc
 * inflates at most one block. Loading never trusts a length: the table is
 * checked when the segment opens and every record is parsed with bounds.
 *
 * Store format (version 1, inside a segment file):
 *
 *   STORE section  := zstd frames, back to back, one per block
 *   STORETAB       := entry[nblocks + 1], 16 bytes each:
 *                       u64 offset      -- frame start in STORE
 *                       u32 first_doc   -- first local doc in the block
 *                       u32 raw_len     -- uncompressed bytes of the block
 *                     The last entry is (STORE length, ndocs, 0). Offsets
 *                     and first docs increase strictly.
 *   block (raw)    := record[first_doc(i+1) - first_doc(i)]
 *   record         := for each field: varint len, len bytes (UTF-8 text)
 *                     then varint meta_len, meta_len bytes */
#include "stored.h"

#include <pthread.h>
#include <string.h>
#include <zstd.h>

#include <galen/error.h>

#include "base/mem.h"
#include "base/varint.h"

enum { DOCSTORE_LEVEL = 3, STORE_BUF_MAX = DOCSTORE_RAW_MAX };

int docstore_writer_init(struct docstore_writer *dw, unsigned nfields,
                         docstore_sink_fn sink, void *ctx)
{
    memset(dw, 0, sizeof *dw);
    buf_init(&dw->raw, STORE_BUF_MAX);
    buf_init(&dw->zbuf, (size_t)STORE_BUF_MAX * 2);
    buf_init(&dw->table, SIZE_MAX / 2);
    dw->nfields = nfields;
    dw->level = DOCSTORE_LEVEL;
    dw->sink = sink;
    dw->sink_ctx = ctx;
    dw->cctx = ZSTD_createCCtx();
    return dw->cctx ? GALEN_OK : GALEN_ENOMEM;
}

void docstore_writer_cleanup(struct docstore_writer *dw)
{
    buf_cleanup(&dw->raw);
    buf_cleanup(&dw->zbuf);
    buf_cleanup(&dw->table);
    ZSTD_freeCCtx(dw->cctx);
    dw->cctx = NULL;
}

static int put_entry(struct docstore_writer *dw, uint32_t first,
                     uint32_t raw_len)
{
    int rc = GALEN_OK;

    buf_put_u64le(&rc, &dw->table, dw->data_len);
    buf_put_u32le(&rc, &dw->table, first);
    buf_put_u32le(&rc, &dw->table, raw_len);
    return rc;
}

static int flush_block(struct docstore_writer *dw)
{
    size_t bound = ZSTD_compressBound(dw->raw.len);
    size_t n;
    int rc;

    if (dw->raw.len == 0)
        return GALEN_OK;
    rc = put_entry(dw, dw->block_first, (uint32_t)dw->raw.len);
    if (rc == GALEN_OK)
        rc = buf_reserve(&dw->zbuf, bound);
    if (rc != GALEN_OK)
        return rc;
    n = ZSTD_compressCCtx(dw->cctx, dw->zbuf.data, bound, dw->raw.data,
                          dw->raw.len, dw->level);
    if (ZSTD_isError(n))
        return GALEN_ENOMEM;
    rc = dw->sink(dw->sink_ctx, dw->zbuf.data, n);
    if (rc != GALEN_OK)
        return rc;
    dw->data_len += n;
    dw->block_first = dw->ndocs;
    buf_reset(&dw->raw);
    return GALEN_OK;
}

int docstore_writer_add(struct docstore_writer *dw, const struct str *field,
                        struct str meta)
{
    size_t need = meta.len + VARINT_MAX_LEN * (dw->nfields + 1);
    int rc = GALEN_OK;
    unsigned f;

    for (f = 0; f < dw->nfields; f++)
        need += field[f].len;
    if (dw->ndocs == UINT32_MAX - 1 || need > DOCSTORE_RAW_MAX)
        return GALEN_ETOOBIG;
    if (dw->raw.len > 0 && dw->raw.len + need > DOCSTORE_RAW_MAX) {
        rc = flush_block(dw);
        if (rc != GALEN_OK)
            return rc;
    }
    for (f = 0; f < dw->nfields; f++) {
        buf_put_varint(&rc, &dw->raw, field[f].len);
        buf_put(&rc, &dw->raw, field[f].p, field[f].len);
    }
    buf_put_varint(&rc, &dw->raw, meta.len);
    buf_put(&rc, &dw->raw, meta.p, meta.len);
    if (rc != GALEN_OK)
        return rc;
    dw->ndocs++;
    if (dw->raw.len >= DOCSTORE_BLOCK)
        return flush_block(dw);
    return GALEN_OK;
}

int docstore_writer_finish(struct docstore_writer *dw)
{
    int rc = flush_block(dw);

    if (rc != GALEN_OK)
        return rc;
    return put_entry(dw, dw->ndocs, 0);
}

/* ---- reading ------------------------------------------------------------ */

static uint64_t entry_off(const struct docstore *ds, uint32_t i)
{
    return get_u64le(ds->table + (size_t)i * DOCSTORE_TABLE_ENTRY);
}

static uint32_t entry_first(const struct docstore *ds, uint32_t i)
{
    return get_u32le(ds->table + (size_t)i * DOCSTORE_TABLE_ENTRY + 8);
}

static uint32_t entry_raw(const struct docstore *ds, uint32_t i)
{
    return get_u32le(ds->table + (size_t)i * DOCSTORE_TABLE_ENTRY + 12);
}

static const char *check_table(const struct docstore *ds)
{
    uint32_t i;

    if (entry_first(ds, 0) != 0 || entry_off(ds, 0) != 0)
        return "store table does not start at doc 0";
    for (i = 0; i < ds->nblocks; i++) {
        if (entry_first(ds, i + 1) <= entry_first(ds, i) ||
            entry_off(ds, i + 1) <= entry_off(ds, i))
            return "store table is not ascending";
        if (entry_raw(ds, i) == 0 || entry_raw(ds, i) > DOCSTORE_RAW_MAX)
            return "store block size out of range";
    }
    if (entry_first(ds, ds->nblocks) != ds->ndocs ||
        entry_off(ds, ds->nblocks) != ds->data_len)
        return "store table does not cover the store";
    return NULL;
}

int docstore_view(struct docstore *ds, const unsigned char *tab, size_t len,
                  const unsigned char *data, uint64_t data_len, uint32_t ndocs,
                  unsigned nfields, const char **why)
{
    struct docstore v;

    if (len < DOCSTORE_TABLE_ENTRY || len % DOCSTORE_TABLE_ENTRY != 0 ||
        len / DOCSTORE_TABLE_ENTRY - 1 > ndocs) {
        *why = "store table has a bad size";
        return GALEN_ECORRUPT;
    }
    v.data = data;
    v.data_len = data_len;
    v.table = tab;
    v.nblocks = (uint32_t)(len / DOCSTORE_TABLE_ENTRY - 1);
    v.ndocs = ndocs;
    v.nfields = nfields;
    v.cache = NULL;
    *why = check_table(&v);
    if (*why)
        return GALEN_ECORRUPT;
    *ds = v;
    return GALEN_OK;
}

/* Finds the block holding doc: the last entry whose first_doc <= doc. */
static uint32_t find_block(const struct docstore *ds, uint32_t doc)
{
    uint32_t lo = 0;
    uint32_t hi = ds->nblocks;

    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;

        if (entry_first(ds, mid) <= doc)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

struct docstore_cache {
    pthread_mutex_t lock; /* held while dctx is in use */
    ZSTD_DCtx *dctx;      /* created on first use */
};

int docstore_cache_init(struct docstore *ds)
{
    struct docstore_cache *c = galen_calloc(1, sizeof *c);

    if (!c)
        return GALEN_ENOMEM;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        galen_free(c);
        return GALEN_ENOMEM;
    }
    ds->cache = c;
    return GALEN_OK;
}

void docstore_cache_cleanup(struct docstore *ds)
{
    if (!ds->cache)
        return;
    ZSTD_freeDCtx(ds->cache->dctx);
    pthread_mutex_destroy(&ds->cache->lock);
    galen_free(ds->cache);
    ds->cache = NULL;
}

/* Decompresses with the cached context when no other thread holds it,
 * else with a throwaway one. */
static size_t decompress(const struct docstore *ds, void *dst, size_t cap,
                         const void *src, size_t len)
{
    struct docstore_cache *c = ds->cache;
    size_t n;

    if (!c || pthread_mutex_trylock(&c->lock) != 0)
        return ZSTD_decompress(dst, cap, src, len);
    if (!c->dctx)
        c->dctx = ZSTD_createDCtx();
    if (c->dctx)
        n = ZSTD_decompressDCtx(c->dctx, dst, cap, src, len);
    else
        n = ZSTD_decompress(dst, cap, src, len);
    pthread_mutex_unlock(&c->lock);
    return n;
}

static int inflate_block(const struct docstore *ds, uint32_t b,
                         struct buf *scratch)
{
    uint64_t off = entry_off(ds, b);
    size_t zlen = (size_t)(entry_off(ds, b + 1) - off);
    size_t raw = entry_raw(ds, b);
    size_t n;
    int rc;

    buf_reset(scratch);
    rc = buf_reserve(scratch, raw);
    if (rc != GALEN_OK)
        return rc;
    if (ZSTD_getFrameContentSize(ds->data + off, zlen) != raw)
        return GALEN_ECORRUPT;
    n = decompress(ds, scratch->data, raw, ds->data + off, zlen);
    if (ZSTD_isError(n) || n != raw)
        return GALEN_ECORRUPT;
    scratch->len = raw;
    return GALEN_OK;
}

/* Reads one length-prefixed part at *at; false if it overruns. */
static bool get_part(const struct buf *b, size_t *at, struct str *out)
{
    uint64_t len;
    size_t k = varint_decode(b->data + *at, b->len - *at, &len);

    if (k == 0 || len > b->len - *at - k)
        return false;
    out->p = (const char *)b->data + *at + k;
    out->len = (size_t)len;
    *at += k + (size_t)len;
    return true;
}

static bool get_record(const struct docstore *ds, const struct buf *b,
                       size_t *at, struct str *field, struct str *meta)
{
    unsigned f;

    for (f = 0; f < ds->nfields; f++) {
        if (!get_part(b, at, &field[f]))
            return false;
    }
    return get_part(b, at, meta);
}

int docstore_load(const struct docstore *ds, uint32_t doc, struct buf *scratch,
                  struct str *field, struct str *meta)
{
    struct str f[8];
    struct str m;
    size_t at = 0;
    uint32_t b, i;
    int rc;

    if (doc >= ds->ndocs || ds->nfields > ARRAY_SIZE(f))
        return GALEN_EINVAL;
    b = find_block(ds, doc);
    rc = inflate_block(ds, b, scratch);
    if (rc != GALEN_OK)
        return rc;
    for (i = entry_first(ds, b); i <= doc; i++) {
        if (!get_record(ds, scratch, &at, f, &m))
            return GALEN_ECORRUPT;
    }
    memcpy(field, f, ds->nfields * sizeof *f);
    *meta = m;
    return GALEN_OK;
}

void docstore_iter_init(struct docstore_iter *it, const struct docstore *ds)
{
    it->ds = ds;
    buf_init(&it->raw, DOCSTORE_RAW_MAX);
    it->block = 0;
    it->doc = 0;
    it->at = 0;
}

void docstore_iter_cleanup(struct docstore_iter *it)
{
    buf_cleanup(&it->raw);
}

int docstore_iter_next(struct docstore_iter *it, struct str *field,
                       struct str *meta)
{
    const struct docstore *ds = it->ds;
    struct str f[8];
    int rc;

    if (it->doc >= ds->ndocs)
        return GALEN_ENOENT;
    if (ds->nfields > ARRAY_SIZE(f))
        return GALEN_EINVAL;
    if (it->block < ds->nblocks && it->doc == entry_first(ds, it->block)) {
        rc = inflate_block(ds, it->block, &it->raw);
        if (rc != GALEN_OK)
            return rc;
        it->block++;
        it->at = 0;
    }
    if (!get_record(ds, &it->raw, &it->at, f, meta))
        return GALEN_ECORRUPT;
    memcpy(field, f, ds->nfields * sizeof *f);
    it->doc++;
    return GALEN_OK;
}

int docstore_check(const struct docstore *ds)
{
    struct buf scratch;
    struct str f[8];
    struct str m;
    uint32_t b, i;
    int rc = GALEN_OK;

    buf_init(&scratch, DOCSTORE_RAW_MAX);
    for (b = 0; b < ds->nblocks && rc == GALEN_OK; b++) {
        size_t at = 0;

        rc = inflate_block(ds, b, &scratch);
        for (i = entry_first(ds, b);
             rc == GALEN_OK && i < entry_first(ds, b + 1); i++) {
            if (!get_record(ds, &scratch, &at, f, &m))
                rc = GALEN_ECORRUPT;
        }
        if (rc == GALEN_OK && at != scratch.len)
            rc = GALEN_ECORRUPT;
    }
    buf_cleanup(&scratch);
    return rc;
}
