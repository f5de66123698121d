/* SPDX-License-Identifier: MIT */
/* test_qtype.c: question-type rules, facets, names and sentence cues. */
/* cmocka.h needs the headers before it, so clang-format must not sort it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include "answer/qtype.h"
#include "text/words.h"

static enum qtype classify(const char *q)
{
    struct qtype_result r;

    qtype_classify(q, strlen(q), &r);
    return r.type;
}

static void test_qtype_seed_questions(void **state)
{
    UNUSED(state);
    assert_int_equal(classify("What causes soleus muscle cramps?"),
                     QTYPE_CAUSES);
    assert_int_equal(classify("What is a muscle cramp?"), QTYPE_DEFINITION);
    assert_int_equal(classify("What deficiency causes calf spasms?"),
                     QTYPE_CAUSES);
    assert_int_equal(classify("What are the causes of lower leg cramps?"),
                     QTYPE_CAUSES);
}

static void test_qtype_each_type(void **state)
{
    static const struct {
        const char *q;
        enum qtype t;
    } cases[] = {
        {"How do I get rid of leg cramps at night?", QTYPE_TREATMENT},
        {"how can i prevent cramps", QTYPE_PREVENTION},
        {"What is the usual dose of baclofen?", QTYPE_DOSAGE},
        {"What are the side effects of baclofen?", QTYPE_SIDE_EFFECTS},
        {"What is the outlook for ALS?", QTYPE_PROGNOSIS},
        {"Who is at risk for DVT?", QTYPE_RISK_FACTORS},
        {"When should I see a doctor about leg cramps?",
         QTYPE_WHEN_TO_SEE_DOCTOR},
        {"What is the difference between a cramp and a spasm?",
         QTYPE_COMPARISON},
        {"How is diabetes diagnosed?", QTYPE_DIAGNOSIS},
        {"What are the symptoms of hypokalemia?", QTYPE_SYMPTOMS},
        {"Why do my calves cramp at night?", QTYPE_CAUSES},
        {"Is testosterone a hormone?", QTYPE_OTHER},
        {"Hello there", QTYPE_OTHER},
        {"", QTYPE_OTHER},
    };

    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        if (classify(cases[i].q) != cases[i].t)
            fail_msg("'%s': got %s, want %s", cases[i].q,
                     qtype_name(classify(cases[i].q)), qtype_name(cases[i].t));
    }
}

static void test_qtype_facets(void **state)
{
    const char *q = "What causes cramps and how are they treated?";
    struct qtype_result r;

    UNUSED(state);
    qtype_classify(q, strlen(q), &r);
    assert_true(r.mask & (1u << QTYPE_CAUSES));
    assert_true(r.mask & (1u << QTYPE_TREATMENT));
    assert_false(r.mask & (1u << QTYPE_DOSAGE));
    qtype_classify("hi", 2, &r);
    assert_int_equal(r.mask, 0);
}

static void test_qtype_names_round_trip(void **state)
{
    enum qtype t;
    int k;

    UNUSED(state);
    for (k = 0; k < QTYPE_COUNT; k++) {
        const char *n = qtype_name((enum qtype)k);
        assert_true(qtype_from_name(n, strlen(n), &t));
        assert_int_equal(t, k);
        assert_non_null(qtype_heading((enum qtype)k));
    }
    assert_true(qtype_from_name("exams and tests", 15, &t));
    assert_int_equal(t, QTYPE_DIAGNOSIS);
    assert_true(qtype_from_name("Outlook", 7, &t));
    assert_int_equal(t, QTYPE_PROGNOSIS);
    assert_false(qtype_from_name("nonsense", 8, &t));
    assert_string_equal(qtype_followup(QTYPE_CAUSES, false), "What causes %s?");
    assert_string_equal(qtype_followup(QTYPE_TREATMENT, true),
                        "How are %s treated?");
    assert_null(qtype_followup(QTYPE_OTHER, false));
}

static void test_qtype_sentence_cues(void **state)
{
    const char *c = "Cramps are often caused by dehydration and an "
                    "electrolyte imbalance.";
    const char *d = "Baclofen can be started at 10 mg/day.";

    UNUSED(state);
    assert_true(qtype_sentence_score(QTYPE_CAUSES, c, strlen(c)) > 0.9);
    assert_true(qtype_sentence_score(QTYPE_DOSAGE, c, strlen(c)) < 0.01);
    assert_true(qtype_sentence_score(QTYPE_DOSAGE, d, strlen(d)) > 0.8);
    assert_true(qtype_sentence_score(QTYPE_OTHER, d, strlen(d)) == 0.0);
}

static void test_qtype_text_helpers(void **state)
{
    const char *t = "Take 10 mg/day, e.g. with FOOD.";
    size_t e = 0;

    UNUSED(state);
    assert_int_equal(answer_text_find(t, strlen(t), "mg day"), 8);
    assert_int_equal(answer_text_find(t, strlen(t), "food"), 26);
    assert_int_equal(answer_text_find(t, strlen(t), "foo"), strlen(t));
    assert_int_equal(answer_text_find(t, strlen(t), "foo*"), 26);
    assert_true(answer_text_phrase_at(t, strlen(t), 0, "take 10", &e));
    assert_int_equal(e, 7);
    assert_false(answer_text_phrase_at(t, strlen(t), 1, "ake", &e));
    assert_int_equal(answer_text_word_count(t, strlen(t)), 8);
    assert_true(answer_text_ieq("Baclofen", 8, "baclofen"));
    assert_false(answer_text_ieq("Baclofe", 7, "baclofen"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qtype_seed_questions),
        cmocka_unit_test(test_qtype_each_type),
        cmocka_unit_test(test_qtype_facets),
        cmocka_unit_test(test_qtype_names_round_trip),
        cmocka_unit_test(test_qtype_sentence_cues),
        cmocka_unit_test(test_qtype_text_helpers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
