/* SPDX-License-Identifier: MIT */
/* hash.h: FNV-1a over bytes, the one string hash of galen's in-memory hash
 * tables (postings accumulator, lexicon, spelling vocabulary, statement
 * cache, answer term sets). Not for anything an attacker must not collide:
 * every table that uses it bounds its probing. */
#ifndef GALEN_HASH_H
#define GALEN_HASH_H

#include <stddef.h>
#include <stdint.h>

enum { HASH_FNV1A32_INIT = 2166136261u };

/* One byte more into a running FNV-1a hash, for callers that hash only
 * some of a text's bytes. */
static inline uint32_t hash_fnv1a32_byte(uint32_t h, unsigned char c)
{
    return (h ^ c) * 16777619u;
}

static inline uint32_t hash_fnv1a32(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint32_t h = HASH_FNV1A32_INIT;
    size_t i;

    for (i = 0; i < n; i++)
        h = hash_fnv1a32_byte(h, s[i]);
    return h;
}

static inline uint64_t hash_fnv1a64(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

#endif
