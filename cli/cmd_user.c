/* SPDX-License-Identifier: MIT */
/* cmd_user.c: `galen user`: bootstraps accounts in the store, above all the
 * first admin, who then manages the others in the web UI. The password is
 * read from standard input (first line) so it never appears in argv or the
 * shell history. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <galen/error.h>
#include <galen/service.h>
#include <galen/store.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen user add NAME --role ROLE [--specialty S] [-d DIR]\n"
            "       galen user list [-d DIR]\n\n"
            "add reads the password (8 to 128 bytes) from the first line of\n"
            "standard input. ROLE is patient, specialist, editor (or\n"
            "reviewer) or admin; a specialist needs --specialty, one of:\n");
    for (size_t i = 0; galen_specialties[i]; i++)
        fprintf(f, "  %s\n", galen_specialties[i]);
}

static int read_password(char *pw, size_t cap)
{
    size_t n;

    if (!fgets(pw, (int)cap, stdin))
        return -1;
    n = strlen(pw);
    while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
        pw[--n] = '\0';
    return 0;
}

static int open_service(const char *data, struct galen_service **svc)
{
    char path[1024];
    int rc;

    if (galen_data_store_path(data, path, sizeof path) != GALEN_OK)
        return GALEN_EINVAL;
    rc = galen_service_open(path, svc);
    if (rc != GALEN_OK)
        LOG_ERROR("cannot open %s: %s", path, galen_service_errmsg(NULL));
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
        LOG_ERROR("unknown role '%s'", role_name ? role_name : "");
        return EXIT_USAGE;
    }
    if (read_password(pw, sizeof pw) != 0) {
        LOG_ERROR("no password on standard input");
        return EXIT_USAGE;
    }
    rc = open_service(data, &svc);
    if (rc == GALEN_OK)
        rc = galen_user_add(svc, name, pw, role, specialty,
                            (long long)time(NULL), NULL);
    if (rc != GALEN_OK && svc)
        LOG_ERROR("cannot add %s: %s", name, galen_service_errmsg(svc));
    else if (rc == GALEN_OK)
        printf("added %s (%s)\n", name, galen_role_name(role));
    memset(pw, 0, sizeof pw);
    galen_service_close(svc);
    return rc == GALEN_EEXIST ? EXIT_DATA : cli_exit_for(rc);
}

static int print_user(void *ctx, const struct galen_user *u)
{
    UNUSED(ctx);
    printf("%-20s %-10s %-18s%s\n", u->name, galen_role_name(u->role),
           u->specialty, u->disabled ? " (disabled)" : "");
    return 0;
}

static int user_list(const char *data)
{
    struct galen_service *svc = NULL;
    int rc = open_service(data, &svc);

    if (rc == GALEN_OK)
        rc = galen_users(svc, print_user, NULL);
    galen_service_close(svc);
    return cli_exit_for(rc);
}

int cmd_user(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"role", required_argument, NULL, 'r'},
        {"specialty", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *data = NULL;
    const char *role = NULL;
    const char *specialty = NULL;
    int c;

    while ((c = getopt_long(argc, argv, "d:r:s:h", longopts, NULL)) != -1) {
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
        case 'h':
            usage(stdout);
            return EXIT_OK;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind + 2 == argc && strcmp(argv[optind], "add") == 0)
        return user_add(cli_data_dir(data), argv[optind + 1], role, specialty);
    if (optind + 1 == argc && strcmp(argv[optind], "list") == 0)
        return user_list(cli_data_dir(data));
    usage(stderr);
    return EXIT_USAGE;
}
