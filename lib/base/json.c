/* SPDX-License-Identifier: MIT */
/* json.c: the one JSON string escaper (json.h). */
#include "json.h"

#include <string.h>

void json_put_strn(int *rc, struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i;

    buf_put_byte(rc, b, '"');
    for (i = 0; i < n; i++) {
        unsigned char c = p[i];

        if (c == '"' || c == '\\') {
            buf_put_byte(rc, b, '\\');
            buf_put_byte(rc, b, c);
        } else if (c == '\n') {
            buf_put_str(rc, b, "\\n");
        } else if (c == '\t') {
            buf_put_str(rc, b, "\\t");
        } else if (c < 0x20 || c == 0x7f) {
            buf_put_str(rc, b, "\\u00");
            buf_put_byte(rc, b, (unsigned char)hex[c >> 4]);
            buf_put_byte(rc, b, (unsigned char)hex[c & 15]);
        } else {
            buf_put_byte(rc, b, c);
        }
    }
    buf_put_byte(rc, b, '"');
}

void json_put_str(int *rc, struct buf *b, const char *s)
{
    if (!s) {
        buf_put_str(rc, b, "null");
        return;
    }
    json_put_strn(rc, b, s, strlen(s));
}
