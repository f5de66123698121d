/* SPDX-License-Identifier: MIT */
/* cmd_follow.c: `galen index --follow`, the stand-alone form of the
 * follower a replica's server runs (docs/deploy.md): it applies the
 * store's change log to this data folder's own index, once a second. A
 * store that fails (a PostgreSQL restart) is reopened on the next round;
 * only SIGINT or SIGTERM end the loop. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <galen/error.h>
#include <galen/store.h>

#include "cli.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

/* Sleeps ms milliseconds, or less when a signal arrives. */
static void nap(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

    while (!stop_signal && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* One round: applies what the log holds beyond the index's cursor.
 * Returns a galen_err code; *st is closed and NULLed after a failure so
 * the next round reconnects. */
static int one_round(const char *data, const char *store, const char *dir,
                     struct galen_store **st, bool quiet, char *last_err,
                     size_t cap)
{
    struct galen_store_index_stats stats;
    double t0 = cli_now();
    int rc = GALEN_OK;

    if (!*st && (rc = galen_store_open(store, st)) != GALEN_OK) {
        if (strcmp(last_err, galen_store_errmsg(NULL)) != 0)
            LOG_ERROR("cannot open store %s: %s", store,
                      galen_store_errmsg(NULL));
        snprintf(last_err, cap, "%s", galen_store_errmsg(NULL));
        return rc;
    }
    rc = galen_store_index_follow(*st, dir, NULL, NULL, &stats);
    if (rc == GALEN_ESTATE)
        return GALEN_OK; /* another process writes this index now */
    if (rc != GALEN_OK) {
        if (strcmp(last_err, galen_store_errmsg(*st)) != 0)
            LOG_ERROR("follow %s: %s: %s", data, galen_strerror(rc),
                      galen_store_errmsg(*st));
        snprintf(last_err, cap, "%s", galen_store_errmsg(*st));
        galen_store_close(*st);
        *st = NULL;
        return rc;
    }
    last_err[0] = '\0';
    if (!quiet && (stats.total || stats.rebuilt)) {
        printf("%s %llu changes (%llu added, %llu removed) in %.2f s\n",
               stats.rebuilt ? "rebuilt from" : "applied",
               (unsigned long long)stats.total, (unsigned long long)stats.added,
               (unsigned long long)stats.removed, cli_now() - t0);
        fflush(stdout);
    }
    return GALEN_OK;
}

int cli_index_follow(const char *data, unsigned interval_ms, bool once,
                     bool quiet)
{
    struct sigaction sa;
    struct galen_store *st = NULL;
    char store[4096], dir[4096], last_err[300] = "";
    int rc = GALEN_OK;

    if (galen_data_store_path(data, store, sizeof store) != GALEN_OK ||
        galen_data_index_path(data, dir, sizeof dir) != GALEN_OK) {
        LOG_ERROR("data folder path too long: %s", data);
        return EXIT_USAGE;
    }
    /* A new replica starts from an empty (or absent) folder. */
    if (cli_make_dirs(data) != 0) {
        LOG_ERROR("cannot create data folder %s: %s", data, strerror(errno));
        return EXIT_IO;
    }
    if (cli_private_dir(data) != 0)
        return EXIT_IO;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    while (!stop_signal) {
        rc = one_round(data, store, dir, &st, quiet, last_err, sizeof last_err);
        if (once)
            break;
        nap(interval_ms ? interval_ms : 1000);
    }
    galen_store_close(st);
    return once ? cli_exit_for(rc) : EXIT_OK;
}
