/* SPDX-License-Identifier: MIT */
/* merge.h: merges segments into one, dropping deleted documents. Postings
 * are merged term by term from the inputs' cursors (no re-analysis); doc
 * ids are renumbered in input order, so every list stays ascending. */
#ifndef GALEN_MERGE_H
#define GALEN_MERGE_H

#include <stdint.h>

#include "base/common.h"
#include "postings.h"
#include "segment.h"

/* Writes a segment file at path holding the live docs of in[0..n), in that
 * order, with their postings, positions and stored fields. *ndocs gets the
 * number of docs written and *size the file size; when no doc is live no
 * file is left behind and *ndocs is 0. Returns GALEN_OK, GALEN_ENOMEM,
 * GALEN_EIO or GALEN_ECORRUPT (an input does not decode). */
GALEN_NODISCARD int merge_segments(struct segment *const *in, uint32_t n,
                                   const char *path, enum postings_codec codec,
                                   uint32_t *ndocs, uint64_t *size);

#endif
