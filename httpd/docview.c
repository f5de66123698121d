/* SPDX-License-Identifier: MIT */
/* docview.c: document text to HTML. The input is the article format's body
 * (docs/article-format.md) as the importer stored it. The renderer only
 * ever emits its own tags around escaped text, so nothing in a document can
 * inject markup: a citation is recognised as "[digits]" and rebuilt. */
#include "docview.h"

#include <string.h>

#include "html.h"
#include "page.h"

enum block { BLOCK_NONE, BLOCK_P, BLOCK_UL, BLOCK_OL };

static void close_block(struct ctx *c, enum block *cur)
{
    static const char *const end[] = {"", "</p>\n", "</li></ul>\n",
                                      "</li></ol>\n"};

    page_out(c, "%R", end[*cur]);
    *cur = BLOCK_NONE;
}

/* Writes s[0..n) escaped, turning [k] (1 <= k <= nrefs) into citations. */
static void inline_text(struct ctx *c, const char *s, size_t n, size_t nrefs)
{
    size_t i = 0;
    size_t run = 0;

    while (i < n) {
        size_t j = i + 1;
        size_t k = 0;

        if (s[i] != '[') {
            i++;
            continue;
        }
        while (j < n && j < i + 5 && s[j] >= '0' && s[j] <= '9')
            k = k * 10 + (size_t)(s[j++] - '0');
        if (j == i + 1 || j >= n || s[j] != ']' || k == 0 || k > nrefs) {
            i++;
            continue;
        }
        html_escn(&c->rc, &c->resp->body, s + run, i - run);
        page_out(c,
                 "<sup><a class=\"cite\" href=\"#ref-%zu\" "
                 "aria-label=\"reference %zu\">[%zu]</a></sup>",
                 k, k, k);
        i = j + 1;
        run = i;
    }
    html_escn(&c->rc, &c->resp->body, s + run, n - run);
}

/* Length of a "1. " style marker at the start of line, or 0. */
static size_t ol_marker(const char *line, size_t n)
{
    size_t i = 0;

    while (i < n && i < 3 && line[i] >= '0' && line[i] <= '9')
        i++;
    if (i == 0 || i + 1 >= n || line[i] != '.' || line[i + 1] != ' ')
        return 0;
    return i + 2;
}

/* Renders one line, opening or continuing the block it belongs to. */
static void line_out(struct ctx *c, const char *line, size_t n, enum block *cur,
                     size_t nrefs)
{
    size_t ol = ol_marker(line, n);
    bool ul = n >= 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ';
    enum block want = ul ? BLOCK_UL : (ol ? BLOCK_OL : BLOCK_P);

    if (want != *cur) {
        close_block(c, cur);
        page_out(c, "%R",
                 want == BLOCK_UL   ? "<ul><li>"
                 : want == BLOCK_OL ? "<ol><li>"
                                    : "<p>");
    } else if (want != BLOCK_P) {
        page_out(c, "</li><li>");
    } else {
        page_out(c, "\n");
    }
    *cur = want;
    if (ul)
        inline_text(c, line + 2, n - 2, nrefs);
    else
        inline_text(c, line + ol, n - ol, nrefs);
}

void docview_text(struct ctx *c, const char *text, size_t nrefs)
{
    const char *p = text ? text : "";
    enum block cur = BLOCK_NONE;

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        size_t lead = 0;

        while (lead < n && (p[lead] == ' ' || p[lead] == '\t'))
            lead++;
        if (lead == n)
            close_block(c, &cur);
        else if (p[lead] != '|')
            line_out(c, p + lead, n - lead, &cur, nrefs);
        p += n + (nl ? 1 : 0);
    }
    close_block(c, &cur);
}

void docview_table(struct ctx *c, const struct galen_doc_table *t, size_t nrefs)
{
    size_t r;
    size_t k;

    page_out(c, "<div class=\"table-wrap\"><table><thead><tr>");
    for (k = 0; k < t->ncols; k++)
        page_out(c, "<th scope=\"col\">%s</th>", t->header[k]);
    page_out(c, "</tr></thead><tbody>");
    for (r = 0; r < t->nrows; r++) {
        page_out(c, "<tr>");
        for (k = 0; k < t->ncols; k++) {
            const char *cell = t->cells[r * t->ncols + k];

            page_out(c, "%R", k == 0 ? "<th scope=\"row\">" : "<td>");
            inline_text(c, cell, strlen(cell), nrefs);
            page_out(c, "%R", k == 0 ? "</th>" : "</td>");
        }
        page_out(c, "</tr>");
    }
    page_out(c, "</tbody></table></div>\n");
}

static bool http_url(const char *u)
{
    return u &&
           (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0);
}

static void reference(struct ctx *c, const struct galen_doc_ref *r, size_t n)
{
    page_out(c, "<li id=\"ref-%zu\">", n);
    if (r->kind)
        page_out(c, "<span class=\"kind\">%s</span><br>", r->kind);
    page_out(c, "<cite>%s</cite>", r->title ? r->title : "(untitled)");
    if (r->authors)
        page_out(c, ". %s", r->authors);
    if (r->source)
        page_out(c, ". %s", r->source);
    if (r->year)
        page_out(c, ", %d", r->year);
    page_out(c, ".");
    if (r->pmid)
        page_out(c,
                 " <a href=\"https://pubmed.ncbi.nlm.nih.gov/%U/\">PMID "
                 "%s</a>",
                 r->pmid, r->pmid);
    if (r->doi)
        page_out(c, " <a href=\"https://doi.org/%s\">doi:%s</a>", r->doi,
                 r->doi);
    if (http_url(r->url))
        page_out(c, " <a href=\"%s\">link</a>", r->url);
    page_out(c, "</li>\n");
}

void docview_references(struct ctx *c, const struct galen_doc *d)
{
    size_t i;

    page_out(c, "<ol class=\"refs-list\">");
    for (i = 0; i < d->nrefs; i++)
        reference(c, &d->refs[i], i + 1);
    page_out(c, "</ol>\n");
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    bool in = false;

    for (; s && *s; s++) {
        bool sp = *s == ' ' || *s == '\n' || *s == '\t';

        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

unsigned docview_read_minutes(const struct galen_doc *d)
{
    size_t words = 0;
    size_t i;

    for (i = 0; i < d->nsections; i++)
        words += count_words(d->sections[i].text);
    for (i = 0; i < d->nfaq; i++)
        words += count_words(d->faq[i].answer);
    return (unsigned)((words + 199) / 200 ? (words + 199) / 200 : 1);
}

void docview_title_case(struct ctx *c, const char *s)
{
    char buf[128];
    size_t n = s ? strlen(s) : 0;
    size_t i;

    if (n >= sizeof buf) {
        page_out(c, "%s", s);
        return;
    }
    for (i = 0; i < n; i++) {
        bool start = i == 0 || s[i - 1] == ' ' || s[i - 1] == '-';

        buf[i] =
            (start && s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
    }
    buf[n] = '\0';
    page_out(c, "%s", buf);
}
