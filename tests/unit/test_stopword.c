/* SPDX-License-Identifier: MIT */
/* test_stopword.c: the compiled-in stop list and its hash lookup. */

/* cmocka.h needs these standard headers first, so the block is unsorted. */
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

#include "base/common.h"
#include "text/stopword.h"

static void test_stopword_every_listed_word(void **state)
{
    const char *const *list;
    size_t n = stopword_list(&list), i, j;

    UNUSED(state);
    assert_true(n > 100);
    for (i = 0; i < n; i++) {
        size_t len = strlen(list[i]);

        assert_true(len >= 1 && len <= STOPWORD_MAX_LEN);
        for (j = 0; j < len; j++) /* stored folded: a-z only */
            assert_true(list[i][j] >= 'a' && list[i][j] <= 'z');
        for (j = i + 1; j < n; j++)
            assert_string_not_equal(list[i], list[j]);
        assert_true(stopword_is(list[i], len));
    }
}

static void test_stopword_common_words(void **state)
{
    static const char *const stop[] = {"the", "a",   "of", "and", "what",
                                       "how", "are", "is", "to",  "yourselves",
                                       "can", "us",  "eg"};
    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(stop); i++)
        assert_true(stopword_is(stop[i], strlen(stop[i])));
}

static void test_stopword_keeps_negations_and_content(void **state)
{
    static const char *const keep[] = {
        "not",  "no",    "nor",     "without",  "cannot",   "dont",
        "isnt", "never", "against", "ill",      "well",     "shell",
        "pain", "flu",   "cure",    "diabetes", "symptoms", "treatment",
        "thee", "th",    "these1",  "The",      "x",
    };
    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(keep); i++)
        assert_false(stopword_is(keep[i], strlen(keep[i])));
}

static void test_stopword_bounds(void **state)
{
    UNUSED(state);
    assert_false(stopword_is("", 0));
    assert_false(stopword_is("themselvesxxxxxxx", 17));
    assert_true(stopword_is("theory", 3)); /* only len bytes are read */
    assert_false(stopword_is("the\0", 4));
    assert_false(stopword_is("\xC3\xA0", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stopword_every_listed_word),
        cmocka_unit_test(test_stopword_common_words),
        cmocka_unit_test(test_stopword_keeps_negations_and_content),
        cmocka_unit_test(test_stopword_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
