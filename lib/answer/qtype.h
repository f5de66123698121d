/* SPDX-License-Identifier: MIT */
/* qtype.h: question types. A question is classified by weighted cue phrases
 * (the table in qtype.c, documented in docs/answer.md); the same module
 * scores how well an answer sentence fits a type by its own cue phrases.
 * Classification is pure and allocation-free. */
#ifndef GALEN_QTYPE_H
#define GALEN_QTYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/common.h"

enum qtype {
    QTYPE_OTHER,
    QTYPE_DEFINITION,
    QTYPE_CAUSES,
    QTYPE_SYMPTOMS,
    QTYPE_DIAGNOSIS,
    QTYPE_TREATMENT,
    QTYPE_PREVENTION,
    QTYPE_DOSAGE,
    QTYPE_SIDE_EFFECTS,
    QTYPE_PROGNOSIS,
    QTYPE_RISK_FACTORS,
    QTYPE_WHEN_TO_SEE_DOCTOR,
    QTYPE_COMPARISON,
    QTYPE_COUNT
};

/* A cue weight of at least this makes a type one of the question's facets. */
enum { QTYPE_FACET_MIN = 3 };

struct qtype_result {
    enum qtype type;        /* the best type; QTYPE_OTHER if no cue */
    unsigned mask;          /* bit (1u << t) for every facet of the question */
    int score[QTYPE_COUNT]; /* summed cue weights per type */
};

/* Classifies the question q[0..len) (any bytes). */
void qtype_classify(const char *q, size_t len, struct qtype_result *out);

/* The type's name as used in article front matter and JSON ("side_effects");
 * static storage. */
const char *qtype_name(enum qtype t);

/* A heading for the type's facet ("Side Effects"); static storage. */
const char *qtype_heading(enum qtype t);

/* Parses a name from qtype_name, or a MedQuAD qtype ("exams and tests",
 * "outlook", "information", ...). Returns false if unknown. */
bool qtype_from_name(const char *name, size_t len, enum qtype *out);

/* Scores how well the sentence s[0..len) answers a question of type t, by
 * that type's sentence cue phrases: 0 with none, 0.6 with one, 0.85 with
 * two, 1 with three or more. */
double qtype_sentence_score(enum qtype t, const char *s, size_t len);

/* The scores qtype_sentence_score would give for every type at once, in
 * one pass over the sentence (what the composer uses). */
void qtype_sentence_scores(const char *s, size_t len, double out[QTYPE_COUNT]);

/* A follow-up question template for t with one "%s" for the focus ("What
 * causes %s?"), worded for a plural focus ("How are %s treated?") when
 * plural is set; NULL for QTYPE_OTHER and QTYPE_COMPARISON. Static. */
const char *qtype_followup(enum qtype t, bool plural);

#endif
