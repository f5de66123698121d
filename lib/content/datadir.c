/* SPDX-License-Identifier: MIT */
/* datadir.c: a data folder's layout (datadir.h). */
#include "datadir.h"

#include <stdio.h>

#include <galen/error.h>

static int join(const char *data, const char *name, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s", data, name);

    if (n < 0 || (size_t)n >= cap) {
        if (cap)
            out[0] = '\0';
        return GALEN_EINVAL;
    }
    return GALEN_OK;
}

int datadir_store_path(const char *data, char *out, size_t cap)
{
    return join(data, DATADIR_STORE, out, cap);
}

int datadir_index_path(const char *data, char *out, size_t cap)
{
    return join(data, DATADIR_INDEX, out, cap);
}
