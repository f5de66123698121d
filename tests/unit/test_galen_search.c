/* SPDX-License-Identifier: MIT */
/* test_galen_search.c: the public search API end to end on the fixture
 * corpus in tests/data/search: building (stats, bad records named by
 * file:line), hits and their strings, options, query errors with their
 * position, snippet rendering, and concurrent searches on one handle. */
/* cmocka.h needs the three headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>
#include <galen/search.h>

#include "base/common.h"
#include "test_util.h"

#define CORPUS "tests/data/search/corpus.jsonl"
#define BAD    "tests/data/search/bad.jsonl"

struct fixture {
    char dir[TMP_DIR_MAX];
    struct galen_index *gi;
};

static int setup(void **state)
{
    const char *paths[] = {CORPUS};
    struct fixture *fx = calloc(1, sizeof *fx);
    struct galen_build_opts o;
    struct galen_build_stats st;

    if (!fx)
        return -1;
    tmp_dir(fx->dir);
    galen_build_opts_init(&o);
    if (galen_index_build(fx->dir, paths, 1, &o, &st) != GALEN_OK ||
        st.docs != 7 || st.terms == 0 || st.text_bytes == 0)
        return -1;
    if (galen_index_open(fx->dir, &fx->gi) != GALEN_OK)
        return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    galen_index_close(fx->gi);
    if (tmp_rm(fx->dir) != 0)
        return -1;
    free(fx);
    return 0;
}

static struct galen_hits *search(struct fixture *fx, const char *q,
                                 const struct galen_search_opts *o)
{
    struct galen_hits *h = NULL;

    assert_int_equal(galen_search(fx->gi, q, o, &h), GALEN_OK);
    assert_non_null(h);
    return h;
}

static void test_galen_search_hits_carry_stored_fields(void **state)
{
    struct fixture *fx = *state;
    struct galen_hits *h = search(fx, "calf", NULL);
    const struct galen_hit *hit;
    size_t i;

    assert_int_equal(galen_index_doc_count(fx->gi), 7);
    assert_int_equal(galen_hits_count(h), 2);
    hit = galen_hits_get(h, 0);
    assert_string_equal(hit->id, "cramp-1");
    assert_string_equal(hit->title, "Muscle cramps at night");
    assert_true(hit->score > galen_hits_get(h, 1)->score);
    assert_non_null(strstr(hit->snippet, "calf"));
    assert_true(hit->nmarks >= 1);
    for (i = 0; i < hit->nmarks; i++)
        assert_int_equal(strncmp(hit->snippet + hit->marks[i].start, "calf",
                                 hit->marks[i].end - hit->marks[i].start),
                         0);
    assert_null(galen_hits_get(h, 2));
    galen_hits_free(h);
    /* Other members of a BEIR record are kept as JSON metadata. */
    h = search(fx, "contagious", NULL);
    assert_int_equal(galen_hits_count(h), 1);
    assert_string_equal(galen_hits_get(h, 0)->meta,
                        "{\"url\":\"https://example.org/flu\"}");
    galen_hits_free(h);
}

static void test_galen_search_options(void **state)
{
    struct fixture *fx = *state;
    struct galen_search_opts o;
    struct galen_hits *h, *x;
    size_t i;

    galen_search_opts_init(&o);
    o.k = 1;
    o.snippets = false;
    h = search(fx, "calf", &o);
    assert_int_equal(galen_hits_count(h), 1);
    assert_string_equal(galen_hits_get(h, 0)->snippet, "");
    galen_hits_free(h);
    galen_search_opts_init(&o);
    o.ids_only = true;
    h = search(fx, "fever flu", &o);
    assert_string_equal(galen_hits_get(h, 0)->title, "");
    o.exhaustive = true;
    x = search(fx, "fever flu", &o);
    assert_int_equal(galen_hits_count(h), galen_hits_count(x));
    for (i = 0; i < galen_hits_count(h); i++) {
        assert_string_equal(galen_hits_get(h, i)->id, galen_hits_get(x, i)->id);
        assert_true(galen_hits_get(h, i)->score == galen_hits_get(x, i)->score);
    }
    galen_hits_free(h);
    galen_hits_free(x);
    /* Parameters by field name; an unknown name is an error. */
    galen_search_opts_init(&o);
    o.field[0].name = "title";
    o.field[0].weight = 0;
    o.field[0].b = -1;
    o.nfield = 1;
    h = search(fx, "title:cramps", &o);
    assert_int_equal(galen_hits_count(h), 0);
    galen_hits_free(h);
    o.field[0].name = "colour";
    assert_int_equal(galen_search(fx->gi, "calf", &o, &h), GALEN_EINVAL);
    assert_non_null(strstr(galen_index_errmsg(), "colour"));
}

static void test_galen_search_query_errors(void **state)
{
    struct fixture *fx = *state;
    struct galen_search_opts o;
    struct galen_hits *h = (struct galen_hits *)fx; /* not NULL */

    assert_int_equal(galen_search(fx->gi, "flu \"oops", NULL, &h),
                     GALEN_EPARSE);
    assert_null(h); /* every failure leaves *out NULL */
    assert_string_equal(galen_index_errmsg(), "unbalanced quote at byte 5");
    assert_int_equal(galen_index_errpos(), 4);
    galen_search_opts_init(&o);
    o.plain = true;
    h = search(fx, "flu \"oops", &o);
    assert_true(galen_hits_count(h) > 0);
    assert_int_equal(galen_index_errpos(), -1);
    galen_hits_free(h);
}

static void test_galen_search_render(void **state)
{
    static const struct galen_span marks[] = {{0, 3}, {8, 13}};
    struct galen_hit hit;
    char out[128];
    size_t n;

    UNUSED(state);
    memset(&hit, 0, sizeof hit);
    hit.snippet = "Flu <a> fever & more";
    hit.marks = marks;
    hit.nmarks = 2;
    galen_snippet_render(&hit, GALEN_MARK_QUOTES, out, sizeof out);
    assert_string_equal(out, "\xc2\xab"
                             "Flu\xc2\xbb <a> \xc2\xab"
                             "fever\xc2\xbb & more");
    galen_snippet_render(&hit, GALEN_MARK_HTML, out, sizeof out);
    assert_string_equal(out, "<mark>Flu</mark> &lt;a&gt; <mark>fever</mark> "
                             "&amp; more");
    galen_snippet_render(&hit, GALEN_MARK_ANSI, out, sizeof out);
    assert_string_equal(out,
                        "\033[1mFlu\033[0m <a> \033[1mfever\033[0m & more");
    n = galen_snippet_render(&hit, GALEN_MARK_NONE, out, 5);
    assert_int_equal(n, strlen(hit.snippet));
    assert_string_equal(out, "Flu ");
}

static void *search_thread(void *arg)
{
    struct fixture *fx = arg;
    int i;

    for (i = 0; i < 50; i++) {
        struct galen_hits *h = NULL;

        if (galen_search(fx->gi, "calf pain heart", NULL, &h) != GALEN_OK ||
            galen_hits_count(h) != 3 ||
            strcmp(galen_hits_get(h, 0)->id, "heart-1") != 0) {
            galen_hits_free(h);
            return (void *)1;
        }
        galen_hits_free(h);
    }
    return NULL;
}

static void test_galen_search_concurrent(void **state)
{
    struct fixture *fx = *state;
    pthread_t t[4];
    void *ret;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(t); i++)
        assert_int_equal(pthread_create(&t[i], NULL, search_thread, fx), 0);
    for (i = 0; i < ARRAY_SIZE(t); i++) {
        assert_int_equal(pthread_join(t[i], &ret), 0);
        assert_null(ret);
    }
}

static void test_galen_search_build_errors(void **state)
{
    const char *bad[] = {BAD}, *missing[] = {"tests/data/search/none"};
    char dir[TMP_DIR_MAX];
    struct galen_build_opts o;
    struct galen_index *gi = (struct galen_index *)dir; /* not NULL */

    UNUSED(state);
    tmp_dir(dir);
    galen_build_opts_init(&o);
    assert_int_equal(galen_index_build(dir, bad, 1, &o, NULL), GALEN_EPARSE);
    assert_non_null(strstr(galen_index_errmsg(), "bad.jsonl:2: "));
    /* Nothing of a failed build is visible. */
    assert_int_equal(galen_index_open(dir, &gi), GALEN_ENOENT);
    assert_null(gi);
    assert_int_equal(galen_index_build(dir, missing, 1, &o, NULL), GALEN_EIO);
    o.format = "csv";
    assert_int_equal(galen_index_build(dir, bad, 1, &o, NULL), GALEN_EINVAL);
    assert_int_equal(tmp_rm(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_galen_search_hits_carry_stored_fields),
        cmocka_unit_test(test_galen_search_options),
        cmocka_unit_test(test_galen_search_query_errors),
        cmocka_unit_test(test_galen_search_render),
        cmocka_unit_test(test_galen_search_concurrent),
        cmocka_unit_test(test_galen_search_build_errors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
