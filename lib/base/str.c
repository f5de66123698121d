/* SPDX-License-Identifier: MIT */
/* str.c: slice helpers and strtol/strtod wrappers that reject junk. */
#include "str.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

struct str str_from(const char *s)
{
    struct str r = {s, s ? strlen(s) : 0};

    return r;
}

bool str_eq(struct str a, struct str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

bool str_eq_cstr(struct str a, const char *s)
{
    return str_eq(a, str_from(s));
}

int str_cmp(struct str a, struct str b)
{
    size_t n = MIN(a.len, b.len);
    int c = n ? memcmp(a.p, b.p, n) : 0;

    if (c != 0)
        return c;
    return (a.len > b.len) - (a.len < b.len);
}

int str_to_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    if (!s || !*s)
        return GALEN_EPARSE;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return GALEN_EPARSE;
    *out = v;
    return GALEN_OK;
}

int str_to_double(const char *s, double *out)
{
    char *end;
    double v;

    if (!s || !*s)
        return GALEN_EPARSE;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || *end != '\0' || !isfinite(v))
        return GALEN_EPARSE;
    *out = v;
    return GALEN_OK;
}

bool str_next_line(const char *text, size_t len, size_t *pos, struct str *line)
{
    size_t i = *pos, e = i;

    if (i >= len)
        return false;
    while (e < len && text[e] != '\n')
        e++;
    line->p = text + i;
    line->len = e - i;
    if (line->len > 0 && text[e - 1] == '\r')
        line->len--;
    *pos = e + 1;
    return true;
}
