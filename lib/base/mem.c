/* SPDX-License-Identifier: MIT */
/* mem.c: allocation wrappers with a fail-the-Nth hook for OOM tests. The
 * hook is for single-threaded tests only; the counter is a relaxed atomic
 * because the server allocates from many threads at once. */
#include "mem.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static long fail_countdown = -1;
static atomic_ulong alloc_count;

static int should_fail(void)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    if (GALEN_LIKELY(fail_countdown < 0))
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
    return atomic_load_explicit(&alloc_count, memory_order_relaxed);
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
