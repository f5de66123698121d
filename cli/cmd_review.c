/* SPDX-License-Identifier: MIT */
/* cmd_review.c: `galen review start|approve --source S --as EDITOR`: the
 * editorial review of a whole source at once, from the command line. Each
 * document becomes one review event in the audit trail, named after the
 * editor, under the same rules as the dashboard's one-document actions
 * (four-eyes review included); what could not be done is counted and
 * explained, not failed. The index then picks up the new statuses. */
#include <cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/service.h>
#include <galen/store.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: galen review approve|start --source SOURCE --as EDITOR\n"
               "                    [--note TEXT] [--self-review] [--json]\n"
               "                    [--no-index] [-d DIR]\n\n"
               "start moves every document of SOURCE (its 'source' field, "
               "exact)\nthat is submitted to under review; approve approves "
               "every one that\nis under review. Each change is recorded in "
               "the audit trail as done\nby EDITOR, a user with the editor or "
               "admin role. Four-eyes review\nholds as on the dashboard: "
               "EDITOR cannot approve what they submitted\nor started "
               "reviewing (--self-review lifts that, for a one-editor\nsite). "
               "Documents left alone are counted, with the reason.\n");
}

enum { OPT_SOURCE = 256, OPT_AS, OPT_NOTE, OPT_SELF, OPT_JSON, OPT_NO_INDEX };

struct review_args {
    const char *data, *source, *as, *note;
    bool self_review, json, no_index;
};

static int apply_opt(int c, struct review_args *a)
{
    switch (c) {
    case 'd':
        a->data = optarg;
        return 0;
    case OPT_SOURCE:
        a->source = optarg;
        return 0;
    case OPT_AS:
        a->as = optarg;
        return 0;
    case OPT_NOTE:
        a->note = optarg;
        return 0;
    case OPT_SELF:
        a->self_review = true;
        return 0;
    case OPT_JSON:
        a->json = true;
        return 0;
    case OPT_NO_INDEX:
        a->no_index = true;
        return 0;
    case 'h':
        return 1;
    default:
        return -1;
    }
}

static int parse(int argc, char **argv, struct review_args *a)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"as", required_argument, NULL, OPT_AS},
        {"note", required_argument, NULL, OPT_NOTE},
        {"self-review", no_argument, NULL, OPT_SELF},
        {"json", no_argument, NULL, OPT_JSON},
        {"no-index", no_argument, NULL, OPT_NO_INDEX},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c, rc = 0;

    optind = 0;
    while (rc == 0 && (c = cli_getopt(argc, argv, "d:h", longopts)) != -1)
        rc = apply_opt(c, a);
    a->data = cli_data_dir(a->data);
    return rc;
}

struct find {
    const char *name;
    struct galen_user user;
    bool found;
};

static int find_cb(void *ctx, const struct galen_user *u)
{
    struct find *f = ctx;

    if (strcmp(u->name, f->name) == 0) {
        f->user = *u;
        f->found = true;
    }
    return 0;
}

/* The editor called name: GALEN_OK, or an error already reported. */
static int find_editor(struct galen_service *svc, const char *name,
                       struct galen_user *out)
{
    struct find f = {name, {0}, false};
    int rc = galen_users(svc, find_cb, &f);

    if (rc != GALEN_OK) {
        LOG_ERROR("review: %s", galen_service_errmsg(svc));
        return rc;
    }
    if (!f.found || f.user.disabled) {
        LOG_ERROR("review: no %suser '%s' (galen user add NAME --role "
                  "editor)",
                  f.found ? "enabled " : "", name);
        return GALEN_ENOENT;
    }
    if (!galen_role_can(f.user.role, GALEN_PERM_REVIEW)) {
        LOG_ERROR("review: %s is a %s; only editors and admins review", name,
                  galen_role_name(f.user.role));
        return GALEN_EINVAL;
    }
    *out = f.user;
    return GALEN_OK;
}

static int report(const struct review_args *a, const char *action,
                  const struct galen_review_bulk *b)
{
    if (a->json) {
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "action", action);
        cJSON_AddStringToObject(o, "source", a->source);
        cJSON_AddNumberToObject(o, "done", (double)b->done);
        cJSON_AddNumberToObject(o, "not_ready", (double)b->not_ready);
        cJSON_AddNumberToObject(o, "four_eyes", (double)b->own);
        return cli_print_json(o);
    }
    printf("%s %lld document(s) of '%s'\n",
           strcmp(action, "approve") == 0 ? "approved" : "started review of",
           b->done, a->source);
    if (b->not_ready)
        printf("skipped %lld %s\n", b->not_ready,
               strcmp(action, "approve") == 0
                   ? "not yet under review (another editor starts their "
                     "review first: galen review start)"
                   : "already under review");
    if (b->own)
        printf("skipped %lld by four-eyes review: %s submitted or started "
               "their review, so another editor approves them\n",
               b->own, a->as);
    return EXIT_OK;
}

static int run(const struct review_args *a, const char *action)
{
    struct galen_service *svc = NULL;
    struct galen_review_bulk bulk;
    struct galen_user who;
    char path[4096];
    int rc;

    if (!cli_path(path, sizeof path, a->data, "store.db"))
        return EXIT_USAGE;
    if (access(path, F_OK) != 0) {
        LOG_ERROR("no store at %s: run 'galen import' first", path);
        return EXIT_NOTFOUND;
    }
    if (cli_private_dir(a->data) != 0)
        return EXIT_IO;
    rc = galen_service_open(path, &svc);
    if (rc != GALEN_OK) {
        LOG_ERROR("cannot open %s: %s", path, galen_service_errmsg(NULL));
        return cli_exit_for(rc);
    }
    galen_service_set_self_review(svc, a->self_review);
    rc = find_editor(svc, a->as, &who);
    if (rc == GALEN_OK) {
        rc = galen_review_source(svc, a->source, action, &who, a->note, -1,
                                 &bulk);
        if (rc != GALEN_OK)
            LOG_ERROR("review: %s", galen_service_errmsg(svc));
    }
    galen_service_close(svc);
    if (rc != GALEN_OK)
        return cli_exit_for(rc);
    rc = report(a, action, &bulk);
    if (rc == EXIT_OK && bulk.done > 0 && !a->no_index)
        rc = cli_index_store(a->data, false, true, false);
    return rc;
}

int cmd_review(int argc, char **argv)
{
    struct review_args a = {0};
    const char *action;
    int rc = parse(argc, argv, &a);

    if (rc != 0) {
        if (rc > 0)
            usage(stdout);
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (optind >= argc)
        return cli_usage_error("review", "no action given (approve or start)");
    action = argv[optind];
    if (strcmp(action, "approve") != 0 && strcmp(action, "start") != 0)
        return cli_usage_error("review",
                               "unknown action '%s' (want approve "
                               "or start)",
                               action);
    if (optind + 1 != argc)
        return cli_usage_error("review", "unexpected argument '%s'",
                               argv[optind + 1]);
    if (!a.source || !*a.source)
        return cli_usage_error("review", "--source SOURCE is required");
    if (!a.as)
        return cli_usage_error("review", "--as EDITOR is required");
    return run(&a, action);
}
