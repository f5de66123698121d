/* SPDX-License-Identifier: MIT */
/* fuzz_json_body.c: the strict parser of JSON request bodies
 * (httpd/json_body.c) on arbitrary bytes. Whatever it accepts must be one
 * object without duplicate keys whose strings hold no NUL, and printing it
 * and parsing the print again must be accepted too. */
#include <stdlib.h>
#include <string.h>

#include "../httpd/json_body.h"
#include "fuzz.h"

/* Checks the invariants of an accepted tree. */
static void check_tree(const cJSON *it)
{
    const cJSON *c;
    const cJSON *d;

    for (c = it->child; c; c = c->next) {
        if (cJSON_IsObject(it))
            for (d = c->next; d; d = d->next)
                if (strcmp(c->string, d->string) == 0)
                    abort(); /* a duplicate key got through */
        check_tree(c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *why = NULL;
    cJSON *root = json_body_parse((const char *)data, size, &why);
    char *text;
    cJSON *again;

    if (!why)
        abort();
    if (!root)
        return 0;
    if (!cJSON_IsObject(root) || memchr(data, '\0', size))
        abort();
    check_tree(root);
    text = cJSON_PrintUnformatted(root);
    if (text) {
        again = json_body_parse(text, strlen(text), &why);
        if (!again)
            abort(); /* what we print, we must read back */
        cJSON_Delete(again);
        cJSON_free(text);
    }
    cJSON_Delete(root);
    return 0;
}
