/* SPDX-License-Identifier: MIT */
/* import_pubmed.c: placeholder. */
#include "import_pubmed.h"

#include <galen/error.h>

int import_pubmed_file(const char *path, const struct import_sink *sink,
                     struct galen_diag *diag)
{
    UNUSED(path);
    UNUSED(sink);
    return import_diag(diag, GALEN_EINVAL, 0, "not implemented");
}
