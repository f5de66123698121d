/* SPDX-License-Identifier: MIT */
/* test_auth.c: the permission table, Argon2id passwords, session and CSRF
 * tokens, and cookie helpers. */
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

#include "service/auth.h"

static int setup(void **state)
{
    UNUSED(state);
    return auth_init() == GALEN_OK ? 0 : -1;
}

static void test_auth_permission_table(void **state)
{
    UNUSED(state);
    /* Everyone may read; only the right roles may act. */
    assert_true(auth_role_can(GALEN_ROLE_ANON, GALEN_PERM_READ));
    assert_true(auth_role_can(GALEN_ROLE_ANON, GALEN_PERM_QUESTION_SUBMIT));
    assert_false(auth_role_can(GALEN_ROLE_ANON, GALEN_PERM_ACCOUNT));
    assert_false(auth_role_can(GALEN_ROLE_ANON, GALEN_PERM_REPLY));
    assert_false(auth_role_can(GALEN_ROLE_PATIENT, GALEN_PERM_REPLY));
    assert_false(auth_role_can(GALEN_ROLE_PATIENT, GALEN_PERM_REVIEW));
    assert_true(auth_role_can(GALEN_ROLE_SPECIALIST, GALEN_PERM_REPLY));
    assert_false(auth_role_can(GALEN_ROLE_SPECIALIST, GALEN_PERM_REVIEW));
    assert_false(auth_role_can(GALEN_ROLE_SPECIALIST, GALEN_PERM_MODERATE));
    assert_true(auth_role_can(GALEN_ROLE_EDITOR, GALEN_PERM_REVIEW));
    assert_true(auth_role_can(GALEN_ROLE_EDITOR, GALEN_PERM_MODERATE));
    assert_false(auth_role_can(GALEN_ROLE_EDITOR, GALEN_PERM_USERS));
    assert_false(auth_role_can(GALEN_ROLE_EDITOR, GALEN_PERM_REPLY));
    assert_true(auth_role_can(GALEN_ROLE_ADMIN, GALEN_PERM_USERS));
    assert_false(auth_role_can(GALEN_ROLE_ADMIN, GALEN_PERM_REVIEW));
    assert_false(auth_role_can(GALEN_ROLE_ADMIN, GALEN_PERM_REPLY));
    assert_false(auth_role_can(GALEN_ROLE_COUNT, GALEN_PERM_READ));
    assert_false(auth_role_can(GALEN_ROLE_ADMIN, GALEN_PERM_COUNT));
    assert_false(auth_role_can((enum galen_role) - 1, GALEN_PERM_READ));
}

static void test_auth_role_names(void **state)
{
    enum galen_role r = GALEN_ROLE_ANON;

    UNUSED(state);
    assert_int_equal(auth_role_parse("specialist", &r), GALEN_OK);
    assert_int_equal(r, GALEN_ROLE_SPECIALIST);
    assert_int_equal(auth_role_parse("reviewer", &r), GALEN_OK);
    assert_int_equal(r, GALEN_ROLE_EDITOR);
    assert_int_equal(auth_role_parse("anon", &r), GALEN_EINVAL);
    assert_int_equal(auth_role_parse("root", &r), GALEN_EINVAL);
    assert_int_equal(auth_role_parse(NULL, &r), GALEN_EINVAL);
    assert_string_equal(auth_role_name(GALEN_ROLE_ADMIN), "admin");
    assert_string_equal(auth_role_name(GALEN_ROLE_COUNT), "unknown");
    assert_string_equal(auth_perm_name(GALEN_PERM_REPLY), "reply");
}

static void test_auth_password_roundtrip(void **state)
{
    char h[AUTH_PWHASH_LEN];

    UNUSED(state);
    assert_int_equal(auth_password_hash("correct horse", h), GALEN_OK);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_true(auth_password_verify(h, "correct horse"));
    assert_false(auth_password_verify(h, "correct horsE"));
    assert_false(auth_password_verify(h, ""));
    assert_false(auth_password_verify(NULL, "correct horse"));
    assert_false(auth_password_verify("garbage", "correct horse"));
}

static void test_auth_password_length_limits(void **state)
{
    char h[AUTH_PWHASH_LEN];
    char longpw[GALEN_PASSWORD_MAX + 2];

    UNUSED(state);
    memset(longpw, 'a', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\0';
    assert_int_equal(auth_password_hash("short", h), GALEN_EINVAL);
    assert_int_equal(auth_password_hash(NULL, h), GALEN_EINVAL);
    assert_int_equal(auth_password_hash(longpw, h), GALEN_EINVAL);
}

static void test_auth_tokens(void **state)
{
    char a[GALEN_TOKEN_LEN + 1];
    char b[GALEN_TOKEN_LEN + 1];
    char ha[AUTH_TOKEN_HASH_LEN + 1];
    char ha2[AUTH_TOKEN_HASH_LEN + 1];

    UNUSED(state);
    auth_token_new(a);
    auth_token_new(b);
    assert_int_equal(strlen(a), GALEN_TOKEN_LEN);
    assert_true(auth_token_ok(a));
    assert_string_not_equal(a, b);
    auth_token_hash(a, ha);
    auth_token_hash(a, ha2);
    assert_int_equal(strlen(ha), AUTH_TOKEN_HASH_LEN);
    assert_string_equal(ha, ha2);
    assert_null(strstr(ha, a));
    assert_false(auth_token_ok("short"));
    assert_false(auth_token_ok(NULL));
    a[5] = '=';
    assert_false(auth_token_ok(a));
}

static void test_auth_csrf_bound_to_session(void **state)
{
    struct galen_csrf_key k1;
    struct galen_csrf_key k2;
    char s1[GALEN_TOKEN_LEN + 1];
    char s2[GALEN_TOKEN_LEN + 1];
    char c1[GALEN_TOKEN_LEN + 1];

    UNUSED(state);
    auth_csrf_key_init(&k1);
    auth_csrf_key_init(&k2);
    auth_token_new(s1);
    auth_token_new(s2);
    auth_csrf_token(&k1, s1, c1);
    assert_true(auth_csrf_check(&k1, s1, c1));
    assert_false(auth_csrf_check(&k1, s2, c1));
    assert_false(auth_csrf_check(&k2, s1, c1));
    assert_false(auth_csrf_check(&k1, s1, ""));
    assert_false(auth_csrf_check(&k1, s1, NULL));
    assert_false(auth_csrf_check(&k1, "", c1));
    c1[0] = c1[0] == 'A' ? 'B' : 'A';
    assert_false(auth_csrf_check(&k1, s1, c1));
}

static void test_auth_cookies(void **state)
{
    char out[200];
    char v[16];

    UNUSED(state);
    assert_int_equal(
        auth_cookie(out, sizeof out, "sid", "abc", "/", 3600, false), GALEN_OK);
    assert_string_equal(out, "sid=abc; Path=/; HttpOnly; SameSite=Strict; "
                             "Max-Age=3600");
    assert_int_equal(auth_cookie(out, sizeof out, "sid", "", "/", 0, true),
                     GALEN_OK);
    assert_non_null(strstr(out, "; Secure"));
    assert_int_equal(auth_cookie(out, 10, "sid", "abc", "/", 1, false),
                     GALEN_ETOOBIG);
    assert_int_equal(
        auth_cookie(out, sizeof out, "sid", "abc", "/galen", 60, false),
        GALEN_OK);
    assert_non_null(strstr(out, "; Path=/galen; "));
    assert_int_equal(
        auth_cookie(out, sizeof out, "sid", "abc", "/a;b", 60, false),
        GALEN_EINVAL);
    assert_int_equal(
        auth_cookie(out, sizeof out, "sid", "abc", "galen", 60, false),
        GALEN_EINVAL);
    assert_int_equal(auth_cookie_get("a=1; sid=xyz; b=2", "sid", v, sizeof v),
                     GALEN_OK);
    assert_string_equal(v, "xyz");
    assert_int_equal(auth_cookie_get("xsid=1;sid=", "sid", v, sizeof v),
                     GALEN_OK);
    assert_string_equal(v, "");
    assert_int_equal(auth_cookie_get("xsid=1", "sid", v, sizeof v),
                     GALEN_ENOENT);
    assert_int_equal(auth_cookie_get("", "sid", v, sizeof v), GALEN_ENOENT);
    assert_int_equal(
        auth_cookie_get("sid=0123456789abcdefXYZ", "sid", v, sizeof v),
        GALEN_ETOOBIG);
}

static void test_auth_ct_equal(void **state)
{
    UNUSED(state);
    assert_true(auth_ct_equal("abc", "abc"));
    assert_true(auth_ct_equal("", ""));
    assert_false(auth_ct_equal("abc", "abd"));
    assert_false(auth_ct_equal("abc", "abcd"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_permission_table),
        cmocka_unit_test(test_auth_role_names),
        cmocka_unit_test(test_auth_password_roundtrip),
        cmocka_unit_test(test_auth_password_length_limits),
        cmocka_unit_test(test_auth_tokens),
        cmocka_unit_test(test_auth_csrf_bound_to_session),
        cmocka_unit_test(test_auth_cookies),
        cmocka_unit_test(test_auth_ct_equal),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
