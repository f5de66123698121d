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

#include <stdbool.h>

#include "common.h"

struct app;
struct live;

/* Starts the watcher over data_dir, checking every interval_ms (0: 1000).
 * With follow (a replica of a shared store), it applies the store's change
 * log to data_dir's own index (galen_store_index_follow), building it
 * first when the folder has none, instead of using the store's single set
 * of index marks. GALEN_OK or GALEN_ENOMEM. Caller stops it with
 * live_stop before closing the app. */
GALEN_NODISCARD int live_start(struct app *app, const char *data_dir,
                               bool follow, unsigned interval_ms,
                               struct live **out);

/* Asks for a forced reload of the index, lexicon and red-flag rules at
 * once (async-signal-unsafe: call it from the thread that took SIGHUP
 * with sigwait). */
void live_kick(struct live *l);

/* Stops and joins the thread. NULL is a no-op. */
void live_stop(struct live *l);

#endif
