/* SPDX-License-Identifier: MIT */
/* sentence.h: sentence boundaries with byte offsets, for extractive answers.
 * The splitter is an iterator over borrowed text: it never allocates and
 * never fails, and every span it returns lies inside the text, is non-empty
 * and starts after the previous one ends. Rules are in docs/answer.md. */
#ifndef GALEN_SENTENCE_H
#define GALEN_SENTENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/common.h"

/* A span longer than this is cut at a space (or hard-cut) so that text with
 * no punctuation cannot yield one giant "sentence". */
enum { SENTENCE_MAX_LEN = 1500 };

enum sentence_flag {
    SENTENCE_HEADING = 1u << 0,   /* a Markdown heading or a title line */
    SENTENCE_LIST_ITEM = 1u << 1, /* began with "- ", "* ", "1." ... */
    SENTENCE_LEADIN = 1u << 2,    /* ends with ':' and introduces a list */
    SENTENCE_CUT = 1u << 3        /* cut at SENTENCE_MAX_LEN, not a stop */
};

struct sentence {
    size_t start;   /* offset of the first byte; list markers skipped */
    size_t end;     /* one past the last byte; trailing space trimmed */
    unsigned flags; /* enum sentence_flag bits */
};

/* Finds the next sentence in text[0..len) at or after *pos. On success it
 * writes *out, moves *pos past the sentence and returns true; returns false
 * (leaving *out alone) when only white space remains. text need not be
 * NUL-terminated and may hold any bytes. */
bool sentence_next(const char *text, size_t len, size_t *pos,
                   struct sentence *out);

/* Counts the sentences in text[0..len) (a convenience for tests and sizing
 * arrays). */
size_t sentence_count(const char *text, size_t len);

#endif
