/* SPDX-License-Identifier: MIT */
/* service.c: the service handle, users and sessions. Passwords are stored
 * only as Argon2id strings and session tokens only as BLAKE2b hashes
 * (auth.c). The store's schema (v2) owns the tables; this file owns the
 * queries, all prepared and cached by store_stmt. */
#include "service.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <galen/error.h>

#include "base/mem.h"
#include "content/store.h"
#include "service_internal.h"

struct galen_service {
    struct galen_store *st;
    char msg[256];    /* last error message */
    bool self_review; /* an editor may approve their own review */
};

void service_set_self_review(struct galen_service *svc, bool allow)
{
    svc->self_review = allow;
}

bool service_self_review(const struct galen_service *svc)
{
    return svc->self_review;
}

const char *const galen_age_bands[] = {"0-9",   "10-19", "20-29", "30-39",
                                       "40-49", "50-59", "60-69", "70-79",
                                       "80-89", "90+",   NULL};

const char *const galen_sexes[] = {"female", "male", "other", NULL};

const char *const galen_specialties[] = {
    "Cardiology",       "Endocrinology",
    "Family Medicine",  "Gastroenterology",
    "Hepatology",       "Internal Medicine",
    "Nephrology",       "Neurology",
    "Neurosurgery",     "Obstetrics",
    "Orthopedics",      "Pediatrics",
    "Rehabilitation",   "Sports Medicine",
    "Vascular Surgery", NULL};

int service_open(const char *store_path, struct galen_service **out)
{
    struct galen_service *svc = galen_calloc(1, sizeof *svc);
    int rc;

    if (!svc)
        return GALEN_ENOMEM;
    rc = store_open(store_path, &svc->st);
    if (rc != GALEN_OK) {
        galen_free(svc);
        return rc;
    }
    *out = svc;
    return GALEN_OK;
}

void service_close(struct galen_service *svc)
{
    if (!svc)
        return;
    store_close(svc->st);
    galen_free(svc);
}

struct galen_store *service_store(struct galen_service *svc)
{
    return svc->st;
}

const char *service_errmsg(struct galen_service *svc)
{
    return svc ? svc->msg : store_errmsg(NULL);
}

void service_iso(long long t, char out[SERVICE_ISO_LEN])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) ||
        strftime(out, SERVICE_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        memcpy(out, "1970-01-01T00:00:00Z", SERVICE_ISO_LEN);
}

const char *service_col(struct db_stmt *s, int i)
{
    const char *v = db_col_text(s, i);

    return v ? v : "";
}

void service_bind(struct db_stmt *s, int i, const char *v)
{
    (void)db_bind_text(s, i, v, -1); /* NULL binds NULL */
}

int service_prep(struct galen_service *svc, const char *sql,
                 struct db_stmt **out)
{
    return store_stmt(svc->st, sql, out);
}

int service_done(struct galen_service *svc, struct db_stmt *s)
{
    int rc = db_step(s);

    db_reset(s);
    if (rc == DB_DONE)
        return GALEN_OK;
    if (rc == DB_EUNIQUE || rc == DB_ECONSTRAINT) {
        service_db_error(svc);
        return rc == DB_EUNIQUE ? GALEN_EEXIST : GALEN_EINVAL;
    }
    return service_db_error(svc);
}

int service_fail(struct galen_service *svc, int code, const char *msg)
{
    snprintf(svc->msg, sizeof svc->msg, "%s", msg);
    return code;
}

int service_db_error(struct galen_service *svc)
{
    int rc = store_db_error(svc->st);

    snprintf(svc->msg, sizeof svc->msg, "%s", store_errmsg(svc->st));
    return rc;
}

int service_last_id(struct galen_service *svc, long long *id)
{
    int64_t v = 0;

    if (store_last_id(svc->st, &v) != GALEN_OK)
        return service_db_error(svc);
    *id = (long long)v;
    return GALEN_OK;
}

int service_changes(struct galen_service *svc)
{
    return (int)store_changes(svc->st);
}

const char *service_pick(const char *const *list, const char *v)
{
    size_t i;

    if (!v)
        return NULL;
    for (i = 0; list[i]; i++) {
        if (strcasecmp(list[i], v) == 0)
            return list[i];
    }
    return NULL;
}

/* ---- users ------------------------------------------------------------- */

bool service_user_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    size_t i;

    if (n < 2 || n >= GALEN_NAME_MAX)
        return false;
    for (i = 0; i < n; i++) {
        char c = name[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

static int check_user(struct galen_service *svc, const char *name,
                      enum galen_role role, const char *specialty)
{
    if (!service_user_name_ok(name))
        return service_fail(svc, GALEN_EINVAL,
                            "a user name is 2 to 63 letters, digits, dots, "
                            "dashes or underscores");
    if (role == GALEN_ROLE_ANON || (unsigned)role >= GALEN_ROLE_COUNT)
        return service_fail(svc, GALEN_EINVAL, "unknown role");
    if (role == GALEN_ROLE_SPECIALIST &&
        !service_pick(galen_specialties, specialty))
        return service_fail(svc, GALEN_EINVAL,
                            "a specialist needs a known specialty");
    if (role != GALEN_ROLE_SPECIALIST && specialty && *specialty)
        return service_fail(svc, GALEN_EINVAL,
                            "only specialists have a specialty");
    return GALEN_OK;
}

int service_user_add(struct galen_service *svc, const char *name,
                     const char *password, enum galen_role role,
                     const char *specialty, long long now, long long *id)
{
    char hash[AUTH_PWHASH_LEN];
    char iso[SERVICE_ISO_LEN];
    struct db_stmt *s;
    int rc = check_user(svc, name, role, specialty);

    if (rc != GALEN_OK)
        return rc;
    rc = auth_password_hash(password, hash);
    if (rc == GALEN_EINVAL)
        return service_fail(svc, rc, "a password is 8 to 128 bytes");
    if (rc != GALEN_OK)
        return rc;
    rc = service_prep(svc,
                      "INSERT INTO users(name,pw_hash,role,specialty,"
                      "created_at) VALUES (?1,?2,?3,?4,?5)",
                      &s);
    if (rc != GALEN_OK)
        return rc;
    service_iso(now, iso);
    service_bind(s, 1, name);
    service_bind(s, 2, hash);
    service_bind(s, 3, auth_role_name(role));
    service_bind(s, 4,
                 role == GALEN_ROLE_SPECIALIST
                     ? service_pick(galen_specialties, specialty)
                     : NULL);
    service_bind(s, 5, iso);
    rc = service_done(svc, s);
    if (rc == GALEN_EEXIST)
        return service_fail(svc, rc, "that user name is taken");
    if (rc == GALEN_OK && id)
        rc = service_last_id(svc, id);
    return rc;
}

/* Reads columns id, name, role, specialty, disabled starting at col. */
static void read_user(struct db_stmt *s, int col, struct galen_user *u)
{
    enum galen_role role = GALEN_ROLE_ANON;

    memset(u, 0, sizeof *u);
    u->id = db_col_int64(s, col);
    snprintf(u->name, sizeof u->name, "%s", service_col(s, col + 1));
    if (auth_role_parse(service_col(s, col + 2), &role) != GALEN_OK)
        role = GALEN_ROLE_ANON;
    u->role = role;
    snprintf(u->specialty, sizeof u->specialty, "%s", service_col(s, col + 3));
    u->disabled = db_col_int(s, col + 4) != 0;
}

int service_user_login(struct galen_service *svc, const char *name,
                       const char *password, struct galen_user *out)
{
    struct db_stmt *s;
    struct galen_user u;
    char hash[AUTH_PWHASH_LEN];
    int rc = service_prep(svc,
                          "SELECT id,name,role,specialty,disabled,pw_hash "
                          "FROM users WHERE name=?1",
                          &s);
    bool found;

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, name ? name : "");
    found = db_step(s) == DB_ROW;
    if (found) {
        read_user(s, 0, &u);
        snprintf(hash, sizeof hash, "%s", service_col(s, 5));
    }
    db_reset(s);
    if (!found) {
        auth_password_dummy(password);
        return GALEN_EPERM;
    }
    if (!auth_password_verify(hash, password) || u.disabled ||
        u.role == GALEN_ROLE_ANON)
        return GALEN_EPERM;
    *out = u;
    return GALEN_OK;
}

int service_user_set_disabled(struct galen_service *svc, long long id,
                              bool disabled)
{
    struct db_stmt *s;
    int rc = service_prep(svc, "UPDATE users SET disabled=?2 WHERE id=?1", &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, disabled ? 1 : 0);
    rc = service_done(svc, s);
    if (rc != GALEN_OK)
        return rc;
    if (service_changes(svc) == 0)
        return GALEN_ENOENT;
    if (!disabled)
        return GALEN_OK;
    rc = service_prep(svc, "DELETE FROM sessions WHERE user_id=?1", &s);
    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    return service_done(svc, s);
}

/* Ends every session of user id. */
static int end_sessions(struct galen_service *svc, long long id)
{
    struct db_stmt *s;
    int rc = service_prep(svc, "DELETE FROM sessions WHERE user_id=?1", &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    return service_done(svc, s);
}

int service_user_set_password(struct galen_service *svc, long long id,
                              const char *password)
{
    char hash[AUTH_PWHASH_LEN];
    struct db_stmt *s;
    int rc = auth_password_hash(password, hash);

    if (rc != GALEN_OK)
        return service_fail(svc, rc,
                            rc == GALEN_EINVAL
                                ? "password must be 8 to 128 bytes"
                                : "cannot hash the password");
    rc = service_prep(svc, "UPDATE users SET pw_hash=?2 WHERE id=?1", &s);
    if (rc == GALEN_OK) {
        db_bind_int64(s, 1, id);
        service_bind(s, 2, hash);
        rc = service_done(svc, s);
    }
    sodium_memzero(hash, sizeof hash);
    if (rc == GALEN_OK && service_changes(svc) == 0)
        return service_fail(svc, GALEN_ENOENT, "no such user");
    return rc == GALEN_OK ? end_sessions(svc, id) : rc;
}

int service_user_delete(struct galen_service *svc, long long id)
{
    struct db_stmt *s;
    int rc = end_sessions(svc, id);

    if (rc == GALEN_OK)
        rc = service_prep(svc, "DELETE FROM users WHERE id=?1", &s);
    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    rc = service_done(svc, s);
    if (rc == GALEN_EINVAL)
        return service_fail(svc, rc,
                            "their questions or replies still name them: "
                            "disable the account instead");
    if (rc == GALEN_OK && service_changes(svc) == 0)
        return service_fail(svc, GALEN_ENOENT, "no such user");
    return rc;
}

int service_secret(struct galen_service *svc, const char *name,
                   unsigned char *out, size_t len)
{
    unsigned char fresh[64];
    const void *stored = NULL;
    struct db_stmt *s;
    size_t n = 0;
    int rc;

    if (len > sizeof fresh)
        return GALEN_EINVAL;
    /* The first process to ask creates it; every later one reads it. */
    randombytes_buf(fresh, len);
    rc = service_prep(svc,
                      "INSERT INTO secrets(name,value,created_at)"
                      " VALUES(?1,?2,strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
                      " ON CONFLICT(name) DO NOTHING",
                      &s);
    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, name);
    (void)db_bind_blob(s, 2, fresh, len);
    rc = service_done(svc, s);
    sodium_memzero(fresh, sizeof fresh);
    if (rc != GALEN_OK)
        return rc;
    rc = service_prep(svc, "SELECT value FROM secrets WHERE name=?1", &s);
    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, name);
    rc = db_step(s);
    if (rc == DB_ROW)
        stored = db_col_blob(s, 0, &n);
    if (rc == DB_ROW && stored && n == len) {
        memcpy(out, stored, len);
        rc = GALEN_OK;
    } else if (rc == DB_ROW) {
        rc = service_fail(svc, GALEN_ECORRUPT, "secret has the wrong size");
    } else {
        rc = service_db_error(svc);
    }
    db_reset(s);
    return rc;
}

int service_users(struct galen_service *svc,
                  int (*cb)(void *ctx, const struct galen_user *u), void *ctx)
{
    struct db_stmt *s;
    struct galen_user u;
    int rc = service_prep(svc,
                          "SELECT id,name,role,specialty,disabled FROM users "
                          "ORDER BY name",
                          &s);
    int step = DB_DONE;

    if (rc != GALEN_OK)
        return rc;
    while (rc == GALEN_OK && (step = db_step(s)) == DB_ROW) {
        read_user(s, 0, &u);
        rc = cb(ctx, &u);
    }
    if (rc == GALEN_OK && step != DB_DONE)
        rc = service_db_error(svc);
    db_reset(s);
    return rc;
}

/* ---- sessions ---------------------------------------------------------- */

int service_session_new(struct galen_service *svc, long long user_id,
                        long long now, long ttl,
                        char token[GALEN_TOKEN_LEN + 1])
{
    char tok[GALEN_TOKEN_LEN + 1];
    char hash[AUTH_TOKEN_HASH_LEN + 1];
    char created[SERVICE_ISO_LEN];
    char expires[SERVICE_ISO_LEN];
    struct db_stmt *s;
    int rc;

    rc = service_prep(svc, "DELETE FROM sessions WHERE expires_at<=?1", &s);
    if (rc != GALEN_OK)
        return rc;
    service_iso(now, created);
    service_bind(s, 1, created);
    rc = service_done(svc, s);
    if (rc != GALEN_OK)
        return rc;
    rc = service_prep(svc,
                      "INSERT INTO sessions(token_hash,user_id,csrf,"
                      "created_at,expires_at) VALUES (?1,?2,?3,?4,?5)",
                      &s);
    if (rc != GALEN_OK)
        return rc;
    auth_token_new(tok);
    auth_token_hash(tok, hash);
    service_iso(now, created);
    service_iso(now + ttl, expires);
    service_bind(s, 1, hash);
    db_bind_int64(s, 2, user_id);
    /* CSRF tokens are derived from the session token (auth_csrf_token), so
     * there is no per-session secret to keep here. */
    service_bind(s, 3, "derived");
    service_bind(s, 4, created);
    service_bind(s, 5, expires);
    rc = service_done(svc, s);
    if (rc == GALEN_OK)
        memcpy(token, tok, sizeof tok);
    return rc;
}

int service_session_get(struct galen_service *svc, const char *token,
                        long long now, struct galen_user *out)
{
    char hash[AUTH_TOKEN_HASH_LEN + 1];
    char iso[SERVICE_ISO_LEN];
    struct db_stmt *s;
    struct galen_user u;
    bool found;
    int rc;

    if (!auth_token_ok(token))
        return GALEN_ENOENT;
    rc = service_prep(svc,
                      "SELECT u.id,u.name,u.role,u.specialty,u.disabled "
                      "FROM sessions s JOIN users u ON u.id=s.user_id "
                      "WHERE s.token_hash=?1 AND s.expires_at>?2 "
                      "AND u.disabled=0",
                      &s);
    if (rc != GALEN_OK)
        return rc;
    auth_token_hash(token, hash);
    service_iso(now, iso);
    service_bind(s, 1, hash);
    service_bind(s, 2, iso);
    found = db_step(s) == DB_ROW;
    if (found)
        read_user(s, 0, &u);
    db_reset(s);
    if (!found || u.role == GALEN_ROLE_ANON)
        return GALEN_ENOENT;
    *out = u;
    return GALEN_OK;
}

int service_session_end(struct galen_service *svc, const char *token)
{
    char hash[AUTH_TOKEN_HASH_LEN + 1];
    struct db_stmt *s;
    int rc;

    if (!auth_token_ok(token))
        return GALEN_OK;
    rc = service_prep(svc, "DELETE FROM sessions WHERE token_hash=?1", &s);
    if (rc != GALEN_OK)
        return rc;
    auth_token_hash(token, hash);
    service_bind(s, 1, hash);
    return service_done(svc, s);
}
