/* SPDX-License-Identifier: MIT */
/* test_service.c: users and sessions, questions and replies, comments and
 * moderation, the review workflow and version diffs, on a temporary store. */
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

#include "base/mem.h"
#include "content/doc.h"
#include "content/store.h"
#include "service/service.h"
#include "store_test.h"
#include "test_util.h"

struct fixture {
    char dir[TMP_DIR_MAX];
    char path[256];
    struct galen_service *svc;
};

static const long long T0 = 1700000000;

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (!f || auth_init() != GALEN_OK)
        return -1;
    tmp_dir(f->dir);
    test_store_target(f->dir, "store.db", f->path, sizeof f->path);
    if (service_open(f->path, &f->svc) != GALEN_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    service_close(f->svc);
    tmp_rm(f->dir);
    free(f);
    return 0;
}

static void add_doc(struct galen_service *svc, const char *id, const char *text)
{
    struct doc d;
    enum store_upsert_result res;

    doc_init(&d);
    assert_int_equal(doc_set_cstr(&d.id, id), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.title, "Leg cramps"), GALEN_OK);
    d.kind = DOC_KIND_ARTICLE;
    assert_int_equal(doc_add_section(&d, "Causes", text, strlen(text)),
                     GALEN_OK);
    assert_int_equal(store_upsert(service_store(svc), &d, "importer", &res),
                     GALEN_OK);
    doc_cleanup(&d);
}

static void test_service_user_add_checks_input(void **state)
{
    struct fixture *f = *state;
    long long id = 0;

    assert_int_equal(service_user_add(f->svc, "neuro1", "password one",
                                      GALEN_ROLE_SPECIALIST, "neurology", T0,
                                      &id),
                     GALEN_OK);
    assert_true(id > 0);
    assert_int_equal(service_user_add(f->svc, "NEURO1", "password two",
                                      GALEN_ROLE_PATIENT, NULL, T0, NULL),
                     GALEN_EEXIST);
    assert_int_equal(service_user_add(f->svc, "x", "password two",
                                      GALEN_ROLE_PATIENT, NULL, T0, NULL),
                     GALEN_EINVAL);
    assert_int_equal(service_user_add(f->svc, "spec2", "password two",
                                      GALEN_ROLE_SPECIALIST, NULL, T0, NULL),
                     GALEN_EINVAL);
    assert_int_equal(service_user_add(f->svc, "pat<1>", "password two",
                                      GALEN_ROLE_PATIENT, NULL, T0, NULL),
                     GALEN_EINVAL);
}

/* Runs after test_service_user_add_checks_input, which adds neuro1. */
static void test_service_logins_and_sessions(void **state)
{
    struct fixture *f = *state;
    struct galen_user u;
    char tok[GALEN_TOKEN_LEN + 1];
    long long id;

    assert_int_equal(service_user_login(f->svc, "neuro1", "wrong pass", &u),
                     GALEN_EPERM);
    assert_int_equal(service_user_login(f->svc, "nobody", "password one", &u),
                     GALEN_EPERM);
    assert_int_equal(service_user_login(f->svc, "neuro1", "password one", &u),
                     GALEN_OK);
    assert_int_equal(u.role, GALEN_ROLE_SPECIALIST);
    assert_string_equal(u.specialty, "Neurology");
    id = u.id;
    assert_int_equal(service_session_new(f->svc, u.id, T0, 3600, tok),
                     GALEN_OK);
    memset(&u, 0, sizeof u);
    assert_int_equal(service_session_get(f->svc, tok, T0 + 10, &u), GALEN_OK);
    assert_string_equal(u.name, "neuro1");
    assert_int_equal(service_session_get(f->svc, tok, T0 + 3601, &u),
                     GALEN_ENOENT);
    assert_int_equal(service_session_get(f->svc, "bogus", T0, &u),
                     GALEN_ENOENT);
    /* Disabling ends the session and refuses logins. */
    assert_int_equal(service_user_set_disabled(f->svc, id, true), GALEN_OK);
    assert_int_equal(service_session_get(f->svc, tok, T0 + 10, &u),
                     GALEN_ENOENT);
    assert_int_equal(service_user_login(f->svc, "neuro1", "password one", &u),
                     GALEN_EPERM);
    assert_int_equal(service_user_set_disabled(f->svc, 9999, true),
                     GALEN_ENOENT);
    assert_int_equal(service_user_set_disabled(f->svc, id, false), GALEN_OK);
    assert_int_equal(service_session_end(f->svc, tok), GALEN_OK);
}

/* A logged-in specialist (user 1) in specialty. */
static struct galen_user specialist(const char *specialty)
{
    struct galen_user u = {0};

    u.id = 1;
    u.role = GALEN_ROLE_SPECIALIST;
    snprintf(u.specialty, sizeof u.specialty, "%s", specialty);
    return u;
}

static void test_service_questions_and_replies(void **state)
{
    struct fixture *f = *state;
    struct galen_question_in in = {"Leg cramps?",
                                   "My calf cramps at night.",
                                   "40-49",
                                   "Female",
                                   NULL,
                                   0,
                                   T0,
                                   false,
                                   NULL};
    struct galen_user neuro = specialist("Neurology");
    struct galen_user ortho = specialist("Orthopedics");
    struct galen_question *q = NULL;
    long long qid = 0;
    long long qid2 = 0;

    assert_int_equal(service_question_add(f->svc, &in, &qid), GALEN_OK);
    in.specialty = "Neurology";
    assert_int_equal(service_question_add(f->svc, &in, &qid2), GALEN_OK);
    in.age_band = "forty";
    assert_int_equal(service_question_add(f->svc, &in, NULL), GALEN_EINVAL);
    in.age_band = NULL;
    in.body = "   ";
    assert_int_equal(service_question_add(f->svc, &in, NULL), GALEN_EINVAL);
    in.body = "bad \x01 byte";
    assert_int_equal(service_question_add(f->svc, &in, NULL), GALEN_EINVAL);
    /* A question for neurology refuses an orthopedist's reply. */
    assert_int_equal(
        service_reply_add(f->svc, qid2, &ortho, "See me.", T0, NULL),
        GALEN_EPERM);
    assert_int_equal(service_reply_add(f->svc, qid, &ortho, "", T0, NULL),
                     GALEN_EINVAL);
    assert_int_equal(service_reply_add(f->svc, 777, &ortho, "x", T0, NULL),
                     GALEN_ENOENT);
    assert_int_equal(service_reply_add(f->svc, qid2, &neuro,
                                       "<script>L5</script>", T0 + 60, NULL),
                     GALEN_OK);
    assert_int_equal(service_question_get(f->svc, qid2, &q), GALEN_OK);
    assert_true(q->answered);
    assert_string_equal(q->sex, "female");
    assert_string_equal(q->age_band, "40-49");
    assert_int_equal(q->nreplies, 1);
    assert_string_equal(q->replies[0].body, "<script>L5</script>");
    assert_string_equal(q->replies[0].specialty, "Neurology");
    assert_string_equal(q->replies[0].replied_at, "2023-11-14T22:14:20Z");
    service_question_free(q);
    q = NULL;
    assert_int_equal(service_question_get(f->svc, 4242, &q), GALEN_ENOENT);
    assert_null(q);
}

static int count_cb(void *ctx, const struct galen_question *q)
{
    UNUSED(q);
    (*(int *)ctx)++;
    return 0;
}

static void test_service_question_lists(void **state)
{
    struct fixture *f = *state;
    struct galen_question_in in = {"Q", "Body", NULL, NULL, NULL,
                                   0,   T0,     true, NULL};
    struct galen_user spec = {0};
    int before = 0;
    int open = 0;
    int answered = 0;
    long long id = 0;
    int i;

    spec.id = 1;
    spec.role = GALEN_ROLE_SPECIALIST;
    snprintf(spec.specialty, sizeof spec.specialty, "Rehabilitation");
    assert_int_equal(service_questions(f->svc, true, 100, 0, count_cb, &before),
                     GALEN_OK);
    for (i = 0; i < 5; i++)
        assert_int_equal(service_question_add(f->svc, &in, &id), GALEN_OK);
    assert_int_equal(service_questions(f->svc, false, 3, 0, count_cb, &open),
                     GALEN_OK);
    assert_int_equal(open, 3);
    assert_int_equal(service_reply_add(f->svc, id, &spec, "Stretch.", T0, NULL),
                     GALEN_OK);
    assert_int_equal(
        service_questions(f->svc, true, 100, 0, count_cb, &answered), GALEN_OK);
    assert_int_equal(answered, before + 1);
}

/* The privacy model of docs/api.md: who reads an open or answered
 * question, the asker's secret link, lists that show only what their
 * reader may see, and the asker's name read back (it used to come from a
 * column the query did not select, so every asker was "Anonymous"). */
static void test_service_question_privacy(void **state)
{
    struct fixture *f = *state;
    struct galen_question_in in = {
        "HIV", "I tested positive.", "30-39", NULL, "Cardiology", 0, T0, false,
        NULL};
    struct galen_user anon = {0};
    struct galen_user asker = {0};
    struct galen_user other = {0};
    struct galen_user id_spec = specialist("Cardiology");
    struct galen_user neuro = specialist("Neurology");
    struct galen_user ed = {0};
    struct galen_question *q = NULL;
    char link[GALEN_TOKEN_LEN + 1] = "";
    char other_link[GALEN_TOKEN_LEN + 1] = "";
    long long id = 0;
    long long id2 = 0;
    int n0 = 0;
    int neuro0 = 0;
    int pub0 = 0;
    int n = 0;

    anon.role = GALEN_ROLE_ANON;
    assert_int_equal(
        service_questions_queue(f->svc, "Neurology", 100, 0, count_cb, &neuro0),
        GALEN_OK);
    assert_int_equal(
        service_questions_queue(f->svc, "Cardiology", 100, 0, count_cb, &n0),
        GALEN_OK);
    assert_int_equal(service_questions(f->svc, true, 100, 0, count_cb, &pub0),
                     GALEN_OK);
    assert_int_equal(service_user_add(f->svc, "pat7", "password-77",
                                      GALEN_ROLE_PATIENT, NULL, T0, &asker.id),
                     GALEN_OK);
    asker.role = other.role = GALEN_ROLE_PATIENT;
    other.id = asker.id + 1000;
    ed.role = GALEN_ROLE_EDITOR;
    in.user_id = asker.id;
    in.link = link;
    assert_int_equal(service_question_add(f->svc, &in, &id), GALEN_OK);
    assert_true(auth_token_ok(link));
    in.link = other_link;
    in.user_id = 0;
    assert_int_equal(service_question_add(f->svc, &in, &id2), GALEN_OK);
    assert_int_equal(service_question_get(f->svc, id, &q), GALEN_OK);
    assert_string_equal(q->asker, "pat7");
    assert_false(service_question_visible(q, &anon, NULL));
    assert_false(service_question_visible(q, &other, NULL));
    assert_false(service_question_visible(q, &neuro, NULL));
    assert_false(service_question_visible(q, &anon, other_link));
    assert_false(service_question_visible(q, &anon, "not-a-token"));
    assert_true(service_question_visible(q, &anon, link));
    assert_true(service_question_visible(q, &asker, NULL));
    assert_true(service_question_visible(q, &id_spec, NULL));
    assert_true(service_question_visible(q, &ed, NULL));
    assert_false(service_question_shows_asker(q, &anon));
    assert_true(service_question_shows_asker(q, &asker));
    service_question_free(q);
    /* The neurologist's queue does not hold it; the specialist's does. */
    assert_int_equal(
        service_questions_queue(f->svc, "Neurology", 100, 0, count_cb, &n),
        GALEN_OK);
    assert_int_equal(n, neuro0);
    n = 0;
    assert_int_equal(
        service_questions_queue(f->svc, "Cardiology", 100, 0, count_cb, &n),
        GALEN_OK);
    assert_int_equal(n, n0 + 2);
    /* Answered without consent: still private, and not in the archive. */
    assert_int_equal(
        service_reply_add(f->svc, id, &id_spec, "Treatable.", T0, NULL),
        GALEN_OK);
    assert_int_equal(service_question_get(f->svc, id, &q), GALEN_OK);
    assert_true(q->answered);
    assert_false(service_question_visible(q, &anon, NULL));
    service_question_free(q);
    n = 0;
    assert_int_equal(service_questions(f->svc, true, 100, 0, count_cb, &n),
                     GALEN_OK);
    assert_int_equal(n, pub0);
    /* With consent it becomes public once answered, not before. */
    in.publish = true;
    in.link = NULL;
    assert_int_equal(service_question_add(f->svc, &in, &id), GALEN_OK);
    assert_int_equal(service_question_get(f->svc, id, &q), GALEN_OK);
    assert_false(service_question_visible(q, &anon, NULL));
    service_question_free(q);
    assert_int_equal(
        service_reply_add(f->svc, id, &id_spec, "Treatable.", T0, NULL),
        GALEN_OK);
    assert_int_equal(service_question_get(f->svc, id, &q), GALEN_OK);
    assert_true(service_question_visible(q, &anon, NULL));
    service_question_free(q);
    n = 0;
    assert_int_equal(service_questions(f->svc, true, 100, 0, count_cb, &n),
                     GALEN_OK);
    assert_int_equal(n, pub0 + 1);
}

static int comment_cb(void *ctx, const struct galen_comment *c)
{
    long long *last = ctx;

    *last = c->id;
    return 0;
}

static void test_service_comments_moderation(void **state)
{
    struct fixture *f = *state;
    long long id = 0;
    long long seen = 0;

    add_doc(f->svc, "art-1", "Cramps are common.");
    assert_int_equal(
        service_comment_add(f->svc, "art-1", "", "Nice <b>", 0, T0, &id),
        GALEN_OK);
    assert_int_equal(
        service_comment_add(f->svc, "missing", "A", "x", 0, T0, NULL),
        GALEN_ENOENT);
    assert_int_equal(service_comments(f->svc, "art-1", GALEN_COMMENT_APPROVED,
                                      comment_cb, &seen),
                     GALEN_OK);
    assert_int_equal(seen, 0);
    assert_int_equal(service_comments(f->svc, NULL, GALEN_COMMENT_PENDING,
                                      comment_cb, &seen),
                     GALEN_OK);
    assert_int_equal(seen, id);
    assert_int_equal(service_comment_moderate(f->svc, id, true), GALEN_OK);
    assert_int_equal(service_comment_moderate(f->svc, id, false), GALEN_ESTATE);
    assert_int_equal(service_comment_moderate(f->svc, 999, true), GALEN_ENOENT);
    seen = 0;
    assert_int_equal(service_comments(f->svc, "art-1", GALEN_COMMENT_APPROVED,
                                      comment_cb, &seen),
                     GALEN_OK);
    assert_int_equal(seen, id);
}

static int event_cb(void *ctx, const struct store_event *ev)
{
    struct buf *b = ctx;
    int rc = GALEN_OK;

    buf_printf(&rc, b, "%s>%s:%s:%s;", ev->from ? ev->from : "-", ev->to,
               ev->who, ev->note ? ev->note : "");
    return rc;
}

static void add_doc_from(struct galen_service *svc, const char *id,
                         const char *source)
{
    struct doc d;
    enum store_upsert_result res;

    doc_init(&d);
    assert_int_equal(doc_set_cstr(&d.id, id), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.title, id), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.source, source), GALEN_OK);
    assert_int_equal(doc_add_section(&d, "", "Text.", 5), GALEN_OK);
    assert_int_equal(store_upsert(service_store(svc), &d, "importer", &res),
                     GALEN_OK);
    doc_cleanup(&d);
}

static int source_cb(void *ctx, const struct galen_source_queue *q)
{
    struct buf *b = ctx;
    int rc = GALEN_OK;

    buf_printf(&rc, b, "%s:%lld/%lld;", q->source, q->submitted,
               q->under_review);
    return rc;
}

static void expect_sources(struct galen_service *svc, const char *want)
{
    struct buf b;
    int rc = GALEN_OK;

    buf_init(&b, 4096);
    assert_int_equal(service_review_sources(svc, source_cb, &b), GALEN_OK);
    buf_put_nul(&rc, &b);
    assert_string_equal((char *)b.data, want);
    buf_cleanup(&b);
}

static void test_service_review_by_source(void **state)
{
    struct fixture *f = *state;
    struct galen_user ed = {0}, ed2 = {0}, spec = {0};
    struct galen_review_bulk r;
    struct buf b;
    int rc = GALEN_OK;

    ed.role = ed2.role = GALEN_ROLE_EDITOR;
    snprintf(ed.name, sizeof ed.name, "ed");
    snprintf(ed2.name, sizeof ed2.name, "ed2");
    spec.role = GALEN_ROLE_SPECIALIST;
    add_doc_from(f->svc, "s1-a", "S1");
    add_doc_from(f->svc, "s1-b", "S1");
    add_doc_from(f->svc, "s1-c", "S1");
    add_doc_from(f->svc, "s2-a", "S2");
    expect_sources(f->svc, "S1:3/0;S2:1/0;");
    assert_int_equal(service_review(f->svc, "s1-c", "start", &ed2, NULL),
                     GALEN_OK);
    assert_int_equal(
        service_review_source(f->svc, "S1", "start", &spec, NULL, -1, &r),
        GALEN_EPERM);
    assert_int_equal(
        service_review_source(f->svc, "S1", "reject", &ed, "x", -1, &r),
        GALEN_EINVAL);
    assert_int_equal(
        service_review_source(f->svc, "S1", "start", &ed, NULL, -1, &r),
        GALEN_OK);
    assert_int_equal(r.done, 2);
    assert_int_equal(r.not_ready, 1);
    expect_sources(f->svc, "S1:0/3;S2:1/0;");
    /* ed started a and b: four-eyes leaves them to another editor. */
    assert_int_equal(
        service_review_source(f->svc, "S1", "approve", &ed, "ok", 3, &r),
        GALEN_OK);
    assert_int_equal(r.done, 1);
    assert_int_equal(r.own, 2);
    /* The count the editor saw is stale now: nothing happens. */
    assert_int_equal(
        service_review_source(f->svc, "S1", "approve", &ed2, NULL, 3, &r),
        GALEN_ESTATE);
    assert_int_equal(r.done, 0);
    assert_int_equal(
        service_review_source(f->svc, "S1", "approve", &ed2, NULL, 2, &r),
        GALEN_OK);
    assert_int_equal(r.done, 2);
    expect_sources(f->svc, "S2:1/0;");
    buf_init(&b, 4096);
    assert_int_equal(store_history(service_store(f->svc), "s1-a", event_cb, &b),
                     GALEN_OK);
    buf_put_nul(&rc, &b);
    assert_string_equal((char *)b.data, "->submitted:importer:created;"
                                        "submitted>under_review:ed:;"
                                        "under_review>approved:ed2:;");
    buf_cleanup(&b);
}

static void test_service_review_workflow(void **state)
{
    struct fixture *f = *state;
    struct galen_user ed = {0};
    struct galen_user ed2 = {0};
    struct galen_user spec = {0};
    struct buf b;
    int rc = GALEN_OK;
    long long counts[4];

    ed.role = ed2.role = GALEN_ROLE_EDITOR;
    snprintf(ed.name, sizeof ed.name, "ed");
    snprintf(ed2.name, sizeof ed2.name, "ed2");
    spec.role = GALEN_ROLE_SPECIALIST;
    add_doc(f->svc, "art-2", "Text.");
    assert_int_equal(service_review(f->svc, "art-2", "approve", &ed, NULL),
                     GALEN_ESTATE);
    assert_int_equal(service_review(f->svc, "art-2", "start", &spec, NULL),
                     GALEN_EPERM);
    assert_int_equal(service_review(f->svc, "art-2", "start", &ed, "looking"),
                     GALEN_OK);
    assert_int_equal(service_review(f->svc, "art-2", "reject", &ed, ""),
                     GALEN_EINVAL);
    assert_int_equal(
        service_review(f->svc, "art-2", "reject", &ed, "needs refs"), GALEN_OK);
    assert_int_equal(service_review(f->svc, "art-2", "resubmit", &ed, NULL),
                     GALEN_OK);
    assert_int_equal(service_review(f->svc, "art-2", "start", &ed2, NULL),
                     GALEN_OK);
    /* Four-eyes review: ed resubmitted and ed2 started this round, so
     * neither approves it, unless the site allows self-review. */
    assert_int_equal(service_review(f->svc, "art-2", "approve", &ed, "ok"),
                     GALEN_EPERM);
    assert_int_equal(service_review(f->svc, "art-2", "approve", &ed2, "ok"),
                     GALEN_EPERM);
    service_set_self_review(f->svc, true);
    assert_int_equal(service_review(f->svc, "art-2", "approve", &ed, "ok"),
                     GALEN_OK);
    service_set_self_review(f->svc, false);
    assert_int_equal(service_review(f->svc, "art-2", "dance", &ed, NULL),
                     GALEN_EINVAL);
    assert_int_equal(service_review(f->svc, "nope", "start", &ed, NULL),
                     GALEN_ENOENT);
    buf_init(&b, 4096);
    assert_int_equal(
        store_history(service_store(f->svc), "art-2", event_cb, &b), GALEN_OK);
    buf_put_nul(&rc, &b);
    assert_string_equal(
        (char *)b.data,
        "->submitted:importer:created;submitted>under_review:ed:looking;"
        "under_review>rejected:ed:needs refs;rejected>submitted:ed:;"
        "submitted>under_review:ed2:;under_review>approved:ed:ok;");
    buf_cleanup(&b);
    assert_int_equal(service_doc_counts(f->svc, counts), GALEN_OK);
    assert_true(counts[2] >= 1);
}

static int diff_cb(void *ctx, char op, const char *line, size_t len)
{
    struct buf *b = ctx;
    int rc = GALEN_OK;

    buf_put_byte(&rc, b, (unsigned char)op);
    buf_put(&rc, b, line, len);
    buf_put_byte(&rc, b, '|');
    return rc;
}

static void test_service_diff(void **state)
{
    struct fixture *f = *state;
    struct buf b;
    int rc = GALEN_OK;
    char *v1 = NULL;
    char *v2 = NULL;

    buf_init(&b, 4096);
    assert_int_equal(service_diff("a\nb\nc\n", "a\nc\nd\n", diff_cb, &b),
                     GALEN_OK);
    buf_put_nul(&rc, &b);
    assert_string_equal((char *)b.data, " a|-b| c|+d|");
    buf_reset(&b);
    assert_int_equal(service_diff("", "x", diff_cb, &b), GALEN_OK);
    buf_put_nul(&rc, &b);
    assert_string_equal((char *)b.data, "+x|");
    buf_cleanup(&b);
    add_doc(f->svc, "art-3", "Old text.");
    add_doc(f->svc, "art-3", "New text.");
    assert_int_equal(service_doc_text(f->svc, "art-3", 1, &v1), GALEN_OK);
    assert_int_equal(service_doc_text(f->svc, "art-3", 0, &v2), GALEN_OK);
    assert_non_null(strstr(v1, "Old text."));
    assert_non_null(strstr(v2, "## Causes\nNew text."));
    assert_int_equal(service_doc_text(f->svc, "art-3", 9, &v2 /* unused */),
                     GALEN_ENOENT);
    galen_free(v1);
    galen_free(v2);
}

static int count_event(void *ctx, const struct galen_account_event *e)
{
    char *out = ctx;
    size_t n = strlen(out);

    snprintf(out + n, 256 - n, "%s%s:%s", n ? " " : "", e->event,
             e->actor ? e->actor : "-");
    return 0;
}

static void test_service_password_change(void **state)
{
    struct fixture *f = *state;
    char a[GALEN_TOKEN_LEN + 1], b[GALEN_TOKEN_LEN + 1];
    struct galen_user u;
    long long id = 0;
    char log[256] = "";

    auth_set_fast_hashing(true);
    assert_int_equal(service_user_add(f->svc, "pwuser", "password one",
                                      GALEN_ROLE_PATIENT, NULL, T0, &id),
                     GALEN_OK);
    assert_int_equal(service_session_new(f->svc, id, T0, 3600, a), GALEN_OK);
    assert_int_equal(service_session_new(f->svc, id, T0, 3600, b), GALEN_OK);
    assert_int_equal(
        account_change_password(f->svc, id, "wrong one", "password two", a, T0),
        GALEN_EPERM);
    assert_int_equal(
        account_change_password(f->svc, id, "password one", "short", a, T0),
        GALEN_EINVAL);
    assert_int_equal(account_change_password(f->svc, 999999, "password one",
                                             "password two", a, T0),
                     GALEN_ENOENT);
    /* Nothing changed so far. */
    assert_int_equal(service_session_get(f->svc, b, T0, &u), GALEN_OK);
    assert_int_equal(account_change_password(f->svc, id, "password one",
                                             "password two", a, T0 + 1),
                     GALEN_OK);
    assert_int_equal(service_session_get(f->svc, a, T0, &u), GALEN_OK);
    assert_int_equal(service_session_get(f->svc, b, T0, &u), GALEN_ENOENT);
    assert_int_equal(service_user_login(f->svc, "pwuser", "password one", &u),
                     GALEN_EPERM);
    assert_int_equal(service_user_login(f->svc, "pwuser", "password two", &u),
                     GALEN_OK);
    /* Without a session to keep, all end. */
    assert_int_equal(account_change_password(f->svc, id, "password two",
                                             "password three", NULL, T0 + 2),
                     GALEN_OK);
    assert_int_equal(service_session_get(f->svc, a, T0, &u), GALEN_ENOENT);
    assert_int_equal(account_events(f->svc, "pwuser", 0, count_event, log),
                     GALEN_OK);
    assert_string_equal(log, "password_changed:pwuser "
                             "password_changed:pwuser");
    auth_set_fast_hashing(false);
}

static void test_service_reset_links(void **state)
{
    struct fixture *f = *state;
    char tok[GALEN_TOKEN_LEN + 1], old[GALEN_TOKEN_LEN + 1];
    char sess[GALEN_TOKEN_LEN + 1];
    char name[GALEN_NAME_MAX];
    struct galen_user admin, u;
    long long id = 0;
    char log[256] = "";

    auth_set_fast_hashing(true);
    assert_int_equal(service_user_add(f->svc, "resetme", "password one",
                                      GALEN_ROLE_PATIENT, NULL, T0, &id),
                     GALEN_OK);
    assert_int_equal(service_user_add(f->svc, "boss", "password one",
                                      GALEN_ROLE_ADMIN, NULL, T0, &admin.id),
                     GALEN_OK);
    snprintf(admin.name, sizeof admin.name, "boss");
    assert_int_equal(account_reset_issue(f->svc, 999999, &admin, T0, 3600, tok),
                     GALEN_ENOENT);
    assert_int_equal(account_reset_issue(f->svc, id, &admin, T0, 0, tok),
                     GALEN_EINVAL);
    assert_int_equal(account_reset_issue(f->svc, id, &admin, T0, 3600, old),
                     GALEN_OK);
    /* A second link replaces the first. */
    assert_int_equal(account_reset_issue(f->svc, id, NULL, T0, 3600, tok),
                     GALEN_OK);
    assert_int_equal(account_reset_check(f->svc, old, T0, name), GALEN_ENOENT);
    assert_int_equal(account_reset_check(f->svc, tok, T0, name), GALEN_OK);
    assert_string_equal(name, "resetme");
    /* Expired an hour later. */
    assert_int_equal(account_reset_check(f->svc, tok, T0 + 3600, name),
                     GALEN_ENOENT);
    assert_int_equal(account_reset_use(f->svc, tok, "password two", T0 + 3600),
                     GALEN_ENOENT);
    assert_int_equal(account_reset_check(f->svc, "not a token", T0, name),
                     GALEN_ENOENT);
    /* A bad password leaves the link usable; a good one uses it up. */
    assert_int_equal(service_session_new(f->svc, id, T0, 7200, sess), GALEN_OK);
    assert_int_equal(account_reset_use(f->svc, tok, "short", T0 + 10),
                     GALEN_EINVAL);
    assert_int_equal(account_reset_use(f->svc, tok, "password two", T0 + 10),
                     GALEN_OK);
    assert_int_equal(service_session_get(f->svc, sess, T0 + 11, &u),
                     GALEN_ENOENT);
    assert_int_equal(service_user_login(f->svc, "resetme", "password two", &u),
                     GALEN_OK);
    assert_int_equal(account_reset_use(f->svc, tok, "password three", T0 + 11),
                     GALEN_ENOENT);
    assert_int_equal(account_events(f->svc, "resetme", 0, count_event, log),
                     GALEN_OK);
    assert_string_equal(log, "password_reset:resetme reset_issued:- "
                             "reset_issued:boss");
    /* A disabled account's link does not work. */
    assert_int_equal(account_reset_issue(f->svc, id, NULL, T0, 3600, tok),
                     GALEN_OK);
    assert_int_equal(service_user_set_disabled(f->svc, id, true), GALEN_OK);
    assert_int_equal(account_reset_use(f->svc, tok, "password four", T0 + 20),
                     GALEN_ENOENT);
    auth_set_fast_hashing(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_service_user_add_checks_input),
        cmocka_unit_test(test_service_logins_and_sessions),
        cmocka_unit_test(test_service_questions_and_replies),
        cmocka_unit_test(test_service_question_lists),
        cmocka_unit_test(test_service_question_privacy),
        cmocka_unit_test(test_service_comments_moderation),
        cmocka_unit_test(test_service_review_workflow),
        cmocka_unit_test(test_service_review_by_source),
        cmocka_unit_test(test_service_diff),
        cmocka_unit_test(test_service_password_change),
        cmocka_unit_test(test_service_reset_links),
    };

    return STORE_RUN_TESTS(tests, setup, teardown);
}
