/* SPDX-License-Identifier: MIT */
/* test_import_article.c: galen's article format (docs/article-format.md):
 * a full article with every feature, a patient Q&A, and one test per rule
 * the parser enforces, each checking the line the error names. */
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

#include "base/fileio.h"
#include "import/article.h"
#include "import/article_write.h"
#include "import_test.h"

static const cJSON *parse_file(const char *path, struct collected *c)
{
    struct import_sink s = collect_sink(c);
    struct diag diag = {{0}, 0};
    int rc = import_article_file(path, &s, &diag);

    if (rc != GALEN_OK)
        fprintf(stderr, "%s:%ld: %s\n", path, diag.line, diag.msg);
    assert_int_equal(rc, GALEN_OK);
    assert_int_equal(c->n, 1);
    return c->doc[0];
}

static const cJSON *item(const cJSON *d, const char *key, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(d, key), i);
}

static void test_import_article_front_matter(void **state)
{
    struct collected c;
    const cJSON *d = parse_file("tests/data/article/full.md", &c);
    const cJSON *r;

    (void)state;
    assert_string_equal(jstr(d, "id"), "test-article-full");
    assert_string_equal(jstr(d, "kind"), "article");
    assert_string_equal(jstr(d, "title"), "Calf cramps: a test article");
    assert_string_equal(jstr(d, "audience"), "patient");
    assert_string_equal(jstr(d, "specialty"), "neurology");
    assert_string_equal(jstr(d, "date"), "2026-01-15");
    assert_string_equal(jstr(d, "licence"), "CC-BY-4.0");
    assert_string_equal(jstr(d, "evidence"), "consumer");
    assert_string_equal(jstr(d, "status"), "under_review");
    assert_string_equal(jstr(d, "question_type"), "causes");
    assert_int_equal(jlen(d, "focus"), 3);
    assert_string_equal(jat(d, "synonyms", 1), "nocturnal leg cramps");
    assert_int_equal(jlen(d, "references"), 3);
    r = item(d, "references", 1);
    assert_string_equal(jstr(r, "title"), "A made-up trial: with a colon");
    assert_string_equal(jstr(r, "doi"), "10.9999/test.1");
    assert_string_equal(jstr(r, "authors"), "Doe J, Roe R");
    assert_int_equal(cJSON_GetObjectItem(r, "year")->valueint, 2015);
    assert_string_equal(jstr(item(d, "references", 0), "pmid"), "12345678");
    assert_string_equal(jstr(item(d, "references", 2), "url"),
                        "https://example.org/leaflet");
    collect_free(&c);
}

static void test_import_article_sections(void **state)
{
    struct collected c;
    const cJSON *d = parse_file("tests/data/article/full.md", &c);
    static const char *const headings[] = {
        "",    "Quick Summary", "Key Points", "Nutrients", "A subsection",
        "FAQ", "References"};
    size_t i;

    (void)state;
    assert_int_equal(jlen(d, "sections"), ARRAY_SIZE(headings));
    for (i = 0; i < ARRAY_SIZE(headings); i++)
        assert_string_equal(jstr(item(d, "sections", (int)i), "heading"),
                            headings[i]);
    assert_string_equal(jstr(item(d, "sections", 0), "text"),
                        "Read time: 2 minutes. This lead paragraph\n"
                        "spans two lines [1].");
    assert_string_equal(jstr(item(d, "sections", 2), "text"),
                        "- Stretching may help [2].\n  - A nested point.\n"
                        "- See a doctor for swelling [3].");
    /* The table is structure, not text. */
    assert_string_equal(jstr(item(d, "sections", 3), "text"),
                        "Text after the table.");
    assert_string_equal(jstr(item(d, "sections", 4), "text"),
                        "Subsection text with *emphasis* and `code` kept as "
                        "text.");
    collect_free(&c);
}

static void test_import_article_table(void **state)
{
    struct collected c;
    const cJSON *d = parse_file("tests/data/article/full.md", &c);
    const cJSON *t = item(d, "tables", 0);
    const cJSON *rows = cJSON_GetObjectItem(t, "rows");

    (void)state;
    assert_int_equal(jlen(d, "tables"), 1);
    assert_int_equal(cJSON_GetObjectItem(t, "section")->valueint, 3);
    assert_int_equal(jlen(t, "header"), 3);
    assert_string_equal(jat(t, "header", 2), "Foods");
    assert_int_equal(cJSON_GetArraySize(rows), 2);
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetArrayItem(rows, 0), 1)->valuestring,
        "Muscle relaxation [1]");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetArrayItem(rows, 1), 2)->valuestring,
        "Bananas | beans");
    collect_free(&c);
}

static void test_import_article_faq(void **state)
{
    struct collected c;
    const cJSON *d = parse_file("tests/data/article/full.md", &c);

    (void)state;
    assert_int_equal(jlen(d, "faq"), 2);
    assert_string_equal(jstr(item(d, "faq", 0), "question"),
                        "What is a cramp?");
    assert_string_equal(jstr(item(d, "faq", 0), "answer"),
                        "A sudden tight muscle.\n\nIt passes in minutes [2].");
    assert_string_equal(jstr(item(d, "faq", 1), "answer"),
                        "When the calf is swollen and warm [3].");
    /* The FAQ section's text carries its items for search and answers. */
    assert_string_equal(jstr(item(d, "sections", 5), "text"),
                        "Some intro text for the FAQ.\n\nWhat is a cramp?\n"
                        "A sudden tight muscle.\n\nIt passes in minutes [2]."
                        "\n\nWhen should I worry?\nWhen the calf is swollen "
                        "and warm [3].");
    collect_free(&c);
}

static void test_import_article_patient_qa(void **state)
{
    struct collected c;
    const cJSON *d = parse_file("tests/data/article/qa.md", &c);

    (void)state;
    assert_string_equal(jstr(d, "kind"), "qa");
    assert_string_equal(jstr(d, "age_band"), "60-69");
    assert_string_equal(jstr(d, "sex"), "female");
    assert_string_equal(jstr(d, "asked"), "2026-01-30");
    assert_string_equal(jstr(d, "replied"), "2026-02-01");
    assert_string_equal(jstr(d, "status"), "submitted");
    assert_int_equal(jlen(d, "sections"), 2);
    assert_string_equal(jstr(item(d, "sections", 1), "heading"), "Reply");
    collect_free(&c);
}

/* A minimal valid front matter; tests append or change lines. */
#define HEAD "---\nid: t\nkind: article\ntitle: T\nstatus: submitted\n"
#define REFS \
    "references:\n  - kind: research | title: R | source: S | year: 2001\n"

static void expect_error(const char *text, long line, const char *needle)
{
    struct diag diag = {{0}, 0};
    struct doc d;
    int rc;

    doc_init(&d);
    rc = import_article_parse(text, strlen(text), &d, &diag);
    doc_cleanup(&d);
    if (rc != GALEN_EPARSE || diag.line != line || !strstr(diag.msg, needle))
        fprintf(stderr, "got rc %d line %ld '%s' for:\n%s\n", rc, diag.line,
                diag.msg, text);
    assert_int_equal(rc, GALEN_EPARSE);
    assert_int_equal(diag.line, line);
    assert_non_null(strstr(diag.msg, needle));
}

static void test_import_article_front_matter_errors(void **state)
{
    (void)state;
    expect_error("no front matter\n", 1, "starts with");
    expect_error(HEAD, 5, "no closing");
    expect_error(HEAD "colour: red\ncolour: blue\n---\nx\n", 7,
                 "duplicate key 'colour'");
    expect_error(HEAD "\nx: 'it''s' bad'\n---\nx\n", 7, "bad YAML");
    expect_error(HEAD "a:\n  b: [x\n  c: y\n---\nx\n", 8, "bad YAML");
    expect_error(HEAD "title: \"T\"\n---\nx\n", 6, "duplicate key 'title'");
    expect_error(HEAD "title: again\n---\nx\n", 6, "duplicate key 'title'");
    expect_error("---\nkind: article\ntitle: T\nstatus: submitted\n---\nx\n", 5,
                 "lacks 'id'");
    expect_error(HEAD "kind2\n---\nx\n", 6, "key: value");
    expect_error(HEAD "date: 2026-13-01\n---\nx\n", 6, "YYYY-MM-DD");
    expect_error(HEAD "audience: everyone\n---\nx\n", 6, "bad audience");
    expect_error(HEAD "evidence: anecdote\n---\nx\n", 6, "bad evidence");
    expect_error(HEAD "question_type: why\n---\nx\n", 6, "bad question_type");
    expect_error(HEAD "sex: robot\n---\nx\n", 6, "bad sex");
    expect_error(HEAD "topics: a, b\n---\nx\n", 6, "list");
    expect_error("---\nid: has space\n---\n", 2, "bad id");
    expect_error("---\nkind: poem\n---\n", 2, "bad kind");
    expect_error("---\nstatus: published\n---\n", 2, "bad status");
    expect_error(HEAD "  indented: x\n---\nx\n", 6, "indented");
    expect_error(HEAD "checked: soon\n---\nx\n", 6, "checked must be");
    expect_error(HEAD "checked: 2026-12\n---\nx\n", 6, "checked must be");
    expect_error(HEAD "checked: 2026-13 doses\n---\nx\n", 6, "checked must be");
    expect_error(HEAD "checked: 2026-12-32 doses\n---\nx\n", 6,
                 "checked must be");
    expect_error(HEAD "checked: 2026-12:doses\n---\nx\n", 6, "checked must be");
    expect_error(HEAD "checked: 2026-12 a\nchecked: 2026-12 b\n---\nx\n", 7,
                 "duplicate key 'checked'");
}

static void test_import_article_reference_errors(void **state)
{
    (void)state;
    expect_error(HEAD "references:\n  - kind: research | title: R\n---\n", 7,
                 "needs kind, title, source and year");
    expect_error(HEAD "references:\n  - kind: blog | title: R | source: S | "
                      "year: 2001\n---\n",
                 7, "bad reference kind");
    expect_error(HEAD "references:\n  - colour: red\n---\n", 7,
                 "unknown reference key");
    expect_error(HEAD "references:\n  - kind: research | year: 20x1\n---\n", 7,
                 "four digits");
    expect_error(HEAD "references:\n  - kind: research | pmid: 12a\n---\n", 7,
                 "pmid");
    expect_error(HEAD "references:\n  - kind: research | doi: 11.1/x\n---\n", 7,
                 "doi");
    expect_error(HEAD "references:\n  - kind: research | kind: qa\n---\n", 7,
                 "duplicate reference key");
    expect_error(HEAD "references:\n  * not a dash\n---\n", 7, "reference");
}

static const char *meta(const cJSON *d, const char *key)
{
    return jstr(cJSON_GetObjectItem(d, "meta"), key);
}

static void test_import_article_hugo_and_jekyll(void **state)
{
    struct collected c;
    const cJSON *d;

    (void)state;
    d = parse_file("tests/data/frontmatter/hugo-night-cramps.md", &c);
    /* No id: the file's name; no kind or status: article, submitted. */
    assert_string_equal(jstr(d, "id"), "hugo-night-cramps");
    assert_string_equal(jstr(d, "kind"), "article");
    assert_string_equal(jstr(d, "status"), "submitted");
    assert_string_equal(jstr(d, "title"), "Night cramps: what helps");
    assert_string_equal(jstr(d, "date"), "2025-06-02");
    assert_string_equal(jstr(d, "authors"), "Dana Field, Lee Moss");
    assert_string_equal(meta(d, "tags"), "cramps, sleep");
    assert_string_equal(meta(d, "categories"), "consumer health");
    assert_string_equal(meta(d, "draft"), "false");
    assert_string_equal(meta(d, "params.toc"), "yes");
    assert_string_equal(meta(d, "lastmod"), "2025-07-01T10:00:00+02:00");
    assert_string_equal(meta(d, "description"),
                        "A short page, written for galen's tests, on calf "
                        "cramps at night.\n");
    assert_int_equal(jlen(d, "sections"), 2);
    collect_free(&c);
    d = parse_file("tests/data/frontmatter/jekyll-exercise-cramps.md", &c);
    assert_string_equal(jstr(d, "id"), "jekyll-exercise-cramps");
    assert_string_equal(jstr(d, "kind"), "consumer");
    assert_string_equal(jstr(d, "title"), "Exercise cramps, in short");
    assert_string_equal(jstr(d, "date"), "2024-03-18");
    assert_int_equal(jlen(d, "focus"), 2);
    assert_string_equal(jat(d, "focus", 1), "dehydration");
    assert_string_equal(meta(d, "layout"), "post");
    assert_string_equal(meta(d, "permalink"), "/health/exercise-cramps/");
    collect_free(&c);
}

static void test_import_article_yaml_forms(void **state)
{
    static const char text[] =
        "---\nid: y\nkind: research\ntitle: 'It''s: quoted'\n"
        "status: submitted\nsource: A # not a comment\n"
        "synonyms:\n  - one, two\n  - three\n"
        "specialty: |\n  two\n  lines\n"
        "references:\n"
        "  - kind: research\n    title: \"A | B\"\n    source: S\n"
        "    year: 2001\n"
        "  - kind: guideline | title: T: sub | source: S2 | year: 1999\n"
        "---\nBody [1] [2].\n";
    struct diag diag = {{0}, 0};
    struct doc d;

    (void)state;
    doc_init(&d);
    assert_int_equal(import_article_parse(text, strlen(text), &d, &diag),
                     GALEN_OK);
    assert_string_equal(d.title, "It's: quoted");
    assert_string_equal(d.source, "A # not a comment");
    assert_int_equal(d.synonyms.n, 2);
    assert_string_equal(d.synonyms.v[0], "one, two");
    assert_string_equal(d.specialty, "two\nlines");
    assert_int_equal(d.nrefs, 2);
    assert_string_equal(d.refs[0].title, "A | B");
    assert_int_equal(d.refs[0].year, 2001);
    assert_string_equal(d.refs[1].title, "T: sub");
    doc_cleanup(&d);
    expect_error(HEAD "references:\n  - kind: research\n    title: [x]\n---\n",
                 8, "text values");
    expect_error(HEAD "topics: [a, [b]]\n---\nx\n", 6, "list items must be");
    expect_error(HEAD "kind: [a]\n---\nx\n", 6, "duplicate key 'kind'");
    expect_error("---\nid: t\ntitle: T\nkind: [a]\n---\nx\n", 4,
                 "kind takes one value");
    expect_error("---\nid: t\n---\nx\n", 3, "lacks 'title'");
    /* Aliases fan out; what they expand to is bounded. */
    expect_error(HEAD "bomb:\n  a: &x [1, 2, 3, 4, 5, 6, 7, 8, 9, 0]\n"
                      "  b: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\n"
                      "  c: &z [*y, *y, *y, *y, *y, *y, *y, *y, *y, *y]\n"
                      "  d: &w [*z, *z, *z, *z, *z, *z, *z, *z, *z, *z]\n"
                      "  e: [*w, *w, *w, *w, *w, *w, *w, *w, *w, *w]\n"
                      "---\nx\n",
                 7, "too much metadata");
}

/* Writes d as an article and parses it back: the same content hash. */
static void round_trip(const struct doc *d)
{
    char why[256] = "", h1[DOC_HASH_HEX], h2[DOC_HASH_HEX];
    struct diag diag = {{0}, 0};
    struct buf b;
    struct doc back;
    int rc;

    buf_init(&b, 1 << 20);
    rc = article_write_checked(d, &b, why, sizeof why);
    if (rc != GALEN_OK)
        fprintf(stderr, "%s: %.*s\n", why, (int)b.len, (char *)b.data);
    assert_int_equal(rc, GALEN_OK);
    doc_init(&back);
    assert_int_equal(import_article_parse((char *)b.data, b.len, &back, &diag),
                     GALEN_OK);
    doc_hash(d, h1);
    doc_hash(&back, h2);
    assert_string_equal(h1, h2);
    doc_cleanup(&back);
    buf_cleanup(&b);
}

static void test_import_article_write_round_trip(void **state)
{
    unsigned char *text = NULL;
    size_t len = 0;
    struct diag diag = {{0}, 0};
    struct doc d;
    struct doc_ref *r;
    char why[256];
    struct buf b;

    (void)state;
    assert_int_equal(
        fileio_read_all("tests/data/article/full.md", 1 << 20, &text, &len),
        GALEN_OK);
    doc_init(&d);
    assert_int_equal(import_article_parse((char *)text, len, &d, &diag),
                     GALEN_OK);
    assert_true(d.ntables > 0 && d.nfaq > 0 && d.nrefs > 0);
    round_trip(&d);
    /* Values YAML must quote, metadata, a '|' in a reference and a cell. */
    assert_int_equal(doc_set_cstr(&d.title, "Cramps: \"why\" # 1 'a'"),
                     GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.specialty, "- dash: [x], {y}"), GALEN_OK);
    assert_int_equal(doc_meta_set(&d, "note", "two\nlines: \\ \"q\""),
                     GALEN_OK);
    assert_int_equal(doc_meta_set(&d, "a.b", "@at"), GALEN_OK);
    assert_int_equal(doc_strlist_add(&d.synonyms, "x, y [z]", 8), GALEN_OK);
    assert_int_equal(doc_strlist_add(&d.cuis, "C0001", 5), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.pmid, "123"), GALEN_OK);
    assert_int_equal(doc_add_ref(&d, &r), GALEN_OK);
    assert_int_equal(doc_set_cstr(&r->kind, "research"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&r->title, "A | B: c"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&r->source, "S"), GALEN_OK);
    r->year = 2020;
    assert_int_equal(doc_set_cstr(&d.tables[0].cells[0], "a | b"), GALEN_OK);
    round_trip(&d);
    /* What the format cannot hold is refused, with the reason. */
    buf_init(&b, 1 << 20);
    d.has_answer = false;
    assert_int_equal(article_write_checked(&d, &b, why, sizeof why),
                     GALEN_EPARSE);
    assert_non_null(strstr(why, "question without an answer"));
    d.has_answer = true;
    assert_int_equal(doc_set_cstr(&d.sections[0].text, "# not a heading"),
                     GALEN_OK);
    assert_int_equal(article_write_checked(&d, &b, why, sizeof why),
                     GALEN_EPARSE);
    assert_non_null(strstr(why, "section text"));
    assert_int_equal(doc_set_cstr(&d.sections[0].text, "| a | b |\n|---|---|"),
                     GALEN_OK);
    assert_int_equal(article_write_checked(&d, &b, why, sizeof why),
                     GALEN_EPARSE);
    assert_int_equal(doc_set_cstr(&d.sections[0].text, "ends in CR\r"),
                     GALEN_OK);
    assert_int_equal(article_write_checked(&d, &b, why, sizeof why),
                     GALEN_EPARSE);
    /* Lines the reader takes as text are written as they are. */
    assert_int_equal(doc_set_cstr(&d.sections[0].text,
                                  "| a bar line\n|---|:---\n#2## not a "
                                  "heading\n#hashtag"),
                     GALEN_OK);
    round_trip(&d);
    assert_int_equal(doc_set_cstr(&d.sections[0].text, "Fine."), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d.date, "2020"), GALEN_OK);
    assert_int_equal(article_write_checked(&d, &b, why, sizeof why),
                     GALEN_EPARSE);
    assert_non_null(strstr(why, "YYYY-MM-DD"));
    buf_cleanup(&b);
    doc_cleanup(&d);
    galen_free(text);
}

static void test_import_article_body_errors(void **state)
{
    (void)state;
    expect_error(HEAD "---\n", 6, "no body");
    expect_error(HEAD REFS "---\nText [2].\n", 9, "citation [2]");
    expect_error(HEAD "---\nText [1].\n", 7, "citation [1]");
    expect_error(HEAD "---\n## T\n| a | b |\n|---|---|\n| 1 |\n", 10,
                 "row has 1 cells");
    expect_error(HEAD "---\n## FAQ\n### Q?\n## Next\nx\n", 8, "no answer");
    expect_error("---\nid: q\nkind: qa\ntitle: Q\nstatus: submitted\n---\n"
                 "## Question\nWhy?\n",
                 8, "Reply");
    expect_error(HEAD "---\n## \nx\n", 7, "empty heading");
    expect_error(HEAD "---\nbad \xff byte\n", 0, "UTF-8");
}

static void test_import_article_lenient_cases(void **state)
{
    static const char text[] =
        "\xef\xbb\xbf---\r\nid: a.b_c-1\r\nkind: faq\r\ntitle: T\r\n"
        "status: approved\r\n\r\n---\r\n# Not the title\r\n"
        "| just a bar line\r\nBrackets [x] and [abc] are text.\r\n";
    struct diag diag = {{0}, 0};
    struct doc d;

    (void)state;
    doc_init(&d);
    assert_int_equal(import_article_parse(text, strlen(text), &d, &diag),
                     GALEN_OK);
    assert_string_equal(d.id, "a.b_c-1");
    assert_int_equal(d.status, DOC_STATUS_APPROVED);
    assert_int_equal(d.nsections, 1);
    assert_string_equal(d.sections[0].heading, "Not the title");
    assert_string_equal(d.sections[0].text,
                        "| just a bar line\nBrackets [x] and [abc] are text.");
    assert_int_equal(d.ntables, 0);
    doc_cleanup(&d);
}

/* checked: takes a month or a day, then a note; it is not stored. */
static void test_import_article_checked(void **state)
{
    static const char *const ok[] = {
        "checked: 2026-12 EASL 2018 doses\n",
        "checked: 2026-12-03 doses: not confirmed against the primary text\n",
    };
    struct diag diag = {{0}, 0};
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_SIZE(ok); i++) {
        char text[256];
        struct doc d;

        snprintf(text, sizeof text, "%s%s---\nBody.\n", HEAD, ok[i]);
        doc_init(&d);
        assert_int_equal(import_article_parse(text, strlen(text), &d, &diag),
                         GALEN_OK);
        assert_string_equal(d.title, "T");
        doc_cleanup(&d);
    }
}

static void test_import_article_driver_idempotent(void **state)
{
    const char *paths[] = {"tests/data/article"};
    struct galen_import_opts opts = {false, NULL, NULL, NULL};
    struct galen_import_stats st;
    struct tmp_store t;

    (void)state;
    assert_true(tmp_store_open(&t));
    assert_int_equal(
        galen_import_paths(t.st, GALEN_IMPORT_ARTICLE, paths, 1, &opts, &st),
        GALEN_OK);
    assert_int_equal(st.imported, 2);
    assert_int_equal(
        galen_import_paths(t.st, GALEN_IMPORT_ARTICLE, paths, 1, &opts, &st),
        GALEN_OK);
    assert_int_equal(st.unchanged, 2);
    tmp_store_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_article_front_matter),
        cmocka_unit_test(test_import_article_sections),
        cmocka_unit_test(test_import_article_table),
        cmocka_unit_test(test_import_article_faq),
        cmocka_unit_test(test_import_article_patient_qa),
        cmocka_unit_test(test_import_article_front_matter_errors),
        cmocka_unit_test(test_import_article_reference_errors),
        cmocka_unit_test(test_import_article_hugo_and_jekyll),
        cmocka_unit_test(test_import_article_yaml_forms),
        cmocka_unit_test(test_import_article_write_round_trip),
        cmocka_unit_test(test_import_article_body_errors),
        cmocka_unit_test(test_import_article_lenient_cases),
        cmocka_unit_test(test_import_article_checked),
        cmocka_unit_test(test_import_article_driver_idempotent),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
