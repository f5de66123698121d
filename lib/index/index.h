/* SPDX-License-Identifier: MIT */
/* index.h: galen's segmented inverted index. A writer buffers documents in
 * memory and flushes them as immutable segment files; a MANIFEST names the
 * live segments and their tombstone files and is replaced atomically (temp
 * file, fsync, rename). A reader is a snapshot: it mmaps the segments the
 * manifest named when it was opened and never sees later commits.
 * The byte formats are specified in segment.c / manifest.c and docs/format.md.
 *
 * Doc ids inside a segment ("local ids") run 0..n-1 in insertion order. A
 * document's identity across the index is its external id string. */
#ifndef GALEN_INDEX_H
#define GALEN_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/str.h"

enum { INDEX_MAX_FIELDS = 4, INDEX_FIELD_NAME_MAX = 16 };

struct index_field_conf {
    char name[INDEX_FIELD_NAME_MAX]; /* "title", "body", ... */
    float weight;                    /* BM25F field weight */
    float b;                         /* BM25F length normalisation, 0..1 */
    bool stem;                       /* analyzer options for this field */
    bool stop;
};

/* Index-wide settings, fixed when the index is created and stored in it. */
struct index_conf {
    unsigned nfields;
    struct index_field_conf field[INDEX_MAX_FIELDS];
    float k1; /* default BM25 k1; queries may override */
};

/* title (weight 2, b 0.75) and body (weight 1, b 0.75), k1 1.2, both
 * stemmed with stop words removed. */
void index_conf_default(struct index_conf *c);

/* A document to index. All memory is borrowed for the duration of the call. */
struct index_doc {
    struct str id;                      /* external id, unique, 1..255 bytes */
    struct str field[INDEX_MAX_FIELDS]; /* text of each configured field */
    struct str meta; /* opaque stored blob (galen stores JSON metadata) */
};

/* ---- writing ----------------------------------------------------------- */

struct index_writer;

/* Opens or creates the index in dir (created if missing). conf is used only
 * when creating; NULL means index_conf_default. Only one writer may be open
 * on a dir at a time (enforced with a lock file): GALEN_ESTATE otherwise.
 * Caller closes with index_writer_close. */
GALEN_NODISCARD int index_writer_open(const char *dir,
                                      const struct index_conf *conf,
                                      struct index_writer **out);

/* Adds d. If a live document with the same id exists it is replaced
 * (tombstoned) at commit. GALEN_EINVAL for a bad id, GALEN_ETOOBIG for a
 * document over INDEX_DOC_MAX bytes (both leave the writer usable). After
 * any other error the writer refuses further work: close it. */
enum { INDEX_DOC_MAX = 256 * 1024 * 1024 };

GALEN_NODISCARD int index_writer_add(struct index_writer *w,
                                     const struct index_doc *d);

/* Deletes the document with external id (a no-op if absent). */
GALEN_NODISCARD int index_writer_delete(struct index_writer *w, struct str id);

/* Flushes buffered documents to new segments, writes tombstones and a new
 * MANIFEST atomically. Nothing is visible to new readers before this. */
GALEN_NODISCARD int index_writer_commit(struct index_writer *w);

/* Merges live segments until at most max_segments remain, dropping
 * tombstoned documents, then commits. */
GALEN_NODISCARD int index_writer_merge(struct index_writer *w,
                                       unsigned max_segments);

/* Sets the memory budget of the in-memory buffer: when the buffered
 * documents' postings, lexicon and tables reach it, they are flushed to a
 * new (uncommitted) segment. Default INDEX_MEM_BUDGET; minimum 64 KB. */
enum { INDEX_MEM_BUDGET = 256 * 1024 * 1024 };

void index_writer_set_mem_budget(struct index_writer *w, size_t bytes);

/* For benchmarks and tests: the postings codec of segments written from
 * now on (POSTINGS_CODEC_VARINT or _PACKED in postings.h). GALEN_EINVAL
 * for an unknown codec. */
GALEN_NODISCARD int index_writer_set_codec(struct index_writer *w, int codec);

/* Message for the writer's last failed call (names the file and what is
 * wrong), or "" if none. Borrowed; valid until the next call on w. */
const char *index_writer_errmsg(const struct index_writer *w);

/* Discards anything uncommitted and frees w. NULL is a no-op. */
void index_writer_close(struct index_writer *w);

/* Counters for the summary line of `galen index`. */
struct index_write_stats {
    uint64_t docs;        /* documents added since open */
    uint64_t text_bytes;  /* bytes of field text added */
    uint64_t terms;       /* distinct terms in the committed index */
    uint64_t index_bytes; /* bytes of postings+lexicon+lengths (no doc store) */
    uint64_t store_bytes; /* bytes of the compressed document store */
};

void index_writer_stats(const struct index_writer *w,
                        struct index_write_stats *st);

/* ---- reading ----------------------------------------------------------- */

struct index;   /* a snapshot of all live segments */
struct segment; /* one mmapped segment; borrowed from its index */

/* Opens a snapshot of the index in dir. GALEN_ENOENT if there is none,
 * GALEN_ECORRUPT / GALEN_EVERSION for bad files (errmsg says which file and
 * why). Caller closes with index_close. */
GALEN_NODISCARD int index_open(const char *dir, struct index **out);
void index_close(struct index *idx);

/* Last error message for idx, or for the failed index_open when idx is
 * NULL (thread-local). Borrowed. */
const char *index_errmsg(const struct index *idx);

const struct index_conf *index_get_conf(const struct index *idx);
uint32_t index_segment_count(const struct index *idx);
const struct segment *index_segment(const struct index *idx, uint32_t i);

/* Collection statistics over all segments, tombstoned documents included
 * (as Lucene does), so scores do not depend on merge timing. */
uint64_t index_doc_count(const struct index *idx);      /* all docs */
uint64_t index_live_doc_count(const struct index *idx); /* minus deleted */
double index_avg_field_len(const struct index *idx, unsigned field);
uint64_t index_df(const struct index *idx, struct str term); /* summed */

/* The MANIFEST generation this snapshot was opened at. */
uint64_t index_generation(const struct index *idx);

/* Progress of a long operation: done out of total units. */
typedef void (*index_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* Checks everything: the CRC32 of every section of every segment, and
 * decodes every posting list, position and stored block (for
 * `galen index --verify`; open checks only headers and tables). progress
 * may be NULL. GALEN_OK, GALEN_ECORRUPT (index_errmsg says where) or
 * GALEN_ENOMEM. */
GALEN_NODISCARD int index_verify(struct index *idx, index_progress_fn progress,
                                 void *ctx);

/* Finds the live document with external id; GALEN_ENOENT if none. */
GALEN_NODISCARD int index_find(const struct index *idx, struct str id,
                               uint32_t *seg, uint32_t *doc);

/* ---- one segment ------------------------------------------------------- */

uint32_t segment_doc_count(const struct segment *s);
bool segment_is_deleted(const struct segment *s, uint32_t doc);
uint32_t segment_field_len(const struct segment *s, uint32_t doc,
                           unsigned field); /* in tokens */

/* External id of doc, borrowed from the mmap. */
struct str segment_doc_id(const struct segment *s, uint32_t doc);

/* The segment's vocabulary, sorted bytewise: term i for i < term_count. */
uint32_t segment_term_count(const struct segment *s);
struct str segment_term_at(const struct segment *s, uint32_t i);

/* An impact: a (tf, field length) pair. A set of impacts bounds a group of
 * postings when every posting's (tf, len) in that field is dominated by
 * some stored pair (tf >= and len <=). Bounds hold for any k1, b, weights
 * and average lengths, which is why they are stored instead of scores. */
struct impact {
    uint32_t tf;
    uint32_t len;
};

enum { IMPACT_MAX = 8 }; /* per field, per block */

struct impacts {
    uint8_t n[INDEX_MAX_FIELDS];
    struct impact v[INDEX_MAX_FIELDS][IMPACT_MAX];
};

/* Where a term's postings live in one segment. */
struct term_info {
    uint32_t df;             /* docs in this segment containing the term */
    uint64_t offset;         /* internal: postings location */
    uint64_t nbytes;         /* internal */
    struct impacts list_max; /* impacts bounding the whole list */
};

/* Looks term up. GALEN_OK, or GALEN_ENOENT if absent. */
GALEN_NODISCARD int segment_lookup(const struct segment *s, struct str term,
                                   struct term_info *out);

/* ---- postings cursor (PISA style: never moves backwards) --------------- */

#define POSTINGS_END UINT32_MAX

enum { POSTINGS_BLOCK = 128 };

struct postings_cursor {
    uint32_t doc; /* current local doc id; POSTINGS_END when exhausted */
    int err;      /* GALEN_ECORRUPT once a block failed to decode */
    /* Internal decoding state below (postings.c). The term's bytes are
     * split into areas; every pointer stays inside the segment's mmap. */
    const struct segment *seg;
    const unsigned char *skip;      /* nblocks skip entries */
    const unsigned char *imps;      /* per-block impacts area */
    const unsigned char *blocks;    /* block data area */
    const unsigned char *pos;       /* positions area */
    const unsigned char *end;       /* end of the term's bytes */
    const unsigned char *block_pos; /* current block's positions */
    const unsigned char *pos_p;     /* positions of docs[pos_i] */
    uint32_t df, nblocks, ndocs;    /* list length, blocks, segment docs */
    uint32_t block;                 /* block holding doc */
    uint32_t in_block, block_n;     /* index of doc in docs[], count */
    uint32_t block_last;            /* last doc id of block */
    uint32_t sblock;                /* shallow (block-max) pointer */
    uint32_t imp_block;             /* block whose impacts are in imp */
    uint32_t pos_i;                 /* doc index pos_p belongs to */
    uint8_t codec;                  /* POSTINGS_CODEC_* */
    uint8_t nfields;
    struct impacts imp; /* decoded impacts of imp_block */
    uint32_t docs[POSTINGS_BLOCK];
    uint32_t tf[INDEX_MAX_FIELDS][POSTINGS_BLOCK];
};

/* Positions the cursor on the term's first posting. */
void postings_cursor_init(struct postings_cursor *c, const struct segment *s,
                          const struct term_info *ti);

/* Slow paths of the inline functions below (postings.c). */
void postings_next_block(struct postings_cursor *c);
void postings_seek_block(struct postings_cursor *c, uint32_t target);

/* Advances to the next posting. Inline: this is the innermost loop. */
static inline void postings_next(struct postings_cursor *c)
{
    if (GALEN_LIKELY(c->in_block + 1 < c->block_n)) {
        c->in_block++;
        c->doc = c->docs[c->in_block];
        return;
    }
    postings_next_block(c);
}

/* Advances to the first posting with doc >= target (no-op if already
 * there). Skips whole blocks without decoding them. */
static inline void postings_next_geq(struct postings_cursor *c, uint32_t target)
{
    uint32_t i;

    if (target <= c->doc)
        return;
    if (GALEN_UNLIKELY(target > c->block_last)) {
        postings_seek_block(c, target);
        return;
    }
    /* The block's last doc is >= target, so this stops inside it. */
    i = c->in_block;
    while (c->docs[i] < target)
        i++;
    c->in_block = i;
    c->doc = c->docs[i];
}

/* Term frequency of the current doc in field f (0 past the end). */
static inline uint32_t postings_tf(const struct postings_cursor *c, unsigned f)
{
    if (f >= c->nfields || c->in_block >= c->block_n)
        return 0;
    return c->tf[f][c->in_block];
}

/* Block-max support. The cursor has a second pointer, to a block, which
 * only moves forward and starts at block 0. postings_shallow_geq moves it
 * to the first block whose last doc is >= target, never before the block
 * of the current doc, decoding no block (only that block's impacts).
 * postings_block_last and postings_block_impacts describe the block it
 * points at: its last doc (POSTINGS_END past the end of the list, where
 * the impacts are empty) and impacts that bound every posting in it. */
void postings_shallow_geq(struct postings_cursor *c, uint32_t target);
uint32_t postings_block_last(const struct postings_cursor *c);
const struct impacts *postings_block_impacts(const struct postings_cursor *c);

/* Positions of the current doc's term in field f, ascending, written to
 * pos[0..cap); returns how many there are (may exceed cap). 0 if the index
 * has no positions for it or on corruption (then c->err is set). */
uint32_t postings_positions(struct postings_cursor *c, unsigned f,
                            uint32_t *pos, uint32_t cap);

/* ---- document store ---------------------------------------------------- */

/* Loads doc's stored fields and meta blob. The slices point into scratch,
 * which the caller owns (buf_init/buf_cleanup) and may reuse between calls.
 * GALEN_ECORRUPT if the store block does not decompress. */
GALEN_NODISCARD int segment_doc_load(const struct segment *s, uint32_t doc,
                                     struct buf *scratch,
                                     struct str field[INDEX_MAX_FIELDS],
                                     struct str *meta);

#endif
