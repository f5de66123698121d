/* SPDX-License-Identifier: MIT */
/* metrics.h: the server's counters, served at /metrics in the Prometheus
 * text format (version 0.0.4): requests by route and status, a latency
 * histogram, answers, abstentions, red flags raised, store errors, index
 * reloads, and gauges for the index generation and readiness. Every
 * function is thread-safe. Routes are labelled by their pattern
 * ("/q/{id}"), never by a raw path, so labels stay few and carry no
 * health data. */
#ifndef GALEN_HTTPD_METRICS_H
#define GALEN_HTTPD_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"

struct metrics;

GALEN_NODISCARD int metrics_new(struct metrics **out);
void metrics_free(struct metrics *m);

/* One finished request: its route pattern (NULL when none matched), its
 * status and how long it took. */
void metrics_request(struct metrics *m, const char *route, int status,
                     double seconds);

/* One answer composed: abstained or not, with n red flags raised. */
void metrics_answer(struct metrics *m, bool abstained, unsigned redflags);

enum metrics_event {
    METRICS_STORE_ERROR, /* a store or index error while serving */
    METRICS_RELOAD,      /* a new index snapshot swapped in */
    METRICS_RELOAD_ERROR /* a reload that failed (the old one stayed) */
};

void metrics_event(struct metrics *m, enum metrics_event ev);

/* The gauges, read when /metrics is served. */
struct metrics_gauges {
    uint64_t index_generation;
    uint64_t index_documents;
    bool ready;
};

/* Appends the whole exposition to out. GALEN_OK or GALEN_ENOMEM. */
GALEN_NODISCARD int metrics_render(struct metrics *m,
                                   const struct metrics_gauges *g,
                                   struct buf *out);

#endif
