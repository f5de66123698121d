/* SPDX-License-Identifier: MIT */
/* test_postings.c: block codecs, impact sets and posting cursors, checked
 * against brute force on lists built from a seeded PRNG, plus corrupted
 * lists that must decode to an error, never a crash. */
/* cmocka.h must come after the headers it uses. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include <galen/error.h>

#include "base/mem.h"
#include "base/varint.h"
#include "index/postings.h"
#include "index/segment.h"

static uint64_t rng_state;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint32_t rnd(uint32_t n)
{
    return n ? (uint32_t)(rng() % n) : 0;
}

static void test_postings_column_roundtrip(void **state)
{
    static const enum postings_codec codecs[] = {POSTINGS_CODEC_VARINT,
                                                 POSTINGS_CODEC_PACKED};

    uint32_t v[POSTINGS_BLOCK], got[POSTINGS_BLOCK];
    struct buf b;
    int iter;
    size_t c;

    UNUSED(state);
    rng_state = 0x1234567;
    buf_init(&b, 1 << 20);
    for (iter = 0; iter < 4000; iter++) {
        uint32_t n = 1 + rnd(POSTINGS_BLOCK);
        uint32_t bits = rnd(33);
        uint32_t i;
        int rc = GALEN_OK;

        for (i = 0; i < n; i++)
            v[i] = bits == 0 ? 0 : (uint32_t)(rng() >> (64 - bits));
        c = iter % 2;
        buf_reset(&b);
        postings_encode_column(&rc, &b, codecs[c], v, n);
        assert_int_equal(rc, GALEN_OK);
        assert_int_equal(
            postings_decode_column(codecs[c], b.data, b.len, got, n), b.len);
        assert_memory_equal(v, got, n * sizeof *v);
        /* Every strict prefix is too short. */
        assert_int_equal(postings_decode_column(codecs[c], b.data,
                                                rnd((uint32_t)b.len), got, n),
                         0);
    }
    buf_cleanup(&b);
}

static void test_postings_packed_rejects_bad_width(void **state)
{
    unsigned char col[8] = {33, 0, 0, 0, 0, 0, 0, 0};
    uint32_t out[4];

    UNUSED(state);
    assert_int_equal(
        postings_decode_column(POSTINGS_CODEC_PACKED, col, sizeof col, out, 1),
        0);
}

static void test_postings_impacts_dominate(void **state)
{
    struct impact in[300], v[300];
    int iter;

    UNUSED(state);
    rng_state = 42;
    for (iter = 0; iter < 2000; iter++) {
        uint32_t n = 1 + rnd(300);
        uint32_t max = 1 + rnd(IMPACT_MAX);
        uint32_t i, k;

        for (i = 0; i < n; i++) {
            in[i].tf = rnd(iter % 2 ? 5 : 200);
            in[i].len = 1 + rnd(1000);
        }
        memcpy(v, in, n * sizeof *in);
        k = impacts_reduce(v, n, max);
        assert_true(k <= max);
        for (i = 0; i < n; i++)
            assert_true(impacts_dominates(v, k, in[i].tf, in[i].len));
        for (i = 1; i < k; i++) {
            assert_true(v[i].len > v[i - 1].len);
            assert_true(v[i].tf > v[i - 1].tf);
        }
    }
}

static void test_postings_frontier_matches_reduce(void **state)
{
    struct impact in[600], want[600], got[FRONTIER_SMALL + FRONTIER_BIG];
    struct frontier fr;
    int iter;

    UNUSED(state);
    rng_state = 43;
    for (iter = 0; iter < 3000; iter++) {
        uint32_t n = 1 + rnd(iter % 10 == 0 ? 600 : 128);
        bool many_big = iter % 10 == 0;
        uint32_t i, k, m;

        frontier_reset(&fr);
        for (i = 0; i < n; i++) {
            in[i].tf = rnd(8) == 0 ? 64 + rnd(many_big ? 5000 : 100)
                                   : rnd(rnd(2) ? 4 : 64);
            in[i].len = 1 + rnd(2000);
            frontier_add(&fr, in[i].tf, in[i].len);
        }
        memcpy(want, in, n * sizeof *in);
        k = impacts_reduce(want, n, 0);
        m = frontier_get(&fr, got, 0);
        for (i = 0; i < n; i++)
            assert_true(impacts_dominates(got, m, in[i].tf, in[i].len));
        if (!many_big) {
            /* Exact when the large tfs never overflowed: the same set. */
            assert_int_equal(m, k);
            assert_memory_equal(got, want, k * sizeof *got);
        }
        frontier_reset(&fr);
        for (i = 0; i < n; i++)
            frontier_add(&fr, in[i].tf, in[i].len);
        m = frontier_get(&fr, got, IMPACT_MAX);
        assert_true(m <= IMPACT_MAX);
        for (i = 0; i < n; i++)
            assert_true(impacts_dominates(got, m, in[i].tf, in[i].len));
    }
}

/* A list built in memory with a fake segment around it. */
struct list {
    uint32_t df, ndocs, nfields;
    uint32_t *docs;
    uint32_t *tf;   /* [df][nfields] */
    uint32_t *pos;  /* positions, concatenated in (doc, field) order */
    uint32_t *lens; /* [nfields][ndocs] as on disk (little-endian) */
    struct buf blob;
    struct segment seg;
    struct term_info ti;
};

/* Chooses df distinct docs below ndocs, ascending. */
static void pick_docs(uint32_t *docs, uint32_t df, uint32_t ndocs)
{
    unsigned char *taken = calloc(ndocs + 1, 1);
    uint32_t n = 0, d;

    while (n < df) {
        d = rnd(ndocs);
        if (!taken[d]) {
            taken[d] = 1;
            n++;
        }
    }
    for (d = 0, n = 0; d < ndocs; d++) {
        if (taken[d])
            docs[n++] = d;
    }
    free(taken);
}

static void list_build(struct list *l, enum postings_codec codec, uint32_t df,
                       uint32_t ndocs, uint32_t nfields)
{
    struct postings_writer pw;
    uint32_t i, f, k, npos = 0, at = 0;

    memset(l, 0, sizeof *l);
    l->df = df;
    l->ndocs = ndocs;
    l->nfields = nfields;
    l->docs = calloc(df + 1, sizeof *l->docs);
    l->tf = calloc((size_t)df * nfields + 1, sizeof *l->tf);
    l->lens = calloc((size_t)ndocs * nfields + 1, 4);
    for (i = 0; i < (uint32_t)ndocs * nfields; i++)
        put_u32le((unsigned char *)&l->lens[i], 20 + rnd(300));
    pick_docs(l->docs, df, ndocs);
    for (i = 0; i < df; i++) {
        uint32_t sum = 0;

        for (f = 0; f < nfields; f++) {
            uint32_t t = rnd(4) == 0 ? 0 : rnd(rnd(8) == 0 ? 40 : 4);

            l->tf[i * nfields + f] = t;
            sum += t;
        }
        if (sum == 0)
            l->tf[i * nfields + rnd(nfields)] = 1;
    }
    for (i = 0; i < df * nfields; i++)
        npos += l->tf[i];
    l->pos = calloc(npos + 1, sizeof *l->pos);
    postings_writer_init(&pw, codec, nfields);
    postings_writer_begin(&pw);
    for (i = 0; i < df; i++) {
        const uint32_t *pp[INDEX_MAX_FIELDS];
        uint32_t len[INDEX_MAX_FIELDS];

        for (f = 0; f < nfields; f++) {
            uint32_t p = 0;

            pp[f] = &l->pos[at];
            for (k = 0; k < l->tf[i * nfields + f]; k++) {
                p += rnd(3) == 0 ? 0 : 1 + rnd(50);
                l->pos[at++] = p;
            }
            len[f] = get_u32le(
                (unsigned char *)&l->lens[(size_t)f * ndocs + l->docs[i]]);
        }
        postings_writer_add(&pw, l->docs[i], &l->tf[i * nfields], len, pp);
    }
    buf_init(&l->blob, 1 << 28);
    assert_int_equal(postings_writer_finish(&pw, &l->blob), GALEN_OK);
    assert_int_equal(pw.df, df);
    postings_writer_cleanup(&pw);
    l->seg.nfields = nfields;
    l->seg.codec = (uint8_t)codec;
    l->seg.ndocs = ndocs;
    l->seg.postings = l->blob.data;
    l->seg.postings_len = l->blob.len;
    l->seg.lens = (const unsigned char *)l->lens;
    l->ti.df = df;
    l->ti.offset = 0;
    l->ti.nbytes = l->blob.len;
    assert_int_equal(postings_list_impacts(l->blob.data, l->blob.len, nfields,
                                           &l->ti.list_max),
                     GALEN_OK);
}

static void list_free(struct list *l)
{
    free(l->docs);
    free(l->tf);
    free(l->pos);
    free(l->lens);
    buf_cleanup(&l->blob);
}

/* Index of the first posting with doc >= target (df if none). */
static uint32_t lower_bound(const struct list *l, uint32_t target)
{
    uint32_t i = 0;

    while (i < l->df && l->docs[i] < target)
        i++;
    return i;
}

static void check_at(struct postings_cursor *c, const struct list *l,
                     uint32_t i, const uint32_t *pos_index)
{
    uint32_t pos[64];
    uint32_t f;

    if (i >= l->df) {
        assert_int_equal(c->doc, POSTINGS_END);
        return;
    }
    assert_int_equal(c->doc, l->docs[i]);
    for (f = 0; f < l->nfields; f++) {
        uint32_t tf = l->tf[i * l->nfields + f];
        uint32_t len = segment_field_len(&l->seg, c->doc, f);
        const struct impacts *imp;

        assert_int_equal(postings_tf(c, f), tf);
        assert_int_equal(postings_positions(c, f, pos, 64), tf);
        assert_memory_equal(pos, &l->pos[pos_index[i * l->nfields + f]],
                            MIN(tf, 64u) * sizeof *pos);
        assert_true(impacts_dominates(l->ti.list_max.v[f], l->ti.list_max.n[f],
                                      tf, len));
        postings_shallow_geq(c, c->doc);
        imp = postings_block_impacts(c);
        assert_true(postings_block_last(c) >= c->doc);
        assert_true(impacts_dominates(imp->v[f], imp->n[f], tf, len));
    }
}

static uint32_t *pos_index_of(const struct list *l)
{
    uint32_t *idx = calloc((size_t)l->df * l->nfields + 1, sizeof *idx);
    uint32_t i, at = 0;

    for (i = 0; i < l->df * l->nfields; i++) {
        idx[i] = at;
        at += l->tf[i];
    }
    return idx;
}

static void run_cursor_checks(enum postings_codec codec)
{
    struct postings_cursor c;
    int iter;

    for (iter = 0; iter < 120; iter++) {
        uint32_t ndocs = 1 + rnd(iter % 3 == 0 ? 200 : 50000);
        uint32_t df = 1 + rnd(MIN(ndocs, iter % 4 == 0 ? 3000u : 300u));
        struct list l;
        uint32_t *pidx;
        uint32_t i, target;

        list_build(&l, codec, df, ndocs, 1 + rnd(INDEX_MAX_FIELDS));
        pidx = pos_index_of(&l);
        postings_cursor_init(&c, &l.seg, &l.ti);
        for (i = 0; i <= df; i++) {
            check_at(&c, &l, i, pidx);
            postings_next(&c);
        }
        assert_int_equal(c.err, GALEN_OK);
        /* next_geq with random ascending targets. */
        postings_cursor_init(&c, &l.seg, &l.ti);
        target = 0;
        while (c.doc != POSTINGS_END) {
            uint32_t before = c.doc;

            target += rnd(rnd(2) ? 3 : ndocs / 8 + 2);
            postings_next_geq(&c, target);
            assert_true(c.doc >= before);
            check_at(&c, &l,
                     MAX(lower_bound(&l, target), lower_bound(&l, before)),
                     pidx);
            if (rnd(3) == 0 && c.doc != POSTINGS_END)
                postings_next(&c);
        }
        assert_int_equal(c.err, GALEN_OK);
        assert_int_equal(postings_check(&l.seg, &l.ti), GALEN_OK);
        free(pidx);
        list_free(&l);
    }
}

static void test_postings_cursor_packed(void **state)
{
    UNUSED(state);
    rng_state = 7;
    run_cursor_checks(POSTINGS_CODEC_PACKED);
}

static void test_postings_cursor_varint(void **state)
{
    UNUSED(state);
    rng_state = 8;
    run_cursor_checks(POSTINGS_CODEC_VARINT);
}

static void test_postings_shallow_is_lazy(void **state)
{
    struct postings_cursor c;
    struct list l;
    uint32_t b;

    UNUSED(state);
    rng_state = 99;
    list_build(&l, POSTINGS_CODEC_PACKED, 1000, 100000, 2);
    postings_cursor_init(&c, &l.seg, &l.ti);
    /* Walk the block-max pointer over every block; the doc stays put. */
    for (b = 0; b < 8; b++) {
        uint32_t last =
            l.docs[MIN(b * POSTINGS_BLOCK + POSTINGS_BLOCK - 1, l.df - 1)];

        postings_shallow_geq(&c, last);
        assert_int_equal(postings_block_last(&c), last);
        assert_int_equal(c.doc, l.docs[0]);
    }
    postings_shallow_geq(&c, l.docs[l.df - 1] + 1);
    assert_int_equal(postings_block_last(&c), POSTINGS_END);
    assert_int_equal(postings_block_impacts(&c)->n[0], 0);
    postings_next_geq(&c, l.docs[500]);
    assert_int_equal(c.doc, l.docs[500]);
    list_free(&l);
}

static void test_postings_writer_rejects_disorder(void **state)
{
    struct postings_writer pw;
    uint32_t tf[1] = {1}, len[1] = {5}, p[1] = {0};
    const uint32_t *pp[1] = {p};
    struct buf out;

    UNUSED(state);
    buf_init(&out, 1 << 20);
    postings_writer_init(&pw, POSTINGS_CODEC_PACKED, 1);
    postings_writer_begin(&pw);
    postings_writer_add(&pw, 5, tf, len, pp);
    postings_writer_add(&pw, 5, tf, len, pp);
    assert_int_equal(postings_writer_finish(&pw, &out), GALEN_EINVAL);
    postings_writer_begin(&pw);
    tf[0] = 0;
    postings_writer_add(&pw, 1, tf, len, pp);
    assert_int_equal(postings_writer_finish(&pw, &out), GALEN_EINVAL);
    postings_writer_cleanup(&pw);
    buf_cleanup(&out);
}

/* Flips bytes of encoded lists: the cursor must stay in bounds (ASan
 * checks), never move backwards, and stop with END. */
static void test_postings_corrupt_lists(void **state)
{
    struct postings_cursor c;
    uint32_t pos[8];
    int iter;

    UNUSED(state);
    rng_state = 2024;
    for (iter = 0; iter < 600; iter++) {
        struct list l;
        unsigned char *copy;
        uint32_t k, steps = 0;

        list_build(&l, iter % 2 ? POSTINGS_CODEC_PACKED : POSTINGS_CODEC_VARINT,
                   1 + rnd(400), 1000 + rnd(3000), 1 + rnd(2));
        copy = malloc(l.blob.len);
        memcpy(copy, l.blob.data, l.blob.len);
        for (k = 0; k < 1 + rnd(4); k++)
            copy[rnd((uint32_t)l.blob.len)] ^= (unsigned char)(1 + rnd(255));
        l.seg.postings = copy;
        l.ti.nbytes = rnd(4) == 0 ? rnd((uint32_t)l.blob.len) : l.blob.len;
        if (postings_list_impacts(copy, l.ti.nbytes, l.nfields,
                                  &l.ti.list_max) != GALEN_OK)
            memset(&l.ti.list_max, 0, sizeof l.ti.list_max);
        postings_cursor_init(&c, &l.seg, &l.ti);
        while (c.doc != POSTINGS_END && steps++ < 100000) {
            uint32_t before = c.doc;

            postings_positions(&c, 0, pos, 8);
            postings_shallow_geq(&c, c.doc + rnd(100));
            if (rnd(2))
                postings_next(&c);
            else
                postings_next_geq(&c, c.doc + rnd(50));
            assert_true(c.doc >= before);
            assert_true(c.doc == POSTINGS_END || c.doc < l.ndocs);
        }
        k = (uint32_t)postings_check(&l.seg, &l.ti);
        assert_true(k == GALEN_OK || k == GALEN_ECORRUPT);
        free(copy);
        list_free(&l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_postings_column_roundtrip),
        cmocka_unit_test(test_postings_packed_rejects_bad_width),
        cmocka_unit_test(test_postings_impacts_dominate),
        cmocka_unit_test(test_postings_frontier_matches_reduce),
        cmocka_unit_test(test_postings_cursor_packed),
        cmocka_unit_test(test_postings_cursor_varint),
        cmocka_unit_test(test_postings_shallow_is_lazy),
        cmocka_unit_test(test_postings_writer_rejects_disorder),
        cmocka_unit_test(test_postings_corrupt_lists),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
