/* SPDX-License-Identifier: MIT */
/* db_pg.c: the PostgreSQL backend of db.h, on libpq. Each statement is
 * prepared on the server under its own name after its ?NNN placeholders
 * become $NNN; a step runs it with the bound values as text (blobs as
 * binary) and walks the rows of the whole result, which libpq holds in
 * memory, so another statement may run between two steps as with SQLite.
 * Results come back as text: integers are parsed, booleans read as 1/0 and
 * bytea is unescaped. The connection runs in autocommit; BEGIN makes a
 * transaction as usual. Times are UTC whatever the server's zone.
 *
 * A server restart or failover breaks the connection. Outside a
 * transaction the next statement reconnects and prepares its statement
 * again (each keeps its text and the connection generation it was
 * prepared on); inside one, statements fail until the caller's ROLLBACK,
 * which reconnects: half a transaction must never run in autocommit. */
#include <dlfcn.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/mem.h"
#include "db.h"

/* libpq is loaded when the first PostgreSQL store opens, not linked: a
 * program that never uses one needs no libpq, and libgalen.a links
 * statically (Debian ships no static libraries of libpq's own
 * dependencies). Each function below is called through a pointer that
 * pq_load fills from libpq.so.5. */
/* clang-format off */
#define PQ_FUNCS(X) \
    X(PQclear) \
    X(PQcmdTuples) \
    X(PQconnectdb) \
    X(PQerrorMessage) \
    X(PQexec) \
    X(PQexecPrepared) \
    X(PQfinish) \
    X(PQfreemem) \
    X(PQftype) \
    X(PQgetisnull) \
    X(PQgetlength) \
    X(PQgetvalue) \
    X(PQnfields) \
    X(PQntuples) \
    X(PQprepare) \
    X(PQreset) \
    X(PQresultErrorField) \
    X(PQresultErrorMessage) \
    X(PQresultStatus) \
    X(PQsetClientEncoding) \
    X(PQsetNoticeProcessor) \
    X(PQstatus) \
    X(PQtransactionStatus) \
    X(PQunescapeBytea)
/* clang-format on */

#define PQ_POINTER(f) static __typeof__(f) *pq_##f;
PQ_FUNCS(PQ_POINTER)
#undef PQ_POINTER

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static bool pq_loaded;

static void pq_load_once(void)
{
    void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);

    if (!h)
        return;
#define PQ_SYMBOL(f)                                  \
    if (!(pq_##f = (__typeof__(pq_##f))dlsym(h, #f))) \
        return;
    PQ_FUNCS(PQ_SYMBOL)
#undef PQ_SYMBOL
    pq_loaded = true; /* the handle stays open for the process */
}

static bool pq_load(void)
{
    pthread_once(&pq_once, pq_load_once);
    return pq_loaded;
}

enum { PG_ERRMSG = 512, OID_BOOL = 16, OID_BYTEA = 17 };

struct pg {
    struct db base;
    PGconn *conn;
    unsigned nstmts; /* names the next prepared statement */
    unsigned gen;    /* connection generation, counts reconnections */
    bool tx_open;    /* a transaction was open at the last command */
    int64_t changes; /* rows the last statement changed */
    char errmsg[PG_ERRMSG];
};

struct pg_stmt {
    struct db_stmt base;
    char name[16];
    char *sql;    /* the PostgreSQL text, kept to prepare it again */
    unsigned gen; /* the generation it was prepared on */
    int nparams;
    char **vals; /* owned copies (malloc, as libpq's own); NULL is NULL */
    int *lens;
    int *fmts; /* 0 text, 1 binary (blobs) */
    PGresult *res;
    int row, nrows;      /* row is -1 before the first step */
    unsigned char *blob; /* the last unescaped bytea */
};

static struct pg *P(struct db *db)
{
    return (struct pg *)db;
}

static struct pg_stmt *PS(struct db_stmt *s)
{
    return (struct pg_stmt *)s;
}

/* Keeps msg (libpq's end with a newline) as the handle's message. */
static void keep_msg(struct pg *db, const char *msg)
{
    size_t n;

    snprintf(db->errmsg, sizeof db->errmsg, "%s", msg ? msg : "error");
    n = strlen(db->errmsg);
    while (n && (db->errmsg[n - 1] == '\n' || db->errmsg[n - 1] == ' '))
        db->errmsg[--n] = '\0';
}

/* Maps a failed result to enum db_step by its SQLSTATE. */
static int result_error(struct pg *db, const PGresult *res)
{
    const char *state =
        res ? pq_PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary =
        res ? pq_PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

    /* The primary message without libpq's "ERROR:  " and context. */
    if (primary)
        keep_msg(db, primary);
    else
        keep_msg(db, res ? pq_PQresultErrorMessage(res)
                         : pq_PQerrorMessage(db->conn));
    if (!state)
        return DB_ERROR;
    if (strcmp(state, "23505") == 0)
        return DB_EUNIQUE;
    if (strncmp(state, "23", 2) == 0)
        return DB_ECONSTRAINT;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
        strcmp(state, "55P03") == 0)
        return DB_EBUSY;
    return DB_ERROR;
}

/* Notes whether a transaction is open; a broken connection keeps what
 * was known before it broke. */
static void note_tx(struct pg *db)
{
    PGTransactionStatusType t = pq_PQtransactionStatus(db->conn);

    if (t != PQTRANS_UNKNOWN)
        db->tx_open = t != PQTRANS_IDLE;
}

/* Runs sql (no parameters) and checks that it succeeded. */
static int run(struct pg *db, const char *sql)
{
    PGresult *res = pq_PQexec(db->conn, sql);
    ExecStatusType st = pq_PQresultStatus(res);
    int rc = GALEN_OK;

    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        result_error(db, res);
        rc = GALEN_EDB;
    } else {
        db->changes = strtoll(pq_PQcmdTuples(res), NULL, 10);
    }
    pq_PQclear(res);
    note_tx(db);
    return rc;
}

/* Reconnects a broken connection if no transaction was open on it. */
static int revive(struct pg *db, bool rollback)
{
    if (pq_PQstatus(db->conn) == CONNECTION_OK)
        return GALEN_OK;
    if (db->tx_open && !rollback) {
        keep_msg(db, "the connection to PostgreSQL was lost inside a "
                     "transaction");
        return GALEN_EDB;
    }
    pq_PQreset(db->conn);
    if (pq_PQstatus(db->conn) != CONNECTION_OK) {
        keep_msg(db, pq_PQerrorMessage(db->conn));
        return GALEN_EDB;
    }
    db->gen++;
    db->tx_open = false;
    return run(db, "SET client_min_messages = warning");
}

static void quiet(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg; /* NOTICEs ("already exists, skipping") are not errors */
}

static int pg_open(const char *target, struct db **out, char *err, size_t cap)
{
    struct pg *db = galen_calloc(1, sizeof *db);

    if (!db) {
        snprintf(err, cap, "out of memory");
        return GALEN_ENOMEM;
    }
    db->base.ops = &db_pg_ops;
    db->base.kind = DB_PG;
    if (!pq_load()) {
        keep_msg(db, "cannot load libpq.so.5 (install libpq5)");
        goto fail;
    }
    db->conn = pq_PQconnectdb(target);
    if (!db->conn || pq_PQstatus(db->conn) != CONNECTION_OK) {
        keep_msg(db, db->conn ? pq_PQerrorMessage(db->conn) : "out of memory");
        goto fail;
    }
    pq_PQsetNoticeProcessor(db->conn, quiet, NULL);
    if (pq_PQsetClientEncoding(db->conn, "UTF8") != 0) {
        keep_msg(db, pq_PQerrorMessage(db->conn));
        goto fail;
    }
    if (run(db, "SET client_min_messages = warning") != GALEN_OK)
        goto fail;
    *out = &db->base;
    return GALEN_OK;
fail:
    snprintf(err, cap, "PostgreSQL: %s", db->errmsg);
    if (db->conn)
        pq_PQfinish(db->conn);
    galen_free(db);
    return GALEN_EDB;
}

static void pg_close(struct db *db)
{
    pq_PQfinish(P(db)->conn);
    galen_free(db);
}

static const char *pg_errmsg(struct db *db)
{
    return P(db)->errmsg;
}

/* Phrases of SQLite's dialect galen's SQL uses, and what PostgreSQL says. */
static const char *const phrases[][2] = {
    {"strftime('%Y-%m-%dT%H:%M:%SZ','now')",
     "to_char(now() AT TIME ZONE 'UTC','YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"},
    {"BEGIN IMMEDIATE", "BEGIN"},
};

/* Schema words of SQLite's dialect (db_exec_ddl), longest first. */
static const char *const ddl_words[][2] = {
    {"INTEGER PRIMARY KEY",
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {" WITHOUT ROWID", ""},
    {"INTEGER", "BIGINT"},
    {"BLOB", "BYTEA"},
    {"COLLATE NOCASE", "COLLATE galen_nocase"},
};

/* Appends sql to b with each phrase of table replaced. */
static void substitute(int *rc, struct buf *b, const char *sql,
                       const char *const (*table)[2], size_t n)
{
    while (*sql) {
        size_t i;

        for (i = 0; i < n; i++) {
            size_t len = strlen(table[i][0]);

            if (strncmp(sql, table[i][0], len) == 0) {
                buf_put(rc, b, table[i][1], strlen(table[i][1]));
                sql += len;
                break;
            }
        }
        if (i == n)
            buf_put(rc, b, sql++, 1);
    }
}

/* Rewrites ?NNN and bare ? (outside quotes) to $NNN; *nparams gets the
 * highest number. */
static void placeholders(int *rc, struct buf *b, const char *sql, int *nparams)
{
    char quote = 0;
    int next = 0;

    *nparams = 0;
    for (; *sql; sql++) {
        char num[16];
        int k;

        if (quote) {
            if (*sql == quote)
                quote = 0;
        } else if (*sql == '\'' || *sql == '"') {
            quote = *sql;
        } else if (*sql == '?') {
            if (sql[1] >= '0' && sql[1] <= '9') {
                k = (int)strtol(sql + 1, (char **)&sql, 10);
                sql--;
            } else {
                k = ++next;
            }
            if (k > *nparams)
                *nparams = k;
            snprintf(num, sizeof num, "$%d", k);
            buf_put(rc, b, num, strlen(num));
            continue;
        }
        buf_put(rc, b, sql, 1);
    }
}

/* The PostgreSQL text of sql, NUL-terminated, in *out (caller frees). */
static int translate(const char *sql, int *nparams, char **out)
{
    struct buf a, b;
    int rc = GALEN_OK;

    buf_init(&a, (size_t)1 << 20);
    buf_init(&b, (size_t)1 << 20);
    substitute(&rc, &a, sql, phrases, ARRAY_SIZE(phrases));
    buf_put(&rc, &a, "", 1);
    if (rc == GALEN_OK)
        placeholders(&rc, &b, (const char *)a.data, nparams);
    buf_put(&rc, &b, "", 1);
    buf_cleanup(&a);
    if (rc != GALEN_OK) {
        buf_cleanup(&b);
        return rc;
    }
    *out = (char *)b.data; /* the buffer hands its memory over */
    return GALEN_OK;
}

/* Prepares s on the server under its name. */
static int server_prepare(struct pg *db, struct pg_stmt *s)
{
    PGresult *res = pq_PQprepare(db->conn, s->name, s->sql, 0, NULL);
    int rc = GALEN_OK;

    if (pq_PQresultStatus(res) != PGRES_COMMAND_OK) {
        result_error(db, res);
        rc = GALEN_EDB;
    }
    pq_PQclear(res);
    s->gen = db->gen;
    return rc;
}

static void stmt_free(struct pg_stmt *s)
{
    galen_free(s->sql);
    galen_free(s->vals);
    galen_free(s->lens);
    galen_free(s->fmts);
    galen_free(s);
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
    struct pg_stmt *s = galen_calloc(1, sizeof *s);
    int rc;

    if (!s)
        return GALEN_ENOMEM;
    s->base.db = db;
    s->row = -1;
    rc = translate(sql, &s->nparams, &s->sql);
    if (rc == GALEN_OK && s->nparams > 0) {
        s->vals = galen_calloc((size_t)s->nparams, sizeof *s->vals);
        s->lens = galen_calloc((size_t)s->nparams, sizeof *s->lens);
        s->fmts = galen_calloc((size_t)s->nparams, sizeof *s->fmts);
        if (!s->vals || !s->lens || !s->fmts)
            rc = GALEN_ENOMEM;
    }
    if (rc == GALEN_OK)
        rc = revive(P(db), false);
    if (rc == GALEN_OK) {
        snprintf(s->name, sizeof s->name, "g%u", P(db)->nstmts++);
        rc = server_prepare(P(db), s);
    }
    if (rc != GALEN_OK) {
        stmt_free(s);
        return rc;
    }
    *out = &s->base;
    return GALEN_OK;
}

static void pg_reset(struct db_stmt *st)
{
    struct pg_stmt *s = PS(st);

    pq_PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->nrows = 0;
    pq_PQfreemem(s->blob);
    s->blob = NULL;
}

static void pg_clear(struct db_stmt *st)
{
    struct pg_stmt *s = PS(st);
    int i;

    for (i = 0; i < s->nparams; i++) {
        free(s->vals[i]);
        s->vals[i] = NULL;
        s->lens[i] = 0;
        s->fmts[i] = 0;
    }
}

static void pg_finalize(struct db_stmt *st)
{
    struct pg_stmt *s = PS(st);

    pg_reset(st);
    pg_clear(st);
    stmt_free(s);
}

static int pg_bind(struct db_stmt *st, int i, int type, const void *v, size_t n)
{
    struct pg_stmt *s = PS(st);
    char num[24];
    char *copy = NULL;

    if (i < 1 || i > s->nparams)
        return GALEN_EINVAL;
    if (type == DB_T_INT) {
        n = (size_t)snprintf(num, sizeof num, "%lld",
                             (long long)*(const int64_t *)v);
        v = num;
    }
    if (type != DB_T_NULL) {
        copy = malloc(n + 1);
        if (!copy)
            return GALEN_ENOMEM;
        if (n)
            memcpy(copy, v, n);
        copy[n] = '\0';
    }
    free(s->vals[i - 1]);
    s->vals[i - 1] = copy;
    s->lens[i - 1] = (int)n;
    s->fmts[i - 1] = type == DB_T_BLOB;
    return GALEN_OK;
}

static int pg_step(struct db_stmt *st)
{
    struct pg_stmt *s = PS(st);
    struct pg *db = P(st->db);
    ExecStatusType status;

    if (s->row >= 0) {
        pq_PQfreemem(s->blob);
        s->blob = NULL;
        return ++s->row < s->nrows ? DB_ROW : DB_DONE;
    }
    if (revive(db, false) != GALEN_OK ||
        (s->gen != db->gen && server_prepare(db, s) != GALEN_OK))
        return DB_ERROR;
    s->res =
        pq_PQexecPrepared(db->conn, s->name, s->nparams,
                          (const char *const *)s->vals, s->lens, s->fmts, 0);
    status = pq_PQresultStatus(s->res);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        int rc = result_error(db, s->res);

        note_tx(db);
        pq_PQclear(s->res);
        s->res = NULL;
        return rc;
    }
    db->changes = strtoll(pq_PQcmdTuples(s->res), NULL, 10);
    note_tx(db);
    s->nrows = status == PGRES_TUPLES_OK ? pq_PQntuples(s->res) : 0;
    s->row = 0;
    return s->nrows > 0 ? DB_ROW : DB_DONE;
}

/* Whether column i of the current row exists and is not NULL. */
static bool has(struct pg_stmt *s, int i)
{
    return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 &&
           i < pq_PQnfields(s->res) && !pq_PQgetisnull(s->res, s->row, i);
}

static const char *pg_col_text(struct db_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);

    return has(s, i) ? pq_PQgetvalue(s->res, s->row, i) : NULL;
}

static size_t pg_col_bytes(struct db_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);

    return has(s, i) ? (size_t)pq_PQgetlength(s->res, s->row, i) : 0;
}

static int64_t pg_col_int64(struct db_stmt *st, int i)
{
    struct pg_stmt *s = PS(st);
    const char *v = pg_col_text(st, i);

    if (!v)
        return 0;
    if (pq_PQftype(s->res, i) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static const void *pg_col_blob(struct db_stmt *st, int i, size_t *len)
{
    struct pg_stmt *s = PS(st);
    const char *v = pg_col_text(st, i);

    *len = 0;
    if (!v)
        return NULL;
    if (pq_PQftype(s->res, i) != OID_BYTEA) {
        *len = pg_col_bytes(st, i);
        return v;
    }
    pq_PQfreemem(s->blob);
    s->blob = pq_PQunescapeBytea((const unsigned char *)v, len);
    return s->blob;
}

static int pg_exec(struct db *db, const char *sql, bool ddl)
{
    bool rollback = strncmp(sql, "ROLLBACK", 8) == 0;
    unsigned gen = P(db)->gen;
    struct buf b;
    int rc = revive(P(db), rollback);

    if (rc != GALEN_OK || (rollback && gen != P(db)->gen))
        return rc; /* a lost connection took the transaction with it */
    if (!ddl)
        return run(P(db), sql);
    buf_init(&b, (size_t)1 << 20);
    substitute(&rc, &b, sql, ddl_words, ARRAY_SIZE(ddl_words));
    buf_put(&rc, &b, "", 1);
    if (rc == GALEN_OK)
        rc = run(P(db), (const char *)b.data);
    else
        keep_msg(P(db), "out of memory");
    buf_cleanup(&b);
    return rc;
}

static int64_t pg_changes(struct db *db)
{
    return P(db)->changes;
}

/* Reads one integer from sql's first row and column. */
static int query_int(struct pg *db, const char *sql, int64_t *out)
{
    PGresult *res = pq_PQexec(db->conn, sql);
    int rc = GALEN_OK;

    if (pq_PQresultStatus(res) != PGRES_TUPLES_OK) {
        result_error(db, res);
        rc = GALEN_EDB;
    } else if (pq_PQntuples(res) < 1 || pq_PQgetisnull(res, 0, 0)) {
        *out = 0;
    } else {
        const char *v = pq_PQgetvalue(res, 0, 0);

        *out = v[0] == 't' ? 1 : v[0] == 'f' ? 0 : strtoll(v, NULL, 10);
    }
    pq_PQclear(res);
    return rc;
}

static int pg_last_id(struct db *db, int64_t *out)
{
    /* An identity column takes its keys from a sequence, whose last value
     * in this session is what the insert got. */
    return query_int(P(db), "SELECT lastval()", out);
}

static bool pg_in_tx(struct db *db)
{
    if (pq_PQstatus(P(db)->conn) != CONNECTION_OK)
        return P(db)->tx_open;
    return pq_PQtransactionStatus(P(db)->conn) != PQTRANS_IDLE;
}

static int pg_version_get(struct db *db, int *out)
{
    int64_t exists = 0, v = 0;
    int rc = query_int(P(db), "SELECT to_regclass('galen_schema') IS NOT NULL",
                       &exists);

    if (rc == GALEN_OK && exists)
        rc = query_int(P(db), "SELECT max(version) FROM galen_schema", &v);
    if (rc == GALEN_OK)
        *out = (int)v;
    return rc;
}

static int pg_version_set(struct db *db, int version)
{
    char sql[160];

    snprintf(sql, sizeof sql,
             "CREATE TABLE IF NOT EXISTS galen_schema (version INTEGER NOT "
             "NULL);DELETE FROM galen_schema;"
             "INSERT INTO galen_schema VALUES (%d)",
             version);
    return run(P(db), sql);
}

static int pg_lock_schema(struct db *db)
{
    /* Held to the end of the transaction: replicas starting together
     * migrate one after the other. 0x67616c656e is "galen". */
    return run(P(db), "SELECT pg_advisory_xact_lock(444234000750)");
}

const struct db_ops db_pg_ops = {
    pg_open,      pg_close,     pg_errmsg,      pg_prepare,     pg_finalize,
    pg_bind,      pg_step,      pg_reset,       pg_clear,       pg_col_text,
    pg_col_bytes, pg_col_int64, pg_col_blob,    pg_exec,        pg_changes,
    pg_last_id,   pg_in_tx,     pg_version_get, pg_version_set, pg_lock_schema};
