/* SPDX-License-Identifier: MIT */
/* test_utf8.c: decoding (valid and every kind of invalid sequence),
 * encoding round trip, validation, sanitizing, classes and folding. */

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

#include "base/utf8.h"

struct decode_case {
    const char *in;
    size_t len;
    uint32_t cp;
    size_t used;
};

static void check_decode(const struct decode_case *c)
{
    uint32_t cp = 0;
    size_t n = utf8_decode(c->in, c->len, &cp);

    assert_int_equal(n, c->used);
    assert_int_equal(cp, c->cp);
}

static void test_utf8_decode_valid(void **state)
{
    static const struct decode_case cases[] = {
        {"A", 1, 'A', 1},
        {"\xC3\xA9", 2, 0xE9, 2},
        {"\xE4\xB8\xAD", 3, 0x4E2D, 3},
        {"\xF0\x9F\x98\x80", 4, 0x1F600, 4},
        {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4},
        {"\xEF\xBF\xBD", 3, 0xFFFD, 3},
        {"\xC2\x80", 2, 0x80, 2},
        {"\xE0\xA0\x80", 3, 0x800, 3},
        {"\xF0\x90\x80\x80", 4, 0x10000, 4},
    };
    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(cases); i++)
        check_decode(&cases[i]);
}

static void test_utf8_decode_invalid(void **state)
{
    static const struct decode_case cases[] = {
        {"\x80", 1, UTF8_REPLACEMENT, 1},             /* stray continuation */
        {"\xBF\x41", 2, UTF8_REPLACEMENT, 1},         /* stray continuation */
        {"\xC0\xAF", 2, UTF8_REPLACEMENT, 1},         /* overlong '/' */
        {"\xC1\xBF", 2, UTF8_REPLACEMENT, 1},         /* overlong */
        {"\xE0\x80\xAF", 3, UTF8_REPLACEMENT, 1},     /* overlong 3-byte */
        {"\xE0\x9F\xBF", 3, UTF8_REPLACEMENT, 1},     /* overlong 3-byte */
        {"\xF0\x80\x80\xAF", 4, UTF8_REPLACEMENT, 1}, /* overlong 4-byte */
        {"\xED\xA0\x80", 3, UTF8_REPLACEMENT, 1},     /* surrogate D800 */
        {"\xED\xBF\xBF", 3, UTF8_REPLACEMENT, 1},     /* surrogate DFFF */
        {"\xF4\x90\x80\x80", 4, UTF8_REPLACEMENT, 1}, /* above U+10FFFF */
        {"\xF5\x80\x80\x80", 4, UTF8_REPLACEMENT, 1}, /* F5 never valid */
        {"\xFF", 1, UTF8_REPLACEMENT, 1},
        {"\xE2\x82", 2, UTF8_REPLACEMENT, 2},         /* truncated at end */
        {"\xE2\x82\x41", 3, UTF8_REPLACEMENT, 2},     /* cut by 'A' */
        {"\xF0\x9F\x98", 3, UTF8_REPLACEMENT, 3},     /* truncated 4-byte */
        {"\xF0\x9F\x98\x20", 4, UTF8_REPLACEMENT, 3}, /* cut by space */
        {"\xC3", 1, UTF8_REPLACEMENT, 1},             /* lone lead byte */
    };
    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(cases); i++)
        check_decode(&cases[i]);
}

static void test_utf8_encode_roundtrip(void **state)
{
    uint32_t cp;
    char b[4];

    UNUSED(state);
    for (cp = 0; cp <= 0x10FFFF; cp++) {
        uint32_t back = 0;
        size_t n = utf8_encode(cp, b);

        if (cp >= 0xD800 && cp <= 0xDFFF) {
            assert_int_equal(n, 0);
            continue;
        }
        assert_int_equal(n, cp < 0x80      ? 1
                            : cp < 0x800   ? 2
                            : cp < 0x10000 ? 3
                                           : 4);
        assert_int_equal(utf8_decode(b, n, &back), n);
        assert_int_equal(back, cp);
        assert_true(utf8_is_valid(b, n));
    }
    assert_int_equal(utf8_encode(0x110000, b), 0);
}

static void test_utf8_validate(void **state)
{
    UNUSED(state);
    assert_true(utf8_is_valid("", 0));
    assert_true(utf8_is_valid("M\xC3\xA9ni\xC3\xA8re", 9));
    assert_true(utf8_is_valid("\xEF\xBF\xBD", 3)); /* a literal U+FFFD */
    assert_false(utf8_is_valid("ab\xC0\xAF", 4));
    assert_int_equal(utf8_valid_prefix("ab\xC0\xAF", 4), 2);
    assert_int_equal(utf8_valid_prefix("ab\xE2\x82", 4), 2);
    assert_int_equal(utf8_valid_prefix("\xED\xA0\x80", 3), 0);
    assert_int_equal(utf8_valid_prefix("a\0b", 3), 3); /* NUL is valid */
}

static void test_utf8_sanitize(void **state)
{
    struct buf b;
    int rc = GALEN_OK;

    UNUSED(state);
    buf_init(&b, 1024);
    utf8_sanitize(&rc, &b,
                  "a\xFF"
                  "b\xE2\x82"
                  "c\xE2\x82",
                  8);
    assert_int_equal(rc, GALEN_OK);
    assert_int_equal(b.len, 12);
    assert_memory_equal(b.data,
                        "a\xEF\xBF\xBD"
                        "b\xEF\xBF\xBD"
                        "c\xEF\xBF\xBD",
                        12);
    assert_true(utf8_is_valid((const char *)b.data, b.len));
    buf_cleanup(&b);
}

static void test_utf8_classes(void **state)
{
    UNUSED(state);
    assert_int_equal(utf8_class('a'), UTF8_LETTER);
    assert_int_equal(utf8_class('Z'), UTF8_LETTER);
    assert_int_equal(utf8_class('5'), UTF8_DIGIT);
    assert_int_equal(utf8_class('\''), UTF8_APOS);
    assert_int_equal(utf8_class('-'), UTF8_HYPHEN);
    assert_int_equal(utf8_class(' '), UTF8_SEP);
    assert_int_equal(utf8_class('.'), UTF8_SEP);
    assert_int_equal(utf8_class(0xE9), UTF8_LETTER);   /* é */
    assert_int_equal(utf8_class(0xD7), UTF8_SEP);      /* × */
    assert_int_equal(utf8_class(0xB0), UTF8_SEP);      /* ° */
    assert_int_equal(utf8_class(0xB2), UTF8_DIGIT);    /* ² */
    assert_int_equal(utf8_class(0xAD), UTF8_MARK);     /* soft hyphen */
    assert_int_equal(utf8_class(0x301), UTF8_MARK);    /* combining acute */
    assert_int_equal(utf8_class(0x2019), UTF8_APOS);   /* ’ */
    assert_int_equal(utf8_class(0x2010), UTF8_HYPHEN); /* ‐ */
    assert_int_equal(utf8_class(0x2013), UTF8_SEP);    /* en dash */
    assert_int_equal(utf8_class(0x200B), UTF8_SEP);    /* zero width space */
    assert_int_equal(utf8_class(0x3B1), UTF8_LETTER);  /* α */
    assert_int_equal(utf8_class(0x416), UTF8_LETTER);  /* Ж */
    assert_int_equal(utf8_class(0x660), UTF8_DIGIT);   /* Arabic-Indic 0 */
    assert_int_equal(utf8_class(0x4E2D), UTF8_IDEO);   /* 中 */
    assert_int_equal(utf8_class(0x3042), UTF8_IDEO);   /* hiragana a */
    assert_int_equal(utf8_class(0x30A2), UTF8_LETTER); /* katakana a */
    assert_int_equal(utf8_class(0x20000), UTF8_IDEO);
    assert_int_equal(utf8_class(0xFFFD), UTF8_SEP);
    assert_int_equal(utf8_class(0x1F600), UTF8_SEP); /* emoji */
    assert_int_equal(utf8_class(0x110000), UTF8_SEP);
}

static void check_fold(const char *in, const char *want)
{
    char out[64];
    size_t n = utf8_fold(in, strlen(in), NULL, out, sizeof out);

    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, n);
}

static void test_utf8_fold_latin(void **state)
{
    UNUSED(state);
    check_fold("M\xC3\xA9ni\xC3\xA8re", "meniere"); /* Ménière */
    check_fold("MENI\xC3\x88RE", "meniere");        /* MENIÈRE */
    check_fold("Stra\xC3\x9F"
               "e",
               "strasse");                /* Straße */
    check_fold("\xC3\x86ther", "aether"); /* Æther */
    check_fold("\xC5\x92"
               "d\xC3\xA8me",
               "oedeme");                  /* Œdème */
    check_fold("\xC3\x98rsted", "orsted"); /* Ørsted */
    check_fold("\xC5\x81\xC3\xB3"
               "d\xC5\xBA",
               "lodz");                               /* Łódź */
    check_fold("\xC3\x85ngstr\xC3\xB6m", "angstrom"); /* Ångström */
    check_fold("\xC3\x87"
               "a",
               "ca"); /* Ça */
    check_fold("\xC3\xBEorn \xC3\x90"
               "e",
               "thornde");                                   /* þorn Ðe */
    check_fold("\xC4\xB3\xC4\x91\xC4\xA7\xC4\xB1", "ijdhi"); /* ĳđħı */
    check_fold("\xC7\x84\xC6\x92", "dzf");                   /* Ǆƒ */
    check_fold("e\xCC\x81t\xCC\x81", "et");                  /* decomposed */
    check_fold("Na\xC3\xAFve caf\xC3\xA9", "naivecafe");
    check_fold("\xEF\xBD\x86\xEF\xBD\x95\xEF\xBC\xAC", "ful"); /* fullwidth */
    check_fold("\xEF\xAC\x81"
               "brosis",
               "fibrosis");               /* ﬁ */
    check_fold("x\xC2\xB2", "x2");        /* x² */
    check_fold("\xD9\xA1\xD9\xA2", "12"); /* ١٢ */
    check_fold("Tr\xE1\xBB\x8B", "tri");  /* Vietnamese */
}

static void test_utf8_fold_other_scripts(void **state)
{
    UNUSED(state);
    check_fold("\xCE\x91\xCE\x92\xCE\x93",
               "\xCE\xB1\xCE\xB2\xCE\xB3"); /* ΑΒΓ */
    check_fold("\xCE\xAC", "\xCE\xB1");     /* ά -> α */
    check_fold("\xCF\x82", "\xCF\x83");     /* ς -> σ */
    check_fold("\xC2\xB5", "\xCE\xBC");     /* µ -> μ */
    check_fold("\xD0\x9C\xD0\x98\xD0\xA0",
               "\xD0\xBC\xD0\xB8\xD1\x80"); /* МИР */
    check_fold("\xD0\x99", "\xD0\xB9");     /* Й -> й */
    check_fold("\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87");
}

static void test_utf8_fold_drops_and_keeps(void **state)
{
    char out[64];
    size_t n;

    UNUSED(state);
    check_fold("don't x-ray a\xE2\x80\x99"
               "b",
               "dontxrayab");
    check_fold("a\xFF"
               "b\xC0\xAF"
               "c",
               "abc"); /* invalid bytes drop */
    check_fold("\xEF\xBF\xBD", "");
    n = utf8_fold("mg/dL, 2.5", 10, "/.", out, sizeof out);
    assert_int_equal(n, 8);
    assert_memory_equal(out, "mg/dl2.5", 8);
    n = utf8_fold("a\0b", 3, "", out, sizeof out); /* NUL never kept */
    assert_int_equal(n, 2);
}

static void test_utf8_fold_cap_on_boundary(void **state)
{
    char out[8];
    size_t n;

    UNUSED(state);
    n = utf8_fold("\xC3\x86\xC3\x86\xC3\x86", 6, NULL, out, 3); /* ÆÆÆ */
    assert_int_equal(n, 2);
    assert_memory_equal(out, "ae", 2);
    n = utf8_fold("\xCE\xB1\xCE\xB2", 4, NULL, out, 3); /* αβ */
    assert_int_equal(n, 2);
    n = utf8_fold("abc", 3, NULL, out, 0);
    assert_int_equal(n, 0);
    assert_int_equal(utf8_cut("a\xC3\xA9", 3, 2), 1);
    assert_int_equal(utf8_cut("a\xC3\xA9", 3, 3), 3);
    assert_int_equal(utf8_cut("a\xC3\xA9", 3, 9), 3);
    assert_int_equal(utf8_cut("\xE4\xB8\xAD", 3, 2), 0);
}

static void test_utf8_fold_cp_every_char(void **state)
{
    uint32_t cp;

    UNUSED(state);
    for (cp = 0; cp <= 0x10FFFF; cp++) {
        char out[UTF8_FOLD_MAX];
        enum utf8_class k = utf8_class(cp);
        size_t n = utf8_fold_cp(cp, out);
        bool word = k == UTF8_LETTER || k == UTF8_DIGIT || k == UTF8_IDEO;

        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        assert_true(n <= UTF8_FOLD_MAX);
        assert_int_equal(n > 0, word); /* word characters never vanish */
        assert_true(utf8_is_valid(out, n));
    }
}

static void test_utf8_text_ok(void **state)
{
    UNUSED(state);
    assert_true(utf8_text_ok("hello\n\tworld \xC3\xA9", 15));
    assert_false(utf8_text_ok("nul\0x", 5));
    assert_false(utf8_text_ok("esc\x1b", 4));
    assert_false(utf8_text_ok("bad\xFF", 4));
    assert_true(utf8_text_ok("", 0));
}

/* The one validity check the document checks, HTML escaping and snippets
 * share: one sequence's length, 0 for anything invalid. */
static void test_utf8_seq_len(void **state)
{
    static const struct {
        const char *s;
        size_t want;
    } cases[] = {
        {"a", 1},
        {"\xc3\xa9x", 2},
        {"\xe2\x82\xac", 3},
        {"\xef\xbf\xbd", 3}, /* a real U+FFFD is valid */
        {"\xf0\x9f\x98\x80", 4},
        {"\xf4\x8f\xbf\xbf", 4}, /* U+10FFFF */
        {"\x80", 0},             /* stray continuation */
        {"\xc0\x80", 0},         /* overlong NUL */
        {"\xc1\xbf", 0},
        {"\xe0\x80\x80", 0}, /* overlong */
        {"\xed\xa0\x80", 0}, /* surrogate */
        {"\xf0\x80\x80\x80", 0},
        {"\xf4\x90\x80\x80", 0}, /* above U+10FFFF */
        {"\xf5\x80\x80\x80", 0},
        {"\xe2\x82", 0}, /* truncated */
        {"\xe2\x28\xa1", 0},
    };

    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(cases); i++)
        assert_int_equal(utf8_seq_len(cases[i].s, strlen(cases[i].s)),
                         cases[i].want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_text_ok),
        cmocka_unit_test(test_utf8_decode_valid),
        cmocka_unit_test(test_utf8_decode_invalid),
        cmocka_unit_test(test_utf8_encode_roundtrip),
        cmocka_unit_test(test_utf8_validate),
        cmocka_unit_test(test_utf8_sanitize),
        cmocka_unit_test(test_utf8_classes),
        cmocka_unit_test(test_utf8_fold_latin),
        cmocka_unit_test(test_utf8_fold_other_scripts),
        cmocka_unit_test(test_utf8_fold_drops_and_keeps),
        cmocka_unit_test(test_utf8_fold_cap_on_boundary),
        cmocka_unit_test(test_utf8_fold_cp_every_char),
        cmocka_unit_test(test_utf8_seq_len),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
