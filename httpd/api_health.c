/* SPDX-License-Identifier: MIT */
/* api_health.c: the probes. GET /api/health is liveness: 200 whenever the
 * server answers at all. GET /api/ready is readiness: 503 until the index,
 * the lexicon and the red-flag rules are loaded, since galen must not
 * answer without its safety files. GET /metrics is the Prometheus text
 * exposition (metrics.h). */
#include <cjson/cJSON.h>

#include <galen/error.h>

#include "api.h"
#include "engine.h"
#include "handlers.h"
#include "metrics.h"

void api_health(struct ctx *c)
{
    cJSON *root = cJSON_CreateObject();

    cJSON_AddStringToObject(root, "status", "ok");
    cJSON_AddStringToObject(root, "version", GALEN_VERSION);
    cJSON_AddBoolToObject(root, "store", c->app->has_store);
    cJSON_AddBoolToObject(root, "engine", engine_ready(c->app->engine));
    api_send(c, 200, root);
}

void api_ready(struct ctx *c)
{
    cJSON *root = cJSON_CreateObject();
    bool index = engine_ready(c->app->engine);
    bool files = engine_has_safety_files(c->app->engine);
    uint64_t gen = 0, docs = 0;

    (void)engine_stats(c->app->engine, &gen, &docs);
    cJSON_AddBoolToObject(root, "ready", index && files);
    cJSON_AddBoolToObject(root, "index", index);
    /* Both files load with the index snapshot, or the engine has none. */
    cJSON_AddBoolToObject(root, "lexicon", files && index);
    cJSON_AddBoolToObject(root, "redflags", files && index);
    cJSON_AddNumberToObject(root, "index_generation", (double)gen);
    cJSON_AddNumberToObject(root, "documents", (double)docs);
    api_send(c, index && files ? 200 : 503, root);
}

void page_metrics(struct ctx *c)
{
    struct metrics_gauges g = {0, 0, false};
    int rc;

    (void)engine_stats(c->app->engine, &g.index_generation, &g.index_documents);
    g.ready =
        engine_ready(c->app->engine) && engine_has_safety_files(c->app->engine);
    rc = metrics_render(c->app->metrics, &g, &c->resp->body);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "cannot render metrics");
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    c->resp->cache = "no-store";
}
