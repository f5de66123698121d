/* SPDX-License-Identifier: MIT */
/* test_json_body.c: strict JSON request bodies (issue 10, findings 6 and
 * 7): exactly one object, no trailing data, no duplicate keys, no NUL or
 * control characters hidden behind escapes. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <stdbool.h>
#include <string.h>

#include "json_body.h"

static bool ok(const char *s)
{
    const char *why = NULL;
    cJSON *j = json_body_parse(s, strlen(s), &why);

    assert_non_null(why);
    cJSON_Delete(j);
    return j != NULL;
}

static void test_json_body_accepts_objects(void **state)
{
    (void)state;
    assert_true(ok("{}"));
    assert_true(ok(" {\"a\":1,\"b\":[1,{\"a\":2}]}\r\n"));
    assert_true(ok("{\"a\":\"tab\\there, line\\nbreak, \\\\u0000 is text\"}"));
    assert_true(ok("{\"a\":{\"x\":1},\"b\":{\"x\":1}}"));
    assert_true(ok("{\"s\":\"caf\\u00e9 {[\"}"));
}

static void test_json_body_refuses(void **state)
{
    const char *why = NULL;
    char deep[128];
    size_t i;

    (void)state;
    assert_false(ok("{\"name\":\"patient1\\u0000x\"}"));
    assert_false(ok("{\"name\":\"a\\u001fb\"}"));
    assert_false(ok("{\"name\\u0000\":\"x\"}"));
    assert_false(ok("{\"a\":1}garbage"));
    assert_false(ok("{\"a\":1}{\"a\":2}"));
    assert_false(ok("{\"a\":1,\"a\":2}"));
    assert_false(ok("{\"o\":{\"k\":1,\"k\":1}}"));
    assert_false(ok("[1,2]"));
    assert_false(ok("\"text\""));
    assert_false(ok("{\"a\":\"raw\ttab\"}"));
    assert_false(ok("{\"a\":"));
    assert_false(ok(""));
    assert_null(json_body_parse("{\"a\":\"x\0y\"}", 11, &why));
    assert_string_equal(why, "NUL byte in the body");
    for (i = 0; i < 40; i++)
        deep[i] = '[';
    deep[0] = '{';
    strcpy(deep + 1, "\"a\":");
    memset(deep + 5, '[', 40);
    deep[45] = '\0';
    assert_false(ok(deep));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_body_accepts_objects),
        cmocka_unit_test(test_json_body_refuses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
