/* SPDX-License-Identifier: MIT */
/* docstore.h: the stored fields and meta blob of a segment's documents,
 * zstd-compressed in blocks of about DOCSTORE_BLOCK bytes, with a table
 * giving each block's offset and first doc for random access by local id.
 * Format: top of docstore.c and docs/format.md. */
#ifndef GALEN_DOCSTORE_H
#define GALEN_DOCSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/str.h"

enum {
    DOCSTORE_BLOCK = 16 * 1024,          /* target uncompressed block size */
    DOCSTORE_TABLE_ENTRY = 16,           /* bytes per table entry */
    DOCSTORE_RAW_MAX = 512 * 1024 * 1024 /* largest block we will inflate */
};

/* Receives compressed bytes in order; returns GALEN_OK or an error. */
typedef int (*docstore_sink_fn)(void *ctx, const void *p, size_t n);

struct docstore_writer {
    struct buf raw;       /* open block, uncompressed */
    struct buf zbuf;      /* compression output */
    struct buf table;     /* finished entries (the section's bytes) */
    uint64_t data_len;    /* compressed bytes handed to the sink */
    uint32_t ndocs;       /* docs added */
    uint32_t block_first; /* first doc of the open block */
    unsigned nfields;
    int level;  /* zstd level */
    void *cctx; /* ZSTD_CCtx */
    docstore_sink_fn sink;
    void *sink_ctx;
};

/* Prepares dw to store docs of nfields fields, handing compressed blocks
 * to sink. GALEN_OK or GALEN_ENOMEM; clean up with docstore_writer_cleanup
 * either way. */
GALEN_NODISCARD int docstore_writer_init(struct docstore_writer *dw,
                                         unsigned nfields,
                                         docstore_sink_fn sink, void *ctx);
void docstore_writer_cleanup(struct docstore_writer *dw);

/* Appends the next doc (field[0..nfields) and meta, borrowed). */
GALEN_NODISCARD int docstore_writer_add(struct docstore_writer *dw,
                                        const struct str *field,
                                        struct str meta);

/* Compresses the open block and appends the table's end entry; after it,
 * dw->table holds the table section. */
GALEN_NODISCARD int docstore_writer_finish(struct docstore_writer *dw);

struct docstore_cache;

/* A read-only view of a segment's store. */
struct docstore {
    const unsigned char *data; /* compressed blocks */
    uint64_t data_len;
    const unsigned char *table; /* nblocks + 1 entries */
    uint32_t nblocks;
    uint32_t ndocs;
    unsigned nfields;
    struct docstore_cache *cache; /* owned: a reusable zstd context */
};

/* Checks the table section tab[0..len) against the data length and doc
 * count and fills ds. Returns GALEN_OK or GALEN_ECORRUPT with a reason in
 * why (static string). */
GALEN_NODISCARD int docstore_view(struct docstore *ds, const unsigned char *tab,
                                  size_t len, const unsigned char *data,
                                  uint64_t data_len, uint32_t ndocs,
                                  unsigned nfields, const char **why);

/* Creates ds's cache (a zstd context reused by one thread at a time, which
 * halves the cost of a load). GALEN_OK or GALEN_ENOMEM. The cleanup frees
 * it; a view without a cache still works. */
GALEN_NODISCARD int docstore_cache_init(struct docstore *ds);
void docstore_cache_cleanup(struct docstore *ds);

/* Loads doc: decompresses its block into scratch and points field[] and
 * meta into it. GALEN_OK, GALEN_ECORRUPT, GALEN_ENOMEM or GALEN_ETOOBIG
 * (scratch's cap is too small); GALEN_EINVAL if doc is out of range. */
GALEN_NODISCARD int docstore_load(const struct docstore *ds, uint32_t doc,
                                  struct buf *scratch, struct str *field,
                                  struct str *meta);

/* Reads every record in doc order, inflating each block once (merges). */
struct docstore_iter {
    const struct docstore *ds;
    struct buf raw; /* the current block, inflated */
    uint32_t block; /* next block to inflate */
    uint32_t doc;   /* next doc */
    size_t at;      /* next record in raw */
};

void docstore_iter_init(struct docstore_iter *it, const struct docstore *ds);
void docstore_iter_cleanup(struct docstore_iter *it);

/* Points field[] and meta at the next doc's record (valid until the next
 * call). GALEN_OK, GALEN_ENOENT after the last doc, GALEN_ECORRUPT or
 * GALEN_ENOMEM. */
GALEN_NODISCARD int docstore_iter_next(struct docstore_iter *it,
                                       struct str *field, struct str *meta);

/* Decompresses every block and parses every record (index_verify). */
GALEN_NODISCARD int docstore_check(const struct docstore *ds);

#endif
