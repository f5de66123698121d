/* SPDX-License-Identifier: MIT */
/* article_write.h: a document written back as a galen Markdown article
 * (docs/article-format.md), the inverse of import_article_parse: importing
 * what this writes gives a document with the same content hash. */
#ifndef GALEN_IMPORT_ARTICLE_WRITE_H
#define GALEN_IMPORT_ARTICLE_WRITE_H

#include "base/buf.h"
#include "base/common.h"
#include "content/doc.h"

/* Checks that the article format can hold d exactly. Returns NULL, or a
 * static reason it cannot (a question without an answer, a later section
 * without a heading, a field value the format does not allow, ...). */
const char *article_unwritable(const struct doc *d);

/* Appends d as an article to b: the front matter (YAML; values quoted only
 * when they must be), then the sections with their tables and FAQ items.
 * GALEN_OK, GALEN_EPARSE when article_unwritable(d) says why not, or the
 * buffer's error (GALEN_ENOMEM, GALEN_ETOOBIG). */
GALEN_NODISCARD int article_write(const struct doc *d, struct buf *b);

/* article_write, then proof: the text is parsed back and its content hash
 * compared with d's. GALEN_OK; GALEN_EPARSE with the reason in why (the
 * parser's "line N: message", or that the hash differs), b then holding
 * the rejected text; or the buffer's error. */
GALEN_NODISCARD int article_write_checked(const struct doc *d, struct buf *b,
                                          char *why, size_t cap);

#endif
