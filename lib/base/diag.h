/* SPDX-License-Identifier: MIT */
/* diag.h: the one diagnostics type. A parser that fails says where and why
 * in a struct diag: the importers, the red-flag rules and the lexicon all
 * fill this one, so a caller reports "file:line: message" the same way for
 * each. */
#ifndef GALEN_DIAG_H
#define GALEN_DIAG_H

#include "common.h"

struct diag {
    char msg[200];
    long line; /* 1-based; 0 when not about a line */
};

/* Records line and the message msg in d (if not NULL) and returns rc. */
int diag_set(struct diag *d, long line, const char *msg, int rc);

/* Records line and a formatted message in d (if not NULL) and returns
 * code. */
int diag_setf(struct diag *d, int code, long line, const char *fmt, ...)
    GALEN_PRINTF(4, 5);

#endif
