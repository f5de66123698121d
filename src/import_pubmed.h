/* SPDX-License-Identifier: MIT */
/* import_pubmed.h: placeholder. */
#ifndef GALEN_IMPORT_PUBMED_H
#define GALEN_IMPORT_PUBMED_H

#include "common.h"
#include "import.h"

GALEN_NODISCARD int import_pubmed_file(const char *path,
                                        const struct import_sink *sink,
                                        struct galen_diag *diag);

#endif
