/* SPDX-License-Identifier: MIT */
/* backoff.c: see backoff.h. A flat table scanned under one mutex: logins
 * are rare next to the Argon2id hash each one costs, so a linear scan of a
 * few thousand short entries is noise. */
#include "backoff.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "mem.h"

struct entry {
    char name[BACKOFF_KEY_MAX]; /* lowercase; "" = free */
    unsigned fails;
    double until; /* no attempt is checked before this time */
};

struct backoff {
    pthread_mutex_t lock;
    double base, cap;
    size_t n;
    struct entry e[];
};

int backoff_new(double base, double cap, size_t slots, struct backoff **out)
{
    struct backoff *b;

    if (!(base > 0) || !(cap >= base) || slots == 0 || slots > (1u << 20))
        return GALEN_EINVAL;
    b = galen_calloc(1, sizeof *b + slots * sizeof b->e[0]);
    if (!b)
        return GALEN_ENOMEM;
    pthread_mutex_init(&b->lock, NULL);
    b->base = base;
    b->cap = cap;
    b->n = slots;
    *out = b;
    return GALEN_OK;
}

void backoff_free(struct backoff *b)
{
    if (!b)
        return;
    pthread_mutex_destroy(&b->lock);
    galen_free(b);
}

/* User names compare without case (the store's COLLATE NOCASE). */
static void key_of(const char *name, char key[BACKOFF_KEY_MAX])
{
    size_t i;

    for (i = 0; name && name[i] && i + 1 < BACKOFF_KEY_MAX; i++)
        key[i] =
            (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] | 0x20 : name[i]);
    key[i] = '\0';
}

/* The entry for key, or (when add) a free one or the one whose wait ends
 * first. */
static struct entry *find(struct backoff *b, const char *key, bool add)
{
    struct entry *victim = NULL;
    size_t i;

    for (i = 0; i < b->n; i++) {
        struct entry *e = &b->e[i];

        if (e->name[0] && strcmp(e->name, key) == 0)
            return e;
        if (!victim ||
            (victim->name[0] && (!e->name[0] || e->until < victim->until)))
            victim = e;
    }
    if (!add)
        return NULL;
    memset(victim, 0, sizeof *victim);
    snprintf(victim->name, sizeof victim->name, "%s", key);
    return victim;
}

bool backoff_allowed(struct backoff *b, const char *name, double now,
                     double *retry_after)
{
    char key[BACKOFF_KEY_MAX];
    struct entry *e;
    bool ok = true;

    key_of(name, key);
    pthread_mutex_lock(&b->lock);
    e = find(b, key, false);
    if (e && now < e->until) {
        ok = false;
        if (retry_after)
            *retry_after = e->until - now;
    }
    pthread_mutex_unlock(&b->lock);
    return ok;
}

void backoff_failed(struct backoff *b, const char *name, double now)
{
    char key[BACKOFF_KEY_MAX];
    struct entry *e;
    double wait;
    unsigned i;

    key_of(name, key);
    pthread_mutex_lock(&b->lock);
    e = find(b, key, true);
    e->fails++;
    wait = b->base;
    for (i = 1; i < e->fails && wait < b->cap; i++)
        wait *= 2;
    e->until = now + (wait < b->cap ? wait : b->cap);
    pthread_mutex_unlock(&b->lock);
}

void backoff_succeeded(struct backoff *b, const char *name)
{
    char key[BACKOFF_KEY_MAX];
    struct entry *e;

    key_of(name, key);
    pthread_mutex_lock(&b->lock);
    e = find(b, key, false);
    if (e)
        memset(e, 0, sizeof *e);
    pthread_mutex_unlock(&b->lock);
}
