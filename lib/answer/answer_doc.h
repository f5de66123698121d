/* SPDX-License-Identifier: MIT */
/* answer_doc.h: a document as the answer engine reads it back from the
 * index: stored title and body fields plus the JSON meta blob written by
 * store_index.c. */
#ifndef GALEN_ANSWER_DOC_H
#define GALEN_ANSWER_DOC_H

#include "base/common.h"
#include "base/str.h"
#include "content/doc.h"

/* Builds a struct doc with id, title (the field, else the meta's), the
 * metadata, references and sections cut from body by the meta's byte
 * ranges (the whole body is one section when the meta has none or is
 * empty). GALEN_OK, GALEN_ECORRUPT (malformed meta or a range outside the
 * body) or GALEN_ENOMEM. Caller frees *out with doc_free. */
GALEN_NODISCARD int answer_doc_load(struct str id, struct str title,
                                    struct str body, struct str meta,
                                    struct doc **out);

#endif
