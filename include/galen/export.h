/* SPDX-License-Identifier: MIT */
/* galen/export.h: GALEN_API marks the functions libgalen exports. The
 * library is compiled with -fvisibility=hidden, so everything else stays
 * inside libgalen.so and, localized, inside libgalen.a: an embedder's own
 * buf_init or doc_free cannot clash with ours. */
#ifndef GALEN_EXPORT_H
#define GALEN_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define GALEN_API __attribute__((visibility("default")))
#else
#define GALEN_API
#endif

#endif
