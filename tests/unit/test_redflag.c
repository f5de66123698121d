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
    "action: Get medical advice today.\n"
    "action-source: own words, after NHS\n"
    "source: NICE NG158\n"
    "\n"
    "id: chest-pain\n"
    "all: chest pain|chest tightness\n"
    "urgency: emergency\n"
    "message: Chest pain can be a heart attack.\n"
    "action: Call emergency services.\n"
    "action-source: own words\n"
    "source: AHA\n"
    "\n"
    "\n"
    "id: cramps-weakness\n"
    "all: cramp*, weak*|numb*\n"
    "urgency: soon\n"
    "message: Cramps with weakness are not typical.\n"
    "action: See a doctor soon.\n"
    "action-source: own words\n"
    "source: AAN\n";

/* The engine's features, one rule each. */
static const char engine_rules[] =
    "id: rhabdo\n"
    "all: urine|pee, dark|brown|cola\n"
    "any: statin*|exercise|muscle pain\n"
    "within: 12\n"
    "urgency: emergency\n"
    "message: m\naction: a\naction-source: s\nsource: s\n"
    "\n"
    "id: dvt\n"
    "all: calf|leg, swollen|red*\n"
    "any: one|left|right\n"
    "within: 10\n"
    "unless: for~months|comes and goes\n"
    "urgency: urgent\n"
    "message: m\naction: a\naction-source: s\nsource: s\n"
    "conflicts: massage*|rub*\n"
    "\n"
    "id: palpitations\n"
    "all: heart~racing|palpitat*\n"
    "urgency: urgent\n"
    "message: m\naction: a\naction-source: s\nsource: s\n"
    "\n"
    "id: child-limp\n"
    "all: fever|temperature, limp*\n"
    "age: <16\n"
    "urgency: urgent\n"
    "message: m\naction: a\naction-source: s\nsource: s\n";

static struct redflag_rules *load(void)
{
    struct redflag_rules *rs = NULL;
    struct diag d;

    assert_int_equal(redflag_parse(rules, strlen(rules), &rs, &d), GALEN_OK);
    return rs;
}

static size_t match(struct redflag_rules *rs, const char *q,
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
    assert_string_equal(r->action, "Get medical advice today.");
    assert_string_equal(r->action_source, "own words, after NHS");
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
        /* no action, then bad within and age values */
        "id: x\nall: a\nurgency: soon\nmessage: m\nsource: s\n"
        "action-source: o\n",
        "id: x\nall: a\nwithin: ten\n",
        "id: x\nall: a\nage: 16\n",
        "id: x\nall: a\nage: <200\n",
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

static struct redflag_rules *load_engine(void)
{
    struct redflag_rules *rs = NULL;
    struct diag d;

    if (redflag_parse(engine_rules, strlen(engine_rules), &rs, &d) != GALEN_OK)
        fail_msg("line %ld: %s", d.line, d.msg);
    return rs;
}

static const char *top(struct redflag_rules *rs, const char *q)
{
    const struct redflag_rule *hits[4];

    return redflag_match(rs, q, strlen(q), hits, 4) ? hits[0]->id : "";
}

/* Stems and typing slips: "swolen", "peeing", "statins". */
static void test_redflag_stems_and_slips(void **state)
{
    struct redflag_rules *rs = load_engine();

    UNUSED(state);
    assert_string_equal(top(rs, "my left calf is swolen"), "dvt");
    assert_string_equal(top(rs, "my right leg looks reddened"), "dvt");
    assert_string_equal(top(rs, "on statins and peeing dark stuff"), "rhabdo");
    assert_string_equal(top(rs, "my heart keeps racing"), "palpitations");
    assert_string_equal(top(rs, "my heart is fine and i was racing"), "");
    /* "fever" is not one slip from "fewer": short words need exact forms */
    assert_string_equal(top(rs, "my son has fewer limps"), "");
    redflag_free(rs);
}

/* Concept groups must fall within the rule's window. */
static void test_redflag_window(void **state)
{
    struct redflag_rules *rs = load_engine();

    UNUSED(state);
    assert_string_equal(top(rs, "after exercise my pee is brown"), "rhabdo");
    assert_string_equal(top(rs,
                            "my pee is dark in the morning which my doctor "
                            "says is normal and unrelated, and separately I "
                            "wondered about exercise"),
                        "");
    /* Lexicon expansions (after \x1e) match at any position. */
    assert_string_equal(top(rs, "after a long run my urine looks like tea "
                                "\x1e . exercise"),
                        "");
    assert_string_equal(top(rs, "my urine looks like cola \x1e . exercise"),
                        "rhabdo");
    redflag_free(rs);
}

static void test_redflag_negation_forms(void **state)
{
    struct redflag_rules *rs = load_engine();

    UNUSED(state);
    assert_string_equal(top(rs, "left calf cramp, no swelling"), "");
    assert_string_equal(top(rs, "my left calf isn't swollen"), "");
    assert_string_equal(top(rs, "left calf, not red, not swollen"), "");
    assert_string_equal(top(rs, "left calf swelling, DVT ruled out"), "");
    assert_string_equal(top(rs, "a clot was ruled out, but now my left calf "
                                "is red"),
                        "dvt");
    assert_string_equal(top(rs, "no pain but my left calf is swollen"), "dvt");
    redflag_free(rs);
}

static void test_redflag_context(void **state)
{
    struct redflag_rules *rs = load_engine();

    UNUSED(state);
    /* unless: a change that has lasted months is not this rule's */
    assert_string_equal(top(rs, "my right calf has been swollen for the "
                                "past few months"),
                        "");
    assert_string_equal(top(rs, "I'm 3 months pregnant and my right calf is "
                                "swollen"),
                        "dvt");
    /* age */
    assert_string_equal(top(rs, "my 6 year old has a fever and a limp"),
                        "child-limp");
    assert_string_equal(top(rs, "my son has a temperature and is limping"),
                        "child-limp");
    assert_string_equal(top(rs, "I'm 45 and have a fever and a limp"), "");
    assert_string_equal(top(rs, "67 year old man, fever, limping"), "");
    redflag_free(rs);
}

static void test_redflag_conflicts(void **state)
{
    struct redflag_rules *rs = load_engine();
    const struct redflag_rule *hits[4];
    const char *q = "my left calf is swollen";
    const char *rub = "Rubbing and kneading the calf eases a cramp.";
    const char *norub = "Do not massage a leg that may have a clot.";

    UNUSED(state);
    assert_int_equal(redflag_match(rs, q, strlen(q), hits, 4), 1);
    assert_true(redflag_conflicts(rs, hits[0], rub, strlen(rub)));
    assert_false(redflag_conflicts(rs, hits[0], norub, strlen(norub)));
    assert_false(
        redflag_conflicts(rs, redflag_rule_at(rs, 0), rub, strlen(rub)));
    redflag_free(rs);
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
        cmocka_unit_test(test_redflag_stems_and_slips),
        cmocka_unit_test(test_redflag_window),
        cmocka_unit_test(test_redflag_negation_forms),
        cmocka_unit_test(test_redflag_context),
        cmocka_unit_test(test_redflag_conflicts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
