/* SPDX-License-Identifier: MIT */
/* cmd_ask.c: `galen ask`, which answers one question from the data folder
 * as wrapped text (coloured on a TTY), JSON (docs/answer-schema.md) or an
 * HTML fragment. It also opens the answer engine with its lexicon and
 * red-flag rules (cli_open_answerer), which `galen similar` shares. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <galen/answer.h>
#include <galen/error.h>

#include "cli.h"

enum { QUESTION_TEXT_MAX = 16384 };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen ask [-d DIR] [options] QUESTION... [options]\n"
            "\n"
            "Answers a health question from the documents indexed in DIR. "
            "Every\nsentence of the answer is quoted from a source and cited; "
            "galen says\nso plainly when its sources do not answer the "
            "question.\n"
            "\n"
            "  -d, --data DIR          data folder (default $GALEN_DATA, else "
            "./%s)\n"
            "  -a, --audience WHO      patient (default) or clinician\n"
            "      --json              print the answer as JSON\n"
            "      --html              print the answer as an HTML fragment\n"
            "      --min-evidence L    keep sources of evidence level L or "
            "stronger:\n"
            "                          guideline, meta-analysis, "
            "systematic-review,\n"
            "                          rct, clinical-trial, cohort, "
            "case-control,\n"
            "                          case-report, review, expert, "
            "consumer, other\n"
            "      --kind K[,K...]     only these source kinds: guideline, "
            "research,\n"
            "                          consumer, qa, article, faq\n"
            "  -p, --previous Q        the previous question, for a "
            "follow-up\n"
            "      --long              a longer answer (a body of up to 600 "
            "words,\n"
            "                          not about 300)\n"
            "      --lexicon FILE      lay-term lexicon (default: "
            "lexicon.tsv in DIR,\n"
            "                          $GALEN_SHARE or %s)\n"
            "      --redflags FILE     red-flag rules (default: redflags.txt, "
            "likewise);\n"
            "                          galen will not answer without "
            "either\n"
            "  -w, --width N           wrap text at N columns (default: the "
            "terminal)\n"
            "      --color / --no-color  colours (default: on a TTY)\n"
            "  -h, --help              this help\n"
            "\n"
            "Options may follow the question; put -- before a question that "
            "starts\nwith -. NO_COLOR in the environment turns colours "
            "off.\n",
            CLI_DEFAULT_DATA, cli_share_dir);
}

struct ask_cli {
    const char *data;
    const char *lexicon, *redflags;
    enum galen_render_format fmt;
    int color; /* -1: decide by TTY */
    unsigned width;
    struct galen_ask_opts o;
};

enum {
    OPT_JSON = 256,
    OPT_HTML,
    OPT_MIN_EVIDENCE,
    OPT_KIND,
    OPT_LEXICON,
    OPT_REDFLAGS,
    OPT_COLOR,
    OPT_NO_COLOR,
    OPT_LONG
};

static const struct option long_opts[] = {
    {"data", required_argument, NULL, 'd'},
    {"audience", required_argument, NULL, 'a'},
    {"json", no_argument, NULL, OPT_JSON},
    {"html", no_argument, NULL, OPT_HTML},
    {"min-evidence", required_argument, NULL, OPT_MIN_EVIDENCE},
    {"kind", required_argument, NULL, OPT_KIND},
    {"previous", required_argument, NULL, 'p'},
    {"long", no_argument, NULL, OPT_LONG},
    {"lexicon", required_argument, NULL, OPT_LEXICON},
    {"redflags", required_argument, NULL, OPT_REDFLAGS},
    {"width", required_argument, NULL, 'w'},
    {"color", no_argument, NULL, OPT_COLOR},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Adds each comma-separated kind in arg to *mask. */
static int parse_kinds(const char *arg, unsigned *mask)
{
    char tmp[256];
    char *p = tmp;

    if (strlen(arg) >= sizeof tmp)
        return -1;
    memcpy(tmp, arg, strlen(arg) + 1);
    while (p) {
        char *comma = strchr(p, ',');
        unsigned bit;

        if (comma)
            *comma = '\0';
        bit = galen_source_kind_bit(p);
        if (!bit)
            return -1;
        *mask |= bit;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int parse_audience(const char *arg, enum galen_audience *out)
{
    if (strcmp(arg, "patient") == 0)
        *out = GALEN_AUDIENCE_PATIENT;
    else if (strcmp(arg, "clinician") == 0)
        *out = GALEN_AUDIENCE_CLINICIAN;
    else
        return -1;
    return 0;
}

static int parse_width(const char *arg, unsigned *out)
{
    double v;

    if (cli_number(arg, &v) != 0 || v < 30 || v > 1000 ||
        v != (double)(unsigned)v)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Applies option c; 0, 1 for --help, or -1 after saying what was wrong. */
static int one_opt(int c, struct ask_cli *s)
{
    switch (c) {
    case 'd':
        s->data = optarg;
        return 0;
    case 'a':
        if (parse_audience(optarg, &s->o.audience) == 0)
            return 0;
        cli_usage_error("ask",
                        "unknown audience '%s' (want patient or "
                        "clinician)",
                        optarg);
        return -1;
    case OPT_JSON:
        s->fmt = GALEN_RENDER_JSON;
        return 0;
    case OPT_HTML:
        s->fmt = GALEN_RENDER_HTML;
        return 0;
    case OPT_MIN_EVIDENCE:
        s->o.min_evidence = optarg;
        if (galen_evidence_level_known(optarg))
            return 0;
        cli_usage_error("ask",
                        "unknown evidence level '%s' for "
                        "--min-evidence",
                        optarg);
        return -1;
    case OPT_KIND:
        if (parse_kinds(optarg, &s->o.kinds) == 0)
            return 0;
        cli_usage_error("ask", "unknown source kind in --kind '%s'", optarg);
        return -1;
    case 'p':
        s->o.previous = optarg;
        return 0;
    case OPT_LONG:
        s->o.long_answer = true;
        return 0;
    case OPT_LEXICON:
        s->lexicon = optarg;
        return 0;
    case OPT_REDFLAGS:
        s->redflags = optarg;
        return 0;
    case 'w':
        if (parse_width(optarg, &s->width) == 0)
            return 0;
        cli_usage_error("ask",
                        "bad width '%s' (want a whole number from 30 "
                        "to 1000)",
                        optarg);
        return -1;
    case OPT_COLOR:
    case OPT_NO_COLOR:
        s->color = c == OPT_COLOR;
        return 0;
    case 'h':
        return 1;
    default:
        return -1; /* cli_getopt said why */
    }
}

static unsigned terminal_width(void)
{
    struct winsize ws;

    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col >= 30)
        return ws.ws_col > 100 ? 100 : ws.ws_col;
    return 80;
}

int cli_open_answerer(const char *data, const char *lexicon,
                      const char *redflags, struct galen_answerer **out)
{
    char lex[4096], rf[4096];
    struct galen_answerer_opts o = {lex, rf, NULL};
    int rc;

    *out = NULL;
    rc = cli_safety_file(lexicon, data, CLI_LEXICON, lex, sizeof lex);
    if (rc == GALEN_OK)
        rc = cli_safety_file(redflags, data, CLI_REDFLAGS, rf, sizeof rf);
    if (rc != GALEN_OK)
        return rc;
    rc = galen_answerer_open(data, &o, out);
    if (rc != GALEN_OK) {
        LOG_ERROR("%s", galen_answerer_errmsg(NULL));
        cli_index_hint(rc, data);
    }
    return rc;
}

static int run(struct ask_cli *s, const char *question)
{
    struct galen_answerer *a = NULL;
    struct galen_answer *ans = NULL;
    unsigned flags = 0;
    char *out = NULL;
    size_t len = 0;
    int rc = cli_open_answerer(s->data, s->lexicon, s->redflags, &a);

    if (rc != GALEN_OK)
        return cli_exit_for(rc);
    rc = galen_ask(a, question, &s->o, &ans);
    if (rc != GALEN_OK)
        LOG_ERROR("cannot answer: %s", galen_answerer_errmsg(a));
    if (cli_color(STDOUT_FILENO, s->color))
        flags |= GALEN_RENDER_COLOR;
    if (rc == GALEN_OK)
        rc = galen_answer_render(ans, s->fmt, flags,
                                 s->width ? s->width : terminal_width(), &out,
                                 &len);
    if (rc == GALEN_OK && fwrite(out, 1, len, stdout) != len)
        rc = GALEN_EIO;
    galen_free_string(out);
    galen_answer_free(ans);
    galen_answerer_close(a);
    return cli_exit_for(rc);
}

int cmd_ask(int argc, char **argv)
{
    static char question[QUESTION_TEXT_MAX];
    struct ask_cli s;
    int c, r, code;

    memset(&s, 0, sizeof s);
    s.color = -1;
    galen_ask_opts_init(&s.o);
    optind = 0;
    while ((c = cli_getopt(argc, argv, "d:a:p:w:h", long_opts)) != -1) {
        r = one_opt(c, &s);
        if (r > 0) {
            usage(stdout);
            return EXIT_OK;
        }
        if (r < 0)
            return EXIT_USAGE;
    }
    if (optind >= argc)
        return cli_usage_error("ask", "no question given");
    if (cli_join_args(argc, argv, optind, question, sizeof question) != 0)
        return cli_usage_error("ask", "the question is longer than %d bytes",
                               QUESTION_TEXT_MAX - 1);
    s.data = cli_data_dir(s.data);
    code = cli_need_data(s.data);
    return code != EXIT_OK ? code : run(&s, question);
}
