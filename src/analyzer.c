/* SPDX-License-Identifier: MIT */
/* analyzer.c: PROVISIONAL ASCII analyzer (lowercase alphanumeric runs, no
 * stemming or stop words) so that the index can be built while the real
 * pipeline (utf8.c, token.c, stem.c, stopword.c) is written. */
#include "analyzer.h"

#include <galen/error.h>

#include "mem.h"

struct analyzer {
    char term[ANALYZER_TERM_MAX];
};

int analyzer_new(struct analyzer **out)
{
    *out = galen_calloc(1, sizeof(struct analyzer));
    return *out ? GALEN_OK : GALEN_ENOMEM;
}

void analyzer_free(struct analyzer *a)
{
    galen_free(a);
}

static int is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

size_t analyzer_term(struct analyzer *a, const struct analyzer_opts *o,
                     const char *word, size_t len, char *out, size_t cap)
{
    size_t i, n = 0;

    UNUSED(a);
    UNUSED(o);
    for (i = 0; i < len && n < cap; i++) {
        unsigned char c = (unsigned char)word[i];
        if (!is_word(c))
            continue;
        out[n++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    return n;
}

int analyzer_run(struct analyzer *a, const struct analyzer_opts *o,
                 const char *text, size_t len, analyzer_fn fn, void *ctx)
{
    size_t i = 0;
    uint32_t pos = 0;

    while (i < len) {
        size_t s;
        struct aterm t;
        int rc;

        while (i < len && !is_word((unsigned char)text[i]))
            i++;
        if (i >= len)
            break;
        s = i;
        while (i < len && is_word((unsigned char)text[i]))
            i++;
        t.len = analyzer_term(a, o, text + s, MIN(i - s, ANALYZER_TERM_MAX),
                              a->term, ANALYZER_TERM_MAX);
        t.term = a->term;
        t.pos = pos++;
        t.start = (uint32_t)s;
        t.end = (uint32_t)i;
        rc = fn(ctx, &t);
        if (rc != 0)
            return rc;
    }
    return GALEN_OK;
}
