/* SPDX-License-Identifier: MIT */
/* import_medquad.h: the MedQuAD XML parser. One MedQuAD file describes one
 * source page (its focus, UMLS annotations and synonyms) and its QA pairs;
 * each pair becomes one document with id <source>_<document id>_Sec<pid>,
 * the question as title and the answer as body. Pairs whose answer was
 * removed upstream become questions only (has_answer false). All known
 * schema variants are read: <Document> with <FocusAnnotations> or a bare
 * <UMLS>, the lowercase NINDS <doc>, and the CDC <DiseaseFile>. */
#ifndef GALEN_IMPORT_MEDQUAD_H
#define GALEN_IMPORT_MEDQUAD_H

#include <stddef.h>

#include "base/common.h"
#include "import.h"

/* Parses the MedQuAD file at path (plain or gzip) and hands each QA pair
 * to sink. The file's base name disambiguates document ids that MedQuAD
 * repeats across files (1_CancerGov_QA/0000013_2_1.xml and
 * 0000013_2_2.xml both say id="0000013_2"). GALEN_OK, GALEN_EIO if the
 * file cannot be read, GALEN_EPARSE for malformed or unexpected XML (diag
 * says where), or the first error the sink returned. */
GALEN_NODISCARD int import_medquad_file(const char *path,
                                        const struct import_sink *sink,
                                        struct diag *diag);

/* The same on len bytes in memory; name stands for the file name. */
GALEN_NODISCARD int import_medquad_memory(const char *data, size_t len,
                                          const char *name,
                                          const struct import_sink *sink,
                                          struct diag *diag);

#endif
