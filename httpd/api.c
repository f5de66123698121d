/* SPDX-License-Identifier: MIT */
/* api.c: the JSON helpers of api.h, on cJSON. Inputs are validated as
 * clean text before any handler sees them, the same rule html.c applies to
 * form fields. */
#include "api.h"

#include <string.h>

#include <galen/error.h>

#include "html.h"
#include "page.h"
#include "str.h"
#include "utf8.h"

void api_send(struct ctx *c, int status, cJSON *root)
{
    char *text = root ? cJSON_PrintUnformatted(root) : NULL;

    cJSON_Delete(root);
    if (!text) {
        http_resp_json_error(c->resp, 500, "nomem", "out of memory");
        return;
    }
    c->resp->status = status;
    c->resp->content_type = "application/json";
    buf_put_str(&c->rc, &c->resp->body, text);
    buf_put_byte(&c->rc, &c->resp->body, '\n');
    cJSON_free(text);
}

cJSON *api_body(struct ctx *c)
{
    cJSON *root;

    if (c->req->body_len == 0)
        return cJSON_CreateObject();
    if (!http_is_content_type(c->req, "application/json")) {
        ctx_error(c, 415, "unsupported_media_type", "send application/json");
        return NULL;
    }
    root = cJSON_ParseWithLength(c->req->body, c->req->body_len);
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        ctx_error(c, 400, "bad_json", "the body is not a JSON object");
        return NULL;
    }
    return root;
}

const char *api_str(const cJSON *obj, const char *key, size_t max, bool *bad)
{
    const cJSON *it = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    size_t n;

    if (!it || cJSON_IsNull(it))
        return NULL;
    if (!cJSON_IsString(it) || !it->valuestring) {
        *bad = true;
        return NULL;
    }
    n = strlen(it->valuestring);
    if (n > max || !utf8_text_ok(it->valuestring, n)) {
        *bad = true;
        return NULL;
    }
    return it->valuestring;
}

const char *api_input(struct ctx *c, const cJSON *body, const char *key,
                      size_t max, bool *bad)
{
    const char *v = body ? api_str(body, key, max, bad) : NULL;

    if (v || *bad)
        return v;
    v = http_req_param(c->req, key);
    if (v && strlen(v) > max) {
        *bad = true;
        return NULL;
    }
    return v;
}

bool api_query_long(struct ctx *c, const char *key, long def, long min,
                    long max, long *out)
{
    const char *v = http_param(&c->req->query, key);

    if (!v || !*v) {
        *out = def;
        return true;
    }
    if (str_to_long(v, min, max, out) != GALEN_OK) {
        ctx_error(c, 400, "bad_parameter",
                  "a numeric parameter is malformed or out of range");
        return false;
    }
    return true;
}

void api_add_str(cJSON *obj, const char *key, const char *s)
{
    if (s)
        cJSON_AddStringToObject(obj, key, s);
    else
        cJSON_AddNullToObject(obj, key);
}

void api_add_time(cJSON *obj, const char *key, long long t)
{
    char iso[21];

    page_iso_time(t, iso);
    cJSON_AddStringToObject(obj, key, iso);
}

int api_doc_row(void *ctx, const struct galen_doc_row *r)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "id", r->id);
    cJSON_AddStringToObject(o, "title", r->title);
    cJSON_AddStringToObject(o, "kind", r->kind);
    cJSON_AddStringToObject(o, "status", r->status);
    cJSON_AddStringToObject(o, "updated_at", r->updated);
    cJSON_AddNumberToObject(o, "version", (double)r->version);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}
