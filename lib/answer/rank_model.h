/* SPDX-License-Identifier: MIT */
/* rank_model.h: written by scripts/train_rank.py; do not edit. The answer
 * ranking's weights (docs/answer.md, "Ranking"). nDCG@10:
 *   | set | BM25F | fitted on all | other sets held out | 5-fold CV |
 *   |---|---|---|---|---|
 *   | mediqa-alexa | 0.7048 | 0.7825 | 0.7451 | 0.7825 |
 *   | mas-dev-short | 0.8696 | 0.9045 | 0.8958 | 0.9045 |
 *   | mas-dev-long | 0.4974 | 0.5359 | 0.5322 | 0.5183 | */
#ifndef GALEN_ANSWER_RANK_MODEL_H
#define GALEN_ANSWER_RANK_MODEL_H

enum { RANK_NFEATURES = 3 };

static const double rank_weights[RANK_NFEATURES] = {
    0.30 /* own_bm25 */, 0.55 /* best_sentence */, 0.15 /* coverage */
};

#endif
