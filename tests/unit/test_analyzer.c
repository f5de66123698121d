/* SPDX-License-Identifier: MIT */
/* test_analyzer.c: the whole pipeline (fold, stop, stem switches), terms of
 * each token kind, analyzer_term against analyzer_run, OOM, random bytes and
 * real MEDIQA text. */

/* cmocka.h needs these standard headers first, so the block is unsorted. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include <galen/error.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "test_util.h"
#include "text/analyzer.h"

enum { MAX_TERMS = 64 };

struct terms {
    size_t n;
    size_t total; /* terms seen, even past MAX_TERMS */
    size_t text_len;
    char term[MAX_TERMS][ANALYZER_TERM_MAX + 1];
    uint32_t pos[MAX_TERMS], start[MAX_TERMS], end[MAX_TERMS];
};

static int collect(void *ctx, const struct aterm *t)
{
    struct terms *c = ctx;

    assert_true(t->len >= 1 && t->len <= ANALYZER_TERM_MAX);
    assert_true(t->start < t->end && t->end <= c->text_len);
    assert_true(utf8_is_valid(t->term, t->len));
    if (c->total > 0 && c->total <= MAX_TERMS) {
        assert_true(t->start >= c->start[c->total - 1]);
        assert_true(t->pos >= c->pos[c->total - 1]);
    }
    c->total++;
    if (c->n >= MAX_TERMS)
        return 0;
    memcpy(c->term[c->n], t->term, t->len);
    c->term[c->n][t->len] = '\0';
    c->pos[c->n] = t->pos;
    c->start[c->n] = t->start;
    c->end[c->n] = t->end;
    c->n++;
    return 0;
}

static struct analyzer *new_analyzer(void)
{
    struct analyzer *a = NULL;

    assert_int_equal(analyzer_new(&a), GALEN_OK);
    return a;
}

static void run(struct analyzer *a, bool stop, bool stem, const char *s,
                struct terms *c)
{
    const struct analyzer_opts o = {.stem = stem, .stop = stop};

    memset(c, 0, sizeof *c);
    c->text_len = strlen(s);
    assert_int_equal(analyzer_run(a, &o, s, strlen(s), collect, c), GALEN_OK);
}

/* Checks the terms of s, given as "term@pos term@pos ...". */
static void expect(struct analyzer *a, bool stop, bool stem, const char *s,
                   const char *want)
{
    struct terms c;
    char got[4096];
    size_t i, n = 0;

    run(a, stop, stem, s, &c);
    got[0] = '\0';
    for (i = 0; i < c.n; i++)
        n += (size_t)snprintf(got + n, sizeof got - n, "%s%s@%u", i ? " " : "",
                              c.term[i], c.pos[i]);
    assert_string_equal(got, want);
}

static void test_analyzer_pipeline_switches(void **state)
{
    struct analyzer *a = new_analyzer();
    const char *s = "The patients' symptoms were not improving";

    UNUSED(state);
    expect(a, true, true, s, "patient@1 symptom@2 not@4 improv@5");
    expect(a, false, true, s,
           "the@0 patient@1 symptom@2 were@3 not@4 improv@5");
    expect(a, true, false, s, "patients@1 symptoms@2 not@4 improving@5");
    expect(a, false, false, s,
           "the@0 patients@1 symptoms@2 were@3 not@4 improving@5");
    analyzer_free(a);
}

static void test_analyzer_folding(void **state)
{
    struct analyzer *a = new_analyzer();

    UNUSED(state);
    expect(a, true, false, "M\xC3\xA9ni\xC3\xA8re\xE2\x80\x99s disease",
           "meniere@0 disease@1");
    expect(a, true, true, "M\xC3\xA9ni\xC3\xA8re MENIERE Meniere",
           "menier@0 menier@1 menier@2");
    expect(a, true, true,
           "Stra\xC3\x9F"
           "e \xC5\x93"
           "deme",
           "strass@0 oedem@1");
    expect(a, true, true, "\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91",
           "\xCE\xB1\xCE\xB8\xCE\xB7\xCE\xBD\xCE\xB1@0");
    analyzer_free(a);
}

static void test_analyzer_medical_tokens(void **state)
{
    struct analyzer *a = new_analyzer();

    UNUSED(state);
    expect(a, true, true, "10 mg/day", "10@0 mg/day@1 mg@1 day@2");
    expect(a, true, true, "5mg", "5@0 mg@1");
    expect(a, true, true, "2.5 mmol/L", "2.5@0 mmol/l@1 mmol@1 l@2");
    expect(a, true, true,
           "37.5\xC2\xB0"
           "C",
           "37.5@0 c@1");
    expect(a, true, true, ".5 1,000", "0.5@0 1000@1");
    expect(a, true, true, "10-20", "10@0 20@1");
    expect(a, true, true, "COVID-19", "covid19@0 covid@0 19@1");
    expect(a, true, true, "beta-blockers", "betablock@0 beta@0 blocker@1");
    expect(a, true, true, "X-rays", "xray@0 x@0 ray@1");
    expect(a, true, true, "follow-up", "followup@0 follow@0");
    expect(a, true, true, "run-s", "run@0 s@1"); /* no run@0 twice */
    expect(a, true, false, "run-s", "runs@0 run@0 s@1");
    expect(a, true, true, "B12 HbA1c t4s", "b12@0 hba1c@1 t4s@2");
    expect(a, true, true, "Parkinson's", "parkinson@0");
    expect(a, true, true, "O'Brien don't", "obrien@0 dont@1");
    expect(a, true, true, "e.g. b.i.d. U.S.", "bid@1");
    expect(a, true, true, "5\xC2\xB5g 3 ug \xCE\xBCg/kg",
           "5@0 mcg@1 3@2 mcg@3 mcg/kg@4 mcg@4 kg@5");
    expect(a, true, true, "see https://www.NLM.nih.gov/a.html",
           "see@0 nlm.nih.gov@1");
    expect(a, true, true, "John.Doe@NIH.gov", "john.doe@nih.gov@0");
    expect(a, true, true, "\xE4\xB8\xAD\xE6\x96\x87",
           "\xE4\xB8\xAD@0 \xE6\x96\x87@1");
    analyzer_free(a);
}

static void test_analyzer_offsets(void **state)
{
    struct analyzer *a = new_analyzer();
    const char *s = "Take 10 mg/day, M\xC3\xA9ni\xC3\xA8re's.";
    struct terms c;

    UNUSED(state);
    run(a, true, true, s, &c);
    assert_int_equal(c.n, 6);
    assert_int_equal(c.start[0], 0); /* Take */
    assert_int_equal(c.end[0], 4);
    assert_int_equal(c.start[2], 8); /* mg/day */
    assert_int_equal(c.end[2], 14);
    assert_int_equal(c.start[5], 16); /* Ménière, without 's */
    assert_int_equal(c.end[5], 25);
    analyzer_free(a);
}

static void test_analyzer_long_token_cut(void **state)
{
    struct analyzer *a = new_analyzer();
    char s[1 + 2 * 100 + 1];
    struct terms c;
    size_t i;

    UNUSED(state);
    s[0] = 'a';
    for (i = 0; i < 100; i++)
        memcpy(s + 1 + 2 * i, "\xCE\xB1", 2); /* α */
    s[sizeof s - 1] = '\0';
    run(a, true, true, s, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(strlen(c.term[0]), 63); /* 64 would split an α */
    assert_int_equal(c.end[0], sizeof s - 1);
    memset(s, 'x', sizeof s - 1);
    run(a, true, true, s, &c);
    assert_int_equal(strlen(c.term[0]), ANALYZER_TERM_MAX);
    analyzer_free(a);
}

static void check_term_agrees(struct analyzer *a, const struct analyzer_opts *o,
                              const char *w, size_t len)
{
    char out[ANALYZER_TERM_MAX];
    struct terms c;
    size_t n;

    memset(&c, 0, sizeof c);
    c.text_len = len;
    assert_int_equal(analyzer_run(a, o, w, len, collect, &c), GALEN_OK);
    n = analyzer_term(a, o, w, len, out, sizeof out);
    if (c.n == 0) {
        assert_int_equal(n, 0);
        return;
    }
    assert_int_equal(n, strlen(c.term[0]));
    assert_memory_equal(out, c.term[0], n);
}

static void test_analyzer_term_agrees_with_run(void **state)
{
    static const char *const words[] = {
        "Running",   "the",
        "The",       "not",
        "covid-19",  "mg/day",
        "5mg",       "M\xC3\xA9ni\xC3\xA8re\xE2\x80\x99s",
        "!!!",       "",
        "b.i.d.",    ".5",
        "1,000",     "https://x.org/y",
        "a@b.org",   "\xE4\xB8\xAD",
        "x\xFF",     "beta-blockers",
        "\xC2\xB5g", "patients'",
    };
    struct analyzer *a = new_analyzer();
    size_t i, k;

    UNUSED(state);
    for (k = 0; k < 4; k++) {
        const struct analyzer_opts o = {.stem = k & 1, .stop = k & 2};

        for (i = 0; i < ARRAY_SIZE(words); i++)
            check_term_agrees(a, &o, words[i], strlen(words[i]));
    }
    analyzer_free(a);
}

static void test_analyzer_term_cap(void **state)
{
    struct analyzer *a = new_analyzer();
    const struct analyzer_opts o = {.stem = true, .stop = true};
    char out[8];

    UNUSED(state);
    assert_int_equal(analyzer_term(a, &o, "the", 3, out, sizeof out), 0);
    assert_int_equal(analyzer_term(a, &o, "- -", 3, out, sizeof out), 0);
    assert_int_equal(analyzer_term(a, &o, "Running", 7, out, sizeof out), 3);
    assert_memory_equal(out, "run", 3);
    assert_int_equal(analyzer_term(a, &o, "Running", 7, out, 2), 2);
    assert_int_equal(analyzer_term(a, &o, "\xCE\xB1\xCE\xB2", 4, out, 3), 2);
    assert_int_equal(analyzer_term(a, &o, "x", 1, out, 0), 0);
    analyzer_free(a);
}

static int stop_at_second(void *ctx, const struct aterm *t)
{
    int *count = ctx;

    UNUSED(t);
    return ++*count == 2 ? 42 : 0;
}

static void test_analyzer_callback_stops_run(void **state)
{
    struct analyzer *a = new_analyzer();
    const struct analyzer_opts o = {.stem = true, .stop = true};
    int count = 0;

    UNUSED(state);
    assert_int_equal(
        analyzer_run(a, &o, "one two three", 13, stop_at_second, &count), 42);
    assert_int_equal(count, 2);
    analyzer_free(a);
}

static void test_analyzer_oom(void **state)
{
    long n;

    UNUSED(state);
    for (n = 0;; n++) {
        struct analyzer *a = NULL;
        int rc;

        mem_fail_after(n);
        rc = analyzer_new(&a);
        mem_fail_after(-1);
        if (rc == GALEN_OK) {
            analyzer_free(a);
            break;
        }
        assert_int_equal(rc, GALEN_ENOMEM);
        assert_null(a);
    }
    assert_true(n >= 2); /* the analyzer and the stemmer each allocate */
}

static int noop(void *ctx, const struct aterm *t)
{
    UNUSED(ctx);
    UNUSED(t);
    return 0;
}

static void test_analyzer_runs_without_allocating(void **state)
{
    struct analyzer *a = new_analyzer();
    const struct analyzer_opts o = {.stem = true, .stop = true};
    const char *s = "Patients taking 10 mg/day of beta-blockers improved.";

    UNUSED(state);
    mem_fail_after(0);
    assert_int_equal(analyzer_run(a, &o, s, strlen(s), noop, NULL), GALEN_OK);
    mem_fail_after(-1);
    analyzer_free(a);
}

static char *read_shared(const char *rel, size_t *len)
{
    char path[4096];
    FILE *f;
    char *data;

    snprintf(path, sizeof path, "%s/%s", shared_dir(), rel);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    data = malloc(1 << 20);
    *len = data ? fread(data, 1, 1 << 20, f) : 0;
    fclose(f);
    return data;
}

struct agree {
    struct analyzer *a;
    const struct analyzer_opts *o;
    const char *text;
    size_t checked;
};

/* Re-analyses each term's span alone: the first term must be the same. */
static int span_agrees(void *ctx, const struct aterm *t)
{
    struct agree *g = ctx;
    char out[ANALYZER_TERM_MAX];
    size_t n;

    n = analyzer_term(g->a, g->o, g->text + t->start, t->end - t->start, out,
                      sizeof out);
    if (n != t->len || memcmp(out, t->term, n) != 0) {
        print_message("span '%.*s': run gave '%.*s', term gave '%.*s'\n",
                      (int)(t->end - t->start), g->text + t->start, (int)t->len,
                      t->term, (int)n, out);
        return 1;
    }
    g->checked++;
    return 0;
}

/* Bytes that exercise the tokenizer's rules, mixed with random ones. */
static unsigned char random_byte(void)
{
    static const char pool[] = "aZ9 .,-/'@:_%+\xC3\xA9\xE2\x80\x99\xCC\x81"
                               "\xE4\xB8\xAD\xF0\x9F\x98\x80\xED\xA0mgs";
    uint64_t r = rng();

    if (r % 4 == 0)
        return (unsigned char)(r >> 8);
    return (unsigned char)pool[(r >> 8) % (sizeof pool - 1)];
}

static void test_analyzer_random_bytes(void **state)
{
    struct analyzer *a = new_analyzer();
    char buf[600];
    int iter;
    struct agree g = {new_analyzer(), NULL, NULL, 0};

    UNUSED(state);
    rng_seed(0x2545F4914F6CDD1DULL);
    for (iter = 0; iter < 3000; iter++) {
        size_t len = (size_t)(rng() % sizeof buf), i;
        struct terms c;
        unsigned k = (unsigned)(rng() % 4);
        const struct analyzer_opts o = {.stem = k & 1, .stop = k & 2};

        for (i = 0; i < len; i++)
            buf[i] = (char)random_byte();
        memset(&c, 0, sizeof c);
        c.text_len = len;
        assert_int_equal(analyzer_run(a, &o, buf, len, collect, &c), GALEN_OK);
        check_term_agrees(a, &o, buf, len);
        g.o = &o;
        g.text = buf;
        assert_int_equal(analyzer_run(a, &o, buf, len, span_agrees, &g), 0);
    }
    analyzer_free(g.a);
    analyzer_free(a);
}

static void test_analyzer_real_text_spans_agree(void **state)
{
    size_t len = 0;
    char *text = read_shared("data/eval/mediqa-alexa/corpus.jsonl", &len);
    struct analyzer *a, *b;
    const struct analyzer_opts o = {.stem = true, .stop = true};
    struct agree g;

    UNUSED(state);
    if (!text) {
        skip();
        return;
    }
    a = new_analyzer();
    b = new_analyzer();
    g.a = b;
    g.o = &o;
    g.text = text;
    g.checked = 0;
    assert_int_equal(analyzer_run(a, &o, text, len, span_agrees, &g), GALEN_OK);
    assert_true(g.checked > 10000);
    analyzer_free(a);
    analyzer_free(b);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analyzer_pipeline_switches),
        cmocka_unit_test(test_analyzer_folding),
        cmocka_unit_test(test_analyzer_medical_tokens),
        cmocka_unit_test(test_analyzer_offsets),
        cmocka_unit_test(test_analyzer_long_token_cut),
        cmocka_unit_test(test_analyzer_term_agrees_with_run),
        cmocka_unit_test(test_analyzer_term_cap),
        cmocka_unit_test(test_analyzer_callback_stops_run),
        cmocka_unit_test(test_analyzer_oom),
        cmocka_unit_test(test_analyzer_runs_without_allocating),
        cmocka_unit_test(test_analyzer_random_bytes),
        cmocka_unit_test(test_analyzer_real_text_spans_agree),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
