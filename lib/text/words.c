/* SPDX-License-Identifier: MIT */
/* answer_text.c: word iteration and phrase matching (see answer_text.h). The
 * matchers walk the text in place: no copies, no allocation, linear in the
 * text for one phrase. */
#include "words.h"

bool answer_text_is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

unsigned char answer_text_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

size_t answer_text_word(const char *t, size_t len, size_t i, size_t *end)
{
    size_t e;

    while (i < len && !answer_text_is_word((unsigned char)t[i]))
        i++;
    if (i >= len)
        return len;
    e = i;
    while (e < len && answer_text_is_word((unsigned char)t[e]))
        e++;
    *end = e;
    return i;
}

/* Matches one phrase word p[0..n) against the text word t[b..e). */
static bool word_match(const char *t, size_t b, size_t e, const char *p,
                       size_t n, bool prefix)
{
    size_t k;

    if (prefix ? e - b < n : e - b != n)
        return false;
    for (k = 0; k < n; k++) {
        if (answer_text_lower((unsigned char)t[b + k]) != (unsigned char)p[k])
            return false;
    }
    return true;
}

bool answer_text_phrase_at(const char *t, size_t len, size_t i,
                           const char *phrase, size_t *end)
{
    const char *p = phrase;
    size_t pos = i;

    if (i > 0 && i < len && answer_text_is_word((unsigned char)t[i - 1]))
        return false;
    while (*p) {
        size_t n = 0, b, e = 0;
        bool prefix;

        while (p[n] && p[n] != ' ')
            n++;
        prefix = n > 0 && p[n - 1] == '*';
        b = answer_text_word(t, len, pos, &e);
        if (b >= len || (p == phrase && b != i))
            return false;
        if (!word_match(t, b, e, p, prefix ? n - 1 : n, prefix))
            return false;
        pos = e;
        p += n;
        while (*p == ' ')
            p++;
    }
    *end = pos;
    return true;
}

size_t answer_text_find(const char *t, size_t len, const char *phrase)
{
    size_t i = 0, e = 0, m;

    for (;;) {
        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            return len;
        if (answer_text_phrase_at(t, len, i, phrase, &m))
            return i;
        i = e;
    }
}

size_t answer_text_word_count(const char *t, size_t len)
{
    size_t i = 0, e = 0, n = 0;

    for (;;) {
        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            return n;
        n++;
        i = e;
    }
}

bool answer_text_ieq(const char *t, size_t len, const char *s)
{
    size_t k;

    for (k = 0; k < len; k++) {
        if (s[k] == '\0' || answer_text_lower((unsigned char)t[k]) !=
                                answer_text_lower((unsigned char)s[k]))
            return false;
    }
    return s[len] == '\0';
}
