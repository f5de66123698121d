/* SPDX-License-Identifier: MIT */
/* backoff.h: per-account login backoff. Each failed login for an account
 * name doubles the wait before the next attempt for that name is even
 * checked (base, 2 base, 4 base, ... up to cap), whichever address it comes
 * from; a success clears it. Per-address rate limits (ratelimit.h) cannot
 * stop guesses spread over many addresses; this can. Names are keyed
 * whether or not the account exists, so a refusal says nothing about which
 * names exist. The table has a fixed size: when full, the entry whose wait
 * ends first is forgotten. Thread-safe. */
#ifndef GALEN_HTTPD_BACKOFF_H
#define GALEN_HTTPD_BACKOFF_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

struct backoff;

enum { BACKOFF_KEY_MAX = 64 }; /* longer names are truncated */

/* Creates a table of about slots names. GALEN_EINVAL for base <= 0,
 * cap < base or slots == 0; GALEN_ENOMEM. */
GALEN_NODISCARD int backoff_new(double base, double cap, size_t slots,
                                struct backoff **out);
void backoff_free(struct backoff *b);

/* True if a login for name may be checked at time now (monotonic seconds).
 * When not, *retry_after (may be NULL) receives the seconds left. */
bool backoff_allowed(struct backoff *b, const char *name, double now,
                     double *retry_after);

/* Records a failed login for name at now. */
void backoff_failed(struct backoff *b, const char *name, double now);

/* Clears name after a successful login. */
void backoff_succeeded(struct backoff *b, const char *name);

#endif
