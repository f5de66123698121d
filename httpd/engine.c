/* SPDX-License-Identifier: MIT */
/* engine.c: adapter from the web service to the answer engine and the
 * search index. A galen_answerer serves one thread at a time, so the
 * engine keeps a pool of them, one per worker thread (the same shape as
 * the store pool); the search index handle is shared, as galen/search.h
 * allows. */
#include "engine.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <galen/answer.h>
#include <galen/error.h>
#include <galen/search.h>

#include "mem.h"

struct engine {
    struct galen_index *gi; /* shared by every thread */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    struct galen_answerer **all;
    struct galen_answerer **idle;
    size_t n;
    size_t nidle;
};

void engine_close(struct engine *e)
{
    size_t i;

    if (!e)
        return;
    for (i = 0; i < e->n; i++)
        galen_answerer_close(e->all[i]);
    galen_index_close(e->gi);
    pthread_cond_destroy(&e->freed);
    pthread_mutex_destroy(&e->lock);
    galen_free(e->all);
    galen_free(e->idle);
    galen_free(e);
}

static int open_pool(struct engine *e, const char *data_dir, unsigned n,
                     const struct galen_answerer_opts *opts)
{
    int rc;

    e->all = galen_calloc(n, sizeof *e->all);
    e->idle = galen_calloc(n, sizeof *e->idle);
    if (!e->all || !e->idle)
        return GALEN_ENOMEM;
    for (e->n = 0; e->n < n; e->n++) {
        rc = galen_answerer_open(data_dir, opts, &e->all[e->n]);
        if (rc != GALEN_OK)
            return rc;
        e->idle[e->nidle++] = e->all[e->n];
    }
    return GALEN_OK;
}

int engine_open(const char *data_dir, struct engine_conf *conf,
                struct engine **out)
{
    struct galen_answerer_opts opts = {conf->lexicon, conf->redflags,
                                       conf->dictionary};
    struct engine *e = galen_calloc(1, sizeof *e);
    int rc;

    if (!e)
        return GALEN_ENOMEM;
    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->freed, NULL);
    rc = galen_index_open(data_dir, &e->gi);
    if (rc == GALEN_OK)
        rc = open_pool(e, data_dir, conf->threads ? conf->threads : 4, &opts);
    if (rc == GALEN_ENOENT) {
        engine_close(e);
        *out = NULL;
        return GALEN_OK;
    }
    if (rc != GALEN_OK) {
        snprintf(conf->errmsg, sizeof conf->errmsg, "%s%s",
                 galen_answerer_errmsg(NULL), galen_index_errmsg());
        engine_close(e);
        return rc;
    }
    *out = e;
    return GALEN_OK;
}

static int render_into(const struct galen_answer *ans,
                       enum galen_render_format fmt, struct buf *out)
{
    char *text = NULL;
    size_t len = 0;
    int rc = galen_answer_render(ans, fmt, 0, 0, &text, &len);

    if (rc == GALEN_OK)
        buf_put(&rc, out, text, len);
    galen_free_string(text);
    return rc;
}

static struct galen_answerer *take(struct engine *e)
{
    struct galen_answerer *a;

    pthread_mutex_lock(&e->lock);
    while (e->nidle == 0)
        pthread_cond_wait(&e->freed, &e->lock);
    a = e->idle[--e->nidle];
    pthread_mutex_unlock(&e->lock);
    return a;
}

static void give(struct engine *e, struct galen_answerer *a)
{
    pthread_mutex_lock(&e->lock);
    e->idle[e->nidle++] = a;
    pthread_cond_signal(&e->freed);
    pthread_mutex_unlock(&e->lock);
}

int engine_answer(struct engine *e, const char *q, enum engine_audience aud,
                  struct buf *html, struct buf *json)
{
    struct galen_answerer *a;
    struct galen_ask_opts o;
    struct galen_answer *ans = NULL;
    int rc;

    if (!e)
        return GALEN_ENOENT;
    if (!q || !*q)
        return GALEN_EINVAL;
    galen_ask_opts_init(&o);
    o.audience = aud == ENGINE_CLINICIAN ? GALEN_AUDIENCE_CLINICIAN
                                         : GALEN_AUDIENCE_PATIENT;
    a = take(e);
    rc = galen_ask(a, q, &o, &ans);
    give(e, a);
    if (rc == GALEN_OK && html)
        rc = render_into(ans, GALEN_RENDER_HTML, html);
    if (rc == GALEN_OK && json)
        rc = render_into(ans, GALEN_RENDER_JSON, json);
    galen_answer_free(ans);
    return rc;
}

int engine_similar(struct engine *e, const char *q, size_t k,
                   int (*cb)(void *ctx, const struct engine_hit *h), void *ctx)
{
    struct galen_answerer *a;
    struct galen_similar *s = NULL;
    size_t i;
    int rc;

    if (!e)
        return GALEN_ENOENT;
    if (!q || !*q || k == 0)
        return GALEN_EINVAL;
    a = take(e);
    rc = galen_similar_find(a, q, (unsigned)MIN(k, 100), &s);
    give(e, a);
    for (i = 0; rc == GALEN_OK && i < galen_similar_count(s); i++) {
        const struct galen_similar_item *it = galen_similar_get(s, i);
        struct engine_hit h = {it->id,   it->question,  it->snippet,
                               it->kind, it->specialty, "",
                               it->score};

        rc = cb(ctx, &h);
    }
    galen_similar_free(s);
    return rc;
}

int engine_search(struct engine *e, const char *q, size_t k,
                  int (*cb)(void *ctx, const struct engine_hit *h), void *ctx)
{
    struct galen_search_opts o;
    struct galen_hits *hits = NULL;
    size_t i;
    int rc;

    if (!e)
        return GALEN_ENOENT;
    if (!q || !*q || k == 0)
        return GALEN_EINVAL;
    galen_search_opts_init(&o);
    o.k = (unsigned)MIN(k, 100);
    o.plain = true;
    rc = galen_search(e->gi, q, &o, &hits);
    for (i = 0; rc == GALEN_OK && i < galen_hits_count(hits); i++) {
        const struct galen_hit *g = galen_hits_get(hits, i);
        struct engine_hit h = {g->id, g->title, g->snippet, "",
                               "",    "",       g->score};

        rc = cb(ctx, &h);
    }
    galen_hits_free(hits);
    return rc;
}
