/* SPDX-License-Identifier: MIT */
/* galen/search.h: full-text search over a galen data folder, for the CLI,
 * the HTTP server and embedders. The index lives in <data>/index; it is
 * built from a corpus (galen_index_build) and searched through an opened
 * snapshot (galen_index_open, galen_search). Handles are opaque.
 *
 * Errors are enum galen_err codes (galen/error.h). When a call here fails,
 * galen_index_errmsg() describes why, naming the file and line of a bad
 * corpus record or the byte position of a bad query. */
#ifndef GALEN_PUBLIC_SEARCH_H
#define GALEN_PUBLIC_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <galen/common.h>

GALEN_BEGIN_DECLS

enum {
    GALEN_FIELDS_MAX = 4, /* fields an index may have */
    GALEN_K_MAX = 10000   /* most hits one search returns */
};

/* The message of the last failed galen_index_* or galen_search call on
 * this thread ("" if none). Static thread-local storage: copy it before
 * the next call. */
GALEN_API const char *galen_index_errmsg(void);

/* For a failed query: the 0-based byte offset the error refers to, else
 * -1. Same lifetime as galen_index_errmsg. */
GALEN_API long galen_index_errpos(void);

/* BM25F parameters of one field, named as in the index ("title", "body").
 * A negative value leaves the index's setting unchanged. */
struct galen_field_param {
    const char *name;
    double weight;
    double b;
};

/* ---- building -------------------------------------------------------- */

/* Progress of a build: bytes of corpus read of total, documents so far.
 * Returning non-zero aborts the build with GALEN_EABORT. */
typedef int (*galen_build_progress_fn)(void *ctx, uint64_t done, uint64_t total,
                                       uint64_t docs);

struct galen_build_opts {
    const char *format; /* "beir": JSONL with _id, title, text */
    double k1;          /* BM25 k1 stored in a new index; < 0: default */
    struct galen_field_param field[GALEN_FIELDS_MAX];
    size_t nfield; /* entries of field in use */
    bool merge;    /* force-merge the index to one segment at the end */
    galen_build_progress_fn progress; /* may be NULL */
    void *progress_ctx;
};

struct galen_build_stats {
    uint64_t docs;        /* documents read and added */
    uint64_t text_bytes;  /* bytes of their field text */
    uint64_t terms;       /* distinct terms in the index afterwards */
    uint64_t index_bytes; /* postings, lexicon and lengths */
    uint64_t store_bytes; /* compressed stored text */
    double seconds;       /* wall time of the build */
};

/* Defaults: format "beir", index defaults for all parameters, no merge. */
GALEN_API void galen_build_opts_init(struct galen_build_opts *o);

/* Adds the documents of the corpus files paths[0..npaths) to the index in
 * <data_dir>/index, creating both folders if needed (BM25F parameters in o
 * apply only when the index is created). A document whose id is already
 * indexed replaces it. Everything is committed at the end, atomically; on
 * failure nothing becomes visible. *stats (may be NULL) is written on
 * success. Errors: GALEN_EPARSE (a bad record: the message names
 * file:line), GALEN_EIO, GALEN_EINVAL (bad options), GALEN_ESTATE (another
 * writer holds the index), GALEN_EABORT, GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int
galen_index_build(const char *data_dir, const char *const *paths, size_t npaths,
                  const struct galen_build_opts *o,
                  struct galen_build_stats *stats);

/* ---- searching ------------------------------------------------------- */

struct galen_index;

/* Opens a snapshot of the index in <data_dir>/index. Later commits are not
 * seen until it is reopened. One handle may serve many threads at once.
 * Errors: GALEN_ENOENT (no index), GALEN_ECORRUPT, GALEN_EVERSION,
 * GALEN_EIO, GALEN_ENOMEM. Caller closes with galen_index_close. */
GALEN_API GALEN_NODISCARD int galen_index_open(const char *data_dir,
                                               struct galen_index **out);

/* Closes gi; no search may be running on it. NULL is a no-op. */
GALEN_API void galen_index_close(struct galen_index *gi);

/* Checks the whole snapshot: every section checksum, every posting list,
 * position and stored block (opening checks only headers and tables).
 * progress may be NULL. GALEN_OK, GALEN_ECORRUPT (galen_index_errmsg names
 * the file and what is wrong) or GALEN_ENOMEM. */
typedef void (*galen_verify_progress_fn)(void *ctx, uint64_t done,
                                         uint64_t total);
GALEN_API GALEN_NODISCARD int
galen_index_verify(struct galen_index *gi, galen_verify_progress_fn progress,
                   void *ctx);

/* Live (not deleted) documents in the snapshot. */
GALEN_API uint64_t galen_index_doc_count(const struct galen_index *gi);

/* The MANIFEST generation the snapshot was opened at: every commit adds
 * one (a rebuilt index starts again from 1). */
GALEN_API uint64_t galen_index_generation(const struct galen_index *gi);

/* Reads the generation of the index in <data_dir>/index as committed now,
 * without opening it (cheap: one small file), so a server can tell when
 * to reopen. GALEN_OK, GALEN_ENOENT (no index), GALEN_ECORRUPT, GALEN_EIO
 * or GALEN_ENOMEM. */
GALEN_API int galen_index_peek_generation(const char *data_dir, uint64_t *gen);

/* The index's fields: names are borrowed from gi. */
GALEN_API unsigned galen_index_field_count(const struct galen_index *gi);
GALEN_API const char *galen_index_field_name(const struct galen_index *gi,
                                             unsigned f);

struct galen_search_opts {
    unsigned k; /* hits wanted, 1..GALEN_K_MAX; 0 means 10 */
    double k1;  /* BM25 k1; < 0: the index's */
    struct galen_field_param field[GALEN_FIELDS_MAX];
    size_t nfield;   /* entries of field in use */
    bool exhaustive; /* score every posting (slow; same results) */
    bool plain;      /* the query is free text: no quotes, +, - or field: */
    bool snippets;   /* build a snippet for each hit */
    bool ids_only;   /* skip the document store: title, snippet and meta
                        stay "" (for ranking runs and benchmarks) */
};

/* Defaults: k 10, the index's parameters, query syntax on, snippets on. */
GALEN_API void galen_search_opts_init(struct galen_search_opts *o);

/* A marked byte range [start, end) of a snippet. */
struct galen_span {
    uint32_t start;
    uint32_t end;
};

/* One hit. Every pointer is owned by the galen_hits it came from; strings
 * are NUL-terminated UTF-8. */
struct galen_hit {
    const char *id;                 /* external document id */
    double score;                   /* BM25F score; higher is better */
    const char *title;              /* whitespace-collapsed title, "" if none */
    const char *snippet;            /* best passage, "" without snippets */
    const struct galen_span *marks; /* query-term ranges in snippet */
    size_t nmarks;
    const char *meta; /* stored metadata blob (JSON), "" if none */
    size_t meta_len;
};

struct galen_hits;

/* Searches gi for query (NUL-terminated; syntax in docs/search.md) and
 * returns the hits best first in *out: higher score, then index order.
 * Errors: GALEN_EPARSE (bad query; see galen_index_errpos), GALEN_EINVAL
 * (bad options, such as an unknown field name), GALEN_ECORRUPT,
 * GALEN_ENOMEM. Caller frees *out with galen_hits_free. */
GALEN_API GALEN_NODISCARD int galen_search(struct galen_index *gi,
                                           const char *query,
                                           const struct galen_search_opts *o,
                                           struct galen_hits **out);

GALEN_API size_t galen_hits_count(const struct galen_hits *h);

/* Hit i (< galen_hits_count), borrowed from h. */
GALEN_API const struct galen_hit *galen_hits_get(const struct galen_hits *h,
                                                 size_t i);

/* Frees h and everything its hits point to. NULL is a no-op. */
GALEN_API void galen_hits_free(struct galen_hits *h);

enum galen_mark_style {
    GALEN_MARK_NONE,   /* the snippet as is */
    GALEN_MARK_QUOTES, /* «term» */
    GALEN_MARK_ANSI,   /* bold on a terminal */
    GALEN_MARK_HTML    /* <mark>term</mark>, the rest HTML-escaped */
};

/* Writes h's snippet with its marks rendered in style to out[0..cap), like
 * snprintf: NUL-terminated when cap > 0, and returns the length the whole
 * rendering needs (excluding the NUL). */
GALEN_API size_t galen_snippet_render(const struct galen_hit *h,
                                      enum galen_mark_style style, char *out,
                                      size_t cap);

GALEN_END_DECLS

#endif
