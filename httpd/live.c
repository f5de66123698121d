/* SPDX-License-Identifier: MIT */
/* live.c: the watcher thread of live.h. Applying store changes takes the
 * index's writer lock; when another process holds it (an import indexing
 * what it imported) this round is skipped and the next one sees the
 * commit through the MANIFEST instead. */
#include "live.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <galen/error.h>
#include <galen/store.h>

#include "app.h"
#include "engine.h"
#include "mem.h"
#include "metrics.h"

struct live {
    struct app *app;
    char *data_dir;
    unsigned interval_ms;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop, kick;
    struct galen_store *st; /* the thread's own connection */
    char last_err[300];     /* the last error logged, to log each once */
};

static void log_once(struct live *l, const char *what, const char *msg)
{
    char line[sizeof l->last_err];

    snprintf(line, sizeof line, "%s: %s", what, msg);
    if (strcmp(line, l->last_err) == 0)
        return;
    snprintf(l->last_err, sizeof l->last_err, "%s", line);
    fprintf(stderr, "galen: %s\n", line);
}

static void count(struct live *l, enum metrics_event ev)
{
    metrics_event(l->app->metrics, ev);
}

/* Applies the store's unseen changes to the index, if there are any. */
static void apply_store_changes(struct live *l)
{
    struct galen_store_index_stats stats;
    char path[4096];
    bool pending = false;
    int rc;

    if (!l->st) {
        if (galen_data_store_path(l->data_dir, path, sizeof path) != GALEN_OK)
            return;
        rc = galen_store_open(path, &l->st);
        if (rc != GALEN_OK) {
            log_once(l, "store", galen_store_errmsg(NULL));
            count(l, METRICS_STORE_ERROR);
            return;
        }
    }
    rc = galen_store_index_pending(l->st, &pending);
    if (rc != GALEN_OK) {
        log_once(l, "store", galen_store_errmsg(l->st));
        count(l, METRICS_STORE_ERROR);
        return;
    }
    if (!pending)
        return;
    if ((size_t)snprintf(path, sizeof path, "%s/index", l->data_dir) >=
        sizeof path)
        return;
    rc = galen_store_index_update(l->st, path, NULL, NULL, &stats);
    if (rc == GALEN_ESTATE)
        return; /* another process is indexing: its commit will show */
    if (rc != GALEN_OK) {
        log_once(l, "index update", galen_store_errmsg(l->st));
        count(l, METRICS_STORE_ERROR);
        return;
    }
}

static void reload(struct live *l, bool force)
{
    char err[256];
    bool swapped = false;
    uint64_t gen, docs;
    int rc = engine_reload(l->app->engine, force, &swapped, err, sizeof err);

    if (rc == GALEN_ENOENT)
        return; /* still no index */
    if (rc != GALEN_OK) {
        log_once(l, "reload", err[0] ? err : galen_strerror(rc));
        count(l, METRICS_RELOAD_ERROR);
        return;
    }
    if (!swapped)
        return;
    count(l, METRICS_RELOAD);
    l->last_err[0] = '\0';
    if (engine_stats(l->app->engine, &gen, &docs))
        fprintf(stderr,
                "galen: index generation %llu loaded (%llu documents)\n",
                (unsigned long long)gen, (unsigned long long)docs);
}

static void *run(void *arg)
{
    struct live *l = arg;
    struct timespec until;
    bool force;

    for (;;) {
        pthread_mutex_lock(&l->lock);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += l->interval_ms / 1000;
        until.tv_nsec += (long)(l->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!l->stop && !l->kick &&
               pthread_cond_timedwait(&l->wake, &l->lock, &until) == 0)
            ;
        force = l->kick;
        l->kick = false;
        if (l->stop) {
            pthread_mutex_unlock(&l->lock);
            break;
        }
        pthread_mutex_unlock(&l->lock);
        if (l->app->has_store)
            apply_store_changes(l);
        reload(l, force);
    }
    return NULL;
}

int live_start(struct app *app, const char *data_dir, unsigned interval_ms,
               struct live **out)
{
    struct live *l = galen_calloc(1, sizeof *l);

    if (!l || !(l->data_dir = galen_strdup(data_dir))) {
        galen_free(l);
        return GALEN_ENOMEM;
    }
    l->app = app;
    l->interval_ms = interval_ms ? interval_ms : 1000;
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->wake, NULL);
    if (!app->engine || pthread_create(&l->thread, NULL, run, l) != 0) {
        pthread_cond_destroy(&l->wake);
        pthread_mutex_destroy(&l->lock);
        galen_free(l->data_dir);
        galen_free(l);
        return app->engine ? GALEN_ENOMEM : GALEN_EINVAL;
    }
    *out = l;
    return GALEN_OK;
}

void live_kick(struct live *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->lock);
    l->kick = true;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
}

void live_stop(struct live *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->lock);
    l->stop = true;
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
    pthread_join(l->thread, NULL);
    galen_store_close(l->st);
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->lock);
    galen_free(l->data_dir);
    galen_free(l);
}
