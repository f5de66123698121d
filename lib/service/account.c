/* SPDX-License-Identifier: MIT */
/* account.c: what a user or an admin does to an account's password: a
 * user changes their own (knowing the current one), an admin issues a
 * one-time reset link, and whoever holds the link sets a new password with
 * it. A reset token is 32 random bytes like a session token and the store
 * keeps only its BLAKE2b hash; marking it used and setting the password
 * happen in one transaction, guarded by "used_at IS NULL", so two uses
 * racing on two processes cannot both succeed. Each of these writes a row
 * of the account audit trail (account_events, schema v6). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "auth.h"
#include "content/store.h"
#include "service.h"
#include "service_internal.h"

/* Appends an event to the audit trail. actor NULL: the command line. */
static int audit(struct galen_service *svc, const char *user, const char *actor,
                 const char *event, long long now)
{
    char iso[SERVICE_ISO_LEN];
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "INSERT INTO account_events(user_name,actor_name,"
                          "event,at) VALUES (?1,?2,?3,?4)",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    service_iso(now, iso);
    service_bind(s, 1, user);
    service_bind(s, 2, actor);
    service_bind(s, 3, event);
    service_bind(s, 4, iso);
    return service_done(svc, s);
}

/* Reads user id's name and, when hash is not NULL, password hash. */
static int user_row(struct galen_service *svc, long long id,
                    char name[GALEN_NAME_MAX], char *hash)
{
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "SELECT name,pw_hash FROM users WHERE id=?1 AND "
                          "disabled=0",
                          &s);
    bool found;

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    found = db_step(s) == DB_ROW;
    if (found) {
        snprintf(name, GALEN_NAME_MAX, "%s", service_col(s, 0));
        if (hash)
            snprintf(hash, AUTH_PWHASH_LEN, "%s", service_col(s, 1));
    }
    db_reset(s);
    return found ? GALEN_OK : service_fail(svc, GALEN_ENOENT, "no such user");
}

/* Sets user id's password hash and ends their sessions but keep_hash's
 * (NULL: all). Inside the caller's transaction. */
static int set_hash(struct galen_service *svc, long long id, const char *hash,
                    const char *keep_hash)
{
    struct db_stmt *s;
    int rc = service_prep(svc, "UPDATE users SET pw_hash=?2 WHERE id=?1", &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    service_bind(s, 2, hash);
    rc = service_done(svc, s);
    if (rc == GALEN_OK)
        rc = service_prep(svc,
                          "DELETE FROM sessions WHERE user_id=?1 AND "
                          "token_hash IS DISTINCT FROM ?2",
                          &s);
    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    service_bind(s, 2, keep_hash);
    return service_done(svc, s);
}

/* Hashes a new password; GALEN_EINVAL with a message when it is unfit. */
static int new_hash(struct galen_service *svc, const char *password,
                    char hash[AUTH_PWHASH_LEN])
{
    int rc = auth_password_hash(password ? password : "", hash);

    if (rc != GALEN_OK)
        return service_fail(svc, rc,
                            rc == GALEN_EINVAL
                                ? "the new password must be 8 to 128 bytes"
                                : "cannot hash the password");
    return GALEN_OK;
}

/* Runs the password update and its audit row in one transaction. */
static int commit_password(struct galen_service *svc, long long id,
                           const char *hash, const char *keep_hash,
                           const char *user, const char *event, long long now)
{
    struct galen_store *st = service_store(svc);
    int rc = store_begin(st);

    if (rc != GALEN_OK)
        return rc;
    rc = set_hash(svc, id, hash, keep_hash);
    if (rc == GALEN_OK)
        rc = audit(svc, user, user, event, now);
    if (rc == GALEN_OK)
        rc = store_commit(st);
    if (rc != GALEN_OK)
        store_rollback(st);
    return rc;
}

int account_change_password(struct galen_service *svc, long long id,
                            const char *current, const char *password,
                            const char *keep_token, long long now)
{
    char name[GALEN_NAME_MAX];
    char old[AUTH_PWHASH_LEN];
    char hash[AUTH_PWHASH_LEN];
    char keep[AUTH_TOKEN_HASH_LEN + 1];
    int rc = user_row(svc, id, name, old);

    if (rc != GALEN_OK)
        return rc;
    if (!auth_password_verify(old, current ? current : ""))
        return service_fail(svc, GALEN_EPERM, "the current password is wrong");
    rc = new_hash(svc, password, hash);
    if (rc != GALEN_OK)
        return rc;
    if (keep_token && auth_token_ok(keep_token))
        auth_token_hash(keep_token, keep);
    rc = commit_password(svc, id, hash,
                         keep_token && auth_token_ok(keep_token) ? keep : NULL,
                         name, "password_changed", now);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

/* Replaces user id's unused reset links with the one hashed as hash. */
static int insert_reset(struct galen_service *svc, long long id,
                        const char *hash, long long actor_id, long long now,
                        long ttl)
{
    char created[SERVICE_ISO_LEN];
    char expires[SERVICE_ISO_LEN];
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "DELETE FROM password_resets WHERE user_id=?1 AND "
                          "used_at IS NULL",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, id);
    rc = service_done(svc, s);
    if (rc == GALEN_OK)
        rc = service_prep(svc,
                          "INSERT INTO password_resets(token_hash,user_id,"
                          "created_by,created_at,expires_at) VALUES "
                          "(?1,?2,?3,?4,?5)",
                          &s);
    if (rc != GALEN_OK)
        return rc;
    service_iso(now, created);
    service_iso(now + ttl, expires);
    service_bind(s, 1, hash);
    db_bind_int64(s, 2, id);
    if (actor_id > 0)
        db_bind_int64(s, 3, actor_id);
    else
        db_bind_null(s, 3);
    service_bind(s, 4, created);
    service_bind(s, 5, expires);
    return service_done(svc, s);
}

int account_reset_issue(struct galen_service *svc, long long id,
                        const struct galen_user *actor, long long now, long ttl,
                        char token[GALEN_TOKEN_LEN + 1])
{
    struct galen_store *st = service_store(svc);
    char name[GALEN_NAME_MAX];
    char tok[GALEN_TOKEN_LEN + 1];
    char hash[AUTH_TOKEN_HASH_LEN + 1];
    int rc = user_row(svc, id, name, NULL);

    if (rc != GALEN_OK)
        return rc;
    if (ttl <= 0)
        return service_fail(svc, GALEN_EINVAL, "a reset link must expire");
    auth_token_new(tok);
    auth_token_hash(tok, hash);
    rc = store_begin(st);
    if (rc != GALEN_OK)
        return rc;
    rc = insert_reset(svc, id, hash, actor ? actor->id : 0, now, ttl);
    if (rc == GALEN_OK)
        rc = audit(svc, name, actor ? actor->name : NULL, "reset_issued", now);
    if (rc == GALEN_OK)
        rc = store_commit(st);
    if (rc != GALEN_OK) {
        store_rollback(st);
        return rc;
    }
    memcpy(token, tok, sizeof tok);
    sodium_memzero(tok, sizeof tok);
    return GALEN_OK;
}

/* The user id a live (unused, unexpired) reset token belongs to. */
static int reset_user(struct galen_service *svc, const char *token,
                      long long now, long long *id, char name[GALEN_NAME_MAX])
{
    char hash[AUTH_TOKEN_HASH_LEN + 1];
    char iso[SERVICE_ISO_LEN];
    struct db_stmt *s;
    bool found;
    int rc;

    if (!token || !auth_token_ok(token))
        return service_fail(svc, GALEN_ENOENT, "no such reset link");
    rc = service_prep(svc,
                      "SELECT u.id,u.name FROM password_resets r JOIN users "
                      "u ON u.id=r.user_id WHERE r.token_hash=?1 AND "
                      "r.used_at IS NULL AND r.expires_at>?2 AND "
                      "u.disabled=0",
                      &s);
    if (rc != GALEN_OK)
        return rc;
    auth_token_hash(token, hash);
    service_iso(now, iso);
    service_bind(s, 1, hash);
    service_bind(s, 2, iso);
    found = db_step(s) == DB_ROW;
    if (found) {
        *id = db_col_int64(s, 0);
        snprintf(name, GALEN_NAME_MAX, "%s", service_col(s, 1));
    }
    db_reset(s);
    return found ? GALEN_OK
                 : service_fail(svc, GALEN_ENOENT,
                                "this reset link is unknown, used or "
                                "expired");
}

int account_reset_check(struct galen_service *svc, const char *token,
                        long long now, char name[GALEN_NAME_MAX])
{
    long long id;

    return reset_user(svc, token, now, &id, name);
}

/* Marks token used, if it still is live; GALEN_ENOENT when another use
 * got there first. Inside the caller's transaction. */
static int consume(struct galen_service *svc, const char *token, long long now)
{
    char hash[AUTH_TOKEN_HASH_LEN + 1];
    char iso[SERVICE_ISO_LEN];
    struct db_stmt *s;
    int rc = service_prep(svc,
                          "UPDATE password_resets SET used_at=?2 WHERE "
                          "token_hash=?1 AND used_at IS NULL AND "
                          "expires_at>?2",
                          &s);

    if (rc != GALEN_OK)
        return rc;
    auth_token_hash(token, hash);
    service_iso(now, iso);
    service_bind(s, 1, hash);
    service_bind(s, 2, iso);
    rc = service_done(svc, s);
    if (rc == GALEN_OK && service_changes(svc) != 1)
        return service_fail(svc, GALEN_ENOENT,
                            "this reset link is unknown, used or expired");
    return rc;
}

int account_reset_use(struct galen_service *svc, const char *token,
                      const char *password, long long now)
{
    struct galen_store *st = service_store(svc);
    char name[GALEN_NAME_MAX];
    char hash[AUTH_PWHASH_LEN];
    long long id = 0;
    int rc = reset_user(svc, token, now, &id, name);

    /* A bad password leaves the link usable: check it first. */
    if (rc == GALEN_OK)
        rc = new_hash(svc, password, hash);
    if (rc != GALEN_OK)
        return rc;
    rc = store_begin(st);
    if (rc == GALEN_OK) {
        rc = consume(svc, token, now);
        if (rc == GALEN_OK)
            rc = set_hash(svc, id, hash, NULL);
        if (rc == GALEN_OK)
            rc = audit(svc, name, name, "password_reset", now);
        if (rc == GALEN_OK)
            rc = store_commit(st);
        if (rc != GALEN_OK)
            store_rollback(st);
    }
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int account_events(struct galen_service *svc, const char *user, size_t limit,
                   int (*cb)(void *ctx, const struct galen_account_event *e),
                   void *ctx)
{
    struct galen_account_event e;
    struct db_stmt *s;
    int rc = service_prep(
        svc,
        "SELECT at,user_name,actor_name,event FROM "
        "account_events WHERE CAST(?1 AS TEXT) IS NULL OR user_name=?1 "
        "ORDER BY id DESC LIMIT ?2",
        &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, user);
    db_bind_int64(s, 2, (int64_t)(limit ? limit : 100));
    for (;;) {
        rc = db_step(s);
        if (rc != DB_ROW)
            break;
        e.at = service_col(s, 0);
        e.user = service_col(s, 1);
        e.actor = db_col_text(s, 2);
        e.event = service_col(s, 3);
        rc = cb(ctx, &e);
        if (rc != 0) {
            db_reset(s);
            return rc;
        }
    }
    rc = rc == DB_DONE ? GALEN_OK : service_db_error(svc);
    db_reset(s);
    return rc;
}
