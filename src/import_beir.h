/* SPDX-License-Identifier: MIT */
/* import_beir.h: placeholder. */
#ifndef GALEN_IMPORT_BEIR_H
#define GALEN_IMPORT_BEIR_H

#include "common.h"
#include "import.h"

GALEN_NODISCARD int import_beir_file(const char *path,
                                        const struct import_sink *sink,
                                        struct galen_diag *diag);

#endif
