/* SPDX-License-Identifier: MIT */
/* galen/eval.h: retrieval evaluation. Reads BEIR qrels and queries, holds a
 * TREC run, writes it, and scores it with trec_eval's conventions exactly as
 * ../shared/bench/eval.py does (the reference): run documents re-sorted by
 * score descending with ties by doc id descending, duplicates keep the
 * first, every qrels query with a relevant document counts (one without run
 * lines scores 0), relevant means grade > 0. */
#ifndef GALEN_EVAL_H
#define GALEN_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <galen/common.h>

GALEN_BEGIN_DECLS

/* The message of the last failed galen_qrels_*, galen_queries_* or
 * galen_run_* parse or load on this thread ("" after a success): these
 * fail before there is a handle to hold it. Static thread-local storage. */
GALEN_API const char *galen_eval_errmsg(void);

/* Relevance judgements: (query id, doc id, grade) triples. Opaque. */
struct galen_qrels;

/* A TREC run: per query, (doc id, score) pairs in the order added. Opaque. */
struct galen_run;

/* One query of a queries.jsonl file. */
struct galen_query {
    char *id;   /* the "_id" field; owned by the set */
    char *text; /* the "text" field; owned by the set */
};

/* All queries of a queries.jsonl file, in file order. */
struct galen_queries {
    struct galen_query *items; /* owned; count entries */
    size_t count;
};

/* Mean scores over the judged queries; num_q counts the qrels queries with
 * at least one relevant document. */
struct galen_eval_metrics {
    double ndcg10;     /* nDCG@10, gain = grade, discount log2(rank + 1) */
    double recall100;  /* relevant in top 100 / all relevant */
    double recall1000; /* relevant in top 1000 / all relevant */
    double mrr10;      /* 1 / rank of the first relevant doc in the top 10 */
    double map;        /* mean average precision over the whole run */
    double p5;         /* relevant in top 5 / 5 */
    double p10;        /* relevant in top 10 / 10 */
    size_t num_q;      /* judged queries scored */
    size_t num_q_ret;  /* of those, queries with at least one run line */
};

/* Latency summary of a query pass, in microseconds. Percentiles are
 * nearest-rank, the rule the shared baseline drivers use. */
struct galen_latency {
    double p50_us;
    double p95_us;
    double p99_us;
    double mean_us;
    double max_us;
    double qps; /* queries / summed query time */
};

/* Parses qrels text: lines "query-id corpus-id score" (BEIR TSV; a header
 * line is allowed as the first non-blank line) or TREC "qid iter docid rel",
 * fields separated by tabs or spaces. A grade is a number truncated toward
 * zero; a later line for the same (query, doc) replaces an earlier one.
 * name labels messages. Returns GALEN_OK and *out (free with
 * galen_qrels_free), GALEN_EPARSE with "name:line: reason" in
 * galen_eval_errmsg() or GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int galen_qrels_parse(const char *text, size_t len,
                                                const char *name,
                                                struct galen_qrels **out);

/* Reads and parses the qrels file at path as galen_qrels_parse does;
 * GALEN_EIO or GALEN_ENOENT (with a message) when it cannot be read. */
GALEN_API GALEN_NODISCARD int galen_qrels_load(const char *path,
                                               struct galen_qrels **out);

/* Frees q; NULL is a no-op. */
GALEN_API void galen_qrels_free(struct galen_qrels *q);

/* Returns how many queries have at least one relevant (grade > 0) doc. */
GALEN_API size_t galen_qrels_count(const struct galen_qrels *q);

/* Returns true if qid has at least one relevant doc (it is evaluated). */
GALEN_API bool galen_qrels_is_judged(const struct galen_qrels *q,
                                     const char *qid);

/* Returns the grade of (qid, docid), or 0 when it is not judged. */
GALEN_API int galen_qrels_grade(const struct galen_qrels *q, const char *qid,
                                const char *docid);

/* Parses queries.jsonl text: one JSON object per line with string fields
 * "_id" and "text" (other fields ignored, blank lines skipped). An id must
 * be non-empty, free of whitespace and unique. Returns GALEN_OK and *out
 * (free with galen_queries_free), GALEN_EPARSE with "name:line: reason" in
 * galen_eval_errmsg(), or GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int galen_queries_parse(const char *text, size_t len,
                                                  const char *name,
                                                  struct galen_queries **out);

/* Reads and parses a queries.jsonl file; GALEN_EIO/GALEN_ENOENT when it
 * cannot be read. */
GALEN_API GALEN_NODISCARD int galen_queries_load(const char *path,
                                                 struct galen_queries **out);

/* Frees qs and every string in it; NULL is a no-op. */
GALEN_API void galen_queries_free(struct galen_queries *qs);

/* Precision of the scores a run keeps and writes: "%.6f", like the shared
 * drivers. galen_run_add rounds to it so that scoring a run in memory and
 * scoring the written file with eval.py see the same ties. */
#define GALEN_RUN_SCORE_FMT "%.6f"

/* Creates an empty run. Returns GALEN_OK and *out (free with
 * galen_run_free) or GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int galen_run_new(struct galen_run **out);

/* Frees run; NULL is a no-op. */
GALEN_API void galen_run_free(struct galen_run *run);

/* Appends one result for qid; add a query's results one after another, best
 * first. The rank written is the position in that block (it restarts at 1
 * whenever qid differs from the previous line's). Copies both strings and
 * rounds score to GALEN_RUN_SCORE_FMT. Returns GALEN_OK, GALEN_EINVAL if an
 * id is empty or holds whitespace or score is not finite, or GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int galen_run_add(struct galen_run *run,
                                            const char *qid, const char *docid,
                                            double score);

/* Returns the number of result lines in run. */
GALEN_API size_t galen_run_len(const struct galen_run *run);

/* Parses a TREC run ("qid Q0 docid rank score tag" per line; the rank is
 * read but ignored, as trec_eval does). Returns GALEN_OK and *out,
 * GALEN_EPARSE with "name:line: reason" in galen_eval_errmsg(), or
 * GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int galen_run_parse(const char *text, size_t len,
                                              const char *name,
                                              struct galen_run **out);

/* Reads and parses a TREC run file. */
GALEN_API GALEN_NODISCARD int galen_run_load(const char *path,
                                             struct galen_run **out);

/* Empties run, keeping its storage, so a caller can score and write one
 * query at a time. */
GALEN_API void galen_run_reset(struct galen_run *run);

/* Writes run to f as TREC lines "qid Q0 docid rank score tag" in the order
 * added. tag must be non-empty without whitespace. Returns GALEN_OK,
 * GALEN_EINVAL (bad tag) or GALEN_EIO (a write failed). */
GALEN_API GALEN_NODISCARD int galen_run_fwrite(const struct galen_run *run,
                                               FILE *f, const char *tag);

/* An evaluation in progress: per-query scores of the runs added so far.
 * Opaque. */
struct galen_eval;

/* Starts an evaluation against q, which is borrowed and must outlive it.
 * Returns GALEN_OK and *out (free with galen_eval_free) or GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int galen_eval_new(const struct galen_qrels *q,
                                             struct galen_eval **out);

/* Frees ev; NULL is a no-op. */
GALEN_API void galen_eval_free(struct galen_eval *ev);

/* Scores every judged query of run (others are ignored). A query scored
 * again replaces its earlier scores, so give each query's results in one
 * run. Returns GALEN_OK or GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int galen_eval_add(struct galen_eval *ev,
                                             const struct galen_run *run);

/* Writes the means over all judged queries into *out; a judged query that
 * no added run holds scores 0. */
GALEN_API void galen_eval_result(const struct galen_eval *ev,
                                 struct galen_eval_metrics *out);

/* Scores a whole run against q in one call (new, add, result, free).
 * Returns GALEN_OK or GALEN_ENOMEM. */
GALEN_API GALEN_NODISCARD int
galen_eval_compute(const struct galen_qrels *q, const struct galen_run *run,
                   struct galen_eval_metrics *out);

/* Summarises n per-query latencies (µs) into *out; sorts lat_us in place.
 * n == 0 gives all zeros. */
GALEN_API void galen_eval_latency(double *lat_us, size_t n,
                                  struct galen_latency *out);

GALEN_END_DECLS

#endif
