/* SPDX-License-Identifier: MIT */
/* mem.c: allocation wrappers with a fail-the-Nth hook for OOM tests. The
 * counters are plain globals: the hook is for single-threaded tests only. */
#include "mem.h"

#include <stdlib.h>
#include <string.h>

static long fail_countdown = -1;
static unsigned long alloc_count;

static int should_fail(void)
{
    alloc_count++;
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0)
        return 1;
    fail_countdown--;
    return 0;
}

void mem_fail_after(long n)
{
    fail_countdown = n;
}

unsigned long mem_alloc_count(void)
{
    return alloc_count;
}

void *galen_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *galen_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *galen_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void galen_free(void *p)
{
    free(p);
}

char *galen_strndup(const char *s, size_t len)
{
    char *d = galen_malloc(len + 1);

    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *galen_strdup(const char *s)
{
    return galen_strndup(s, strlen(s));
}
