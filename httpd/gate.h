/* SPDX-License-Identifier: MIT */
/* gate.h: the front door of galen serve. The gate accepts TCP connections
 * itself and holds each one until its whole request head has arrived. It
 * only peeks at the bytes (MSG_PEEK), so libmicrohttpd later parses the same
 * head; then it hands the connection over with MHD_add_connection. On the
 * way it enforces what libmicrohttpd 0.9.75 cannot: a total deadline for the
 * head (slowloris), a cap on open connections per client address (one
 * bucket per IPv6 /64), strict CRLF framing without folded headers, the
 * parameter limit and a known Transfer-Encoding. Every refusal gets a prompt
 * response and an access-log line. The server answers with "Connection:
 * close", so every request passes through here. */
#ifndef GALEN_HTTPD_GATE_H
#define GALEN_HTTPD_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "common.h"

enum {
    GATE_KEY_LEN = 16,        /* address bucket: IPv4-mapped or IPv6 /64 */
    GATE_TARGET_MAX = 8192,   /* bytes of the request target */
    GATE_MAX_HEADERS = 100,   /* header lines per request */
    GATE_MAX_PARAMS = 64,     /* as HTTP_MAX_PARAMS */
    GATE_HEAD_MAX_DEF = 16384 /* bytes of request head by default */
};

/* What a head check concluded: GATE_MORE (incomplete so far, nothing wrong
 * yet), GATE_OK, or the HTTP status to refuse with. */
enum gate_verdict {
    GATE_MORE = 0,
    GATE_OK = 200,
    GATE_BAD = 400,
    GATE_URI_TOO_LONG = 414,
    GATE_TOO_BIG = 431,
    GATE_NOT_IMPL = 501
};

/* Checks the first len bytes a client sent. *why receives a static reason
 * for a refusal. Pure and bounded: the fuzzer and unit tests call it. */
enum gate_verdict gate_check_head(const char *buf, size_t len, size_t head_max,
                                  const char **why);

/* The bucket of a client address: IPv4 as an IPv4-mapped IPv6 address, IPv6
 * with its low 64 bits cleared, so one /64 counts as one client. */
void gate_addr_key(const struct sockaddr *sa, unsigned char key[GATE_KEY_LEN]);

/* Writes the bucket as text ("127.0.0.1", "2001:db8::/64"): the key rate
 * limiters use. */
void gate_key_text(const unsigned char key[GATE_KEY_LEN], char *out,
                   size_t cap);

struct gate_conf {
    unsigned max_pending; /* connections waiting for their head; 0 = 256 */
    unsigned per_addr;    /* open connections per bucket; 0 = 16 */
    unsigned table;       /* buckets remembered; 0 = 4 * max connections */
    double head_deadline; /* seconds for the whole head; 0 = 10 */
    size_t head_max;      /* bytes of head; 0 = GATE_HEAD_MAX_DEF */
    bool access_log;      /* a line on stderr per refusal */
};

struct gate;

/* Called with each accepted connection whose head passed; takes ownership
 * of fd (it must close it on failure). */
typedef void (*gate_pass_fn)(void *cls, int fd, const struct sockaddr *sa,
                             socklen_t len);

/* Starts the gate's thread on the listening socket fd (which it borrows).
 * GALEN_ENOMEM, GALEN_EIO. */
GALEN_NODISCARD int gate_open(int fd, const struct gate_conf *conf,
                              gate_pass_fn pass, void *cls, struct gate **out);

/* Stops the thread and closes pending connections; the bucket accounting
 * keeps working until gate_close. NULL is a no-op. */
void gate_stop(struct gate *g);

/* Stops (if need be) and frees g. NULL is a no-op. */
void gate_close(struct gate *g);

/* Bucket accounting of connections the gate passed on: the server calls
 * opened when the HTTP layer takes a connection and closed when it ends. */
void gate_conn_opened(struct gate *g, const unsigned char key[GATE_KEY_LEN]);
void gate_conn_closed(struct gate *g, const unsigned char key[GATE_KEY_LEN]);

#endif
