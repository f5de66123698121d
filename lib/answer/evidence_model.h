/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
 * Cross-validation (share decided right per group):
 *   | cross-bare | 50 | 0.880 | 0.860 | 0.920 |
 *   | cross-bare-long | 50 | 0.720 | 0.720 | 0.720 |
 *   | mas-dev-long | 50 | 0.800 | 0.480 | 0.840 |
 *   | mas-dev-short | 50 | 0.960 | 0.960 | 0.980 |
 *   | mediqa-alexa | 102 | 1.000 | 1.000 | 1.000 |
 *   | medquad | 206 | 1.000 | 0.976 | 1.000 |
 *   | offmsg-bare | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-mediqa | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-medquad | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-pack | 25 | 0.960 | 0.960 | 0.960 |
 *   | offtopic-bare | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-mediqa | 60 | 0.967 | 0.983 | 0.983 |
 *   | offtopic-medquad | 60 | 0.967 | 0.917 | 0.967 |
 *   | offtopic-pack | 60 | 0.983 | 1.000 | 1.000 |
 *   | seeds-pack | 4 | 1.000 | 1.000 | 1.000 | */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = 12 };

static const double evidence_bias = -4.971246;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    1.912867 /* doc_coverage */,    4.606402 /* doc_topic */,
    1.156040 /* sentence_share */,  -1.596814 /* focus_in_sentence */,
    1.596105 /* medical_words */,   0.604519 /* medical_focus */,
    1.099363 /* red_flag */,        -1.091042 /* best_sentence */,
    1.971861 /* focus_topic */,     1.972439 /* peak_topic */,
    3.665889 /* question_length */, -5.305816 /* collection_size */};

#endif
