/* SPDX-License-Identifier: MIT */
/* gate.c: see gate.h. One thread runs an edge-triggered epoll loop over the
 * listening socket and the connections still sending their head. Edge
 * triggering matters: the gate never consumes the bytes it checks, so a
 * level-triggered poll would report the same bytes forever; each edge is
 * new data, and each peek re-reads at most head_max + 1 bytes. */
#include "gate.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <galen/error.h>

#include "mem.h"

/* ---- the head check ------------------------------------------------------ */

static bool tchar(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

/* Counts the non-empty '&'-separated pieces of the query in target[0..n). */
static size_t count_params(const char *t, size_t n)
{
    const char *q = memchr(t, '?', n);
    size_t count = 0;
    bool piece = false;
    size_t i;

    if (!q)
        return 0;
    for (i = (size_t)(q - t) + 1; i < n && t[i] != '#'; i++) {
        if (t[i] == '&') {
            count += piece;
            piece = false;
        } else {
            piece = true;
        }
    }
    return count + piece;
}

/* Checks "METHOD SP TARGET SP HTTP/1.x" in line[0..n). */
static enum gate_verdict request_line(const char *line, size_t n,
                                      const char **why)
{
    size_t i = 0;
    size_t t0;

    while (i < n && tchar((unsigned char)line[i]))
        i++;
    if (i == 0 || i >= n || line[i] != ' ') {
        *why = "malformed request line";
        return GATE_BAD;
    }
    t0 = ++i;
    while (i < n && line[i] > ' ' && line[i] < 0x7f)
        i++;
    if (i - t0 > GATE_TARGET_MAX) {
        *why = "request target too long";
        return GATE_URI_TOO_LONG;
    }
    if (i == t0 || i >= n || line[i] != ' ' || n - i - 1 != 8 ||
        (memcmp(line + i + 1, "HTTP/1.1", 8) != 0 &&
         memcmp(line + i + 1, "HTTP/1.0", 8) != 0)) {
        *why = "malformed request line";
        return GATE_BAD;
    }
    if (count_params(line + t0, i - t0) > GATE_MAX_PARAMS) {
        *why = "too many parameters";
        return GATE_BAD;
    }
    return GATE_OK;
}

/* True if v[0..n), without surrounding blanks, equals word (any case). */
static bool value_is(const char *v, size_t n, const char *word)
{
    size_t w = strlen(word);

    while (n && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    return n == w && strncasecmp(v, word, w) == 0;
}

struct head_state {
    int te;      /* Transfer-Encoding lines */
    int cl;      /* Content-Length lines */
    bool te_bad; /* a Transfer-Encoding other than chunked */
};

/* Checks one header line[0..n). */
static enum gate_verdict header_line(const char *line, size_t n,
                                     struct head_state *st, const char **why)
{
    size_t i = 0;

    if (line[0] == ' ' || line[0] == '\t') {
        *why = "folded header line";
        return GATE_BAD;
    }
    while (i < n && tchar((unsigned char)line[i]))
        i++;
    if (i == 0 || i >= n || line[i] != ':') {
        *why = "malformed header line";
        return GATE_BAD;
    }
    for (size_t j = i + 1; j < n; j++) {
        unsigned char ch = (unsigned char)line[j];

        if ((ch < ' ' && ch != '\t') || ch == 0x7f) {
            *why = "control byte in a header";
            return GATE_BAD;
        }
    }
    if (i == 17 && strncasecmp(line, "Transfer-Encoding", 17) == 0) {
        st->te++;
        st->te_bad |= !value_is(line + i + 1, n - i - 1, "chunked");
    } else if (i == 14 && strncasecmp(line, "Content-Length", 14) == 0) {
        st->cl++;
    }
    return GATE_OK;
}

enum gate_verdict gate_check_head(const char *buf, size_t len, size_t head_max,
                                  const char **why)
{
    struct head_state st = {0, 0, false};
    size_t start = 0;
    size_t nlines = 0;
    enum gate_verdict v;
    size_t i;

    *why = "";
    for (i = 0; i < len; i++) {
        if (buf[i] == '\0') {
            *why = "NUL byte in the head";
            return GATE_BAD;
        }
        if (buf[i] != '\n')
            continue;
        if (i == 0 || buf[i - 1] != '\r') {
            *why = "bare LF line ending";
            return GATE_BAD;
        }
        if (i - 1 == start) { /* the empty line: the head is complete */
            if (nlines == 0) {
                *why = "empty request line";
                return GATE_BAD;
            }
            if (st.te && (st.te_bad || st.te > 1)) {
                *why = "unsupported Transfer-Encoding";
                return GATE_NOT_IMPL;
            }
            if ((st.te && st.cl) || st.cl > 1) {
                *why = "conflicting body lengths";
                return GATE_BAD;
            }
            return GATE_OK;
        }
        if (++nlines > GATE_MAX_HEADERS + 1) {
            *why = "too many header lines";
            return GATE_TOO_BIG;
        }
        v = nlines == 1 ? request_line(buf + start, i - 1 - start, why)
                        : header_line(buf + start, i - 1 - start, &st, why);
        if (v != GATE_OK)
            return v;
        start = i + 1;
    }
    if (len > head_max) {
        *why = "request head too large";
        return nlines == 0 && len > GATE_TARGET_MAX ? GATE_URI_TOO_LONG
                                                    : GATE_TOO_BIG;
    }
    return GATE_MORE;
}

/* ---- address buckets ----------------------------------------------------- */

void gate_addr_key(const struct sockaddr *sa, unsigned char key[GATE_KEY_LEN])
{
    memset(key, 0, GATE_KEY_LEN);
    if (sa && sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;

        key[10] = key[11] = 0xff;
        memcpy(key + 12, &in->sin_addr, 4);
    } else if (sa && sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)sa;

        memcpy(key, &in6->sin6_addr, 16);
        /* An IPv4-mapped address keeps all its bits; others their /64. */
        if (!IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
            memset(key + 8, 0, 8);
    }
}

void gate_key_text(const unsigned char key[GATE_KEY_LEN], char *out, size_t cap)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                             0, 0, 0, 0, 0xff, 0xff};
    char a[INET6_ADDRSTRLEN];

    if (memcmp(key, mapped, 12) == 0) {
        if (!inet_ntop(AF_INET, key + 12, a, sizeof a))
            snprintf(a, sizeof a, "unknown");
        snprintf(out, cap, "%s", a);
        return;
    }
    if (!inet_ntop(AF_INET6, key, a, sizeof a))
        snprintf(a, sizeof a, "unknown");
    snprintf(out, cap, "%s/64", a);
}

/* ---- the loop ------------------------------------------------------------ */

struct pending {
    int fd; /* -1 = free slot */
    struct sockaddr_storage sa;
    socklen_t salen;
    unsigned char key[GATE_KEY_LEN];
    double t0;
};

struct bucket {
    unsigned char key[GATE_KEY_LEN];
    unsigned n; /* open connections; 0 = free */
};

struct gate {
    int lfd, ep, wake;
    pthread_t thread;
    struct gate_conf conf;
    gate_pass_fn pass;
    void *cls;
    struct pending *pend;
    char *scratch;        /* head_max + 1 bytes, for peeking */
    pthread_mutex_t lock; /* guards buckets */
    struct bucket *buckets;
};

enum { EV_LISTEN = 0, EV_WAKE = 1, EV_BASE = 2 };

static double now_mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Finds key's bucket, or a free one when add is set. NULL if none. */
static struct bucket *bucket_find(struct gate *g, const unsigned char *key,
                                  bool add)
{
    struct bucket *free_b = NULL;
    unsigned i;

    for (i = 0; i < g->conf.table; i++) {
        struct bucket *b = &g->buckets[i];

        if (b->n && memcmp(b->key, key, GATE_KEY_LEN) == 0)
            return b;
        if (!b->n && !free_b)
            free_b = b;
    }
    if (!add || !free_b)
        return NULL;
    memcpy(free_b->key, key, GATE_KEY_LEN);
    return free_b;
}

/* Counts a new connection from key unless its bucket is full. */
static bool bucket_take(struct gate *g, const unsigned char *key)
{
    struct bucket *b;
    bool ok;

    pthread_mutex_lock(&g->lock);
    b = bucket_find(g, key, true);
    ok = b && b->n < g->conf.per_addr;
    if (ok)
        b->n++;
    pthread_mutex_unlock(&g->lock);
    return ok;
}

void gate_conn_opened(struct gate *g, const unsigned char key[GATE_KEY_LEN])
{
    struct bucket *b;

    pthread_mutex_lock(&g->lock);
    b = bucket_find(g, key, true);
    if (b) /* over the cap by at most the handovers in flight */
        b->n++;
    pthread_mutex_unlock(&g->lock);
}

void gate_conn_closed(struct gate *g, const unsigned char key[GATE_KEY_LEN])
{
    struct bucket *b;

    pthread_mutex_lock(&g->lock);
    b = bucket_find(g, key, false);
    if (b)
        b->n--;
    pthread_mutex_unlock(&g->lock);
}

static void log_refusal(struct gate *g, int status, double t0, const char *why)
{
    char when[32];
    time_t now = time(NULL);
    struct tm tm;

    if (!g->conf.access_log)
        return;
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(stderr, "galen: access: %s - - %d 0 %.1fms refused: %s\n", when,
            status, (now_mono() - t0) * 1000.0, why);
}

/* Sends a short error response and closes fd. The head bytes already
 * received are read first: closing with unread data makes the kernel reset
 * the connection, and the client would lose the response. */
static void refuse(struct gate *g, int fd, int status, const char *why,
                   double t0)
{
    char msg[320];
    char body[160];
    const char *reason = status == 400   ? "Bad Request"
                         : status == 408 ? "Request Timeout"
                         : status == 414 ? "URI Too Long"
                         : status == 429 ? "Too Many Requests"
                         : status == 431 ? "Request Header Fields Too Large"
                         : status == 501 ? "Not Implemented"
                                         : "Service Unavailable";
    int nb = snprintf(body, sizeof body,
                      "{\"error\":{\"status\":%d,\"code\":\"refused\","
                      "\"message\":\"%s\"}}\n",
                      status, why);
    int n = snprintf(msg, sizeof msg,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %d\r\nConnection: close\r\n%s\r\n%s",
                     status, reason, nb,
                     status == 429 || status == 503 ? "Retry-After: 1\r\n" : "",
                     body);

    while (recv(fd, g->scratch, g->conf.head_max + 1, MSG_DONTWAIT) > 0)
        ;
    if (n > 0)
        (void)!send(fd, msg, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
    shutdown(fd, SHUT_WR);
    close(fd);
    log_refusal(g, status, t0, why);
}

static void drop(struct gate *g, struct pending *p, int status, const char *why)
{
    epoll_ctl(g->ep, EPOLL_CTL_DEL, p->fd, NULL);
    if (status)
        refuse(g, p->fd, status, why, p->t0);
    else
        close(p->fd);
    gate_conn_closed(g, p->key);
    p->fd = -1;
}

static void on_accept(struct gate *g)
{
    for (;;) {
        struct sockaddr_storage sa;
        socklen_t len = sizeof sa;
        int fd = accept(g->lfd, (struct sockaddr *)&sa, &len);
        unsigned char key[GATE_KEY_LEN];
        struct epoll_event ev;
        unsigned i;

        if (fd < 0)
            return; /* EAGAIN, or an error the next edge retries */
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        gate_addr_key((struct sockaddr *)&sa, key);
        if (!bucket_take(g, key)) {
            refuse(g, fd, 429, "too many connections from this address",
                   now_mono());
            continue;
        }
        for (i = 0; i < g->conf.max_pending && g->pend[i].fd >= 0; i++)
            ;
        if (i == g->conf.max_pending) {
            refuse(g, fd, 503, "server busy", now_mono());
            gate_conn_closed(g, key);
            continue;
        }
        g->pend[i].fd = fd;
        g->pend[i].sa = sa;
        g->pend[i].salen = len;
        memcpy(g->pend[i].key, key, GATE_KEY_LEN);
        g->pend[i].t0 = now_mono();
        memset(&ev, 0, sizeof ev);
        ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
        ev.data.u64 = EV_BASE + i;
        if (epoll_ctl(g->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
            drop(g, &g->pend[i], 503, "server busy");
    }
}

/* New bytes on a pending connection: check what has arrived so far. */
static void on_data(struct gate *g, struct pending *p, uint32_t events)
{
    ssize_t n =
        recv(p->fd, g->scratch, g->conf.head_max + 1, MSG_PEEK | MSG_DONTWAIT);
    const char *why = "";
    enum gate_verdict v;

    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (n <= 0) {
        drop(g, p, 0, "");
        return;
    }
    v = gate_check_head(g->scratch, (size_t)n, g->conf.head_max, &why);
    if (v == GATE_MORE && (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
        drop(g, p, 0, ""); /* the client gave up half-way */
        return;
    }
    if (v == GATE_MORE)
        return;
    if (v != GATE_OK) {
        drop(g, p, (int)v, why);
        return;
    }
    epoll_ctl(g->ep, EPOLL_CTL_DEL, p->fd, NULL);
    /* The HTTP layer counts the connection again when it takes it. */
    gate_conn_closed(g, p->key);
    g->pass(g->cls, p->fd, (struct sockaddr *)&p->sa, p->salen);
    p->fd = -1;
}

/* Refuses every head that has run out of time; returns the milliseconds
 * until the next deadline, or -1 if nothing is pending. */
static int expire(struct gate *g)
{
    double now = now_mono();
    double next = -1;
    unsigned i;

    for (i = 0; i < g->conf.max_pending; i++) {
        struct pending *p = &g->pend[i];
        double left;

        if (p->fd < 0)
            continue;
        left = p->t0 + g->conf.head_deadline - now;
        if (left <= 0) {
            drop(g, p, 408, "request head not complete in time");
            continue;
        }
        if (next < 0 || left < next)
            next = left;
    }
    return next < 0 ? -1 : (int)(next * 1000.0) + 1;
}

static void *gate_main(void *arg)
{
    struct gate *g = arg;
    struct epoll_event evs[64];

    for (;;) {
        int n = epoll_wait(g->ep, evs, (int)ARRAY_SIZE(evs), expire(g));
        int i;

        if (n < 0 && errno != EINTR)
            break;
        for (i = 0; i < n; i++) {
            uint64_t id = evs[i].data.u64;

            if (id == EV_WAKE)
                return NULL;
            if (id == EV_LISTEN)
                on_accept(g);
            else if (g->pend[id - EV_BASE].fd >= 0)
                on_data(g, &g->pend[id - EV_BASE], evs[i].events);
        }
    }
    return NULL;
}

static void conf_defaults(struct gate_conf *c)
{
    c->max_pending = c->max_pending ? c->max_pending : 256;
    c->per_addr = c->per_addr ? c->per_addr : 16;
    c->table = c->table ? c->table : 1024;
    c->head_deadline = c->head_deadline > 0 ? c->head_deadline : 10.0;
    c->head_max = c->head_max ? c->head_max : GATE_HEAD_MAX_DEF;
}

static int watch(int ep, int fd, uint64_t id)
{
    struct epoll_event ev;

    memset(&ev, 0, sizeof ev);
    ev.events = EPOLLIN | (id == EV_LISTEN ? EPOLLET : 0);
    ev.data.u64 = id;
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

int gate_open(int fd, const struct gate_conf *conf, gate_pass_fn pass,
              void *cls, struct gate **out)
{
    struct gate *g = galen_calloc(1, sizeof *g);
    unsigned i;

    if (!g)
        return GALEN_ENOMEM;
    pthread_mutex_init(&g->lock, NULL);
    g->conf = *conf;
    conf_defaults(&g->conf);
    g->lfd = fd;
    g->pass = pass;
    g->cls = cls;
    g->ep = g->wake = -1;
    g->pend = galen_calloc(g->conf.max_pending, sizeof *g->pend);
    g->buckets = galen_calloc(g->conf.table, sizeof *g->buckets);
    g->scratch = galen_malloc(g->conf.head_max + 1);
    for (i = 0; g->pend && i < g->conf.max_pending; i++)
        g->pend[i].fd = -1;
    if (!g->pend || !g->buckets || !g->scratch) {
        gate_close(g);
        return GALEN_ENOMEM;
    }
    g->ep = epoll_create1(EPOLL_CLOEXEC);
    g->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (g->ep < 0 || g->wake < 0 || watch(g->ep, fd, EV_LISTEN) != 0 ||
        watch(g->ep, g->wake, EV_WAKE) != 0 ||
        pthread_create(&g->thread, NULL, gate_main, g) != 0) {
        close(g->ep);
        close(g->wake);
        g->ep = g->wake = -1;
        gate_close(g);
        return GALEN_EIO;
    }
    *out = g;
    return GALEN_OK;
}

void gate_stop(struct gate *g)
{
    uint64_t one = 1;
    unsigned i;

    if (!g)
        return;
    if (g->wake >= 0) {
        (void)!write(g->wake, &one, sizeof one);
        pthread_join(g->thread, NULL);
        close(g->wake);
        close(g->ep);
        g->wake = g->ep = -1;
    }
    for (i = 0; g->pend && i < g->conf.max_pending; i++) {
        if (g->pend[i].fd >= 0)
            close(g->pend[i].fd);
        g->pend[i].fd = -1;
    }
}

void gate_close(struct gate *g)
{
    if (!g)
        return;
    gate_stop(g);
    pthread_mutex_destroy(&g->lock);
    galen_free(g->pend);
    galen_free(g->buckets);
    galen_free(g->scratch);
    galen_free(g);
}
