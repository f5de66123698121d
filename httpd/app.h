/* SPDX-License-Identifier: MIT */
/* app.h: what every handler shares: the application state (store service,
 * answer engine, rate limiters, CSRF key, static files) and the per-request
 * context the router fills in before a handler runs. By the time a handler
 * is called the router has already checked the route's permission, the CSRF
 * token of a state-changing request and the rate limit, so handlers check
 * only what depends on the object (e.g. a specialist's specialty). */
#ifndef GALEN_HTTPD_APP_H
#define GALEN_HTTPD_APP_H

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stddef.h>

#include <galen/service.h>

#include "backoff.h"
#include "http.h"
#include "proxy.h"
#include "ratelimit.h"

struct engine;
struct metrics;

/* A file from web/ served from memory. */
struct web_file {
    char name[64];       /* "style.css" */
    const char *mime;    /* static */
    unsigned char *data; /* owned */
    size_t len;
    char etag[24]; /* quoted hash of the content */
};

enum { APP_MAX_FILES = 16 };

struct app_conf {
    const char *data_dir;   /* store and index folder; NULL = no store */
    const char *store_path; /* overrides data_dir/store.db (":memory:" in
                               the fuzzer); no engine without data_dir */
    const char *web_dir;    /* NULL = find web/ next to the binary or cwd */
    unsigned threads;       /* worker threads = store connections */
    bool secure_cookies;    /* add "; Secure" (behind a TLS proxy) */
    const char *base_path;  /* URL prefix galen is mounted under ("/galen");
                               NULL or "" for none; proxy_base_ok */
    long session_ttl;       /* seconds a login lasts; 0 = 12 hours */
    double login_rate;      /* login attempts per second per client */
    double login_burst;
    double question_rate; /* question submissions per second per client */
    double question_burst;
    double backoff_base;  /* seconds an account waits after a failed login,
                             doubling per failure; 0 = 1 */
    double backoff_cap;   /* longest wait; 0 = 300 */
    unsigned hash_slots;  /* password hashes at once; 0 = threads / 2 */
    bool self_review;     /* let an editor approve what they submitted or
                             started reviewing (off: four-eyes review) */
    const char *lexicon;  /* NULL: <data>/lexicon.tsv or data/lexicon.tsv */
    const char *redflags; /* NULL: likewise redflags.txt */
    char errmsg[300];     /* out: why app_open failed */
};

/* One service (store connection) per concurrent request: SQLite handles
 * are not shared between threads. */
struct service_pool {
    pthread_mutex_t lock;
    pthread_cond_t freed;
    struct galen_service **all;  /* n handles */
    struct galen_service **idle; /* stack of nidle free handles */
    size_t n, nidle;
};

struct app {
    bool has_store; /* false: pages that need the store say so */
    struct service_pool pool;
    struct engine *engine;   /* answer engine (not ready until an index
                                exists); NULL without a data folder */
    struct metrics *metrics; /* /metrics counters */
    struct ratelimit *rl_login;
    struct ratelimit *rl_question;
    struct backoff *login_backoff; /* per account name */
    sem_t hash_sem;                /* bounds concurrent Argon2id hashes */
    bool hash_sem_ok;              /* hash_sem was initialised */
    bool self_review;
    struct galen_csrf_key csrf;
    struct web_file files[APP_MAX_FILES];
    size_t nfiles;
    bool secure_cookies;
    long session_ttl;
    char base_path[PROXY_BASE_MAX]; /* "" or "/galen": every URL written */
};

/* Opens the application: libsodium, rate limiters, the static files and,
 * when conf->data_dir is set, the store and answer engine. Missing web
 * files are not an error (pages then render unstyled). Caller closes with
 * app_close. */
GALEN_NODISCARD int app_open(struct app_conf *conf, struct app **out);
void app_close(struct app *app);

struct route;

/* Per-request state handed to every handler. */
struct ctx {
    struct app *app;
    const struct http_req *req;
    struct http_resp *resp;
    const struct route *route;
    struct galen_service *svc;      /* borrowed from the pool; may be NULL */
    struct galen_user user;         /* role GALEN_ROLE_ANON if not logged in */
    char sid[GALEN_TOKEN_LEN + 1];  /* the client's sid cookie, "" if none */
    bool has_session;               /* sid is a stored login session */
    bool via_bearer;                /* authenticated by Authorization header */
    char csrf[GALEN_TOKEN_LEN + 1]; /* token for forms on this page */
    long long id;                   /* the {id} path parameter, if any */
    char slug[128];                 /* the {slug} path parameter, if any */
    bool is_api;                    /* JSON errors instead of HTML pages */
    int rc; /* sticky error of the response body writers */
};

typedef void (*route_fn)(struct ctx *c);

/* Takes a service from the pool, waiting if all are busy; NULL when the
 * app has no store. Give it back with app_service_put. */
struct galen_service *app_service_get(struct app *app);
void app_service_put(struct app *app, struct galen_service *svc);

/* Takes one of the few password-hashing slots (64 MiB of Argon2id each),
 * so that logins cannot tie up every worker thread and starve answers.
 * Returns false, after writing a 503 with Retry-After, when all are busy;
 * otherwise the caller must call ctx_hash_end. */
bool ctx_hash_begin(struct ctx *c);
void ctx_hash_end(struct ctx *c);

/* Writes an error response: JSON for API routes, an HTML page otherwise. */
void ctx_error(struct ctx *c, int status, const char *code, const char *msg);

/* Writes a GALEN_* error as the matching HTTP error (ENOENT 404, EPERM 403,
 * EINVAL/EPARSE 400, ESTATE 409, ETOOBIG 413, else 500). */
void ctx_fail(struct ctx *c, int galen_err, const char *what);

/* True if the request has a service (c->svc). Otherwise writes a 503
 * "no_store" error saying the server has no `what` store ("document",
 * "question", "user") and returns false. */
bool ctx_need_store(struct ctx *c, const char *what);

/* Whether cookies get "; Secure": always with --secure-cookies, and
 * whenever the request came over TLS, to galen or to a trusted proxy that
 * says so with X-Forwarded-Proto (server.c). */
bool ctx_secure_cookies(const struct ctx *c);

/* Adds the Set-Cookie for name=value (max_age 0 deletes it), with the base
 * path as its Path and Secure as ctx_secure_cookies says. */
GALEN_NODISCARD int ctx_cookie(struct ctx *c, const char *name,
                               const char *value, long max_age);

/* Ensures the client has an sid cookie (a fresh anonymous token if not) so
 * that a form on this page can carry a CSRF token bound to it, and fills
 * c->csrf. */
void ctx_need_csrf(struct ctx *c);

/* Dispatches one request: routing, session, permission, CSRF and rate
 * limits, then the handler. Never fails: errors become 4xx/5xx responses.
 * *route_pattern receives the matched route's pattern ("/q/{id}") or NULL;
 * the access log prints that rather than a raw path. */
void server_dispatch(struct app *app, const struct http_req *req,
                     struct http_resp *resp, const char **route_pattern);

#endif
