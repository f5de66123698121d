/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
 * Cross-validation (share decided right per group):
 *   | cross-bare | 50 | 0.880 | 0.840 | 0.900 |
 *   | mas-dev-long | 50 | 0.720 | 0.380 | 0.800 |
 *   | mas-dev-short | 50 | 0.960 | 0.960 | 0.980 |
 *   | mediqa-alexa | 102 | 1.000 | 1.000 | 1.000 |
 *   | medquad | 206 | 1.000 | 0.976 | 1.000 |
 *   | offtopic-bare | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-mediqa | 60 | 0.983 | 0.983 | 0.983 |
 *   | offtopic-medquad | 60 | 0.967 | 0.917 | 0.967 |
 *   | offtopic-pack | 60 | 0.983 | 1.000 | 1.000 |
 *   | seeds-pack | 4 | 1.000 | 1.000 | 1.000 | */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = 12 };

static const double evidence_bias = -4.974891;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    1.886153 /* doc_coverage */,    4.518087 /* doc_topic */,
    1.240609 /* sentence_share */,  -1.547510 /* focus_in_sentence */,
    1.801899 /* medical_words */,   0.460270 /* medical_focus */,
    1.816519 /* red_flag */,        -0.875808 /* best_sentence */,
    1.534300 /* focus_topic */,     2.055063 /* peak_topic */,
    3.911312 /* question_length */, -5.248967 /* collection_size */};

#endif
