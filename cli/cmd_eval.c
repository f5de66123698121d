/* SPDX-License-Identifier: MIT */
/* cmd_eval.c: `galen eval`. Runs every judged query of a BEIR query set
 * through a ranker, writes the TREC run, and prints trec_eval-style metrics
 * (the same numbers ../shared/bench/eval.py gives on the written run) with
 * the in-process query latency. A ranker is a small vtable, so a later
 * `--answers` mode only adds a row that ranks with the answer engine. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <galen/answer.h>
#include <galen/error.h>
#include <galen/eval.h>
#include <galen/search.h>

#include "buf.h"
#include "cli.h"
#include "json.h"

enum { EVAL_ERR_CAP = 512, EVAL_DEFAULT_K = 1000 };

/* Produces a ranked list for one query. open/close bracket a whole eval;
 * rank appends at most k (qid, docid, score) lines to run, best first.
 * Errors are galen_err codes; err receives a message. */
struct ranker {
    const char *name;
    int (*open)(const char *data_dir, void **ctx, char *err, size_t err_cap);
    int (*rank)(void *ctx, const char *qid, const char *text, size_t k,
                struct galen_run *run, char *err, size_t err_cap);
    void (*close)(void *ctx);
};

struct eval_opts {
    const char *data;    /* -d */
    const char *queries; /* --queries */
    const char *qrels;   /* --qrels */
    const char *run;     /* --run: output path or NULL */
    const char *score;   /* --score: an existing run to score instead */
    const char *tag;     /* --tag */
    size_t k;            /* -k */
    bool is_json;        /* --json */
    size_t ranker;       /* index into rankers: --answers, --similar */
};

/* What one eval pass measured. */
struct eval_pass {
    struct galen_eval_metrics m;
    struct galen_latency lat;
    size_t nq_run;    /* queries sent to the ranker */
    size_t nq_failed; /* queries the ranker rejected */
    size_t nq_notext; /* judged queries absent from the queries file */
};

/* ---- ranker: galen's search (include/galen/search.h) ---- */

/* Questions are free text: query syntax is off so that a '-' or ':' in a
 * question is a word break, not an operator. Only ids and scores count, so
 * the document store is not read (ids_only). */
struct search_ctx {
    struct galen_index *gi;
    struct galen_search_opts opts;
};

static int search_open(const char *data_dir, void **ctx, char *err,
                       size_t err_cap)
{
    struct search_ctx *sc = calloc(1, sizeof *sc);
    int rc;

    if (!sc)
        return GALEN_ENOMEM;
    rc = galen_index_open(data_dir, &sc->gi);
    if (rc != GALEN_OK) {
        snprintf(err, err_cap, "%s: %s", data_dir,
                 galen_index_errmsg()[0] ? galen_index_errmsg()
                                         : galen_strerror(rc));
        free(sc);
        return rc;
    }
    galen_search_opts_init(&sc->opts);
    sc->opts.plain = true;
    sc->opts.snippets = false;
    sc->opts.ids_only = true;
    *ctx = sc;
    return GALEN_OK;
}

static int search_rank(void *ctx, const char *qid, const char *text, size_t k,
                       struct galen_run *run, char *err, size_t err_cap)
{
    struct search_ctx *sc = ctx;
    struct galen_hits *hits = NULL;
    size_t i;
    int rc;

    sc->opts.k = (unsigned)MIN(k, (size_t)GALEN_K_MAX);
    rc = galen_search(sc->gi, text, &sc->opts, &hits);
    if (rc != GALEN_OK) {
        snprintf(err, err_cap, "%s", galen_index_errmsg());
        return rc;
    }
    for (i = 0; rc == GALEN_OK && i < galen_hits_count(hits); i++) {
        const struct galen_hit *h = galen_hits_get(hits, i);

        rc = galen_run_add(run, qid, h->id, h->score);
        if (rc != GALEN_OK)
            snprintf(err, err_cap, "doc id '%.80s' cannot go in a TREC run",
                     h->id);
    }
    galen_hits_free(hits);
    return rc;
}

static void search_close(void *ctx)
{
    struct search_ctx *sc = ctx;

    if (!sc)
        return;
    galen_index_close(sc->gi);
    free(sc);
}

static const struct ranker search_ranker = {
    "search",
    search_open,
    search_rank,
    search_close,
};

/* ---- rankers: the answer engine (include/galen/answer.h) ---- */

struct answer_rank_ctx {
    struct galen_run *run;
    const char *qid;
    int rc;
};

static int answer_open(const char *data_dir, void **ctx, char *err,
                       size_t err_cap)
{
    struct galen_answerer *a = NULL;
    int rc = cli_open_answerer(data_dir, NULL, NULL, &a);

    if (rc != GALEN_OK) {
        snprintf(err, err_cap, "%s", galen_answerer_errmsg(NULL));
        return rc;
    }
    *ctx = a;
    return GALEN_OK;
}

static void answer_add(void *ctx, const char *id, double score)
{
    struct answer_rank_ctx *r = ctx;

    if (r->rc == GALEN_OK)
        r->rc = galen_run_add(r->run, r->qid, id, score);
}

/* Ranks with the answer engine's own scoring: question type, focus, lay
 * terms and sentence evidence over the retrieved candidates. */
static int answer_rank(void *ctx, const char *qid, const char *text, size_t k,
                       struct galen_run *run, char *err, size_t err_cap)
{
    struct answer_rank_ctx r = {run, qid, GALEN_OK};
    int rc = galen_answer_rank(ctx, text, (unsigned)MIN(k, (size_t)1000),
                               answer_add, &r);

    if (rc != GALEN_OK)
        snprintf(err, err_cap, "%s", galen_answerer_errmsg(ctx));
    return rc != GALEN_OK ? rc : r.rc;
}

/* Ranks answered questions by similarity (what `galen similar` lists). */
static int similar_rank(void *ctx, const char *qid, const char *text, size_t k,
                        struct galen_run *run, char *err, size_t err_cap)
{
    struct galen_similar *s = NULL;
    size_t i;
    int rc = galen_similar_find(ctx, text, (unsigned)MIN(k, (size_t)100), &s);

    if (rc != GALEN_OK) {
        snprintf(err, err_cap, "%s", galen_answerer_errmsg(ctx));
        return rc;
    }
    for (i = 0; rc == GALEN_OK && i < galen_similar_count(s); i++) {
        const struct galen_similar_item *it = galen_similar_get(s, i);
        rc = galen_run_add(run, qid, it->id, it->score);
    }
    galen_similar_free(s);
    return rc;
}

static void answer_close(void *ctx)
{
    galen_answerer_close(ctx);
}

static const struct ranker answer_ranker = {
    "answers",
    answer_open,
    answer_rank,
    answer_close,
};

static const struct ranker similar_ranker = {
    "similar",
    answer_open,
    similar_rank,
    answer_close,
};

/* The rankers `galen eval` can use; the first is the default. A later
 * `--answers` option selects a row that ranks with the answer engine. */
static const struct ranker *const rankers[] = {
    &search_ranker,
    &answer_ranker,
    &similar_ranker,
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen eval [-d DIR] --queries FILE --qrels FILE [--run "
            "FILE]\n"
            "                  [-k N] [--tag T] [--json]\n"
            "       galen eval --qrels FILE --score RUN [--json]\n\n"
            "Runs every judged query (a qrels query with a relevant doc) "
            "through\n"
            "galen's search, writes a TREC run (qid Q0 docid rank score tag) "
            "and\n"
            "prints nDCG@10 (gain = qrels grade), Recall@100, MRR@10, MAP, "
            "P@5,\n"
            "with trec_eval's conventions, plus p50/p99 query latency "
            "(in-process).\n\n"
            "  -d, --data DIR      index folder (default $GALEN_DATA, else "
            "./%s)\n"
            "  -q, --queries FILE  BEIR queries.jsonl (_id, text)\n"
            "  -r, --qrels FILE    BEIR qrels TSV (query-id corpus-id score)\n"
            "  -o, --run FILE      write the TREC run to FILE\n"
            "  -k N                results per query, 1..%d (default %d; "
            "Recall@100\n"
            "                      needs >= 100)\n"
            "  -t, --tag T         run tag (default galen)\n"
            "      --score RUN     score an existing TREC run instead of "
            "searching\n"
            "      --answers       rank with the answer engine's scoring "
            "(re-ranks\n"
            "                      the top k of BM25F; use -k 100)\n"
            "      --similar       rank answered questions as `galen "
            "similar` does\n"
            "                      (at most 100 per query)\n"
            "      --json          print one JSON object\n"
            "  -h, --help          show this help\n",
            CLI_DEFAULT_DATA, GALEN_K_MAX, EVAL_DEFAULT_K);
}

/* Applies option c. Returns EXIT_OK, EXIT_USAGE, or -1 after --help. */
static int apply_opt(int c, struct eval_opts *o)
{
    unsigned k;

    switch (c) {
    case 'd':
        o->data = optarg;
        return EXIT_OK;
    case 'q':
        o->queries = optarg;
        return EXIT_OK;
    case 'r':
        o->qrels = optarg;
        return EXIT_OK;
    case 'o':
        o->run = optarg;
        return EXIT_OK;
    case 't':
        o->tag = optarg;
        return EXIT_OK;
    case 'S':
        o->score = optarg;
        return EXIT_OK;
    case 'J':
        o->is_json = true;
        return EXIT_OK;
    case 'A':
        o->ranker = 1;
        return EXIT_OK;
    case 'M':
        o->ranker = 2;
        return EXIT_OK;
    case 'k':
        if (cli_uint(optarg, 1, GALEN_K_MAX, &k) == 0) {
            o->k = k;
            return EXIT_OK;
        }
        return cli_usage_error("eval",
                               "bad -k '%s' (want a whole number "
                               "from 1 to %d)",
                               optarg, GALEN_K_MAX);
    case 'h':
        usage(stdout);
        return -1;
    default:
        return EXIT_USAGE; /* cli_getopt said why */
    }
}

/* Fills o from argv. Returns EXIT_OK, EXIT_USAGE, or -1 after --help. */
static int parse_args(int argc, char **argv, struct eval_opts *o)
{
    static const struct option longs[] = {
        {"data", required_argument, NULL, 'd'},
        {"queries", required_argument, NULL, 'q'},
        {"qrels", required_argument, NULL, 'r'},
        {"run", required_argument, NULL, 'o'},
        {"tag", required_argument, NULL, 't'},
        {"score", required_argument, NULL, 'S'},
        {"json", no_argument, NULL, 'J'},
        {"answers", no_argument, NULL, 'A'},
        {"similar", no_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int code = EXIT_OK;
    int c;

    memset(o, 0, sizeof *o);
    o->tag = "galen";
    o->k = EVAL_DEFAULT_K;
    optind = 0;
    while (code == EXIT_OK) {
        c = cli_getopt(argc, argv, "d:q:r:o:k:t:h", longs);
        if (c == -1)
            break;
        code = apply_opt(c, o);
    }
    return code;
}

static int check_args(int argc, char **argv, const struct eval_opts *o)
{
    if (optind < argc) {
        LOG_ERROR("unexpected argument '%s' (see galen eval --help)",
                  argv[optind]);
        return EXIT_USAGE;
    }
    if (!o->qrels) {
        LOG_ERROR("--qrels is required (see galen eval --help)");
        return EXIT_USAGE;
    }
    if (!o->score && !o->queries) {
        LOG_ERROR("--queries is required (see galen eval --help)");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static void print_metrics(const struct eval_opts *o, const struct eval_pass *p,
                          bool has_latency)
{
    const struct galen_eval_metrics *m = &p->m;

    if (o->is_json) {
        struct buf b;
        int rc = GALEN_OK;

        /* The tag is the user's text: it goes through the JSON escaper. */
        buf_init(&b, 1 << 20);
        buf_put_str(&rc, &b, "{\"tag\":");
        json_put_str(&rc, &b, o->tag);
        buf_printf(&rc, &b,
                   ",\"k\":%zu,\"num_q\":%zu,"
                   "\"num_q_with_results\":%zu,\"ndcg@10\":%.4f,"
                   "\"recall@100\":%.4f,\"recall@1000\":%.4f,"
                   "\"mrr@10\":%.4f,\"map\":%.4f,\"p@5\":%.4f,\"p@10\":%.4f",
                   o->k, m->num_q, m->num_q_ret, m->ndcg10, m->recall100,
                   m->recall1000, m->mrr10, m->map, m->p5, m->p10);
        if (has_latency)
            buf_printf(&rc, &b,
                       ",\"failed\":%zu,\"p50_us\":%.1f,\"p95_us\":%.1f,"
                       "\"p99_us\":%.1f,\"mean_us\":%.1f,\"qps\":%.1f",
                       p->nq_failed, p->lat.p50_us, p->lat.p95_us,
                       p->lat.p99_us, p->lat.mean_us, p->lat.qps);
        buf_put_str(&rc, &b, "}\n");
        if (rc == GALEN_OK)
            fwrite(b.data, 1, b.len, stdout);
        else
            LOG_ERROR("--json: %s", galen_strerror(rc));
        buf_cleanup(&b);
        return;
    }
    printf("queries      %zu judged, %zu with results\n", m->num_q,
           m->num_q_ret);
    printf("nDCG@10      %.4f\nRecall@100   %.4f\nMRR@10       %.4f\n"
           "MAP          %.4f\nP@5          %.4f\n",
           m->ndcg10, m->recall100, m->mrr10, m->map, m->p5);
    if (has_latency)
        printf("latency      p50 %.1f us, p99 %.1f us (%zu queries, k=%zu)\n",
               p->lat.p50_us, p->lat.p99_us, p->nq_run, o->k);
}

/* --score: evaluates an existing run file. */
static int score_file(const struct eval_opts *o,
                      const struct galen_qrels *qrels)
{
    struct galen_run *run = NULL;
    struct eval_pass p;
    int rc = galen_run_load(o->score, &run);

    if (rc != GALEN_OK) {
        LOG_ERROR("%s", galen_eval_errmsg());
        return cli_exit_for(rc);
    }
    memset(&p, 0, sizeof p);
    rc = galen_eval_compute(qrels, run, &p.m);
    galen_run_free(run);
    if (rc != GALEN_OK) {
        LOG_ERROR("scoring %s: %s", o->score, galen_strerror(rc));
        return cli_exit_for(rc);
    }
    print_metrics(o, &p, false);
    return EXIT_OK;
}

/* Query-level failures (a query the ranker rejects) score 0 and the eval
 * goes on; anything else stops it. */
static bool is_query_error(int rc)
{
    return rc == GALEN_EPARSE || rc == GALEN_EINVAL || rc == GALEN_ETOOBIG;
}

/* Ranks one query, times it, scores it and appends it to the run file.
 * Sets *failed when the ranker rejected the query. */
static int run_one(const struct ranker *rk, void *ctx,
                   const struct galen_query *q, const struct eval_opts *o,
                   struct galen_run *run, struct galen_eval *ev, FILE *out,
                   double *lat_us, bool *failed)
{
    char err[EVAL_ERR_CAP] = "";
    double t0;
    int rc;

    galen_run_reset(run);
    t0 = cli_now();
    rc = rk->rank(ctx, q->id, q->text, o->k, run, err, sizeof err);
    *lat_us = (cli_now() - t0) * 1e6;
    *failed = rc != GALEN_OK;
    if (rc != GALEN_OK) {
        LOG_WARN("query %s: %s", q->id, err[0] ? err : galen_strerror(rc));
        if (!is_query_error(rc))
            return rc;
        galen_run_reset(run);
    }
    rc = galen_eval_add(ev, run);
    if (rc == GALEN_OK && out)
        rc = galen_run_fwrite(run, out, o->tag);
    return rc;
}

/* Sends every judged query through rk; fills p. */
static int run_queries(const struct ranker *rk, void *ctx,
                       const struct galen_queries *qs,
                       const struct galen_qrels *qrels,
                       const struct eval_opts *o, FILE *out,
                       struct eval_pass *p)
{
    struct galen_run *run = NULL;
    struct galen_eval *ev = NULL;
    double *lat = calloc(qs->count ? qs->count : 1, sizeof *lat);
    int rc = lat ? galen_run_new(&run) : GALEN_ENOMEM;
    bool failed;
    size_t i;

    if (rc == GALEN_OK)
        rc = galen_eval_new(qrels, &ev);
    for (i = 0; rc == GALEN_OK && i < qs->count; i++) {
        if (!galen_qrels_is_judged(qrels, qs->items[i].id))
            continue;
        rc = run_one(rk, ctx, &qs->items[i], o, run, ev, out, &lat[p->nq_run++],
                     &failed);
        p->nq_failed += failed;
    }
    if (rc == GALEN_OK) {
        galen_eval_result(ev, &p->m);
        galen_eval_latency(lat, p->nq_run, &p->lat);
        p->nq_notext = p->m.num_q - p->nq_run;
    }
    galen_eval_free(ev);
    galen_run_free(run);
    free(lat);
    return rc;
}

static int open_run_file(const struct eval_opts *o, FILE **out)
{
    *out = NULL;
    if (!o->run)
        return EXIT_OK;
    *out = fopen(o->run, "w");
    if (!*out) {
        LOG_ERROR("%s: cannot write: %s", o->run, strerror(errno));
        return EXIT_IO;
    }
    return EXIT_OK;
}

static int close_run_file(const struct eval_opts *o, FILE *out, int code)
{
    if (!out)
        return code;
    if (fclose(out) != 0 && code == EXIT_OK) {
        LOG_ERROR("%s: write failed: %s", o->run, strerror(errno));
        return EXIT_IO;
    }
    return code;
}

/* Searches: opens the ranker, runs the queries, reports. */
static int search_and_score(const struct eval_opts *o,
                            const struct galen_qrels *qrels,
                            const struct galen_queries *qs)
{
    const struct ranker *rk = rankers[o->ranker];
    void *ctx = NULL;
    struct eval_pass p;
    FILE *out;
    char err[EVAL_ERR_CAP] = "";
    int rc = rk->open(cli_data_dir(o->data), &ctx, err, sizeof err);
    int code;

    if (rc != GALEN_OK) {
        LOG_ERROR("%s", err[0] ? err : galen_strerror(rc));
        return cli_exit_for(rc);
    }
    code = open_run_file(o, &out);
    memset(&p, 0, sizeof p);
    if (code == EXIT_OK) {
        rc = run_queries(rk, ctx, qs, qrels, o, out, &p);
        code = close_run_file(o, out, cli_exit_for(rc));
        if (rc != GALEN_OK)
            LOG_ERROR("eval: %s", galen_strerror(rc));
    }
    rk->close(ctx);
    if (code != EXIT_OK)
        return code;
    if (p.nq_notext)
        LOG_WARN("%zu judged queries are missing from %s; they score 0",
                 p.nq_notext, o->queries);
    if (p.nq_failed)
        LOG_WARN("%zu queries failed and score 0", p.nq_failed);
    print_metrics(o, &p, true);
    return EXIT_OK;
}

static int load_inputs(const struct eval_opts *o, struct galen_qrels **qrels,
                       struct galen_queries **qs)
{
    int rc = galen_qrels_load(o->qrels, qrels);

    if (rc == GALEN_OK && !o->score)
        rc = galen_queries_load(o->queries, qs);
    if (rc != GALEN_OK) {
        LOG_ERROR("%s", galen_eval_errmsg());
        return cli_exit_for(rc);
    }
    if (galen_qrels_count(*qrels) == 0)
        LOG_WARN("%s has no query with a relevant document", o->qrels);
    return EXIT_OK;
}

int cmd_eval(int argc, char **argv)
{
    struct eval_opts o;
    struct galen_qrels *qrels = NULL;
    struct galen_queries *qs = NULL;
    int code = parse_args(argc, argv, &o);

    if (code < 0)
        return EXIT_OK;
    if (code == EXIT_OK)
        code = check_args(argc, argv, &o);
    if (code == EXIT_OK)
        code = load_inputs(&o, &qrels, &qs);
    if (code == EXIT_OK)
        code =
            o.score ? score_file(&o, qrels) : search_and_score(&o, qrels, qs);
    galen_queries_free(qs);
    galen_qrels_free(qrels);
    return code;
}
