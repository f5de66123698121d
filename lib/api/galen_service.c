/* SPDX-License-Identifier: MIT */
/* galen_service.c: the public service API (galen/service.h, galen/doc.h).
 * Most functions forward to lib/service under their internal names; what
 * is done here is the error model of the public API (a per-thread message
 * for an open that fails before a handle exists, *out NULL on every
 * failure) and the read-only document view over the store's struct doc. */
#include <stdio.h>
#include <string.h>

#include <galen/doc.h>
#include <galen/error.h>
#include <galen/service.h>

#include "base/mem.h"
#include "content/doc.h"
#include "content/store.h"
#include "service/auth.h"
#include "service/service.h"

/* The public enums mirror the internal ones value for value. */
_Static_assert((int)GALEN_DOC_STATUS_SUBMITTED == (int)DOC_STATUS_SUBMITTED &&
                   (int)GALEN_DOC_STATUS_UNDER_REVIEW ==
                       (int)DOC_STATUS_UNDER_REVIEW &&
                   (int)GALEN_DOC_STATUS_APPROVED == (int)DOC_STATUS_APPROVED &&
                   (int)GALEN_DOC_STATUS_REJECTED == (int)DOC_STATUS_REJECTED &&
                   (int)GALEN_DOC_STATUS_COUNT == (int)DOC_STATUS_COUNT,
               "enum galen_doc_status follows enum doc_status");

static _Thread_local char open_msg[256];

int galen_service_open(const char *store_path, struct galen_service **out)
{
    int rc = service_open(store_path, out);

    if (rc != GALEN_OK) {
        *out = NULL;
        /* The store's own message when it got that far, else the code's. */
        const char *m = rc == GALEN_ENOMEM ? "" : service_errmsg(NULL);
        snprintf(open_msg, sizeof open_msg, "%s",
                 m && *m ? m : galen_strerror(rc));
    } else {
        open_msg[0] = '\0';
    }
    return rc;
}

const char *galen_service_errmsg(const struct galen_service *svc)
{
    return svc ? service_errmsg((struct galen_service *)svc) : open_msg;
}

/* ---- the read-only document view ----------------------------------------- */

/* The view and what it borrows from: the public struct comes first, so a
 * view pointer is a pointer to its holder. */
struct doc_view {
    struct galen_doc pub;
    struct doc *d;
    struct galen_doc_section *sections;
    struct galen_doc_ref *refs;
    struct galen_doc_table *tables;
    struct galen_doc_faq *faq;
};

void galen_doc_free(const struct galen_doc *d)
{
    struct doc_view *v = (struct doc_view *)d;

    if (!v)
        return;
    doc_free(v->d);
    galen_free(v->sections);
    galen_free(v->refs);
    galen_free(v->tables);
    galen_free(v->faq);
    galen_free(v);
}

static void *alloc_n(size_t n, size_t size, bool *oom)
{
    void *p = n ? galen_calloc(n, size) : NULL;

    if (n && !p)
        *oom = true;
    return p;
}

/* Fills v->pub from v->d; false when out of memory. */
static bool view_fill(struct doc_view *v)
{
    const struct doc *d = v->d;
    struct galen_doc *p = &v->pub;
    bool oom = false;
    size_t i;

    v->sections = alloc_n(d->nsections, sizeof *v->sections, &oom);
    v->refs = alloc_n(d->nrefs, sizeof *v->refs, &oom);
    v->tables = alloc_n(d->ntables, sizeof *v->tables, &oom);
    v->faq = alloc_n(d->nfaq, sizeof *v->faq, &oom);
    if (oom)
        return false;
    p->id = d->id;
    p->kind = doc_kind_name(d->kind);
    p->title = d->title;
    p->source = d->source;
    p->authors = d->authors;
    p->date = d->date;
    p->url = d->url;
    p->licence = d->licence;
    p->audience = doc_audience_name(d->audience);
    p->specialty = d->specialty;
    p->evidence = doc_evidence_name(d->evidence);
    p->status = (enum galen_doc_status)d->status;
    p->age_band = d->age_band;
    p->sex = d->sex;
    p->asked = d->asked;
    p->replied = d->replied;
    for (i = 0; i < d->nsections; i++)
        v->sections[i] = (struct galen_doc_section){d->sections[i].heading,
                                                    d->sections[i].text};
    for (i = 0; i < d->nrefs; i++) {
        const struct doc_ref *r = &d->refs[i];

        v->refs[i] =
            (struct galen_doc_ref){r->kind, r->title, r->source, r->authors,
                                   r->year, r->pmid,  r->doi,    r->url};
    }
    for (i = 0; i < d->ntables; i++) {
        const struct doc_table *t = &d->tables[i];

        v->tables[i] = (struct galen_doc_table){t->section, t->ncols, t->nrows,
                                                (const char *const *)t->header,
                                                (const char *const *)t->cells};
    }
    for (i = 0; i < d->nfaq; i++)
        v->faq[i] =
            (struct galen_doc_faq){d->faq[i].question, d->faq[i].answer};
    p->sections = v->sections;
    p->nsections = d->nsections;
    p->refs = v->refs;
    p->nrefs = d->nrefs;
    p->tables = v->tables;
    p->ntables = d->ntables;
    p->faq = v->faq;
    p->nfaq = d->nfaq;
    return true;
}

int galen_doc_get(struct galen_service *svc, const char *doc_id,
                  const struct galen_doc **out)
{
    struct doc_view *v = galen_calloc(1, sizeof *v);
    int rc;

    *out = NULL;
    if (!v)
        return GALEN_ENOMEM;
    rc = store_get(service_store(svc), doc_id, &v->d);
    if (rc == GALEN_OK && !view_fill(v))
        rc = GALEN_ENOMEM;
    if (rc != GALEN_OK) {
        galen_doc_free(&v->pub);
        return rc;
    }
    *out = &v->pub;
    return GALEN_OK;
}

int galen_doc_to_json(const struct galen_doc *d, char **out)
{
    const struct doc_view *v = (const struct doc_view *)d;
    int rc = doc_to_json(v->d, out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

const char *galen_doc_status_name(enum galen_doc_status s)
{
    return doc_status_name((enum doc_status)s);
}

int galen_doc_status_parse(const char *s, enum galen_doc_status *out)
{
    enum doc_status st;
    int rc = doc_status_parse(s, &st);

    if (rc == GALEN_OK)
        *out = (enum galen_doc_status)st;
    return rc;
}

bool galen_doc_kind_known(const char *s)
{
    enum doc_kind k;

    return doc_kind_parse(s, &k) == GALEN_OK;
}

/* Adapts the store's event to the public one for the caller's callback. */
struct history_ctx {
    int (*cb)(void *ctx, const struct galen_doc_event *ev);
    void *ctx;
};

static int history_cb(void *ctx, const struct store_event *ev)
{
    struct history_ctx *h = ctx;
    struct galen_doc_event e = {(long long)ev->id, (long long)ev->version,
                                ev->from,          ev->to,
                                ev->who,           ev->at,
                                ev->note};

    return h->cb(h->ctx, &e);
}

int galen_doc_history(struct galen_service *svc, const char *doc_id,
                      int (*cb)(void *ctx, const struct galen_doc_event *ev),
                      void *ctx)
{
    struct history_ctx h = {cb, ctx};

    return store_history(service_store(svc), doc_id, history_cb, &h);
}

/* ---- forwarded as they are ------------------------------------------------
 */

bool galen_role_can(enum galen_role role, enum galen_perm perm)
{
    return auth_role_can(role, perm);
}

const char *galen_role_name(enum galen_role role)
{
    return auth_role_name(role);
}

int galen_role_parse(const char *name, enum galen_role *out)
{
    return auth_role_parse(name, out);
}

int galen_auth_init(void)
{
    return auth_init();
}

void galen_token_new(char out[GALEN_TOKEN_LEN + 1])
{
    auth_token_new(out);
}

bool galen_token_ok(const char *token)
{
    return auth_token_ok(token);
}

void galen_csrf_key_init(struct galen_csrf_key *key)
{
    auth_csrf_key_init(key);
}

void galen_csrf_token(const struct galen_csrf_key *key,
                      const char *session_token, char out[GALEN_TOKEN_LEN + 1])
{
    auth_csrf_token(key, session_token, out);
}

bool galen_csrf_check(const struct galen_csrf_key *key,
                      const char *session_token, const char *given)
{
    return auth_csrf_check(key, session_token, given);
}

int galen_cookie(char *out, size_t cap, const char *name, const char *value,
                 long max_age, bool secure)
{
    return auth_cookie(out, cap, name, value, "/", max_age, secure);
}

int galen_cookie_path(char *out, size_t cap, const char *name,
                      const char *value, const char *path, long max_age,
                      bool secure)
{
    return auth_cookie(out, cap, name, value, path, max_age, secure);
}

int galen_cookie_get(const char *header, const char *name, char *out,
                     size_t cap)
{
    return auth_cookie_get(header, name, out, cap);
}

void galen_service_close(struct galen_service *svc)
{
    service_close(svc);
}

bool galen_user_name_ok(const char *name)
{
    return service_user_name_ok(name);
}

int galen_user_add(struct galen_service *svc, const char *name,
                   const char *password, enum galen_role role,
                   const char *specialty, long long now, long long *id)
{
    return service_user_add(svc, name, password, role, specialty, now, id);
}

int galen_user_login(struct galen_service *svc, const char *name,
                     const char *password, struct galen_user *out)
{
    return service_user_login(svc, name, password, out);
}

int galen_user_set_disabled(struct galen_service *svc, long long id,
                            bool disabled)
{
    return service_user_set_disabled(svc, id, disabled);
}

int galen_user_set_password(struct galen_service *svc, long long id,
                            const char *password)
{
    return service_user_set_password(svc, id, password);
}

int galen_user_change_password(struct galen_service *svc, long long id,
                               const char *current, const char *password,
                               const char *keep_token, long long now)
{
    return account_change_password(svc, id, current, password, keep_token, now);
}

int galen_reset_issue(struct galen_service *svc, long long id,
                      const struct galen_user *actor, long long now, long ttl,
                      char token[GALEN_TOKEN_LEN + 1])
{
    return account_reset_issue(svc, id, actor, now, ttl, token);
}

int galen_reset_check(struct galen_service *svc, const char *token,
                      long long now, char name[GALEN_NAME_MAX])
{
    return account_reset_check(svc, token, now, name);
}

int galen_reset_use(struct galen_service *svc, const char *token,
                    const char *password, long long now)
{
    return account_reset_use(svc, token, password, now);
}

int galen_account_events(
    struct galen_service *svc, const char *user, size_t limit,
    int (*cb)(void *ctx, const struct galen_account_event *e), void *ctx)
{
    return account_events(svc, user, limit, cb, ctx);
}

int galen_user_delete(struct galen_service *svc, long long id)
{
    return service_user_delete(svc, id);
}

int galen_service_secret(struct galen_service *svc, const char *name,
                         unsigned char *out, size_t len)
{
    return service_secret(svc, name, out, len);
}

int galen_users(struct galen_service *svc,
                int (*cb)(void *ctx, const struct galen_user *u), void *ctx)
{
    return service_users(svc, cb, ctx);
}

int galen_session_new(struct galen_service *svc, long long user_id,
                      long long now, long ttl, char token[GALEN_TOKEN_LEN + 1])
{
    return service_session_new(svc, user_id, now, ttl, token);
}

int galen_session_get(struct galen_service *svc, const char *token,
                      long long now, struct galen_user *out)
{
    return service_session_get(svc, token, now, out);
}

int galen_session_end(struct galen_service *svc, const char *token)
{
    return service_session_end(svc, token);
}

int galen_question_add(struct galen_service *svc,
                       const struct galen_question_in *in, long long *id)
{
    return service_question_add(svc, in, id);
}

int galen_question_get(struct galen_service *svc, long long id,
                       struct galen_question **out)
{
    int rc = service_question_get(svc, id, out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

void galen_question_free(struct galen_question *q)
{
    service_question_free(q);
}

int galen_questions(struct galen_service *svc, bool answered, size_t limit,
                    size_t offset,
                    int (*cb)(void *ctx, const struct galen_question *q),
                    void *ctx)
{
    return service_questions(svc, answered, limit, offset, cb, ctx);
}

int galen_questions_queue(struct galen_service *svc, const char *specialty,
                          size_t limit, size_t offset,
                          int (*cb)(void *ctx, const struct galen_question *q),
                          void *ctx)
{
    return service_questions_queue(svc, specialty, limit, offset, cb, ctx);
}

bool galen_question_visible(const struct galen_question *q,
                            const struct galen_user *u, const char *link)
{
    return service_question_visible(q, u, link);
}

bool galen_question_shows_asker(const struct galen_question *q,
                                const struct galen_user *u)
{
    return service_question_shows_asker(q, u);
}

int galen_reply_add(struct galen_service *svc, long long question_id,
                    const struct galen_user *u, const char *body, long long now,
                    long long *id)
{
    return service_reply_add(svc, question_id, u, body, now, id);
}

int galen_similar_questions(
    struct galen_service *svc, const char *text, long long exclude_id, size_t k,
    int (*cb)(void *ctx, const struct galen_question *q), void *ctx)
{
    return service_similar_questions(svc, text, exclude_id, k, cb, ctx);
}

int galen_topics(struct galen_service *svc, const char *specialty, size_t limit,
                 int (*cb)(void *ctx, const char *topic, const char *specialty,
                           long long ndocs),
                 void *ctx)
{
    return service_topics(svc, specialty, limit, cb, ctx);
}

int galen_comment_add(struct galen_service *svc, const char *doc_id,
                      const char *author, const char *body, long long user_id,
                      long long now, long long *id)
{
    return service_comment_add(svc, doc_id, author, body, user_id, now, id);
}

int galen_comments(struct galen_service *svc, const char *doc_id,
                   enum galen_comment_status status,
                   int (*cb)(void *ctx, const struct galen_comment *c),
                   void *ctx)
{
    return service_comments(svc, doc_id, status, cb, ctx);
}

int galen_comment_moderate(struct galen_service *svc, long long id,
                           bool approve)
{
    return service_comment_moderate(svc, id, approve);
}

int galen_docs(struct galen_service *svc, const char *status, const char *kind,
               size_t limit, size_t offset,
               int (*cb)(void *ctx, const struct galen_doc_row *r), void *ctx)
{
    return service_docs(svc, status, kind, limit, offset, cb, ctx);
}

int galen_doc_info(struct galen_service *svc, const char *doc_id,
                   struct galen_doc_info *out)
{
    return service_doc_info(svc, doc_id, out);
}

int galen_doc_counts(struct galen_service *svc,
                     long long out[GALEN_DOC_STATUS_COUNT])
{
    return service_doc_counts(svc, out);
}

void galen_service_set_self_review(struct galen_service *svc, bool allow)
{
    service_set_self_review(svc, allow);
}

int galen_review(struct galen_service *svc, const char *doc_id,
                 const char *action, const struct galen_user *who,
                 const char *note)
{
    return service_review(svc, doc_id, action, who, note);
}

int galen_review_sources(struct galen_service *svc,
                         int (*cb)(void *ctx,
                                   const struct galen_source_queue *q),
                         void *ctx)
{
    return service_review_sources(svc, cb, ctx);
}

int galen_review_source(struct galen_service *svc, const char *source,
                        const char *action, const struct galen_user *who,
                        const char *note, long long expect,
                        struct galen_review_bulk *out)
{
    return service_review_source(svc, source, action, who, note, expect, out);
}

int galen_doc_versions(struct galen_service *svc, const char *doc_id,
                       int (*cb)(void *ctx, long long version,
                                 const char *status, const char *created_at),
                       void *ctx)
{
    return service_doc_versions(svc, doc_id, cb, ctx);
}

int galen_doc_text(struct galen_service *svc, const char *doc_id,
                   long long version, char **out)
{
    int rc = service_doc_text(svc, doc_id, version, out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

int galen_diff(const char *a, const char *b,
               int (*cb)(void *ctx, char op, const char *line, size_t len),
               void *ctx)
{
    return service_diff(a, b, cb, ctx);
}
