/* SPDX-License-Identifier: MIT */
/* qanalyze.h: question analysis, the step before retrieval. From a question
 * in anyone's words it finds the question type(s), the focus (condition,
 * drug, body part or symptom), lay-term and abbreviation expansions from the
 * lexicon, spelling corrections against the corpus vocabulary ("did you
 * mean"), the questions inside a long consumer message, and, for a
 * follow-up with no focus of its own, the previous question's focus. After
 * retrieval, the focus can be refined from the corpus's own focus terms and
 * synonyms (qanalyze_refine_focus). The analysis owns all its strings. */
#ifndef GALEN_QANALYZE_H
#define GALEN_QANALYZE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/common.h"
#include "qtype.h"

struct lexicon;
struct spell;

enum focus_kind {
    FOCUS_NONE,
    FOCUS_CONDITION,
    FOCUS_DRUG,
    FOCUS_BODY_PART,
    FOCUS_SYMPTOM,
    FOCUS_OTHER
};

/* Limits that bound the work on hostile input. */
enum {
    QANALYZE_TEXT_MAX = 16384, /* bytes of question analysed; rest ignored */
    QANALYZE_TERMS_MAX = 48,   /* expansion terms kept */
    QANALYZE_SUBQ_MAX = 8,     /* questions kept from a long message */
    QANALYZE_FIX_MAX = 8       /* spelling corrections kept */
};

/* Where an expansion term came from. */
enum qterm_origin {
    QTERM_LEXICON,  /* the other side of a lexicon entry */
    QTERM_SPELLING, /* a spelling correction */
    QTERM_FOCUS,    /* an inherited or refined focus */
    QTERM_SYNONYM   /* a corpus synonym of the focus */
};

/* Expansion terms weighing less than this stay out of the retrieval query
 * (they still count when sentences are scored). */
#define QANALYZE_QUERY_MIN_WEIGHT 0.5

struct qterm {
    char *text; /* owned */
    enum qterm_origin origin;
    double weight; /* 0..1: how much to trust it in retrieval */
};

struct qfix {
    char *from; /* the word as typed; owned */
    char *to;   /* the correction; owned */
};

/* One question inside a long message: its span in qanalysis.text. */
struct qsub {
    size_t start, end;
    enum qtype type;
};

struct qanalysis {
    char *text;                /* the analysed question (maybe truncated) */
    struct qtype_result qtype; /* type and facet mask */
    char *focus;               /* NULL when none was found */
    enum focus_kind focus_kind;
    bool focus_inherited; /* taken from the previous question */
    bool is_message;      /* a long message rather than one question */
    bool is_follow_up;    /* read as a follow-up of the previous question */
    char *qualifiers;     /* content words outside the focus ("night") */
    char *keywords;       /* a long message's medical words, or NULL */
    char *lexical;        /* the question's lexicon phrases, or NULL */
    char *did_you_mean;   /* the question with corrections, or NULL */
    char *query;          /* retrieval text: question, fixes, expansions */
    size_t query_own;     /* bytes of query before the expansions */
    struct qterm *terms;  /* expansion terms, in order found */
    size_t nterms;
    struct qfix *fixes;
    size_t nfixes;
    struct qsub *subs; /* questions found in a long message */
    size_t nsubs;
};

/* Corrects one word that may be misspelled (lower-cased, 4+ bytes, no
 * digits, not a frame or lexicon word): writes the correction to out[0..cap)
 * and returns its length, or returns 0 when the word is known (it is never
 * corrected) or nothing is close enough. */
typedef size_t (*qanalyze_correct_fn)(void *ctx, const char *word, size_t len,
                                      char *out, size_t cap);

/* True for a word of everyday English (given in lower case). */
typedef bool (*qanalyze_common_fn)(void *ctx, const char *w, size_t len);

/* What the analysis may consult; every member may be NULL. */
struct qanalyze_ctx {
    const struct lexicon *lexicon;
    const struct spell *spell;   /* corpus vocabulary; NULL: no correction */
    const char *previous;        /* the previous question, for follow-ups */
    qanalyze_correct_fn correct; /* used instead of spell when set */
    void *correct_ctx;
    /* True for a word of everyday English (lower case), with correct_ctx;
     * NULL: no word is known to be rare. */
    qanalyze_common_fn common_word;
};

/* Analyses q[0..len). Returns GALEN_OK or GALEN_ENOMEM; caller frees *out
 * with qanalysis_free. */
GALEN_NODISCARD int qanalyze(const struct qanalyze_ctx *ctx, const char *q,
                             size_t len, struct qanalysis **out);

void qanalysis_free(struct qanalysis *qa);

/* True for a rare word: letters only, not a question-frame word, and not
 * a word of everyday English by common (given the word in lower case);
 * a word of four letters or fewer must be capitalised ("MDS"). */
bool qanalyze_is_rare_word(qanalyze_common_fn common, void *ctx, const char *w,
                           size_t len);

/* How strongly a word names something, 0 for not at all: a symptom, a
 * condition, a misspelt word, a code ("B12", "22q11") or a rare word by
 * common (with ctx; NULL: none is rare) 2; a medicine, a body part or
 * another word of health care, or the plural of a listed word, 1. */
double qanalyze_name_weight(const struct qanalysis *qa,
                            qanalyze_common_fn common, void *ctx, const char *w,
                            size_t len);

/* Replaces the correction of fix i with to (a better surface form, such as
 * "cramps" for the stem "cramp") and rebuilds did_you_mean and the query.
 * GALEN_OK, GALEN_EINVAL (no fix i) or GALEN_ENOMEM. */
GALEN_NODISCARD int qanalyze_set_fix(struct qanalysis *qa, size_t i,
                                     const char *to);

/* A focus candidate from the corpus: a document's focus or topic, or one
 * of its synonyms (then canonical names the focus it stands for). */
struct focus_cand {
    const char *phrase;
    const char *canonical; /* NULL when phrase is itself the focus */
    enum focus_kind kind;  /* FOCUS_NONE when unknown */
    double weight;         /* the document's retrieval weight, > 0 */
};

/* Replaces the rule-based focus with the best candidate that occurs in the
 * question (whole words, case and plural folded): most words first, then
 * most weight, then bytewise first. A synonym match sets the focus to its
 * canonical form and adds the synonym as a term. A no-op when none occurs,
 * when the focus was inherited, or when the best candidate lies inside the
 * rule-based focus, which is then the more specific. GALEN_OK or
 * GALEN_ENOMEM. */
GALEN_NODISCARD int qanalyze_refine_focus(struct qanalysis *qa,
                                          const struct focus_cand *c, size_t n);

/* When the rule focus occurs in none of texts (the retrieved documents'
 * text) or there is none, the question's run of up to three content words
 * that most of the texts hold becomes the focus: "Dear Sir" gives way to
 * "achondroplasia". Content without any metadata gets a focus this way. */
int qanalyze_corpus_focus(struct qanalysis *qa, const char *const *texts,
                          size_t ntexts);

/* The share of the question's content words that galen's own word lists
 * call medical (symptoms, conditions and their endings, medicines, body
 * parts): a feature of the evidence model, not of any corpus. */
double qanalyze_medical_share(const struct qanalysis *qa);

/* Guesses a focus kind from the words of phrase (symptom and condition
 * words, drug-name endings, body parts). */
enum focus_kind qanalyze_focus_kind(const char *phrase, size_t len);

/* "condition", "drug", "body_part", "symptom", "other" or "none". */
const char *qanalyze_focus_kind_name(enum focus_kind k);

/* True if the word names a body part ("calf", "soleus", "muscle"); and
 * the whole list of such words (static). */
bool qanalyze_is_body_word(const char *w, size_t len);
const char *const *qanalyze_body_words(size_t *n);

/* True if the word is a question-frame or function word ("what", "the",
 * "causes") that can never be a focus; case-insensitive. */
bool qanalyze_is_frame_word(const char *w, size_t len);

#endif
