/* SPDX-License-Identifier: MIT */
/* cmd_search.c: `galen search`, which runs one query against the index in
 * the data folder and prints each hit's id, score, title and snippet, as
 * text (query terms in bold on a TTY, unmarked otherwise) or as a JSON
 * array. A bad query is shown with a caret under the byte it names. */
#include <cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/search.h>

#include "cli.h"

enum { QUERY_TEXT_MAX = 8192 };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen search [-d DIR] [-k N] [--json] [options] QUERY...\n"
            "\n"
            "Searches the index in DIR/index. Words are joined into one "
            "query:\n"
            "  word             optional term (hits match at least one)\n"
            "  \"a phrase\"       required phrase\n"
            "  +word -word      required / excluded term (or phrase)\n"
            "  field:word       term in one field, e.g. title:flu\n"
            "\n"
            "  -d, --data DIR       data folder (default $GALEN_DATA, else "
            "./%s)\n"
            "  -k, --k N            number of hits, 1..%d (default 10)\n"
            "      --json           print a JSON array of hits\n"
            "      --plain          free text only: no query syntax\n"
            "      --k1 X           BM25 k1 for this query\n"
            "      --weight F=W     BM25F weight of field F for this query\n"
            "      --b F=B          BM25F b of field F for this query, 0..1\n"
            "      --exhaustive     score every posting (for testing)\n"
            "      --no-snippets    do not build snippets\n"
            "  -h, --help           this help\n"
            "\n"
            "Options may come before or after the query; put -- before a "
            "query\nthat starts with -. NO_COLOR turns the bold marks "
            "off.\n",
            CLI_DEFAULT_DATA, GALEN_K_MAX);
}

struct search_cli {
    const char *data;
    bool json;
    struct galen_search_opts o;
};

enum {
    OPT_JSON = 256,
    OPT_PLAIN,
    OPT_K1,
    OPT_WEIGHT,
    OPT_B,
    OPT_EXHAUSTIVE,
    OPT_NO_SNIPPETS
};

static const struct option long_opts[] = {
    {"data", required_argument, NULL, 'd'},
    {"k", required_argument, NULL, 'k'},
    {"json", no_argument, NULL, OPT_JSON},
    {"plain", no_argument, NULL, OPT_PLAIN},
    {"k1", required_argument, NULL, OPT_K1},
    {"weight", required_argument, NULL, OPT_WEIGHT},
    {"b", required_argument, NULL, OPT_B},
    {"exhaustive", no_argument, NULL, OPT_EXHAUSTIVE},
    {"no-snippets", no_argument, NULL, OPT_NO_SNIPPETS},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Applies option c; 0, 1 for --help, or -1 after saying what was wrong. */
static int one_opt(int c, struct search_cli *s)
{
    switch (c) {
    case 'd':
        s->data = optarg;
        return 0;
    case 'k':
        if (cli_uint(optarg, 1, GALEN_K_MAX, &s->o.k) == 0)
            return 0;
        cli_usage_error("search",
                        "bad -k '%s' (want a whole number from 1 "
                        "to %d)",
                        optarg, GALEN_K_MAX);
        return -1;
    case OPT_JSON:
        s->json = true;
        return 0;
    case OPT_PLAIN:
        s->o.plain = true;
        return 0;
    case OPT_K1:
        if (cli_number(optarg, &s->o.k1) == 0 && s->o.k1 >= 0)
            return 0;
        cli_usage_error("search", "bad --k1 '%s' (want a number >= 0)", optarg);
        return -1;
    case OPT_WEIGHT:
    case OPT_B:
        if (cli_field_param(optarg, c == OPT_WEIGHT, s->o.field,
                            &s->o.nfield) == 0)
            return 0;
        cli_usage_error("search", "bad %s '%s' (want FIELD=NUMBER)",
                        c == OPT_WEIGHT ? "--weight" : "--b", optarg);
        return -1;
    case OPT_EXHAUSTIVE:
        s->o.exhaustive = true;
        return 0;
    case OPT_NO_SNIPPETS:
        s->o.snippets = false;
        return 0;
    case 'h':
        return 1;
    default:
        return -1; /* cli_getopt said why */
    }
}

static void print_text(const struct galen_hits *h)
{
    /* Bold on a terminal; no marks at all in a pipe or with NO_COLOR. */
    enum galen_mark_style st =
        cli_color(STDOUT_FILENO, -1) ? GALEN_MARK_ANSI : GALEN_MARK_NONE;
    char buf[4096];
    size_t i;

    for (i = 0; i < galen_hits_count(h); i++) {
        const struct galen_hit *hit = galen_hits_get(h, i);

        printf("%zu. %s  %.4f\n", i + 1, hit->id, hit->score);
        if (hit->title[0])
            printf("   %s\n", hit->title);
        galen_snippet_render(hit, st, buf, sizeof buf);
        if (buf[0])
            printf("   %s\n", buf);
    }
}

static cJSON *hit_json(const struct galen_hit *hit, size_t rank)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *marks = cJSON_AddArrayToObject(o, "marks");
    cJSON *meta = hit->meta_len ? cJSON_Parse(hit->meta) : NULL;
    size_t i;

    cJSON_AddNumberToObject(o, "rank", (double)rank);
    cJSON_AddStringToObject(o, "id", hit->id);
    cJSON_AddNumberToObject(o, "score", hit->score);
    cJSON_AddStringToObject(o, "title", hit->title);
    cJSON_AddStringToObject(o, "snippet", hit->snippet);
    for (i = 0; marks && i < hit->nmarks; i++) {
        const int se[2] = {(int)hit->marks[i].start, (int)hit->marks[i].end};

        cJSON_AddItemToArray(marks, cJSON_CreateIntArray(se, 2));
    }
    if (meta)
        cJSON_AddItemToObject(o, "meta", meta);
    return o;
}

static int print_json(const struct galen_hits *h)
{
    cJSON *arr = cJSON_CreateArray();
    char *s;
    size_t i;

    for (i = 0; arr && i < galen_hits_count(h); i++)
        cJSON_AddItemToArray(arr, hit_json(galen_hits_get(h, i), i + 1));
    s = arr ? cJSON_Print(arr) : NULL;
    cJSON_Delete(arr);
    if (!s)
        return EXIT_INTERNAL;
    puts(s);
    cJSON_free(s);
    return EXIT_OK;
}

static void report_query_error(const char *query)
{
    long at = galen_index_errpos();

    LOG_ERROR("bad query: %s", galen_index_errmsg());
    if (at < 0 || strchr(query, '\n') || (size_t)at > strlen(query))
        return;
    fprintf(stderr, "  %s\n  %*s^\n", query, (int)at, "");
}

static int run(const struct search_cli *s, const char *query)
{
    struct galen_index *gi;
    struct galen_hits *h = NULL;
    int rc = galen_index_open(cli_data_dir(s->data), &gi);

    if (rc != GALEN_OK) {
        LOG_ERROR("%s", galen_index_errmsg());
        cli_index_hint(rc, s->data);
        return cli_exit_for(rc);
    }
    rc = galen_search(gi, query, &s->o, &h);
    if (rc == GALEN_EPARSE)
        report_query_error(query);
    else if (rc != GALEN_OK)
        LOG_ERROR("%s", galen_index_errmsg());
    if (rc == GALEN_OK && s->json)
        rc = print_json(h) == EXIT_OK ? GALEN_OK : GALEN_ENOMEM;
    else if (rc == GALEN_OK)
        print_text(h);
    galen_hits_free(h);
    galen_index_close(gi);
    return cli_exit_for(rc);
}

int cmd_search(int argc, char **argv)
{
    struct search_cli s = {NULL, false, {0}};
    char query[QUERY_TEXT_MAX];
    int c, rc = 0;

    galen_search_opts_init(&s.o);
    optind = 0;
    while (rc == 0 && (c = cli_getopt(argc, argv, "d:k:h", long_opts)) != -1)
        rc = one_opt(c, &s);
    if (rc == 1) {
        usage(stdout);
        return EXIT_OK;
    }
    if (rc != 0)
        return EXIT_USAGE;
    if (optind >= argc)
        return cli_usage_error("search", "no query given");
    if (cli_join_args(argc, argv, optind, query, sizeof query) != 0)
        return cli_usage_error("search", "the query is longer than %d bytes",
                               QUERY_TEXT_MAX - 1);
    s.data = cli_data_dir(s.data);
    rc = cli_need_data(s.data);
    return rc != EXIT_OK ? rc : run(&s, query);
}
