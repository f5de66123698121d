/* SPDX-License-Identifier: MIT */
/* answer_text.h: word-level text helpers shared by question analysis and
 * answer composition: ASCII case folding, word iteration and phrase matching
 * at word boundaries, with no allocation. A "word" is a run of ASCII letters
 * and digits or UTF-8 bytes (>= 0x80); everything else separates words, so
 * "mg/day" is two words and "e.g." is two. */
#ifndef GALEN_ANSWER_TEXT_H
#define GALEN_ANSWER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/common.h"

/* True if c is part of a word. */
bool answer_text_is_word(unsigned char c);

/* ASCII lower-case of c. */
unsigned char answer_text_lower(unsigned char c);

/* Finds the next word at or after i. Returns its start and sets *end one
 * past it; returns len (and leaves *end alone) when there is none. */
size_t answer_text_word(const char *t, size_t len, size_t i, size_t *end);

/* Tests whether phrase occurs in t starting at the word that starts at i.
 * phrase is lower-case words separated by single spaces; a last word ending
 * in '*' matches any word with that prefix, and a plain word must match a
 * whole word (case-insensitively). Sets *end past the match when true. */
bool answer_text_phrase_at(const char *t, size_t len, size_t i,
                           const char *phrase, size_t *end);

/* Finds the first occurrence of phrase in t. Returns its byte offset, or
 * len when absent. */
size_t answer_text_find(const char *t, size_t len, const char *phrase);

/* Counts the words of t. */
size_t answer_text_word_count(const char *t, size_t len);

/* Case-insensitive equality of t[0..len) and the NUL-terminated s. */
bool answer_text_ieq(const char *t, size_t len, const char *s);

#endif
