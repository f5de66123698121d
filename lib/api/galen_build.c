/* SPDX-License-Identifier: MIT */
/* galen_build.c: galen_index_build, which reads BEIR JSONL corpora (one JSON
 * object per line: "_id", "title", "text"; any other members are kept as
 * the document's metadata blob) into the index writer. Lines are read into
 * a capped buffer and parsed one at a time with cJSON, so memory does not
 * grow with the corpus; a bad line stops the build with its file:line. */
#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <galen/error.h>
#include <galen/search.h>

#include "base/buf.h"
#include "base/mem.h"
#include "content/datadir.h"
#include "galen_search.h"
#include "index/index.h"

enum {
    LINE_MAX_BYTES = 64u << 20, /* one JSONL record */
    PROGRESS_EVERY = 256,       /* records between progress calls */
    BUILD_PATH_MAX = 4096
};

struct builder {
    const struct galen_build_opts *o;
    struct index_writer *w;
    int title_f, body_f;
    uint64_t done, total, docs, text_bytes;
    const char *path;
    long line;
    struct buf buf; /* the current line */
};

void galen_build_opts_init(struct galen_build_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = "beir";
    o->k1 = -1;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads one line (without its newline) into b->buf. Returns GALEN_OK,
 * GALEN_ENOENT at end of file, GALEN_EIO or GALEN_ETOOBIG. */
static int read_line(struct builder *b, FILE *f)
{
    char chunk[8192];
    int rc = GALEN_OK;
    bool any = false;

    buf_reset(&b->buf);
    while (fgets(chunk, sizeof chunk, f)) {
        size_t n = strlen(chunk);

        any = true;
        b->done += n;
        if (n > 0 && chunk[n - 1] == '\n') {
            buf_put(&rc, &b->buf, chunk, n - 1);
            return rc;
        }
        buf_put(&rc, &b->buf, chunk, n);
        if (rc != GALEN_OK)
            return rc;
    }
    if (ferror(f))
        return GALEN_EIO;
    return any ? rc : GALEN_ENOENT;
}

/* A bad record: the message names file:line. */
static int bad(const struct builder *b, const char *what, const char *name)
{
    return galen_set_error(GALEN_EPARSE, -1, "%s:%ld: %s%s", b->path, b->line,
                           name, what);
}

/* The string value of member name of j, "" when absent or null. */
static int member(const struct builder *b, cJSON *j, const char *name,
                  struct str *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);

    *out = STR_LIT("");
    if (!v || cJSON_IsNull(v))
        return GALEN_OK;
    if (!cJSON_IsString(v))
        return bad(b, " is not a string", name);
    *out = str_from(v->valuestring);
    return GALEN_OK;
}

/* The record's id: a string, or an integral number written in decimal. */
static int record_id(const struct builder *b, cJSON *j, char *num, size_t cap,
                     struct str *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "_id");

    if (cJSON_IsString(v) && v->valuestring[0]) {
        *out = str_from(v->valuestring);
        return GALEN_OK;
    }
    if (cJSON_IsNumber(v) &&
        v->valuedouble == (double)(long long)v->valuedouble) {
        snprintf(num, cap, "%lld", (long long)v->valuedouble);
        *out = str_from(num);
        return GALEN_OK;
    }
    return bad(b, "missing or empty _id", "");
}

/* Everything but _id, title and text, as compact JSON; NULL if nothing. */
static char *record_meta(cJSON *j)
{
    static const char *const known[] = {"_id", "title", "text"};
    cJSON *rest = cJSON_CreateObject();
    const cJSON *it;
    char *s = NULL;
    size_t i;

    if (!rest)
        return NULL;
    cJSON_ArrayForEach(it, j)
    {
        for (i = 0; i < ARRAY_SIZE(known); i++) {
            if (it->string && strcmp(it->string, known[i]) == 0)
                break;
        }
        if (i == ARRAY_SIZE(known) && it->string)
            cJSON_AddItemReferenceToObject(rest, it->string, (cJSON *)it);
    }
    if (rest->child)
        s = cJSON_PrintUnformatted(rest);
    cJSON_Delete(rest);
    return s;
}

/* The writer's message for its last failure, else the code's. */
static const char *writer_msg(const struct builder *b, int rc)
{
    const char *m = index_writer_errmsg(b->w);

    return *m ? m : galen_strerror(rc);
}

static int add_record(struct builder *b, cJSON *j)
{
    struct index_doc d;
    char num[32];
    char *meta;
    int rc;

    memset(&d, 0, sizeof d);
    rc = record_id(b, j, num, sizeof num, &d.id);
    if (rc == GALEN_OK && b->title_f >= 0)
        rc = member(b, j, "title", &d.field[b->title_f]);
    if (rc == GALEN_OK)
        rc = member(b, j, "text", &d.field[b->body_f]);
    if (rc != GALEN_OK)
        return rc;
    meta = record_meta(j);
    d.meta = meta ? str_from(meta) : STR_LIT("");
    rc = index_writer_add(b->w, &d);
    cJSON_free(meta);
    if (rc == GALEN_EINVAL)
        return bad(b, "invalid _id (1 to 255 bytes)", "");
    if (rc == GALEN_ETOOBIG)
        return bad(b, "document too large", "");
    if (rc != GALEN_OK)
        return galen_set_error(rc, -1, "%s:%ld: %s", b->path, b->line,
                               writer_msg(b, rc));
    b->docs++;
    b->text_bytes += d.field[b->body_f].len +
                     (b->title_f >= 0 ? d.field[b->title_f].len : 0);
    return GALEN_OK;
}

static int one_line(struct builder *b)
{
    const char *p = (const char *)b->buf.data;
    size_t n = b->buf.len;
    cJSON *j;
    int rc;

    if (b->line == 1 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
        p += 3; /* a UTF-8 byte order mark */
        n -= 3;
    }
    while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0)
        return GALEN_OK;
    j = cJSON_ParseWithLength(p, n);
    if (!j || !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return bad(b, "not a JSON object", "");
    }
    rc = add_record(b, j);
    cJSON_Delete(j);
    return rc;
}

static int progress(struct builder *b)
{
    if (!b->o->progress ||
        b->o->progress(b->o->progress_ctx, b->done, b->total, b->docs) == 0)
        return GALEN_OK;
    return galen_set_error(GALEN_EABORT, -1, "build aborted");
}

static int read_file(struct builder *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    int rc = GALEN_OK;

    if (!f)
        return galen_set_error(GALEN_EIO, -1, "%s: %s", path, strerror(errno));
    b->path = path;
    b->line = 0;
    while (rc == GALEN_OK) {
        rc = read_line(b, f);
        b->line++;
        if (rc == GALEN_ETOOBIG)
            rc = bad(b, "line too long", "");
        else if (rc == GALEN_EIO)
            rc = galen_set_error(rc, -1, "%s: read error", path);
        else if (rc == GALEN_OK)
            rc = one_line(b);
        if (rc == GALEN_OK && b->docs % PROGRESS_EVERY == 0)
            rc = progress(b);
    }
    fclose(f);
    return rc == GALEN_ENOENT ? GALEN_OK : rc;
}

/* The configuration the index has, or will have if it is created now. */
static int index_conf_for(const char *dir, const struct galen_build_opts *o,
                          struct index_conf *conf)
{
    double w[INDEX_MAX_FIELDS], bv[INDEX_MAX_FIELDS];
    struct index *idx;
    unsigned f;
    int rc = index_open(dir, &idx);

    if (rc == GALEN_OK) {
        *conf = *index_get_conf(idx);
        index_close(idx);
        return GALEN_OK;
    }
    index_conf_default(conf);
    if (o->k1 >= 0)
        conf->k1 = (float)o->k1;
    for (f = 0; f < conf->nfields; f++) {
        w[f] = conf->field[f].weight;
        bv[f] = conf->field[f].b;
    }
    rc = galen_apply_field_params(conf, o->field, o->nfield, w, bv);
    for (f = 0; f < conf->nfields; f++) {
        conf->field[f].weight = (float)w[f];
        conf->field[f].b = (float)bv[f];
    }
    return rc;
}

static int check_opts(const struct galen_build_opts *o)
{
    if (o->format && strcmp(o->format, "beir") != 0)
        return galen_set_error(GALEN_EINVAL, -1, "unknown format '%s'",
                               o->format);
    if (o->k1 > 100)
        return galen_set_error(GALEN_EINVAL, -1, "k1 must be 0..100");
    return GALEN_OK;
}

static uint64_t total_size(const char *const *paths, size_t n)
{
    uint64_t total = 0;
    struct stat st;
    size_t i;

    for (i = 0; i < n; i++) {
        if (stat(paths[i], &st) == 0)
            total += (uint64_t)st.st_size;
    }
    return total;
}

static int open_writer(const char *data_dir, struct builder *b,
                       const struct galen_build_opts *o)
{
    char dir[BUILD_PATH_MAX];
    struct index_conf conf;
    int rc;

    if (datadir_index_path(data_dir, dir, sizeof dir) != GALEN_OK)
        return galen_set_error(GALEN_EINVAL, -1, "data path too long");
    if (mkdir(data_dir, 0755) != 0 && errno != EEXIST)
        return galen_set_error(GALEN_EIO, -1, "%s: %s", data_dir,
                               strerror(errno));
    rc = index_conf_for(dir, o, &conf);
    if (rc != GALEN_OK)
        return rc;
    b->title_f = galen_field_index(&conf, "title");
    b->body_f = galen_field_index(&conf, "body");
    if (b->body_f < 0)
        return galen_set_error(GALEN_EINVAL, -1,
                               "the index has no \"body\" field");
    rc = index_writer_open(dir, &conf, &b->w);
    if (rc != GALEN_OK)
        return galen_set_error(rc, -1, "%s: %s", dir, galen_strerror(rc));
    return GALEN_OK;
}

static int finish(struct builder *b)
{
    int rc = index_writer_commit(b->w);

    if (rc == GALEN_OK && b->o->merge)
        rc = index_writer_merge(b->w, 1);
    if (rc != GALEN_OK)
        return galen_set_error(rc, -1, "commit failed: %s", writer_msg(b, rc));
    return progress(b);
}

int galen_index_build(const char *data_dir, const char *const *paths,
                      size_t npaths, const struct galen_build_opts *o,
                      struct galen_build_stats *stats)
{
    struct builder b;
    struct index_write_stats ws;
    double t0 = now();
    size_t i;
    int rc;

    galen_set_error(GALEN_OK, -1, "%s", "");
    memset(&b, 0, sizeof b);
    b.o = o;
    rc = check_opts(o);
    if (rc == GALEN_OK)
        rc = open_writer(data_dir, &b, o);
    if (rc != GALEN_OK)
        return rc;
    buf_init(&b.buf, LINE_MAX_BYTES);
    b.total = total_size(paths, npaths);
    for (i = 0; i < npaths && rc == GALEN_OK; i++)
        rc = read_file(&b, paths[i]);
    if (rc == GALEN_OK)
        rc = finish(&b);
    if (rc == GALEN_OK && stats) {
        index_writer_stats(b.w, &ws);
        stats->docs = b.docs;
        stats->text_bytes = b.text_bytes;
        stats->terms = ws.terms;
        stats->index_bytes = ws.index_bytes;
        stats->store_bytes = ws.store_bytes;
        stats->seconds = now() - t0;
    }
    index_writer_close(b.w);
    buf_cleanup(&b.buf);
    return rc;
}
