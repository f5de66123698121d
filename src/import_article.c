/* SPDX-License-Identifier: MIT */
/* import_article.c: placeholder. */
#include "import_article.h"

#include <galen/error.h>

int import_article_file(const char *path, const struct import_sink *sink,
                     struct galen_diag *diag)
{
    UNUSED(path);
    UNUSED(sink);
    return import_diag(diag, GALEN_EINVAL, 0, "not implemented");
}
