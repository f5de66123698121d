/* SPDX-License-Identifier: MIT */
/* sentmodel.h: the sentence model, a logistic regression over documented
 * sentence features (docs/answer.md, "Sentence model") that says how likely
 * a candidate sentence belongs in the answer. Its weights are data:
 * data/answer-model.tsv, written by scripts/train_answer.py and loaded with
 * the red-flag rules. */
#ifndef GALEN_ANSWER_SENTMODEL_H
#define GALEN_ANSWER_SENTMODEL_H

#include <stddef.h>

#include "base/diag.h"

/* The features, in the file's order of names. */
enum sm_feature {
    SM_FOCUS,     /* share of the focus the sentence names */
    SM_REL,       /* share of the question's own terms it covers */
    SM_CUE,       /* cue words of the asked question type */
    SM_HEADING,   /* its section heading names the type or the focus */
    SM_DOC,       /* its document's retrieval weight */
    SM_LEAD,      /* 1 / (1 + its place among its section's sentences) */
    SM_CENTRAL,   /* how much it shares with the other candidates */
    SM_ANAPHORIC, /* opens with "These", "This", "They", ... */
    SM_LONG,      /* longer than 300 bytes */
    SM_CONTEXT,   /* names none of the question's terms */
    SM_TITLE,     /* its document's title is the focus, no more */
    SM_NFEATURES
};

struct sentmodel {
    double bias;
    double w[SM_NFEATURES];
};

/* The names, for the file and for GALEN_SENTENCE_FEATURES. */
extern const char *const sentmodel_names[SM_NFEATURES];

/* The model used when none is loaded (library callers without the data
 * files): the hand-set weights galen had before it learned them. */
extern const struct sentmodel sentmodel_default;

/* Parses a model file: "name<TAB>weight" lines, '#' comments, "bias" and
 * every feature exactly once. GALEN_EPARSE with the line in *diag. */
int sentmodel_parse(const char *text, size_t len, struct sentmodel *out,
                    struct diag *diag);

/* Reads and parses path. GALEN_EIO/GALEN_ENOENT or GALEN_EPARSE. */
int sentmodel_load(const char *path, struct sentmodel *out, struct diag *diag);

/* The probability that a sentence with features f belongs in the answer. */
double sentmodel_score(const struct sentmodel *m, const double *f);

#endif
