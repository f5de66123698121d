/* SPDX-License-Identifier: MIT */
/* service_review.c: the editorial queue and the review workflow. The legal
 * transitions are one table (actions[]); each applied action becomes a
 * review event in the store's audit trail, with who and the note. The read
 * of the current status and the change happen in one write transaction, so
 * two reviewers acting at once cannot both move a document from the same
 * state. Bulk review by source applies the same checks to each document,
 * all in one transaction. */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "content/doc.h"
#include "content/store.h"
#include "service.h"
#include "service_internal.h"

struct review_action {
    const char *name;
    unsigned from; /* bit set of enum doc_status allowed before */
    enum doc_status to;
    bool needs_note;
};

#define S(x) (1u << DOC_STATUS_##x)

static const struct review_action actions[] = {
    {"start", S(SUBMITTED), DOC_STATUS_UNDER_REVIEW, false},
    {"approve", S(UNDER_REVIEW), DOC_STATUS_APPROVED, false},
    {"reject", S(UNDER_REVIEW), DOC_STATUS_REJECTED, true},
    {"resubmit", S(REJECTED) | S(APPROVED), DOC_STATUS_SUBMITTED, false},
    {"submit", S(REJECTED) | S(APPROVED), DOC_STATUS_SUBMITTED, false},
};

#undef S

static const struct review_action *find_action(const char *name)
{
    size_t i;

    for (i = 0; name && i < ARRAY_SIZE(actions); i++) {
        if (strcmp(actions[i].name, name) == 0)
            return &actions[i];
    }
    return NULL;
}

int service_docs(struct galen_service *svc, const char *status,
                 const char *kind, size_t limit, size_t offset,
                 int (*cb)(void *ctx, const struct galen_doc_row *r), void *ctx)
{
    struct db_stmt *s;
    int step = DB_DONE;
    int rc = service_prep(
        svc,
        "SELECT id,title,kind,status,updated_at,version "
        "FROM documents WHERE (CAST(?1 AS TEXT) IS NULL OR status=?1) "
        "AND (CAST(?2 AS TEXT) IS NULL OR kind=?2) ORDER BY title, id "
        "LIMIT ?3 OFFSET ?4",
        &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, status);
    service_bind(s, 2, kind);
    db_bind_int64(s, 3, (int64_t)limit);
    db_bind_int64(s, 4, (int64_t)offset);
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW) {
        struct galen_doc_row r = {service_col(s, 0), service_col(s, 1),
                                  service_col(s, 2), service_col(s, 3),
                                  service_col(s, 4), db_col_int64(s, 5)};

        rc = cb(ctx, &r);
    }
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}

int service_doc_info(struct galen_service *svc, const char *doc_id,
                     struct galen_doc_info *out)
{
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "SELECT status,updated_at,version FROM documents "
                          "WHERE id=?1",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, doc_id);
    rc = service_row(svc, s);
    if (rc == GALEN_OK) {
        snprintf(out->status, sizeof out->status, "%s", service_col(s, 0));
        snprintf(out->updated_at, sizeof out->updated_at, "%s",
                 service_col(s, 1));
        out->version = db_col_int64(s, 2);
    }
    db_reset(s);
    return rc;
}

int service_doc_counts(struct galen_service *svc, long long out[4])
{
    struct db_stmt *s;
    int step = DB_DONE;
    long long n[DOC_STATUS_COUNT] = {0};
    int rc = service_prep(svc,
                          "SELECT status,count(*) FROM documents "
                          "GROUP BY status",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    while ((step = db_step(s)) == DB_ROW) {
        enum doc_status st;

        if (doc_status_parse(service_col(s, 0), &st) == GALEN_OK)
            n[st] = db_col_int64(s, 1);
    }
    db_reset(s);
    if (step != DB_DONE)
        return service_db_error(svc);
    memcpy(out, n, sizeof n);
    return GALEN_OK;
}

/* True if name submitted doc_id for the current round of review or
 * started it: the submitted/under_review events since the last decision. */
static int took_part(struct galen_service *svc, const char *doc_id,
                     const char *name, bool *out)
{
    struct db_stmt *s;
    int step;
    int rc = service_prep(
        svc,
        "SELECT 1 FROM review_events WHERE doc_id=?1 AND who=?2"
        " AND to_status IN ('submitted','under_review') AND id >"
        " COALESCE((SELECT max(id) FROM review_events WHERE doc_id=?1"
        " AND to_status IN ('approved','rejected')),0) LIMIT 1",
        &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, doc_id);
    service_bind(s, 2, name);
    step = db_step(s);
    *out = step == DB_ROW;
    db_reset(s);
    return step == DB_ROW || step == DB_DONE ? GALEN_OK : service_db_error(svc);
}

/* Checks and applies act inside the caller's transaction. */
static int apply(struct galen_service *svc, const char *doc_id,
                 const struct review_action *act, const struct galen_user *who,
                 const char *note)
{
    struct galen_store *st = service_store(svc);
    int64_t version;
    enum doc_status cur;
    int rc = store_doc_version(st, doc_id, &version, &cur);

    if (rc == GALEN_ENOENT)
        return service_fail(svc, rc, "no such document");
    if (rc != GALEN_OK)
        return rc;
    if (!((act->from >> cur) & 1u))
        return service_fail(svc, GALEN_ESTATE,
                            "that action is not possible in the document's "
                            "current status");
    if (act->to == DOC_STATUS_APPROVED && !service_self_review(svc)) {
        bool mine = false;

        rc = took_part(svc, doc_id, who->name, &mine);
        if (rc != GALEN_OK)
            return rc;
        if (mine)
            return service_fail(svc, GALEN_EPERM,
                                "four-eyes review: another editor must "
                                "approve what you submitted or started "
                                "reviewing");
    }
    return store_set_status(st, doc_id, act->to, who->name,
                            note && *note ? note : NULL);
}

/* What every review checks: the note's length and the reviewer's role. */
static int check_reviewer(struct galen_service *svc,
                          const struct galen_user *who, const char *note)
{
    if (note && strlen(note) > GALEN_NOTE_MAX)
        return service_fail(svc, GALEN_EINVAL, "the note is too long");
    if (!auth_role_can(who->role, GALEN_PERM_REVIEW))
        return service_fail(svc, GALEN_EPERM, "only editors review");
    return GALEN_OK;
}

int service_review(struct galen_service *svc, const char *doc_id,
                   const char *action, const struct galen_user *who,
                   const char *note)
{
    const struct review_action *act = find_action(action);
    struct galen_store *st = service_store(svc);
    int rc;

    if (!act)
        return service_fail(svc, GALEN_EINVAL, "unknown review action");
    if (act->needs_note && (!note || !*note))
        return service_fail(svc, GALEN_EINVAL,
                            "a rejection needs a note for the author");
    rc = check_reviewer(svc, who, note);
    if (rc == GALEN_OK)
        rc = store_begin(st);
    if (rc != GALEN_OK)
        return rc;
    rc = apply(svc, doc_id, act, who, note);
    if (rc == GALEN_OK)
        rc = store_commit(st);
    if (rc != GALEN_OK)
        store_rollback(st);
    return rc;
}

/* ---- bulk review by source --------------------------------------------- */

int service_review_sources(struct galen_service *svc,
                           int (*cb)(void *ctx,
                                     const struct galen_source_queue *q),
                           void *ctx)
{
    struct db_stmt *s;
    int step = DB_DONE;
    int rc = service_prep(svc,
                          "SELECT source,"
                          "sum(CASE WHEN status='submitted' THEN 1 ELSE 0 END),"
                          "sum(CASE WHEN status='under_review' THEN 1 ELSE 0 "
                          "END) FROM documents "
                          "WHERE source IS NOT NULL AND status IN "
                          "('submitted','under_review') GROUP BY source "
                          "ORDER BY source",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW) {
        struct galen_source_queue q = {service_col(s, 0), db_col_int64(s, 1),
                                       db_col_int64(s, 2)};

        rc = cb(ctx, &q);
    }
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}

struct id_list {
    char **v;
    size_t n, cap;
};

static void ids_free(struct id_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        galen_free(l->v[i]);
    galen_free(l->v);
}

static int ids_add(struct id_list *l, const char *id)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **v = galen_realloc(l->v, ncap * sizeof *v);

        if (!v)
            return GALEN_ENOMEM;
        l->v = v;
        l->cap = ncap;
    }
    l->v[l->n] = galen_strdup(id);
    return l->v[l->n++] ? GALEN_OK : GALEN_ENOMEM;
}

/* The source's pending documents, read whole before any changes them,
 * and how many of them are in status ready. */
static int pending_ids(struct galen_service *svc, const char *source,
                       const char *ready, struct id_list *out,
                       long long *nready)
{
    struct db_stmt *s;
    int step = DB_DONE;
    int rc = service_prep(svc,
                          "SELECT id,status FROM documents WHERE source=?1 "
                          "AND status IN ('submitted','under_review') "
                          "ORDER BY id",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, source);
    *nready = 0;
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW) {
        rc = ids_add(out, service_col(s, 0));
        *nready += strcmp(service_col(s, 1), ready) == 0;
    }
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}

/* Applies act to each id; ESTATE and EPERM are counted, not failures. */
static int apply_all(struct galen_service *svc, const struct id_list *ids,
                     const struct review_action *act,
                     const struct galen_user *who, const char *note,
                     struct galen_review_bulk *out)
{
    size_t i;
    int rc = GALEN_OK;

    for (i = 0; rc == GALEN_OK && i < ids->n; i++) {
        rc = apply(svc, ids->v[i], act, who, note);
        if (rc == GALEN_OK)
            out->done++;
        else if (rc == GALEN_ESTATE)
            out->not_ready++;
        else if (rc == GALEN_EPERM)
            out->own++;
        if (rc == GALEN_ESTATE || rc == GALEN_EPERM)
            rc = GALEN_OK;
    }
    return rc;
}

int service_review_source(struct galen_service *svc, const char *source,
                          const char *action, const struct galen_user *who,
                          const char *note, long long expect,
                          struct galen_review_bulk *out)
{
    const struct review_action *act = find_action(action);
    struct galen_store *st = service_store(svc);
    struct id_list ids = {NULL, 0, 0};
    long long nready = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (!act ||
        (act->to != DOC_STATUS_APPROVED && act->to != DOC_STATUS_UNDER_REVIEW))
        return service_fail(svc, GALEN_EINVAL,
                            "bulk review is for start or approve");
    if (!source || !*source)
        return service_fail(svc, GALEN_EINVAL, "no source given");
    rc = check_reviewer(svc, who, note);
    if (rc == GALEN_OK)
        rc = store_begin(st);
    if (rc != GALEN_OK)
        return rc;
    rc = pending_ids(svc, source,
                     act->to == DOC_STATUS_APPROVED ? "under_review"
                                                    : "submitted",
                     &ids, &nready);
    if (rc == GALEN_OK && expect >= 0 && nready != expect)
        rc = service_fail(svc, GALEN_ESTATE,
                          "the queue changed: reload and check again");
    if (rc == GALEN_OK)
        rc = apply_all(svc, &ids, act, who, note, out);
    if (rc == GALEN_OK)
        rc = store_commit(st);
    if (rc != GALEN_OK) {
        store_rollback(st);
        memset(out, 0, sizeof *out);
    }
    ids_free(&ids);
    return rc;
}
