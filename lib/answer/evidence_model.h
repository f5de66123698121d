/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
 * Cross-validation (share decided right per group):
 *   | cross-bare | 50 | 0.900 | 0.800 | 0.880 |
 *   | cross-bare-long | 50 | 0.600 | 0.580 | 0.580 |
 *   | mas-dev-long | 50 | 0.960 | 0.600 | 0.960 |
 *   | mas-dev-short | 50 | 0.980 | 0.980 | 0.980 |
 *   | mediqa-alexa | 102 | 1.000 | 1.000 | 1.000 |
 *   | medquad | 206 | 1.000 | 1.000 | 1.000 |
 *   | offmsg-bare | 25 | 1.000 | 1.000 | 1.000 |
 *   | offmsg-mediqa | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-medquad | 25 | 1.000 | 1.000 | 1.000 |
 *   | offmsg-pack | 25 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-bare | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-mediqa | 60 | 0.983 | 0.983 | 0.983 |
 *   | offtopic-medquad | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-pack | 60 | 1.000 | 1.000 | 1.000 |
 *   | seeds-pack | 4 | 1.000 | 1.000 | 1.000 |
 *   | trap-bare | 40 | 0.975 | 0.975 | 0.975 |
 *   | trap-mediqa | 40 | 0.950 | 0.925 | 0.950 |
 *   | trap-medquad | 40 | 0.950 | 0.950 | 0.975 |
 *   | trap-pack | 40 | 1.000 | 1.000 | 1.000 | */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = 15 };

static const double evidence_bias = -5.810590;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    1.825833 /* doc_coverage */,
    4.236167 /* doc_topic */,
    1.925885 /* sentence_share */,
    -1.339324 /* focus_in_sentence */,
    0.382978 /* medical_words */,
    -0.396797 /* medical_focus */,
    0.909808 /* red_flag */,
    -1.623697 /* best_sentence */,
    2.522644 /* focus_topic */,
    0.836129 /* peak_topic */,
    1.139129 /* question_length */,
    -4.119360 /* collection_size */,
    0.214550 /* named_held */,
    0.914805 /* named_any */,
    3.036557 /* named_count */};

#endif
