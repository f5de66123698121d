/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
 * Cross-validation (share decided right per group):
 *   | cross-bare | 50 | 0.920 | 0.900 | 0.960 |
 *   | mas-dev-long | 50 | 0.400 | 0.300 | 0.360 |
 *   | mas-dev-short | 50 | 0.740 | 0.620 | 0.760 |
 *   | mediqa-alexa | 102 | 1.000 | 1.000 | 1.000 |
 *   | medquad | 206 | 0.990 | 0.990 | 0.990 |
 *   | offtopic-bare | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-mediqa | 60 | 0.967 | 0.967 | 0.967 |
 *   | offtopic-medquad | 60 | 0.800 | 0.550 | 0.800 |
 *   | offtopic-pack | 60 | 0.983 | 0.983 | 0.983 |
 *   | seeds-pack | 4 | 1.000 | 1.000 | 1.000 | */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = 9 };

static const double evidence_bias = -5.764258;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    1.118745 /* doc_coverage */,
    3.576119 /* doc_topic */,
    -0.169134 /* sentence_share */,
    -0.717956 /* focus_in_sentence */,
    2.378447 /* medical_words */,
    0.697221 /* medical_focus */,
    2.188785 /* red_flag */,
    1.518537 /* best_sentence */,
    2.852447 /* focus_topic */};

#endif
