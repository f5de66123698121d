/* SPDX-License-Identifier: MIT */
/* main.c: the galen tool. A table maps each subcommand to its handler; each
 * handler parses its own options with getopt_long and returns an exit code
 * from enum cli_exit. */
#include <cJSON.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int cmd_version(int argc, char **argv)
{
    static const struct option longopts[] = {{"json", no_argument, NULL, 'j'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    bool json = false;
    int c;

    optind = 0;
    while ((c = cli_getopt(argc, argv, "h", longopts)) != -1) {
        if (c == 'j') {
            json = true;
        } else if (c == 'h') {
            puts("usage: galen version [--json]");
            return EXIT_OK;
        } else {
            return EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("version", "unexpected argument '%s'",
                               argv[optind]);
    if (json) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "name", "galen");
        cJSON_AddStringToObject(o, "version", GALEN_VERSION);
        return cli_print_json(o);
    }
    printf("galen %s\n", GALEN_VERSION);
    return EXIT_OK;
}

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"import", cmd_import, "import documents into the store (and index them)"},
    {"index", cmd_index, "build or update the search index"},
    {"search", cmd_search, "ranked search with snippets"},
    {"eval", cmd_eval, "score search against qrels (nDCG@10, MRR, ...)"},
    {"version", cmd_version, "print the version"},
    {"ask", cmd_ask, "answer a health question from cited sources"},
    {"similar", cmd_similar, "find similar answered questions"},
    {"serve", cmd_serve, "serve the web pages and the JSON API"},
    {"user", cmd_user, "add or list user accounts"},
    {"backup", cmd_backup,
     "copy the data folder consistently, even while serving"},
    {"restore", cmd_restore, "restore a backup into a new data folder"},
    {"export", cmd_export, "export every document (JSON Lines or articles)"},
    {"delete", cmd_delete, "delete documents from the store and the index"},
    {"review", cmd_review, "start or approve the review of a whole source"},
};

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: galen [--version] [--help] [--store URL] COMMAND "
               "[ARGS]\n\n"
               "galen answers health questions offline from cited sources.\n\n"
               "Commands:\n");
    for (i = 0; i < ARRAY_SIZE(commands); i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\nEvery command takes -d DIR / --data DIR, the folder holding "
            "the\nstore and the index (default $GALEN_DATA, else ./%s).\n"
            "--store URL (or $GALEN_STORE) keeps the store elsewhere: a\n"
            "postgresql:// URL puts it in PostgreSQL (docs/store.md).\n"
            "Run 'galen COMMAND --help' for its options.\n\n"
            "Exit codes: 0 ok, 1 usage, 2 bad input (malformed file, corrupt\n"
            "index, bad query), 3 I/O, 4 not found, 5 internal error.\n",
            CLI_DEFAULT_DATA);
}

int main(int argc, char **argv)
{
    size_t i;

    /* Everything galen creates (store, WAL, index, folders) holds or
     * indexes patient data: private to the user running it. */
    umask(077);
    /* --store reaches every command's store through $GALEN_STORE
     * (galen_data_store_path). */
    if (argc > 1 && (strcmp(argv[1], "--store") == 0 ||
                     strncmp(argv[1], "--store=", 8) == 0)) {
        int used = argv[1][7] == '=' ? 1 : 2;
        const char *url = used == 1 ? argv[1] + 8 : argv[2];

        if (!url || !*url || setenv("GALEN_STORE", url, 1) != 0) {
            fprintf(stderr, "galen: --store needs a store: a postgresql:// "
                            "URL or a file\n");
            return EXIT_USAGE;
        }
        argv[used] = argv[0];
        argc -= used;
        argv += used;
    }
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
        return cmd_version(argc - 1, argv + 1);
    for (i = 0; i < ARRAY_SIZE(commands); i++) {
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr,
            "galen: unknown command '%s'\nTry 'galen --help' for the "
            "list of commands.\n",
            argv[1]);
    return EXIT_USAGE;
}
