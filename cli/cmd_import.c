/* SPDX-License-Identifier: MIT */
/* cmd_import.c: `galen import FORMAT [--strict] [-d DIR] PATH...`. Imports
 * files and folders into <data>/store.db, reports each failure as
 * "file:line: what", draws a progress bar on a TTY and ends with a summary
 * line: imported, unchanged, skipped, failed, seconds. */
#include <cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/store.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: galen import FORMAT [options] PATH...\n\n"
        "Imports documents into the store (<data>/store.db). FORMAT is\n"
        "one of:\n"
        "  medquad      MedQuAD XML files or folders\n"
        "  pubmed       PubMed/MEDLINE XML (PubmedArticleSet), plain or .gz\n"
        "  beir         BEIR corpus.jsonl (_id, title, text)\n"
        "  article      galen Markdown articles (*.md, folders recursed)\n"
        "  medlineplus  MedlinePlus health-topics XML, plain or .gz\n\n"
        "Importing is idempotent: unchanged documents are left alone,\n"
        "changed ones get a new version. Afterwards the search index\n"
        "(<data>/index) is brought up to date with what changed.\n\n"
        "Options:\n"
        "  -d, --data DIR  data folder (default $GALEN_DATA or ./%s)\n"
        "      --strict    stop at the first failure\n"
        "  -q, --quiet     no progress bar\n"
        "      --json      print the summary as JSON\n"
        "      --no-index  leave the search index alone ('galen index'\n"
        "                  updates it later)\n"
        "  -h, --help      show this help\n\n"
        "Exit status: 0 all imported, 2 some input failed, 3 I/O or\n"
        "store error, 4 a PATH does not exist.\n",
        CLI_DEFAULT_DATA);
}

struct import_ui {
    struct progress bar;
    bool quiet;
    bool index; /* update the search index afterwards */
};

enum { OPT_STRICT = 256, OPT_JSON, OPT_NO_INDEX };

/* The command line of `galen import`. */
struct import_args {
    const char *data; /* -d, or NULL for the default */
    bool strict;      /* --strict */
    bool json;        /* --json */
    struct import_ui ui;
};

static void on_error(void *ctx, const char *file, long line, const char *msg)
{
    struct import_ui *ui = ctx;

    if (ui->bar.is_tty && !ui->quiet)
        fputc('\n', stderr);
    if (line > 0)
        fprintf(stderr, "%s:%ld: %s\n", file, line, msg);
    else
        fprintf(stderr, "%s: %s\n", file, msg);
}

static void on_progress(void *ctx, const struct galen_import_stats *st)
{
    struct import_ui *ui = ctx;

    if (ui->quiet)
        return;
    ui->bar.total = st->bytes_total;
    progress_update(&ui->bar, st->bytes_done);
}

static void summary(const struct galen_import_stats *s, double secs, bool json)
{
    if (json) {
        printf("{\"imported\":%llu,\"unchanged\":%llu,\"skipped\":%llu,"
               "\"failed\":%llu,\"files\":%llu,\"seconds\":%.2f}\n",
               (unsigned long long)s->imported,
               (unsigned long long)s->unchanged, (unsigned long long)s->skipped,
               (unsigned long long)s->failed, (unsigned long long)s->files,
               secs);
        return;
    }
    printf("imported %llu, unchanged %llu, skipped %llu, failed %llu "
           "(%llu files) in %.1f s\n",
           (unsigned long long)s->imported, (unsigned long long)s->unchanged,
           (unsigned long long)s->skipped, (unsigned long long)s->failed,
           (unsigned long long)s->files, secs);
}

/* Opens the store (<data>/store.db or $GALEN_STORE), creating the data folder
 * and the store when create is set; otherwise a missing store is GALEN_ENOENT.
 * Logs failures. */
static int open_store(const char *data, bool create, struct galen_store **st)
{
    char path[4096];
    int rc;

    if (galen_data_store_path(data, path, sizeof path) != GALEN_OK)
        return GALEN_EINVAL;
    if (create && cli_make_dirs(data) != 0) {
        LOG_ERROR("cannot create data folder %s: %s", data, strerror(errno));
        return GALEN_EIO;
    }
    if (cli_private_dir(data) != 0)
        return GALEN_EIO;
    if (!create && !galen_store_is_url(path) && access(path, F_OK) != 0) {
        LOG_ERROR("no store at %s: run 'galen import' first", path);
        return GALEN_ENOENT;
    }
    rc = galen_store_open(path, st);
    if (rc != GALEN_OK)
        LOG_ERROR("cannot open store %s: %s", cli_store_label(path),
                  galen_store_errmsg(NULL));
    return rc;
}

enum { INDEX_LOCK_TRIES = 300 }; /* 30 s in steps of 0.1 s */

struct index_ui {
    bool rebuild, quiet, json;
};

static int index_store(struct galen_store *st, const char *data,
                       const struct index_ui *how);

/* The exit code of an import that ended with rc: a failed input is bad
 * data even when the failure was --strict's abort. */
static int import_exit(int rc)
{
    return rc == GALEN_EPARSE || rc == GALEN_EABORT ? EXIT_DATA
                                                    : cli_exit_for(rc);
}

static int run(struct import_args *a, enum galen_import_format fmt,
               char **paths, size_t n)
{
    struct import_ui *ui = &a->ui;
    struct galen_import_opts opts = {a->strict, on_error, on_progress, ui};
    struct galen_import_stats stats;
    struct galen_store *st = NULL;
    const char *data = cli_data_dir(a->data);
    double t0 = cli_now();
    int rc = open_store(data, true, &st);
    int code;

    if (rc != GALEN_OK)
        return cli_exit_for(rc);
    progress_init(&ui->bar, "import", 0);
    rc = galen_import_paths(st, fmt, (const char *const *)paths, n, &opts,
                            &stats);
    if (!ui->quiet)
        progress_done(&ui->bar, stats.bytes_done);
    if (rc != GALEN_OK && rc != GALEN_EPARSE && rc != GALEN_EABORT)
        LOG_ERROR("import stopped: %s: %s", galen_strerror(rc),
                  galen_store_errmsg(st));
    summary(&stats, cli_now() - t0, a->json);
    code = import_exit(rc);
    /* Keep the index in step with what was committed, even after some
     * files failed; only what changed is touched. */
    if (ui->index && rc != GALEN_EABORT && code != EXIT_IO &&
        code != EXIT_INTERNAL && stats.imported > 0) {
        const struct index_ui how = {false, ui->quiet || a->json, false};
        int irc = index_store(st, data, &how);

        if (code == EXIT_OK)
            code = irc;
    }
    galen_store_close(st);
    return code;
}

/* Applies option c to a. Returns 0, 1 for --help, or -1 for a bad option. */
static int apply_opt(int c, struct import_args *a)
{
    switch (c) {
    case 'd':
        a->data = optarg;
        return 0;
    case OPT_STRICT:
        a->strict = true;
        return 0;
    case 'q':
        a->ui.quiet = true;
        return 0;
    case OPT_JSON:
        a->json = true;
        return 0;
    case OPT_NO_INDEX:
        a->ui.index = false;
        return 0;
    case 'h':
        return 1;
    default:
        return -1;
    }
}

/* Checks that each path exists before anything is imported: a missing
 * path is a mistyped command line, not bad input (exit 4, not 2). */
static int need_paths(char **paths, int n)
{
    struct stat sb;
    int i;

    for (i = 0; i < n; i++) {
        if (stat(paths[i], &sb) != 0) {
            if (errno == ENOENT)
                LOG_ERROR("%s: no such file or folder", paths[i]);
            else
                LOG_ERROR("%s: %s", paths[i], strerror(errno));
            return errno == ENOENT ? EXIT_NOTFOUND : EXIT_IO;
        }
    }
    return EXIT_OK;
}

int cmd_import(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"json", no_argument, NULL, OPT_JSON},
        {"no-index", no_argument, NULL, OPT_NO_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct import_args a = {.ui = {.index = true}};
    enum galen_import_format fmt;
    int c, rc = 0;

    optind = 0;
    while (rc == 0 && (c = cli_getopt(argc, argv, "d:qh", longopts)) != -1)
        rc = apply_opt(c, &a);
    if (rc == 1) {
        usage(stdout);
        return EXIT_OK;
    }
    if (rc != 0)
        return EXIT_USAGE;
    if (optind >= argc)
        return cli_usage_error("import", "no FORMAT given (medquad, pubmed, "
                                         "beir, article or medlineplus)");
    if (galen_import_format_parse(argv[optind], &fmt) != GALEN_OK)
        return cli_usage_error("import",
                               "unknown format '%s' (want medquad, "
                               "pubmed, beir, article or medlineplus)",
                               argv[optind]);
    if (argc - optind < 2)
        return cli_usage_error("import", "no PATH given");
    rc = need_paths(argv + optind + 1, argc - optind - 1);
    if (rc != EXIT_OK)
        return rc;
    return run(&a, fmt, argv + optind + 1, (size_t)(argc - optind - 1));
}

/* ---- galen index with no file ------------------------------------------ */

static void on_index_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;

    p->total = total;
    progress_update(p, done);
}

static int index_summary(const struct galen_store_index_stats *s, bool rebuilt,
                         double secs, bool json)
{
    if (json) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddBoolToObject(o, "rebuilt", rebuilt);
        cJSON_AddNumberToObject(o, "changed", (double)s->total);
        cJSON_AddNumberToObject(o, "added", (double)s->added);
        cJSON_AddNumberToObject(o, "removed", (double)s->removed);
        cJSON_AddNumberToObject(o, "questions_only", (double)s->skipped);
        cJSON_AddNumberToObject(o, "seconds", secs);
        return cli_print_json(o);
    }
    printf("%s %llu %sdocuments (%llu added, %llu removed, "
           "%llu questions only) in %.1f s\n",
           rebuilt ? "rebuilt the index from" : "indexed",
           (unsigned long long)s->total, rebuilt ? "" : "changed ",
           (unsigned long long)s->added, (unsigned long long)s->removed,
           (unsigned long long)s->skipped, secs);
    return EXIT_OK;
}

/* Updates <data>/index from the open store and prints a summary. */
static int index_store(struct galen_store *st, const char *data,
                       const struct index_ui *how)
{
    struct galen_store_index_stats stats;
    char dir[4096];
    struct progress bar;
    double t0 = cli_now();
    int rc;

    if (galen_data_index_path(data, dir, sizeof dir) != GALEN_OK)
        return EXIT_USAGE;
    progress_init(&bar, "indexing", 0);
    bar.is_tty = bar.is_tty && !how->quiet && !how->json;
    /* A running server applies store changes too and holds the index's
     * writer lock while it does: wait for it (a few seconds at most). */
    for (int tries = 0;; tries++) {
        rc = how->rebuild ? galen_store_index_rebuild(
                                st, dir, on_index_progress, &bar, &stats)
                          : galen_store_index_update(st, dir, on_index_progress,
                                                     &bar, &stats);
        if (rc != GALEN_ESTATE || tries == INDEX_LOCK_TRIES)
            break;
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    if (bar.is_tty)
        progress_done(&bar, stats.total);
    if (rc != GALEN_OK) {
        LOG_ERROR("index: %s: %s", galen_strerror(rc), galen_store_errmsg(st));
        cli_index_hint(rc, data);
        return cli_exit_for(rc);
    }
    if (how->quiet && !how->json)
        return EXIT_OK;
    return index_summary(&stats, stats.rebuilt, cli_now() - t0, how->json);
}

int cli_index_store(const char *data, bool rebuild, bool quiet, bool json)
{
    const struct index_ui how = {rebuild, quiet, json};
    struct galen_store *st = NULL;
    int rc = open_store(data, false, &st);

    if (rc != GALEN_OK)
        return cli_exit_for(rc);
    rc = index_store(st, data, &how);
    galen_store_close(st);
    return rc;
}
