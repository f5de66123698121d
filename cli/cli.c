/* SPDX-License-Identifier: MIT */
/* cli.c: shared plumbing for the subcommands: exit-code mapping, the data
 * folder, leveled logging and a rate-limited TTY progress bar. */
#include "cli.h"

#include <galen/error.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

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
        fprintf(stderr, "\r%s [%-*.*s] %3d%% %llu/%llu %.1fs", p->label,
                width, MIN(fill, width),
                "##############################",
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
