/* SPDX-License-Identifier: MIT */
/* app.c: opening and closing the application state, the pool of store
 * connections, and loading web/ into memory. The pool holds one service per
 * worker thread, so a request never waits for a connection in practice;
 * the condition variable only matters if callers outnumber handles. */
#include "app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/store.h>

#include "engine.h"
#include "fileio.h"
#include "mem.h"
#include "metrics.h"

enum { WEB_FILE_MAX = 1 << 20 };

static const char *mime_for(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".js") == 0 || strcmp(dot, ".mjs") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    if (strcmp(dot, ".ico") == 0)
        return "image/x-icon";
    if (strcmp(dot, ".txt") == 0)
        return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

/* Reads dir/name into f. Returns false if the file is absent or too big. */
static bool load_file(const char *dir, const char *name, struct web_file *f)
{
    char path[1024];
    unsigned long h = 5381;
    size_t i;

    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return false;
    if (fileio_read_all(path, WEB_FILE_MAX, &f->data, &f->len) != GALEN_OK)
        return false;
    for (i = 0; i < f->len; i++)
        h = h * 33 + f->data[i];
    snprintf(f->etag, sizeof f->etag, "\"%lx\"", h);
    snprintf(f->name, sizeof f->name, "%s", name);
    f->mime = mime_for(name);
    return true;
}

/* Writes "<dir of the binary>/../../rel" (build/MODE/galen in a source
 * tree) into out. */
static bool beside_binary(const char *rel, char *out, size_t cap)
{
    char exe[900];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash;

    if (n <= 0)
        return false;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return snprintf(out, cap, "%s/../../%s", exe, rel) < (int)cap;
}

/* Finds the web/ folder: the configured one, $GALEN_WEB, ./web, or web/
 * beside the binary's source tree. */
static bool find_web_dir(const char *conf_dir, char *out, size_t cap)
{
    const char *env = getenv("GALEN_WEB");

    if (conf_dir)
        return snprintf(out, cap, "%s", conf_dir) < (int)cap;
    if (env && *env)
        return snprintf(out, cap, "%s", env) < (int)cap;
    if (access("web/style.css", R_OK) == 0)
        return snprintf(out, cap, "web") < (int)cap;
    return beside_binary("web", out, cap);
}

/* Finds a data file (lexicon, red-flag rules) as `galen ask` does: the
 * configured path, else <data_dir>/name, $GALEN_SHARE/name, ./data/name, or
 * data/name beside the binary's source tree. Returns out, or NULL when there is
 * none. */
static const char *find_data_file(const char *given, const char *data_dir,
                                  const char *name, char *out, size_t cap)
{
    char rel[64];
    const char *share = getenv("GALEN_SHARE");

    if (given)
        return snprintf(out, cap, "%s", given) < (int)cap ? out : NULL;
    if (data_dir && snprintf(out, cap, "%s/%s", data_dir, name) < (int)cap &&
        access(out, R_OK) == 0)
        return out;
    if (share && snprintf(out, cap, "%s/%s", share, name) < (int)cap &&
        access(out, R_OK) == 0)
        return out;
    snprintf(rel, sizeof rel, "data/%s", name);
    if (access(rel, R_OK) == 0)
        return snprintf(out, cap, "%s", rel) < (int)cap ? out : NULL;
    if (beside_binary(rel, out, cap) && access(out, R_OK) == 0)
        return out;
    return NULL;
}

/* NULL if path is readable, else what to call it: the path, or name when
 * no file was found. */
static const char *unreadable(const char *path, const char *name)
{
    if (!path)
        return name;
    return access(path, R_OK) == 0 ? NULL : path;
}

static int open_engine(struct app *app, struct app_conf *conf)
{
    const char *what, *bad;
    struct engine_conf ec;
    char lex[1024];
    char red[1024];
    int rc;

    memset(&ec, 0, sizeof ec);
    ec.threads = conf->threads ? conf->threads : 4;
    ec.metrics = app->metrics;
    ec.lexicon = find_data_file(conf->lexicon, conf->data_dir, "lexicon.tsv",
                                lex, sizeof lex);
    ec.redflags = find_data_file(conf->redflags, conf->data_dir, "redflags.txt",
                                 red, sizeof red);
    /* The safety files are never optional, even before there is an index
     * to answer from. */
    what = "lay-term lexicon";
    bad = unreadable(ec.lexicon, "lexicon.tsv");
    if (!bad) {
        what = "red-flag rules";
        bad = unreadable(ec.redflags, "redflags.txt");
    }
    if (bad) {
        snprintf(conf->errmsg, sizeof conf->errmsg,
                 "answer engine: cannot read the %s %.200s", what, bad);
        return GALEN_ENOENT;
    }
    rc = engine_open(conf->data_dir, &ec, &app->engine);
    if (rc != GALEN_OK)
        snprintf(conf->errmsg, sizeof conf->errmsg, "answer engine: %s",
                 ec.errmsg);
    return rc;
}

static void load_web(struct app *app, const char *conf_dir)
{
    static const char *const names[] = {"style.css", "app.js", "favicon.svg"};
    char dir[1024];
    size_t i;

    if (!find_web_dir(conf_dir, dir, sizeof dir))
        return;
    for (i = 0; i < ARRAY_SIZE(names) && app->nfiles < APP_MAX_FILES; i++) {
        if (load_file(dir, names[i], &app->files[app->nfiles]))
            app->nfiles++;
    }
}

static int pool_open(struct service_pool *p, const char *store_path, unsigned n,
                     bool self_review)
{
    int rc;

    p->all = galen_calloc(n, sizeof *p->all);
    p->idle = galen_calloc(n, sizeof *p->idle);
    if (!p->all || !p->idle)
        return GALEN_ENOMEM;
    for (p->n = 0; p->n < n; p->n++) {
        rc = galen_service_open(store_path, &p->all[p->n]);
        if (rc != GALEN_OK)
            return rc;
        galen_service_set_self_review(p->all[p->n], self_review);
        p->idle[p->nidle++] = p->all[p->n];
    }
    return GALEN_OK;
}

static void pool_close(struct service_pool *p)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        galen_service_close(p->all[i]);
    galen_free(p->all);
    galen_free(p->idle);
    p->all = p->idle = NULL;
    p->n = p->nidle = 0;
}

struct galen_service *app_service_get(struct app *app)
{
    struct service_pool *p = &app->pool;
    struct galen_service *svc;

    if (!app->has_store)
        return NULL;
    pthread_mutex_lock(&p->lock);
    while (p->nidle == 0)
        pthread_cond_wait(&p->freed, &p->lock);
    svc = p->idle[--p->nidle];
    pthread_mutex_unlock(&p->lock);
    return svc;
}

void app_service_put(struct app *app, struct galen_service *svc)
{
    struct service_pool *p = &app->pool;

    if (!svc)
        return;
    pthread_mutex_lock(&p->lock);
    p->idle[p->nidle++] = svc;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->lock);
}

static struct galen_service *p_first(struct app *app)
{
    return app->pool.all[0];
}

static int open_parts(struct app *app, struct app_conf *conf)
{
    char path[1024];
    int rc;

    rc = ratelimit_new(conf->login_rate > 0 ? conf->login_rate : 0.2,
                       conf->login_burst >= 1 ? conf->login_burst : 10, 4096,
                       &app->rl_login);
    if (rc == GALEN_OK)
        rc = ratelimit_new(conf->question_rate > 0 ? conf->question_rate : 0.05,
                           conf->question_burst >= 1 ? conf->question_burst : 5,
                           4096, &app->rl_question);
    if (rc == GALEN_OK)
        rc = backoff_new(conf->backoff_base > 0 ? conf->backoff_base : 1.0,
                         conf->backoff_cap > 0 ? conf->backoff_cap : 300.0,
                         4096, &app->login_backoff);
    if (rc == GALEN_OK) {
        unsigned n = conf->hash_slots ? conf->hash_slots
                                      : (conf->threads ? conf->threads : 4) / 2;

        if (sem_init(&app->hash_sem, 0, n ? n : 1) != 0)
            return GALEN_ENOMEM;
        app->hash_sem_ok = true;
    }
    if (rc != GALEN_OK || (!conf->data_dir && !conf->store_path))
        return rc;
    if (conf->store_path)
        snprintf(path, sizeof path, "%s", conf->store_path);
    else if (galen_data_store_path(conf->data_dir, path, sizeof path) !=
             GALEN_OK)
        return GALEN_EINVAL;
    rc = pool_open(&app->pool, path, conf->threads ? conf->threads : 4,
                   conf->self_review);
    if (rc != GALEN_OK) {
        snprintf(conf->errmsg, sizeof conf->errmsg, "store: %.200s",
                 galen_service_errmsg(NULL));
        return rc;
    }
    app->has_store = true;
    /* The CSRF key lives in the store, so every process on it (and this
     * one after a restart) accepts the forms the others served. */
    rc = galen_service_secret(p_first(app), "csrf", app->csrf.k,
                              sizeof app->csrf.k);
    if (rc != GALEN_OK) {
        snprintf(conf->errmsg, sizeof conf->errmsg, "store: %.200s",
                 galen_service_errmsg(p_first(app)));
        return rc;
    }
    return conf->data_dir ? open_engine(app, conf) : GALEN_OK;
}

int app_open(struct app_conf *conf, struct app **out)
{
    struct app *app;
    int rc = galen_auth_init();

    if (rc != GALEN_OK)
        return rc;
    if (conf->base_path && !proxy_base_ok(conf->base_path)) {
        snprintf(conf->errmsg, sizeof conf->errmsg, "bad base path");
        return GALEN_EINVAL;
    }
    app = galen_calloc(1, sizeof *app);
    if (!app)
        return GALEN_ENOMEM;
    pthread_mutex_init(&app->pool.lock, NULL);
    pthread_cond_init(&app->pool.freed, NULL);
    galen_csrf_key_init(&app->csrf);
    app->secure_cookies = conf->secure_cookies;
    snprintf(app->base_path, sizeof app->base_path, "%s",
             conf->base_path ? conf->base_path : "");
    app->self_review = conf->self_review;
    app->session_ttl = conf->session_ttl > 0 ? conf->session_ttl : 12 * 3600;
    load_web(app, conf->web_dir);
    rc = metrics_new(&app->metrics);
    if (rc == GALEN_OK)
        rc = open_parts(app, conf);
    if (rc != GALEN_OK) {
        app_close(app);
        return rc;
    }
    *out = app;
    return GALEN_OK;
}

void app_close(struct app *app)
{
    size_t i;

    if (!app)
        return;
    engine_close(app->engine);
    metrics_free(app->metrics);
    pool_close(&app->pool);
    ratelimit_free(app->rl_login);
    ratelimit_free(app->rl_question);
    backoff_free(app->login_backoff);
    if (app->hash_sem_ok)
        sem_destroy(&app->hash_sem);
    for (i = 0; i < app->nfiles; i++)
        galen_free(app->files[i].data);
    pthread_cond_destroy(&app->pool.freed);
    pthread_mutex_destroy(&app->pool.lock);
    galen_free(app);
}
