/* SPDX-License-Identifier: MIT */
/* service_diff.c: what an editor compares between two versions of a
 * document. Versions are the store's JSON snapshots (doc_to_json); they are
 * flattened to lines (title, "## heading", paragraphs) and compared with a
 * textbook LCS table, which is O(n*m) and so capped at
 * GALEN_DIFF_MAX_LINES lines a side (4M cells of 4 bytes at most). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/mem.h"
#include "content/doc.h"
#include "content/store.h"
#include "service.h"
#include "service_internal.h"

int service_doc_versions(struct galen_service *svc, const char *doc_id,
                         int (*cb)(void *ctx, long long version,
                                   const char *status, const char *created_at),
                         void *ctx)
{
    struct db_stmt *s;
    int step = DB_DONE;
    int rc = service_prep(svc,
                          "SELECT version,status,created_at FROM doc_versions"
                          " WHERE doc_id=?1 ORDER BY version",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, doc_id);
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW)
        rc = cb(ctx, db_col_int64(s, 0), service_col(s, 1), service_col(s, 2));
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}

static const char *json_s(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Flattens a doc_to_json snapshot into diffable lines. */
static int flatten(const char *json, char **out)
{
    cJSON *root = cJSON_Parse(json);
    const cJSON *sec;
    struct buf b;
    int rc = GALEN_OK;

    if (!root)
        return GALEN_ECORRUPT;
    buf_init(&b, (size_t)64 << 20);
    buf_printf(&rc, &b, "# %s\n",
               json_s(root, "title") ? json_s(root, "title") : "");
    cJSON_ArrayForEach(sec, cJSON_GetObjectItemCaseSensitive(root, "sections"))
    {
        const char *h = json_s(sec, "heading");
        const char *t = json_s(sec, "text");

        if (h && *h)
            buf_printf(&rc, &b, "\n## %s\n", h);
        if (t)
            buf_printf(&rc, &b, "%s\n", t);
    }
    buf_put_nul(&rc, &b);
    cJSON_Delete(root);
    if (rc != GALEN_OK) {
        buf_cleanup(&b);
        return rc;
    }
    *out = (char *)buf_take(&b, NULL);
    return GALEN_OK;
}

int service_doc_text(struct galen_service *svc, const char *doc_id,
                     long long version, char **out)
{
    struct galen_store *st = service_store(svc);
    struct doc *d = NULL;
    char *json = NULL;
    int rc;

    if (version > 0) {
        rc = store_get_version(st, doc_id, version, &json);
        /* The current version is not in doc_versions; fall back to it. */
        if (rc == GALEN_ENOENT) {
            int64_t cur;
            enum doc_status status;

            if (store_doc_version(st, doc_id, &cur, &status) == GALEN_OK &&
                cur == version)
                version = 0;
        }
    }
    if (version <= 0) {
        rc = store_get(st, doc_id, &d);
        if (rc == GALEN_OK)
            rc = doc_to_json(d, &json);
        doc_free(d);
    }
    if (rc == GALEN_OK)
        rc = flatten(json, out);
    galen_free(json);
    return rc;
}

struct lines {
    const char **p;
    size_t *len;
    size_t n;
};

static int split(const char *s, struct lines *l)
{
    size_t cap = 1;
    const char *q;

    for (q = s; *q; q++)
        cap += *q == '\n';
    l->p = galen_calloc(cap, sizeof *l->p);
    l->len = galen_calloc(cap, sizeof *l->len);
    l->n = 0;
    if (!l->p || !l->len)
        return GALEN_ENOMEM;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);

        l->p[l->n] = s;
        l->len[l->n++] = n;
        s += n + (nl ? 1 : 0);
    }
    return GALEN_OK;
}

static bool line_eq(const struct lines *a, size_t i, const struct lines *b,
                    size_t j)
{
    return a->len[i] == b->len[j] && memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

/* Walks the LCS table forward, emitting the edit script. */
static int emit(const struct lines *a, const struct lines *b, const uint32_t *t,
                int (*cb)(void *, char, const char *, size_t), void *ctx)
{
    size_t i = 0;
    size_t j = 0;
    size_t w = b->n + 1;
    int rc = GALEN_OK;

    while (rc == GALEN_OK && (i < a->n || j < b->n)) {
        if (i < a->n && j < b->n && line_eq(a, i, b, j)) {
            rc = cb(ctx, ' ', a->p[i], a->len[i]);
            i++;
            j++;
        } else if (i < a->n &&
                   (j == b->n || t[(i + 1) * w + j] >= t[i * w + j + 1])) {
            rc = cb(ctx, '-', a->p[i], a->len[i]);
            i++;
        } else {
            rc = cb(ctx, '+', b->p[j], b->len[j]);
            j++;
        }
    }
    return rc;
}

/* t[i][j] = LCS length of a[i..] and b[j..]. */
static uint32_t *lcs_table(const struct lines *a, const struct lines *b)
{
    size_t w = b->n + 1;
    uint32_t *t = galen_calloc((a->n + 1) * w, sizeof *t);
    size_t i;
    size_t j;

    if (!t)
        return NULL;
    for (i = a->n; i-- > 0;) {
        for (j = b->n; j-- > 0;) {
            if (line_eq(a, i, b, j))
                t[i * w + j] = t[(i + 1) * w + j + 1] + 1;
            else
                t[i * w + j] = MAX(t[(i + 1) * w + j], t[i * w + j + 1]);
        }
    }
    return t;
}

int service_diff(const char *a, const char *b,
                 int (*cb)(void *ctx, char op, const char *line, size_t len),
                 void *ctx)
{
    struct lines la = {0};
    struct lines lb = {0};
    uint32_t *t = NULL;
    size_t i;
    int rc = split(a, &la);

    if (rc == GALEN_OK)
        rc = split(b, &lb);
    if (rc != GALEN_OK)
        goto out;
    if (la.n > GALEN_DIFF_MAX_LINES || lb.n > GALEN_DIFF_MAX_LINES) {
        for (i = 0; rc == GALEN_OK && i < la.n; i++)
            rc = cb(ctx, '-', la.p[i], la.len[i]);
        for (i = 0; rc == GALEN_OK && i < lb.n; i++)
            rc = cb(ctx, '+', lb.p[i], lb.len[i]);
        goto out;
    }
    t = lcs_table(&la, &lb);
    rc = t ? emit(&la, &lb, t, cb, ctx) : GALEN_ENOMEM;
out:
    galen_free(t);
    galen_free(la.p);
    galen_free(la.len);
    galen_free(lb.p);
    galen_free(lb.len);
    return rc;
}
