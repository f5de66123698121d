/* SPDX-License-Identifier: MIT */
/* test_base.c: error table, allocator hook, buf, varint and str. */
/* cmocka.h needs these standard headers first, so the block is unsorted. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include <galen/error.h>

#include "base/buf.h"
#include "base/fileio.h"
#include "base/json.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/varint.h"
#include "test_util.h"

static void test_error_table(void **state)
{
    UNUSED(state);
    assert_string_equal(galen_strerror(GALEN_OK), "success");
    assert_string_equal(galen_strerror(GALEN_ENOMEM), "out of memory");
    assert_string_equal(galen_errname(GALEN_ECORRUPT), "ECORRUPT");
    assert_string_equal(galen_strerror(-1), "unknown error");
    assert_string_equal(galen_strerror(GALEN_ERR_COUNT), "unknown error");
}

static void test_varint_roundtrip(void **state)
{
    unsigned char b[VARINT_MAX_LEN];
    int i;

    UNUSED(state);
    rng_seed(0x9e3779b97f4a7c15ULL);
    for (i = 0; i < 100000; i++) {
        uint64_t v = rng() >> (rng() % 64);
        uint64_t got = 0;
        size_t n = varint_encode(b, v);

        assert_int_equal(n, varint_len(v));
        assert_int_equal(varint_decode(b, n, &got), n);
        assert_true(got == v);
        if (n > 1)
            assert_int_equal(varint_decode(b, n - 1, &got), 0);
    }
}

static void test_varint_rejects_overlong(void **state)
{
    unsigned char b[12];
    uint64_t v;

    UNUSED(state);
    memset(b, 0xff, sizeof b);
    assert_int_equal(varint_decode(b, sizeof b, &v), 0);
    b[9] = 0x02; /* 10th byte may only hold one bit */
    assert_int_equal(varint_decode(b, sizeof b, &v), 0);
}

static void test_buf_cap_and_sticky(void **state)
{
    struct buf b;
    int rc = GALEN_OK;
    unsigned char *p;
    size_t len;

    UNUSED(state);
    buf_init(&b, 8);
    buf_put(&rc, &b, "abcd", 4);
    buf_put_u32le(&rc, &b, 0x01020304);
    assert_int_equal(rc, GALEN_OK);
    buf_put_byte(&rc, &b, 'x');
    assert_int_equal(rc, GALEN_ETOOBIG);
    buf_put_str(&rc, &b, "ignored");
    assert_int_equal(b.len, 8);
    assert_int_equal(get_u32le(b.data + 4), 0x01020304);
    p = buf_take(&b, &len);
    assert_int_equal(len, 8);
    assert_null(b.data);
    galen_free(p);
}

static void test_buf_printf_and_oom(void **state)
{
    struct buf b;
    int rc = GALEN_OK;

    UNUSED(state);
    buf_init(&b, 1 << 20);
    buf_printf(&rc, &b, "%d-%s", 42, "x");
    buf_put_nul(&rc, &b);
    assert_int_equal(rc, GALEN_OK);
    assert_string_equal((char *)b.data, "42-x");
    buf_cleanup(&b);
    mem_fail_after(0);
    buf_put_str(&rc, &b, "y");
    mem_fail_after(-1);
    assert_int_equal(rc, GALEN_ENOMEM);
    buf_cleanup(&b);
}

/* The one whole-file reader: files, empty files, pipes, limits, absence. */
static void test_fileio_read_all(void **state)
{
    char dir[TMP_DIR_MAX], path[128];
    unsigned char *data = (unsigned char *)dir; /* not NULL */
    size_t len = 99;
    FILE *f;

    UNUSED(state);
    tmp_dir(dir);
    snprintf(path, sizeof path, "%s/f", dir);
    assert_int_equal(fileio_read_all(path, 10, &data, &len), GALEN_ENOENT);
    assert_null(data);
    f = fopen(path, "wb");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(fileio_read_all(path, 10, &data, &len), GALEN_OK);
    assert_int_equal(len, 0);
    assert_string_equal((char *)data, "");
    galen_free(data);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("0123456789", f);
    fclose(f);
    assert_int_equal(fileio_read_all(path, 10, &data, &len), GALEN_OK);
    assert_int_equal(len, 10);
    assert_string_equal((char *)data, "0123456789");
    galen_free(data);
    assert_int_equal(fileio_read_all(path, 9, &data, &len), GALEN_ETOOBIG);
    assert_null(data);
    /* A pipe has no size to trust. */
    f = popen("printf 'piped text'", "r");
    assert_non_null(f);
    snprintf(path, sizeof path, "/dev/fd/%d", fileno(f));
    assert_int_equal(fileio_read_all(path, 100, &data, &len), GALEN_OK);
    assert_int_equal(len, 10);
    assert_string_equal((char *)data, "piped text");
    galen_free(data);
    pclose(f);
    assert_int_equal(tmp_rm(dir), 0);
}

/* The one JSON escaper: what documents, answers and eval --json share. */
static void test_json_escapes(void **state)
{
    static const char in[] = "a\"b\\c\n\t\x01\x1f\x7f\xc3\xa9/";
    struct buf b;
    int rc = GALEN_OK;

    UNUSED(state);
    buf_init(&b, 256);
    json_put_str(&rc, &b, in);
    buf_put_byte(&rc, &b, ' ');
    json_put_str(&rc, &b, NULL);
    buf_put_byte(&rc, &b, ' ');
    json_put_strn(&rc, &b, "x\0y", 3);
    buf_put_nul(&rc, &b);
    assert_int_equal(rc, GALEN_OK);
    assert_string_equal((char *)b.data,
                        "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\\u007f\xc3\xa9/\" "
                        "null \"x\\u0000y\"");
    buf_cleanup(&b);
}

static void test_str_parse(void **state)
{
    long v = 7;
    double d = 0;

    UNUSED(state);
    assert_int_equal(str_to_long("123", 0, 1000, &v), GALEN_OK);
    assert_int_equal(v, 123);
    assert_int_equal(str_to_long("12x", 0, 1000, &v), GALEN_EPARSE);
    assert_int_equal(str_to_long("", 0, 1000, &v), GALEN_EPARSE);
    assert_int_equal(str_to_long("1001", 0, 1000, &v), GALEN_EPARSE);
    assert_int_equal(v, 123);
    assert_int_equal(str_to_double("0.75", &d), GALEN_OK);
    assert_float_equal(d, 0.75, 1e-12);
    assert_int_equal(str_to_double("nan", &d), GALEN_EPARSE);
    assert_true(str_eq_cstr(STR_LIT("abc"), "abc"));
    assert_true(str_cmp(STR_LIT("ab"), STR_LIT("abc")) < 0);
}

static void test_str_next_line(void **state)
{
    const char text[] = "one\r\n\ntwo\nthree";
    size_t pos = 0;
    struct str ln;

    UNUSED(state);
    assert_true(str_next_line(text, strlen(text), &pos, &ln));
    assert_true(str_eq_cstr(ln, "one"));
    assert_true(str_next_line(text, strlen(text), &pos, &ln));
    assert_int_equal(ln.len, 0);
    assert_true(str_next_line(text, strlen(text), &pos, &ln));
    assert_true(str_eq_cstr(ln, "two"));
    assert_true(str_next_line(text, strlen(text), &pos, &ln));
    assert_true(str_eq_cstr(ln, "three"));
    assert_false(str_next_line(text, strlen(text), &pos, &ln));
    pos = 0;
    assert_false(str_next_line("", 0, &pos, &ln));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_table),
        cmocka_unit_test(test_str_next_line),
        cmocka_unit_test(test_varint_roundtrip),
        cmocka_unit_test(test_varint_rejects_overlong),
        cmocka_unit_test(test_buf_cap_and_sticky),
        cmocka_unit_test(test_buf_printf_and_oom),
        cmocka_unit_test(test_str_parse),
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_fileio_read_all),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
