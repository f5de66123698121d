/* SPDX-License-Identifier: MIT */
/* test_bm25.c: BM25F scores against the textbook formula, the idf clamp,
 * and that bounds from impacts dominate every score they describe. */
/* cmocka.h needs the three headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdint.h>

#include "search/bm25.h"
#include "test_util.h"

static void test_bm25_single_field_is_classic_bm25(void **state)
{
    const double w[1] = {1.0}, b[1] = {0.75}, avg[1] = {100.0};
    const uint32_t tf[1] = {3}, len[1] = {50};
    struct bm25 m;
    double idf = bm25_idf(10, 1000);
    double k1 = 1.2, norm = 1 - 0.75 + 0.75 * 50 / 100.0;
    double want = idf * 3 * (k1 + 1) / (3 + k1 * norm);

    UNUSED(state);
    bm25_init(&m, k1, 1, w, b, avg);
    assert_float_equal(bm25_score(&m, bm25_term_weight(&m, idf), 1, tf, len),
                       want, 1e-12);
    assert_float_equal(idf, log(1 + (990 + 0.5) / 10.5), 1e-12);
}

static void test_bm25f_combines_fields_before_saturating(void **state)
{
    const double w[2] = {2.0, 1.0}, b[2] = {0.5, 0.75}, avg[2] = {8, 200};
    const uint32_t tf[2] = {1, 4}, len[2] = {6, 300};
    struct bm25 m;
    double ptf =
        2.0 * 1 / (0.5 + 0.5 * 6 / 8.0) + 1.0 * 4 / (0.25 + 0.75 * 300 / 200.0);

    UNUSED(state);
    bm25_init(&m, 0.9, 2, w, b, avg);
    assert_float_equal(bm25_score(&m, 1.9, 3, tf, len), 1.9 * ptf / (0.9 + ptf),
                       1e-12);
    /* The mask leaves fields out. */
    ptf = 1.0 * 4 / (0.25 + 0.75 * 300 / 200.0);
    assert_float_equal(bm25_score(&m, 1.9, 2, tf, len), 1.9 * ptf / (0.9 + ptf),
                       1e-12);
    assert_true(bm25_score(&m, 1.9, 0, tf, len) == 0.0);
}

/* Lucene's idf is positive but tends to 0 for a term in every document of
 * a large collection: log(1 + 0.5 / (n + 0.5)) is about 5e-10 for n = 1e9.
 * The clamp is what keeps it at BM25_IDF_MIN, and df > n (an inconsistent
 * index) must land there too rather than wrap n - df around. */
static void test_bm25_idf_is_clamped_positive(void **state)
{
    const uint64_t n = 1000000000;

    UNUSED(state);
    assert_true(bm25_idf(n, n) == BM25_IDF_MIN);
    assert_true(bm25_idf(2 * n, n) == BM25_IDF_MIN);
    assert_true(bm25_idf(5000, 1000) == bm25_idf(1000, 1000));
    assert_true(bm25_idf(1000, 1000) > BM25_IDF_MIN); /* 5e-4: no clamp */
    assert_float_equal(bm25_idf(0, 0), log(2.0), 1e-12);
    assert_true(bm25_idf(1, 1000) > bm25_idf(2, 1000));
}

static void test_bm25_empty_field_and_extreme_b_stay_finite(void **state)
{
    const double w[2] = {2.0, 1.0}, b[2] = {1.0, 7.0}, avg[2] = {0, 10};
    const uint32_t tf[2] = {1, 1}, len[2] = {0, 0};
    struct bm25 m;
    double s;

    UNUSED(state);
    bm25_init(&m, 1.2, 2, w, b, avg);
    s = bm25_score(&m, 1.0, 3, tf, len);
    assert_true(isfinite(s) && s > 0);
}

/* Builds a random Pareto-ish impact set, then checks random postings it
 * dominates never score above the bound. */
static void test_bm25_bound_dominates(void **state)
{
    const double w[2] = {3.0, 1.0}, b[2] = {0.3, 0.8}, avg[2] = {5, 120};
    struct bm25 m;
    int round, i;

    UNUSED(state);
    rng_seed(0x2545f4914f6cdd1dULL);
    bm25_init(&m, 1.2, 2, w, b, avg);
    for (round = 0; round < 2000; round++) {
        struct impacts imp = {{0}, {{{0, 0}}}};
        uint32_t tf[2], len[2];
        unsigned f, mask = 1 + (unsigned)(rng() % 3);
        double wt = 0.1 + (double)(rng() % 1000) / 100.0;
        double bound;

        for (f = 0; f < 2; f++) {
            imp.n[f] = (uint8_t)(1 + rng() % IMPACT_MAX);
            for (i = 0; i < imp.n[f]; i++) {
                imp.v[f][i].tf = 1 + (uint32_t)(rng() % 20);
                imp.v[f][i].len = imp.v[f][i].tf + (uint32_t)(rng() % 300);
            }
        }
        bound = bm25_bound(&m, wt, mask, &imp);
        for (i = 0; i < 50; i++) {
            for (f = 0; f < 2; f++) {
                const struct impact *d = &imp.v[f][rng() % imp.n[f]];

                tf[f] = (uint32_t)(rng() % (d->tf + 1));
                len[f] = d->len + (uint32_t)(rng() % 100);
            }
            assert_true(bm25_score(&m, wt, mask, tf, len) <= bound);
        }
    }
}

static void test_bm25_bound_is_reached_by_its_impact(void **state)
{
    const double w[1] = {1.0}, b[1] = {0.75}, avg[1] = {10};
    struct impacts imp = {{2}, {{{3, 30}, {1, 2}}}};
    const uint32_t tf[1] = {3}, len[1] = {30};
    const uint32_t tf2[1] = {1}, len2[1] = {2};
    struct bm25 m;
    double s1, s2;

    UNUSED(state);
    bm25_init(&m, 1.2, 1, w, b, avg);
    s1 = bm25_score(&m, 2.0, 1, tf, len);
    s2 = bm25_score(&m, 2.0, 1, tf2, len2);
    assert_true(bm25_bound(&m, 2.0, 1, &imp) == MAX(s1, s2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bm25_single_field_is_classic_bm25),
        cmocka_unit_test(test_bm25f_combines_fields_before_saturating),
        cmocka_unit_test(test_bm25_idf_is_clamped_positive),
        cmocka_unit_test(test_bm25_empty_field_and_extreme_b_stay_finite),
        cmocka_unit_test(test_bm25_bound_dominates),
        cmocka_unit_test(test_bm25_bound_is_reached_by_its_impact),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
