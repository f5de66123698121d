/* SPDX-License-Identifier: MIT */
/* error.c: messages and names for enum galen_err, generated from the single
 * X-macro table in galen/error.h so codes and texts cannot drift apart. */
#include "error.h"

static const char *const messages[] = {
#define GALEN_ERR_MSG(name, msg) msg,
    GALEN_ERRNO_MAP(GALEN_ERR_MSG)
#undef GALEN_ERR_MSG
};

static const char *const names[] = {
#define GALEN_ERR_NAME(name, msg) #name,
    GALEN_ERRNO_MAP(GALEN_ERR_NAME)
#undef GALEN_ERR_NAME
};

const char *error_str(int code)
{
    if (code < 0 || code >= GALEN_ERR_COUNT)
        return "unknown error";
    return messages[code];
}

const char *error_name(int code)
{
    if (code < 0 || code >= GALEN_ERR_COUNT)
        return "EUNKNOWN";
    return names[code];
}
