/* SPDX-License-Identifier: MIT */
/* cmd_data.c: the commands that handle a data folder as a whole:
 * `galen backup DEST` (consistent, while serving), `galen restore BACKUP`,
 * `galen export` (every document as JSON Lines, or as galen Markdown
 * articles in a folder) and `galen delete ID`. */
#include <cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/store.h>

#include "cli.h"
#include "fileio.h"

enum { OPT_JSON = 256, OPT_FORMAT, OPT_NO_INDEX, OPT_WHO };

enum { PATH_CAP = 4096 };

/* The options every command here shares: -d, --json, --help. Returns 0,
 * 1 for --help, -1 for a bad option (already reported). */
struct data_args {
    const char *data;
    const char *format;
    const char *who;
    const char *out; /* -o DIR */
    bool json, no_index, quiet;
};

static int parse(int argc, char **argv, struct data_args *a)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, OPT_JSON},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"no-index", no_argument, NULL, OPT_NO_INDEX},
        {"who", required_argument, NULL, OPT_WHO},
        {"quiet", no_argument, NULL, 'q'},
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;

    optind = 0;
    while ((c = cli_getopt(argc, argv, "d:qo:h", longopts)) != -1) {
        switch (c) {
        case 'd':
            a->data = optarg;
            break;
        case OPT_JSON:
            a->json = true;
            break;
        case OPT_FORMAT:
            a->format = optarg;
            break;
        case OPT_NO_INDEX:
            a->no_index = true;
            break;
        case OPT_WHO:
            a->who = optarg;
            break;
        case 'q':
            a->quiet = true;
            break;
        case 'o':
            a->out = optarg;
            break;
        case 'h':
            return 1;
        default:
            return -1;
        }
    }
    a->data = cli_data_dir(a->data);
    return 0;
}

/* Waits for another process's index writer lock, as `galen index` does. */
enum { LOCK_TRIES = 300 };

int cmd_backup(int argc, char **argv)
{
    struct data_args a = {0};
    struct galen_backup_stats st;
    char err[512];
    double t0 = cli_now();
    int rc = parse(argc, argv, &a), tries;

    if (rc != 0) {
        if (rc > 0)
            printf("usage: galen backup [-d DIR] [--json] DEST\n\n"
                   "Copies the data folder (store, index, own lexicon and "
                   "red-flag\nfiles) into the new folder DEST, consistently, "
                   "while galen serve\nand imports keep running. 'galen "
                   "restore DEST -d NEWDIR' puts it back.\n");
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return cli_usage_error("backup", optind >= argc
                                             ? "no DEST folder given"
                                             : "give one DEST folder");
    rc = cli_need_data(a.data);
    if (rc != EXIT_OK)
        return rc;
    for (tries = 0;; tries++) {
        rc = galen_backup(a.data, argv[optind], &st, err, sizeof err);
        if (rc != GALEN_ESTATE || tries == LOCK_TRIES)
            break;
        nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
    if (rc != GALEN_OK) {
        LOG_ERROR("backup: %s", err[0] ? err : galen_strerror(rc));
        return rc == GALEN_EEXIST ? EXIT_USAGE : cli_exit_for(rc);
    }
    if (a.json) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "backup", argv[optind]);
        cJSON_AddNumberToObject(o, "bytes", (double)st.bytes);
        cJSON_AddNumberToObject(o, "index_generation",
                                (double)st.index_generation);
        cJSON_AddNumberToObject(o, "seconds", cli_now() - t0);
        return cli_print_json(o);
    }
    if (!a.quiet)
        printf("backed up %s to %s: %.1f MB, index generation %llu, in "
               "%.1f s\n",
               a.data, argv[optind], (double)st.bytes / 1e6,
               (unsigned long long)st.index_generation, cli_now() - t0);
    return EXIT_OK;
}

int cmd_restore(int argc, char **argv)
{
    struct data_args a = {0};
    char err[512];
    int rc = parse(argc, argv, &a);

    if (rc != 0) {
        if (rc > 0)
            printf("usage: galen restore [-d DIR] BACKUP\n\n"
                   "Restores a folder made by 'galen backup' into DIR, which "
                   "must not\nexist or be empty. Changes made after the "
                   "backup's index copy are\nindexed by the next 'galen "
                   "index' (or by a running server).\n");
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return cli_usage_error("restore", optind >= argc
                                              ? "no BACKUP folder given"
                                              : "give one BACKUP folder");
    rc = galen_restore(argv[optind], a.data, err, sizeof err);
    if (rc != GALEN_OK) {
        LOG_ERROR("restore: %s", err[0] ? err : galen_strerror(rc));
        return rc == GALEN_EEXIST ? EXIT_USAGE : cli_exit_for(rc);
    }
    if (!a.quiet)
        printf("restored %s into %s\n", argv[optind], a.data);
    return a.no_index ? EXIT_OK : cli_index_store(a.data, false, true, false);
}

static int put_line(void *ctx, const char *json, size_t len)
{
    UNUSED(ctx);
    if (fwrite(json, 1, len, stdout) != len || putchar('\n') == EOF)
        return GALEN_EIO;
    return GALEN_OK;
}

/* Opens the store (<data>/store.db or $GALEN_STORE), which must exist. */
static int open_existing(const char *data, struct galen_store **st)
{
    char path[4096];
    int rc = cli_need_data(data);

    if (rc != EXIT_OK)
        return rc;
    if (galen_data_store_path(data, path, sizeof path) != GALEN_OK)
        return EXIT_USAGE;
    if (!galen_store_is_url(path) && access(path, F_OK) != 0) {
        LOG_ERROR("no store at %s: run 'galen import' first", path);
        return EXIT_NOTFOUND;
    }
    rc = galen_store_open(path, st);
    if (rc != GALEN_OK) {
        LOG_ERROR("cannot open %s: %s", cli_store_label(path),
                  galen_store_errmsg(NULL));
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

/* Where `galen export --format article` writes, and what it counted. */
struct article_out {
    const char *dir;
    unsigned long written, skipped;
};

static int put_article(void *ctx, const char *id, const char *text, size_t len,
                       const char *why)
{
    struct article_out *o = ctx;
    char path[PATH_CAP];
    int n;

    if (!text) {
        fprintf(stderr, "galen export: %s: left out: %s\n", id, why);
        o->skipped++;
        return GALEN_OK;
    }
    n = snprintf(path, sizeof path, "%s/%s.md", o->dir, id);
    if (n < 0 || (size_t)n >= sizeof path || strchr(id, '/') || id[0] == '.')
        return GALEN_EINVAL; /* article ids are [A-Za-z0-9._-] */
    if (fileio_write_atomic(o->dir, path, text, len) != GALEN_OK) {
        LOG_ERROR("export: cannot write %s: %s", path, strerror(errno));
        return GALEN_EIO;
    }
    o->written++;
    return GALEN_OK;
}

static void export_usage(void)
{
    printf("usage: galen export [-d DIR] [--format jsonl]\n"
           "       galen export [-d DIR] --format article -o OUTDIR\n\n"
           "jsonl (the default) prints every document in the store, one "
           "JSON\nobject a line, in id order: all fields, sections, "
           "references, tables\nand status. article writes each document "
           "as OUTDIR/ID.md in galen's\nMarkdown format "
           "(docs/article-format.md); 'galen import article\nOUTDIR' reads "
           "them back as the same documents. A document the format\ncannot "
           "hold exactly is left out and named on stderr.\n");
}

/* Checks the options; the exit code of a usage error, or EXIT_OK. */
static int export_args(const struct data_args *a, int argc, char **argv,
                       bool *article)
{
    *article = a->format && strcmp(a->format, "article") == 0;
    if (a->format && !*article && strcmp(a->format, "jsonl") != 0)
        return cli_usage_error(
            "export", "unknown format '%s' (want jsonl or article)", a->format);
    if (*article && !a->out)
        return cli_usage_error("export", "--format article needs -o OUTDIR");
    if (!*article && a->out)
        return cli_usage_error("export", "-o is for --format article");
    if (optind != argc)
        return cli_usage_error("export", "unexpected argument '%s'",
                               argv[optind]);
    return EXIT_OK;
}

static int export_articles(struct galen_store *st, const char *dir)
{
    struct article_out o = {dir, 0, 0};
    int rc;

    if (cli_make_dirs(dir) != 0) {
        LOG_ERROR("export: cannot create %s: %s", dir, strerror(errno));
        return GALEN_EIO;
    }
    rc = galen_store_export_as(st, GALEN_EXPORT_ARTICLE, put_article, &o);
    if (rc == GALEN_OK)
        fprintf(stderr, "exported %lu articles to %s, left out %lu\n",
                o.written, dir, o.skipped);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    struct data_args a = {0};
    struct galen_store *st = NULL;
    bool article = false;
    int rc = parse(argc, argv, &a);

    if (rc != 0) {
        if (rc > 0)
            export_usage();
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    rc = export_args(&a, argc, argv, &article);
    if (rc != EXIT_OK)
        return rc;
    rc = open_existing(a.data, &st);
    if (rc != EXIT_OK)
        return rc;
    if (article)
        rc = export_articles(st, a.out);
    else
        rc = galen_store_export(st, put_line, NULL);
    if (rc == GALEN_OK && fflush(stdout) != 0)
        rc = GALEN_EIO;
    if (rc != GALEN_OK && rc != GALEN_EIO)
        LOG_ERROR("export: %s: %s", galen_strerror(rc), galen_store_errmsg(st));
    else if (rc == GALEN_EIO && !article)
        LOG_ERROR("export: %s: %s", galen_strerror(rc), strerror(errno));
    galen_store_close(st);
    return cli_exit_for(rc);
}

int cmd_delete(int argc, char **argv)
{
    struct data_args a = {0};
    struct galen_store *st = NULL;
    int rc = parse(argc, argv, &a), i;

    if (rc != 0) {
        if (rc > 0)
            printf("usage: galen delete [-d DIR] [--who NAME] [--no-index] "
                   "ID...\n\n"
                   "Deletes documents from the store (their versions and "
                   "audit trail\nstay, recording who deleted them), then "
                   "removes them from the index.\n");
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (optind >= argc)
        return cli_usage_error("delete", "no ID given");
    rc = open_existing(a.data, &st);
    if (rc != EXIT_OK)
        return rc;
    for (i = optind; i < argc && rc == EXIT_OK; i++) {
        int g = galen_store_delete(st, argv[i], a.who ? a.who : "cli");

        if (g == GALEN_ENOENT)
            LOG_ERROR("no document '%s'", argv[i]);
        else if (g != GALEN_OK)
            LOG_ERROR("cannot delete %s: %s", argv[i], galen_store_errmsg(st));
        else if (!a.quiet)
            printf("deleted %s\n", argv[i]);
        rc = cli_exit_for(g);
    }
    galen_store_close(st);
    if (rc == EXIT_OK && !a.no_index)
        rc = cli_index_store(a.data, false, true, false);
    return rc;
}
