/* SPDX-License-Identifier: MIT */
/* stopword.h: the English stop list, compiled into the binary (no runtime
 * file). Words are matched after folding (lowercase ASCII, apostrophes
 * removed), so "don't" is looked up as "dont". Negations ("no", "not",
 * "nor", "without", "cannot") are deliberately NOT stop words: see
 * docs/analysis.md. Lookup is an open-addressing hash; thread-safe. */
#ifndef GALEN_STOPWORD_H
#define GALEN_STOPWORD_H

#include <stdbool.h>
#include <stddef.h>

enum { STOPWORD_MAX_LEN = 16 }; /* bytes; no stop word is longer */

/* Returns true if the folded word[0..len) is an English stop word. */
bool stopword_is(const char *word, size_t len);

/* Points *out at the stop list (static, NUL-terminated strings) and returns
 * its length. For tests and documentation. */
size_t stopword_list(const char *const **out);

#endif
