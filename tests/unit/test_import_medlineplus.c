/* SPDX-License-Identifier: MIT */
/* test_import_medlineplus.c: the MedlinePlus health-topics parser on the
 * fixture (tests/data/medlineplus, written in the public file's schema),
 * the summary HTML conversion, malformed files, and the import driver's
 * all-or-nothing transaction per file. */
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

#include "import/htmltext.h"
#include "import/medlineplus.h"
#include "import_test.h"

static const char fixture[] = "tests/data/medlineplus/mplus_topics_sample.xml";

static const char *section_text(const cJSON *d, int i)
{
    return jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "sections"), i),
                "text");
}

static const char *section_heading(const cJSON *d, int i)
{
    return jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "sections"), i),
                "heading");
}

static const char *meta(const cJSON *d, const char *key)
{
    return jstr(cJSON_GetObjectItem(d, "meta"), key);
}

static void test_import_medlineplus_english_topic(void **state)
{
    struct collected c;
    struct import_sink s = collect_sink(&c);
    struct diag diag = {{0}, 0};
    const cJSON *d;

    (void)state;
    assert_int_equal(import_medlineplus_file(fixture, &s, &diag), GALEN_OK);
    assert_int_equal(c.n, 5);
    assert_true(c.progress > 0);
    d = collected(&c, "medlineplus-9001");
    assert_non_null(d);
    assert_string_equal(jstr(d, "title"), "Muscle Cramps");
    assert_string_equal(jstr(d, "kind"), "consumer");
    assert_string_equal(jstr(d, "audience"), "patient");
    assert_string_equal(jstr(d, "evidence"), "consumer");
    assert_string_equal(jstr(d, "source"), "MedlinePlus");
    assert_string_equal(jstr(d, "url"),
                        "https://medlineplus.gov/musclecramps.html");
    assert_string_equal(jstr(d, "date"), "2005-03-14");
    assert_int_equal(jlen(d, "synonyms"), 3);
    assert_string_equal(jat(d, "synonyms", 0), "Charley horse");
    assert_string_equal(jat(d, "synonyms", 2), "Cramps, Muscle");
    assert_string_equal(jat(d, "focus", 0), "Muscle Cramp");
    assert_string_equal(meta(d, "language"), "English");
    assert_string_equal(meta(d, "groups"), "Bones, Joints and Muscles");
    assert_string_equal(meta(d, "related"), "Dehydration; Muscle Pain");
    assert_string_equal(meta(d, "mesh_ids"), "D009120");
    assert_string_equal(meta(d, "translation"),
                        "https://medlineplus.gov/spanish/musclecramps.html");
    /* The external <site> is left out: no references. */
    assert_int_equal(jlen(d, "references"), 0);
    assert_int_equal(jlen(d, "sections"), 1);
    assert_non_null(
        strstr(section_text(d, 0), "include:\n\n- Working a muscle too hard"));
    assert_non_null(
        strstr(section_text(d, 0), "long time\n- Losing too much fluid"));
    assert_non_null(strstr(section_text(d, 0),
                           "blood\n\nMost cramps fade within minutes."));
    assert_non_null(strstr(section_text(d, 0), "swelling & redness"));
    assert_null(strchr(section_text(d, 0), '<'));
    collect_free(&c);
}

static void test_import_medlineplus_spanish_and_headings(void **state)
{
    struct collected c;
    struct import_sink s = collect_sink(&c);
    struct diag diag = {{0}, 0};
    const cJSON *d;

    (void)state;
    assert_int_equal(import_medlineplus_file(fixture, &s, &diag), GALEN_OK);
    d = collected(&c, "medlineplus-9002");
    assert_non_null(d);
    assert_string_equal(jstr(d, "title"), "Calambres musculares");
    assert_string_equal(meta(d, "language"), "Spanish");
    assert_string_equal(jat(d, "synonyms", 0), "Espasmo muscular");
    assert_string_equal(meta(d, "groups"),
                        "Huesos, articulaciones y m\xc3\xbasculos");
    d = collected(&c, "medlineplus-9003");
    assert_non_null(d);
    assert_int_equal(jlen(d, "sections"), 3);
    assert_string_equal(section_heading(d, 0), "");
    assert_string_equal(section_heading(d, 1), "Who is at risk?");
    assert_string_equal(section_heading(d, 2), "Signs to watch for");
    assert_string_equal(section_text(d, 2),
                        "- Strong thirst and a dry mouth\n"
                        "- Passing little urine, or urine that is dark\n"
                        "- Feeling dizzy or tired\n\n"
                        "Drinking fluids usually fixes mild dehydration. "
                        "Severe dehydration needs care in a hospital right "
                        "away.");
    assert_int_equal(jlen(d, "focus"), 2);
    assert_string_equal(meta(d, "mesh_ids"), "D003681; D064806");
    assert_string_equal(meta(d, "groups"),
                        "Metabolic Problems; Food and Nutrition");
    collect_free(&c);
}

static void sections_of(const char *html, struct doc *d)
{
    doc_init(d);
    assert_int_equal(html_to_sections(html, strlen(html), d), GALEN_OK);
}

static void test_import_medlineplus_html_conversion(void **state)
{
    struct doc d;

    (void)state;
    sections_of("<p>One &amp; two &lt;3 &#233;t&#xE9; a < b &bogus; x</p>"
                "<p>  Next   para<br>line</p><!-- c --><ul><li>a</li>"
                "<li><a href='x'>b</a> c</li></ul>",
                &d);
    assert_int_equal(d.nsections, 1);
    assert_string_equal(d.sections[0].heading, "");
    assert_string_equal(d.sections[0].text,
                        "One & two <3 \xc3\xa9t\xc3\xa9 a < b &bogus; x\n\n"
                        "Next para\nline\n\n- a\n- b c");
    doc_cleanup(&d);
    sections_of("<h3>Only &amp; heading</h3>", &d);
    assert_int_equal(d.nsections, 1);
    assert_string_equal(d.sections[0].heading, "Only & heading");
    assert_string_equal(d.sections[0].text, "");
    doc_cleanup(&d);
    sections_of("", &d);
    assert_int_equal(d.nsections, 0);
    doc_cleanup(&d);
}

static void test_import_medlineplus_malformed(void **state)
{
    static const char noroot[] = "<topics><health-topic/></topics>";
    static const char nosummary[] =
        "<health-topics>\n<health-topic title=\"T\" url=\"u\" id=\"1\"/>"
        "\n</health-topics>";
    struct collected c;
    struct import_sink s = collect_sink(&c);
    struct diag diag = {{0}, 0};

    (void)state;
    assert_int_equal(import_medlineplus_file(
                         "tests/data/medlineplus-bad/broken.xml", &s, &diag),
                     GALEN_EPARSE);
    assert_int_equal(diag.line, 7);
    assert_non_null(strstr(diag.msg, "malformed XML"));
    assert_int_equal(import_medlineplus_file(
                         "tests/data/medlineplus-bad/nourl.xml", &s, &diag),
                     GALEN_EPARSE);
    assert_int_equal(diag.line, 3);
    assert_non_null(strstr(diag.msg, "url"));
    assert_int_equal(
        import_medlineplus_memory(noroot, sizeof noroot - 1, "n", &s, &diag),
        GALEN_EPARSE);
    assert_non_null(strstr(diag.msg, "health-topics"));
    assert_int_equal(import_medlineplus_memory(nosummary, sizeof nosummary - 1,
                                               "n", &s, &diag),
                     GALEN_EPARSE);
    assert_int_equal(diag.line, 2);
    assert_non_null(strstr(diag.msg, "full-summary"));
    assert_int_equal(
        import_medlineplus_file("tests/data/medlineplus/none.xml", &s, &diag),
        GALEN_EIO);
    collect_free(&c);
}

static void test_import_medlineplus_driver_all_or_nothing(void **state)
{
    const char *paths[] = {"tests/data/medlineplus",
                           "tests/data/medlineplus-bad/broken.xml"};
    struct galen_import_opts opts = {false, NULL, NULL, NULL};
    struct galen_import_stats st;
    struct galen_store_counts n;
    struct tmp_store t;

    (void)state;
    assert_int_equal(galen_import_format_parse("medlineplus",
                                               &(enum galen_import_format){0}),
                     GALEN_OK);
    assert_true(tmp_store_open(&t));
    assert_int_equal(galen_import_paths(t.st, GALEN_IMPORT_MEDLINEPLUS, paths,
                                        2, &opts, &st),
                     GALEN_EPARSE);
    assert_int_equal(st.imported, 5);
    assert_int_equal(st.failed, 1);
    /* The broken file's valid first topic was rolled back with it. */
    assert_int_equal(galen_store_counts(t.st, &n), GALEN_OK);
    assert_int_equal(n.docs, 5);
    assert_int_equal(galen_import_paths(t.st, GALEN_IMPORT_MEDLINEPLUS, paths,
                                        1, &opts, &st),
                     GALEN_OK);
    assert_int_equal(st.unchanged, 5);
    assert_int_equal(tmp_store_close(&t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_medlineplus_english_topic),
        cmocka_unit_test(test_import_medlineplus_spanish_and_headings),
        cmocka_unit_test(test_import_medlineplus_html_conversion),
        cmocka_unit_test(test_import_medlineplus_malformed),
        cmocka_unit_test(test_import_medlineplus_driver_all_or_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
