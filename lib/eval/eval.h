/* SPDX-License-Identifier: MIT */
/* eval.h: lib/eval's own names for the evaluation functions galen/eval.h
 * exports. */
#ifndef GALEN_EVAL_EVAL_H
#define GALEN_EVAL_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <galen/eval.h>

#include "base/common.h"

/* lib/api defines the galen_* function of each of these (its public
 * header documents it) as a call to this one. */
GALEN_NODISCARD int eval_add(struct galen_eval *ev,
                             const struct galen_run *run);
GALEN_NODISCARD int eval_compute(const struct galen_qrels *q,
                                 const struct galen_run *run,
                                 struct galen_eval_metrics *out);
void eval_free(struct galen_eval *ev);
void eval_latency(double *lat_us, size_t n, struct galen_latency *out);
GALEN_NODISCARD int eval_new(const struct galen_qrels *q,
                             struct galen_eval **out);
void eval_result(const struct galen_eval *ev, struct galen_eval_metrics *out);
size_t eval_qrels_count(const struct galen_qrels *q);
void eval_qrels_free(struct galen_qrels *q);
GALEN_NODISCARD int eval_qrels_grade(const struct galen_qrels *q,
                                     const char *qid, const char *docid);
bool eval_qrels_is_judged(const struct galen_qrels *q, const char *qid);
GALEN_NODISCARD int eval_qrels_load(const char *path, struct galen_qrels **out,
                                    char *err, size_t err_cap);
GALEN_NODISCARD int eval_qrels_parse(const char *text, size_t len,
                                     const char *name, struct galen_qrels **out,
                                     char *err, size_t err_cap);
void eval_queries_free(struct galen_queries *qs);
GALEN_NODISCARD int eval_queries_load(const char *path,
                                      struct galen_queries **out, char *err,
                                      size_t err_cap);
GALEN_NODISCARD int eval_queries_parse(const char *text, size_t len,
                                       const char *name,
                                       struct galen_queries **out, char *err,
                                       size_t err_cap);
GALEN_NODISCARD int eval_run_add(struct galen_run *run, const char *qid,
                                 const char *docid, double score);
void eval_run_free(struct galen_run *run);
GALEN_NODISCARD int eval_run_fwrite(const struct galen_run *run, FILE *f,
                                    const char *tag);
size_t eval_run_len(const struct galen_run *run);
GALEN_NODISCARD int eval_run_load(const char *path, struct galen_run **out,
                                  char *err, size_t err_cap);
GALEN_NODISCARD int eval_run_new(struct galen_run **out);
GALEN_NODISCARD int eval_run_parse(const char *text, size_t len,
                                   const char *name, struct galen_run **out,
                                   char *err, size_t err_cap);
void eval_run_reset(struct galen_run *run);

#endif
