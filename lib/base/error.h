/* SPDX-License-Identifier: MIT */
/* error.h: the library's own names for the messages and names of enum
 * galen_err (galen_strerror and galen_errname forward to them). */
#ifndef GALEN_BASE_ERROR_H
#define GALEN_BASE_ERROR_H

#include <galen/error.h>

/* Static message of code; "unknown error" for an unknown one. */
const char *error_str(int code);

/* Static symbolic name ("ENOMEM") of code; "EUNKNOWN" for an unknown one. */
const char *error_name(int code);

#endif
