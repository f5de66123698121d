/* SPDX-License-Identifier: MIT */
/* test_store_follow.c: replicas that each keep their own index follow one
 * store's change log (galen_store_index_follow): each builds its index
 * from nothing, applies exactly the changes logged since its cursor, never
 * writes the store's marks, and rebuilds when its cursor is missing or
 * belongs to another store. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>
#include <galen/store.h>

#include "base/buf.h"
#include "content/store.h"
#include "import_test.h"
#include "index/index.h"

struct fixture {
    struct tmp_store t;
    char a[128], b[128]; /* two replicas' index folders */
};

static int setup(void **state)
{
    const char *paths[] = {"tests/data/medquad", "tests/data/article"};
    struct galen_import_opts opts = {false, NULL, NULL, NULL};
    struct galen_import_stats st;
    struct fixture *f = calloc(1, sizeof *f);

    if (!f || !tmp_store_open(&f->t))
        return -1;
    snprintf(f->a, sizeof f->a, "%s/a", f->t.dir);
    snprintf(f->b, sizeof f->b, "%s/b", f->t.dir);
    if (galen_import_paths(f->t.st, GALEN_IMPORT_MEDQUAD, paths, 1, &opts,
                           &st) != GALEN_OK ||
        galen_import_paths(f->t.st, GALEN_IMPORT_ARTICLE, paths + 1, 1, &opts,
                           &st) != GALEN_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    if (tmp_store_close(&f->t) != 0)
        return -1;
    free(f);
    return 0;
}

static uint64_t live_docs(const char *dir)
{
    struct index *idx = NULL;
    uint64_t n;

    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    n = index_live_doc_count(idx);
    index_close(idx);
    return n;
}

static uint64_t generation(const char *dir)
{
    struct index *idx = NULL;
    uint64_t g;

    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    g = index_generation(idx);
    index_close(idx);
    return g;
}

/* True if the indexed meta blob of id contains needle. */
static bool meta_has(const char *dir, const char *id, const char *needle)
{
    struct index *idx = NULL;
    struct str field[INDEX_MAX_FIELDS], meta;
    struct buf scratch;
    uint32_t seg, doc;
    bool found = false;

    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    assert_int_equal(index_find(idx, str_from(id), &seg, &doc), GALEN_OK);
    buf_init(&scratch, 1 << 24);
    assert_int_equal(
        segment_doc_load(index_segment(idx, seg), doc, &scratch, field, &meta),
        GALEN_OK);
    for (size_t i = 0; !found && i + strlen(needle) <= meta.len; i++)
        found = memcmp(meta.p + i, needle, strlen(needle)) == 0;
    buf_cleanup(&scratch);
    index_close(idx);
    return found;
}

static void follow(struct fixture *f, const char *dir,
                   struct galen_store_index_stats *st)
{
    assert_int_equal(galen_store_index_follow(f->t.st, dir, NULL, NULL, st),
                     GALEN_OK);
}

static void test_follow_two_replicas(void **state)
{
    struct fixture *f = *state;
    struct galen_store_index_stats st;
    struct galen_store_counts n;
    enum store_upsert_result res;
    struct doc *d = NULL;
    char own[200];
    uint64_t gen;

    /* Each replica builds its own index from nothing. */
    follow(f, f->a, &st);
    assert_true(st.rebuilt);
    assert_int_equal(st.added, 9);
    follow(f, f->b, &st);
    assert_true(st.rebuilt);
    assert_int_equal(live_docs(f->a), 9);
    assert_int_equal(live_docs(f->b), 9);
    /* The store's marks belong to `galen index`: followers leave them. */
    assert_int_equal(galen_store_counts(f->t.st, &n), GALEN_OK);
    assert_int_equal(n.unindexed, 11);

    /* Nothing new: no work and no new generation to reload. */
    gen = generation(f->a);
    follow(f, f->a, &st);
    assert_int_equal(st.total, 0);
    assert_false(st.rebuilt);
    assert_int_equal(generation(f->a), gen);

    /* A change, a review decision and a delete reach both replicas. */
    assert_int_equal(store_get(f->t.st, "GHR_0000101_Sec2", &d), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d->sections[0].text, "Rest helps."), 0);
    assert_int_equal(store_upsert(f->t.st, d, "test", &res), GALEN_OK);
    assert_int_equal(store_set_status(f->t.st, "CDC_0000202_Sec1",
                                      DOC_STATUS_APPROVED, "ed", NULL),
                     GALEN_OK);
    assert_int_equal(store_delete(f->t.st, "NINDS_0000303_Sec1", "ed"),
                     GALEN_OK);
    follow(f, f->a, &st);
    assert_int_equal(st.total, 3);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.removed, 1);
    assert_int_equal(live_docs(f->a), 8);
    assert_true(meta_has(f->a, "CDC_0000202_Sec1", "\"status\":\"approved\""));
    follow(f, f->b, &st);
    assert_int_equal(st.total, 3);
    assert_int_equal(live_docs(f->b), 8);
    assert_true(meta_has(f->b, "CDC_0000202_Sec1", "\"status\":\"approved\""));

    /* Losing its answer takes a document out of every replica's index. */
    d->has_answer = false;
    assert_int_equal(store_upsert(f->t.st, d, "test", &res), GALEN_OK);
    follow(f, f->b, &st);
    assert_int_equal(live_docs(f->b), 7);
    doc_free(d);

    /* `galen index` marking a change as indexed hides it from no one. */
    snprintf(own, sizeof own, "%s/own", f->t.dir);
    assert_int_equal(galen_store_index_update(f->t.st, own, NULL, NULL, &st),
                     GALEN_OK);
    assert_int_equal(store_set_status(f->t.st, "CDC_0000202_Sec1",
                                      DOC_STATUS_UNDER_REVIEW, "ed", NULL),
                     GALEN_OK);
    assert_int_equal(galen_store_index_update(f->t.st, own, NULL, NULL, &st),
                     GALEN_OK);
    assert_int_equal(st.total, 1);
    follow(f, f->a, &st);
    assert_int_equal(st.total, 2);
    assert_int_equal(live_docs(f->a), 7);
    assert_true(
        meta_has(f->a, "CDC_0000202_Sec1", "\"status\":\"under_review\""));
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[300];
    FILE *fp;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* No cursor, a garbled one, or one ahead of the log (the index was built
 * from another store): rebuild, rather than trust an unknown index. */
static void test_follow_rebuilds_unknown_index(void **state)
{
    struct fixture *f = *state;
    struct galen_store_index_stats st;
    char path[300];

    follow(f, f->a, &st);
    snprintf(path, sizeof path, "%s/FOLLOW", f->a);
    assert_int_equal(remove(path), 0);
    follow(f, f->a, &st);
    assert_true(st.rebuilt);
    write_file(f->a, "FOLLOW", "twelve\n");
    follow(f, f->a, &st);
    assert_true(st.rebuilt);
    write_file(f->a, "FOLLOW", "999999\n");
    follow(f, f->a, &st);
    assert_true(st.rebuilt);
    assert_int_equal(live_docs(f->a), 9);
    follow(f, f->a, &st);
    assert_false(st.rebuilt);
    assert_int_equal(st.total, 0);
}

struct race {
    struct galen_store *st;
    bool done;
};

/* A decision lands after the run read the log's head. */
static void approve_midway(void *ctx, uint64_t done, uint64_t total)
{
    struct race *r = ctx;

    (void)done;
    (void)total;
    if (r->done)
        return;
    r->done = true;
    assert_int_equal(store_set_status(r->st, "CDC_0000202_Sec1",
                                      DOC_STATUS_APPROVED, "ed", NULL),
                     GALEN_OK);
}

/* A change made while a run applies the log is applied by the next run. */
static void test_follow_keeps_change_made_during_run(void **state)
{
    struct fixture *f = *state;
    struct galen_store_index_stats st;
    struct race r = {f->t.st, false};

    follow(f, f->a, &st);
    assert_int_equal(store_set_status(f->t.st, "CDC_0000202_Sec1",
                                      DOC_STATUS_UNDER_REVIEW, "ed", NULL),
                     GALEN_OK);
    assert_int_equal(
        galen_store_index_follow(f->t.st, f->a, approve_midway, &r, &st),
        GALEN_OK);
    assert_true(r.done);
    assert_true(
        meta_has(f->a, "CDC_0000202_Sec1", "\"status\":\"under_review\""));
    follow(f, f->a, &st);
    assert_int_equal(st.total, 1);
    assert_true(meta_has(f->a, "CDC_0000202_Sec1", "\"status\":\"approved\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_follow_two_replicas, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_follow_rebuilds_unknown_index,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_follow_keeps_change_made_during_run, setup, teardown),
    };

    return STORE_RUN_TESTS(tests, NULL, NULL);
}
