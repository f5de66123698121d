/* SPDX-License-Identifier: MIT */
/* galen_eval.c: the public evaluation API (galen/eval.h) over lib/eval.
 * A failed parse, load or new leaves *out NULL. */
#include <stdio.h>

#include <galen/error.h>
#include <galen/eval.h>

#include "eval/eval.h"

/* Parses and loads fail before a handle exists: their message is kept per
 * thread. */
static _Thread_local char msg[512];

const char *galen_eval_errmsg(void)
{
    return msg;
}

int galen_eval_add(struct galen_eval *ev, const struct galen_run *run)
{
    return eval_add(ev, run);
}

int galen_eval_compute(const struct galen_qrels *q, const struct galen_run *run,
                       struct galen_eval_metrics *out)
{
    return eval_compute(q, run, out);
}

void galen_eval_free(struct galen_eval *ev)
{
    eval_free(ev);
}

void galen_eval_latency(double *lat_us, size_t n, struct galen_latency *out)
{
    eval_latency(lat_us, n, out);
}

int galen_eval_new(const struct galen_qrels *q, struct galen_eval **out)
{
    int rc = eval_new(q, out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

void galen_eval_result(const struct galen_eval *ev,
                       struct galen_eval_metrics *out)
{
    eval_result(ev, out);
}

size_t galen_qrels_count(const struct galen_qrels *q)
{
    return eval_qrels_count(q);
}

void galen_qrels_free(struct galen_qrels *q)
{
    eval_qrels_free(q);
}

int galen_qrels_grade(const struct galen_qrels *q, const char *qid,
                      const char *docid)
{
    return eval_qrels_grade(q, qid, docid);
}

bool galen_qrels_is_judged(const struct galen_qrels *q, const char *qid)
{
    return eval_qrels_is_judged(q, qid);
}

int galen_qrels_load(const char *path, struct galen_qrels **out)
{
    int rc;

    msg[0] = '\0';
    rc = eval_qrels_load(path, out, msg, sizeof msg);
    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

int galen_qrels_parse(const char *text, size_t len, const char *name,
                      struct galen_qrels **out)
{
    int rc;

    msg[0] = '\0';
    rc = eval_qrels_parse(text, len, name, out, msg, sizeof msg);
    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

void galen_queries_free(struct galen_queries *qs)
{
    eval_queries_free(qs);
}

int galen_queries_load(const char *path, struct galen_queries **out)
{
    int rc;

    msg[0] = '\0';
    rc = eval_queries_load(path, out, msg, sizeof msg);
    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

int galen_queries_parse(const char *text, size_t len, const char *name,
                        struct galen_queries **out)
{
    int rc;

    msg[0] = '\0';
    rc = eval_queries_parse(text, len, name, out, msg, sizeof msg);
    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

int galen_run_add(struct galen_run *run, const char *qid, const char *docid,
                  double score)
{
    return eval_run_add(run, qid, docid, score);
}

void galen_run_free(struct galen_run *run)
{
    eval_run_free(run);
}

int galen_run_fwrite(const struct galen_run *run, FILE *f, const char *tag)
{
    return eval_run_fwrite(run, f, tag);
}

size_t galen_run_len(const struct galen_run *run)
{
    return eval_run_len(run);
}

int galen_run_load(const char *path, struct galen_run **out)
{
    int rc;

    msg[0] = '\0';
    rc = eval_run_load(path, out, msg, sizeof msg);
    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

int galen_run_new(struct galen_run **out)
{
    int rc = eval_run_new(out);

    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

int galen_run_parse(const char *text, size_t len, const char *name,
                    struct galen_run **out)
{
    int rc;

    msg[0] = '\0';
    rc = eval_run_parse(text, len, name, out, msg, sizeof msg);
    if (rc != GALEN_OK)
        *out = NULL;
    return rc;
}

void galen_run_reset(struct galen_run *run)
{
    eval_run_reset(run);
}
