/* SPDX-License-Identifier: MIT */
/* page_article.c: the article pages. A structured article (seed 003) gets
 * its read time, Quick Summary, Key Points, table of contents, sections
 * with their tables, FAQ, references and disclaimer; any document also
 * shows its review banner and approved comments with a form to leave one
 * (seed 004), held for moderation. Q&A documents from the archive render
 * as question and reply, as seed 002 does. */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "docview.h"
#include "handlers.h"
#include "page.h"
#include "str.h"

enum { LIST_PAGE = 30 };

static bool is_heading(const struct galen_doc_section *s, const char *h)
{
    return s->heading && strcmp(s->heading, h) == 0;
}

/* Sections with their own place on the page, not in the contents. */
static bool is_special(const struct galen_doc_section *s)
{
    return !s->heading || !s->heading[0] || is_heading(s, "Quick Summary") ||
           is_heading(s, "Key Points") || is_heading(s, "FAQ") ||
           is_heading(s, "References") || is_heading(s, "Question") ||
           is_heading(s, "Reply") || is_heading(s, "Table of Contents") ||
           is_heading(s, "In This Article");
}

static void tables_of(struct ctx *c, const struct galen_doc *d, size_t sec)
{
    size_t i;

    for (i = 0; i < d->ntables; i++) {
        if (d->tables[i].section == sec)
            docview_table(c, &d->tables[i], d->nrefs);
    }
}

static void boxed(struct ctx *c, const struct galen_doc *d, const char *heading,
                  const char *cls)
{
    size_t i;

    for (i = 0; i < d->nsections; i++) {
        if (!is_heading(&d->sections[i], heading))
            continue;
        page_out(c,
                 "<section class=\"%s\" aria-labelledby=\"%s-h\"><h2 "
                 "id=\"%s-h\">%s</h2>",
                 cls, cls, cls, heading);
        docview_text(c, d->sections[i].text, d->nrefs);
        page_out(c, "</section>\n");
    }
}

static void toc(struct ctx *c, const struct galen_doc *d)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < d->nsections; i++)
        n += !is_special(&d->sections[i]);
    if (n < 2)
        return;
    page_out(c, "<nav class=\"toc\" aria-labelledby=\"toc-h\"><h2 "
                "id=\"toc-h\">In This Article</h2><ul>");
    for (i = 0; i < d->nsections; i++) {
        if (!is_special(&d->sections[i]))
            page_out(c, "<li><a href=\"#s-%zu\">%s</a></li>", i,
                     d->sections[i].heading);
    }
    page_out(c, "</ul></nav>\n");
}

static void body_sections(struct ctx *c, const struct galen_doc *d)
{
    size_t i;

    for (i = 0; i < d->nsections; i++) {
        const struct galen_doc_section *s = &d->sections[i];

        if (is_special(s) && s->heading && s->heading[0])
            continue;
        if (s->heading && s->heading[0])
            page_out(c,
                     "<section aria-labelledby=\"s-%zu\"><h2 "
                     "id=\"s-%zu\">%s</h2>",
                     i, i, s->heading);
        else
            page_out(c, "<section class=\"lead-text\">");
        docview_text(c, s->text, d->nrefs);
        tables_of(c, d, i);
        page_out(c, "</section>\n");
    }
}

static void faq(struct ctx *c, const struct galen_doc *d)
{
    size_t i;

    if (d->nfaq == 0)
        return;
    page_out(c, "<section class=\"faq\" aria-labelledby=\"faq-h\"><h2 "
                "id=\"faq-h\">Frequently Asked Questions</h2>");
    for (i = 0; i < d->nfaq; i++) {
        page_out(c, "<details><summary>%s</summary>", d->faq[i].question);
        docview_text(c, d->faq[i].answer, d->nrefs);
        page_out(c, "</details>\n");
    }
    page_out(c, "</section>\n");
}

static void disclaimer(struct ctx *c, const struct galen_doc *d)
{
    bool clinician = strcmp(d->audience, "clinician") == 0;

    page_out(
        c,
        "<aside class=\"disclaimer\" aria-labelledby=\"dis-h\"><h2 "
        "id=\"dis-h\">%s</h2><p>%s</p></aside>\n",
        clinician ? "Professional Medical Disclaimer" : "Medical Disclaimer",
        clinician ? "Written for healthcare professionals. It supports, and "
                    "does not replace, clinical judgement; check doses and "
                    "recommendations against the primary sources and "
                    "current guidance before acting on them."
                  : "This page informs; it is not medical advice for you. "
                    "Talk to a doctor or nurse about your own symptoms, and "
                    "get care at once if they are sudden or severe.");
}

static int comment_cb(void *ctx, const struct galen_comment *cm)
{
    struct ctx *c = ctx;

    page_out(c, "<li><p class=\"meta\"><strong>%s</strong> \xC2\xB7 ",
             cm->author);
    page_ymd(c, cm->created_at);
    page_out(c, "</p>");
    page_paragraphs(c, cm->body);
    page_out(c, "</li>\n");
    return 0;
}

static void comments(struct ctx *c, const struct galen_doc *d)
{
    size_t before;

    page_out(c, "<section class=\"comments\" aria-labelledby=\"cm-h\"><h2 "
                "id=\"cm-h\">Comments</h2>");
    if (http_param(&c->req->query, "comment"))
        page_out(c, "<p class=\"flash\" role=\"status\">Thank you. Your "
                    "comment is held for moderation and appears once an "
                    "editor approves it.</p>");
    page_out(c, "<ul>");
    before = c->resp->body.len;
    (void)!galen_comments(c->svc, d->id, GALEN_COMMENT_APPROVED, comment_cb, c);
    if (c->resp->body.len == before)
        page_out(c, "<li>No comments yet.</li>");
    page_out(c,
             "</ul><h3 id=\"reply-h\">Leave a Reply</h3><form "
             "method=\"post\" action=\"/articles/%U/comments\" "
             "class=\"stack\" aria-labelledby=\"reply-h\">",
             d->id);
    page_csrf_field(c);
    page_out(c,
             "<label for=\"author\">Name (optional)</label><input "
             "id=\"author\" name=\"author\" maxlength=\"63\" value=\"%s\">"
             "<label for=\"comment\">Comment</label><textarea "
             "id=\"comment\" name=\"body\" rows=\"5\" required "
             "maxlength=\"%d\"></textarea><button type=\"submit\">Post "
             "the comment</button></form></section>\n",
             c->user.role == GALEN_ROLE_ANON ? "" : c->user.name,
             GALEN_TEXT_MAX);
}

static void qa_body(struct ctx *c, const struct galen_doc *d)
{
    size_t i;

    for (i = 0; i < d->nsections; i++) {
        const struct galen_doc_section *s = &d->sections[i];

        if (is_heading(s, "Reply")) {
            page_out(c, "<section class=\"qa-reply\" aria-label=\"Specialist "
                        "reply\"><h2 class=\"reply-h\">Specialist reply "
                        "<span class=\"specialty\">");
            docview_title_case(c, d->specialty ? d->specialty : "");
            page_out(c, "</span></h2>");
        } else {
            page_out(c, "<section class=\"qa-question\" aria-label=\"%s\">",
                     s->heading && s->heading[0] ? s->heading : "Question");
        }
        docview_text(c, s->text, d->nrefs);
        if (is_heading(s, "Question") && (d->age_band || d->sex || d->asked)) {
            page_out(c, "<p class=\"meta\">%s%R%s. Ask Date: ",
                     d->age_band ? d->age_band : "",
                     d->age_band ? " year old " : "", d->sex ? d->sex : "");
            page_ymd(c, d->asked ? d->asked : "unknown");
            page_out(c, "</p>");
        }
        if (is_heading(s, "Reply") && d->replied) {
            page_out(c, "<p class=\"meta\">Reply Date: ");
            page_ymd(c, d->replied);
            page_out(c, "</p>");
        }
        page_out(c, "</section>\n");
    }
}

static void meta_line(struct ctx *c, const struct galen_doc *d)
{
    page_out(c, "<p class=\"article-meta\">%d min read \xC2\xB7 %s",
             (int)docview_read_minutes(d), d->kind);
    if (d->source)
        page_out(c, " \xC2\xB7 %s", d->source);
    if (d->date) {
        page_out(c, " \xC2\xB7 ");
        page_date(c, d->date);
    }
    if (d->specialty) {
        page_out(c, " \xC2\xB7 <span class=\"specialty\">");
        docview_title_case(c, d->specialty);
        page_out(c, "</span>");
    }
    page_out(c, "</p>\n");
}

static void article_page(struct ctx *c, const struct galen_doc *d,
                         const struct galen_doc_info *info)
{
    page_begin(c, d->title);
    page_out(c, "<article class=\"doc\"><h1>%s</h1>\n", d->title);
    meta_line(c, d);
    page_banner(c, info->status, info->updated_at);
    if (strcmp(d->kind, "qa") == 0) {
        qa_body(c, d);
    } else {
        boxed(c, d, "Quick Summary", "summary");
        boxed(c, d, "Key Points", "key-points");
        toc(c, d);
        body_sections(c, d);
        faq(c, d);
    }
    if (d->nrefs) {
        page_out(c, "<section class=\"references\" aria-labelledby=\"ref-h\">"
                    "<h2 id=\"ref-h\">References</h2>");
        docview_references(c, d);
        page_out(c, "</section>\n");
    }
    disclaimer(c, d);
    page_out(c, "</article>\n");
    comments(c, d);
    page_end(c);
}

void page_article(struct ctx *c)
{
    const struct galen_doc *d = NULL;
    struct galen_doc_info info;
    int rc;

    if (!ctx_need_store(c, "document"))
        return;
    rc = galen_doc_info(c->svc, c->slug, &info);
    if (rc == GALEN_OK)
        rc = galen_doc_get(c->svc, c->slug, &d);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "no such article");
        return;
    }
    article_page(c, d, &info);
    galen_doc_free(d);
}

void page_comment_submit(struct ctx *c)
{
    char loc[HTTP_LOCATION_MAX];
    int rc;

    if (!ctx_need_store(c, "document"))
        return;
    rc = galen_comment_add(c->svc, c->slug, http_req_param(c->req, "author"),
                           http_req_param(c->req, "body"),
                           c->user.role == GALEN_ROLE_ANON ? 0 : c->user.id,
                           c->req->wall, NULL);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    snprintf(loc, sizeof loc, "/articles/%s?comment=held#cm-h", c->slug);
    http_resp_redirect(c->resp, loc);
}

static int list_cb(void *ctx, const struct galen_doc_row *r)
{
    struct ctx *c = ctx;

    page_out(c,
             "<li><a href=\"/articles/%U\">%s</a> <span class=\"meta\">%s"
             " \xC2\xB7 %s</span></li>\n",
             r->id, r->title, r->kind, r->status);
    return 0;
}

void page_articles(struct ctx *c)
{
    static const char *const kinds[] = {"article",  "consumer", "guideline",
                                        "research", "faq",      "qa"};
    const char *kind = http_param(&c->req->query, "kind");
    const char *p = http_param(&c->req->query, "page");
    long page = 1;
    size_t i;
    bool known = false;

    if (!ctx_need_store(c, "document"))
        return;
    for (i = 0; kind && i < ARRAY_SIZE(kinds); i++)
        known |= strcmp(kind, kinds[i]) == 0;
    kind = known ? kind : "article";
    if (p && str_to_long(p, 1, 100000, &page) != GALEN_OK)
        page = 1;
    page_begin(c, "Articles");
    page_out(c, "<h1>Articles</h1><nav aria-label=\"Kinds\"><ul "
                "class=\"counts\">");
    for (i = 0; i < ARRAY_SIZE(kinds); i++)
        page_out(c, "<li><a href=\"/articles?kind=%s\"%R>%s</a></li>", kinds[i],
                 strcmp(kind, kinds[i]) == 0 ? " aria-current=\"true\"" : "",
                 kinds[i]);
    page_out(c, "</ul></nav><ul class=\"doc-list\">");
    if (galen_docs(c->svc, NULL, kind, LIST_PAGE,
                   (size_t)(page - 1) * LIST_PAGE, list_cb, c) != GALEN_OK)
        c->rc = GALEN_EDB;
    page_out(c,
             "</ul><nav aria-label=\"Pages\"><a "
             "href=\"/articles?kind=%s&amp;page=%ld\">More</a></nav>\n",
             kind, page + 1);
    page_end(c);
}
