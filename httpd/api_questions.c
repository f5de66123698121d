/* SPDX-License-Identifier: MIT */
/* api_questions.c: patient questions and replies as JSON: list (published
 * answered ones for everyone; the open queue for editors, and for
 * specialists only in their specialty), submit (returning the asker's
 * secret link), get (only for who may read it: galen_question_visible)
 * with replies and similar questions, and reply (specialists, in their
 * specialty). */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "api.h"
#include "handlers.h"

static cJSON *reply_json(const struct galen_reply *r)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)r->id);
    cJSON_AddStringToObject(o, "author", r->author);
    cJSON_AddStringToObject(o, "specialty", r->specialty);
    cJSON_AddStringToObject(o, "body", r->body);
    cJSON_AddStringToObject(o, "replied_at", r->replied_at);
    return o;
}

static cJSON *question_json(const struct galen_question *q, bool replies,
                            bool asker)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *arr;
    size_t i;

    cJSON_AddNumberToObject(o, "id", (double)q->id);
    if (asker)
        api_add_str(o, "asker", q->asker[0] ? q->asker : NULL);
    cJSON_AddStringToObject(o, "title", q->title);
    cJSON_AddStringToObject(o, "body", q->body);
    api_add_str(o, "age_band", q->age_band[0] ? q->age_band : NULL);
    api_add_str(o, "sex", q->sex[0] ? q->sex : NULL);
    api_add_str(o, "specialty", q->specialty[0] ? q->specialty : NULL);
    cJSON_AddStringToObject(o, "status", q->answered ? "answered" : "open");
    cJSON_AddStringToObject(o, "asked_at", q->asked_at);
    if (!replies)
        return o;
    arr = cJSON_AddArrayToObject(o, "replies");
    for (i = 0; i < q->nreplies; i++)
        cJSON_AddItemToArray(arr, reply_json(&q->replies[i]));
    return o;
}

static int add_to_array(void *ctx, const struct galen_question *q)
{
    cJSON_AddItemToArray(ctx, question_json(q, false, false));
    return 0;
}

void api_questions_list(struct ctx *c)
{
    const char *status = http_param(&c->req->query, "status");
    bool answered = !status || strcmp(status, "answered") == 0;
    long limit;
    long offset;
    cJSON *root;
    int rc;

    if (!ctx_need_store(c, "question") ||
        !api_query_long(c, "limit", 20, 1, 100, &limit) ||
        !api_query_long(c, "offset", 0, 0, 1000000, &offset))
        return;
    if (status && !answered && strcmp(status, "open") != 0) {
        ctx_error(c, 400, "bad_parameter", "status is answered or open");
        return;
    }
    if (!answered && !galen_role_can(c->user.role, GALEN_PERM_QUESTION_QUEUE)) {
        ctx_error(c, c->user.role == GALEN_ROLE_ANON ? 401 : 403, "forbidden",
                  "only specialists and editors see open questions");
        return;
    }
    root = cJSON_CreateObject();
    if (!answered && c->user.role == GALEN_ROLE_SPECIALIST)
        rc = galen_questions_queue(c->svc, c->user.specialty, (size_t)limit,
                                   (size_t)offset, add_to_array,
                                   cJSON_AddArrayToObject(root, "questions"));
    else
        rc = galen_questions(c->svc, answered, (size_t)limit, (size_t)offset,
                             add_to_array,
                             cJSON_AddArrayToObject(root, "questions"));
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not list questions");
        return;
    }
    api_send(c, 200, root);
}

void api_question_submit(struct ctx *c)
{
    cJSON *body = api_body(c);
    struct galen_question_in in;
    bool bad = false;
    long long id = 0;
    cJSON *out;
    char url[160];
    char link[GALEN_TOKEN_LEN + 1];
    char secret[256];
    int rc;

    if (!body || !ctx_need_store(c, "question")) {
        cJSON_Delete(body);
        return;
    }
    memset(&in, 0, sizeof in);
    in.title = api_str(body, "title", GALEN_TITLE_MAX, &bad);
    in.body = api_str(body, "body", GALEN_TEXT_MAX, &bad);
    in.age_band = api_str(body, "age_band", 16, &bad);
    in.sex = api_str(body, "sex", 16, &bad);
    in.specialty = api_str(body, "specialty", GALEN_SPECIALTY_MAX, &bad);
    in.publish = api_bool(body, "public", &bad);
    in.link = link;
    in.user_id = c->user.role == GALEN_ROLE_ANON ? 0 : c->user.id;
    in.now = c->req->wall;
    rc = bad ? GALEN_EINVAL : galen_question_add(c->svc, &in, &id);
    cJSON_Delete(body);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc,
                 bad ? "title, body, age_band, sex and specialty are "
                       "strings, public is true or false"
                     : galen_service_errmsg(c->svc));
        return;
    }
    out = cJSON_CreateObject();
    /* Site paths carry the base path, as every URL galen writes. */
    snprintf(url, sizeof url, "%s/questions/%lld", c->app->base_path, id);
    snprintf(secret, sizeof secret, "%s/questions/%lld?key=%s",
             c->app->base_path, id, link);
    cJSON_AddNumberToObject(out, "id", (double)id);
    cJSON_AddStringToObject(out, "url", url);
    /* The only copy of the secret: the store keeps its hash. */
    cJSON_AddStringToObject(out, "link", secret);
    cJSON_AddStringToObject(out, "key", link);
    cJSON_AddBoolToObject(out, "public", in.publish);
    cJSON_AddStringToObject(out, "status", "open");
    api_send(c, 201, out);
}

static int add_similar(void *ctx, const struct galen_question *q)
{
    cJSON *o = question_json(q, true, false);

    cJSON_AddItemToArray(ctx, o);
    return 0;
}

void api_question_get(struct ctx *c)
{
    struct galen_question *q = NULL;
    cJSON *root;
    char text[GALEN_TITLE_MAX + GALEN_TEXT_MAX + 8];
    int rc;

    if (!ctx_need_store(c, "question"))
        return;
    rc = galen_question_get(c->svc, c->id, &q);
    /* A question the client may not read does not exist for it: the same
     * 404, so ids do not reveal which questions are open. */
    if (rc == GALEN_OK && !galen_question_visible(
                              q, &c->user, http_param(&c->req->query, "key"))) {
        galen_question_free(q);
        rc = GALEN_ENOENT;
    }
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "no such question");
        return;
    }
    root = question_json(q, true, galen_question_shows_asker(q, &c->user));
    snprintf(text, sizeof text, "%s. %s", q->title, q->body);
    rc = galen_similar_questions(c->svc, text, q->id, 4, add_similar,
                                 cJSON_AddArrayToObject(root, "similar"));
    galen_question_free(q);
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not find similar questions");
        return;
    }
    api_send(c, 200, root);
}

void api_question_reply(struct ctx *c)
{
    cJSON *body = api_body(c);
    bool bad = false;
    const char *text;
    long long id = 0;
    cJSON *out;
    int rc;

    if (!body || !ctx_need_store(c, "question")) {
        cJSON_Delete(body);
        return;
    }
    text = api_str(body, "body", GALEN_TEXT_MAX, &bad);
    rc =
        bad ? GALEN_EINVAL
            : galen_reply_add(c->svc, c->id, &c->user, text, c->req->wall, &id);
    cJSON_Delete(body);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc,
                 bad ? "body is a string" : galen_service_errmsg(c->svc));
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "id", (double)id);
    cJSON_AddNumberToObject(out, "question_id", (double)c->id);
    cJSON_AddStringToObject(out, "specialty", c->user.specialty);
    api_send(c, 201, out);
}
