/* SPDX-License-Identifier: MIT */
/* server.c: the libmicrohttpd glue. The gate (gate.c) owns the listening
 * socket and passes on connections whose request head is complete and well
 * formed; MHD parses HTTP; everything after that (routing, sessions,
 * handlers) is server_dispatch in router.c, which knows nothing of MHD.
 * Memory follows the connection, not the request: the connection-notify
 * callback allocates one record per connection and frees it when MHD closes
 * the connection. MHD calls the completion callback only for requests that
 * reached the access handler, so anything allocated per request in the URI
 * callback would leak whenever MHD rejects a request early. The URI callback
 * copies the raw target into the record (MHD would otherwise hand us the
 * path already decoded and the query split up), the access handler collects
 * the body up to HTTP_MAX_BODY and dispatches, and the completion callback
 * writes the access-log line: text on stderr, or one JSON object per line
 * (--access-log), each written with one write() to an O_APPEND file so that
 * lines from several threads never interleave. Every response says
 * "Connection: close", so each request passes through the gate. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <galen/error.h>

#include "gate.h"
#include "json.h"
#include "mem.h"
#include "metrics.h"
#include "str.h"

enum {
    TARGET_MAX = GATE_TARGET_MAX,
    REQ_ID_MAX = 64,     /* bytes of a request id */
    XFF_MAX = 16 * 1024, /* bytes of X-Forwarded-For looked at */
    LOG_LINE_MAX = 2048  /* bytes of one JSON access-log line */
};

struct server {
    struct MHD_Daemon *d;
    struct gate *gate;
    int lfd;
    struct app *app;
    bool access_log; /* text lines on stderr */
    int json_fd;     /* JSON access log, -1 for none */
    bool json_close; /* json_fd is a file we opened */
    const struct proxy_trust *trust;
    char tag[9];      /* random per process: request ids are unique across
                         the processes on one store */
    atomic_ulong seq; /* requests seen */
    unsigned port;
};

/* One request in flight. */
struct req_rec {
    bool in_use; /* the URI callback filled it; on_done empties it */
    struct buf body;
    bool started;     /* headers seen */
    bool too_big;     /* body exceeded HTTP_MAX_BODY */
    bool long_target; /* the target did not fit */
    double t0;        /* monotonic start */
    int status;
    size_t bytes;
    const char *pattern;              /* matched route, or NULL */
    char id[REQ_ID_MAX + 1];          /* request id (X-Request-Id) */
    char client[PROXY_ADDR_TEXT + 1]; /* real client address */
    char method[8];
    char path[128];              /* logged path: only when a route matched */
    char target[TARGET_MAX + 1]; /* raw request target */
};

/* One connection: its address bucket and its (one) request. */
struct conn_rec {
    unsigned char key[GATE_KEY_LEN];
    struct req_rec req;
};

static double mono_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One text access-log line on stderr. */
static void log_text(const struct req_rec *r, const char *method,
                     const char *path, const char *note)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;

    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "galen: access: %s %s %s %d %zu %.1fms%s\n", when, method,
            path, r->status, r->bytes, (mono_now() - r->t0) * 1000.0, note);
}

/* One JSON access-log line: never the query string or the body, which
 * may hold a question (health data). */
static void log_json(const struct server *s, const struct req_rec *r,
                     const char *method, const char *path, const char *note)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    struct buf b;
    int rc = GALEN_OK;

    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_init(&b, LOG_LINE_MAX);
    buf_put_str(&rc, &b, "{\"time\":");
    json_put_str(&rc, &b, when);
    buf_put_str(&rc, &b, ",\"id\":");
    json_put_str(&rc, &b, r->id);
    buf_put_str(&rc, &b, ",\"client\":");
    json_put_str(&rc, &b, r->client[0] ? r->client : NULL);
    buf_put_str(&rc, &b, ",\"method\":");
    json_put_str(&rc, &b, method);
    buf_put_str(&rc, &b, ",\"path\":");
    json_put_str(&rc, &b, path);
    buf_printf(&rc, &b, ",\"status\":%d,\"bytes\":%zu,\"duration_ms\":%.1f",
               r->status, r->bytes, (mono_now() - r->t0) * 1000.0);
    if (*note) {
        buf_put_str(&rc, &b, ",\"note\":");
        json_put_str(&rc, &b, note + 1);
    }
    buf_put_str(&rc, &b, "}\n");
    if (rc == GALEN_OK)
        (void)!write(s->json_fd, b.data, b.len);
    buf_cleanup(&b);
}

/* The access-log lines of a request: JSON to the access log, and text on
 * stderr unless quiet or the JSON goes there; path NULL logs "-". note is
 * "" or starts with a blank. */
static void log_line(const struct server *s, const struct req_rec *r,
                     const char *method, const char *path, const char *note)
{
    if (s->json_fd >= 0)
        log_json(s, r, method, path ? path : "-", note);
    if (s->access_log && s->json_fd != STDERR_FILENO)
        log_text(r, method, path ? path : "-", note);
}

/* The line for a request MHD refused before our handler saw it. */
static void log_refused(const struct server *s, struct MHD_Connection *conn,
                        struct req_rec *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);

    r->status = ci ? (int)ci->http_status : 0;
    r->bytes = 0;
    log_line(s, r, "-", "-", " refused: malformed request");
}

static void req_reset(struct req_rec *r)
{
    buf_cleanup(&r->body);
    memset(r, 0, offsetof(struct req_rec, target));
    r->target[0] = '\0';
}

static void on_connection(void *cls, struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct server *s = cls;
    struct conn_rec *cr = *socket_context;
    const union MHD_ConnectionInfo *ci;
    unsigned char key[GATE_KEY_LEN];

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        gate_addr_key(ci ? ci->client_addr : NULL, key);
        gate_conn_opened(s->gate, key);
        cr = galen_calloc(1, sizeof *cr);
        if (cr)
            memcpy(cr->key, key, GATE_KEY_LEN);
        else /* counted anyway; CLOSED finds no record to uncount */
            gate_conn_closed(s->gate, key);
        *socket_context = cr;
        return;
    }
    if (!cr)
        return;
    if (cr->req.in_use && !cr->req.started)
        log_refused(s, conn, &cr->req);
    gate_conn_closed(s->gate, cr->key);
    req_reset(&cr->req);
    galen_free(cr);
    *socket_context = NULL;
}

/* The peer's address in the 16-byte form of proxy.h (all zero if
 * unknown). */
static void peer_addr(struct MHD_Connection *conn, unsigned char out[16])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    memset(out, 0, 16);
    if (sa && sa->sa_family == AF_INET) {
        out[10] = out[11] = 0xff;
        memcpy(out + 12,
               &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    } else if (sa && sa->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
               16);
    }
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *s = cls;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct conn_rec *cr = ci ? ci->socket_context : NULL;
    struct req_rec *r;
    size_t n = strlen(uri);
    unsigned char peer[16];

    if (!cr)
        return NULL;
    r = &cr->req;
    req_reset(r);
    r->in_use = true;
    buf_init(&r->body, HTTP_MAX_BODY);
    r->t0 = mono_now();
    snprintf(r->id, sizeof r->id, "%s-%06lx", s->tag,
             (unsigned long)atomic_fetch_add(&s->seq, 1) + 1);
    peer_addr(conn, peer);
    proxy_addr_text(peer, r->client, sizeof r->client);
    if (n <= TARGET_MAX)
        memcpy(r->target, uri, n + 1);
    else
        r->long_target = true;
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
    MHD_add_response_header(mr, "Connection", "close");
    add_security_headers(mr);
    if (resp->request_id[0])
        MHD_add_response_header(mr, "X-Request-Id", resp->request_id);
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
    snprintf(resp->request_id, sizeof resp->request_id, "%s", r->id);
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

static const char *header(struct MHD_Connection *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Joins every X-Forwarded-For header, in the order received, with commas
 * (two headers are one list, RFC 9110 section 5.3). */
struct xff {
    struct buf b;
    int rc; /* sticky: too long */
};

static enum MHD_Result xff_each(void *cls, enum MHD_ValueKind kind,
                                const char *key, const char *value)
{
    struct xff *x = cls;

    UNUSED(kind);
    if (!key || !value || strcasecmp(key, "X-Forwarded-For") != 0)
        return MHD_YES;
    if (x->b.len)
        buf_put_byte(&x->rc, &x->b, ',');
    buf_put_str(&x->rc, &x->b, value);
    buf_put_nul(&x->rc, &x->b);
    return MHD_YES;
}

static bool request_id_ok(const char *v)
{
    size_t n = v ? strlen(v) : 0;
    size_t i;

    if (n == 0 || n > REQ_ID_MAX)
        return false;
    for (i = 0; i < n; i++) {
        char ch = v[i];

        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
            return false;
    }
    return true;
}

/* Fills the request's client (its rate-limit key: an IPv4 address, or an
 * IPv6 /64, one customer network) and whether it came over TLS, believing
 * X-Forwarded-For, X-Forwarded-Proto and X-Request-Id only from a trusted
 * proxy. */
static void client_of(const struct server *s, struct MHD_Connection *conn,
                      struct req_rec *r, struct http_req *req)
{
    static const struct proxy_trust none;
    const struct proxy_trust *t = s->trust ? s->trust : &none;
    unsigned char peer[16], real[16], key[GATE_KEY_LEN];
    struct sockaddr_in6 sa;
    struct xff xff = {.rc = GALEN_OK};
    const char *proto = header(conn, "X-Forwarded-Proto");
    bool trusted;

    peer_addr(conn, peer);
    trusted = proxy_trusts(t, peer);
    buf_init(&xff.b, XFF_MAX);
    if (trusted)
        MHD_get_connection_values(conn, MHD_HEADER_KIND, xff_each, &xff);
    /* An overlong list is not believed: the proxy's own word is left. */
    proxy_client(t, peer,
                 xff.b.len && xff.rc == GALEN_OK ? (const char *)xff.b.data
                                                 : NULL,
                 real);
    buf_cleanup(&xff.b);
    memset(&sa, 0, sizeof sa);
    sa.sin6_family = AF_INET6;
    memcpy(&sa.sin6_addr, real, 16);
    gate_addr_key((const struct sockaddr *)(const void *)&sa, key);
    gate_key_text(key, req->client, sizeof req->client);
    proxy_addr_text(real, r->client, sizeof r->client);
    if (trusted && proto && strcasecmp(proto, "https") == 0)
        req->tls = true;
    if (trusted && request_id_ok(header(conn, "X-Request-Id")))
        snprintf(r->id, sizeof r->id, "%s", header(conn, "X-Request-Id"));
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
    if (r->long_target) {
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
    /* MHD reports a protocol only for TLS connections. */
    req.tls =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_PROTOCOL) != NULL;
    client_of(s, conn, r, &req);
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

    if (!r)
        return;
    if (r->started)
        metrics_request(s->app->metrics, r->pattern, r->status,
                        mono_now() - r->t0);
    /* The path is logged only when it matched a route (ids and slugs);
     * query strings and bodies are never logged. */
    if (!r->started)
        log_refused(s, conn, r);
    else
        log_line(s, r, r->method, r->pattern ? r->path : NULL,
                 toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    /* The record belongs to the connection (freed when it closes). */
    req_reset(r);
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

/* Starts MHD with the limits from c, without a listening socket: the gate
 * hands it connections. */
static struct MHD_Daemon *start(struct server *s, const struct server_conf *c)
{
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET;

    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_THREAD_POOL_SIZE,
        /* MHD warns about a pool of one; 0 is its single polling thread. */
        (unsigned)(c->threads == 1 ? 0
                   : c->threads    ? c->threads
                                   : 4),
        MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)(c->max_conns ? c->max_conns : 256),
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)(c->per_ip_conns ? c->per_ip_conns : 16),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(c->timeout ? c->timeout : 30),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(c->header_limit ? c->header_limit : 64 * 1024),
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, (void *)s,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, (void *)s,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, (void *)s, MHD_OPTION_END);
}

/* The gate's hand-over: MHD takes fd (and closes it if it cannot). */
static void pass(void *cls, int fd, const struct sockaddr *sa, socklen_t len)
{
    struct server *s = cls;

    (void)MHD_add_connection(s->d, fd, sa, len);
}

static int listen_on(const struct sockaddr *sa, socklen_t len, bool ipv6)
{
    int one = 1;
    int fd = socket(ipv6 ? AF_INET6 : AF_INET,
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ipv6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, sa, len) != 0 || listen(fd, 128) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static unsigned bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return 0;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* Opens the JSON access log: "-" is stderr; a file is created 0600 (it
 * names clients) and appended to. Also draws the request-id tag. */
static int open_json_log(struct server *s, const char *path, char *err,
                         size_t cap)
{
    char tok[GALEN_TOKEN_LEN + 1];
    char msg[300];

    galen_token_new(tok);
    memcpy(s->tag, tok, sizeof s->tag - 1);
    s->tag[sizeof s->tag - 1] = '\0';
    atomic_init(&s->seq, 0);
    s->json_fd = -1;
    if (!path)
        return GALEN_OK;
    if (strcmp(path, "-") == 0) {
        s->json_fd = STDERR_FILENO;
        return GALEN_OK;
    }
    s->json_fd =
        open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
    if (s->json_fd < 0) {
        snprintf(msg, sizeof msg, "cannot open the access log %.200s: %s", path,
                 strerror(errno));
        set_err(err, cap, msg);
        return GALEN_EIO;
    }
    s->json_close = true;
    return GALEN_OK;
}

static void close_json_log(struct server *s)
{
    if (s->json_close)
        close(s->json_fd);
    s->json_close = false;
    s->json_fd = -1;
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
    struct gate_conf gc;

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
    s->trust = conf->trust;
    if (open_json_log(s, conf->json_log, err, cap) != GALEN_OK) {
        galen_free(s);
        return GALEN_EIO;
    }
    s->lfd = ipv6 ? listen_on((const struct sockaddr *)(const void *)&v6,
                              sizeof v6, true)
                  : listen_on((const struct sockaddr *)(const void *)&v4,
                              sizeof v4, false);
    if (s->lfd < 0) {
        set_err(err, cap, "cannot listen on that address (in use?)");
        close_json_log(s);
        galen_free(s);
        return GALEN_EIO;
    }
    s->port = bound_port(s->lfd);
    memset(&gc, 0, sizeof gc);
    gc.max_pending = conf->max_conns ? conf->max_conns : 256;
    gc.per_addr = conf->per_ip_conns ? conf->per_ip_conns : 16;
    gc.table = 4 * gc.max_pending;
    gc.head_deadline = conf->head_deadline;
    gc.head_max = conf->head_max;
    gc.access_log = conf->access_log;
    s->d = start(s, conf);
    if (!s->d || gate_open(s->lfd, &gc, pass, s, &s->gate) != GALEN_OK) {
        set_err(err, cap, "cannot start the HTTP threads");
        if (s->d)
            MHD_stop_daemon(s->d);
        close(s->lfd);
        close_json_log(s);
        galen_free(s);
        return GALEN_EIO;
    }
    *out = s;
    return GALEN_OK;
}

unsigned server_port(const struct server *s)
{
    return s->port;
}

void server_close(struct server *s, unsigned drain)
{
    unsigned waited = 0;
    const union MHD_DaemonInfo *info;

    if (!s)
        return;
    /* Stop accepting first; then let requests in flight finish, polling
     * ten times a second. */
    gate_stop(s->gate);
    close(s->lfd);
    while (waited < drain * 10) {
        info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!info || info->num_connections == 0)
            break;
        usleep(100 * 1000);
        waited++;
    }
    MHD_stop_daemon(s->d);
    gate_close(s->gate);
    close_json_log(s);
    galen_free(s);
}
