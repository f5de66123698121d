/* SPDX-License-Identifier: MIT */
/* postings.c: block-encoded posting lists. A term's postings are cut into
 * blocks of POSTINGS_BLOCK docs; a fixed-width skip table lets a cursor
 * jump over blocks without decoding them, and each block carries impacts
 * so block-max search can bound it. Every read is bounds-checked against the
 * term's bytes: a corrupt list sets cursor->err, it never reads outside.
 *
 * Term postings format (version 1). All integers are LEB128 varints unless
 * marked u32 (4 bytes little-endian).
 *
 *   term := varint nblocks             -- must equal ceil(df / 128)
 *           impacts list_max           -- bounds every posting of the term
 *           varint imps_len            -- bytes of the impacts area
 *           varint blocks_len          -- bytes of the block area
 *           skip[nblocks]              -- 12 bytes each, see below
 *           impacts-area[imps_len]     -- one impacts record per block
 *           block-area[blocks_len]     -- the blocks, back to back
 *           positions-area             -- to the end of the term's bytes
 *
 *   skip    := u32 last_doc            -- last doc id in the block
 *              u32 block_off           -- block start in the block area
 *              u32 imp_off             -- its impacts in the impacts area
 *
 *   impacts := per field: byte n (<= IMPACT_MAX), n x (varint tf,
 *              varint len), len ascending. Every posting with tf > 0 in
 *              that field is dominated by a pair (tf >=, len <=).
 *
 *   block   := varint pos_off          -- its positions in positions-area
 *              column doc_gaps[n]      -- doc - (previous doc + 1); the
 *                                         first doc of the list counts
 *                                         from -1, later blocks from the
 *                                         previous block's last_doc
 *              column tf[f][n]         -- one column per field, tf >= 0
 *
 *   n is 128 except in the last block (df - 128 * (nblocks - 1)).
 *
 *   column (codec 1, varint) := n varints.
 *   column (codec 2, packed) := byte w (0..32), then ceil(n * w / 8) bytes
 *            holding n w-bit values, value i at bit i * w, bits taken least
 *            significant first (w = 0 means all zeros, no bytes).
 *
 *   positions of a block := for each doc of the block, for each field f,
 *            tf[f] varints: the first position, then the gaps to the
 *            previous position (>= 0). Positions are never read when
 *            scoring: only postings_positions() touches this area. */
#include "postings.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "base/varint.h"
#include "segment.h"

enum { TERM_BUF_MAX = (size_t)1 << 40 };

/* ---- column codecs ------------------------------------------------------ */

static uint32_t bit_width(uint32_t v)
{
    return v ? 32 - (uint32_t)__builtin_clz(v) : 0;
}

static void encode_packed(int *rc, struct buf *b, const uint32_t *v, uint32_t n)
{
    uint32_t max = 0;
    uint32_t w;
    uint64_t acc = 0;
    unsigned have = 0;
    uint32_t i;

    for (i = 0; i < n; i++)
        max |= v[i];
    w = bit_width(max);
    buf_put_byte(rc, b, (unsigned char)w);
    if (w == 0)
        return;
    for (i = 0; i < n; i++) {
        acc |= (uint64_t)v[i] << have;
        have += w;
        while (have >= 8) {
            buf_put_byte(rc, b, (unsigned char)acc);
            acc >>= 8;
            have -= 8;
        }
    }
    if (have > 0)
        buf_put_byte(rc, b, (unsigned char)acc);
}

void postings_encode_column(int *rc, struct buf *b, enum postings_codec codec,
                            const uint32_t *v, uint32_t n)
{
    uint32_t i;

    if (codec == POSTINGS_CODEC_PACKED) {
        encode_packed(rc, b, v, n);
        return;
    }
    for (i = 0; i < n; i++)
        buf_put_varint(rc, b, v[i]);
}

/* Unpacks n w-bit values with one unaligned 8-byte load each; the caller
 * guarantees 8 readable bytes past the last value's first byte. */
static void unpack_fast(const unsigned char *q, uint32_t w, uint32_t *out,
                        uint32_t n)
{
    uint64_t mask = ((uint64_t)1 << w) - 1;
    uint32_t i;

    for (i = 0; i < n; i++) {
        size_t bit = (size_t)i * w;
        uint64_t x = get_u64le(q + (bit >> 3));

        out[i] = (uint32_t)((x >> (bit & 7)) & mask);
    }
}

/* The same with w a constant, eight values (w bytes) at a time, so each
 * value is one load, shift and mask; one copy per width. */
#define UNPACK1(W, j)                                                       \
    out[j] = (uint32_t)((get_u64le(q + (j) * (W) / 8) >> ((j) * (W) % 8)) & \
                        (((uint64_t)1 << (W)) - 1))
#define DEFINE_UNPACK(W)                                                      \
    static void unpack_##W(const unsigned char *q, uint32_t *out, uint32_t n) \
    {                                                                         \
        for (; n >= 8; n -= 8, q += (W), out += 8) {                          \
            UNPACK1(W, 0);                                                    \
            UNPACK1(W, 1);                                                    \
            UNPACK1(W, 2);                                                    \
            UNPACK1(W, 3);                                                    \
            UNPACK1(W, 4);                                                    \
            UNPACK1(W, 5);                                                    \
            UNPACK1(W, 6);                                                    \
            UNPACK1(W, 7);                                                    \
        }                                                                     \
        unpack_fast(q, (W), out, n);                                          \
    }
DEFINE_UNPACK(1)
DEFINE_UNPACK(2)
DEFINE_UNPACK(3)
DEFINE_UNPACK(4)
DEFINE_UNPACK(5)
DEFINE_UNPACK(6)
DEFINE_UNPACK(7)
DEFINE_UNPACK(8)
DEFINE_UNPACK(9)
DEFINE_UNPACK(10)
DEFINE_UNPACK(11)
DEFINE_UNPACK(12)
DEFINE_UNPACK(13)
DEFINE_UNPACK(14)
DEFINE_UNPACK(15)
DEFINE_UNPACK(16)
DEFINE_UNPACK(17)
DEFINE_UNPACK(18)
DEFINE_UNPACK(19)
DEFINE_UNPACK(20)
DEFINE_UNPACK(21)
DEFINE_UNPACK(22)
DEFINE_UNPACK(23)
DEFINE_UNPACK(24)
DEFINE_UNPACK(25)
DEFINE_UNPACK(26)
DEFINE_UNPACK(27)
DEFINE_UNPACK(28)
DEFINE_UNPACK(29)
DEFINE_UNPACK(30)
DEFINE_UNPACK(31)
DEFINE_UNPACK(32)

typedef void (*unpack_fn)(const unsigned char *q, uint32_t *out, uint32_t n);

static const unpack_fn unpackers[33] = {
    NULL,      unpack_1,  unpack_2,  unpack_3,  unpack_4,  unpack_5,  unpack_6,
    unpack_7,  unpack_8,  unpack_9,  unpack_10, unpack_11, unpack_12, unpack_13,
    unpack_14, unpack_15, unpack_16, unpack_17, unpack_18, unpack_19, unpack_20,
    unpack_21, unpack_22, unpack_23, unpack_24, unpack_25, unpack_26, unpack_27,
    unpack_28, unpack_29, unpack_30, unpack_31, unpack_32};

/* Same result, reading only the column's own bytes. */
static void unpack_safe(const unsigned char *q, uint32_t w, uint32_t *out,
                        uint32_t n)
{
    uint64_t acc = 0;
    unsigned have = 0;
    uint64_t mask = ((uint64_t)1 << w) - 1;
    uint32_t i;

    for (i = 0; i < n; i++) {
        while (have < w) {
            acc |= (uint64_t)*q++ << have;
            have += 8;
        }
        out[i] = (uint32_t)(acc & mask);
        acc >>= w;
        have -= w;
    }
}

static size_t decode_packed(const unsigned char *p, size_t len, size_t readable,
                            uint32_t *out, uint32_t n)
{
    uint32_t w;
    size_t nbytes;

    if (len < 1)
        return 0;
    w = p[0];
    if (w > 32)
        return 0;
    nbytes = ((size_t)n * w + 7) / 8;
    if (nbytes > len - 1)
        return 0;
    if (w == 0)
        memset(out, 0, (size_t)n * sizeof *out);
    else if (readable - 1 >= nbytes + 8)
        unpackers[w](p + 1, out, n);
    else
        unpack_safe(p + 1, w, out, n);
    return 1 + nbytes;
}

static size_t decode_varints(const unsigned char *p, size_t len, uint32_t *out,
                             uint32_t n)
{
    const unsigned char *q = p;
    const unsigned char *end = p + len;
    uint32_t i;

    for (i = 0; i < n; i++) {
        uint32_t v = 0;
        unsigned shift = 0;
        unsigned char c;

        do {
            if (q >= end || shift > 28)
                return 0;
            c = *q++;
            if (shift == 28 && c > 0x0f)
                return 0;
            v |= (uint32_t)(c & 0x7f) << shift;
            shift += 7;
        } while (c & 0x80);
        out[i] = v;
    }
    return (size_t)(q - p);
}

/* readable >= len says how many bytes from p may be loaded (but not used):
 * the packed codec's fast path needs 8 bytes of slack. */
static size_t decode_col(uint8_t codec, const unsigned char *p, size_t len,
                         size_t readable, uint32_t *out, uint32_t n)
{
    if (codec == POSTINGS_CODEC_PACKED)
        return decode_packed(p, len, readable, out, n);
    if (codec == POSTINGS_CODEC_VARINT)
        return decode_varints(p, len, out, n);
    return 0;
}

size_t postings_decode_column(enum postings_codec codec, const unsigned char *p,
                              size_t len, uint32_t *out, uint32_t n)
{
    return decode_col((uint8_t)codec, p, len, len, out, n);
}

/* ---- impacts ------------------------------------------------------------ */

static int cmp_len_asc_tf_desc(const void *a, const void *b)
{
    const struct impact *x = a;
    const struct impact *y = b;

    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    if (x->tf != y->tf)
        return x->tf > y->tf ? -1 : 1;
    return 0;
}

/* A rough BM25 tf-saturation score (k1 1.2, b 0.75, average length avg),
 * used only to choose which neighbours to merge when coarsening. */
static double proxy_score(struct impact v, double avg)
{
    double norm = 1.2 * (0.25 + 0.75 * (double)v.len / avg);

    return (double)v.tf / ((double)v.tf + norm);
}

static uint32_t coarsen(struct impact *v, uint32_t n, uint32_t max)
{
    double avg = 0;
    uint32_t i;

    for (i = 0; i < n; i++)
        avg += v[i].len;
    avg = avg / n < 1 ? 1 : avg / n;
    while (n > max) {
        uint32_t best = 0;
        double best_cost = INFINITY;

        /* Merging i and i + 1 into (tf[i + 1], len[i]) dominates both and
         * keeps the set a frontier; choose the merge that inflates the
         * bound least. */
        for (i = 0; i + 1 < n; i++) {
            struct impact m = {v[i + 1].tf, v[i].len};
            double cost = proxy_score(m, avg) - MAX(proxy_score(v[i], avg),
                                                    proxy_score(v[i + 1], avg));
            if (cost < best_cost) {
                best_cost = cost;
                best = i;
            }
        }
        v[best].tf = v[best + 1].tf;
        memmove(&v[best + 1], &v[best + 2], (size_t)(n - best - 2) * sizeof *v);
        n--;
    }
    return n;
}

uint32_t impacts_reduce(struct impact *v, uint32_t n, uint32_t max)
{
    uint32_t i;
    uint32_t out = 0;
    uint32_t best = 0;

    for (i = 0; i < n; i++) {
        if (v[i].tf > 0)
            v[out++] = v[i];
    }
    n = out;
    qsort(v, n, sizeof *v, cmp_len_asc_tf_desc);
    out = 0;
    for (i = 0; i < n; i++) {
        if (v[i].tf > best) {
            best = v[i].tf;
            v[out++] = v[i];
        }
    }
    return max > 0 ? coarsen(v, out, max) : out;
}

bool impacts_dominates(const struct impact *v, uint32_t n, uint32_t tf,
                       uint32_t len)
{
    uint32_t i;

    if (tf == 0)
        return true;
    for (i = 0; i < n; i++) {
        if (v[i].tf >= tf && v[i].len <= len)
            return true;
    }
    return false;
}

void frontier_reset(struct frontier *fr)
{
    uint32_t i;

    for (i = 0; i < FRONTIER_SMALL; i++)
        fr->minlen[i] = UINT32_MAX;
    fr->hi = 0;
    fr->nbig = 0;
}

void frontier_add(struct frontier *fr, uint32_t tf, uint32_t len)
{
    if (tf == 0)
        return;
    if (tf < FRONTIER_SMALL) {
        fr->minlen[tf] = MIN(fr->minlen[tf], len);
        fr->hi = MAX(fr->hi, tf + 1);
        return;
    }
    if (fr->nbig == FRONTIER_BIG) {
        fr->nbig = impacts_reduce(fr->big, fr->nbig, 0);
        if (fr->nbig > FRONTIER_BIG / 2)
            fr->nbig = impacts_reduce(fr->big, fr->nbig, FRONTIER_BIG / 2);
    }
    fr->big[fr->nbig].tf = tf;
    fr->big[fr->nbig].len = len;
    fr->nbig++;
}

uint32_t frontier_get(struct frontier *fr, struct impact *out, uint32_t max)
{
    struct impact small[FRONTIER_SMALL];
    uint32_t runmin = UINT32_MAX;
    uint32_t ns = 0, n = 0;
    uint32_t tf;

    if (fr->nbig > 0) {
        fr->nbig = impacts_reduce(fr->big, fr->nbig, 0);
        runmin = fr->big[0].len; /* the big frontier's shortest */
    }
    /* A small pair is on the frontier if it is shorter than every pair
     * with a larger tf; walk tfs downwards keeping the running minimum. */
    for (tf = fr->hi; tf-- > 1;) {
        if (fr->minlen[tf] < runmin) {
            small[ns].tf = tf;
            small[ns].len = fr->minlen[tf];
            runmin = fr->minlen[tf];
            ns++;
        }
    }
    while (ns > 0)
        out[n++] = small[--ns];
    memcpy(out + n, fr->big, (size_t)fr->nbig * sizeof *out);
    n += fr->nbig;
    return max > 0 && n > max ? coarsen(out, n, max) : n;
}

void impacts_encode(int *rc, struct buf *b, const struct impacts *imp,
                    unsigned nfields)
{
    unsigned f;
    uint32_t i;

    for (f = 0; f < nfields; f++) {
        buf_put_byte(rc, b, imp->n[f]);
        for (i = 0; i < imp->n[f]; i++) {
            buf_put_varint(rc, b, imp->v[f][i].tf);
            buf_put_varint(rc, b, imp->v[f][i].len);
        }
    }
}

/* varint_decode with the one-byte case inline: the cursor reads a varint
 * per block and per impact pair, and most are small. */
static inline size_t get_varint(const unsigned char *p, size_t len, uint64_t *v)
{
    if (GALEN_LIKELY(len > 0 && p[0] < 0x80)) {
        *v = p[0];
        return 1;
    }
    return varint_decode(p, len, v);
}

static size_t get_u32v(const unsigned char *p, size_t len, uint32_t *v)
{
    uint64_t x;
    size_t k = get_varint(p, len, &x);

    if (k == 0 || x > UINT32_MAX)
        return 0;
    *v = (uint32_t)x;
    return k;
}

size_t impacts_decode(const unsigned char *p, size_t len, unsigned nfields,
                      struct impacts *out)
{
    size_t at = 0;
    unsigned f;
    uint32_t i;

    for (f = 0; f < nfields; f++) {
        size_t k;

        if (at >= len || p[at] > IMPACT_MAX)
            return 0;
        out->n[f] = p[at++];
        for (i = 0; i < out->n[f]; i++) {
            k = get_u32v(p + at, len - at, &out->v[f][i].tf);
            if (k == 0)
                return 0;
            at += k;
            k = get_u32v(p + at, len - at, &out->v[f][i].len);
            if (k == 0)
                return 0;
            at += k;
        }
    }
    for (; f < INDEX_MAX_FIELDS; f++)
        out->n[f] = 0;
    return at;
}

/* ---- writer ------------------------------------------------------------- */

void postings_writer_init(struct postings_writer *pw, enum postings_codec codec,
                          unsigned nfields)
{
    memset(pw, 0, sizeof *pw);
    pw->codec = codec;
    pw->nfields = nfields;
    buf_init(&pw->skip, TERM_BUF_MAX);
    buf_init(&pw->imps, TERM_BUF_MAX);
    buf_init(&pw->blocks, TERM_BUF_MAX);
    buf_init(&pw->pos, TERM_BUF_MAX);
    postings_writer_begin(pw);
}

void postings_writer_cleanup(struct postings_writer *pw)
{
    buf_cleanup(&pw->skip);
    buf_cleanup(&pw->imps);
    buf_cleanup(&pw->blocks);
    buf_cleanup(&pw->pos);
}

void postings_writer_begin(struct postings_writer *pw)
{
    unsigned f;

    pw->rc = GALEN_OK;
    pw->df = 0;
    pw->n = 0;
    pw->nblocks = 0;
    pw->last_doc = 0;
    buf_reset(&pw->skip);
    buf_reset(&pw->imps);
    buf_reset(&pw->blocks);
    buf_reset(&pw->pos);
    for (f = 0; f < INDEX_MAX_FIELDS; f++) {
        frontier_reset(&pw->block_front[f]);
        frontier_reset(&pw->list_front[f]);
    }
}

/* The open block's impacts for field f, coarsened to IMPACT_MAX. */
static void block_impacts(struct postings_writer *pw, unsigned f,
                          struct impacts *blk)
{
    struct impact t[FRONTIER_SMALL + FRONTIER_BIG];

    blk->n[f] = (uint8_t)frontier_get(&pw->block_front[f], t, IMPACT_MAX);
    memcpy(blk->v[f], t, blk->n[f] * sizeof *t);
    frontier_reset(&pw->block_front[f]);
}

static void flush_block(struct postings_writer *pw)
{
    uint32_t gaps[POSTINGS_BLOCK];
    struct impacts blk;
    uint64_t next = 0;
    uint32_t i;
    unsigned f;

    if (pw->nblocks > 0)
        next = (uint64_t)get_u32le(pw->skip.data + pw->skip.len -
                                   POSTINGS_SKIP_ENTRY) +
               1;
    for (i = 0; i < pw->n; i++) {
        gaps[i] = (uint32_t)(pw->docs[i] - next);
        next = (uint64_t)pw->docs[i] + 1;
    }
    if (pw->blocks.len > UINT32_MAX || pw->imps.len > UINT32_MAX) {
        pw->rc = pw->rc ? pw->rc : GALEN_ETOOBIG;
        return;
    }
    buf_put_u32le(&pw->rc, &pw->skip, pw->docs[pw->n - 1]);
    buf_put_u32le(&pw->rc, &pw->skip, (uint32_t)pw->blocks.len);
    buf_put_u32le(&pw->rc, &pw->skip, (uint32_t)pw->imps.len);
    buf_put_varint(&pw->rc, &pw->blocks, pw->block_pos);
    postings_encode_column(&pw->rc, &pw->blocks, pw->codec, gaps, pw->n);
    for (f = 0; f < pw->nfields; f++)
        postings_encode_column(&pw->rc, &pw->blocks, pw->codec, pw->tf[f],
                               pw->n);
    memset(&blk, 0, sizeof blk);
    for (f = 0; f < pw->nfields; f++)
        block_impacts(pw, f, &blk);
    impacts_encode(&pw->rc, &pw->imps, &blk, pw->nfields);
    pw->nblocks++;
    pw->n = 0;
}

static void put_positions(struct postings_writer *pw, const uint32_t *pos,
                          uint32_t tf)
{
    uint32_t prev = 0;
    uint32_t k;

    for (k = 0; k < tf; k++) {
        if (pos[k] < prev) {
            pw->rc = pw->rc ? pw->rc : GALEN_EINVAL;
            return;
        }
        buf_put_varint(&pw->rc, &pw->pos, pos[k] - prev);
        prev = pos[k];
    }
}

void postings_writer_add(struct postings_writer *pw, uint32_t doc,
                         const uint32_t *tf, const uint32_t *len,
                         const uint32_t *const *pos)
{
    uint64_t sum = 0;
    unsigned f;

    for (f = 0; f < pw->nfields; f++)
        sum += tf[f];
    if (pw->rc == GALEN_OK &&
        ((pw->df > 0 && doc <= pw->last_doc) || doc == POSTINGS_END ||
         sum == 0 || pw->df == UINT32_MAX))
        pw->rc = GALEN_EINVAL;
    if (pw->rc != GALEN_OK)
        return;
    if (pw->n == 0)
        pw->block_pos = pw->pos.len;
    pw->docs[pw->n] = doc;
    for (f = 0; f < pw->nfields; f++) {
        pw->tf[f][pw->n] = tf[f];
        frontier_add(&pw->block_front[f], tf[f], len[f]);
        frontier_add(&pw->list_front[f], tf[f], len[f]);
        if (tf[f] > 0 && pos && pos[f])
            put_positions(pw, pos[f], tf[f]);
        else if (tf[f] > 0)
            pw->rc = GALEN_EINVAL;
    }
    pw->n++;
    pw->df++;
    pw->last_doc = doc;
    if (pw->n == POSTINGS_BLOCK)
        flush_block(pw);
}

int postings_writer_finish(struct postings_writer *pw, struct buf *out)
{
    struct impacts list;
    unsigned f;
    int rc;

    if (pw->rc == GALEN_OK && pw->n > 0)
        flush_block(pw);
    if (pw->rc != GALEN_OK || pw->df == 0)
        return pw->rc;
    memset(&list, 0, sizeof list);
    for (f = 0; f < pw->nfields; f++) {
        struct impact t[FRONTIER_SMALL + FRONTIER_BIG];

        list.n[f] = (uint8_t)frontier_get(&pw->list_front[f], t, IMPACT_MAX);
        memcpy(list.v[f], t, list.n[f] * sizeof *t);
    }
    rc = GALEN_OK;
    buf_put_varint(&rc, out, pw->nblocks);
    impacts_encode(&rc, out, &list, pw->nfields);
    buf_put_varint(&rc, out, pw->imps.len);
    buf_put_varint(&rc, out, pw->blocks.len);
    buf_put(&rc, out, pw->skip.data, pw->skip.len);
    buf_put(&rc, out, pw->imps.data, pw->imps.len);
    buf_put(&rc, out, pw->blocks.data, pw->blocks.len);
    buf_put(&rc, out, pw->pos.data, pw->pos.len);
    return rc;
}

/* ---- cursor ------------------------------------------------------------- */

static void corrupt(struct postings_cursor *c)
{
    c->err = GALEN_ECORRUPT;
    c->doc = POSTINGS_END;
    c->block_n = 0;
    c->in_block = 0;
}

static uint32_t skip_last(const struct postings_cursor *c, uint32_t b)
{
    return get_u32le(c->skip + (size_t)b * POSTINGS_SKIP_ENTRY);
}

static uint32_t skip_off(const struct postings_cursor *c, uint32_t b,
                         unsigned which, size_t area_len)
{
    if (b >= c->nblocks)
        return (uint32_t)area_len;
    return get_u32le(c->skip + (size_t)b * POSTINGS_SKIP_ENTRY + 4 * which);
}

/* Turns the gaps in c->docs into doc ids. The gaps must add up to the
 * block's last doc exactly, which is checked first in 64 bits; then no
 * running sum can exceed it, so the prefix sum runs in 32 bits, and docs
 * are ascending, inside the block's range and below ndocs. */
static bool gaps_to_docs(struct postings_cursor *c, uint32_t b, uint32_t n,
                         uint32_t last)
{
    uint32_t prev = b > 0 ? skip_last(c, b - 1) : UINT32_MAX; /* -1 */
    uint64_t total = 0;
    uint32_t d = prev;
    uint32_t i;

    for (i = 0; i < n; i++)
        total += c->docs[i];
    if ((uint64_t)(uint32_t)(prev + 1) + total + n - 1 != last ||
        last >= c->ndocs)
        return false;
    for (i = 0; i < n; i++) {
        d += c->docs[i] + 1;
        c->docs[i] = d;
    }
    return true;
}

static bool decode_block(struct postings_cursor *c, uint32_t b)
{
    size_t blocks_len = (size_t)(c->pos - c->blocks);
    uint32_t off = skip_off(c, b, 1, blocks_len);
    uint32_t lim = skip_off(c, b + 1, 1, blocks_len);
    uint32_t n =
        b + 1 < c->nblocks ? POSTINGS_BLOCK : c->df - POSTINGS_BLOCK * b;
    uint32_t last = skip_last(c, b);
    const unsigned char *p;
    size_t k, readable;
    uint64_t pos_off;
    unsigned f;

    if (off > lim || lim > blocks_len)
        return false;
    p = c->blocks + off;
    k = get_varint(p, lim - off, &pos_off);
    if (k == 0 || pos_off > (uint64_t)(c->end - c->pos))
        return false;
    p += k;
    readable = (size_t)(c->end - p);
    k = decode_col(c->codec, p, (size_t)(c->blocks + lim - p), readable,
                   c->docs, n);
    if (k == 0 || !gaps_to_docs(c, b, n, last))
        return false;
    for (f = 0; f < c->nfields; f++) {
        p += k;
        readable = (size_t)(c->end - p);
        k = decode_col(c->codec, p, (size_t)(c->blocks + lim - p), readable,
                       c->tf[f], n);
        if (k == 0)
            return false;
    }
    c->block = b;
    c->block_n = n;
    c->in_block = 0;
    c->block_last = last;
    c->block_pos = c->pos + pos_off;
    c->pos_p = c->block_pos;
    c->pos_i = 0;
    return true;
}

static void enter_block(struct postings_cursor *c, uint32_t b)
{
    if (!decode_block(c, b)) {
        corrupt(c);
        return;
    }
    c->doc = c->docs[0];
}

static void load_impacts(struct postings_cursor *c, uint32_t b)
{
    size_t imps_len = (size_t)(c->blocks - c->imps);
    uint32_t off, lim;

    c->imp_block = b;
    memset(c->imp.n, 0, sizeof c->imp.n);
    if (b >= c->nblocks)
        return;
    off = skip_off(c, b, 2, imps_len);
    lim = skip_off(c, b + 1, 2, imps_len);
    if (off > lim || lim > imps_len ||
        impacts_decode(c->imps + off, lim - off, c->nfields, &c->imp) == 0) {
        memset(c->imp.n, 0, sizeof c->imp.n);
        corrupt(c);
    }
}

/* Parses the term header; returns false if it is malformed. */
static bool parse_head(struct postings_cursor *c, const unsigned char *p,
                       const unsigned char *end)
{
    struct impacts list;
    uint64_t nblocks, imps_len, blocks_len;
    size_t k;

    k = varint_decode(p, (size_t)(end - p), &nblocks);
    if (k == 0 ||
        nblocks != (c->df + (uint64_t)POSTINGS_BLOCK - 1) / POSTINGS_BLOCK)
        return false;
    p += k;
    k = impacts_decode(p, (size_t)(end - p), c->nfields, &list);
    if (k == 0)
        return false;
    p += k;
    k = varint_decode(p, (size_t)(end - p), &imps_len);
    if (k == 0)
        return false;
    p += k;
    k = varint_decode(p, (size_t)(end - p), &blocks_len);
    if (k == 0)
        return false;
    p += k;
    c->nblocks = (uint32_t)nblocks;
    if (nblocks * POSTINGS_SKIP_ENTRY > (uint64_t)(end - p))
        return false;
    c->skip = p;
    p += nblocks * POSTINGS_SKIP_ENTRY;
    if (imps_len > (uint64_t)(end - p))
        return false;
    c->imps = p;
    p += imps_len;
    if (blocks_len > (uint64_t)(end - p))
        return false;
    c->blocks = p;
    c->pos = p + blocks_len;
    c->end = end;
    return true;
}

void postings_cursor_init(struct postings_cursor *c, const struct segment *s,
                          const struct term_info *ti)
{
    const unsigned char *p;

    c->seg = s;
    c->err = GALEN_OK;
    c->doc = POSTINGS_END;
    c->codec = s->codec;
    c->nfields = (uint8_t)s->nfields;
    c->ndocs = s->ndocs;
    c->df = ti->df;
    c->nblocks = 0;
    c->block = 0;
    c->sblock = 0;
    c->block_n = 0;
    c->in_block = 0;
    c->imp_block = UINT32_MAX;
    memset(c->imp.n, 0, sizeof c->imp.n);
    if (ti->df == 0 || ti->offset > s->postings_len ||
        ti->nbytes > s->postings_len - ti->offset) {
        corrupt(c);
        return;
    }
    p = s->postings + ti->offset;
    if (!parse_head(c, p, p + ti->nbytes)) {
        corrupt(c);
        return;
    }
    enter_block(c, 0);
    if (c->err == GALEN_OK)
        load_impacts(c, 0);
}

void postings_next_block(struct postings_cursor *c)
{
    if (c->doc == POSTINGS_END)
        return;
    if (c->block + 1 >= c->nblocks) {
        c->doc = POSTINGS_END;
        c->in_block = c->block_n;
        return;
    }
    enter_block(c, c->block + 1);
}

void postings_seek_block(struct postings_cursor *c, uint32_t target)
{
    uint32_t b = c->block + 1;
    uint32_t i = 0;

    while (b < c->nblocks && skip_last(c, b) < target)
        b++;
    if (b >= c->nblocks) {
        c->doc = POSTINGS_END;
        c->in_block = c->block_n;
        return;
    }
    if (!decode_block(c, b)) {
        corrupt(c);
        return;
    }
    while (c->docs[i] < target)
        i++;
    c->in_block = i;
    c->doc = c->docs[i];
}

void postings_shallow_geq(struct postings_cursor *c, uint32_t target)
{
    uint32_t b = MAX(c->sblock, c->block);

    while (b < c->nblocks && skip_last(c, b) < target)
        b++;
    c->sblock = b;
    if (c->imp_block != b)
        load_impacts(c, b);
}

uint32_t postings_block_last(const struct postings_cursor *c)
{
    if (c->sblock >= c->nblocks)
        return POSTINGS_END;
    return skip_last(c, c->sblock);
}

const struct impacts *postings_block_impacts(const struct postings_cursor *c)
{
    return &c->imp;
}

/* Skips count varints starting at p; NULL if they run past end. */
static const unsigned char *
skip_varints(const unsigned char *p, const unsigned char *end, uint64_t count)
{
    while (count > 0) {
        if (p >= end)
            return NULL;
        if (!(*p & 0x80))
            count--;
        p++;
    }
    return p;
}

/* Moves c->pos_p to the positions of docs[i] in the current block. */
static bool seek_positions(struct postings_cursor *c, uint32_t i)
{
    uint64_t count = 0;
    uint32_t j;
    unsigned f;

    if (i < c->pos_i) {
        c->pos_i = 0;
        c->pos_p = c->block_pos;
    }
    for (j = c->pos_i; j < i; j++) {
        for (f = 0; f < c->nfields; f++)
            count += c->tf[f][j];
    }
    c->pos_p = skip_varints(c->pos_p, c->end, count);
    c->pos_i = i;
    return c->pos_p != NULL;
}

uint32_t postings_positions(struct postings_cursor *c, unsigned f,
                            uint32_t *pos, uint32_t cap)
{
    const unsigned char *p;
    uint64_t v = 0;
    uint64_t before = 0;
    uint32_t tf, k;
    unsigned g;

    if (c->doc == POSTINGS_END || f >= c->nfields || c->err != GALEN_OK)
        return 0;
    tf = c->tf[f][c->in_block];
    if (!seek_positions(c, c->in_block)) {
        corrupt(c);
        return 0;
    }
    for (g = 0; g < f; g++)
        before += c->tf[g][c->in_block];
    p = skip_varints(c->pos_p, c->end, before);
    for (k = 0; p && k < tf; k++) {
        uint64_t d;
        size_t n = get_varint(p, (size_t)(c->end - p), &d);

        v += d;
        if (n == 0 || v > UINT32_MAX) {
            p = NULL;
            break;
        }
        p += n;
        if (k < cap)
            pos[k] = (uint32_t)v;
    }
    if (!p) {
        corrupt(c);
        return 0;
    }
    return tf;
}

/* ---- reading helpers ---------------------------------------------------- */

int postings_list_impacts(const unsigned char *p, size_t len, unsigned nfields,
                          struct impacts *out)
{
    uint64_t nblocks;
    size_t k = varint_decode(p, len, &nblocks);

    if (k == 0 || impacts_decode(p + k, len - k, nfields, out) == 0)
        return GALEN_ECORRUPT;
    return GALEN_OK;
}

/* Checks that the current doc's positions decode and that its (tf, len)
 * pairs are dominated by the block's and the list's impacts. */
static bool check_posting(struct postings_cursor *c, const struct impacts *list)
{
    const struct segment *s = c->seg;
    uint32_t scratch[16];
    unsigned f;

    for (f = 0; f < c->nfields; f++) {
        uint32_t tf = postings_tf(c, f);
        uint32_t len = segment_field_len(s, c->doc, f);

        if (postings_positions(c, f, scratch, ARRAY_SIZE(scratch)) != tf)
            return false;
        if (!impacts_dominates(c->imp.v[f], c->imp.n[f], tf, len) ||
            !impacts_dominates(list->v[f], list->n[f], tf, len))
            return false;
    }
    return true;
}

int postings_check(const struct segment *s, const struct term_info *ti)
{
    struct postings_cursor *c = galen_malloc(sizeof *c);
    uint32_t count = 0;
    int rc = GALEN_OK;

    if (!c)
        return GALEN_ENOMEM;
    postings_cursor_init(c, s, ti);
    while (c->doc != POSTINGS_END) {
        postings_shallow_geq(c, c->doc);
        if (c->err != GALEN_OK || !check_posting(c, &ti->list_max)) {
            rc = GALEN_ECORRUPT;
            break;
        }
        count++;
        postings_next(c);
    }
    if (c->err != GALEN_OK || count != ti->df)
        rc = GALEN_ECORRUPT;
    galen_free(c);
    return rc;
}
