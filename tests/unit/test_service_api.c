/* SPDX-License-Identifier: MIT */
/* test_service_api.c: the public service API (galen/service.h, galen/doc.h)
 * as the apps use it: the error model of opens and out-parameters, and the
 * read-only document view with its audit trail. */
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

#include <galen/doc.h>
#include <galen/error.h>
#include <galen/service.h>
#include <galen/store.h>

#include "base/buf.h"
#include "content/doc.h"
#include "content/store.h"
#include "store_test.h"
#include "test_util.h"

struct fixture {
    char dir[TMP_DIR_MAX];
    char path[256];
    struct galen_service *svc;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (!f || galen_auth_init() != GALEN_OK)
        return -1;
    tmp_dir(f->dir);
    test_store_target(f->dir, "store.db", f->path, sizeof f->path);
    if (galen_service_open(f->path, &f->svc) != GALEN_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    galen_service_close(f->svc);
    tmp_rm(f->dir);
    free(f);
    return 0;
}

/* Stores a document with one of everything through the internal store,
 * the way the importers do. */
static void add_full_doc(struct fixture *f)
{
    struct galen_store *st = NULL;
    enum store_upsert_result res;
    struct doc d;
    struct doc_ref *r;
    struct doc_faq *q;
    struct doc_table *t;

    doc_init(&d);
    assert_int_equal(doc_set_cstr(&d.id, "calf-1"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.title, "Calf pain"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.specialty, "vascular"), GALEN_OK);
    d.kind = DOC_KIND_ARTICLE;
    d.audience = DOC_AUDIENCE_CLINICIAN;
    assert_int_equal(doc_add_section(&d, "", "Lead.", 5), GALEN_OK);
    assert_int_equal(doc_add_section(&d, "Causes", "Clots.\n\nCramps.", 15),
                     GALEN_OK);
    assert_int_equal(doc_add_ref(&d, &r), GALEN_OK);
    assert_int_equal(doc_set_cstr(&r->title, "DVT review"), GALEN_OK);
    r->year = 2021;
    assert_int_equal(doc_add_faq(&d, &q), GALEN_OK);
    assert_int_equal(doc_set_cstr(&q->question, "Is it a clot?"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&q->answer, "See a doctor."), GALEN_OK);
    assert_int_equal(doc_add_table(&d, &t), GALEN_OK);
    t->section = 1;
    t->ncols = 1;
    t->nrows = 1;
    t->header = calloc(1, sizeof *t->header);
    t->cells = calloc(1, sizeof *t->cells);
    assert_non_null(t->header);
    assert_non_null(t->cells);
    assert_int_equal(doc_set_cstr(&t->header[0], "Sign"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&t->cells[0], "Swelling"), GALEN_OK);
    assert_int_equal(galen_store_open(f->path, &st), GALEN_OK);
    assert_int_equal(store_upsert(st, &d, "importer", &res), GALEN_OK);
    galen_store_close(st);
    doc_cleanup(&d);
}

static void test_open_failure_clears_out_and_says_why(void **state)
{
    struct galen_service *svc = (struct galen_service *)state; /* not NULL */

    assert_int_not_equal(
        galen_service_open("/nonexistent-galen-dir/x/store.db", &svc),
        GALEN_OK);
    assert_null(svc);
    assert_true(strlen(galen_service_errmsg(NULL)) > 0);
}

static void test_doc_view_has_every_part(void **state)
{
    struct fixture *f = *state;
    const struct galen_doc *d = (const struct galen_doc *)f;
    char *json = (char *)f;

    assert_int_equal(galen_doc_get(f->svc, "nope", &d), GALEN_ENOENT);
    assert_null(d);
    add_full_doc(f);
    assert_int_equal(galen_doc_get(f->svc, "calf-1", &d), GALEN_OK);
    assert_string_equal(d->id, "calf-1");
    assert_string_equal(d->kind, "article");
    assert_string_equal(d->audience, "clinician");
    assert_string_equal(d->title, "Calf pain");
    assert_string_equal(d->specialty, "vascular");
    assert_null(d->source);
    assert_int_equal(d->status, GALEN_DOC_STATUS_SUBMITTED);
    assert_int_equal(d->nsections, 2);
    assert_string_equal(d->sections[0].heading, "");
    assert_string_equal(d->sections[1].text, "Clots.\n\nCramps.");
    assert_int_equal(d->nrefs, 1);
    assert_string_equal(d->refs[0].title, "DVT review");
    assert_int_equal(d->refs[0].year, 2021);
    assert_int_equal(d->nfaq, 1);
    assert_string_equal(d->faq[0].answer, "See a doctor.");
    assert_int_equal(d->ntables, 1);
    assert_int_equal(d->tables[0].section, 1);
    assert_string_equal(d->tables[0].header[0], "Sign");
    assert_string_equal(d->tables[0].cells[0], "Swelling");
    assert_int_equal(galen_doc_to_json(d, &json), GALEN_OK);
    assert_non_null(strstr(json, "\"id\":\"calf-1\""));
    assert_non_null(strstr(json, "\"Swelling\""));
    galen_free_string(json);
    galen_doc_free(d);
    galen_doc_free(NULL);
}

static int event_cb(void *ctx, const struct galen_doc_event *ev)
{
    struct buf *b = ctx;
    int rc = GALEN_OK;

    buf_printf(&rc, b, "%s>%s:%s:%s;", ev->from ? ev->from : "", ev->to,
               ev->who, ev->note ? ev->note : "");
    return rc;
}

static void test_doc_history_and_status_names(void **state)
{
    struct fixture *f = *state;
    struct galen_user ed = {0};
    enum galen_doc_status st = GALEN_DOC_STATUS_COUNT;
    struct buf b;
    int rc = GALEN_OK;

    add_full_doc(f);
    ed.role = GALEN_ROLE_EDITOR;
    snprintf(ed.name, sizeof ed.name, "ed");
    assert_int_equal(galen_review(f->svc, "calf-1", "start", &ed, "looking"),
                     GALEN_OK);
    buf_init(&b, 256);
    assert_int_equal(galen_doc_history(f->svc, "calf-1", event_cb, &b),
                     GALEN_OK);
    buf_put_nul(&rc, &b);
    assert_string_equal((char *)b.data, ">submitted:importer:created;"
                                        "submitted>under_review:ed:looking;");
    buf_cleanup(&b);
    assert_int_equal(galen_doc_status_parse("under_review", &st), GALEN_OK);
    assert_int_equal(st, GALEN_DOC_STATUS_UNDER_REVIEW);
    assert_string_equal(galen_doc_status_name(GALEN_DOC_STATUS_REJECTED),
                        "rejected");
    assert_int_not_equal(galen_doc_status_parse("dancing", &st), GALEN_OK);
    assert_int_equal(st, GALEN_DOC_STATUS_UNDER_REVIEW);
    assert_true(galen_doc_kind_known("guideline"));
    assert_false(galen_doc_kind_known("gossip"));
}

static void test_failed_gets_clear_out(void **state)
{
    struct fixture *f = *state;
    struct galen_question *q = (struct galen_question *)f;
    char *text = (char *)f;

    assert_int_equal(galen_question_get(f->svc, 424242, &q), GALEN_ENOENT);
    assert_null(q);
    assert_int_equal(galen_doc_text(f->svc, "nope", 0, &text), GALEN_ENOENT);
    assert_null(text);
}

/* The data folder's layout has one owner (lib/content/datadir.c). */
static void test_data_paths(void **state)
{
    char out[16];

    (void)state;
    assert_int_equal(galen_data_store_path("/d", out, sizeof out), GALEN_OK);
    assert_string_equal(out, "/d/store.db");
    assert_int_equal(galen_data_index_path("/d", out, sizeof out), GALEN_OK);
    assert_string_equal(out, "/d/index");
    assert_int_equal(galen_data_store_path("/a-long-folder", out, sizeof out),
                     GALEN_EINVAL);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_failure_clears_out_and_says_why),
        cmocka_unit_test(test_data_paths),
        cmocka_unit_test_setup_teardown(test_doc_view_has_every_part, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_doc_history_and_status_names,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_gets_clear_out, setup,
                                        teardown),
    };

    return STORE_RUN_TESTS(tests, NULL, NULL);
}
