/* SPDX-License-Identifier: MIT */
/* engine.h: the web service's view of the answer engine and the search
 * index: open once per server, answer a question as an HTML fragment or
 * JSON, find similar answered questions, and search. Thread-safe: handlers
 * on every worker thread call it at once. When the data folder has no index
 * yet, the engine is not ready (engine_ready) and pages say so, until
 * engine_reload finds one. */
#ifndef GALEN_HTTPD_ENGINE_H
#define GALEN_HTTPD_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"

struct engine;
struct metrics;

enum engine_audience { ENGINE_PATIENT, ENGINE_CLINICIAN };

struct engine_conf {
    unsigned threads;        /* answerers to keep, one per worker thread */
    const char *lexicon;     /* lay-term lexicon file, or NULL */
    const char *redflags;    /* red-flag rules file, or NULL */
    const char *dictionary;  /* known words spelling leaves alone, or NULL */
    struct metrics *metrics; /* answers are counted here; may be NULL */
    char errmsg[256];        /* out: why engine_open failed */
};

/* Opens the index and answer engine in data_dir. With no index yet the
 * engine opens but is not ready. Other errors (a corrupt index, a bad
 * lexicon) are returned with conf->errmsg set. Caller closes with
 * engine_close, after the last request. */
GALEN_NODISCARD int engine_open(const char *data_dir, struct engine_conf *conf,
                                struct engine **out);
void engine_close(struct engine *e);

/* Opens a new snapshot when the index's MANIFEST has changed since the
 * current one was opened (a commit or a rebuild), or when force is set,
 * and swaps it in; requests in flight finish on the old one. *swapped says
 * whether it did. On failure the current snapshot stays and err says why.
 * GALEN_ENOENT when there is still no index. */
GALEN_NODISCARD int engine_reload(struct engine *e, bool force, bool *swapped,
                                  char *err, size_t cap);

/* True once a snapshot is loaded (false for NULL). */
bool engine_ready(struct engine *e);

/* True when the engine was given both a lexicon and red-flag rules. */
bool engine_has_safety_files(const struct engine *e);

/* The current snapshot's MANIFEST generation and live documents; false
 * (and zeros) when there is none. */
bool engine_stats(struct engine *e, uint64_t *generation, uint64_t *docs);

/* Answers q once and appends it as an HTML fragment (escaped, ready to
 * embed) to html and as JSON (docs/answer-schema.md) to json; either may
 * be NULL. GALEN_OK, GALEN_EINVAL for an empty question, GALEN_ENOENT when
 * e is NULL (no engine), GALEN_ENOMEM. */
GALEN_NODISCARD int engine_answer(struct engine *e, const char *q,
                                  enum engine_audience a, struct buf *html,
                                  struct buf *json);

/* One similar answered question or search hit; strings are borrowed for
 * the callback. */
struct engine_hit {
    const char *id;
    const char *title;
    const char *snippet;
    const char *kind;
    const char *specialty;
    const char *author; /* the replying specialist, "" if none */
    double score;
};

/* Calls cb for up to k answered questions similar to q, best first. */
GALEN_NODISCARD int
engine_similar(struct engine *e, const char *q, size_t k,
               int (*cb)(void *ctx, const struct engine_hit *h), void *ctx);

/* Calls cb for up to k search hits for q, best first. */
GALEN_NODISCARD int
engine_search(struct engine *e, const char *q, size_t k,
              int (*cb)(void *ctx, const struct engine_hit *h), void *ctx);

#endif
