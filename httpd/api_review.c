/* SPDX-License-Identifier: MIT */
/* api_review.c: the editorial workflow as JSON: the queue with counts per
 * status, review actions, a document's audit trail and version diff, and
 * comment moderation. Editors only (the routing table says so). */
#include <string.h>

#include <galen/error.h>

#include "api.h"
#include "handlers.h"
#include "mem.h"

void api_review_queue(struct ctx *c)
{
    const char *status = http_param(&c->req->query, "status");
    long long counts[GALEN_DOC_STATUS_COUNT];
    enum galen_doc_status st;
    cJSON *root;
    cJSON *co;
    size_t i;
    long limit;
    int rc;

    if (!ctx_need_store(c, "document") ||
        !api_query_long(c, "limit", 50, 1, 500, &limit))
        return;
    status = status ? status : "submitted";
    if (galen_doc_status_parse(status, &st) != GALEN_OK) {
        ctx_error(c, 400, "bad_parameter", "unknown status");
        return;
    }
    rc = galen_doc_counts(c->svc, counts);
    root = cJSON_CreateObject();
    co = cJSON_AddObjectToObject(root, "counts");
    for (i = 0; i < GALEN_DOC_STATUS_COUNT; i++)
        cJSON_AddNumberToObject(co,
                                galen_doc_status_name((enum galen_doc_status)i),
                                (double)counts[i]);
    cJSON_AddStringToObject(root, "status", status);
    if (rc == GALEN_OK)
        rc = galen_docs(c->svc, status, NULL, (size_t)limit, 0, api_doc_row,
                        cJSON_AddArrayToObject(root, "documents"));
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not read the queue");
        return;
    }
    api_send(c, 200, root);
}

void api_review_action(struct ctx *c)
{
    cJSON *body = api_body(c);
    bool bad = false;
    const char *action;
    const char *note;
    struct galen_doc_info info;
    cJSON *out;
    int rc;

    if (!body || !ctx_need_store(c, "document")) {
        cJSON_Delete(body);
        return;
    }
    action = api_str(body, "action", 32, &bad);
    note = api_str(body, "note", GALEN_NOTE_MAX, &bad);
    rc = bad ? GALEN_EINVAL
             : galen_review(c->svc, c->slug, action, &c->user, note);
    cJSON_Delete(body);
    if (rc == GALEN_OK)
        rc = galen_doc_info(c->svc, c->slug, &info);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc,
                 bad ? "action and note are strings"
                     : galen_service_errmsg(c->svc));
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "id", c->slug);
    cJSON_AddStringToObject(out, "status", info.status);
    cJSON_AddStringToObject(out, "updated_at", info.updated_at);
    api_send(c, 200, out);
}

static int event_json(void *ctx, const struct galen_doc_event *ev)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)ev->id);
    cJSON_AddNumberToObject(o, "version", (double)ev->version);
    api_add_str(o, "from", ev->from);
    cJSON_AddStringToObject(o, "to", ev->to);
    cJSON_AddStringToObject(o, "who", ev->who);
    cJSON_AddStringToObject(o, "at", ev->at);
    api_add_str(o, "note", ev->note);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

void api_document_history(struct ctx *c)
{
    struct galen_doc_info info;
    cJSON *root;
    int rc;

    if (!ctx_need_store(c, "document"))
        return;
    rc = galen_doc_info(c->svc, c->slug, &info);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "no such document");
        return;
    }
    root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "id", c->slug);
    cJSON_AddStringToObject(root, "status", info.status);
    rc = galen_doc_history(c->svc, c->slug, event_json,
                           cJSON_AddArrayToObject(root, "events"));
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not read the audit trail");
        return;
    }
    api_send(c, 200, root);
}

static int line_json(void *ctx, char op, const char *line, size_t len)
{
    cJSON *o = cJSON_CreateObject();
    char *text = galen_strndup(line, len);
    char ops[2] = {op, '\0'};

    if (!text) {
        cJSON_Delete(o);
        return GALEN_ENOMEM;
    }
    cJSON_AddStringToObject(o, "op", ops);
    cJSON_AddStringToObject(o, "text", text);
    galen_free(text);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

void api_document_diff(struct ctx *c)
{
    long from;
    long to;
    char *a = NULL;
    char *b = NULL;
    cJSON *root = NULL;
    int rc;

    if (!ctx_need_store(c, "document") ||
        !api_query_long(c, "from", 1, 1, 1L << 40, &from) ||
        !api_query_long(c, "to", 0, 0, 1L << 40, &to))
        return;
    rc = galen_doc_text(c->svc, c->slug, from, &a);
    if (rc == GALEN_OK)
        rc = galen_doc_text(c->svc, c->slug, to, &b);
    if (rc == GALEN_OK) {
        root = cJSON_CreateObject();
        cJSON_AddNumberToObject(root, "from", (double)from);
        cJSON_AddNumberToObject(root, "to", (double)to);
        rc = galen_diff(a, b, line_json, cJSON_AddArrayToObject(root, "lines"));
    }
    galen_free(a);
    galen_free(b);
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "no such document or version");
        return;
    }
    api_send(c, 200, root);
}

static int pending_json(void *ctx, const struct galen_comment *cm)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)cm->id);
    cJSON_AddStringToObject(o, "doc_id", cm->doc_id);
    cJSON_AddStringToObject(o, "author", cm->author);
    cJSON_AddStringToObject(o, "body", cm->body);
    cJSON_AddStringToObject(o, "created_at", cm->created_at);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

void api_comments_pending(struct ctx *c)
{
    cJSON *root;
    int rc;

    if (!ctx_need_store(c, "document"))
        return;
    root = cJSON_CreateObject();
    rc = galen_comments(c->svc, NULL, GALEN_COMMENT_PENDING, pending_json,
                        cJSON_AddArrayToObject(root, "comments"));
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not list comments");
        return;
    }
    api_send(c, 200, root);
}

void api_comment_moderate(struct ctx *c)
{
    cJSON *body = api_body(c);
    bool bad = false;
    const char *action;
    bool approve;
    cJSON *out;
    int rc;

    if (!body || !ctx_need_store(c, "document")) {
        cJSON_Delete(body);
        return;
    }
    action = api_str(body, "action", 16, &bad);
    approve = action && strcmp(action, "approve") == 0;
    if (bad || !(approve || (action && strcmp(action, "reject") == 0))) {
        cJSON_Delete(body);
        ctx_error(c, 400, "bad_request", "action is approve or reject");
        return;
    }
    cJSON_Delete(body);
    rc = galen_comment_moderate(c->svc, c->id, approve);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "id", (double)c->id);
    cJSON_AddStringToObject(out, "status", approve ? "approved" : "rejected");
    api_send(c, 200, out);
}
