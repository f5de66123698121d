/* SPDX-License-Identifier: MIT */
/* fuzz_http.c: request routing and API parsing on arbitrary bytes. Two
 * forms of input:
 * - "METHOD TARGET\nHeader: value\n...\n\nbody": with no sockets, the
 *   target, headers and body go through the same parsers and router as a
 *   real request, against an in-memory store;
 * - "RAW\n" then the bytes a client sends: the gate's head check runs on
 *   them, and they go over loopback to a live in-process server (gate,
 *   libmicrohttpd, connection and request records), so that a request's
 *   whole lifetime is covered, early rejections and half-sent heads
 *   included. The sanitizers report a leak or a bad access at exit. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../httpd/app.h"
#include "../httpd/gate.h"
#include "../httpd/server.h"
#include "fuzz.h"
#include "service/auth.h"

static struct app *app;
static struct server *srv;

static void done(void)
{
    server_close(srv, 0);
    app_close(app);
}

/* Sends bytes to the live server, half-closes, and reads the answer for at
 * most a second. A response must start with a status line. */
static void run_raw(const char *bytes, size_t n)
{
    struct sockaddr_in a;
    struct pollfd p;
    char buf[4096];
    size_t got = 0;
    const char *why;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    (void)gate_check_head(bytes, n, GATE_HEAD_MAX_DEF, &why);
    if (fd < 0)
        return;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)server_port(srv));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return;
    }
    (void)!send(fd, bytes, n, MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    p.fd = fd;
    p.events = POLLIN;
    while (got < sizeof buf && poll(&p, 1, 1000) == 1) {
        ssize_t r = recv(fd, buf + got, sizeof buf - got, 0);

        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got >= 5 && memcmp(buf, "HTTP/", 5) != 0)
        abort();
}

/* Cuts the next line off *p (NUL-terminating it) and returns it. */
static char *line(char **p)
{
    char *s = *p;
    char *nl = strchr(s, '\n');

    *p = nl ? nl + 1 : s + strlen(s);
    if (nl)
        *nl = '\0';
    return s;
}

static void headers(struct http_req *req, char **p)
{
    while (**p) {
        char *h = line(p);
        char *colon = strchr(h, ':');
        const char *v = colon ? colon + 1 + (colon[1] == ' ') : "";

        if (!*h)
            break;
        if (!colon)
            continue;
        *colon = '\0';
        if (strcmp(h, "Content-Type") == 0)
            req->content_type = v;
        else if (strcmp(h, "Cookie") == 0)
            req->cookie = v;
        else if (strcmp(h, "X-CSRF-Token") == 0)
            req->csrf_header = v;
        else if (strcmp(h, "Authorization") == 0)
            req->authorization = v;
    }
}

static void run(char *text)
{
    struct http_req req;
    struct http_resp resp;
    struct http_params form;
    const char *pattern;
    char *p = text;
    char *first = line(&p);
    char *sp = strchr(first, ' ');
    char host[64];
    unsigned port;
    bool v6;

    if (!sp)
        return;
    *sp = '\0';
    http_req_init(&req);
    http_resp_init(&resp);
    memset(&form, 0, sizeof form);
    req.method = http_method_parse(first);
    headers(&req, &p);
    req.body = p;
    req.body_len = strlen(p);
    if (http_parse_target(&req, sp + 1) == 0)
        server_dispatch(app, &req, &resp, &pattern);
    (void)!http_parse_params(&form, req.body, req.body_len);
    (void)!server_parse_listen(sp + 1, host, sizeof host, &port, &v6);
    http_params_cleanup(&form);
    http_req_cleanup(&req);
    http_resp_cleanup(&resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct app_conf conf = {0};
    char *text;

    if (!app) {
        struct server_conf sc = {0};

        auth_set_fast_hashing(true);
        conf.store_path = ":memory:";
        conf.threads = 1;
        conf.web_dir = "web";
        conf.login_rate = conf.question_rate = 1e9;
        conf.login_burst = conf.question_burst = 1e9;
        if (app_open(&conf, &app) != 0)
            abort();
        sc.listen = "127.0.0.1:0";
        sc.threads = 1;
        sc.head_deadline = 1;
        sc.per_ip_conns = 1000;
        if (server_open(app, &sc, &srv, NULL, 0) != 0)
            abort();
        atexit(done);
    }
    if (size >= 4 && memcmp(data, "RAW\n", 4) == 0) {
        run_raw((const char *)data + 4, size - 4);
        return 0;
    }
    text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    run(text);
    free(text);
    return 0;
}
