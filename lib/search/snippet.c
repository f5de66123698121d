/* SPDX-License-Identifier: MIT */
/* snippet.c: passage selection in three steps: collect matches (query-term
 * tokens, in text order), slide a window over them to find the densest
 * cluster, then widen the cluster to a passage whose ends fall on sentence
 * or word boundaries. Matches start in text order, so one forward pass maps
 * them to offsets in the cleaned output; a match that overlaps an earlier
 * one (a part of a joined token such as covid-19) is folded into it. */
#include "snippet.h"

#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "base/utf8.h"

/* A repeated term adds a little, so that of two windows with the same terms
 * the denser one wins. */
#define SNIPPET_REPEAT_BONUS 0.1

static const char ELLIPSIS[] = "\xe2\x80\xa6";    /* U+2026 */
static const char REPLACEMENT[] = "\xef\xbf\xbd"; /* U+FFFD */

void snippet_init(struct snippet *s)
{
    memset(s, 0, sizeof *s);
}

void snippet_cleanup(struct snippet *s)
{
    galen_free(s->match);
    snippet_init(s);
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* Whitespace-collapsing copier. A space is owed after a whitespace run and
 * paid only before the next visible character, so the ends are trimmed. */
struct cleaner {
    struct buf *out;
    size_t base; /* where the cleaned text starts in out */
    bool space;  /* a space is owed */
};

static void clean_flush(int *rc, struct cleaner *c)
{
    if (c->space && c->out->len > c->base)
        buf_put_byte(rc, c->out, ' ');
    c->space = false;
}

static void clean_put(int *rc, struct cleaner *c, const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t i = 0;

    while (i < len && *rc == GALEN_OK) {
        size_t n;

        if (is_space(t[i])) {
            c->space = true;
            i++;
            continue;
        }
        clean_flush(rc, c);
        n = utf8_seq_len((const char *)t + i, len - i);
        if (n == 0) {
            buf_put(rc, c->out, REPLACEMENT, 3);
            i++;
        } else {
            buf_put(rc, c->out, t + i, n);
            i += n;
        }
    }
}

void snippet_clean(int *rc, struct buf *out, const char *text, size_t len)
{
    struct cleaner c = {out, out->len, false};

    clean_put(rc, &c, text, len);
}

static int on_token(void *ctx, const struct aterm *t)
{
    struct snippet *s = ctx;
    size_t i;

    if (s->n == SNIPPET_MAX_MATCHES)
        return 1; /* enough to choose from */
    for (i = 0; i < s->nterms; i++) {
        const struct str *q = &s->terms[i].term;

        if (q->len == t->len && memcmp(q->p, t->term, t->len) == 0)
            break;
    }
    if (i == s->nterms)
        return 0;
    s->match[s->n].start = t->start;
    s->match[s->n].end = t->end;
    s->match[s->n].term = (uint32_t)i;
    s->n++;
    return 0;
}

/* Scores the window of matches starting at i; *j gets its end. */
static double window_score(const struct snippet *s, size_t i, size_t *j)
{
    uint64_t seen = 0;
    double score = 0;
    size_t k;

    for (k = i; k < s->n; k++) {
        const struct snippet_match *m = &s->match[k];
        uint64_t bit = 1ull << (m->term % 64);

        if (k > i && m->end - s->match[i].start > SNIPPET_TARGET)
            break;
        if (seen & bit)
            score += SNIPPET_REPEAT_BONUS * s->terms[m->term].weight;
        else
            score += s->terms[m->term].weight;
        seen |= bit;
    }
    *j = k;
    return score;
}

/* Finds the best cluster of matches: [*first, *last). */
static void best_cluster(const struct snippet *s, size_t *first, size_t *last)
{
    double best = -1;
    size_t i, j;

    *first = *last = 0;
    for (i = 0; i < s->n; i++) {
        double sc = window_score(s, i, &j);

        if (sc > best) {
            best = sc;
            *first = i;
            *last = j;
        }
    }
}

static bool ends_sentence(const char *t, size_t len, size_t i)
{
    char c = t[i];

    if (c == '\n' && i + 1 < len && t[i + 1] == '\n')
        return true;
    return (c == '.' || c == '!' || c == '?') &&
           (i + 1 == len || is_space((unsigned char)t[i + 1]));
}

/* Where a passage containing [cs, ...) should start: a sentence start at most
 * `room` bytes before cs if there is one, else a word start just before cs. */
static size_t passage_start(const char *t, size_t len, size_t cs, size_t room)
{
    size_t lo = cs > room ? cs - room : 0;
    size_t p = cs, back = room / 3;

    while (p > lo && !ends_sentence(t, len, p - 1))
        p--;
    if (p == 0 || ends_sentence(t, len, p - 1)) {
        while (p < cs && is_space((unsigned char)t[p]))
            p++;
        return p;
    }
    /* No sentence start in reach: a little context before the cluster. */
    p = cs > back ? cs - back : 0;
    while (p > 0 && p < cs && !is_space((unsigned char)t[p - 1]))
        p++;
    return p;
}

/* Where a passage from start that must reach ce should end. */
static size_t passage_end(const char *t, size_t len, size_t start, size_t ce)
{
    size_t hard = MIN(len, start + SNIPPET_MAX);
    size_t soft = MIN(len, start + SNIPPET_TARGET);
    size_t p, from = MAX(ce, start + SNIPPET_TARGET * 3 / 5);

    if (len - start <= SNIPPET_MAX)
        return len;
    for (p = hard; p > from; p--) {
        if (ends_sentence(t, len, p - 1))
            return p;
    }
    for (p = MAX(soft, ce); p > ce && p > start; p--) {
        if (is_space((unsigned char)t[p]))
            return p;
    }
    p = MAX(soft, MIN(ce, hard));
    while (p > start && p < len && (t[p] & 0xc0) == 0x80)
        p--;
    return p;
}

/* Records the mark [from, to) of the passage, merging it with the previous
 * one when at most one byte (a space, a hyphen) separates them, so "heart
 * attack" reads as one mark. */
static void add_span(struct snippet_span *spans, size_t cap, size_t *n,
                     size_t from, size_t to)
{
    if (*n > 0 && spans[*n - 1].end + 1 >= from) {
        spans[*n - 1].end = (uint32_t)to;
        return;
    }
    if (*n < cap) {
        spans[*n].start = (uint32_t)from;
        spans[*n].end = (uint32_t)to;
        (*n)++;
    }
}

/* Copies text[start..end) cleaned to out, mapping the matches inside it to
 * marks relative to base. */
static void emit(const struct snippet *s, int *rc, struct buf *out, size_t base,
                 const char *t, size_t start, size_t end,
                 struct snippet_span *spans, size_t cap, size_t *nspans)
{
    struct cleaner c = {out, out->len, false};
    size_t k, prev = start;

    *nspans = 0;
    for (k = 0; k < s->n && *rc == GALEN_OK; k++) {
        const struct snippet_match *m = &s->match[k];
        size_t from;

        /* A joined token's parts overlap it: the first mark wins. */
        if (m->start < start || m->end > end || m->start < prev)
            continue;
        clean_put(rc, &c, t + prev, m->start - prev);
        clean_flush(rc, &c);
        from = out->len - base;
        clean_put(rc, &c, t + m->start, m->end - m->start);
        add_span(spans, cap, nspans, from, out->len - base);
        prev = m->end;
    }
    clean_put(rc, &c, t + prev, end - prev);
}

int snippet_make(struct snippet *s, struct analyzer *a,
                 const struct analyzer_opts *o, const char *text, size_t len,
                 const struct snippet_term *terms, size_t nterms,
                 struct buf *out, struct snippet_span *spans, size_t cap,
                 size_t *nspans)
{
    size_t first, last, start, end, cs, ce, base = out->len;
    int rc = GALEN_OK;

    if (!s->match) {
        s->match = galen_malloc(SNIPPET_MAX_MATCHES * sizeof *s->match);
        if (!s->match)
            return GALEN_ENOMEM;
    }
    s->n = 0;
    s->terms = terms;
    s->nterms = MIN(nterms, (size_t)SNIPPET_MAX_TERMS);
    rc = analyzer_run(a, o, text, len, on_token, s);
    if (rc != GALEN_OK && rc != 1)
        return rc;
    rc = GALEN_OK;
    best_cluster(s, &first, &last);
    cs = s->n ? s->match[first].start : 0;
    ce = s->n ? s->match[last - 1].end : 0;
    start = s->n ? passage_start(text, len, cs,
                                 SNIPPET_TARGET - MIN(ce - cs, SNIPPET_TARGET))
                 : 0;
    end = passage_end(text, len, start, ce);
    if (start > 0)
        buf_put(&rc, out, ELLIPSIS, 3);
    emit(s, &rc, out, base, text, start, end, spans, cap, nspans);
    if (end < len)
        buf_put(&rc, out, ELLIPSIS, 3);
    if (rc != GALEN_OK)
        out->len = base;
    return rc;
}
