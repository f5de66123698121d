/* SPDX-License-Identifier: MIT */
/* varint.h: the only code that knows integer byte layouts: LEB128-style
 * varints (7 bits a byte, low group first, high bit = more) and explicit
 * little-endian fixed-width put/get. */
#ifndef GALEN_VARINT_H
#define GALEN_VARINT_H

#include <stddef.h>
#include <stdint.h>

enum { VARINT_MAX_LEN = 10 };

/* Writes v to p (room for VARINT_MAX_LEN bytes); returns bytes written. */
size_t varint_encode(unsigned char *p, uint64_t v);

/* Reads a varint from p[0..len). Returns bytes consumed, or 0 if the input
 * is truncated or longer than 10 bytes (corrupt); *v is then untouched. */
size_t varint_decode(const unsigned char *p, size_t len, uint64_t *v);

/* Bytes varint_encode would write for v. */
size_t varint_len(uint64_t v);

static inline void put_u32le(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static inline uint32_t get_u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline void put_u64le(unsigned char *p, uint64_t v)
{
    put_u32le(p, (uint32_t)v);
    put_u32le(p + 4, (uint32_t)(v >> 32));
}

static inline uint64_t get_u64le(const unsigned char *p)
{
    return (uint64_t)get_u32le(p) | (uint64_t)get_u32le(p + 4) << 32;
}

static inline uint16_t get_u16le(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

#endif
