/* SPDX-License-Identifier: MIT */
/* datadir.h: the one owner of a data folder's layout. A data folder holds
 * the content store (<data>/store.db) and the search index (<data>/index);
 * every part of galen that needs either path asks here, so the layout is
 * written down once. */
#ifndef GALEN_DATADIR_H
#define GALEN_DATADIR_H

#include <stddef.h>

#include "base/common.h"

/* Names of the parts inside a data folder. */
#define DATADIR_STORE "store.db"
#define DATADIR_INDEX "index"

/* Writes <data>/store.db or <data>/index into out[0..cap). GALEN_OK, or
 * GALEN_EINVAL (out empty) when the path does not fit. */
GALEN_NODISCARD int datadir_store_path(const char *data, char *out, size_t cap);
GALEN_NODISCARD int datadir_index_path(const char *data, char *out, size_t cap);

#endif
