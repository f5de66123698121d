/* SPDX-License-Identifier: MIT */
/* test_store.c: the content store, on SQLite and PostgreSQL: schema and
 * migrations from an older version, upsert round trips, idempotence, versions,
 * review events, deletes and the index change log, the statement cache,
 * transactions, and the document model's hash and validation. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <galen/error.h>
#include <galen/store.h>

#include "content/store.h"
#include "import_test.h"

static int setup(void **state)
{
    struct tmp_store *f = calloc(1, sizeof *f);

    if (!f || !tmp_store_open(f))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct tmp_store *f = *state;

    tmp_store_close(f);
    free(f);
    return 0;
}

/* A document using every part of the content model. */
static void full_doc(struct doc *d, const char *id)
{
    struct doc_ref *r;
    struct doc_faq *q;
    struct doc_table *t;

    doc_init(d);
    assert_int_equal(doc_set_cstr(&d->id, id), GALEN_OK);
    d->kind = DOC_KIND_GUIDELINE;
    d->audience = DOC_AUDIENCE_CLINICIAN;
    d->evidence = DOC_EVIDENCE_RCT;
    d->status = DOC_STATUS_UNDER_REVIEW;
    assert_int_equal(doc_set_cstr(&d->title, "Cramps \"quoted\"\n"), 0);
    assert_int_equal(doc_meta_set(d, "language", "English"), GALEN_OK);
    assert_int_equal(doc_meta_set(d, "groups", "A; B"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d->source, "Test Society"), 0);
    assert_int_equal(doc_set_cstr(&d->date, "2026-01-02"), 0);
    assert_int_equal(doc_set_cstr(&d->pmid, "123"), 0);
    assert_int_equal(doc_set_cstr(&d->age_band, "40-49"), 0);
    assert_int_equal(doc_strlist_add(&d->focus, "calf", 4), 0);
    assert_int_equal(doc_strlist_add(&d->synonyms, "charley horse", 13), 0);
    assert_int_equal(doc_strlist_add(&d->cuis, "C0000001", 8), 0);
    assert_int_equal(doc_add_section(d, "", "Lead.", 5), 0);
    assert_int_equal(doc_add_section(d, "Causes", "Many \xc3\xa9.", 8), 0);
    assert_int_equal(doc_add_ref(d, &r), 0);
    assert_int_equal(doc_set_cstr(&r->title, "A trial"), 0);
    assert_int_equal(doc_set_cstr(&r->doi, "10.1/x"), 0);
    r->year = 2010;
    assert_int_equal(doc_add_faq(d, &q), 0);
    assert_int_equal(doc_set_cstr(&q->question, "Why?"), 0);
    assert_int_equal(doc_set_cstr(&q->answer, "Because."), 0);
    assert_int_equal(doc_add_table(d, &t), 0);
    t->section = 1;
    t->ncols = 2;
    t->nrows = 1;
    t->header = galen_calloc(2, sizeof *t->header);
    t->cells = galen_calloc(2, sizeof *t->cells);
    t->header[0] = galen_strdup("a");
    t->header[1] = galen_strdup("b");
    t->cells[0] = galen_strdup("1");
    t->cells[1] = galen_strdup("2");
}

static char *json_of(const struct doc *d)
{
    char *j = NULL;

    assert_int_equal(doc_to_json(d, &j), GALEN_OK);
    return j;
}

static void test_store_schema(void **state)
{
    struct tmp_store *f = *state;
    static const char *const tables[] = {
        "documents",     "sections", "doc_refs",     "doc_versions",
        "review_events", "users",    "sessions",     "patient_questions",
        "replies",       "comments", "index_deletes"};
    struct db_stmt *s;
    size_t i;

    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
    for (i = 0; i < ARRAY_SIZE(tables); i++) {
        assert_int_equal(
            store_stmt(f->st,
                       test_pg
                           ? "SELECT count(*) FROM information_schema.tables"
                             " WHERE table_schema=current_schema()"
                             " AND table_name=?1"
                           : "SELECT count(*) FROM sqlite_master"
                             " WHERE type='table' AND name=?1",
                       &s),
            GALEN_OK);
        db_bind_text(s, 1, tables[i], -1);
        assert_int_equal(db_step(s), DB_ROW);
        assert_int_equal(db_col_int(s, 0), 1);
        db_reset(s);
    }
    if (!test_pg) {
        assert_int_equal(store_stmt(f->st, "PRAGMA journal_mode", &s),
                         GALEN_OK);
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_col_text(s, 0), "wal");
        db_reset(s);
        assert_int_equal(store_stmt(f->st, "PRAGMA foreign_keys", &s),
                         GALEN_OK);
        assert_int_equal(db_step(s), DB_ROW);
        assert_int_equal(db_col_int(s, 0), 1);
        db_reset(s);
    }
    assert_int_equal(galen_store_check(f->st), GALEN_OK);
}

static void test_store_migrates_from_version_1(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct galen_store_counts n;
    struct galen_store *old;
    struct doc d, *got = NULL;
    char path[256];

    test_store_target(f->dir, "old.db", path, sizeof path);
    assert_int_equal(store_open_version(path, 1, &old), GALEN_OK);
    assert_int_equal(store_schema_version(old), 1);
    /* A document as version 1 stored it: today's upsert writes columns
     * later versions added, so it is written in version 1's own terms. */
    assert_int_equal(
        store_exec(old, "INSERT INTO documents(id,kind,title,content_hash,"
                        "created_at,updated_at) VALUES('old-doc','article',"
                        "'Old','00','2020-01-01T00:00:00Z',"
                        "'2020-01-01T00:00:00Z');"
                        "INSERT INTO sections VALUES(1,0,'','Lead.'),"
                        "(1,1,'Causes','Text.');"),
        GALEN_OK);
    galen_store_close(old);
    assert_int_equal(galen_store_open(path, &old), GALEN_OK);
    assert_int_equal(store_schema_version(old), STORE_SCHEMA_VERSION);
    assert_int_equal(store_get(old, "old-doc", &got), GALEN_OK);
    assert_string_equal(got->sections[1].heading, "Causes");
    assert_int_equal(got->meta.n, 0);
    full_doc(&d, "new-doc");
    assert_int_equal(store_upsert(old, &d, "test", &res), GALEN_OK);
    assert_int_equal(galen_store_counts(old, &n), GALEN_OK);
    assert_int_equal(n.docs, 2);
    assert_int_equal(n.unindexed, 2); /* never indexed */
    assert_int_equal(galen_store_check(old), GALEN_OK);
    doc_free(got);
    doc_cleanup(&d);
    galen_store_close(old);
    if (!test_pg)
        unlink(path);
}

static void test_store_rejects_newer_schema(void **state)
{
    struct tmp_store *f = *state;
    struct galen_store *st = NULL;

    assert_int_equal(db_version_set(store_db(f->st), 99), GALEN_OK);
    assert_int_equal(galen_store_open(f->path, &st), GALEN_EVERSION);
    assert_null(st);
    assert_non_null(strstr(galen_store_errmsg(NULL), "newer"));
}

static void test_store_upsert_roundtrip(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct doc d, *got = NULL;
    char *a, *b;

    full_doc(&d, "doc-1");
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    assert_int_equal(res, STORE_INSERTED);
    assert_int_equal(store_get(f->st, "doc-1", &got), GALEN_OK);
    a = json_of(&d);
    b = json_of(got);
    assert_string_equal(a, b);
    galen_free(a);
    galen_free(b);
    doc_free(got);
    doc_cleanup(&d);
    assert_int_equal(store_get(f->st, "nope", &got), GALEN_ENOENT);
}

static void test_store_upsert_is_idempotent(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct galen_store_counts n;
    enum doc_status status;
    int64_t version;
    struct doc d;

    full_doc(&d, "doc-2");
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    assert_int_equal(res, STORE_UNCHANGED);
    /* The status is not content: a different one alone changes nothing. */
    d.status = DOC_STATUS_APPROVED;
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    assert_int_equal(res, STORE_UNCHANGED);
    assert_int_equal(store_doc_version(f->st, "doc-2", &version, &status),
                     GALEN_OK);
    assert_int_equal(version, 1);
    assert_int_equal(status, DOC_STATUS_UNDER_REVIEW);
    assert_int_equal(galen_store_counts(f->st, &n), GALEN_OK);
    assert_int_equal(n.docs, 1);
    assert_int_equal(n.versions, 0);
    doc_cleanup(&d);
}

static void test_store_change_keeps_previous_version(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct galen_store_counts n;
    enum doc_status status;
    int64_t version;
    struct doc d;
    char *before, *snap = NULL;

    full_doc(&d, "doc-3");
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    assert_int_equal(
        store_exec(f->st, "UPDATE documents SET indexed_hash = content_hash"),
        GALEN_OK);
    before = json_of(&d);
    assert_int_equal(doc_set_cstr(&d.sections[1].text, "Changed."), 0);
    d.status = DOC_STATUS_SUBMITTED;
    assert_int_equal(store_upsert(f->st, &d, "editor", &res), GALEN_OK);
    assert_int_equal(res, STORE_UPDATED);
    assert_int_equal(store_doc_version(f->st, "doc-3", &version, &status),
                     GALEN_OK);
    assert_int_equal(version, 2);
    assert_int_equal(status, DOC_STATUS_SUBMITTED);
    assert_int_equal(store_get_version(f->st, "doc-3", 1, &snap), GALEN_OK);
    assert_string_equal(snap, before);
    assert_int_equal(store_get_version(f->st, "doc-3", 2, &snap), GALEN_ENOENT);
    assert_int_equal(galen_store_counts(f->st, &n), GALEN_OK);
    assert_int_equal(n.versions, 1);
    assert_int_equal(n.unindexed, 1); /* marked for re-indexing */
    galen_free(before);
    galen_free(snap);
    doc_cleanup(&d);
}

struct events {
    int n;
    char line[4][128];
};

static int on_event(void *ctx, const struct store_event *ev)
{
    struct events *e = ctx;

    if (e->n < 4)
        snprintf(e->line[e->n], sizeof e->line[0], "%s>%s by %s v%lld: %s",
                 ev->from ? ev->from : "-", ev->to, ev->who,
                 (long long)ev->version, ev->note ? ev->note : "");
    e->n++;
    return 0;
}

static void test_store_review_events(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct events e = {0, {{0}}};
    enum doc_status status;
    int64_t version;
    struct doc d;

    full_doc(&d, "doc-4");
    d.status = DOC_STATUS_SUBMITTED;
    assert_int_equal(store_upsert(f->st, &d, "import", &res), GALEN_OK);
    assert_int_equal(store_set_status(f->st, "doc-4", DOC_STATUS_UNDER_REVIEW,
                                      "ed", "looking"),
                     GALEN_OK);
    assert_int_equal(
        store_set_status(f->st, "doc-4", DOC_STATUS_APPROVED, "ed", "fine"),
        GALEN_OK);
    /* Setting the same status again records nothing. */
    assert_int_equal(
        store_set_status(f->st, "doc-4", DOC_STATUS_APPROVED, "ed", NULL),
        GALEN_OK);
    assert_int_equal(store_history(f->st, "doc-4", on_event, &e), GALEN_OK);
    assert_int_equal(e.n, 3);
    assert_string_equal(e.line[0], "->submitted by import v1: created");
    assert_string_equal(e.line[1], "submitted>under_review by ed v1: looking");
    assert_string_equal(e.line[2], "under_review>approved by ed v1: fine");
    assert_int_equal(store_doc_version(f->st, "doc-4", &version, &status),
                     GALEN_OK);
    assert_int_equal(status, DOC_STATUS_APPROVED);
    assert_int_equal(
        store_set_status(f->st, "nope", DOC_STATUS_APPROVED, "ed", NULL),
        GALEN_ENOENT);
    doc_cleanup(&d);
}

static void test_store_delete_queues_index_removal(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct galen_store_counts n;
    struct doc d, *got = NULL;
    char *snap = NULL;

    full_doc(&d, "doc-5");
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    assert_int_equal(
        store_exec(f->st, "UPDATE documents SET indexed_hash = content_hash"),
        GALEN_OK);
    assert_int_equal(store_delete(f->st, "doc-5", "ed"), GALEN_OK);
    assert_int_equal(store_get(f->st, "doc-5", &got), GALEN_ENOENT);
    assert_int_equal(store_get_version(f->st, "doc-5", 1, &snap), GALEN_OK);
    assert_int_equal(galen_store_counts(f->st, &n), GALEN_OK);
    assert_int_equal(n.docs, 0);
    assert_int_equal(n.deleted, 1);
    assert_int_equal(store_delete(f->st, "doc-5", "ed"), GALEN_ENOENT);
    assert_int_equal(galen_store_check(f->st), GALEN_OK);
    galen_free(snap);
    doc_cleanup(&d);
}

static void test_store_statement_cache(void **state)
{
    struct tmp_store *f = *state;
    struct db_stmt *a, *b;
    char sql[64];

    assert_int_equal(store_stmt(f->st, "SELECT 1", &a), GALEN_OK);
    snprintf(sql, sizeof sql, "SELECT %d", 1); /* same text, other buffer */
    assert_int_equal(store_stmt(f->st, sql, &b), GALEN_OK);
    assert_ptr_equal(a, b);
    assert_int_equal(store_stmt(f->st, "SELECT 2", &b), GALEN_OK);
    assert_ptr_not_equal(a, b);
    assert_int_equal(store_stmt(f->st, "SELEKT nonsense", &b), GALEN_EDB);
    assert_non_null(strstr(galen_store_errmsg(f->st), "syntax error"));
}

static void test_store_transactions(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct galen_store_counts n;
    struct doc d;

    full_doc(&d, "doc-6");
    assert_int_equal(store_begin(f->st), GALEN_OK);
    assert_int_equal(store_begin(f->st), GALEN_ESTATE);
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    store_rollback(f->st);
    assert_int_equal(galen_store_counts(f->st, &n), GALEN_OK);
    assert_int_equal(n.docs, 0);
    assert_int_equal(store_begin(f->st), GALEN_OK);
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    assert_int_equal(store_commit(f->st), GALEN_OK);
    assert_int_equal(galen_store_counts(f->st, &n), GALEN_OK);
    assert_int_equal(n.docs, 1);
    doc_cleanup(&d);
    /* After a failure SQLite may have rolled back already (a full disk
     * does); the rollback that follows keeps the failure's message rather
     * than "cannot rollback - no transaction is active" (issue 10). */
    assert_int_equal(store_begin(f->st), GALEN_OK);
    assert_int_equal(
        store_stmt(f->st, "SELEKT nonsense", &(struct db_stmt *){0}),
        GALEN_EDB);
    assert_int_equal(store_exec(f->st, "ROLLBACK"), GALEN_OK);
    store_rollback(f->st);
    assert_non_null(strstr(galen_store_errmsg(f->st), "syntax error"));
}

static void test_store_rejects_invalid_documents(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct doc d;

    full_doc(&d, "bad id");
    assert_int_equal(store_upsert(f->st, &d, "t", &res), GALEN_EPARSE);
    assert_int_equal(doc_set_cstr(&d.id, "ok"), 0);
    assert_int_equal(doc_set_cstr(&d.title, ""), 0);
    assert_int_equal(store_upsert(f->st, &d, "t", &res), GALEN_EPARSE);
    assert_int_equal(doc_set_cstr(&d.title, "bad \xc0\x80 utf8"), 0);
    assert_int_equal(store_upsert(f->st, &d, "t", &res), GALEN_EPARSE);
    assert_non_null(strstr(galen_store_errmsg(f->st), "UTF-8"));
    doc_cleanup(&d);
}

static void test_store_hash_covers_content(void **state)
{
    char h1[DOC_HASH_HEX], h2[DOC_HASH_HEX];
    struct doc d;

    (void)state;
    full_doc(&d, "h");
    doc_hash(&d, h1);
    d.status = DOC_STATUS_REJECTED;
    doc_hash(&d, h2);
    assert_string_equal(h1, h2);
    d.tables[0].cells[1][0] = '3';
    doc_hash(&d, h2);
    assert_string_not_equal(h1, h2);
    d.tables[0].cells[1][0] = '2';
    d.has_answer = false;
    doc_hash(&d, h2);
    assert_string_not_equal(h1, h2);
    doc_cleanup(&d);
}

static void test_store_get_survives_allocation_failures(void **state)
{
    struct tmp_store *f = *state;
    enum store_upsert_result res;
    struct doc d, *got;
    long i;
    int rc = GALEN_ENOMEM;

    full_doc(&d, "doc-7");
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    for (i = 0; rc != GALEN_OK && i < 1000; i++) {
        got = NULL;
        mem_fail_after(i);
        rc = store_get(f->st, "doc-7", &got);
        mem_fail_after(-1);
        assert_true(rc == GALEN_OK || rc == GALEN_ENOMEM);
        if (rc != GALEN_OK)
            assert_null(got);
        doc_free(got);
    }
    assert_int_equal(rc, GALEN_OK);
    doc_cleanup(&d);
}

/* A broken connection (a server restart, a failover) heals outside a
 * transaction; inside one, statements fail until the rollback, so no half
 * of it runs in autocommit. PostgreSQL only (skipped on SQLite). */
static void test_store_reconnects(void **state)
{
    struct tmp_store *f = *state;
    static const char kill[] = "SELECT pg_terminate_backend(pg_backend_pid())";
    enum store_upsert_result res;
    struct galen_store_counts n;
    struct doc d, *got = NULL;

    if (!test_pg)
        skip();
    full_doc(&d, "doc-8");
    assert_int_equal(store_upsert(f->st, &d, "test", &res), GALEN_OK);
    assert_int_not_equal(store_exec(f->st, kill), GALEN_OK);
    /* The statement that finds the connection gone fails (it may have
     * run: no retry); the next one reconnects. */
    if (store_get(f->st, "doc-8", &got) != GALEN_OK)
        assert_int_equal(store_get(f->st, "doc-8", &got), GALEN_OK);
    doc_free(got);
    assert_int_equal(store_begin(f->st), GALEN_OK);
    assert_int_equal(store_delete(f->st, "doc-8", "ed"), GALEN_OK);
    assert_int_not_equal(store_exec(f->st, kill), GALEN_OK);
    assert_int_not_equal(
        store_set_status(f->st, "doc-8", DOC_STATUS_APPROVED, "ed", NULL),
        GALEN_OK);
    store_rollback(f->st);
    assert_int_equal(galen_store_counts(f->st, &n), GALEN_OK);
    assert_int_equal(n.docs, 1); /* the delete went with the transaction */
    doc_cleanup(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_store_schema),
        T(test_store_migrates_from_version_1),
        T(test_store_rejects_newer_schema),
        T(test_store_upsert_roundtrip),
        T(test_store_upsert_is_idempotent),
        T(test_store_change_keeps_previous_version),
        T(test_store_review_events),
        T(test_store_delete_queues_index_removal),
        T(test_store_statement_cache),
        T(test_store_transactions),
        T(test_store_rejects_invalid_documents),
        cmocka_unit_test(test_store_hash_covers_content),
        T(test_store_get_survives_allocation_failures),
        T(test_store_reconnects),
#undef T
    };

    return STORE_RUN_TESTS(tests, NULL, NULL);
}
