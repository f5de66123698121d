/* SPDX-License-Identifier: MIT */
/* http.c: request-target and urlencoded parsing, and response helpers.
 * Parsing copies the input once into a single allocation and decodes keys
 * and values in place, so a request's parameters cost one malloc. */
#include "http.h"

#include <cjson/cJSON.h>
#include <string.h>
#include <strings.h>

#include <galen/error.h>

#include "html.h"
#include "mem.h"
#include "utf8.h"

enum http_method http_method_parse(const char *s)
{
    if (!s)
        return HTTP_OTHER;
    if (strcmp(s, "GET") == 0)
        return HTTP_GET;
    if (strcmp(s, "HEAD") == 0)
        return HTTP_HEAD;
    if (strcmp(s, "POST") == 0)
        return HTTP_POST;
    return HTTP_OTHER;
}

void http_req_init(struct http_req *req)
{
    memset(req, 0, sizeof *req);
    req->method = HTTP_GET;
}

void http_params_cleanup(struct http_params *p)
{
    galen_free(p->store);
    p->store = NULL;
    p->n = 0;
}

void http_req_cleanup(struct http_req *req)
{
    galen_free(req->path);
    req->path = NULL;
    http_params_cleanup(&req->query);
    http_params_cleanup(&req->form);
}

/* Decodes s[0..len) in place and checks it is clean text; returns its new
 * length or (size_t)-1. */
static size_t decode_text(char *s, size_t len)
{
    size_t n = html_urldec(s, len);

    if (!utf8_text_ok(s, n))
        return (size_t)-1;
    s[n] = '\0';
    return n;
}

/* Splits one "key=value" piece (already NUL-terminated at its end). */
static int add_piece(struct http_params *out, char *piece, size_t len)
{
    char *eq = memchr(piece, '=', len);
    size_t klen = eq ? (size_t)(eq - piece) : len;
    char *val = eq ? eq + 1 : piece + len;
    size_t vlen = eq ? len - klen - 1 : 0;

    if (out->n == HTTP_MAX_PARAMS)
        return GALEN_ETOOBIG;
    if (decode_text(piece, klen) == (size_t)-1 ||
        decode_text(val, vlen) == (size_t)-1)
        return GALEN_EPARSE;
    out->v[out->n].key = piece;
    out->v[out->n].val = val;
    out->n++;
    return GALEN_OK;
}

int http_parse_params(struct http_params *out, const char *s, size_t len)
{
    char *copy;
    size_t i = 0;
    int rc = GALEN_OK;

    http_params_cleanup(out);
    if (len == 0)
        return GALEN_OK;
    copy = galen_strndup(s, len);
    if (!copy)
        return GALEN_ENOMEM;
    out->store = copy;
    while (i < len && rc == GALEN_OK) {
        char *amp = memchr(copy + i, '&', len - i);
        size_t end = amp ? (size_t)(amp - copy) : len;

        copy[end] = '\0';
        if (end > i)
            rc = add_piece(out, copy + i, end - i);
        i = end + 1;
    }
    if (rc != GALEN_OK)
        http_params_cleanup(out);
    return rc;
}

int http_parse_target(struct http_req *req, const char *target)
{
    const char *q;
    size_t plen;
    char *path;
    int rc;

    if (!target || target[0] != '/')
        return GALEN_EPARSE;
    q = strchr(target, '?');
    plen = q ? (size_t)(q - target) : strlen(target);
    if (plen > HTTP_MAX_PATH)
        return GALEN_ETOOBIG;
    path = galen_strndup(target, plen);
    if (!path)
        return GALEN_ENOMEM;
    /* A '+' in a path is a plus, not a space: protect it from urldec. */
    if (memchr(path, '+', plen) || decode_text(path, plen) == (size_t)-1) {
        galen_free(path);
        return GALEN_EPARSE;
    }
    rc = q ? http_parse_params(&req->query, q + 1, strlen(q + 1)) : GALEN_OK;
    if (rc != GALEN_OK) {
        galen_free(path);
        return rc;
    }
    galen_free(req->path);
    req->path = path;
    return GALEN_OK;
}

const char *http_param(const struct http_params *p, const char *key)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        if (strcmp(p->v[i].key, key) == 0)
            return p->v[i].val;
    }
    return NULL;
}

const char *http_req_param(const struct http_req *req, const char *key)
{
    const char *v = http_param(&req->form, key);

    return v ? v : http_param(&req->query, key);
}

bool http_is_content_type(const struct http_req *req, const char *mime)
{
    size_t n = strlen(mime);
    const char *ct = req->content_type;

    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, mime, n) != 0)
        return false;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

void http_resp_init(struct http_resp *resp)
{
    memset(resp, 0, sizeof *resp);
    buf_init(&resp->body, HTTP_MAX_RESP);
    resp->status = 200;
    resp->content_type = "text/html; charset=utf-8";
    resp->cache = "no-store";
}

void http_resp_cleanup(struct http_resp *resp)
{
    buf_cleanup(&resp->body);
}

void http_resp_reset(struct http_resp *resp)
{
    struct buf keep = resp->body;

    buf_reset(&keep);
    memset(resp, 0, sizeof *resp);
    resp->body = keep;
    resp->status = 200;
    resp->content_type = "text/html; charset=utf-8";
    resp->cache = "no-store";
}

int http_resp_cookie(struct http_resp *resp, const char *v)
{
    size_t n = strlen(v);

    if (resp->ncookies == HTTP_MAX_COOKIES || n >= HTTP_COOKIE_MAX)
        return GALEN_ETOOBIG;
    memcpy(resp->cookie[resp->ncookies++], v, n + 1);
    return GALEN_OK;
}

bool http_location_ok(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    size_t i;

    if (n == 0 || n >= HTTP_LOCATION_MAX || path[0] != '/' || path[1] == '/')
        return false;
    /* Browsers skip tabs and newlines and read '\\' as '/' in a URL, so
     * "/\t/evil.example" would be "//evil.example": only unreserved
     * characters and the URL delimiters galen itself writes pass. */
    for (i = 0; i < n; i++) {
        char ch = path[i];

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || strchr("-._~/?=&%+#:,", ch)))
            return false;
    }
    return true;
}

void http_resp_redirect(struct http_resp *resp, const char *path)
{
    size_t n = path ? strlen(path) : 0;
    bool ok = http_location_ok(path);

    resp->status = 303;
    if (ok)
        memcpy(resp->location, path, n + 1);
    else
        memcpy(resp->location, "/", 2);
}

void http_resp_json_error(struct http_resp *resp, int status, const char *code,
                          const char *msg)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *err = cJSON_AddObjectToObject(root, "error");
    char *text;
    int rc = GALEN_OK;
    struct http_resp keep = *resp;

    http_resp_reset(resp);
    /* Cookies set before the error (a fresh session) still apply. */
    memcpy(resp->cookie, keep.cookie, sizeof resp->cookie);
    resp->ncookies = keep.ncookies;
    resp->status = status;
    resp->content_type = "application/json";
    cJSON_AddNumberToObject(err, "status", status);
    cJSON_AddStringToObject(err, "code", code);
    cJSON_AddStringToObject(err, "message", msg);
    text = cJSON_PrintUnformatted(root);
    if (text)
        buf_put_str(&rc, &resp->body, text);
    else
        buf_put_str(&rc, &resp->body, "{\"error\":{\"code\":\"nomem\"}}");
    buf_put_byte(&rc, &resp->body, '\n');
    cJSON_free(text);
    cJSON_Delete(root);
}

const char *http_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "Error";
    }
}
