/* SPDX-License-Identifier: MIT */
/* segment.h: one immutable segment file: building it (segment_builder)
 * and reading it (struct segment, an mmap validated on open). The public
 * accessors (segment_doc_count, segment_lookup, ...) are in index.h; this
 * header adds what the writer, the merger and the cursor need.
 * Format: top of segment.c and docs/format.md. */
#ifndef GALEN_SEGMENT_H
#define GALEN_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/common.h"
#include "index.h"
#include "postings.h"
#include "stored.h"

enum {
    SEGMENT_VERSION = 1,
    SEGMENT_ID_MAX = 255,   /* bytes in an external id */
    SEGMENT_TERM_MAX = 255, /* bytes in a term */
    SEGMENT_ERR_MAX = 512   /* room for an error message */
};

/* A mapped segment. Everything is read-only except the deletion bitmap,
 * which the writer owns on its private copy. */
struct segment {
    char *path;               /* owned, for messages */
    const unsigned char *map; /* whole file, PROT_READ */
    size_t map_len;
    bool is_mapped; /* map is ours to munmap */
    unsigned nfields;
    uint8_t codec; /* POSTINGS_CODEC_* */
    uint32_t ndocs;
    uint32_t nterms;
    uint64_t field_total[INDEX_MAX_FIELDS]; /* sum of field lengths */
    const unsigned char *postings;          /* POSTINGS section */
    uint64_t postings_len;
    const unsigned char *term_off; /* u32[nterms + 1] */
    const unsigned char *term_bytes;
    const unsigned char *lex_off; /* u64[nterms + 1] into postings */
    const unsigned char *lex_df;  /* u32[nterms] */
    const unsigned char *id_off;  /* u32[ndocs + 1] */
    const unsigned char *id_bytes;
    const unsigned char *id_sorted; /* u32[ndocs], ids in byte order */
    const unsigned char *lens;      /* u32[nfields][ndocs] */
    struct docstore store;
    uint64_t store_bytes;   /* STORE + STORETAB bytes */
    unsigned char *deleted; /* owned bitmap, ndocs bits */
    uint32_t ndeleted;
};

/* Maps and validates the segment file at path: magic, version, section
 * bounds, counts, and the CRC32 of the header and of every section except
 * the two bulk ones (postings, store), which index_verify checks. With
 * expect_size non-zero the file must have exactly that size. Returns
 * GALEN_OK, GALEN_ENOENT, GALEN_EIO, GALEN_ENOMEM, GALEN_ECORRUPT or
 * GALEN_EVERSION with a message naming the file in err. Caller closes. */
GALEN_NODISCARD int segment_open(const char *path, uint64_t expect_size,
                                 struct segment **out, char *err,
                                 size_t errcap);
void segment_close(struct segment *s);

/* Like segment_open but over a caller-owned buffer (no mmap); data must
 * outlive s. For the fuzzer and tests. */
GALEN_NODISCARD int segment_open_mem(const unsigned char *data, size_t len,
                                     struct segment **out, char *err,
                                     size_t errcap);

/* Finds the doc whose external id is id (deleted or not). GALEN_ENOENT if
 * none. */
GALEN_NODISCARD int segment_find_id(const struct segment *s, struct str id,
                                    uint32_t *doc);

/* Fills out for term i (< segment_term_count). GALEN_OK or
 * GALEN_ECORRUPT if the term's postings head does not decode. */
GALEN_NODISCARD int segment_term_info(const struct segment *s, uint32_t i,
                                      struct term_info *out);

/* Marks doc deleted; returns true if it was live. */
bool segment_mark_deleted(struct segment *s, uint32_t doc);

/* Checks every section's CRC32 and decodes every posting list and store
 * block. GALEN_OK or GALEN_ECORRUPT (message in err). */
GALEN_NODISCARD int segment_verify(const struct segment *s, char *err,
                                   size_t errcap);

/* For fuzzing and tests: rewrites the CRC32s in a segment image (sections
 * whose bounds are valid, then the header) so that a mutated file gets past
 * the checksums to the structural checks and the decoders. */
void segment_fix_checksums(unsigned char *data, size_t len);

/* ---- deletion files ----------------------------------------------------- */

/* Replaces s's bitmap with the one in the deletion file at path.
 * GALEN_OK, GALEN_EIO, GALEN_ENOENT, GALEN_ECORRUPT, GALEN_EVERSION. */
GALEN_NODISCARD int segment_load_deletes(struct segment *s, const char *path,
                                         char *err, size_t errcap);

/* Serialises s's bitmap as a deletion file into out (a fresh buffer). */
GALEN_NODISCARD int segment_encode_deletes(const struct segment *s,
                                           struct buf *out);

/* ---- building ----------------------------------------------------------- */

struct segment_builder;

/* Creates the file at path (which must not exist) for a segment with
 * nfields fields. Add every document first, then every term in ascending
 * byte order, then finish. Caller frees with segment_builder_free, which
 * removes the file unless segment_builder_finish succeeded. */
GALEN_NODISCARD int segment_builder_new(const char *path, unsigned nfields,
                                        enum postings_codec codec,
                                        struct segment_builder **out);

/* Appends the next document: its external id (1..SEGMENT_ID_MAX bytes),
 * field lengths in tokens, stored field texts and meta blob (borrowed). */
GALEN_NODISCARD int segment_builder_add_doc(struct segment_builder *b,
                                            struct str id,
                                            const uint32_t *field_len,
                                            const struct str *field,
                                            struct str meta);

/* Docs added so far, and the field length and external id (borrowed until
 * the next add) of one of them. */
uint32_t segment_builder_doc_count(const struct segment_builder *b);
struct str segment_builder_doc_id(const struct segment_builder *b,
                                  uint32_t doc);
uint32_t segment_builder_field_len(const struct segment_builder *b,
                                   uint32_t doc, unsigned field);

/* Appends a term (greater than the previous one) with its postings bytes
 * (from postings_writer_finish) and df. */
GALEN_NODISCARD int segment_builder_add_term(struct segment_builder *b,
                                             struct str term,
                                             const unsigned char *postings,
                                             size_t len, uint32_t df);

/* Writes the tables and header and fsyncs the file. *size gets the file's
 * size. GALEN_OK or GALEN_EIO / GALEN_ENOMEM / GALEN_ETOOBIG. */
GALEN_NODISCARD int segment_builder_finish(struct segment_builder *b,
                                           uint64_t *size);
void segment_builder_free(struct segment_builder *b);

/* Approximate bytes of memory the builder holds (ids, lengths, lexicon). */
size_t segment_builder_mem(const struct segment_builder *b);

#endif
