/* SPDX-License-Identifier: MIT */
/* page.c: the page frame every HTML page shares. Navigation shows only the
 * links the visitor's role may use (the router still checks every request;
 * hiding links is a courtesy, not the control). Pages write site paths
 * ("/articles") in their format strings; under a base path page_out puts
 * the prefix into every href="/, action="/ and src="/ of the format, never
 * of an argument, so each link carries it without any page knowing. */
#include "page.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include <galen/error.h>

#include "html.h"

/* Length of the URL attribute opening (href="/ ...) at s minus its '/',
 * or 0. */
static size_t url_attr(const char *s)
{
    static const char *const attrs[] = {" href=\"/", " action=\"/", " src=\"/"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(attrs); i++) {
        size_t n = strlen(attrs[i]);

        if (strncmp(s, attrs[i], n) == 0)
            return n - 1;
    }
    return 0;
}

/* fmt with base inserted before the path of each site URL attribute, in
 * out (NUL-terminated). base has no '%' (proxy_base_ok). */
static void prefix_format(int *rc, struct buf *out, const char *fmt,
                          const char *base)
{
    const char *p = fmt;

    while (*p) {
        size_t n = url_attr(p);

        if (n) {
            buf_put(rc, out, p, n);
            buf_put_str(rc, out, base);
            p += n;
            continue;
        }
        buf_put_byte(rc, out, (unsigned char)*p++);
    }
    buf_put_nul(rc, out);
}

void page_out(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    struct buf f;
    int rc = GALEN_OK;
    const char *base = c->app ? c->app->base_path : "";

    va_start(ap, fmt);
    if (!base[0] || !strstr(fmt, "=\"/")) {
        html_vfmt(&c->rc, &c->resp->body, fmt, ap);
        va_end(ap);
        return;
    }
    buf_init(&f, HTTP_MAX_RESP);
    prefix_format(&rc, &f, fmt, base);
    if (rc == GALEN_OK)
        html_vfmt(&c->rc, &c->resp->body, (const char *)f.data, ap);
    else if (c->rc == GALEN_OK)
        c->rc = rc;
    va_end(ap);
    buf_cleanup(&f);
}

static void nav_link(struct ctx *c, const char *href, const char *label)
{
    const char *path = c->req->path;
    size_t n = strlen(href);
    bool here = strcmp(path, href) == 0 ||
                (n > 1 && strncmp(path, href, n) == 0 && path[n] == '/');

    page_out(c, "<li><a href=\"%R%s\"%R>%s</a></li>", c->app->base_path, href,
             here ? " aria-current=\"page\"" : "", label);
}

static void account_box(struct ctx *c)
{
    if (c->user.role == GALEN_ROLE_ANON) {
        page_out(c, "<div class=\"account\"><a href=\"/login\">Log in</a> "
                    "<a href=\"/register\">Register</a></div>");
        return;
    }
    page_out(c,
             "<div class=\"account\"><a class=\"who\" href=\"/account\" "
             "title=\"Your account\">%s <span "
             "class=\"role\">(%s%R%s)</span></a>",
             c->user.name, galen_role_name(c->user.role),
             c->user.specialty[0] ? ", " : "", c->user.specialty);
    page_out(c, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
    page_csrf_field(c);
    page_out(c, "<button type=\"submit\">Log out</button></form></div>");
}

void page_begin(struct ctx *c, const char *title)
{
    enum galen_role r = c->user.role;

    page_out(c,
             "<!doctype html>\n<html lang=\"en\">\n<head>\n"
             "<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, "
             "initial-scale=1\">\n"
             "<title>%s \xC2\xB7 galen</title>\n"
             "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
             "<link rel=\"icon\" href=\"/static/favicon.svg\" "
             "type=\"image/svg+xml\">\n"
             "<script src=\"/static/app.js\" defer></script>\n"
             "</head>\n<body>\n"
             "<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
             "<header class=\"site\"><nav aria-label=\"Main\">"
             "<a class=\"brand\" href=\"/\">galen</a><ul>",
             title);
    nav_link(c, "/", "Ask");
    nav_link(c, "/questions", "Patient Q&A");
    nav_link(c, "/articles", "Articles");
    if (galen_role_can(r, GALEN_PERM_QUESTION_QUEUE))
        nav_link(c, "/specialist", "Question queue");
    if (galen_role_can(r, GALEN_PERM_REVIEW))
        nav_link(c, "/review", "Review");
    if (galen_role_can(r, GALEN_PERM_MODERATE))
        nav_link(c, "/moderation", "Moderation");
    if (galen_role_can(r, GALEN_PERM_USERS))
        nav_link(c, "/admin/users", "Users");
    page_out(c, "</ul>");
    account_box(c);
    page_out(c, "</nav></header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void page_end(struct ctx *c)
{
    page_out(c, "</main>\n<footer class=\"site\"><p>galen answers from cited "
                "sources, offline. It is not a substitute for a "
                "clinician's advice. In an emergency call your local "
                "emergency number.</p></footer>\n</body>\n</html>\n");
}

void page_error(struct ctx *c, int status, const char *msg)
{
    char title[64];

    http_resp_reset(c->resp);
    c->rc = GALEN_OK;
    c->resp->status = status;
    memcpy(title, http_reason(status), strlen(http_reason(status)) + 1);
    page_begin(c, title);
    page_out(c, "<h1>%s</h1>\n<p class=\"error\" role=\"alert\">%s</p>\n",
             title, msg);
    if (status == 401 || status == 403)
        page_out(c, "<p><a href=\"/login\">Log in</a> with an account that "
                    "may do this.</p>\n");
    page_out(c, "<p><a href=\"/\">Back to the start page</a></p>\n");
    page_end(c);
}

void page_csrf_field(struct ctx *c)
{
    if (!c->csrf[0])
        ctx_need_csrf(c);
    page_out(c, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", c->csrf);
}

void page_ask_link(struct ctx *c, const char *q, const char *audience,
                   const char *label)
{
    page_out(c,
             "<form method=\"post\" action=\"/ask\" class=\"ask-link\">"
             "<input type=\"hidden\" name=\"q\" value=\"%s\">",
             q);
    if (audience)
        page_out(c, "<input type=\"hidden\" name=\"audience\" value=\"%s\">",
                 audience);
    page_out(c, "<button type=\"submit\" class=\"link\">%s</button></form>",
             label);
}

static int status_step(const char *status)
{
    if (!status)
        return 0;
    if (strcmp(status, "under_review") == 0)
        return 1;
    if (strcmp(status, "approved") == 0)
        return 2;
    if (strcmp(status, "rejected") == 0)
        return 3;
    return 0;
}

void page_banner(struct ctx *c, const char *status, const char *updated)
{
    static const char *const names[] = {"Submitted", "Under Review", "Approved",
                                        "Rejected"};
    int cur = status_step(status);
    int i;

    page_out(c,
             "<section class=\"review-status\" aria-labelledby=\"rs-h\">"
             "<h2 id=\"rs-h\">Article Review Status</h2><ol class=\"steps\">");
    for (i = 0; i < 3; i++) {
        int shown = (i == 2 && cur == 3) ? 3 : i;
        const char *cls =
            shown == cur ? "current" : (i < cur ? "done" : "todo");

        page_out(c, "<li class=\"%s\"%R>%s</li>", cls,
                 shown == cur ? " aria-current=\"step\"" : "", names[shown]);
    }
    page_out(c, "</ol>");
    if (cur != 2)
        page_out(c,
                 "<p class=\"pending\">Educational purpose only \xE2\x80\xA2 "
                 "Exercise caution as content is pending human review</p>");
    if (updated && *updated) {
        page_out(c, "<p class=\"updated\">Last updated: <time datetime=\"%s\">",
                 updated);
        page_date(c, updated);
        page_out(c, "</time></p>");
    }
    page_out(c, "</section>\n");
}

void page_date(struct ctx *c, const char *iso)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int y = 0;
    int m = 0;
    int d = 0;
    size_t i;
    size_t len = iso ? strlen(iso) : 0;

    for (i = 0; i < 10 && i < len; i++) {
        char ch = iso[i];
        bool dash = i == 4 || i == 7;

        if (dash ? ch != '-' : (ch < '0' || ch > '9'))
            break;
        if (i < 4)
            y = y * 10 + (ch - '0');
        else if (i > 4 && i < 7)
            m = m * 10 + (ch - '0');
        else if (i > 7)
            d = d * 10 + (ch - '0');
    }
    if (i == 10 && m >= 1 && m <= 12 && d >= 1 && d <= 31)
        page_out(c, "%s %d, %d", months[m - 1], d, y);
    else if (i >= 7 && len >= 7 && m >= 1 && m <= 12)
        page_out(c, "%s %d", months[m - 1], y);
    else
        page_out(c, "%s", iso ? iso : "");
}

void page_ymd(struct ctx *c, const char *iso)
{
    size_t i;

    for (i = 0; iso && i < 10; i++) {
        bool dash = i == 4 || i == 7;

        if (dash ? iso[i] != '-' : (iso[i] < '0' || iso[i] > '9'))
            break;
    }
    if (!iso || i < 10) {
        page_out(c, "%s", iso ? iso : "");
        return;
    }
    buf_put(&c->rc, &c->resp->body, iso, 4);
    buf_put_byte(&c->rc, &c->resp->body, '/');
    buf_put(&c->rc, &c->resp->body, iso + 5, 2);
    buf_put_byte(&c->rc, &c->resp->body, '/');
    buf_put(&c->rc, &c->resp->body, iso + 8, 2);
}

void page_snippet(struct ctx *c, const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    size_t cut;
    size_t space;

    if (n <= max) {
        html_esc(&c->rc, &c->resp->body, s);
        return;
    }
    cut = max;
    /* Back up to the start of a UTF-8 sequence; then prefer the last space
     * in the second half, which is always a sequence boundary too. */
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    for (space = cut; space > max / 2 && s[space] != ' '; space--)
        ;
    if (s[space] == ' ')
        cut = space;
    html_escn(&c->rc, &c->resp->body, s, cut);
    page_out(c, "\xE2\x80\xA6");
}

void page_paragraphs(struct ctx *c, const char *s)
{
    const char *p = s ? s : "";

    while (*p) {
        const char *end = strstr(p, "\n\n");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        size_t i;
        size_t run = 0;

        page_out(c, "<p>");
        for (i = 0; i <= n; i++) {
            if (i < n && p[i] != '\n')
                continue;
            html_escn(&c->rc, &c->resp->body, p + run, i - run);
            if (i < n)
                page_out(c, "<br>");
            run = i + 1;
        }
        page_out(c, "</p>\n");
        p += n;
        while (*p == '\n')
            p++;
    }
}

void page_iso_time(long long t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) ||
        strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        memcpy(out, "1970-01-01T00:00:00Z", 21);
}
