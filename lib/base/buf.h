/* SPDX-License-Identifier: MIT */
/* buf.h: growable byte buffer with a hard size cap (curl dynbuf). Writers use
 * a sticky error code (SQLite FTS5): once *rc != GALEN_OK every put is a
 * no-op, so a serializer checks rc once at the end. */
#ifndef GALEN_BUF_H
#define GALEN_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"

struct buf {
    unsigned char *data; /* owned; NULL until the first put */
    size_t len;          /* bytes used */
    size_t cap;          /* bytes allocated */
    size_t max;          /* hard cap on len; a put past it fails ETOOBIG */
};

/* Initialises an empty buffer that may grow to max bytes. */
void buf_init(struct buf *b, size_t max);

/* Frees the storage and resets to empty; the struct may be reused. */
void buf_cleanup(struct buf *b);

/* Sets len to 0, keeping the storage. */
void buf_reset(struct buf *b);

/* Ensures room for n more bytes. Returns GALEN_OK, ENOMEM or ETOOBIG. */
GALEN_NODISCARD int buf_reserve(struct buf *b, size_t n);

/* Appenders with a sticky error code. */
void buf_put(int *rc, struct buf *b, const void *p, size_t n);
void buf_put_byte(int *rc, struct buf *b, unsigned char c);
void buf_put_str(int *rc, struct buf *b, const char *s);
void buf_put_u16le(int *rc, struct buf *b, uint16_t v);
void buf_put_u32le(int *rc, struct buf *b, uint32_t v);
void buf_put_u64le(int *rc, struct buf *b, uint64_t v);
void buf_put_varint(int *rc, struct buf *b, uint64_t v);
void buf_printf(int *rc, struct buf *b, const char *fmt, ...)
    GALEN_PRINTF(3, 4);

/* NUL-terminates without counting the NUL in len. */
void buf_put_nul(int *rc, struct buf *b);

/* Hands the storage to the caller (caller frees with galen_free) and resets
 * b to empty. Returns NULL if nothing was ever written. */
unsigned char *buf_take(struct buf *b, size_t *len);

#endif
