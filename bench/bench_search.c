/* SPDX-License-Identifier: MIT */
/* bench_search.c: times galen's top-k search the way the shared baseline
 * drivers (../shared/bench/src) time FTS5 and Xapian, and takes the same
 * arguments, so bench/run.sh can treat the three engines alike:
 *
 *   bench_search search DIR queries.jsonl qrels.tsv|- K run.txt|- TAG
 *                [--reps N] [--maxq N] [--warmup N] [--snippets]
 *
 * DIR is a galen data folder (the index is DIR/index). Queries are the
 * judged ones of the qrels (all of them with "-"), the first --maxq. Each
 * query's text goes to galen_search as free text (no query syntax), top K,
 * ids and scores only (like the drivers, no stored text is read) unless
 * --snippets asks for a snippet per hit, as `galen search` shows. Timed per
 * query: the search call and freeing its hits (the drivers time their statement
 * or MSet the same way); not timed: start-up, loading, writing the run. One
 * untimed warm-up pass (over --warmup queries, default all), then --reps timed
 * passes (default 3). Prints one JSON line: the median over passes of
 * p50/p95/p99/mean/max latency (µs, nearest rank) and QPS, as the drivers do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <galen/error.h>
#include <galen/eval.h>
#include <galen/search.h>

enum { BENCH_MAX_REPS = 64 };

struct bench_args {
    const char *dir;
    const char *queries;
    const char *qrels; /* NULL for "-" */
    const char *run;   /* NULL for "-" */
    const char *tag;
    unsigned k;
    long reps;
    long maxq;   /* 0: all */
    long warmup; /* -1: a full pass */
    int is_snippets;
};

/* The queries to run: borrowed from a galen_queries set. */
struct bench_set {
    const struct galen_query **q;
    size_t n;
};

static double now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (!*s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_opts(int argc, char **argv, struct bench_args *a)
{
    int i;
    long *dst;

    for (i = 8; i < argc; i++) {
        if (!strcmp(argv[i], "--snippets")) {
            a->is_snippets = 1;
            continue;
        }
        if (!strcmp(argv[i], "--reps"))
            dst = &a->reps;
        else if (!strcmp(argv[i], "--maxq"))
            dst = &a->maxq;
        else if (!strcmp(argv[i], "--warmup"))
            dst = &a->warmup;
        else
            return -1;
        if (i + 1 >= argc || parse_long(argv[++i], 0, 1L << 30, dst) != 0)
            return -1;
    }
    if (a->reps < 1)
        a->reps = 1;
    if (a->reps > BENCH_MAX_REPS)
        a->reps = BENCH_MAX_REPS;
    return 0;
}

static int parse_args(int argc, char **argv, struct bench_args *a)
{
    long k;

    memset(a, 0, sizeof *a);
    a->reps = 3;
    a->warmup = -1;
    if (argc < 8 || strcmp(argv[1], "search") != 0)
        return -1;
    a->dir = argv[2];
    a->queries = argv[3];
    a->qrels = strcmp(argv[4], "-") ? argv[4] : NULL;
    a->run = strcmp(argv[6], "-") ? argv[6] : NULL;
    a->tag = argv[7];
    if (parse_long(argv[5], 1, GALEN_K_MAX, &k) != 0)
        return -1;
    a->k = (unsigned)k;
    return parse_opts(argc, argv, a);
}

/* Picks the judged queries (all without qrels), the first maxq of them. */
static int select_queries(const struct bench_args *a,
                          const struct galen_queries *qs,
                          const struct galen_qrels *qrels,
                          struct bench_set *set)
{
    size_t i;

    set->q = calloc(qs->count ? qs->count : 1, sizeof *set->q);
    set->n = 0;
    if (!set->q)
        return GALEN_ENOMEM;
    for (i = 0; i < qs->count; i++) {
        if (a->maxq > 0 && set->n >= (size_t)a->maxq)
            break;
        if (qrels && !galen_qrels_is_judged(qrels, qs->items[i].id))
            continue;
        set->q[set->n++] = &qs->items[i];
    }
    return GALEN_OK;
}

/* Runs one query; adds its hits to run when run is non-NULL (untimed).
 * Returns the timed µs in *us, the hit count in *nhits. */
static int one_query(struct galen_index *gi, const struct galen_query *q,
                     const struct galen_search_opts *o, struct galen_run *run,
                     double *us, size_t *nhits)
{
    struct galen_hits *h = NULL;
    double t0 = now_sec();
    double t1;
    double t2;
    size_t i;
    int rc = galen_search(gi, q->text, o, &h);

    t1 = now_sec();
    if (rc != GALEN_OK) {
        fprintf(stderr, "bench_search: query %s: %s\n", q->id,
                galen_index_errmsg());
        return rc;
    }
    *nhits = galen_hits_count(h);
    for (i = 0; run && rc == GALEN_OK && i < *nhits; i++) {
        const struct galen_hit *hit = galen_hits_get(h, i);

        rc = galen_run_add(run, q->id, hit->id, hit->score);
    }
    t2 = now_sec();
    galen_hits_free(h);
    *us = ((t1 - t0) + (now_sec() - t2)) * 1e6;
    return rc;
}

/* One pass over the first n queries; lat receives per-query µs. */
static int one_pass(struct galen_index *gi, const struct bench_set *set,
                    size_t n, const struct galen_search_opts *o,
                    struct galen_run *run, double *lat, size_t *total_hits)
{
    size_t i;
    size_t nh = 0;
    int rc = GALEN_OK;

    *total_hits = 0;
    for (i = 0; rc == GALEN_OK && i < n; i++) {
        rc = one_query(gi, set->q[i], o, run, &lat[i], &nh);
        *total_hits += nh;
    }
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Median of v[0..n), averaging the middle two when n is even (as the
 * drivers' median3 does). Sorts v. */
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#define MEDIAN_OF(field)                                 \
    do {                                                 \
        for (i = 0; i < reps; i++)                       \
            v[i] = st[i].field;                          \
        printf(",\"" #field "\":%.1f", median(v, reps)); \
    } while (0)

static void print_json(const struct bench_args *a, size_t nq,
                       const struct galen_latency *st, size_t reps,
                       double avg_results)
{
    double v[BENCH_MAX_REPS];
    size_t i;

    printf("{\"engine\":\"galen\",\"variant\":\"%s\",\"nq\":%zu,\"k\":%u,"
           "\"reps\":%zu",
           a->is_snippets ? "snippets" : "default", nq, a->k, reps);
    MEDIAN_OF(p50_us);
    MEDIAN_OF(p95_us);
    MEDIAN_OF(p99_us);
    MEDIAN_OF(mean_us);
    MEDIAN_OF(max_us);
    MEDIAN_OF(qps);
    printf(",\"avg_results\":%.1f,\"per_rep_p50_us\":[", avg_results);
    for (i = 0; i < reps; i++)
        printf("%s%.1f", i ? "," : "", st[i].p50_us);
    printf("],\"per_rep_qps\":[");
    for (i = 0; i < reps; i++)
        printf("%s%.1f", i ? "," : "", st[i].qps);
    printf("]}\n");
}

static int write_run(const struct bench_args *a, const struct galen_run *run)
{
    FILE *f;
    int rc;

    if (!a->run)
        return GALEN_OK;
    f = fopen(a->run, "w");
    if (!f) {
        perror(a->run);
        return GALEN_EIO;
    }
    rc = galen_run_fwrite(run, f, a->tag);
    if (fclose(f) != 0 && rc == GALEN_OK)
        rc = GALEN_EIO;
    return rc;
}

/* Warm-up, then the timed passes; the last one fills the run. */
static int bench(const struct bench_args *a, struct galen_index *gi,
                 const struct bench_set *set)
{
    struct galen_search_opts o;
    struct galen_latency st[BENCH_MAX_REPS];
    struct galen_run *run = NULL;
    double *lat = calloc(set->n ? set->n : 1, sizeof *lat);
    size_t nwarm = set->n;
    size_t hits = 0;
    long r;
    int rc = lat ? galen_run_new(&run) : GALEN_ENOMEM;

    galen_search_opts_init(&o);
    o.k = a->k;
    o.plain = true;
    o.snippets = a->is_snippets != 0;
    o.ids_only = !a->is_snippets;
    if (a->warmup >= 0 && (size_t)a->warmup < set->n)
        nwarm = (size_t)a->warmup;
    if (rc == GALEN_OK)
        rc = one_pass(gi, set, nwarm, &o, NULL, lat, &hits);
    for (r = 0; rc == GALEN_OK && r < a->reps; r++) {
        rc = one_pass(gi, set, set->n, &o, r + 1 == a->reps ? run : NULL, lat,
                      &hits);
        galen_eval_latency(lat, set->n, &st[r]);
    }
    if (rc == GALEN_OK)
        rc = write_run(a, run);
    if (rc == GALEN_OK)
        print_json(a, set->n, st, (size_t)a->reps,
                   set->n ? (double)hits / (double)set->n : 0.0);
    galen_run_free(run);
    free(lat);
    return rc;
}

static int load(const struct bench_args *a, struct galen_queries **qs,
                struct galen_qrels **qrels, struct galen_index **gi)
{
    int rc = galen_queries_load(a->queries, qs);

    if (rc == GALEN_OK && a->qrels)
        rc = galen_qrels_load(a->qrels, qrels);
    if (rc != GALEN_OK) {
        fprintf(stderr, "bench_search: %s\n", galen_eval_errmsg());
        return rc;
    }
    rc = galen_index_open(a->dir, gi);
    if (rc != GALEN_OK)
        fprintf(stderr, "bench_search: %s: %s\n", a->dir,
                galen_index_errmsg()[0] ? galen_index_errmsg()
                                        : galen_strerror(rc));
    return rc;
}

int main(int argc, char **argv)
{
    struct bench_args a;
    struct galen_queries *qs = NULL;
    struct galen_qrels *qrels = NULL;
    struct galen_index *gi = NULL;
    struct bench_set set = {NULL, 0};
    int rc;

    if (parse_args(argc, argv, &a) != 0) {
        fprintf(stderr,
                "usage: %s search DIR queries.jsonl qrels.tsv|- K "
                "run.txt|- TAG\n"
                "       [--reps N] [--maxq N] [--warmup N] "
                "[--snippets]\n",
                argv[0]);
        return 2;
    }
    rc = load(&a, &qs, &qrels, &gi);
    if (rc == GALEN_OK)
        rc = select_queries(&a, qs, qrels, &set);
    if (rc == GALEN_OK)
        rc = bench(&a, gi, &set);
    free(set.q);
    galen_index_close(gi);
    galen_qrels_free(qrels);
    galen_queries_free(qs);
    return rc == GALEN_OK ? 0 : 1;
}
