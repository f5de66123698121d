/* SPDX-License-Identifier: MIT */
/* galen/error.h: the one table of libgalen error codes and their messages.
 *
 * The error model of the whole API:
 * - every fallible function returns one of these codes (GALEN_OK is 0) and
 *   is GALEN_NODISCARD;
 * - a function that fails leaves its *out NULL;
 * - the details are a message: per handle for a handle one thread uses
 *   (galen_store_errmsg(st), galen_service_errmsg(svc),
 *   galen_answerer_errmsg(a)), and per thread where there is no such handle
 *   yet or it is shared between threads: a failed open (the same functions
 *   with NULL), the index (galen_index_errmsg(), its handle serves many
 *   threads) and the evaluation parsers (galen_eval_errmsg()).
 * An import also reports each bad file or record as it goes (on_error in
 * galen_import_opts): those are findings, not the call's error. */
#ifndef GALEN_ERROR_H
#define GALEN_ERROR_H

#include <galen/common.h>

GALEN_BEGIN_DECLS

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

GALEN_END_DECLS

#endif
