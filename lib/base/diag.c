/* SPDX-License-Identifier: MIT */
/* diag.c: the one diagnostics type (diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

int diag_set(struct diag *d, long line, const char *msg, int rc)
{
    if (d) {
        d->line = line;
        snprintf(d->msg, sizeof d->msg, "%s", msg);
    }
    return rc;
}

int diag_setf(struct diag *d, int code, long line, const char *fmt, ...)
{
    va_list ap;

    if (!d)
        return code;
    d->line = line;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    return code;
}
