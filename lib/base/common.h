/* SPDX-License-Identifier: MIT */
/* common.h: attribute and helper macros shared by every module. No logic.
 * Compiler attributes live here behind __GNUC__ so no other file needs
 * compiler or OS #ifdefs. */
#ifndef GALEN_COMMON_H
#define GALEN_COMMON_H

#include <stddef.h>

#include <galen/common.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x)     ((void)(x))
#define MIN(a, b)     ((a) < (b) ? (a) : (b))
#define MAX(a, b)     ((a) > (b) ? (a) : (b))

#ifdef __GNUC__
#define GALEN_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define GALEN_LIKELY(x)         __builtin_expect(!!(x), 1)
#define GALEN_UNLIKELY(x)       __builtin_expect(!!(x), 0)
#else
#define GALEN_PRINTF(fmt, args)
#define GALEN_LIKELY(x)   (x)
#define GALEN_UNLIKELY(x) (x)
#endif

#endif
