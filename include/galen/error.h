/* SPDX-License-Identifier: MIT */
/* galen/error.h: the one table of libgalen error codes and their messages.
 * Every fallible libgalen function returns one of these; GALEN_OK is 0. */
#ifndef GALEN_ERROR_H
#define GALEN_ERROR_H

#include <galen/export.h>

#define GALEN_ERRNO_MAP(X)                           \
    X(OK, "success")                                 \
    X(ENOMEM, "out of memory")                       \
    X(EINVAL, "invalid argument")                    \
    X(EIO, "input/output error")                     \
    X(ENOENT, "no such file or object")              \
    X(EPARSE, "malformed input")                     \
    X(ECORRUPT, "index file is corrupt")             \
    X(EVERSION, "unsupported format version")        \
    X(ETOOBIG, "size limit exceeded")                \
    X(EEXIST, "object already exists")               \
    X(EDB, "database error")                         \
    X(EPERM, "permission denied")                    \
    X(ESTATE, "operation not allowed in this state") \
    X(EABORT, "operation aborted")

/* GALEN_OK, GALEN_ENOMEM, ... in table order, then GALEN_ERR_COUNT. */
#define GALEN_ERR_ENUM(name, msg) GALEN_##name,

enum galen_err { GALEN_ERRNO_MAP(GALEN_ERR_ENUM) GALEN_ERR_COUNT };

#undef GALEN_ERR_ENUM

/* Returns a static message for code; unknown codes give "unknown error". */
GALEN_API const char *galen_strerror(int code);

/* Returns the symbolic name ("ENOMEM") of code; static storage. */
GALEN_API const char *galen_errname(int code);

#endif
