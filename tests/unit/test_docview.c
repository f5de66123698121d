/* SPDX-License-Identifier: MIT */
/* test_docview.c: document text to HTML (paragraphs, lists, citations,
 * tables) and the page helpers for dates and snippets. */
/* cmocka.h needs these headers first. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */
#include <string.h>

#include <galen/error.h>

#include "../../httpd/docview.h"
#include "../../httpd/page.h"

struct out {
    struct http_req req;
    struct http_resp resp;
    struct ctx c;
};

static void out_init(struct out *o)
{
    memset(o, 0, sizeof *o);
    http_req_init(&o->req);
    http_resp_init(&o->resp);
    o->c.req = &o->req;
    o->c.resp = &o->resp;
}

/* The text written so far, NUL-terminated; valid until the next write. */
static const char *text_of(struct out *o)
{
    int rc = GALEN_OK;

    buf_put_nul(&rc, &o->resp.body);
    assert_int_equal(rc, GALEN_OK);
    assert_int_equal(o->c.rc, GALEN_OK);
    return (const char *)o->resp.body.data;
}

static void test_docview_blocks_and_citations(void **state)
{
    struct out o;

    UNUSED(state);
    out_init(&o);
    docview_text(&o.c,
                 "Para [1] and [9] and [x].\nsame para\n\n- a [2]\n- b\n"
                 "1. one\n2. two\n| x | y |\n|---|---|\nplain <b>",
                 2);
    assert_string_equal(
        text_of(&o),
        "<p>Para <sup><a class=\"cite\" href=\"#ref-1\" aria-label=\"reference "
        "1\">[1]</a></sup> and [9] and [x].\nsame para</p>\n"
        "<ul><li>a <sup><a class=\"cite\" href=\"#ref-2\" "
        "aria-label=\"reference 2\">[2]</a></sup></li><li>b</li></ul>\n"
        "<ol><li>one</li><li>two</li></ol>\n<p>plain &lt;b&gt;</p>\n");
    http_resp_cleanup(&o.resp);
}

static void test_docview_table_and_refs(void **state)
{
    struct out o;
    const char *header[] = {"Deficiency", "Role"};
    const char *cells[] = {"Magnesium <i>", "Relaxes muscle [1]"};
    struct galen_doc_table t = {0, 2, 1, header, cells};
    struct galen_doc_ref r = {0};
    struct galen_doc d = {0};
    const char *html;

    UNUSED(state);
    out_init(&o);
    docview_table(&o.c, &t, 1);
    html = text_of(&o);
    assert_non_null(strstr(html, "<th scope=\"col\">Deficiency</th>"));
    assert_non_null(strstr(html, "<th scope=\"row\">Magnesium &lt;i&gt;</th>"));
    assert_non_null(strstr(html, "href=\"#ref-1\""));
    buf_reset(&o.resp.body);
    r.title = "T\"itle";
    r.url = "javascript:alert(1)";
    r.pmid = "20457972";
    r.year = 2010;
    d.refs = &r;
    d.nrefs = 1;
    docview_references(&o.c, &d);
    html = text_of(&o);
    assert_non_null(strstr(html, "<li id=\"ref-1\">"));
    assert_non_null(strstr(html, "T&quot;itle"));
    assert_non_null(strstr(html, "pubmed.ncbi.nlm.nih.gov/20457972/"));
    assert_null(strstr(html, "javascript:"));
    http_resp_cleanup(&o.resp);
}

static void test_docview_read_time_and_title_case(void **state)
{
    struct out o;
    struct galen_doc d = {0};
    struct galen_doc_section sec = {"", NULL};
    char words[2100];
    size_t i;

    UNUSED(state);
    for (i = 0; i + 5 < sizeof words; i += 5)
        memcpy(words + i, "word ", 5);
    words[i] = '\0';
    assert_int_equal(docview_read_minutes(&d), 1);
    sec.text = words;
    d.sections = &sec;
    d.nsections = 1;
    assert_int_equal(docview_read_minutes(&d), 3); /* 419 words */
    out_init(&o);
    docview_title_case(&o.c, "family medicine-x <b>");
    assert_string_equal(text_of(&o), "Family Medicine-X &lt;b&gt;");
    http_resp_cleanup(&o.resp);
}

static void test_page_dates_and_snippets(void **state)
{
    struct out o;

    UNUSED(state);
    out_init(&o);
    page_date(&o.c, "2025-03-21T10:00:00Z");
    page_out(&o.c, "|");
    page_date(&o.c, "2025-03");
    page_out(&o.c, "|");
    page_date(&o.c, "soon <b>");
    page_out(&o.c, "|");
    page_ymd(&o.c, "2016-06-23");
    page_out(&o.c, "|");
    page_ymd(&o.c, "16-6-23");
    assert_string_equal(text_of(&o), "March 21, 2025|March 2025|soon "
                                     "&lt;b&gt;|2016/06/23|16-6-23");
    buf_reset(&o.resp.body);
    page_snippet(&o.c, "one two three four five six", 12);
    assert_string_equal(text_of(&o), "one two\xE2\x80\xA6");
    buf_reset(&o.resp.body);
    page_snippet(&o.c, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3);
    assert_string_equal(text_of(&o), "\xC3\xA9\xE2\x80\xA6");
    buf_reset(&o.resp.body);
    page_paragraphs(&o.c, "a\nb\n\n\nc <");
    assert_string_equal(text_of(&o), "<p>a<br>b</p>\n<p>c &lt;</p>\n");
    http_resp_cleanup(&o.resp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docview_blocks_and_citations),
        cmocka_unit_test(test_docview_table_and_refs),
        cmocka_unit_test(test_docview_read_time_and_title_case),
        cmocka_unit_test(test_page_dates_and_snippets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
