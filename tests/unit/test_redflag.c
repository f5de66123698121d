/* SPDX-License-Identifier: MIT */
/* test_redflag.c: red-flag rule parsing, all/any semantics, negation,
 * urgency ordering, errors and allocation failures. */
/* cmocka.h needs the headers before it, so clang-format must not sort it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include <galen/error.h>

#include "answer/redflag.h"
#include "base/mem.h"

static const char rules[] =
    "# red flags\n"
    "id: dvt-calf\n"
    "all: calf|calves|leg, swell*|warm*|red*|hot\n"
    "any: one, right, left, single\n"
    "urgency: urgent\n"
    "message: One-sided calf swelling, warmth or redness can be a clot.\n"
    "source: NICE NG158\n"
    "\n"
    "id: chest-pain\n"
    "all: chest pain|chest tightness\n"
    "urgency: emergency\n"
    "message: Call emergency services.\n"
    "source: AHA\n"
    "\n"
    "\n"
    "id: cramps-weakness\n"
    "all: cramp*, weak*|numb*\n"
    "urgency: soon\n"
    "message: See a doctor soon.\n"
    "source: AAN\n";

static struct redflag_rules *load(void)
{
    struct redflag_rules *rs = NULL;
    struct diag d;

    assert_int_equal(redflag_parse(rules, strlen(rules), &rs, &d), GALEN_OK);
    return rs;
}

static size_t match(const struct redflag_rules *rs, const char *q,
                    const struct redflag_rule **hits)
{
    return redflag_match(rs, q, strlen(q), hits, 4);
}

static void test_redflag_parse(void **state)
{
    struct redflag_rules *rs = load();
    const struct redflag_rule *r;

    UNUSED(state);
    assert_int_equal(redflag_count(rs), 3);
    r = redflag_rule_at(rs, 0);
    assert_string_equal(r->id, "dvt-calf");
    assert_int_equal(r->urgency, REDFLAG_URGENT);
    assert_string_equal(r->source, "NICE NG158");
    assert_string_equal(redflag_urgency_name(r->urgency), "urgent");
    assert_null(redflag_rule_at(rs, 3));
    redflag_free(rs);
}

static void test_redflag_seed_message(void **state)
{
    struct redflag_rules *rs = load();
    const struct redflag_rule *hits[4];
    const char *q = "I have been experiencing a sensation of warmth in my "
                    "right calf at night for the past few months.";

    UNUSED(state);
    assert_int_equal(match(rs, q, hits), 1);
    assert_string_equal(hits[0]->id, "dvt-calf");
    /* "any" is required when present: no side named, no match. */
    assert_int_equal(match(rs, "my calf is warm", hits), 0);
    redflag_free(rs);
}

static void test_redflag_all_groups_needed(void **state)
{
    struct redflag_rules *rs = load();
    const struct redflag_rule *hits[4];

    UNUSED(state);
    assert_int_equal(match(rs, "cramps in my right calf", hits), 0);
    assert_int_equal(match(rs, "Leg cramps with numbness", hits), 1);
    assert_string_equal(hits[0]->id, "cramps-weakness");
    assert_int_equal(match(rs, "weakness", hits), 0);
    redflag_free(rs);
}

static void test_redflag_negation(void **state)
{
    struct redflag_rules *rs = load();
    const struct redflag_rule *hits[4];

    UNUSED(state);
    assert_int_equal(match(rs, "cramps but no weakness or numbness", hits), 0);
    assert_int_equal(match(rs, "I don't have chest pain", hits), 0);
    assert_int_equal(match(rs, "Cramps without weakness, and numb toes", hits),
                     1);
    redflag_free(rs);
}

static void test_redflag_urgency_order(void **state)
{
    struct redflag_rules *rs = load();
    const struct redflag_rule *hits[4];
    const char *q = "Chest pain, and cramps with weakness in my left leg "
                    "with swelling";

    UNUSED(state);
    assert_int_equal(match(rs, q, hits), 3);
    assert_string_equal(hits[0]->id, "chest-pain");
    assert_string_equal(hits[1]->id, "dvt-calf");
    assert_string_equal(hits[2]->id, "cramps-weakness");
    assert_int_equal(redflag_match(rs, q, strlen(q), hits, 1), 3);
    redflag_free(rs);
}

static void test_redflag_errors(void **state)
{
    static const char *const bad[] = {
        "id: x\nall: a\nurgency: later\nmessage: m\nsource: s\n",
        "id: x\nall: a\nurgency: soon\nmessage: m\n",
        "id: x\nid: y\nall: a\nurgency: soon\nmessage: m\nsource: s\n",
        "id: x\ncolour: a\n",
        "id: x\nall: a,,b\nurgency: soon\nmessage: m\nsource: s\n",
        "just text\n",
    };
    struct redflag_rules *rs = NULL;
    struct diag d;
    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        if (redflag_parse(bad[i], strlen(bad[i]), &rs, &d) != GALEN_EPARSE)
            fail_msg("case %zu parsed", i);
        assert_true(d.line > 0);
    }
    assert_int_equal(redflag_load("/nonexistent/redflags.txt", &rs, &d),
                     GALEN_ENOENT);
    redflag_free(NULL);
}

static void test_redflag_oom_sweep(void **state)
{
    long n;

    UNUSED(state);
    for (n = 0; n < 200; n++) {
        struct redflag_rules *rs = NULL;
        int rc;

        mem_fail_after(n);
        rc = redflag_parse(rules, strlen(rules), &rs, NULL);
        mem_fail_after(-1);
        redflag_free(rs);
        if (rc == GALEN_OK)
            return;
        assert_int_equal(rc, GALEN_ENOMEM);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redflag_parse),
        cmocka_unit_test(test_redflag_seed_message),
        cmocka_unit_test(test_redflag_all_groups_needed),
        cmocka_unit_test(test_redflag_negation),
        cmocka_unit_test(test_redflag_urgency_order),
        cmocka_unit_test(test_redflag_errors),
        cmocka_unit_test(test_redflag_oom_sweep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
