/* SPDX-License-Identifier: MIT */
/* galen_search.c: the public search API over the internal index, query,
 * search and snippet modules. A galen_index is an index snapshot plus a
 * mutex-guarded pool of per-thread query contexts (analyzer, parsed query,
 * search scratch, snippet scratch), so that concurrent searches share the
 * snapshot and a search allocates nothing but its result in steady state.
 * Results are one galen_hits object whose strings live in one buffer. */
#include "galen_search.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>
#include <galen/search.h>

#include "base/buf.h"
#include "base/escape.h"
#include "base/mem.h"
#include "content/datadir.h"
#include "index/index.h"
#include "index/manifest.h"
#include "search/query.h"
#include "search/search.h"
#include "search/snippet.h"
#include "text/analyzer.h"

enum {
    HIT_STRINGS_MAX = 64u << 20, /* bytes of strings in one result */
    DOC_SCRATCH_MAX = 1u << 30,  /* bytes of one loaded document */
    MARKS_PER_HIT = 16,
    PATH_MAX_LEN = 4096
};

static _Thread_local char errbuf[256];
static _Thread_local long errpos = -1;

const char *galen_index_errmsg(void)
{
    return errbuf;
}

long galen_index_errpos(void)
{
    return errpos;
}

int galen_set_error(int rc, long pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(errbuf, sizeof errbuf, fmt, ap);
    va_end(ap);
    errpos = pos;
    return rc;
}

static void clear_error(void)
{
    errbuf[0] = '\0';
    errpos = -1;
}

/* ---- the index handle and its context pool ---------------------------- */

struct qctx {
    struct qctx *next; /* in the pool's free list */
    struct analyzer *a;
    struct query q;
    struct search *s;
    struct snippet snip;
    struct buf doc; /* scratch for segment_doc_load */
};

struct galen_index {
    struct index *idx;
    pthread_mutex_t lock;
    struct qctx *pool; /* idle contexts */
    int title_field;   /* -1 if the index has none */
    int body_field;    /* field snippets are cut from */
};

static void qctx_free(struct qctx *c)
{
    if (!c)
        return;
    analyzer_free(c->a);
    query_cleanup(&c->q);
    search_free(c->s);
    snippet_cleanup(&c->snip);
    buf_cleanup(&c->doc);
    galen_free(c);
}

static int qctx_new(const struct index *idx, struct qctx **out)
{
    struct qctx *c = galen_calloc(1, sizeof *c);
    int rc;

    if (!c)
        return GALEN_ENOMEM;
    query_init(&c->q);
    snippet_init(&c->snip);
    buf_init(&c->doc, DOC_SCRATCH_MAX);
    rc = analyzer_new(&c->a);
    if (rc == GALEN_OK)
        rc = search_new(idx, &c->s);
    if (rc != GALEN_OK) {
        qctx_free(c);
        return rc;
    }
    *out = c;
    return GALEN_OK;
}

static int take_ctx(struct galen_index *gi, struct qctx **out)
{
    struct qctx *c;

    pthread_mutex_lock(&gi->lock);
    c = gi->pool;
    if (c)
        gi->pool = c->next;
    pthread_mutex_unlock(&gi->lock);
    if (c) {
        *out = c;
        return GALEN_OK;
    }
    return qctx_new(gi->idx, out);
}

static void give_ctx(struct galen_index *gi, struct qctx *c)
{
    pthread_mutex_lock(&gi->lock);
    c->next = gi->pool;
    gi->pool = c;
    pthread_mutex_unlock(&gi->lock);
}

int galen_field_index(const struct index_conf *conf, const char *name)
{
    unsigned f;

    for (f = 0; f < conf->nfields && f < INDEX_MAX_FIELDS; f++) {
        if (strcmp(conf->field[f].name, name) == 0)
            return (int)f;
    }
    return -1;
}

static void pick_fields(struct galen_index *gi)
{
    const struct index_conf *conf = index_get_conf(gi->idx);

    gi->title_field = galen_field_index(conf, "title");
    gi->body_field = galen_field_index(conf, "body");
    if (gi->body_field < 0)
        gi->body_field = (int)conf->nfields - 1;
}

int galen_index_open(const char *data_dir, struct galen_index **out)
{
    char path[PATH_MAX_LEN];
    struct galen_index *gi;
    int rc;

    *out = NULL;
    clear_error();
    if (datadir_index_path(data_dir, path, sizeof path) != GALEN_OK)
        return galen_set_error(GALEN_EINVAL, -1, "data path too long");
    gi = galen_calloc(1, sizeof *gi);
    if (!gi)
        return GALEN_ENOMEM;
    rc = index_open(path, &gi->idx);
    if (rc != GALEN_OK) {
        if (*index_errmsg(NULL))
            galen_set_error(rc, -1, "%s", index_errmsg(NULL));
        else
            galen_set_error(rc, -1, "%s: %s", path, galen_strerror(rc));
        galen_free(gi);
        return rc;
    }
    if (pthread_mutex_init(&gi->lock, NULL) != 0) {
        index_close(gi->idx);
        galen_free(gi);
        return GALEN_ENOMEM;
    }
    pick_fields(gi);
    *out = gi;
    return GALEN_OK;
}

int galen_index_verify(struct galen_index *gi,
                       galen_verify_progress_fn progress, void *ctx)
{
    int rc;

    clear_error();
    rc = index_verify(gi->idx, progress, ctx);
    if (rc != GALEN_OK)
        galen_set_error(rc, -1, "%s", index_errmsg(gi->idx));
    return rc;
}

void galen_index_close(struct galen_index *gi)
{
    if (!gi)
        return;
    while (gi->pool) {
        struct qctx *c = gi->pool;

        gi->pool = c->next;
        qctx_free(c);
    }
    pthread_mutex_destroy(&gi->lock);
    index_close(gi->idx);
    galen_free(gi);
}

uint64_t galen_index_doc_count(const struct galen_index *gi)
{
    return index_live_doc_count(gi->idx);
}

uint64_t galen_index_generation(const struct galen_index *gi)
{
    return index_generation(gi->idx);
}

int galen_index_peek_generation(const char *data_dir, uint64_t *gen)
{
    char path[PATH_MAX_LEN], err[256];
    struct manifest m;
    int rc, n = snprintf(path, sizeof path, "%s/index", data_dir);

    if (n < 0 || (size_t)n >= sizeof path)
        return GALEN_EINVAL;
    rc = manifest_read(path, &m, err, sizeof err);
    if (rc != GALEN_OK)
        return rc;
    *gen = m.generation;
    manifest_cleanup(&m);
    return GALEN_OK;
}

unsigned galen_index_field_count(const struct galen_index *gi)
{
    return index_get_conf(gi->idx)->nfields;
}

const char *galen_index_field_name(const struct galen_index *gi, unsigned f)
{
    const struct index_conf *conf = index_get_conf(gi->idx);

    return f < conf->nfields ? conf->field[f].name : NULL;
}

/* ---- options ------------------------------------------------------------ */

void galen_search_opts_init(struct galen_search_opts *o)
{
    memset(o, 0, sizeof *o);
    o->k = 10;
    o->k1 = -1;
    o->snippets = true;
}

/* Applies named field parameters to weight[] and b[]. */
int galen_apply_field_params(const struct index_conf *conf,
                             const struct galen_field_param *fp, size_t n,
                             double *weight, double *b)
{
    size_t i;

    if (n > GALEN_FIELDS_MAX)
        return galen_set_error(GALEN_EINVAL, -1, "too many field parameters");
    for (i = 0; i < n; i++) {
        int f = fp[i].name ? galen_field_index(conf, fp[i].name) : -1;

        if (f < 0)
            return galen_set_error(GALEN_EINVAL, -1, "unknown field '%s'",
                                   fp[i].name ? fp[i].name : "(null)");
        if (fp[i].weight >= 0)
            weight[f] = fp[i].weight;
        if (fp[i].b > 1)
            return galen_set_error(GALEN_EINVAL, -1,
                                   "b of field '%s' must be in 0..1",
                                   fp[i].name);
        if (fp[i].b >= 0)
            b[f] = fp[i].b;
    }
    return GALEN_OK;
}

static int make_params(const struct galen_index *gi,
                       const struct galen_search_opts *o,
                       struct search_params *p)
{
    const struct index_conf *conf = index_get_conf(gi->idx);
    unsigned k = o->k ? o->k : 10;

    if (k > GALEN_K_MAX)
        return galen_set_error(GALEN_EINVAL, -1, "k must be 1..%d",
                               GALEN_K_MAX);
    search_params_default(p, conf, k);
    if (o->k1 >= 0)
        p->k1 = o->k1;
    p->exhaustive = o->exhaustive;
    return galen_apply_field_params(conf, o->field, o->nfield, p->weight, p->b);
}

/* ---- results ------------------------------------------------------------ */

struct galen_hits {
    size_t n;
    struct galen_hit *hit;
    struct galen_span *span;
    char *strings;
};

size_t galen_hits_count(const struct galen_hits *h)
{
    return h ? h->n : 0;
}

const struct galen_hit *galen_hits_get(const struct galen_hits *h, size_t i)
{
    return i < h->n ? &h->hit[i] : NULL;
}

void galen_hits_free(struct galen_hits *h)
{
    if (!h)
        return;
    galen_free(h->hit);
    galen_free(h->span);
    galen_free(h->strings);
    galen_free(h);
}

/* Offsets of a hit's strings in the result buffer, fixed up at the end
 * because the buffer moves while it grows. */
struct hit_off {
    size_t id, title, snippet, meta;
};

static void put_string(int *rc, struct buf *b, size_t *off, const void *p,
                       size_t n)
{
    *off = b->len;
    buf_put(rc, b, p, n);
    buf_put_byte(rc, b, '\0');
}

/* Snippet terms: the scoring terms searched in the body, weighted by idf. */
static size_t snippet_terms(const struct galen_index *gi, struct qctx *c,
                            struct snippet_term *out)
{
    const struct search_term *t;
    size_t n = search_terms(c->s, &t), i, k = 0;

    for (i = 0; i < n && k < SNIPPET_MAX_TERMS; i++) {
        if (!(t[i].mask >> gi->body_field & 1))
            continue;
        out[k].term = t[i].term;
        out[k].weight = t[i].idf;
        k++;
    }
    return k;
}

struct hit_ctx {
    const struct galen_index *gi;
    struct qctx *c;
    const struct galen_search_opts *o;
    struct snippet_term terms[SNIPPET_MAX_TERMS];
    size_t nterms;
    struct buf strings; /* the result's strings, while build_hits runs */
};

static int hit_snippet(struct hit_ctx *h, const struct str *body,
                       struct galen_hit *hit, struct galen_span *spans)
{
    const struct index_field_conf *fc =
        &index_get_conf(h->gi->idx)->field[h->gi->body_field];
    struct analyzer_opts ao = {fc->stem, fc->stop};
    struct snippet_span sp[MARKS_PER_HIT];
    size_t i;
    int rc =
        snippet_make(&h->c->snip, h->c->a, &ao, body->p, body->len, h->terms,
                     h->nterms, &h->strings, sp, MARKS_PER_HIT, &hit->nmarks);

    for (i = 0; i < hit->nmarks; i++) {
        spans[i].start = sp[i].start;
        spans[i].end = sp[i].end;
    }
    return rc;
}

static int fill_hit(struct hit_ctx *h, const struct topk_entry *e,
                    struct galen_hit *hit, struct hit_off *off,
                    struct galen_span *spans)
{
    const struct segment *seg = index_segment(h->gi->idx, e->seg);
    struct str field[INDEX_MAX_FIELDS], meta, id = segment_doc_id(seg, e->doc);
    int rc = GALEN_OK;

    hit->score = e->score;
    put_string(&rc, &h->strings, &off->id, id.p, id.len);
    if (h->o->ids_only) {
        off->title = off->snippet = off->meta = h->strings.len;
        buf_put_byte(&rc, &h->strings, '\0');
        return rc;
    }
    rc = segment_doc_load(seg, e->doc, &h->c->doc, field, &meta);
    if (rc != GALEN_OK)
        return rc;
    off->title = h->strings.len;
    if (h->gi->title_field >= 0) {
        const struct str *t = &field[h->gi->title_field];

        snippet_clean(&rc, &h->strings, t->p, t->len);
    }
    buf_put_byte(&rc, &h->strings, '\0');
    off->snippet = h->strings.len;
    hit->nmarks = 0;
    if (h->o->snippets && rc == GALEN_OK)
        rc = hit_snippet(h, &field[h->gi->body_field], hit, spans);
    buf_put_byte(&rc, &h->strings, '\0');
    hit->meta_len = meta.len;
    put_string(&rc, &h->strings, &off->meta, meta.p, meta.len);
    return rc;
}

static void fix_up(struct galen_hits *r, const struct hit_off *off)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        r->hit[i].id = r->strings + off[i].id;
        r->hit[i].title = r->strings + off[i].title;
        r->hit[i].snippet = r->strings + off[i].snippet;
        r->hit[i].meta = r->strings + off[i].meta;
        r->hit[i].marks = r->span + i * MARKS_PER_HIT;
    }
}

static int build_hits(struct hit_ctx *h, const struct topk_entry *e, size_t n,
                      struct galen_hits **out)
{
    struct galen_hits *r = galen_calloc(1, sizeof *r);
    struct hit_off *off = galen_calloc(n ? n : 1, sizeof *off);
    size_t i;
    int rc = GALEN_OK;

    buf_init(&h->strings, HIT_STRINGS_MAX);
    if (r) {
        r->hit = galen_calloc(n ? n : 1, sizeof *r->hit);
        r->span = galen_calloc(n ? n * MARKS_PER_HIT : 1, sizeof *r->span);
    }
    if (!r || !off || !r->hit || !r->span)
        rc = GALEN_ENOMEM;
    for (i = 0; i < n && rc == GALEN_OK; i++)
        rc = fill_hit(h, &e[i], &r->hit[i], &off[i],
                      r->span + i * MARKS_PER_HIT);
    buf_put_byte(&rc, &h->strings, '\0');
    if (rc == GALEN_OK) {
        r->n = n;
        r->strings = (char *)buf_take(&h->strings, NULL);
        fix_up(r, off);
        *out = r;
    } else {
        buf_cleanup(&h->strings);
        galen_hits_free(r);
    }
    galen_free(off);
    return rc;
}

static int run_query(struct galen_index *gi, struct qctx *c, const char *query,
                     const struct galen_search_opts *o, struct galen_hits **out)
{
    struct search_params p;
    const struct topk_entry *e;
    struct hit_ctx h;
    size_t n;
    int rc = make_params(gi, o, &p);

    if (rc != GALEN_OK)
        return rc;
    rc = query_parse(&c->q, c->a, index_get_conf(gi->idx), query, strlen(query),
                     o->plain ? QUERY_PLAIN : 0);
    if (rc == GALEN_EPARSE)
        return galen_set_error(rc, (long)c->q.err_at, "%s", c->q.errmsg);
    if (rc == GALEN_OK)
        rc = search_run(c->s, &c->q, &p, &e, &n);
    if (rc != GALEN_OK)
        return rc;
    h.gi = gi;
    h.c = c;
    h.o = o;
    h.nterms = snippet_terms(gi, c, h.terms);
    return build_hits(&h, e, n, out);
}

int galen_search(struct galen_index *gi, const char *query,
                 const struct galen_search_opts *o, struct galen_hits **out)
{
    struct galen_search_opts defaults;
    struct qctx *c;
    int rc;

    *out = NULL;
    clear_error();
    if (!o) {
        galen_search_opts_init(&defaults);
        o = &defaults;
    }
    rc = take_ctx(gi, &c);
    if (rc != GALEN_OK)
        return rc;
    rc = run_query(gi, c, query, o, out);
    give_ctx(gi, c);
    if (rc != GALEN_OK && !errbuf[0])
        galen_set_error(rc, -1, "search failed: %s", galen_strerror(rc));
    return rc;
}

/* ---- rendering ---------------------------------------------------------- */

struct out {
    char *p;
    size_t cap, len;
};

static void out_put(struct out *o, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++, o->len++) {
        if (o->len + 1 < o->cap)
            o->p[o->len] = s[i];
    }
}

static void out_text(struct out *o, const char *s, size_t n, bool html)
{
    size_t i;

    if (!html) {
        out_put(o, s, n);
        return;
    }
    for (i = 0; i < n;) {
        const char *rep;
        size_t rep_len;

        i += html_esc_step(s + i, n - i, &rep, &rep_len);
        out_put(o, rep, rep_len);
    }
}

size_t galen_snippet_render(const struct galen_hit *h,
                            enum galen_mark_style style, char *out, size_t cap)
{
    static const char *const open[] = {"", "\xc2\xab", "\033[1m", "<mark>"};
    static const char *const close[] = {"", "\xc2\xbb", "\033[0m", "</mark>"};
    struct out o = {out, cap, 0};
    size_t len = strlen(h->snippet), at = 0, i;
    bool html = style == GALEN_MARK_HTML;
    unsigned st = (unsigned)style < 4 ? (unsigned)style : 0;

    for (i = 0; i < h->nmarks && st != GALEN_MARK_NONE; i++) {
        const struct galen_span *m = &h->marks[i];

        if (m->start < at || m->end > len || m->start > m->end)
            break;
        out_text(&o, h->snippet + at, m->start - at, html);
        out_put(&o, open[st], strlen(open[st]));
        out_text(&o, h->snippet + m->start, m->end - m->start, html);
        out_put(&o, close[st], strlen(close[st]));
        at = m->end;
    }
    out_text(&o, h->snippet + at, len - at, html);
    if (cap > 0)
        out[MIN(o.len, cap - 1)] = '\0';
    return o.len;
}
