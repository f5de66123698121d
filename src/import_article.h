/* SPDX-License-Identifier: MIT */
/* import_article.h: placeholder. */
#ifndef GALEN_IMPORT_ARTICLE_H
#define GALEN_IMPORT_ARTICLE_H

#include "common.h"
#include "import.h"

GALEN_NODISCARD int import_article_file(const char *path,
                                        const struct import_sink *sink,
                                        struct galen_diag *diag);

#endif
