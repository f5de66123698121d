/* SPDX-License-Identifier: MIT */
/* article_write.c: struct doc to galen Markdown (article_write.h). The
 * front matter is written as YAML that the article parser reads back
 * unchanged: a scalar is plain where YAML allows it and double-quoted
 * otherwise; references use the one-line "k: v | k: v" form unless a value
 * holds a '|', then a YAML mapping. The body is the sections in order,
 * each at level 2 with its tables after its text; FAQ items go back under
 * their FAQ section as level-3 questions. */
#include "article_write.h"

#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "article.h"
#include "base/str.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_plain_char(unsigned char c)
{
    return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("()/$+~=^<._\\;", c);
}

/* True when s can be a plain YAML scalar in a block mapping (and, with
 * in_flow, inside a [flow, list]) and reads back as itself. */
static bool plain_ok(const char *s, bool in_flow)
{
    size_t i, n = strlen(s);

    if (n == 0 || !is_plain_char((unsigned char)s[0]) || s[n - 1] == ' ' ||
        s[n - 1] == ':')
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f || (c == ':' && s[i + 1] == ' ') ||
            (c == ' ' && s[i + 1] == '#') || (in_flow && strchr(",[]{}", c)))
            return false;
    }
    return true;
}

static void put_scalar(int *rc, struct buf *b, const char *s, bool in_flow)
{
    if (plain_ok(s, in_flow)) {
        buf_put_str(rc, b, s);
        return;
    }
    buf_put_byte(rc, b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            buf_printf(rc, b, "\\%c", c);
        else if (c == '\n')
            buf_put_str(rc, b, "\\n");
        else if (c == '\t')
            buf_put_str(rc, b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            buf_printf(rc, b, "\\x%02x", c);
        else
            buf_put_byte(rc, b, c);
    }
    buf_put_byte(rc, b, '"');
}

static void put_kv(int *rc, struct buf *b, const char *key, const char *v)
{
    if (!v)
        return;
    buf_printf(rc, b, "%s: ", key);
    put_scalar(rc, b, v, false);
    buf_put_byte(rc, b, '\n');
}

static void put_list(int *rc, struct buf *b, const char *key,
                     const struct doc_strlist *l)
{
    size_t i;

    if (l->n == 0)
        return;
    buf_printf(rc, b, "%s: [", key);
    for (i = 0; i < l->n; i++) {
        if (i)
            buf_put_str(rc, b, ", ");
        put_scalar(rc, b, l->v[i], true);
    }
    buf_put_str(rc, b, "]\n");
}

static bool pipe_ok(const char *s)
{
    const char *p;

    if (!s)
        return true;
    for (p = s; *p; p++) {
        if (*p == '|' || (unsigned char)*p < 0x20)
            return false;
    }
    return *s && s[0] != ' ' && p[-1] != ' ';
}

static void put_ref(int *rc, struct buf *b, const struct doc_ref *r)
{
    const char *names[] = {"kind", "title", "source", "authors",
                           "pmid", "doi",   "url"};
    const char *vals[] = {r->kind, r->title, r->source, r->authors,
                          r->pmid, r->doi,   r->url};
    bool pipes = true, first = true;
    char year[16];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(vals); i++)
        pipes = pipes && pipe_ok(vals[i]);
    snprintf(year, sizeof year, "%d", r->year);
    for (i = 0; i < ARRAY_SIZE(vals) + 1; i++) {
        const char *k = i < 3 ? names[i] : i == 3 ? "year" : names[i - 1];
        const char *v = i < 3 ? vals[i] : i == 3 ? year : vals[i - 1];

        if (!v || (i == 3 && r->year == 0))
            continue;
        buf_put_str(rc, b, first ? "  - " : pipes ? " | " : "\n    ");
        first = false;
        buf_printf(rc, b, "%s: ", k);
        if (pipes)
            buf_put_str(rc, b, v);
        else
            put_scalar(rc, b, v, false);
    }
    buf_put_byte(rc, b, '\n');
}

static void put_front(int *rc, struct buf *b, const struct doc *d)
{
    size_t i;

    buf_put_str(rc, b, "---\n");
    put_kv(rc, b, "id", d->id);
    put_kv(rc, b, "kind", doc_kind_name(d->kind));
    put_kv(rc, b, "title", d->title);
    put_kv(rc, b, "audience", doc_audience_name(d->audience));
    put_kv(rc, b, "specialty", d->specialty);
    put_kv(rc, b, "source", d->source);
    put_kv(rc, b, "authors", d->authors);
    put_kv(rc, b, "date", d->date);
    put_kv(rc, b, "url", d->url);
    put_kv(rc, b, "licence", d->licence);
    if (d->evidence != DOC_EVIDENCE_NONE)
        put_kv(rc, b, "evidence", doc_evidence_name(d->evidence));
    put_list(rc, b, "topics", &d->focus);
    put_list(rc, b, "synonyms", &d->synonyms);
    put_list(rc, b, "cuis", &d->cuis);
    put_list(rc, b, "semantic_types", &d->semantic_types);
    put_kv(rc, b, "semantic_group", d->semantic_group);
    put_list(rc, b, "pub_types", &d->pub_types);
    put_kv(rc, b, "pmid", d->pmid);
    put_kv(rc, b, "doi", d->doi);
    put_kv(rc, b, "question_type", d->question_type);
    put_kv(rc, b, "status", doc_status_name(d->status));
    put_kv(rc, b, "age_band", d->age_band);
    put_kv(rc, b, "sex", d->sex);
    put_kv(rc, b, "asked", d->asked);
    put_kv(rc, b, "replied", d->replied);
    for (i = 0; i + 1 < d->meta.n; i += 2) {
        put_scalar(rc, b, d->meta.v[i], false);
        buf_put_str(rc, b, ": ");
        put_scalar(rc, b, d->meta.v[i + 1], false);
        buf_put_byte(rc, b, '\n');
    }
    if (d->nrefs)
        buf_put_str(rc, b, "references:\n");
    for (i = 0; i < d->nrefs; i++)
        put_ref(rc, b, &d->refs[i]);
    buf_put_str(rc, b, "---\n");
}

/* ---- body -------------------------------------------------------------- */

static void put_cell_row(int *rc, struct buf *b, char *const *cells, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *c;

        buf_put_str(rc, b, "| ");
        for (c = cells[i]; *c; c++) {
            if (*c == '|')
                buf_put_byte(rc, b, '\\');
            buf_put_byte(rc, b, (unsigned char)*c);
        }
        buf_put_byte(rc, b, ' ');
    }
    buf_put_str(rc, b, "|\n");
}

static void put_tables(int *rc, struct buf *b, const struct doc *d,
                       size_t section)
{
    size_t i, r, c;

    for (i = 0; i < d->ntables; i++) {
        const struct doc_table *t = &d->tables[i];

        if (t->section != section)
            continue;
        buf_put_byte(rc, b, '\n');
        put_cell_row(rc, b, t->header, t->ncols);
        for (c = 0; c < t->ncols; c++)
            buf_put_str(rc, b, "|---");
        buf_put_str(rc, b, "|\n");
        for (r = 0; r < t->nrows; r++)
            put_cell_row(rc, b, t->cells + r * t->ncols, t->ncols);
    }
}

static bool is_faq_heading(const char *h)
{
    return strcmp(h, "FAQ") == 0 || strcmp(h, "FAQs") == 0 ||
           strcmp(h, "Frequently Asked Questions") == 0;
}

/* The length of the text that FAQ items [from, to) add to their section:
 * "question\nanswer", joined by blank lines. */
static size_t items_len(const struct doc *d, size_t from, size_t to)
{
    size_t i, n = 0;

    for (i = from; i < to; i++)
        n += (i > from ? 2 : 0) + strlen(d->faq[i].question) + 1 +
             strlen(d->faq[i].answer);
    return n;
}

/* True if text ends with items [from, to), after a blank line or alone. */
static bool ends_with_items(const struct doc *d, const char *text, size_t from,
                            size_t to)
{
    size_t n = strlen(text), m = items_len(d, from, to), i;
    const char *p;

    if (m > n ||
        (m < n && (m + 2 > n || memcmp(text + n - m - 2, "\n\n", 2) != 0)))
        return false;
    p = text + n - m;
    for (i = from; i < to; i++) {
        size_t q = strlen(d->faq[i].question), a = strlen(d->faq[i].answer);

        if (i > from) {
            if (memcmp(p, "\n\n", 2) != 0)
                return false;
            p += 2;
        }
        if (memcmp(p, d->faq[i].question, q) != 0 || p[q] != '\n' ||
            memcmp(p + q + 1, d->faq[i].answer, a) != 0)
            return false;
        p += q + 1 + a;
    }
    return true;
}

/* How many FAQ items from *next the FAQ section with this text holds. */
static size_t faq_items(const struct doc *d, const char *text, size_t next)
{
    size_t k;

    for (k = d->nfaq - next; k > 0; k--) {
        if (ends_with_items(d, text, next, next + k))
            return k;
    }
    return 0;
}

static void put_section(int *rc, struct buf *b, const struct doc *d, size_t i,
                        size_t *next_faq)
{
    const struct doc_section *s = &d->sections[i];
    size_t k = 0, n = strlen(s->text), j;

    if (*s->heading)
        buf_printf(rc, b, "\n## %s\n", s->heading);
    if (is_faq_heading(s->heading))
        k = faq_items(d, s->text, *next_faq);
    if (k)
        n -= MIN(n, items_len(d, *next_faq, *next_faq + k) + 2);
    if (n) {
        buf_put_byte(rc, b, '\n');
        buf_put(rc, b, s->text, n);
        buf_put_byte(rc, b, '\n');
    }
    put_tables(rc, b, d, i);
    for (j = *next_faq; j < *next_faq + k; j++)
        buf_printf(rc, b, "\n### %s\n\n%s\n", d->faq[j].question,
                   d->faq[j].answer);
    *next_faq += k;
}

/* ---- checks ------------------------------------------------------------ */

/* True if the parser reads line [l, end) back as this text: not a heading
 * or the header of a table, no indentation but a nested bullet's, no
 * trailing space. */
static bool line_ok(const char *l, const char *end)
{
    size_t ws = strspn(l, " \t"), hashes = strspn(l, "#");

    /* "#... text" or a bare run of '#' reads as a heading. */
    if (hashes >= 1 && hashes <= 6 && (l + hashes == end || l[hashes] == ' '))
        return false;
    if (end > l && (is_ws(end[-1]) || end[-1] == '\r'))
        return false; /* the reader trims it */
    if (*end == '\n' && article_table_start(l, (size_t)(end - l), end + 1,
                                            strcspn(end + 1, "\n")))
        return false;
    return ws == 0 || (l[ws] == '-' && l[ws + 1] == ' ');
}

static bool text_ok(const char *t)
{
    const char *line = t;

    if (strstr(t, "\n\n\n") || t[0] == '\n' || (*t && t[strlen(t) - 1] == '\n'))
        return false;
    while (line) {
        const char *nl = strchr(line, '\n');

        if (!line_ok(line, nl ? nl : line + strlen(line)))
            return false;
        line = nl ? nl + 1 : NULL;
    }
    return true;
}

/* True if "## h" reads back as heading h. */
static bool heading_ok(const char *h)
{
    size_t n = strlen(h);

    return !strchr(h, '\n') &&
           (n == 0 || (!is_ws(h[0]) && !is_ws(h[n - 1]) && h[n - 1] != '\r'));
}

const char *article_unwritable(const struct doc *d)
{
    size_t i, faq = 0;

    if (!d->has_answer)
        return "a question without an answer";
    if (d->nsections == 0)
        return "no body text";
    for (i = 0; i < d->nsections; i++) {
        const char *h = d->sections[i].heading;

        if (i > 0 && !*h)
            return "a section without a heading after the first";
        if (!heading_ok(h))
            return "a section heading the format cannot hold";
        if (!text_ok(d->sections[i].text))
            return "section text the format cannot hold";
        if (is_faq_heading(h))
            faq += faq_items(d, d->sections[i].text, faq);
    }
    if (faq != d->nfaq)
        return "FAQ items outside a FAQ section";
    for (i = 0; i < d->nfaq; i++) {
        if (!heading_ok(d->faq[i].question) || !*d->faq[i].question)
            return "a FAQ question the format cannot hold";
    }
    return NULL;
}

int article_write_checked(const struct doc *d, struct buf *b, char *why,
                          size_t cap)
{
    const char *reason = article_unwritable(d);
    char h1[DOC_HASH_HEX], h2[DOC_HASH_HEX];
    struct diag diag = {{0}, 0};
    struct doc back;
    int rc;

    if (reason) {
        snprintf(why, cap, "%s", reason);
        return GALEN_EPARSE;
    }
    rc = article_write(d, b);
    if (rc != GALEN_OK)
        return rc;
    doc_init(&back);
    rc = import_article_parse(b->len ? (const char *)b->data : "", b->len,
                              &back, &diag);
    if (rc == GALEN_EPARSE)
        snprintf(why, cap, "line %ld: %s", diag.line, diag.msg);
    if (rc == GALEN_OK) {
        doc_hash(d, h1);
        doc_hash(&back, h2);
        if (strcmp(h1, h2) != 0) {
            snprintf(why, cap, "the article would not read back the same");
            rc = GALEN_EPARSE;
        }
    }
    doc_cleanup(&back);
    return rc;
}

int article_write(const struct doc *d, struct buf *b)
{
    size_t i, next_faq = 0;
    int rc = GALEN_OK;

    if (article_unwritable(d))
        return GALEN_EPARSE;
    put_front(&rc, b, d);
    for (i = 0; i < d->nsections; i++)
        put_section(&rc, b, d, i, &next_faq);
    return rc;
}
