/* SPDX-License-Identifier: MIT */
/* http.h: the request and response the handlers see, independent of
 * libmicrohttpd so that tests and the fuzzer drive the router in-process.
 * Parsers here take untrusted bytes and either succeed or return
 * GALEN_EPARSE / GALEN_ETOOBIG; they never crash. Every parameter value a
 * handler sees is NUL-terminated, valid UTF-8 without control bytes. */
#ifndef GALEN_HTTP_H
#define GALEN_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "common.h"

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER };

enum {
    HTTP_MAX_PARAMS = 64,            /* per query string or form body */
    HTTP_MAX_PATH = 1024,            /* bytes of the decoded path */
    HTTP_MAX_BODY = 64 * 1024,       /* request body cap */
    HTTP_MAX_RESP = 4 * 1024 * 1024, /* response body cap */
    HTTP_CLIENT_MAX = 64             /* printable client address */
};

struct http_param {
    char *key; /* owned by the params' storage */
    char *val;
};

/* Key/value pairs decoded from a query string or a urlencoded body. */
struct http_params {
    struct http_param v[HTTP_MAX_PARAMS];
    size_t n;
    char *store; /* one allocation holding every key and value */
};

struct http_req {
    enum http_method method;
    char *path; /* decoded, NUL-terminated; owned (http_req_cleanup) */
    struct http_params query;
    struct http_params form; /* filled for urlencoded POST bodies */
    /* Header values, borrowed from the transport; NULL when absent. */
    const char *content_type;
    const char *cookie;
    const char *csrf_header;   /* X-CSRF-Token */
    const char *authorization; /* "Bearer TOKEN" for API clients */
    const char *if_none_match;
    const char *body; /* borrowed; not NUL-terminated */
    size_t body_len;
    char client[HTTP_CLIENT_MAX]; /* real client's address (its IPv6 /64),
                                     for rate limiting: the peer, or the
                                     one a trusted proxy names */
    bool tls;       /* over TLS, to galen or to a trusted proxy that says so */
    double now;     /* monotonic seconds, for rate limits */
    long long wall; /* Unix time of the request */
};

enum { HTTP_MAX_COOKIES = 2, HTTP_COOKIE_MAX = 256, HTTP_LOCATION_MAX = 1024 };

struct http_resp {
    int status;
    const char *content_type; /* static string */
    const char *cache;        /* Cache-Control value; static */
    struct buf body;
    const void *shared_body; /* if set, sent instead of body; must outlive
                                the response (static files) */
    size_t shared_len;
    char cookie[HTTP_MAX_COOKIES][HTTP_COOKIE_MAX]; /* Set-Cookie values */
    size_t ncookies;
    char location[HTTP_LOCATION_MAX]; /* redirect target, "" if none */
    char etag[40];                    /* "" if none */
    long retry_after;                 /* seconds; 0 = no header */
    char request_id[72];              /* X-Request-Id; "" for none */
};

/* Parses a method name. Unknown methods give HTTP_OTHER. */
enum http_method http_method_parse(const char *s);

/* Initialises req to empty; http_req_cleanup frees what parsing added. */
void http_req_init(struct http_req *req);
void http_req_cleanup(struct http_req *req);

/* Splits a raw request target "/path?query" into req->path (percent-decoded)
 * and req->query. GALEN_EPARSE for a target not starting with '/', a path
 * that decodes to a NUL or invalid UTF-8, or a bad parameter; GALEN_ETOOBIG
 * past HTTP_MAX_PATH or HTTP_MAX_PARAMS; GALEN_ENOMEM. */
GALEN_NODISCARD int http_parse_target(struct http_req *req, const char *target);

/* Decodes "a=1&b=two+words" into out (replacing its contents). Empty pieces
 * are skipped; a piece without '=' has an empty value. Errors as above. */
GALEN_NODISCARD int http_parse_params(struct http_params *out, const char *s,
                                      size_t len);

/* Frees the storage of p and empties it. */
void http_params_cleanup(struct http_params *p);

/* Value of the first parameter named key, or NULL. Borrowed. */
const char *http_param(const struct http_params *p, const char *key);

/* Looks key up in the form body, then in the query string. */
const char *http_req_param(const struct http_req *req, const char *key);

/* True if the request's Content-Type's media type is mime (case-insensitive,
 * parameters such as charset ignored). */
bool http_is_content_type(const struct http_req *req, const char *mime);

/* Initialises resp: status 200, text/html, no-store, empty body. */
void http_resp_init(struct http_resp *resp);
void http_resp_cleanup(struct http_resp *resp);

/* Discards any body and headers written so far (status reset to 200). */
void http_resp_reset(struct http_resp *resp);

/* Adds a Set-Cookie value. GALEN_ETOOBIG when full. */
GALEN_NODISCARD int http_resp_cookie(struct http_resp *resp, const char *v);

/* True if path is a safe same-site redirect target: path-absolute (one
 * leading '/'), made only of letters, digits and -._~/?=&%+#:, (no
 * backslash, blank or control byte a browser could reinterpret). */
bool http_location_ok(const char *path);

/* Sets a 303 redirect to a same-site path (http_location_ok; anything else
 * redirects to "/"). */
void http_resp_redirect(struct http_resp *resp, const char *path);

/* Replaces the response with a JSON error: {"error":{"status":N,
 * "code":code,"message":msg}}. */
void http_resp_json_error(struct http_resp *resp, int status, const char *code,
                          const char *msg);

/* Static reason phrase for status ("Not Found"). */
const char *http_reason(int status);

#endif
