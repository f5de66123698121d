/* SPDX-License-Identifier: MIT */
/* galen_store.c: the public store API (galen/store.h) over lib/content. A
 * failed open leaves *out NULL. */
#include <stdio.h>
#include <stdlib.h>

#include <galen/error.h>
#include <galen/store.h>

#include "content/datadir.h"
#include "content/db.h"
#include "content/store.h"

int galen_data_store_path(const char *data_dir, char *out, size_t cap)
{
    const char *env = getenv("GALEN_STORE");

    if (env && *env) {
        if ((size_t)snprintf(out, cap, "%s", env) < cap)
            return GALEN_OK;
        if (cap)
            out[0] = '\0';
        return GALEN_EINVAL;
    }
    return datadir_store_path(data_dir, out, cap);
}

bool galen_store_is_url(const char *path)
{
    return db_is_url(path);
}

int galen_data_index_path(const char *data_dir, char *out, size_t cap)
{
    return datadir_index_path(data_dir, out, cap);
}

int galen_store_check(struct galen_store *st)
{
    return store_check(st);
}

void galen_store_close(struct galen_store *st)
{
    store_close(st);
}

int galen_store_counts(struct galen_store *st, struct galen_store_counts *out)
{
    return store_counts(st, out);
}

const char *galen_store_errmsg(const struct galen_store *st)
{
    return store_errmsg(st);
}

int galen_store_index_update(struct galen_store *st, const char *index_dir,
                             void (*progress)(void *ctx, uint64_t done,
                                              uint64_t total),
                             void *ctx, struct galen_store_index_stats *stats)
{
    return store_index_update(st, index_dir, progress, ctx, stats);
}

int galen_store_index_rebuild(struct galen_store *st, const char *index_dir,
                              void (*progress)(void *ctx, uint64_t done,
                                               uint64_t total),
                              void *ctx, struct galen_store_index_stats *stats)
{
    return store_index_rebuild(st, index_dir, progress, ctx, stats);
}

int galen_store_index_pending(struct galen_store *st, bool *pending)
{
    return store_index_pending(st, pending);
}

int galen_store_open(const char *path, struct galen_store **out)
{
    int rc = store_open(path, out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}
