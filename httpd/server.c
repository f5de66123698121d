/* SPDX-License-Identifier: MIT */
/* server.c: the libmicrohttpd glue. MHD parses HTTP; everything after that
 * (routing, sessions, handlers) is server_dispatch in router.c, which knows
 * nothing of MHD. Per request: the URI-log callback allocates a request
 * record holding the raw target (MHD would otherwise hand us the path
 * already decoded and the query split up), the access handler collects the
 * body up to HTTP_MAX_BODY and then dispatches, and the completion callback
 * writes the access-log line and frees the record. */
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <galen/error.h>

#include "mem.h"
#include "metrics.h"
#include "str.h"

enum { TARGET_MAX = 8192 };

struct server {
    struct MHD_Daemon *d;
    struct app *app;
    bool access_log;
    unsigned port;
};

/* One request in flight. */
struct req_rec {
    char *target; /* raw request target; NULL if it was too long */
    struct buf body;
    bool started; /* headers seen */
    bool too_big; /* body exceeded HTTP_MAX_BODY */
    double t0;    /* monotonic start */
    int status;
    size_t bytes;
    const char *pattern; /* matched route, or NULL */
    char method[8];
    char path[128]; /* logged path: only when a route matched */
};

static double mono_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct req_rec *r = galen_calloc(1, sizeof *r);
    size_t n = strlen(uri);

    UNUSED(cls);
    UNUSED(conn);
    if (!r)
        return NULL;
    buf_init(&r->body, HTTP_MAX_BODY);
    r->t0 = mono_now();
    if (n <= TARGET_MAX)
        r->target = galen_strndup(uri, n);
    return r;
}

static void add_security_headers(struct MHD_Response *mr)
{
    MHD_add_response_header(
        mr, "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; script-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'");
    MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(mr, "X-Frame-Options", "DENY");
    MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
}

static struct MHD_Response *build_response(struct http_resp *resp)
{
    struct MHD_Response *mr;
    size_t len = 0;
    unsigned char *data;
    size_t i;
    char num[24];

    if (resp->shared_body) {
        mr = MHD_create_response_from_buffer(resp->shared_len,
                                             (void *)resp->shared_body,
                                             MHD_RESPMEM_PERSISTENT);
    } else {
        data = buf_take(&resp->body, &len);
        mr = MHD_create_response_from_buffer_with_free_callback(len, data,
                                                                galen_free);
        if (!mr)
            galen_free(data);
    }
    if (!mr)
        return NULL;
    MHD_add_response_header(mr, "Content-Type", resp->content_type);
    MHD_add_response_header(mr, "Cache-Control", resp->cache);
    add_security_headers(mr);
    for (i = 0; i < resp->ncookies; i++)
        MHD_add_response_header(mr, "Set-Cookie", resp->cookie[i]);
    if (resp->location[0])
        MHD_add_response_header(mr, "Location", resp->location);
    if (resp->etag[0])
        MHD_add_response_header(mr, "ETag", resp->etag);
    if (resp->retry_after > 0) {
        snprintf(num, sizeof num, "%ld", resp->retry_after);
        MHD_add_response_header(mr, "Retry-After", num);
    }
    return mr;
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, struct req_rec *r,
                                 struct http_resp *resp)
{
    struct MHD_Response *mr;
    enum MHD_Result ret;

    r->status = resp->status;
    r->bytes = resp->shared_body ? resp->shared_len : resp->body.len;
    mr = build_response(resp);
    if (!mr)
        return MHD_NO;
    ret = MHD_queue_response(conn, (unsigned)resp->status, mr);
    MHD_destroy_response(mr);
    return ret;
}

static enum MHD_Result send_error(struct MHD_Connection *conn,
                                  struct req_rec *r, int status,
                                  const char *code, const char *msg)
{
    struct http_resp resp;
    enum MHD_Result ret;

    http_resp_init(&resp);
    http_resp_json_error(&resp, status, code, msg);
    ret = send_resp(conn, r, &resp);
    http_resp_cleanup(&resp);
    return ret;
}

static void client_addr(struct MHD_Connection *conn, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    snprintf(out, cap, "unknown");
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  out, (socklen_t)cap);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  out, (socklen_t)cap);
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Checks made once the headers are in, before any body is read. Returns
 * false after queueing an error. */
static bool early_checks(struct MHD_Connection *conn, struct req_rec *r,
                         const char *method, enum MHD_Result *ret)
{
    const char *cl = header(conn, MHD_HTTP_HEADER_CONTENT_LENGTH);
    long n;

    snprintf(r->method, sizeof r->method, "%s",
             http_method_parse(method) == HTTP_OTHER ? "OTHER" : method);
    if (!r->target) {
        *ret = send_error(conn, r, 414, "uri_too_long",
                          "the request target is too long");
        return false;
    }
    if (http_method_parse(method) == HTTP_OTHER) {
        *ret = send_error(conn, r, 405, "method_not_allowed",
                          "only GET, HEAD and POST are supported");
        return false;
    }
    if (cl && (str_to_long(cl, 0, HTTP_MAX_BODY, &n) != GALEN_OK)) {
        *ret = send_error(conn, r, 413, "too_big",
                          "the request body is too large");
        return false;
    }
    return true;
}

static enum MHD_Result dispatch(struct server *s, struct MHD_Connection *conn,
                                struct req_rec *r, const char *method)
{
    struct http_req req;
    struct http_resp resp;
    enum MHD_Result ret;
    int rc;

    http_req_init(&req);
    http_resp_init(&resp);
    req.method = http_method_parse(method);
    rc = http_parse_target(&req, r->target);
    if (rc != GALEN_OK) {
        http_req_cleanup(&req);
        http_resp_cleanup(&resp);
        return send_error(conn, r, rc == GALEN_ETOOBIG ? 414 : 400,
                          "bad_target", "the request target is malformed");
    }
    req.content_type = header(conn, MHD_HTTP_HEADER_CONTENT_TYPE);
    req.cookie = header(conn, MHD_HTTP_HEADER_COOKIE);
    req.csrf_header = header(conn, "X-CSRF-Token");
    req.authorization = header(conn, MHD_HTTP_HEADER_AUTHORIZATION);
    req.if_none_match = header(conn, MHD_HTTP_HEADER_IF_NONE_MATCH);
    req.body = (const char *)r->body.data;
    req.body_len = r->body.len;
    req.now = mono_now();
    req.wall = (long long)time(NULL);
    client_addr(conn, req.client, sizeof req.client);
    server_dispatch(s->app, &req, &resp, &r->pattern);
    if (r->pattern)
        snprintf(r->path, sizeof r->path, "%s", req.path);
    ret = send_resp(conn, r, &resp);
    http_req_cleanup(&req);
    http_resp_cleanup(&resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct req_rec *r = *con_cls;
    enum MHD_Result ret = MHD_YES;
    int rc = GALEN_OK;

    UNUSED(url);
    UNUSED(version);
    if (!r)
        return MHD_NO; /* the record could not be allocated */
    if (!r->started) {
        r->started = true;
        if (!early_checks(conn, r, method, &ret))
            return ret;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->too_big)
            buf_put(&rc, &r->body, upload, *upload_size);
        if (rc != GALEN_OK)
            r->too_big = true;
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->too_big)
        return send_error(conn, r, 413, "too_big",
                          "the request body is too large");
    return dispatch(cls, conn, r, method);
}

static void on_done(void *cls, struct MHD_Connection *conn, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    struct server *s = cls;
    struct req_rec *r = *con_cls;
    char when[32];
    time_t now = time(NULL);
    struct tm tm;

    UNUSED(conn);
    if (!r)
        return;
    if (r->started)
        metrics_request(s->app->metrics, r->pattern, r->status,
                        mono_now() - r->t0);
    if (s->access_log && r->started) {
        gmtime_r(&now, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        /* The path is logged only when it matched a route (ids and slugs);
         * query strings and bodies are never logged. */
        fprintf(stderr, "galen: access: %s %s %s %d %zu %.1fms%s\n", when,
                r->method, r->pattern ? r->path : "-", r->status, r->bytes,
                (mono_now() - r->t0) * 1000.0,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    }
    buf_cleanup(&r->body);
    galen_free(r->target);
    galen_free(r);
    *con_cls = NULL;
}

int server_parse_listen(const char *s, char *host, size_t cap, unsigned *port,
                        bool *ipv6)
{
    const char *colon;
    const char *h = s;
    size_t hlen;
    long p;
    unsigned char tmp[16];

    if (!s || !*s)
        return GALEN_EINVAL;
    if (s[0] == '[') {
        colon = strstr(s, "]:");
        h = s + 1;
        hlen = colon ? (size_t)(colon - h) : 0;
        colon = colon ? colon + 1 : NULL;
    } else {
        colon = strrchr(s, ':');
        hlen = colon ? (size_t)(colon - s) : 0;
    }
    if (!colon || hlen == 0 || hlen >= cap ||
        str_to_long(colon + 1, 0, 65535, &p) != GALEN_OK)
        return GALEN_EINVAL;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    if (strcmp(host, "localhost") == 0)
        snprintf(host, cap, "127.0.0.1");
    *ipv6 = s[0] == '[';
    if (inet_pton(*ipv6 ? AF_INET6 : AF_INET, host, tmp) != 1)
        return GALEN_EINVAL;
    *port = (unsigned)p;
    return GALEN_OK;
}

static void set_err(char *err, size_t cap, const char *msg)
{
    if (err && cap)
        snprintf(err, cap, "%s", msg);
}

/* Binds and starts MHD with the limits from conf. */
static struct MHD_Daemon *start(struct server *s, const struct server_conf *c,
                                const struct sockaddr *sa, bool ipv6)
{
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     (ipv6 ? MHD_USE_IPv6 : 0);

    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(c->threads ? c->threads : 4),
        MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(c->max_conns ? c->max_conns : 256),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)(c->per_ip_conns ? c->per_ip_conns : 128),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(c->timeout ? c->timeout : 30),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(c->header_limit ? c->header_limit : 32 * 1024),
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, (void *)s,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, (void *)s, MHD_OPTION_END);
}

int server_open(struct app *app, const struct server_conf *conf,
                struct server **out, char *err, size_t cap)
{
    char host[64];
    unsigned port;
    bool ipv6;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    struct server *s;
    const union MHD_DaemonInfo *info;

    if (server_parse_listen(conf->listen ? conf->listen : "127.0.0.1:8080",
                            host, sizeof host, &port, &ipv6) != GALEN_OK) {
        set_err(err, cap, "--listen wants HOST:PORT with a numeric address");
        return GALEN_EINVAL;
    }
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    v4.sin_family = AF_INET;
    v4.sin_port = htons((uint16_t)port);
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons((uint16_t)port);
    if (inet_pton(ipv6 ? AF_INET6 : AF_INET, host,
                  ipv6 ? (void *)&v6.sin6_addr : (void *)&v4.sin_addr) != 1)
        return GALEN_EINVAL;
    s = galen_calloc(1, sizeof *s);
    if (!s)
        return GALEN_ENOMEM;
    s->app = app;
    s->access_log = conf->access_log;
    s->d = start(s, conf,
                 ipv6 ? (const struct sockaddr *)(const void *)&v6
                      : (const struct sockaddr *)(const void *)&v4,
                 ipv6);
    if (!s->d) {
        set_err(err, cap, "cannot listen on that address (in use?)");
        galen_free(s);
        return GALEN_EIO;
    }
    info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : port;
    *out = s;
    return GALEN_OK;
}

unsigned server_port(const struct server *s)
{
    return s->port;
}

void server_close(struct server *s, unsigned drain)
{
    MHD_socket fd;
    unsigned waited = 0;
    const union MHD_DaemonInfo *info;

    if (!s)
        return;
    fd = MHD_quiesce_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    /* Let requests in flight finish, polling ten times a second. */
    while (waited < drain * 10) {
        info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        usleep(100 * 1000);
        waited++;
    }
    MHD_stop_daemon(s->d);
    galen_free(s);
}
