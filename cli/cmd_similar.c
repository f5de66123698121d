/* SPDX-License-Identifier: MIT */
/* cmd_similar.c: `galen similar`, which lists the answered questions in the
 * data folder most like a question (what feeds "Similar Q&A"), as text or
 * JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <galen/answer.h>
#include <galen/error.h>

#include "cli.h"

enum { QUESTION_TEXT_MAX = 16384 };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen similar [-d DIR] [-k N] [--json] QUESTION...\n"
            "\n"
            "Lists the answered questions (Q&A pairs, FAQ items and other "
            "documents\nwhose title is a question) most similar to "
            "QUESTION.\n"
            "\n"
            "  -d, --data DIR   data folder (default $GALEN_DATA, else ./%s)\n"
            "  -k, --k N        how many, 1..100 (default 5)\n"
            "      --json       print a JSON array\n"
            "  -h, --help       this help\n",
            CLI_DEFAULT_DATA);
}

static int parse_k(const char *arg, unsigned *k)
{
    double v;

    if (cli_number(arg, &v) != 0 || v < 1 || v > 100 ||
        v != (double)(unsigned)v)
        return -1;
    *k = (unsigned)v;
    return 0;
}

static int run(const char *data, const char *question, unsigned k, bool json)
{
    struct galen_answerer *a = NULL;
    struct galen_similar *s = NULL;
    char *out = NULL;
    size_t len = 0;
    int rc = cli_open_answerer(data, NULL, NULL, &a);

    if (rc != GALEN_OK)
        return cli_exit_for(rc);
    rc = galen_similar_find(a, question, k, &s);
    if (rc != GALEN_OK)
        LOG_ERROR("cannot search: %s", galen_answerer_errmsg(a));
    if (rc == GALEN_OK)
        rc = galen_similar_render(
            s, json ? GALEN_RENDER_JSON : GALEN_RENDER_TEXT, 0, &out, &len);
    if (rc == GALEN_OK && fwrite(out, 1, len, stdout) != len)
        rc = GALEN_EIO;
    galen_free_string(out);
    galen_similar_free(s);
    galen_answerer_close(a);
    return cli_exit_for(rc);
}

int cmd_similar(int argc, char **argv)
{
    enum { OPT_JSON = 256 };
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"k", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    static char question[QUESTION_TEXT_MAX];
    const char *data = NULL;
    unsigned k = 5;
    bool json = false;
    int c, code;

    optind = 0;
    while ((c = cli_getopt(argc, argv, "d:k:h", longopts)) != -1) {
        if (c == 'd') {
            data = optarg;
        } else if (c == 'k') {
            if (parse_k(optarg, &k) != 0)
                return cli_usage_error("similar",
                                       "bad -k '%s' (want a whole "
                                       "number from 1 to 100)",
                                       optarg);
        } else if (c == OPT_JSON) {
            json = true;
        } else if (c == 'h') {
            usage(stdout);
            return EXIT_OK;
        } else {
            return EXIT_USAGE; /* cli_getopt said why */
        }
    }
    if (optind >= argc)
        return cli_usage_error("similar", "no question given");
    if (cli_join_args(argc, argv, optind, question, sizeof question) != 0)
        return cli_usage_error("similar",
                               "the question is longer than %d bytes",
                               QUESTION_TEXT_MAX - 1);
    data = cli_data_dir(data);
    code = cli_need_data(data);
    return code != EXIT_OK ? code : run(data, question, k, json);
}
