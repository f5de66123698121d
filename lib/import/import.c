/* SPDX-License-Identifier: MIT */
/* import.c: the import driver behind galen_import_paths. It expands folders
 * into a sorted file list, runs the format's parser on each file, and upserts
 * what the parser emits. Transactions: one per file for formats with one
 * or a few documents per file (medquad, article) and for MedlinePlus,
 * whose one file of a few thousand topics imports whole or not at all;
 * one per batch of
 * IMPORT_BATCH records for record streams (pubmed, beir), whose files can
 * hold millions. Counts made inside a transaction are only added to the
 * totals when it commits, so a rolled-back file counts as one failure and
 * nothing else. */
#include "import.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <galen/error.h>

#include "article.h"
#include "base/error.h"
#include "base/mem.h"
#include "beir.h"
#include "content/store.h"
#include "medlineplus.h"
#include "medquad.h"
#include "pubmed.h"

enum { IMPORT_BATCH = 1000, IMPORT_MAX_DEPTH = 32, IMPORT_PATH_MAX = 4096 };

static const char *const format_names[] = {"medquad", "pubmed", "beir",
                                           "article", "medlineplus"};

int import_format_parse(const char *name, enum galen_import_format *out)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(format_names); i++) {
        if (name && strcmp(name, format_names[i]) == 0) {
            *out = (enum galen_import_format)i;
            return GALEN_OK;
        }
    }
    return GALEN_EINVAL;
}

/* ---- the file list ----------------------------------------------------- */

struct file_list {
    char **path;
    uint64_t *size;
    size_t n, cap;
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool wanted(enum galen_import_format fmt, const char *name)
{
    switch (fmt) {
    case GALEN_IMPORT_MEDQUAD:
        return ends_with(name, ".xml") || ends_with(name, ".xml.gz");
    case GALEN_IMPORT_PUBMED:
        return ends_with(name, ".xml") || ends_with(name, ".xml.gz");
    case GALEN_IMPORT_BEIR:
        return ends_with(name, ".jsonl") || ends_with(name, ".jsonl.gz");
    case GALEN_IMPORT_ARTICLE:
        return ends_with(name, ".md");
    case GALEN_IMPORT_MEDLINEPLUS:
        return ends_with(name, ".xml") || ends_with(name, ".xml.gz");
    }
    return false;
}

static int list_add(struct file_list *l, const char *path, uint64_t size)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        char **p = galen_realloc(l->path, ncap * sizeof *p);
        uint64_t *s;

        if (!p)
            return GALEN_ENOMEM;
        l->path = p;
        s = galen_realloc(l->size, ncap * sizeof *s);
        if (!s)
            return GALEN_ENOMEM;
        l->size = s;
        l->cap = ncap;
    }
    l->path[l->n] = galen_strdup(path);
    if (!l->path[l->n])
        return GALEN_ENOMEM;
    l->size[l->n++] = size;
    return GALEN_OK;
}

static void list_free(struct file_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        galen_free(l->path[i]);
    galen_free(l->path);
    galen_free(l->size);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the names in dir (hidden ones left out), sorted. */
static int read_dir(const char *dir, struct file_list *names)
{
    DIR *d = opendir(dir);
    const struct dirent *e;
    int rc = GALEN_OK;

    if (!d)
        return GALEN_EIO;
    while (rc == GALEN_OK) {
        e = readdir(d);
        if (!e)
            break;
        if (e->d_name[0] != '.')
            rc = list_add(names, e->d_name, 0);
    }
    closedir(d);
    if (rc == GALEN_OK && names->n)
        qsort(names->path, names->n, sizeof *names->path, cmp_entry);
    return rc;
}

static int collect(enum galen_import_format fmt, const char *path,
                   bool explicit, int depth, struct file_list *out);

static int collect_dir(enum galen_import_format fmt, const char *dir, int depth,
                       struct file_list *out)
{
    struct file_list names = {0};
    char sub[IMPORT_PATH_MAX];
    size_t i;
    int rc;

    if (depth > IMPORT_MAX_DEPTH)
        return GALEN_OK; /* a symlink loop; nothing real is this deep */
    rc = read_dir(dir, &names);
    for (i = 0; rc == GALEN_OK && i < names.n; i++) {
        int n = snprintf(sub, sizeof sub, "%s/%s", dir, names.path[i]);

        if (n < 0 || (size_t)n >= sizeof sub)
            continue;
        rc = collect(fmt, sub, false, depth + 1, out);
    }
    list_free(&names);
    return rc;
}

static int collect(enum galen_import_format fmt, const char *path,
                   bool explicit, int depth, struct file_list *out)
{
    struct stat sb;

    if (stat(path, &sb) != 0)
        return explicit ? GALEN_ENOENT : GALEN_OK;
    if (S_ISDIR(sb.st_mode))
        return collect_dir(fmt, path, depth, out);
    if (!S_ISREG(sb.st_mode) || (!explicit && !wanted(fmt, path)))
        return GALEN_OK;
    return list_add(out, path, (uint64_t)sb.st_size);
}

/* ---- running one file -------------------------------------------------- */

struct run {
    struct galen_store *st;
    enum galen_import_format fmt;
    const struct galen_import_opts *opts;
    struct galen_import_stats *stats;
    const char *file;
    uint64_t file_base;  /* bytes_done when this file started */
    uint64_t pending[3]; /* imported, unchanged, skipped in the open tx */
    size_t batch;        /* documents in the open transaction */
    bool batched;        /* commit every IMPORT_BATCH documents */
    bool stop;           /* strict mode saw a failure */
    struct diag diag;
};

static void report(struct run *k, long line, const char *msg)
{
    k->stats->failed++;
    if (k->opts->on_error)
        k->opts->on_error(k->opts->ctx, k->file, line, msg);
    if (k->opts->strict)
        k->stop = true;
}

static void progress(struct run *k)
{
    if (k->opts->on_progress)
        k->opts->on_progress(k->opts->ctx, k->stats);
}

static void settle(struct run *k, bool committed)
{
    if (committed) {
        k->stats->imported += k->pending[0];
        k->stats->unchanged += k->pending[1];
        k->stats->skipped += k->pending[2];
    }
    memset(k->pending, 0, sizeof k->pending);
    k->batch = 0;
}

static int next_batch(struct run *k)
{
    int rc = store_commit(k->st);

    if (rc != GALEN_OK)
        return rc;
    settle(k, true);
    progress(k);
    return store_begin(k->st);
}

static int sink_doc(void *ctx, struct doc *d, long line)
{
    struct run *k = ctx;
    enum store_upsert_result res;
    int rc = store_upsert(k->st, d, "import", &res);

    if (rc == GALEN_EPARSE) {
        if (!k->batched)
            return diag_setf(&k->diag, rc, line, "%s: %s",
                             d->id ? d->id : "document", store_errmsg(k->st));
        report(k, line, store_errmsg(k->st));
        return k->stop ? GALEN_EABORT : GALEN_OK;
    }
    if (rc != GALEN_OK)
        return diag_setf(&k->diag, rc, line, "store: %s", store_errmsg(k->st));
    k->pending[res == STORE_UNCHANGED ? 1 : 0]++;
    if (k->batched && ++k->batch >= IMPORT_BATCH) {
        rc = next_batch(k);
        if (rc != GALEN_OK)
            return diag_setf(&k->diag, rc, line, "store: %s",
                             store_errmsg(k->st));
    }
    return GALEN_OK;
}

static int sink_bad(void *ctx, long line, const char *msg)
{
    struct run *k = ctx;

    report(k, line, msg);
    return k->stop ? GALEN_EABORT : GALEN_OK;
}

static void sink_skip(void *ctx, long line, const char *why)
{
    struct run *k = ctx;

    UNUSED(line);
    UNUSED(why);
    k->pending[2]++;
}

static void sink_progress(void *ctx, uint64_t bytes)
{
    struct run *k = ctx;

    k->stats->bytes_done = k->file_base + bytes;
    progress(k);
}

static int parse(struct run *k, const char *path)
{
    const struct import_sink sink = {sink_doc, sink_bad, sink_skip,
                                     sink_progress, k};

    switch (k->fmt) {
    case GALEN_IMPORT_MEDQUAD:
        return import_medquad_file(path, &sink, &k->diag);
    case GALEN_IMPORT_PUBMED:
        return import_pubmed_file(path, &sink, &k->diag);
    case GALEN_IMPORT_BEIR:
        return import_beir_file(path, &sink, &k->diag);
    case GALEN_IMPORT_ARTICLE:
        return import_article_file(path, &sink, &k->diag);
    case GALEN_IMPORT_MEDLINEPLUS:
        return import_medlineplus_file(path, &sink, &k->diag);
    }
    return GALEN_EINVAL;
}

/* True for errors that concern one input file rather than the run. */
static bool file_error(int rc)
{
    return rc == GALEN_EPARSE || rc == GALEN_EIO || rc == GALEN_ETOOBIG ||
           rc == GALEN_ENOENT || rc == GALEN_ECORRUPT;
}

static int import_file(struct run *k, const char *path, uint64_t size)
{
    int rc;

    k->file = path;
    k->file_base = k->stats->bytes_done;
    memset(&k->diag, 0, sizeof k->diag);
    rc = store_begin(k->st);
    if (rc != GALEN_OK)
        return rc;
    rc = parse(k, path);
    if (rc == GALEN_OK)
        rc = store_commit(k->st);
    if (rc == GALEN_OK) {
        settle(k, true);
    } else {
        store_rollback(k->st);
        settle(k, false);
    }
    k->stats->files++;
    k->stats->bytes_done = k->file_base + size;
    progress(k);
    if (file_error(rc)) {
        report(k, k->diag.line, k->diag.msg[0] ? k->diag.msg : error_str(rc));
        return k->stop ? GALEN_EABORT : GALEN_OK;
    }
    return rc;
}

int import_paths(struct galen_store *st, enum galen_import_format fmt,
                 const char *const *paths, size_t npaths,
                 const struct galen_import_opts *opts,
                 struct galen_import_stats *stats)
{
    struct file_list files = {0};
    struct run k = {0};
    size_t i;
    int rc = GALEN_OK;

    memset(stats, 0, sizeof *stats);
    k.st = st;
    k.fmt = fmt;
    k.opts = opts;
    k.stats = stats;
    k.batched = fmt == GALEN_IMPORT_PUBMED || fmt == GALEN_IMPORT_BEIR;
    for (i = 0; i < npaths && rc == GALEN_OK; i++) {
        rc = collect(fmt, paths[i], true, 0, &files);
        if (rc == GALEN_ENOENT) {
            k.file = paths[i];
            report(&k, 0, "no such file or folder");
            rc = k.stop ? GALEN_EABORT : GALEN_OK;
        }
    }
    for (i = 0; i < files.n; i++)
        stats->bytes_total += files.size[i];
    for (i = 0; i < files.n && rc == GALEN_OK; i++)
        rc = import_file(&k, files.path[i], files.size[i]);
    list_free(&files);
    if (rc == GALEN_OK && stats->failed)
        rc = GALEN_EPARSE;
    return rc;
}
