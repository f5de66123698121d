/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
 * Cross-validation (share decided right per group):
 *   | cross-bare | 50 | 0.880 | 0.760 | 0.880 |
 *   | cross-bare-long | 50 | 0.640 | 0.660 | 0.660 |
 *   | mas-dev-long | 50 | 0.940 | 0.580 | 0.960 |
 *   | mas-dev-short | 50 | 0.980 | 0.980 | 0.980 |
 *   | mediqa-alexa | 102 | 0.971 | 0.951 | 1.000 |
 *   | medquad | 206 | 1.000 | 1.000 | 1.000 |
 *   | offmsg-bare | 25 | 1.000 | 1.000 | 1.000 |
 *   | offmsg-mediqa | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-medquad | 25 | 1.000 | 1.000 | 1.000 |
 *   | offmsg-pack | 25 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-bare | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-mediqa | 60 | 0.950 | 0.950 | 0.950 |
 *   | offtopic-medquad | 60 | 0.983 | 0.967 | 0.983 |
 *   | offtopic-pack | 60 | 0.983 | 1.000 | 0.983 |
 *   | seeds-pack | 4 | 1.000 | 1.000 | 1.000 | */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = 14 };

static const double evidence_bias = -6.031292;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    1.458559 /* doc_coverage */,    3.664598 /* doc_topic */,
    0.968642 /* sentence_share */,  -1.047845 /* focus_in_sentence */,
    0.699881 /* medical_words */,   -0.109208 /* medical_focus */,
    0.968554 /* red_flag */,        -1.501696 /* best_sentence */,
    2.525818 /* focus_topic */,     1.377293 /* peak_topic */,
    2.201961 /* question_length */, -3.546215 /* collection_size */,
    0.795801 /* named_held */,      2.465855 /* named_any */};

#endif
