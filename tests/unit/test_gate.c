/* SPDX-License-Identifier: MIT */
/* test_gate.c: the gate's checks of a request head (issue 10: too many
 * parameters, unknown Transfer-Encoding, bare LF, folded headers, request
 * smuggling shapes) and its address buckets (IPv6 per /64). The
 * per-account login backoff lives in the store (test_service.c). */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "gate.h"

static enum gate_verdict check(const char *head)
{
    const char *why = NULL;
    enum gate_verdict v =
        gate_check_head(head, strlen(head), GATE_HEAD_MAX_DEF, &why);

    assert_non_null(why);
    return v;
}

static void test_gate_accepts_clean_heads(void **state)
{
    (void)state;
    assert_int_equal(check("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), GATE_OK);
    assert_int_equal(check("POST /api/login HTTP/1.1\r\nHost: x\r\n"
                           "Content-Length: 2\r\n\r\n{}"),
                     GATE_OK);
    assert_int_equal(check("POST /a HTTP/1.1\r\nHost: x\r\n"
                           "Transfer-Encoding:  Chunked \r\n\r\n"),
                     GATE_OK);
    assert_int_equal(check("GET /x?a=1&b=2 HTTP/1.0\r\n\r\n"), GATE_OK);
    /* Incomplete heads wait for more. */
    assert_int_equal(check(""), GATE_MORE);
    assert_int_equal(check("GET / HTTP/1.1\r\nHost: x\r\n"), GATE_MORE);
    assert_int_equal(check("GET / HTTP/1.1\r"), GATE_MORE);
}

static void test_gate_refuses_bad_framing(void **state)
{
    (void)state;
    assert_int_equal(check("GET / HTTP/1.1\nHost: x\n\n"), GATE_BAD);
    assert_int_equal(check("GET / HTTP/1.1\r\nHost: x\n"), GATE_BAD);
    assert_int_equal(check("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"),
                     GATE_BAD);
    assert_int_equal(check("GET / HTTP/1.1\r\n\tHost: x\r\n\r\n"), GATE_BAD);
    assert_int_equal(check("GET / HTTP/2.0\r\n\r\n"), GATE_BAD);
    assert_int_equal(check("GET  / HTTP/1.1\r\n\r\n"), GATE_BAD);
    assert_int_equal(check("\r\nGET / HTTP/1.1\r\n\r\n"), GATE_BAD);
    assert_int_equal(check("GET / HTTP/1.1\r\nHost x\r\n\r\n"), GATE_BAD);
    assert_int_equal(check("GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n"), GATE_BAD);
    assert_int_equal(gate_check_head("GET /\0 HTTP/1.1\r\n\r\n", 19,
                                     GATE_HEAD_MAX_DEF, &(const char *){NULL}),
                     GATE_BAD);
}

static void test_gate_bodies_and_parameters(void **state)
{
    char head[4096];
    size_t n;
    int i;

    (void)state;
    assert_int_equal(
        check("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
        GATE_NOT_IMPL);
    assert_int_equal(check("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n"),
                     GATE_NOT_IMPL);
    assert_int_equal(check("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                           "Content-Length: 3\r\n\r\n"),
                     GATE_BAD);
    assert_int_equal(check("POST / HTTP/1.1\r\nContent-Length: 3\r\n"
                           "Content-Length: 4\r\n\r\n"),
                     GATE_BAD);
    /* 64 parameters pass; 65, or 500, get a prompt 400. */
    for (int want = 64; want <= 500; want += 436) {
        n = (size_t)snprintf(head, sizeof head, "GET /api/search?");
        for (i = 0; i < want + (want > 64); i++)
            n += (size_t)snprintf(head + n, sizeof head - n, "%sa%d=1",
                                  i ? "&" : "", i);
        snprintf(head + n, sizeof head - n, " HTTP/1.1\r\n\r\n");
        assert_int_equal(check(head), want == 64 ? GATE_OK : GATE_BAD);
    }
    /* Empty pieces do not count. */
    assert_int_equal(check("GET /?&&&&a=1&& HTTP/1.1\r\n\r\n"), GATE_OK);
}

static void test_gate_size_limits(void **state)
{
    static char head[GATE_HEAD_MAX_DEF + 64];
    const char *why;

    (void)state;
    memset(head, 'a', sizeof head);
    memcpy(head, "GET /", 5);
    assert_int_equal(
        gate_check_head(head, sizeof head, GATE_HEAD_MAX_DEF, &why),
        GATE_URI_TOO_LONG);
    memcpy(head, "GET / HTTP/1.1\r\nX: ", 19);
    assert_int_equal(
        gate_check_head(head, sizeof head, GATE_HEAD_MAX_DEF, &why),
        GATE_TOO_BIG);
}

static void test_gate_address_buckets(void **state)
{
    struct sockaddr_in6 a6;
    struct sockaddr_in6 b6;
    struct sockaddr_in a4;
    unsigned char ka[GATE_KEY_LEN];
    unsigned char kb[GATE_KEY_LEN];
    char text[64];

    (void)state;
    memset(&a6, 0, sizeof a6);
    memset(&b6, 0, sizeof b6);
    memset(&a4, 0, sizeof a4);
    a6.sin6_family = b6.sin6_family = AF_INET6;
    assert_int_equal(inet_pton(AF_INET6, "2001:db8:1:2::7", &a6.sin6_addr), 1);
    assert_int_equal(
        inet_pton(AF_INET6, "2001:db8:1:2:ffff:1:2:3", &b6.sin6_addr), 1);
    gate_addr_key((struct sockaddr *)&a6, ka);
    gate_addr_key((struct sockaddr *)&b6, kb);
    assert_memory_equal(ka, kb, GATE_KEY_LEN);
    gate_key_text(ka, text, sizeof text);
    assert_string_equal(text, "2001:db8:1:2::/64");
    assert_int_equal(inet_pton(AF_INET6, "2001:db8:1:3::7", &b6.sin6_addr), 1);
    gate_addr_key((struct sockaddr *)&b6, kb);
    assert_memory_not_equal(ka, kb, GATE_KEY_LEN);
    a4.sin_family = AF_INET;
    assert_int_equal(inet_pton(AF_INET, "127.0.0.2", &a4.sin_addr), 1);
    gate_addr_key((struct sockaddr *)&a4, ka);
    gate_key_text(ka, text, sizeof text);
    assert_string_equal(text, "127.0.0.2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gate_accepts_clean_heads),
        cmocka_unit_test(test_gate_refuses_bad_framing),
        cmocka_unit_test(test_gate_bodies_and_parameters),
        cmocka_unit_test(test_gate_size_limits),
        cmocka_unit_test(test_gate_address_buckets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
