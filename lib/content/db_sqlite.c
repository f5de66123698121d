/* SPDX-License-Identifier: MIT */
/* db_sqlite.c: the SQLite backend of db.h, a thin skin over the C API. The
 * connection runs in WAL mode with foreign keys on, trusted_schema off and
 * a ten-second busy timeout; extended result codes tell a broken
 * uniqueness rule from other constraints. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "db.h"

struct lite {
    struct db base;
    sqlite3 *h;
};

struct lite_stmt {
    struct db_stmt base;
    sqlite3_stmt *h;
};

static sqlite3 *H(struct db *db)
{
    return ((struct lite *)db)->h;
}

static sqlite3_stmt *S(struct db_stmt *s)
{
    return ((struct lite_stmt *)s)->h;
}

static void lite_close(struct db *db)
{
    if (sqlite3_get_autocommit(H(db)) == 0)
        sqlite3_exec(H(db), "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(H(db));
    galen_free(db);
}

static int lite_exec(struct db *db, const char *sql, bool ddl)
{
    const char *p = sql;

    (void)ddl;
    while (*p) {
        sqlite3_stmt *s = NULL;
        const char *tail = NULL;
        int rc = sqlite3_prepare_v2(H(db), p, -1, &s, &tail);

        if (rc != SQLITE_OK)
            return GALEN_EDB;
        if (!s)
            break; /* only whitespace or comments left */
        do {
            rc = sqlite3_step(s);
        } while (rc == SQLITE_ROW);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return GALEN_EDB;
        p = tail;
    }
    return GALEN_OK;
}

static int lite_open(const char *target, struct db **out, char *err, size_t cap)
{
    struct lite *db = galen_calloc(1, sizeof *db);

    if (!db) {
        snprintf(err, cap, "out of memory");
        return GALEN_ENOMEM;
    }
    db->base.ops = &db_sqlite_ops;
    db->base.kind = DB_SQLITE;
    if (sqlite3_open_v2(target, &db->h,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(db->h, 10000);
    sqlite3_extended_result_codes(db->h, 1);
    if (lite_exec(&db->base,
                  "PRAGMA journal_mode = WAL;"
                  "PRAGMA synchronous = NORMAL;"
                  "PRAGMA foreign_keys = ON;"
                  "PRAGMA trusted_schema = OFF;",
                  false) != GALEN_OK)
        goto fail;
    *out = &db->base;
    return GALEN_OK;
fail:
    snprintf(err, cap, "%s", db->h ? sqlite3_errmsg(db->h) : "out of memory");
    sqlite3_close(db->h);
    galen_free(db);
    return GALEN_EDB;
}

static const char *lite_errmsg(struct db *db)
{
    return sqlite3_errmsg(H(db));
}

static int lite_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
    struct lite_stmt *s = galen_calloc(1, sizeof *s);

    if (!s)
        return GALEN_ENOMEM;
    s->base.db = db;
    if (sqlite3_prepare_v3(H(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &s->h,
                           NULL) != SQLITE_OK) {
        galen_free(s);
        return GALEN_EDB;
    }
    *out = &s->base;
    return GALEN_OK;
}

static void lite_finalize(struct db_stmt *s)
{
    sqlite3_finalize(S(s));
    galen_free(s);
}

static int lite_bind(struct db_stmt *s, int i, int type, const void *v,
                     size_t n)
{
    int rc;

    switch (type) {
    case DB_T_TEXT:
        rc = sqlite3_bind_text(S(s), i, v, (int)n, SQLITE_STATIC);
        break;
    case DB_T_INT:
        rc = sqlite3_bind_int64(S(s), i, *(const int64_t *)v);
        break;
    case DB_T_BLOB:
        rc = sqlite3_bind_blob(S(s), i, v, (int)n, SQLITE_STATIC);
        break;
    default:
        rc = sqlite3_bind_null(S(s), i);
        break;
    }
    if (rc == SQLITE_NOMEM)
        return GALEN_ENOMEM;
    return rc == SQLITE_OK ? GALEN_OK : GALEN_EINVAL;
}

static int lite_step(struct db_stmt *s)
{
    int rc = sqlite3_step(S(s));

    switch (rc & 0xff) {
    case SQLITE_ROW:
        return DB_ROW;
    case SQLITE_DONE:
        return DB_DONE;
    case SQLITE_CONSTRAINT:
        return rc == SQLITE_CONSTRAINT_UNIQUE ||
                       rc == SQLITE_CONSTRAINT_PRIMARYKEY
                   ? DB_EUNIQUE
                   : DB_ECONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_EBUSY;
    default:
        return DB_ERROR;
    }
}

static void lite_reset(struct db_stmt *s)
{
    sqlite3_reset(S(s));
}

static void lite_clear(struct db_stmt *s)
{
    sqlite3_clear_bindings(S(s));
}

static const char *lite_col_text(struct db_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(S(s), i);
}

static size_t lite_col_bytes(struct db_stmt *s, int i)
{
    return (size_t)sqlite3_column_bytes(S(s), i);
}

static int64_t lite_col_int64(struct db_stmt *s, int i)
{
    return sqlite3_column_int64(S(s), i);
}

static const void *lite_col_blob(struct db_stmt *s, int i, size_t *len)
{
    const void *p = sqlite3_column_blob(S(s), i);

    *len = (size_t)sqlite3_column_bytes(S(s), i);
    return p;
}

static int64_t lite_changes(struct db *db)
{
    return sqlite3_changes64(H(db));
}

static int lite_last_id(struct db *db, int64_t *out)
{
    *out = sqlite3_last_insert_rowid(H(db));
    return GALEN_OK;
}

static bool lite_in_tx(struct db *db)
{
    return sqlite3_get_autocommit(H(db)) == 0;
}

static int lite_version_get(struct db *db, int *out)
{
    sqlite3_stmt *s;
    int rc = GALEN_EDB;

    if (sqlite3_prepare_v2(H(db), "PRAGMA user_version", -1, &s, NULL) !=
        SQLITE_OK)
        return GALEN_EDB;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *out = sqlite3_column_int(s, 0);
        rc = GALEN_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

static int lite_version_set(struct db *db, int version)
{
    char sql[48];

    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
    return lite_exec(db, sql, false);
}

static int lite_lock_schema(struct db *db)
{
    (void)db; /* BEGIN IMMEDIATE already holds the write lock */
    return GALEN_OK;
}

const struct db_ops db_sqlite_ops = {
    lite_open,     lite_close,       lite_errmsg,      lite_prepare,
    lite_finalize, lite_bind,        lite_step,        lite_reset,
    lite_clear,    lite_col_text,    lite_col_bytes,   lite_col_int64,
    lite_col_blob, lite_exec,        lite_changes,     lite_last_id,
    lite_in_tx,    lite_version_get, lite_version_set, lite_lock_schema};
