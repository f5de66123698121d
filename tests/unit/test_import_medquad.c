/* SPDX-License-Identifier: MIT */
/* test_import_medquad.c: the MedQuAD parser on one small fixture per schema
 * variant (tests/data/medquad), on malformed files, through the import
 * driver into a store, and on the real collection when it is present. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <dirent.h>
#include <sys/stat.h>

#include <galen/error.h>
#include <galen/store.h>

#include "import/medquad.h"
#include "import_test.h"

static void parse_file(const char *path, struct collected *c)
{
    struct import_sink s = collect_sink(c);
    struct diag diag = {{0}, 0};

    assert_int_equal(import_medquad_file(path, &s, &diag), GALEN_OK);
}

static void test_import_medquad_document_schema(void **state)
{
    struct collected c;
    const cJSON *d;

    (void)state;
    parse_file("tests/data/medquad/0000101.xml", &c);
    assert_int_equal(c.n, 2);
    d = collected(&c, "GHR_0000101_Sec1");
    assert_non_null(d);
    assert_string_equal(jstr(d, "title"),
                        "What is (are) calf cramp syndrome ?");
    assert_string_equal(jstr(d, "kind"), "qa");
    assert_string_equal(jstr(d, "question_type"), "information");
    assert_string_equal(jstr(d, "url"),
                        "https://example.org/condition/calf-cramp-syndrome");
    assert_string_equal(jstr(d, "source"), "Genetics Home Reference (NLM)");
    assert_string_equal(jstr(d, "semantic_group"), "Disorders");
    assert_string_equal(jat(d, "focus", 0), "calf cramp syndrome");
    assert_int_equal(jlen(d, "cuis"), 2);
    assert_string_equal(jat(d, "cuis", 1), "C0000002");
    assert_string_equal(jat(d, "semantic_types", 0), "T047");
    assert_string_equal(jat(d, "synonyms", 1), "night calf cramp disorder");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(d, "has_answer")));
    /* Lines are trimmed and collapsed; the blank line stays a break. */
    assert_string_equal(
        jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "sections"), 0), "text"),
        "Calf cramp syndrome is a made-up condition used to test galen. It "
        "causes sudden\ntightening of the calf.\n\nKey Points\n- It is "
        "harmless.\n- It is fictional & brief.");
    d = collected(&c, "GHR_0000101_Sec2");
    assert_string_equal(jstr(d, "question_type"), "treatment");
    assert_string_equal(
        jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "sections"), 0), "text"),
        "Stretching the calf <gently> helps.");
    collect_free(&c);
}

static void test_import_medquad_bare_umls(void **state)
{
    struct collected c;
    const cJSON *d;

    (void)state;
    parse_file("tests/data/medquad/0000202.xml", &c);
    assert_int_equal(c.n, 1);
    d = collected(&c, "CDC_0000202_Sec1");
    assert_non_null(d);
    assert_string_equal(jat(d, "cuis", 0), "C0000003");
    assert_string_equal(jat(d, "semantic_types", 0), "T005");
    assert_string_equal(jstr(d, "semantic_group"), "Living Beings");
    assert_string_equal(jstr(d, "question_type"), "susceptibility");
    collect_free(&c);
}

static void test_import_medquad_lowercase_ninds(void **state)
{
    struct collected c;
    const cJSON *d;

    (void)state;
    parse_file("tests/data/medquad/0000303.xml", &c);
    assert_int_equal(c.n, 2);
    d = collected(&c, "NINDS_0000303_Sec2");
    assert_non_null(d);
    assert_string_equal(jstr(d, "title"),
                        "what is the outlook for imaginary neuropathy ?");
    assert_string_equal(jat(d, "focus", 0), "Imaginary neuropathy");
    assert_int_equal(jlen(d, "cuis"), 0); /* <cui></cui> adds nothing */
    assert_null(jstr(d, "semantic_group"));
    collect_free(&c);
}

static void test_import_medquad_diseasefile(void **state)
{
    struct collected c;
    const cJSON *d;

    (void)state;
    parse_file("tests/data/medquad/0000404.xml", &c);
    assert_int_equal(c.n, 1);
    d = collected(&c, "CDC_0000404_Sec1");
    assert_non_null(d);
    assert_string_equal(jat(d, "focus", 0), "Parasites - Pretend worm");
    assert_string_equal(
        jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "sections"), 0), "text"),
        "The pretend worm lives only in fixtures. People don't catch it.");
    collect_free(&c);
}

static void test_import_medquad_questions_without_answers(void **state)
{
    struct collected c;
    const cJSON *d;

    (void)state;
    parse_file("tests/data/medquad/0000505.xml", &c);
    assert_int_equal(c.n, 2);
    d = collected(&c, "ADAM_0000505_Sec3"); /* <Answer/> */
    assert_non_null(d);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "has_answer")));
    assert_int_equal(jlen(d, "sections"), 0);
    d = collected(&c, "ADAM_0000505_Sec1"); /* <Answer></Answer> */
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(d, "has_answer")));
    collect_free(&c);
}

static void test_import_medquad_repeated_id_uses_file_name(void **state)
{
    struct collected c;

    (void)state;
    parse_file("tests/data/medquad/0000606_2_1.xml", &c);
    assert_int_equal(c.n, 1);
    assert_non_null(collected(&c, "CancerGov_0000606_2_1_Sec1"));
    collect_free(&c);
}

static void test_import_medquad_malformed(void **state)
{
    struct collected c;
    struct import_sink s = collect_sink(&c);
    struct diag diag = {{0}, 0};
    static const char junk[] = "<Document id='1' source='X'><QAPairs>";

    (void)state;
    assert_int_equal(
        import_medquad_file("tests/data/medquad-bad/broken.xml", &s, &diag),
        GALEN_EPARSE);
    assert_true(diag.line > 0);
    assert_non_null(strstr(diag.msg, "malformed XML"));
    assert_int_equal(
        import_medquad_file("tests/data/medquad-bad/nopid.xml", &s, &diag),
        GALEN_EPARSE);
    assert_non_null(strstr(diag.msg, "pid"));
    assert_int_equal(
        import_medquad_memory(junk, sizeof junk - 1, "j", &s, &diag),
        GALEN_EPARSE);
    assert_int_equal(import_medquad_memory("<x/>", 4, "x.xml", &s, &diag),
                     GALEN_EPARSE);
    assert_int_equal(
        import_medquad_file("tests/data/medquad/missing.xml", &s, &diag),
        GALEN_EIO);
    collect_free(&c);
}

struct errors {
    int n;
    char first[300];
};

static void count_error(void *ctx, const char *file, long line, const char *msg)
{
    struct errors *e = ctx;

    if (e->n++ == 0)
        snprintf(e->first, sizeof e->first, "%s:%ld: %s", file, line, msg);
}

static void test_import_medquad_driver_idempotent(void **state)
{
    const char *paths[] = {"tests/data/medquad",
                           "tests/data/medquad-bad/broken.xml"};
    struct errors e = {0, ""};
    struct galen_import_opts opts = {false, count_error, NULL, &e};
    struct galen_import_stats st;
    struct galen_store_counts n;
    struct tmp_store t;

    (void)state;
    assert_true(tmp_store_open(&t));
    assert_int_equal(
        galen_import_paths(t.st, GALEN_IMPORT_MEDQUAD, paths, 2, &opts, &st),
        GALEN_EPARSE);
    assert_int_equal(st.imported, 9);
    assert_int_equal(st.failed, 1);
    assert_int_equal(e.n, 1);
    assert_non_null(strstr(e.first, "broken.xml:"));
    assert_int_equal(
        galen_import_paths(t.st, GALEN_IMPORT_MEDQUAD, paths, 1, &opts, &st),
        GALEN_OK);
    assert_int_equal(st.imported, 0);
    assert_int_equal(st.unchanged, 9);
    assert_int_equal(galen_store_counts(t.st, &n), GALEN_OK);
    assert_int_equal(n.docs, 9);
    assert_int_equal(n.answered, 7);
    assert_int_equal(n.versions, 0);
    opts.strict = true;
    assert_int_equal(galen_import_paths(t.st, GALEN_IMPORT_MEDQUAD, paths + 1,
                                        1, &opts, &st),
                     GALEN_EABORT);
    tmp_store_close(&t);
}

/* Counts pairs without keeping them: the real collection is large. */
struct tally {
    unsigned long docs, answered;
};

static int tally_doc(void *ctx, struct doc *d, long line)
{
    struct tally *t = ctx;

    (void)line;
    t->docs++;
    t->answered += d->has_answer;
    return GALEN_OK;
}

static void walk(const char *dir, struct tally *t, int *failures)
{
    struct import_sink s = {tally_doc, NULL, NULL, NULL, t};
    DIR *d = opendir(dir);
    const struct dirent *e;
    char path[1024];
    struct stat sb;

    assert_non_null(d);
    for (e = readdir(d); e; e = readdir(d)) {
        struct diag diag = {{0}, 0};
        size_t n = strlen(e->d_name);

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0)
            *failures += import_medquad_file(path, &s, &diag) != GALEN_OK;
        else if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            walk(path, t, failures);
    }
    closedir(d);
}

static void test_import_medquad_real_collection(void **state)
{
    struct tally t = {0, 0};
    char dir[512];
    int failures = 0;

    (void)state;
    snprintf(dir, sizeof dir, "%s/data/medquad", shared_dir());
    if (access(dir, R_OK) != 0) {
        skip();
        return;
    }
    walk(dir, &t, &failures);
    assert_int_equal(failures, 0);
    assert_int_equal(t.docs, 47457);
    assert_int_equal(t.answered, 16423);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_medquad_document_schema),
        cmocka_unit_test(test_import_medquad_bare_umls),
        cmocka_unit_test(test_import_medquad_lowercase_ninds),
        cmocka_unit_test(test_import_medquad_diseasefile),
        cmocka_unit_test(test_import_medquad_questions_without_answers),
        cmocka_unit_test(test_import_medquad_repeated_id_uses_file_name),
        cmocka_unit_test(test_import_medquad_malformed),
        cmocka_unit_test(test_import_medquad_driver_idempotent),
        cmocka_unit_test(test_import_medquad_real_collection),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
