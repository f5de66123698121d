/* SPDX-License-Identifier: MIT */
/* live.h: keeps a running server's content live. A background thread
 * checks, about once a second, whether the store holds changes the index
 * has not seen (an import with --no-index, a review decision, a delete)
 * and applies them to the index, then whether the index's MANIFEST has
 * changed (a commit by this thread, by `galen import` or `galen index`, or
 * a rebuild) and, if so, swaps in a new engine snapshot. Requests in
 * flight finish on the old one. live_kick (SIGHUP) forces a reload now. */
#ifndef GALEN_HTTPD_LIVE_H
#define GALEN_HTTPD_LIVE_H

#include <stdint.h>

#include "common.h"

struct app;
struct live;

/* Starts the watcher over data_dir, checking every interval_ms (0: 1000).
 * GALEN_OK or GALEN_ENOMEM. Caller stops it with live_stop before closing
 * the app. */
GALEN_NODISCARD int live_start(struct app *app, const char *data_dir,
                               unsigned interval_ms, struct live **out);

/* Asks for a forced reload of the index, lexicon and red-flag rules at
 * once (async-signal-unsafe: call it from the thread that took SIGHUP
 * with sigwait). */
void live_kick(struct live *l);

/* Stops and joins the thread. NULL is a no-op. */
void live_stop(struct live *l);

/* Counters for /metrics. */
struct live_stats {
    uint64_t reloads;       /* snapshots swapped in */
    uint64_t reload_errors; /* reloads that failed (the old one stayed) */
    uint64_t index_updates; /* store changes applied to the index */
    uint64_t store_errors;  /* store or index errors while doing so */
};

void live_get_stats(struct live *l, struct live_stats *out);

#endif
