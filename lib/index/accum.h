/* SPDX-License-Identifier: MIT */
/* accum.h: the writer's in-memory postings accumulator. Documents are
 * analysed as they are added; each term gets a growable buffer of its
 * postings (doc, per-field tf, positions) and the document itself goes
 * straight to a segment_builder (ids, lengths, compressed stored text).
 * accum_flush then writes every term's postings, in term order, into the
 * same builder. Memory is accounted so the writer can flush on a budget. */
#ifndef GALEN_ACCUM_H
#define GALEN_ACCUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "index.h"
#include "postings.h"
#include "segment.h"
#include "text/analyzer.h"

struct accum;

/* Creates an empty accumulator for documents of nfields fields analysed
 * with opts[0..nfields). GALEN_OK or GALEN_ENOMEM; caller frees. */
GALEN_NODISCARD int accum_new(unsigned nfields,
                              const struct analyzer_opts *opts,
                              struct accum **out);
void accum_free(struct accum *a);

/* Analyses d with an and adds it as the next document of b. Returns
 * GALEN_OK, GALEN_ENOMEM, GALEN_EINVAL (bad id), GALEN_ETOOBIG (the doc
 * is too large; nothing was added) or GALEN_EIO. After GALEN_ENOMEM or
 * GALEN_EIO the accumulator and b must be discarded. */
GALEN_NODISCARD int accum_add(struct accum *a, struct analyzer *an,
                              struct segment_builder *b,
                              const struct index_doc *d);

/* Finds the newest buffered document with external id (in b). */
GALEN_NODISCARD int accum_find_id(const struct accum *a,
                                  const struct segment_builder *b,
                                  struct str id, uint32_t *doc);

/* Buffered deletions, applied to the segment once it is written. */
void accum_mark_deleted(struct accum *a, uint32_t doc);
bool accum_is_deleted(const struct accum *a, uint32_t doc);

/* Writes every term's postings into b in ascending term order, using
 * codec. Call accum_reset afterwards (after reading the deletions). */
GALEN_NODISCARD int accum_flush(struct accum *a, struct segment_builder *b,
                                enum postings_codec codec);

/* Drops everything buffered. */
void accum_reset(struct accum *a);

/* Bytes of memory held for buffered postings and terms. */
size_t accum_mem(const struct accum *a);

#endif
