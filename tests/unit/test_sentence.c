/* SPDX-License-Identifier: MIT */
/* test_sentence.c: sentence boundaries, abbreviations, lists, headings and
 * the span invariants on random bytes. */
/* cmocka.h needs the headers before it, so clang-format must not sort it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include "text/sentence.h"

enum { MAXS = 32 };

struct split {
    size_t n;
    char s[MAXS][256];
    unsigned flags[MAXS];
};

static void split(const char *text, struct split *out)
{
    struct sentence s;
    size_t pos = 0, len = strlen(text);

    memset(out, 0, sizeof *out);
    while (out->n < MAXS && sentence_next(text, len, &pos, &s)) {
        size_t n = s.end - s.start;
        assert_true(n < sizeof out->s[0]);
        memcpy(out->s[out->n], text + s.start, n);
        out->flags[out->n] = s.flags;
        out->n++;
    }
}

static void test_sentence_basic_stops(void **state)
{
    struct split r;

    UNUSED(state);
    split("Cramps hurt. Do they pass? Yes! They do.", &r);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.s[0], "Cramps hurt.");
    assert_string_equal(r.s[1], "Do they pass?");
    assert_string_equal(r.s[2], "Yes!");
    assert_string_equal(r.s[3], "They do.");
}

static void test_sentence_abbreviations(void **state)
{
    struct split r;

    UNUSED(state);
    split("Some drugs (e.g. Diuretics) cause cramps. Dr. Smith agrees. "
          "Take 10 mg. daily for a week. The U.S. Food and Drug "
          "Administration approved it, i.e. It is legal.",
          &r);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.s[0], "Some drugs (e.g. Diuretics) cause cramps.");
    assert_string_equal(r.s[1], "Dr. Smith agrees.");
    assert_string_equal(r.s[2], "Take 10 mg. daily for a week.");
    assert_string_equal(r.s[3], "The U.S. Food and Drug Administration "
                                "approved it, i.e. It is legal.");
}

static void test_sentence_soft_abbrev_ends_before_capital(void **state)
{
    struct split r;

    UNUSED(state);
    split("Start with 10 mg. Increase weekly. Eat fruit, nuts, etc. Then rest.",
          &r);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.s[0], "Start with 10 mg.");
    assert_string_equal(r.s[2], "Eat fruit, nuts, etc.");
}

static void test_sentence_decimals_and_numbers(void **state)
{
    struct split r;

    UNUSED(state);
    split("A normal A1C is below 5.7 percent. Fig. 2 shows 6.5 percent. "
          "It rose in 2010. 40 people took part.",
          &r);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.s[0], "A normal A1C is below 5.7 percent.");
    assert_string_equal(r.s[1], "Fig. 2 shows 6.5 percent.");
    assert_string_equal(r.s[3], "40 people took part.");
}

static void test_sentence_lowercase_continues(void **state)
{
    struct split r;

    UNUSED(state);
    split("It is approx. half the dose... but works. End.", &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.s[0], "It is approx. half the dose... but works.");
}

static void test_sentence_list_items_and_leadin(void **state)
{
    struct split r;

    UNUSED(state);
    split("Key factors include:\n- Muscle fatigue from overuse\n"
          "- Dehydration, which disrupts nerves\n"
          "1. Stretch the calf\n2) Drink water",
          &r);
    assert_int_equal(r.n, 5);
    assert_string_equal(r.s[0], "Key factors include:");
    assert_true(r.flags[0] & SENTENCE_LEADIN);
    assert_string_equal(r.s[1], "Muscle fatigue from overuse");
    assert_true(r.flags[1] & SENTENCE_LIST_ITEM);
    assert_string_equal(r.s[2], "Dehydration, which disrupts nerves");
    assert_string_equal(r.s[3], "Stretch the calf");
    assert_string_equal(r.s[4], "Drink water");
    assert_true(r.flags[4] & SENTENCE_LIST_ITEM);
}

static void test_sentence_inline_list(void **state)
{
    struct split r;

    UNUSED(state);
    split("Results are percentages:       - A normal level is below 5.7    - "
          "Prediabetes is 5.7 to 6.4 percent",
          &r);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.s[1], "A normal level is below 5.7");
    assert_true(r.flags[2] & SENTENCE_LIST_ITEM);
}

static void test_sentence_headings(void **state)
{
    struct split r;

    UNUSED(state);
    split("## Causes\nCramps come from fatigue.\n\nCauses of Soleus Cramps\n"
          "The soleus is a deep calf muscle.",
          &r);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.s[0], "Causes");
    assert_true(r.flags[0] & SENTENCE_HEADING);
    assert_string_equal(r.s[1], "Cramps come from fatigue.");
    assert_false(r.flags[1] & SENTENCE_HEADING);
    assert_string_equal(r.s[2], "Causes of Soleus Cramps");
    assert_true(r.flags[2] & SENTENCE_HEADING);
}

static void test_sentence_wrapped_lines_join(void **state)
{
    struct split r;

    UNUSED(state);
    split("Muscle cramps are sudden, involuntary contractions of a muscle\n"
          "that usually last seconds. They pass.",
          &r);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.s[0],
                        "Muscle cramps are sudden, involuntary contractions "
                        "of a muscle\nthat usually last seconds.");
}

static void test_sentence_quotes_and_citations(void **state)
{
    struct split r;

    UNUSED(state);
    split("He said \"rest.\" Then he left. Baclofen helps.[1] Albumin too [2].",
          &r);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.s[0], "He said \"rest.\"");
    assert_string_equal(r.s[2], "Baclofen helps.[1]");
    assert_string_equal(r.s[3], "Albumin too [2].");
}

static void test_sentence_glued_stops(void **state)
{
    struct split r;

    UNUSED(state);
    split("Drugs reduce this tendency.A second operation is needed. "
          "You will sleep (general anesthesia).During surgery it is "
          "cut. See e.g.Smith and the U.S.Army, or example.com today.",
          &r);
    assert_int_equal(r.n, 5);
    assert_string_equal(r.s[0], "Drugs reduce this tendency.");
    assert_string_equal(r.s[1], "A second operation is needed.");
    assert_string_equal(r.s[2], "You will sleep (general anesthesia).");
    assert_string_equal(r.s[3], "During surgery it is cut.");
    assert_string_equal(
        r.s[4], "See e.g.Smith and the U.S.Army, or example.com today.");
}

static void test_sentence_offsets_are_exact(void **state)
{
    const char *t = "  One.  Two.\n\n- Three";
    struct sentence s;
    size_t pos = 0;

    UNUSED(state);
    assert_true(sentence_next(t, strlen(t), &pos, &s));
    assert_int_equal(s.start, 2);
    assert_int_equal(s.end, 6);
    assert_true(sentence_next(t, strlen(t), &pos, &s));
    assert_int_equal(s.start, 8);
    assert_int_equal(s.end, 12);
    assert_true(sentence_next(t, strlen(t), &pos, &s));
    assert_int_equal(s.start, 16);
    assert_false(sentence_next(t, strlen(t), &pos, &s));
    assert_int_equal(sentence_count("", 0), 0);
    assert_int_equal(sentence_count(" \n\t ", 4), 0);
}

static void test_sentence_long_text_is_cut(void **state)
{
    static char t[5000];
    struct sentence s;
    size_t pos = 0, n = 0, i;

    UNUSED(state);
    for (i = 0; i + 1 < sizeof t; i++)
        t[i] = (i % 7 == 6) ? ' ' : 'a';
    while (sentence_next(t, sizeof t - 1, &pos, &s)) {
        assert_true(s.end - s.start <= SENTENCE_MAX_LEN);
        n++;
    }
    assert_true(n >= 3);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_sentence_random_invariants(void **state)
{
    static const char alpha[] = "aA .!?\n-#*1:[]\"')e.g\xe2\x80\xa2 ";
    char t[600];
    int round;

    UNUSED(state);
    for (round = 0; round < 3000; round++) {
        size_t len = rng() % sizeof t, i, pos = 0, prev_end = 0;
        struct sentence s;

        for (i = 0; i < len; i++)
            t[i] = alpha[rng() % (sizeof alpha - 1)];
        while (sentence_next(t, len, &pos, &s)) {
            assert_true(s.start >= prev_end);
            assert_true(s.start < s.end);
            assert_true(s.end <= len);
            assert_true(pos >= s.end || pos > s.start);
            prev_end = s.end;
        }
        assert_int_equal(pos, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentence_basic_stops),
        cmocka_unit_test(test_sentence_abbreviations),
        cmocka_unit_test(test_sentence_soft_abbrev_ends_before_capital),
        cmocka_unit_test(test_sentence_decimals_and_numbers),
        cmocka_unit_test(test_sentence_lowercase_continues),
        cmocka_unit_test(test_sentence_list_items_and_leadin),
        cmocka_unit_test(test_sentence_inline_list),
        cmocka_unit_test(test_sentence_headings),
        cmocka_unit_test(test_sentence_wrapped_lines_join),
        cmocka_unit_test(test_sentence_quotes_and_citations),
        cmocka_unit_test(test_sentence_glued_stops),
        cmocka_unit_test(test_sentence_offsets_are_exact),
        cmocka_unit_test(test_sentence_long_text_is_cut),
        cmocka_unit_test(test_sentence_random_invariants),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
