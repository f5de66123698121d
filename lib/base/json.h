/* SPDX-License-Identifier: MIT */
/* json.h: the one JSON string writer. Every JSON document galen writes by
 * hand (documents, index metadata, answers, `galen eval --json`) escapes
 * its strings here, so they all agree: '"' and '\' are backslashed, newline
 * and tab are \n and \t, other control bytes and DEL are \u00XX, and every
 * other byte is copied (the caller passes valid UTF-8). Writers append to
 * a buf with its sticky error code. */
#ifndef GALEN_JSON_H
#define GALEN_JSON_H

#include <stddef.h>

#include "buf.h"

/* Appends s as a quoted, escaped JSON string; NULL appends null. */
void json_put_str(int *rc, struct buf *b, const char *s);

/* As json_put_str for the n bytes at s (which need no NUL). */
void json_put_strn(int *rc, struct buf *b, const char *s, size_t n);

#endif
