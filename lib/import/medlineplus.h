/* SPDX-License-Identifier: MIT */
/* medlineplus.h: the MedlinePlus health-topics XML parser (the public
 * mplus_topics_YYYY-MM-DD.xml file, English and Spanish). Each
 * <health-topic> becomes one consumer document: its full summary (escaped
 * HTML) as sections and paragraphs, "also called" and "see" names as
 * synonyms, MeSH descriptors as focus terms, groups, related topics,
 * language and the translated topic's URL as metadata, the topic URL as
 * the reference, and the creation date. The external <site> links are
 * left out: they point at other publishers' pages, whose text galen does
 * not have, so citing them would credit them with MedlinePlus's words. */
#ifndef GALEN_IMPORT_MEDLINEPLUS_H
#define GALEN_IMPORT_MEDLINEPLUS_H

#include <stddef.h>

#include "base/common.h"
#include "import.h"

/* Parses the file at path (plain or gzip) and hands each topic to sink.
 * GALEN_OK, GALEN_EIO if the file cannot be read, GALEN_EPARSE for
 * malformed XML or a topic without a title, id or URL (diag says where),
 * or the first error the sink returned. */
GALEN_NODISCARD int import_medlineplus_file(const char *path,
                                            const struct import_sink *sink,
                                            struct diag *diag);

/* The same on len bytes in memory; name is used in messages only. */
GALEN_NODISCARD int import_medlineplus_memory(const char *data, size_t len,
                                              const char *name,
                                              const struct import_sink *sink,
                                              struct diag *diag);

#endif
