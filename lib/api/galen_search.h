/* SPDX-License-Identifier: MIT */
/* galen_search.h: what galen_search.c shares with galen_build.c: the
 * thread-local error message and field-parameter helpers. Internal. */
#ifndef GALEN_SEARCH_INTERNAL_H
#define GALEN_SEARCH_INTERNAL_H

#include <galen/search.h>

#include "base/common.h"
#include "index/index.h"

/* Sets the message galen_index_errmsg returns (and the position
 * galen_index_errpos returns, -1 for none); returns rc. */
int galen_set_error(int rc, long pos, const char *fmt, ...) GALEN_PRINTF(3, 4);

/* Index of the field called name in conf, or -1. */
int galen_field_index(const struct index_conf *conf, const char *name);

/* Applies n named parameters to weight[] and b[] (indexed by field).
 * GALEN_EINVAL, with the message set, for an unknown field or a b > 1. */
GALEN_NODISCARD int galen_apply_field_params(const struct index_conf *conf,
                                             const struct galen_field_param *fp,
                                             size_t n, double *weight,
                                             double *b);

#endif
