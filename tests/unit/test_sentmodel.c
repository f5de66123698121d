/* SPDX-License-Identifier: MIT */
/* test_sentmodel.c: the sentence model file (data/answer-model.tsv): its
 * parser and its errors, and the score it gives. */
/* cmocka.h needs the headers before it, so clang-format must not sort it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>

#include <galen/error.h>

#include "answer/sentmodel.h"

static const char good[] = "# a comment\n"
                           "bias\t-1\n"
                           "focus\t2\n"
                           "rel\t0\ncue\t0\nheading\t0\ndoc\t0\n"
                           "lead\t1.5\ncentral\t0\nanaphoric\t0\nlong\t0\n"
                           "context\t-0.5\ntitle\t0\n";

static void test_sentmodel_parse_and_score(void **state)
{
    struct sentmodel m;
    struct diag d;
    double f[SM_NFEATURES] = {0};

    (void)state;
    assert_int_equal(sentmodel_parse(good, strlen(good), &m, &d), GALEN_OK);
    assert_true(m.bias == -1 && m.w[SM_FOCUS] == 2 && m.w[SM_LEAD] == 1.5);
    /* z = -1: the probability is the logistic of the sum. */
    assert_true(fabs(sentmodel_score(&m, f) - 1 / (1 + exp(1.0))) < 1e-12);
    f[SM_FOCUS] = 1;
    f[SM_LEAD] = 1;
    assert_true(fabs(sentmodel_score(&m, f) - 1 / (1 + exp(-2.5))) < 1e-12);
    /* Every feature has a name the file uses. */
    for (size_t k = 0; k < SM_NFEATURES; k++)
        assert_non_null(strstr(good, sentmodel_names[k]));
}

static void expect_error(const char *text, long line, const char *msg)
{
    struct sentmodel m;
    struct diag d = {{0}, 0};

    assert_int_equal(sentmodel_parse(text, strlen(text), &m, &d), GALEN_EPARSE);
    assert_int_equal(d.line, line);
    if (!strstr(d.msg, msg))
        fail_msg("'%s' lacks '%s'", d.msg, msg);
}

static void test_sentmodel_errors(void **state)
{
    char buf[512];

    (void)state;
    expect_error("bias\t1\nfocus 2\n", 2, "NAME<TAB>WEIGHT");
    expect_error("bias\tx\n", 1, "bad weight");
    expect_error("bias\t1\nbias\t2\n", 2, "bias given twice");
    expect_error("bias\t1\nfocus\t1\nfocus\t2\n", 3, "'focus' given twice");
    expect_error("bias\t1\nwhatever\t2\n", 2, "unknown feature 'whatever'");
    expect_error("focus\t1\n", 1, "no bias");
    expect_error("bias\t1\nfocus\t1\n", 2, "no weight for 'rel'");
    expect_error("bias\t1\nfocus\t\n", 2, "bad weight");
    /* Each feature's line removed in turn is reported by name. */
    for (size_t k = 0; k < SM_NFEATURES; k++) {
        const char *name = sentmodel_names[k];
        size_t n = 0;

        n += (size_t)snprintf(buf + n, sizeof buf - n, "bias\t0\n");
        for (size_t j = 0; j < SM_NFEATURES; j++) {
            if (j != k)
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\t0\n",
                                      sentmodel_names[j]);
        }
        struct sentmodel m;
        struct diag d = {{0}, 0};
        assert_int_equal(sentmodel_parse(buf, n, &m, &d), GALEN_EPARSE);
        assert_non_null(strstr(d.msg, name));
    }
}

static void test_sentmodel_load(void **state)
{
    struct sentmodel m;
    struct diag d = {{0}, 0};

    (void)state;
    assert_int_not_equal(
        sentmodel_load("/nonexistent/answer-model.tsv", &m, &d), GALEN_OK);
    assert_non_null(strstr(d.msg, "cannot read the answer model"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentmodel_parse_and_score),
        cmocka_unit_test(test_sentmodel_errors),
        cmocka_unit_test(test_sentmodel_load),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
