/* SPDX-License-Identifier: MIT */
/* page_admin.c: user management for admins: list accounts, add one with a
 * role (and a specialty for specialists), disable or re-enable one. An
 * admin cannot disable their own account, so the last admin cannot lock
 * everyone out by accident. An admin can also issue a one-time password
 * reset link (page_account.c) and read the account audit trail. */
#include <string.h>

#include <galen/error.h>

#include "api.h"
#include "handlers.h"
#include "page.h"

static int user_row(void *ctx, const struct galen_user *u)
{
    struct ctx *c = ctx;

    page_out(c, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>", u->name,
             galen_role_name(u->role), u->specialty,
             u->disabled ? "disabled" : "active");
    if (u->id != c->user.id) {
        page_out(c,
                 "<form method=\"post\" action=\"/admin/users/%lld\" "
                 "class=\"inline\">",
                 u->id);
        page_csrf_field(c);
        page_out(c,
                 "<button type=\"submit\" name=\"action\" value=\"%s\" "
                 "class=\"secondary\">%s</button></form>",
                 u->disabled ? "enable" : "disable",
                 u->disabled ? "Enable" : "Disable");
    }
    if (!u->disabled) {
        page_out(c,
                 "<form method=\"post\" action=\"/admin/users/%lld/reset\" "
                 "class=\"inline\">",
                 u->id);
        page_csrf_field(c);
        page_out(c, "<button type=\"submit\" class=\"secondary\">Reset "
                    "link</button></form>");
    }
    page_out(c, "</td></tr>\n");
    return 0;
}

static void add_form(struct ctx *c)
{
    static const char *const roles[] = {"patient", "specialist", "editor",
                                        "admin"};
    size_t i;

    page_out(c, "<section aria-labelledby=\"add-h\"><h2 id=\"add-h\">Add a "
                "user</h2><form method=\"post\" action=\"/admin/users\" "
                "class=\"stack\">");
    page_csrf_field(c);
    page_out(c, "<label for=\"name\">User name</label><input id=\"name\" "
                "name=\"name\" required><label for=\"password\">Initial "
                "password</label><input id=\"password\" name=\"password\" "
                "type=\"password\" required minlength=\"8\" "
                "autocomplete=\"new-password\"><label "
                "for=\"role\">Role</label><select id=\"role\" name=\"role\">");
    for (i = 0; i < ARRAY_SIZE(roles); i++)
        page_out(c, "<option>%s</option>", roles[i]);
    page_out(c, "</select><label for=\"specialty\">Specialty (specialists "
                "only)</label><select id=\"specialty\" name=\"specialty\">"
                "<option value=\"\">None</option>");
    for (i = 0; galen_specialties[i]; i++)
        page_out(c, "<option>%s</option>", galen_specialties[i]);
    page_out(c, "</select><button type=\"submit\">Add the user</button>"
                "</form></section>\n");
}

static int event_row(void *ctx, const struct galen_account_event *e)
{
    static const char *const names[][2] = {
        {"password_changed", "changed their password"},
        {"reset_issued", "reset link issued"},
        {"password_reset", "password set with a reset link"}};
    struct ctx *c = ctx;
    const char *what = e->event;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (strcmp(e->event, names[i][0]) == 0)
            what = names[i][1];
    }
    page_out(c, "<tr><td>");
    page_date(c, e->at);
    page_out(c,
             " <span class=\"meta\">%s</span></td><td>%s</td><td>%s</td>"
             "<td>%s</td></tr>\n",
             e->at + (strlen(e->at) > 11 ? 11 : 0), e->user, what,
             e->actor ? e->actor : "(command line)");
    return 0;
}

/* The account audit trail, newest first. */
static void audit_section(struct ctx *c)
{
    page_out(c, "<section aria-labelledby=\"audit-h\"><h2 "
                "id=\"audit-h\">Account audit trail</h2><table><thead><tr><th "
                "scope=\"col\">When (UTC)</th><th scope=\"col\">User</th><th "
                "scope=\"col\">Event</th><th scope=\"col\">By</th></tr>"
                "</thead><tbody>");
    if (galen_account_events(c->svc, NULL, 50, event_row, c) != GALEN_OK)
        c->rc = GALEN_EDB;
    page_out(c, "</tbody></table></section>\n");
}

static void users_page(struct ctx *c, const char *error, const char *flash)
{
    page_begin(c, "Users");
    page_out(c, "<h1>Users</h1>\n");
    if (error)
        page_out(c, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
    if (flash)
        page_out(c, "<p class=\"flash\" role=\"status\">%s</p>\n", flash);
    page_out(c, "<table><thead><tr><th scope=\"col\">Name</th><th "
                "scope=\"col\">Role</th><th scope=\"col\">Specialty</th><th "
                "scope=\"col\">State</th><th scope=\"col\">Action</th></tr>"
                "</thead><tbody>");
    if (galen_users(c->svc, user_row, c) != GALEN_OK)
        c->rc = GALEN_EDB;
    page_out(c, "</tbody></table>\n");
    add_form(c);
    audit_section(c);
    page_end(c);
}

void page_users(struct ctx *c)
{
    if (!ctx_need_store(c, "user"))
        return;
    users_page(c, NULL,
               http_param(&c->req->query, "added") ? "User added." : NULL);
}

void page_user_add(struct ctx *c)
{
    enum galen_role role;
    const char *spec = http_req_param(c->req, "specialty");
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    rc = galen_role_parse(http_req_param(c->req, "role"), &role);
    if (rc == GALEN_OK && !ctx_hash_begin(c))
        return;
    if (rc == GALEN_OK) {
        rc = galen_user_add(c->svc, http_req_param(c->req, "name"),
                            http_req_param(c->req, "password"), role,
                            spec && *spec ? spec : NULL, c->req->wall, NULL);
        ctx_hash_end(c);
    }
    if (rc == GALEN_EINVAL || rc == GALEN_EEXIST) {
        c->resp->status = rc == GALEN_EEXIST ? 409 : 400;
        users_page(c, galen_service_errmsg(c->svc), NULL);
        return;
    }
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "could not add the user");
        return;
    }
    http_resp_redirect(c->resp, "/admin/users?added=1");
}

void page_user_toggle(struct ctx *c)
{
    const char *action = http_req_param(c->req, "action");
    bool disable = action && strcmp(action, "disable") == 0;
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    if (!disable && !(action && strcmp(action, "enable") == 0)) {
        ctx_error(c, 400, "bad_request", "action is disable or enable");
        return;
    }
    if (c->id == c->user.id) {
        ctx_error(c, 409, "conflict", "you cannot disable your own account");
        return;
    }
    rc = galen_user_set_disabled(c->svc, c->id, disable);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "no such user");
        return;
    }
    http_resp_redirect(c->resp, "/admin/users");
}

static int user_json(void *ctx, const struct galen_user *u)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddNumberToObject(o, "id", (double)u->id);
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddStringToObject(o, "role", galen_role_name(u->role));
    api_add_str(o, "specialty", u->specialty[0] ? u->specialty : NULL);
    cJSON_AddBoolToObject(o, "disabled", u->disabled);
    cJSON_AddItemToArray(ctx, o);
    return 0;
}

void api_users(struct ctx *c)
{
    cJSON *root;
    int rc;

    if (!ctx_need_store(c, "user"))
        return;
    root = cJSON_CreateObject();
    rc = galen_users(c->svc, user_json, cJSON_AddArrayToObject(root, "users"));
    if (rc != GALEN_OK) {
        cJSON_Delete(root);
        ctx_fail(c, rc, "could not list users");
        return;
    }
    api_send(c, 200, root);
}
