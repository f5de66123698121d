/* SPDX-License-Identifier: MIT */
/* article_front.c: an article's front matter (article_front.h). Two steps.
 * First a line pass keeps galen's own forms valid YAML, line for line, so
 * libyaml's line numbers stay the file's: a top-level value that is not
 * already quoted, a flow list or a block scalar is double-quoted (a value
 * is the rest of its line, "a: b" and "#" included), and a one-line
 * reference "- k: v | k: v" is quoted into one string. Then libyaml loads
 * the block and the mapping is walked: known keys are checked and set as
 * the key table says, unknown ones become metadata ("a.b" for nested maps,
 * lists of text joined with ", "). */
#include "article_front.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include <galen/error.h>

#include "article.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/str.h"

enum {
    FRONT_MAX_NODES = 20000, /* YAML nodes visited; aliases can fan out */
    FRONT_MAX_DEPTH = 8,     /* nesting of metadata maps and lists */
    FRONT_KEY_MAX = 200      /* bytes of a (flattened) metadata key */
};

struct front {
    struct doc *d;
    struct diag *diag;
    yaml_document_t *y;
    long first;    /* file line of the block's first line */
    uint32_t seen; /* one bit per known key */
    size_t budget; /* nodes left to visit */
};

static int ferr(struct diag *diag, long line, const char *fmt, ...)
    GALEN_PRINTF(3, 4);

static int ferr(struct diag *diag, long line, const char *fmt, ...)
{
    va_list ap;

    if (diag) {
        diag->line = line;
        va_start(ap, fmt);
        vsnprintf(diag->msg, sizeof diag->msg, fmt, ap);
        va_end(ap);
    }
    return GALEN_EPARSE;
}

static int nomem(struct front *f, long line)
{
    return diag_setf(f->diag, GALEN_ENOMEM, line, "out of memory");
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static struct str trim(struct str s)
{
    while (s.len && is_ws(*s.p)) {
        s.p++;
        s.len--;
    }
    while (s.len && is_ws(s.p[s.len - 1]))
        s.len--;
    return s;
}

/* trim, and line breaks too: a block scalar's final newline. */
static struct str trim_all(struct str s)
{
    while (s.len && strchr(" \t\r\n", s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len && strchr(" \t\r\n", s.p[s.len - 1]))
        s.len--;
    return s;
}

/* ---- the line pass ----------------------------------------------------- */

/* True if v is a block scalar header ("|", ">-", ...): its text is the
 * indented lines below. */
static bool block_header(struct str v)
{
    size_t i;

    if (v.p[0] != '|' && v.p[0] != '>')
        return false;
    for (i = 1; i < v.len; i++) {
        if (!strchr("+-0123456789", v.p[i]))
            return false;
    }
    return true;
}

/* True if v is YAML that must stay as written: quoted, a flow collection
 * or a block scalar header. Anything else is text to the end of the line. */
static bool yaml_form(struct str v)
{
    char first = v.p[0], last = v.p[v.len - 1];

    if ((first == '"' || first == '\'') && v.len >= 2 && last == first)
        return true;
    if ((first == '[' && last == ']') || (first == '{' && last == '}'))
        return true;
    return block_header(v);
}

static void put_quoted(int *rc, struct buf *b, struct str v)
{
    size_t i;

    buf_put_byte(rc, b, '"');
    for (i = 0; i < v.len; i++) {
        if (v.p[i] == '"' || v.p[i] == '\\')
            buf_put_byte(rc, b, '\\');
        buf_put_byte(rc, b, (unsigned char)v.p[i]);
    }
    buf_put_byte(rc, b, '"');
}

struct prep {
    struct buf *out;
    struct diag *diag;
    long line;          /* file line of the current line */
    bool block_ok;      /* the last key had no value: indented lines follow */
    bool in_refs;       /* ... and it was references */
    size_t item_indent; /* indentation of the last reference item */
    bool have_item;
};

/* "key: value" at the start of a line. */
static int prep_key(struct prep *p, struct str ln)
{
    const char *c = ln.p;
    struct str key, v;
    int rc = GALEN_OK;

    if (ln.p[0] == '"' || ln.p[0] == '\'') { /* a quoted key: YAML's */
        p->block_ok = true;
        p->in_refs = false;
        buf_put(&rc, p->out, ln.p, ln.len);
        return rc;
    }
    while (c < ln.p + ln.len &&
           !(*c == ':' && (c + 1 == ln.p + ln.len || is_ws(c[1]))))
        c++;
    if (c == ln.p + ln.len)
        return ferr(p->diag, p->line, "expected 'key: value'");
    key = trim((struct str){ln.p, (size_t)(c - ln.p)});
    v = trim((struct str){c + 1, (size_t)(ln.p + ln.len - c - 1)});
    p->block_ok = v.len == 0 || block_header(v);
    p->in_refs = v.len == 0 && str_eq_cstr(key, "references");
    p->have_item = false;
    if (v.len == 0 || yaml_form(v)) {
        buf_put(&rc, p->out, ln.p, ln.len);
        return rc;
    }
    buf_put(&rc, p->out, key.p, key.len);
    buf_put_str(&rc, p->out, ": ");
    put_quoted(&rc, p->out, v);
    return rc;
}

/* True if t holds " | ", the separator of a one-line reference. */
static bool has_bar(struct str t)
{
    size_t i;

    for (i = 0; i + 2 < t.len; i++) {
        if (t.p[i] == ' ' && t.p[i + 1] == '|' && t.p[i + 2] == ' ')
            return true;
    }
    return false;
}

/* An indented line: part of the block under the last key. */
static int prep_indented(struct prep *p, struct str ln)
{
    struct str t = trim(ln);
    size_t ind = (size_t)(t.p - ln.p);
    int rc = GALEN_OK;

    if (!p->block_ok)
        return ferr(p->diag, p->line, "unexpected indented line");
    if (!p->in_refs) {
        buf_put(&rc, p->out, ln.p, ln.len);
        return rc;
    }
    if (t.p[0] != '-' || (t.len > 1 && t.p[1] != ' ')) {
        if (!p->have_item || ind <= p->item_indent)
            return ferr(p->diag, p->line,
                        "expected '  - key: value | ...' reference");
        buf_put(&rc, p->out, ln.p, ln.len);
        return rc;
    }
    p->have_item = true;
    p->item_indent = ind;
    t = trim((struct str){t.p + 1, t.len - 1});
    if (t.len == 0 || t.p[0] == '"' || t.p[0] == '\'' || !has_bar(t)) {
        buf_put(&rc, p->out, ln.p, ln.len);
        return rc;
    }
    buf_put(&rc, p->out, ln.p, ind);
    buf_put_str(&rc, p->out, "- ");
    put_quoted(&rc, p->out, t);
    return rc;
}

/* Rewrites block into out, one line for one line (see the top). */
static int prepare(const char *block, size_t len, long first, struct buf *out,
                   struct diag *diag)
{
    struct prep p = {out, diag, first - 1, false, false, 0, false};
    struct str ln;
    size_t pos = 0;
    int rc = GALEN_OK;

    while (rc == GALEN_OK && str_next_line(block, len, &pos, &ln)) {
        struct str t = trim(ln);

        p.line++;
        if (t.len == 0 || t.p[0] == '#')
            buf_put(&rc, out, ln.p, ln.len);
        else if (is_ws(ln.p[0]))
            rc = prep_indented(&p, ln);
        else
            rc = prep_key(&p, ln);
        buf_put_byte(&rc, out, '\n');
    }
    if (rc != GALEN_OK && rc != GALEN_EPARSE)
        rc = diag_setf(diag, rc, p.line, "out of memory");
    return rc;
}

/* ---- the key table ----------------------------------------------------- */

enum fm_type {
    FM_TEXT,
    FM_ID,
    FM_TITLE,
    FM_KIND,
    FM_AUDIENCE,
    FM_EVIDENCE,
    FM_STATUS,
    FM_DATE,
    FM_LIST,
    FM_QTYPE,
    FM_SEX,
    FM_REFS,
    FM_CHECKED
};

struct fm_key {
    const char *name;
    enum fm_type type;
    size_t off; /* offset of the char * or strlist in struct doc */
};

#define F(x) offsetof(struct doc, x)
static const struct fm_key keys[] = {
    {"id", FM_ID, F(id)},
    {"kind", FM_KIND, 0},
    {"title", FM_TITLE, F(title)},
    {"audience", FM_AUDIENCE, 0},
    {"specialty", FM_TEXT, F(specialty)},
    {"source", FM_TEXT, F(source)},
    {"authors", FM_TEXT, F(authors)},
    {"date", FM_DATE, F(date)},
    {"url", FM_TEXT, F(url)},
    {"licence", FM_TEXT, F(licence)},
    {"evidence", FM_EVIDENCE, 0},
    {"topics", FM_LIST, F(focus)},
    {"synonyms", FM_LIST, F(synonyms)},
    {"question_type", FM_QTYPE, F(question_type)},
    {"status", FM_STATUS, 0},
    {"references", FM_REFS, 0},
    {"age_band", FM_TEXT, F(age_band)},
    {"sex", FM_SEX, F(sex)},
    {"asked", FM_DATE, F(asked)},
    {"replied", FM_DATE, F(replied)},
    {"checked", FM_CHECKED, 0},
    {"cuis", FM_LIST, F(cuis)},
    {"semantic_types", FM_LIST, F(semantic_types)},
    {"semantic_group", FM_TEXT, F(semantic_group)},
    {"pub_types", FM_LIST, F(pub_types)},
    {"pmid", FM_TEXT, F(pmid)},
    {"doi", FM_TEXT, F(doi)},
};
#undef F

static const char *const qtypes[] = {"definition",
                                     "causes",
                                     "symptoms",
                                     "diagnosis",
                                     "treatment",
                                     "prevention",
                                     "dosage",
                                     "side_effects",
                                     "prognosis",
                                     "risk_factors",
                                     "when_to_see_doctor",
                                     "comparison",
                                     "other"};

static const char *const sexes[] = {"female", "male", "other", "unspecified"};

static const char *const ref_kinds[] = {"guideline", "research", "consumer",
                                        "qa"};

static bool in_list(const char *const *names, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(names[i], s) == 0)
            return true;
    }
    return false;
}

static bool digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return n > 0;
}

static bool date_ok(const char *s)
{
    long m, d;
    char buf[3] = {0};

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) ||
        !digits(s + 5, 2) || !digits(s + 8, 2))
        return false;
    memcpy(buf, s + 5, 2);
    if (str_to_long(buf, 1, 12, &m) != GALEN_OK)
        return false;
    memcpy(buf, s + 8, 2);
    return str_to_long(buf, 1, 31, &d) == GALEN_OK;
}

/* Hugo and Jekyll dates carry a time ("2024-01-15T10:00:00+01:00",
 * "2024-01-15 10:00:00 +0100"); the document keeps the day. */
static void drop_time(char *s)
{
    if (strlen(s) > 10 && (s[10] == 'T' || s[10] == ' ') && s[11] >= '0' &&
        s[11] <= '9') {
        s[10] = '\0';
        if (!date_ok(s))
            s[10] = ' ';
    }
}

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static bool id_ok(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > ARTICLE_ID_MAX)
        return false;
    for (i = 0; i < n; i++) {
        if (!id_char(s[i]))
            return false;
    }
    return true;
}

/* "checked: YYYY-MM[-DD] what was checked": the editors' record of the
 * last check of a document's facts against its sources. It is validated,
 * so a typo is caught at import, but not stored: it is for reviewers of
 * the Markdown, not for readers. */
static bool checked_ok(const char *s)
{
    char date[11] = {0}, month[3] = {0};
    size_t n = strlen(s), end;
    long m;

    if (n >= 10 && s[7] == '-') {
        memcpy(date, s, 10);
        if (!date_ok(date))
            return false;
        end = 10;
    } else {
        if (n < 7 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2))
            return false;
        memcpy(month, s + 5, 2);
        if (str_to_long(month, 1, 12, &m) != GALEN_OK)
            return false;
        end = 7;
    }
    if (s[end] != ' ')
        return false;
    while (s[end] == ' ')
        end++;
    return s[end] != '\0'; /* a note must say what was checked */
}

/* ---- YAML nodes -------------------------------------------------------- */

static long node_line(const struct front *f, const yaml_node_t *n)
{
    return f->first + (long)n->start_mark.line;
}

static yaml_node_t *node(const struct front *f, int id)
{
    return yaml_document_get_node(f->y, id);
}

/* A copy of scalar n's text, or NULL (*rc says why: a NUL byte inside is
 * GALEN_EPARSE, already reported). */
static char *scalar_dup(struct front *f, const yaml_node_t *n, int *rc)
{
    const char *v = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    char *s;

    if (memchr(v, '\0', len)) {
        *rc = ferr(f->diag, node_line(f, n), "a value holds a NUL byte");
        return NULL;
    }
    s = galen_strndup(v, len);
    *rc = s ? GALEN_OK : nomem(f, node_line(f, n));
    return s;
}

/* A sequence of scalars joined with sep into one string; NULL with
 * GALEN_EPARSE in *rc (not reported) when an item is not a scalar. */
static char *join_scalars(struct front *f, const yaml_node_t *seq,
                          const char *sep, int *rc)
{
    const yaml_node_item_t *it;
    struct buf b;

    *rc = GALEN_OK;
    buf_init(&b, DOC_TEXT_MAX);
    for (it = seq->data.sequence.items.start;
         *rc == GALEN_OK && it < seq->data.sequence.items.top; it++) {
        const yaml_node_t *n = node(f, *it);

        if (!n || n->type != YAML_SCALAR_NODE) {
            *rc = GALEN_EPARSE;
            break;
        }
        if (b.len)
            buf_put_str(rc, &b, sep);
        buf_put(rc, &b, n->data.scalar.value, n->data.scalar.length);
    }
    buf_put_nul(rc, &b);
    if (*rc != GALEN_OK || memchr(b.data, '\0', b.len - 1)) {
        *rc = *rc == GALEN_OK ? GALEN_EPARSE : *rc;
        buf_cleanup(&b);
        return NULL;
    }
    return (char *)buf_take(&b, NULL);
}

/* ---- known keys -------------------------------------------------------- */

/* Checks value v for an enumerated key and stores it. */
static int set_enum(struct front *f, const struct fm_key *k, const char *v,
                    long line)
{
    struct doc *d = f->d;
    int rc = GALEN_OK;

    switch (k->type) {
    case FM_KIND:
        rc = doc_kind_parse(v, &d->kind);
        break;
    case FM_AUDIENCE:
        rc = doc_audience_parse(v, &d->audience);
        break;
    case FM_EVIDENCE:
        rc = doc_evidence_parse(v, &d->evidence);
        break;
    case FM_STATUS:
        rc = doc_status_parse(v, &d->status);
        break;
    case FM_QTYPE:
        rc = in_list(qtypes, ARRAY_SIZE(qtypes), v) ? GALEN_OK : GALEN_EPARSE;
        break;
    case FM_SEX:
        rc = in_list(sexes, ARRAY_SIZE(sexes), v) ? GALEN_OK : GALEN_EPARSE;
        break;
    default:
        break;
    }
    if (rc != GALEN_OK)
        return ferr(f->diag, line, "bad %s '%s'", k->name, v);
    return GALEN_OK;
}

/* Sets a key that takes one text value. */
static int set_value(struct front *f, const struct fm_key *k, char *v,
                     long line)
{
    char **field = (char **)(void *)((char *)f->d + k->off);

    if (k->type == FM_ID && !id_ok(v))
        return ferr(f->diag, line,
                    "bad id '%s' (letters, digits, '-', '_', '.'; at most %d "
                    "bytes)",
                    v, ARTICLE_ID_MAX);
    if (k->type == FM_DATE)
        drop_time(v);
    if (k->type == FM_DATE && !date_ok(v))
        return ferr(f->diag, line, "%s must be YYYY-MM-DD", k->name);
    if (k->type == FM_CHECKED)
        return checked_ok(v) ? GALEN_OK
                             : ferr(f->diag, line,
                                    "checked must be 'YYYY-MM[-DD] what was "
                                    "checked'");
    if (k->type == FM_TITLE && !*v)
        return ferr(f->diag, line, "title is empty");
    if (set_enum(f, k, v, line) != GALEN_OK)
        return GALEN_EPARSE;
    if (k->type == FM_KIND || k->type == FM_AUDIENCE ||
        k->type == FM_EVIDENCE || k->type == FM_STATUS)
        return GALEN_OK; /* stored by set_enum */
    if (doc_set_cstr(field, *v ? v : NULL) != GALEN_OK)
        return nomem(f, line);
    return GALEN_OK;
}

static int set_list(struct front *f, const struct fm_key *k,
                    const yaml_node_t *v, long line)
{
    struct doc_strlist *l =
        (struct doc_strlist *)(void *)((char *)f->d + k->off);
    const yaml_node_item_t *it;

    if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
        return GALEN_OK;
    if (v->type != YAML_SEQUENCE_NODE)
        return ferr(f->diag, line, "expected a list like [a, b, c]");
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        const yaml_node_t *n = node(f, *it);
        struct str s;

        if (!n || n->type != YAML_SCALAR_NODE)
            return ferr(f->diag, line, "%s: list items must be text", k->name);
        s = trim((struct str){(const char *)n->data.scalar.value,
                              n->data.scalar.length});
        if (s.len && doc_strlist_add(l, s.p, s.len) != GALEN_OK)
            return ferr(f->diag, node_line(f, n), "list is too long");
    }
    return GALEN_OK;
}

/* ---- references -------------------------------------------------------- */

static int ref_field(struct front *f, struct doc_ref *r, struct str key,
                     const char *v, long line)
{
    char **fields[] = {&r->kind, &r->title, &r->source, &r->pmid,
                       &r->doi,  &r->url,   &r->authors};
    static const char *const names[] = {"kind", "title", "source", "pmid",
                                        "doi",  "url",   "authors"};
    long year;
    size_t i;

    if (str_eq_cstr(key, "year")) {
        if (r->year)
            return ferr(f->diag, line, "duplicate reference key 'year'");
        if (str_to_long(v, 1000, 2999, &year) != GALEN_OK)
            return ferr(f->diag, line, "reference year must be four digits");
        r->year = (int)year;
        return GALEN_OK;
    }
    for (i = 0; i < ARRAY_SIZE(names) && !str_eq_cstr(key, names[i]); i++)
        ;
    if (i == ARRAY_SIZE(names))
        return ferr(f->diag, line, "unknown reference key '%.*s'",
                    (int)MIN(key.len, 40), key.p);
    if (*fields[i])
        return ferr(f->diag, line, "duplicate reference key '%s'", names[i]);
    if (i == 0 && !in_list(ref_kinds, ARRAY_SIZE(ref_kinds), v))
        return ferr(f->diag, line, "bad reference kind '%s'", v);
    if (i == 3 && !digits(v, strlen(v)))
        return ferr(f->diag, line, "pmid must be digits");
    if (i == 4 && strncmp(v, "10.", 3) != 0)
        return ferr(f->diag, line, "doi must start with '10.'");
    if (doc_set_cstr(fields[i], v) != GALEN_OK)
        return nomem(f, line);
    return GALEN_OK;
}

/* One "key: value" of a one-line reference. */
static int ref_part(struct front *f, struct doc_ref *r, struct str part,
                    long line)
{
    const char *colon = memchr(part.p, ':', part.len);
    struct str key, val;
    char *v;
    int rc;

    if (!colon)
        return ferr(f->diag, line, "expected 'key: value' in reference");
    key = trim((struct str){part.p, (size_t)(colon - part.p)});
    val =
        trim((struct str){colon + 1, part.len - (size_t)(colon + 1 - part.p)});
    if (val.len == 0)
        return ferr(f->diag, line, "empty reference value for '%.*s'",
                    (int)MIN(key.len, 40), key.p);
    v = galen_strndup(val.p, val.len);
    if (!v)
        return nomem(f, line);
    rc = ref_field(f, r, key, v, line);
    galen_free(v);
    return rc;
}

/* "k: v | k: v | ...", galen's one-line reference. */
static int ref_line(struct front *f, struct doc_ref *r, const yaml_node_t *n)
{
    const char *p = (const char *)n->data.scalar.value;
    const char *end = p + n->data.scalar.length;
    long line = node_line(f, n);

    while (p < end) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *stop = bar ? bar : end;
        int rc =
            ref_part(f, r, trim((struct str){p, (size_t)(stop - p)}), line);

        if (rc != GALEN_OK)
            return rc;
        p = stop + 1;
    }
    return GALEN_OK;
}

/* A reference written as a YAML mapping. */
static int ref_map(struct front *f, struct doc_ref *r, const yaml_node_t *n)
{
    const yaml_node_pair_t *pair;

    for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top;
         pair++) {
        const yaml_node_t *k = node(f, pair->key), *v = node(f, pair->value);
        char *s;
        int rc;

        if (!k || !v || k->type != YAML_SCALAR_NODE ||
            v->type != YAML_SCALAR_NODE || v->data.scalar.length == 0)
            return ferr(f->diag, node_line(f, k ? k : n),
                        "a reference's keys take text values");
        s = scalar_dup(f, v, &rc);
        if (s)
            rc = ref_field(f, r,
                           (struct str){(const char *)k->data.scalar.value,
                                        k->data.scalar.length},
                           s, node_line(f, k));
        galen_free(s);
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

static int set_refs(struct front *f, const yaml_node_t *v, long line)
{
    const yaml_node_item_t *it;

    if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0)
        return GALEN_OK;
    if (v->type != YAML_SEQUENCE_NODE)
        return ferr(f->diag, line, "references: takes '  - ' lines below it");
    for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        const yaml_node_t *n = node(f, *it);
        struct doc_ref *r;
        int rc;

        if (!n || (n->type != YAML_SCALAR_NODE && n->type != YAML_MAPPING_NODE))
            return ferr(f->diag, line,
                        "expected '  - key: value | ...' reference");
        if (doc_add_ref(f->d, &r) != GALEN_OK)
            return ferr(f->diag, node_line(f, n), "too many references");
        rc = n->type == YAML_SCALAR_NODE ? ref_line(f, r, n) : ref_map(f, r, n);
        if (rc != GALEN_OK)
            return rc;
        if (!r->kind || !r->title || !r->source || !r->year)
            return ferr(f->diag, node_line(f, n),
                        "a reference needs kind, title, source and year");
    }
    return GALEN_OK;
}

/* ---- metadata ---------------------------------------------------------- */

static int meta_node(struct front *f, char *key, size_t klen,
                     const yaml_node_t *n, int depth);

static int meta_put(struct front *f, const char *key, char *v, long line)
{
    if (doc_meta_get(f->d, key))
        return ferr(f->diag, line, "duplicate key '%s'", key);
    if (doc_meta_set(f->d, key, v) != GALEN_OK)
        return ferr(f->diag, line, "too much metadata");
    return GALEN_OK;
}

/* Appends ".part" to key[0..klen) for a child; false when too long. */
static bool key_child(char *key, size_t klen, const char *part, size_t n,
                      size_t *out)
{
    if (klen + 1 + n >= FRONT_KEY_MAX || memchr(part, '\0', n))
        return false;
    key[klen] = '.';
    memcpy(key + klen + 1, part, n);
    key[klen + 1 + n] = '\0';
    *out = klen + 1 + n;
    return true;
}

static int meta_children(struct front *f, char *key, size_t klen,
                         const yaml_node_t *n, int depth)
{
    char idx[24];
    size_t sub;
    int rc = GALEN_OK;

    if (n->type == YAML_SEQUENCE_NODE) {
        const yaml_node_item_t *it;

        for (it = n->data.sequence.items.start;
             rc == GALEN_OK && it < n->data.sequence.items.top; it++) {
            int m = snprintf(idx, sizeof idx, "%ld",
                             (long)(it - n->data.sequence.items.start));

            if (!key_child(key, klen, idx, (size_t)m, &sub))
                return ferr(f->diag, node_line(f, n), "key too long");
            rc = meta_node(f, key, sub, node(f, *it), depth + 1);
        }
        return rc;
    }
    for (const yaml_node_pair_t *p = n->data.mapping.pairs.start;
         rc == GALEN_OK && p < n->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = node(f, p->key);

        if (!k || k->type != YAML_SCALAR_NODE ||
            !key_child(key, klen, (const char *)k->data.scalar.value,
                       k->data.scalar.length, &sub))
            return ferr(f->diag, node_line(f, n), "bad key under '%s'", key);
        rc = meta_node(f, key, sub, node(f, p->value), depth + 1);
    }
    return rc;
}

/* Keeps n under key (a buffer of FRONT_KEY_MAX bytes, key[0..klen)). */
static int meta_node(struct front *f, char *key, size_t klen,
                     const yaml_node_t *n, int depth)
{
    char *v = NULL;
    int rc = GALEN_OK;

    if (!n || f->budget-- == 0)
        return ferr(f->diag, f->first, "front matter too complex");
    if (depth > FRONT_MAX_DEPTH)
        return ferr(f->diag, node_line(f, n), "'%s' nested too deeply", key);
    key[klen] = '\0';
    if (n->type == YAML_SCALAR_NODE)
        v = scalar_dup(f, n, &rc);
    else if (n->type == YAML_SEQUENCE_NODE)
        v = join_scalars(f, n, ", ", &rc);
    if (rc == GALEN_EPARSE && n->type == YAML_SEQUENCE_NODE)
        return meta_children(f, key, klen, n, depth); /* not all text */
    if (n->type == YAML_MAPPING_NODE)
        return meta_children(f, key, klen, n, depth);
    if (rc == GALEN_OK)
        rc = meta_put(f, key, v, node_line(f, n));
    else if (rc == GALEN_ENOMEM)
        rc = nomem(f, node_line(f, n));
    galen_free(v);
    return rc;
}

/* ---- the mapping ------------------------------------------------------- */

static int set_key(struct front *f, size_t i, const yaml_node_t *v, long line)
{
    const struct fm_key *k = &keys[i];
    char *s = NULL;
    int rc = GALEN_OK;

    if (f->seen & (1u << i))
        return ferr(f->diag, line, "duplicate key '%s'", k->name);
    f->seen |= 1u << i;
    if (k->type == FM_LIST)
        return set_list(f, k, v, line);
    if (k->type == FM_REFS)
        return set_refs(f, v, line);
    if (v->type == YAML_SCALAR_NODE)
        s = scalar_dup(f, v, &rc);
    else if (v->type == YAML_SEQUENCE_NODE && k->type == FM_TEXT)
        s = join_scalars(f, v, ", ", &rc); /* Hugo's authors: [a, b] */
    else
        return ferr(f->diag, line, "%s takes one value", k->name);
    if (rc == GALEN_EPARSE && !s)
        return ferr(f->diag, line, "%s takes text", k->name);
    if (rc == GALEN_OK) {
        struct str t = trim_all(str_from(s));

        memmove(s, t.p, t.len);
        s[t.len] = '\0';
        rc = set_value(f, k, s, line);
    }
    galen_free(s);
    return rc;
}

static int on_pair(struct front *f, const yaml_node_pair_t *p)
{
    const yaml_node_t *k = node(f, p->key), *v = node(f, p->value);
    char key[FRONT_KEY_MAX];
    size_t i, n;
    long line;

    if (!k || !v || k->type != YAML_SCALAR_NODE)
        return ferr(f->diag, f->first, "a key must be text");
    line = node_line(f, k);
    n = k->data.scalar.length;
    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        if (strlen(keys[i].name) == n &&
            memcmp(keys[i].name, k->data.scalar.value, n) == 0)
            return set_key(f, i, v, line);
    }
    if (n == 0 || n >= sizeof key || memchr(k->data.scalar.value, '\0', n))
        return ferr(f->diag, line, "bad key");
    memcpy(key, k->data.scalar.value, n);
    return meta_node(f, key, n, v, 0);
}

/* An id from the file's base name ("pages/My Page.md" gives "My-Page"). */
static int id_from_name(struct front *f, const char *name)
{
    const char *slash = strrchr(name, '/');
    const char *b = slash ? slash + 1 : name;
    size_t n = strlen(b), i;
    char id[ARTICLE_ID_MAX + 1];

    if (n > 3 && strcmp(b + n - 3, ".md") == 0)
        n -= 3;
    n = MIN(n, (size_t)ARTICLE_ID_MAX);
    for (i = 0; i < n; i++)
        id[i] = id_char(b[i]) ? b[i] : '-';
    id[n] = '\0';
    if (n == 0 || doc_set_cstr(&f->d->id, id) != GALEN_OK)
        return GALEN_EPARSE;
    return GALEN_OK;
}

static int walk(struct front *f, long close_line, const char *name)
{
    const yaml_node_t *root = yaml_document_get_root_node(f->y);
    const yaml_node_pair_t *p;
    int rc = GALEN_OK;

    if (root && root->type == YAML_SCALAR_NODE && root->data.scalar.length)
        return ferr(f->diag, node_line(f, root), "expected 'key: value'");
    if (root && root->type == YAML_SEQUENCE_NODE)
        return ferr(f->diag, node_line(f, root), "expected 'key: value'");
    if (root && root->type == YAML_MAPPING_NODE) {
        for (p = root->data.mapping.pairs.start;
             rc == GALEN_OK && p < root->data.mapping.pairs.top; p++)
            rc = on_pair(f, p);
    }
    if (rc != GALEN_OK)
        return rc;
    if (!f->d->id && (!name || id_from_name(f, name) != GALEN_OK))
        return ferr(f->diag, close_line, "front matter lacks 'id'");
    if (!f->d->title)
        return ferr(f->diag, close_line, "front matter lacks 'title'");
    return GALEN_OK;
}

/* libyaml's message, with the line where the construct it was reading
 * started when that is another line ("in a flow sequence from line 7"). */
static int yaml_error(struct front *f, const yaml_parser_t *p)
{
    long line = f->first + (long)p->problem_mark.line;
    long from = f->first + (long)p->context_mark.line;

    if (p->context && from != line)
        return ferr(f->diag, line, "bad YAML: %s %s on line %ld",
                    p->problem ? p->problem : "error", p->context, from);
    return ferr(f->diag, line, "bad YAML: %s%s%s",
                p->problem ? p->problem : "error", p->context ? " " : "",
                p->context ? p->context : "");
}

static int load(struct front *f, const char *text, size_t len)
{
    yaml_parser_t parser;
    int rc = GALEN_OK;

    if (!yaml_parser_initialize(&parser))
        return nomem(f, f->first);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    if (!yaml_parser_load(&parser, f->y)) {
        if (parser.error == YAML_MEMORY_ERROR)
            rc = nomem(f, f->first);
        else
            rc = yaml_error(f, &parser);
        memset(f->y, 0, sizeof *f->y);
    }
    yaml_parser_delete(&parser);
    return rc;
}

int article_front_parse(const char *block, size_t len, long first_line,
                        long close_line, const char *name, struct doc *d,
                        struct diag *diag)
{
    struct front f = {d, diag, NULL, first_line, 0, FRONT_MAX_NODES};
    yaml_document_t y;
    struct buf b;
    int rc;

    buf_init(&b, ARTICLE_MAX_BYTES * 2);
    rc = prepare(block, len, first_line, &b, diag);
    f.y = &y;
    if (rc == GALEN_OK)
        rc = load(&f, b.len ? (const char *)b.data : "", b.len);
    if (rc == GALEN_OK) {
        rc = walk(&f, close_line, name);
        yaml_document_delete(&y);
    }
    buf_cleanup(&b);
    return rc;
}
