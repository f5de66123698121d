/* SPDX-License-Identifier: MIT */
/* import_beir.h: the BEIR corpus.jsonl parser. Each line is one JSON
 * object {"_id": ..., "title": ..., "text": ...}; it becomes one document
 * whose body is the text. A bad line is reported as file:line and the
 * rest of the file goes on. */
#ifndef GALEN_IMPORT_BEIR_H
#define GALEN_IMPORT_BEIR_H

#include <stddef.h>

#include "base/common.h"
#include "content/doc.h"
#include "import.h"

enum { BEIR_LINE_MAX = 64 << 20 }; /* bytes in one line */

/* Parses one line (without its newline) into d, which must be freshly
 * initialised; source names the collection (may be NULL). An empty title
 * is replaced by the start of the text. GALEN_OK; GALEN_EPARSE with a
 * message in diag for malformed JSON, a missing or non-string _id, or
 * a non-string title/text; GALEN_ENOENT for a blank line or an empty text
 * (nothing to import); GALEN_ENOMEM. */
GALEN_NODISCARD int import_beir_line(const char *line, size_t len,
                                     const char *source, struct doc *d,
                                     struct diag *diag);

/* Parses the file at path (plain or gzip) line by line and hands each
 * document to sink; bad lines go to sink->bad_record, empty texts to
 * sink->skip. The collection's name (its folder) becomes the source.
 * GALEN_OK, GALEN_EIO, GALEN_EPARSE for a line over BEIR_LINE_MAX, or the
 * first error the sink returned. */
GALEN_NODISCARD int import_beir_file(const char *path,
                                     const struct import_sink *sink,
                                     struct diag *diag);

#endif
