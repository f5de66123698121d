/* SPDX-License-Identifier: MIT */
/* galen_data.c: whole-data-folder operations: a consistent backup while
 * serving, restore into a new folder, export of every document, delete.
 *
 * Consistency of a backup: the index's writer lock is held while the index
 * files are copied and the store is copied with SQLite's online backup.
 * Every index run commits and then records its marks in the store while
 * holding that lock, so the copied marks describe exactly the copied
 * index; store writes that do not touch the index (imports, review
 * decisions) go on meanwhile and land in the copy as changes the index has
 * not seen yet, which `galen index` applies after a restore. Both copies
 * are written into DEST.partial, which is renamed to DEST only when whole,
 * so a crash never leaves something that looks like a backup. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/store.h>

#include "base/fileio.h"
#include "base/mem.h"
#include "content/db.h"
#include "content/doc.h"
#include "content/store.h"
#include "import/article_write.h"
#include "index/index.h"
#include "index/manifest.h"

enum { PATH_CAP = 4096, COPY_CHUNK = 1 << 16 };

static int errf(char *err, size_t cap, int rc, const char *fmt, ...)
    GALEN_PRINTF(4, 5);

static int errf(char *err, size_t cap, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return rc;
}

static bool join(char *out, const char *a, const char *b)
{
    return (size_t)snprintf(out, PATH_CAP, "%s/%s", a, b) < PATH_CAP;
}

/* Copies src to dst (created, not there before) and fsyncs it. */
static int copy_file(const char *src, const char *dst, uint64_t *bytes,
                     char *err, size_t cap)
{
    unsigned char *chunk = galen_malloc(COPY_CHUNK);
    int in = open(src, O_RDONLY | O_CLOEXEC);
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    int rc = GALEN_OK;
    ssize_t n;

    if (!chunk)
        rc = GALEN_ENOMEM;
    else if (in < 0)
        rc = errf(err, cap, errno == ENOENT ? GALEN_ENOENT : GALEN_EIO,
                  "%s: %s", src, strerror(errno));
    else if (out < 0)
        rc = errf(err, cap, GALEN_EIO, "%s: %s", dst, strerror(errno));
    while (rc == GALEN_OK && (n = read(in, chunk, COPY_CHUNK)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = errf(err, cap, GALEN_EIO, "%s: %s", src, strerror(errno));
        else if (fileio_write_fd(out, chunk, (size_t)n) != GALEN_OK)
            rc = errf(err, cap, GALEN_EIO, "%s: cannot write", dst);
        else
            *bytes += (uint64_t)n;
    }
    if (rc == GALEN_OK && fsync(out) != 0)
        rc = errf(err, cap, GALEN_EIO, "%s: %s", dst, strerror(errno));
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    galen_free(chunk);
    return rc;
}

/* Copies the index files the MANIFEST names (segments, deletion files,
 * then the MANIFEST itself). GALEN_ENOENT when there is no index. */
static int copy_index(const char *from, const char *to,
                      struct galen_backup_stats *stats, char *err, size_t cap)
{
    char src[PATH_CAP], dst[PATH_CAP];
    struct manifest m;
    uint32_t i;
    int rc = manifest_read(from, &m, err, cap);

    if (rc != GALEN_OK)
        return rc;
    stats->index_generation = m.generation;
    if (mkdir(to, 0755) != 0)
        rc = errf(err, cap, GALEN_EIO, "%s: %s", to, strerror(errno));
    for (i = 0; rc == GALEN_OK && i < m.nsegs; i++) {
        const struct manifest_seg *s = &m.segs[i];
        const char *name;

        if (!manifest_seg_path(src, sizeof src, from, s->id))
            rc = GALEN_EINVAL;
        name = strrchr(src, '/') + 1;
        if (rc == GALEN_OK && join(dst, to, name))
            rc = copy_file(src, dst, &stats->bytes, err, cap);
        if (rc == GALEN_OK && s->del_id &&
            manifest_del_path(src, sizeof src, from, s->id, s->del_id)) {
            name = strrchr(src, '/') + 1;
            rc = join(dst, to, name)
                     ? copy_file(src, dst, &stats->bytes, err, cap)
                     : GALEN_EINVAL;
        }
    }
    manifest_cleanup(&m);
    if (rc == GALEN_OK && join(src, from, MANIFEST_NAME) &&
        join(dst, to, MANIFEST_NAME))
        rc = copy_file(src, dst, &stats->bytes, err, cap);
    if (rc == GALEN_OK)
        rc = fileio_sync_dir(to);
    return rc;
}

/* SQLite's online backup of the store at src into dst, in one step: one
 * read transaction, which in WAL mode does not block writers. */
static int copy_store(const char *src, const char *dst, char *err, size_t cap)
{
    sqlite3 *from = NULL, *to = NULL;
    sqlite3_backup *b;
    int rc = GALEN_OK;

    if (sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        rc = errf(err, cap, GALEN_EDB, "%s", sqlite3_errmsg(to ? to : from));
        goto out;
    }
    sqlite3_busy_timeout(from, 10000);
    b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        rc = errf(err, cap, GALEN_EDB, "backup of %s: %s", src,
                  sqlite3_errmsg(to));
        goto out;
    }
    if (sqlite3_backup_step(b, -1) != SQLITE_DONE)
        rc = errf(err, cap, GALEN_EDB, "backup of %s: %s", src,
                  sqlite3_errmsg(to));
    if (sqlite3_backup_finish(b) != SQLITE_OK && rc == GALEN_OK)
        rc = errf(err, cap, GALEN_EDB, "backup of %s: %s", src,
                  sqlite3_errmsg(to));
out:
    sqlite3_close(from);
    sqlite3_close(to);
    return rc;
}

/* Copies data_dir's editable safety files, when it has its own. */
static int copy_extras(const char *from, const char *to,
                       struct galen_backup_stats *stats, char *err, size_t cap)
{
    static const char *const names[] = {"lexicon.tsv", "redflags.txt"};
    char src[PATH_CAP], dst[PATH_CAP];
    size_t i;
    int rc = GALEN_OK;

    for (i = 0; rc == GALEN_OK && i < sizeof names / sizeof names[0]; i++) {
        if (!join(src, from, names[i]) || !join(dst, to, names[i]))
            return GALEN_EINVAL;
        if (access(src, F_OK) == 0)
            rc = copy_file(src, dst, &stats->bytes, err, cap);
    }
    return rc;
}

/* Renames the finished partial folder to its name and makes it durable. */
static int publish(const char *partial, const char *dest, char *err, size_t cap)
{
    char parent[PATH_CAP];
    const char *slash = strrchr(dest, '/');

    if (fileio_sync_dir(partial) != GALEN_OK)
        return errf(err, cap, GALEN_EIO, "%s: cannot sync", partial);
    if (rename(partial, dest) != 0)
        return errf(err, cap, GALEN_EIO, "cannot rename %s to %s: %s", partial,
                    dest, strerror(errno));
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else
        snprintf(parent, sizeof parent, "%.*s",
                 slash == dest ? 1 : (int)(slash - dest), dest);
    return fileio_sync_dir(parent);
}

/* Removes a partial folder: its files and those of its subfolders (a
 * data folder is two levels deep: index/ holds only files). */
static void remove_tree(const char *dir, int depth)
{
    char path[PATH_CAP];
    struct dirent *e;
    struct stat sb;
    DIR *d = opendir(dir);

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            !join(path, dir, e->d_name) || lstat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth > 0)
            remove_tree(path, depth - 1);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* Makes "<dest>.partial", failing when dest or the partial exists. */
static int start_partial(const char *dest, char *partial, char *err, size_t cap)
{
    struct stat sb;

    if ((size_t)snprintf(partial, PATH_CAP, "%s.partial", dest) >= PATH_CAP)
        return errf(err, cap, GALEN_EINVAL, "%s: path too long", dest);
    if (stat(dest, &sb) == 0)
        return errf(err, cap, GALEN_EEXIST, "%s already exists", dest);
    if (mkdir(partial, 0755) != 0)
        return errf(err, cap, errno == EEXIST ? GALEN_EEXIST : GALEN_EIO,
                    "cannot create %s: %s%s", partial, strerror(errno),
                    errno == EEXIST ? " (left by an interrupted run: remove it)"
                                    : "");
    return GALEN_OK;
}

int galen_backup(const char *data_dir, const char *dest,
                 struct galen_backup_stats *stats, char *err, size_t cap)
{
    char partial[PATH_CAP], src[PATH_CAP], dst[PATH_CAP], idx[PATH_CAP];
    struct index_writer *guard = NULL;
    int rc;

    memset(stats, 0, sizeof *stats);
    err[0] = '\0';
    if (galen_data_store_path(data_dir, src, sizeof src) == GALEN_OK &&
        db_is_url(src))
        return errf(err, cap, GALEN_EINVAL,
                    "the store is in PostgreSQL ($GALEN_STORE): back it up "
                    "with pg_dump; galen backup copies a local store");
    if (!join(src, data_dir, "store.db") || !join(idx, data_dir, "index"))
        return errf(err, cap, GALEN_EINVAL, "%s: path too long", data_dir);
    if (access(src, F_OK) != 0)
        return errf(err, cap, GALEN_ENOENT, "no store at %s", src);
    rc = start_partial(dest, partial, err, cap);
    if (rc != GALEN_OK)
        return rc;
    if (join(dst, idx, MANIFEST_NAME) && access(dst, F_OK) == 0) {
        rc = index_writer_open(idx, NULL, &guard);
        if (rc == GALEN_ESTATE)
            errf(err, cap, rc, "another process is writing the index in %s",
                 idx);
        else if (rc != GALEN_OK)
            errf(err, cap, rc, "%s", index_writer_errmsg(NULL));
        if (rc == GALEN_OK && join(dst, partial, "index"))
            rc = copy_index(idx, dst, stats, err, cap);
    }
    if (rc == GALEN_OK)
        rc = join(dst, partial, "store.db") ? copy_store(src, dst, err, cap)
                                            : GALEN_EINVAL;
    index_writer_close(guard);
    if (rc == GALEN_OK)
        rc = copy_extras(data_dir, partial, stats, err, cap);
    if (rc == GALEN_OK) {
        struct stat sb;

        if (stat(dst, &sb) == 0)
            stats->bytes += (uint64_t)sb.st_size;
        rc = publish(partial, dest, err, cap);
    }
    if (rc != GALEN_OK)
        remove_tree(partial, 1);
    return rc;
}

/* True when dir is absent or an empty folder. */
static bool absent_or_empty(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    bool empty = true;

    if (!d)
        return errno == ENOENT;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    return empty;
}

/* Copies every file of from/sub (sub may be "") into to/sub. */
static int copy_dir(const char *from, const char *to, uint64_t *bytes,
                    char *err, size_t cap)
{
    char src[PATH_CAP], dst[PATH_CAP];
    struct dirent *e;
    struct stat sb;
    DIR *d = opendir(from);
    int rc = GALEN_OK;

    if (!d)
        return errf(err, cap, errno == ENOENT ? GALEN_ENOENT : GALEN_EIO,
                    "%s: %s", from, strerror(errno));
    if (mkdir(to, 0755) != 0 && errno != EEXIST)
        rc = errf(err, cap, GALEN_EIO, "%s: %s", to, strerror(errno));
    while (rc == GALEN_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, "LOCK") == 0)
            continue;
        if (!join(src, from, e->d_name) || !join(dst, to, e->d_name) ||
            lstat(src, &sb) != 0)
            rc = errf(err, cap, GALEN_EIO, "%s: cannot read", from);
        else if (S_ISDIR(sb.st_mode))
            rc = copy_dir(src, dst, bytes, err, cap);
        else if (S_ISREG(sb.st_mode))
            rc = copy_file(src, dst, bytes, err, cap);
    }
    closedir(d);
    if (rc == GALEN_OK)
        rc = fileio_sync_dir(to);
    return rc;
}

int galen_restore(const char *backup, const char *data_dir, char *err,
                  size_t cap)
{
    char partial[PATH_CAP], path[PATH_CAP];
    struct galen_store *st = NULL;
    uint64_t bytes = 0;
    int rc;

    err[0] = '\0';
    if (!join(path, backup, "store.db"))
        return errf(err, cap, GALEN_EINVAL, "%s: path too long", backup);
    if (access(path, R_OK) != 0)
        return errf(err, cap, GALEN_ENOENT,
                    "%s is not a galen backup (no "
                    "store.db)",
                    backup);
    if (!absent_or_empty(data_dir))
        return errf(err, cap, GALEN_EEXIST,
                    "%s exists and is not empty: restore into a new folder",
                    data_dir);
    rmdir(data_dir); /* an empty one is replaced by the rename below */
    if ((size_t)snprintf(partial, sizeof partial, "%s.partial", data_dir) >=
        sizeof partial)
        return errf(err, cap, GALEN_EINVAL, "%s: path too long", data_dir);
    if (access(partial, F_OK) == 0)
        return errf(err, cap, GALEN_EEXIST,
                    "%s exists (left by an interrupted run: remove it)",
                    partial);
    rc = copy_dir(backup, partial, &bytes, err, cap);
    /* The copy must be a sound store before it takes the data folder's
     * name. */
    if (rc == GALEN_OK && join(path, partial, "store.db")) {
        rc = galen_store_open(path, &st);
        if (rc == GALEN_OK)
            rc = galen_store_check(st);
        if (rc != GALEN_OK)
            errf(err, cap, rc, "%s: %s", path, galen_store_errmsg(st));
        galen_store_close(st);
    }
    if (rc == GALEN_OK)
        rc = publish(partial, data_dir, err, cap);
    if (rc != GALEN_OK)
        remove_tree(partial, 1);
    return rc;
}

/* Reads every document id, in id order, into *out (galen_free each and
 * the array). Ids first, then one document at a time: store_get reuses the
 * statement cache, which must not be stepped under it. */
static int export_ids(struct galen_store *st, char ***out, size_t *nout)
{
    struct db_stmt *s;
    int rc = store_stmt(st, "SELECT id FROM documents ORDER BY id", &s);

    return rc == GALEN_OK ? store_text_rows(st, s, out, nout) : rc;
}

/* One document in fmt, handed to cb. */
static int export_doc(const struct doc *d, enum galen_export_format fmt,
                      galen_export_cb cb, void *ctx)
{
    struct buf b;
    char *json = NULL;
    char why[256];
    int rc;

    if (fmt == GALEN_EXPORT_JSONL) {
        rc = doc_to_json(d, &json);
        if (rc == GALEN_OK)
            rc = cb(ctx, d->id, json, strlen(json), NULL);
        galen_free(json);
        return rc;
    }
    buf_init(&b, (size_t)DOC_TEXT_MAX * 4);
    rc = article_write_checked(d, &b, why, sizeof why);
    if (rc == GALEN_OK)
        buf_put_nul(&rc, &b);
    if (rc == GALEN_OK)
        rc = cb(ctx, d->id, (const char *)b.data, b.len - 1, NULL);
    else if (rc == GALEN_EPARSE)
        rc = cb(ctx, d->id, NULL, 0, why);
    buf_cleanup(&b);
    return rc;
}

int galen_store_export_as(struct galen_store *st, enum galen_export_format fmt,
                          galen_export_cb cb, void *ctx)
{
    char **ids = NULL;
    size_t n = 0, i;
    int rc = GALEN_OK;

    if (fmt != GALEN_EXPORT_JSONL && fmt != GALEN_EXPORT_ARTICLE)
        return GALEN_EINVAL;
    rc = export_ids(st, &ids, &n);
    for (i = 0; rc == GALEN_OK && i < n; i++) {
        struct doc *d = NULL;

        rc = store_get(st, ids[i], &d);
        if (rc == GALEN_ENOENT) { /* deleted meanwhile */
            rc = GALEN_OK;
            continue;
        }
        if (rc == GALEN_OK)
            rc = export_doc(d, fmt, cb, ctx);
        doc_free(d);
    }
    for (i = 0; i < n; i++)
        galen_free(ids[i]);
    galen_free(ids);
    return rc;
}

struct jsonl_cb {
    int (*cb)(void *ctx, const char *json, size_t len);
    void *ctx;
};

static int jsonl_line(void *ctx, const char *id, const char *text, size_t len,
                      const char *why)
{
    const struct jsonl_cb *j = ctx;

    UNUSED(id);
    UNUSED(why);
    return j->cb(j->ctx, text, len);
}

int galen_store_export(struct galen_store *st,
                       int (*cb)(void *ctx, const char *json, size_t len),
                       void *ctx)
{
    struct jsonl_cb j = {cb, ctx};

    return galen_store_export_as(st, GALEN_EXPORT_JSONL, jsonl_line, &j);
}

int galen_store_delete(struct galen_store *st, const char *id, const char *who)
{
    return store_delete(st, id, who);
}
