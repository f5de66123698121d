/* SPDX-License-Identifier: MIT */
/* store.c: the SQLite content store. One connection per handle, in WAL mode
 * with foreign keys on and a busy timeout. Every statement is prepared once
 * and cached per handle, keyed by its SQL text; values are always bound,
 * never spliced into SQL. The schema is versioned with PRAGMA user_version
 * and moved forward by an ordered list of migrations, each applied in its
 * own transaction, so a store is always at exactly one known version.
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

enum { STMT_CACHE = 256, ERRMSG_LEN = 256 };

struct stmt_slot {
    char *sql; /* owned copy of the key; NULL for an empty slot */
    uint64_t hash;
    sqlite3_stmt *stmt;
};

struct galen_store {
    sqlite3 *db;
    int version; /* schema version (user_version) */
    bool in_tx;
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
    "CREATE INDEX review_events_doc ON review_events(doc_id, id);"
    "PRAGMA user_version = 1;";

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
    "CREATE INDEX comments_doc ON comments(doc_id, status);"
    "PRAGMA user_version = 2;";

/* Version 3: the index change log. indexed_hash differs from content_hash
 * exactly for documents the index has not seen in their current form (a
 * partial index makes finding them cheap), and a trigger queues deletions
 * of documents the index holds. */
static const char schema_v3[] =
    "ALTER TABLE documents ADD COLUMN indexed_hash TEXT;"
    "CREATE INDEX documents_unindexed ON documents(pk)"
    " WHERE indexed_hash IS NOT content_hash;"
    "CREATE TABLE index_deletes ("
    " doc_id TEXT PRIMARY KEY,"
    " deleted_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TRIGGER documents_index_delete AFTER DELETE ON documents"
    " WHEN old.indexed_hash IS NOT NULL BEGIN"
    " INSERT OR REPLACE INTO index_deletes(doc_id, deleted_at)"
    " VALUES (old.id, " NOW ");"
    " END;"
    "PRAGMA user_version = 3;";

/* Version 4: the privacy of patient questions. A question is published
 * only if its asker agreed (public = 1) and it has been answered; link_hash
 * is the BLAKE2b hash of the secret link its asker got. Questions asked
 * before stay unpublished: nobody agreed to their publication. */
static const char schema_v4[] =
    "ALTER TABLE patient_questions ADD COLUMN public INTEGER NOT NULL"
    " DEFAULT 0;"
    "ALTER TABLE patient_questions ADD COLUMN link_hash TEXT;"
    "PRAGMA user_version = 4;";

/* Version 5: secrets every process on the store shares (the CSRF key), so
 * a form served by one process posts to another, and after a restart. */
static const char schema_v5[] = "CREATE TABLE secrets ("
                                " name TEXT PRIMARY KEY,"
                                " value BLOB NOT NULL,"
                                " created_at TEXT NOT NULL) WITHOUT ROWID;"
                                "PRAGMA user_version = 5;";

/* Version 6: the change log replicas follow. Every change the index must
 * see (a new document, a new content hash or status, a delete) appends
 * the document's id under a new, never reused sequence number; each
 * replica keeps its own index and the last number it applied, so the
 * log, unlike indexed_hash, serves any number of indexes. */
static const char schema_v6[] =
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
    " END;"
    "PRAGMA user_version = 6;";

/* Version 7: the per-account login backoff, shared by every replica on
 * the store (a name guessed through one replica waits on all of them).
 * name is the lowercased account name as typed; until_ms is Unix time in
 * milliseconds, so replicas on different machines agree (NTP). */
static const char schema_v7[] = "CREATE TABLE login_backoff ("
                                " name TEXT PRIMARY KEY,"
                                " fails INTEGER NOT NULL,"
                                " until_ms INTEGER NOT NULL) WITHOUT ROWID;"
                                "PRAGMA user_version = 7;";

/* migrations[i] moves a store from version i to version i + 1. */
static const char *const migrations[STORE_SCHEMA_VERSION] = {
    schema_v1, schema_v2, schema_v3, schema_v4,
    schema_v5, schema_v6, schema_v7};

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
    return set_err(st, GALEN_EDB, sqlite3_errmsg(st->db));
}

const char *store_errmsg(const struct galen_store *st)
{
    return st ? st->errmsg : open_errmsg;
}

sqlite3 *store_sqlite(struct galen_store *st)
{
    return st->db;
}

int store_schema_version(struct galen_store *st)
{
    return st->version;
}

int store_stmt(struct galen_store *st, const char *sql, sqlite3_stmt **out)
{
    uint64_t h = hash_fnv1a64(sql, strlen(sql));
    size_t i = (size_t)h % STMT_CACHE;
    struct stmt_slot *s;

    while (st->slots[i].sql) {
        s = &st->slots[i];
        if (s->hash == h && strcmp(s->sql, sql) == 0) {
            sqlite3_reset(s->stmt);
            sqlite3_clear_bindings(s->stmt);
            *out = s->stmt;
            return GALEN_OK;
        }
        i = (i + 1) % STMT_CACHE;
    }
    if (st->nslots + 1 >= STMT_CACHE)
        return set_err(st, GALEN_ETOOBIG, "statement cache is full");
    s = &st->slots[i];
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt,
                           NULL) != SQLITE_OK)
        return store_db_error(st);
    s->sql = galen_strdup(sql);
    if (!s->sql) {
        sqlite3_finalize(s->stmt);
        s->stmt = NULL;
        return set_err(st, GALEN_ENOMEM, "out of memory");
    }
    s->hash = h;
    st->nslots++;
    *out = s->stmt;
    return GALEN_OK;
}

/* Runs a statement that returns no rows, from the cache. */
static int exec1(struct galen_store *st, const char *sql)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql, &s);

    if (rc != GALEN_OK)
        return rc;
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_db_error(st);
    return GALEN_OK;
}

/* Runs each statement of a constant script in turn (prepare, step,
 * finalise): migrations and connection setup, never data. */
static int exec_script(struct galen_store *st, const char *sql)
{
    const char *p = sql;

    while (*p) {
        sqlite3_stmt *s = NULL;
        const char *tail = NULL;
        int rc = sqlite3_prepare_v2(st->db, p, -1, &s, &tail);

        if (rc != SQLITE_OK)
            return store_db_error(st);
        if (!s)
            break; /* only whitespace or comments left */
        do {
            rc = sqlite3_step(s);
        } while (rc == SQLITE_ROW);
        sqlite3_finalize(s);
        if (rc != SQLITE_DONE)
            return store_db_error(st);
        p = tail;
    }
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
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    memcpy(st->errmsg, kept, sizeof kept);
    st->in_tx = false;
}

/* ---- open / close / migrate -------------------------------------------- */

static int read_user_version(struct galen_store *st, int *out)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, "PRAGMA user_version", &s);

    if (rc != GALEN_OK)
        return rc;
    if (sqlite3_step(s) != SQLITE_ROW) {
        rc = store_db_error(st);
        sqlite3_reset(s);
        return rc;
    }
    *out = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    return GALEN_OK;
}

static int migrate(struct galen_store *st, int target)
{
    int v;
    int rc = read_user_version(st, &v);

    if (rc != GALEN_OK)
        return rc;
    if (v > STORE_SCHEMA_VERSION)
        return set_err(st, GALEN_EVERSION,
                       "store was written by a newer galen (schema too new)");
    while (v < target) {
        rc = exec1(st, "BEGIN IMMEDIATE");
        if (rc != GALEN_OK)
            return rc;
        rc = exec_script(st, migrations[v]);
        if (rc == GALEN_OK)
            rc = exec1(st, "COMMIT");
        if (rc != GALEN_OK) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
        v++;
    }
    st->version = v;
    return GALEN_OK;
}

static int configure(struct galen_store *st)
{
    sqlite3_busy_timeout(st->db, 10000);
    sqlite3_extended_result_codes(st->db, 1);
    return exec_script(st, "PRAGMA journal_mode = WAL;"
                           "PRAGMA synchronous = NORMAL;"
                           "PRAGMA foreign_keys = ON;"
                           "PRAGMA trusted_schema = OFF;");
}

int store_open_version(const char *path, int version, struct galen_store **out)
{
    struct galen_store *st;
    int rc;

    if (version < 1 || version > STORE_SCHEMA_VERSION)
        return set_err(NULL, GALEN_EINVAL, "bad schema version");
    if (sodium_init() < 0)
        return set_err(NULL, GALEN_EINVAL, "libsodium failed to start");
    st = galen_calloc(1, sizeof *st);
    if (!st)
        return set_err(NULL, GALEN_ENOMEM, "out of memory");
    if (sqlite3_open_v2(path, &st->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = set_err(NULL, GALEN_EDB,
                     st->db ? sqlite3_errmsg(st->db) : "out of memory");
        goto out;
    }
    rc = configure(st);
    if (rc == GALEN_OK)
        rc = migrate(st, version);
    if (rc != GALEN_OK)
        set_err(NULL, rc, st->errmsg);
out:
    if (rc != GALEN_OK) {
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
        sqlite3_finalize(st->slots[i].stmt);
        galen_free(st->slots[i].sql);
    }
    if (st->in_tx)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(st->db);
    galen_free(st);
}

/* ---- small helpers ----------------------------------------------------- */

static int bind_str(sqlite3_stmt *s, int i, const char *v)
{
    if (!v)
        return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

/* Steps a statement expected to finish (no rows) and resets it. */
static int step_done(struct galen_store *st, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_db_error(st);
    return GALEN_OK;
}

/* Steps s once: *row tells whether it produced a row. GALEN_OK or
 * GALEN_EDB. */
static int step_row(struct galen_store *st, sqlite3_stmt *s, bool *row)
{
    int step = sqlite3_step(s);

    *row = step == SQLITE_ROW;
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        return GALEN_OK;
    return store_db_error(st);
}

static const char *col_str(sqlite3_stmt *s, int i)
{
    return (const char *)sqlite3_column_text(s, i);
}

/* Copies column i into *field (NULL stays NULL). */
static int col_copy(sqlite3_stmt *s, int i, char **field)
{
    const char *v = col_str(s, i);

    if (!v)
        return GALEN_OK;
    return doc_set(field, v, (size_t)sqlite3_column_bytes(s, i));
}

int store_counts(struct galen_store *st, struct galen_store_counts *out)
{
    static const char *const sql[] = {
        "SELECT count(*) FROM documents",
        "SELECT count(*) FROM documents WHERE has_answer",
        "SELECT count(*) FROM doc_versions",
        "SELECT count(*) FROM review_events",
        "SELECT count(*) FROM documents"
        " WHERE indexed_hash IS NOT content_hash",
        "SELECT count(*) FROM index_deletes"};
    uint64_t v[ARRAY_SIZE(sql)];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(sql); i++) {
        sqlite3_stmt *s;
        int rc = store_stmt(st, sql[i], &s);

        if (rc != GALEN_OK)
            return rc;
        if (sqlite3_step(s) != SQLITE_ROW) {
            rc = store_db_error(st);
            sqlite3_reset(s);
            return rc;
        }
        v[i] = (uint64_t)sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
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
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql, &s);
    int step;

    if (rc != GALEN_OK)
        return rc;
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        const char *v = col_str(s, 0);

        if (!ok_row || !v || strcmp(v, "ok") != 0) {
            char msg[ERRMSG_LEN];

            snprintf(msg, sizeof msg, "%s: %s", sql, v ? v : "problem");
            sqlite3_reset(s);
            return set_err(st, GALEN_ECORRUPT, msg);
        }
    } else if (step != SQLITE_DONE) {
        rc = store_db_error(st);
    }
    sqlite3_reset(s);
    return rc;
}

int store_check(struct galen_store *st)
{
    int rc = check_pragma(st, "PRAGMA integrity_check", true);

    if (rc == GALEN_OK)
        rc = check_pragma(st, "PRAGMA foreign_key_check", false);
    return rc;
}

/* ---- writing documents ------------------------------------------------- */

/* The document columns in bind order; INSERT and UPDATE share the
 * numbering ?1..?29. */
#define DOC_COLS                                                            \
    "id,kind,title,source,authors,date,url,licence,audience,specialty,"     \
    "evidence,focus,synonyms,cuis,semantic_types,semantic_group,pub_types," \
    "question_type,has_answer,pmid,doi,age_band,sex,asked,replied,tables,"  \
    "faq,status,content_hash"

static const char sql_insert[] =
    "INSERT INTO documents(" DOC_COLS ",version,created_at,updated_at)"
    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
    "?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,1," NOW "," NOW ")";

static const char sql_update[] =
    "UPDATE documents SET kind=?2,title=?3,source=?4,authors=?5,date=?6,"
    "url=?7,licence=?8,audience=?9,specialty=?10,evidence=?11,focus=?12,"
    "synonyms=?13,cuis=?14,semantic_types=?15,semantic_group=?16,"
    "pub_types=?17,question_type=?18,has_answer=?19,pmid=?20,doi=?21,"
    "age_band=?22,sex=?23,asked=?24,replied=?25,tables=?26,faq=?27,"
    "status=?28,content_hash=?29,version=version+1,updated_at=" NOW
    " WHERE id=?1";

enum {
    JSON_FOCUS,
    JSON_SYN,
    JSON_CUIS,
    JSON_STYPES,
    JSON_PTYPES,
    JSON_TABLES,
    JSON_FAQ,
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
    return rc;
}

static void json_cols_cleanup(struct doc_json_cols *j)
{
    size_t i;

    for (i = 0; i < JSON_COUNT; i++)
        buf_cleanup(&j->b[i]);
}

static int bind_json(sqlite3_stmt *s, int i, const struct buf *b)
{
    return sqlite3_bind_text(s, i, (const char *)b->data, (int)b->len,
                             SQLITE_STATIC);
}

static const char *evidence_or_null(enum doc_evidence e)
{
    return e == DOC_EVIDENCE_NONE ? NULL : doc_evidence_name(e);
}

static void bind_doc(sqlite3_stmt *s, const struct doc *d,
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
    sqlite3_bind_int(s, 19, d->has_answer ? 1 : 0);
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
}

static int write_row(struct galen_store *st, const struct doc *d,
                     const char *hash, bool update)
{
    struct doc_json_cols j;
    sqlite3_stmt *s;
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
    sqlite3_stmt *s;
    size_t i;
    int rc = store_stmt(st,
                        "INSERT INTO sections(doc,ord,heading,body)"
                        " VALUES(?1,?2,?3,?4)",
                        &s);

    for (i = 0; rc == GALEN_OK && i < d->nsections; i++) {
        sqlite3_bind_int64(s, 1, pk);
        sqlite3_bind_int64(s, 2, (int64_t)i);
        bind_str(s, 3, d->sections[i].heading);
        bind_str(s, 4, d->sections[i].text);
        rc = step_done(st, s);
    }
    return rc;
}

static int write_refs(struct galen_store *st, int64_t pk, const struct doc *d)
{
    sqlite3_stmt *s;
    size_t i;
    int rc = store_stmt(st,
                        "INSERT INTO doc_refs(doc,ord,kind,title,source,"
                        "authors,year,pmid,doi,url)"
                        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                        &s);

    for (i = 0; rc == GALEN_OK && i < d->nrefs; i++) {
        const struct doc_ref *r = &d->refs[i];

        sqlite3_bind_int64(s, 1, pk);
        sqlite3_bind_int64(s, 2, (int64_t)i);
        bind_str(s, 3, r->kind);
        bind_str(s, 4, r->title);
        bind_str(s, 5, r->source);
        bind_str(s, 6, r->authors);
        if (r->year)
            sqlite3_bind_int(s, 7, r->year);
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
        sqlite3_stmt *s;
        int rc = store_stmt(st, sql[i], &s);

        if (rc != GALEN_OK)
            return rc;
        sqlite3_bind_int64(s, 1, pk);
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
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "INSERT INTO review_events(doc_id,version,"
                        "from_status,to_status,who,at,note)"
                        " VALUES(?1,?2,?3,?4,?5," NOW ",?6)",
                        &s);

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    sqlite3_bind_int64(s, 2, version);
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

static void copy_col(sqlite3_stmt *s, int i, char *dst, size_t cap)
{
    const char *v = col_str(s, i);

    snprintf(dst, cap, "%s", v ? v : "");
}

/* Reads the stored row for id. GALEN_OK, GALEN_ENOENT or GALEN_EDB. */
static int read_current(struct galen_store *st, const char *id,
                        struct current *c)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT pk,version,content_hash,status,updated_at"
                        " FROM documents WHERE id=?1",
                        &s);
    int step;

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        c->pk = sqlite3_column_int64(s, 0);
        c->version = sqlite3_column_int64(s, 1);
        copy_col(s, 2, c->hash, sizeof c->hash);
        copy_col(s, 3, c->status, sizeof c->status);
        copy_col(s, 4, c->updated_at, sizeof c->updated_at);
    } else if (step == SQLITE_DONE) {
        rc = GALEN_ENOENT;
    } else {
        rc = store_db_error(st);
    }
    sqlite3_reset(s);
    return rc;
}

/* Copies the stored document id, as it is now, into doc_versions. */
static int snapshot(struct galen_store *st, const char *id,
                    const struct current *c)
{
    struct doc *old = NULL;
    char *json = NULL;
    sqlite3_stmt *s;
    int rc = store_get(st, id, &old);

    if (rc == GALEN_OK)
        rc = doc_to_json(old, &json);
    if (rc == GALEN_OK)
        rc = store_stmt(st,
                        "INSERT OR REPLACE INTO doc_versions(doc_id,version,"
                        "content_hash,status,snapshot,created_at,"
                        "superseded_at) VALUES(?1,?2,?3,?4,?5,?6," NOW ")",
                        &s);
    if (rc == GALEN_OK) {
        bind_str(s, 1, id);
        sqlite3_bind_int64(s, 2, c->version);
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

static int savepoint(struct galen_store *st)
{
    return exec1(st, "SAVEPOINT doc_write");
}

static int release(struct galen_store *st, int rc)
{
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
    int rc = write_row(st, d, hash, false);
    int64_t pk = sqlite3_last_insert_rowid(st->db);

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

/* Columns 0..28 as in DOC_COLS. */
static int load_scalars(sqlite3_stmt *s, struct doc *d)
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
    d->has_answer = sqlite3_column_int(s, 18) != 0;
    return GALEN_OK;
}

static int load_json_cols(sqlite3_stmt *s, struct doc *d)
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
    return rc;
}

/* Runs sql with ?1 bound to a document's pk and hands each result row to
 * load, which adds it to d. */
static int load_rows(struct galen_store *st, const char *sql, int64_t pk,
                     int (*load)(sqlite3_stmt *s, struct doc *d), struct doc *d)
{
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql, &s);
    bool row = true;

    if (rc != GALEN_OK)
        return rc;
    sqlite3_bind_int64(s, 1, pk);
    while (rc == GALEN_OK) {
        rc = step_row(st, s, &row);
        if (rc != GALEN_OK || !row)
            break;
        rc = load(s, d);
    }
    sqlite3_reset(s);
    return rc;
}

static int load_section(sqlite3_stmt *s, struct doc *d)
{
    return doc_add_section(d, col_str(s, 0), col_str(s, 1),
                           (size_t)sqlite3_column_bytes(s, 1));
}

static int load_ref(sqlite3_stmt *s, struct doc *d)
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
        r->year = sqlite3_column_int(s, 4);
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
    sqlite3_stmt *s;
    int rc = store_stmt(st, sql_select, &s);
    int step;

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        rc = load_scalars(s, d);
        if (rc == GALEN_OK)
            rc = load_json_cols(s, d);
        *pk = sqlite3_column_int64(s, 29);
    } else {
        rc = step == SQLITE_DONE ? GALEN_ENOENT : store_db_error(st);
    }
    sqlite3_reset(s);
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
    sqlite3_stmt *s;
    int rc = store_stmt(st,
                        "SELECT snapshot FROM doc_versions"
                        " WHERE doc_id=?1 AND version=?2",
                        &s);
    int step;

    if (rc != GALEN_OK)
        return rc;
    bind_str(s, 1, id);
    sqlite3_bind_int64(s, 2, version);
    step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        char *copy = galen_strdup(col_str(s, 0) ? col_str(s, 0) : "");

        if (copy)
            *json = copy;
        rc = copy ? GALEN_OK : GALEN_ENOMEM;
    } else {
        rc = step == SQLITE_DONE ? GALEN_ENOENT : store_db_error(st);
    }
    sqlite3_reset(s);
    return rc;
}

/* ---- deleting and reviewing -------------------------------------------- */

static int delete_row(struct galen_store *st, const char *id,
                      const char *status, int64_t version, const char *who)
{
    sqlite3_stmt *s;
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
    sqlite3_stmt *s;
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
    sqlite3_stmt *s;
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
        ev.id = sqlite3_column_int64(s, 0);
        ev.doc_id = col_str(s, 1);
        ev.version = sqlite3_column_int64(s, 2);
        ev.from = col_str(s, 3);
        ev.to = col_str(s, 4);
        ev.who = col_str(s, 5);
        ev.at = col_str(s, 6);
        ev.note = col_str(s, 7);
        rc = cb(ctx, &ev);
    }
    sqlite3_reset(s);
    return rc;
}
