/* SPDX-License-Identifier: MIT */
/* htmltext.c: HTML fragment to sections (htmltext.h). One pass over the
 * bytes: text goes to the current section (or heading) with whitespace
 * collapsed; a tag only sets the break that the next text will start
 * with, so runs of block tags never leave empty paragraphs. */
#include "htmltext.h"

#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/utf8.h"

enum brk { BRK_NONE, BRK_SPACE, BRK_LINE, BRK_PARA };

struct conv {
    struct doc *d;
    struct buf text;    /* the current section's text */
    struct buf heading; /* the current section's heading */
    bool has_heading;   /* the current section has a heading */
    bool in_heading;    /* inside <hN>: text goes to heading */
    enum brk brk;       /* what separates the next text from the last */
    bool item;          /* the next text starts a list item */
    int rc;
};

static void set_brk(struct conv *c, enum brk b)
{
    if (b > c->brk)
        c->brk = b;
}

/* Adds the current section to the document, if it has anything. */
static void flush_section(struct conv *c)
{
    const char *h;

    if (c->rc != GALEN_OK || (!c->has_heading && c->text.len == 0))
        return;
    buf_put_nul(&c->rc, &c->heading);
    if (c->rc != GALEN_OK)
        return;
    h = c->has_heading ? (const char *)c->heading.data : "";
    c->rc = doc_add_section(
        c->d, h, c->text.len ? (const char *)c->text.data : "", c->text.len);
    buf_reset(&c->text);
    buf_reset(&c->heading);
    c->has_heading = false;
}

/* Appends text bytes, first writing the pending break. */
static void put_text(struct conv *c, const char *p, size_t n)
{
    struct buf *b = c->in_heading ? &c->heading : &c->text;

    if (b->len && c->brk == BRK_SPACE)
        buf_put_byte(&c->rc, b, ' ');
    else if (b->len && c->brk == BRK_LINE)
        buf_put_byte(&c->rc, b, '\n');
    else if (b->len && c->brk == BRK_PARA)
        buf_put_str(&c->rc, b, "\n\n");
    if (c->item && !c->in_heading)
        buf_put_str(&c->rc, b, "- ");
    c->brk = BRK_NONE;
    c->item = false;
    buf_put(&c->rc, b, p, n);
}

static const struct {
    const char *name;
    const char *utf8;
} entities[] = {
    {"amp", "&"},
    {"lt", "<"},
    {"gt", ">"},
    {"quot", "\""},
    {"apos", "'"},
    {"nbsp", " "},
    {"ndash", "\xe2\x80\x93"},
    {"mdash", "\xe2\x80\x94"},
    {"rsquo", "\xe2\x80\x99"},
    {"lsquo", "\xe2\x80\x98"},
    {"rdquo", "\xe2\x80\x9d"},
    {"ldquo", "\xe2\x80\x9c"},
};

/* Decodes the character reference at p ('&' ... ';') into out; returns
 * the bytes consumed, or 0 when it is not one (the '&' stays literal). */
static size_t entity(const char *p, size_t n, char out[8], size_t *olen)
{
    const char *semi = memchr(p, ';', n < 12 ? n : 12);
    size_t len, i;
    uint32_t cp = 0;

    if (!semi)
        return 0;
    len = (size_t)(semi - p) + 1;
    if (len > 3 && p[1] == '#') {
        bool hex = p[2] == 'x' || p[2] == 'X';

        for (i = hex ? 3 : 2; i < len - 1; i++) {
            char ch = p[i];
            int v = ch >= '0' && ch <= '9'          ? ch - '0'
                    : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                                    : -1;

            if (v < 0 || cp > 0x10FFFF)
                return 0;
            cp = cp * (hex ? 16 : 10) + (uint32_t)v;
        }
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        *olen = utf8_encode(cp, out);
        return len;
    }
    for (i = 0; i < ARRAY_SIZE(entities); i++) {
        size_t m = strlen(entities[i].name);

        if (m == len - 2 && memcmp(p + 1, entities[i].name, m) == 0) {
            *olen = strlen(entities[i].utf8);
            memcpy(out, entities[i].utf8, *olen);
            return len;
        }
    }
    return 0;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static bool name_is(struct str name, const char *const *names, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (str_eq_cstr(name, names[i]))
            return true;
    }
    return false;
}

static void on_tag(struct conv *c, struct str name, bool closing)
{
    static const char *const blocks[] = {"p",     "div",        "ul", "ol",
                                         "table", "blockquote", "tr", "dl"};
    static const char *const headings[] = {"h1", "h2", "h3", "h4", "h5", "h6"};

    if (name_is(name, headings, ARRAY_SIZE(headings))) {
        if (!closing) {
            flush_section(c);
            c->in_heading = true;
            c->has_heading = true;
        } else if (c->in_heading) {
            c->in_heading = false;
        }
        c->brk = BRK_NONE;
        c->item = false;
    } else if (name_is(name, blocks, ARRAY_SIZE(blocks))) {
        set_brk(c, BRK_PARA);
    } else if (str_eq_cstr(name, "li") || str_eq_cstr(name, "dt") ||
               str_eq_cstr(name, "dd")) {
        set_brk(c, BRK_LINE);
        c->item = !closing && str_eq_cstr(name, "li");
    } else if (str_eq_cstr(name, "br")) {
        set_brk(c, BRK_LINE);
    }
}

/* Reads the tag at p ('<' ...). Returns the bytes consumed (the whole
 * tag), or 0 when p does not open a tag (a literal '<'). */
static size_t tag(struct conv *c, const char *p, size_t n)
{
    const char *gt = memchr(p, '>', n);
    char low[12];
    size_t i = 1, k = 0;
    bool closing = false;

    if (!gt)
        return 0;
    if (i < n && p[i] == '/') {
        closing = true;
        i++;
    }
    if (p + i >= gt || !((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z'))
        return p[1] == '!' ? (size_t)(gt - p) + 1 : 0; /* comments */
    while (p + i < gt && k < sizeof low &&
           (((p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'z') ||
            (p[i] >= '0' && p[i] <= '9')))
        low[k++] = (char)(p[i++] | 0x20);
    on_tag(c, (struct str){low, k}, closing);
    return (size_t)(gt - p) + 1;
}

/* The length of the plain-text run at p: up to a tag, a reference or a
 * space. */
static size_t run_len(const char *p, size_t n)
{
    size_t i = 0;

    while (i < n && p[i] != '<' && p[i] != '&' && !is_space(p[i]))
        i++;
    return i;
}

/* Consumes one token at p (a tag, a reference, a space or a text run);
 * returns the bytes used, at least 1. */
static size_t step(struct conv *c, const char *p, size_t n)
{
    char ent[8];
    size_t m, olen = 0;

    if (is_space(p[0])) {
        set_brk(c, BRK_SPACE);
        return 1;
    }
    if (p[0] == '<') {
        m = tag(c, p, n);
    } else if (p[0] == '&') {
        m = entity(p, n, ent, &olen);
        if (m)
            put_text(c, ent, olen);
    } else {
        m = run_len(p, n);
        put_text(c, p, m);
    }
    if (m == 0) { /* a literal '<' or '&' */
        put_text(c, p, 1);
        m = 1;
    }
    return m;
}

int html_to_sections(const char *html, size_t len, struct doc *d)
{
    struct conv c;
    size_t i = 0;

    memset(&c, 0, sizeof c);
    c.d = d;
    buf_init(&c.text, DOC_TEXT_MAX);
    buf_init(&c.heading, DOC_TEXT_MAX);
    while (i < len && c.rc == GALEN_OK)
        i += step(&c, html + i, len - i);
    flush_section(&c);
    buf_cleanup(&c.text);
    buf_cleanup(&c.heading);
    return c.rc;
}
