/* SPDX-License-Identifier: MIT */
/* import_pubmed.h: the PubMed/MEDLINE XML parser (PubmedArticleSet, as
 * efetch returns it and as the annual baseline files hold it). Each
 * PubmedArticle with an abstract becomes one research document with id
 * PubMed_<PMID>; abstract sections keep their labels. Publication types
 * map to an evidence level (import_pubmed_evidence). Streams: memory does
 * not grow with the file. */
#ifndef GALEN_IMPORT_PUBMED_H
#define GALEN_IMPORT_PUBMED_H

#include <stddef.h>

#include "base/common.h"
#include "content/doc.h"
#include "import.h"

/* The evidence level of a record with these publication types, taking the
 * strongest by this precedence: guideline > meta-analysis > systematic
 * review > RCT > clinical trial > cohort/observational > case report >
 * review > other. NONE for an empty list. */
enum doc_evidence import_pubmed_evidence(const struct doc_strlist *types);

/* Parses the PubMed XML file at path (plain or gzip, detected from the
 * bytes) and hands each article to sink. Records without a PMID or title
 * are reported through sink->bad_record; book records, deletions and
 * articles without an abstract through sink->skip. GALEN_OK, GALEN_EIO,
 * GALEN_EPARSE for malformed XML (diag says where), or the first error the
 * sink returned. */
GALEN_NODISCARD int import_pubmed_file(const char *path,
                                       const struct import_sink *sink,
                                       struct diag *diag);

/* The same on len bytes in memory. */
GALEN_NODISCARD int import_pubmed_memory(const char *data, size_t len,
                                         const struct import_sink *sink,
                                         struct diag *diag);

#endif
