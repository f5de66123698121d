/* SPDX-License-Identifier: MIT */
/* import_xml.c: the rule-driven streaming XML walker (see import_xml.h).
 * The reader never substitutes entities, loads no DTD and never touches the
 * network; libxml2's own amplification limits stay on (no XML_PARSE_HUGE).
 * Errors are captured into the caller's diag instead of being printed. */
#include "xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/mem.h"

enum { XML_MAX_DEPTH = 256 };

static const int reader_options = XML_PARSE_NONET | XML_PARSE_NOCDATA;

int import_sink_bad(const struct import_sink *s, long line, const char *msg)
{
    if (!s->bad_record)
        return GALEN_OK;
    return s->bad_record(s->ctx, line, msg);
}

void import_sink_skip(const struct import_sink *s, long line, const char *why)
{
    if (s->skip)
        s->skip(s->ctx, line, why);
}

/* ---- readers ----------------------------------------------------------- */

static void silent(void *ctx, const char *msg, ...)
{
    UNUSED(ctx);
    UNUSED(msg);
}

static void quiet_libxml(void)
{
    /* libgalen never prints; reader errors reach the walk's diag through
     * the structured handler set in xml_walk. */
    xmlSetGenericErrorFunc(NULL, silent);
}

static int gz_read(void *ctx, char *buf, int len)
{
    return gzread((gzFile)ctx, buf, (unsigned)len);
}

static int gz_noclose(void *ctx)
{
    UNUSED(ctx);
    return 0;
}

xmlTextReaderPtr xml_reader_file(const char *path, void **gz)
{
    gzFile g;
    xmlTextReaderPtr r;

    quiet_libxml();
    g = gzopen(path, "rb");
    if (!g)
        return NULL;
    gzbuffer(g, 1 << 17);
    r = xmlReaderForIO(gz_read, gz_noclose, g, path, NULL, reader_options);
    if (!r) {
        gzclose(g);
        return NULL;
    }
    *gz = g;
    return r;
}

xmlTextReaderPtr xml_reader_memory(const char *data, size_t len,
                                   const char *name)
{
    quiet_libxml();
    if (len > INT32_MAX)
        return NULL;
    return xmlReaderForMemory(data, (int)len, name, NULL, reader_options);
}

void xml_reader_close(xmlTextReaderPtr r, void *gz)
{
    xmlFreeTextReader(r);
    if (gz)
        gzclose((gzFile)gz);
}

uint64_t xml_reader_offset(void *gz)
{
    z_off_t off = gz ? gzoffset((gzFile)gz) : 0;

    return off > 0 ? (uint64_t)off : 0;
}

long xml_line(xmlTextReaderPtr r)
{
    return (long)xmlTextReaderGetParserLineNumber(r);
}

long xml_node_line(xmlTextReaderPtr r)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(r);

    return n ? xmlGetLineNo(n) : 0;
}

int xml_attr(xmlTextReaderPtr r, const char *name, char **field)
{
    xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
    int rc;

    if (!v)
        return doc_set(field, NULL, 0);
    rc = doc_set_cstr(field, (const char *)v);
    xmlFree(v);
    return rc;
}

/* ---- text normalisation ------------------------------------------------ */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Appends s with each whitespace run as one space, trimmed at both ends. */
static void collapse(int *rc, struct buf *out, const char *s, size_t n)
{
    size_t mark = out->len;
    bool gap = false;
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (is_space(c)) {
            gap = out->len > mark;
            continue;
        }
        if (gap)
            buf_put_byte(rc, out, ' ');
        gap = false;
        buf_put_byte(rc, out, c);
    }
}

/* Appends s line by line, each collapsed; runs of empty lines become one
 * blank line (a paragraph break) and none is kept at either end. */
static void lines(int *rc, struct buf *out, const char *s, size_t n)
{
    size_t start = out->len;
    bool blank = false;
    size_t i = 0;

    while (i < n && *rc == GALEN_OK) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        size_t before = out->len;

        if (before > start)
            buf_put_str(rc, out, blank ? "\n\n" : "\n");
        collapse(rc, out, s + i, end - i);
        if (*rc == GALEN_OK &&
            out->len == before + (before > start ? 1 + blank : 0)) {
            out->len = before; /* an empty line: take the separator back */
            blank = before > start;
        } else {
            blank = false;
        }
        i = end + 1;
    }
}

/* ---- the walk ---------------------------------------------------------- */

struct walk {
    const struct xml_walker *w;
    xmlTextReaderPtr r;
    int stack[XML_MAX_DEPTH]; /* state at each reader depth */
    int cap_depth;            /* depth of the capturing element, or -1 */
    struct buf raw;           /* captured text as read */
    struct buf text;          /* normalised text for the callback */
    bool have_error;
};

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
    struct walk *k = ctx;

    if (k->have_error || !err || err->level < XML_ERR_ERROR)
        return;
    k->have_error = true;
    diag_setf(k->w->diag, GALEN_EPARSE, err->line, "malformed XML: %s",
              err->message ? err->message : "error");
    if (k->w->diag) {
        size_t n = strlen(k->w->diag->msg);

        if (n && k->w->diag->msg[n - 1] == '\n')
            k->w->diag->msg[n - 1] = '\0';
    }
}

static const struct xml_rule *find_rule(const struct xml_walker *w, int parent,
                                        const char *name)
{
    size_t i;

    for (i = 0; i < w->nrules; i++) {
        if (w->rules[i].parent == parent && strcmp(w->rules[i].name, name) == 0)
            return &w->rules[i];
    }
    return NULL;
}

static int finish(struct walk *k, int state)
{
    int rc = GALEN_OK;

    buf_reset(&k->text);
    if (k->w->ws == XML_WS_LINES)
        lines(&rc, &k->text, (const char *)k->raw.data, k->raw.len);
    else
        collapse(&rc, &k->text, (const char *)k->raw.data, k->raw.len);
    buf_put_nul(&rc, &k->text);
    buf_reset(&k->raw);
    k->cap_depth = -1;
    if (rc != GALEN_OK)
        return rc;
    return k->w->end(k->w->ctx, state, (char *)k->text.data, k->text.len);
}

/* An element opened outside any capture. *skip asks the caller to skip
 * its subtree. */
static int on_element(struct walk *k, int depth, bool *skip)
{
    const char *name = (const char *)xmlTextReaderConstLocalName(k->r);
    int parent = depth == 0 ? 0 : k->stack[depth - 1];
    const struct xml_rule *rule = find_rule(k->w, parent, name ? name : "");
    int rc = GALEN_OK;

    if (!rule) {
        *skip = true;
        return GALEN_OK;
    }
    k->stack[depth] = rule->state;
    if (k->w->start)
        rc = k->w->start(k->w->ctx, rule->state, k->r);
    if (rc == XML_SKIP) {
        *skip = true;
        return GALEN_OK;
    }
    if (rc != GALEN_OK)
        return rc;
    if (rule->capture)
        k->cap_depth = depth;
    if (!xmlTextReaderIsEmptyElement(k->r))
        return GALEN_OK;
    if (rule->capture)
        return finish(k, rule->state);
    buf_reset(&k->text);
    return k->w->end(k->w->ctx, rule->state, (char *)"", 0);
}

static int on_node(struct walk *k, bool *skip)
{
    int type = xmlTextReaderNodeType(k->r);
    int depth = xmlTextReaderDepth(k->r);
    int rc = GALEN_OK;

    if (depth < 0 || depth >= XML_MAX_DEPTH)
        return diag_setf(k->w->diag, GALEN_EPARSE, xml_line(k->r),
                         "XML nested too deeply");
    if (k->cap_depth >= 0) {
        if (type == XML_READER_TYPE_END_ELEMENT && depth == k->cap_depth)
            return finish(k, k->stack[depth]);
        if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
            type == XML_READER_TYPE_WHITESPACE ||
            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)
            buf_put_str(&rc, &k->raw,
                        (const char *)xmlTextReaderConstValue(k->r));
        if (rc == GALEN_ETOOBIG)
            return diag_setf(k->w->diag, GALEN_EPARSE, xml_line(k->r),
                             "text longer than %d bytes", DOC_TEXT_MAX);
        return rc;
    }
    if (type == XML_READER_TYPE_ELEMENT)
        return on_element(k, depth, skip);
    if (type == XML_READER_TYPE_END_ELEMENT) {
        buf_reset(&k->text);
        return k->w->end(k->w->ctx, k->stack[depth], (char *)"", 0);
    }
    return GALEN_OK;
}

static int walk_loop(struct walk *k)
{
    bool skip = false;
    int rc = GALEN_OK;

    for (;;) {
        int ret = skip ? xmlTextReaderNext(k->r) : xmlTextReaderRead(k->r);

        skip = false;
        if (ret == 0)
            break;
        if (ret < 0 || k->have_error) {
            if (!k->have_error)
                diag_setf(k->w->diag, GALEN_EPARSE, xml_line(k->r),
                          "malformed XML");
            return GALEN_EPARSE;
        }
        rc = on_node(k, &skip);
        if (rc != GALEN_OK)
            return rc;
    }
    if (k->have_error)
        return GALEN_EPARSE;
    return GALEN_OK;
}

int xml_walk(xmlTextReaderPtr r, const struct xml_walker *w)
{
    struct walk *k = galen_calloc(1, sizeof *k);
    int rc;

    if (!k)
        return diag_setf(w->diag, GALEN_ENOMEM, 0, "out of memory");
    k->w = w;
    k->r = r;
    k->cap_depth = -1;
    buf_init(&k->raw, DOC_TEXT_MAX);
    buf_init(&k->text, DOC_TEXT_MAX + 1);
    xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, k);
    rc = walk_loop(k);
    if (rc == GALEN_OK && k->cap_depth >= 0)
        rc = diag_setf(w->diag, GALEN_EPARSE, xml_line(r),
                       "XML ends inside an element");
    xmlTextReaderSetStructuredErrorHandler(r, NULL, NULL);
    buf_cleanup(&k->raw);
    buf_cleanup(&k->text);
    galen_free(k);
    return rc;
}
