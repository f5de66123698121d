/* SPDX-License-Identifier: MIT */
/* answer.h: the composed answer (struct galen_answer) and the composer that
 * builds it from an analysed question and retrieved documents. Composition
 * is extractive: every sentence in an answer is a byte span of a source
 * document's section, kept with its provenance; galen adds only headings,
 * citations, notices and the disclaimer. The composer is deterministic: it
 * depends only on its inputs, and every ordering breaks ties on stable keys
 * (score, then document rank, then byte offset). */
#ifndef GALEN_ANSWER_H
#define GALEN_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include <galen/answer.h>

#include "base/common.h"
#include "content/doc.h"
#include "qanalyze.h"
#include "qtype.h"

struct analyzer;
struct redflag_rule;

enum {
    ANSWER_DOCS_MAX = 12,       /* candidate documents composed from */
    ANSWER_LEAD_MAX = 3,        /* sentences in the lead summary */
    ANSWER_BLOCK_MAX = 12,      /* sentences per block, preferred kind */
    ANSWER_OTHER_MAX = 6,       /* sentences per block, other kinds */
    ANSWER_PER_DOC_MAX = 5,     /* sentences quoted from one document */
    ANSWER_KEYPOINTS_MAX = 6,   /* key points */
    ANSWER_FOLLOWUPS_MAX = 4,   /* follow-up questions */
    ANSWER_SIMILAR_MAX = 4,     /* similar questions shown in an answer */
    ANSWER_REDFLAGS_MAX = 4,    /* red-flag notices */
    ANSWER_DOC_TEXT_MAX = 24000 /* bytes of a document scanned for sentences */
};

/* The blocks of an answer, by source kind. */
enum answer_block_kind {
    ANSWER_BLOCK_GUIDELINES, /* "From the Guidelines" */
    ANSWER_BLOCK_RESEARCH,   /* "From the Research" */
    ANSWER_BLOCK_PATIENTS,   /* "For Patients": consumer, Q&A, FAQ, articles */
    ANSWER_BLOCK_COUNT
};

/* One quoted sentence. */
struct answer_sentence {
    char *text;        /* the sentence, its own inline "[n]" markers removed */
    size_t source;     /* index into galen_answer.sources */
    size_t section;    /* section index in the source document */
    size_t start, end; /* byte span in that section's text */
    enum qtype facet;  /* the facet it answers */
    double score;      /* composer score, 0..1 */
    bool is_dose;      /* states a dose: "discuss with your clinician" */
    int refs[4];       /* the document's own references it cites (1-based) */
    size_t nrefs;
};

/* One cited document: one entry of the reference list. */
struct answer_source {
    struct doc *doc; /* owned */
    unsigned number; /* the [n] that cites it, from 1 */
    size_t rank;     /* its retrieval rank, from 0 */
    double score;    /* its retrieval score */
    bool cited;      /* some quoted sentence cites it */
};

struct answer_redflag {
    char *id, *message, *source, *urgency; /* owned */
    char *action, *action_source;          /* owned */
};

struct answer_similar {
    char *id, *question, *snippet, *specialty, *kind, *asked, *age_band, *sex;
    double score;
};

struct galen_answer {
    char *question; /* as asked (maybe truncated) */
    char *did_you_mean;
    char *focus;
    enum focus_kind focus_kind;
    bool focus_inherited;
    enum qtype qtype;
    unsigned facets; /* facet mask of the question */
    enum galen_audience audience;
    bool abstained;
    char *abstain_reason; /* plain words: why galen abstained */
    char *suggestion;     /* a rephrasing to try */
    struct answer_redflag *redflags;
    size_t nredflags;
    char **notes; /* safety notes galen adds (safety.c), after red flags */
    size_t nnotes;
    struct answer_sentence *sentences; /* every quoted sentence */
    size_t nsentences;
    size_t *lead; /* indexes into sentences */
    size_t nlead;
    size_t *block[ANSWER_BLOCK_COUNT]; /* indexes, grouped by facet order */
    size_t nblock[ANSWER_BLOCK_COUNT];
    size_t *keypoints;
    size_t nkeypoints;
    struct answer_source *sources; /* cited documents, in citation order */
    size_t nsources;
    struct answer_similar *similar;
    size_t nsimilar;
    char **followups;
    size_t nfollowups;
    char *status;  /* least-reviewed status among cited sources */
    char *updated; /* latest date among cited sources, or NULL */
};

/* A retrieved document handed to the composer. */
struct answer_cand {
    struct doc *doc; /* the composer takes ownership of cited ones */
    double score;    /* retrieval score, > 0 */
    double own;      /* for ranking: the score of the question's own words
                        (no expansions), >= 0 */
};

/* Inverse document frequency of an analysed term, for weighting; NULL
 * means every term weighs the same. */
typedef double (*answer_idf_fn)(void *ctx, const char *term, size_t len);

struct sentmodel;

struct answer_compose_in {
    const struct qanalysis *qa;
    struct answer_cand *cands; /* retrieval order, best first */
    size_t ncands;
    enum galen_audience audience;
    int min_evidence;          /* enum doc_evidence; DOC_EVIDENCE_NONE: all */
    unsigned kinds;            /* bit mask of enum doc_kind; 0: all */
    struct analyzer *analyzer; /* the index's analysis pipeline */
    answer_idf_fn idf;
    answer_idf_fn cover_idf; /* idf for evidence: small corpora count as
                                 specialised ones (optional) */
    void *idf_ctx;
    /* True for a word of everyday English (lower case), with idf_ctx;
     * NULL: no word is known to be rare. */
    qanalyze_common_fn common_word;
    const struct redflag_rule *const *redflags;
    size_t nredflags;
    struct answer_similar *similar; /* moved into the answer */
    size_t nsimilar;
    const struct sentmodel *model; /* NULL: sentmodel_default */
    size_t ndocs;                  /* documents in the index */
    bool long_answer;              /* galen_ask_opts.long_answer */
};

/* Thresholds of the abstention rule, calibrated in docs/answer.md. */
#define ANSWER_MIN_SENTENCE_SCORE 0.42
#define ANSWER_MIN_COVERAGE       0.7
#define ANSWER_MIN_EVIDENCE       0.52
#define ANSWER_MIN_FLOOR          0.42
#define ANSWER_MIN_FLOOR_LOW      0.2

/* Composes an answer. Documents in cands that the answer cites are moved
 * into it (their cand->doc becomes NULL); the caller frees the rest.
 * in->similar items are moved too. GALEN_OK or GALEN_ENOMEM. Caller frees
 * *out with galen_answer_free. */
GALEN_NODISCARD int answer_compose(struct answer_compose_in *in,
                                   struct galen_answer **out);

/* Scores every candidate for ranking (galen eval --answers): a weighted sum
 * (lib/answer/rank_model.h, fitted by scripts/train_rank.py) of the
 * retrieval score of the question's own words (normalised to the best),
 * its best sentence's composer score and its coverage of the question.
 * Writes in->ncands scores to out. GALEN_OK, GALEN_EINVAL or GALEN_ENOMEM. */
GALEN_NODISCARD int answer_rank_scores(const struct answer_compose_in *in,
                                       double *out);

/* The order in which blocks are filled and shown for an audience: the
 * preferred kinds first (ANSWER_BLOCK_COUNT entries, static). */
const enum answer_block_kind *answer_block_order(enum galen_audience a);

/* Frees n similar-question items (for callers that did not hand them to
 * answer_compose). */
void answer_similar_free(struct answer_similar *v, size_t n);

/* The items of a similar-question list (borrowed from s). */
void answer_similar_view(const struct galen_similar *s,
                         const struct answer_similar **v, size_t *n);

/* A copy of the quoted sentence s[0..len) as an answer shows it: the
 * source's own citation markers ("[3]", "[1, 2]") removed, since galen puts
 * its own [n] on it, and white space runs collapsed. With as, the marker
 * numbers go to as->refs. NULL when out of memory. */
char *answer_clean_text(const char *s, size_t len, struct answer_sentence *as);

/* True if the sentence states a dose ("10 mg/day", "20-40 g/week"). */
bool answer_is_dose(const char *s, size_t len);

/* The evidence rank used by --min-evidence: enum doc_evidence order, with
 * "not stated" weakest. */
int answer_evidence_rank(int evidence);

/* lib/api defines the galen_* function of each of these (its public
 * header documents it) as a call to this one. */
bool answer_abstained(const struct galen_answer *ans);
void answer_free(struct galen_answer *ans);
GALEN_NODISCARD int
answer_rank(struct galen_answerer *a, const char *question, unsigned k,
            void (*fn)(void *ctx, const char *id, double score), void *ctx);
size_t answer_redflag_count(const struct galen_answer *ans);
GALEN_NODISCARD int answer_render(const struct galen_answer *ans,
                                  enum galen_render_format fmt, unsigned flags,
                                  unsigned width, char **out, size_t *len);
size_t answer_source_count(const struct galen_answer *ans);
void answerer_close(struct galen_answerer *a);
const char *answerer_errmsg(const struct galen_answerer *a);
GALEN_NODISCARD int answerer_open(const char *data_dir,
                                  const struct galen_answerer_opts *opts,
                                  struct galen_answerer **out);
GALEN_NODISCARD int answer_ask(struct galen_answerer *a, const char *question,
                               const struct galen_ask_opts *o,
                               struct galen_answer **out);
void answer_ask_opts_init(struct galen_ask_opts *o);
bool answer_evidence_level_known(const char *name);
size_t answer_sim_count(const struct galen_similar *s);
GALEN_NODISCARD int answer_sim_find(struct galen_answerer *a,
                                    const char *question, unsigned k,
                                    struct galen_similar **out);
void answer_sim_free(struct galen_similar *s);
const struct galen_similar_item *answer_sim_get(const struct galen_similar *s,
                                                size_t i);
GALEN_NODISCARD int answer_sim_render(const struct galen_similar *s,
                                      enum galen_render_format fmt,
                                      unsigned flags, char **out, size_t *len);
unsigned answer_source_kind_bit(const char *name);

#endif
