/* SPDX-License-Identifier: MIT */
/* varint.c: unsigned LEB128. Decoding is bounds-checked because it runs on
 * untrusted index bytes. */
#include "varint.h"

size_t varint_encode(unsigned char *p, uint64_t v)
{
    size_t n = 0;

    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

size_t varint_decode(const unsigned char *p, size_t len, uint64_t *v)
{
    uint64_t r = 0;
    size_t i;

    for (i = 0; i < len && i < VARINT_MAX_LEN; i++) {
        r |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            if (i == VARINT_MAX_LEN - 1 && p[i] > 1)
                return 0;
            *v = r;
            return i + 1;
        }
    }
    return 0;
}

size_t varint_len(uint64_t v)
{
    size_t n = 1;

    while (v >= 0x80) {
        v >>= 7;
        n++;
    }
    return n;
}
