/* SPDX-License-Identifier: MIT */
/* cmd_index.c: `galen index`, which adds corpus files to the index in the
 * data folder, showing a progress bar on a TTY and ending with a summary
 * line (documents, terms, bytes, seconds, throughput). */
#include <getopt.h>
#include <stdio.h>

#include <galen/error.h>
#include <galen/search.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen index [-d DIR] [--format beir] [options] FILE...\n"
            "       galen index [-d DIR] [-q]\n"
            "       galen index [-d DIR] --verify\n"
            "\n"
            "With no FILE, brings DIR/index up to date with the store\n"
            "(DIR/store.db): only documents changed since the last run.\n"
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
            "  -q, --quiet          no progress bar or summary\n"
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

static void summary(const struct galen_build_stats *st)
{
    double mb = (double)st->text_bytes / 1e6;

    printf("indexed %llu docs, %llu terms, %.1f MB of text in %.2f s "
           "(%.1f MB/s); index %.1f MB, stored text %.1f MB\n",
           (unsigned long long)st->docs, (unsigned long long)st->terms, mb,
           st->seconds, st->seconds > 0 ? mb / st->seconds : 0.0,
           (double)st->index_bytes / 1e6, (double)st->store_bytes / 1e6);
}

enum { OPT_K1 = 256, OPT_WEIGHT, OPT_B, OPT_MERGE, OPT_VERIFY };

static const struct option long_opts[] = {
    {"data", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'f'},
    {"k1", required_argument, NULL, OPT_K1},
    {"weight", required_argument, NULL, OPT_WEIGHT},
    {"b", required_argument, NULL, OPT_B},
    {"merge", no_argument, NULL, OPT_MERGE},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Parses options into o; returns -1 to stop with EXIT_USAGE, 1 for help,
 * 2 for --verify. */
static int parse_opts(int argc, char **argv, struct galen_build_opts *o,
                      const char **data, bool *quiet)
{
    bool verify = false;

    int c;

    while ((c = getopt_long(argc, argv, "d:f:qh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            *data = optarg;
            break;
        case 'f':
            o->format = optarg;
            break;
        case OPT_K1:
            if (cli_number(optarg, &o->k1) != 0 || o->k1 < 0)
                return -1;
            break;
        case OPT_WEIGHT:
        case OPT_B:
            if (cli_field_param(optarg, c == OPT_WEIGHT, o->field,
                                &o->nfield) != 0)
                return -1;
            break;
        case OPT_MERGE:
            o->merge = true;
            break;
        case OPT_VERIFY:
            verify = true;
            break;
        case 'q':
            *quiet = true;
            break;
        case 'h':
            return 1;
        default:
            return -1;
        }
    }
    return verify ? 2 : 0;
}

static void on_verify(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;

    p->total = total;
    progress_update(p, done);
}

/* `galen index --verify`: exit 0 when the whole index checks out. */
static int verify_index(const char *data, bool quiet)
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
    } else if (!quiet) {
        printf("index ok: %llu live documents\n",
               (unsigned long long)galen_index_doc_count(gi));
    }
    galen_index_close(gi);
    return cli_exit_for(rc);
}

int cmd_index(int argc, char **argv)
{
    struct galen_build_opts o;
    struct galen_build_stats st;
    struct progress p;
    const char *data = NULL;
    bool quiet = false;
    int rc;

    galen_build_opts_init(&o);
    optind = 1;
    rc = parse_opts(argc, argv, &o, &data, &quiet);
    if (rc == 2)
        return verify_index(cli_data_dir(data), quiet);
    if (rc == 0 && optind >= argc)
        return cli_index_store(cli_data_dir(data), quiet); /* cmd_import.c */
    if (rc != 0 || optind >= argc) {
        usage(rc == 1 ? stdout : stderr);
        return rc == 1 ? EXIT_OK : EXIT_USAGE;
    }
    progress_init(&p, "indexing", 0);
    p.is_tty = p.is_tty && !quiet;
    o.progress = on_progress;
    o.progress_ctx = &p;
    rc = galen_index_build(cli_data_dir(data),
                           (const char *const *)argv + optind,
                           (size_t)(argc - optind), &o, &st);
    if (p.total)
        progress_done(&p, p.total);
    if (rc != GALEN_OK) {
        LOG_ERROR("%s", *galen_index_errmsg() ? galen_index_errmsg()
                                              : galen_strerror(rc));
        return cli_exit_for(rc);
    }
    if (!quiet)
        summary(&st);
    return EXIT_OK;
}
