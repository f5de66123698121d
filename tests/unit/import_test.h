/* SPDX-License-Identifier: MIT */
/* import_test.h: helpers shared by the importer and store tests (included
 * by one test file each, so everything here is static): a sink that keeps
 * each emitted document as parsed JSON, and a store in a temporary folder
 * (test_util.h makes the folder). */
#ifndef GALEN_IMPORT_TEST_H
#define GALEN_IMPORT_TEST_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "content/doc.h"
#include "content/store.h"
#include "import/import.h"
#include "store_test.h"
#include "test_util.h"

enum { COLLECT_MAX = 64 };

struct collected {
    cJSON *doc[COLLECT_MAX]; /* doc_to_json of each document, parsed */
    size_t n;
    long bad_line[COLLECT_MAX];
    char bad_msg[COLLECT_MAX][200];
    size_t nbad;
    size_t nskip;
    uint64_t progress;
};

static inline int collect_doc(void *ctx, struct doc *d, long line)
{
    struct collected *c = ctx;
    char *json = NULL;

    (void)line;
    if (c->n >= COLLECT_MAX || doc_to_json(d, &json) != 0)
        return GALEN_ENOMEM;
    c->doc[c->n] = cJSON_Parse(json);
    galen_free(json);
    if (!c->doc[c->n])
        return GALEN_ENOMEM;
    c->n++;
    return GALEN_OK;
}

static inline int collect_bad(void *ctx, long line, const char *msg)
{
    struct collected *c = ctx;

    if (c->nbad < COLLECT_MAX) {
        c->bad_line[c->nbad] = line;
        snprintf(c->bad_msg[c->nbad], sizeof c->bad_msg[0], "%s", msg);
    }
    c->nbad++;
    return GALEN_OK;
}

static inline void collect_skip(void *ctx, long line, const char *why)
{
    struct collected *c = ctx;

    (void)line;
    (void)why;
    c->nskip++;
}

static inline void collect_progress(void *ctx, uint64_t bytes)
{
    struct collected *c = ctx;

    c->progress = bytes;
}

static inline struct import_sink collect_sink(struct collected *c)
{
    struct import_sink s = {collect_doc, collect_bad, collect_skip,
                            collect_progress, c};

    memset(c, 0, sizeof *c);
    return s;
}

static inline void collect_free(struct collected *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        cJSON_Delete(c->doc[i]);
    c->n = 0;
}

/* The collected document with this id, or NULL. */
static inline const cJSON *collected(const struct collected *c, const char *id)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->doc[i], "id");

        if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
            return c->doc[i];
    }
    return NULL;
}

/* A string member of a JSON object, or NULL. */
static inline const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline int jlen(const cJSON *o, const char *key)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Item i of array member key, as a string. */
static inline const char *jat(const cJSON *o, const char *key, int i)
{
    const cJSON *v =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, key), i);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A store in a fresh temporary folder (or PostgreSQL schema). */
struct tmp_store {
    char dir[TMP_DIR_MAX];
    char path[256]; /* dir/store.db, or a PostgreSQL URL */
    struct galen_store *st;
};

/* Makes the folder and opens a new store in it; false if it cannot. */
static inline bool tmp_store_open(struct tmp_store *t)
{
    tmp_dir(t->dir);
    test_store_target(t->dir, "store.db", t->path, sizeof t->path);
    return galen_store_open(t->path, &t->st) == GALEN_OK;
}

/* Closes the store and removes its folder: 0, or -1 if that failed. */
static inline int tmp_store_close(struct tmp_store *t)
{
    galen_store_close(t->st);
    return tmp_rm(t->dir);
}

#endif
