/* SPDX-License-Identifier: MIT */
/* fuzz_eval.c: the queries.jsonl, qrels and TREC run parsers on arbitrary
 * bytes, then scoring. The queries parser sees the whole input; the bytes
 * before the first NUL are parsed as qrels and those after it as a run, and
 * the run is scored against the qrels when both parse. */
#include <string.h>

#include <galen/eval.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t qlen = nul ? (size_t)(nul - text) : size;
    const char *run = nul ? nul + 1 : text + size;
    size_t rlen = (size_t)(text + size - run);
    struct galen_qrels *q = NULL;
    struct galen_run *r = NULL;
    struct galen_queries *qs = NULL;
    struct galen_eval_metrics m;

    if (galen_queries_parse(text, size, "f", &qs) == 0)
        galen_queries_free(qs);
    if (galen_qrels_parse(text, qlen, "f", &q) == 0 &&
        galen_run_parse(run, rlen, "f", &r) == 0 &&
        galen_eval_compute(q, r, &m) != 0)
        m.num_q = 0; /* only ENOMEM; nothing to check */
    galen_run_free(r);
    galen_qrels_free(q);
    return 0;
}
