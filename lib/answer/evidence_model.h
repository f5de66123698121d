/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
 * Cross-validation (share decided right per group):
 *   | cross-bare | 50 | 0.880 | 0.860 | 0.920 |
 *   | cross-bare-long | 50 | 0.700 | 0.700 | 0.700 |
 *   | mas-dev-long | 50 | 0.780 | 0.460 | 0.820 |
 *   | mas-dev-short | 50 | 0.960 | 0.960 | 0.980 |
 *   | mediqa-alexa | 102 | 1.000 | 1.000 | 1.000 |
 *   | medquad | 206 | 1.000 | 0.976 | 1.000 |
 *   | offmsg-bare | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-mediqa | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-medquad | 25 | 0.960 | 1.000 | 1.000 |
 *   | offmsg-pack | 25 | 0.960 | 0.960 | 0.960 |
 *   | offtopic-bare | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-mediqa | 60 | 0.983 | 0.983 | 0.983 |
 *   | offtopic-medquad | 60 | 0.967 | 0.917 | 0.967 |
 *   | offtopic-pack | 60 | 0.983 | 1.000 | 1.000 |
 *   | seeds-pack | 4 | 1.000 | 1.000 | 1.000 | */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = 12 };

static const double evidence_bias = -4.891798;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    1.889013 /* doc_coverage */,    4.621098 /* doc_topic */,
    1.141026 /* sentence_share */,  -1.430523 /* focus_in_sentence */,
    1.624144 /* medical_words */,   0.571352 /* medical_focus */,
    1.784469 /* red_flag */,        -1.049047 /* best_sentence */,
    1.857630 /* focus_topic */,     1.793478 /* peak_topic */,
    3.702234 /* question_length */, -5.289382 /* collection_size */};

#endif
