/* SPDX-License-Identifier: MIT */
/* store_index.c: derives the search index from the store, incrementally.
 * Only documents whose content_hash differs from their indexed_hash are
 * read, and only ids queued in index_deletes are removed; everything else
 * in the index is left alone. The order makes a crash at any point safe:
 * the index commits first, and only then does the store record what the
 * index now holds, so an interrupted run is simply redone (adding a
 * document the index already holds replaces it).
 *
 * An indexed document's fields are its title and its body (the sections,
 * each heading on its own line before its text, sections separated by a
 * blank line); its stored meta blob is the JSON written by meta_json. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/store.h>

#include "base/buf.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "doc.h"
#include "index/index.h"
#include "store.h"

enum { STORE_INDEX_CHUNK = 5000 };

/* One document the run looked at, recorded once the index has it. */
struct pending {
    int64_t pk;
    char hash[DOC_HASH_HEX];
    enum doc_status status; /* as read: a review decision since then
                               leaves the mark unset */
};

struct run {
    struct galen_store *st;
    struct index_writer *w;
    struct galen_store_index_stats *stats;
    struct buf body;
    struct buf meta;
    struct pending *done;
    size_t ndone;
    size_t cap;       /* of done */
    size_t unflushed; /* documents added since the last commit */
    bool rebuild;     /* every document, into a fresh index; marks deferred */
    bool follow;      /* a replica's own index: no marks in the store */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *ctx;
    uint64_t total;
};

/* ---- what a document looks like in the index --------------------------- */

static void body_text(int *rc, struct buf *b, const struct doc *d,
                      size_t *start, size_t *end)
{
    size_t i;

    buf_reset(b);
    for (i = 0; i < d->nsections; i++) {
        const struct doc_section *s = &d->sections[i];

        if (b->len)
            buf_put_str(rc, b, "\n\n");
        start[i] = b->len;
        if (*s->heading) {
            buf_put_str(rc, b, s->heading);
            buf_put_byte(rc, b, '\n');
        }
        buf_put_str(rc, b, s->text);
        end[i] = b->len;
    }
}

static void kv(int *rc, struct buf *b, const char *key, const char *v)
{
    if (!v)
        return;
    buf_put_byte(rc, b, ',');
    json_put_str(rc, b, key);
    buf_put_byte(rc, b, ':');
    json_put_str(rc, b, v);
}

static void meta_sections(int *rc, struct buf *b, const struct doc *d,
                          const size_t *start, const size_t *end)
{
    size_t i;

    buf_put_str(rc, b, ",\"sections\":[");
    for (i = 0; i < d->nsections; i++) {
        buf_put_str(rc, b, i ? ",{\"heading\":" : "{\"heading\":");
        json_put_str(rc, b, d->sections[i].heading);
        buf_printf(rc, b, ",\"start\":%zu,\"end\":%zu}", start[i], end[i]);
    }
    buf_put_byte(rc, b, ']');
}

/* The meta blob: the document's metadata (everything but its text), the
 * byte range of each section in the body, its references, tables and FAQ
 * items, and its version, status and last update. */
static void meta_json(int *rc, struct buf *b, const struct doc *d,
                      int64_t version, const char *updated_at,
                      const size_t *start, const size_t *end)
{
    buf_reset(b);
    buf_put_str(rc, b, "{\"id\":");
    json_put_str(rc, b, d->id);
    kv(rc, b, "kind", doc_kind_name(d->kind));
    kv(rc, b, "title", d->title);
    kv(rc, b, "source", d->source);
    kv(rc, b, "authors", d->authors);
    kv(rc, b, "date", d->date);
    kv(rc, b, "url", d->url);
    kv(rc, b, "licence", d->licence);
    kv(rc, b, "audience", doc_audience_name(d->audience));
    kv(rc, b, "specialty", d->specialty);
    if (d->evidence != DOC_EVIDENCE_NONE)
        kv(rc, b, "evidence", doc_evidence_name(d->evidence));
    kv(rc, b, "status", doc_status_name(d->status));
    buf_printf(rc, b, ",\"version\":%lld", (long long)version);
    kv(rc, b, "updated_at", updated_at);
    kv(rc, b, "question_type", d->question_type);
    kv(rc, b, "semantic_group", d->semantic_group);
    kv(rc, b, "pmid", d->pmid);
    kv(rc, b, "doi", d->doi);
    kv(rc, b, "age_band", d->age_band);
    kv(rc, b, "sex", d->sex);
    kv(rc, b, "asked", d->asked);
    kv(rc, b, "replied", d->replied);
    buf_put_str(rc, b, ",\"has_answer\":true,\"focus\":");
    doc_json_list(rc, b, &d->focus);
    buf_put_str(rc, b, ",\"synonyms\":");
    doc_json_list(rc, b, &d->synonyms);
    buf_put_str(rc, b, ",\"pub_types\":");
    doc_json_list(rc, b, &d->pub_types);
    meta_sections(rc, b, d, start, end);
    doc_json_parts(rc, b, d);
    buf_put_byte(rc, b, '}');
}

/* ---- reading the store ------------------------------------------------- */

static int row_info(struct galen_store *st, int64_t pk, char **id,
                    int64_t *version, char updated_at[32], bool *was_indexed)
{
    struct db_stmt *s;
    int rc = store_stmt(st,
                        "SELECT id,version,updated_at,indexed_hash IS NOT NULL"
                        " FROM documents WHERE pk=?1",
                        &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, pk);
    rc = db_step(s);
    if (rc == DB_ROW) {
        const char *u = db_col_text(s, 2);

        *id = galen_strdup(db_col_text(s, 0));
        *version = db_col_int64(s, 1);
        *was_indexed = db_col_int(s, 3) != 0;
        snprintf(updated_at, 32, "%s", u ? u : "");
        rc = *id ? GALEN_OK : GALEN_ENOMEM;
    } else {
        rc = rc == DB_DONE ? GALEN_ENOENT : store_db_error(st);
    }
    db_reset(s);
    return rc;
}

static int add_doc(struct run *k, const struct doc *d, int64_t version,
                   const char *updated_at)
{
    size_t *off = galen_calloc(2 * (d->nsections + 1), sizeof *off);
    struct index_doc x;
    int rc = GALEN_OK;

    if (!off)
        return GALEN_ENOMEM;
    body_text(&rc, &k->body, d, off, off + d->nsections + 1);
    meta_json(&rc, &k->meta, d, version, updated_at, off,
              off + d->nsections + 1);
    galen_free(off);
    if (rc != GALEN_OK)
        return rc;
    memset(&x, 0, sizeof x);
    x.id = str_from(d->id);
    x.field[0] = str_from(d->title);
    x.field[1] = (struct str){(const char *)k->body.data, k->body.len};
    x.meta = (struct str){(const char *)k->meta.data, k->meta.len};
    return index_writer_add(k->w, &x);
}

/* Makes room for one more pending mark (a rebuild keeps them all until
 * the new index is in place). */
static int grow_done(struct run *k)
{
    size_t cap = k->cap ? k->cap * 2 : STORE_INDEX_CHUNK;
    struct pending *v = galen_realloc(k->done, cap * sizeof *v);

    if (!v)
        return GALEN_ENOMEM;
    k->done = v;
    k->cap = cap;
    return GALEN_OK;
}

/* Brings one changed document into the index (or out of it). */
static int one_doc(struct run *k, int64_t pk)
{
    struct pending *p;
    char updated_at[32];
    struct doc *d = NULL;
    char *id = NULL;
    bool was_indexed = false;
    int64_t version = 0;
    int rc = row_info(k->st, pk, &id, &version, updated_at, &was_indexed);

    if (rc == GALEN_ENOENT)
        return GALEN_OK; /* deleted meanwhile; index_deletes has it */
    if (k->rebuild)
        was_indexed = false; /* the fresh index holds nothing yet */
    if (rc == GALEN_OK && k->ndone == k->cap)
        rc = grow_done(k);
    p = &k->done[k->ndone];
    if (rc == GALEN_OK)
        rc = store_get(k->st, id, &d);
    if (rc == GALEN_OK && d->has_answer && d->nsections > 0) {
        rc = add_doc(k, d, version, updated_at);
        k->stats->added += rc == GALEN_OK;
    } else if (rc == GALEN_OK && was_indexed) {
        /* It lost its answer: a question only is never answer evidence. */
        rc = index_writer_delete(k->w, str_from(id));
        k->stats->removed += rc == GALEN_OK;
    } else if (rc == GALEN_OK) {
        k->stats->skipped++;
    }
    if (rc == GALEN_OK) {
        p->pk = pk;
        doc_hash(d, p->hash);
        p->status = d->status;
        k->ndone++;
        k->unflushed++;
    }
    doc_free(d);
    galen_free(id);
    return rc;
}

/* ---- recording what the index holds ------------------------------------ */

static int mark_done(struct run *k)
{
    struct db_stmt *s;
    size_t i;
    int rc = store_begin(k->st);

    for (i = 0; rc == GALEN_OK && i < k->ndone; i++) {
        /* store_set_status clears indexed_hash without touching the
         * content hash: a decision made while this run read the document
         * must not be marked as indexed, or it would never reach the
         * index. */
        rc = store_stmt(k->st,
                        "UPDATE documents SET indexed_hash=?2"
                        " WHERE pk=?1 AND status=?3",
                        &s);
        if (rc != GALEN_OK)
            break;
        db_bind_int64(s, 1, k->done[i].pk);
        db_bind_text(s, 2, k->done[i].hash, -1);
        db_bind_text(s, 3, doc_status_name(k->done[i].status), -1);
        rc = db_step(s) == DB_DONE ? GALEN_OK : store_db_error(k->st);
        db_reset(s);
    }
    if (rc == GALEN_OK)
        return store_commit(k->st);
    store_rollback(k->st);
    return rc;
}

static int flush(struct run *k)
{
    int rc = index_writer_commit(k->w);

    k->unflushed = 0;
    if (k->follow) {
        k->ndone = 0; /* the store's marks belong to `galen index` */
        return rc;
    }
    if (k->rebuild)
        return rc; /* marked once the new index replaces the old */
    if (rc == GALEN_OK)
        rc = mark_done(k);
    k->ndone = 0;
    return rc;
}

/* The pks of documents the index has not seen in their current form. */
static int changed_pks(struct galen_store *st, bool all, int64_t **out,
                       size_t *n)
{
    struct db_stmt *s;
    int64_t *v = NULL;
    size_t cap = 0, len = 0;
    int rc = store_stmt(
        st,
        all ? "SELECT pk FROM documents ORDER BY pk"
            : "SELECT pk FROM documents"
              " WHERE indexed_hash IS DISTINCT FROM content_hash ORDER BY pk",
        &s);

    while (rc == GALEN_OK) {
        int step = db_step(s);

        if (step == DB_DONE)
            break;
        if (step != DB_ROW) {
            rc = store_db_error(st);
            break;
        }
        if (len == cap) {
            int64_t *nv = galen_realloc(v, (cap ? cap * 2 : 1024) * sizeof *v);

            if (!nv) {
                rc = GALEN_ENOMEM;
                break;
            }
            v = nv;
            cap = cap ? cap * 2 : 1024;
        }
        v[len++] = db_col_int64(s, 0);
    }
    db_reset(s);
    if (rc != GALEN_OK) {
        galen_free(v);
        return rc;
    }
    *out = v;
    *n = len;
    return GALEN_OK;
}

/* Removes the queued deletions from the index, then from the queue. */
static int apply_deletes(struct run *k)
{
    struct db_stmt *s;
    int rc = store_stmt(k->st, "SELECT doc_id FROM index_deletes", &s);

    while (rc == GALEN_OK) {
        int step = db_step(s);

        if (step == DB_DONE)
            break;
        if (step != DB_ROW) {
            rc = store_db_error(k->st);
            break;
        }
        rc = index_writer_delete(k->w, str_from(db_col_text(s, 0)));
        k->stats->removed += rc == GALEN_OK;
    }
    db_reset(s);
    /* Every commit is a new generation that servers reload: none for
     * nothing. */
    if (rc == GALEN_OK && k->stats->removed > 0)
        rc = index_writer_commit(k->w);
    if (rc != GALEN_OK)
        return rc;
    /* Ids deleted after the SELECT above stay queued: only those no
     * longer in documents and seen by this run could be cleared, and a
     * second delete of an absent id is harmless, so clear all present. */
    rc = store_stmt(k->st,
                    "DELETE FROM index_deletes WHERE doc_id NOT IN"
                    " (SELECT id FROM documents)",
                    &s);
    if (rc != GALEN_OK)
        return rc;
    rc = db_step(s) == DB_DONE ? GALEN_OK : store_db_error(k->st);
    db_reset(s);
    return rc;
}

static int run_changes(struct run *k)
{
    int64_t *pks = NULL;
    size_t n = 0, i;
    int rc = changed_pks(k->st, k->rebuild, &pks, &n);

    if (rc != GALEN_OK)
        return rc;
    k->total = n;
    k->stats->total = n;
    for (i = 0; rc == GALEN_OK && i < n; i++) {
        rc = one_doc(k, pks[i]);
        if (rc == GALEN_OK && k->unflushed == STORE_INDEX_CHUNK)
            rc = flush(k);
        if (k->progress && ((i + 1) % 256 == 0 || i + 1 == n))
            k->progress(k->ctx, i + 1, n);
    }
    /* A rebuild commits even an empty index, so that one exists. */
    if (rc == GALEN_OK && (k->ndone > 0 || k->rebuild))
        rc = flush(k);
    galen_free(pks);
    return rc;
}

/* ---- rebuilding ---------------------------------------------------------
 * A rebuild writes every document into a fresh folder next to the index,
 * then swaps the folders (two renames), and only then records in the store
 * what the new index holds. A crash before the swap leaves the old index in
 * place; one after it leaves marks that are only older than the index, so
 * the next run re-adds a few documents. The old index's writer lock is
 * held throughout, so no other writer commits to a folder about to go. */

/* Removes dir and the files in it (an index folder has no subfolders). */
static void remove_index_dir(const char *dir)
{
    char path[4096];
    DIR *d = opendir(dir);
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) <
            sizeof path)
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

/* The folder that holds dir ("." when dir has no slash), for fsync. */
static void parent_dir(const char *dir, char *out, size_t cap)
{
    const char *slash = strrchr(dir, '/');

    if (!slash)
        snprintf(out, cap, ".");
    else if (slash == dir)
        snprintf(out, cap, "/");
    else
        snprintf(out, cap, "%.*s", (int)(slash - dir), dir);
}

/* Puts the folder fresh where dir was; the old one is removed. */
static int swap_dirs(const char *dir, const char *fresh, char *err, size_t cap)
{
    char old[4096], parent[4096];

    if ((size_t)snprintf(old, sizeof old, "%s.old", dir) >= sizeof old)
        return GALEN_EINVAL;
    remove_index_dir(old);
    if (rename(dir, old) != 0 && errno != ENOENT) {
        snprintf(err, cap, "cannot move %.120s aside: %s", dir,
                 strerror(errno));
        return GALEN_EIO;
    }
    if (rename(fresh, dir) != 0) {
        snprintf(err, cap, "cannot move the new index to %.120s: %s", dir,
                 strerror(errno));
        (void)rename(old, dir); /* put the old one back if we can */
        return GALEN_EIO;
    }
    parent_dir(dir, parent, sizeof parent);
    remove_index_dir(old);
    return fileio_sync_dir(parent);
}

static bool has_manifest(const char *dir)
{
    char path[4096];
    struct stat sb;

    return (size_t)snprintf(path, sizeof path, "%s/MANIFEST", dir) <
               sizeof path &&
           stat(path, &sb) == 0;
}

static void run_init(struct run *k, struct galen_store *st,
                     struct galen_store_index_stats *stats,
                     void (*progress)(void *ctx, uint64_t, uint64_t), void *ctx)
{
    memset(stats, 0, sizeof *stats);
    memset(k, 0, sizeof *k);
    k->st = st;
    k->stats = stats;
    k->progress = progress;
    k->ctx = ctx;
    buf_init(&k->body, INDEX_DOC_MAX / 2);
    buf_init(&k->meta, INDEX_DOC_MAX / 2);
}

static void run_cleanup(struct run *k)
{
    index_writer_close(k->w);
    k->w = NULL;
    buf_cleanup(&k->body);
    buf_cleanup(&k->meta);
    galen_free(k->done);
    k->done = NULL;
}

/* Says why index_writer_open failed, through the store's message. */
static void open_failed(struct galen_store *st)
{
    char msg[300];

    snprintf(msg, sizeof msg, "cannot open the index writer%s%.250s",
             *index_writer_errmsg(NULL) ? ": " : "", index_writer_errmsg(NULL));
    store_set_errmsg(st, msg);
}

/* Makes the index writer's message, if it has one, the store's. */
static void run_errmsg(struct run *k)
{
    const char *m = index_writer_errmsg(k->w);

    if (*m)
        store_set_errmsg(k->st, m);
}

static int write_cursor(const char *dir, int64_t seq);

/* Rebuilds index_dir from every document. follow_seq < 0: as `galen
 * index`, recording the marks; else as a replica's follower, leaving the
 * marks alone and saving follow_seq (the log position read before any
 * document was) as the new index's cursor before the swap. */
static int rebuild(struct galen_store *st, const char *index_dir,
                   void (*progress)(void *ctx, uint64_t, uint64_t), void *ctx,
                   struct galen_store_index_stats *stats, int64_t follow_seq)
{
    struct index_writer *guard = NULL;
    char fresh[4096];
    struct run k;
    int rc;

    run_init(&k, st, stats, progress, ctx);
    k.rebuild = true;
    k.follow = follow_seq >= 0;
    if ((size_t)snprintf(fresh, sizeof fresh, "%s.rebuild", index_dir) >=
        sizeof fresh) {
        store_set_errmsg(st, "cannot open the index writer: the index path "
                             "is too long");
        run_cleanup(&k);
        return GALEN_EINVAL;
    }
    /* The old index may be corrupt (that is why one rebuilds): then there
     * is no lock to take, and nothing else can write to it either. */
    rc = index_writer_open(index_dir, NULL, &guard);
    if (rc == GALEN_ESTATE) {
        char msg[300];

        snprintf(msg, sizeof msg,
                 "another process is writing the index in %.200s", index_dir);
        store_set_errmsg(st, msg);
        run_cleanup(&k);
        return rc;
    }
    remove_index_dir(fresh);
    rc = index_writer_open(fresh, NULL, &k.w);
    if (rc != GALEN_OK)
        open_failed(st);
    if (rc == GALEN_OK)
        rc = run_changes(&k);
    if (rc == GALEN_OK) {
        index_writer_close(k.w);
        k.w = NULL;
        if (k.follow && write_cursor(fresh, follow_seq) != GALEN_OK) {
            store_set_errmsg(st, "cannot write the new index's FOLLOW file");
            rc = GALEN_EIO;
        }
    }
    if (rc == GALEN_OK) {
        char msg[300] = "";

        rc = swap_dirs(index_dir, fresh, msg, sizeof msg);
        if (rc != GALEN_OK)
            store_set_errmsg(st, msg);
    } else if (k.w) {
        run_errmsg(&k);
    }
    index_writer_close(guard);
    if (rc == GALEN_OK && !k.follow)
        rc = mark_done(&k);
    if (rc != GALEN_OK)
        remove_index_dir(fresh);
    run_cleanup(&k);
    stats->rebuilt = rc == GALEN_OK;
    return rc;
}

static int update(struct galen_store *st, const char *index_dir,
                  void (*progress)(void *ctx, uint64_t, uint64_t), void *ctx,
                  struct galen_store_index_stats *stats)
{
    struct run k;
    int rc;

    run_init(&k, st, stats, progress, ctx);
    rc = index_writer_open(index_dir, NULL, &k.w);
    if (rc != GALEN_OK) {
        open_failed(st);
        run_cleanup(&k);
        return rc;
    }
    rc = apply_deletes(&k);
    if (rc == GALEN_OK)
        rc = run_changes(&k);
    if (rc != GALEN_OK)
        run_errmsg(&k);
    run_cleanup(&k);
    return rc;
}

int store_index_pending(struct galen_store *st, bool *pending)
{
    struct db_stmt *s;
    int rc = store_stmt(st,
                        "SELECT EXISTS(SELECT 1 FROM documents"
                        " WHERE indexed_hash IS DISTINCT FROM content_hash)"
                        " OR EXISTS(SELECT 1 FROM index_deletes)",
                        &s);

    if (rc != GALEN_OK)
        return rc;
    rc = db_step(s);
    if (rc == DB_ROW) {
        *pending = db_col_int(s, 0) != 0;
        rc = GALEN_OK;
    } else {
        rc = store_db_error(st);
    }
    db_reset(s);
    return rc;
}

int store_index_rebuild(struct galen_store *st, const char *index_dir,
                        void (*progress)(void *ctx, uint64_t done,
                                         uint64_t total),
                        void *ctx, struct galen_store_index_stats *stats)
{
    struct galen_store_index_stats again;
    bool pending = false;
    int rc = rebuild(st, index_dir, progress, ctx, stats, -1);

    /* What changed or was deleted while the rebuild ran. */
    if (rc == GALEN_OK)
        rc = store_index_pending(st, &pending);
    if (rc == GALEN_OK && pending) {
        rc = update(st, index_dir, NULL, NULL, &again);
    }
    return rc;
}

int store_index_update(struct galen_store *st, const char *index_dir,
                       void (*progress)(void *ctx, uint64_t done,
                                        uint64_t total),
                       void *ctx, struct galen_store_index_stats *stats)
{
    /* No index (never built, or removed): the store's marks describe an
     * index that is not there, so build one from everything. */
    if (!has_manifest(index_dir))
        return store_index_rebuild(st, index_dir, progress, ctx, stats);
    return update(st, index_dir, progress, ctx, stats);
}

/* ---- following the change log ------------------------------------------
 * A replica's index records in its own folder (FOLLOW) the last index_log
 * sequence number it applied; the store keeps no per-replica state, so
 * replicas come and go freely. A cursor is written only after the index
 * commit it describes: a crash in between re-applies a few changes, which
 * is harmless (adding a document replaces it; deleting an absent one is a
 * no-op). No index, no cursor, or a cursor ahead of the log (a different
 * store) means: rebuild from every document. */

#define FOLLOW_FILE "FOLLOW"

static int cursor_path(const char *dir, char *out, size_t cap)
{
    return (size_t)snprintf(out, cap, "%s/" FOLLOW_FILE, dir) < cap
               ? GALEN_OK
               : GALEN_EINVAL;
}

/* GALEN_OK, GALEN_ENOENT (no cursor) or GALEN_ECORRUPT. */
static int read_cursor(const char *dir, int64_t *seq)
{
    unsigned char *data = NULL;
    char path[4096], *end;
    size_t len;
    long long v;
    int rc = cursor_path(dir, path, sizeof path);

    if (rc == GALEN_OK)
        rc = fileio_read_all(path, 64, &data, &len);
    if (rc != GALEN_OK)
        return rc == GALEN_ENOENT ? rc : GALEN_ECORRUPT;
    errno = 0;
    v = strtoll((const char *)data, &end, 10);
    rc = errno == 0 && end != (char *)data && (*end == '\n' || !*end) && v >= 0
             ? GALEN_OK
             : GALEN_ECORRUPT;
    galen_free(data);
    *seq = v;
    return rc;
}

static int write_cursor(const char *dir, int64_t seq)
{
    char path[4096], line[32];
    int n = snprintf(line, sizeof line, "%lld\n", (long long)seq);
    int rc = cursor_path(dir, path, sizeof path);

    return rc == GALEN_OK ? fileio_write_atomic(dir, path, line, (size_t)n)
                          : rc;
}

/* The newest sequence number in the log (0 when empty). */
static int log_head(struct galen_store *st, int64_t *head)
{
    struct db_stmt *s;
    int rc = store_stmt(st, "SELECT COALESCE(MAX(seq),0) FROM index_log", &s);

    if (rc != GALEN_OK)
        return rc;
    if (db_step(s) == DB_ROW) {
        *head = db_col_int64(s, 0);
    } else {
        rc = store_db_error(st);
    }
    db_reset(s);
    return rc;
}

/* The ids logged in (after, upto], each once. Caller frees each and *out. */
static int log_ids(struct galen_store *st, int64_t after, int64_t upto,
                   char ***out, size_t *n)
{
    struct db_stmt *s;
    int rc = store_stmt(st,
                        "SELECT DISTINCT doc_id FROM index_log"
                        " WHERE seq>?1 AND seq<=?2",
                        &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, after);
    db_bind_int64(s, 2, upto);
    return store_text_rows(st, s, out, n);
}

static int version_of(struct galen_store *st, const char *id, int64_t *version,
                      char updated_at[32])
{
    struct db_stmt *s;
    int rc = store_stmt(
        st, "SELECT version,updated_at FROM documents WHERE id=?1", &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_text(s, 1, id, -1);
    rc = db_step(s);
    if (rc == DB_ROW) {
        const char *u = db_col_text(s, 1);

        *version = db_col_int64(s, 0);
        snprintf(updated_at, 32, "%s", u ? u : "");
        rc = GALEN_OK;
    } else {
        rc = rc == DB_DONE ? GALEN_ENOENT : store_db_error(st);
    }
    db_reset(s);
    return rc;
}

/* Brings the index's copy of id to the store's current state: the
 * document as it is now, or its removal. */
static int follow_doc(struct run *k, const char *id)
{
    char updated_at[32];
    struct doc *d = NULL;
    int64_t version = 0;
    int rc = store_get(k->st, id, &d);

    if (rc == GALEN_OK)
        rc = version_of(k->st, id, &version, updated_at);
    if (rc == GALEN_ENOENT) {
        rc = index_writer_delete(k->w, str_from(id));
        k->stats->removed += rc == GALEN_OK;
    } else if (rc == GALEN_OK && d->has_answer && d->nsections > 0) {
        rc = add_doc(k, d, version, updated_at);
        k->stats->added += rc == GALEN_OK;
    } else if (rc == GALEN_OK) {
        /* Never answer evidence; drop it if an earlier form was indexed. */
        rc = index_writer_delete(k->w, str_from(id));
        k->stats->skipped += rc == GALEN_OK;
    }
    doc_free(d);
    return rc;
}

/* Applies the log from the cursor at to head, a chunk per index commit,
 * advancing the cursor after each. */
static int follow_log(struct galen_store *st, const char *index_dir, int64_t at,
                      int64_t head,
                      void (*progress)(void *ctx, uint64_t, uint64_t),
                      void *ctx, struct galen_store_index_stats *stats)
{
    struct run k;
    int rc;

    run_init(&k, st, stats, progress, ctx);
    k.follow = true;
    stats->total = (uint64_t)(head - at);
    rc = index_writer_open(index_dir, NULL, &k.w);
    if (rc != GALEN_OK) {
        if (rc != GALEN_ESTATE)
            open_failed(st);
        run_cleanup(&k);
        return rc;
    }
    while (rc == GALEN_OK && at < head) {
        int64_t upto =
            head - at > STORE_INDEX_CHUNK ? at + STORE_INDEX_CHUNK : head;
        char **ids = NULL;
        size_t n = 0, i;

        rc = log_ids(st, at, upto, &ids, &n);
        for (i = 0; rc == GALEN_OK && i < n; i++)
            rc = follow_doc(&k, ids[i]);
        for (i = 0; i < n; i++)
            galen_free(ids[i]);
        galen_free(ids);
        if (rc == GALEN_OK)
            rc = index_writer_commit(k.w);
        if (rc == GALEN_OK)
            rc = write_cursor(index_dir, upto);
        if (rc == GALEN_OK)
            at = upto;
        if (rc == GALEN_OK && progress)
            progress(ctx, stats->total - (uint64_t)(head - at), stats->total);
    }
    if (rc != GALEN_OK)
        run_errmsg(&k);
    run_cleanup(&k);
    return rc;
}

int store_index_follow(struct galen_store *st, const char *index_dir,
                       void (*progress)(void *ctx, uint64_t done,
                                        uint64_t total),
                       void *ctx, struct galen_store_index_stats *stats)
{
    struct galen_store_index_stats again;
    int64_t head = 0, at = 0;
    int rc = log_head(st, &head);

    memset(stats, 0, sizeof *stats);
    if (rc != GALEN_OK)
        return rc;
    if (!has_manifest(index_dir) || read_cursor(index_dir, &at) != GALEN_OK ||
        at > head) {
        rc = rebuild(st, index_dir, progress, ctx, stats, head);
        if (rc != GALEN_OK)
            return rc;
        at = head;
        rc = log_head(st, &head); /* what changed meanwhile */
        if (rc != GALEN_OK || at == head)
            return rc;
        return follow_log(st, index_dir, at, head, NULL, NULL, &again);
    }
    if (at == head)
        return GALEN_OK;
    return follow_log(st, index_dir, at, head, progress, ctx, stats);
}
