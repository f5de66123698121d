/* SPDX-License-Identifier: MIT */
/* cli.c: shared plumbing for the subcommands: exit-code mapping, the data
 * folder, the files that ship with galen, option values (numbers,
 * FIELD=VALUE), leveled logging and a rate-limited TTY progress bar. */
#include "cli.h"

#include <cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <galen/error.h>
#include <galen/search.h>
#include <galen/store.h>

enum log_level cli_log_level = LOG_LEVEL_WARN;

int cli_exit_for(int galen_err)
{
    switch (galen_err) {
    case GALEN_OK:
        return EXIT_OK;
    case GALEN_EINVAL:
        return EXIT_USAGE;
    case GALEN_EPARSE:
    case GALEN_ECORRUPT:
    case GALEN_EVERSION:
    case GALEN_ETOOBIG:
        return EXIT_DATA;
    case GALEN_EIO:
    case GALEN_EDB:
        return EXIT_IO;
    case GALEN_ENOENT:
        return EXIT_NOTFOUND;
    default:
        return EXIT_INTERNAL;
    }
}

/* Clears the group and other bits of path and, for a folder, of what it
 * holds (depth-limited; symbolic links are left alone). Counts changes in
 * *fixed; returns -1 after logging an error. */
static int private_walk(const char *path, int depth, unsigned long *fixed)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char sub[4096];
    int rc = 0;

    if (lstat(path, &st) != 0 || S_ISLNK(st.st_mode))
        return 0;
    if ((st.st_mode & 077) != 0) {
        if (chmod(path, st.st_mode & 07700) != 0) {
            LOG_ERROR("cannot make %s private: %s", path, strerror(errno));
            return -1;
        }
        (*fixed)++;
    }
    if (!S_ISDIR(st.st_mode) || depth > 8)
        return 0;
    d = opendir(path);
    if (!d) {
        LOG_ERROR("cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) <
            (int)sizeof sub)
            rc = private_walk(sub, depth + 1, fixed);
    }
    closedir(d);
    return rc;
}

int cli_private_dir(const char *dir)
{
    unsigned long fixed = 0;

    if (access(dir, F_OK) != 0)
        return 0;
    if (private_walk(dir, 0, &fixed) != 0)
        return -1;
    if (fixed)
        LOG_WARN("%s: %lu file(s) were readable by other users; they are "
                 "now private to their owner",
                 dir, fixed);
    return 0;
}

const char *cli_data_dir(const char *opt)
{
    const char *env;

    if (opt && *opt)
        return opt;
    env = getenv("GALEN_DATA");
    if (env && *env)
        return env;
    return CLI_DEFAULT_DATA;
}

const char *cli_store_label(const char *path)
{
    return galen_store_is_url(path) ? "the PostgreSQL store" : path;
}

#ifndef CLI_SHARE_DIR
#define CLI_SHARE_DIR "/usr/local/share/galen"
#endif
const char cli_share_dir[] = CLI_SHARE_DIR;

/* 0 if path opens for reading, else the errno. open() rather than access():
 * root passes access() for any mode bits. */
static int can_read(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return errno;
    close(fd);
    return 0;
}

/* The folder of the running executable. */
static bool exe_dir(char *out, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", out, cap - 1);
    char *slash;

    if (n <= 0 || (size_t)n >= cap - 1)
        return false;
    out[n] = '\0';
    slash = strrchr(out, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return true;
}

/* Where the source tree keeps name when exe (a folder) is ROOT/build/MODE:
 * ROOT/web for the web files, ROOT/data for the others. */
static bool source_folder(const char *exe, const char *name, char *out,
                          size_t cap)
{
    char root[PATH_MAX];
    char *slash;

    if (snprintf(root, sizeof root, "%s", exe) >= (int)sizeof root)
        return false;
    slash = strrchr(root, '/');
    if (!slash)
        return false;
    *slash = '\0';
    slash = strrchr(root, '/');
    if (!slash || strcmp(slash + 1, "build") != 0)
        return false;
    *slash = '\0';
    return snprintf(out, cap, "%s%s", root,
                    strcmp(name, "web") == 0 ? "" : "/data") < (int)cap;
}

static void note(char *looked, size_t cap, const char *folder)
{
    size_t n;

    if (!looked)
        return;
    n = strlen(looked);
    snprintf(looked + n, cap - n, "%s%s", n ? ", " : "", folder);
}

int cli_share_file(const char *data, const char *name, char *out, size_t cap,
                   char *looked, size_t looked_cap)
{
    enum { MAX_PLACES = 5 };

    char exe[PATH_MAX], src[PATH_MAX], rel[PATH_MAX];
    const char *places[MAX_PLACES];
    const char *share = getenv("GALEN_SHARE");
    bool have_exe = exe_dir(exe, sizeof exe);
    size_t n = 0, i;
    struct stat st;

    if (looked && looked_cap)
        looked[0] = '\0';
    if (data && *data)
        places[n++] = data;
    if (share && *share)
        places[n++] = share;
    if (have_exe && source_folder(exe, name, src, sizeof src))
        places[n++] = src;
    places[n++] = cli_share_dir;
    if (have_exe &&
        snprintf(rel, sizeof rel, "%s/../share/galen", exe) < (int)sizeof rel)
        places[n++] = rel;
    for (i = 0; i < n; i++) {
        note(looked, looked_cap, places[i]);
        if (!cli_path(out, cap, places[i], name) || lstat(out, &st) != 0)
            continue;
        return can_read(out) == 0 ? GALEN_OK : GALEN_EIO;
    }
    return GALEN_ENOENT;
}

int cli_safety_file(const char *given, const char *data, const char *name,
                    char *out, size_t cap)
{
    const char *what =
        strcmp(name, CLI_REDFLAGS) == 0 ? "red-flag rules" : "lay-term lexicon";
    const char *opt = strcmp(name, CLI_REDFLAGS) == 0 ? "redflags" : "lexicon";
    char looked[4 * PATH_MAX];
    int rc = GALEN_OK;

    if (given && snprintf(out, cap, "%s", given) >= (int)cap)
        rc = GALEN_EINVAL;
    else if (!given)
        rc = cli_share_file(data, name, out, cap, looked, sizeof looked);
    if (rc == GALEN_OK && can_read(out) != 0)
        rc = GALEN_EIO;
    if (rc == GALEN_EIO)
        LOG_ERROR("cannot read the %s %s: %s; galen does not answer "
                  "without its safety files",
                  what, out, strerror(can_read(out)));
    else if (rc == GALEN_ENOENT)
        LOG_ERROR("cannot find the %s (%s) in %s; galen does not answer "
                  "without its safety files: install it in one of these, "
                  "set $GALEN_SHARE, or give --%s FILE",
                  what, name, looked, opt);
    else if (rc != GALEN_OK)
        LOG_ERROR("--%s: path too long", opt);
    return rc;
}

int cli_number(const char *s, double *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cli_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
    double v;

    if (cli_number(s, &v) != 0 || v < min || v > max ||
        v != (double)(unsigned)v)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int cli_field_param(char *arg, bool is_weight, struct galen_field_param *fp,
                    size_t *n)
{
    char *eq = strchr(arg, '=');
    double v;
    size_t i;

    if (!eq || eq == arg || cli_number(eq + 1, &v) != 0 || v < 0)
        return -1;
    *eq = '\0';
    for (i = 0; i < *n && strcmp(fp[i].name, arg) != 0; i++)
        ;
    if (i == *n) {
        if (*n == GALEN_FIELDS_MAX)
            return -1;
        fp[i].name = arg;
        fp[i].weight = -1;
        fp[i].b = -1;
        (*n)++;
    }
    if (is_weight)
        fp[i].weight = v;
    else
        fp[i].b = v;
    return 0;
}

bool cli_path(char *out, size_t cap, const char *data, const char *name)
{
    int n = snprintf(out, cap, "%s/%s", data, name);

    return n >= 0 && (size_t)n < cap;
}

void cli_log(enum log_level level, const char *fmt, ...)
{
    static const char *const tag[] = {"error", "warning", "info", "debug"};
    va_list ap;

    fprintf(stderr, "galen: %s: ", tag[level]);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

double cli_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, const char *label, uint64_t total)
{
    p->label = label;
    p->total = total;
    p->last_drawn = 0;
    p->started = cli_now();
    p->is_tty = isatty(STDERR_FILENO);
}

static void progress_draw(const struct progress *p, uint64_t done)
{
    double el = cli_now() - p->started;

    if (p->total) {
        int width = 30;
        int fill = (int)((double)done / (double)p->total * width);
        fprintf(stderr, "\r%s [%-*.*s] %3d%% %llu/%llu %.1fs", p->label, width,
                MIN(fill, width), "##############################",
                (int)(100.0 * (double)done / (double)p->total),
                (unsigned long long)done, (unsigned long long)p->total, el);
    } else {
        fprintf(stderr, "\r%s %llu %.1fs", p->label, (unsigned long long)done,
                el);
    }
    fflush(stderr);
}

void progress_update(struct progress *p, uint64_t done)
{
    uint64_t step = p->total ? MAX(p->total / 100, 1) : 1000;

    if (!p->is_tty || done - p->last_drawn < step)
        return;
    p->last_drawn = done;
    progress_draw(p, done);
}

void progress_done(struct progress *p, uint64_t done)
{
    if (!p->is_tty)
        return;
    progress_draw(p, done);
    fputc('\n', stderr);
}

int cli_join_args(int argc, char **argv, int from, char *out, size_t cap)
{
    size_t n = 0;
    int i;

    out[0] = '\0';
    for (i = from; i < argc; i++) {
        size_t len = strlen(argv[i]);

        if (n + len + 2 > cap)
            return -1;
        if (n)
            out[n++] = ' ';
        memcpy(out + n, argv[i], len + 1);
        n += len;
    }
    return 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "galen %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'galen %s --help'.\n", cmd);
    return EXIT_USAGE;
}

/* The option getopt stopped at, as the user typed it. */
static void bad_option_name(char **argv, char *out, size_t cap)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";

    if (optopt > 0 && optopt < 256 && isprint(optopt) &&
        strncmp(arg, "--", 2) != 0)
        snprintf(out, cap, "-%c", optopt);
    else
        snprintf(out, cap, "%.*s", (int)strcspn(arg, "="), arg);
}

int cli_getopt(int argc, char **argv, const char *shortopts,
               const struct option *longopts)
{
    char opts[64], name[128];
    int c;

    /* A leading ':' makes a missing value ':' rather than '?'. */
    snprintf(opts, sizeof opts, ":%s", shortopts);
    opterr = 0;
    c = getopt_long(argc, argv, opts, longopts, NULL);
    if (c != ':' && c != '?')
        return c;
    bad_option_name(argv, name, sizeof name);
    if (c == ':')
        cli_usage_error(argv[0], "option '%s' needs a value", name);
    else if (name[1] != '-')
        cli_usage_error(argv[0],
                        "unknown option '%s' (put -- before words that "
                        "start with -)",
                        name);
    else
        cli_usage_error(argv[0], "unknown option '%s'", name);
    return '?';
}

int cli_need_data(const char *data)
{
    struct stat sb;

    if (stat(data, &sb) != 0) {
        if (errno == ENOENT) {
            LOG_ERROR("no data folder %s (give -d DIR or set $GALEN_DATA; "
                      "'galen import' creates one)",
                      data);
            return EXIT_NOTFOUND;
        }
        LOG_ERROR("cannot use data folder %s: %s", data, strerror(errno));
        return EXIT_IO;
    }
    if (!S_ISDIR(sb.st_mode)) {
        LOG_ERROR("data folder %s is not a folder", data);
        return EXIT_IO;
    }
    return EXIT_OK;
}

bool cli_color(int fd, int forced)
{
    const char *no = getenv("NO_COLOR");

    if (forced >= 0)
        return forced > 0;
    return isatty(fd) && !(no && *no);
}

int cli_print_json(struct cJSON *v)
{
    char *s = v ? cJSON_PrintUnformatted(v) : NULL;

    cJSON_Delete(v);
    if (!s) {
        LOG_ERROR("out of memory");
        return EXIT_INTERNAL;
    }
    puts(s);
    cJSON_free(s);
    return EXIT_OK;
}

int cli_make_dirs(const char *dir)
{
    char path[4096];
    size_t i, n = strlen(dir);

    if (n == 0 || n >= sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, dir, n + 1);
    for (i = 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return -1;
        path[i] = i == n ? '\0' : '/';
    }
    return 0;
}

void cli_index_hint(int rc, const char *data)
{
    if (rc == GALEN_ECORRUPT || rc == GALEN_EVERSION)
        fprintf(stderr,
                "galen: the index in %s/index is damaged or from another "
                "version;\n  rebuild it from the store with: galen index -d "
                "%s --rebuild\n",
                data, data);
}
