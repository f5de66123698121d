/* SPDX-License-Identifier: MIT */
/* galen/store.h: the content store (the source of truth: documents, their
 * versions and review history, users, patient questions and replies), the
 * importers that fill it, and the step that derives the search index from
 * it. The store is one SQLite file; the handle is not thread-safe (open one
 * per thread). See docs/store.md and docs/import.md. */
#ifndef GALEN_STORE_H
#define GALEN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <galen/common.h>

GALEN_BEGIN_DECLS

struct galen_store;

/* ---- the data folder ------------------------------------------------------
 * A data folder holds the store (<data>/store.db) and the search index
 * (<data>/index). These write the path of each into out[0..cap); GALEN_OK,
 * or GALEN_EINVAL (out empty) when it does not fit. When $GALEN_STORE is
 * set (`galen --store URL` sets it), galen_data_store_path gives it
 * instead: a postgresql:// URL puts the store in PostgreSQL while the
 * index stays in the data folder (docs/store.md). */
GALEN_API GALEN_NODISCARD int galen_data_store_path(const char *data_dir,
                                                    char *out, size_t cap);
GALEN_API GALEN_NODISCARD int galen_data_index_path(const char *data_dir,
                                                    char *out, size_t cap);

/* True if path is a PostgreSQL URL (postgresql:// or postgres://) rather
 * than a SQLite file. */
GALEN_API bool galen_store_is_url(const char *path);

/* Opens the store at path (a SQLite file, or a PostgreSQL URL), creating
 * it if missing and migrating an older schema to the current one.
 * GALEN_EDB if the database fails (galen_store_errmsg(NULL) then says
 * why), GALEN_EVERSION if it was written by a newer galen. Caller closes
 * with galen_store_close. */
GALEN_API GALEN_NODISCARD int galen_store_open(const char *path,
                                               struct galen_store **out);

/* Closes st and finalises its statements. NULL is a no-op. */
GALEN_API void galen_store_close(struct galen_store *st);

/* Last error message for st, or for the last failed galen_store_open when st is
 * NULL (thread-local). Borrowed; valid until the next call on st. */
GALEN_API const char *galen_store_errmsg(const struct galen_store *st);

struct galen_store_counts {
    uint64_t docs;          /* documents */
    uint64_t answered;      /* documents that may serve as answer evidence */
    uint64_t versions;      /* superseded versions kept */
    uint64_t review_events; /* audit trail entries */
    uint64_t unindexed;     /* documents changed since the last index run */
    uint64_t deleted;       /* deletions not yet applied to the index */
};

/* Fills *out. GALEN_OK or GALEN_EDB. */
GALEN_API GALEN_NODISCARD int
galen_store_counts(struct galen_store *st, struct galen_store_counts *out);

/* Runs SQLite's integrity and foreign-key checks. GALEN_OK, or
 * GALEN_ECORRUPT with the first problem in galen_store_errmsg(st). */
GALEN_API GALEN_NODISCARD int galen_store_check(struct galen_store *st);

/* ---- importing --------------------------------------------------------- */

enum galen_import_format {
    /* MedQuAD XML, one file per source document */
    GALEN_IMPORT_MEDQUAD,
    /* PubMed/MEDLINE XML (PubmedArticleSet), plain or gzip */
    GALEN_IMPORT_PUBMED,
    /* BEIR corpus.jsonl: _id, title, text */
    GALEN_IMPORT_BEIR,
    /* galen's Markdown articles (docs/article-format.md) */
    GALEN_IMPORT_ARTICLE,
    /* MedlinePlus health-topics XML, plain or gzip (docs/import.md) */
    GALEN_IMPORT_MEDLINEPLUS
};

/* Parses "medquad", "pubmed", "beir", "article" or "medlineplus". GALEN_OK or
 * GALEN_EINVAL. */
GALEN_API GALEN_NODISCARD int
galen_import_format_parse(const char *name, enum galen_import_format *out);

/* Running totals of an import. Documents are counted once each: imported
 * (new or changed), unchanged (same content already stored), skipped
 * (recognised but not importable, such as a PubMed book record). failed
 * counts failures, each reported once through on_error: a file that
 * rolled back, or one bad record in a record-per-line format. */
struct galen_import_stats {
    uint64_t imported;
    uint64_t unchanged;
    uint64_t skipped;
    uint64_t failed;
    uint64_t files;       /* input files finished */
    uint64_t bytes_done;  /* input bytes consumed (compressed, for gzip) */
    uint64_t bytes_total; /* sum of the input files' sizes */
};

struct galen_import_opts {
    bool strict; /* stop at the first failure */
    /* Called once per failure with the file, the line (0 if unknown) and
     * what went wrong. May be NULL. */
    void (*on_error)(void *ctx, const char *file, long line, const char *msg);
    /* Called now and then as input is consumed. May be NULL. */
    void (*on_progress)(void *ctx, const struct galen_import_stats *st);
    void *ctx;
};

/* Imports the files and folders in paths (folders are walked recursively,
 * taking *.xml, *.xml.gz, *.jsonl or *.md by format) into st. Each file, or
 * each batch of records in a large file, is one transaction: a file that
 * fails rolls back and is reported, and the rest goes on (unless strict).
 * Returns GALEN_OK when every file imported, GALEN_EPARSE when some
 * failed, GALEN_EABORT when strict stopped early, or an error such as
 * GALEN_EDB / GALEN_EIO / GALEN_ENOMEM that stopped the whole run. *stats
 * is always filled. */
GALEN_API GALEN_NODISCARD int
galen_import_paths(struct galen_store *st, enum galen_import_format fmt,
                   const char *const *paths, size_t npaths,
                   const struct galen_import_opts *opts,
                   struct galen_import_stats *stats);

/* ---- deriving the search index ----------------------------------------- */

struct galen_store_index_stats {
    uint64_t added;   /* documents (re)written to the index */
    uint64_t removed; /* deleted from the index (deleted or unanswered) */
    uint64_t skipped; /* changed but not indexable (questions only) */
    uint64_t total;   /* documents the run looked at */
    bool rebuilt;     /* the index was rebuilt from every document */
};

/* Brings the search index in index_dir up to date with st: documents
 * changed or added since the last run are (re)indexed, deleted ones are
 * removed, and nothing else is touched. Only documents with an answer are
 * indexed (title; sections as the body; metadata JSON as the stored meta
 * blob). When index_dir holds no index (never built, or removed), it is
 * rebuilt from every document (galen_store_index_rebuild below). progress
 * may be NULL. GALEN_OK, or the index or store error with the message in
 * galen_store_errmsg(st). */
GALEN_API GALEN_NODISCARD int galen_store_index_update(
    struct galen_store *st, const char *index_dir,
    void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
    struct galen_store_index_stats *stats);

/* Sets *pending when st holds changes the index has not seen: documents
 * added, changed or re-reviewed, or deletions (a cheap check, for a server
 * that keeps its index in step). GALEN_OK or GALEN_EDB. */
GALEN_API GALEN_NODISCARD int galen_store_index_pending(struct galen_store *st,
                                                        bool *pending);

/* Rebuilds the search index in index_dir from every document in st, into
 * a fresh folder that then replaces index_dir (so a corrupt index is never
 * read, and readers of the old one keep their snapshot). galen_store_index_
 * update does this by itself when index_dir holds no index. GALEN_OK, or
 * GALEN_ESTATE when another process is writing the index, or the index or
 * store error; galen_store_errmsg(st) says why. */
GALEN_API GALEN_NODISCARD int galen_store_index_rebuild(
    struct galen_store *st, const char *index_dir,
    void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
    struct galen_store_index_stats *stats);

/* ---- backup, restore, export, delete ----------------------------------- */

struct galen_backup_stats {
    uint64_t bytes;            /* bytes copied */
    uint64_t index_generation; /* of the index copied; 0 when none */
};

/* Copies the data folder data_dir (store, index, its own lexicon and
 * red-flag files) into the new folder dest, consistently, while servers
 * and importers keep running: the index's writer lock is held while the
 * index files are copied and the store is copied with SQLite's online
 * backup. Writes into "<dest>.partial", renamed to dest when complete.
 * GALEN_OK; GALEN_EEXIST when dest (or a partial) exists; GALEN_ENOENT
 * with no store; GALEN_ESTATE when another process holds the index's
 * writer lock (retry); GALEN_EIO, GALEN_EDB. err says why. */
GALEN_API GALEN_NODISCARD int galen_backup(const char *data_dir,
                                           const char *dest,
                                           struct galen_backup_stats *stats,
                                           char *err, size_t cap);

/* Restores the backup folder into data_dir, which must not exist or be
 * empty: copies it into "<data_dir>.partial", checks the store's integrity
 * and renames it into place. GALEN_OK, GALEN_EEXIST (data_dir has files),
 * GALEN_ENOENT (not a backup), GALEN_ECORRUPT, GALEN_EIO. err says why. */
GALEN_API GALEN_NODISCARD int
galen_restore(const char *backup, const char *data_dir, char *err, size_t cap);

/* Calls cb with each document as JSON (one line: the store's snapshot
 * format, every field), in id order. A non-zero return from cb stops and
 * is returned. GALEN_OK or the store error. */
GALEN_API GALEN_NODISCARD int
galen_store_export(struct galen_store *st,
                   int (*cb)(void *ctx, const char *json, size_t len),
                   void *ctx);

enum galen_export_format {
    GALEN_EXPORT_JSONL,  /* galen_store_export's JSON, one object a document */
    GALEN_EXPORT_ARTICLE /* galen Markdown (docs/article-format.md) */
};

/* Receives one exported document: its id and its text (NUL-terminated,
 * len bytes, borrowed for the call). For GALEN_EXPORT_ARTICLE a document
 * the format cannot hold exactly comes with text NULL and why saying why,
 * so the caller can report it. Non-zero stops the export. */
typedef int (*galen_export_cb)(void *ctx, const char *id, const char *text,
                               size_t len, const char *why);

/* Calls cb with each document in fmt, in id order. Importing the articles
 * it writes (`galen import article`) gives documents with the same content
 * hashes. GALEN_OK, GALEN_EINVAL for an unknown fmt, the store error, or
 * cb's non-zero return. */
GALEN_API GALEN_NODISCARD int
galen_store_export_as(struct galen_store *st, enum galen_export_format fmt,
                      galen_export_cb cb, void *ctx);

/* Deletes document id (kept in its version history and audit trail as
 * deleted by who); the next index update removes it from the index.
 * GALEN_OK, GALEN_ENOENT, GALEN_EDB. */
GALEN_API GALEN_NODISCARD int
galen_store_delete(struct galen_store *st, const char *id, const char *who);

GALEN_END_DECLS

#endif
