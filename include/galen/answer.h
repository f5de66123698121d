/* SPDX-License-Identifier: MIT */
/* galen/answer.h: the answer engine. A question in anyone's words becomes a
 * structured answer in which every sentence is quoted from a source
 * document and cited: red-flag notice, lead summary, sections by source
 * kind and facet, key points, references, similar questions, follow-ups
 * and a disclaimer. galen never writes a medical claim of its own, and it
 * abstains rather than pad an answer with weak matches. The same data,
 * question and options always give byte-identical output.
 *
 * Errors are enum galen_err codes (galen/error.h); galen_answerer_errmsg()
 * says more about the last failure. The layout and the JSON schema are in
 * docs/answer.md and docs/answer-schema.md. */
#ifndef GALEN_PUBLIC_ANSWER_H
#define GALEN_PUBLIC_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include <galen/common.h>

GALEN_BEGIN_DECLS

/* ---- the answerer: an opened data folder -------------------------------- */

struct galen_answerer;

struct galen_answerer_opts {
    const char *lexicon;  /* lay-term lexicon (data/lexicon.tsv); NULL: none */
    const char *redflags; /* red-flag rules (data/redflags.txt), and with
                             them the medicine warnings in companions.tsv
                             in the same folder (required); NULL: none */
    const char *dictionary; /* known words, one per line: never
                               "corrected" even when the corpus lacks them;
                               NULL: /usr/share/dict/words (Debian's
                               wamerican) when present */
};

/* Opens the index in <data_dir>/index and the optional lexicon and red-flag
 * files. Errors: GALEN_ENOENT (no index), GALEN_EPARSE (a bad lexicon or
 * rules file; the message names the line), GALEN_ECORRUPT, GALEN_EIO,
 * GALEN_ENOMEM. Caller closes with galen_answerer_close. The handle is
 * for one thread at a time. */
GALEN_API GALEN_NODISCARD int
galen_answerer_open(const char *data_dir,
                    const struct galen_answerer_opts *opts,
                    struct galen_answerer **out);

/* Closes a; NULL is a no-op. */
GALEN_API void galen_answerer_close(struct galen_answerer *a);

/* The message of the last failed call on a, or of the last failed open
 * when a is NULL (thread-local). Borrowed; "" if none. */
GALEN_API const char *galen_answerer_errmsg(const struct galen_answerer *a);

/* ---- asking -------------------------------------------------------------- */

enum galen_audience {
    GALEN_AUDIENCE_PATIENT,  /* plain sources first; what to do, when to see
                                a doctor; doses kept out of the lead */
    GALEN_AUDIENCE_CLINICIAN /* guidelines and research first, doses kept */
};

/* Source kinds, for galen_ask_opts.kinds (bit 1u << kind). */
enum galen_source_kind {
    GALEN_KIND_GUIDELINE,
    GALEN_KIND_RESEARCH,
    GALEN_KIND_CONSUMER,
    GALEN_KIND_QA,
    GALEN_KIND_ARTICLE,
    GALEN_KIND_FAQ,
    GALEN_KIND_COUNT
};

struct galen_ask_opts {
    enum galen_audience audience;
    const char *previous; /* the previous question, for follow-ups; or NULL */
    const char *min_evidence; /* weakest evidence level kept ("rct",
                                 "cohort", ...; docs/answer.md); NULL: all */
    unsigned kinds;   /* bit mask of enum galen_source_kind; 0: all kinds */
    bool long_answer; /* a body of up to 600 words instead of about 300 */
};

/* Defaults: patient audience, no previous question, no filters. */
GALEN_API void galen_ask_opts_init(struct galen_ask_opts *o);

/* Parses a kind name ("guideline", ...) into its bit; returns 0 if unknown. */
GALEN_API unsigned galen_source_kind_bit(const char *name);

/* Returns true if name is a known evidence level for min_evidence. */
GALEN_API bool galen_evidence_level_known(const char *name);

struct galen_answer;

/* Answers question (NUL-terminated UTF-8; invalid bytes are tolerated).
 * An abstention is a successful answer (galen_answer_abstained). Errors:
 * GALEN_EINVAL (bad options), GALEN_ECORRUPT, GALEN_ENOMEM. Caller frees
 * *out with galen_answer_free. */
GALEN_API GALEN_NODISCARD int galen_ask(struct galen_answerer *a,
                                        const char *question,
                                        const struct galen_ask_opts *o,
                                        struct galen_answer **out);

/* Frees ans; NULL is a no-op. */
GALEN_API void galen_answer_free(struct galen_answer *ans);

/* True if galen found nothing relevant enough and says so instead. */
GALEN_API bool galen_answer_abstained(const struct galen_answer *ans);

/* Number of distinct source documents the answer cites. */
GALEN_API size_t galen_answer_source_count(const struct galen_answer *ans);

/* Number of red-flag notices (they come first in every rendering). */
GALEN_API size_t galen_answer_redflag_count(const struct galen_answer *ans);

enum galen_render_format {
    GALEN_RENDER_TEXT, /* terminal text, wrapped */
    GALEN_RENDER_JSON, /* docs/answer-schema.md */
    GALEN_RENDER_HTML  /* an HTML fragment, escaped, for embedding */
};

enum galen_render_flags {
    GALEN_RENDER_COLOR = 1u << 0 /* ANSI colours (text only) */
};

/* Renders ans. width is the text wrap column (0: 80). *out is a NUL-
 * terminated string the caller frees with galen_free_string; *len (may be
 * NULL) gets its length. GALEN_OK or GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int
galen_answer_render(const struct galen_answer *ans,
                    enum galen_render_format fmt, unsigned flags,
                    unsigned width, char **out, size_t *len);

/* ---- similar answered questions ----------------------------------------- */

struct galen_similar;

/* One similar question: every pointer is borrowed from its list. */
struct galen_similar_item {
    const char *id;        /* document id */
    const char *question;  /* the answered question (the doc's title) */
    const char *snippet;   /* the start of its answer or reply */
    const char *specialty; /* the replying specialist's specialty, or "" */
    const char *kind;      /* "qa", "faq", ... */
    const char *asked;     /* date asked (patient Q&A), or "" */
    const char *age_band;  /* asker's age band (patient Q&A), or "" */
    const char *sex;       /* asker's sex (patient Q&A), or "" */
    double score;
};

/* Finds the k (1..100) most similar answered questions to question.
 * Errors as galen_ask. Caller frees *out with galen_similar_free. */
GALEN_API GALEN_NODISCARD int galen_similar_find(struct galen_answerer *a,
                                                 const char *question,
                                                 unsigned k,
                                                 struct galen_similar **out);

GALEN_API void galen_similar_free(struct galen_similar *s);
GALEN_API size_t galen_similar_count(const struct galen_similar *s);
GALEN_API const struct galen_similar_item *
galen_similar_get(const struct galen_similar *s, size_t i);

/* Renders the list as text or JSON (HTML: an escaped <ol> fragment). */
GALEN_API GALEN_NODISCARD int
galen_similar_render(const struct galen_similar *s,
                     enum galen_render_format fmt, unsigned flags, char **out,
                     size_t *len);

/* ---- ranking for evaluation ---------------------------------------------- */

/* Ranks the k (1..1000) best documents for question with the answer
 * engine's own scoring (question type, focus, lay terms and sentence
 * evidence over the retrieved candidates) instead of plain BM25F. Calls
 * fn once per document, best first, with its id (borrowed for the call)
 * and score. Used by `galen eval --answers`. Errors as galen_ask. */
GALEN_API GALEN_NODISCARD int
galen_answer_rank(struct galen_answerer *a, const char *question, unsigned k,
                  void (*fn)(void *ctx, const char *id, double score),
                  void *ctx);

GALEN_END_DECLS

#endif
