/* SPDX-License-Identifier: MIT */
/* spell.h: spelling correction against a vocabulary with frequencies, by
 * symmetric delete (SymSpell): every word's deletions (up to two, within a
 * 7-byte prefix) are hashed into buckets once, so a lookup hashes only the
 * query word's deletions and verifies the few candidates with a bounded
 * Damerau (optimal string alignment) distance. A known word is never
 * corrected. Results are deterministic: ties break on frequency, then on
 * bytes. */
#ifndef GALEN_SPELL_H
#define GALEN_SPELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

enum {
    SPELL_MAX_DIST = 2, /* edits tried for words of 5+ bytes; 1 below that */
    SPELL_PREFIX = 7,   /* bytes of a word whose deletions are indexed */
    SPELL_WORD_MAX = 64 /* longer words are ignored */
};

struct spell;

/* Creates an empty speller. GALEN_OK or GALEN_ENOMEM; caller frees with
 * spell_free. */
GALEN_NODISCARD int spell_new(struct spell **out);

/* Frees sp; NULL is a no-op. */
void spell_free(struct spell *sp);

/* Makes room for about nwords words of nbytes bytes in all before they
 * are added, so that a large list loads without regrowing. GALEN_OK,
 * GALEN_ENOMEM, GALEN_ETOOBIG or GALEN_ESTATE once words were added. */
GALEN_NODISCARD int spell_reserve(struct spell *sp, size_t nwords,
                                  size_t nbytes);

/* Adds word[0..len) with count freq (added to any earlier count of the same
 * word). Words longer than SPELL_WORD_MAX or empty are ignored. Must come
 * before spell_build. GALEN_OK, GALEN_ENOMEM, or GALEN_ESTATE after build. */
GALEN_NODISCARD int spell_add(struct spell *sp, const char *word, size_t len,
                              uint64_t freq);

/* Builds the deletion index. GALEN_OK or GALEN_ENOMEM. Lookups before build
 * see only exact matches. */
GALEN_NODISCARD int spell_build(struct spell *sp);

/* Number of distinct words. */
size_t spell_size(const struct spell *sp);

/* Frequency of word, 0 if unknown. */
uint64_t spell_freq(const struct spell *sp, const char *word, size_t len);

/* A suggestion: the word (borrowed from sp, valid until spell_free), its
 * length, its edit distance from the query and its frequency. */
struct spell_hit {
    const char *word;
    size_t len;
    unsigned dist;
    uint64_t freq;
};

/* Finds the best correction of word[0..len): the smallest edit distance
 * (at most 2, or 1 for words of 4 bytes or fewer), then the highest
 * frequency, then the bytewise smallest. Returns false when word is known
 * (never corrected) or nothing is close enough. */
bool spell_correct(const struct spell *sp, const char *word, size_t len,
                   struct spell_hit *out);

/* Restricted Damerau-Levenshtein (optimal string alignment) distance of a
 * and b, or max + 1 when it exceeds max. Exposed for tests. */
unsigned spell_distance(const char *a, size_t alen, const char *b, size_t blen,
                        unsigned max);

#endif
