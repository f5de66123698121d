/* SPDX-License-Identifier: MIT */
/* evidence_model.h: written by scripts/train_answer.py; do not edit. The
 * logistic evidence model of docs/answer.md ("Abstention"): galen answers
 * when bias + weights . features >= 0 (probability one half).
 * Cross-validation (share decided right per group):
 *   | cross-bare | 50 | 0.860 | 0.760 | 0.880 |
 *   | cross-bare-long | 50 | 0.640 | 0.660 | 0.660 |
 *   | mas-dev-long | 50 | 0.940 | 0.580 | 0.960 |
 *   | mas-dev-short | 50 | 0.980 | 0.980 | 0.980 |
 *   | mediqa-alexa | 102 | 1.000 | 0.951 | 1.000 |
 *   | medquad | 206 | 0.981 | 0.981 | 0.981 |
 *   | offmsg-bare | 25 | 1.000 | 1.000 | 1.000 |
 *   | offmsg-mediqa | 25 | 0.960 | 0.960 | 0.960 |
 *   | offmsg-medquad | 25 | 1.000 | 1.000 | 1.000 |
 *   | offmsg-pack | 25 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-bare | 60 | 1.000 | 1.000 | 1.000 |
 *   | offtopic-mediqa | 60 | 0.950 | 0.950 | 0.950 |
 *   | offtopic-medquad | 60 | 0.983 | 0.967 | 0.983 |
 *   | offtopic-pack | 60 | 0.983 | 1.000 | 1.000 |
 *   | seeds-pack | 4 | 1.000 | 1.000 | 1.000 | */
#ifndef GALEN_ANSWER_EVIDENCE_MODEL_H
#define GALEN_ANSWER_EVIDENCE_MODEL_H

enum { EVIDENCE_NFEATURES = 14 };

static const double evidence_bias = -6.028506;
static const double evidence_weights[EVIDENCE_NFEATURES] = {
    1.492389 /* doc_coverage */,    3.736111 /* doc_topic */,
    1.031492 /* sentence_share */,  -1.049020 /* focus_in_sentence */,
    0.684064 /* medical_words */,   -0.121036 /* medical_focus */,
    0.968450 /* red_flag */,        -1.499211 /* best_sentence */,
    2.502487 /* focus_topic */,     1.357013 /* peak_topic */,
    2.272093 /* question_length */, -3.511255 /* collection_size */,
    0.725206 /* named_held */,      2.433913 /* named_any */};

#endif
