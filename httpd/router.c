/* SPDX-License-Identifier: MIT */
/* router.c: the routing table and the checks every request passes before
 * its handler runs. Each row names the permission it needs, so "who may do
 * what" is read off this table and auth.c's role table, nowhere else.
 * Order of checks: route, session, permission, request body (content type
 * and CSRF), rate limit, handler. */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "handlers.h"
#include "metrics.h"
#include "page.h"
#include "str.h"

enum route_flags {
    ROUTE_LIMIT_LOGIN = 1u << 0,    /* counts against the login limiter */
    ROUTE_LIMIT_QUESTION = 1u << 1, /* counts against question submissions */
    ROUTE_NO_CSRF = 1u << 2,        /* a POST that changes nothing (asking) */
};

struct route {
    enum http_method method; /* HEAD matches GET rows */
    const char *pattern;     /* literal segments, {id} or {slug} */
    route_fn fn;
    enum galen_perm perm;
    unsigned flags;
};

#define GET     HTTP_GET
#define POST    HTTP_POST
#define PERM(x) GALEN_PERM_##x

static const struct route routes[] = {
    {GET, "/", page_home, PERM(READ), 0},
    {GET, "/ask", page_ask, PERM(READ), 0},
    {POST, "/ask", page_ask, PERM(READ), ROUTE_NO_CSRF},
    {GET, "/static/{slug}", static_get, PERM(READ), 0},
    {GET, "/login", page_login_form, PERM(READ), 0},
    {POST, "/login", page_login, PERM(READ), ROUTE_LIMIT_LOGIN},
    {POST, "/logout", page_logout, PERM(ACCOUNT), 0},
    {GET, "/register", page_register_form, PERM(READ), 0},
    {POST, "/register", page_register, PERM(READ), ROUTE_LIMIT_LOGIN},
    {GET, "/account", page_account, PERM(ACCOUNT), 0},
    {POST, "/account/password", page_account_password, PERM(ACCOUNT),
     ROUTE_LIMIT_LOGIN},
    {GET, "/reset", page_reset_form, PERM(READ), 0},
    {POST, "/reset", page_reset, PERM(READ), ROUTE_LIMIT_LOGIN},
    {GET, "/questions", page_questions, PERM(READ), 0},
    {GET, "/questions/new", page_question_new, PERM(QUESTION_SUBMIT), 0},
    {POST, "/questions", page_question_submit, PERM(QUESTION_SUBMIT),
     ROUTE_LIMIT_QUESTION},
    {GET, "/questions/{id}", page_question, PERM(READ), 0},
    {POST, "/questions/{id}/reply", page_question_reply, PERM(REPLY), 0},
    {GET, "/specialist", page_specialist_queue, PERM(QUESTION_QUEUE), 0},
    {GET, "/articles", page_articles, PERM(READ), 0},
    {GET, "/articles/{slug}", page_article, PERM(READ), 0},
    {POST, "/articles/{slug}/comments", page_comment_submit, PERM(COMMENT),
     ROUTE_LIMIT_QUESTION},
    {GET, "/review", page_review_queue, PERM(REVIEW), 0},
    {POST, "/review-source", page_review_source, PERM(REVIEW), 0},
    {GET, "/review/{slug}", page_review_doc, PERM(REVIEW), 0},
    {POST, "/review/{slug}", page_review_action, PERM(REVIEW), 0},
    {GET, "/moderation", page_moderation, PERM(MODERATE), 0},
    {POST, "/moderation/{id}", page_moderate, PERM(MODERATE), 0},
    {GET, "/admin/users", page_users, PERM(USERS), 0},
    {POST, "/admin/users", page_user_add, PERM(USERS), 0},
    {POST, "/admin/users/{id}", page_user_toggle, PERM(USERS), 0},
    {POST, "/admin/users/{id}/reset", page_user_reset, PERM(USERS), 0},

    {GET, "/api/health", api_health, PERM(READ), 0},
    {GET, "/api/ready", api_ready, PERM(READ), 0},
    {GET, "/metrics", page_metrics, PERM(READ), 0},
    {GET, "/api/ask", api_ask, PERM(READ), 0},
    {POST, "/api/ask", api_ask, PERM(READ), 0},
    {GET, "/api/search", api_search, PERM(READ), 0},
    {GET, "/api/similar", api_similar, PERM(READ), 0},
    {GET, "/api/topics", api_topics, PERM(READ), 0},
    {GET, "/api/documents", api_documents, PERM(READ), 0},
    {GET, "/api/documents/{slug}", api_document, PERM(READ), 0},
    {GET, "/api/documents/{slug}/history", api_document_history, PERM(REVIEW),
     0},
    {GET, "/api/documents/{slug}/diff", api_document_diff, PERM(REVIEW), 0},
    {POST, "/api/documents/{slug}/review", api_review_action, PERM(REVIEW), 0},
    {GET, "/api/articles", api_articles, PERM(READ), 0},
    {GET, "/api/articles/{slug}", api_article, PERM(READ), 0},
    {POST, "/api/articles/{slug}/comments", api_comment_submit, PERM(COMMENT),
     ROUTE_LIMIT_QUESTION},
    {GET, "/api/questions", api_questions_list, PERM(READ), 0},
    {POST, "/api/questions", api_question_submit, PERM(QUESTION_SUBMIT),
     ROUTE_LIMIT_QUESTION},
    {GET, "/api/questions/{id}", api_question_get, PERM(READ), 0},
    {POST, "/api/questions/{id}/replies", api_question_reply, PERM(REPLY), 0},
    {GET, "/api/review", api_review_queue, PERM(REVIEW), 0},
    {GET, "/api/comments/pending", api_comments_pending, PERM(MODERATE), 0},
    {POST, "/api/comments/{id}/moderate", api_comment_moderate, PERM(MODERATE),
     0},
    {POST, "/api/login", api_login, PERM(READ), ROUTE_LIMIT_LOGIN},
    {POST, "/api/logout", api_logout, PERM(ACCOUNT), 0},
    {GET, "/api/me", api_me, PERM(READ), 0},
    {GET, "/api/users", api_users, PERM(USERS), 0},
    {POST, "/api/users/{id}/reset-link", api_user_reset, PERM(USERS), 0},
    {POST, "/api/account/password", api_account_password, PERM(ACCOUNT),
     ROUTE_LIMIT_LOGIN},
};

#undef GET
#undef POST
#undef PERM

static bool slug_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.' ||
           ch == ':';
}

/* Matches one path segment seg[0..n) against pattern segment pat[0..pn). */
static bool match_segment(const char *pat, size_t pn, const char *seg, size_t n,
                          struct ctx *c)
{
    char num[24];
    long v;
    size_t i;

    if (pn == 4 && memcmp(pat, "{id}", 4) == 0) {
        if (n == 0 || n >= sizeof num || seg[0] == '0')
            return false;
        memcpy(num, seg, n);
        num[n] = '\0';
        if (str_to_long(num, 1, 1L << 53, &v) != GALEN_OK)
            return false;
        c->id = v;
        return true;
    }
    if (pn == 6 && memcmp(pat, "{slug}", 6) == 0) {
        if (n == 0 || n >= sizeof c->slug || seg[0] == '.')
            return false;
        for (i = 0; i < n; i++) {
            if (!slug_char(seg[i]))
                return false;
        }
        memcpy(c->slug, seg, n);
        c->slug[n] = '\0';
        return true;
    }
    return pn == n && memcmp(pat, seg, n) == 0;
}

static bool match_path(const char *pattern, const char *path, struct ctx *c)
{
    const char *p = pattern;
    const char *s = path;

    while (*p && *s) {
        const char *pe;
        const char *se;

        if (*p != '/' || *s != '/')
            return false;
        p++;
        s++;
        pe = strchr(p, '/');
        se = strchr(s, '/');
        pe = pe ? pe : p + strlen(p);
        se = se ? se : s + strlen(s);
        if (!match_segment(p, (size_t)(pe - p), s, (size_t)(se - s), c))
            return false;
        p = pe;
        s = se;
    }
    return *p == '\0' && *s == '\0';
}

/* Finds the route for req; *path_known says whether some row matched the
 * path (so a miss is 405 rather than 404). */
static const struct route *route_find(const struct http_req *req, struct ctx *c,
                                      bool *path_known)
{
    enum http_method m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
    size_t i;

    *path_known = false;
    for (i = 0; i < ARRAY_SIZE(routes); i++) {
        if (!match_path(routes[i].pattern, req->path, c))
            continue;
        *path_known = true;
        if (routes[i].method == m)
            return &routes[i];
    }
    return NULL;
}

/* Fills c->user from the sid cookie or an Authorization: Bearer token. */
static void session_resolve(struct ctx *c)
{
    const struct http_req *req = c->req;
    char tok[GALEN_TOKEN_LEN + 1];
    const char *auth = req->authorization;

    c->user.role = GALEN_ROLE_ANON;
    if (req->cookie &&
        galen_cookie_get(req->cookie, "sid", tok, sizeof tok) == GALEN_OK &&
        galen_token_ok(tok))
        memcpy(c->sid, tok, sizeof tok);
    if (!c->svc)
        return;
    if (auth && strncmp(auth, "Bearer ", 7) == 0 && galen_token_ok(auth + 7)) {
        if (galen_session_get(c->svc, auth + 7, req->wall, &c->user) ==
            GALEN_OK) {
            c->via_bearer = true;
            return;
        }
        c->user.role = GALEN_ROLE_ANON;
    }
    if (c->sid[0] &&
        galen_session_get(c->svc, c->sid, req->wall, &c->user) == GALEN_OK)
        c->has_session = true;
    else
        c->user.role = GALEN_ROLE_ANON;
}

/* Checks the body of a POST: its content type, and the CSRF token that
 * binds a browser's request to its own session cookie. Parses urlencoded
 * forms into req->form. Returns false after writing an error. */
static bool post_ok(struct ctx *c, struct http_req *req)
{
    const char *token;
    int rc;

    if (http_is_content_type(req, "application/x-www-form-urlencoded")) {
        rc = http_parse_params(&req->form, req->body, req->body_len);
        if (rc != GALEN_OK) {
            ctx_error(c, 400, "bad_form", "the form data is malformed");
            return false;
        }
        if (c->route->flags & ROUTE_NO_CSRF)
            return true;
        token = http_param(&req->form, "csrf");
    } else if (http_is_content_type(req, "application/json") ||
               (!req->content_type && req->body_len == 0)) {
        /* JSON cannot be sent cross-site without a CORS preflight, which
         * galen never grants; a cookie session still needs the header. */
        if (c->via_bearer || !c->has_session)
            return true;
        token = req->csrf_header;
    } else {
        ctx_error(c, 415, "unsupported_media_type",
                  "send application/json or a urlencoded form");
        return false;
    }
    if (!galen_csrf_check(&c->app->csrf, c->sid, token)) {
        ctx_error(c, 403, "csrf",
                  "the form has expired or did not come from this site; "
                  "reload the page and try again");
        return false;
    }
    return true;
}

static bool rate_ok(struct ctx *c)
{
    struct ratelimit *rl = NULL;
    double retry = 0;

    if (c->req->method != HTTP_POST)
        return true;
    if (c->route->flags & ROUTE_LIMIT_LOGIN)
        rl = c->app->rl_login;
    else if (c->route->flags & ROUTE_LIMIT_QUESTION)
        rl = c->app->rl_question;
    if (!rl || ratelimit_take(rl, c->req->client, c->req->now, &retry))
        return true;
    c->resp->retry_after = (long)retry + 1;
    ctx_error(c, 429, "rate_limited",
              "too many requests from this address; wait and try again");
    c->resp->retry_after = (long)retry + 1;
    return false;
}

static void refuse(struct ctx *c)
{
    char next[HTTP_LOCATION_MAX];
    int n;

    if (c->user.role != GALEN_ROLE_ANON) {
        ctx_error(c, 403, "forbidden",
                  "your account is not allowed to do this");
        return;
    }
    if (c->is_api || c->req->method != HTTP_GET) {
        ctx_error(c, 401, "login_required", "log in to do this");
        return;
    }
    n = snprintf(next, sizeof next, "/login?next=%s", c->req->path);
    http_resp_redirect(c->resp,
                       n > 0 && (size_t)n < sizeof next ? next : "/login");
}

/* Puts the base path in front of a redirect to a site path. */
static void prefix_location(const struct app *app, struct http_resp *resp)
{
    char loc[HTTP_LOCATION_MAX];
    int n;

    if (!app->base_path[0] || resp->location[0] != '/')
        return;
    n = snprintf(loc, sizeof loc, "%s%s", app->base_path, resp->location);
    if (n > 0 && (size_t)n < sizeof loc && http_location_ok(loc))
        memcpy(resp->location, loc, (size_t)n + 1);
    else
        snprintf(resp->location, sizeof resp->location, "%s/", app->base_path);
}

void server_dispatch(struct app *app, const struct http_req *creq,
                     struct http_resp *resp, const char **route_pattern)
{
    struct http_req req = *creq;
    struct ctx c;
    bool path_known;
    const char *path = proxy_strip_base(app->base_path, creq->path);

    memset(&c, 0, sizeof c);
    memset(&req.form, 0, sizeof req.form);
    c.app = app;
    c.req = &req;
    c.resp = resp;
    *route_pattern = NULL;
    /* Requests arrive with the base path (the proxy does not strip it);
     * the routes and every handler see the path below it. */
    req.path = (char *)(path ? path : "/-");
    c.is_api = !path || strncmp(req.path, "/api/", 5) == 0 ||
               strcmp(req.path, "/api") == 0;
    c.route = path ? route_find(&req, &c, &path_known) : NULL;
    if (!path)
        path_known = false;
    if (!c.route) {
        if (path_known)
            ctx_error(&c, 405, "method_not_allowed",
                      "this method is not allowed here");
        else
            ctx_error(&c, 404, "not_found", "no such page");
        return;
    }
    *route_pattern = c.route->pattern;
    c.svc = app_service_get(app);
    session_resolve(&c);
    if (!galen_role_can(c.user.role, c.route->perm))
        refuse(&c);
    else if (req.method != HTTP_POST || post_ok(&c, &req))
        if (rate_ok(&c))
            c.route->fn(&c);
    if (c.rc != GALEN_OK)
        ctx_fail(&c, c.rc, "the response could not be built");
    prefix_location(app, resp);
    app_service_put(app, c.svc);
    http_params_cleanup(&req.form);
}

bool ctx_hash_begin(struct ctx *c)
{
    if (sem_trywait(&c->app->hash_sem) == 0)
        return true;
    ctx_error(c, 503, "busy",
              "the server is checking other passwords; try again in a "
              "moment");
    c->resp->retry_after = 1;
    return false;
}

void ctx_hash_end(struct ctx *c)
{
    sem_post(&c->app->hash_sem);
}

void ctx_error(struct ctx *c, int status, const char *code, const char *msg)
{
    if (c->is_api) {
        http_resp_json_error(c->resp, status, code, msg);
        return;
    }
    page_error(c, status, msg);
}

void ctx_fail(struct ctx *c, int err, const char *what)
{
    switch (err) {
    case GALEN_ENOENT:
        ctx_error(c, 404, "not_found", what);
        return;
    case GALEN_EPERM:
        ctx_error(c, 403, "forbidden", what);
        return;
    case GALEN_EINVAL:
    case GALEN_EPARSE:
        ctx_error(c, 400, "bad_request", what);
        return;
    case GALEN_EEXIST:
    case GALEN_ESTATE:
        ctx_error(c, 409, "conflict", what);
        return;
    case GALEN_ETOOBIG:
        ctx_error(c, 413, "too_big", what);
        return;
    default:
        if (err == GALEN_EDB || err == GALEN_EIO || err == GALEN_ECORRUPT)
            metrics_event(c->app->metrics, METRICS_STORE_ERROR);
        /* The client learns only that it failed; the log keeps the cause
         * (a full disk, a locked or corrupt store) for the operator. */
        fprintf(stderr, "galen: error: %s %s: %s: %s: %s\n",
                c->req->method == HTTP_POST ? "POST" : "GET",
                c->route ? c->route->pattern : "-", what, galen_strerror(err),
                c->svc ? galen_service_errmsg(c->svc) : "");
        ctx_error(c, 500, "internal", galen_strerror(err));
        return;
    }
}

bool ctx_need_store(struct ctx *c, const char *what)
{
    char msg[80];

    if (c->svc)
        return true;
    snprintf(msg, sizeof msg, "this server has no %s store", what);
    ctx_error(c, 503, "no_store", msg);
    return false;
}

bool ctx_secure_cookies(const struct ctx *c)
{
    return c->app->secure_cookies || c->req->tls;
}

int ctx_cookie(struct ctx *c, const char *name, const char *value, long max_age)
{
    char set[HTTP_COOKIE_MAX];
    const char *path = c->app->base_path[0] ? c->app->base_path : "/";
    int rc = galen_cookie_path(set, sizeof set, name, value, path, max_age,
                               ctx_secure_cookies(c));

    return rc == GALEN_OK ? http_resp_cookie(c->resp, set) : rc;
}

void ctx_need_csrf(struct ctx *c)
{
    if (!c->sid[0]) {
        galen_token_new(c->sid);
        (void)!ctx_cookie(c, "sid", c->sid, c->app->session_ttl);
    }
    galen_csrf_token(&c->app->csrf, c->sid, c->csrf);
}
