/* SPDX-License-Identifier: MIT */
/* test_answer.c: the composer and renderers on small in-memory documents:
 * layout, citations, provenance, audiences, filters, abstention,
 * determinism, escaping and allocation failures. */
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

#include <cjson/cJSON.h>

#include <galen/error.h>

#include "answer/answer.h"
#include "answer/qanalyze.h"
#include "answer/redflag.h"
#include "answer/render.h"
#include "base/mem.h"
#include "text/analyzer.h"

struct sec {
    const char *heading, *text;
};

static struct doc *make_doc(const char *id, enum doc_kind kind,
                            enum doc_evidence ev, const char *title,
                            const struct sec *secs, size_t n)
{
    struct doc *d = doc_new();
    struct doc_ref *r;
    size_t k;

    assert_non_null(d);
    assert_int_equal(doc_set_cstr(&d->id, id), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d->title, title), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d->source, "Test Source"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d->date, "2024-05-01"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d->url, "https://example.org/x?a=1&b=2"),
                     GALEN_OK);
    d->kind = kind;
    d->evidence = ev;
    for (k = 0; k < n; k++)
        assert_int_equal(doc_add_section(d, secs[k].heading, secs[k].text,
                                         strlen(secs[k].text)),
                         GALEN_OK);
    assert_int_equal(doc_add_ref(d, &r), GALEN_OK);
    assert_int_equal(doc_set_cstr(&r->title, "Nocturnal leg cramps"), GALEN_OK);
    assert_int_equal(doc_set_cstr(&r->source, "Am Fam Physician"), GALEN_OK);
    r->year = 2012;
    return d;
}

static const struct sec consumer_secs[] = {
    {"", "Soleus muscle cramps are sudden, painful tightening of the deep "
         "calf muscle."},
    {"Causes",
     "Dehydration and low levels of potassium or magnesium can make soleus "
     "muscle cramps more likely [1]. Muscle fatigue from long effort is a "
     "common cause of calf cramps. Medicines such as diuretics can also "
     "cause muscle cramps."},
    {"When to get help",
     "See a doctor the same day if the cramp comes with swelling, warmth or "
     "redness in one calf. Stretch the calf gently during a cramp to relieve "
     "it."},
};

static const struct sec guideline_secs[] = {
    {"Causes", "Muscle cramps in cirrhosis are often caused by diuretic "
               "therapy and electrolyte imbalance."},
    {"Treatment",
     "Baclofen can be started at 10 mg/day and increased weekly by 10 mg/day "
     "up to 30 mg/day for muscle cramps. Albumin at 20-40 g/week may relieve "
     "muscle cramps in cirrhosis."},
};

static const struct sec research_secs[] = {
    {"Results", "Muscle cramps may be caused by fatigue of the affected "
                "muscle and altered neuromuscular control. Dehydration was "
                "not a direct cause of muscle cramps in these studies."},
};

static const struct sec offtopic_secs[] = {
    {"", "Bread dough rises because yeast makes gas <script>x</script>."},
};

struct fixture {
    struct analyzer *an;
    struct redflag_rules *rf;
};

static int setup(void **state)
{
    static const char rules[] = "id: dvt\nall: calf, warm*|swell*\n"
                                "urgency: urgent\nmessage: Seek care today.\n"
                                "action: Get care today.\n"
                                "action-source: own words\n"
                                "source: NICE NG158\n";
    struct fixture *f = galen_calloc(1, sizeof *f);

    if (!f || analyzer_new(&f->an) ||
        redflag_parse(rules, strlen(rules), &f->rf, NULL))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    analyzer_free(f->an);
    redflag_free(f->rf);
    galen_free(f);
    return 0;
}

struct run_opts {
    enum galen_audience audience;
    int min_evidence;
    unsigned kinds;
    bool offtopic_only;
};

/* Builds the three (or the off-topic) documents, composes and returns the
 * answer; the candidates are freed here. */
static struct galen_answer *ask(void **state, const char *q,
                                const struct run_opts *o)
{
    struct fixture *f = *state;
    struct answer_cand cands[3];
    struct qanalyze_ctx qc = {0};
    struct qanalysis *qa = NULL;
    const struct redflag_rule *hits[4];
    struct answer_compose_in in;
    struct galen_answer *ans = NULL;
    size_t n = 0, k;

    if (o->offtopic_only) {
        cands[n].doc =
            make_doc("bread", DOC_KIND_CONSUMER, DOC_EVIDENCE_CONSUMER,
                     "Baking bread", offtopic_secs, 1);
        cands[n++].score = 3.0;
    } else {
        cands[n].doc =
            make_doc("cons", DOC_KIND_CONSUMER, DOC_EVIDENCE_CONSUMER,
                     "What causes soleus muscle cramps?", consumer_secs, 3);
        cands[n++].score = 9.0;
        cands[n].doc =
            make_doc("guide", DOC_KIND_GUIDELINE, DOC_EVIDENCE_GUIDELINE,
                     "Muscle cramps in cirrhosis", guideline_secs, 2);
        cands[n++].score = 7.0;
        cands[n].doc = make_doc("res", DOC_KIND_RESEARCH, DOC_EVIDENCE_RCT,
                                "Muscle cramp mechanisms", research_secs, 1);
        cands[n++].score = 6.0;
    }
    assert_int_equal(qanalyze(&qc, q, strlen(q), &qa), GALEN_OK);
    memset(&in, 0, sizeof in);
    in.qa = qa;
    in.cands = cands;
    in.ncands = n;
    in.audience = o->audience;
    in.min_evidence = o->min_evidence;
    in.kinds = o->kinds;
    in.analyzer = f->an;
    in.redflags = hits;
    in.nredflags = redflag_match(f->rf, q, strlen(q), hits, 4);
    assert_int_equal(answer_compose(&in, &ans), GALEN_OK);
    for (k = 0; k < n; k++)
        doc_free(cands[k].doc);
    qanalysis_free(qa);
    return ans;
}

static char *render(const struct galen_answer *ans,
                    enum galen_render_format fmt)
{
    char *s = NULL;
    size_t len = 0;

    assert_int_equal(galen_answer_render(ans, fmt, 0, 80, &s, &len), GALEN_OK);
    assert_int_equal(strlen(s), len);
    return s;
}

static const struct run_opts patient = {GALEN_AUDIENCE_PATIENT,
                                        DOC_EVIDENCE_NONE, 0, false};
static const struct run_opts clinician = {GALEN_AUDIENCE_CLINICIAN,
                                          DOC_EVIDENCE_NONE, 0, false};

static void test_answer_layout_and_citations(void **state)
{
    struct galen_answer *ans =
        ask(state, "What causes soleus muscle cramps?", &clinician);
    size_t k, total = 0;

    assert_false(galen_answer_abstained(ans));
    assert_int_equal(galen_answer_source_count(ans), 3);
    assert_int_equal(ans->nlead, 2);
    assert_int_equal(ans->nblock[ANSWER_BLOCK_GUIDELINES], 2);
    assert_int_equal(ans->nblock[ANSWER_BLOCK_RESEARCH], 1);
    assert_int_equal(ans->nblock[ANSWER_BLOCK_PATIENTS], 6);
    /* Citation numbers follow first appearance and are all used. */
    for (k = 0; k < ans->nsources; k++)
        assert_int_equal(ans->sources[k].number, k + 1);
    for (k = 0; k < ans->nsentences; k++) {
        const struct answer_sentence *s = &ans->sentences[k];
        const struct doc *d = ans->sources[s->source].doc;
        /* Provenance points at the exact bytes (markers aside). */
        assert_true(s->end <= strlen(d->sections[s->section].text));
        assert_memory_equal(d->sections[s->section].text + s->start, s->text,
                            10);
        assert_null(strstr(s->text, "[1]"));
        total++;
    }
    assert_int_equal(total, 11);
    /* The clinician's lead comes from the guideline. */
    assert_string_equal(
        ans->sources[ans->sentences[ans->lead[0]].source].doc->id, "guide");
    galen_answer_free(ans);
}

static void test_answer_patient_dose_kept_out_of_lead(void **state)
{
    struct galen_answer *ans =
        ask(state, "How is baclofen dosed for muscle cramps?", &patient);
    size_t k;
    char *text;

    assert_false(ans->abstained);
    for (k = 0; k < ans->nlead; k++)
        assert_false(ans->sentences[ans->lead[k]].is_dose);
    text = render(ans, GALEN_RENDER_TEXT);
    assert_non_null(strstr(text, "10 mg/day"));
    assert_non_null(strstr(text, "(" RENDER_DOSE_NOTE ")"));
    galen_free_string(text);
    galen_answer_free(ans);
}

static void test_answer_patient_lead_is_plain_source(void **state)
{
    struct galen_answer *ans =
        ask(state, "What causes soleus muscle cramps?", &patient);

    assert_false(ans->abstained);
    assert_string_equal(
        ans->sources[ans->sentences[ans->lead[0]].source].doc->id, "cons");
    assert_int_equal(ans->nlead, 2);
    galen_answer_free(ans);
}

static void test_answer_filters(void **state)
{
    struct run_opts o = clinician;
    struct galen_answer *ans;
    size_t k;

    o.min_evidence = DOC_EVIDENCE_RCT;
    ans = ask(state, "What causes soleus muscle cramps?", &o);
    for (k = 0; k < ans->nsources; k++)
        assert_true(answer_evidence_rank(ans->sources[k].doc->evidence) <=
                    DOC_EVIDENCE_RCT);
    galen_answer_free(ans);
    o.min_evidence = DOC_EVIDENCE_NONE;
    o.kinds = 1u << DOC_KIND_RESEARCH;
    ans = ask(state, "What causes muscle cramps?", &o);
    assert_int_equal(ans->nsources, 1);
    assert_int_equal(ans->sources[0].doc->kind, DOC_KIND_RESEARCH);
    galen_answer_free(ans);
}

static void test_answer_abstains_off_topic(void **state)
{
    struct run_opts o = patient;
    struct galen_answer *ans;
    char *text;

    o.offtopic_only = true;
    ans = ask(state, "What is the capital of France?", &o);
    assert_true(galen_answer_abstained(ans));
    assert_int_equal(ans->nsources, 0);
    text = render(ans, GALEN_RENDER_TEXT);
    assert_non_null(strstr(text, "No answer"));
    galen_free_string(text);
    galen_answer_free(ans);
}

static void test_answer_redflag_first(void **state)
{
    struct galen_answer *ans =
        ask(state, "My calf is warm and my soleus muscle cramps at night",
            &patient);
    char *text = render(ans, GALEN_RENDER_TEXT);
    char *json = render(ans, GALEN_RENDER_JSON);
    const char *rf = strstr(text, "Seek care today.");
    const char *sum = strstr(text, "Summary");

    assert_int_equal(galen_answer_redflag_count(ans), 1);
    assert_non_null(rf);
    assert_non_null(sum);
    assert_true(rf < sum);
    assert_non_null(strstr(json, "\"red_flags\":[{\"id\":\"dvt\""));
    galen_free_string(text);
    galen_free_string(json);
    galen_answer_free(ans);
}

static void test_answer_deterministic(void **state)
{
    struct galen_answer *a =
        ask(state, "What causes soleus muscle cramps?", &clinician);
    struct galen_answer *b =
        ask(state, "What causes soleus muscle cramps?", &clinician);
    enum galen_render_format f;

    for (f = GALEN_RENDER_TEXT; f <= GALEN_RENDER_HTML; f++) {
        char *x = render(a, f), *y = render(b, f);
        assert_string_equal(x, y);
        galen_free_string(x);
        galen_free_string(y);
    }
    galen_answer_free(a);
    galen_answer_free(b);
}

static void test_answer_json_schema(void **state)
{
    struct galen_answer *ans =
        ask(state, "What causes soleus muscle cramps?", &patient);
    char *json = render(ans, GALEN_RENDER_JSON);
    cJSON *root = cJSON_Parse(json);
    cJSON *lead, *s, *prov, *refs, *sections;

    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "schema")->valuestring,
                        "galen.answer/1");
    assert_string_equal(cJSON_GetObjectItem(root, "question_type")->valuestring,
                        "causes");
    lead = cJSON_GetObjectItem(root, "lead");
    assert_int_equal(cJSON_GetArraySize(lead), 2);
    s = cJSON_GetArrayItem(lead, 0);
    prov = cJSON_GetObjectItem(s, "provenance");
    assert_non_null(cJSON_GetObjectItem(prov, "doc"));
    assert_non_null(cJSON_GetObjectItem(prov, "start"));
    assert_non_null(cJSON_GetObjectItem(prov, "end"));
    assert_non_null(cJSON_GetObjectItem(prov, "evidence"));
    assert_string_equal(cJSON_GetObjectItem(prov, "date")->valuestring,
                        "2024-05-01");
    refs = cJSON_GetObjectItem(root, "references");
    assert_int_equal(cJSON_GetArraySize(refs), ans->nsources);
    sections = cJSON_GetObjectItem(root, "sections");
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(sections, 0), "kind")
            ->valuestring,
        "patients");
    assert_non_null(cJSON_GetObjectItem(root, "disclaimer"));
    cJSON_Delete(root);
    galen_free_string(json);
    galen_answer_free(ans);
}

static void test_answer_html_escapes(void **state)
{
    struct run_opts o = patient;
    struct galen_answer *ans;
    const char *p;
    char *html;

    o.offtopic_only = true;
    ans = ask(state,
              "Why does bread dough rise with yeast <script>\x01\x1b\x7f?", &o);
    html = render(ans, GALEN_RENDER_HTML);
    /* Markup is escaped and control bytes are dropped, as on the pages. */
    assert_null(strstr(html, "<script>"));
    assert_non_null(strstr(html, "yeast &lt;script&gt;?"));
    for (p = html; *p; p++)
        assert_true((unsigned char)*p >= 0x20 || *p == '\n' || *p == '\t');
    assert_null(strchr(html, 0x7f));
    galen_free_string(html);
    galen_answer_free(ans);
    ans = ask(state, "What causes soleus muscle cramps?", &patient);
    html = render(ans, GALEN_RENDER_HTML);
    assert_non_null(strstr(html, "https://example.org/x?a=1&amp;b=2"));
    assert_non_null(strstr(html, "id=\"galen-ref-1\""));
    galen_free_string(html);
    galen_answer_free(ans);
}

/* A question without an answer (MedQuAD ships some) is never evidence. */
static void test_answer_unanswered_never_cited(void **state)
{
    struct fixture *f = *state;
    struct answer_cand c[2];
    struct qanalyze_ctx qc = {0};
    struct qanalysis *qa = NULL;
    struct answer_compose_in in;
    struct galen_answer *ans = NULL;
    size_t k;

    c[0].doc = make_doc("q-only", DOC_KIND_QA, DOC_EVIDENCE_CONSUMER,
                        "What causes soleus muscle cramps?", consumer_secs, 3);
    c[0].doc->has_answer = false;
    c[0].score = 9.0;
    c[1].doc = make_doc("res", DOC_KIND_RESEARCH, DOC_EVIDENCE_RCT,
                        "Muscle cramp mechanisms", research_secs, 1);
    c[1].score = 5.0;
    assert_int_equal(qanalyze(&qc, "What causes muscle cramps?", 26, &qa),
                     GALEN_OK);
    memset(&in, 0, sizeof in);
    in.qa = qa;
    in.cands = c;
    in.ncands = 2;
    in.analyzer = f->an;
    assert_int_equal(answer_compose(&in, &ans), GALEN_OK);
    assert_false(ans->abstained);
    for (k = 0; k < ans->nsources; k++)
        assert_string_not_equal(ans->sources[k].doc->id, "q-only");
    galen_answer_free(ans);
    for (k = 0; k < 2; k++)
        doc_free(c[k].doc);
    qanalysis_free(qa);
}

static void test_answer_dose_detection(void **state)
{
    UNUSED(state);
    assert_true(answer_is_dose("start at 10 mg/day", 18));
    assert_true(answer_is_dose("albumin 20-40 g/week", 20));
    assert_true(answer_is_dose("take 5mg at night", 17));
    assert_false(answer_is_dose("magnesium helps", 15));
    assert_false(answer_is_dose("in 2010 a trial", 15));
}

static void test_answer_oom_sweep(void **state)
{
    struct fixture *f = *state;
    long n;

    for (n = 0; n < 2000; n++) {
        struct doc *d =
            make_doc("cons", DOC_KIND_CONSUMER, DOC_EVIDENCE_CONSUMER,
                     "Soleus cramps", consumer_secs, 3);
        struct answer_cand c = {d, 5.0, 0};
        struct qanalyze_ctx qc = {0};
        struct qanalysis *qa = NULL;
        struct answer_compose_in in;
        struct galen_answer *ans = NULL;
        char *s = NULL;
        int rc;

        assert_int_equal(qanalyze(&qc, "What causes soleus cramps?", 26, &qa),
                         GALEN_OK);
        memset(&in, 0, sizeof in);
        in.qa = qa;
        in.cands = &c;
        in.ncands = 1;
        in.analyzer = f->an;
        mem_fail_after(n);
        rc = answer_compose(&in, &ans);
        if (rc == GALEN_OK)
            rc = galen_answer_render(ans, GALEN_RENDER_JSON, 0, 80, &s, NULL);
        mem_fail_after(-1);
        galen_free_string(s);
        galen_answer_free(ans);
        doc_free(c.doc);
        qanalysis_free(qa);
        if (rc == GALEN_OK)
            return;
        assert_int_equal(rc, GALEN_ENOMEM);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answer_layout_and_citations),
        cmocka_unit_test(test_answer_patient_dose_kept_out_of_lead),
        cmocka_unit_test(test_answer_patient_lead_is_plain_source),
        cmocka_unit_test(test_answer_filters),
        cmocka_unit_test(test_answer_abstains_off_topic),
        cmocka_unit_test(test_answer_redflag_first),
        cmocka_unit_test(test_answer_deterministic),
        cmocka_unit_test(test_answer_json_schema),
        cmocka_unit_test(test_answer_html_escapes),
        cmocka_unit_test(test_answer_unanswered_never_cited),
        cmocka_unit_test(test_answer_dose_detection),
        cmocka_unit_test(test_answer_oom_sweep),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
