/* SPDX-License-Identifier: MIT */
/* test_lexicon.c: lexicon parsing, both-way phrase matching, longest match,
 * case rules for short abbreviations, errors and allocation failures. */
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

#include <galen/error.h>

#include "answer/layterms.h"
#include "base/mem.h"

static const char sample[] = "# lay\tmedical\tkind\n"
                             "charley horse\tmuscle cramp\tsynonym\n"
                             "calf\tgastrocnemius\tbody_part\n"
                             "calf\tsoleus\tbody_part\n"
                             "leg cramps\tnocturnal leg cramps\tsynonym\n"
                             "leg\tlower limb\tbody_part\n"
                             "heart attack\tmyocardial infarction\tsynonym\n"
                             "BP\tblood pressure\tabbrev\n"
                             "K\tpotassium\tabbrev\n"
                             "peds\tpediatric\tabbrev\n"
                             "\n"
                             "baclophen\tbaclofen\tspelling\r\n";

struct seen {
    size_t n;
    char out[16][96];
};

static int collect(void *ctx, const struct lexicon_match *m)
{
    struct seen *s = ctx;

    if (s->n < 16) {
        snprintf(s->out[s->n], sizeof s->out[0], "%zu-%zu %s>%s", m->start,
                 m->end, m->is_lay ? m->entry->lay : m->entry->medical,
                 m->is_lay ? m->entry->medical : m->entry->lay);
        s->n++;
    }
    return 0;
}

static struct lexicon *load_sample(void)
{
    struct lexicon *lx = NULL;
    struct diag d;

    assert_int_equal(lexicon_parse(sample, strlen(sample), &lx, &d), GALEN_OK);
    return lx;
}

static void scan(const struct lexicon *lx, const char *t, struct seen *s)
{
    memset(s, 0, sizeof *s);
    assert_int_equal(lexicon_scan(lx, t, strlen(t), collect, s), GALEN_OK);
}

static void test_lexicon_parse_entries(void **state)
{
    struct lexicon *lx = load_sample();

    UNUSED(state);
    assert_int_equal(lexicon_size(lx), 10);
    assert_string_equal(lexicon_entry_at(lx, 0)->lay, "charley horse");
    assert_string_equal(lexicon_entry_at(lx, 0)->medical, "muscle cramp");
    assert_int_equal(lexicon_entry_at(lx, 6)->kind, LEXICON_ABBREV);
    assert_string_equal(lexicon_entry_at(lx, 9)->medical, "baclofen");
    assert_null(lexicon_entry_at(lx, 10));
    lexicon_free(lx);
}

static void test_lexicon_scan_both_ways(void **state)
{
    struct lexicon *lx = load_sample();
    struct seen s;

    UNUSED(state);
    scan(lx, "Charley horses at night, or a muscle cramp?", &s);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.out[0], "0-14 charley horse>muscle cramp");
    assert_string_equal(s.out[1], "30-42 muscle cramp>charley horse");
    scan(lx, "my calves hurt", &s);
    assert_int_equal(s.n, 2);
    scan(lx, "my calf hurts", &s);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.out[0], "3-7 calf>gastrocnemius");
    assert_string_equal(s.out[1], "3-7 calf>soleus");
    lexicon_free(lx);
}

static void test_lexicon_longest_match(void **state)
{
    struct lexicon *lx = load_sample();
    struct seen s;

    UNUSED(state);
    scan(lx, "bad leg cramps; my leg", &s);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.out[0], "4-14 leg cramps>nocturnal leg cramps");
    assert_string_equal(s.out[1], "19-22 leg>lower limb");
    scan(lx, "nocturnal leg cramps", &s);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.out[0], "0-20 nocturnal leg cramps>leg cramps");
    lexicon_free(lx);
}

static void test_lexicon_abbrev_case(void **state)
{
    struct lexicon *lx = load_sample();
    struct seen s;

    UNUSED(state);
    scan(lx, "High BP and low K after peds visit", &s);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.out[0], "5-7 BP>blood pressure");
    assert_string_equal(s.out[1], "16-17 K>potassium");
    assert_string_equal(s.out[2], "24-28 peds>pediatric");
    scan(lx, "vitamin k and bp ok", &s);
    assert_int_equal(s.n, 0);
    scan(lx, "PEDS", &s);
    assert_int_equal(s.n, 1);
    lexicon_free(lx);
}

static void test_lexicon_has_word(void **state)
{
    struct lexicon *lx = load_sample();

    UNUSED(state);
    assert_true(lexicon_has_word(lx, "gastrocnemius", 13));
    assert_true(lexicon_has_word(lx, "Horses", 6));
    assert_true(lexicon_has_word(lx, "infarction", 10));
    assert_false(lexicon_has_word(lx, "liver", 5));
    lexicon_free(lx);
}

static void test_lexicon_errors(void **state)
{
    struct lexicon *lx = NULL;
    struct diag d;
    const char *bad1 = "a\tb\tsynonym\nc\td\n";
    const char *bad2 = "a\tb\tcolour\n";
    const char *bad3 = "\t\tsynonym\n";
    const char *bad4 = "--\tb\tsynonym\n";

    UNUSED(state);
    assert_int_equal(lexicon_parse(bad1, strlen(bad1), &lx, &d), GALEN_EPARSE);
    assert_int_equal(d.line, 2);
    assert_null(lx);
    assert_int_equal(lexicon_parse(bad2, strlen(bad2), &lx, &d), GALEN_EPARSE);
    assert_non_null(strstr(d.msg, "kind"));
    assert_int_equal(lexicon_parse(bad3, strlen(bad3), &lx, NULL),
                     GALEN_EPARSE);
    assert_int_equal(lexicon_parse(bad4, strlen(bad4), &lx, &d), GALEN_EPARSE);
    assert_int_equal(lexicon_load("/nonexistent/lexicon.tsv", &lx, &d),
                     GALEN_ENOENT);
    assert_int_equal(lexicon_parse("", 0, &lx, &d), GALEN_OK);
    assert_int_equal(lexicon_size(lx), 0);
    lexicon_free(lx);
    lexicon_free(NULL);
}

static void test_lexicon_oom_sweep(void **state)
{
    long n;

    UNUSED(state);
    for (n = 0; n < 400; n++) {
        struct lexicon *lx = NULL;
        int rc;

        mem_fail_after(n);
        rc = lexicon_parse(sample, strlen(sample), &lx, NULL);
        if (rc == GALEN_OK) {
            struct seen s;
            memset(&s, 0, sizeof s);
            rc = lexicon_scan(lx, "charley horse", 13, collect, &s);
        }
        mem_fail_after(-1);
        lexicon_free(lx);
        if (rc == GALEN_OK)
            return;
        assert_int_equal(rc, GALEN_ENOMEM);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lexicon_parse_entries),
        cmocka_unit_test(test_lexicon_scan_both_ways),
        cmocka_unit_test(test_lexicon_longest_match),
        cmocka_unit_test(test_lexicon_abbrev_case),
        cmocka_unit_test(test_lexicon_has_word),
        cmocka_unit_test(test_lexicon_errors),
        cmocka_unit_test(test_lexicon_oom_sweep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
