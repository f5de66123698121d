/* SPDX-License-Identifier: MIT */
/* api_health.c: GET /api/health, for load balancers and the tests: whether
 * the store and the answer engine are available, and the version. */
#include <cjson/cJSON.h>

#include <galen/error.h>

#include "api.h"
#include "engine.h"
#include "handlers.h"

void api_health(struct ctx *c)
{
    cJSON *root = cJSON_CreateObject();

    cJSON_AddStringToObject(root, "status", "ok");
    cJSON_AddStringToObject(root, "version", GALEN_VERSION);
    cJSON_AddBoolToObject(root, "store", c->app->has_store);
    cJSON_AddBoolToObject(root, "engine", engine_ready(c->app->engine));
    api_send(c, 200, root);
}
