/* SPDX-License-Identifier: MIT */
/* page_account.c: passwords. A logged-in user changes their own (current
 * password, then the new one twice) on /account or through the API, which
 * ends their other sessions; an admin issues a one-time reset link from
 * the Users page (or `galen user reset-link`), and /reset?token= sets a new
 * password with it, ending every session. The token travels in the query
 * string, which galen never logs (docs/deploy.md says how to keep it out
 * of the proxy's log too). These routes count against the login rate
 * limit: each checks a password or a secret. */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "api.h"
#include "handlers.h"
#include "page.h"

static void account_form(struct ctx *c, const char *error, const char *flash)
{
    page_begin(c, "Your account");
    page_out(c,
             "<h1>Your account</h1>\n<p>Logged in as <strong>%s</strong> "
             "(%s).</p>\n",
             c->user.name, galen_role_name(c->user.role));
    if (error)
        page_out(c, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
    if (flash)
        page_out(c, "<p class=\"flash\" role=\"status\">%s</p>\n", flash);
    page_out(c, "<section aria-labelledby=\"pw-h\"><h2 id=\"pw-h\">Change "
                "your password</h2><form method=\"post\" "
                "action=\"/account/password\" class=\"stack\">");
    page_csrf_field(c);
    page_out(c, "<label for=\"current\">Current password</label><input "
                "id=\"current\" name=\"current\" type=\"password\" required "
                "autocomplete=\"current-password\"><label for=\"password\">New "
                "password (8 to 128 characters)</label><input id=\"password\" "
                "name=\"password\" type=\"password\" required minlength=\"8\" "
                "autocomplete=\"new-password\"><label for=\"again\">New "
                "password again</label><input id=\"again\" name=\"again\" "
                "type=\"password\" required minlength=\"8\" "
                "autocomplete=\"new-password\"><button type=\"submit\">Change "
                "the password</button></form><p class=\"hint\">Your other "
                "sessions (other browsers and devices) are logged out.</p>"
                "</section>\n");
    page_end(c);
}

void page_account(struct ctx *c)
{
    account_form(c, NULL,
                 http_param(&c->req->query, "changed")
                     ? "Your password has been changed."
                     : NULL);
}

/* The session the request uses: kept when the password changes. */
static const char *own_token(const struct ctx *c)
{
    const char *auth = c->req->authorization;

    if (c->via_bearer && auth)
        return auth + 7;
    return c->has_session ? c->sid : NULL;
}

/* Changes the password, under the bound on concurrent hashes. GALEN_EABORT
 * when a 503 has been written. */
static int change(struct ctx *c, const char *current, const char *pw)
{
    int rc;

    if (!ctx_hash_begin(c))
        return GALEN_EABORT;
    rc = galen_user_change_password(c->svc, c->user.id, current, pw,
                                    own_token(c), c->req->wall);
    ctx_hash_end(c);
    return rc;
}

void page_account_password(struct ctx *c)
{
    const char *pw = http_req_param(c->req, "password");
    const char *again = http_req_param(c->req, "again");
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    if (!pw || !again || strcmp(pw, again) != 0) {
        c->resp->status = 400;
        account_form(c, "The new passwords differ.", NULL);
        return;
    }
    rc = change(c, http_req_param(c->req, "current"), pw);
    if (rc == GALEN_EABORT)
        return;
    if (rc == GALEN_EPERM || rc == GALEN_EINVAL) {
        c->resp->status = rc == GALEN_EPERM ? 403 : 400;
        account_form(c, galen_service_errmsg(c->svc), NULL);
        return;
    }
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "could not change the password");
        return;
    }
    http_resp_redirect(c->resp, "/account?changed=1");
}

void api_account_password(struct ctx *c)
{
    cJSON *body = api_body(c);
    bool bad = false;
    const char *cur = api_str(body, "current", GALEN_PASSWORD_MAX, &bad);
    const char *pw = api_str(body, "password", GALEN_PASSWORD_MAX, &bad);
    cJSON *out;
    int rc;

    if (!body)
        return;
    if (bad || !cur || !pw) {
        cJSON_Delete(body);
        ctx_error(c, 400, "bad_request",
                  "send {\"current\": ..., \"password\": ...}");
        return;
    }
    rc = ctx_need_store(c, "user") ? change(c, cur, pw) : GALEN_EABORT;
    cJSON_Delete(body);
    if (rc == GALEN_EABORT)
        return;
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddBoolToObject(out, "changed", true);
    api_send(c, 200, out);
}

static void reset_form(struct ctx *c, const char *token, const char *error)
{
    char name[GALEN_NAME_MAX];

    if (galen_reset_check(c->svc, token, c->req->wall, name) != GALEN_OK) {
        ctx_error(c, 404, "not_found",
                  "This reset link is unknown, used or expired. Ask an "
                  "administrator for a new one.");
        return;
    }
    page_begin(c, "Set a new password");
    page_out(c,
             "<h1>Set a new password</h1>\n<p>For the account "
             "<strong>%s</strong>. The link works once.</p>\n",
             name);
    if (error)
        page_out(c, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
    page_out(c, "<form method=\"post\" action=\"/reset\" class=\"stack\">");
    page_csrf_field(c);
    page_out(c,
             "<input type=\"hidden\" name=\"token\" value=\"%s\"><label "
             "for=\"password\">New password (8 to 128 characters)</label>"
             "<input id=\"password\" name=\"password\" type=\"password\" "
             "required minlength=\"8\" autocomplete=\"new-password\">"
             "<label for=\"again\">New password again</label><input "
             "id=\"again\" name=\"again\" type=\"password\" required "
             "minlength=\"8\" autocomplete=\"new-password\"><button "
             "type=\"submit\">Set the password</button></form>\n",
             token);
    page_end(c);
}

void page_reset_form(struct ctx *c)
{
    if (!ctx_need_store(c, "user"))
        return;
    reset_form(c, http_param(&c->req->query, "token"), NULL);
}

void page_reset(struct ctx *c)
{
    const char *token = http_req_param(c->req, "token");
    const char *pw = http_req_param(c->req, "password");
    const char *again = http_req_param(c->req, "again");
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    if (!pw || !again || strcmp(pw, again) != 0) {
        c->resp->status = 400;
        reset_form(c, token, "The passwords differ.");
        return;
    }
    if (!ctx_hash_begin(c))
        return;
    rc = galen_reset_use(c->svc, token, pw, c->req->wall);
    ctx_hash_end(c);
    if (rc == GALEN_EINVAL) {
        c->resp->status = 400;
        reset_form(c, token, galen_service_errmsg(c->svc));
        return;
    }
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    http_resp_redirect(c->resp, "/login?reset=1");
}

/* Issues a reset link for user c->id into path ("/galen/reset?token=..."),
 * which holds the only copy of the token. */
static int issue(struct ctx *c, char *path, size_t cap)
{
    char token[GALEN_TOKEN_LEN + 1];
    int rc = galen_reset_issue(c->svc, c->id, &c->user, c->req->wall,
                               GALEN_RESET_TTL, token);

    if (rc == GALEN_OK)
        snprintf(path, cap, "%s/reset?token=%s", c->app->base_path, token);
    return rc;
}

void page_user_reset(struct ctx *c)
{
    char path[PROXY_BASE_MAX + GALEN_TOKEN_LEN + 32];
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    rc = issue(c, path, sizeof path);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    page_begin(c, "Reset link");
    page_out(c,
             "<h1>Reset link</h1>\n<p>Give this link to the user, "
             "privately. It sets a new password once, within an hour, "
             "and logs them out everywhere; it is shown only now.</p>\n"
             "<p><code class=\"reset-link\">%s</code></p>\n<p><a "
             "href=\"/admin/users\">Back to the users</a></p>\n",
             path);
    page_end(c);
}

void api_user_reset(struct ctx *c)
{
    char path[PROXY_BASE_MAX + GALEN_TOKEN_LEN + 32];
    cJSON *out;
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    rc = issue(c, path, sizeof path);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    out = cJSON_CreateObject();
    cJSON_AddStringToObject(out, "path", path);
    cJSON_AddNumberToObject(out, "expires_in", GALEN_RESET_TTL);
    api_send(c, 201, out);
}
