/* SPDX-License-Identifier: MIT */
/* store.c: the content store, on SQLite (a file) or PostgreSQL (a URL)
 * through db.h. One connection per handle. Every statement is prepared once
 * and cached per handle, keyed by its SQL text; values are always bound,
 * never spliced into SQL. The schema is versioned (db_version_get) and
 * moved forward by one ordered list of migrations that both backends
 * share, each applied in its own transaction, so a store is always at
 * exactly one known version.
 * Invariant: documents.content_hash is doc_hash of the stored content, and
 * documents.indexed_hash is the hash the search index last saw (NULL when
 * the index must look at the document again). */
#include "store.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/mem.h"
#include "db.h"

enum { STMT_CACHE = 256, ERRMSG_LEN = 256 };

struct stmt_slot {
    char *sql; /* owned copy of the key; NULL for an empty slot */
    uint64_t hash;
    struct db_stmt *stmt;
};

struct galen_store {
    struct db *db;
    int version; /* schema version */
    bool in_tx;
    bool sp_tx; /* savepoint() began the transaction (PostgreSQL) */
    char errmsg[ERRMSG_LEN];
    struct stmt_slot slots[STMT_CACHE]; /* open addressing, linear probe */
    size_t nslots;
};

static _Thread_local char open_errmsg[ERRMSG_LEN];

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ','now')"

/* ---- schema ------------------------------------------------------------ */

/* Version 1: the content model. List-valued fields, tables and FAQ items
 * are JSON arrays (doc_json_*); sections and references are rows. */
static const char schema_v1[] =
    "CREATE TABLE documents ("
    " pk INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE,"
    " kind TEXT NOT NULL CHECK (kind IN ('guideline','research','consumer',"
    "  'qa','article','faq')),"
    " title TEXT NOT NULL,"
    " source TEXT, authors TEXT, date TEXT, url TEXT, licence TEXT,"
    " audience TEXT NOT NULL DEFAULT 'both'"
    "  CHECK (audience IN ('both','patient','clinician')),"
    " specialty TEXT, evidence TEXT,"
    " focus TEXT NOT NULL DEFAULT '[]',"
    " synonyms TEXT NOT NULL DEFAULT '[]',"
    " cuis TEXT NOT NULL DEFAULT '[]',"
    " semantic_types TEXT NOT NULL DEFAULT '[]',"
    " semantic_group TEXT,"
    " pub_types TEXT NOT NULL DEFAULT '[]',"
    " question_type TEXT,"
    " has_answer INTEGER NOT NULL DEFAULT 1,"
    " pmid TEXT, doi TEXT,"
    " age_band TEXT, sex TEXT, asked TEXT, replied TEXT,"
    " tables TEXT NOT NULL DEFAULT '[]',"
    " faq TEXT NOT NULL DEFAULT '[]',"
    " status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN"
    "  ('submitted','under_review','approved','rejected')),"
    " content_hash TEXT NOT NULL,"
    " version INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE INDEX documents_status ON documents(status, updated_at);"
    "CREATE INDEX documents_kind ON documents(kind);"
    "CREATE TABLE sections ("
    " doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,"
    " ord INTEGER NOT NULL,"
    " heading TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " PRIMARY KEY (doc, ord)) WITHOUT ROWID;"
    "CREATE TABLE doc_refs ("
    " doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,"
    " ord INTEGER NOT NULL,"
    " kind TEXT, title TEXT, source TEXT, authors TEXT, year INTEGER,"
    " pmid TEXT, doi TEXT, url TEXT,"
    " PRIMARY KEY (doc, ord)) WITHOUT ROWID;"
    "CREATE INDEX doc_refs_pmid ON doc_refs(pmid) WHERE pmid IS NOT NULL;"
    "CREATE TABLE doc_versions ("
    " doc_id TEXT NOT NULL,"
    " version INTEGER NOT NULL,"
    " content_hash TEXT NOT NULL,"
    " status TEXT NOT NULL,"
    " snapshot TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " superseded_at TEXT NOT NULL,"
    " PRIMARY KEY (doc_id, version)) WITHOUT ROWID;"
    "CREATE TABLE review_events ("
    " id INTEGER PRIMARY KEY,"
    " doc_id TEXT NOT NULL,"
    " version INTEGER,"
    " from_status TEXT,"
    " to_status TEXT NOT NULL,"
    " who TEXT NOT NULL,"
    " at TEXT NOT NULL,"
    " note TEXT);"
    "CREATE INDEX review_events_doc ON review_events(doc_id, id);";

/* Version 2: the web service's tables. Its accessors live with the web
 * service; the store only owns the schema. */
static const char schema_v2[] =
    "CREATE TABLE users ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " pw_hash TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK (role IN"
    "  ('patient','specialist','editor','admin')),"
    " specialty TEXT,"
    " created_at TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE sessions ("
    " token_hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " csrf TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " expires_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE patient_questions ("
    " id INTEGER PRIMARY KEY,"
    " user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " title TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " age_band TEXT, sex TEXT,"
    " asked_at TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'open',"
    " specialty TEXT,"
    " doc_id TEXT);"
    "CREATE INDEX patient_questions_status"
    " ON patient_questions(status, asked_at);"
    "CREATE TABLE replies ("
    " id INTEGER PRIMARY KEY,"
    " question_id INTEGER NOT NULL"
    "  REFERENCES patient_questions(id) ON DELETE CASCADE,"
    " user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " specialty TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " replied_at TEXT NOT NULL);"
    "CREATE INDEX replies_question ON replies(question_id);"
    "CREATE TABLE comments ("
    " id INTEGER PRIMARY KEY,"
    " doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " author TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (status IN ('pending','approved','rejected')));"
    "CREATE INDEX comments_doc ON comments(doc_id, status);";

/* Version 3: the index change log. indexed_hash differs from content_hash
 * exactly for documents the index has not seen in their current form (a
 * partial index makes finding them cheap), and a trigger queues deletions
 * of documents the index holds. The index and the trigger are written in
 * each dialect (schema_v3_sqlite, schema_v3_pg). */
static const char schema_v3[] =
    "ALTER TABLE documents ADD COLUMN indexed_hash TEXT;"
    "CREATE TABLE index_deletes ("
    " doc_id TEXT PRIMARY KEY,"
    " deleted_at TEXT NOT NULL) WITHOUT ROWID;";

static const char schema_v3_sqlite[] =
    "CREATE INDEX documents_unindexed ON documents(pk)"
    " WHERE indexed_hash IS NOT content_hash;"
    "CREATE TRIGGER documents_index_delete AFTER DELETE ON documents"
    " WHEN old.indexed_hash IS NOT NULL BEGIN"
    " INSERT OR REPLACE INTO index_deletes(doc_id, deleted_at)"
    " VALUES (old.id, " NOW ");"
    " END;";

static const char schema_v3_pg[] =
    "CREATE INDEX documents_unindexed ON documents(pk)"
    " WHERE indexed_hash IS DISTINCT FROM content_hash;"
    "CREATE FUNCTION documents_index_delete() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " INSERT INTO index_deletes(doc_id, deleted_at) VALUES (old.id,"
    " to_char(now() AT TIME ZONE 'UTC','YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
    " ON CONFLICT (doc_id) DO UPDATE SET deleted_at = excluded.deleted_at;"
    " RETURN old; END $$;"
    "CREATE TRIGGER documents_index_delete AFTER DELETE ON documents"
    " FOR EACH ROW WHEN (old.indexed_hash IS NOT NULL)"
    " EXECUTE FUNCTION documents_index_delete();";

/* Version 4: the privacy of patient questions. A question is published
 * only if its asker agreed (public = 1) and it has been answered; link_hash
 * is the BLAKE2b hash of the secret link its asker got. Questions asked
 * before stay unpublished: nobody agreed to their publication. */
static const char schema_v4[] =
    "ALTER TABLE patient_questions ADD COLUMN public INTEGER NOT NULL"
    " DEFAULT 0;"
    "ALTER TABLE patient_questions ADD COLUMN link_hash TEXT;";

/* Version 5: secrets every process on the store shares (the CSRF key), so
 * a form served by one process posts to another, and after a restart. */
static const char schema_v5[] = "CREATE TABLE secrets ("
                                " name TEXT PRIMARY KEY,"
                                " value BLOB NOT NULL,"
                                " created_at TEXT NOT NULL) WITHOUT ROWID;";

/* PostgreSQL has no NOCASE: users.name (v2) compares under an ICU
 * collation that ignores case, made in v1 so that v2 is shared text. */
static const char schema_v1_pg[] =
    "CREATE COLLATION IF NOT EXISTS galen_nocase (provider = icu,"
    " locale = 'und-u-ks-level2', deterministic = false);";

/* One step of the schema: text in SQLite's dialect both backends run
 * (db_exec_ddl; may be NULL), then what each dialect adds (may be NULL). */
struct migration {
    const char *shared;
    const char *sqlite;
    const char *pg;
};

/* Version 8: the change log replicas follow. Every change the index must
 * see (a new document, a new content hash or status, a delete) appends
 * the document's id under a new sequence number; each replica keeps its
 * own index and the last number it applied (store_index.c), so the log,
 * unlike indexed_hash, serves any number of indexes. A follower reads the
 * log up to its newest number, so numbers must become visible in order:
 * SQLite has one writer at a time, and on PostgreSQL the trigger takes a
 * transaction-long advisory lock before it takes the next number, so
 * writers of the log commit one after another. */
static const char schema_v8_sqlite[] =
    "CREATE TABLE index_log ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " doc_id TEXT NOT NULL);"
    "CREATE TRIGGER index_log_insert AFTER INSERT ON documents BEGIN"
    " INSERT INTO index_log(doc_id) VALUES (new.id);"
    " END;"
    "CREATE TRIGGER index_log_update AFTER UPDATE OF content_hash, status"
    " ON documents WHEN old.content_hash IS NOT new.content_hash"
    " OR old.status IS NOT new.status BEGIN"
    " INSERT INTO index_log(doc_id) VALUES (new.id);"
    " END;"
    "CREATE TRIGGER index_log_delete AFTER DELETE ON documents BEGIN"
    " INSERT INTO index_log(doc_id) VALUES (old.id);"
    " END;";

/* No sequence on PostgreSQL: under the lock, MAX + 1 is as good, and a
 * sequence here would become the lastval() that store_upsert reads for
 * the document's own key. */
static const char schema_v8_pg[] =
    "CREATE TABLE index_log ("
    " seq BIGINT PRIMARY KEY,"
    " doc_id TEXT NOT NULL);"
    "CREATE FUNCTION index_log_add() RETURNS trigger"
    " LANGUAGE plpgsql AS $$ BEGIN"
    " PERFORM pg_advisory_xact_lock(7366101);"
    " INSERT INTO index_log(seq, doc_id)"
    " SELECT COALESCE(MAX(seq), 0) + 1,"
    " CASE WHEN TG_OP = 'DELETE' THEN old.id ELSE new.id END"
    " FROM index_log;"
    " IF TG_OP = 'DELETE' THEN RETURN old; END IF;"
    " RETURN new;"
    " END $$;"
    "CREATE TRIGGER index_log_insert AFTER INSERT ON documents"
    " FOR EACH ROW EXECUTE FUNCTION index_log_add();"
    "CREATE TRIGGER index_log_update AFTER UPDATE OF content_hash, status"
    " ON documents FOR EACH ROW"
    " WHEN (old.content_hash IS DISTINCT FROM new.content_hash"
    " OR old.status IS DISTINCT FROM new.status)"
    " EXECUTE FUNCTION index_log_add();"
    "CREATE TRIGGER index_log_delete AFTER DELETE ON documents"
    " FOR EACH ROW EXECUTE FUNCTION index_log_add();";

/* Version 9: the per-account login backoff, shared by every replica on
 * the store (a name guessed through one replica waits on all of them).
 * name is the lowercased account name as typed; until_ms is Unix time in
 * milliseconds, so replicas on different machines agree (NTP). */
static const char schema_v9[] = "CREATE TABLE login_backoff ("
                                " name TEXT PRIMARY KEY,"
                                " fails INTEGER NOT NULL,"
                                " until_ms INTEGER NOT NULL) WITHOUT ROWID;";

/* Version 6: accounts. One-time password-reset links an admin issues
 * (only the BLAKE2b hash of the token is kept; used_at makes it one-time),
 * and the account audit trail: password changes, reset links issued and
 * used. The trail keeps user names, so it outlives a deleted account. */
static const char schema_v6[] =
    "CREATE TABLE password_resets ("
    " token_hash TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    " created_at TEXT NOT NULL,"
    " expires_at TEXT NOT NULL,"
    " used_at TEXT) WITHOUT ROWID;"
    "CREATE INDEX password_resets_user ON password_resets(user_id);"
    "CREATE TABLE account_events ("
    " id INTEGER PRIMARY KEY,"
    " user_name TEXT NOT NULL,"
    " actor_name TEXT,"
    " event TEXT NOT NULL CHECK (event IN"
    "  ('password_changed','reset_issued','password_reset')),"
    " at TEXT NOT NULL);";

/* Version 7: other metadata of a document (doc.h meta), as a JSON array
 * of strings: key, value, key, value, ... */
static const char schema_v7[] =
    "ALTER TABLE documents ADD COLUMN meta TEXT NOT NULL DEFAULT '[]';";

/* migrations[i] moves a store from version i to version i + 1. */
static const struct migration migrations[STORE_SCHEMA_VERSION] = {
    {schema_v1, NULL, schema_v1_pg},
    {schema_v2, NULL, NULL},
    {schema_v3, schema_v3_sqlite, schema_v3_pg},
    {schema_v4, NULL, NULL},
    {schema_v5, NULL, NULL},
    {schema_v6, NULL, NULL},
    {schema_v7, NULL, NULL},
    {NULL, schema_v8_sqlite, schema_v8_pg},
    {schema_v9, NULL, NULL}};

/* ---- errors and statements --------------------------------------------- */

static int set_err(struct galen_store *st, int code, const char *what)
{
    char *dst = st ? st->errmsg : open_errmsg;

    snprintf(dst, ERRMSG_LEN, "%s", what);
    return code;
}

void store_set_errmsg(struct galen_store *st, const char *msg)
{
    set_err(st, GALEN_OK, msg);
}

int store_db_error(struct galen_store *st)
{
    return set_err(st, GALEN_EDB, db_errmsg(st->db));
}

int store_text_rows(struct galen_store *st, struct db_stmt *s, char ***out,
                    size_t *n)
{
    char **v = NULL;
    size_t cap = 0, len = 0;
    int rc = GALEN_OK;

    *out = NULL;
    *n = 0;
    while (rc == GALEN_OK) {
        int step = db_step(s);

        if (step == DB_DONE)
            break;
        if (step != DB_ROW) {
            rc = store_db_error(st);
            break;
        }
        if (len == cap) {
            char **nv = galen_realloc(v, (cap ? cap * 2 : 256) * sizeof *v);

            if (!nv) {
                rc = GALEN_ENOMEM;
                break;
            }
            v = nv;
            cap = cap ? cap * 2 : 256;
        }
        if (!(v[len] = galen_strdup(db_col_text(s, 0))))
            rc = GALEN_ENOMEM;
        else
            len++;
    }
    db_reset(s);
    if (rc != GALEN_OK) {
        while (len)
            galen_free(v[--len]);
        galen_free(v);
        return rc;
    }
    *out = v;
    *n = len;
    return GALEN_OK;
}

const char *store_errmsg(const struct galen_store *st)
{
    return st ? st->errmsg : open_errmsg;
}

struct db *store_db(struct galen_store *st)
{
    return st->db;
}

enum db_kind store_kind(struct galen_store *st)
{
    return db_kind(st->db);
}

int store_schema_version(struct galen_store *st)
{
    return st->version;
}

int store_stmt(struct galen_store *st, const char *sql, struct db_stmt **out)
{
    uint64_t h = hash_fnv1a64(sql, strlen(sql));
    size_t i = (size_t)h % STMT_CACHE;
    struct stmt_slot *s;
    int rc;

    while (st->slots[i].sql) {
        s = &st->slots[i];
        if (s->hash == h && strcmp(s->sql, sql) == 0) {
            db_reset(s->stmt);
            db_clear(s->stmt);
            *out = s->stmt;
            return GALEN_OK;
        }
        i = (i + 1) % STMT_CACHE;
    }
    if (st->nslots + 1 >= STMT_CACHE)
        return set_err(st, GALEN_ETOOBIG, "statement cache is full");
    s = &st->slots[i];
    rc = db_prepare(st->db, sql, &s->stmt);
    if (rc != GALEN_OK) {
        s->stmt = NULL;
        return rc == GALEN_ENOMEM ? set_err(st, rc, "out of memory")
                                  : store_db_error(st);
    }
    s->sql = galen_strdup(sql);
    if (!s->sql) {
        db_finalize(s->stmt);
        s->stmt = NULL;
        return set_err(st, GALEN_ENOMEM, "out of memory");
    }
    s->hash = h;
    st->nslots++;
    *out = s->stmt;
    return GALEN_OK;
}

int store_exec(struct galen_store *st, const char *sql)
{
    return db_exec(st->db, sql) == GALEN_OK ? GALEN_OK : store_db_error(st);
}

int64_t store_changes(struct galen_store *st)
{
    return db_changes(st->db);
}

int store_last_id(struct galen_store *st, int64_t *id)
{
    return db_last_id(st->db, id) == GALEN_OK ? GALEN_OK : store_db_error(st);
}

/* Runs a statement that returns no rows, from the cache. */
static int exec1(struct galen_store *st, const char *sql)
{
    struct db_stmt *s;
    int rc = store_stmt(st, sql, &s);

    if (rc != GALEN_OK)
        return rc;
    rc = db_step(s);
    db_reset(s);
    if (rc != DB_DONE && rc != DB_ROW)
        return store_db_error(st);
    return GALEN_OK;
}

/* ---- transactions ------------------------------------------------------ */

int store_begin(struct galen_store *st)
{
    int rc;

    if (st->in_tx)
        return set_err(st, GALEN_ESTATE, "transaction already open");
    rc = exec1(st, "BEGIN IMMEDIATE");
    if (rc == GALEN_OK)
        st->in_tx = true;
    return rc;
}

int store_commit(struct galen_store *st)
{
    int rc = exec1(st, "COMMIT");

    if (rc == GALEN_OK)
        st->in_tx = false;
    return rc;
}

void store_rollback(struct galen_store *st)
{
    char kept[ERRMSG_LEN];

    /* A rollback follows an error; keep that error's message. ROLLBACK
     * fails when SQLite already rolled back by itself (a full disk does
     * that), which is the state wanted anyway, and its "no transaction is
     * active" would hide the real cause. */
    memcpy(kept, st->errmsg, sizeof kept);
    if (exec1(st, "ROLLBACK") != GALEN_OK)
        db_exec(st->db, "ROLLBACK");
    memcpy(st->errmsg, kept, sizeof kept);
    st->in_tx = false;
}

/* ---- open / close / migrate -------------------------------------------- */

/* Applies migrations[v] and records version v + 1, inside the caller's
 * transaction. */
static int apply(struct galen_store *st, int v)
{
    const struct migration *m = &migrations[v];
    const char *own = db_kind(st->db) == DB_PG ? m->pg : m->sqlite;
    int rc = m->shared ? db_exec_ddl(st->db, m->shared) : GALEN_OK;

    if (rc == GALEN_OK && own)
        rc = db_exec(st->db, own);
    if (rc == GALEN_OK)
        rc = db_version_set(st->db, v + 1);
    return rc == GALEN_OK ? GALEN_OK : store_db_error(st);
}

static int read_version(struct galen_store *st, int *v)
{
    if (db_version_get(st->db, v) != GALEN_OK)
        return store_db_error(st);
    if (*v > STORE_SCHEMA_VERSION)
        return set_err(st, GALEN_EVERSION,
                       "store was written by a newer galen (schema too new)");
    return GALEN_OK;
}

/* Each step runs in its own transaction, under the schema lock, after
 * reading the version again: another process may have moved it on. */
static int migrate(struct galen_store *st, int target)
{
    int v;
    int rc = read_version(st, &v);

    while (rc == GALEN_OK && v < target) {
        rc = exec1(st, "BEGIN IMMEDIATE");
        if (rc != GALEN_OK)
            return rc;
        if (db_lock_schema(st->db) != GALEN_OK)
            rc = store_db_error(st);
        if (rc == GALEN_OK)
            rc = read_version(st, &v);
        if (rc == GALEN_OK && v < target)
            rc = apply(st, v++);
        if (rc == GALEN_OK)
            rc = exec1(st, "COMMIT");
        if (rc != GALEN_OK)
            db_exec(st->db, "ROLLBACK");
    }
    st->version = v;
    return rc;
}

int store_open_version(const char *path, int version, struct galen_store **out)
{
    struct galen_store *st;
    char err[ERRMSG_LEN];
    int rc;

    if (version < 1 || version > STORE_SCHEMA_VERSION)
        return set_err(NULL, GALEN_EINVAL, "bad schema version");
    if (sodium_init() < 0)
        return set_err(NULL, GALEN_EINVAL, "libsodium failed to start");
    st = galen_calloc(1, sizeof *st);
    if (!st)
        return set_err(NULL, GALEN_ENOMEM, "out of memory");
    rc = db_open(path, &st->db, err, sizeof err);
    if (rc != GALEN_OK) {
        galen_free(st);
        return set_err(NULL, rc, err);
    }
    rc = migrate(st, version);
    if (rc != GALEN_OK) {
        set_err(NULL, rc, st->errmsg);
        store_close(st);
        return rc;
    }
    *out = st;
    return GALEN_OK;
}

int store_open(const char *path, struct galen_store **out)
{
    return store_open_version(path, STORE_SCHEMA_VERSION, out);
}

void store_close(struct galen_store *st)
{
    size_t i;

    if (!st)
        return;
    for (i = 0; i < STMT_CACHE; i++) {
        db_finalize(st->slots[i].stmt);
        galen_free(st->slots[i].sql);
    }
    if (st->in_tx || st->sp_tx)
        db_exec(st->db, "ROLLBACK");
    db_close(st->db);
    galen_free(st);
}

/* ---- small helpers ----------------------------------------------------- */

static int bind_str(struct db_stmt *s, int i, const char *v)
{
    if (!v)
        return db_bind_null(s, i);
    return db_bind_text(s, i, v, -1);
}

/* Steps a statement expected to finish (no rows) and resets it. */
static int step_done(struct galen_store *st, struct db_stmt *s)
{
    int rc = db_step(s);

    db_reset(s);
    if (rc != DB_DONE)
        return store_db_error(st);
    return GALEN_OK;
}

/* Steps s once: *row tells whether it produced a row. GALEN_OK or
 * GALEN_EDB. */
static int step_row(struct galen_store *st, struct db_stmt *s, bool *row)
{
    int step = db_step(s);

    *row = step == DB_ROW;
    if (step == DB_ROW || step == DB_DONE)
        return GALEN_OK;
    return store_db_error(st);
}

static const char *col_str(struct db_stmt *s, int i)
{
    return db_col_text(s, i);
}

/* Copies column i into *field (NULL stays NULL). */
static int col_copy(struct db_stmt *s, int i, char **field)
{
    const char *v = col_str(s, i);

    if (!v)
        return GALEN_OK;
    return doc_set(field, v, (size_t)db_col_bytes(s, i));
}

int store_counts(struct galen_store *st, struct galen_store_counts *out)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM documents",
        "SELECT count(*) FROM documents WHERE has_answer<>0",
        "SELECT count(*) FROM doc_versions",
        "SELECT count(*) FROM review_events",
        "SELECT count(*) FROM documents"
        " WHERE indexed_hash IS DISTINCT FROM content_hash",
        "SELECT count(*) FROM index_deletes"};
    uint64_t v[ARRAY_SIZE(sql)];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(sql); i++) {
        struct db_stmt *s;
        int rc = store_stmt(st, sql[i], &s);

        if (rc != GALEN_OK)
            return rc;
        if (db_step(s) != DB_ROW) {
            rc = store_db_error(st);
            db_reset(s);
            return rc;
        }
        v[i] = (uint64_t)db_col_int64(s, 0);
        db_reset(s);
    }
    out->docs = v[0];
    out->answered = v[1];
    out->versions = v[2];
    out->review_events = v[3];
    out->unindexed = v[4];
    out->deleted = v[5];
    return GALEN_OK;
}

/* Runs a check pragma; any row other than a single "ok" is a problem. */
static int check_pragma(struct galen_store *st, const char *sql, bool ok_row)
{
    struct db_stmt *s;
    int rc = store_stmt(st, sql, &s);
    int step;

    if (rc != GALEN_OK)
        return rc;
    step = db_step(s);
    if (step == DB_ROW) {
        const char *v = col_str(s, 0);

        if (!ok_row || !v || strcmp(v, "ok") != 0) {
            char msg[ERRMSG_LEN];

            snprintf(msg, sizeof msg, "%s: %s", sql, v ? v : "problem");
            db_reset(s);
            return set_err(st, GALEN_ECORRUPT, msg);
        }
    } else if (step != DB_DONE) {
        rc = store_db_error(st);
    }
    db_reset(s);
    return rc;
}

int store_check(struct galen_store *st)
{
    int rc;

    /* PostgreSQL checks its own pages and enforces foreign keys always;
     * what can be asked is whether the server answers. */
    if (db_kind(st->db) == DB_PG)
        return exec1(st, "SELECT 1");
    rc = check_pragma(st, "PRAGMA integrity_check", true);

    if (rc == GALEN_OK)
        rc = check_pragma(st, "PRAGMA foreign_key_check", false);
    return rc;
}

/* ---- writing documents ------------------------------------------------- */

/* The document columns in bind order; INSERT and UPDATE share the
 * numbering ?1..?30. */
#define DOC_COLS                                                            \
    "id,kind,title,source,authors,date,url,licence,audience,specialty,"     \
    "evidence,focus,synonyms,cuis,semantic_types,semantic_group,pub_types," \
    "question_type,has_answer,pmid,doi,age_band,sex,asked,replied,tables,"  \
    "faq,status,content_hash,meta"

static const char sql_insert[] =
    "INSERT INTO documents(" DOC_COLS ",version,created_at,updated_at)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
    "?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,1," NOW "," NOW ")";

static const char sql_update[] =
    "UPDATE documents SET kind=?2,title=?3,source=?4,authors=?5,date=?6,"
    "url=?7,licence=?8,audience=?9,specialty=?10,evidence=?11,focus=?12,"
    "synonyms=?13,cuis=?14,semantic_types=?15,semantic_group=?16,"
    "pub_types=?17,question_type=?18,has_answer=?19,pmid=?20,doi=?21,"
    "age_band=?22,sex=?23,asked=?24,replied=?25,tables=?26,faq=?27,"
    "status=?28,content_hash=?29,meta=?30,version=version+1,updated_at=" NOW
    " WHERE id=?1";

enum {
    JSON_FOCUS,
    JSON_SYN,
    JSON_CUIS,
    JSON_STYPES,
    JSON_PTYPES,
    JSON_TABLES,
    JSON_FAQ,
    JSON_META,
    JSON_COUNT
};

/* The JSON-valued columns of one document, built before binding. */
struct doc_json_cols {
    struct buf b[JSON_COUNT];
};

static int json_cols_build(struct doc_json_cols *j, const struct doc *d)
{
    int rc = GALEN_OK;
    size_t i;

    for (i = 0; i < JSON_COUNT; i++)
        buf_init(&j->b[i], (size_t)DOC_TEXT_MAX * 4);
    doc_json_list(&rc, &j->b[JSON_FOCUS], &d->focus);
    doc_json_list(&rc, &j->b[JSON_SYN], &d->synonyms);
    doc_json_list(&rc, &j->b[JSON_CUIS], &d->cuis);
    doc_json_list(&rc, &j->b[JSON_STYPES], &d->semantic_types);
    doc_json_list(&rc, &j->b[JSON_PTYPES], &d->pub_types);
    doc_json_tables(&rc, &j->b[JSON_TABLES], d);
    doc_json_faq(&rc, &j->b[JSON_FAQ], d);
    doc_json_list(&rc, &j->b[JSON_META], &d->meta);
    return rc;
}

static void json_cols_cleanup(struct doc_json_cols *j)
{
    size_t i;

    for (i = 0; i < JSON_COUNT; i++)
        buf_cleanup(&j->b[i]);
}

static int bind_json(struct db_stmt *s, int i, const struct buf *b)
{
    return db_bind_text(s, i, (const char *)b->data, (int)b->len);
}

static const char *evidence_or_null(enum doc_evidence e)
{
    return e == DOC_EVIDENCE_NONE ? NULL : doc_evidence_name(e);
}

static void bind_doc(struct db_stmt *s, const struct doc *d,
                     const struct doc_json_cols *j, const char *hash)
{
    bind_str(s, 1, d->id);
    bind_str(s, 2, doc_kind_name(d->kind));
    bind_str(s, 3, d->title);
    bind_str(s, 4, d->source);
    bind_str(s, 5, d->authors);
    bind_str(s, 6, d->date);
    bind_str(s, 7, d->url);
    bind_str(s, 8, d->licence);
    bind_str(s, 9, doc_audience_name(d->audience));
    bind_str(s, 10, d->specialty);
    bind_str(s, 11, evidence_or_null(d->evidence));
    bind_json(s, 12, &j->b[JSON_FOCUS]);
    bind_json(s, 13, &j->b[JSON_SYN]);
    bind_json(s, 14, &j->b[JSON_CUIS]);
    bind_json(s, 15, &j->b[JSON_STYPES]);
    bind_str(s, 16, d->semantic_group);
    bind_json(s, 17, &j->b[JSON_PTYPES]);
    bind_str(s, 18, d->question_type);
    db_bind_int64(s, 19, d->has_answer ? 1 : 0);
    bind_str(s, 20, d->pmid);
    bind_str(s, 21, d->doi);
    bind_str(s, 22, d->age_band);
    bind_str(s, 23, d->sex);
    bind_str(s, 24, d->asked);
    bind_str(s, 25, d->replied);
    bind_json(s, 26, &j->b[JSON_TABLES]);
    bind_json(s, 27, &j->b[JSON_FAQ]);
    bind_str(s, 28, doc_status_name(d->status));
    bind_str(s, 29, hash);
    bind_json(s, 30, &j->b[JSON_META]);
}

static int write_row(struct galen_store *st, const struct doc *d,
                     const char *hash, bool update)
{
    struct doc_json_cols j;
    struct db_stmt *s;
    int rc = json_cols_build(&j, d);

    if (rc == GALEN_OK)
        rc = store_stmt(st, update ? sql_update : sql_insert, &s);
    if (rc == GALEN_OK) {
        bind_doc(s, d, &j, hash);
        rc = step_done(st, s);
    }
    json_cols_cleanup(&j);
    return rc;
}

static int write_sections(struct galen_store *st, int64_t pk,
                          const struct doc *d)
{
    struct db_stmt *s;
    size_t i;
    int rc = store_stmt(st,
                        "INSERT INTO sections(doc,ord,heading,body)"
                        " VALUES(?1,?2,?3,?4)",
                        &s);

    for (i = 0; rc == GALEN_OK && i < d->nsections; i++) {
        db_bind_int64(s, 1, pk);
        db_bind_int64(s, 2, (int64_t)i);
        bind_str(s, 3, d->sections[i].heading);
        bind_str(s, 4, d->sections[i].text);
        rc = step_done(st, s);
    }
    return rc;
}

static int write_refs(struct galen_store *st, int64_t pk, const struct doc *d)
{
    struct db_stmt *s;
    size_t i;
    int rc = store_stmt(st,
                        "INSERT INTO doc_refs(doc,ord,kind,title,source,"
                        "authors,year,pmid,doi,url)"
                        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                        &s);

    for (i = 0; rc == GALEN_OK && i < d->nrefs; i++) {
        const struct doc_ref *r = &d->refs[i];

        db_bind_int64(s, 1, pk);
        db_bind_int64(s, 2, (int64_t)i);
        bind_str(s, 3, r->kind);
        bind_str(s, 4, r->title);
        bind_str(s, 5, r->source);
        bind_str(s, 6, r->authors);
        if (r->year)
            db_bind_int64(s, 7, r->year);
        bind_str(s, 8, r->pmid);
        bind_str(s, 9, r->doi);
        bind_str(s, 10, r->url);
        rc = step_done(st, s);
    }
    return rc;
}

static int clear_parts(struct galen_store *st, int64_t pk)
{
    static const char *const sql[] = {"DELETE FROM sections WHERE doc=?1",
                                      "DELETE FROM doc_refs WHERE doc=?1"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(sql); i++) {
        struct db_stmt *s;
        int rc = store_stmt(st, sql[i], &s);

        if (rc != GALEN_OK)
            return rc;
        db_bind_int64(s, 1, pk);
        rc = step_done(st, s);
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

static int add_event(struct galen_store *st, const char *id, int64_t version,
                     const char *from, const char *to, const char *who,
                     const char *note)
{
    struct db_stmt *s;
    int rc = store_stmt(st,
                        "INSERT INTO review_events(doc_id,version,"
                        "from_status,to_status,who,at,note)"
                        " VALUES(?1,?2,?3,?4,?5," NOW ",?6)",
                        &s);

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    db_bind_int64(s, 2, version);
    bind_str(s, 3, from);
    bind_str(s, 4, to);
    bind_str(s, 5, who ? who : "system");
    bind_str(s, 6, note);
    return step_done(st, s);
}

/* What store_upsert needs to know about the stored row. */
struct current {
    int64_t pk;
    int64_t version;
    char hash[DOC_HASH_HEX];
    char status[16];
    char updated_at[32];
};

static void copy_col(struct db_stmt *s, int i, char *dst, size_t cap)
{
    const char *v = col_str(s, i);

    snprintf(dst, cap, "%s", v ? v : "");
}

/* Reads the stored row for id. GALEN_OK, GALEN_ENOENT or GALEN_EDB. */
static int read_current(struct galen_store *st, const char *id,
                        struct current *c)
{
    struct db_stmt *s;
    int rc = store_stmt(st,
                        "SELECT pk,version,content_hash,status,updated_at"
                        " FROM documents WHERE id=?1",
                        &s);
    int step;

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    step = db_step(s);
    if (step == DB_ROW) {
        c->pk = db_col_int64(s, 0);
        c->version = db_col_int64(s, 1);
        copy_col(s, 2, c->hash, sizeof c->hash);
        copy_col(s, 3, c->status, sizeof c->status);
        copy_col(s, 4, c->updated_at, sizeof c->updated_at);
    } else if (step == DB_DONE) {
        rc = GALEN_ENOENT;
    } else {
        rc = store_db_error(st);
    }
    db_reset(s);
    return rc;
}

/* Copies the stored document id, as it is now, into doc_versions. */
static int snapshot(struct galen_store *st, const char *id,
                    const struct current *c)
{
    struct doc *old = NULL;
    char *json = NULL;
    struct db_stmt *s;
    int rc = store_get(st, id, &old);

    if (rc == GALEN_OK)
        rc = doc_to_json(old, &json);
    if (rc == GALEN_OK)
        rc = store_stmt(st,
                        "INSERT INTO doc_versions(doc_id,version,"
                        "content_hash,status,snapshot,created_at,"
                        "superseded_at) VALUES(?1,?2,?3,?4,?5,?6," NOW ")"
                        " ON CONFLICT(doc_id,version) DO UPDATE SET"
                        " content_hash=excluded.content_hash,"
                        "status=excluded.status,snapshot=excluded.snapshot,"
                        "created_at=excluded.created_at,"
                        "superseded_at=excluded.superseded_at",
                        &s);
    if (rc == GALEN_OK) {
        bind_str(s, 1, id);
        db_bind_int64(s, 2, c->version);
        bind_str(s, 3, c->hash);
        bind_str(s, 4, c->status);
        bind_str(s, 5, json);
        bind_str(s, 6, c->updated_at);
        rc = step_done(st, s);
    }
    galen_free(json);
    doc_free(old);
    return rc;
}

/* A document write is atomic on its own and inside a caller's
 * transaction. SQLite opens a transaction for a savepoint outside one;
 * PostgreSQL refuses the savepoint, so there it is a transaction. */
static int savepoint(struct galen_store *st)
{
    int rc;

    if (db_kind(st->db) == DB_PG && !db_in_tx(st->db)) {
        rc = exec1(st, "BEGIN");
        st->sp_tx = rc == GALEN_OK;
        return rc;
    }
    return exec1(st, "SAVEPOINT doc_write");
}

static int release(struct galen_store *st, int rc)
{
    if (st->sp_tx) {
        st->sp_tx = false;
        if (rc == GALEN_OK)
            rc = exec1(st, "COMMIT");
        if (rc != GALEN_OK)
            db_exec(st->db, "ROLLBACK");
        return rc;
    }
    if (rc == GALEN_OK)
        return exec1(st, "RELEASE doc_write");
    if (exec1(st, "ROLLBACK TO doc_write") == GALEN_OK)
        (void)exec1(st, "RELEASE doc_write");
    return rc;
}

static int update_doc(struct galen_store *st, const struct doc *d,
                      const char *hash, const struct current *c,
                      const char *who)
{
    const char *to = doc_status_name(d->status);
    int rc = snapshot(st, d->id, c);

    if (rc == GALEN_OK)
        rc = write_row(st, d, hash, true);
    if (rc == GALEN_OK)
        rc = clear_parts(st, c->pk);
    if (rc == GALEN_OK)
        rc = write_sections(st, c->pk, d);
    if (rc == GALEN_OK)
        rc = write_refs(st, c->pk, d);
    if (rc == GALEN_OK && strcmp(c->status, to) != 0)
        rc = add_event(st, d->id, c->version + 1, c->status, to, who,
                       "content changed");
    return rc;
}

static int insert_doc(struct galen_store *st, const struct doc *d,
                      const char *hash, const char *who)
{
    int64_t pk = 0;
    int rc = write_row(st, d, hash, false);

    if (rc == GALEN_OK)
        rc = store_last_id(st, &pk);
    if (rc == GALEN_OK)
        rc = write_sections(st, pk, d);
    if (rc == GALEN_OK)
        rc = write_refs(st, pk, d);
    if (rc == GALEN_OK)
        rc = add_event(st, d->id, 1, NULL, doc_status_name(d->status), who,
                       "created");
    return rc;
}

int store_upsert(struct galen_store *st, const struct doc *d, const char *who,
                 enum store_upsert_result *out)
{
    char hash[DOC_HASH_HEX];
    char msg[ERRMSG_LEN];
    struct current c;
    bool exists;
    int rc;

    if (doc_validate(d, msg, sizeof msg) != GALEN_OK)
        return set_err(st, GALEN_EPARSE, msg);
    doc_hash(d, hash);
    rc = read_current(st, d->id, &c);
    if (rc != GALEN_OK && rc != GALEN_ENOENT)
        return rc;
    exists = rc == GALEN_OK;
    if (exists && strcmp(c.hash, hash) == 0) {
        *out = STORE_UNCHANGED;
        return GALEN_OK;
    }
    rc = savepoint(st);
    if (rc != GALEN_OK)
        return rc;
    if (exists)
        rc = release(st, update_doc(st, d, hash, &c, who));
    else
        rc = release(st, insert_doc(st, d, hash, who));
    if (rc == GALEN_OK)
        *out = exists ? STORE_UPDATED : STORE_INSERTED;
    return rc;
}

/* ---- reading documents ------------------------------------------------- */

static const char sql_select[] =
    "SELECT " DOC_COLS ",pk FROM documents WHERE id=?1";

/* Parses a JSON column that holds an array; a NULL column gives a NULL
 * *arr. GALEN_OK, or GALEN_ECORRUPT for anything but an array. The caller
 * frees *arr with cJSON_Delete. */
static int json_array(const char *json, cJSON **arr)
{
    *arr = json ? cJSON_Parse(json) : NULL;
    if (!json || cJSON_IsArray(*arr))
        return GALEN_OK;
    cJSON_Delete(*arr);
    *arr = NULL;
    return GALEN_ECORRUPT;
}

static int load_list(const char *json, struct doc_strlist *l)
{
    cJSON *arr;
    const cJSON *it;
    int rc = json_array(json, &arr);

    if (!arr)
        return rc;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it)) {
            rc = GALEN_ECORRUPT;
            break;
        }
        rc = doc_strlist_add(l, it->valuestring, strlen(it->valuestring));
        if (rc != GALEN_OK)
            break;
    }
    cJSON_Delete(arr);
    return rc;
}

static const char *obj_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Copies a JSON array of strings into a new array of n owned strings. */
static int load_cells(const cJSON *arr, size_t n, char **cells)
{
    const cJSON *it;
    size_t i = 0;

    if (!cJSON_IsArray(arr) || (size_t)cJSON_GetArraySize(arr) != n)
        return GALEN_ECORRUPT;
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it))
            return GALEN_ECORRUPT;
        cells[i] = galen_strdup(it->valuestring);
        if (!cells[i])
            return GALEN_ENOMEM;
        i++;
    }
    return GALEN_OK;
}

static int load_table(const cJSON *o, struct doc *d)
{
    const cJSON *hdr = cJSON_GetObjectItemCaseSensitive(o, "header");
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(o, "rows");
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(o, "section");
    const cJSON *row;
    struct doc_table *t;
    size_t r = 0;
    int rc;

    if (!cJSON_IsArray(hdr) || !cJSON_IsArray(rows) || !cJSON_IsNumber(sec))
        return GALEN_ECORRUPT;
    rc = doc_add_table(d, &t);
    if (rc != GALEN_OK)
        return rc;
    t->section = sec->valuedouble > 0 ? (size_t)sec->valuedouble : 0;
    t->ncols = (size_t)cJSON_GetArraySize(hdr);
    t->header = galen_calloc(t->ncols, sizeof *t->header);
    t->cells = galen_calloc(t->ncols * (size_t)cJSON_GetArraySize(rows),
                            sizeof *t->cells);
    if (!t->header || !t->cells)
        return GALEN_ENOMEM;
    rc = load_cells(hdr, t->ncols, t->header);
    cJSON_ArrayForEach(row, rows)
    {
        if (rc != GALEN_OK)
            break;
        rc = load_cells(row, t->ncols, t->cells + r * t->ncols);
        r++;
        t->nrows = r; /* cells written so far are freed by doc_cleanup */
    }
    return rc;
}

static int load_objects(const char *json, struct doc *d, bool tables)
{
    cJSON *arr;
    const cJSON *it;
    int rc = json_array(json, &arr);

    if (!arr)
        return rc;
    cJSON_ArrayForEach(it, arr)
    {
        struct doc_faq *f;

        if (tables) {
            rc = load_table(it, d);
        } else {
            rc = doc_add_faq(d, &f);
            if (rc == GALEN_OK)
                rc = doc_set_cstr(&f->question, obj_str(it, "question"));
            if (rc == GALEN_OK)
                rc = doc_set_cstr(&f->answer, obj_str(it, "answer"));
        }
        if (rc != GALEN_OK)
            break;
    }
    cJSON_Delete(arr);
    return rc;
}

/* Columns 0..29 as in DOC_COLS. */
static int load_scalars(struct db_stmt *s, struct doc *d)
{
    /* The column of each string field, in DOC_STR_* order. */
    static const int str_cols[DOC_STR_COUNT] = {0,  2,  3,  4,  5,  6,  7,  9,
                                                15, 17, 19, 20, 21, 22, 23, 24};
    size_t i;
    int rc = GALEN_OK;

    for (i = 0; rc == GALEN_OK && i < DOC_STR_COUNT; i++)
        rc = col_copy(s, str_cols[i], doc_str_slot(d, i));
    if (rc != GALEN_OK)
        return rc;
    if (doc_kind_parse(col_str(s, 1), &d->kind) != GALEN_OK ||
        doc_audience_parse(col_str(s, 8), &d->audience) != GALEN_OK ||
        doc_status_parse(col_str(s, 27), &d->status) != GALEN_OK)
        return GALEN_ECORRUPT;
    if (col_str(s, 10) &&
        doc_evidence_parse(col_str(s, 10), &d->evidence) != GALEN_OK)
        return GALEN_ECORRUPT;
    d->has_answer = db_col_int(s, 18) != 0;
    return GALEN_OK;
}

static int load_json_cols(struct db_stmt *s, struct doc *d)
{
    int rc = load_list(col_str(s, 11), &d->focus);

    if (rc == GALEN_OK)
        rc = load_list(col_str(s, 12), &d->synonyms);
    if (rc == GALEN_OK)
        rc = load_list(col_str(s, 13), &d->cuis);
    if (rc == GALEN_OK)
        rc = load_list(col_str(s, 14), &d->semantic_types);
    if (rc == GALEN_OK)
        rc = load_list(col_str(s, 16), &d->pub_types);
    if (rc == GALEN_OK)
        rc = load_objects(col_str(s, 25), d, true);
    if (rc == GALEN_OK)
        rc = load_objects(col_str(s, 26), d, false);
    if (rc == GALEN_OK)
        rc = load_list(col_str(s, 29), &d->meta);
    if (rc == GALEN_OK && d->meta.n % 2)
        rc = GALEN_ECORRUPT;
    return rc;
}

/* Runs sql with ?1 bound to a document's pk and hands each result row to
 * load, which adds it to d. */
static int load_rows(struct galen_store *st, const char *sql, int64_t pk,
                     int (*load)(struct db_stmt *s, struct doc *d),
                     struct doc *d)
{
    struct db_stmt *s;
    int rc = store_stmt(st, sql, &s);
    bool row = true;

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, pk);
    while (rc == GALEN_OK) {
        rc = step_row(st, s, &row);
        if (rc != GALEN_OK || !row)
            break;
        rc = load(s, d);
    }
    db_reset(s);
    return rc;
}

static int load_section(struct db_stmt *s, struct doc *d)
{
    return doc_add_section(d, col_str(s, 0), col_str(s, 1),
                           (size_t)db_col_bytes(s, 1));
}

static int load_ref(struct db_stmt *s, struct doc *d)
{
    struct doc_ref *r;
    int rc = doc_add_ref(d, &r);

    if (rc == GALEN_OK)
        rc = col_copy(s, 0, &r->kind);
    if (rc == GALEN_OK)
        rc = col_copy(s, 1, &r->title);
    if (rc == GALEN_OK)
        rc = col_copy(s, 2, &r->source);
    if (rc == GALEN_OK)
        rc = col_copy(s, 3, &r->authors);
    if (rc == GALEN_OK)
        r->year = db_col_int(s, 4);
    if (rc == GALEN_OK)
        rc = col_copy(s, 5, &r->pmid);
    if (rc == GALEN_OK)
        rc = col_copy(s, 6, &r->doi);
    if (rc == GALEN_OK)
        rc = col_copy(s, 7, &r->url);
    return rc;
}

/* Loads the documents row for id into d and returns its pk. */
static int load_row(struct galen_store *st, const char *id, struct doc *d,
                    int64_t *pk)
{
    struct db_stmt *s;
    int rc = store_stmt(st, sql_select, &s);
    int step;

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    step = db_step(s);
    if (step == DB_ROW) {
        rc = load_scalars(s, d);
        if (rc == GALEN_OK)
            rc = load_json_cols(s, d);
        *pk = db_col_int64(s, 30);
    } else {
        rc = step == DB_DONE ? GALEN_ENOENT : store_db_error(st);
    }
    db_reset(s);
    if (rc == GALEN_ECORRUPT)
        set_err(st, rc, "stored document has malformed columns");
    return rc;
}

int store_get(struct galen_store *st, const char *id, struct doc **out)
{
    struct doc *d = doc_new();
    int64_t pk = 0;
    int rc;

    if (!d)
        return GALEN_ENOMEM;
    rc = load_row(st, id, d, &pk);
    if (rc == GALEN_OK)
        rc = load_rows(st,
                       "SELECT heading,body FROM sections WHERE doc=?1"
                       " ORDER BY ord",
                       pk, load_section, d);
    if (rc == GALEN_OK)
        rc = load_rows(st,
                       "SELECT kind,title,source,authors,year,pmid,doi,url"
                       " FROM doc_refs WHERE doc=?1 ORDER BY ord",
                       pk, load_ref, d);
    if (rc != GALEN_OK) {
        doc_free(d);
        return rc;
    }
    *out = d;
    return GALEN_OK;
}

int store_doc_version(struct galen_store *st, const char *id, int64_t *version,
                      enum doc_status *status)
{
    struct current c;
    enum doc_status s;
    int rc = read_current(st, id, &c);

    if (rc != GALEN_OK)
        return rc;
    if (doc_status_parse(c.status, &s) != GALEN_OK)
        return set_err(st, GALEN_ECORRUPT, "stored status is unknown");
    *version = c.version;
    *status = s;
    return GALEN_OK;
}

int store_get_version(struct galen_store *st, const char *id, int64_t version,
                      char **json)
{
    struct db_stmt *s;
    int rc = store_stmt(st,
                        "SELECT snapshot FROM doc_versions"
                        " WHERE doc_id=?1 AND version=?2",
                        &s);
    int step;

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    db_bind_int64(s, 2, version);
    step = db_step(s);
    if (step == DB_ROW) {
        char *copy = galen_strdup(col_str(s, 0) ? col_str(s, 0) : "");

        if (copy)
            *json = copy;
        rc = copy ? GALEN_OK : GALEN_ENOMEM;
    } else {
        rc = step == DB_DONE ? GALEN_ENOENT : store_db_error(st);
    }
    db_reset(s);
    return rc;
}

/* ---- deleting and reviewing -------------------------------------------- */

static int delete_row(struct galen_store *st, const char *id,
                      const char *status, int64_t version, const char *who)
{
    struct db_stmt *s;
    int rc = store_stmt(st, "DELETE FROM documents WHERE id=?1", &s);

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    rc = step_done(st, s);
    if (rc == GALEN_OK)
        rc = add_event(st, id, version, status, "deleted", who, "deleted");
    return rc;
}

int store_delete(struct galen_store *st, const char *id, const char *who)
{
    struct current c;
    int rc = read_current(st, id, &c);

    if (rc != GALEN_OK)
        return rc;
    rc = savepoint(st);
    if (rc != GALEN_OK)
        return rc;
    rc = snapshot(st, id, &c);
    if (rc == GALEN_OK)
        rc = delete_row(st, id, c.status, c.version, who);
    return release(st, rc);
}

int store_set_status(struct galen_store *st, const char *id, enum doc_status to,
                     const char *who, const char *note)
{
    const char *name = doc_status_name(to);
    struct current c;
    struct db_stmt *s;
    int rc = read_current(st, id, &c);

    if (rc != GALEN_OK)
        return rc;
    if (strcmp(c.status, name) == 0)
        return GALEN_OK;
    rc = savepoint(st);
    if (rc != GALEN_OK)
        return rc;
    /* The index stores the status in its metadata: re-index this one. */
    rc = store_stmt(st,
                    "UPDATE documents SET status=?2,indexed_hash=NULL,"
                    "updated_at=" NOW " WHERE id=?1",
                    &s);
    if (rc == GALEN_OK) {
        bind_str(s, 1, id);
        bind_str(s, 2, name);
        rc = step_done(st, s);
    }
    if (rc == GALEN_OK)
        rc = add_event(st, id, c.version, c.status, name, who, note);
    return release(st, rc);
}

int store_history(struct galen_store *st, const char *id,
                  int (*cb)(void *ctx, const struct store_event *ev), void *ctx)
{
    struct db_stmt *s;
    int rc = store_stmt(st,
                        "SELECT id,doc_id,version,from_status,to_status,who,"
                        "at,note FROM review_events WHERE doc_id=?1"
                        " ORDER BY id",
                        &s);
    bool row = true;

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    while (rc == GALEN_OK) {
        struct store_event ev;

        rc = step_row(st, s, &row);
        if (rc != GALEN_OK || !row)
            break;
        ev.id = db_col_int64(s, 0);
        ev.doc_id = col_str(s, 1);
        ev.version = db_col_int64(s, 2);
        ev.from = col_str(s, 3);
        ev.to = col_str(s, 4);
        ev.who = col_str(s, 5);
        ev.at = col_str(s, 6);
        ev.note = col_str(s, 7);
        rc = cb(ctx, &ev);
    }
    db_reset(s);
    return rc;
}
