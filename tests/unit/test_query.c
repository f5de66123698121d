/* SPDX-License-Identifier: MIT */
/* test_query.c: every syntax form of the query parser, every error with the
 * position it names, plain mode, per-field analyzer variants, reuse and
 * allocation failure. Words are chosen so that stemming and stop words do
 * not change them. */
/* cmocka.h needs the three headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <stdint.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "search/query.h"

struct fixture {
    struct analyzer *a;
    struct index_conf conf;
    struct query q;
};

static void conf_two_fields(struct index_conf *c)
{
    memset(c, 0, sizeof *c);
    c->nfields = 2;
    c->k1 = 1.2f;
    memcpy(c->field[0].name, "title", 6);
    memcpy(c->field[1].name, "body", 5);
    c->field[0].weight = 2;
    c->field[1].weight = 1;
    c->field[0].b = c->field[1].b = 0.75f;
    c->field[0].stem = c->field[1].stem = true;
    c->field[0].stop = c->field[1].stop = true;
}

static int setup(void **state)
{
    struct fixture *fx = test_calloc(1, sizeof *fx);

    if (!fx || analyzer_new(&fx->a) != GALEN_OK)
        return -1;
    conf_two_fields(&fx->conf);
    query_init(&fx->q);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    query_cleanup(&fx->q);
    analyzer_free(fx->a);
    test_free(fx);
    return 0;
}

static int parse(struct fixture *fx, const char *text)
{
    return query_parse(&fx->q, fx->a, &fx->conf, text, strlen(text), 0);
}

static void assert_atom(const struct query *q, size_t i, const char *term,
                        uint32_t relpos)
{
    assert_true(i < q->natoms);
    assert_true(str_eq_cstr(q->atom[i].term, term));
    assert_int_equal(q->atom[i].relpos, relpos);
}

static void assert_clause(const struct query *q, size_t i, int occur,
                          bool is_phrase, unsigned mask, uint32_t n)
{
    assert_true(i < q->nclauses);
    assert_int_equal(q->clause[i].occur, occur);
    assert_int_equal(q->clause[i].is_phrase, is_phrase);
    assert_int_equal(q->clause[i].mask, mask);
    assert_int_equal(q->clause[i].n, n);
}

static void test_query_free_text_is_or_of_terms(void **state)
{
    struct fixture *fx = *state;

    assert_int_equal(parse(fx, "  Flu  fever\tcough "), GALEN_OK);
    assert_int_equal(fx->q.nclauses, 3);
    assert_clause(&fx->q, 0, QUERY_SHOULD, false, 3, 1);
    assert_clause(&fx->q, 2, QUERY_SHOULD, false, 3, 1);
    assert_atom(&fx->q, 0, "flu", 0);
    assert_atom(&fx->q, 1, "fever", 0);
    assert_atom(&fx->q, 2, "cough", 0);
    assert_int_equal(fx->q.clause[1].at, 7);
    assert_int_equal(fx->q.ngroups, 3);
}

static void test_query_phrase_is_required(void **state)
{
    struct fixture *fx = *state;

    assert_int_equal(parse(fx, "flu \"heart attack\""), GALEN_OK);
    assert_int_equal(fx->q.nclauses, 2);
    assert_clause(&fx->q, 1, QUERY_MUST, true, 3, 2);
    assert_atom(&fx->q, 1, "heart", 0);
    assert_atom(&fx->q, 2, "attack", 1);
    assert_int_equal(fx->q.clause[1].at, 4);
    /* A quoted single word is a required term. */
    assert_int_equal(parse(fx, "\"flu\""), GALEN_OK);
    assert_clause(&fx->q, 0, QUERY_MUST, false, 3, 1);
}

static void test_query_required_and_excluded(void **state)
{
    struct fixture *fx = *state;

    assert_int_equal(parse(fx, "+flu -cough -\"heart attack\" +\"a1c b12\""),
                     GALEN_OK);
    assert_int_equal(fx->q.nclauses, 4);
    assert_clause(&fx->q, 0, QUERY_MUST, false, 3, 1);
    assert_clause(&fx->q, 1, QUERY_MUST_NOT, false, 3, 1);
    assert_clause(&fx->q, 2, QUERY_MUST_NOT, true, 3, 2);
    assert_clause(&fx->q, 3, QUERY_MUST, true, 3, 2);
    assert_atom(&fx->q, 0, "flu", 0);
    assert_atom(&fx->q, 1, "cough", 0);
    /* A hyphen inside a word is not an operator. */
    assert_int_equal(parse(fx, "x-ray"), GALEN_OK);
    assert_true(fx->q.nclauses >= 1);
    assert_int_equal(fx->q.clause[0].occur, QUERY_SHOULD);
}

static void test_query_fields(void **state)
{
    struct fixture *fx = *state;

    assert_int_equal(parse(fx, "title:flu Body:\"heart attack\" -title:cough"
                               " +body:fever"),
                     GALEN_OK);
    assert_int_equal(fx->q.nclauses, 4);
    assert_clause(&fx->q, 0, QUERY_SHOULD, false, 1, 1);
    assert_clause(&fx->q, 1, QUERY_MUST, true, 2, 2);
    assert_clause(&fx->q, 2, QUERY_MUST_NOT, false, 1, 1);
    assert_clause(&fx->q, 3, QUERY_MUST, false, 2, 1);
    assert_atom(&fx->q, 0, "flu", 0);
    assert_atom(&fx->q, 4, "fever", 0);
    /* A colon that does not follow a name is text: "2:1" is a word. */
    assert_int_equal(parse(fx, "ratio 2:1"), GALEN_OK);
    assert_int_equal(fx->q.clause[0].mask, 3);
}

static void test_query_multi_term_words(void **state)
{
    struct fixture *fx = *state;

    /* Optional: several terms; required or excluded: a phrase. */
    assert_int_equal(parse(fx, "flu/fever"), GALEN_OK);
    assert_int_equal(fx->q.nclauses, 2);
    assert_clause(&fx->q, 0, QUERY_SHOULD, false, 3, 1);
    assert_clause(&fx->q, 1, QUERY_SHOULD, false, 3, 1);
    assert_atom(&fx->q, 1, "fever", 0);
    assert_int_equal(parse(fx, "+flu/fever"), GALEN_OK);
    assert_int_equal(fx->q.nclauses, 1);
    assert_clause(&fx->q, 0, QUERY_MUST, true, 3, 2);
    assert_atom(&fx->q, 1, "fever", 1);
    /* A joined token and its parts share a position; the joined one is
     * marked so that phrase matching uses the parts. */
    assert_int_equal(parse(fx, "+covid-19"), GALEN_OK);
    assert_int_equal(fx->q.nclauses, 1);
    assert_clause(&fx->q, 0, QUERY_MUST, true, 3, 3);
    assert_atom(&fx->q, 0, "covid19", 0);
    assert_atom(&fx->q, 1, "covid", 0);
    assert_atom(&fx->q, 2, "19", 1);
    assert_true(fx->q.atom[0].joined);
    assert_false(fx->q.atom[1].joined);
    assert_false(fx->q.atom[2].joined);
    /* Punctuation alone adds nothing and is not an error. */
    assert_int_equal(parse(fx, "flu ?!"), GALEN_OK);
    assert_int_equal(fx->q.nclauses, 1);
}

static void assert_error(struct fixture *fx, const char *text, size_t at,
                         const char *msg)
{
    assert_int_equal(parse(fx, text), GALEN_EPARSE);
    assert_string_equal(fx->q.errmsg, msg);
    assert_int_equal(fx->q.err_at, at);
    assert_int_equal(fx->q.nclauses, 0);
}

static void test_query_errors_name_position(void **state)
{
    struct fixture *fx = *state;

    assert_error(fx, "", 0, "empty query at byte 1");
    assert_error(fx, " \t ", 0, "empty query at byte 1");
    assert_error(fx, "flu \"heart attack", 4, "unbalanced quote at byte 5");
    assert_error(fx, "a \"b\" \"c", 6, "unbalanced quote at byte 7");
    assert_error(fx, "flu +", 4,
                 "'+' is not followed by a term or phrase at byte 5");
    assert_error(fx, "- flu", 0,
                 "'-' is not followed by a term or phrase at byte 1");
    assert_error(fx, "+-flu", 0,
                 "'+' is not followed by a term or phrase at byte 1");
    assert_error(fx, "flu color:red", 4, "unknown field 'color' at byte 5");
    assert_error(fx, "+title: flu", 6, "missing term after 'title:' at byte 7");
    assert_error(fx, "title:", 5, "missing term after 'title:' at byte 6");
    assert_error(fx, "flu \"  \"", 4, "empty phrase at byte 5");
    assert_error(fx, "flu \"\"", 4, "empty phrase at byte 5");
}

static void test_query_limits(void **state)
{
    struct fixture *fx = *state;
    char text[QUERY_MAX_LEN + 2];
    size_t i;

    /* 65 distinct words "kaa kab ..." exceed QUERY_MAX_ATOMS. */
    for (i = 0; i < QUERY_MAX_ATOMS + 1; i++) {
        text[4 * i] = 'k';
        text[4 * i + 1] = (char)('a' + i / 26);
        text[4 * i + 2] = (char)('a' + i % 26);
        text[4 * i + 3] = ' ';
    }
    text[4 * i] = '\0';
    assert_int_equal(parse(fx, text), GALEN_EPARSE);
    assert_non_null(strstr(fx->q.errmsg, "more than 64 terms"));
    assert_int_equal(
        query_parse(&fx->q, fx->a, &fx->conf, text, strlen(text), QUERY_PLAIN),
        GALEN_OK);
    assert_int_equal(fx->q.natoms, QUERY_MAX_ATOMS);
    memset(text, 'a', QUERY_MAX_LEN + 1);
    text[QUERY_MAX_LEN + 1] = '\0';
    assert_int_equal(parse(fx, text), GALEN_EPARSE);
    assert_string_equal(fx->q.errmsg,
                        "query longer than 4096 bytes at byte 4097");
}

static void test_query_plain_mode_has_no_syntax(void **state)
{
    struct fixture *fx = *state;
    const char *t = "ratio:flu -\"fever +cough";

    assert_int_equal(
        query_parse(&fx->q, fx->a, &fx->conf, t, strlen(t), QUERY_PLAIN),
        GALEN_OK);
    assert_int_equal(fx->q.nclauses, 4);
    assert_clause(&fx->q, 0, QUERY_SHOULD, false, 3, 1);
    assert_clause(&fx->q, 3, QUERY_SHOULD, false, 3, 1);
    assert_atom(&fx->q, 0, "ratio", 0);
    assert_atom(&fx->q, 3, "cough", 0);
    assert_int_equal(query_parse(&fx->q, fx->a, &fx->conf, " ", 1, QUERY_PLAIN),
                     GALEN_EPARSE);
}

static void test_query_variants_per_field_options(void **state)
{
    struct fixture *fx = *state;

    fx->conf.field[0].stem = false;
    assert_int_equal(parse(fx, "+flu fever title:cough"), GALEN_OK);
    /* flu and fever each in two variants (title, body); cough only title. */
    assert_int_equal(fx->q.nclauses, 5);
    assert_clause(&fx->q, 0, QUERY_MUST, false, 1, 1);
    assert_clause(&fx->q, 1, QUERY_MUST, false, 2, 1);
    assert_int_equal(fx->q.clause[0].group, fx->q.clause[1].group);
    assert_true(fx->q.clause[2].group != fx->q.clause[1].group);
    assert_int_equal(fx->q.clause[2].group, fx->q.clause[3].group);
    assert_clause(&fx->q, 4, QUERY_SHOULD, false, 1, 1);
    assert_int_equal(fx->q.ngroups, 3);
    fx->conf.field[0].stem = true;
}

static void test_query_reuse_and_oom(void **state)
{
    struct fixture *fx = *state;
    struct query q;
    long n;
    int rc = GALEN_ENOMEM;

    assert_int_equal(parse(fx, "flu"), GALEN_OK);
    assert_int_equal(parse(fx, "fever cough"), GALEN_OK);
    assert_int_equal(fx->q.natoms, 2);
    assert_atom(&fx->q, 0, "fever", 0);
    for (n = 0; rc == GALEN_ENOMEM; n++) {
        query_init(&q);
        mem_fail_after(n);
        rc = query_parse(&q, fx->a, &fx->conf, "flu \"a b\"", 9, 0);
        mem_fail_after(-1);
        query_cleanup(&q);
        assert_true(rc == GALEN_OK || rc == GALEN_ENOMEM);
    }
    assert_int_equal(rc, GALEN_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query_free_text_is_or_of_terms),
        cmocka_unit_test(test_query_phrase_is_required),
        cmocka_unit_test(test_query_required_and_excluded),
        cmocka_unit_test(test_query_fields),
        cmocka_unit_test(test_query_multi_term_words),
        cmocka_unit_test(test_query_errors_name_position),
        cmocka_unit_test(test_query_limits),
        cmocka_unit_test(test_query_plain_mode_has_no_syntax),
        cmocka_unit_test(test_query_variants_per_field_options),
        cmocka_unit_test(test_query_reuse_and_oom),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
