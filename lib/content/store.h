/* SPDX-License-Identifier: MIT */
/* store.h: libgalen's internal view of the content store: its database
 * (db.h: SQLite or PostgreSQL), the prepared-statement cache, transactions,
 * and document upsert, load, delete and review. Modules that add their own
 * tables (users, sessions, questions, ...) run SQL through store_stmt, in
 * the subset of SQL both backends accept (db.h). */
#ifndef GALEN_STORE_INTERNAL_H
#define GALEN_STORE_INTERNAL_H

#include <stdint.h>

#include <galen/store.h>

#include "base/common.h"
#include "db.h"
#include "doc.h"

/* The schema version galen_store_open migrates to (db_version_get). */
enum { STORE_SCHEMA_VERSION = 9 };

/* Opens path (a SQLite file, or a postgresql:// URL) and migrates it only up to
 * version (1..STORE_SCHEMA_VERSION); for tests of migrations. Otherwise as
 * galen_store_open. */
GALEN_NODISCARD int store_open_version(const char *path, int version,
                                       struct galen_store **out);

/* The schema version of the open store. */
int store_schema_version(struct galen_store *st);

/* The underlying connection, borrowed, and which backend it is. */
struct db *store_db(struct galen_store *st);
enum db_kind store_kind(struct galen_store *st);

/* Runs a constant script (db_exec). GALEN_OK or GALEN_EDB. */
GALEN_NODISCARD int store_exec(struct galen_store *st, const char *sql);

/* Rows changed by the last statement; the key of the last insert (call
 * only after one succeeded). */
int64_t store_changes(struct galen_store *st);
GALEN_NODISCARD int store_last_id(struct galen_store *st, int64_t *id);

/* Returns the cached prepared statement for sql (prepared on first use and
 * kept until galen_store_close), reset and with its bindings cleared. The
 * caller binds, steps, and calls db_reset when done so that no read stays
 * open. Borrowed; never finalise it. GALEN_EDB if sql does not prepare,
 * GALEN_ETOOBIG if the cache is full, GALEN_ENOMEM. */
GALEN_NODISCARD int store_stmt(struct galen_store *st, const char *sql,
                               struct db_stmt **out);

/* Records the database's current message as st's error and returns GALEN_EDB.
 */
int store_db_error(struct galen_store *st);

/* Steps s (a statement from store_stmt, its parameters bound) to the end
 * and copies each row's first column, as text, into *out (galen_free each
 * and the array); resets s. On failure nothing is kept: *out is NULL and
 * *n 0. */
GALEN_NODISCARD int store_text_rows(struct galen_store *st, struct db_stmt *s,
                                    char ***out, size_t *n);

/* Makes msg the message galen_store_errmsg(st) returns. */
void store_set_errmsg(struct galen_store *st, const char *msg);

/* Transactions. store_begin starts a write transaction (BEGIN IMMEDIATE);
 * they do not nest. GALEN_OK or GALEN_EDB. store_rollback never fails. */
GALEN_NODISCARD int store_begin(struct galen_store *st);
GALEN_NODISCARD int store_commit(struct galen_store *st);
void store_rollback(struct galen_store *st);

enum store_upsert_result { STORE_INSERTED, STORE_UPDATED, STORE_UNCHANGED };

/* Inserts d, or replaces the stored document with the same id. Unchanged
 * content (same doc_hash) is a no-op. A change keeps the previous version
 * as a JSON snapshot in doc_versions, bumps the version, sets the status
 * to d->status (recording a review event from who if it differs) and
 * marks the document for re-indexing. Atomic on its own (a savepoint) and
 * inside a caller's transaction. GALEN_EPARSE if d fails doc_validate,
 * GALEN_EDB, GALEN_ENOMEM. */
GALEN_NODISCARD int store_upsert(struct galen_store *st, const struct doc *d,
                                 const char *who,
                                 enum store_upsert_result *out);

/* Loads the document id. GALEN_ENOENT if absent. Caller frees *out with
 * doc_free. */
GALEN_NODISCARD int store_get(struct galen_store *st, const char *id,
                              struct doc **out);

/* The current version number and status of id. GALEN_ENOENT if absent. */
GALEN_NODISCARD int store_doc_version(struct galen_store *st, const char *id,
                                      int64_t *version,
                                      enum doc_status *status);

/* The JSON snapshot (doc_to_json) of an earlier version of id. GALEN_ENOENT
 * if there is none. Caller frees *json with galen_free. */
GALEN_NODISCARD int store_get_version(struct galen_store *st, const char *id,
                                      int64_t version, char **json);

/* Deletes id, keeping its last version in doc_versions and queueing its
 * removal from the index. GALEN_ENOENT if absent. */
GALEN_NODISCARD int store_delete(struct galen_store *st, const char *id,
                                 const char *who);

/* Changes the review status of id and appends a review event (who, now,
 * note; note may be NULL). The workflow module decides which transitions
 * are legal; this records any. GALEN_ENOENT if absent. */
GALEN_NODISCARD int store_set_status(struct galen_store *st, const char *id,
                                     enum doc_status to, const char *who,
                                     const char *note);

/* One audit-trail entry; strings are borrowed for the callback only. */
struct store_event {
    int64_t id;
    const char *doc_id;
    int64_t version;
    const char *from; /* NULL when the document was created */
    const char *to;
    const char *who;
    const char *at; /* ISO 8601 UTC */
    const char *note;
};

/* Calls cb for each review event of id, oldest first. A non-zero return
 * from cb stops the walk and is returned. */
GALEN_NODISCARD int
store_history(struct galen_store *st, const char *id,
              int (*cb)(void *ctx, const struct store_event *ev), void *ctx);

/* lib/api defines the galen_* function of each of these (its public
 * header documents it) as a call to this one. */
GALEN_NODISCARD int store_check(struct galen_store *st);
void store_close(struct galen_store *st);
GALEN_NODISCARD int store_counts(struct galen_store *st,
                                 struct galen_store_counts *out);
const char *store_errmsg(const struct galen_store *st);
GALEN_NODISCARD int
store_index_update(struct galen_store *st, const char *index_dir,
                   void (*progress)(void *ctx, uint64_t done, uint64_t total),
                   void *ctx, struct galen_store_index_stats *stats);
GALEN_NODISCARD int
store_index_rebuild(struct galen_store *st, const char *index_dir,
                    void (*progress)(void *ctx, uint64_t done, uint64_t total),
                    void *ctx, struct galen_store_index_stats *stats);
GALEN_NODISCARD int
store_index_follow(struct galen_store *st, const char *index_dir,
                   void (*progress)(void *ctx, uint64_t done, uint64_t total),
                   void *ctx, struct galen_store_index_stats *stats);
GALEN_NODISCARD int store_index_pending(struct galen_store *st, bool *pending);
GALEN_NODISCARD int store_open(const char *path, struct galen_store **out);

#endif
