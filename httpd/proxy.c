/* SPDX-License-Identifier: MIT */
/* proxy.c: trusted-proxy CIDRs, the real client behind X-Forwarded-For,
 * and the base path. The client walk never believes more than the trusted
 * hops said: an X-Forwarded-For a client sends itself arrives with the
 * proxy's entry appended, so the right-most untrusted entry is the one the
 * outermost trusted proxy saw, whatever the client put to its left. */
#include "proxy.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "str.h"

bool proxy_addr_parse(const char *s, size_t n, unsigned char out[16])
{
    char tmp[PROXY_ADDR_TEXT + 1];

    if (n == 0 || n > PROXY_ADDR_TEXT)
        return false;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    memset(out, 0, 16);
    if (inet_pton(AF_INET, tmp, out + 12) == 1) {
        out[10] = out[11] = 0xff;
        return true;
    }
    return inet_pton(AF_INET6, tmp, out) == 1;
}

static bool is_v4(const unsigned char a[16])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                             0, 0, 0, 0, 0xff, 0xff};

    return memcmp(a, mapped, 12) == 0;
}

void proxy_addr_text(const unsigned char addr[16], char *out, size_t cap)
{
    char a[PROXY_ADDR_TEXT + 1];

    if (!inet_ntop(is_v4(addr) ? AF_INET : AF_INET6,
                   is_v4(addr) ? addr + 12 : addr, a, sizeof a))
        snprintf(a, sizeof a, "unknown");
    snprintf(out, cap, "%s", a);
}

/* Clears the bits of a past the first bits. */
static void mask(unsigned char a[16], unsigned bits)
{
    unsigned i;

    for (i = 0; i < 16; i++) {
        unsigned keep = bits > i * 8 ? bits - i * 8 : 0;

        if (keep < 8)
            a[i] &= (unsigned char)(0xff00u >> keep);
    }
}

int proxy_trust_add(struct proxy_trust *t, const char *cidr)
{
    const char *slash = strchr(cidr, '/');
    size_t n = slash ? (size_t)(slash - cidr) : strlen(cidr);
    struct proxy_cidr c;
    long bits;

    if (!proxy_addr_parse(cidr, n, c.addr))
        return GALEN_EINVAL;
    bits = is_v4(c.addr) ? 32 : 128;
    if (slash && str_to_long(slash + 1, 0, bits, &bits) != GALEN_OK)
        return GALEN_EINVAL;
    c.bits = (unsigned)bits + (is_v4(c.addr) ? 96 : 0);
    mask(c.addr, c.bits);
    if (t->n == PROXY_MAX_CIDRS)
        return GALEN_ETOOBIG;
    t->v[t->n++] = c;
    return GALEN_OK;
}

bool proxy_trusts(const struct proxy_trust *t, const unsigned char addr[16])
{
    unsigned char a[16];
    size_t i;

    for (i = 0; i < t->n; i++) {
        memcpy(a, addr, 16);
        mask(a, t->v[i].bits);
        if (memcmp(a, t->v[i].addr, 16) == 0)
            return true;
    }
    return false;
}

/* The entry of xff[0..end) that ends at end, trimmed of blanks, as
 * [*start, end'); returns its length. */
static size_t last_entry(const char *xff, size_t end, size_t *start)
{
    size_t b = end;
    size_t e;

    while (b > 0 && xff[b - 1] != ',')
        b--;
    *start = b;
    while (*start < end && (xff[*start] == ' ' || xff[*start] == '\t'))
        (*start)++;
    e = end;
    while (e > *start && (xff[e - 1] == ' ' || xff[e - 1] == '\t'))
        e--;
    return e - *start;
}

void proxy_client(const struct proxy_trust *t, const unsigned char peer[16],
                  const char *xff, unsigned char out[16])
{
    size_t end = xff ? strlen(xff) : 0;
    unsigned hops = 0;
    unsigned char a[16];

    memcpy(out, peer, 16);
    if (!xff || !proxy_trusts(t, peer))
        return;
    while (end > 0 && hops++ < PROXY_MAX_HOPS) {
        size_t start;
        size_t n = last_entry(xff, end, &start);

        if (n > 0) {
            if (!proxy_addr_parse(xff + start, n, a))
                return; /* garbage: the last trusted hop is all we know */
            memcpy(out, a, 16);
            if (!proxy_trusts(t, a))
                return;
        }
        while (end > 0 && xff[end - 1] != ',')
            end--;
        if (end > 0)
            end--; /* the comma */
    }
}

static bool base_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || strchr("-._~/", ch) != NULL;
}

bool proxy_base_ok(const char *s)
{
    size_t n = strlen(s);
    size_t i;

    if (n == 0)
        return true;
    if (s[0] != '/' || n < 2 || n >= PROXY_BASE_MAX || s[n - 1] == '/')
        return false;
    for (i = 0; i < n; i++) {
        if (!base_char(s[i]))
            return false;
        if (s[i] != '/')
            continue;
        /* No empty, "." or ".." segment. */
        if (s[i + 1] == '/' ||
            (s[i + 1] == '.' && (s[i + 2] == '/' || s[i + 2] == '\0')))
            return false;
        if (s[i + 1] == '.' && s[i + 2] == '.' &&
            (s[i + 3] == '/' || s[i + 3] == '\0'))
            return false;
    }
    return true;
}

const char *proxy_strip_base(const char *base, const char *path)
{
    size_t n = strlen(base);

    if (n == 0)
        return path;
    if (strncmp(path, base, n) != 0)
        return NULL;
    if (path[n] == '\0')
        return "/";
    return path[n] == '/' ? path + n : NULL;
}
