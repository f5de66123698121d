/* SPDX-License-Identifier: MIT */
/* ratelimit.h: a per-client token-bucket rate limiter (login attempts,
 * question submissions). Each client key (an address) has a bucket that
 * refills at `rate` tokens per second up to `burst`; an action costs one
 * token. The table has a fixed number of slots, so memory is bounded however
 * many clients there are: when a set is full the least recently seen client
 * is forgotten (and starts again with a full bucket). Thread-safe. */
#ifndef GALEN_RATELIMIT_H
#define GALEN_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

struct ratelimit;

enum { RATELIMIT_KEY_MAX = 64 }; /* longer keys are truncated */

/* Creates a limiter allowing `burst` actions at once and `rate` per second
 * sustained, remembering about `slots` clients (rounded up to a multiple of
 * the set size). GALEN_EINVAL for rate <= 0, burst < 1 or slots == 0;
 * GALEN_ENOMEM. Caller frees with ratelimit_free. */
GALEN_NODISCARD int ratelimit_new(double rate, double burst, size_t slots,
                                  struct ratelimit **out);

/* Frees rl; NULL is a no-op. */
void ratelimit_free(struct ratelimit *rl);

/* Takes one token from key's bucket at time now (seconds, monotonic).
 * Returns true if allowed. When refused and retry_after is not NULL, it
 * receives the seconds until a token is available. Times that go backwards
 * are treated as no time passing. */
bool ratelimit_take(struct ratelimit *rl, const char *key, double now,
                    double *retry_after);

#endif
