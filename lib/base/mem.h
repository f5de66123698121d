/* SPDX-License-Identifier: MIT */
/* mem.h: the one allocator every libgalen module goes through, so that tests
 * can fail the Nth allocation (mem_fail_after) and check ENOMEM paths. */
#ifndef GALEN_MEM_H
#define GALEN_MEM_H

#include <stddef.h>

#include "common.h"

/* Like malloc/calloc/realloc/free. galen_free(NULL) is a no-op.
 * galen_realloc leaves p untouched and returns NULL on failure. */
void *galen_malloc(size_t n);
void *galen_calloc(size_t count, size_t size);
void *galen_realloc(void *p, size_t n);
void galen_free(void *p);

/* Returns a galen_malloc'd copy of s[0..len) plus a NUL; caller frees. */
char *galen_strndup(const char *s, size_t len);
char *galen_strdup(const char *s);

/* Test hook: the allocation after n more succeed fails, and every one after
 * it fails too until reset with mem_fail_after(-1). Not thread-safe. */
void mem_fail_after(long n);

/* Number of allocations made since start; lets an OOM sweep know when the
 * code under test stopped allocating. */
unsigned long mem_alloc_count(void);

#endif
