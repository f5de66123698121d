/* SPDX-License-Identifier: MIT */
/* cmd_index.c: `galen index`, which adds corpus files to the index in the
 * data folder, showing a progress bar on a TTY and ending with a summary
 * line (documents, terms, bytes, seconds, throughput). */
#include <cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <galen/error.h>
#include <galen/search.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen index [-d DIR] [--format beir] [options] FILE...\n"
            "       galen index [-d DIR] [-q] [--rebuild]\n"
            "       galen index [-d DIR] --verify\n"
            "       galen index [-d DIR] --follow [--once] [--interval MS]\n"
            "\n"
            "With no FILE, brings DIR/index up to date with the store\n"
            "(DIR/store.db): only documents changed since the last run.\n"
            "A missing index is rebuilt from the store; --rebuild rebuilds\n"
            "it from the store in any case (after corruption, say).\n"
            "Adds the documents of each FILE to the index in DIR/index.\n"
            "A document whose id is already indexed is replaced.\n"
            "\n"
            "  -d, --data DIR       data folder (default $GALEN_DATA, else "
            "./%s)\n"
            "  -f, --format FMT     corpus format: beir (JSONL with _id, "
            "title, text)\n"
            "      --k1 X           BM25 k1 of a new index (default 1.2)\n"
            "      --weight F=W     BM25F weight of field F in a new index\n"
            "      --b F=B          BM25F length normalisation of field F, "
            "0..1\n"
            "      --merge          merge the index into one segment\n"
            "      --verify         check every checksum and decode every "
            "block\n"
            "      --rebuild        rebuild DIR/index from the store\n"
            "      --follow         keep DIR/index, a replica's own index, in "
            "step\n"
            "                       with the store's change log until "
            "stopped\n"
            "                       (an empty DIR is built first; "
            "docs/deploy.md)\n"
            "      --once           with --follow: one round, then exit\n"
            "      --interval MS    with --follow: time between rounds "
            "(1000)\n"
            "  -q, --quiet          no progress bar or summary\n"
            "      --json           print the summary as JSON\n"
            "  -h, --help           this help\n",
            CLI_DEFAULT_DATA);
}

static int on_progress(void *ctx, uint64_t done, uint64_t total, uint64_t docs)
{
    struct progress *p = ctx;

    UNUSED(docs);
    p->total = total;
    progress_update(p, done);
    return 0;
}

static int summary(const struct galen_build_stats *st, bool json)
{
    double mb = (double)st->text_bytes / 1e6;

    if (json) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddNumberToObject(o, "docs", (double)st->docs);
        cJSON_AddNumberToObject(o, "terms", (double)st->terms);
        cJSON_AddNumberToObject(o, "text_bytes", (double)st->text_bytes);
        cJSON_AddNumberToObject(o, "index_bytes", (double)st->index_bytes);
        cJSON_AddNumberToObject(o, "store_bytes", (double)st->store_bytes);
        cJSON_AddNumberToObject(o, "seconds", st->seconds);
        return cli_print_json(o);
    }
    printf("indexed %llu docs, %llu terms, %.1f MB of text in %.2f s "
           "(%.1f MB/s); index %.1f MB, stored text %.1f MB\n",
           (unsigned long long)st->docs, (unsigned long long)st->terms, mb,
           st->seconds, st->seconds > 0 ? mb / st->seconds : 0.0,
           (double)st->index_bytes / 1e6, (double)st->store_bytes / 1e6);
    return EXIT_OK;
}

enum {
    OPT_K1 = 256,
    OPT_WEIGHT,
    OPT_B,
    OPT_MERGE,
    OPT_VERIFY,
    OPT_JSON,
    OPT_REBUILD,
    OPT_FOLLOW,
    OPT_ONCE,
    OPT_INTERVAL
};

static const struct option long_opts[] = {
    {"data", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'f'},
    {"k1", required_argument, NULL, OPT_K1},
    {"weight", required_argument, NULL, OPT_WEIGHT},
    {"b", required_argument, NULL, OPT_B},
    {"merge", no_argument, NULL, OPT_MERGE},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"quiet", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, OPT_JSON},
    {"rebuild", no_argument, NULL, OPT_REBUILD},
    {"follow", no_argument, NULL, OPT_FOLLOW},
    {"once", no_argument, NULL, OPT_ONCE},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* The command line of `galen index`. */
struct index_args {
    const char *data;
    bool quiet, json, verify, rebuild, follow, once;
    unsigned interval_ms;
    struct galen_build_opts o;
};

/* Applies option c; 0, 1 for --help, or -1 after saying what was wrong. */
static int one_opt(int c, struct index_args *a)
{
    switch (c) {
    case 'd':
        a->data = optarg;
        return 0;
    case 'f':
        if (strcmp(optarg, "beir") == 0) {
            a->o.format = optarg;
            return 0;
        }
        cli_usage_error("index", "unknown corpus format '%s' (want beir)",
                        optarg);
        return -1;
    case OPT_K1:
        if (cli_number(optarg, &a->o.k1) == 0 && a->o.k1 >= 0)
            return 0;
        cli_usage_error("index", "bad --k1 '%s' (want a number >= 0)", optarg);
        return -1;
    case OPT_WEIGHT:
    case OPT_B:
        if (cli_field_param(optarg, c == OPT_WEIGHT, a->o.field,
                            &a->o.nfield) == 0)
            return 0;
        cli_usage_error("index", "bad %s '%s' (want FIELD=NUMBER)",
                        c == OPT_WEIGHT ? "--weight" : "--b", optarg);
        return -1;
    case OPT_MERGE:
        a->o.merge = true;
        return 0;
    case OPT_VERIFY:
        a->verify = true;
        return 0;
    case OPT_REBUILD:
        a->rebuild = true;
        return 0;
    case OPT_FOLLOW:
        a->follow = true;
        return 0;
    case OPT_ONCE:
        a->once = true;
        return 0;
    case OPT_INTERVAL:
        if (cli_uint(optarg, 10, 3600000, &a->interval_ms) == 0)
            return 0;
        cli_usage_error("index", "bad --interval '%s' (want 10..3600000 ms)",
                        optarg);
        return -1;
    case 'q':
        a->quiet = true;
        return 0;
    case OPT_JSON:
        a->json = true;
        return 0;
    case 'h':
        return 1;
    default:
        return -1; /* cli_getopt said why */
    }
}

static void on_verify(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;

    p->total = total;
    progress_update(p, done);
}

/* `galen index --verify`: exit 0 when the whole index checks out. */
static int verify_index(const char *data, bool quiet, bool json)
{
    struct galen_index *gi = NULL;
    struct progress p;
    int rc = galen_index_open(data, &gi);

    if (rc == GALEN_OK) {
        progress_init(&p, "verifying", 0);
        p.is_tty = p.is_tty && !quiet;
        rc = galen_index_verify(gi, on_verify, &p);
        if (p.total)
            progress_done(&p, p.total);
    }
    if (rc != GALEN_OK) {
        LOG_ERROR("%s", *galen_index_errmsg() ? galen_index_errmsg()
                                              : galen_strerror(rc));
        cli_index_hint(rc, data);
    } else if (json) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddBoolToObject(o, "ok", 1);
        cJSON_AddNumberToObject(o, "live_docs",
                                (double)galen_index_doc_count(gi));
        galen_index_close(gi);
        return cli_print_json(o);
    } else if (!quiet) {
        printf("index ok: %llu live documents\n",
               (unsigned long long)galen_index_doc_count(gi));
    }
    galen_index_close(gi);
    return cli_exit_for(rc);
}

/* Checks that each corpus file exists before any work starts. */
static int need_files(char **files, int n)
{
    struct stat sb;
    int i;

    for (i = 0; i < n; i++) {
        if (stat(files[i], &sb) != 0) {
            if (errno == ENOENT)
                LOG_ERROR("%s: no such file or folder", files[i]);
            else
                LOG_ERROR("%s: %s", files[i], strerror(errno));
            return errno == ENOENT ? EXIT_NOTFOUND : EXIT_IO;
        }
    }
    return EXIT_OK;
}

/* `galen index FILE...`: builds (or adds to) an index from corpus files;
 * this creates the data folder, as import does. */
static int build(struct index_args *a, char **files, int n)
{
    struct galen_build_stats st;
    struct progress p;
    int rc = need_files(files, n);

    if (rc != EXIT_OK)
        return rc;
    progress_init(&p, "indexing", 0);
    p.is_tty = p.is_tty && !a->quiet && !a->json;
    a->o.progress = on_progress;
    a->o.progress_ctx = &p;
    rc = galen_index_build(a->data, (const char *const *)files, (size_t)n,
                           &a->o, &st);
    if (p.total)
        progress_done(&p, p.total);
    if (rc != GALEN_OK) {
        LOG_ERROR("%s", *galen_index_errmsg() ? galen_index_errmsg()
                                              : galen_strerror(rc));
        return cli_exit_for(rc);
    }
    return a->quiet && !a->json ? EXIT_OK : summary(&st, a->json);
}

int cmd_index(int argc, char **argv)
{
    struct index_args a;
    int c, rc = 0;

    memset(&a, 0, sizeof a);
    galen_build_opts_init(&a.o);
    optind = 0;
    while (rc == 0 && (c = cli_getopt(argc, argv, "d:f:qh", long_opts)) != -1)
        rc = one_opt(c, &a);
    if (rc != 0) {
        if (rc > 0)
            usage(stdout);
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    a.data = cli_data_dir(a.data);
    if (optind < argc && (a.verify || a.rebuild))
        return cli_usage_error("index", "%s takes no FILE",
                               a.verify ? "--verify" : "--rebuild");
    if (a.verify && a.rebuild)
        return cli_usage_error("index", "--verify and --rebuild do not go "
                                        "together");
    if (a.follow && (optind < argc || a.verify || a.rebuild))
        return cli_usage_error("index", "--follow takes no FILE, --verify "
                                        "or --rebuild");
    if ((a.once || a.interval_ms) && !a.follow)
        return cli_usage_error("index", "--once and --interval go with "
                                        "--follow");
    if (a.follow)
        return cli_index_follow(a.data, a.interval_ms, a.once, a.quiet);
    if (optind < argc)
        return build(&a, argv + optind, argc - optind);
    rc = cli_need_data(a.data);
    if (rc != EXIT_OK)
        return rc;
    if (a.verify)
        return verify_index(a.data, a.quiet, a.json);
    return cli_index_store(a.data, a.rebuild, a.quiet,
                           a.json); /* cmd_import.c */
}
