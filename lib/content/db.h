/* SPDX-License-Identifier: MIT */
/* db.h: the one SQL interface the store and the service layer run on, with
 * two backends behind a table of operations (as SQLite's VFS or curl's TLS
 * backends): SQLite (db_sqlite.c, the default, a file path) and PostgreSQL
 * through libpq (db_pg.c, a postgresql:// or postgres:// URL).
 *
 * The model is SQLite's: prepare once, bind, step row by row, read columns,
 * reset. SQL is written once with ?NNN (or bare ?) placeholders; the
 * PostgreSQL backend rewrites them to $NNN and maps the few SQLite-only
 * phrases galen uses (the ISO "now" strftime, BEGIN IMMEDIATE). Everything
 * else a query needs must be accepted by both (ON CONFLICT, IS DISTINCT
 * FROM, RETURNING, COALESCE); db_kind picks a variant where none is. */
#ifndef GALEN_CONTENT_DB_H
#define GALEN_CONTENT_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

enum db_kind { DB_SQLITE, DB_PG };

/* db_step's results: a row, the end, or a failure (message in
 * db_errmsg). A constraint failure says whether a uniqueness rule was
 * broken; DB_EBUSY is a lock timeout or a serialization failure, after
 * which the caller may retry the transaction. */
enum db_step {
    DB_ROW = 1,
    DB_DONE = 0,
    DB_ERROR = -1,
    DB_EUNIQUE = -2,
    DB_ECONSTRAINT = -3,
    DB_EBUSY = -4
};

struct db;
struct db_stmt;

/* True if target names a PostgreSQL server rather than a SQLite file. */
bool db_is_url(const char *target);

/* Opens target (a SQLite path, created if absent, or a PostgreSQL URL).
 * GALEN_OK, GALEN_EDB with the reason in err, GALEN_ENOMEM. Caller closes
 * *out with db_close. */
GALEN_NODISCARD int db_open(const char *target, struct db **out, char *err,
                            size_t cap);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);

/* The last failure's message. Borrowed until the next call on db. */
const char *db_errmsg(struct db *db);

/* Prepares one statement, kept until db_finalize. GALEN_OK or GALEN_EDB. */
GALEN_NODISCARD int db_prepare(struct db *db, const char *sql,
                               struct db_stmt **out);
void db_finalize(struct db_stmt *s);

/* Binding; i counts from 1. Text and blobs are copied or must outlive the
 * step (as SQLITE_STATIC); len < 0 means up to the NUL. A NULL v binds
 * NULL. GALEN_OK, GALEN_ENOMEM, or GALEN_EINVAL for a bad index. */
int db_bind_text(struct db_stmt *s, int i, const char *v, int len);
int db_bind_int64(struct db_stmt *s, int i, int64_t v);
int db_bind_blob(struct db_stmt *s, int i, const void *v, size_t len);
int db_bind_null(struct db_stmt *s, int i);

/* Runs the statement on its first call and moves to the next row on each
 * later one (enum db_step). */
int db_step(struct db_stmt *s);

/* Ends the current run (bindings stay) / forgets the bindings. */
void db_reset(struct db_stmt *s);
void db_clear(struct db_stmt *s);

/* Columns of the current row, from 0. Text is NUL-terminated, NULL for
 * SQL NULL, and borrowed until the next step or reset. A boolean column
 * reads as 1 or 0. */
const char *db_col_text(struct db_stmt *s, int i);
size_t db_col_bytes(struct db_stmt *s, int i);
int64_t db_col_int64(struct db_stmt *s, int i);
int db_col_int(struct db_stmt *s, int i);
const void *db_col_blob(struct db_stmt *s, int i, size_t *len);

/* Runs a constant script of one or more statements that return no rows
 * (setup, transactions, migrations; never data). GALEN_OK or GALEN_EDB. */
int db_exec(struct db *db, const char *sql);

/* As db_exec for schema text written in SQLite's dialect: PostgreSQL gets
 * BIGINT for INTEGER, identity keys for INTEGER PRIMARY KEY, BYTEA for
 * BLOB, a case-insensitive collation for NOCASE and no WITHOUT ROWID. */
GALEN_NODISCARD int db_exec_ddl(struct db *db, const char *sql);

/* Rows changed by the last statement, and the key the last INSERT into a
 * table with an INTEGER PRIMARY KEY gave its row (call only after a
 * successful insert). */
int64_t db_changes(struct db *db);
GALEN_NODISCARD int db_last_id(struct db *db, int64_t *out);

/* Whether a transaction is open on db. */
bool db_in_tx(struct db *db);

/* The schema version (SQLite: PRAGMA user_version; PostgreSQL: the
 * galen_schema table, 0 before it exists) and, inside a transaction, its
 * new value. db_lock_schema serialises migrations across processes. */
GALEN_NODISCARD int db_version_get(struct db *db, int *out);
GALEN_NODISCARD int db_version_set(struct db *db, int version);
GALEN_NODISCARD int db_lock_schema(struct db *db);

/* The backends, for db.c. */
struct db_ops {
    int (*open)(const char *target, struct db **out, char *err, size_t cap);
    void (*close)(struct db *db);
    const char *(*errmsg)(struct db *db);
    int (*prepare)(struct db *db, const char *sql, struct db_stmt **out);
    void (*finalize)(struct db_stmt *s);
    int (*bind)(struct db_stmt *s, int i, int type, const void *v, size_t n);
    int (*step)(struct db_stmt *s);
    void (*reset)(struct db_stmt *s);
    void (*clear)(struct db_stmt *s);
    const char *(*col_text)(struct db_stmt *s, int i);
    size_t (*col_bytes)(struct db_stmt *s, int i);
    int64_t (*col_int64)(struct db_stmt *s, int i);
    const void *(*col_blob)(struct db_stmt *s, int i, size_t *len);
    int (*exec)(struct db *db, const char *sql, bool ddl);
    int64_t (*changes)(struct db *db);
    int (*last_id)(struct db *db, int64_t *out);
    bool (*in_tx)(struct db *db);
    int (*version_get)(struct db *db, int *out);
    int (*version_set)(struct db *db, int version);
    int (*lock_schema)(struct db *db);
};

/* Bind types for db_ops.bind. */
enum { DB_T_NULL, DB_T_TEXT, DB_T_INT, DB_T_BLOB };

/* Every backend's handle and statement start with these. */
struct db {
    const struct db_ops *ops;
    enum db_kind kind;
};

struct db_stmt {
    struct db *db;
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif
