/* SPDX-License-Identifier: MIT */
/* test_search.c: query semantics on a small hand-made corpus (OR, phrases,
 * +/-, field:, deletions, several segments), and the exactness property:
 * on many random corpora and queries the pruned evaluation returns exactly
 * the hits and scores of exhaustive scoring, for several k. */
/* cmocka.h needs the three headers before it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "index/index.h"
#include "search/query.h"
#include "search/search.h"
#include "test_util.h"

/* ---- fixture: an index in a temporary folder ---------------------------- */

struct fixture {
    char dir[TMP_DIR_MAX];
    struct index_writer *w;
    struct index *idx;
    struct analyzer *a;
    struct search *s;
    struct query q;
};

static struct fixture *fixture_new(void)
{
    struct fixture *fx = calloc(1, sizeof *fx);

    assert_non_null(fx);
    tmp_dir(fx->dir);
    assert_int_equal(index_writer_open(fx->dir, NULL, &fx->w), GALEN_OK);
    assert_int_equal(analyzer_new(&fx->a), GALEN_OK);
    query_init(&fx->q);
    return fx;
}

static void fixture_close_reader(struct fixture *fx)
{
    search_free(fx->s);
    index_close(fx->idx);
    fx->s = NULL;
    fx->idx = NULL;
}

static void fixture_free(struct fixture *fx)
{
    fixture_close_reader(fx);
    index_writer_close(fx->w);
    analyzer_free(fx->a);
    query_cleanup(&fx->q);
    assert_int_equal(tmp_rm(fx->dir), 0);
    free(fx);
}

static void add_doc(struct fixture *fx, const char *id, const char *title,
                    const char *body)
{
    struct index_doc d;

    memset(&d, 0, sizeof d);
    d.id = str_from(id);
    d.field[0] = str_from(title);
    d.field[1] = str_from(body);
    d.meta = STR_LIT("");
    assert_int_equal(index_writer_add(fx->w, &d), GALEN_OK);
}

/* Commits and (re)opens the reader. */
static void commit(struct fixture *fx)
{
    assert_int_equal(index_writer_commit(fx->w), GALEN_OK);
    fixture_close_reader(fx);
    assert_int_equal(index_open(fx->dir, &fx->idx), GALEN_OK);
    assert_int_equal(search_new(fx->idx, &fx->s), GALEN_OK);
}

/* Runs query and returns the hits' external ids joined by spaces. */
static const char *run(struct fixture *fx, const char *query, unsigned k,
                       bool exhaustive)
{
    static char out[1024];
    const struct index_conf *conf = index_get_conf(fx->idx);
    const struct topk_entry *e;
    struct search_params p;
    size_t n, i, len = 0;

    assert_int_equal(query_parse(&fx->q, fx->a, conf, query, strlen(query), 0),
                     GALEN_OK);
    search_params_default(&p, conf, k);
    p.exhaustive = exhaustive;
    assert_int_equal(search_run(fx->s, &fx->q, &p, &e, &n), GALEN_OK);
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        struct str id =
            segment_doc_id(index_segment(fx->idx, e[i].seg), e[i].doc);

        len += (size_t)snprintf(out + len, sizeof out - len, "%s%.*s",
                                i ? " " : "", (int)id.len, id.p);
    }
    return out;
}

/* The same query both ways must agree; returns the hit ids. */
static const char *run_both(struct fixture *fx, const char *query)
{
    static char fast[1024];

    snprintf(fast, sizeof fast, "%s", run(fx, query, 10, false));
    assert_string_equal(fast, run(fx, query, 10, true));
    return fast;
}

/* Hit ids sorted, so tests of matching do not depend on ranking. */
static const char *sorted(const char *ids)
{
    static char out[1024];
    char copy[1024], *tok[64], *save = NULL, *t;
    size_t n = 0, i, j, len = 0;

    snprintf(copy, sizeof copy, "%s", ids);
    for (t = strtok_r(copy, " ", &save); t && n < 64;
         t = strtok_r(NULL, " ", &save))
        tok[n++] = t;
    for (i = 1; i < n; i++) {
        for (j = i; j > 0 && strcmp(tok[j - 1], tok[j]) > 0; j--) {
            t = tok[j];
            tok[j] = tok[j - 1];
            tok[j - 1] = t;
        }
    }
    out[0] = '\0';
    for (i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s",
                                i ? " " : "", tok[i]);
    return out;
}

/* ---- semantics on a hand-made corpus ------------------------------------ */

static struct fixture *small_corpus(void)
{
    struct fixture *fx = fixture_new();

    add_doc(fx, "flu", "Flu basics",
            "Influenza is a viral infection of the nose and throat.");
    add_doc(fx, "heart", "Heart attack",
            "A heart attack happens when blood flow to the heart is "
            "blocked. Chest pain is common.");
    add_doc(fx, "chest", "",
            "Chest pain can come from the heart or from the lungs. "
            "Flu rarely causes chest pain.");
    commit(fx);
    /* A second segment. */
    add_doc(fx, "cold", "Cold", "A cold is milder than the flu. Rest helps.");
    add_doc(fx, "asthma", "Asthma",
            "During an asthma attack the heart beats fast and airways "
            "narrow.");
    commit(fx);
    assert_int_equal(index_segment_count(fx->idx), 2);
    return fx;
}

static void test_search_or_and_ranking(void **state)
{
    struct fixture *fx = small_corpus();

    UNUSED(state);
    assert_string_equal(sorted(run_both(fx, "flu")), "chest cold flu");
    /* The title match ranks first (title weight 2). */
    assert_string_equal(run(fx, "flu", 1, false), "flu");
    assert_string_equal(sorted(run_both(fx, "heart lungs")),
                        "asthma chest heart");
    assert_string_equal(run_both(fx, "nothingmatches"), "");
    fixture_free(fx);
}

static void test_search_phrases(void **state)
{
    struct fixture *fx = small_corpus();

    UNUSED(state);
    /* asthma has both words, but not together. */
    assert_string_equal(run_both(fx, "\"heart attack\""), "heart");
    assert_string_equal(sorted(run_both(fx, "\"chest pain\"")), "chest heart");
    assert_string_equal(run_both(fx, "\"pain chest\""), "");
    assert_string_equal(run_both(fx, "title:\"heart attack\""), "heart");
    assert_string_equal(run_both(fx, "body:\"attack heart\""), "");
    assert_string_equal(sorted(run_both(fx, "heart -\"heart attack\"")),
                        "asthma chest");
    fixture_free(fx);
}

static void test_search_required_and_excluded(void **state)
{
    struct fixture *fx = small_corpus();

    UNUSED(state);
    assert_string_equal(sorted(run_both(fx, "+chest pain")), "chest heart");
    assert_string_equal(run_both(fx, "+chest -flu"), "heart");
    assert_string_equal(run_both(fx, "-flu +chest"), "heart");
    assert_string_equal(run_both(fx, "-flu -lungs +\"chest pain\" heart"),
                        "heart");
    assert_string_equal(sorted(run_both(fx, "heart -flu")), "asthma heart");
    assert_string_equal(run_both(fx, "+heart +asthma"), "asthma");
    assert_string_equal(run_both(fx, "+heart +missingword"), "");
    assert_string_equal(run_both(fx, "-heart"), "");
    fixture_free(fx);
}

static void test_search_fields(void **state)
{
    struct fixture *fx = small_corpus();

    UNUSED(state);
    assert_string_equal(run_both(fx, "title:flu"), "flu");
    assert_string_equal(sorted(run_both(fx, "body:flu")), "chest cold");
    assert_string_equal(sorted(run_both(fx, "+body:heart title:heart")),
                        "asthma chest heart");
    assert_string_equal(run(fx, "+body:heart title:heart", 1, false), "heart");
    assert_string_equal(run_both(fx, "+title:heart"), "heart");
    fixture_free(fx);
}

static void test_search_deleted_and_replaced(void **state)
{
    struct fixture *fx = small_corpus();

    UNUSED(state);
    assert_int_equal(index_writer_delete(fx->w, STR_LIT("flu")), GALEN_OK);
    add_doc(fx, "cold", "Cold", "A cold is not influenza.");
    commit(fx);
    assert_string_equal(run_both(fx, "flu"), "chest");
    assert_string_equal(run_both(fx, "influenza"), "cold");
    fixture_free(fx);
}

static void test_search_idf_is_collection_wide(void **state)
{
    struct fixture *fx = small_corpus();
    const struct search_term *t;
    size_t n;

    UNUSED(state);
    run(fx, "heart flu", 10, false);
    n = search_terms(fx->s, &t);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].df, index_df(fx->idx, t[0].term));
    assert_int_equal(t[0].df, 3);
    assert_int_equal(t[1].df, index_df(fx->idx, t[1].term));
    assert_true(t[0].idf > 0 && t[1].idf > 0);
    fixture_free(fx);
}

static void test_search_rejects_bad_params(void **state)
{
    struct fixture *fx = small_corpus();
    const struct topk_entry *e;
    struct search_params p;
    size_t n;

    UNUSED(state);
    assert_int_equal(
        query_parse(&fx->q, fx->a, index_get_conf(fx->idx), "flu", 3, 0),
        GALEN_OK);
    search_params_default(&p, index_get_conf(fx->idx), 0);
    assert_int_equal(search_run(fx->s, &fx->q, &p, &e, &n), GALEN_EINVAL);
    search_params_default(&p, index_get_conf(fx->idx), 5);
    p.b[1] = 1.5;
    assert_int_equal(search_run(fx->s, &fx->q, &p, &e, &n), GALEN_EINVAL);
    fixture_free(fx);
}

static void test_search_oom(void **state)
{
    struct fixture *fx = small_corpus();
    const struct index_conf *conf = index_get_conf(fx->idx);
    const char *text = "+\"chest pain\" heart -flu";
    const struct topk_entry *e;
    struct search_params p;
    struct search *s;
    size_t n;
    long fail;
    int rc = GALEN_ENOMEM;

    UNUSED(state);
    assert_int_equal(query_parse(&fx->q, fx->a, conf, text, strlen(text), 0),
                     GALEN_OK);
    search_params_default(&p, conf, 50);
    for (fail = 0; rc == GALEN_ENOMEM; fail++) {
        mem_fail_after(fail);
        rc = search_new(fx->idx, &s);
        if (rc == GALEN_OK) {
            rc = search_run(s, &fx->q, &p, &e, &n);
            search_free(s);
        }
        mem_fail_after(-1);
        assert_true(rc == GALEN_OK || rc == GALEN_ENOMEM);
    }
    assert_int_equal(n, 1); /* "chest" mentions flu */
    fixture_free(fx);
}

/* ---- the exactness property --------------------------------------------- */

enum { VOCAB = 3000 };

/* Word ranks drawn log-uniformly, so frequency falls as 1/rank (Zipf): a
 * few words are in most documents, most words in a few. */
static void word(char *out, size_t cap)
{
    double u = (double)(rng() % 1000000) / 1e6;
    unsigned w = (unsigned)exp(u * log((double)VOCAB)) - 1;

    snprintf(out, cap, "w%u", w);
}

static void random_text(char *out, size_t cap, unsigned nwords)
{
    size_t len = 0;
    unsigned i;

    out[0] = '\0';
    for (i = 0; i < nwords && len + 8 < cap; i++) {
        char w[16];

        word(w, sizeof w);
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", w);
    }
}

static void random_corpus(struct fixture *fx, unsigned ndocs)
{
    char title[64], body[4096], id[16];
    unsigned i;

    for (i = 0; i < ndocs; i++) {
        random_text(title, sizeof title, (unsigned)(rng() % 5));
        random_text(body, sizeof body, 1 + (unsigned)(rng() % 300));
        snprintf(id, sizeof id, "d%u", (unsigned)(rng() % (ndocs + ndocs / 8)));
        add_doc(fx, id, title, body);
        if (rng() % 200 == 0)
            commit(fx);
        if (rng() % 50 == 0) {
            snprintf(id, sizeof id, "d%u", (unsigned)(rng() % ndocs));
            assert_int_equal(index_writer_delete(fx->w, str_from(id)),
                             GALEN_OK);
        }
    }
    commit(fx);
}

static void random_query(char *out, size_t cap)
{
    static const char *const prefix[] = {"",  "",       "",      "",       "+",
                                         "-", "title:", "body:", "+title:"};
    unsigned n = 1 + (unsigned)(rng() % 6), i;
    size_t len = 0;

    for (i = 0; i < n; i++) {
        char w[16], w2[16];
        const char *pre = prefix[rng() % ARRAY_SIZE(prefix)];

        word(w, sizeof w);
        if (rng() % 8 == 0) {
            word(w2, sizeof w2);
            len += (size_t)snprintf(
                out + len, cap - len, "%s%s\"%s %s\"", i ? " " : "",
                pre[0] == 't' || pre[0] == 'b' ? pre : "", w, w2);
        } else {
            len += (size_t)snprintf(out + len, cap - len, "%s%s%s",
                                    i ? " " : "", pre, w);
        }
    }
}

static void random_params(struct search_params *p, const struct index_conf *c,
                          unsigned k)
{
    search_params_default(p, c, k);
    if (rng() % 2)
        return;
    p->k1 = 0.3 + (double)(rng() % 200) / 100.0;
    p->weight[0] = (double)(rng() % 50) / 10.0;
    p->weight[1] = 0.1 + (double)(rng() % 30) / 10.0;
    p->b[0] = (double)(rng() % 101) / 100.0;
    p->b[1] = (double)(rng() % 101) / 100.0;
}

/* Copies of the fast path's hits, compared with exhaustive ones. */
static void compare_paths(struct fixture *fx, const char *query,
                          struct search_params *p, uint64_t *work)
{
    static struct topk_entry fast[SEARCH_MAX_K];
    const struct topk_entry *e;
    struct search_stats st;
    size_t nfast, n, i;

    assert_int_equal(query_parse(&fx->q, fx->a, index_get_conf(fx->idx), query,
                                 strlen(query), 0),
                     GALEN_OK);
    p->exhaustive = false;
    assert_int_equal(search_run(fx->s, &fx->q, p, &e, &nfast), GALEN_OK);
    memcpy(fast, e, nfast * sizeof *e);
    search_get_stats(fx->s, &st);
    work[0] += st.scored;
    p->exhaustive = true;
    assert_int_equal(search_run(fx->s, &fx->q, p, &e, &n), GALEN_OK);
    search_get_stats(fx->s, &st);
    work[1] += st.scored;
    if (n != nfast)
        print_error("query [%s] k %u: %zu hits, exhaustive %zu\n", query, p->k,
                    nfast, n);
    assert_int_equal(n, nfast);
    for (i = 0; i < n; i++) {
        if (fast[i].seg != e[i].seg || fast[i].doc != e[i].doc ||
            fast[i].score != e[i].score)
            print_error("query [%s] k %u hit %zu: (%u,%u) %.17g vs (%u,%u) "
                        "%.17g\n",
                        query, p->k, i, fast[i].seg, fast[i].doc, fast[i].score,
                        e[i].seg, e[i].doc, e[i].score);
        assert_int_equal(fast[i].seg, e[i].seg);
        assert_int_equal(fast[i].doc, e[i].doc);
        assert_true(fast[i].score == e[i].score);
    }
}

static void test_search_fast_path_equals_exhaustive(void **state)
{
    static const unsigned ks[] = {1, 3, 10, 100};
    uint64_t work[ARRAY_SIZE(ks)][2] = {{0}};
    unsigned corpus, qn, ki;

    UNUSED(state);
    rng_seed(0x853c49e6748fea9bULL);
    for (corpus = 0; corpus < 8; corpus++) {
        struct fixture *fx = fixture_new();
        char query[256];

        random_corpus(fx, 200 + (unsigned)(rng() % 1200));
        for (qn = 0; qn < 60; qn++) {
            random_query(query, sizeof query);
            for (ki = 0; ki < ARRAY_SIZE(ks); ki++) {
                struct search_params p;

                random_params(&p, index_get_conf(fx->idx), ks[ki]);
                compare_paths(fx, query, &p, work[ki]);
            }
        }
        fixture_free(fx);
    }
    /* Pruning must actually prune, the more the smaller k is. */
    for (ki = 0; ki < ARRAY_SIZE(ks); ki++)
        print_message("k %u: scored %llu documents, exhaustive %llu\n", ks[ki],
                      (unsigned long long)work[ki][0],
                      (unsigned long long)work[ki][1]);
    assert_true(work[0][0] * 2 < work[0][1]);
    assert_true(work[2][0] < work[2][1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_or_and_ranking),
        cmocka_unit_test(test_search_phrases),
        cmocka_unit_test(test_search_required_and_excluded),
        cmocka_unit_test(test_search_fields),
        cmocka_unit_test(test_search_deleted_and_replaced),
        cmocka_unit_test(test_search_idf_is_collection_wide),
        cmocka_unit_test(test_search_rejects_bad_params),
        cmocka_unit_test(test_search_oom),
        cmocka_unit_test(test_search_fast_path_equals_exhaustive),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
