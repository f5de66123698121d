/* SPDX-License-Identifier: MIT */
/* page_auth.c: logging in and out, and registering as a patient, as pages
 * and as JSON. A login always issues a fresh session token (no session
 * fixation); the browser gets it as an HttpOnly, SameSite=Strict cookie,
 * an API client in the JSON body to send as "Authorization: Bearer". */
#include <string.h>

#include <galen/error.h>

#include "api.h"
#include "handlers.h"
#include "page.h"

/* The page to return to after logging in: only a safe same-site path
 * (issue 10: "/\t/evil.example" used to pass as a path). */
static const char *safe_next(const char *next)
{
    return http_location_ok(next) ? next : "/";
}

static void login_form(struct ctx *c, const char *error, const char *name)
{
    const char *next = safe_next(http_req_param(c->req, "next"));

    page_begin(c, "Log in");
    page_out(c, "<h1>Log in</h1>\n");
    if (!error && http_param(&c->req->query, "registered"))
        page_out(c, "<p class=\"notice\" role=\"status\">If that user "
                    "name was free, your account is ready: log in. If you "
                    "cannot, the name was taken; register with "
                    "another.</p>\n");
    if (!error && http_param(&c->req->query, "reset"))
        page_out(c, "<p class=\"notice\" role=\"status\">Your new "
                    "password is set: log in with it.</p>\n");
    if (error)
        page_out(c, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
    page_out(c, "<form method=\"post\" action=\"/login\" class=\"stack\">");
    page_csrf_field(c);
    page_out(c,
             "<input type=\"hidden\" name=\"next\" value=\"%s\">"
             "<label for=\"name\">User name</label>"
             "<input id=\"name\" name=\"name\" autocomplete=\"username\" "
             "required value=\"%s\">"
             "<label for=\"password\">Password</label>"
             "<input id=\"password\" name=\"password\" type=\"password\" "
             "autocomplete=\"current-password\" required>"
             "<button type=\"submit\">Log in</button></form>\n"
             "<p>No account? <a href=\"/register\">Register as a "
             "patient</a>. Specialists and editors get accounts from an "
             "administrator.</p>\n",
             next, name ? name : "");
    page_end(c);
}

void page_login_form(struct ctx *c)
{
    login_form(c, NULL, NULL);
}

/* Checks a login under the account's backoff and the bound on concurrent
 * hashes. GALEN_OK with *u, GALEN_EPERM for a wrong name or password,
 * GALEN_EABORT when a refusal (429 or 503) has been written, or another
 * error. */
static int checked_login(struct ctx *c, const char *name, const char *pw,
                         struct galen_user *u)
{
    double retry = 0;
    int rc;

    if (!backoff_allowed(c->app->login_backoff, name, c->req->now, &retry)) {
        ctx_error(c, 429, "account_locked",
                  "too many failed logins for this account; wait and try "
                  "again");
        c->resp->retry_after = (long)retry + 1;
        return GALEN_EABORT;
    }
    if (!ctx_hash_begin(c))
        return GALEN_EABORT;
    rc = galen_user_login(c->svc, name, pw, u);
    ctx_hash_end(c);
    if (rc == GALEN_EPERM)
        backoff_failed(c->app->login_backoff, name, c->req->now);
    else if (rc == GALEN_OK)
        backoff_succeeded(c->app->login_backoff, name);
    return rc;
}

/* Starts a session for u and sets the cookie. */
static int start_session(struct ctx *c, const struct galen_user *u, bool cookie,
                         char token[GALEN_TOKEN_LEN + 1])
{
    int rc = galen_session_new(c->svc, u->id, c->req->wall, c->app->session_ttl,
                               token);

    if (rc != GALEN_OK || !cookie)
        return rc;
    /* The anonymous session that carried the login form ends here. */
    if (c->has_session)
        (void)!galen_session_end(c->svc, c->sid);
    return ctx_cookie(c, "sid", token, c->app->session_ttl);
}

void page_login(struct ctx *c)
{
    const char *name = http_req_param(c->req, "name");
    const char *pw = http_req_param(c->req, "password");
    struct galen_user u;
    char token[GALEN_TOKEN_LEN + 1];
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    rc = checked_login(c, name ? name : "", pw, &u);
    if (rc == GALEN_EABORT)
        return;
    if (rc == GALEN_EPERM) {
        c->resp->status = 401;
        login_form(c, "Wrong user name or password.", name);
        return;
    }
    if (rc == GALEN_OK)
        rc = start_session(c, &u, true, token);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "could not log in");
        return;
    }
    http_resp_redirect(c->resp, safe_next(http_req_param(c->req, "next")));
}

void page_logout(struct ctx *c)
{
    if (c->svc)
        (void)!galen_session_end(c->svc, c->sid);
    (void)!ctx_cookie(c, "sid", "", 0);
    http_resp_redirect(c->resp, "/");
}

static void register_form(struct ctx *c, const char *error, const char *name)
{
    page_begin(c, "Register");
    page_out(c, "<h1>Register as a patient</h1>\n");
    if (error)
        page_out(c, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
    page_out(c, "<form method=\"post\" action=\"/register\" class=\"stack\">");
    page_csrf_field(c);
    page_out(c,
             "<label for=\"name\">User name</label>"
             "<input id=\"name\" name=\"name\" autocomplete=\"username\" "
             "required minlength=\"2\" maxlength=\"63\" "
             "pattern=\"[A-Za-z0-9._-]+\" value=\"%s\" "
             "aria-describedby=\"name-help\">"
             "<small id=\"name-help\">Letters, digits, dots, dashes and "
             "underscores. Do not use your real name.</small>"
             "<label for=\"password\">Password</label>"
             "<input id=\"password\" name=\"password\" type=\"password\" "
             "autocomplete=\"new-password\" required minlength=\"8\" "
             "maxlength=\"128\">"
             "<label for=\"password2\">Repeat the password</label>"
             "<input id=\"password2\" name=\"password2\" type=\"password\" "
             "autocomplete=\"new-password\" required minlength=\"8\" "
             "maxlength=\"128\">"
             "<button type=\"submit\">Register</button></form>\n",
             name ? name : "");
    page_end(c);
}

void page_register_form(struct ctx *c)
{
    register_form(c, NULL, NULL);
}

/* Registering answers the same way whether or not the name was free: a
 * redirect to the login page, after one password hash either way, so that
 * the form cannot be used to find out which user names exist. */
void page_register(struct ctx *c)
{
    const char *name = http_req_param(c->req, "name");
    const char *pw = http_req_param(c->req, "password");
    const char *pw2 = http_req_param(c->req, "password2");
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    if (!pw || !pw2 || strcmp(pw, pw2) != 0) {
        c->resp->status = 400;
        register_form(c, "The two passwords differ.", name);
        return;
    }
    if (!ctx_hash_begin(c))
        return;
    rc = galen_user_add(c->svc, name, pw, GALEN_ROLE_PATIENT, NULL,
                        c->req->wall, NULL);
    ctx_hash_end(c);
    if (rc == GALEN_EINVAL) {
        c->resp->status = 400;
        register_form(c, galen_service_errmsg(c->svc), name);
        return;
    }
    if (rc != GALEN_OK && rc != GALEN_EEXIST) {
        ctx_fail(c, rc, "could not register");
        return;
    }
    http_resp_redirect(c->resp, "/login?registered=1");
}

/* ---- JSON ---------------------------------------------------------------- */

static cJSON *user_json(const struct galen_user *u)
{
    cJSON *o = cJSON_CreateObject();

    if (u->role != GALEN_ROLE_ANON) {
        cJSON_AddNumberToObject(o, "id", (double)u->id);
        cJSON_AddStringToObject(o, "name", u->name);
    }
    cJSON_AddStringToObject(o, "role", galen_role_name(u->role));
    if (u->specialty[0])
        cJSON_AddStringToObject(o, "specialty", u->specialty);
    return o;
}

void api_login(struct ctx *c)
{
    cJSON *body = api_body(c);
    cJSON *out;
    bool bad = false;
    const char *name = api_str(body, "name", 64, &bad);
    const char *pw = api_str(body, "password", GALEN_PASSWORD_MAX, &bad);
    struct galen_user u;
    char token[GALEN_TOKEN_LEN + 1];
    int rc;

    if (!body)
        return;
    if (bad || !name || !pw || !c->svc) {
        cJSON_Delete(body);
        ctx_error(c, bad || c->svc ? 400 : 503, "bad_request",
                  "send {\"name\": ..., \"password\": ...}");
        return;
    }
    rc = checked_login(c, name, pw, &u);
    cJSON_Delete(body);
    if (rc == GALEN_EABORT)
        return;
    if (rc == GALEN_OK)
        rc = start_session(c, &u, false, token);
    if (rc == GALEN_EPERM) {
        ctx_error(c, 401, "bad_credentials", "wrong user name or password");
        return;
    }
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "could not log in");
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "token", token);
    cJSON_AddNumberToObject(out, "expires_in", (double)c->app->session_ttl);
    cJSON_AddItemToObject(out, "user", user_json(&u));
    api_send(c, 200, out);
}

void api_logout(struct ctx *c)
{
    const char *auth = c->req->authorization;
    int rc = GALEN_OK;

    if (c->via_bearer && auth)
        rc = galen_session_end(c->svc, auth + 7);
    else if (c->has_session)
        rc = galen_session_end(c->svc, c->sid);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "could not log out");
        return;
    }
    c->resp->status = 204;
}

void api_me(struct ctx *c)
{
    cJSON *out = user_json(&c->user);

    /* A browser script using the API with its cookie session needs the
     * CSRF token for its POSTs. */
    if (c->has_session) {
        ctx_need_csrf(c);
        cJSON_AddStringToObject(out, "csrf", c->csrf);
    }
    api_send(c, 200, out);
}
