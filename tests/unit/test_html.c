/* SPDX-License-Identifier: MIT */
/* test_html.c: escaping, URL coding and the template writer. The XSS cases
 * are the payloads the security tests also push through the server. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/mem.h"
#include "html.h"

/* Escapes s and returns the result as a galen_malloc'd C string. */
static char *esc(const char *s, size_t len)
{
    struct buf b;
    int rc = GALEN_OK;

    buf_init(&b, 1 << 16);
    html_escn(&rc, &b, s, len);
    buf_put_nul(&rc, &b);
    assert_int_equal(rc, GALEN_OK);
    return (char *)buf_take(&b, NULL);
}

static void check_esc(const char *in, const char *want)
{
    char *got = esc(in, strlen(in));

    assert_string_equal(got, want);
    galen_free(got);
}

static void test_html_escapes_markup(void **state)
{
    UNUSED(state);
    check_esc("plain text", "plain text");
    check_esc("<script>alert(1)</script>",
              "&lt;script&gt;alert(1)&lt;/script&gt;");
    check_esc("\"><img src=x onerror=alert(1)>",
              "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    check_esc("it's & <b>", "it&#39;s &amp; &lt;b&gt;");
    check_esc("", "");
}

static void test_html_keeps_utf8_and_replaces_invalid(void **state)
{
    char *got;

    UNUSED(state);
    check_esc("caf\xC3\xA9 \xE2\x80\x94 ok", "caf\xC3\xA9 \xE2\x80\x94 ok");
    check_esc("bad \xFF byte", "bad \xEF\xBF\xBD byte");
    check_esc("overlong \xC0\xBC", "overlong \xEF\xBF\xBD\xEF\xBF\xBD");
    check_esc("surrogate \xED\xA0\x80",
              "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    check_esc("cut \xE2\x80", "cut \xEF\xBF\xBD\xEF\xBF\xBD");
    check_esc("ctl\x01\x1b[31m\tok\n", "ctl[31m\tok\n");
    got = esc("a\0<b", 4);
    assert_string_equal(got, "a&lt;b");
    galen_free(got);
}

static void test_html_fmt_escapes_by_default(void **state)
{
    struct buf b;
    int rc = GALEN_OK;
    struct str sl = STR_LIT("<i>");

    UNUSED(state);
    buf_init(&b, 4096);
    html_fmt(&rc, &b,
             "<p title=\"%s\">%s %S %R</p><a href=\"/ask?q=%U\">%d %ld %zu "
             "%lld 100%%</a>",
             "\"x\"", "<b>", &sl, "<em>raw</em>", "a b&c<", -3, 4L, (size_t)5,
             6LL);
    buf_put_nul(&rc, &b);
    assert_int_equal(rc, GALEN_OK);
    assert_string_equal((char *)b.data,
                        "<p title=\"&quot;x&quot;\">&lt;b&gt; &lt;i&gt; "
                        "<em>raw</em></p><a href=\"/ask?q=a%20b%26c%3C\">-3 "
                        "4 5 6 100%</a>");
    buf_reset(&b);
    html_fmt(&rc, &b, "%s|%U|%R", (const char *)NULL, (const char *)NULL,
             (const char *)NULL);
    assert_int_equal(rc, GALEN_OK);
    assert_int_equal(b.len, 2);
    buf_cleanup(&b);
}

static void test_html_fmt_rejects_unknown_conversion(void **state)
{
    struct buf b;
    int rc = GALEN_OK;

    UNUSED(state);
    buf_init(&b, 4096);
    html_fmt(&rc, &b, "%x", 1);
    assert_int_equal(rc, GALEN_EINVAL);
    rc = GALEN_OK;
    html_fmt(&rc, &b, "%u", 1u);
    assert_int_equal(rc, GALEN_EINVAL);
    rc = GALEN_OK;
    html_fmt(&rc, &b, "%l", 1L);
    assert_int_equal(rc, GALEN_EINVAL);
    rc = GALEN_OK;
    html_fmt(&rc, &b, "tail %", 1L);
    assert_int_equal(rc, GALEN_EINVAL);
    buf_cleanup(&b);
}

static void test_html_fmt_respects_cap(void **state)
{
    struct buf b;
    int rc = GALEN_OK;

    UNUSED(state);
    buf_init(&b, 8);
    html_fmt(&rc, &b, "%s", "<<<<");
    assert_int_equal(rc, GALEN_ETOOBIG);
    buf_cleanup(&b);
}

static void test_html_urldec(void **state)
{
    char s[64];
    size_t n;

    UNUSED(state);
    memcpy(s, "a+b%20c%2fd%zz%4", 16);
    n = html_urldec(s, 16);
    assert_int_equal(n, 12);
    assert_memory_equal(s, "a b c/d%zz%4", 12);
    memcpy(s, "%00%", 4);
    n = html_urldec(s, 4);
    assert_int_equal(n, 2);
    assert_int_equal(s[0], 0);
    assert_int_equal(s[1], '%');
}

/* Writes the OOM test's template into b; returns its rc. */
static int oom_fmt(struct buf *b)
{
    int rc = GALEN_OK;

    html_fmt(&rc, b, "%s and %s", "<a long enough string to grow>",
             "another string that needs more room than sixty-four");
    buf_put_nul(&rc, b);
    return rc;
}

/* Every allocation the writer makes can fail, and each failure is ENOMEM;
 * once all of them succeed the output is exact. */
static void test_html_oom(void **state)
{
    static const char want[] =
        "&lt;a long enough string to grow&gt; and another string that needs "
        "more room than sixty-four";
    unsigned long before, need;
    struct buf b;
    long n;

    UNUSED(state);
    buf_init(&b, 1 << 20);
    before = mem_alloc_count();
    assert_int_equal(oom_fmt(&b), GALEN_OK);
    need = mem_alloc_count() - before;
    assert_string_equal((char *)b.data, want);
    buf_cleanup(&b);
    assert_true(need > 0);
    for (n = 0; n <= (long)need; n++) {
        int rc;

        buf_init(&b, 1 << 20);
        mem_fail_after(n);
        rc = oom_fmt(&b);
        mem_fail_after(-1);
        if (n < (long)need) {
            assert_int_equal(rc, GALEN_ENOMEM);
        } else {
            assert_int_equal(rc, GALEN_OK);
            assert_string_equal((char *)b.data, want);
        }
        buf_cleanup(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escapes_markup),
        cmocka_unit_test(test_html_keeps_utf8_and_replaces_invalid),
        cmocka_unit_test(test_html_fmt_escapes_by_default),
        cmocka_unit_test(test_html_fmt_rejects_unknown_conversion),
        cmocka_unit_test(test_html_fmt_respects_cap),
        cmocka_unit_test(test_html_urldec),
        cmocka_unit_test(test_html_oom),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
