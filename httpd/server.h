/* SPDX-License-Identifier: MIT */
/* server.h: galen's HTTP server on libmicrohttpd: a thread pool behind one
 * listening socket and its gate (gate.h), request limits, an access log that
 * never records query strings or bodies (questions are health data), and a
 * graceful stop. Behind trusted proxies (proxy.h) the client a request is
 * logged and rate-limited under is the one X-Forwarded-For names. */
#ifndef GALEN_HTTPD_SERVER_H
#define GALEN_HTTPD_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "proxy.h"

struct server_conf {
    const char *listen;    /* "HOST:PORT"; NULL = 127.0.0.1:8080 */
    unsigned threads;      /* worker threads; 0 = 4 */
    unsigned max_conns;    /* concurrent connections; 0 = 256 */
    unsigned per_ip_conns; /* per client address (IPv6: per /64); 0 = 16 */
    unsigned timeout;      /* idle seconds before a connection is closed */
    double head_deadline;  /* seconds to send the whole head; 0 = 10 */
    size_t head_max;       /* bytes of request head; 0 = 16 KiB */
    size_t header_limit;   /* bytes of MHD connection memory; 0 = 64 KiB */
    bool access_log;       /* one line per request on stderr */
    const char *json_log;  /* JSON access log file, besides the text lines
                              ("-": stderr, instead of them); NULL: none */
    const struct proxy_trust *trust; /* trusted proxies; NULL: none */
};

struct server;

/* Parses "HOST:PORT" ("127.0.0.1:8080", "localhost:0", "[::1]:8080").
 * GALEN_OK or GALEN_EINVAL. host receives the numeric address. */
GALEN_NODISCARD int server_parse_listen(const char *s, char *host, size_t cap,
                                        unsigned *port, bool *ipv6);

/* Starts serving app. The server borrows app and conf->trust until
 * server_close. On error err (may be NULL) receives why. GALEN_EINVAL for
 * a bad address, GALEN_EIO if the socket cannot be bound or the JSON
 * access log cannot be opened (it is created mode 0600). */
GALEN_NODISCARD int server_open(struct app *app, const struct server_conf *conf,
                                struct server **out, char *err, size_t cap);

/* The bound port (useful with port 0). */
unsigned server_port(const struct server *s);

/* Stops accepting, waits up to drain seconds for open connections to
 * finish, then stops the threads and frees s. NULL is a no-op. */
void server_close(struct server *s, unsigned drain);

#endif
