/* SPDX-License-Identifier: MIT */
/* html.h: HTML escaping and a tiny template writer on struct buf. The
 * invariant: every value interpolated with html_fmt is escaped unless the
 * caller asks for raw output by name (%R), so untrusted text (questions,
 * replies, comments, imported content) cannot become markup. Output is
 * always valid UTF-8: invalid bytes become U+FFFD, control bytes are dropped.
 */
#ifndef GALEN_HTML_H
#define GALEN_HTML_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "escape.h"
#include "str.h"

/* Appends s[0..len) percent-encoded for use as one URL query or path
 * component: everything but A-Z a-z 0-9 - . _ ~ becomes %XX. The result
 * needs no further HTML escaping. */
void html_urlenc(int *rc, struct buf *b, const char *s, size_t len);

/* Template writer. Appends fmt with these conversions:
 *   %s   const char *: HTML-escaped text (NULL writes nothing)
 *   %S   const struct str *: HTML-escaped slice
 *   %U   const char *: URL-component-encoded (for hrefs and query values)
 *   %R   const char *: raw, trusted HTML written by galen itself
 *   %d   int      %ld long     %lld long long    %zu size_t
 *   %%   a literal percent sign
 * There is deliberately no %u: in printf it is an unsigned number, and a
 * number passed where a string pointer is read would crash.
 * Any other conversion sets *rc to GALEN_EINVAL: it is a programming error
 * that tests catch. Sticky rc as in buf.h. */
void html_fmt(int *rc, struct buf *b, const char *fmt, ...);

/* html_fmt with a va_list, for wrappers. */
void html_vfmt(int *rc, struct buf *b, const char *fmt, va_list ap);

/* Decodes one application/x-www-form-urlencoded or URL component in place
 * ('+' becomes a space, %XX a byte) and returns its new length. Malformed
 * escapes are kept literally. The result may hold any byte, NUL included;
 * callers that need C strings reject embedded NULs. */
size_t html_urldec(char *s, size_t len);

#endif
