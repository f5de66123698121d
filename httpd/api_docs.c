/* SPDX-License-Identifier: MIT */
/* api_docs.c: documents, articles, topics and comments as JSON. A
 * document is the store's own JSON (doc_to_json) plus its review state;
 * an article adds its read time and approved comments. */
#include <string.h>

#include <galen/error.h>

#include "api.h"
#include "docview.h"
#include "handlers.h"
#include "mem.h"

/* Lists documents filtered by ?status and ?kind (kind defaults to def). */
static void list_docs(struct ctx *c, const char *def)
{
    const char *status = http_param(&c->req->query, "status");
    const char *kind = http_param(&c->req->query, "kind");
    long limit;
    long offset;
    enum galen_doc_status st;
    cJSON *root;
    int rc;

    if (!ctx_need_store(c, "document") ||
        !api_query_long(c, "limit", 50, 1, 500, &limit) ||
        !api_query_long(c, "offset", 0, 0, 10000000, &offset))
        return;
    kind = kind ? kind : def;
    if ((status && galen_doc_status_parse(status, &st) != GALEN_OK) ||
        (kind && !galen_doc_kind_known(kind))) {
        ctx_error(c, 400, "bad_parameter", "unknown status or kind");
        return;
    }
    root = cJSON_CreateObject();
    rc = galen_docs(c->svc, status, kind, (size_t)limit, (size_t)offset,
                    api_doc_row, cJSON_AddArrayToObject(root, "documents"));
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not list documents");
        return;
    }
    api_send(c, 200, root);
}

void api_documents(struct ctx *c)
{
    list_docs(c, NULL);
}

void api_articles(struct ctx *c)
{
    list_docs(c, "article");
}

static int comment_json(void *ctx, const struct galen_comment *cm)
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

/* Builds the JSON of document c->slug; NULL after writing an error. */
static cJSON *doc_json(struct ctx *c, bool article)
{
    struct galen_doc_info info;
    const struct galen_doc *d = NULL;
    char *json = NULL;
    cJSON *root = NULL;
    int rc = galen_doc_info(c->svc, c->slug, &info);

    if (rc == GALEN_OK)
        rc = galen_doc_get(c->svc, c->slug, &d);
    if (rc == GALEN_OK)
        rc = galen_doc_to_json(d, &json);
    if (rc == GALEN_OK) {
        root = cJSON_Parse(json);
        rc = root ? GALEN_OK : GALEN_ENOMEM;
    }
    if (rc == GALEN_OK) {
        cJSON_AddStringToObject(root, "updated_at", info.updated_at);
        cJSON_AddNumberToObject(root, "version", (double)info.version);
        if (article)
            cJSON_AddNumberToObject(root, "read_minutes",
                                    docview_read_minutes(d));
    }
    if (rc == GALEN_OK && article)
        rc = galen_comments(c->svc, c->slug, GALEN_COMMENT_APPROVED,
                            comment_json,
                            cJSON_AddArrayToObject(root, "comments"));
    galen_free(json);
    galen_doc_free(d);
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "no such document");
        return NULL;
    }
    return root;
}

void api_document(struct ctx *c)
{
    cJSON *root = ctx_need_store(c, "document") ? doc_json(c, false) : NULL;

    if (root)
        api_send(c, 200, root);
}

void api_article(struct ctx *c)
{
    cJSON *root = ctx_need_store(c, "document") ? doc_json(c, true) : NULL;

    if (root)
        api_send(c, 200, root);
}

static int topic_json(void *ctx, const char *topic, const char *specialty,
                      long long ndocs)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "topic", topic);
    cJSON_AddStringToObject(o, "specialty", specialty);
    cJSON_AddNumberToObject(o, "documents", (double)ndocs);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

void api_topics(struct ctx *c)
{
    const char *specialty = http_param(&c->req->query, "specialty");
    long limit;
    cJSON *root;
    int rc;

    if (!ctx_need_store(c, "document") ||
        !api_query_long(c, "limit", 100, 1, 1000, &limit))
        return;
    root = cJSON_CreateObject();
    rc = galen_topics(c->svc, specialty && *specialty ? specialty : NULL,
                      (size_t)limit, topic_json,
                      cJSON_AddArrayToObject(root, "topics"));
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not list topics");
        return;
    }
    api_send(c, 200, root);
}

void api_comment_submit(struct ctx *c)
{
    cJSON *body = api_body(c);
    bool bad = false;
    const char *author;
    const char *text;
    long long id = 0;
    cJSON *out;
    int rc;

    if (!body || !ctx_need_store(c, "document")) {
        cJSON_Delete(body);
        return;
    }
    author = api_str(body, "author", GALEN_NAME_MAX - 1, &bad);
    text = api_str(body, "body", GALEN_TEXT_MAX, &bad);
    rc = bad ? GALEN_EINVAL
             : galen_comment_add(c->svc, c->slug, author, text,
                                 c->user.role == GALEN_ROLE_ANON ? 0
                                                                 : c->user.id,
                                 c->req->wall, &id);
    cJSON_Delete(body);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc,
                 bad ? "author and body are strings"
                     : galen_service_errmsg(c->svc));
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "id", (double)id);
    cJSON_AddStringToObject(out, "status", "pending");
    api_send(c, 201, out);
}
