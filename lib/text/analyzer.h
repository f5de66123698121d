/* SPDX-License-Identifier: MIT */
/* analyzer.h: text -> index terms, the one pipeline shared by indexing and
 * querying: UTF-8 validation, tokenizing with byte offsets, case and accent
 * folding, stop words and Snowball English stemming (each switchable).
 * Tokenizer rules are documented in docs/analysis.md. */
#ifndef GALEN_ANALYZER_H
#define GALEN_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"

/* Longest term in bytes; longer tokens are cut at a character boundary. */
enum { ANALYZER_TERM_MAX = 64 };

struct analyzer_opts {
    bool stem; /* Snowball English stemming */
    bool stop; /* drop English stop words (they still use a position) */
};

/* One analysed token. term is borrowed and valid only during the callback. */
struct aterm {
    const char *term; /* folded (and maybe stemmed) term, not NUL-terminated */
    size_t len;       /* bytes in term, 1..ANALYZER_TERM_MAX */
    uint32_t pos;     /* token position in the text, from 0 */
    uint32_t start;   /* byte offset of the token's first byte in the input */
    uint32_t end;     /* byte offset one past its last byte */
};

/* Called once per term in order; a non-zero return stops the run and is
 * returned by analyzer_run. Positions and start offsets never decrease. A
 * joined token and its parts share positions: "covid-19" gives covid19@p,
 * covid@p, 19@p+1 (and "10 mg/day" gives 10@p, mg/day@p+1, mg@p+1,
 * day@p+2), so a phrase matcher treats terms at the same position as
 * alternatives. See docs/analysis.md. */
typedef int (*analyzer_fn)(void *ctx, const struct aterm *t);

struct analyzer;

/* Creates an analyzer (it owns a libstemmer instance, so use one per thread).
 * Returns GALEN_OK or GALEN_ENOMEM; caller frees with analyzer_free. */
GALEN_NODISCARD int analyzer_new(struct analyzer **out);
void analyzer_free(struct analyzer *a);

/* Analyses text[0..len), which need not be valid UTF-8 (invalid bytes are
 * treated as separators) nor NUL-terminated, calling fn for every term.
 * Returns GALEN_OK, GALEN_ENOMEM, GALEN_ETOOBIG (len > UINT32_MAX, as
 * offsets are 32-bit), or fn's non-zero return. Makes no allocation of
 * its own (libstemmer may grow its buffer). */
GALEN_NODISCARD int analyzer_run(struct analyzer *a,
                                 const struct analyzer_opts *o,
                                 const char *text, size_t len, analyzer_fn fn,
                                 void *ctx);

/* Folds and stems a single word the way analyzer_run would, writing at most
 * cap bytes to out (cut on a character boundary). Returns the term length,
 * or 0 if the word is a stop word (with o->stop) or has no word characters.
 * For text that makes several terms it gives the first analyzer_run would
 * emit: "covid-19" -> "covid19", "5mg" -> "5". */
size_t analyzer_term(struct analyzer *a, const struct analyzer_opts *o,
                     const char *word, size_t len, char *out, size_t cap);

#endif
