/* SPDX-License-Identifier: MIT */
/* compose_int.h: what the compose_*.c files share (private to the answer
 * layer): the question model, candidate sentences, the composition state,
 * the choices and the functions one part calls in another. Split along the
 * sections of the former answer_compose.c (issue 11):
 *   compose_qmodel.c    the question model
 *   compose_features.c  sentence features
 *   compose_scan.c      scanning documents into candidate sentences
 *   compose_choose.c    choosing sentences (MMR, lead, blocks, key points)
 *   compose_build.c     building the answer
 *   compose_followup.c  follow-up questions
 *   compose.c           the whole composition, evidence, freeing
 * Weights, thresholds and the order of every choice: docs/answer.md. */
#ifndef GALEN_ANSWER_COMPOSE_INT_H
#define GALEN_ANSWER_COMPOSE_INT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "answer.h"
#include "base/hash.h"
#include "base/mem.h"
#include "redflag.h"
#include "sentmodel.h"
#include "text/analyzer.h"
#include "text/sentence.h"
#include "text/words.h"

enum {
    BODY_MAX = 96,
    WORD_SET_MAX = 32,    /* words of a word set (bits of a uint32_t) */
    COVERED_SLOTS = 2048, /* power of two; open addressing, 0 = empty */
    SENT_MIN_BYTES = 25,
    SENT_MAX_BYTES = 600,
    SENT_MIN_WORDS = 4,
    STEMS_MAX = 96,     /* distinct terms kept per sentence */
    QTERMS_MAX = 128,   /* query terms */
    FOCUS_SETS_MAX = 8, /* the focus and its expansions */
    CANDS_MAX = 2048,   /* candidate sentences */
    TITLE_TF = 200      /* a title mention: the document's topic */
};

/* Parts of the sentence features (docs/answer.md, "Sentence model"). */
#define FOCUS_HEAD  0.5 /* share of the focus's last (head) word */
#define DOC_W_SCORE 0.6 /* share of retrieval in a document's weight */

/* Choosing sentences: the MMR overlap penalty, the bonus for new terms,
 * the penalty per sentence already taken from the same section, the
 * near-duplicate threshold and how containment counts towards it, and the
 * floor relative to the best sentence. */
#ifndef MMR_LAMBDA
#define MMR_LAMBDA 0.5
#endif
#ifndef NOVELTY
#define NOVELTY 0.35
#endif
#ifndef SAME_SECTION
#define SAME_SECTION 0.08
#endif
#define DUP_SIM        0.5
#define DUP_NOVELTY    0.3
#define NOVELTY_MASS   15.0
#define CONTAIN_WEIGHT 0.6
#ifndef FLOOR_RATIO
#define FLOOR_RATIO 0.55
#endif
#define FLOOR_RATIO_LOW 0.35
#ifndef ELIGIBLE_REL
#define ELIGIBLE_REL 0.15
#endif

/* The default body's length in words (DESIGN.md: about the seeds'). */
enum {
    BODY_WORDS_MIN = 150,
    BODY_WORDS_MAX = 300, /* the seeds' length; --long doubles every budget */
    BLOCK_WORDS_FIRST = 200,
    BLOCK_WORDS_OTHER = 100
};

struct qterm_h {
    uint32_t h;
    double w;
    double cw; /* weight in evidence: cover_idf-weighted */
    bool own;  /* from the question itself, not an expansion */
};

struct focus_set {
    uint32_t h[16];
    bool body[16]; /* the word names a body part */
    size_t n;
    double weight;
};

/* A few term hashes, each a bit of a per-document mask, and how strongly
 * each names something. */
struct word_set {
    uint32_t h[WORD_SET_MAX];
    double w[WORD_SET_MAX];
    size_t n;
};

/* The place of term h in a word set, or ws->n when it is not there. */
static inline size_t word_set_find(const struct word_set *ws, uint32_t h)
{
    size_t k = 0;

    while (k < ws->n && ws->h[k] != h)
        k++;
    return k;
}

/* The question, analysed into weighted term hashes. */
struct qmodel {
    struct qterm_h t[QTERMS_MAX];
    size_t nt;
    double total;  /* sum of the weights of the question's own terms */
    double ctotal; /* the same for the evidence weights */
    size_t nown;   /* how many terms are the question's own */
    struct focus_set focus[FOCUS_SETS_MAX];
    size_t nfocus;
    enum qtype primary;
    unsigned mask;
    char focus_pat[128];     /* the focus, lower case, last word a prefix */
    uint32_t body[BODY_MAX]; /* analysed body-part words */
    size_t nbody;
    struct word_set named; /* its words that name something (corrected) */
};

struct csent {
    size_t cand;       /* index into in->cands */
    size_t section;    /* section index */
    size_t start, end; /* in the section text */
    size_t stem_off;   /* its sorted distinct term hashes: pool + stem_off */
    size_t nstems;
    double score;
    double fscore; /* score with the cue of its own facet, not the asked */
    double f[SM_NFEATURES]; /* the sentence model's features */
    double fcue, fheading;  /* cue and heading of its own facet */
    size_t ord;             /* place among its section's sentences */
    bool no_qualifier;      /* a follow-up's sentence without its qualifier */
    bool excluded;          /* advice for a population not asked about */
    unsigned pop;           /* special populations it names */
    enum qtype facet;
    enum answer_block_kind block;
    size_t words;
    bool is_dose;
    bool keypoint_section;
    bool leans; /* leans on a sentence before it (no lead) */
    bool used;
};

struct compose {
    struct answer_compose_in *in;
    bool picking_lead; /* mmr_pick passes over sentences that lean back */
    struct qmodel q;
    struct csent *s;
    size_t ns, cap;
    uint32_t *pool; /* stems of all sentences */
    size_t npool, pool_cap;
    size_t nscan;              /* candidates scanned: the first nscan */
    double *doc_cov;           /* per candidate: best sentence coverage */
    size_t *per_doc;           /* per candidate: sentences chosen */
    double *doc_best;          /* per candidate: best sentence score */
    uint8_t (*tf)[QTERMS_MAX]; /* per candidate: own terms' counts, capped */
    double *doc_topic;         /* per candidate: topical coverage */
    uint32_t *named_seen;      /* per candidate: bit j, it has q.named.h[j] */
    size_t *doc_len;           /* per candidate: tokens scanned */
    double best_focus;         /* highest focus coverage of any sentence */
    double best_share;         /* highest cover_share of any sentence */
    double *docw;              /* per candidate: doc_weight, once computed */
    uint32_t covered[COVERED_SLOTS]; /* terms of chosen sentences (set) */
    float *weight;      /* per pool entry: log(1 + ns / sentences with it) */
    float *share;       /* per pool entry: share of the sentences with it */
    size_t ord;         /* sentences seen so far in the section scanned */
    unsigned pop;       /* special populations the question names */
    double title_focus; /* the document scanned: its title names the focus */
    double *mass;       /* per sentence: sum of its terms' weights */
};

/* A word budget, doubled for the long answer. */
static inline size_t compose_words(const struct compose *c, size_t words)
{
    return c->in->long_answer ? 2 * words : words;
}

static inline int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

static inline bool has_hash(const uint32_t *v, size_t n, uint32_t h)
{
    return n > 0 && bsearch(&h, v, n, sizeof *v, cmp_u32) != NULL;
}

enum { CHOSEN_MAX = 48, NONE = SIZE_MAX };

struct pick {
    int block;       /* enum answer_block_kind, or -1 for any */
    unsigned facets; /* facet mask; 0 for any */
    bool no_dose;    /* leave dose sentences out */
    bool keypoint;   /* prefer short "Key Points" sentences */
    double floor;    /* lowest score taken */
    bool by_facet;   /* rank by fscore (a related facet), not score */
    bool want_dose;  /* only sentences that state a dose */
};

struct chosen {
    size_t lead[ANSWER_LEAD_MAX], nlead;
    size_t block[ANSWER_BLOCK_COUNT][ANSWER_BLOCK_MAX],
        nblock[ANSWER_BLOCK_COUNT];
    size_t key[ANSWER_KEYPOINTS_MAX], nkey;
    size_t all[CHOSEN_MAX], nall;
    size_t words; /* words of all chosen sentences */
    size_t bwords[ANSWER_BLOCK_COUNT];
};

struct qcollect {
    struct qmodel *q;
    const char *text;
    double weight;
    struct focus_set *set; /* when collecting a focus set */
    struct answer_compose_in *in;
    bool own;
};

struct builder {
    struct compose *c;
    struct galen_answer *ans;
    size_t src_of[ANSWER_DOCS_MAX]; /* source index per candidate, or NONE */
};

static const struct analyzer_opts index_opts = {true, true};

static const enum qtype layout_types[] = {
    QTYPE_CAUSES,       QTYPE_SYMPTOMS,   QTYPE_DIAGNOSIS,
    QTYPE_TREATMENT,    QTYPE_PREVENTION, QTYPE_WHEN_TO_SEE_DOCTOR,
    QTYPE_RISK_FACTORS, QTYPE_PROGNOSIS,  QTYPE_DOSAGE,
    QTYPE_SIDE_EFFECTS, QTYPE_DEFINITION, QTYPE_COMPARISON};

int compose_build_qmodel(struct answer_compose_in *in, struct qmodel *q);
bool compose_is_definitional(const struct qmodel *q, const char *s, size_t len);
int compose_on_qterm(void *ctx, const struct aterm *t);
enum answer_block_kind compose_block_of(const struct doc *d);
enum qtype compose_choose_facet(const struct qmodel *q,
                                const struct qtype_result *heading,
                                const char *s, size_t len, double *cue,
                                double *fcue);
double compose_cover_share(const struct qmodel *q, const uint32_t *st,
                           size_t n);
double compose_coverage(const struct qmodel *q, const uint32_t *st, size_t n);
bool compose_doc_allowed(const struct answer_compose_in *in,
                         const struct doc *d);
bool compose_eligible_text(const char *s, size_t len, unsigned flags);
/* Where a sentence proper opens when a heading was run into it (0: none):
 * the heading's words are never quoted. */
size_t compose_heading_skip(const char *s, size_t len);
double compose_focus_cov(const struct qmodel *q, const uint32_t *st, size_t n);
bool compose_is_anaphoric(const char *s, size_t len);
bool compose_leans_back(const char *s, size_t len);
unsigned compose_populations(const char *s, size_t len);
unsigned compose_primary_bit(const struct qmodel *q);
bool compose_skip_section(const char *heading);
double compose_density(const struct compose *c, size_t ci, size_t k);
int compose_scan_docs(struct compose *c);
void compose_fill_blocks(struct compose *c, struct chosen *ch, double floor);
void compose_fill_keypoints(struct compose *c, struct chosen *ch, double floor);
void compose_fill_short(struct compose *c, struct chosen *ch, double best);
void compose_lead_clinician(struct compose *c, struct chosen *ch, double floor);
void compose_lead_patient(struct compose *c, struct chosen *ch, double floor);
void compose_sort_block(const struct compose *c, size_t *v, size_t n);
int compose_weigh_terms(struct compose *c);

/* Scores the candidates with the sentence model: after compose_weigh_terms,
 * which also gives each sentence its centrality. */
void compose_score_sentences(struct compose *c);
int compose_build_body(struct builder *b, struct chosen *ch);
int compose_copy_redflags(struct galen_answer *ans,
                          const struct answer_compose_in *in);
char *compose_dup_or_null(const char *s, int *rc);
int compose_review_banner(struct galen_answer *ans);
int compose_build_followups(struct compose *c, struct galen_answer *ans);

/* Mentions per 100 words that make a term a document's topic. */
#define TOPIC_DENSITY 1.0
#ifndef TOPIC_BODY
#define TOPIC_BODY 1.0
#endif

#endif
