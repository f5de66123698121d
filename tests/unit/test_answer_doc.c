/* SPDX-License-Identifier: MIT */
/* test_answer_doc.c: documents rebuilt from stored fields and meta JSON,
 * section ranges, defaults, and corrupt meta. */
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

#include "answer/answer_doc.h"
#include "base/mem.h"

static struct str S(const char *s) {
    return (struct str){s, strlen(s)};

}

static void
test_answer_doc_sections_and_meta(void **state)

{
    const char *body = "Lead text.\n\nCauses\nFatigue causes cramps [1].";
    const char *meta =
        "{\"id\":\"x\",\"kind\":\"guideline\",\"evidence\":\"rct\","
        "\"status\":\"approved\",\"date\":\"2020-01-02\",\"has_answer\":true,"
        "\"question_type\":\"causes\",\"focus\":[\"cramp\"],"
        "\"synonyms\":[\"charley horse\"],\"sections\":[{\"heading\":\"\","
        "\"start\":0,\"end\":10},{\"heading\":\"Causes\",\"start\":12,"
        "\"end\":45}],\"references\":[{\"kind\":\"research\",\"title\":"
        "\"T\",\"year\":2012,\"pmid\":\"1\"}]}";
    struct doc *d = NULL;

    UNUSED(state);
    assert_int_equal(answer_doc_load(S("x"), S("Title"), S(body), S(meta), &d),
                     GALEN_OK);
    assert_string_equal(d->title, "Title");
    assert_int_equal(d->kind, DOC_KIND_GUIDELINE);
    assert_int_equal(d->evidence, DOC_EVIDENCE_RCT);
    assert_int_equal(d->status, DOC_STATUS_APPROVED);
    assert_int_equal(d->nsections, 2);
    assert_string_equal(d->sections[0].text, "Lead text.");
    assert_string_equal(d->sections[1].heading, "Causes");
    assert_string_equal(d->sections[1].text, "Fatigue causes cramps [1].");
    assert_int_equal(d->nrefs, 1);
    assert_int_equal(d->refs[0].year, 2012);
    assert_string_equal(d->focus.v[0], "cramp");
    assert_string_equal(d->synonyms.v[0], "charley horse");
    doc_free(d);
}

static void test_answer_doc_no_meta(void **state)
{
    struct doc *d = NULL;

    UNUSED(state);
    assert_int_equal(
        answer_doc_load(S("b1"), S(""), S("Just text."), S(""), &d), GALEN_OK);
    assert_int_equal(d->nsections, 1);
    assert_string_equal(d->sections[0].text, "Just text.");
    assert_true(d->has_answer);
    doc_free(d);
}

static void test_answer_doc_corrupt(void **state)
{
    static const char *const bad[] = {
        "not json",
        "[1]",
        "{\"kind\":\"poem\"}",
        "{\"sections\":[{\"heading\":\"\",\"start\":0,\"end\":99}]}",
        "{\"sections\":[{\"heading\":\"\",\"start\":4,\"end\":2}]}",
        "{\"sections\":{}}",
        "{\"focus\":[1]}",
    };
    struct doc *d = NULL;
    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        if (answer_doc_load(S("x"), S("t"), S("short body"), S(bad[i]), &d) !=
            GALEN_ECORRUPT)
            fail_msg("case %zu accepted", i);
        assert_null(d);
    }
}

static void test_answer_doc_oom_sweep(void **state)
{
    const char *meta = "{\"sections\":[{\"heading\":\"H\",\"start\":0,"
                       "\"end\":6}],\"focus\":[\"a\",\"b\"]}";
    long n;

    UNUSED(state);
    for (n = 0; n < 200; n++) {
        struct doc *d = NULL;
        int rc;

        mem_fail_after(n);
        rc = answer_doc_load(S("x"), S("t"), S("H\nbody"), S(meta), &d);
        mem_fail_after(-1);
        doc_free(d);
        if (rc == GALEN_OK)
            return;
        assert_int_equal(rc, GALEN_ENOMEM);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answer_doc_sections_and_meta),
        cmocka_unit_test(test_answer_doc_no_meta),
        cmocka_unit_test(test_answer_doc_corrupt),
        cmocka_unit_test(test_answer_doc_oom_sweep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
