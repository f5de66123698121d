/* SPDX-License-Identifier: MIT */
/* ratelimit.c: token buckets in a set-associative table. A key hashes
 * (FNV-1a) to one set of RATELIMIT_WAYS slots; a miss takes an empty slot or
 * evicts the set's least recently seen entry. One mutex guards the table:
 * each call is a few dozen instructions, far below the cost of the request
 * it guards. */
#include "ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <galen/error.h>

#include "mem.h"

enum { RATELIMIT_WAYS = 4 };

struct bucket {
    char key[RATELIMIT_KEY_MAX]; /* NUL-terminated; empty = free slot */
    double tokens;               /* current tokens, <= burst */
    double last;                 /* time of the last refill, seconds */
};

struct ratelimit {
    pthread_mutex_t lock;
    double rate;  /* tokens per second */
    double burst; /* bucket capacity */
    size_t nsets;
    struct bucket slot[]; /* nsets * RATELIMIT_WAYS */
};

int ratelimit_new(double rate, double burst, size_t slots,
                  struct ratelimit **out)
{
    struct ratelimit *rl;
    size_t nsets;

    if (!(rate > 0) || !(burst >= 1) || slots == 0 || slots > (1u << 24))
        return GALEN_EINVAL;
    nsets = (slots + RATELIMIT_WAYS - 1) / RATELIMIT_WAYS;
    rl = galen_calloc(1,
                      sizeof *rl + nsets * RATELIMIT_WAYS * sizeof rl->slot[0]);
    if (!rl)
        return GALEN_ENOMEM;
    if (pthread_mutex_init(&rl->lock, NULL) != 0) {
        galen_free(rl);
        return GALEN_ENOMEM;
    }
    rl->rate = rate;
    rl->burst = burst;
    rl->nsets = nsets;
    *out = rl;
    return GALEN_OK;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    galen_free(rl);
}

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Finds key's bucket in its set, or claims one (empty, else the least
 * recently seen) with a full bucket. */
static struct bucket *lookup(struct ratelimit *rl, const char *key, size_t klen,
                             double now)
{
    struct bucket *set =
        &rl->slot[(fnv1a(key, klen) % rl->nsets) * RATELIMIT_WAYS];
    struct bucket *victim = &set[0];
    size_t i;

    for (i = 0; i < RATELIMIT_WAYS; i++) {
        if (set[i].key[0] && strncmp(set[i].key, key, klen) == 0 &&
            set[i].key[klen] == '\0')
            return &set[i];
        if (!set[i].key[0])
            victim = &set[i];
        else if (victim->key[0] && set[i].last < victim->last)
            victim = &set[i];
    }
    memcpy(victim->key, key, klen);
    victim->key[klen] = '\0';
    victim->tokens = rl->burst;
    victim->last = now;
    return victim;
}

bool ratelimit_take(struct ratelimit *rl, const char *key, double now,
                    double *retry_after)
{
    size_t klen = strlen(key ? key : "");
    struct bucket *b;
    bool ok;

    if (klen >= RATELIMIT_KEY_MAX)
        klen = RATELIMIT_KEY_MAX - 1;
    if (klen == 0)
        key = "-";
    klen = klen ? klen : 1;
    pthread_mutex_lock(&rl->lock);
    b = lookup(rl, key, klen, now);
    if (now > b->last) {
        b->tokens += (now - b->last) * rl->rate;
        if (b->tokens > rl->burst)
            b->tokens = rl->burst;
        b->last = now;
    }
    ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    else if (retry_after)
        *retry_after = (1.0 - b->tokens) / rl->rate;
    pthread_mutex_unlock(&rl->lock);
    return ok;
}
