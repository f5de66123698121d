/* SPDX-License-Identifier: MIT */
/* test_import_beir.c: BEIR corpus.jsonl lines and files: good lines, ids
 * given as numbers, titles made from text, and each kind of bad line,
 * reported with its line number while the rest of the file goes on. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <galen/error.h>
#include <galen/store.h>

#include "import/beir.h"
#include "import_test.h"

static int line(const char *s, struct doc *d, struct diag *diag)
{
    doc_cleanup(d);
    return import_beir_line(s, strlen(s), "test", d, diag);
}

static void test_import_beir_line(void **state)
{
    struct diag diag = {{0}, 0};
    struct doc d;

    (void)state;
    doc_init(&d);
    assert_int_equal(
        line("{\"_id\":\"a\",\"title\":\"T\",\"text\":\"Body.\"}", &d, &diag),
        GALEN_OK);
    assert_string_equal(d.id, "a");
    assert_string_equal(d.title, "T");
    assert_string_equal(d.source, "test");
    assert_int_equal(d.nsections, 1);
    assert_string_equal(d.sections[0].text, "Body.");
    assert_int_equal(line("{\"_id\":7,\"text\":\"x\"}", &d, &diag), GALEN_OK);
    assert_string_equal(d.id, "7");
    assert_string_equal(d.title, "x"); /* made from the text */
    assert_int_equal(line("   ", &d, &diag), GALEN_ENOENT);
    assert_int_equal(line("{\"_id\":\"e\",\"text\":\"\"}", &d, &diag),
                     GALEN_ENOENT);
    assert_int_equal(line("[1,2]", &d, &diag), GALEN_EPARSE);
    assert_int_equal(line("{\"_id\":\"a\"", &d, &diag), GALEN_EPARSE);
    assert_int_equal(line("{\"text\":\"no id\"}", &d, &diag), GALEN_EPARSE);
    assert_non_null(strstr(diag.msg, "_id"));
    assert_int_equal(line("{\"_id\":1.5,\"text\":\"x\"}", &d, &diag),
                     GALEN_EPARSE);
    assert_int_equal(line("{\"_id\":\"a\",\"text\":3}", &d, &diag),
                     GALEN_EPARSE);
    doc_cleanup(&d);
}

static void test_import_beir_long_title_is_cut(void **state)
{
    struct diag diag = {{0}, 0};
    struct doc d;

    (void)state;
    doc_init(&d);
    assert_int_equal(
        line("{\"_id\":\"a\",\"title\":\"\",\"text\":\"aaaa bbbb cccc dddd "
             "eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp "
             "qqqq rrrr ssss tttt\"}",
             &d, &diag),
        GALEN_OK);
    assert_true(strlen(d.title) < 100);
    assert_non_null(strstr(d.title, "\xe2\x80\xa6"));
    assert_null(strstr(d.title, "tttt"));
    doc_cleanup(&d);
}

static void test_import_beir_file_reports_lines(void **state)
{
    struct collected c;
    struct import_sink s = collect_sink(&c);
    struct diag diag = {{0}, 0};

    (void)state;
    assert_int_equal(
        import_beir_file("tests/data/beir/fixture/corpus.jsonl", &s, &diag),
        GALEN_OK);
    assert_int_equal(c.n, 4); /* d1, d2, 42, d7 */
    assert_non_null(collected(&c, "42"));
    assert_string_equal(jstr(collected(&c, "d1"), "source"), "fixture");
    assert_non_null(collected(&c, "d7")); /* no final newline */
    assert_int_equal(c.nbad, 3);
    assert_int_equal(c.bad_line[0], 4);
    assert_int_equal(c.bad_line[1], 5);
    assert_int_equal(c.bad_line[2], 8);
    collect_free(&c);
    assert_int_equal(import_beir_file("tests/data/beir/none.jsonl", &s, &diag),
                     GALEN_EIO);
}

static void test_import_beir_driver(void **state)
{
    const char *paths[] = {"tests/data/beir"};
    struct galen_import_opts opts = {false, NULL, NULL, NULL};
    struct galen_import_stats st;
    struct tmp_store t;

    (void)state;
    assert_true(tmp_store_open(&t));
    assert_int_equal(
        galen_import_paths(t.st, GALEN_IMPORT_BEIR, paths, 1, &opts, &st),
        GALEN_EPARSE);
    assert_int_equal(st.imported, 4);
    assert_int_equal(st.failed, 3);
    assert_int_equal(
        galen_import_paths(t.st, GALEN_IMPORT_BEIR, paths, 1, &opts, &st),
        GALEN_EPARSE);
    assert_int_equal(st.imported, 0);
    assert_int_equal(st.unchanged, 4);
    tmp_store_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_beir_line),
        cmocka_unit_test(test_import_beir_long_title_is_cut),
        cmocka_unit_test(test_import_beir_file_reports_lines),
        cmocka_unit_test(test_import_beir_driver),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
