/* SPDX-License-Identifier: MIT */
/* snippet.h: a hit's best passage. The stored text is analysed with the
 * same analyzer as the index, tokens equal to query terms are matches, and
 * the window of about SNIPPET_TARGET bytes holding the most (idf-weighted,
 * distinct) query terms wins; it is cut at sentence or word boundaries,
 * whitespace is collapsed, invalid UTF-8 is replaced, and the matches come
 * back as byte ranges of the cleaned passage for the caller to render. */
#ifndef GALEN_SNIPPET_H
#define GALEN_SNIPPET_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/str.h"
#include "text/analyzer.h"

enum {
    SNIPPET_TARGET = 200,      /* bytes of source text aimed for */
    SNIPPET_MAX = 240,         /* never more source bytes than this */
    SNIPPET_MAX_TERMS = 64,    /* query terms considered */
    SNIPPET_MAX_MATCHES = 4096 /* matches collected per text */
};

struct snippet_term {
    struct str term; /* analysed query term, borrowed */
    double weight;   /* its importance, e.g. idf; > 0 */
};

/* A marked range [start, end) in the cleaned passage. */
struct snippet_span {
    uint32_t start;
    uint32_t end;
};

struct snippet_match {
    uint32_t start, end; /* bytes in the source text */
    uint32_t term;       /* index into the terms */
};

/* Reusable scratch: holds the matches of the text being cut. */
struct snippet {
    struct snippet_match *match; /* owned */
    size_t n;
    const struct snippet_term *terms;
    size_t nterms;
};

void snippet_init(struct snippet *s);
void snippet_cleanup(struct snippet *s);

/* Appends the best passage of text[0..len) for terms to out (not
 * NUL-terminated) and writes up to cap marks to spans, offsets relative to
 * where the passage starts in out; *nspans gets how many were written. A
 * passage cut from the middle of the text starts and/or ends with "...".
 * Text without matches gives its opening. Returns GALEN_OK, GALEN_ENOMEM or
 * GALEN_ETOOBIG (out's cap). */
GALEN_NODISCARD int
snippet_make(struct snippet *s, struct analyzer *a,
             const struct analyzer_opts *o, const char *text, size_t len,
             const struct snippet_term *terms, size_t nterms, struct buf *out,
             struct snippet_span *spans, size_t cap, size_t *nspans);

/* Appends text[0..len) to out with whitespace runs collapsed to one space,
 * the ends trimmed and invalid UTF-8 replaced by U+FFFD. */
void snippet_clean(int *rc, struct buf *out, const char *text, size_t len);

#endif
