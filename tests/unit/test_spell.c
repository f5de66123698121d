/* SPDX-License-Identifier: MIT */
/* test_spell.c: symmetric-delete spelling correction against a brute-force
 * reference, known words, tie-breaks and allocation failures. */
/* cmocka.h needs the headers before it, so clang-format must not sort it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include <galen/error.h>

#include "answer/spell.h"
#include "base/mem.h"

static struct spell *make(const char *const *words, const uint64_t *freq,
                          size_t n)
{
    struct spell *sp = NULL;
    size_t i;

    assert_int_equal(spell_new(&sp), GALEN_OK);
    for (i = 0; i < n; i++)
        assert_int_equal(
            spell_add(sp, words[i], strlen(words[i]), freq ? freq[i] : 1),
            GALEN_OK);
    assert_int_equal(spell_build(sp), GALEN_OK);
    return sp;
}

static void expect(const struct spell *sp, const char *q, const char *want)
{
    struct spell_hit h;
    bool ok = spell_correct(sp, q, strlen(q), &h);

    if (!want) {
        if (ok)
            fail_msg("'%s' corrected to '%.*s'", q, (int)h.len, h.word);
        return;
    }
    if (!ok)
        fail_msg("'%s' not corrected, want '%s'", q, want);
    if (h.len != strlen(want) || memcmp(h.word, want, h.len) != 0)
        fail_msg("'%s' -> '%.*s', want '%s'", q, (int)h.len, h.word, want);
}

static void test_spell_medical_words(void **state)
{
    static const char *const w[] = {"baclofen",  "cramps", "cramp",
                                    "calf",      "muscle", "potassium",
                                    "magnesium", "crams",  "spasm"};
    static const uint64_t f[] = {5, 40, 30, 20, 90, 15, 12, 1, 8};
    struct spell *sp = make(w, f, ARRAY_SIZE(w));

    UNUSED(state);
    expect(sp, "baclophen", "baclofen");
    expect(sp, "cramsp", "cramps");
    expect(sp, "musle", "muscle");
    expect(sp, "potasium", "potassium");
    expect(sp, "magnesuim", "magnesium");
    expect(sp, "cramps", NULL); /* known words are never corrected */
    expect(sp, "crams", NULL);
    expect(sp, "xyzzy", NULL);
    expect(sp, "cal", "calf"); /* short words: one edit */
    expect(sp, "cf", NULL);
    assert_int_equal(spell_size(sp), ARRAY_SIZE(w));
    assert_int_equal(spell_freq(sp, "calf", 4), 20);
    assert_int_equal(spell_freq(sp, "calves", 6), 0);
    spell_free(sp);
}

static void test_spell_prefers_frequent_then_bytes(void **state)
{
    static const char *const w[] = {"cart", "card", "care"};
    static const uint64_t f[] = {3, 9, 9};
    struct spell *sp = make(w, f, ARRAY_SIZE(w));

    UNUSED(state);
    expect(sp, "carx", "card");
    spell_free(sp);
}

static void test_spell_duplicate_adds_sum(void **state)
{
    struct spell *sp = NULL;

    UNUSED(state);
    assert_int_equal(spell_new(&sp), GALEN_OK);
    assert_int_equal(spell_add(sp, "leg", 3, 2), GALEN_OK);
    assert_int_equal(spell_add(sp, "leg", 3, 5), GALEN_OK);
    assert_int_equal(spell_add(sp, "", 0, 5), GALEN_OK);
    assert_int_equal(spell_size(sp), 1);
    assert_int_equal(spell_freq(sp, "leg", 3), 7);
    assert_int_equal(spell_build(sp), GALEN_OK);
    assert_int_equal(spell_add(sp, "arm", 3, 1), GALEN_ESTATE);
    spell_free(sp);
    spell_free(NULL);
}

/* A presized speller holds more words than it reserved, finds each, and
 * refuses a reservation once words are in. */
static void test_spell_reserve(void **state)
{
    struct spell *sp = NULL;
    char w[16];
    int k;

    UNUSED(state);
    assert_int_equal(spell_new(&sp), GALEN_OK);
    assert_int_equal(spell_reserve(sp, 10, 40), GALEN_OK);
    for (k = 0; k < 3000; k++) {
        int n = snprintf(w, sizeof w, "w%dx", k);
        assert_int_equal(spell_add(sp, w, (size_t)n, 1), GALEN_OK);
    }
    assert_int_equal(spell_size(sp), 3000);
    assert_int_equal(spell_freq(sp, "w2999x", 6), 1);
    assert_int_equal(spell_freq(sp, "w0x", 3), 1);
    assert_int_equal(spell_reserve(sp, 10, 40), GALEN_ESTATE);
    spell_free(sp);
}

static void test_spell_distance(void **state)
{
    UNUSED(state);
    assert_int_equal(spell_distance("abc", 3, "abc", 3, 2), 0);
    assert_int_equal(spell_distance("abc", 3, "acb", 3, 2), 1);
    assert_int_equal(spell_distance("baclophen", 9, "baclofen", 8, 2), 2);
    assert_int_equal(spell_distance("kitten", 6, "sitting", 7, 2), 3);
    assert_int_equal(spell_distance("", 0, "ab", 2, 2), 2);
    assert_int_equal(spell_distance("", 0, "abc", 3, 2), 3);
}

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void random_word(char *w, size_t *len)
{
    size_t i, n = 2 + rng() % 10;

    for (i = 0; i < n; i++)
        w[i] = (char)('a' + rng() % 5);
    *len = n;
}

/* The best hit by scanning every word: what the deletion index must find. */
static bool brute(char (*dict)[16], const size_t *dlen, size_t n,
                  const struct spell *sp, const char *q, size_t qlen,
                  struct spell_hit *best)
{
    unsigned max = qlen <= 4 ? 1 : 2;
    bool found = false;
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned d = spell_distance(q, qlen, dict[i], dlen[i], max);
        uint64_t f = spell_freq(sp, dict[i], dlen[i]);
        int c;

        if (d == 0 && qlen == dlen[i])
            return false;
        if (d > max)
            continue;
        c = found ? memcmp(dict[i], best->word, MIN(dlen[i], best->len)) : 0;
        if (!found || d < best->dist ||
            (d == best->dist &&
             (f > best->freq ||
              (f == best->freq &&
               (c < 0 || (c == 0 && dlen[i] < best->len)))))) {
            best->word = dict[i];
            best->len = dlen[i];
            best->dist = d;
            best->freq = f;
            found = true;
        }
    }
    return found;
}

static void test_spell_matches_brute_force(void **state)
{
    static char dict[300][16];
    static size_t dlen[300];
    struct spell *sp = NULL;
    size_t i, round;

    UNUSED(state);
    assert_int_equal(spell_new(&sp), GALEN_OK);
    for (i = 0; i < ARRAY_SIZE(dict); i++) {
        random_word(dict[i], &dlen[i]);
        assert_int_equal(spell_add(sp, dict[i], dlen[i], 1 + rng() % 4),
                         GALEN_OK);
    }
    assert_int_equal(spell_build(sp), GALEN_OK);
    for (round = 0; round < 3000; round++) {
        char q[16];
        size_t qlen;
        struct spell_hit a = {0}, b = {0};
        bool fa, fb;

        random_word(q, &qlen);
        fa = spell_correct(sp, q, qlen, &a);
        fb = brute(dict, dlen, ARRAY_SIZE(dict), sp, q, qlen, &b);
        assert_int_equal(fa, fb);
        if (fa) {
            assert_int_equal(a.dist, b.dist);
            assert_int_equal(a.len, b.len);
            assert_memory_equal(a.word, b.word, a.len);
        }
    }
    spell_free(sp);
}

static void test_spell_oom_sweep(void **state)
{
    static const char *const w[] = {"baclofen", "cramps", "calf", "muscle"};
    long n;

    UNUSED(state);
    for (n = 0; n < 100; n++) {
        struct spell *sp = NULL;
        int rc;
        size_t i;

        mem_fail_after(n);
        rc = spell_new(&sp);
        for (i = 0; rc == GALEN_OK && i < ARRAY_SIZE(w); i++)
            rc = spell_add(sp, w[i], strlen(w[i]), 1);
        if (rc == GALEN_OK)
            rc = spell_build(sp);
        mem_fail_after(-1);
        spell_free(sp);
        if (rc == GALEN_OK)
            return;
        assert_int_equal(rc, GALEN_ENOMEM);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spell_medical_words),
        cmocka_unit_test(test_spell_prefers_frequent_then_bytes),
        cmocka_unit_test(test_spell_duplicate_adds_sum),
        cmocka_unit_test(test_spell_reserve),
        cmocka_unit_test(test_spell_distance),
        cmocka_unit_test(test_spell_matches_brute_force),
        cmocka_unit_test(test_spell_oom_sweep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
