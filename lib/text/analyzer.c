/* SPDX-License-Identifier: MIT */
/* analyzer.c: the analysis pipeline, tokenize (token.c) -> fold (utf8.c) ->
 * stop (stopword.c) -> stem (stem.c). The token kind decides each step: only
 * words are stop-listed, only words and all-letter compounds are stemmed,
 * and numbers, alphanumerics, units, URLs and emails are kept as folded.
 * Terms are built in a per-instance buffer, so a run allocates nothing. */
#include "analyzer.h"

#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "stem.h"
#include "stopword.h"
#include "token.h"

struct analyzer {
    struct stem *stem;
    char term[ANALYZER_TERM_MAX];   /* the folded term being built */
    char joined[ANALYZER_TERM_MAX]; /* the last compound's term */
    size_t joined_len;
    uint32_t joined_pos;
};

enum { TAKE_FIRST = -1 }; /* analyzer_term's "stop after one" return */

int analyzer_new(struct analyzer **out)
{
    struct analyzer *a = galen_calloc(1, sizeof *a);
    int rc;

    if (!a)
        return GALEN_ENOMEM;
    rc = stem_new(&a->stem);
    if (rc != GALEN_OK) {
        galen_free(a);
        return rc;
    }
    *out = a;
    return GALEN_OK;
}

void analyzer_free(struct analyzer *a)
{
    if (!a)
        return;
    stem_free(a->stem);
    galen_free(a);
}

/* Spellings of microgram that fold to "mcg", the clinical one. */
static size_t alias_unit(char *w, size_t len)
{
    if (w[0] != 'u' && w[0] != '\xce')
        return len;
    if ((len == 3 && memcmp(w, "\xce\xbcg", 3) == 0) ||
        (len == 2 && memcmp(w, "ug", 2) == 0)) {
        memcpy(w, "mcg", 3);
        return 3;
    }
    return len;
}

/* Applies alias_unit to each segment of a unit compound ("μg/kg"),
 * keeping the result within ANALYZER_TERM_MAX bytes. */
static size_t alias_segments(char *w, size_t len)
{
    char out[ANALYZER_TERM_MAX];
    size_t r = 0, n = 0;

    for (;;) {
        const char *slash = memchr(w + r, '/', len - r);
        size_t seg = slash ? (size_t)(slash - w) - r : len - r;
        char tmp[ANALYZER_TERM_MAX];
        size_t alen;

        memcpy(tmp, w + r, seg);
        alen = alias_unit(tmp, seg);
        if (n + alen + 1 > sizeof out)
            break;
        memcpy(out + n, tmp, alen);
        n += alen;
        if (!slash)
            break;
        out[n++] = '/';
        r += seg + 1;
    }
    memcpy(w, out, n);
    return n;
}

/* Folds the token's term bytes into a->term; returns the length. */
static size_t fold_token(struct analyzer *a, const char *text,
                         const struct token *t)
{
    const char *s = text + t->tstart;
    size_t len = t->tend - t->tstart, n = 0;
    const char *keep = NULL;

    switch (t->kind) {
    case TOKEN_NUM:
        keep = ".";
        if (len > 0 && s[0] == '.')
            a->term[n++] = '0'; /* ".5" is "0.5" */
        break;
    case TOKEN_UNIT:
        keep = "/";
        break;
    case TOKEN_URL:
        keep = ".-";
        break;
    case TOKEN_EMAIL:
        keep = "._%+-@";
        break;
    default:
        break;
    }
    return n + utf8_fold(s, len, keep, a->term + n, sizeof a->term - n);
}

static bool all_lower_ascii(const char *w, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (w[i] < 'a' || w[i] > 'z')
            return false;
    return true;
}

/* Builds the term for t into *at. at->len == 0 means "no term" (a stop
 * word, or nothing left after folding). Returns GALEN_OK or ENOMEM. */
static int make_term(struct analyzer *a, const struct analyzer_opts *o,
                     const char *text, const struct token *t, struct aterm *at)
{
    size_t n = fold_token(a, text, t);
    bool stemmable = false;

    at->term = a->term;
    at->len = 0;
    if (n == 0)
        return GALEN_OK;
    if (t->kind == TOKEN_WORD || t->kind == TOKEN_ACRONYM) {
        n = alias_unit(a->term, n);
        if (o->stop && stopword_is(a->term, n))
            return GALEN_OK;
        stemmable = t->kind == TOKEN_WORD;
    } else if (t->kind == TOKEN_UNIT) {
        n = alias_segments(a->term, n);
    } else if (t->kind == TOKEN_COMPOUND) {
        stemmable = !(t->flags & TOKEN_F_DIGITS);
    }
    at->len = n;
    if (o->stem && stemmable && n > 2 && all_lower_ascii(a->term, n)) {
        const char *st;
        size_t slen;
        int rc = stem_word(a->stem, a->term, n, &st, &slen);

        if (rc != GALEN_OK)
            return rc;
        if (slen <= ANALYZER_TERM_MAX) { /* always so for Porter2 */
            at->term = st;
            at->len = slen;
        }
    }
    return GALEN_OK;
}

/* True if t is the first part of the compound just emitted and its term is
 * the compound's ("run-s" stems to "run", and so does its part "run"): the
 * index must not see one term twice at one position. Remembers compounds. */
static bool repeats_joined(struct analyzer *a, const struct token *t,
                           const struct aterm *at)
{
    if (t->kind == TOKEN_COMPOUND || t->kind == TOKEN_UNIT) {
        memcpy(a->joined, at->term, at->len);
        a->joined_len = at->len;
        a->joined_pos = t->pos;
        return false;
    }
    return (t->flags & TOKEN_F_PART) && t->pos == a->joined_pos &&
           at->len == a->joined_len &&
           memcmp(at->term, a->joined, at->len) == 0;
}

int analyzer_run(struct analyzer *a, const struct analyzer_opts *o,
                 const char *text, size_t len, analyzer_fn fn, void *ctx)
{
    struct tokenizer tk;
    struct token t;

    if (len > UINT32_MAX)
        return GALEN_ETOOBIG;
    a->joined_len = 0;
    tokenizer_init(&tk, text, len);
    while (tokenizer_next(&tk, &t)) {
        struct aterm at;
        int rc = make_term(a, o, text, &t, &at);

        if (rc != GALEN_OK)
            return rc;
        if (at.len == 0 || repeats_joined(a, &t, &at))
            continue;
        at.pos = t.pos;
        at.start = t.start;
        at.end = t.end;
        rc = fn(ctx, &at);
        if (rc != 0)
            return rc;
    }
    return GALEN_OK;
}

struct first_term {
    char *out;
    size_t cap;
    size_t len;
};

static int take_first(void *ctx, const struct aterm *t)
{
    struct first_term *f = ctx;

    f->len = utf8_cut(t->term, t->len, f->cap);
    memcpy(f->out, t->term, f->len);
    return TAKE_FIRST;
}

size_t analyzer_term(struct analyzer *a, const struct analyzer_opts *o,
                     const char *word, size_t len, char *out, size_t cap)
{
    struct first_term f = {out, cap, 0};
    int rc = analyzer_run(a, o, word, len, take_first, &f);

    return rc == TAKE_FIRST ? f.len : 0;
}
