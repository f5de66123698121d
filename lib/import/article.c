/* SPDX-License-Identifier: MIT */
/* import_article.c: galen's Markdown article format, implemented exactly
 * as docs/article-format.md describes it. The parser walks the text line
 * by line, once: the front matter first (key table below), then the body,
 * where headings open sections, pipe tables become doc_table structures,
 * and "### Question" subheadings inside a FAQ section become FAQ items.
 * Anything the format does not allow is an error naming its line. */
#include "article.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "article_front.h"
#include "base/buf.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/utf8.h"

struct line {
    const char *p;
    size_t len;
    long no; /* 1-based */
};

struct article {
    const char *p, *end; /* input not yet read */
    long lineno;         /* lines read so far */
    struct doc *d;
    struct diag *diag;
    char *heading;        /* current section; NULL for the lead */
    struct buf text;      /* current section's text */
    bool has_table;       /* the current section holds a table */
    bool blank;           /* a blank line is pending */
    int faq_level;        /* heading level of the FAQ section, or 0 */
    struct doc_faq *item; /* the FAQ item being read */
    long item_line;
    struct buf answer; /* its answer text */
};

static int err(struct article *a, long line, const char *fmt, ...)
    GALEN_PRINTF(3, 4);

static int err(struct article *a, long line, const char *fmt, ...)
{
    va_list ap;

    if (a->diag) {
        a->diag->line = line;
        va_start(ap, fmt);
        vsnprintf(a->diag->msg, sizeof a->diag->msg, fmt, ap);
        va_end(ap);
    }
    return GALEN_EPARSE;
}

static int nomem(struct article *a, long line)
{
    return diag_setf(a->diag, GALEN_ENOMEM, line, "out of memory");
}

/* ---- lines ------------------------------------------------------------- */

static bool next_line(struct article *a, struct line *ln)
{
    const char *nl;

    if (a->p >= a->end)
        return false;
    nl = memchr(a->p, '\n', (size_t)(a->end - a->p));
    ln->p = a->p;
    ln->len = nl ? (size_t)(nl - a->p) : (size_t)(a->end - a->p);
    ln->no = ++a->lineno;
    a->p = nl ? nl + 1 : a->end;
    if (ln->len && ln->p[ln->len - 1] == '\r')
        ln->len--;
    return true;
}

static bool peek_line(struct article *a, struct line *ln)
{
    const char *p = a->p;
    long no = a->lineno;
    bool ok = next_line(a, ln);

    a->p = p;
    a->lineno = no;
    return ok;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static struct str trim(const char *p, size_t n)
{
    while (n && is_ws(*p)) {
        p++;
        n--;
    }
    while (n && is_ws(p[n - 1]))
        n--;
    return (struct str){p, n};
}

static bool is_fence(const struct line *ln)
{
    struct str t = trim(ln->p, ln->len);

    return str_eq_cstr(t, "---");
}

/* ---- front matter ------------------------------------------------------ */

/* Finds the block between the fences and hands it to article_front.c. */
static int parse_front(struct article *a, const char *name)
{
    struct line ln;
    const char *start;
    long first;

    if (a->end - a->p >= 3 && memcmp(a->p, "\xef\xbb\xbf", 3) == 0)
        a->p += 3; /* a UTF-8 byte order mark */
    if (!next_line(a, &ln) || !is_fence(&ln))
        return err(a, 1, "an article starts with a '---' front-matter line");
    start = a->p;
    first = a->lineno + 1;
    for (;;) {
        if (!next_line(a, &ln))
            return err(a, a->lineno, "front matter has no closing '---'");
        if (is_fence(&ln))
            break;
    }
    return article_front_parse(start, (size_t)(ln.p - start), first, ln.no,
                               name, a->d, a->diag);
}

/* ---- body text --------------------------------------------------------- */

/* Every [n] must name one of the front matter's references. */
static int check_citations(struct article *a, const char *p, size_t n,
                           long line)
{
    size_t i = 0;

    while (i < n) {
        const char *open = memchr(p + i, '[', n - i);
        size_t j, start;
        long v;
        char num[8];

        if (!open)
            break;
        start = (size_t)(open - p) + 1;
        for (j = start; j < n && p[j] >= '0' && p[j] <= '9'; j++)
            ;
        i = start;
        if (j == start || j >= n || p[j] != ']' || j - start > 6)
            continue;
        memcpy(num, p + start, j - start);
        num[j - start] = '\0';
        if (str_to_long(num, 1, (long)a->d->nrefs, &v) != GALEN_OK)
            return err(a, line,
                       "citation [%s] has no reference (there are %zu)", num,
                       a->d->nrefs);
    }
    return GALEN_OK;
}

/* Appends one line of text to b, keeping paragraph breaks. */
static void append_line(struct article *a, struct buf *b, struct str t, int *rc)
{
    if (b->len)
        buf_put_str(rc, b, a->blank ? "\n\n" : "\n");
    buf_put(rc, b, t.p, t.len);
    a->blank = false;
}

static int on_text(struct article *a, const struct line *ln)
{
    struct str t = trim(ln->p, ln->len);
    struct buf *b = a->item ? &a->answer : &a->text;
    int rc = GALEN_OK;

    if (t.len == 0) {
        a->blank = b->len > 0;
        return GALEN_OK;
    }
    rc = check_citations(a, t.p, t.len, ln->no);
    if (rc != GALEN_OK)
        return rc;
    /* Keep a bullet's indentation: nested lists stay readable. */
    if (is_ws(ln->p[0]) && t.len >= 2 && t.p[0] == '-' && t.p[1] == ' ')
        t = (struct str){ln->p, (size_t)(t.p - ln->p) + t.len};
    append_line(a, b, t, &rc);
    if (rc != GALEN_OK)
        return rc == GALEN_ETOOBIG ? err(a, ln->no, "section too long")
                                   : nomem(a, ln->no);
    return GALEN_OK;
}

/* ---- tables ------------------------------------------------------------ */

/* Splits a pipe-table line into cells (leading and trailing '|' dropped,
 * "\|" kept as a literal bar). Returns the number of cells, or -1 on
 * ENOMEM; cells are owned by the caller when out is not NULL. */
static long split_cells(struct str t, char **out, size_t cap)
{
    size_t i = 0, n = 0, end = t.len;
    struct buf cell;
    int rc = GALEN_OK;

    if (end && t.p[0] == '|')
        i = 1;
    if (end > i && t.p[end - 1] == '|' && !(end >= 2 && t.p[end - 2] == '\\'))
        end--;
    buf_init(&cell, DOC_TEXT_MAX);
    while (i <= end && rc == GALEN_OK) {
        if (i == end || t.p[i] == '|') {
            struct str c = trim((const char *)cell.data, cell.len);

            if (out && n < cap) {
                out[n] = galen_strndup(c.p ? c.p : "", c.len);
                if (!out[n])
                    rc = GALEN_ENOMEM;
            }
            n++;
            buf_reset(&cell);
        } else if (t.p[i] == '\\' && i + 1 < end && t.p[i + 1] == '|') {
            buf_put_byte(&rc, &cell, '|');
            i++;
        } else {
            buf_put_byte(&rc, &cell, (unsigned char)t.p[i]);
        }
        i++;
    }
    buf_cleanup(&cell);
    return rc == GALEN_OK ? (long)n : -1;
}

static bool is_separator(const struct line *ln, size_t ncols)
{
    struct str t = trim(ln->p, ln->len);
    size_t i, cols = 1, dashes = 0;

    if (t.len == 0 || t.p[0] != '|')
        return false;
    for (i = 1; i < t.len; i++) {
        char c = t.p[i];

        if (c == '|' && i + 1 < t.len)
            cols++;
        else if (c == '-')
            dashes++;
        else if (c != ':' && c != '|' && !is_ws(c))
            return false;
    }
    return dashes > 0 && cols == ncols;
}

bool article_table_start(const char *hdr, size_t hlen, const char *next,
                         size_t nlen)
{
    const struct line ln = {next, nlen, 0};
    long ncols;

    if (hlen == 0 || hdr[0] != '|')
        return false;
    ncols = split_cells(trim(hdr, hlen), NULL, 0);
    return ncols < 0 || is_separator(&ln, (size_t)ncols);
}

static int table_row(struct article *a, struct doc_table *tb,
                     const struct line *ln)
{
    struct str t = trim(ln->p, ln->len);
    long n = split_cells(t, NULL, 0);
    char **cells;
    size_t need = (tb->nrows + 1) * tb->ncols;

    if (n < 0)
        return nomem(a, ln->no);
    if ((size_t)n != tb->ncols)
        return err(a, ln->no, "table row has %ld cells; the header has %zu", n,
                   tb->ncols);
    if (tb->nrows >= DOC_LIST_MAX)
        return err(a, ln->no, "table has too many rows");
    if (check_citations(a, t.p, t.len, ln->no) != GALEN_OK)
        return GALEN_EPARSE;
    cells = galen_realloc(tb->cells, need * sizeof *cells);
    if (!cells)
        return nomem(a, ln->no);
    tb->cells = cells;
    memset(cells + tb->nrows * tb->ncols, 0, tb->ncols * sizeof *cells);
    tb->nrows++; /* counted first so doc_cleanup frees partial rows */
    if (split_cells(t, cells + (tb->nrows - 1) * tb->ncols, tb->ncols) < 0)
        return nomem(a, ln->no);
    return GALEN_OK;
}

static int on_table(struct article *a, const struct line *hdr)
{
    struct str t = trim(hdr->p, hdr->len);
    long ncols = split_cells(t, NULL, 0);
    struct doc_table *tb;
    struct line ln;

    if (ncols < 0)
        return nomem(a, hdr->no);
    if (!peek_line(a, &ln) || !is_separator(&ln, (size_t)ncols))
        return on_text(a, hdr); /* a line that merely starts with '|' */
    (void)next_line(a, &ln);
    if (check_citations(a, t.p, t.len, hdr->no) != GALEN_OK)
        return GALEN_EPARSE;
    if (doc_add_table(a->d, &tb) != GALEN_OK)
        return err(a, hdr->no, "too many tables");
    tb->section = a->d->nsections;
    tb->ncols = (size_t)ncols;
    tb->header = galen_calloc(tb->ncols, sizeof *tb->header);
    if (!tb->header || split_cells(t, tb->header, tb->ncols) < 0)
        return nomem(a, hdr->no);
    a->has_table = true;
    while (peek_line(a, &ln) && trim(ln.p, ln.len).len &&
           trim(ln.p, ln.len).p[0] == '|') {
        int rc;

        (void)next_line(a, &ln);
        rc = table_row(a, tb, &ln);
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

/* ---- sections and FAQ items -------------------------------------------- */

static int finish_item(struct article *a)
{
    int rc = GALEN_OK;

    if (!a->item)
        return GALEN_OK;
    if (a->answer.len == 0)
        return err(a, a->item_line, "FAQ question has no answer");
    if (doc_set(&a->item->answer, (const char *)a->answer.data,
                a->answer.len) != GALEN_OK)
        return nomem(a, a->item_line);
    /* The FAQ section's text carries its items too, so that search and
     * answers see them; pages render doc.faq instead. */
    if (a->text.len)
        buf_put_str(&rc, &a->text, "\n\n");
    buf_put_str(&rc, &a->text, a->item->question);
    buf_put_byte(&rc, &a->text, '\n');
    buf_put(&rc, &a->text, a->answer.data, a->answer.len);
    buf_reset(&a->answer);
    a->item = NULL;
    a->blank = false;
    return rc == GALEN_OK ? GALEN_OK : nomem(a, a->item_line);
}

static int close_section(struct article *a, long line)
{
    int rc = finish_item(a);

    if (rc != GALEN_OK)
        return rc;
    if (a->heading || a->text.len || a->has_table) {
        rc = doc_add_section(a->d, a->heading ? a->heading : "",
                             (const char *)a->text.data, a->text.len);
        if (rc != GALEN_OK)
            return err(a, line, "too many sections");
    }
    galen_free(a->heading);
    a->heading = NULL;
    buf_reset(&a->text);
    a->has_table = false;
    a->blank = false;
    a->faq_level = 0;
    return GALEN_OK;
}

static bool is_faq_heading(struct str h)
{
    return str_eq_cstr(h, "FAQ") || str_eq_cstr(h, "FAQs") ||
           str_eq_cstr(h, "Frequently Asked Questions");
}

static int start_item(struct article *a, struct str q, long line)
{
    int rc = finish_item(a);

    if (rc != GALEN_OK)
        return rc;
    if (doc_add_faq(a->d, &a->item) != GALEN_OK)
        return err(a, line, "too many FAQ items");
    if (doc_set(&a->item->question, q.p, q.len) != GALEN_OK)
        return nomem(a, line);
    a->item_line = line;
    a->blank = false;
    return GALEN_OK;
}

static int on_heading(struct article *a, int level, struct str h, long line)
{
    int rc;

    if (level == 1 && a->d->title && str_eq_cstr(h, a->d->title))
        return GALEN_OK;
    if (h.len == 0)
        return err(a, line, "empty heading");
    if (check_citations(a, h.p, h.len, line) != GALEN_OK)
        return GALEN_EPARSE;
    if (a->faq_level && level > a->faq_level)
        return start_item(a, h, line);
    rc = close_section(a, line);
    if (rc != GALEN_OK)
        return rc;
    a->heading = galen_strndup(h.p, h.len);
    if (!a->heading)
        return nomem(a, line);
    a->faq_level = is_faq_heading(h) ? level : 0;
    return GALEN_OK;
}

/* The heading level (1..6) of "#... text", or 0 for other lines. */
static int heading_level(const struct line *ln, struct str *text)
{
    size_t n = 0;

    while (n < ln->len && ln->p[n] == '#')
        n++;
    if (n == 0 || n > 6 || (n < ln->len && ln->p[n] != ' '))
        return 0;
    *text = trim(ln->p + n, ln->len - n);
    return (int)n;
}

static bool has_section(const struct doc *d, const char *heading)
{
    size_t i;

    for (i = 0; i < d->nsections; i++) {
        if (strcmp(d->sections[i].heading, heading) == 0)
            return true;
    }
    return false;
}

static int parse_body(struct article *a)
{
    struct line ln;
    int rc = GALEN_OK;

    while (rc == GALEN_OK && next_line(a, &ln)) {
        struct str h;
        int level = heading_level(&ln, &h);

        if (level)
            rc = on_heading(a, level, h, ln.no);
        else if (ln.len && ln.p[0] == '|')
            rc = on_table(a, &ln);
        else
            rc = on_text(a, &ln);
    }
    if (rc == GALEN_OK)
        rc = close_section(a, a->lineno);
    if (rc != GALEN_OK)
        return rc;
    if (a->d->nsections == 0)
        return err(a, a->lineno, "article has no body text");
    if (a->d->kind == DOC_KIND_QA &&
        (!has_section(a->d, "Question") || !has_section(a->d, "Reply")))
        return err(a, a->lineno,
                   "a Q&A document needs '## Question' and '## Reply'");
    return GALEN_OK;
}

/* import_article_parse, with the file's path for an id when the front
 * matter has none. */
static int parse_named(const char *text, size_t len, const char *name,
                       struct doc *d, struct diag *diag)
{
    struct article a;
    int rc;

    memset(&a, 0, sizeof a);
    a.p = text;
    a.end = text + len;
    a.d = d;
    a.diag = diag;
    buf_init(&a.text, DOC_TEXT_MAX);
    buf_init(&a.answer, DOC_TEXT_MAX);
    if (len > ARTICLE_MAX_BYTES)
        rc = err(&a, 0, "article larger than %d bytes", ARTICLE_MAX_BYTES);
    else if (memchr(text, '\0', len))
        rc = err(&a, 0, "article contains a NUL byte");
    else
        rc = parse_front(&a, name);
    if (rc == GALEN_OK)
        rc = parse_body(&a);
    if (rc == GALEN_OK && !utf8_is_valid(text, len))
        rc = err(&a, 0, "article is not valid UTF-8");
    galen_free(a.heading);
    buf_cleanup(&a.text);
    buf_cleanup(&a.answer);
    return rc;
}

int import_article_parse(const char *text, size_t len, struct doc *d,
                         struct diag *diag)
{
    return parse_named(text, len, NULL, d, diag);
}

/* ---- files ------------------------------------------------------------- */

static int read_file(const char *path, struct buf *b, struct diag *diag)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = fileio_read_all(path, ARTICLE_MAX_BYTES, &data, &len);

    if (rc == GALEN_ENOENT || rc == GALEN_EIO)
        return diag_setf(diag, GALEN_EIO, 0, "cannot open: %s",
                         strerror(errno));
    if (rc == GALEN_ETOOBIG)
        return diag_setf(diag, GALEN_EPARSE, 0, "article larger than %d bytes",
                         ARTICLE_MAX_BYTES);
    if (rc == GALEN_OK)
        buf_put(&rc, b, data, len);
    galen_free(data);
    if (rc != GALEN_OK)
        rc = diag_setf(diag, rc, 0, "out of memory");
    return rc;
}

int import_article_file(const char *path, const struct import_sink *sink,
                        struct diag *diag)
{
    struct buf b;
    struct doc d;
    int rc;

    buf_init(&b, ARTICLE_MAX_BYTES);
    doc_init(&d);
    rc = read_file(path, &b, diag);
    if (rc == GALEN_OK)
        rc = parse_named(b.data ? (const char *)b.data : "", b.len, path, &d,
                         diag);
    if (rc == GALEN_OK)
        rc = sink->doc(sink->ctx, &d, 1);
    if (sink->progress)
        sink->progress(sink->ctx, b.len);
    doc_cleanup(&d);
    buf_cleanup(&b);
    return rc;
}
