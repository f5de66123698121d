/* SPDX-License-Identifier: MIT */
/* str.h: non-owning string slices and checked number parsing (no atoi). */
#ifndef GALEN_STR_H
#define GALEN_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common.h"

struct str {
    const char *p; /* borrowed; not NUL-terminated */
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

struct str str_from(const char *s);
bool str_eq(struct str a, struct str b);
bool str_eq_cstr(struct str a, const char *s);
int str_cmp(struct str a, struct str b);

/* Sets *line to the line of text[0..len) that starts at *pos, without its
 * "\n" or "\r\n", and moves *pos past it. False when *pos is at the end:
 * the one line splitter of the line-based data files. */
bool str_next_line(const char *text, size_t len, size_t *pos, struct str *line);

/* Parses all of s as a base-10 integer in [min, max]. Returns GALEN_OK or
 * GALEN_EPARSE (empty, junk, out of range); *out is set only on success. */
GALEN_NODISCARD int str_to_long(const char *s, long min, long max, long *out);

/* Parses all of s as a finite double. GALEN_OK or GALEN_EPARSE. */
GALEN_NODISCARD int str_to_double(const char *s, double *out);

#endif
