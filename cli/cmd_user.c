/* SPDX-License-Identifier: MIT */
/* cmd_user.c: `galen user`: accounts in the store from the command line:
 * add (above all the first admin), list, disable, enable, delete, passwd,
 * reset-link (a one-time link for the user to set a password) and audit. A
 * password never appears in argv or the shell history: it is read from the
 * terminal without echo (asked twice), or else from the first line of standard
 * input. */
#include <cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/service.h>
#include <galen/store.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen user add NAME --role ROLE [--specialty S] [-d DIR]\n"
            "       galen user list [-d DIR] [--json]\n"
            "       galen user disable|enable|delete|passwd NAME [-d DIR]\n"
            "       galen user reset-link NAME [--base-path /P] [-d DIR]\n"
            "       galen user audit [NAME] [-d DIR] [--json]\n\n"
            "reset-link prints the path of a one-time link that sets NAME's\n"
            "password within an hour (prefixed with the server's\n"
            "--base-path); audit prints the account audit trail.\n"
            "add and passwd ask for the password (8 to 128 bytes) on the\n"
            "terminal without echo, or read the first line of standard\n"
            "input. disable ends the user's sessions; delete refuses a user\n"
            "whose questions or replies remain (disable them instead).\n"
            "ROLE is patient, specialist, editor (or\n"
            "reviewer) or admin; a specialist needs --specialty, one of:\n");
    for (size_t i = 0; galen_specialties[i]; i++)
        fprintf(f, "  %s\n", galen_specialties[i]);
}

static int read_line(char *pw, size_t cap)
{
    size_t n;

    if (!fgets(pw, (int)cap, stdin))
        return -1;
    n = strlen(pw);
    while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
        pw[--n] = '\0';
    return 0;
}

/* Reads one line from the terminal with echo off (restored afterwards). */
static int prompt_hidden(const char *prompt, char *pw, size_t cap)
{
    struct termios old, quiet;
    int rc;

    fputs(prompt, stderr);
    fflush(stderr);
    if (tcgetattr(STDIN_FILENO, &old) != 0)
        return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &quiet) != 0)
        return -1;
    rc = read_line(pw, cap);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    return rc;
}

/* The new password: from the terminal without echo, typed twice, or else
 * the first line of standard input. 0, or -1 after saying why. */
static int read_password(char *pw, size_t cap)
{
    char again[GALEN_PASSWORD_MAX + 4];
    int rc;

    if (!isatty(STDIN_FILENO)) {
        if (read_line(pw, cap) == 0)
            return 0;
        LOG_ERROR("no password on standard input");
        return -1;
    }
    rc = prompt_hidden("Password: ", pw, cap);
    if (rc == 0)
        rc = prompt_hidden("Password again: ", again, sizeof again);
    if (rc == 0 && strcmp(pw, again) != 0) {
        LOG_ERROR("the passwords differ");
        rc = -1;
    } else if (rc != 0) {
        LOG_ERROR("cannot read the password from the terminal");
    }
    sodium_memzero(again, sizeof again);
    return rc;
}

static int open_service(const char *data, struct galen_service **svc)
{
    char path[1024];
    int rc;

    if (galen_data_store_path(data, path, sizeof path) != GALEN_OK)
        return GALEN_EINVAL;
    if (cli_private_dir(data) != 0)
        return GALEN_EIO;
    rc = galen_service_open(path, svc);
    if (rc != GALEN_OK)
        LOG_ERROR("cannot open %s: %s", cli_store_label(path),
                  galen_service_errmsg(NULL));
    return rc;
}

static int user_add(const char *data, const char *name, const char *role_name,
                    const char *specialty)
{
    struct galen_service *svc = NULL;
    enum galen_role role;
    char pw[GALEN_PASSWORD_MAX + 4];
    int rc;

    if (galen_auth_init() != GALEN_OK ||
        galen_role_parse(role_name, &role) != GALEN_OK) {
        return cli_usage_error("user",
                               "unknown role '%s' (want patient, "
                               "specialist, editor or admin)",
                               role_name);
    }
    if (read_password(pw, sizeof pw) != 0)
        return EXIT_USAGE;
    rc = open_service(data, &svc);
    if (rc == GALEN_OK)
        rc = galen_user_add(svc, name, pw, role, specialty,
                            (long long)time(NULL), NULL);
    if (rc != GALEN_OK && svc)
        LOG_ERROR("cannot add %s: %s", name, galen_service_errmsg(svc));
    else if (rc == GALEN_OK)
        printf("added %s (%s)\n", name, galen_role_name(role));
    sodium_memzero(pw, sizeof pw);
    galen_service_close(svc);
    return rc == GALEN_EEXIST ? EXIT_DATA : cli_exit_for(rc);
}

static int print_user(void *ctx, const struct galen_user *u)
{
    cJSON *arr = ctx;
    cJSON *o;

    if (!arr) {
        printf("%-20s %-10s %-18s%s\n", u->name, galen_role_name(u->role),
               u->specialty, u->disabled ? " (disabled)" : "");
        return 0;
    }
    o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o))
        return GALEN_ENOMEM;
    cJSON_AddStringToObject(o, "name", u->name);
    cJSON_AddStringToObject(o, "role", galen_role_name(u->role));
    cJSON_AddStringToObject(o, "specialty", u->specialty);
    cJSON_AddBoolToObject(o, "disabled", u->disabled);
    return 0;
}

static int user_list(const char *data, bool json)
{
    struct galen_service *svc = NULL;
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    int rc = json && !arr ? GALEN_ENOMEM : open_service(data, &svc);

    if (rc == GALEN_OK)
        rc = galen_users(svc, print_user, arr);
    galen_service_close(svc);
    if (rc == GALEN_OK && json)
        return cli_print_json(arr);
    cJSON_Delete(arr);
    return cli_exit_for(rc);
}

struct find {
    const char *name;
    long long id;
};

static int find_cb(void *ctx, const struct galen_user *u)
{
    struct find *f = ctx;

    if (strcmp(u->name, f->name) == 0)
        f->id = u->id;
    return 0;
}

/* disable, enable, delete, passwd on the user called name. */
static int user_change(const char *data, const char *verb, const char *name)
{
    struct galen_service *svc = NULL;
    struct find f = {name, 0};
    char pw[GALEN_PASSWORD_MAX + 4];
    int rc;

    if (strcmp(verb, "passwd") == 0 && read_password(pw, sizeof pw) != 0)
        return EXIT_USAGE;
    rc = open_service(data, &svc);
    if (rc == GALEN_OK)
        rc = galen_users(svc, find_cb, &f);
    if (rc == GALEN_OK && f.id == 0) {
        LOG_ERROR("no user '%s'", name);
        rc = GALEN_ENOENT;
    } else if (rc == GALEN_OK) {
        if (strcmp(verb, "passwd") == 0)
            rc = galen_user_set_password(svc, f.id, pw);
        else if (strcmp(verb, "delete") == 0)
            rc = galen_user_delete(svc, f.id);
        else
            rc = galen_user_set_disabled(svc, f.id,
                                         strcmp(verb, "disable") == 0);
        if (rc != GALEN_OK)
            LOG_ERROR("cannot %s %s: %s", verb, name,
                      galen_service_errmsg(svc));
        else
            printf("%s: %s done\n", name, verb);
    }
    sodium_memzero(pw, sizeof pw);
    galen_service_close(svc);
    return cli_exit_for(rc);
}

/* Prints the path of a fresh one-time reset link for name. */
static int user_reset_link(const char *data, const char *name, const char *base)
{
    struct galen_service *svc = NULL;
    struct find f = {name, 0};
    char token[GALEN_TOKEN_LEN + 1];
    int rc = open_service(data, &svc);

    if (rc == GALEN_OK)
        rc = galen_users(svc, find_cb, &f);
    if (rc == GALEN_OK && f.id == 0) {
        LOG_ERROR("no user '%s'", name);
        rc = GALEN_ENOENT;
    } else if (rc == GALEN_OK) {
        rc = galen_reset_issue(svc, f.id, NULL, (long long)time(NULL),
                               GALEN_RESET_TTL, token);
        if (rc != GALEN_OK)
            LOG_ERROR("cannot issue a reset link for %s: %s", name,
                      galen_service_errmsg(svc));
        else
            printf("%s/reset?token=%s\n", base ? base : "", token);
    }
    sodium_memzero(token, sizeof token);
    galen_service_close(svc);
    return cli_exit_for(rc);
}

static int print_event(void *ctx, const struct galen_account_event *e)
{
    cJSON *arr = ctx;
    cJSON *o;

    if (!arr) {
        printf("%s  %-20s %-17s %s\n", e->at, e->user, e->event,
               e->actor ? e->actor : "(command line)");
        return 0;
    }
    o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o))
        return GALEN_ENOMEM;
    cJSON_AddStringToObject(o, "at", e->at);
    cJSON_AddStringToObject(o, "user", e->user);
    cJSON_AddStringToObject(o, "event", e->event);
    if (e->actor)
        cJSON_AddStringToObject(o, "actor", e->actor);
    else
        cJSON_AddNullToObject(o, "actor");
    return 0;
}

static int user_audit(const char *data, const char *name, bool json)
{
    struct galen_service *svc = NULL;
    cJSON *arr = json ? cJSON_CreateArray() : NULL;
    int rc = json && !arr ? GALEN_ENOMEM : open_service(data, &svc);

    if (rc == GALEN_OK)
        rc = galen_account_events(svc, name, 1000, print_event, arr);
    galen_service_close(svc);
    if (rc == GALEN_OK && json)
        return cli_print_json(arr);
    cJSON_Delete(arr);
    return cli_exit_for(rc);
}

/* The actions that take one NAME and a data folder that exists. */
static int named_action(const char *data, const char *verb, int argc,
                        char **argv, const char *base)
{
    int code;

    if (argc != 2)
        return cli_usage_error("user", "%s takes one NAME", verb);
    code = cli_need_data(data);
    if (code != EXIT_OK)
        return code;
    if (strcmp(verb, "reset-link") == 0)
        return user_reset_link(data, argv[1], base);
    return user_change(data, verb, argv[1]);
}

int cmd_user(int argc, char **argv)
{
    enum { OPT_JSON = 256, OPT_BASE };
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"role", required_argument, NULL, 'r'},
        {"specialty", required_argument, NULL, 's'},
        {"json", no_argument, NULL, OPT_JSON},
        {"base-path", required_argument, NULL, OPT_BASE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *data = NULL;
    const char *role = NULL;
    const char *specialty = NULL;
    const char *base = NULL;
    const char *verb;
    bool json = false;
    int c, code;

    optind = 0;
    while ((c = cli_getopt(argc, argv, "d:r:s:h", longopts)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 's':
            specialty = optarg;
            break;
        case OPT_JSON:
            json = true;
            break;
        case OPT_BASE:
            base = optarg;
            break;
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            return EXIT_USAGE; /* cli_getopt said why */
        }
    }
    if (optind >= argc)
        return cli_usage_error("user", "no action given (add, list, disable, "
                                       "enable, delete, passwd, reset-link "
                                       "or audit)");
    verb = argv[optind];
    data = cli_data_dir(data);
    if (strcmp(verb, "add") == 0) {
        if (optind + 2 != argc)
            return cli_usage_error("user", "add takes one NAME");
        if (!role)
            return cli_usage_error("user", "add needs --role ROLE");
        if (cli_make_dirs(data) != 0) {
            LOG_ERROR("cannot create data folder %s: %s", data,
                      strerror(errno));
            return EXIT_IO;
        }
        return user_add(data, argv[optind + 1], role, specialty);
    }
    if (strcmp(verb, "list") == 0) {
        if (optind + 1 != argc)
            return cli_usage_error("user", "list takes no argument");
        code = cli_need_data(data);
        return code != EXIT_OK ? code : user_list(data, json);
    }
    if (strcmp(verb, "audit") == 0) {
        if (optind + 2 < argc)
            return cli_usage_error("user", "audit takes at most one NAME");
        code = cli_need_data(data);
        return code != EXIT_OK
                   ? code
                   : user_audit(data,
                                optind + 1 < argc ? argv[optind + 1] : NULL,
                                json);
    }
    if (base && (base[0] != '/' || base[strlen(base) - 1] == '/' ||
                 strpbrk(base, "?#%; \t\"<>\\")))
        return cli_usage_error("user",
                               "bad --base-path '%s' (want /NAME, no "
                               "trailing '/')",
                               base);
    if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0 ||
        strcmp(verb, "delete") == 0 || strcmp(verb, "passwd") == 0 ||
        strcmp(verb, "reset-link") == 0)
        return named_action(data, verb, argc - optind, argv + optind, base);
    return cli_usage_error("user",
                           "unknown action '%s' (want add, list, disable, "
                           "enable, delete, passwd, reset-link or audit)",
                           verb);
}
