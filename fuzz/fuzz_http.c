/* SPDX-License-Identifier: MIT */
/* fuzz_http.c: request routing and API parsing on arbitrary bytes, with no
 * sockets. The input is "METHOD TARGET\nHeader: value\n...\n\nbody"; the
 * target, headers and body go through the same parsers and router as a
 * real request, against an in-memory store. */
#include <stdlib.h>
#include <string.h>

#include "../httpd/app.h"
#include "../httpd/server.h"
#include "fuzz.h"
#include "service/auth.h"

static struct app *app;

static void done(void)
{
    app_close(app);
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
        auth_set_fast_hashing(true);
        conf.store_path = ":memory:";
        conf.threads = 1;
        conf.web_dir = "web";
        conf.login_rate = conf.question_rate = 1e9;
        conf.login_burst = conf.question_burst = 1e9;
        if (app_open(&conf, &app) != 0)
            abort();
        atexit(done);
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
