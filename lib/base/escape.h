/* SPDX-License-Identifier: MIT */
/* escape.h: the one HTML escaper, for the web pages, the answer's HTML
 * rendering and HTML snippet marks. & < > " ' become entities, invalid
 * UTF-8 becomes U+FFFD, and C0 controls other than tab, LF and CR (and
 * DEL) are dropped, so the output is valid UTF-8 that is safe in element
 * text and in quoted attribute values. */
#ifndef GALEN_ESCAPE_H
#define GALEN_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* One step over s[0..len), len >= 1: returns how many bytes of s it
 * consumed and sets *rep, *rep_len to what stands for them: s itself for
 * bytes that need no escaping, an entity, U+FFFD, or nothing (a dropped
 * control byte). For writers that are not a buf. */
size_t html_esc_step(const char *s, size_t len, const char **rep,
                     size_t *rep_len);

/* Appends s[0..len) escaped (sticky rc as in buf.h). */
void html_escn(int *rc, struct buf *b, const char *s, size_t len);

/* html_escn on a NUL-terminated string; NULL appends nothing. */
void html_esc(int *rc, struct buf *b, const char *s);

#endif
