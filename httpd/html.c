/* SPDX-License-Identifier: MIT */
/* html.c: escaping, URL encoding and the %-template writer. The writer has
 * its own small conversion set instead of wrapping vsnprintf so that the
 * default conversion for strings (%s) escapes; raw output must be spelled
 * %R at the call site, where a reviewer can see it. */
#include "html.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

void html_urlenc(int *rc, struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < len && *rc == GALEN_OK; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[3];

        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            buf_put_byte(rc, b, c);
            continue;
        }
        esc[0] = '%';
        esc[1] = hex[c >> 4];
        esc[2] = hex[c & 15];
        buf_put(rc, b, esc, 3);
    }
}

/* Writes one conversion starting just after the '%'; returns the number of
 * format bytes consumed, or 0 for an unknown conversion. */
static size_t fmt_one(int *rc, struct buf *b, const char *f, va_list *ap)
{
    const char *s;
    const struct str *sl;

    switch (f[0]) {
    case 's':
        html_esc(rc, b, va_arg(*ap, const char *));
        return 1;
    case 'S':
        sl = va_arg(*ap, const struct str *);
        html_escn(rc, b, sl->p, sl->len);
        return 1;
    case 'U':
        s = va_arg(*ap, const char *);
        if (s)
            html_urlenc(rc, b, s, strlen(s));
        return 1;
    case 'R':
        s = va_arg(*ap, const char *);
        if (s)
            buf_put_str(rc, b, s);
        return 1;
    case 'd':
        buf_printf(rc, b, "%d", va_arg(*ap, int));
        return 1;
    case '%':
        buf_put_byte(rc, b, '%');
        return 1;
    case 'z':
        if (f[1] != 'u')
            return 0;
        buf_printf(rc, b, "%zu", va_arg(*ap, size_t));
        return 2;
    case 'l':
        if (f[1] == 'd') {
            buf_printf(rc, b, "%ld", va_arg(*ap, long));
            return 2;
        }
        if (f[1] == 'l' && f[2] == 'd') {
            buf_printf(rc, b, "%lld", va_arg(*ap, long long));
            return 3;
        }
        return 0;
    default:
        return 0;
    }
}

void html_vfmt(int *rc, struct buf *b, const char *fmt, va_list ap)
{
    const char *p = fmt;
    va_list aq;

    va_copy(aq, ap);
    while (*p && *rc == GALEN_OK) {
        const char *pct = strchr(p, '%');
        size_t used;

        if (!pct) {
            buf_put_str(rc, b, p);
            break;
        }
        buf_put(rc, b, p, (size_t)(pct - p));
        used = fmt_one(rc, b, pct + 1, &aq);
        if (used == 0) {
            *rc = GALEN_EINVAL;
            break;
        }
        p = pct + 1 + used;
    }
    va_end(aq);
}

void html_fmt(int *rc, struct buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    html_vfmt(rc, b, fmt, ap);
    va_end(ap);
}

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

size_t html_urldec(char *s, size_t len)
{
    size_t i;
    size_t o = 0;

    for (i = 0; i < len; i++) {
        int hi;
        int lo;

        if (s[i] == '+') {
            s[o++] = ' ';
            continue;
        }
        hi = (s[i] == '%' && i + 2 < len) ? hex_val(s[i + 1]) : -1;
        lo = hi >= 0 ? hex_val(s[i + 2]) : -1;
        if (lo < 0) {
            s[o++] = s[i];
            continue;
        }
        s[o++] = (char)(hi * 16 + lo);
        i += 2;
    }
    return o;
}
