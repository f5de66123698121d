/* SPDX-License-Identifier: MIT */
/* db.c: picks the backend for a target and forwards each call to it. */
#include "db.h"

#include <stdio.h>
#include <string.h>

#include <galen/error.h>

bool db_is_url(const char *target)
{
    return target && (strncmp(target, "postgresql://", 13) == 0 ||
                      strncmp(target, "postgres://", 11) == 0);
}

int db_open(const char *target, struct db **out, char *err, size_t cap)
{
    const struct db_ops *ops = db_is_url(target) ? &db_pg_ops : &db_sqlite_ops;

    return ops->open(target, out, err, cap);
}

void db_close(struct db *db)
{
    if (db)
        db->ops->close(db);
}

enum db_kind db_kind(const struct db *db)
{
    return db->kind;
}

const char *db_errmsg(struct db *db)
{
    return db->ops->errmsg(db);
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
    return db->ops->prepare(db, sql, out);
}

void db_finalize(struct db_stmt *s)
{
    if (s)
        s->db->ops->finalize(s);
}

int db_bind_text(struct db_stmt *s, int i, const char *v, int len)
{
    if (!v)
        return db_bind_null(s, i);
    return s->db->ops->bind(s, i, DB_T_TEXT, v,
                            len < 0 ? strlen(v) : (size_t)len);
}

int db_bind_int64(struct db_stmt *s, int i, int64_t v)
{
    return s->db->ops->bind(s, i, DB_T_INT, &v, sizeof v);
}

int db_bind_blob(struct db_stmt *s, int i, const void *v, size_t len)
{
    return s->db->ops->bind(s, i, DB_T_BLOB, v, len);
}

int db_bind_null(struct db_stmt *s, int i)
{
    return s->db->ops->bind(s, i, DB_T_NULL, NULL, 0);
}

int db_step(struct db_stmt *s)
{
    return s->db->ops->step(s);
}

void db_reset(struct db_stmt *s)
{
    s->db->ops->reset(s);
}

void db_clear(struct db_stmt *s)
{
    s->db->ops->clear(s);
}

const char *db_col_text(struct db_stmt *s, int i)
{
    return s->db->ops->col_text(s, i);
}

size_t db_col_bytes(struct db_stmt *s, int i)
{
    return s->db->ops->col_bytes(s, i);
}

int64_t db_col_int64(struct db_stmt *s, int i)
{
    return s->db->ops->col_int64(s, i);
}

int db_col_int(struct db_stmt *s, int i)
{
    return (int)s->db->ops->col_int64(s, i);
}

const void *db_col_blob(struct db_stmt *s, int i, size_t *len)
{
    return s->db->ops->col_blob(s, i, len);
}

int db_exec(struct db *db, const char *sql)
{
    return db->ops->exec(db, sql, false);
}

int db_exec_ddl(struct db *db, const char *sql)
{
    return db->ops->exec(db, sql, true);
}

int64_t db_changes(struct db *db)
{
    return db->ops->changes(db);
}

int db_last_id(struct db *db, int64_t *out)
{
    return db->ops->last_id(db, out);
}

bool db_in_tx(struct db *db)
{
    return db->ops->in_tx(db);
}

int db_version_get(struct db *db, int *out)
{
    return db->ops->version_get(db, out);
}

int db_version_set(struct db *db, int version)
{
    return db->ops->version_set(db, version);
}

int db_lock_schema(struct db *db)
{
    return db->ops->lock_schema(db);
}
