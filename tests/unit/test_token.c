/* SPDX-License-Identifier: MIT */
/* test_token.c: every tokenizer rule of docs/analysis.md, with each token's
 * span checked against the input bytes, its position and its kind. */

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

#include "base/common.h"
#include "text/token.h"

struct want {
    const char *span; /* exact input bytes of the token */
    uint32_t pos;
    int kind;
};

enum { MAX_TOKENS = 128 };

struct got {
    struct token t[MAX_TOKENS];
    size_t n;
};

/* Tokenizes s and checks the invariants every token must keep. */
static void tokenize(const char *s, size_t len, struct got *g)
{
    struct tokenizer tk;
    struct token t;
    uint32_t last_start = 0, last_pos = 0;

    g->n = 0;
    tokenizer_init(&tk, s, len);
    while (tokenizer_next(&tk, &t)) {
        assert_true(t.start < t.end && t.end <= len);
        assert_true(t.tstart >= t.start && t.tend <= t.end);
        assert_true(t.start >= last_start && t.pos >= last_pos);
        last_start = t.start;
        last_pos = t.pos;
        if (g->n < MAX_TOKENS)
            g->t[g->n++] = t;
    }
    assert_false(tokenizer_next(&tk, &t)); /* stays at the end */
}

static void check(const char *s, const struct want *w, size_t n)
{
    struct got g;
    size_t i;

    tokenize(s, strlen(s), &g);
    if (g.n != n) {
        for (i = 0; i < g.n; i++)
            print_message("  got '%.*s' pos %u kind %d\n",
                          (int)(g.t[i].end - g.t[i].start), s + g.t[i].start,
                          g.t[i].pos, g.t[i].kind);
    }
    assert_int_equal(g.n, n);
    for (i = 0; i < n; i++) {
        const struct token *t = &g.t[i];
        size_t len = strlen(w[i].span);

        assert_int_equal(t->end - t->start, len);
        assert_memory_equal(s + t->start, w[i].span, len);
        assert_int_equal(t->pos, w[i].pos);
        assert_int_equal(t->kind, w[i].kind);
    }
}

#define CHECK(s, ...)                                  \
    do {                                               \
        static const struct want w_[] = {__VA_ARGS__}; \
        check((s), w_, ARRAY_SIZE(w_));                \
    } while (0)

static void test_token_words_and_offsets(void **state)
{
    UNUSED(state);
    CHECK("Hello, world!", {"Hello", 0, TOKEN_WORD}, {"world", 1, TOKEN_WORD});
    CHECK("  tabs\tand\nnewlines  ", {"tabs", 0, TOKEN_WORD},
          {"and", 1, TOKEN_WORD}, {"newlines", 2, TOKEN_WORD});
    CHECK("M\xC3\xA9ni\xC3\xA8re disease",
          {"M\xC3\xA9ni\xC3\xA8re", 0, TOKEN_WORD}, {"disease", 1, TOKEN_WORD});
    check("", NULL, 0);
    check(" .,;!?()[] ", NULL, 0);
}

static void test_token_numbers(void **state)
{
    UNUSED(state);
    CHECK("0.5 2.5 1.2.3", {"0.5", 0, TOKEN_NUM}, {"2.5", 1, TOKEN_NUM},
          {"1.2.3", 2, TOKEN_NUM});
    CHECK("1,000 patients; 10,000,000", {"1,000", 0, TOKEN_NUM},
          {"patients", 1, TOKEN_WORD}, {"10,000,000", 2, TOKEN_NUM});
    CHECK("1,2 and 1,0000", {"1", 0, TOKEN_NUM}, {"2", 1, TOKEN_NUM},
          {"and", 2, TOKEN_WORD}, {"1", 3, TOKEN_NUM}, {"0000", 4, TOKEN_NUM});
    CHECK("take .5 mg", {"take", 0, TOKEN_WORD}, {".5", 1, TOKEN_NUM},
          {"mg", 2, TOKEN_WORD});
    CHECK("in 2019. Then", {"in", 0, TOKEN_WORD}, {"2019", 1, TOKEN_NUM},
          {"Then", 2, TOKEN_WORD});
}

static void test_token_ranges(void **state)
{
    UNUSED(state);
    CHECK("10-20 mg", {"10", 0, TOKEN_NUM}, {"20", 1, TOKEN_NUM},
          {"mg", 2, TOKEN_WORD});
    CHECK("0.5-1.0", {"0.5", 0, TOKEN_NUM}, {"1.0", 1, TOKEN_NUM});
    CHECK("10-20mg", {"10", 0, TOKEN_NUM}, {"20", 1, TOKEN_NUM},
          {"mg", 2, TOKEN_WORD});
    CHECK("2019-03-05", {"2019", 0, TOKEN_NUM}, {"03", 1, TOKEN_NUM},
          {"05", 2, TOKEN_NUM});
    CHECK("10\xE2\x80\x93"
          "20",
          {"10", 0, TOKEN_NUM}, {"20", 1, TOKEN_NUM});
}

static void test_token_units(void **state)
{
    UNUSED(state);
    CHECK("10 mg/day", {"10", 0, TOKEN_NUM}, {"mg/day", 1, TOKEN_UNIT},
          {"mg", 1, TOKEN_WORD}, {"day", 2, TOKEN_WORD});
    CHECK("5mg daily", {"5", 0, TOKEN_NUM}, {"mg", 1, TOKEN_WORD},
          {"daily", 2, TOKEN_WORD});
    CHECK("2.5mmol/L", {"2.5", 0, TOKEN_NUM}, {"mmol/L", 1, TOKEN_UNIT},
          {"mmol", 1, TOKEN_WORD}, {"L", 2, TOKEN_WORD});
    CHECK("10 mg/kg/day", {"10", 0, TOKEN_NUM}, {"mg/kg/day", 1, TOKEN_UNIT},
          {"mg", 1, TOKEN_WORD}, {"kg", 2, TOKEN_WORD}, {"day", 3, TOKEN_WORD});
    CHECK("37.5\xC2\xB0"
          "C",
          {"37.5", 0, TOKEN_NUM}, {"C", 1, TOKEN_WORD});
    CHECK("1,000mg", {"1,000", 0, TOKEN_NUM}, {"mg", 1, TOKEN_WORD});
    CHECK("1.5x", {"1.5", 0, TOKEN_NUM}, {"x", 1, TOKEN_WORD});
    CHECK("5\xC2\xB5g", {"5", 0, TOKEN_NUM}, {"\xC2\xB5g", 1, TOKEN_WORD});
    CHECK("and/or HIV/AIDS", {"and", 0, TOKEN_WORD}, {"or", 1, TOKEN_WORD},
          {"HIV", 2, TOKEN_WORD}, {"AIDS", 3, TOKEN_WORD});
    CHECK("mg/whatever", {"mg", 0, TOKEN_WORD}, {"whatever", 1, TOKEN_WORD});
    CHECK("120/80", {"120", 0, TOKEN_NUM}, {"80", 1, TOKEN_NUM});
    assert_true(token_is_unit("mg", 2));
    assert_true(token_is_unit("\xCE\xBCg", 3));
    assert_false(token_is_unit("mgx", 3));
    assert_false(token_is_unit("s", 1)); /* 1990s stays whole */
    assert_false(token_is_unit("", 0));
}

static void test_token_unit_list_sorted(void **state)
{
    static const char *const some[] = {"bpm", "d",   "h",    "iu", "kg",
                                       "l",   "mcg", "mmhg", "u",  "yrs"};
    size_t i;

    UNUSED(state);
    /* The binary search only finds these if the table is sorted. */
    for (i = 0; i < ARRAY_SIZE(some); i++)
        assert_true(token_is_unit(some[i], strlen(some[i])));
}

static void test_token_alphanumerics(void **state)
{
    UNUSED(state);
    CHECK("b12 HbA1c t4 covid19", {"b12", 0, TOKEN_ALNUM},
          {"HbA1c", 1, TOKEN_ALNUM}, {"t4", 2, TOKEN_ALNUM},
          {"covid19", 3, TOKEN_ALNUM});
    CHECK("5q31 1990s 3rd", {"5q31", 0, TOKEN_ALNUM}, {"1990s", 1, TOKEN_ALNUM},
          {"3rd", 2, TOKEN_ALNUM});
    CHECK("H1N1", {"H1N1", 0, TOKEN_ALNUM});
}

static void test_token_hyphen_compounds(void **state)
{
    UNUSED(state);
    CHECK("covid-19 vaccine", {"covid-19", 0, TOKEN_COMPOUND},
          {"covid", 0, TOKEN_WORD}, {"19", 1, TOKEN_NUM},
          {"vaccine", 2, TOKEN_WORD});
    CHECK("X-ray", {"X-ray", 0, TOKEN_COMPOUND}, {"X", 0, TOKEN_WORD},
          {"ray", 1, TOKEN_WORD});
    CHECK("a beta-blocker", {"a", 0, TOKEN_WORD},
          {"beta-blocker", 1, TOKEN_COMPOUND}, {"beta", 1, TOKEN_WORD},
          {"blocker", 2, TOKEN_WORD});
    CHECK("over-the-counter", {"over-the-counter", 0, TOKEN_COMPOUND},
          {"over", 0, TOKEN_WORD}, {"the", 1, TOKEN_WORD},
          {"counter", 2, TOKEN_WORD});
    CHECK("5-HT3", {"5-HT3", 0, TOKEN_COMPOUND}, {"5", 0, TOKEN_NUM},
          {"HT3", 1, TOKEN_ALNUM});
    CHECK("pre- and post-op", {"pre", 0, TOKEN_WORD}, {"and", 1, TOKEN_WORD},
          {"post-op", 2, TOKEN_COMPOUND}, {"post", 2, TOKEN_WORD},
          {"op", 3, TOKEN_WORD});
    CHECK("x\xE2\x80\x90ray", {"x\xE2\x80\x90ray", 0, TOKEN_COMPOUND},
          {"x", 0, TOKEN_WORD}, {"ray", 1, TOKEN_WORD});
    CHECK("a--b", {"a", 0, TOKEN_WORD}, {"b", 1, TOKEN_WORD});
    CHECK("anti-44U", {"anti-44U", 0, TOKEN_COMPOUND}, {"anti", 0, TOKEN_WORD},
          {"44", 1, TOKEN_NUM}, {"U", 2, TOKEN_WORD});
}

static void test_token_compound_flags(void **state)
{
    struct got g;

    UNUSED(state);
    tokenize("covid-19", 8, &g);
    assert_int_equal(g.n, 3);
    assert_true(g.t[0].flags & TOKEN_F_DIGITS);
    assert_true(g.t[0].flags & TOKEN_F_ASCII);
    assert_false(g.t[0].flags & TOKEN_F_PART);
    assert_true(g.t[1].flags & TOKEN_F_PART);
    assert_true(g.t[2].flags & TOKEN_F_PART);
    tokenize("x\xE2\x80\x90ray", 7, &g);
    assert_false(g.t[0].flags & TOKEN_F_ASCII); /* U+2010 in the term */
    assert_false(g.t[0].flags & TOKEN_F_DIGITS);
}

static void test_token_long_hyphen_chain(void **state)
{
    char s[64];
    struct got g;
    size_t i;

    UNUSED(state);
    for (i = 0; i < 20; i++) {
        s[2 * i] = (char)('a' + i);
        s[2 * i + 1] = '-';
    }
    s[39] = '\0'; /* a-b-c-...-t: 20 parts */
    tokenize(s, 39, &g);
    /* 16 parts make one compound, the other 4 the next one. */
    assert_int_equal(g.n, 1 + 16 + 1 + 4);
    assert_int_equal(g.t[0].kind, TOKEN_COMPOUND);
    assert_int_equal(g.t[0].end - g.t[0].start, 31);
    assert_int_equal(g.t[17].kind, TOKEN_COMPOUND);
    assert_int_equal(g.t[17].start, 32);
    assert_int_equal(g.t[17].pos, 16);
    assert_int_equal(g.t[21].pos, 19);
}

static void test_token_possessives_and_clitics(void **state)
{
    UNUSED(state);
    CHECK("Parkinson's disease", {"Parkinson", 0, TOKEN_WORD},
          {"disease", 1, TOKEN_WORD});
    CHECK("patients' rights", {"patients", 0, TOKEN_WORD},
          {"rights", 1, TOKEN_WORD});
    CHECK("M\xC3\xA9ni\xC3\xA8re\xE2\x80\x99s",
          {"M\xC3\xA9ni\xC3\xA8re", 0, TOKEN_WORD});
    CHECK("Crohn's-like", {"Crohn", 0, TOKEN_WORD}, {"like", 1, TOKEN_WORD});
    CHECK("the 1990's", {"the", 0, TOKEN_WORD}, {"1990", 1, TOKEN_NUM});
    CHECK("it's", {"it", 0, TOKEN_WORD});
    CHECK("we'll they\xE2\x80\x99re I've you'd I'M ill", {"we", 0, TOKEN_WORD},
          {"they", 1, TOKEN_WORD}, {"I", 2, TOKEN_WORD}, {"you", 3, TOKEN_WORD},
          {"I", 4, TOKEN_WORD}, {"ill", 5, TOKEN_WORD});
}

static void test_token_inner_apostrophes(void **state)
{
    UNUSED(state);
    CHECK("O'Brien don't", {"O'Brien", 0, TOKEN_WORD},
          {"don't", 1, TOKEN_WORD});
    CHECK("rock'n'roll", {"rock'n'roll", 0, TOKEN_WORD});
    CHECK("'quoted'", {"quoted", 0, TOKEN_WORD});
    CHECK("isn\xE2\x80\x99t", {"isn\xE2\x80\x99t", 0, TOKEN_WORD});
    CHECK("Parkinson's's", {"Parkinson", 0, TOKEN_WORD}, {"s", 1, TOKEN_WORD});
}

static void test_token_acronyms(void **state)
{
    UNUSED(state);
    CHECK("e.g. 5 mg b.i.d. in the U.S", {"e.g.", 0, TOKEN_ACRONYM},
          {"5", 1, TOKEN_NUM}, {"mg", 2, TOKEN_WORD},
          {"b.i.d.", 3, TOKEN_ACRONYM}, {"in", 4, TOKEN_WORD},
          {"the", 5, TOKEN_WORD}, {"U.S", 6, TOKEN_ACRONYM});
    CHECK("vitamin A. Then", {"vitamin", 0, TOKEN_WORD}, {"A", 1, TOKEN_WORD},
          {"Then", 2, TOKEN_WORD});
    CHECK("A.Smith", {"A", 0, TOKEN_WORD}, {"Smith", 1, TOKEN_WORD});
}

static void test_token_urls(void **state)
{
    static const char s[] = "see https://www.nlm.nih.gov/medlineplus/x.html.";
    struct got g;

    UNUSED(state);
    CHECK(s, {"see", 0, TOKEN_WORD},
          {"https://www.nlm.nih.gov/medlineplus/x.html", 1, TOKEN_URL});
    tokenize(s, strlen(s), &g);
    assert_int_equal(g.t[1].tend - g.t[1].tstart, 11);
    assert_memory_equal(s + g.t[1].tstart, "nlm.nih.gov", 11);
    CHECK("(www.cdc.gov/flu)", {"www.cdc.gov/flu", 0, TOKEN_URL});
    CHECK("HTTP://Example.ORG:8080/a?b=c#d, x",
          {"HTTP://Example.ORG:8080/a?b=c#d", 0, TOKEN_URL},
          {"x", 1, TOKEN_WORD});
    CHECK("http:// nothing", {"http", 0, TOKEN_WORD},
          {"nothing", 1, TOKEN_WORD});
    CHECK("www. x", {"www", 0, TOKEN_WORD}, {"x", 1, TOKEN_WORD});
}

static void test_token_emails(void **state)
{
    UNUSED(state);
    CHECK("mail john.doe@nih.gov.", {"mail", 0, TOKEN_WORD},
          {"john.doe@nih.gov", 1, TOKEN_EMAIL});
    CHECK("a+b_c%d-e@x-y.example.com",
          {"a+b_c%d-e@x-y.example.com", 0, TOKEN_EMAIL});
    CHECK("user@localhost", {"user", 0, TOKEN_WORD},
          {"localhost", 1, TOKEN_WORD});
    CHECK("x@y.c", {"x", 0, TOKEN_WORD}, {"y.c", 1, TOKEN_ACRONYM});
}

static void test_token_ideographs_and_scripts(void **state)
{
    UNUSED(state);
    CHECK("\xE4\xB8\xAD\xE6\x96\x87 abc", {"\xE4\xB8\xAD", 0, TOKEN_IDEO},
          {"\xE6\x96\x87", 1, TOKEN_IDEO}, {"abc", 2, TOKEN_WORD});
    CHECK("\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91 \xD0\x9C\xD0\xB8\xD1\x80",
          {"\xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91", 0, TOKEN_WORD},
          {"\xD0\x9C\xD0\xB8\xD1\x80", 1, TOKEN_WORD});
    CHECK("e\xCC\x81t\xCC\x81"
          "e",
          {"e\xCC\x81t\xCC\x81"
           "e",
           0, TOKEN_WORD});
    CHECK("\xCC\x81"
          "a",
          {"a", 0, TOKEN_WORD}); /* a mark cannot start */
}

static void test_token_invalid_utf8(void **state)
{
    UNUSED(state);
    CHECK("ab\xFF"
          "cd",
          {"ab", 0, TOKEN_WORD}, {"cd", 1, TOKEN_WORD});
    CHECK("ab\xC0\xAF"
          "cd",
          {"ab", 0, TOKEN_WORD}, {"cd", 1, TOKEN_WORD});
    CHECK("ab\xED\xA0\x80"
          "cd",
          {"ab", 0, TOKEN_WORD}, {"cd", 1, TOKEN_WORD});
    CHECK("ab\xE2\x82", {"ab", 0, TOKEN_WORD});
    CHECK("\x80\x80"
          "x\xF0\x9F\x98",
          {"x", 0, TOKEN_WORD});
    CHECK("a\xEF\xBF\xBD"
          "b",
          {"a", 0, TOKEN_WORD}, {"b", 1, TOKEN_WORD});
}

static void test_token_long_token(void **state)
{
    char *s = malloc(100001);
    struct got g;

    UNUSED(state);
    assert_non_null(s);
    memset(s, 'a', 100000);
    s[100000] = '\0';
    tokenize(s, 100000, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.t[0].start, 0);
    assert_int_equal(g.t[0].end, 100000);
    free(s);
}

static void test_token_embedded_nul(void **state)
{
    struct got g;

    UNUSED(state);
    tokenize("ab\0cd", 5, &g);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.t[1].start, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_words_and_offsets),
        cmocka_unit_test(test_token_numbers),
        cmocka_unit_test(test_token_ranges),
        cmocka_unit_test(test_token_units),
        cmocka_unit_test(test_token_unit_list_sorted),
        cmocka_unit_test(test_token_alphanumerics),
        cmocka_unit_test(test_token_hyphen_compounds),
        cmocka_unit_test(test_token_compound_flags),
        cmocka_unit_test(test_token_long_hyphen_chain),
        cmocka_unit_test(test_token_possessives_and_clitics),
        cmocka_unit_test(test_token_inner_apostrophes),
        cmocka_unit_test(test_token_acronyms),
        cmocka_unit_test(test_token_urls),
        cmocka_unit_test(test_token_emails),
        cmocka_unit_test(test_token_ideographs_and_scripts),
        cmocka_unit_test(test_token_invalid_utf8),
        cmocka_unit_test(test_token_long_token),
        cmocka_unit_test(test_token_embedded_nul),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
