/* SPDX-License-Identifier: MIT */
/* json_body.c: see json_body.h. A byte scan first (strings, escapes,
 * depth), because after cJSON has decoded a string its true length is lost;
 * then cJSON with the end position checked; then a walk for duplicate keys,
 * sorting each object's names so that a body of many keys costs n log n. */
#include "json_body.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Refuses NUL bytes, raw control bytes in strings, escapes of control
 * characters other than tab, newline and carriage return, and nesting
 * deeper than the limit. Grammar is left to cJSON. */
static bool scan(const char *s, size_t n, const char **why)
{
    bool in_str = false;
    int depth = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == 0) {
            *why = "NUL byte in the body";
            return false;
        }
        if (!in_str) {
            if (ch == '"')
                in_str = true;
            else if ((ch == '{' || ch == '[') &&
                     ++depth > JSON_BODY_MAX_DEPTH) {
                *why = "JSON nested too deeply";
                return false;
            } else if (ch == '}' || ch == ']')
                depth--;
            continue;
        }
        if (ch < 0x20) {
            *why = "control character in a JSON string";
            return false;
        }
        if (ch == '"') {
            in_str = false;
        } else if (ch == '\\' && i + 1 < n) {
            i++;
            if (s[i] == 'u' && i + 4 < n) {
                int hi = hexval(s[i + 3]);
                int lo = hexval(s[i + 4]);
                int cp = hi >= 0 && lo >= 0 ? hi * 16 + lo : 0x7f;

                /* \u00XX with XX < 0x20, other than tab, LF and CR. */
                if (s[i + 1] == '0' && s[i + 2] == '0' && cp < 0x20 &&
                    cp != '\t' && cp != '\n' && cp != '\r') {
                    *why = cp == 0 ? "\\u0000 in a JSON string"
                                   : "control character in a JSON string";
                    return false;
                }
            }
        }
    }
    return true;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True if no object in the tree under it has two members of one name. */
static bool unique_keys(const cJSON *it, const char **why)
{
    const cJSON *c;
    const char **names;
    size_t n = 0;
    size_t i;
    bool ok = true;

    for (c = it->child; c; c = c->next) {
        if (!unique_keys(c, why))
            return false;
        n++;
    }
    if (!cJSON_IsObject(it) || n < 2)
        return true;
    names = galen_calloc(n, sizeof *names);
    if (!names) {
        *why = "out of memory";
        return false;
    }
    for (i = 0, c = it->child; c; c = c->next)
        names[i++] = c->string ? c->string : "";
    qsort(names, n, sizeof *names, cmp_name);
    for (i = 1; i < n && ok; i++)
        ok = strcmp(names[i - 1], names[i]) != 0;
    galen_free(names);
    if (!ok)
        *why = "duplicate key in the JSON body";
    return ok;
}

cJSON *json_body_parse(const char *body, size_t len, const char **why)
{
    const char *end = NULL;
    cJSON *root;
    size_t at;

    *why = "the body is not a JSON object";
    if (!body || !scan(body, len, why))
        return NULL;
    root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (!root)
        return NULL;
    at = end ? (size_t)(end - body) : len;
    while (at < len && (body[at] == ' ' || body[at] == '\t' ||
                        body[at] == '\n' || body[at] == '\r'))
        at++;
    if (at != len) {
        *why = "data after the JSON value";
        cJSON_Delete(root);
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        *why = "the body is not a JSON object";
        cJSON_Delete(root);
        return NULL;
    }
    if (!unique_keys(root, why)) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}
