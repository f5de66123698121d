/* SPDX-License-Identifier: MIT */
/* galen_import.c: the public import API (galen/store.h) over lib/import. */
#include <galen/error.h>
#include <galen/store.h>

#include "import/import.h"

int galen_import_format_parse(const char *name, enum galen_import_format *out)
{
    return import_format_parse(name, out);
}

int galen_import_paths(struct galen_store *st, enum galen_import_format fmt,
                       const char *const *paths, size_t npaths,
                       const struct galen_import_opts *opts,
                       struct galen_import_stats *stats)
{
    return import_paths(st, fmt, paths, npaths, opts, stats);
}
