/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
 * Cross-validation (share decided right per group):
 *   | cross-bare | 50 | 0.880 | 0.880 | 0.900 |
 *   | cross-bare-long | 50 | 0.720 | 0.720 | 0.720 |
 *   | mas-dev-long | 50 | 0.800 | 0.480 | 0.840 |
 *   | mas-dev-short | 50 | 0.980 | 0.960 | 0.980 |
 *   | mediqa-alexa | 102 | 1.000 | 1.000 | 1.000 |
 *   | medquad | 206 | 1.000 | 0.976 | 1.000 |
 *   | offmsg-bare | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-mediqa | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-medquad | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-pack | 25 | 0.960 | 0.960 | 0.960 |
 *   | offtopic-bare | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-mediqa | 60 | 0.967 | 0.983 | 0.983 |
 *   | offtopic-medquad | 60 | 0.967 | 0.917 | 0.967 |
 *   | offtopic-pack | 60 | 0.983 | 1.000 | 0.983 |
 *   | seeds-pack | 4 | 1.000 | 1.000 | 1.000 | */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = 12 };

static const double evidence_bias = -5.095619;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    1.892670 /* doc_coverage */,    4.557518 /* doc_topic */,
    1.128729 /* sentence_share */,  -1.375563 /* focus_in_sentence */,
    1.586001 /* medical_words */,   0.648340 /* medical_focus */,
    1.110472 /* red_flag */,        -1.147190 /* best_sentence */,
    2.390690 /* focus_topic */,     1.619425 /* peak_topic */,
    3.560887 /* question_length */, -5.311038 /* collection_size */};

#endif
