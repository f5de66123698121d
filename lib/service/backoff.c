/* SPDX-License-Identifier: MIT */
/* backoff.c: the per-account login backoff (galen/service.h), kept in the
 * store's login_backoff table so that every replica on a store enforces
 * the same wait. Two replicas recording a failure for one name at once may
 * count it once; the wait still doubles on the next failure, so guessing
 * gains one attempt at most. Entries whose wait ended a day ago are
 * dropped as failures come in, so names that never log in do not pile up. */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "service.h"
#include "service_internal.h"

enum {
    BACKOFF_NAME_MAX = 64,           /* longer names are cut */
    BACKOFF_FORGET_MS = 86400 * 1000 /* a day after the wait ended */
};

/* User names compare without case (the store's COLLATE NOCASE). */
static void key_of(const char *name, char key[BACKOFF_NAME_MAX])
{
    size_t i;

    for (i = 0; name && name[i] && i + 1 < BACKOFF_NAME_MAX; i++)
        key[i] =
            (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] | 0x20 : name[i]);
    key[i] = '\0';
}

/* The stored failures and wait end of key; 0 and 0 when none. */
static int lookup(struct galen_service *svc, const char *key, long long *fails,
                  long long *until_ms)
{
    struct db_stmt *s;
    int rc = service_prep(
        svc, "SELECT fails,until_ms FROM login_backoff WHERE name=?1", &s);

    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, key);
    *fails = 0;
    *until_ms = 0;
    rc = db_step(s);
    if (rc == DB_ROW) {
        *fails = db_col_int64(s, 0);
        *until_ms = db_col_int64(s, 1);
        rc = GALEN_OK;
    } else {
        rc = rc == DB_DONE ? GALEN_OK : service_db_error(svc);
    }
    db_reset(s);
    return rc;
}

int service_login_wait(struct galen_service *svc, const char *name, double now,
                       double *wait)
{
    char key[BACKOFF_NAME_MAX];
    long long fails, until_ms;
    int rc;

    key_of(name, key);
    rc = lookup(svc, key, &fails, &until_ms);
    if (rc != GALEN_OK)
        return rc;
    *wait = (double)until_ms / 1000.0 - now;
    if (*wait < 0)
        *wait = 0;
    return GALEN_OK;
}

int service_login_failed(struct galen_service *svc, const char *name,
                         double now, double base, double cap)
{
    char key[BACKOFF_NAME_MAX];
    long long fails, until_ms, now_ms = (long long)(now * 1000.0);
    double wait = base;
    struct db_stmt *s;
    int rc;

    if (!(base > 0) || !(cap >= base))
        return GALEN_EINVAL;
    key_of(name, key);
    rc = lookup(svc, key, &fails, &until_ms);
    for (long long i = 0; rc == GALEN_OK && i < fails && wait < cap; i++)
        wait *= 2;
    if (rc == GALEN_OK)
        rc = service_prep(svc,
                          "INSERT INTO login_backoff(name,fails,until_ms)"
                          " VALUES(?1,?2,?3) ON CONFLICT(name) DO UPDATE"
                          " SET fails=excluded.fails,"
                          " until_ms=excluded.until_ms",
                          &s);
    if (rc != GALEN_OK)
        return rc;
    service_bind(s, 1, key);
    db_bind_int64(s, 2, fails + 1);
    db_bind_int64(s, 3,
                  now_ms + (long long)((wait < cap ? wait : cap) * 1000.0));
    rc = service_done(svc, s);
    if (rc != GALEN_OK)
        return rc;
    rc = service_prep(svc, "DELETE FROM login_backoff WHERE until_ms<?1", &s);
    if (rc != GALEN_OK)
        return rc;
    db_bind_int64(s, 1, now_ms - BACKOFF_FORGET_MS);
    return service_done(svc, s);
}

int service_login_cleared(struct galen_service *svc, const char *name)
{
    char key[BACKOFF_NAME_MAX];
    struct db_stmt *s;
    int rc = service_prep(svc, "DELETE FROM login_backoff WHERE name=?1", &s);

    if (rc != GALEN_OK)
        return rc;
    key_of(name, key);
    service_bind(s, 1, key);
    return service_done(svc, s);
}
