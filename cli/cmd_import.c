/* SPDX-License-Identifier: MIT */
/* cmd_import.c: `galen import FORMAT [--strict] [-d DIR] PATH...`. Imports
 * files and folders into <data>/store.db, reports each failure as
 * "file:line: what", draws a progress bar on a TTY and ends with a summary
 * line: imported, unchanged, skipped, failed, seconds. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/store.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen import FORMAT [options] PATH...\n\n"
            "Imports documents into the store (<data>/store.db). FORMAT is\n"
            "one of:\n"
            "  medquad   MedQuAD XML files or folders\n"
            "  pubmed    PubMed/MEDLINE XML (PubmedArticleSet), plain or .gz\n"
            "  beir      BEIR corpus.jsonl (_id, title, text)\n"
            "  article   galen Markdown articles (*.md, folders recursed)\n\n"
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
            "store error.\n",
            CLI_DEFAULT_DATA);
}

struct import_ui {
    struct progress bar;
    bool quiet;
    bool index; /* update the search index afterwards */
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

static void on_progress(void *ctx, const struct import_stats *st)
{
    struct import_ui *ui = ctx;

    if (ui->quiet)
        return;
    ui->bar.total = st->bytes_total;
    progress_update(&ui->bar, st->bytes_done);
}

/* Creates dir and its missing parents. */
static int make_dirs(const char *dir)
{
    char path[4096];
    size_t i, n = strlen(dir);

    if (n == 0 || n >= sizeof path)
        return -1;
    memcpy(path, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST)
            return -1;
        path[i] = i == n ? '\0' : '/';
    }
    return 0;
}

static void summary(const struct import_stats *s, double secs, bool json)
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

static int open_store(const char *data, struct store **st)
{
    char path[4096];
    int rc;

    if (make_dirs(data) != 0) {
        LOG_ERROR("cannot create data folder %s: %s", data, strerror(errno));
        return GALEN_EIO;
    }
    if (!cli_path(path, sizeof path, data, "store.db"))
        return GALEN_EINVAL;
    rc = store_open(path, st);
    if (rc != GALEN_OK)
        LOG_ERROR("cannot open store %s: %s", path, store_errmsg(NULL));
    return rc;
}

static int index_store(struct store *st, const char *data, bool quiet);

static int run(const char *data, enum import_format fmt, char **paths, size_t n,
               bool strict, struct import_ui *ui, bool json)
{
    struct import_opts opts = {strict, on_error, on_progress, ui};
    struct import_stats stats;
    struct store *st = NULL;
    double t0 = cli_now();
    int rc = open_store(data, &st);
    int code;

    if (rc != GALEN_OK)
        return cli_exit_for(rc);
    progress_init(&ui->bar, "import", 0);
    rc = import_paths(st, fmt, (const char *const *)paths, n, &opts, &stats);
    if (!ui->quiet)
        progress_done(&ui->bar, stats.bytes_done);
    if (rc != GALEN_OK && rc != GALEN_EPARSE && rc != GALEN_EABORT)
        LOG_ERROR("import stopped: %s: %s", galen_strerror(rc),
                  store_errmsg(st));
    summary(&stats, cli_now() - t0, json);
    code =
        rc == GALEN_EPARSE || rc == GALEN_EABORT ? EXIT_DATA : cli_exit_for(rc);
    /* Keep the index in step with what was committed, even after some
     * files failed; only what changed is touched. */
    if (ui->index && rc != GALEN_EABORT && code != EXIT_IO &&
        code != EXIT_INTERNAL && stats.imported > 0) {
        int irc = index_store(st, data, ui->quiet || json);

        if (code == EXIT_OK)
            code = irc;
    }
    store_close(st);
    return code;
}

int cmd_import(int argc, char **argv)
{
    enum { OPT_STRICT = 256, OPT_JSON, OPT_NO_INDEX };
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"quiet", no_argument, NULL, 'q'},
        {"json", no_argument, NULL, OPT_JSON},
        {"no-index", no_argument, NULL, OPT_NO_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct import_ui ui = {.index = true};
    const char *data = NULL;
    bool strict = false, json = false;
    enum import_format fmt;
    int c;

    for (;;) {
        c = getopt_long(argc, argv, "d:qh", longopts, NULL);
        if (c == -1)
            break;
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case OPT_STRICT:
            strict = true;
            break;
        case 'q':
            ui.quiet = true;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_NO_INDEX:
            ui.index = false;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (argc - optind < 2 ||
        import_format_parse(argv[optind], &fmt) != GALEN_OK) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return run(cli_data_dir(data), fmt, argv + optind + 1,
               (size_t)(argc - optind - 1), strict, &ui, json);
}

/* ---- galen index with no file ------------------------------------------ */

static void on_index_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;

    p->total = total;
    progress_update(p, done);
}

/* Updates <data>/index from the open store and prints a summary. */
static int index_store(struct store *st, const char *data, bool quiet)
{
    struct store_index_stats stats;
    char dir[4096];
    struct progress bar;
    double t0 = cli_now();
    int rc;

    if (!cli_path(dir, sizeof dir, data, "index"))
        return EXIT_USAGE;
    progress_init(&bar, "indexing", 0);
    bar.is_tty = bar.is_tty && !quiet;
    rc = store_index_update(st, dir, on_index_progress, &bar, &stats);
    if (bar.is_tty)
        progress_done(&bar, stats.total);
    if (rc != GALEN_OK) {
        LOG_ERROR("index: %s: %s", galen_strerror(rc), stats.errmsg);
        return cli_exit_for(rc);
    }
    if (!quiet)
        printf("indexed %llu changed documents (%llu added, %llu removed, "
               "%llu questions only) in %.1f s\n",
               (unsigned long long)stats.total, (unsigned long long)stats.added,
               (unsigned long long)stats.removed,
               (unsigned long long)stats.skipped, cli_now() - t0);
    return EXIT_OK;
}

int cli_index_store(const char *data, bool quiet)
{
    struct store *st = NULL;
    char db[4096];
    int rc;

    if (!cli_path(db, sizeof db, data, "store.db"))
        return EXIT_USAGE;
    if (access(db, F_OK) != 0) {
        LOG_ERROR("no store at %s: run 'galen import' first", db);
        return EXIT_NOTFOUND;
    }
    rc = store_open(db, &st);
    if (rc != GALEN_OK) {
        LOG_ERROR("cannot open store %s: %s", db, store_errmsg(NULL));
        return cli_exit_for(rc);
    }
    rc = index_store(st, data, quiet);
    store_close(st);
    return rc;
}
