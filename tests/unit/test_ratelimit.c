/* SPDX-License-Identifier: MIT */
/* test_ratelimit.c: token buckets per client, refill, eviction. Time is an
 * argument, so no test waits. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "ratelimit.h"

static void test_ratelimit_burst_then_refuse(void **state)
{
    struct ratelimit *rl = NULL;
    double retry = 0;
    int i;

    UNUSED(state);
    assert_int_equal(ratelimit_new(0.5, 3, 64, &rl), GALEN_OK);
    for (i = 0; i < 3; i++)
        assert_true(ratelimit_take(rl, "10.0.0.1", 100.0, NULL));
    assert_false(ratelimit_take(rl, "10.0.0.1", 100.0, &retry));
    assert_true(retry > 1.9 && retry < 2.1);
    /* Another client has its own bucket. */
    assert_true(ratelimit_take(rl, "10.0.0.2", 100.0, NULL));
    ratelimit_free(rl);
}

static void test_ratelimit_refills_over_time(void **state)
{
    struct ratelimit *rl = NULL;

    UNUSED(state);
    assert_int_equal(ratelimit_new(1.0, 2, 16, &rl), GALEN_OK);
    assert_true(ratelimit_take(rl, "c", 0.0, NULL));
    assert_true(ratelimit_take(rl, "c", 0.0, NULL));
    assert_false(ratelimit_take(rl, "c", 0.5, NULL));
    assert_true(ratelimit_take(rl, "c", 1.6, NULL));
    assert_false(ratelimit_take(rl, "c", 1.7, NULL));
    /* Refill is capped at the burst. */
    assert_true(ratelimit_take(rl, "c", 1000.0, NULL));
    assert_true(ratelimit_take(rl, "c", 1000.0, NULL));
    assert_false(ratelimit_take(rl, "c", 1000.0, NULL));
    /* A clock going backwards grants nothing. */
    assert_false(ratelimit_take(rl, "c", 10.0, NULL));
    ratelimit_free(rl);
}

static void test_ratelimit_bounded_memory_evicts_oldest(void **state)
{
    struct ratelimit *rl = NULL;
    char key[32];
    int i;
    int refused = 0;

    UNUSED(state);
    assert_int_equal(ratelimit_new(0.001, 1, 4, &rl), GALEN_OK);
    assert_true(ratelimit_take(rl, "victim", 0.0, NULL));
    assert_false(ratelimit_take(rl, "victim", 0.0, NULL));
    /* Many other clients push the victim out of its set. */
    for (i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "client-%d", i);
        if (!ratelimit_take(rl, key, 1.0 + i, NULL))
            refused++;
    }
    assert_int_equal(refused, 0);
    assert_true(ratelimit_take(rl, "victim", 200.0, NULL));
    ratelimit_free(rl);
}

static void test_ratelimit_long_and_empty_keys(void **state)
{
    struct ratelimit *rl = NULL;
    char a[200];
    char b[200];

    UNUSED(state);
    memset(a, 'x', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    memcpy(b, a, sizeof b);
    b[150] = 'y'; /* differs only past the truncation point */
    assert_int_equal(ratelimit_new(0.001, 1, 8, &rl), GALEN_OK);
    assert_true(ratelimit_take(rl, a, 0.0, NULL));
    assert_false(ratelimit_take(rl, b, 0.0, NULL));
    assert_true(ratelimit_take(rl, "", 0.0, NULL));
    assert_false(ratelimit_take(rl, NULL, 0.0, NULL));
    ratelimit_free(rl);
}

static void test_ratelimit_rejects_bad_config(void **state)
{
    struct ratelimit *rl = NULL;

    UNUSED(state);
    assert_int_equal(ratelimit_new(0, 1, 8, &rl), GALEN_EINVAL);
    assert_int_equal(ratelimit_new(1, 0.5, 8, &rl), GALEN_EINVAL);
    assert_int_equal(ratelimit_new(1, 1, 0, &rl), GALEN_EINVAL);
    assert_null(rl);
    mem_fail_after(0);
    assert_int_equal(ratelimit_new(1, 1, 8, &rl), GALEN_ENOMEM);
    mem_fail_after(-1);
    assert_null(rl);
    ratelimit_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ratelimit_burst_then_refuse),
        cmocka_unit_test(test_ratelimit_refills_over_time),
        cmocka_unit_test(test_ratelimit_bounded_memory_evicts_oldest),
        cmocka_unit_test(test_ratelimit_long_and_empty_keys),
        cmocka_unit_test(test_ratelimit_rejects_bad_config),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
