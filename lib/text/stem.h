/* SPDX-License-Identifier: MIT */
/* stem.h: Snowball English (Porter2) stemming through libstemmer, with a
 * per-instance direct-mapped cache of recent words, because stemming is the
 * largest cost of indexing. One instance per thread: neither libstemmer's
 * state nor the cache is shared. */
#ifndef GALEN_STEM_H
#define GALEN_STEM_H

#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

struct stem;

/* Creates a stemmer with an empty cache. Returns GALEN_OK or GALEN_ENOMEM;
 * caller frees with stem_free. */
GALEN_NODISCARD int stem_new(struct stem **out);

/* Frees s; stem_free(NULL) is a no-op. */
void stem_free(struct stem *s);

/* Stems word[0..len) (folded lowercase ASCII letters, len >= 1). On success
 * sets *out to the stem (borrowed from s or word, valid until the next call
 * on s; not NUL-terminated) and *out_len to its length, at least 1. Returns
 * GALEN_OK or GALEN_ENOMEM (libstemmer could not grow its buffer). */
GALEN_NODISCARD int stem_word(struct stem *s, const char *word, size_t len,
                              const char **out, size_t *out_len);

/* Reports cache hits and misses since stem_new, for benchmarks. */
void stem_stats(const struct stem *s, uint64_t *hits, uint64_t *misses);

#endif
