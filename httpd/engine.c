/* SPDX-License-Identifier: MIT */
/* engine.c: adapter from the web service to the answer engine. Until the
 * answer engine's public entry points (galen_answerer_open, galen_ask,
 * galen_similar_find) are linked in, no data folder has an engine:
 * engine_open reports none and the pages say the answer engine is
 * unavailable. */
#include "engine.h"

#include <galen/error.h>

int engine_open(const char *data_dir, struct engine_conf *conf,
                struct engine **out)
{
    UNUSED(data_dir);
    UNUSED(conf);
    *out = NULL;
    return GALEN_OK;
}

void engine_close(struct engine *e)
{
    UNUSED(e);
}

int engine_answer(struct engine *e, const char *q, enum engine_audience a,
                  struct buf *html, struct buf *json)
{
    UNUSED(e);
    UNUSED(q);
    UNUSED(a);
    UNUSED(html);
    UNUSED(json);
    return GALEN_ENOENT;
}

int engine_similar(struct engine *e, const char *q, size_t k,
                   int (*cb)(void *ctx, const struct engine_hit *h), void *ctx)
{
    UNUSED(e);
    UNUSED(q);
    UNUSED(k);
    UNUSED(cb);
    UNUSED(ctx);
    return GALEN_ENOENT;
}

int engine_search(struct engine *e, const char *q, size_t k,
                  int (*cb)(void *ctx, const struct engine_hit *h), void *ctx)
{
    UNUSED(e);
    UNUSED(q);
    UNUSED(k);
    UNUSED(cb);
    UNUSED(ctx);
    return GALEN_ENOENT;
}
