/* SPDX-License-Identifier: MIT */
/* engine.c: adapter from the web service to the answer engine and the
 * search index. A galen_answerer serves one thread at a time, so each
 * snapshot keeps a pool of them, one per worker thread (the same shape as
 * the store pool); the search index handle is shared, as galen/search.h
 * allows. engine_reload opens a new snapshot when the MANIFEST changes and
 * swaps it in under a mutex; a request holds a reference to the snapshot
 * it started on, so it finishes there, and the old snapshot is freed when
 * its last request lets go. */
#include "engine.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <galen/answer.h>
#include <galen/error.h>
#include <galen/search.h>

#include "mem.h"
#include "metrics.h"

/* One snapshot of the index with the answerers opened on it. Requests
 * hold a reference while they use it; the engine holds one for as long as
 * it is current. */
struct snap {
    struct galen_index *gi; /* shared by every thread */
    pthread_mutex_t lock;
    pthread_cond_t freed;
    struct galen_answerer **all;
    struct galen_answerer **idle;
    size_t n;
    size_t nidle;
    unsigned refs; /* under engine.lock */
};

struct engine {
    char *data_dir;
    char *lexicon, *redflags, *dictionary; /* owned copies, or NULL */
    unsigned threads;
    struct metrics *metrics; /* borrowed */
    pthread_mutex_t lock;    /* guards cur and every snap's refs */
    struct snap *cur;        /* NULL until an index exists */
    struct stat seen;        /* the MANIFEST cur was opened from */
    uint64_t seen_gen;       /* and its generation */
};

static void snap_free(struct snap *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n; i++)
        galen_answerer_close(s->all[i]);
    galen_index_close(s->gi);
    pthread_cond_destroy(&s->freed);
    pthread_mutex_destroy(&s->lock);
    galen_free(s->all);
    galen_free(s->idle);
    galen_free(s);
}

static int snap_open(const struct engine *e, struct snap **out, char *err,
                     size_t cap)
{
    struct galen_answerer_opts opts = {e->lexicon, e->redflags, e->dictionary};
    struct snap *s = galen_calloc(1, sizeof *s);
    int rc;

    if (!s)
        return GALEN_ENOMEM;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->freed, NULL);
    s->all = galen_calloc(e->threads, sizeof *s->all);
    s->idle = galen_calloc(e->threads, sizeof *s->idle);
    rc = s->all && s->idle ? galen_index_open(e->data_dir, &s->gi)
                           : GALEN_ENOMEM;
    if (rc != GALEN_OK)
        snprintf(err, cap, "%s", galen_index_errmsg());
    for (s->n = 0; rc == GALEN_OK && s->n < e->threads; s->n++) {
        rc = galen_answerer_open(e->data_dir, &opts, &s->all[s->n]);
        if (rc != GALEN_OK) {
            snprintf(err, cap, "%s", galen_answerer_errmsg(NULL));
            break;
        }
        s->idle[s->nidle++] = s->all[s->n];
    }
    if (rc != GALEN_OK) {
        snap_free(s);
        return rc;
    }
    s->refs = 1; /* the engine's */
    *out = s;
    return GALEN_OK;
}

static struct snap *snap_get(struct engine *e)
{
    struct snap *s;

    pthread_mutex_lock(&e->lock);
    s = e->cur;
    if (s)
        s->refs++;
    pthread_mutex_unlock(&e->lock);
    return s;
}

static void snap_put(struct engine *e, struct snap *s)
{
    bool last;

    if (!e || !s)
        return;
    pthread_mutex_lock(&e->lock);
    last = --s->refs == 0;
    pthread_mutex_unlock(&e->lock);
    if (last)
        snap_free(s);
}

void engine_close(struct engine *e)
{
    if (!e)
        return;
    snap_put(e, e->cur);
    pthread_mutex_destroy(&e->lock);
    galen_free(e->data_dir);
    galen_free(e->lexicon);
    galen_free(e->redflags);
    galen_free(e->dictionary);
    galen_free(e);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int engine_reload(struct engine *e, bool force, bool *swapped, char *err,
                  size_t cap)
{
    char path[4096];
    struct stat now;
    struct snap *fresh = NULL, *old;
    uint64_t gen = 0;
    int rc;

    *swapped = false;
    err[0] = '\0';
    if ((size_t)snprintf(path, sizeof path, "%s/index/MANIFEST", e->data_dir) >=
        sizeof path)
        return GALEN_EINVAL;
    /* Both the file's identity and its generation: a commit within the
     * same clock tick may reuse the old file's inode and size, and a
     * rebuilt index starts its generations again. */
    if (stat(path, &now) != 0 ||
        galen_index_peek_generation(e->data_dir, &gen) != GALEN_OK)
        return e->cur ? GALEN_OK : GALEN_ENOENT; /* keep what we have */
    if (!force && e->cur && same_file(&now, &e->seen) && gen == e->seen_gen)
        return GALEN_OK;
    /* Opened outside the lock: requests go on meanwhile on the old one. */
    rc = snap_open(e, &fresh, err, cap);
    if (rc != GALEN_OK)
        return rc;
    pthread_mutex_lock(&e->lock);
    old = e->cur;
    e->cur = fresh;
    e->seen = now;
    e->seen_gen = gen;
    pthread_mutex_unlock(&e->lock);
    snap_put(e, old); /* freed when its last request finishes */
    *swapped = true;
    return GALEN_OK;
}

static char *dup_or_null(const char *s, int *rc)
{
    char *d;

    if (!s)
        return NULL;
    d = galen_strdup(s);
    if (!d)
        *rc = GALEN_ENOMEM;
    return d;
}

int engine_open(const char *data_dir, struct engine_conf *conf,
                struct engine **out)
{
    struct engine *e = galen_calloc(1, sizeof *e);
    bool swapped;
    int rc = GALEN_OK;

    if (!e)
        return GALEN_ENOMEM;
    pthread_mutex_init(&e->lock, NULL);
    e->threads = conf->threads ? conf->threads : 4;
    e->metrics = conf->metrics;
    e->data_dir = dup_or_null(data_dir, &rc);
    e->lexicon = dup_or_null(conf->lexicon, &rc);
    e->redflags = dup_or_null(conf->redflags, &rc);
    e->dictionary = dup_or_null(conf->dictionary, &rc);
    if (rc == GALEN_OK)
        rc =
            engine_reload(e, true, &swapped, conf->errmsg, sizeof conf->errmsg);
    if (rc == GALEN_ENOENT)
        rc = GALEN_OK; /* no index yet: engine_reload picks it up later */
    if (rc != GALEN_OK) {
        engine_close(e);
        return rc;
    }
    *out = e;
    return GALEN_OK;
}

bool engine_ready(struct engine *e)
{
    bool ready;

    if (!e)
        return false;
    pthread_mutex_lock(&e->lock);
    ready = e->cur != NULL;
    pthread_mutex_unlock(&e->lock);
    return ready;
}

bool engine_has_safety_files(const struct engine *e)
{
    return e && e->lexicon && e->redflags;
}

bool engine_stats(struct engine *e, uint64_t *generation, uint64_t *docs)
{
    struct snap *s = e ? snap_get(e) : NULL;

    *generation = s ? galen_index_generation(s->gi) : 0;
    *docs = s ? galen_index_doc_count(s->gi) : 0;
    snap_put(e, s);
    return s != NULL;
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

static struct galen_answerer *take(struct snap *e)
{
    struct galen_answerer *a;

    pthread_mutex_lock(&e->lock);
    while (e->nidle == 0)
        pthread_cond_wait(&e->freed, &e->lock);
    a = e->idle[--e->nidle];
    pthread_mutex_unlock(&e->lock);
    return a;
}

static void give(struct snap *e, struct galen_answerer *a)
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
    struct snap *s;
    int rc;

    if (!q || !*q)
        return GALEN_EINVAL;
    s = e ? snap_get(e) : NULL;
    if (!s)
        return GALEN_ENOENT;
    galen_ask_opts_init(&o);
    o.audience = aud == ENGINE_CLINICIAN ? GALEN_AUDIENCE_CLINICIAN
                                         : GALEN_AUDIENCE_PATIENT;
    a = take(s);
    rc = galen_ask(a, q, &o, &ans);
    give(s, a);
    if (rc == GALEN_OK)
        metrics_answer(e->metrics, galen_answer_abstained(ans),
                       (unsigned)galen_answer_redflag_count(ans));
    if (rc == GALEN_OK && html)
        rc = render_into(ans, GALEN_RENDER_HTML, html);
    if (rc == GALEN_OK && json)
        rc = render_into(ans, GALEN_RENDER_JSON, json);
    galen_answer_free(ans);
    snap_put(e, s); /* after the answer, which may borrow from it */
    return rc;
}

int engine_similar(struct engine *e, const char *q, size_t k,
                   int (*cb)(void *ctx, const struct engine_hit *h), void *ctx)
{
    struct galen_answerer *a;
    struct galen_similar *s = NULL;
    struct snap *sn;
    size_t i;
    int rc;

    if (!q || !*q || k == 0)
        return GALEN_EINVAL;
    sn = e ? snap_get(e) : NULL;
    if (!sn)
        return GALEN_ENOENT;
    a = take(sn);
    rc = galen_similar_find(a, q, (unsigned)MIN(k, 100), &s);
    give(sn, a);
    for (i = 0; rc == GALEN_OK && i < galen_similar_count(s); i++) {
        const struct galen_similar_item *it = galen_similar_get(s, i);
        struct engine_hit h = {it->id,   it->question,  it->snippet,
                               it->kind, it->specialty, "",
                               it->score};

        rc = cb(ctx, &h);
    }
    galen_similar_free(s);
    snap_put(e, sn);
    return rc;
}

int engine_search(struct engine *e, const char *q, size_t k,
                  int (*cb)(void *ctx, const struct engine_hit *h), void *ctx)
{
    struct galen_search_opts o;
    struct galen_hits *hits = NULL;
    struct snap *s;
    size_t i;
    int rc;

    if (!q || !*q || k == 0)
        return GALEN_EINVAL;
    s = e ? snap_get(e) : NULL;
    if (!s)
        return GALEN_ENOENT;
    galen_search_opts_init(&o);
    o.k = (unsigned)MIN(k, 100);
    o.plain = true;
    rc = galen_search(s->gi, q, &o, &hits);
    for (i = 0; rc == GALEN_OK && i < galen_hits_count(hits); i++) {
        const struct galen_hit *g = galen_hits_get(hits, i);
        struct engine_hit h = {g->id, g->title, g->snippet, "",
                               "",    "",       g->score};

        rc = cb(ctx, &h);
    }
    galen_hits_free(hits);
    snap_put(e, s); /* after the hits, which may borrow from it */
    return rc;
}
