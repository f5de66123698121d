/* SPDX-License-Identifier: MIT */
/* metrics.c: the counters behind /metrics, under one mutex (a request
 * touches it once; contention is negligible next to answering). The
 * request counters are a small table keyed by (route, status): routes come
 * from the route table and statuses from a short list, so it stays small;
 * past METRICS_SERIES_MAX rows new pairs are folded into route "other". */
#include "metrics.h"

#include <pthread.h>
#include <string.h>

#include <galen/error.h>

#include "mem.h"

enum { METRICS_SERIES_MAX = 256, METRICS_ROUTE_MAX = 64 };

/* Latency buckets, seconds (upper bounds; +Inf is implied). */
static const double bucket_le[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                   0.1,   0.25,   0.5,   1,    2.5,   5};
#define NBUCKETS (sizeof bucket_le / sizeof bucket_le[0])

struct series {
    char route[METRICS_ROUTE_MAX];
    int status;
    uint64_t n;
};

struct metrics {
    pthread_mutex_t lock;
    struct series req[METRICS_SERIES_MAX];
    size_t nreq;
    uint64_t bucket[NBUCKETS + 1]; /* non-cumulative; last is +Inf */
    double latency_sum;
    uint64_t latency_count;
    uint64_t answers, abstentions, redflags;
    uint64_t store_errors, reloads, reload_errors;
};

int metrics_new(struct metrics **out)
{
    struct metrics *m = galen_calloc(1, sizeof *m);

    if (!m)
        return GALEN_ENOMEM;
    pthread_mutex_init(&m->lock, NULL);
    *out = m;
    return GALEN_OK;
}

void metrics_free(struct metrics *m)
{
    if (!m)
        return;
    pthread_mutex_destroy(&m->lock);
    galen_free(m);
}

static struct series *find_series(struct metrics *m, const char *route,
                                  int status)
{
    size_t i;

    for (i = 0; i < m->nreq; i++) {
        if (m->req[i].status == status && strcmp(m->req[i].route, route) == 0)
            return &m->req[i];
    }
    if (m->nreq == METRICS_SERIES_MAX)
        return NULL;
    strncpy(m->req[m->nreq].route, route, METRICS_ROUTE_MAX - 1);
    m->req[m->nreq].status = status;
    return &m->req[m->nreq++];
}

void metrics_request(struct metrics *m, const char *route, int status,
                     double seconds)
{
    struct series *s;
    size_t b = 0;

    if (!m)
        return;
    while (b < NBUCKETS && seconds > bucket_le[b])
        b++;
    pthread_mutex_lock(&m->lock);
    s = find_series(m, route ? route : "other", status);
    if (!s)
        s = find_series(m, "other", status);
    if (s)
        s->n++;
    m->bucket[b]++;
    m->latency_sum += seconds;
    m->latency_count++;
    pthread_mutex_unlock(&m->lock);
}

void metrics_answer(struct metrics *m, bool abstained, unsigned redflags)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    m->answers++;
    m->abstentions += abstained;
    m->redflags += redflags;
    pthread_mutex_unlock(&m->lock);
}

void metrics_event(struct metrics *m, enum metrics_event ev)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->lock);
    if (ev == METRICS_STORE_ERROR)
        m->store_errors++;
    else if (ev == METRICS_RELOAD)
        m->reloads++;
    else
        m->reload_errors++;
    pthread_mutex_unlock(&m->lock);
}

/* Writes a route as a label value: \ and " escaped (patterns have
 * neither, but the format requires it). */
static void label(int *rc, struct buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\' || *v == '"')
            buf_put_byte(rc, b, '\\');
        buf_put_byte(rc, b, (unsigned char)*v);
    }
}

static void counter(int *rc, struct buf *b, const char *name, const char *help,
                    uint64_t v)
{
    buf_printf(rc, b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help,
               name, name, (unsigned long long)v);
}

static void gauge(int *rc, struct buf *b, const char *name, const char *help,
                  uint64_t v)
{
    buf_printf(rc, b, "# HELP %s %s\n# TYPE %s gauge\n%s %llu\n", name, help,
               name, name, (unsigned long long)v);
}

static void render_requests(int *rc, struct buf *b, const struct metrics *m)
{
    uint64_t cum = 0;
    size_t i;

    buf_put_str(rc, b,
                "# HELP galen_http_requests_total HTTP requests by route "
                "pattern and status.\n"
                "# TYPE galen_http_requests_total counter\n");
    for (i = 0; i < m->nreq; i++) {
        buf_put_str(rc, b, "galen_http_requests_total{route=\"");
        label(rc, b, m->req[i].route);
        buf_printf(rc, b, "\",status=\"%d\"} %llu\n", m->req[i].status,
                   (unsigned long long)m->req[i].n);
    }
    buf_put_str(rc, b,
                "# HELP galen_http_request_duration_seconds Time from the "
                "request line to the end of the response.\n"
                "# TYPE galen_http_request_duration_seconds histogram\n");
    for (i = 0; i < NBUCKETS; i++) {
        cum += m->bucket[i];
        buf_printf(rc, b,
                   "galen_http_request_duration_seconds_bucket{le=\"%g\"} "
                   "%llu\n",
                   bucket_le[i], (unsigned long long)cum);
    }
    cum += m->bucket[NBUCKETS];
    buf_printf(rc, b,
               "galen_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
               "galen_http_request_duration_seconds_sum %.6f\n"
               "galen_http_request_duration_seconds_count %llu\n",
               (unsigned long long)cum, m->latency_sum,
               (unsigned long long)m->latency_count);
}

int metrics_render(struct metrics *m, const struct metrics_gauges *g,
                   struct buf *out)
{
    struct metrics snap;
    int rc = GALEN_OK;

    pthread_mutex_lock(&m->lock);
    memcpy(&snap, m, sizeof snap);
    pthread_mutex_unlock(&m->lock);
    render_requests(&rc, out, &snap);
    counter(&rc, out, "galen_answers_total", "Answers composed.", snap.answers);
    counter(&rc, out, "galen_abstentions_total",
            "Answers that abstained for want of evidence.", snap.abstentions);
    counter(&rc, out, "galen_red_flags_total", "Red flags raised in answers.",
            snap.redflags);
    counter(&rc, out, "galen_store_errors_total",
            "Store or index errors while serving.", snap.store_errors);
    counter(&rc, out, "galen_index_reloads_total",
            "Index snapshots swapped in.", snap.reloads);
    counter(&rc, out, "galen_index_reload_errors_total",
            "Index reloads that failed (the old snapshot stayed).",
            snap.reload_errors);
    gauge(&rc, out, "galen_index_generation",
          "MANIFEST generation of the index being served.",
          g->index_generation);
    gauge(&rc, out, "galen_index_documents",
          "Live documents in the index being served.", g->index_documents);
    gauge(&rc, out, "galen_ready",
          "1 when the index, lexicon and red-flag rules are loaded.",
          g->ready ? 1 : 0);
    return rc;
}
