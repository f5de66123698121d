/* SPDX-License-Identifier: MIT */
/* json_body.h: strict parsing of JSON request bodies. cJSON alone accepts
 * what galen must refuse: data after the value ({...}garbage, {...}{...}),
 * duplicate keys (the first one wins, so two parsers of one body can
 * disagree), and \u0000 (the C string stops there, so
 * {"name":"patient1\u0000x"} reads as "patient1"). */
#ifndef GALEN_HTTPD_JSON_BODY_H
#define GALEN_HTTPD_JSON_BODY_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* Parses body[0..len) as exactly one JSON object. Returns the tree (caller
 * frees with cJSON_Delete), or NULL with *why set to a static reason: not
 * JSON, not an object, trailing data, a duplicate key, a NUL or control
 * character in a string, or nesting deeper than JSON_BODY_MAX_DEPTH. */
enum { JSON_BODY_MAX_DEPTH = 32 };

cJSON *json_body_parse(const char *body, size_t len, const char **why);

#endif
