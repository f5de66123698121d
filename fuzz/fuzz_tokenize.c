/* SPDX-License-Identifier: MIT */
/* fuzz_tokenize.c: runs the analyzer (stem + stop, and neither) and the raw
 * tokenizer on arbitrary bytes and checks the invariants: spans inside the
 * input, starts and positions never decreasing, terms of 1..TERM_MAX bytes
 * of valid UTF-8, no term twice at one position, and each term's span,
 * analysed alone, giving that term. */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "fuzz.h"
#include "text/analyzer.h"
#include "text/token.h"

struct check {
    struct analyzer *again; /* re-analyses each span */
    const struct analyzer_opts *o;
    const char *text;
    size_t size;
    uint32_t last_start, last_pos;
    size_t nsame; /* terms seen at last_pos */
    char same[4][ANALYZER_TERM_MAX];
    size_t same_len[4];
};

/* Aborts if t repeats a term already given at its position. */
static void check_unique(struct check *c, const struct aterm *t)
{
    size_t i;

    if (t->pos != c->last_pos)
        c->nsame = 0;
    for (i = 0; i < c->nsame && i < 4; i++)
        if (c->same_len[i] == t->len &&
            memcmp(c->same[i], t->term, t->len) == 0)
            abort();
    if (c->nsame < 4) {
        memcpy(c->same[c->nsame], t->term, t->len);
        c->same_len[c->nsame] = t->len;
    }
    c->nsame++;
}

static int check_term(void *ctx, const struct aterm *t)
{
    struct check *c = ctx;
    char term[ANALYZER_TERM_MAX];

    if (t->len == 0 || t->len > ANALYZER_TERM_MAX || t->start >= t->end ||
        t->end > c->size || t->start < c->last_start || t->pos < c->last_pos ||
        !utf8_is_valid(t->term, t->len))
        abort();
    check_unique(c, t);
    c->last_start = t->start;
    c->last_pos = t->pos;
    if (analyzer_term(c->again, c->o, c->text + t->start, t->end - t->start,
                      term, sizeof term) != t->len ||
        memcmp(term, t->term, t->len) != 0)
        abort();
    return 0;
}

static void check_tokens(const uint8_t *data, size_t size)
{
    struct tokenizer tk;
    struct token t;

    tokenizer_init(&tk, (const char *)data, size);
    while (tokenizer_next(&tk, &t))
        if (t.tstart < t.start || t.tend > t.end || t.end > size)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct analyzer *a, *b;
    static const struct analyzer_opts opts[2] = {
        {.stem = true, .stop = true}, {.stem = false, .stop = false}};
    int i;

    if (!a && analyzer_new(&a) != 0)
        return 0;
    if (!b && analyzer_new(&b) != 0)
        return 0;
    for (i = 0; i < 2; i++) {
        struct check c = {.again = b,
                          .o = &opts[i],
                          .text = (const char *)data,
                          .size = size};

        if (analyzer_run(a, &opts[i], (const char *)data, size, check_term,
                         &c) != 0)
            abort();
    }
    check_tokens(data, size);
    return 0;
}
