/* SPDX-License-Identifier: MIT */
/* api.h: helpers the JSON handlers share: sending a cJSON tree, parsing a
 * request body, reading typed fields and query parameters with limits. A
 * malformed request always ends as a 400 with a JSON error. */
#ifndef GALEN_HTTPD_API_H
#define GALEN_HTTPD_API_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "app.h"

/* Prints root as the response with status and frees it. NULL root (an
 * allocation failed while building it) becomes a 500. */
void api_send(struct ctx *c, int status, cJSON *root);

/* Parses the request body as a JSON object. Returns it (caller frees with
 * cJSON_Delete), or NULL after writing a 400 (malformed, not an object,
 * invalid text) to the response. An empty body gives an empty object. */
cJSON *api_body(struct ctx *c);

/* The string field key of obj, or NULL if absent or not a string. When
 * present it must be clean text (UTF-8, no control bytes) of at most max
 * bytes, else *bad is set to true. */
const char *api_str(const cJSON *obj, const char *key, size_t max, bool *bad);

/* A request input: the JSON body's field (for POST with JSON) or the
 * query/form parameter of that name. */
const char *api_input(struct ctx *c, const cJSON *body, const char *key,
                      size_t max, bool *bad);

/* Parses query parameter key as an integer in [min, max]; absent gives
 * def. Returns false (after writing a 400) when malformed. */
bool api_query_long(struct ctx *c, const char *key, long def, long min,
                    long max, long *out);

/* Adds s to obj under key as a string, or JSON null for NULL. */
void api_add_str(cJSON *obj, const char *key, const char *s);

/* Adds Unix time t as an ISO 8601 UTC string. */
void api_add_time(cJSON *obj, const char *key, long long t);

/* A service_docs callback: appends r to the cJSON array ctx as an object
 * (id, title, kind, status, updated_at, version). Returns 0. */
int api_doc_row(void *ctx, const struct galen_doc_row *r);

#endif
