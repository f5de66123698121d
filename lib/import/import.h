/* SPDX-License-Identifier: MIT */
/* import.h: what the format parsers (import_medquad, import_pubmed,
 * import_beir, import_article) share with the driver in import.c. A parser
 * streams its input and hands each document to a sink; it never touches
 * the store, so the fuzzers and unit tests can run parsers alone. */
#ifndef GALEN_IMPORT_H
#define GALEN_IMPORT_H

#include <stdint.h>

#include <galen/store.h>

#include "base/common.h"
#include "base/diag.h"
#include "content/doc.h"

/* Parsers fill a struct diag (base/diag.h: the 1-based input line, 0 when
 * unknown, and a message) whenever they return an error. */

/* Receives a parser's output. doc is borrowed for the call (the sink may
 * modify it; the parser resets it afterwards). doc and bad_record return
 * GALEN_OK to go on; any other code stops the parser, which returns it.
 * bad_record reports one record that could not be used while the rest of
 * the input can (a malformed JSONL line, a PubMed article without a PMID);
 * skip reports a record deliberately left out. progress tells how many
 * input bytes were consumed (compressed bytes for gzip). Any of the
 * callbacks except doc may be NULL. */
struct import_sink {
    int (*doc)(void *ctx, struct doc *d, long line);
    int (*bad_record)(void *ctx, long line, const char *msg);
    void (*skip)(void *ctx, long line, const char *why);
    void (*progress)(void *ctx, uint64_t bytes);
    void *ctx;
};

/* Helpers for parsers: call the sink's optional callbacks if present. */
int import_sink_bad(const struct import_sink *s, long line, const char *msg);
void import_sink_skip(const struct import_sink *s, long line, const char *why);

/* lib/api defines the galen_* function of each of these (its public
 * header documents it) as a call to this one. */
GALEN_NODISCARD int import_format_parse(const char *name,
                                        enum galen_import_format *out);
GALEN_NODISCARD int import_paths(struct galen_store *st,
                                 enum galen_import_format fmt,
                                 const char *const *paths, size_t npaths,
                                 const struct galen_import_opts *opts,
                                 struct galen_import_stats *stats);

#endif
