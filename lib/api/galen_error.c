/* SPDX-License-Identifier: MIT */
/* galen_error.c: the public error messages (galen/error.h) and the one
 * function that frees strings handed out (galen/common.h). */
#include <galen/common.h>
#include <galen/error.h>

#include "base/error.h"
#include "base/mem.h"

const char *galen_strerror(int code)
{
    return error_str(code);
}

const char *galen_errname(int code)
{
    return error_name(code);
}

void galen_free_string(char *s)
{
    galen_free(s);
}
