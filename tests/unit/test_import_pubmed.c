/* SPDX-License-Identifier: MIT */
/* test_import_pubmed.c: the PubMed parser on the project's own fixtures
 * (tests/data/pubmed): every publication-type mapping, abstract sections,
 * dates, DOIs, skipped and bad records, gzip input, malformed XML, and the
 * import driver's batches and failure reports. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <zlib.h>

#include <galen/error.h>
#include <galen/store.h>

#include "import/pubmed.h"
#include "import_test.h"

static const char types_xml[] = "tests/data/pubmed/types.xml";

static void parse_types(struct collected *c)
{
    struct import_sink s = collect_sink(c);
    struct diag diag = {{0}, 0};

    assert_int_equal(import_pubmed_file(types_xml, &s, &diag), GALEN_OK);
}

/* The fixture holds one article per mapping; its expected level. */
static const struct {
    const char *id;
    const char *evidence;
} expected[] = {
    {"PubMed_90000001", "guideline"},         /* + Review */
    {"PubMed_90000002", "meta-analysis"},     /* + Systematic Review */
    {"PubMed_90000003", "systematic-review"}, /* + Review */
    {"PubMed_90000004", "rct"},               /* + Clinical Trial, Phase III */
    {"PubMed_90000005", "clinical-trial"},
    {"PubMed_90000006", "cohort"}, /* Observational Study */
    {"PubMed_90000007", "case-report"},
    {"PubMed_90000008", "review"},
    {"PubMed_90000009", "other"},         /* Letter, Comment */
    {"PubMed_90000010", "guideline"},     /* Consensus Development Conference */
    {"PubMed_90000011", "meta-analysis"}, /* Network Meta-Analysis */
    {"PubMed_90000012", "clinical-trial"}, /* Controlled Clinical Trial */
    {"PubMed_90000013", "review"},         /* Scoping Review */
    {"PubMed_90000020", "other"},          /* Journal Article only */
};

static void test_import_pubmed_every_type_mapping(void **state)
{
    struct collected c;
    size_t i;

    (void)state;
    parse_types(&c);
    assert_int_equal(c.n, ARRAY_SIZE(expected));
    for (i = 0; i < ARRAY_SIZE(expected); i++) {
        const cJSON *d = collected(&c, expected[i].id);

        assert_non_null(d);
        assert_string_equal(jstr(d, "evidence"), expected[i].evidence);
        assert_string_equal(jstr(d, "kind"), "research");
        assert_string_equal(jstr(d, "audience"), "clinician");
    }
    collect_free(&c);
}

static void test_import_pubmed_evidence_precedence(void **state)
{
    struct doc_strlist l = {0};

    (void)state;
    assert_int_equal(import_pubmed_evidence(&l), DOC_EVIDENCE_NONE);
    assert_int_equal(doc_strlist_add(&l, "Journal Article", 15), GALEN_OK);
    assert_int_equal(import_pubmed_evidence(&l), DOC_EVIDENCE_OTHER);
    assert_int_equal(doc_strlist_add(&l, "Case Reports", 12), GALEN_OK);
    assert_int_equal(import_pubmed_evidence(&l), DOC_EVIDENCE_CASE_REPORT);
    assert_int_equal(doc_strlist_add(&l, "Observational Study", 19), GALEN_OK);
    assert_int_equal(import_pubmed_evidence(&l), DOC_EVIDENCE_COHORT);
    assert_int_equal(doc_strlist_add(&l, "Randomized Controlled Trial", 27),
                     GALEN_OK);
    assert_int_equal(import_pubmed_evidence(&l), DOC_EVIDENCE_RCT);
    assert_int_equal(doc_strlist_add(&l, "Practice Guideline", 18), GALEN_OK);
    assert_int_equal(import_pubmed_evidence(&l), DOC_EVIDENCE_GUIDELINE);
    doc_strlist_cleanup(&l);
}

static const char *section(const cJSON *d, int i, const char *key)
{
    return jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "sections"), i), key);
}

static void test_import_pubmed_fields(void **state)
{
    struct collected c;
    const cJSON *d;

    (void)state;
    parse_types(&c);
    d = collected(&c, "PubMed_90000001");
    assert_string_equal(jstr(d, "pmid"), "90000001");
    assert_string_equal(jstr(d, "doi"), "10.9999/galen.90000001");
    assert_string_equal(jstr(d, "date"), "2020-03-05");
    assert_string_equal(jstr(d, "source"),
                        "Journal of Fictional Muscle Medicine");
    assert_string_equal(jstr(d, "authors"),
                        "Example AB, Sample C, Galen Cramp Study Group");
    assert_string_equal(jstr(d, "url"),
                        "https://pubmed.ncbi.nlm.nih.gov/90000001/");
    assert_string_equal(jat(d, "focus", 0), "Muscle Cramp");
    assert_int_equal(jlen(d, "pub_types"), 3);
    assert_int_equal(jlen(d, "sections"), 4);
    assert_string_equal(section(d, 0, "heading"), "BACKGROUND");
    assert_string_equal(section(d, 1, "heading"), "METHODS");
    assert_string_equal(section(d, 1, "text"),
                        "We studied a made-up group of adults.");
    assert_string_equal(section(d, 3, "heading"), "CONCLUSIONS");
    collect_free(&c);
}

static void test_import_pubmed_unlabelled_abstract(void **state)
{
    struct collected c;
    const cJSON *d;

    (void)state;
    parse_types(&c);
    d = collected(&c, "PubMed_90000020");
    assert_non_null(d);
    assert_string_equal(jstr(d, "title"), "Serum K+ and cramps in dialysis.");
    assert_int_equal(jlen(d, "sections"), 1);
    assert_string_equal(section(d, 0, "heading"), "");
    assert_string_equal(section(d, 0, "text"),
                        "Potassium (K+) levels were measured.\n\n"
                        "Cramps were <rare> & brief.");
    assert_string_equal(jstr(d, "date"), "1998");           /* MedlineDate */
    assert_string_equal(jstr(d, "doi"), "10.9999/eloc.20"); /* ELocationID */
    assert_string_equal(jstr(d, "pmid"), "90000020");       /* not CommentsIn */
    collect_free(&c);
}

static void test_import_pubmed_skips_and_bad_records(void **state)
{
    struct collected c;

    (void)state;
    parse_types(&c);
    assert_int_equal(c.nskip, 3); /* no abstract, book, deletion */
    assert_int_equal(c.nbad, 1);  /* no PMID */
    assert_true(c.bad_line[0] > 600);
    assert_non_null(strstr(c.bad_msg[0], "PMID"));
    assert_true(c.progress > 0);
    collect_free(&c);
}

static void test_import_pubmed_gzip(void **state)
{
    struct collected c;
    struct import_sink s = collect_sink(&c);
    struct diag diag = {{0}, 0};
    char dir[64], path[128], buf[4096];
    FILE *in = fopen(types_xml, "rb");
    gzFile out;
    size_t n;

    (void)state;
    assert_non_null(in);
    tmp_dir(dir);
    snprintf(path, sizeof path, "%s/in.xml.gz", dir);
    out = gzopen(path, "wb");
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(gzwrite(out, buf, (unsigned)n), (int)n);
    fclose(in);
    assert_int_equal(gzclose(out), Z_OK);
    assert_int_equal(import_pubmed_file(path, &s, &diag), GALEN_OK);
    assert_int_equal(c.n, ARRAY_SIZE(expected));
    assert_non_null(collected(&c, "PubMed_90000004"));
    collect_free(&c);
    tmp_rm(dir);
}

static void test_import_pubmed_malformed(void **state)
{
    struct collected c;
    struct import_sink s = collect_sink(&c);
    struct diag diag = {{0}, 0};
    static const char bomb[] =
        "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;"
        "&a;&a;&a;&a;\">]><PubmedArticleSet><PubmedArticle><MedlineCitation>"
        "<PMID>1</PMID><Article><ArticleTitle>&b;&b;</ArticleTitle>"
        "<Abstract><AbstractText>x</AbstractText></Abstract></Article>"
        "</MedlineCitation></PubmedArticle></PubmedArticleSet>";

    (void)state;
    assert_int_equal(
        import_pubmed_file("tests/data/pubmed/truncated.xml", &s, &diag),
        GALEN_EPARSE);
    assert_true(diag.line > 1);
    assert_int_equal(import_pubmed_memory("<a><b></a>", 10, &s, &diag),
                     GALEN_EPARSE);
    /* Entities are never substituted: the title has no entity text. */
    collect_free(&c);
    s = collect_sink(&c);
    assert_int_equal(import_pubmed_memory(bomb, sizeof bomb - 1, &s, &diag),
                     GALEN_OK);
    assert_int_equal(c.n, 0); /* its title is empty, so a bad record */
    assert_int_equal(c.nbad, 1);
    collect_free(&c);
}

struct errors {
    int n;
    long line[8];
};

static void on_error(void *ctx, const char *file, long line, const char *msg)
{
    struct errors *e = ctx;

    (void)file;
    (void)msg;
    if (e->n < 8)
        e->line[e->n] = line;
    e->n++;
}

static void test_import_pubmed_driver(void **state)
{
    const char *paths[] = {"tests/data/pubmed"};
    struct errors e = {0, {0}};
    struct galen_import_opts opts = {false, on_error, NULL, &e};
    struct galen_import_stats st;
    struct tmp_store t;

    (void)state;
    assert_true(tmp_store_open(&t));
    assert_int_equal(
        galen_import_paths(t.st, GALEN_IMPORT_PUBMED, paths, 1, &opts, &st),
        GALEN_EPARSE);
    assert_int_equal(st.imported, ARRAY_SIZE(expected));
    assert_int_equal(st.skipped, 3);
    assert_int_equal(st.failed, 2); /* truncated.xml, and the PMID-less one */
    assert_int_equal(e.n, 2);
    assert_int_equal(st.files, 2);
    assert_int_equal(st.bytes_done, st.bytes_total);
    opts.strict = true;
    e.n = 0;
    assert_int_equal(
        galen_import_paths(t.st, GALEN_IMPORT_PUBMED, paths, 1, &opts, &st),
        GALEN_EABORT);
    assert_int_equal(e.n, 1);
    tmp_store_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_pubmed_every_type_mapping),
        cmocka_unit_test(test_import_pubmed_evidence_precedence),
        cmocka_unit_test(test_import_pubmed_fields),
        cmocka_unit_test(test_import_pubmed_unlabelled_abstract),
        cmocka_unit_test(test_import_pubmed_skips_and_bad_records),
        cmocka_unit_test(test_import_pubmed_gzip),
        cmocka_unit_test(test_import_pubmed_malformed),
        cmocka_unit_test(test_import_pubmed_driver),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
