/* SPDX-License-Identifier: MIT */
/* test_eval.c: qrels, queries and run parsing, and every metric checked
 * against a case computed by hand (the arithmetic is in the comments), with
 * trec_eval's tie, duplicate and missing-query rules as eval.py has them. */
/* cmocka.h needs these first, so the order is fixed by hand. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>
#include <galen/eval.h>

#include "base/mem.h"
#include "test_util.h"

#define EPS 1e-12

static struct galen_qrels *qrels_of(const char *text)
{
    struct galen_qrels *q = NULL;

    assert_int_equal(galen_qrels_parse(text, strlen(text), "t.tsv", &q),
                     GALEN_OK);
    return q;
}

static struct galen_run *run_of(const char *text)
{
    struct galen_run *r = NULL;

    assert_int_equal(galen_run_parse(text, strlen(text), "t.run", &r),
                     GALEN_OK);
    return r;
}

static struct galen_eval_metrics score(const char *qrels, const char *run)
{
    struct galen_qrels *q = qrels_of(qrels);
    struct galen_run *r = run_of(run);
    struct galen_eval_metrics m;

    assert_int_equal(galen_eval_compute(q, r, &m), GALEN_OK);
    galen_run_free(r);
    galen_qrels_free(q);
    return m;
}

/* eval.py's own hand case. Judged {a:2, c:1, d:2}; run a, b, c.
 *   DCG@10  = 2/log2(2) + 0/log2(3) + 1/log2(4) = 2 + 0 + 0.5 = 2.5
 *   IDCG@10 = 2/log2(2) + 2/log2(3) + 1/log2(4) = 2 + 1.2618595 + 0.5
 *   nDCG@10 = 2.5 / 3.7618595 = 0.6645640
 *   Recall@100 = 2 relevant found / 3 relevant = 0.6667
 *   MRR@10 = 1/1 (a is relevant at rank 1)
 *   MAP = (1/1 + 2/3) / 3 = 0.5556 (hits at ranks 1 and 3, 3 relevant)
 *   P@5 = 2/5 = 0.4, P@10 = 2/10 = 0.2 */
static void test_eval_graded_hand_case(void **state)
{
    struct galen_eval_metrics m =
        score("query-id\tcorpus-id\tscore\nq\ta\t2\nq\tc\t1\nq\td\t2\n",
              "q Q0 a 1 3.0 t\nq Q0 b 2 2.0 t\nq Q0 c 3 1.0 t\n");
    double idcg = 2.0 + 2.0 / 1.584962500721156 + 0.5;

    (void)state;
    assert_float_equal(m.ndcg10, 2.5 / idcg, EPS);
    assert_float_equal(m.ndcg10, 0.664564, 1e-6);
    assert_float_equal(m.recall100, 2.0 / 3.0, EPS);
    assert_float_equal(m.recall1000, 2.0 / 3.0, EPS);
    assert_float_equal(m.mrr10, 1.0, EPS);
    assert_float_equal(m.map, (1.0 + 2.0 / 3.0) / 3.0, EPS);
    assert_float_equal(m.p5, 0.4, EPS);
    assert_float_equal(m.p10, 0.2, EPS);
    assert_int_equal(m.num_q, 1);
    assert_int_equal(m.num_q_ret, 1);
}

/* Binary judgements d1, d3, d6 relevant; run d1..d6 in order.
 *   AP  = (1/1 + 2/3 + 3/6) / 3 = (1 + 0.6667 + 0.5) / 3 = 0.7222
 *   MRR = 1, P@5 = 2/5 (d1, d3), P@10 = 3/10, Recall@100 = 3/3
 *   DCG = 1/log2(2) + 1/log2(4) + 1/log2(7) = 1 + 0.5 + 0.3562072
 *   IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.6309298 + 0.5 */
static void test_eval_binary_hand_case(void **state)
{
    struct galen_eval_metrics m =
        score("q d1 1\nq d3 1\nq d6 1\nq d2 0\n",
              "q Q0 d1 1 6 t\nq Q0 d2 2 5 t\nq Q0 d3 3 4 t\n"
              "q Q0 d4 4 3 t\nq Q0 d5 5 2 t\nq Q0 d6 6 1 t\n");

    (void)state;
    assert_float_equal(m.map, (1.0 + 2.0 / 3.0 + 0.5) / 3.0, EPS);
    assert_float_equal(m.map, 0.722222, 1e-6);
    assert_float_equal(m.mrr10, 1.0, EPS);
    assert_float_equal(m.p5, 0.4, EPS);
    assert_float_equal(m.p10, 0.3, EPS);
    assert_float_equal(m.recall100, 1.0, EPS);
    assert_float_equal(m.ndcg10, (1.5 + 0.356207187108022) / 2.130929753571457,
                       1e-9);
}

/* Relevant x at rank 1 and y at rank 101 behind 99 unjudged docs.
 *   Recall@100 = 1/2, Recall@1000 = 2/2
 *   AP = (1/1 + 2/101) / 2 = 0.5099
 *   MRR@10 with the first hit at rank 3 instead: 1/3. */
static void test_eval_cutoffs(void **state)
{
    size_t cap = 64 * 110;
    char *run = malloc(cap);
    size_t len = 0;
    int i;
    struct galen_eval_metrics m;

    (void)state;
    assert_non_null(run);
    len += (size_t)snprintf(run + len, cap - len, "q Q0 x 1 1000 t\n");
    for (i = 2; i <= 100; i++)
        len += (size_t)snprintf(run + len, cap - len, "q Q0 n%d %d %d t\n", i,
                                i, 1000 - i);
    snprintf(run + len, cap - len, "q Q0 y 101 1 t\n");
    m = score("q x 1\nq y 1\n", run);
    assert_float_equal(m.recall100, 0.5, EPS);
    assert_float_equal(m.recall1000, 1.0, EPS);
    assert_float_equal(m.map, (1.0 + 2.0 / 101.0) / 2.0, EPS);
    free(run);
    m = score("q x 1\n", "q Q0 a 1 3 t\nq Q0 b 2 2 t\nq Q0 x 3 1 t\n");
    assert_float_equal(m.mrr10, 1.0 / 3.0, EPS);
    /* A hit at rank 11 is past MRR@10's cut-off: 0. */
    m = score("q x 1\n", "q Q0 a 1 11 t\nq Q0 b 1 10 t\nq Q0 c 1 9 t\n"
                         "q Q0 d 1 8 t\nq Q0 e 1 7 t\nq Q0 f 1 6 t\n"
                         "q Q0 g 1 5 t\nq Q0 h 1 4 t\nq Q0 i 1 3 t\n"
                         "q Q0 j 1 2 t\nq Q0 x 1 1 t\n");
    assert_float_equal(m.mrr10, 0.0, EPS);
    assert_float_equal(m.map, 1.0 / 11.0, EPS);
}

/* Equal scores are ordered by doc id descending, whatever the rank column
 * says: "a" and "z" tie at 1.0, so z comes first and MRR = 1 (not 1/2). */
static void test_eval_ties_by_docid_desc(void **state)
{
    struct galen_eval_metrics m =
        score("q z 1\n", "q Q0 a 1 1.0 t\nq Q0 z 2 1.0 t\n");

    (void)state;
    assert_float_equal(m.mrr10, 1.0, EPS);
    /* The rank column is ignored: scores decide. b (2.0) is above a. */
    m = score("q a 1\n", "q Q0 a 1 1.0 t\nq Q0 b 2 2.0 t\n");
    assert_float_equal(m.mrr10, 0.5, EPS);
}

/* A repeated doc keeps its first line: a (3.0), b (2.0); the later a (1.0)
 * is dropped, so b stays at rank 2 and MRR = 1/2 (it would be 1 if the
 * last line won). */
static void test_eval_duplicate_keeps_first(void **state)
{
    struct galen_eval_metrics m =
        score("q b 1\n", "q Q0 a 1 3 t\nq Q0 b 2 2 t\nq Q0 a 3 1 t\n");

    (void)state;
    assert_float_equal(m.mrr10, 0.5, EPS);
    assert_float_equal(m.p5, 0.2, EPS);
}

/* q1 and q2 have a relevant doc, q3 only a grade-0 one (not counted). The
 * run answers q1 perfectly, nothing for q2, and an unjudged q9.
 *   nDCG@10 = (1 + 0) / 2 = 0.5, num_q = 2, num_q_ret = 1. */
static void test_eval_which_queries_count(void **state)
{
    struct galen_eval_metrics m =
        score("q1 a 1\nq2 b 1\nq3 c 0\n", "q1 Q0 a 1 1 t\nq9 Q0 x 1 1 t\n");

    (void)state;
    assert_float_equal(m.ndcg10, 0.5, EPS);
    assert_float_equal(m.map, 0.5, EPS);
    assert_int_equal(m.num_q, 2);
    assert_int_equal(m.num_q_ret, 1);
}

/* Interleaved queries are grouped; the qrels' later duplicate line wins
 * (a: 0 then 2), a TREC 4-column line works, a grade truncates (2.9 -> 2)
 * and a negative grade is not relevant and has no gain.
 *   qa: judged {a:2, n:-1}; run n, a: DCG = 0 + 2/log2(3), IDCG = 2/1
 *       nDCG = (2 / 1.5849625) / 2 = 0.6309298
 *   qb: judged {b:2}; run b: nDCG = 1. Mean 0.8154649. */
static void test_eval_qrels_rules(void **state)
{
    struct galen_qrels *q =
        qrels_of("qa a 0\nqa 0 n -1\nqb\tb\t2.9\r\nqa a 2\n\n");
    struct galen_run *r =
        run_of("qa Q0 n 1 2 t\nqb Q0 b 1 5 t\nqa Q0 a 2 1 t\n");
    struct galen_eval_metrics m;

    (void)state;
    assert_int_equal(galen_qrels_count(q), 2);
    assert_int_equal(galen_qrels_grade(q, "qa", "a"), 2);
    assert_int_equal(galen_qrels_grade(q, "qa", "n"), -1);
    assert_int_equal(galen_qrels_grade(q, "qb", "b"), 2);
    assert_int_equal(galen_qrels_grade(q, "qb", "zz"), 0);
    assert_true(galen_qrels_is_judged(q, "qb"));
    assert_false(galen_qrels_is_judged(q, "qc"));
    assert_int_equal(galen_eval_compute(q, r, &m), GALEN_OK);
    assert_float_equal(m.ndcg10, (1.0 / 1.584962500721156 + 1.0) / 2.0, EPS);
    assert_float_equal(m.mrr10, (0.5 + 1.0) / 2.0, EPS);
    galen_run_free(r);
    galen_qrels_free(q);
}

/* Scoring query by query through galen_eval_add gives the same means as
 * one call on the whole run, and a query added twice keeps the last. */
static void test_eval_incremental(void **state)
{
    struct galen_qrels *q = qrels_of("q1 a 1\nq2 b 1\n");
    struct galen_run *r = NULL;
    struct galen_eval *ev = NULL;
    struct galen_eval_metrics m;

    (void)state;
    assert_int_equal(galen_run_new(&r), GALEN_OK);
    assert_int_equal(galen_eval_new(q, &ev), GALEN_OK);
    assert_int_equal(galen_run_add(r, "q1", "x", 2.0), GALEN_OK);
    assert_int_equal(galen_run_add(r, "q1", "a", 1.0), GALEN_OK);
    assert_int_equal(galen_eval_add(ev, r), GALEN_OK);
    galen_run_reset(r);
    assert_int_equal(galen_run_len(r), 0);
    assert_int_equal(galen_run_add(r, "q2", "b", 1.0), GALEN_OK);
    assert_int_equal(galen_eval_add(ev, r), GALEN_OK);
    galen_eval_result(ev, &m);
    assert_float_equal(m.mrr10, (0.5 + 1.0) / 2.0, EPS);
    galen_run_reset(r);
    assert_int_equal(galen_run_add(r, "q1", "a", 1.0), GALEN_OK);
    assert_int_equal(galen_eval_add(ev, r), GALEN_OK);
    galen_eval_result(ev, &m);
    assert_float_equal(m.mrr10, 1.0, EPS);
    galen_eval_free(ev);
    galen_run_free(r);
    galen_qrels_free(q);
}

static void expect_qrels_error(const char *text, int want, const char *msg)
{
    struct galen_qrels *q = (struct galen_qrels *)0x1;

    assert_int_equal(galen_qrels_parse(text, strlen(text), "x.tsv", &q), want);
    assert_null(q); /* every failure leaves *out NULL */
    assert_non_null(strstr(galen_eval_errmsg(), msg));
}

static void test_eval_qrels_errors(void **state)
{
    static const char nul[] = "q a 1\nq b\0 1\n";
    struct galen_qrels *q = NULL;

    (void)state;
    expect_qrels_error("q\td\n", GALEN_EPARSE, "x.tsv:1: expected 3 fields");
    expect_qrels_error("h1 h2 h3\nq a 1\nq b abc\n", GALEN_EPARSE,
                       "x.tsv:3: score 'abc' is not a number");
    expect_qrels_error("q a 1\nq a b c d\n", GALEN_EPARSE, "x.tsv:2:");
    expect_qrels_error("q a 1\nq b nan\n", GALEN_EPARSE, "x.tsv:2:");
    expect_qrels_error("q a 1e300\n", GALEN_EPARSE, "x.tsv:1:");
    assert_int_equal(galen_qrels_parse(nul, sizeof nul - 1, "x.tsv", &q),
                     GALEN_EPARSE);
    assert_non_null(strstr(galen_eval_errmsg(), "x.tsv:2: NUL byte"));
    assert_int_equal(galen_qrels_load("/nonexistent/q.tsv", &q), GALEN_ENOENT);
    assert_non_null(strstr(galen_eval_errmsg(), "/nonexistent/q.tsv"));
    /* Empty input is valid: no judged queries. */
    q = qrels_of("");
    assert_int_equal(galen_qrels_count(q), 0);
    assert_string_equal(galen_eval_errmsg(), ""); /* a success clears it */
    galen_qrels_free(q);
}

static void expect_queries_error(const char *text, const char *msg)
{
    struct galen_queries *qs = NULL;

    assert_int_equal(galen_queries_parse(text, strlen(text), "q.jsonl", &qs),
                     GALEN_EPARSE);
    assert_null(qs);
    assert_non_null(strstr(galen_eval_errmsg(), msg));
}

static void test_eval_queries_parse(void **state)
{
    static const char text[] =
        "{\"_id\": \"A1\", \"text\": \"What is \\u00e9 flu?\", \"x\": [1]}\n"
        "\n"
        "{\"text\": \"second\", \"_id\": \"A2\"}\r\n";
    struct galen_queries *qs = NULL;

    (void)state;
    assert_int_equal(galen_queries_parse(text, sizeof text - 1, "q.jsonl", &qs),
                     GALEN_OK);
    assert_int_equal(qs->count, 2);
    assert_string_equal(qs->items[0].id, "A1");
    assert_string_equal(qs->items[0].text, "What is \xc3\xa9 flu?");
    assert_string_equal(qs->items[1].id, "A2");
    assert_string_equal(qs->items[1].text, "second");
    galen_queries_free(qs);
}

static void test_eval_queries_errors(void **state)
{
    (void)state;
    expect_queries_error("{\"_id\":\"a\",\"text\":\"x\"}\n{\"_id\": \"b\",\n",
                         "q.jsonl:2:");
    expect_queries_error("{\"text\":\"x\"}\n", "q.jsonl:1: \"_id\" must be");
    expect_queries_error("{\"_id\":7,\"text\":\"x\"}\n", "\"_id\" must be");
    expect_queries_error("{\"_id\":\"a b\",\"text\":\"x\"}\n", "whitespace");
    expect_queries_error("{\"_id\":\"a\"}\n", "q.jsonl:1: \"text\" must be");
    expect_queries_error("[1, 2]\n", "q.jsonl:1: expected one JSON object");
    expect_queries_error("{\"_id\":\"a\",\"text\":\"x\"} junk\n",
                         "q.jsonl:1: expected one JSON object");
    expect_queries_error("{\"_id\":\"a\",\"text\":\"x\"}\n"
                         "{\"_id\":\"b\",\"text\":\"y\"}\n"
                         "{\"_id\":\"a\",\"text\":\"z\"}\n",
                         "q.jsonl:3: duplicate query id 'a'");
}

static void test_eval_run_errors(void **state)
{
    struct galen_run *r = NULL;
    static const char *const bad[] = {
        "q Q0 a 1 1.0\n",
        "q Q0 a 1 1.0 t extra\n",
        "q Q0 a 1 high t\n",
        "q Q0 a one 1.0 t\n",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(galen_run_parse(bad[i], strlen(bad[i]), "r.txt", &r),
                         GALEN_EPARSE);
        assert_null(r);
        assert_non_null(strstr(galen_eval_errmsg(), "r.txt:1:"));
    }
    assert_int_equal(galen_run_new(&r), GALEN_OK);
    assert_int_equal(galen_run_add(r, "q 1", "d", 1.0), GALEN_EINVAL);
    assert_int_equal(galen_run_add(r, "q", "", 1.0), GALEN_EINVAL);
    assert_int_equal(galen_run_add(r, "q", "d\t", 1.0), GALEN_EINVAL);
    assert_int_equal(galen_run_add(r, "q", "d", NAN), GALEN_EINVAL);
    assert_int_equal(galen_run_len(r), 0);
    galen_run_free(r);
}

/* The run is written as TREC lines with per-query ranks and scores rounded
 * to GALEN_RUN_SCORE_FMT; reading it back gives the same metrics. */
static void test_eval_run_write(void **state)
{
    struct galen_run *r = NULL;
    FILE *f = tmpfile();
    char text[512];
    size_t n;

    (void)state;
    assert_non_null(f);
    assert_int_equal(galen_run_new(&r), GALEN_OK);
    assert_int_equal(galen_run_add(r, "q1", "d7", 12.3456789), GALEN_OK);
    assert_int_equal(galen_run_add(r, "q1", "d2", 1.0000004), GALEN_OK);
    assert_int_equal(galen_run_add(r, "q2", "d2", -0.5), GALEN_OK);
    assert_int_equal(galen_run_fwrite(r, f, "bad tag"), GALEN_EINVAL);
    assert_int_equal(galen_run_fwrite(r, f, "galen"), GALEN_OK);
    rewind(f);
    n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    assert_string_equal(text, "q1 Q0 d7 1 12.345679 galen\n"
                              "q1 Q0 d2 2 1.000000 galen\n"
                              "q2 Q0 d2 1 -0.500000 galen\n");
    fclose(f);
    galen_run_free(r);
}

/* Nearest-rank percentiles of 1..5 µs (given shuffled):
 *   p50 index ceil(2.5) - 1 = 2 -> 3; p95 and p99 index 4 -> 5
 *   mean 15/5 = 3; QPS = 5 / 15e-6 s = 333333.3 */
static void test_eval_latency(void **state)
{
    double lat[] = {5, 1, 4, 2, 3};
    struct galen_latency l;

    (void)state;
    galen_eval_latency(lat, 5, &l);
    assert_float_equal(l.p50_us, 3.0, EPS);
    assert_float_equal(l.p95_us, 5.0, EPS);
    assert_float_equal(l.p99_us, 5.0, EPS);
    assert_float_equal(l.mean_us, 3.0, EPS);
    assert_float_equal(l.max_us, 5.0, EPS);
    assert_float_equal(l.qps, 5.0 / 15e-6, 1e-6);
    galen_eval_latency(lat, 0, &l);
    assert_float_equal(l.qps, 0.0, EPS);
}

/* Fails each allocation in turn: every call returns GALEN_ENOMEM or
 * succeeds, and nothing leaks (ASan checks). */
static void test_eval_oom_sweep(void **state)
{
    static const char qt[] = "h1 h2 h3\nq a 2\nq b 1\nr c 1\nq a 1\n";
    static const char rt[] = "q Q0 a 1 2 t\nq Q0 c 2 1 t\nr Q0 c 1 1 t\n";
    static const char jt[] = "{\"_id\":\"q\",\"text\":\"x\"}\n";
    long n;
    int done = 0;

    (void)state;
    for (n = 0; !done && n < 1000; n++) {
        struct galen_qrels *q = NULL;
        struct galen_run *r = NULL;
        struct galen_queries *qs = NULL;
        struct galen_eval_metrics m;
        int rc;

        mem_fail_after(n);
        rc = galen_qrels_parse(qt, sizeof qt - 1, "q", &q);
        if (rc == GALEN_OK)
            rc = galen_run_parse(rt, sizeof rt - 1, "r", &r);
        if (rc == GALEN_OK)
            rc = galen_queries_parse(jt, sizeof jt - 1, "j", &qs);
        if (rc == GALEN_OK)
            rc = galen_eval_compute(q, r, &m);
        mem_fail_after(-1);
        assert_true(rc == GALEN_OK || rc == GALEN_ENOMEM);
        if (rc == GALEN_OK) {
            assert_float_equal(m.mrr10, 1.0, EPS);
            done = 1;
        }
        galen_queries_free(qs);
        galen_run_free(r);
        galen_qrels_free(q);
    }
    assert_true(done);
}

/* The shared MEDIQA Alexa dev set parses: 102 queries, all judged. */
static void test_eval_shared_mediqa(void **state)
{
    const char *root = shared_dir();
    char qp[512];
    char jp[512];
    struct galen_qrels *q = NULL;
    struct galen_queries *qs = NULL;
    FILE *f;

    (void)state;
    snprintf(qp, sizeof qp, "%s/data/eval/mediqa-alexa/qrels/dev.tsv", root);
    snprintf(jp, sizeof jp, "%s/data/eval/mediqa-alexa/queries.jsonl", root);
    f = fopen(qp, "r");
    if (!f)
        skip();
    fclose(f);
    assert_int_equal(galen_qrels_load(qp, &q), GALEN_OK);
    assert_int_equal(galen_queries_load(jp, &qs), GALEN_OK);
    assert_int_equal(galen_qrels_count(q), 102);
    assert_int_equal(qs->count, 102);
    assert_true(galen_qrels_is_judged(q, qs->items[0].id));
    galen_queries_free(qs);
    galen_qrels_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_graded_hand_case),
        cmocka_unit_test(test_eval_binary_hand_case),
        cmocka_unit_test(test_eval_cutoffs),
        cmocka_unit_test(test_eval_ties_by_docid_desc),
        cmocka_unit_test(test_eval_duplicate_keeps_first),
        cmocka_unit_test(test_eval_which_queries_count),
        cmocka_unit_test(test_eval_qrels_rules),
        cmocka_unit_test(test_eval_incremental),
        cmocka_unit_test(test_eval_qrels_errors),
        cmocka_unit_test(test_eval_queries_parse),
        cmocka_unit_test(test_eval_queries_errors),
        cmocka_unit_test(test_eval_run_errors),
        cmocka_unit_test(test_eval_run_write),
        cmocka_unit_test(test_eval_latency),
        cmocka_unit_test(test_eval_oom_sweep),
        cmocka_unit_test(test_eval_shared_mediqa),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
