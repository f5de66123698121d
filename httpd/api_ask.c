/* SPDX-License-Identifier: MIT */
/* api_ask.c: the answer engine as JSON: ask (GET with ?q= or POST with a
 * JSON body, so long questions need not travel in URLs), search and
 * similar questions. */
#include <string.h>

#include <galen/error.h>

#include "api.h"
#include "engine.h"
#include "handlers.h"

enum { QUESTION_MAX = 2000, K_MAX = 50 };

static bool need_engine(struct ctx *c)
{
    if (engine_ready(c->app->engine))
        return true;
    ctx_error(c, 503, "no_index",
              "the answer engine is not available: run galen index");
    return false;
}

/* Reads the question and audience from the query or a JSON body. Returns
 * false after writing an error. */
static bool read_question(struct ctx *c, cJSON **body, const char **q,
                          enum engine_audience *a)
{
    const char *aud;
    bool bad = false;

    *body = NULL;
    if (c->req->method == HTTP_POST) {
        *body = api_body(c);
        if (!*body)
            return false;
    }
    *q = api_input(c, *body, "q", QUESTION_MAX, &bad);
    if (!*q && !bad)
        *q = api_input(c, *body, "question", QUESTION_MAX, &bad);
    aud = api_input(c, *body, "audience", 16, &bad);
    if (bad || !*q || !**q ||
        (aud && strcmp(aud, "patient") != 0 && strcmp(aud, "clinician") != 0)) {
        ctx_error(c, 400, "bad_request",
                  "send q (at most 2000 bytes) and audience patient or "
                  "clinician");
        return false;
    }
    *a = aud && strcmp(aud, "clinician") == 0 ? ENGINE_CLINICIAN
                                              : ENGINE_PATIENT;
    return true;
}

void api_ask(struct ctx *c)
{
    cJSON *body = NULL;
    const char *q;
    enum engine_audience a;
    int rc;

    if (!read_question(c, &body, &q, &a) || !need_engine(c)) {
        cJSON_Delete(body);
        return;
    }
    c->resp->content_type = "application/json";
    rc = engine_answer(c->app->engine, q, a, NULL, &c->resp->body);
    cJSON_Delete(body);
    if (rc != GALEN_OK)
        ctx_fail(c, rc, "could not answer");
}

static int hit_json(void *ctx, const struct engine_hit *h)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "id", h->id);
    api_add_str(o, "title", h->title);
    api_add_str(o, "snippet", h->snippet);
    api_add_str(o, "kind", h->kind);
    api_add_str(o, "specialty", h->specialty);
    if (h->author && h->author[0])
        cJSON_AddStringToObject(o, "author", h->author);
    cJSON_AddNumberToObject(o, "score", h->score);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

static void hits(struct ctx *c, bool similar)
{
    const char *q = http_param(&c->req->query, "q");
    long k;
    cJSON *root;
    cJSON *arr;
    int rc;

    if (!api_query_long(c, "k", 10, 1, K_MAX, &k))
        return;
    if (!q || !*q || strlen(q) > QUESTION_MAX) {
        ctx_error(c, 400, "bad_request", "send q, at most 2000 bytes");
        return;
    }
    if (!need_engine(c))
        return;
    root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "query", q);
    arr = cJSON_AddArrayToObject(root, similar ? "questions" : "hits");
    rc = similar ? engine_similar(c->app->engine, q, (size_t)k, hit_json, arr)
                 : engine_search(c->app->engine, q, (size_t)k, hit_json, arr);
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not search");
        return;
    }
    api_send(c, 200, root);
}

void api_search(struct ctx *c)
{
    hits(c, false);
}

void api_similar(struct ctx *c)
{
    hits(c, true);
}
