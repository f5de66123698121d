/* SPDX-License-Identifier: MIT */
/* query.c: a single-pass parser over the query bytes. Each written clause
 * is cut out of the text (a word, or the inside of quotes), then analysed
 * once per distinct set of field analyzer options it may search. Nothing is
 * allocated after the first parse: clauses and atoms live in fixed arrays of
 * QUERY_MAX_ATOMS (a clause has at least one atom) and term bytes in a
 * capped buffer. Positions in messages count from 1; err_at from 0. */
#include "query.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <galen/error.h>

#include "base/mem.h"

/* Returned by the analyzer callback when the atom array is full. */
#define QUERY_FULL (-1)

struct parser {
    struct query *q;
    struct analyzer *a;
    const struct index_conf *conf;
    const char *text;
    size_t len;
    unsigned flags;
    unsigned nclasses;                           /* distinct option sets */
    struct analyzer_opts opts[INDEX_MAX_FIELDS]; /* per class */
    uint8_t class_fields[INDEX_MAX_FIELDS];      /* fields of each class */
    size_t run_start;                            /* first atom of a run */
    uint32_t first_pos;                          /* its token position */
};

void query_init(struct query *q)
{
    memset(q, 0, sizeof *q);
    buf_init(&q->terms, (size_t)QUERY_MAX_ATOMS * ANALYZER_TERM_MAX);
}

void query_cleanup(struct query *q)
{
    galen_free(q->clause);
    galen_free(q->atom);
    buf_cleanup(&q->terms);
    query_init(q);
}

static void reset(struct query *q)
{
    q->nclauses = 0;
    q->natoms = 0;
    q->ngroups = 0;
    q->errmsg[0] = '\0';
    q->err_at = 0;
    buf_reset(&q->terms);
}

static int fail(struct parser *p, size_t at, const char *fmt, ...)
    GALEN_PRINTF(3, 4);

/* Records a parse error: the message, then " at byte N". */
static int fail(struct parser *p, size_t at, const char *fmt, ...)
{
    struct query *q = p->q;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(q->errmsg, sizeof q->errmsg, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof q->errmsg)
        snprintf(q->errmsg + n, sizeof q->errmsg - (size_t)n, " at byte %zu",
                 at + 1);
    q->err_at = at;
    return GALEN_EPARSE;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static bool is_ident(char c, bool first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return true;
    return !first && c >= '0' && c <= '9';
}

/* Groups fields by analyzer options, so a clause is analysed once per
 * distinct spelling it may have. */
static void classes_init(struct parser *p)
{
    unsigned f, c;

    p->nclasses = 0;
    for (f = 0; f < p->conf->nfields && f < INDEX_MAX_FIELDS; f++) {
        const struct index_field_conf *fc = &p->conf->field[f];

        for (c = 0; c < p->nclasses; c++) {
            if (p->opts[c].stem == fc->stem && p->opts[c].stop == fc->stop)
                break;
        }
        if (c == p->nclasses) {
            p->opts[c].stem = fc->stem;
            p->opts[c].stop = fc->stop;
            p->class_fields[c] = 0;
            p->nclasses++;
        }
        p->class_fields[c] |= (uint8_t)(1u << f);
    }
}

static int on_term(void *ctx, const struct aterm *t)
{
    struct parser *p = ctx;
    struct query *q = p->q;
    struct query_atom *at;
    int rc = GALEN_OK;

    if (q->natoms == QUERY_MAX_ATOMS)
        return (p->flags & QUERY_PLAIN) ? 0 : QUERY_FULL;
    if (q->natoms == p->run_start)
        p->first_pos = t->pos;
    at = &q->atom[q->natoms];
    if (q->natoms > p->run_start && at[-1].relpos == t->pos - p->first_pos)
        at[-1].joined = true;
    at->joined = false;
    at->off = (uint32_t)q->terms.len;
    at->term.len = t->len;
    at->term.p = NULL;
    at->relpos = t->pos - p->first_pos;
    buf_put(&rc, &q->terms, t->term, t->len);
    if (rc != GALEN_OK)
        return rc;
    q->natoms++;
    return 0;
}

/* Analyses s[0..n) with class c's options, appending atoms; *count is how
 * many were appended. */
static int analyse(struct parser *p, unsigned c, const char *s, size_t n,
                   size_t *count)
{
    int rc;

    p->run_start = p->q->natoms;
    rc = analyzer_run(p->a, &p->opts[c], s, n, on_term, p);
    *count = p->q->natoms - p->run_start;
    return rc;
}

static void add_clause(struct parser *p, uint8_t occur, bool is_phrase,
                       uint8_t mask, uint32_t first, uint32_t n, size_t at)
{
    struct query_clause *c = &p->q->clause[p->q->nclauses++];

    c->occur = occur;
    c->is_phrase = is_phrase;
    c->mask = mask;
    c->group = p->q->ngroups;
    c->first = first;
    c->n = n;
    c->at = (uint32_t)at;
}

/* Turns the atoms of one analysed variant into clauses. */
static void variant_clauses(struct parser *p, uint8_t occur, bool quoted,
                            uint8_t mask, uint32_t first, uint32_t n, size_t at)
{
    uint32_t i;

    if (n == 1 || quoted || occur != QUERY_SHOULD) {
        add_clause(p, occur, n > 1, mask, first, n, at);
        return;
    }
    for (i = 0; i < n; i++) {
        p->q->atom[first + i].relpos = 0;
        p->q->atom[first + i].joined = false;
        add_clause(p, occur, false, mask, first + i, 1, at);
    }
}

/* Analyses one written clause, s[0..n) at byte at, for every option class
 * whose fields it may search. */
static int emit(struct parser *p, uint8_t occur, bool quoted, uint8_t mask,
                const char *s, size_t n, size_t at)
{
    size_t before = p->q->nclauses;
    unsigned c;

    for (c = 0; c < p->nclasses; c++) {
        uint8_t m = mask & p->class_fields[c];
        uint32_t first = (uint32_t)p->q->natoms;
        size_t count;
        int rc;

        if (!m)
            continue;
        rc = analyse(p, c, s, n, &count);
        if (rc == QUERY_FULL)
            return fail(p, at, "more than %d terms", QUERY_MAX_ATOMS);
        if (rc != GALEN_OK)
            return rc;
        if (count > 0)
            variant_clauses(p, occur, quoted, m, first, (uint32_t)count, at);
    }
    if (p->q->nclauses > before)
        p->q->ngroups++;
    return GALEN_OK;
}

/* Reads an optional "name:" prefix at *i. Sets *mask to the field's bit, or
 * leaves it when there is no prefix. */
static int field_prefix(struct parser *p, size_t *i, uint8_t *mask)
{
    size_t s = *i, e = s;
    unsigned f;

    if (e >= p->len || !is_ident(p->text[e], true))
        return GALEN_OK;
    while (e < p->len && is_ident(p->text[e], false))
        e++;
    if (e >= p->len || p->text[e] != ':')
        return GALEN_OK;
    for (f = 0; f < p->conf->nfields && f < INDEX_MAX_FIELDS; f++) {
        const char *name = p->conf->field[f].name;

        if (strlen(name) == e - s && strncasecmp(name, p->text + s, e - s) == 0)
            break;
    }
    if (f == p->conf->nfields || f == INDEX_MAX_FIELDS)
        return fail(p, s, "unknown field '%.*s'", (int)MIN(e - s, 32),
                    p->text + s);
    if (e + 1 >= p->len || is_space(p->text[e + 1]))
        return fail(p, e, "missing term after '%.*s:'", (int)(e - s),
                    p->text + s);
    *mask = (uint8_t)(1u << f);
    *i = e + 1;
    return GALEN_OK;
}

/* Reads a quoted phrase starting at the quote at *i. */
static int phrase(struct parser *p, size_t *i, uint8_t occur, uint8_t mask)
{
    size_t open = *i, s = open + 1, e = s, k;
    bool blank = true;

    while (e < p->len && p->text[e] != '"')
        e++;
    if (e >= p->len)
        return fail(p, open, "unbalanced quote");
    for (k = s; k < e; k++)
        blank = blank && is_space(p->text[k]);
    if (blank)
        return fail(p, open, "empty phrase");
    *i = e + 1;
    if (occur == QUERY_SHOULD)
        occur = QUERY_MUST;
    return emit(p, occur, true, mask, p->text + s, e - s, open);
}

/* Parses one written clause starting at the non-space byte *i. */
static int clause(struct parser *p, size_t *i)
{
    size_t at = *i, e;
    uint8_t occur = QUERY_SHOULD;
    uint8_t mask = (uint8_t)((1u << p->conf->nfields) - 1);
    int rc;

    if (p->text[*i] == '+' || p->text[*i] == '-') {
        occur = p->text[*i] == '+' ? QUERY_MUST : QUERY_MUST_NOT;
        (*i)++;
        if (*i >= p->len || is_space(p->text[*i]) || p->text[*i] == '+' ||
            p->text[*i] == '-')
            return fail(p, at, "'%c' is not followed by a term or phrase",
                        p->text[at]);
    }
    rc = field_prefix(p, i, &mask);
    if (rc != GALEN_OK)
        return rc;
    if (p->text[*i] == '"')
        return phrase(p, i, occur, mask);
    e = *i;
    while (e < p->len && !is_space(p->text[e]) && p->text[e] != '"')
        e++;
    rc = emit(p, occur, false, mask, p->text + *i, e - *i, at);
    *i = e;
    return rc;
}

static int parse_syntax(struct parser *p, bool *written)
{
    size_t i = 0;
    int rc;

    for (;;) {
        while (i < p->len && is_space(p->text[i]))
            i++;
        if (i >= p->len)
            return GALEN_OK;
        *written = true;
        rc = clause(p, &i);
        if (rc != GALEN_OK)
            return rc;
    }
}

static int parse_plain(struct parser *p, bool *written)
{
    uint8_t all = (uint8_t)((1u << p->conf->nfields) - 1);
    size_t i;

    for (i = 0; i < p->len; i++)
        *written = *written || !is_space(p->text[i]);
    if (!*written)
        return GALEN_OK;
    return emit(p, QUERY_SHOULD, false, all, p->text, p->len, 0);
}

static int allocate(struct query *q)
{
    if (q->atom)
        return GALEN_OK;
    q->atom = galen_malloc(QUERY_MAX_ATOMS * sizeof *q->atom);
    q->clause = galen_malloc(QUERY_MAX_ATOMS * sizeof *q->clause);
    if (q->atom && q->clause)
        return GALEN_OK;
    galen_free(q->atom);
    galen_free(q->clause);
    q->atom = NULL;
    q->clause = NULL;
    return GALEN_ENOMEM;
}

int query_parse(struct query *q, struct analyzer *a,
                const struct index_conf *conf, const char *text, size_t len,
                unsigned flags)
{
    struct parser p = {q, a, conf, text, len, flags, 0, {{0}}, {0}, 0, 0};
    bool written = false;
    size_t i;
    int rc;

    reset(q);
    rc = allocate(q);
    if (rc != GALEN_OK)
        return rc;
    if (conf->nfields == 0 || conf->nfields > INDEX_MAX_FIELDS)
        return GALEN_EINVAL;
    if (len > QUERY_MAX_LEN)
        return fail(&p, QUERY_MAX_LEN, "query longer than %d bytes",
                    QUERY_MAX_LEN);
    classes_init(&p);
    rc = (flags & QUERY_PLAIN) ? parse_plain(&p, &written)
                               : parse_syntax(&p, &written);
    if (rc == GALEN_OK && !written)
        rc = fail(&p, 0, "empty query");
    if (rc != GALEN_OK) {
        q->nclauses = 0;
        q->natoms = 0;
        q->ngroups = 0;
        return rc;
    }
    for (i = 0; i < q->natoms; i++)
        q->atom[i].term.p = (const char *)q->terms.data + q->atom[i].off;
    return GALEN_OK;
}
