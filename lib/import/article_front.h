/* SPDX-License-Identifier: MIT */
/* article_front.h: the front matter of a galen article, read with libyaml
 * (docs/article-format.md). galen's own one-line forms stay valid: a value
 * is the rest of its line, and a reference is "- k: v | k: v"; standard
 * YAML (quoted strings, flow and block lists, block scalars, nested maps)
 * works too, so Hugo- and Jekyll-style front matter imports. Keys the
 * format does not know are kept as the document's metadata. */
#ifndef GALEN_IMPORT_ARTICLE_FRONT_H
#define GALEN_IMPORT_ARTICLE_FRONT_H

#include <stddef.h>

#include "base/common.h"
#include "base/diag.h"
#include "content/doc.h"

/* Parses the front matter block[0..len) (the lines between the fences;
 * its first line is line first_line of the file) into d. name, when not
 * NULL, is the file's path: a file without an id gets one from its base
 * name. close_line is the closing fence's line, where a missing key is
 * reported. GALEN_OK; GALEN_EPARSE with diag naming the file's line;
 * GALEN_ENOMEM. */
GALEN_NODISCARD int article_front_parse(const char *block, size_t len,
                                        long first_line, long close_line,
                                        const char *name, struct doc *d,
                                        struct diag *diag);

#endif
