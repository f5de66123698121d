/* SPDX-License-Identifier: MIT */
/* galen/common.h: what every public header shares: the attribute that makes
 * ignoring an error code a warning, the extern "C" guards, and the one
 * function that frees strings libgalen hands out. */
#ifndef GALEN_PUBLIC_COMMON_H
#define GALEN_PUBLIC_COMMON_H

#include <galen/export.h>

/* On every public function that can fail: its result must be looked at. */
#ifndef GALEN_NODISCARD
#ifdef __GNUC__
#define GALEN_NODISCARD __attribute__((warn_unused_result))
#else
#define GALEN_NODISCARD
#endif
#endif

#ifdef __cplusplus
#define GALEN_BEGIN_DECLS extern "C" {
#define GALEN_END_DECLS   }
#else
#define GALEN_BEGIN_DECLS
#define GALEN_END_DECLS
#endif

GALEN_BEGIN_DECLS

/* Frees a string that a galen_* function returned for the caller to free
 * (renderings, document JSON and text). NULL is a no-op. */
GALEN_API void galen_free_string(char *s);

GALEN_END_DECLS

#endif
