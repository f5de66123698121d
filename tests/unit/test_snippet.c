/* SPDX-License-Identifier: MIT */
/* test_snippet.c: passage choice (densest cluster, boundaries, length),
 * marks that point at the query words, cleaning, and allocation failure. */
/* cmocka.h needs the three headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <galen/error.h>

#include "base/mem.h"
#include "search/snippet.h"

struct fixture {
    struct analyzer *a;
    struct snippet s;
    struct buf out;
    struct snippet_span span[16];
    size_t nspans;
};

static const struct analyzer_opts opts = {true, true};

static int setup(void **state)
{
    struct fixture *fx = test_calloc(1, sizeof *fx);

    if (!fx || analyzer_new(&fx->a) != GALEN_OK)
        return -1;
    snippet_init(&fx->s);
    buf_init(&fx->out, 1 << 16);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    snippet_cleanup(&fx->s);
    buf_cleanup(&fx->out);
    analyzer_free(fx->a);
    test_free(fx);
    return 0;
}

/* Cuts text for the given words (already in analysed form) and leaves the
 * passage NUL-terminated in fx->out. */
static const char *cut(struct fixture *fx, const char *text,
                       const char *const *words, size_t n)
{
    struct snippet_term t[8];
    size_t i;
    int rc = GALEN_OK;

    for (i = 0; i < n; i++) {
        t[i].term = str_from(words[i]);
        t[i].weight = 1.0;
    }
    buf_reset(&fx->out);
    assert_int_equal(snippet_make(&fx->s, fx->a, &opts, text, strlen(text), t,
                                  n, &fx->out, fx->span, 16, &fx->nspans),
                     GALEN_OK);
    buf_put_nul(&rc, &fx->out);
    assert_int_equal(rc, GALEN_OK);
    return (const char *)fx->out.data;
}

static void assert_mark(const struct fixture *fx, size_t i, const char *word)
{
    const char *p = (const char *)fx->out.data;

    assert_true(i < fx->nspans);
    assert_int_equal(fx->span[i].end - fx->span[i].start, strlen(word));
    assert_int_equal(strncasecmp(p + fx->span[i].start, word, strlen(word)), 0);
}

static void test_snippet_short_text_whole_with_marks(void **state)
{
    struct fixture *fx = *state;
    static const char *const w[] = {"flu"};
    const char *p =
        cut(fx, "Flu is a viral  infection.\n Rest helps the flu.", w, 1);

    assert_string_equal(p, "Flu is a viral infection. Rest helps the flu.");
    assert_int_equal(fx->nspans, 2);
    assert_mark(fx, 0, "Flu");
    assert_mark(fx, 1, "flu");
    assert_int_equal(fx->span[1].start, 41);
}

/* Builds filler sentences around a key sentence. */
static void filler(char *out, size_t cap, const char *key, int before,
                   int after)
{
    size_t n = 0;
    int i;

    out[0] = '\0';
    for (i = 0; i < before + after + 1; i++) {
        const char *s = i == before ? key
                                    : "Plain words about nothing in "
                                      "particular fill this sentence. ";
        size_t len = strlen(s);

        assert_true(n + len + 1 < cap);
        memcpy(out + n, s, len + 1);
        n += len;
    }
}

static void test_snippet_finds_densest_cluster(void **state)
{
    struct fixture *fx = *state;
    static const char *const w[] = {"fever", "cough"};
    char text[4096];
    const char *p;

    filler(text, sizeof text,
           "Fever alone is here. Plain words about nothing in particular "
           "fill this sentence. Plain words again and again fill space. "
           "Plain words about nothing at all fill this sentence. "
           "More plain words about nothing at all fill this one. "
           "A fever with a dry cough needs care. ",
           4, 6);
    p = cut(fx, text, w, 2);
    assert_non_null(strstr(p, "A fever with a dry cough needs care."));
    assert_true(strncmp(p, "\xe2\x80\xa6", 3) == 0);
    assert_true(strlen(p) <= SNIPPET_MAX + 6);
    assert_int_equal(fx->nspans, 2);
    assert_mark(fx, 0, "fever");
    assert_mark(fx, 1, "cough");
}

static void test_snippet_cuts_at_word_boundaries(void **state)
{
    struct fixture *fx = *state;
    static const char *const w[] = {"asthma"};
    char text[8192];
    const char *p;
    size_t len;

    /* One endless sentence: no sentence boundary to start from. */
    len = 0;
    while (len + 8 < 3000) {
        memcpy(text + len, "lorem ip ", 9);
        len += 9;
    }
    memcpy(text + len, "asthma ", 7);
    len += 7;
    while (len + 8 < 6000) {
        memcpy(text + len, "dolor si ", 9);
        len += 9;
    }
    text[len] = '\0';
    p = cut(fx, text, w, 1);
    assert_true(strncmp(p, "\xe2\x80\xa6", 3) == 0);
    len = strlen(p);
    assert_true(len >= 6 + 100 && len <= SNIPPET_MAX + 6);
    assert_true(strcmp(p + len - 3, "\xe2\x80\xa6") == 0);
    /* The passage begins and ends on whole words. */
    assert_true(strncmp(p + 3, "lorem ", 6) == 0 ||
                strncmp(p + 3, "ip ", 3) == 0);
    assert_true(p[len - 4] == 'm' || p[len - 4] == 'r' || p[len - 4] == 'i' ||
                p[len - 4] == 'p' || p[len - 4] == 's');
    assert_int_equal(fx->nspans, 1);
    assert_mark(fx, 0, "asthma");
}

static void test_snippet_without_matches_gives_opening(void **state)
{
    struct fixture *fx = *state;
    static const char *const w[] = {"zzz"};
    char text[4096];
    const char *p;

    filler(text, sizeof text, "Opening sentence comes first. ", 0, 20);
    p = cut(fx, text, w, 1);
    assert_true(strncmp(p, "Opening sentence comes first.", 29) == 0);
    assert_int_equal(fx->nspans, 0);
    assert_true(strlen(p) <= SNIPPET_MAX + 3);
    p = cut(fx, "", w, 1);
    assert_string_equal(p, "");
}

static void test_snippet_merges_adjacent_marks(void **state)
{
    struct fixture *fx = *state;
    static const char *const w[] = {"heart", "attack"};

    cut(fx, "Signs of a heart attack include pain.", w, 2);
    assert_int_equal(fx->nspans, 1);
    assert_mark(fx, 0, "heart attack");
}

static void test_snippet_joined_tokens_mark_once(void **state)
{
    struct fixture *fx = *state;
    static const char *const w[] = {"covid19", "covid", "19"};

    cut(fx, "Vaccines against covid-19 are safe.", w, 3);
    assert_int_equal(fx->nspans, 1);
    assert_mark(fx, 0, "covid-19");
}

static void test_snippet_clean_replaces_invalid_utf8(void **state)
{
    struct buf b;
    int rc = GALEN_OK;

    UNUSED(state);
    buf_init(&b, 1024);
    snippet_clean(&rc, &b, "  caf\xc3\xa9 \xff\tx\xe2\x82 \xed\xa0\x80 ", 18);
    buf_put_nul(&rc, &b);
    assert_int_equal(rc, GALEN_OK);
    assert_string_equal((const char *)b.data,
                        "caf\xc3\xa9 \xef\xbf\xbd x\xef\xbf\xbd\xef\xbf\xbd "
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    buf_cleanup(&b);
}

static void test_snippet_oom(void **state)
{
    struct fixture *fx = *state;
    struct snippet s;
    struct snippet_term t = {STR_LIT("flu"), 1.0};
    size_t n;

    snippet_init(&s);
    mem_fail_after(0);
    assert_int_equal(snippet_make(&s, fx->a, &opts, "flu", 3, &t, 1, &fx->out,
                                  fx->span, 16, &n),
                     GALEN_ENOMEM);
    mem_fail_after(-1);
    snippet_cleanup(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snippet_short_text_whole_with_marks),
        cmocka_unit_test(test_snippet_finds_densest_cluster),
        cmocka_unit_test(test_snippet_cuts_at_word_boundaries),
        cmocka_unit_test(test_snippet_without_matches_gives_opening),
        cmocka_unit_test(test_snippet_merges_adjacent_marks),
        cmocka_unit_test(test_snippet_joined_tokens_mark_once),
        cmocka_unit_test(test_snippet_clean_replaces_invalid_utf8),
        cmocka_unit_test(test_snippet_oom),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
