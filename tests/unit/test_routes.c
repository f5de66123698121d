/* SPDX-License-Identifier: MIT */
/* test_routes.c: the router and handlers driven in-process (no sockets):
 * routing, JSON errors for malformed requests, sessions and CSRF, rate
 * limits, and that every role is refused every action it may not take. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "../../httpd/app.h"
#include "content/doc.h"
#include "content/store.h"
#include "service/auth.h"
#include "service/service.h"
#include "test_util.h"

struct fx {
    char dir[TMP_DIR_MAX];
    struct app *app;
    double now; /* advances per request so rate limits refill predictably */
};

/* One simulated request and its response. */
struct call {
    const char *method;
    const char *target;
    const char *ctype;
    const char *body;
    const char *cookie;
    const char *csrf_header;
    const char *auth;
    const char *client;
    bool tls;
    struct http_resp resp;
    char *text; /* NUL-terminated copy of the body */
};

static void add_user(struct app *app, const char *name, enum galen_role role,
                     const char *specialty)
{
    struct galen_service *svc = app_service_get(app);

    assert_int_equal(service_user_add(svc, name, "password123", role, specialty,
                                      1700000000, NULL),
                     GALEN_OK);
    app_service_put(app, svc);
}

static void add_doc(struct app *app, const char *id)
{
    struct galen_service *svc = app_service_get(app);
    struct doc d;
    enum store_upsert_result res;

    doc_init(&d);
    assert_int_equal(doc_set_cstr(&d.id, id), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.title, "Calf cramps"), GALEN_OK);
    d.kind = DOC_KIND_ARTICLE;
    assert_int_equal(doc_add_section(&d, "", "Stretch.", 8), GALEN_OK);
    assert_int_equal(store_upsert(service_store(svc), &d, "t", &res), GALEN_OK);
    doc_cleanup(&d);
    app_service_put(app, svc);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct app_conf conf;

    if (!f)
        return -1;
    tmp_dir(f->dir);
    memset(&conf, 0, sizeof conf);
    conf.data_dir = f->dir;
    conf.threads = 2;
    conf.web_dir = "web";
    conf.login_rate = 0.5;
    conf.login_burst = 5;
    if (app_open(&conf, &f->app) != GALEN_OK)
        return -1;
    add_user(f->app, "pat", GALEN_ROLE_PATIENT, NULL);
    add_user(f->app, "neuro", GALEN_ROLE_SPECIALIST, "Neurology");
    add_user(f->app, "ortho", GALEN_ROLE_SPECIALIST, "Orthopedics");
    add_user(f->app, "ed", GALEN_ROLE_EDITOR, NULL);
    add_user(f->app, "admin", GALEN_ROLE_ADMIN, NULL);
    add_doc(f->app, "calf-cramps");
    f->now = 1000.0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    app_close(f->app);
    tmp_rm(f->dir);
    free(f);
    return 0;
}

static void call_run(struct fx *f, struct call *c)
{
    struct http_req req;
    const char *pattern;
    int rc = GALEN_OK;

    http_req_init(&req);
    http_resp_init(&c->resp);
    req.method = http_method_parse(c->method);
    assert_int_equal(http_parse_target(&req, c->target), GALEN_OK);
    req.content_type = c->ctype;
    req.body = c->body;
    req.body_len = c->body ? strlen(c->body) : 0;
    req.cookie = c->cookie;
    req.csrf_header = c->csrf_header;
    req.authorization = c->auth;
    snprintf(req.client, sizeof req.client, "%s",
             c->client ? c->client : "127.0.0.1");
    req.tls = c->tls;
    f->now += 100.0;
    req.now = f->now;
    req.wall = 1700000000 + (long long)f->now;
    server_dispatch(f->app, &req, &c->resp, &pattern);
    buf_put_nul(&rc, &c->resp.body);
    assert_int_equal(rc, GALEN_OK);
    c->text = (char *)c->resp.body.data;
    http_req_cleanup(&req);
}

static void call_done(struct call *c)
{
    http_resp_cleanup(&c->resp);
}

/* Runs a request and returns its status, discarding the response. */
static int status_of(struct fx *f, const char *method, const char *target,
                     const char *ctype, const char *body, const char *cookie)
{
    struct call c = {.method = method,
                     .target = target,
                     .ctype = ctype,
                     .body = body,
                     .cookie = cookie};
    int status;

    call_run(f, &c);
    status = c.resp.status;
    call_done(&c);
    return status;
}

/* Copies the value of the sid Set-Cookie of resp into out ("" if none). */
static void sid_of(const struct http_resp *resp, char *out, size_t cap)
{
    size_t i;

    out[0] = '\0';
    for (i = 0; i < resp->ncookies; i++) {
        const char *v = resp->cookie[i];
        const char *end = strchr(v, ';');

        if (strncmp(v, "sid=", 4) == 0 && end) {
            snprintf(out, cap, "%.*s", (int)(end - v), v);
            return;
        }
    }
}

/* Extracts the CSRF token from a page's hidden input. */
static void csrf_of(const char *html, char *out, size_t cap)
{
    const char *p = strstr(html, "name=\"csrf\" value=\"");
    const char *end;

    assert_non_null(p);
    p += strlen("name=\"csrf\" value=\"");
    end = strchr(p, '"');
    assert_non_null(end);
    snprintf(out, cap, "%.*s", (int)(end - p), p);
}

/* A logged-in browser: its cookie header and a CSRF token for forms. */
struct browser {
    char cookie[128];
    char csrf[64];
};

static void browser_login(struct fx *f, const char *name, struct browser *b)
{
    struct call get = {.method = "GET", .target = "/login"};
    struct call post = {.method = "POST",
                        .target = "/login",
                        .ctype = "application/x-www-form-urlencoded"};
    struct call page = {.method = "GET", .target = "/"};
    char form[256];
    char csrf[64];

    call_run(f, &get);
    assert_int_equal(get.resp.status, 200);
    sid_of(&get.resp, b->cookie, sizeof b->cookie);
    csrf_of(get.text, csrf, sizeof csrf);
    call_done(&get);
    snprintf(form, sizeof form, "csrf=%s&name=%s&password=password123", csrf,
             name);
    post.body = form;
    post.cookie = b->cookie;
    call_run(f, &post);
    assert_int_equal(post.resp.status, 303);
    sid_of(&post.resp, b->cookie, sizeof b->cookie);
    assert_true(strlen(b->cookie) > 10);
    call_done(&post);
    page.cookie = b->cookie;
    call_run(f, &page);
    assert_non_null(strstr(page.text, name));
    csrf_of(page.text, b->csrf, sizeof b->csrf);
    call_done(&page);
}

static void test_routes_health_and_errors(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "GET", .target = "/api/health"};

    call_run(f, &c);
    assert_int_equal(c.resp.status, 200);
    assert_string_equal(c.resp.content_type, "application/json");
    assert_non_null(strstr(c.text, "\"status\":\"ok\""));
    call_done(&c);
    c.target = "/api/nothing";
    call_run(f, &c);
    assert_int_equal(c.resp.status, 404);
    assert_non_null(strstr(c.text, "\"error\""));
    call_done(&c);
    c.target = "/nothing";
    call_run(f, &c);
    assert_int_equal(c.resp.status, 404);
    assert_non_null(strstr(c.text, "<!doctype html>"));
    call_done(&c);
    assert_int_equal(
        status_of(f, "POST", "/api/health", "application/json", "{}", NULL),
        405);
    assert_int_equal(status_of(f, "HEAD", "/api/health", NULL, NULL, NULL),
                     200);
}

static void test_routes_malformed_requests_get_json_4xx(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "POST",
                     .target = "/api/login",
                     .ctype = "application/json",
                     .body = "{\"name\":",
                     .client = "10.9.9.1"};
    struct http_req req;

    call_run(f, &c);
    assert_int_equal(c.resp.status, 400);
    assert_non_null(strstr(c.text, "bad_json"));
    call_done(&c);
    c.body = "[1,2]";
    call_run(f, &c);
    assert_int_equal(c.resp.status, 400);
    call_done(&c);
    c.body = "{\"name\":5,\"password\":\"x\"}";
    call_run(f, &c);
    assert_int_equal(c.resp.status, 400);
    call_done(&c);
    c.ctype = "text/plain";
    c.body = "hello";
    call_run(f, &c);
    assert_int_equal(c.resp.status, 415);
    assert_non_null(strstr(c.text, "unsupported_media_type"));
    call_done(&c);
    /* Targets the transport rejects before routing. */
    http_req_init(&req);
    assert_int_equal(http_parse_target(&req, "/a%00b"), GALEN_EPARSE);
    assert_int_equal(http_parse_target(&req, "/a?q=%ff"), GALEN_EPARSE);
    assert_int_equal(http_parse_target(&req, "noslash"), GALEN_EPARSE);
    assert_int_equal(http_parse_target(&req, "/ok?a=1&b=two+words&c"),
                     GALEN_OK);
    assert_string_equal(http_param(&req.query, "b"), "two words");
    assert_string_equal(http_param(&req.query, "c"), "");
    http_req_cleanup(&req);
}

static void test_routes_login_needs_csrf(void **state)
{
    struct fx *f = *state;
    struct call get = {.method = "GET", .target = "/login"};
    char cookie[128];
    char csrf[64];
    char form[256];

    call_run(f, &get);
    sid_of(&get.resp, cookie, sizeof cookie);
    csrf_of(get.text, csrf, sizeof csrf);
    assert_non_null(strstr(get.resp.cookie[0], "HttpOnly"));
    assert_non_null(strstr(get.resp.cookie[0], "SameSite=Strict"));
    call_done(&get);
    /* No token, a wrong token, and a token without its cookie. */
    assert_int_equal(status_of(f, "POST", "/login",
                               "application/x-www-form-urlencoded",
                               "name=pat&password=password123", cookie),
                     403);
    snprintf(form, sizeof form, "csrf=%sX&name=pat&password=password123", csrf);
    assert_int_equal(status_of(f, "POST", "/login",
                               "application/x-www-form-urlencoded", form,
                               cookie),
                     403);
    snprintf(form, sizeof form, "csrf=%s&name=pat&password=password123", csrf);
    assert_int_equal(status_of(f, "POST", "/login",
                               "application/x-www-form-urlencoded", form, NULL),
                     403);
    snprintf(form, sizeof form, "csrf=%s&name=pat&password=wrongwrong", csrf);
    assert_int_equal(status_of(f, "POST", "/login",
                               "application/x-www-form-urlencoded", form,
                               cookie),
                     401);
    snprintf(form, sizeof form, "csrf=%s&name=pat&password=password123", csrf);
    assert_int_equal(status_of(f, "POST", "/login",
                               "application/x-www-form-urlencoded", form,
                               cookie),
                     303);
}

static void test_routes_session_cookie_and_logout(void **state)
{
    struct fx *f = *state;
    struct browser b;
    struct call me = {.method = "GET", .target = "/api/me"};
    char form[128];

    browser_login(f, "neuro", &b);
    me.cookie = b.cookie;
    call_run(f, &me);
    assert_non_null(strstr(me.text, "\"role\":\"specialist\""));
    assert_non_null(strstr(me.text, "\"specialty\":\"Neurology\""));
    call_done(&me);
    snprintf(form, sizeof form, "csrf=%s", b.csrf);
    assert_int_equal(status_of(f, "POST", "/logout",
                               "application/x-www-form-urlencoded", form,
                               b.cookie),
                     303);
    call_run(f, &me);
    assert_non_null(strstr(me.text, "\"role\":\"anon\""));
    call_done(&me);
}

static void test_routes_api_bearer_login(void **state)
{
    struct fx *f = *state;
    struct call login = {.method = "POST",
                         .target = "/api/login",
                         .ctype = "application/json",
                         .body =
                             "{\"name\":\"ed\",\"password\":\"password123\"}",
                         .client = "10.1.1.1"};
    struct call me = {.method = "GET", .target = "/api/me"};
    char auth[128];
    const char *tok;

    call_run(f, &login);
    assert_int_equal(login.resp.status, 200);
    tok = strstr(login.text, "\"token\":\"");
    assert_non_null(tok);
    snprintf(auth, sizeof auth, "Bearer %.43s", tok + 9);
    call_done(&login);
    me.auth = auth;
    call_run(f, &me);
    assert_non_null(strstr(me.text, "\"role\":\"editor\""));
    call_done(&me);
    /* A cookie session's JSON POST needs the CSRF header; bearer does not. */
    assert_int_equal(
        status_of(f, "POST", "/api/logout", "application/json", "{}", NULL),
        401);
    login.body = "{\"name\":\"ed\",\"password\":\"nope-nope\"}";
    call_run(f, &login);
    assert_int_equal(login.resp.status, 401);
    call_done(&login);
}

static void test_routes_login_rate_limited(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "POST",
                     .target = "/api/login",
                     .ctype = "application/json",
                     .client = "192.0.2.7"};
    char body[96];
    int i;
    int limited = 0;
    double saved = f->now;

    for (i = 0; i < 8; i++) {
        f->now = saved; /* no time passes: the burst of 5 is all there is */
        /* A name per attempt: this is the per-address limit, not the
         * per-account backoff. */
        snprintf(body, sizeof body,
                 "{\"name\":\"nobody%d\",\"password\":\"whatever1\"}", i);
        c.body = body;
        call_run(f, &c);
        if (c.resp.status == 429) {
            limited++;
            assert_true(c.resp.retry_after > 0);
        } else {
            assert_int_equal(c.resp.status, 401);
        }
        call_done(&c);
    }
    assert_int_equal(limited, 3);
}

/* Finding 5 of issue 10: guesses spread over many addresses (each within
 * its per-address limit) still meet the account's backoff, and the right
 * password does not get in while it lasts. */
static void test_routes_login_backoff_per_account(void **state)
{
    struct fx *f = *state;
    struct call c = {
        .method = "POST", .target = "/api/login", .ctype = "application/json"};
    char client[32];
    double saved = f->now;
    int refused = 0;
    int i;

    for (i = 0; i < 40; i++) {
        snprintf(client, sizeof client, "198.51.100.%d", i + 1);
        c.client = client;
        c.body = "{\"name\":\"Admin\",\"password\":\"wrong-guess\"}";
        f->now = saved + i; /* 40 guesses in 40 seconds */
        call_run(f, &c);
        if (c.resp.status == 429) {
            refused++;
            assert_true(c.resp.retry_after > 0);
        } else {
            assert_int_equal(c.resp.status, 401);
        }
        call_done(&c);
    }
    assert_true(refused >= 34); /* 1, 2, 4, 8, 16 s: 6 checked guesses */
    c.client = "203.0.113.9";
    c.body = "{\"name\":\"admin\",\"password\":\"password123\"}";
    f->now = saved + 41;
    call_run(f, &c);
    assert_int_equal(c.resp.status, 429);
    call_done(&c);
    /* Once the wait is over, the owner gets in and the count resets. */
    f->now = saved + 41 + 301;
    call_run(f, &c);
    assert_int_equal(c.resp.status, 200);
    call_done(&c);
    f->now = saved + 1000;
}

static void test_routes_static_files(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "GET", .target = "/static/style.css"};

    call_run(f, &c);
    assert_int_equal(c.resp.status, 200);
    assert_non_null(c.resp.shared_body);
    assert_non_null(strstr(c.resp.content_type, "text/css"));
    call_done(&c);
    assert_int_equal(
        status_of(f, "GET", "/static/..%2Fstore.db", NULL, NULL, NULL), 404);
    assert_int_equal(status_of(f, "GET", "/static/nope.css", NULL, NULL, NULL),
                     404);
}

/* An action and the roles allowed to take it. */
struct action {
    const char *method;
    const char *target;
    const char *form; /* urlencoded body without the csrf field */
    unsigned allowed; /* bit per enum galen_role */
};

#define R(x) (1u << GALEN_ROLE_##x)
#define ALL  (R(ANON) | R(PATIENT) | R(SPECIALIST) | R(EDITOR) | R(ADMIN))

static const struct action actions[] = {
    {"GET", "/", NULL, ALL},
    {"GET", "/specialist", NULL, R(SPECIALIST) | R(EDITOR)},
    {"GET", "/api/questions?status=open", NULL, R(SPECIALIST) | R(EDITOR)},
    {"GET", "/review", NULL, R(EDITOR)},
    {"GET", "/review/calf-cramps", NULL, R(EDITOR)},
    {"GET", "/api/review", NULL, R(EDITOR)},
    {"GET", "/api/documents/calf-cramps/history", NULL, R(EDITOR)},
    {"GET", "/moderation", NULL, R(EDITOR)},
    {"GET", "/api/comments/pending", NULL, R(EDITOR)},
    {"GET", "/admin/users", NULL, R(ADMIN)},
    {"GET", "/api/users", NULL, R(ADMIN)},
    {"POST", "/questions", "title=T&body=B", R(ANON) | R(PATIENT)},
    {"POST", "/questions/1/reply", "body=Rest.", R(SPECIALIST)},
    {"POST", "/articles/calf-cramps/comments", "body=Hi",
     R(ANON) | R(PATIENT) | R(SPECIALIST) | R(EDITOR)},
    {"POST", "/moderation/1", "action=approve", R(EDITOR)},
    {"POST", "/review/calf-cramps", "action=start", R(EDITOR)},
    {"POST", "/admin/users", "name=newbie&password=password123&role=patient",
     R(ADMIN)},
    {"POST", "/admin/users/1", "action=enable", R(ADMIN)},
    {"POST", "/ask", "q=cramps", ALL},
    {"GET", "/account", NULL,
     R(PATIENT) | R(SPECIALIST) | R(EDITOR) | R(ADMIN)},
    {"POST", "/account/password",
     "current=x&password=password-a&again=password-b",
     R(PATIENT) | R(SPECIALIST) | R(EDITOR) | R(ADMIN)},
    {"POST", "/admin/users/1/reset", "", R(ADMIN)},
    {"POST", "/logout", "", R(PATIENT) | R(SPECIALIST) | R(EDITOR) | R(ADMIN)},
};

static bool refused(const struct http_resp *r)
{
    return r->status == 401 || r->status == 403 ||
           (r->status == 303 && strncmp(r->location, "/login", 6) == 0);
}

static void anon_browser(struct fx *f, struct browser *b)
{
    struct call get = {.method = "GET", .target = "/login"};

    call_run(f, &get);
    sid_of(&get.resp, b->cookie, sizeof b->cookie);
    csrf_of(get.text, b->csrf, sizeof b->csrf);
    call_done(&get);
}

static void run_matrix(struct fx *f, enum galen_role role, struct browser *b)
{
    char form[256];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(actions); i++) {
        const struct action *a = &actions[i];
        struct call c = {
            .method = a->method, .target = a->target, .cookie = b->cookie};
        bool allowed = (a->allowed >> role) & 1u;

        if (a->form) {
            snprintf(form, sizeof form, "csrf=%s%s%s", b->csrf,
                     a->form[0] ? "&" : "", a->form);
            c.ctype = "application/x-www-form-urlencoded";
            c.body = form;
        }
        call_run(f, &c);
        if (allowed == refused(&c.resp))
            fail_msg("%s %s %s as %s: status %d", allowed ? "refused" : "let",
                     a->method, a->target, auth_role_name(role), c.resp.status);
        call_done(&c);
    }
}

static void test_routes_each_role_refused_what_it_may_not_do(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {NULL, "pat", "neuro", "ed", "admin"};
    struct galen_service *svc = app_service_get(f->app);
    struct galen_question_in in = {"Cramps",   "Calf cramps.", NULL,
                                   NULL,       "Neurology",    0,
                                   1700000000, false,          NULL};
    struct galen_doc_info info;
    struct browser b;
    unsigned r;

    assert_int_equal(service_question_add(svc, &in, NULL), GALEN_OK);
    assert_int_equal(service_comment_add(svc, "calf-cramps", "x", "Hello", 0,
                                         1700000000, NULL),
                     GALEN_OK);
    app_service_put(f->app, svc);
    for (r = GALEN_ROLE_ANON; r < GALEN_ROLE_COUNT; r++) {
        if (r == GALEN_ROLE_ANON)
            anon_browser(f, &b);
        else
            browser_login(f, names[r], &b);
        run_matrix(f, (enum galen_role)r, &b);
    }
    /* Only the editor's one review action took effect. */
    svc = app_service_get(f->app);
    assert_int_equal(service_doc_info(svc, "calf-cramps", &info), GALEN_OK);
    assert_string_equal(info.status, "under_review");
    app_service_put(f->app, svc);
}

static void test_routes_specialist_only_in_own_specialty(void **state)
{
    struct fx *f = *state;
    struct galen_service *svc = app_service_get(f->app);
    struct galen_question_in in = {"Knee",     "Knee pain.", NULL,
                                   NULL,       "Neurology",  0,
                                   1700000000, false,        NULL};
    long long id = 0;
    struct browser b;
    char target[64];
    char form[128];

    assert_int_equal(service_question_add(svc, &in, &id), GALEN_OK);
    app_service_put(f->app, svc);
    browser_login(f, "ortho", &b);
    snprintf(target, sizeof target, "/questions/%lld/reply", id);
    snprintf(form, sizeof form, "csrf=%s&body=Ice+it.", b.csrf);
    assert_int_equal(status_of(f, "POST", target,
                               "application/x-www-form-urlencoded", form,
                               b.cookie),
                     403);
    browser_login(f, "neuro", &b);
    snprintf(form, sizeof form, "csrf=%s&body=Rest.", b.csrf);
    assert_int_equal(status_of(f, "POST", target,
                               "application/x-www-form-urlencoded", form,
                               b.cookie),
                     303);
}

static void test_routes_question_form_and_comment_flow(void **state)
{
    struct fx *f = *state;
    struct browser anon;
    struct browser ed;
    char form[512];
    struct call c = {.method = "POST",
                     .target = "/questions",
                     .ctype = "application/x-www-form-urlencoded"};

    anon_browser(f, &anon);
    /* An empty body re-renders the form with the error and the title kept. */
    snprintf(form, sizeof form,
             "csrf=%s&title=Kept+%%3Ctitle%%3E&body=", anon.csrf);
    c.body = form;
    c.cookie = anon.cookie;
    call_run(f, &c);
    assert_int_equal(c.resp.status, 400);
    assert_non_null(strstr(c.text, "the question is empty"));
    assert_non_null(strstr(c.text, "value=\"Kept &lt;title&gt;\""));
    call_done(&c);
    /* A comment is held, then shown once an editor approves it. */
    snprintf(form, sizeof form, "csrf=%s&author=Ann&body=Held+%%3Cb%%3E",
             anon.csrf);
    c.target = "/articles/calf-cramps/comments";
    call_run(f, &c);
    assert_int_equal(c.resp.status, 303);
    assert_string_equal(c.resp.location,
                        "/articles/calf-cramps?comment=held#cm-h");
    call_done(&c);
    c.method = "GET";
    c.target = "/articles/calf-cramps?comment=held";
    c.body = NULL;
    c.ctype = NULL;
    call_run(f, &c);
    assert_non_null(strstr(c.text, "held for moderation"));
    assert_null(strstr(c.text, "Held &lt;b&gt;"));
    assert_non_null(strstr(c.text, "Article Review Status"));
    call_done(&c);
    browser_login(f, "ed", &ed);
    c.cookie = ed.cookie;
    c.target = "/moderation";
    call_run(f, &c);
    assert_non_null(strstr(c.text, "Held &lt;b&gt;"));
    call_done(&c);
}

/* Finding 2 of issue 10: an open question is not readable by anonymous
 * clients or other specialties, only by its secret link, its specialty and
 * editors; the page and the API agree. */
static void test_routes_open_question_privacy(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "POST",
                     .target = "/api/questions",
                     .ctype = "application/json",
                     .body = "{\"title\":\"HIV\",\"body\":\"I tested "
                             "positive.\",\"specialty\":\"Neurology\"}"};
    char api[128];
    char page[128];
    char keyed[192];
    cJSON *out;
    struct browser b;

    call_run(f, &c);
    assert_int_equal(c.resp.status, 201);
    out = cJSON_Parse(c.text);
    assert_non_null(out);
    snprintf(api, sizeof api, "/api/questions/%d",
             cJSON_GetObjectItem(out, "id")->valueint);
    snprintf(page, sizeof page, "/questions/%d",
             cJSON_GetObjectItem(out, "id")->valueint);
    snprintf(keyed, sizeof keyed, "%s",
             cJSON_GetObjectItem(out, "link")->valuestring);
    cJSON_Delete(out);
    call_done(&c);
    assert_int_equal(status_of(f, "GET", api, NULL, NULL, NULL), 404);
    assert_int_equal(status_of(f, "GET", page, NULL, NULL, NULL), 404);
    assert_int_equal(status_of(f, "GET", keyed, NULL, NULL, NULL), 200);
    browser_login(f, "ortho", &b);
    assert_int_equal(status_of(f, "GET", api, NULL, NULL, b.cookie), 404);
    browser_login(f, "pat", &b);
    assert_int_equal(status_of(f, "GET", page, NULL, NULL, b.cookie), 404);
    browser_login(f, "neuro", &b);
    assert_int_equal(status_of(f, "GET", api, NULL, NULL, b.cookie), 200);
    browser_login(f, "ed", &b);
    assert_int_equal(status_of(f, "GET", page, NULL, NULL, b.cookie), 200);
}

/* Findings 6 and 7 of issue 10: a NUL cannot cut a user name short, and
 * trailing data or a second value for a key is a 400, not a login. */
static void test_routes_json_bodies_are_strict(void **state)
{
    struct fx *f = *state;
    static const char *const bodies[] = {
        "{\"name\":\"pat\\u0000x\",\"password\":\"password123\"}",
        "{\"name\":\"pat\",\"password\":\"password123\"}garbage",
        "{\"name\":\"pat\",\"password\":\"password123\"}{\"a\":1}",
        "{\"name\":\"pat\",\"name\":\"ed\",\"password\":\"password123\"}",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(bodies); i++)
        assert_int_equal(status_of(f, "POST", "/api/login", "application/json",
                                   bodies[i], NULL),
                         400);
    assert_int_equal(status_of(f, "POST", "/api/login", "application/json",
                               "{\"name\":\"pat\",\"password\":"
                               "\"password123\"}\n",
                               NULL),
                     200);
}

/* Finding 8 of issue 10: the page to return to after a login is a safe
 * same-site path or "/", never a target a browser reads as another site. */
static void test_routes_login_next_is_same_site(void **state)
{
    struct fx *f = *state;
    static const char *const next[][2] = {
        {"%2F%09%2Fevil.example%2Fx", "/"},
        {"%2F%5Cevil.example", "/"},
        {"%2F%2Fevil.example", "/"},
        {"https%3A%2F%2Fevil.example", "/"},
        {"%2F%20%2Fevil.example", "/"},
        {"%2Freview%2Fcalf-cramps%3Fdone%3D1", "/review/calf-cramps?done=1"},
    };
    struct browser b;
    char form[256];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(next); i++) {
        struct call c = {.method = "POST",
                         .target = "/login",
                         .ctype = "application/x-www-form-urlencoded"};

        anon_browser(f, &b);
        snprintf(form, sizeof form,
                 "csrf=%s&name=ed&password=password123&next=%s", b.csrf,
                 next[i][0]);
        c.body = form;
        c.cookie = b.cookie;
        call_run(f, &c);
        assert_int_equal(c.resp.status, 303);
        assert_string_equal(c.resp.location, next[i][1]);
        call_done(&c);
    }
}

/* Finding 10: the session cookie is Secure whenever the request came over
 * TLS, without --secure-cookies; plain HTTP keeps it usable. */
static void test_routes_cookie_secure_over_tls(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "GET", .target = "/login", .tls = true};

    call_run(f, &c);
    assert_int_equal(c.resp.ncookies, 1);
    assert_non_null(strstr(c.resp.cookie[0], "; Secure"));
    call_done(&c);
    c.tls = false;
    call_run(f, &c);
    assert_int_equal(c.resp.ncookies, 1);
    assert_null(strstr(c.resp.cookie[0], "Secure"));
    call_done(&c);
}

/* Finding 5 of issue 10: when every password-hashing slot is taken, a
 * login is turned away at once (503 busy) instead of tying up a worker. */
static void test_routes_password_hashes_are_bounded(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "POST",
                     .target = "/api/login",
                     .ctype = "application/json",
                     .body = "{\"name\":\"nobody-h\",\"password\":"
                             "\"whatever1\"}",
                     .client = "192.0.2.99"};
    int taken = 0;

    while (sem_trywait(&f->app->hash_sem) == 0)
        taken++;
    assert_true(taken >= 1);
    call_run(f, &c);
    assert_int_equal(c.resp.status, 503);
    assert_int_equal(c.resp.retry_after, 1);
    call_done(&c);
    while (taken-- > 0)
        sem_post(&f->app->hash_sem);
    call_run(f, &c);
    assert_int_equal(c.resp.status, 401);
    call_done(&c);
}

/* Finding 10: registering a taken name and a free one look the same. */
static void test_routes_register_does_not_reveal_names(void **state)
{
    struct fx *f = *state;
    struct browser b;
    char form[256];
    struct call c = {.method = "POST",
                     .target = "/register",
                     .ctype = "application/x-www-form-urlencoded"};
    char loc[2][HTTP_LOCATION_MAX];
    int status[2];
    int i;

    anon_browser(f, &b);
    for (i = 0; i < 2; i++) {
        snprintf(form, sizeof form,
                 "csrf=%s&name=%s&password=password456&password2=password456",
                 b.csrf, i ? "pat" : "fresh-name");
        c.body = form;
        c.cookie = b.cookie;
        call_run(f, &c);
        status[i] = c.resp.status;
        snprintf(loc[i], sizeof loc[i], "%s", c.resp.location);
        assert_int_equal(c.resp.ncookies, 0);
        call_done(&c);
    }
    assert_int_equal(status[0], 303);
    assert_int_equal(status[1], status[0]);
    assert_string_equal(loc[1], loc[0]);
}

static void test_routes_ask_page_without_engine(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "GET",
                     .target = "/ask?q=calf+%3Cb%3E&audience=clinician"};

    call_run(f, &c);
    assert_int_equal(c.resp.status, 200);
    assert_non_null(strstr(c.text, "calf &lt;b&gt;"));
    assert_non_null(strstr(c.text, "not available"));
    assert_non_null(
        strstr(c.text, "name=\"audience\" value=\"patient\"><button"));
    call_done(&c);
    assert_int_equal(status_of(f, "GET", "/api/ask?q=x", NULL, NULL, NULL),
                     503);
    assert_int_equal(
        status_of(f, "GET", "/api/ask?audience=x", NULL, NULL, NULL), 400);
}

/* The ask form posts; the answer page links nowhere with the question in
 * the address, and asking needs no CSRF token (so sets no cookie). */
static void test_routes_ask_is_posted(void **state)
{
    struct fx *f = *state;
    struct call c = {.method = "POST",
                     .target = "/ask",
                     .ctype = "application/x-www-form-urlencoded",
                     .body = "q=calf+%3Cb%3E+cramps&audience=clinician"};
    struct call home = {.method = "GET", .target = "/"};

    call_run(f, &c);
    assert_int_equal(c.resp.status, 200);
    assert_int_equal(c.resp.ncookies, 0);
    assert_non_null(strstr(c.text, "calf &lt;b&gt; cramps</h1>"));
    assert_null(strstr(c.text, "?q="));
    assert_non_null(strstr(c.text, "<form method=\"post\" action=\"/ask\" "
                                   "class=\"ask-link\"><input "
                                   "type=\"hidden\" name=\"q\" "
                                   "value=\"calf &lt;b&gt; cramps\">"));
    call_done(&c);
    call_run(f, &home);
    assert_non_null(strstr(home.text, "<form method=\"post\" "
                                      "action=\"/ask\" class=\"ask\""));
    assert_int_equal(home.resp.ncookies, 0);
    call_done(&home);
    /* A shared link (GET) still shows the answer. */
    assert_int_equal(status_of(f, "GET", "/ask?q=cramps", NULL, NULL, NULL),
                     200);
}

/* Every site URL in s starts with base. */
static void all_prefixed(const char *s, const char *base)
{
    static const char *const attrs[] = {"href=\"/", "action=\"/", "src=\"/"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(attrs); i++) {
        const char *p = s;

        while ((p = strstr(p, attrs[i])) != NULL) {
            p += strlen(attrs[i]) - 1;
            if (strncmp(p, base, strlen(base)) != 0)
                fail_msg("unprefixed URL: %.60s", p);
        }
    }
}

static void test_routes_base_path(void **state)
{
    struct fx *f = *state;
    static const char *const pages[] = {"/galen/",
                                        "/galen/ask?q=cramps",
                                        "/galen/login",
                                        "/galen/register",
                                        "/galen/questions",
                                        "/galen/articles",
                                        "/galen/articles/calf-cramps"};
    struct browser b;
    size_t i;

    snprintf(f->app->base_path, sizeof f->app->base_path, "/galen");
    for (i = 0; i < ARRAY_SIZE(pages); i++) {
        struct call c = {.method = "GET", .target = pages[i]};

        call_run(f, &c);
        assert_int_equal(c.resp.status, 200);
        all_prefixed(c.text, "/galen/");
        assert_non_null(strstr(c.text, "href=\"/galen/static/style.css\""));
        call_done(&c);
    }
    assert_int_equal(status_of(f, "GET", "/", NULL, NULL, NULL), 404);
    assert_int_equal(status_of(f, "GET", "/ask", NULL, NULL, NULL), 404);
    assert_int_equal(status_of(f, "GET", "/galenx/", NULL, NULL, NULL), 404);
    assert_int_equal(status_of(f, "GET", "/galen", NULL, NULL, NULL), 200);
    assert_int_equal(status_of(f, "GET", "/galen/api/health", NULL, NULL, NULL),
                     200);
    {
        struct call c = {.method = "GET", .target = "/galen/specialist"};

        call_run(f, &c);
        assert_int_equal(c.resp.status, 303);
        assert_string_equal(c.resp.location, "/galen/login?next=/specialist");
        call_done(&c);
    }
    {
        struct call c = {.method = "GET", .target = "/galen/login"};

        call_run(f, &c);
        assert_int_equal(c.resp.ncookies, 1);
        assert_non_null(strstr(c.resp.cookie[0], "; Path=/galen; "));
        call_done(&c);
    }
    /* A logged-in page, and a redirect after a form. */
    f->app->base_path[0] = '\0';
    browser_login(f, "admin", &b);
    snprintf(f->app->base_path, sizeof f->app->base_path, "/galen");
    {
        struct call c = {.method = "GET",
                         .target = "/galen/admin/users",
                         .cookie = b.cookie};
        struct call out = {.method = "POST",
                           .target = "/galen/logout",
                           .ctype = "application/x-www-form-urlencoded",
                           .cookie = b.cookie};
        char form[128];

        call_run(f, &c);
        assert_int_equal(c.resp.status, 200);
        all_prefixed(c.text, "/galen/");
        call_done(&c);
        snprintf(form, sizeof form, "csrf=%s", b.csrf);
        out.body = form;
        call_run(f, &out);
        assert_int_equal(out.resp.status, 303);
        assert_string_equal(out.resp.location, "/galen/");
        call_done(&out);
    }
    f->app->base_path[0] = '\0';
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_health_and_errors),
        cmocka_unit_test(test_routes_malformed_requests_get_json_4xx),
        cmocka_unit_test(test_routes_login_needs_csrf),
        cmocka_unit_test(test_routes_session_cookie_and_logout),
        cmocka_unit_test(test_routes_api_bearer_login),
        cmocka_unit_test(test_routes_login_rate_limited),
        cmocka_unit_test(test_routes_login_backoff_per_account),
        cmocka_unit_test(test_routes_static_files),
        cmocka_unit_test(test_routes_each_role_refused_what_it_may_not_do),
        cmocka_unit_test(test_routes_specialist_only_in_own_specialty),
        cmocka_unit_test(test_routes_question_form_and_comment_flow),
        cmocka_unit_test(test_routes_ask_page_without_engine),
        cmocka_unit_test(test_routes_open_question_privacy),
        cmocka_unit_test(test_routes_register_does_not_reveal_names),
        cmocka_unit_test(test_routes_json_bodies_are_strict),
        cmocka_unit_test(test_routes_login_next_is_same_site),
        cmocka_unit_test(test_routes_cookie_secure_over_tls),
        cmocka_unit_test(test_routes_password_hashes_are_bounded),
        cmocka_unit_test(test_routes_ask_is_posted),
        cmocka_unit_test(test_routes_base_path),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
