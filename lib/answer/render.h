/* SPDX-License-Identifier: MIT */
/* render.h: answers and similar-question lists as terminal text, JSON
 * (docs/answer-schema.md) and HTML fragments. Renderers only arrange what
 * the composer chose: they add headings, citation numbers, notes and the
 * disclaimer, never a claim. Output depends only on the answer, so equal
 * answers render to equal bytes. Every renderer appends to a buf with the
 * sticky error code and returns GALEN_OK or the buf's error. */
#ifndef GALEN_RENDER_H
#define GALEN_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include "answer.h"
#include "base/buf.h"
#include "base/common.h"
#include "base/escape.h"
#include "base/json.h"

/* Whole-answer renderers. */
GALEN_NODISCARD int render_text(const struct galen_answer *ans, bool color,
                                unsigned width, struct buf *out);
GALEN_NODISCARD int render_json(const struct galen_answer *ans,
                                struct buf *out);
GALEN_NODISCARD int render_html(const struct galen_answer *ans,
                                struct buf *out);

/* Similar-question lists. */
GALEN_NODISCARD int render_similar_text(const struct answer_similar *v,
                                        size_t n, bool color, struct buf *out);
GALEN_NODISCARD int render_similar_json(const struct answer_similar *v,
                                        size_t n, struct buf *out);
GALEN_NODISCARD int render_similar_html(const struct answer_similar *v,
                                        size_t n, struct buf *out);

/* ---- shared by the renderers ------------------------------------------- */

/* Block titles ("From the Guidelines") and JSON names ("guidelines"). */
const char *render_block_title(enum answer_block_kind b);
const char *render_block_name(enum answer_block_kind b);

/* The reference-list group of a source kind: "Guideline", "Research",
 * "Consumer" (consumer, article, faq) or "Q&A". */
const char *render_ref_group(enum doc_kind k);

/* The note on a dose sentence for patients. */
#define RENDER_DOSE_NOTE "discuss with your clinician"

/* The disclaimer for an audience: galen's own words about what the answer
 * is, never a medical claim. */
const char *render_disclaimer(enum galen_audience a);

/* Where a citation goes in a sentence: before its final '.', '!' or '?'
 * ("... cramps [2]."), else at the end. Returns a length into text. */
size_t render_cite_at(const char *text);

#endif
