/* SPDX-License-Identifier: MIT */
/* escape.c: the one HTML escaper (escape.h). */
#include "escape.h"

#include <stdbool.h>
#include <string.h>

#include <galen/error.h>

#include "utf8.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

static bool is_dropped_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

static const char *entity_for(unsigned char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

size_t html_esc_step(const char *s, size_t len, const char **rep,
                     size_t *rep_len)
{
    unsigned char c = (unsigned char)s[0];
    const char *ent = entity_for(c);
    size_t n;

    if (ent) {
        *rep = ent;
        *rep_len = strlen(ent);
        return 1;
    }
    n = utf8_seq_len(s, len);
    if (n == 0) {
        *rep = REPLACEMENT;
        *rep_len = sizeof REPLACEMENT - 1;
        return 1;
    }
    *rep = s;
    *rep_len = n == 1 && is_dropped_control(c) ? 0 : n;
    return n;
}

void html_escn(int *rc, struct buf *b, const char *s, size_t len)
{
    size_t i = 0;
    size_t run = 0; /* start of the pending run of bytes copied as they are */

    while (i < len && *rc == GALEN_OK) {
        const char *rep;
        size_t rep_len;
        size_t n = html_esc_step(s + i, len - i, &rep, &rep_len);

        if (rep == s + i && rep_len == n) {
            i += n;
            continue;
        }
        buf_put(rc, b, s + run, i - run);
        buf_put(rc, b, rep, rep_len);
        i += n;
        run = i;
    }
    buf_put(rc, b, s + run, i - run);
}

void html_esc(int *rc, struct buf *b, const char *s)
{
    if (s)
        html_escn(rc, b, s, strlen(s));
}
