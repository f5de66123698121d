/* SPDX-License-Identifier: MIT */
/* test_store_index.c: deriving the search index from the store: answered
 * documents are indexed with their metadata, questions only never are,
 * a re-run touches nothing, and a change, a status change or a delete
 * touches only that document. */
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
#include <unistd.h>

#include <galen/error.h>
#include <galen/store.h>

#include "base/buf.h"
#include "content/store.h"
#include "import_test.h"
#include "index/index.h"

struct fixture {
    struct tmp_store t;
    char index[128];
};

static int setup(void **state)
{
    const char *paths[] = {"tests/data/medquad", "tests/data/article"};
    struct galen_import_opts opts = {false, NULL, NULL, NULL};
    struct galen_import_stats st;
    struct fixture *f = calloc(1, sizeof *f);

    if (!f || !tmp_store_open(&f->t))
        return -1;
    snprintf(f->index, sizeof f->index, "%s/index", f->t.dir);
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

/* True if needle occurs in hay. */
static bool has(struct str hay, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; i + n <= hay.len; i++) {
        if (memcmp(hay.p + i, needle, n) == 0)
            return true;
    }
    return false;
}

static uint64_t live_docs(const struct fixture *f)
{
    struct index *idx = NULL;
    uint64_t n;

    assert_int_equal(index_open(f->index, &idx), GALEN_OK);
    n = index_live_doc_count(idx);
    index_close(idx);
    return n;
}

static void test_store_index_builds_answered_documents(void **state)
{
    struct fixture *f = *state;
    struct galen_store_index_stats st;
    struct galen_store_counts n;
    struct index *idx = NULL;
    uint32_t seg, doc;
    struct buf scratch;
    struct str field[INDEX_MAX_FIELDS], meta;

    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(st.total, 11); /* 9 MedQuAD pairs + 2 articles */
    assert_int_equal(st.added, 9);
    assert_int_equal(st.skipped, 2); /* the two questions without answers */
    assert_int_equal(live_docs(f), 9);
    assert_int_equal(galen_store_counts(f->t.st, &n), GALEN_OK);
    assert_int_equal(n.unindexed, 0);

    assert_int_equal(index_open(f->index, &idx), GALEN_OK);
    assert_int_equal(index_find(idx, STR_LIT("ADAM_0000505_Sec1"), &seg, &doc),
                     GALEN_ENOENT);
    assert_int_equal(index_find(idx, STR_LIT("test-article-full"), &seg, &doc),
                     GALEN_OK);
    buf_init(&scratch, 1 << 24);
    assert_int_equal(
        segment_doc_load(index_segment(idx, seg), doc, &scratch, field, &meta),
        GALEN_OK);
    assert_true(str_eq_cstr(field[0], "Calf cramps: a test article"));
    assert_true(has(field[1], "Quick Summary\nCramps"));
    assert_true(has(meta, "\"status\":\"under_review\""));
    assert_true(has(meta, "\"heading\":\"Key Points\""));
    assert_true(has(meta, "\"pmid\":\"12345678\""));
    buf_cleanup(&scratch);
    index_close(idx);
}

static void test_store_index_touches_only_changes(void **state)
{
    struct fixture *f = *state;
    enum store_upsert_result res;
    struct galen_store_index_stats st;
    struct doc *d = NULL;

    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(st.total, 0);

    assert_int_equal(store_get(f->t.st, "GHR_0000101_Sec2", &d), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d->sections[0].text, "Rest helps."), 0);
    assert_int_equal(store_upsert(f->t.st, d, "test", &res), GALEN_OK);
    assert_int_equal(store_set_status(f->t.st, "CDC_0000202_Sec1",
                                      DOC_STATUS_APPROVED, "ed", NULL),
                     GALEN_OK);
    assert_int_equal(store_delete(f->t.st, "NINDS_0000303_Sec1", "ed"),
                     GALEN_OK);
    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(st.total, 2);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.removed, 1);
    assert_int_equal(live_docs(f), 8);

    /* Losing its answer takes a document out of the index. */
    d->has_answer = false;
    assert_int_equal(store_upsert(f->t.st, d, "test", &res), GALEN_OK);
    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(st.removed, 1);
    assert_int_equal(live_docs(f), 7);
    doc_free(d);
}

struct race {
    struct galen_store *st;
    bool done;
};

/* Called after the run has read every document and before it records
 * them: a review decision lands in that window. */
static void approve_midway(void *ctx, uint64_t done, uint64_t total)
{
    struct race *r = ctx;

    if (done != total || r->done)
        return;
    r->done = true;
    assert_int_equal(store_set_status(r->st, "CDC_0000202_Sec1",
                                      DOC_STATUS_APPROVED, "ed", NULL),
                     GALEN_OK);
}

/* A decision made while an update runs is not lost: the run must not
 * mark the document as indexed in its new status. */
static void test_store_index_keeps_decision_made_during_run(void **state)
{
    struct fixture *f = *state;
    struct galen_store_index_stats st;
    struct race r = {f->t.st, false};
    struct index *idx = NULL;
    uint32_t seg, doc;
    struct buf scratch;
    struct str field[INDEX_MAX_FIELDS], meta;

    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(store_set_status(f->t.st, "CDC_0000202_Sec1",
                                      DOC_STATUS_UNDER_REVIEW, "ed", NULL),
                     GALEN_OK);
    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, approve_midway, &r, &st),
        GALEN_OK);
    assert_true(r.done);
    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(st.total, 1);
    assert_int_equal(index_open(f->index, &idx), GALEN_OK);
    assert_int_equal(index_find(idx, STR_LIT("CDC_0000202_Sec1"), &seg, &doc),
                     GALEN_OK);
    buf_init(&scratch, 1 << 24);
    assert_int_equal(
        segment_doc_load(index_segment(idx, seg), doc, &scratch, field, &meta),
        GALEN_OK);
    assert_true(has(meta, "\"status\":\"approved\""));
    buf_cleanup(&scratch);
    index_close(idx);
}

/* The external ids of the live documents, sorted, one per line. */
static void live_ids(const struct fixture *f, char *out, size_t cap)
{
    struct index *idx = NULL;
    size_t n = 0;
    uint32_t i, d;

    out[0] = '\0';
    assert_int_equal(index_open(f->index, &idx), GALEN_OK);
    for (i = 0; i < index_segment_count(idx); i++) {
        const struct segment *s = index_segment(idx, i);

        for (d = 0; d < segment_doc_count(s); d++) {
            struct str id = segment_doc_id(s, d);

            if (segment_is_deleted(s, d))
                continue;
            assert_true(n + id.len + 2 < cap);
            memcpy(out + n, id.p, id.len);
            n += id.len;
            out[n++] = '\n';
            out[n] = '\0';
        }
    }
    index_close(idx);
}

static void rm_index(const struct fixture *f)
{
    char cmd[300];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->index);
    assert_int_equal(system(cmd), 0);
}

/* A removed index comes back whole from `galen index` alone: the store's
 * marks describe an index that is gone, so the update rebuilds. */
static void test_store_index_rebuilds_missing_index(void **state)
{
    struct fixture *f = *state;
    struct galen_store_index_stats st;
    char before[2048], after[2048];

    assert_int_equal(store_delete(f->t.st, "NINDS_0000303_Sec1", "ed"),
                     GALEN_OK);
    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    live_ids(f, before, sizeof before);
    rm_index(f);
    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_true(st.rebuilt);
    assert_int_equal(st.added, 8);
    live_ids(f, after, sizeof after);
    assert_string_equal(before, after);
    /* The marks now describe the new index: nothing left to do. */
    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(st.total, 0);
    assert_false(st.rebuilt);
}

/* --rebuild replaces a corrupt index, which an update cannot open. */
static void test_store_index_rebuilds_corrupt_index(void **state)
{
    struct fixture *f = *state;
    struct galen_store_index_stats st;
    char path[300], before[2048], after[2048];
    FILE *fp;

    assert_int_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    live_ids(f, before, sizeof before);
    snprintf(path, sizeof path, "%s/MANIFEST", f->index);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("garbage", fp);
    fclose(fp);
    assert_int_not_equal(
        galen_store_index_update(f->t.st, f->index, NULL, NULL, &st), GALEN_OK);
    assert_int_equal(
        galen_store_index_rebuild(f->t.st, f->index, NULL, NULL, &st),
        GALEN_OK);
    assert_true(st.rebuilt);
    live_ids(f, after, sizeof after);
    assert_string_equal(before, after);
    snprintf(path, sizeof path, "%s.old", f->index);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s.rebuild", f->index);
    assert_int_not_equal(access(path, F_OK), 0);
}

/* A failed run says why through the store's message (there is no message
 * field in the stats any more). */
static void test_store_index_failure_message(void **state)
{
    struct fixture *f = *state;
    struct galen_store_index_stats st;
    char bad[4200];

    memset(bad, 'x', sizeof bad - 1);
    bad[0] = '/';
    bad[sizeof bad - 1] = '\0'; /* longer than any path the writer takes */
    assert_int_not_equal(
        galen_store_index_update(f->t.st, bad, NULL, NULL, &st), GALEN_OK);
    assert_true(strncmp(galen_store_errmsg(f->t.st),
                        "cannot open the index writer", 28) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_store_index_builds_answered_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_index_failure_message, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_index_touches_only_changes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_store_index_keeps_decision_made_during_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_index_rebuilds_missing_index,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_index_rebuilds_corrupt_index,
                                        setup, teardown),
    };

    return STORE_RUN_TESTS(tests, NULL, NULL);
}
