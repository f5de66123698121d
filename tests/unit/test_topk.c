/* SPDX-License-Identifier: MIT */
/* test_topk.c: the bounded heap against a full sort of everything offered,
 * with many ties, for several k; the threshold; and allocation failure. */
/* cmocka.h needs the three headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <stdint.h>
#include <stdlib.h>

#include <galen/error.h>

#include "base/mem.h"
#include "search/topk.h"
#include "test_util.h"

static int cmp_ref(const void *pa, const void *pb)
{
    const struct topk_entry *a = pa, *b = pb;

    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->seg != b->seg)
        return a->seg < b->seg ? -1 : 1;
    return a->doc < b->doc ? -1 : (a->doc > b->doc);
}

static void check_against_sort(size_t k, size_t n, unsigned distinct)
{
    struct topk_entry *all = calloc(n, sizeof *all);
    struct topk t;
    size_t i, kept = 0, got;

    assert_non_null(all);
    assert_int_equal(topk_init(&t, k), GALEN_OK);
    for (i = 0; i < n; i++) {
        /* Increasing (seg, doc); scores drawn from a small set to force
         * ties; some zero scores, which never enter. */
        all[i].seg = (uint32_t)(i / 97);
        all[i].doc = (uint32_t)(i % 97);
        all[i].score = (double)(rng() % distinct) * 0.25;
        if (all[i].score > 0)
            all[kept++] = all[i];
        topk_insert(&t, all[i].score, all[i].seg, all[i].doc);
    }
    qsort(all, kept, sizeof *all, cmp_ref);
    got = topk_finalize(&t);
    assert_int_equal(got, MIN(k, kept));
    for (i = 0; i < got; i++) {
        assert_true(t.heap[i].score == all[i].score);
        assert_int_equal(t.heap[i].seg, all[i].seg);
        assert_int_equal(t.heap[i].doc, all[i].doc);
    }
    topk_cleanup(&t);
    free(all);
}

static void test_topk_matches_full_sort(void **state)
{
    static const size_t ks[] = {1, 2, 3, 10, 100, 1000};
    size_t i;
    int round;

    UNUSED(state);
    rng_seed(0x9e3779b97f4a7c15ULL);
    for (round = 0; round < 20; round++) {
        for (i = 0; i < ARRAY_SIZE(ks); i++) {
            check_against_sort(ks[i], 1 + rng() % 3000, 2);
            check_against_sort(ks[i], 1 + rng() % 3000, 7);
            check_against_sort(ks[i], 1 + rng() % 3000, 100000);
        }
    }
}

static void test_topk_threshold(void **state)
{
    struct topk t;

    UNUSED(state);
    assert_int_equal(topk_init(&t, 2), GALEN_OK);
    assert_false(topk_would_enter(&t, 0.0));
    assert_true(topk_insert(&t, 1.0, 0, 0));
    assert_true(t.threshold == 0.0); /* not full yet */
    assert_true(topk_insert(&t, 3.0, 0, 1));
    assert_true(t.threshold == 1.0);
    assert_false(topk_insert(&t, 1.0, 0, 2)); /* a tie never displaces */
    assert_true(topk_insert(&t, 2.0, 0, 3));
    assert_true(t.threshold == 2.0);
    assert_int_equal(topk_finalize(&t), 2);
    assert_int_equal(t.heap[0].doc, 1);
    assert_int_equal(t.heap[1].doc, 3);
    topk_clear(&t);
    assert_int_equal(topk_finalize(&t), 0);
    topk_cleanup(&t);
}

static void test_topk_floor(void **state)
{
    struct topk t;

    UNUSED(state);
    assert_int_equal(topk_init(&t, 2), GALEN_OK);
    topk_set_floor(&t, 2.0);
    assert_false(topk_insert(&t, 2.0, 0, 0));
    assert_true(topk_insert(&t, 2.5, 0, 1));
    assert_true(t.threshold == 2.0);
    topk_set_floor(&t, 1.0); /* a floor never lowers */
    assert_true(t.threshold == 2.0);
    assert_true(topk_insert(&t, 3.0, 0, 2));
    assert_true(t.threshold == 2.5);
    topk_clear(&t);
    assert_true(t.threshold == 0.0);
    assert_true(topk_insert(&t, 0.5, 0, 3));
    topk_cleanup(&t);
}

static void test_topk_init_errors(void **state)
{
    struct topk t;

    UNUSED(state);
    assert_int_equal(topk_init(&t, 0), GALEN_EINVAL);
    mem_fail_after(0);
    assert_int_equal(topk_init(&t, 10), GALEN_ENOMEM);
    mem_fail_after(-1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topk_matches_full_sort),
        cmocka_unit_test(test_topk_threshold),
        cmocka_unit_test(test_topk_floor),
        cmocka_unit_test(test_topk_init_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
