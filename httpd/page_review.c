/* SPDX-License-Identifier: MIT */
/* page_review.c: the editorial dashboard. The queue lists documents by
 * status; a document's review page offers the actions legal from its
 * status (submit -> under review -> approved or rejected, each with a
 * note), the diff between any earlier version and the current one, and
 * the document's audit trail. A source's documents under review can be
 * approved all at once, each still one audit event under the same rules.
 * Also the comment moderation queue. */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "handlers.h"
#include "html.h"
#include "mem.h"
#include "page.h"
#include "str.h"

enum { QUEUE_PAGE = 50 };

/* Headings for the statuses, in enum galen_doc_status order. */
static const char *const status_labels[GALEN_DOC_STATUS_COUNT] = {
    "Submitted", "Under Review", "Approved", "Rejected"};

static int queue_row(void *ctx, const struct galen_doc_row *r)
{
    struct ctx *c = ctx;

    page_out(c,
             "<tr><td><a href=\"/review/%U\">%s</a></td><td>%s</td>"
             "<td>%lld</td><td>",
             r->id, r->title, r->kind, r->version);
    page_date(c, r->updated);
    page_out(c, "</td></tr>\n");
    return 0;
}

/* One "approve all N from S" form per source with documents under
 * review. N goes with the form: the handler refuses if the queue has
 * changed since, so the editor approves what they saw. */
static int source_form(void *ctx, const struct galen_source_queue *q)
{
    struct ctx *c = ctx;

    if (q->under_review == 0)
        return 0;
    page_out(c,
             "<li><form method=\"post\" action=\"/review-source\" "
             "class=\"inline\"><input type=\"hidden\" name=\"source\" "
             "value=\"%s\"><input type=\"hidden\" name=\"expect\" "
             "value=\"%lld\">",
             q->source, q->under_review);
    page_csrf_field(c);
    page_out(c,
             "<button type=\"submit\">Approve all %lld under review from "
             "%s</button></form></li>\n",
             q->under_review, q->source);
    return 0;
}

/* The outcome of a bulk approval, from the redirect's query. */
static void bulk_flash(struct ctx *c)
{
    const char *keys[] = {"approved", "not_ready", "own"};
    long n[3] = {0, 0, 0};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        const char *v = http_param(&c->req->query, keys[i]);

        if (!v || str_to_long(v, 0, 1L << 40, &n[i]) != GALEN_OK)
            return;
    }
    page_out(c,
             "<p class=\"flash\" role=\"status\">Approved %ld; left %ld "
             "not yet under review and %ld for another editor (four-eyes "
             "review).</p>",
             n[0], n[1], n[2]);
}

static void bulk_section(struct ctx *c)
{
    size_t before;

    page_out(c, "<section aria-labelledby=\"bulk-h\"><h2 id=\"bulk-h\">By "
                "source</h2><ul class=\"bulk\">");
    before = c->resp->body.len;
    if (galen_review_sources(c->svc, source_form, c) != GALEN_OK)
        c->rc = GALEN_EDB;
    if (c->resp->body.len == before)
        page_out(c, "<li>No source has documents under review.</li>");
    page_out(c, "</ul></section>\n");
}

void page_review_source(struct ctx *c)
{
    const char *source = http_req_param(c->req, "source");
    const char *e = http_req_param(c->req, "expect");
    struct galen_review_bulk b;
    char loc[HTTP_LOCATION_MAX];
    long expect;
    int rc;

    if (!ctx_need_store(c, "document"))
        return;
    if (!source || !*source || !e ||
        str_to_long(e, 0, 1L << 40, &expect) != GALEN_OK) {
        ctx_error(c, 400, "bad_request", "source and expect are required");
        return;
    }
    rc = galen_review_source(c->svc, source, "approve", &c->user, NULL, expect,
                             &b);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    snprintf(loc, sizeof loc,
             "/review?status=approved&approved=%lld&not_ready=%lld&own=%lld",
             b.done, b.not_ready, b.own);
    http_resp_redirect(c->resp, loc);
}

void page_review_queue(struct ctx *c)
{
    const char *status = http_param(&c->req->query, "status");
    const char *p = http_param(&c->req->query, "page");
    long long counts[GALEN_DOC_STATUS_COUNT];
    long page = 1;
    enum galen_doc_status cur = GALEN_DOC_STATUS_SUBMITTED;
    const char *name;
    size_t i;

    if (!ctx_need_store(c, "document"))
        return;
    if (status && galen_doc_status_parse(status, &cur) != GALEN_OK)
        cur = GALEN_DOC_STATUS_SUBMITTED; /* an unknown status shows the default
                                           */
    name = galen_doc_status_name(cur);
    if (p && str_to_long(p, 1, 100000, &page) != GALEN_OK)
        page = 1;
    if (galen_doc_counts(c->svc, counts) != GALEN_OK) {
        ctx_error(c, 500, "db", "could not count documents");
        return;
    }
    page_begin(c, "Review queue");
    page_out(c, "<h1>Editorial review</h1><nav aria-label=\"Status\"><ul "
                "class=\"counts\">");
    for (i = 0; i < GALEN_DOC_STATUS_COUNT; i++)
        page_out(c, "<li><a href=\"/review?status=%s\"%R>%s (%lld)</a></li>",
                 galen_doc_status_name((enum galen_doc_status)i),
                 i == cur ? " aria-current=\"true\"" : "", status_labels[i],
                 counts[i]);
    page_out(c, "</ul></nav>");
    bulk_flash(c);
    bulk_section(c);
    page_out(c,
             "<h2>%s</h2><table><thead><tr><th "
             "scope=\"col\">Title</th><th scope=\"col\">Kind</th><th "
             "scope=\"col\">Version</th><th scope=\"col\">Updated</th>"
             "</tr></thead><tbody>",
             status_labels[cur]);
    if (galen_docs(c->svc, name, NULL, QUEUE_PAGE,
                   (size_t)(page - 1) * QUEUE_PAGE, queue_row, c) != GALEN_OK)
        c->rc = GALEN_EDB;
    page_out(c, "</tbody></table><nav aria-label=\"Pages\">");
    if (page > 1)
        page_out(c, "<a href=\"/review?status=%s&amp;page=%ld\">Previous</a> ",
                 name, page - 1);
    page_out(c, "<a href=\"/review?status=%s&amp;page=%ld\">Next</a></nav>\n",
             name, page + 1);
    page_end(c);
}

/* The buttons for the actions legal from status. */
static void action_form(struct ctx *c, const char *id, const char *status)
{
    bool submitted = strcmp(status, "submitted") == 0;
    bool review = strcmp(status, "under_review") == 0;

    page_out(c,
             "<section aria-labelledby=\"act-h\"><h2 id=\"act-h\">Review "
             "actions</h2><form method=\"post\" action=\"/review/%U\" "
             "class=\"stack\">",
             id);
    page_csrf_field(c);
    page_out(c,
             "<label for=\"note\">Note for the audit trail (required to "
             "reject)</label><textarea id=\"note\" name=\"note\" "
             "rows=\"3\" maxlength=\"%d\"></textarea><div class=\"row\">",
             GALEN_NOTE_MAX);
    if (submitted)
        page_out(c, "<button type=\"submit\" name=\"action\" "
                    "value=\"start\">Start review</button>");
    if (review)
        page_out(c, "<button type=\"submit\" name=\"action\" "
                    "value=\"approve\">Approve</button><button "
                    "type=\"submit\" name=\"action\" value=\"reject\" "
                    "class=\"danger\">Reject</button>");
    if (!submitted && !review)
        page_out(c, "<button type=\"submit\" name=\"action\" "
                    "value=\"resubmit\" class=\"secondary\">Send back to "
                    "submitted</button>");
    page_out(c, "</div></form></section>\n");
}

static int event_row(void *ctx, const struct galen_doc_event *ev)
{
    struct ctx *c = ctx;

    page_out(c,
             "<tr><td><time datetime=\"%s\">%s</time></td><td>%s</td>"
             "<td>%s \xE2\x86\x92 %s</td><td>%lld</td><td>%s</td></tr>\n",
             ev->at, ev->at, ev->who, ev->from ? ev->from : "(new)", ev->to,
             (long long)ev->version, ev->note ? ev->note : "");
    return 0;
}

static void audit(struct ctx *c, const char *id)
{
    page_out(c, "<section aria-labelledby=\"aud-h\"><h2 id=\"aud-h\">Audit "
                "trail</h2><table class=\"audit\"><thead><tr><th "
                "scope=\"col\">When</th><th scope=\"col\">Who</th><th "
                "scope=\"col\">Change</th><th scope=\"col\">Version</th><th "
                "scope=\"col\">Note</th></tr></thead><tbody>");
    if (galen_doc_history(c->svc, id, event_row, c) != GALEN_OK)
        c->rc = GALEN_EDB;
    page_out(c, "</tbody></table></section>\n");
}

struct versions_ctx {
    struct ctx *c;
    const char *id;
    size_t n;
};

static int version_item(void *ctx, long long version, const char *status,
                        const char *created_at)
{
    struct versions_ctx *v = ctx;

    page_out(v->c, "<li>Version %lld (%s, ", version, status);
    page_date(v->c, created_at);
    page_out(v->c,
             ") \xC2\xB7 <a href=\"/review/%U?diff=%lld#diff-h\">diff "
             "with the current version</a></li>",
             v->id, version);
    v->n++;
    return 0;
}

static int diff_line(void *ctx, char op, const char *line, size_t len)
{
    struct ctx *c = ctx;
    const char *tag = op == '+' ? "ins" : op == '-' ? "del" : "span";

    page_out(c, "<%R>%R", tag, op == '+' ? "+ " : op == '-' ? "- " : "  ");
    html_escn(&c->rc, &c->resp->body, line, len);
    page_out(c, "</%R>", tag);
    return c->rc;
}

static void diff(struct ctx *c, const char *id, long long from)
{
    char *a = NULL;
    char *b = NULL;
    int rc = galen_doc_text(c->svc, id, from, &a);

    if (rc == GALEN_OK)
        rc = galen_doc_text(c->svc, id, 0, &b);
    page_out(c,
             "<section aria-labelledby=\"diff-h\"><h2 id=\"diff-h\">"
             "Changes from version %lld to the current version</h2>",
             from);
    if (rc == GALEN_OK) {
        page_out(c, "<div class=\"diff\" role=\"region\" aria-label=\"Line "
                    "diff\">");
        rc = galen_diff(a, b, diff_line, c);
        page_out(c, "</div>");
    }
    if (rc != GALEN_OK)
        page_out(c, "<p class=\"error\">That version is not available.</p>");
    page_out(c, "</section>\n");
    galen_free(a);
    galen_free(b);
}

static void versions(struct ctx *c, const char *id)
{
    struct versions_ctx v = {c, id, 0};
    const char *d = http_param(&c->req->query, "diff");
    long from;

    page_out(c, "<section aria-labelledby=\"ver-h\"><h2 id=\"ver-h\">Earlier "
                "versions</h2><ul>");
    if (galen_doc_versions(c->svc, id, version_item, &v) != GALEN_OK)
        c->rc = GALEN_EDB;
    if (v.n == 0)
        page_out(c, "<li>None: this is the first version.</li>");
    page_out(c, "</ul></section>\n");
    if (d && str_to_long(d, 1, 1L << 40, &from) == GALEN_OK)
        diff(c, id, from);
}

void page_review_doc(struct ctx *c)
{
    struct galen_doc_info info;
    const struct galen_doc *d = NULL;
    int rc;

    if (!ctx_need_store(c, "document"))
        return;
    rc = galen_doc_info(c->svc, c->slug, &info);
    if (rc == GALEN_OK)
        rc = galen_doc_get(c->svc, c->slug, &d);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "no such document");
        return;
    }
    page_begin(c, d->title);
    page_out(c,
             "<h1>Review: %s</h1><p><a href=\"/articles/%U\">Read the "
             "document</a> \xC2\xB7 %s \xC2\xB7 version %lld</p>\n",
             d->title, d->id, d->kind, info.version);
    if (http_param(&c->req->query, "done"))
        page_out(c,
                 "<p class=\"flash\" role=\"status\">Saved: the document "
                 "is now %s.</p>",
                 info.status);
    page_banner(c, info.status, info.updated_at);
    action_form(c, d->id, info.status);
    versions(c, d->id);
    audit(c, d->id);
    page_end(c);
    galen_doc_free(d);
}

void page_review_action(struct ctx *c)
{
    char loc[HTTP_LOCATION_MAX];
    int rc;

    if (!ctx_need_store(c, "document"))
        return;
    rc = galen_review(c->svc, c->slug, http_req_param(c->req, "action"),
                      &c->user, http_req_param(c->req, "note"));
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    snprintf(loc, sizeof loc, "/review/%s?done=1", c->slug);
    http_resp_redirect(c->resp, loc);
}

static int pending_row(void *ctx, const struct galen_comment *cm)
{
    struct ctx *c = ctx;

    page_out(c,
             "<li><p class=\"meta\"><strong>%s</strong> on <a "
             "href=\"/articles/%U\">%s</a> \xC2\xB7 ",
             cm->author, cm->doc_id, cm->doc_id);
    page_ymd(c, cm->created_at);
    page_out(c, "</p>");
    page_paragraphs(c, cm->body);
    page_out(c,
             "<form method=\"post\" action=\"/moderation/%lld\" "
             "class=\"inline\">",
             cm->id);
    page_csrf_field(c);
    page_out(c, "<button type=\"submit\" name=\"action\" value=\"approve\">"
                "Approve</button> <button type=\"submit\" name=\"action\" "
                "value=\"reject\" class=\"danger\">Reject</button></form>"
                "</li>\n");
    return 0;
}

void page_moderation(struct ctx *c)
{
    size_t before;

    if (!ctx_need_store(c, "document"))
        return;
    page_begin(c, "Moderation");
    page_out(c, "<h1>Comments awaiting moderation</h1><ul class=\"comments\">");
    before = c->resp->body.len;
    if (galen_comments(c->svc, NULL, GALEN_COMMENT_PENDING, pending_row, c) !=
        GALEN_OK)
        c->rc = GALEN_EDB;
    if (c->resp->body.len == before)
        page_out(c, "<li>Nothing to moderate.</li>");
    page_out(c, "</ul>\n");
    page_end(c);
}

void page_moderate(struct ctx *c)
{
    const char *action = http_req_param(c->req, "action");
    bool approve = action && strcmp(action, "approve") == 0;
    int rc;

    if (!ctx_need_store(c, "document"))
        return;
    if (!approve && !(action && strcmp(action, "reject") == 0)) {
        ctx_error(c, 400, "bad_request", "action is approve or reject");
        return;
    }
    rc = galen_comment_moderate(c->svc, c->id, approve);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    http_resp_redirect(c->resp, "/moderation");
}
