/* SPDX-License-Identifier: MIT */
/* proxy.h: running behind a reverse proxy. The trusted proxies are a list
 * of CIDRs (--trusted-proxy); only a request whose TCP peer is inside one
 * has its X-Forwarded-For and X-Forwarded-Proto believed, and the client is
 * the right-most X-Forwarded-For address that is not itself a trusted
 * proxy, since every hop appends and only the hops we trust are honest.
 * The base path (--base-path /galen) is the prefix galen is mounted under:
 * requests arrive with it (the proxy does not strip it) and every URL galen
 * writes carries it. Addresses are 16 bytes, IPv4 as IPv4-mapped IPv6. */
#ifndef GALEN_HTTPD_PROXY_H
#define GALEN_HTTPD_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#include "common.h"

enum {
    PROXY_MAX_CIDRS = 32, /* --trusted-proxy options */
    PROXY_BASE_MAX = 64,  /* bytes of a base path */
    PROXY_MAX_HOPS = 32,  /* X-Forwarded-For entries looked at */
    PROXY_ADDR_TEXT = 46  /* INET6_ADDRSTRLEN */
};

struct proxy_cidr {
    unsigned char addr[16]; /* network address, host bits zero */
    unsigned bits;          /* prefix length over the 128-bit form */
};

struct proxy_trust {
    struct proxy_cidr v[PROXY_MAX_CIDRS];
    size_t n;
};

/* Adds a CIDR ("10.0.0.0/8", "::1/128", or a bare address meaning one
 * host) to t. GALEN_EINVAL for a malformed one, GALEN_ETOOBIG when t is
 * full. */
GALEN_NODISCARD int proxy_trust_add(struct proxy_trust *t, const char *cidr);

/* True if addr is inside one of t's CIDRs. */
bool proxy_trusts(const struct proxy_trust *t, const unsigned char addr[16]);

/* Parses a textual IPv4 or IPv6 address into its 16-byte form. */
bool proxy_addr_parse(const char *s, size_t n, unsigned char out[16]);

/* Writes addr as text: dotted IPv4 for an IPv4-mapped address, else
 * IPv6. */
void proxy_addr_text(const unsigned char addr[16], char *out, size_t cap);

/* The real client of a request from peer whose X-Forwarded-For headers,
 * joined with commas in the order received, are xff (NULL if none): peer
 * itself unless it is trusted; else walking xff from the right, the first
 * address that is not trusted. When every entry is trusted the left-most
 * is the client; a malformed entry stops the walk and the last trusted
 * hop is the client (nothing left of garbage can be believed). */
void proxy_client(const struct proxy_trust *t, const unsigned char peer[16],
                  const char *xff, unsigned char out[16]);

/* True if s is a usable base path: "" (none) or '/' followed by 1..63
 * bytes of [A-Za-z0-9._~-/], no trailing '/', no "//" and no "." or ".."
 * segment. */
bool proxy_base_ok(const char *s);

/* If path is base itself or starts with base + '/', returns the rest ("/"
 * for base itself); else NULL. base "" returns path. Borrowed. */
const char *proxy_strip_base(const char *base, const char *path);

#endif
