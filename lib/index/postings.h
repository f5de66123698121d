/* SPDX-License-Identifier: MIT */
/* postings.h: one term's postings in one segment: the block codecs for doc
 * gaps and term frequencies, the impact (tf, field length) sets that bound
 * each block, and the writer that turns a stream of postings into the
 * term's bytes. The cursor that reads them is declared in index.h.
 * The byte layout is specified at the top of postings.c. */
#ifndef GALEN_POSTINGS_H
#define GALEN_POSTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/common.h"
#include "index.h"

/* Block codecs. The segment header names the one its postings use. */
enum postings_codec {
    POSTINGS_CODEC_VARINT = 1, /* LEB128 per value */
    POSTINGS_CODEC_PACKED = 2  /* frame of reference: bit width + bits */
};

enum {
    POSTINGS_CODEC_DEFAULT = POSTINGS_CODEC_PACKED,
    POSTINGS_SKIP_ENTRY = 12 /* bytes: last doc, block offset, impacts */
};

/* Appends the n values v[0..n) to b in codec's column format (sticky rc). */
void postings_encode_column(int *rc, struct buf *b, enum postings_codec codec,
                            const uint32_t *v, uint32_t n);

/* Decodes n values from p[0..len) into out. Returns the bytes consumed,
 * or 0 if the column is malformed or runs past len. Reads no byte outside
 * p[0..len). */
size_t postings_decode_column(enum postings_codec codec, const unsigned char *p,
                              size_t len, uint32_t *out, uint32_t n);

/* ---- impacts ----------------------------------------------------------- */

/* Replaces the n pairs in v (any order, n may exceed IMPACT_MAX) by their
 * Pareto frontier (no pair has both a higher-or-equal tf and a
 * lower-or-equal length than another), sorted by ascending length, then
 * coarsens it to at most max pairs by merging neighbours into one pair that
 * dominates both. Pairs with tf 0 are dropped. Returns the new count. */
uint32_t impacts_reduce(struct impact *v, uint32_t n, uint32_t max);

/* True if the posting (tf, len) is dominated by a pair in v[0..n);
 * a posting with tf 0 is always dominated. */
bool impacts_dominates(const struct impact *v, uint32_t n, uint32_t tf,
                       uint32_t len);

/* Appends imp's first nfields sets to b (sticky rc). */
void impacts_encode(int *rc, struct buf *b, const struct impacts *imp,
                    unsigned nfields);

/* Decodes nfields sets from p[0..len) into out. Returns bytes consumed or
 * 0 if malformed. */
size_t impacts_decode(const unsigned char *p, size_t len, unsigned nfields,
                      struct impacts *out);

/* ---- writing one term's postings ---------------------------------------- */

enum {
    FRONTIER_SMALL = 64, /* tfs below this are kept in an array */
    FRONTIER_BIG = 256   /* room for larger tfs before trimming */
};

/* Accumulates the Pareto frontier of (tf, len) pairs in O(1) a pair: the
 * least length seen for each small tf, and the (rare) larger tfs as pairs,
 * trimmed to their own frontier when the array fills. */
struct frontier {
    uint32_t minlen[FRONTIER_SMALL]; /* by tf; UINT32_MAX = none */
    uint32_t hi;                     /* minlen[hi..] are all unset */
    uint32_t nbig;
    struct impact big[FRONTIER_BIG];
};

void frontier_reset(struct frontier *fr);
void frontier_add(struct frontier *fr, uint32_t tf, uint32_t len);

/* Writes the frontier, coarsened to at most max pairs, to out (len
 * ascending) and returns the count. */
uint32_t frontier_get(struct frontier *fr, struct impact *out, uint32_t max);

/* Builds the bytes of one term's postings. Feed postings in ascending doc
 * order with postings_writer_add, then postings_writer_finish. Reusable:
 * postings_writer_begin resets it for the next term. Errors are sticky in
 * rc (GALEN_ENOMEM, GALEN_ETOOBIG, GALEN_EINVAL for out-of-order docs). */
struct postings_writer {
    int rc;
    enum postings_codec codec;
    unsigned nfields;
    uint32_t df;                        /* postings added */
    uint32_t n;                         /* postings in the open block */
    uint32_t last_doc;                  /* last doc added (valid if df > 0) */
    uint32_t nblocks;                   /* finished blocks */
    uint64_t block_pos;                 /* positions offset of the open block */
    struct buf skip, imps, blocks, pos; /* the term's areas */
    uint32_t docs[POSTINGS_BLOCK];
    uint32_t tf[INDEX_MAX_FIELDS][POSTINGS_BLOCK];
    struct frontier block_front[INDEX_MAX_FIELDS]; /* the open block's */
    struct frontier list_front[INDEX_MAX_FIELDS];  /* the whole list's */
};

/* Initialises pw for nfields fields (1..INDEX_MAX_FIELDS). */
void postings_writer_init(struct postings_writer *pw, enum postings_codec codec,
                          unsigned nfields);
void postings_writer_cleanup(struct postings_writer *pw);

/* Starts a new term, keeping the buffers' storage. */
void postings_writer_begin(struct postings_writer *pw);

/* Adds a posting: doc (greater than the previous one), its term frequency
 * tf[f] and field length len[f] for each field, and the positions of the
 * term in each field, pos[f][0..tf[f]) ascending (pos may be NULL, or
 * pos[f] NULL, when a tf is 0). At least one tf must be non-zero. */
void postings_writer_add(struct postings_writer *pw, uint32_t doc,
                         const uint32_t *tf, const uint32_t *len,
                         const uint32_t *const *pos);

/* Finishes the term: appends its bytes to out and returns GALEN_OK, or the
 * sticky error. The term's df is pw->df (0 means nothing was written). */
GALEN_NODISCARD int postings_writer_finish(struct postings_writer *pw,
                                           struct buf *out);

/* ---- reading ------------------------------------------------------------ */

/* Reads the head of the term bytes p[0..len): the list-level impacts.
 * Returns GALEN_OK or GALEN_ECORRUPT. */
GALEN_NODISCARD int postings_list_impacts(const unsigned char *p, size_t len,
                                          unsigned nfields,
                                          struct impacts *out);

/* Walks the term's postings with a fresh cursor, decoding every block and
 * every position, and checks they are consistent (used by index_verify).
 * Returns GALEN_OK or GALEN_ECORRUPT. */
GALEN_NODISCARD int postings_check(const struct segment *s,
                                   const struct term_info *ti);

#endif
