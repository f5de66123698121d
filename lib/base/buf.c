/* SPDX-License-Identifier: MIT */
/* buf.c: growable byte buffer. Growth doubles; the cap is checked before any
 * allocation so a hostile input cannot make a buffer grow without bound. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "mem.h"
#include "varint.h"

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_cleanup(struct buf *b)
{
    galen_free(b->data);
    buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
}

int buf_reserve(struct buf *b, size_t n)
{
    size_t need;
    size_t ncap;
    unsigned char *p;

    if (n > b->max || b->len > b->max - n)
        return GALEN_ETOOBIG;
    need = b->len + n;
    if (need <= b->cap)
        return GALEN_OK;
    ncap = b->cap ? b->cap : 64;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    if (ncap > b->max)
        ncap = b->max;
    p = galen_realloc(b->data, ncap);
    if (!p)
        return GALEN_ENOMEM;
    b->data = p;
    b->cap = ncap;
    return GALEN_OK;
}

void buf_put(int *rc, struct buf *b, const void *p, size_t n)
{
    if (*rc != GALEN_OK || n == 0)
        return;
    *rc = buf_reserve(b, n);
    if (*rc != GALEN_OK)
        return;
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

void buf_put_byte(int *rc, struct buf *b, unsigned char c)
{
    buf_put(rc, b, &c, 1);
}

void buf_put_str(int *rc, struct buf *b, const char *s)
{
    buf_put(rc, b, s, strlen(s));
}

void buf_put_u16le(int *rc, struct buf *b, uint16_t v)
{
    unsigned char t[2] = {(unsigned char)v, (unsigned char)(v >> 8)};

    buf_put(rc, b, t, sizeof t);
}

void buf_put_u32le(int *rc, struct buf *b, uint32_t v)
{
    unsigned char t[4];

    put_u32le(t, v);
    buf_put(rc, b, t, sizeof t);
}

void buf_put_u64le(int *rc, struct buf *b, uint64_t v)
{
    unsigned char t[8];

    put_u64le(t, v);
    buf_put(rc, b, t, sizeof t);
}

void buf_put_varint(int *rc, struct buf *b, uint64_t v)
{
    unsigned char t[VARINT_MAX_LEN];

    buf_put(rc, b, t, varint_encode(t, v));
}

void buf_printf(int *rc, struct buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*rc != GALEN_OK)
        return;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        *rc = GALEN_EINVAL;
        return;
    }
    *rc = buf_reserve(b, (size_t)n + 1);
    if (*rc != GALEN_OK)
        return;
    va_start(ap, fmt);
    vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_put_nul(int *rc, struct buf *b)
{
    if (*rc != GALEN_OK)
        return;
    *rc = buf_reserve(b, 1);
    if (*rc == GALEN_OK)
        b->data[b->len] = '\0';
}

unsigned char *buf_take(struct buf *b, size_t *len)
{
    unsigned char *p = b->data;

    if (len)
        *len = b->len;
    buf_init(b, b->max);
    return p;
}
