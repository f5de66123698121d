/* SPDX-License-Identifier: MIT */
/* cmd_serve.c: `galen serve`: the web pages and the JSON API over the store
 * and index in the data folder, on 127.0.0.1:8080 unless told otherwise.
 * SIGINT and SIGTERM stop it gracefully: it stops accepting, lets requests
 * in flight finish (a few seconds at most), and exits 0. New content shows
 * without a restart (live.h); SIGHUP reloads at once. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "cli.h"
#include "engine.h"
#include "live.h"
#include "server.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: galen serve [-d DIR] [--listen HOST:PORT] [options]\n\n"
            "Serves the web pages and the JSON API (docs/api.md) over the "
            "store\nand index in DIR.\n\n"
            "  -d, --data DIR        data folder (default $GALEN_DATA, else "
            "./%s)\n"
            "  -l, --listen H:P      address to listen on (default "
            "127.0.0.1:8080;\n"
            "                        port 0 picks a free one)\n"
            "  -t, --threads N       worker threads (default 4)\n"
            "      --max-conns N     concurrent connections (default 256)\n"
            "      --timeout S       idle connection timeout (default 30)\n"
            "      --head-timeout S  time a client has to send a whole "
            "request\n"
            "                        head (default 10)\n"
            "      --per-ip N        connections per client address, IPv6 "
            "per\n"
            "                        /64 (default 16)\n"
            "      --web DIR         folder with style.css and app.js\n"
            "      --secure-cookies  mark cookies Secure (behind HTTPS)\n"
            "      --trusted-proxy CIDR\n"
            "                        believe X-Forwarded-For and "
            "X-Forwarded-Proto\n"
            "                        from peers in CIDR (IPv4 or IPv6; may "
            "be\n"
            "                        repeated); see docs/deploy.md\n"
            "      --base-path /P    serve under the URL prefix /P (the "
            "proxy\n"
            "                        passes it on, unstripped)\n"
            "      --access-log FILE JSON access log, one object a line "
            "('-':\n"
            "                        stderr, replacing the text lines); "
            "never\n"
            "                        query strings or bodies\n"
            "      --self-review     let an editor approve a document they\n"
            "                        submitted or started reviewing "
            "(default:\n"
            "                        four-eyes review)\n"
            "      --port-file FILE  write the bound port to FILE\n"
            "      --lexicon FILE    lay-term lexicon (default "
            "DIR/lexicon.tsv,\n"
            "                        $GALEN_SHARE or %s)\n"
            "      --redflags FILE   red-flag rules (default redflags.txt, "
            "likewise);\n"
            "                        galen will not serve without either\n"
            "  -q, --quiet           no access log\n"
            "  -h, --help            this help\n",
            CLI_DEFAULT_DATA, cli_share_dir);
}

struct serve_opts {
    struct app_conf app;
    struct server_conf srv;
    struct proxy_trust trust;
    const char *port_file;
};

/* Parses optarg as a whole number in 1..max into *out; -1 after saying
 * what was wrong. */
static int number_opt(const char *name, unsigned max, unsigned *out)
{
    if (cli_uint(optarg, 1, max, out) == 0)
        return 0;
    cli_usage_error("serve", "bad %s '%s' (want a whole number from 1 to %u)",
                    name, optarg, max);
    return -1;
}

/* Applies one option; returns 0, -1 for a bad value or option, -2 for
 * --help. */
static int apply_opt(int c, struct serve_opts *o, const char **data)
{
    switch (c) {
    case 'd':
        *data = optarg;
        return 0;
    case 'l':
        o->srv.listen = optarg;
        return 0;
    case 't':
        return number_opt("--threads", 256, &o->srv.threads);
    case 'm':
        return number_opt("--max-conns", 100000, &o->srv.max_conns);
    case 'T':
        return number_opt("--timeout", 3600, &o->srv.timeout);
    case 'H': {
        unsigned secs = 0;
        int rc = number_opt("--head-timeout", 600, &secs);

        o->srv.head_deadline = secs;
        return rc;
    }
    case 'P':
        return number_opt("--per-ip", 100000, &o->srv.per_ip_conns);
    case 'w':
        o->app.web_dir = optarg;
        return 0;
    case 's':
        o->app.secure_cookies = true;
        return 0;
    case 'S':
        o->app.self_review = true;
        return 0;
    case 'p':
        o->port_file = optarg;
        return 0;
    case 'L':
        o->app.lexicon = optarg;
        return 0;
    case 'R':
        o->app.redflags = optarg;
        return 0;
    case 'q':
        o->srv.access_log = false;
        return 0;
    case 'X':
        if (proxy_trust_add(&o->trust, optarg) == GALEN_OK)
            return 0;
        cli_usage_error("serve",
                        "bad --trusted-proxy '%s' (want an IPv4 or IPv6 "
                        "address or CIDR such as 10.0.0.0/8 or ::1/128; at "
                        "most %d)",
                        optarg, PROXY_MAX_CIDRS);
        return -1;
    case 'B':
        o->app.base_path = optarg;
        if (optarg[0] && proxy_base_ok(optarg))
            return 0;
        cli_usage_error("serve",
                        "bad --base-path '%s' (want /NAME: a '/', then "
                        "letters, digits and -._~/, no trailing '/', at most "
                        "%d bytes)",
                        optarg, PROXY_BASE_MAX - 1);
        return -1;
    case 'A':
        o->srv.json_log = optarg;
        return 0;
    case 'h':
        usage(stdout);
        return -2;
    default:
        return -1; /* cli_getopt said why */
    }
}

static int parse_opts(int argc, char **argv, struct serve_opts *o)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"max-conns", required_argument, NULL, 'm'},
        {"timeout", required_argument, NULL, 'T'},
        {"head-timeout", required_argument, NULL, 'H'},
        {"per-ip", required_argument, NULL, 'P'},
        {"web", required_argument, NULL, 'w'},
        {"secure-cookies", no_argument, NULL, 's'},
        {"self-review", no_argument, NULL, 'S'},
        {"port-file", required_argument, NULL, 'p'},
        {"lexicon", required_argument, NULL, 'L'},
        {"redflags", required_argument, NULL, 'R'},
        {"quiet", no_argument, NULL, 'q'},
        {"trusted-proxy", required_argument, NULL, 'X'},
        {"base-path", required_argument, NULL, 'B'},
        {"access-log", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *data = NULL;
    int c;
    int rc;

    o->srv.access_log = true;
    optind = 0;
    while ((c = cli_getopt(argc, argv, "d:l:t:qh", longopts)) != -1) {
        rc = apply_opt(c, o, &data);
        if (rc != 0)
            return rc;
    }
    if (optind != argc) {
        cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
        return -1;
    }
    o->app.data_dir = cli_data_dir(data);
    o->srv.trust = &o->trust;
    o->app.threads = o->srv.threads ? o->srv.threads : 4;
    return 0;
}

static void write_port(const char *file, unsigned port)
{
    FILE *f;

    if (!file)
        return;
    f = fopen(file, "w");
    if (!f) {
        LOG_WARN("cannot write %s: %s", file, strerror(errno));
        return;
    }
    fprintf(f, "%u\n", port);
    fclose(f);
}

/* Waits for signals: SIGHUP reloads, SIGINT or SIGTERM ends. Returns the
 * ending signal. */
static int wait_signals(const sigset_t *set, struct live *live)
{
    int sig = 0;

    for (;;) {
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig != SIGHUP)
            return sig;
        fprintf(stderr, "galen: SIGHUP received, reloading\n");
        live_kick(live);
    }
}

/* Serves until SIGINT or SIGTERM. The signals are blocked before the
 * server's threads start, so only sigwait here ever sees them. */
/* Finds the lexicon and red-flag rules, which the server will not start
 * without, and the web files (pages render unstyled without those). */
static int find_files(struct serve_opts *o, char *lex, char *rf, char *web,
                      size_t cap)
{
    const char *env = getenv("GALEN_WEB");
    int rc;

    rc =
        cli_safety_file(o->app.lexicon, o->app.data_dir, CLI_LEXICON, lex, cap);
    if (rc == GALEN_OK)
        rc = cli_safety_file(o->app.redflags, o->app.data_dir, CLI_REDFLAGS, rf,
                             cap);
    if (rc != GALEN_OK) {
        LOG_ERROR("not serving without the lexicon and red-flag rules");
        return rc;
    }
    o->app.lexicon = lex;
    o->app.redflags = rf;
    if (!o->app.web_dir && !(env && *env) &&
        cli_share_file(NULL, "web", web, cap, NULL, 0) == GALEN_OK)
        o->app.web_dir = web;
    return GALEN_OK;
}

static int run(struct serve_opts *o)
{
    struct app *app = NULL;
    struct server *srv = NULL;
    struct live *live = NULL;
    char err[200] = "";
    char lex[PATH_MAX], rf[PATH_MAX], web[PATH_MAX];
    sigset_t set;
    int sig;
    int rc;

    rc = cli_need_data(o->app.data_dir);
    if (rc != EXIT_OK)
        return rc;
    rc = find_files(o, lex, rf, web, PATH_MAX);
    if (rc != GALEN_OK)
        return cli_exit_for(rc);
    if (cli_private_dir(o->app.data_dir) != 0)
        return EXIT_IO;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    rc = app_open(&o->app, &app);
    if (rc != GALEN_OK) {
        LOG_ERROR("cannot open %s: %s%s%s", o->app.data_dir, galen_strerror(rc),
                  o->app.errmsg[0] ? ": " : "", o->app.errmsg);
        cli_index_hint(rc, o->app.data_dir);
        return cli_exit_for(rc);
    }
    rc = live_start(app, o->app.data_dir, 0, &live);
    if (rc == GALEN_OK)
        rc = server_open(app, &o->srv, &srv, err, sizeof err);
    else
        snprintf(err, sizeof err, "cannot start the index watcher");
    if (rc != GALEN_OK) {
        LOG_ERROR("%s", err);
        live_stop(live);
        app_close(app);
        return cli_exit_for(rc);
    }
    write_port(o->port_file, server_port(srv));
    fprintf(stderr, "galen: serving %s on %s, port %u%s%s%s\n", o->app.data_dir,
            o->srv.listen ? o->srv.listen : "127.0.0.1:8080", server_port(srv),
            o->app.base_path ? ", under " : "",
            o->app.base_path ? o->app.base_path : "",
            engine_ready(app->engine) ? ""
                                      : " (no index yet: answers unavailable)");
    sig = wait_signals(&set, live);
    fprintf(stderr, "galen: %s received, shutting down\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_close(srv, 5);
    live_stop(live);
    app_close(app);
    return EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
    struct serve_opts o;
    int rc;

    memset(&o, 0, sizeof o);
    rc = parse_opts(argc, argv, &o);
    if (rc == -2)
        return EXIT_OK;
    if (rc != 0)
        return EXIT_USAGE;
    return run(&o);
}
