/* SPDX-License-Identifier: MIT */
/* test_proxy.c: trusted-proxy CIDRs (IPv4 and IPv6), the real client
 * behind X-Forwarded-For (walked from the right, spoofed entries and
 * untrusted peers ignored, garbage stops the walk), and the base path's
 * validation and stripping. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <string.h>

#include <galen/error.h>

#include "proxy.h"

/* The client proxy_client picks, as text. */
static const char *client(const struct proxy_trust *t, const char *peer,
                          const char *xff)
{
    static char out[PROXY_ADDR_TEXT + 1];
    unsigned char p[16], c[16];

    assert_true(proxy_addr_parse(peer, strlen(peer), p));
    proxy_client(t, p, xff, c);
    proxy_addr_text(c, out, sizeof out);
    return out;
}

static bool trusts(const struct proxy_trust *t, const char *addr)
{
    unsigned char a[16];

    assert_true(proxy_addr_parse(addr, strlen(addr), a));
    return proxy_trusts(t, a);
}

static void test_proxy_cidrs(void **state)
{
    struct proxy_trust t;

    (void)state;
    memset(&t, 0, sizeof t);
    assert_int_equal(proxy_trust_add(&t, "10.1.0.0/16"), GALEN_OK);
    assert_int_equal(proxy_trust_add(&t, "192.0.2.7"), GALEN_OK);
    assert_int_equal(proxy_trust_add(&t, "2001:db8:aa::/48"), GALEN_OK);
    assert_int_equal(proxy_trust_add(&t, "::1/128"), GALEN_OK);
    assert_true(trusts(&t, "10.1.255.3"));
    assert_false(trusts(&t, "10.2.0.1"));
    assert_true(trusts(&t, "192.0.2.7"));
    assert_false(trusts(&t, "192.0.2.8"));
    assert_true(trusts(&t, "2001:db8:aa:ffff::1"));
    assert_false(trusts(&t, "2001:db8:ab::1"));
    assert_true(trusts(&t, "::1"));
    /* An IPv4 CIDR never matches an IPv6 address with the same bits. */
    assert_false(trusts(&t, "::a01:1"));
    /* Host bits in the network are cleared, not refused. */
    assert_int_equal(proxy_trust_add(&t, "172.16.5.9/12"), GALEN_OK);
    assert_true(trusts(&t, "172.31.0.1"));
    assert_int_equal(proxy_trust_add(&t, "0.0.0.0/0"), GALEN_OK);
    assert_true(trusts(&t, "203.0.113.1"));
    assert_false(trusts(&t, "2001:db9::1"));

    assert_int_equal(proxy_trust_add(&t, "10.0.0.0/33"), GALEN_EINVAL);
    assert_int_equal(proxy_trust_add(&t, "::/129"), GALEN_EINVAL);
    assert_int_equal(proxy_trust_add(&t, "10.0.0.0/"), GALEN_EINVAL);
    assert_int_equal(proxy_trust_add(&t, "10.0.0.0/8x"), GALEN_EINVAL);
    assert_int_equal(proxy_trust_add(&t, "10.0.0/8"), GALEN_EINVAL);
    assert_int_equal(proxy_trust_add(&t, "localhost"), GALEN_EINVAL);
    assert_int_equal(proxy_trust_add(&t, ""), GALEN_EINVAL);
    while (t.n < PROXY_MAX_CIDRS)
        assert_int_equal(proxy_trust_add(&t, "10.0.0.1"), GALEN_OK);
    assert_int_equal(proxy_trust_add(&t, "10.0.0.1"), GALEN_ETOOBIG);
}

static void test_proxy_client_walk(void **state)
{
    struct proxy_trust t;

    (void)state;
    memset(&t, 0, sizeof t);
    assert_int_equal(proxy_trust_add(&t, "127.0.0.1/32"), GALEN_OK);
    assert_int_equal(proxy_trust_add(&t, "10.0.0.0/8"), GALEN_OK);
    assert_int_equal(proxy_trust_add(&t, "fd00::/8"), GALEN_OK);

    /* No header, or an untrusted peer: the peer. A spoofed header from an
     * untrusted peer changes nothing. */
    assert_string_equal(client(&t, "127.0.0.1", NULL), "127.0.0.1");
    assert_string_equal(client(&t, "198.51.100.9", "203.0.113.5"),
                        "198.51.100.9");
    /* One trusted hop. */
    assert_string_equal(client(&t, "127.0.0.1", "203.0.113.5"), "203.0.113.5");
    /* A client's own X-Forwarded-For, with the proxy's entry appended: the
     * right-most untrusted entry wins, whatever was put to its left. */
    assert_string_equal(client(&t, "127.0.0.1", "1.2.3.4, 203.0.113.5"),
                        "203.0.113.5");
    assert_string_equal(
        client(&t, "127.0.0.1", "10.9.9.9, 203.0.113.5,10.0.0.2"),
        "203.0.113.5");
    /* Chains of trusted proxies, IPv6 clients, blanks and empty entries. */
    assert_string_equal(
        client(&t, "10.0.0.1", " 2001:db8::7 ,  fd00::1,10.0.0.3 "),
        "2001:db8::7");
    assert_string_equal(client(&t, "127.0.0.1", "198.51.100.1,,"),
                        "198.51.100.1");
    /* Every entry trusted: the left-most. */
    assert_string_equal(client(&t, "127.0.0.1", "10.0.0.5, 10.0.0.6"),
                        "10.0.0.5");
    /* Garbage stops the walk at the last trusted hop. */
    assert_string_equal(client(&t, "127.0.0.1", "203.0.113.5, unknown"),
                        "127.0.0.1");
    assert_string_equal(client(&t, "127.0.0.1", "junk, 10.0.0.7"), "10.0.0.7");
    assert_string_equal(client(&t, "127.0.0.1", "1.2.3.4:80"), "127.0.0.1");
    assert_string_equal(client(&t, "127.0.0.1", ""), "127.0.0.1");
}

static void test_proxy_base_path(void **state)
{
    static const char *const good[] = {"", "/galen", "/a/b", "/g-1.x_y~z"};
    static const char *const bad[] = {"/",     "galen",  "/galen/",  "//galen",
                                      "/a//b", "/a/./b", "/a/..",    "/./a",
                                      "/a b",  "/a?b",   "/a%20",    "/a;b",
                                      "/a\"b", "/a<b",   "/\xc3\xa9"};
    char longest[PROXY_BASE_MAX + 1];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof good / sizeof *good; i++)
        assert_true(proxy_base_ok(good[i]));
    for (i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(proxy_base_ok(bad[i]));
    memset(longest, 'a', sizeof longest);
    longest[0] = '/';
    longest[PROXY_BASE_MAX - 1] = '\0';
    assert_true(proxy_base_ok(longest));
    longest[PROXY_BASE_MAX - 1] = 'a';
    longest[PROXY_BASE_MAX] = '\0';
    assert_false(proxy_base_ok(longest));

    assert_string_equal(proxy_strip_base("", "/ask"), "/ask");
    assert_string_equal(proxy_strip_base("/galen", "/galen/ask"), "/ask");
    assert_string_equal(proxy_strip_base("/galen", "/galen"), "/");
    assert_string_equal(proxy_strip_base("/galen", "/galen/"), "/");
    assert_null(proxy_strip_base("/galen", "/galenx/ask"));
    assert_null(proxy_strip_base("/galen", "/ask"));
    assert_null(proxy_strip_base("/galen", "/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proxy_cidrs),
        cmocka_unit_test(test_proxy_client_walk),
        cmocka_unit_test(test_proxy_base_path),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
