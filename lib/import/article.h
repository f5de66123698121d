/* SPDX-License-Identifier: MIT */
/* import_article.h: galen's own article format (docs/article-format.md):
 * Markdown with a front-matter block. One file is one document. Headings
 * become sections; pipe tables and FAQ blocks are parsed into structure;
 * every error names the line. */
#ifndef GALEN_IMPORT_ARTICLE_H
#define GALEN_IMPORT_ARTICLE_H

#include <stddef.h>

#include "base/common.h"
#include "content/doc.h"
#include "import.h"

enum { ARTICLE_MAX_BYTES = 4 << 20, ARTICLE_ID_MAX = 128 };

/* Parses len bytes of article text into d, which must be freshly
 * initialised (doc_init). GALEN_OK; GALEN_EPARSE with diag->line and a
 * message for anything the format does not allow; GALEN_ENOMEM. On error
 * d holds a partial document the caller still cleans up. */
GALEN_NODISCARD int import_article_parse(const char *text, size_t len,
                                         struct doc *d, struct diag *diag);

/* True if a line hdr followed by the line next starts a pipe table (the
 * body rule of the parser), for the writer, which must not write text
 * that reads back as a table. Lines without their "\n". */
bool article_table_start(const char *hdr, size_t hlen, const char *next,
                         size_t nlen);

/* Reads the article at path (at most ARTICLE_MAX_BYTES) and hands the
 * document to sink. GALEN_OK, GALEN_EIO, GALEN_EPARSE (diag says where),
 * or the sink's error. */
GALEN_NODISCARD int import_article_file(const char *path,
                                        const struct import_sink *sink,
                                        struct diag *diag);

#endif
