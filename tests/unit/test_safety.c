/* SPDX-License-Identifier: MIT */
/* test_safety.c: the safety pass over a composed answer: companions file
 * parsing and its errors, warnings placed before a medicine's sentence
 * (from a source, a candidate or a search), the note when none exists,
 * conflicting self-care dropped, patient doses and jargon, and requests
 * for a prescription medicine without a prescription. */
/* cmocka.h needs the headers before it, so clang-format must not sort it. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
/* clang-format on */

#include <galen/error.h>

#include "answer/answer.h"
#include "answer/redflag.h"
#include "answer/safety.h"
#include "base/mem.h"
#include "content/doc.h"

static const char companions[] =
    "# test companions\n"
    "quinine\tquinine\tquinine|tonic water\trx\tplatelet*|bleeding\tFDA\n"
    "magnesium\tmagnesium\tmagnesium\totc\tkidney*\tNIH ODS\n";

static const char rules[] =
    "id: dvt\n"
    "all: calf, swollen\n"
    "urgency: urgent\n"
    "message: m\naction: a\naction-source: s\nsource: s\n"
    "conflicts: massage*|rub*\n";

static struct safety *load(void)
{
    struct safety *sf = NULL;
    struct diag d;

    if (safety_parse(companions, strlen(companions), &sf, &d) != GALEN_OK)
        fail_msg("line %ld: %s", d.line, d.msg);
    return sf;
}

static struct doc *make_doc(const char *id, const char *text)
{
    struct doc *d = doc_new();

    assert_non_null(d);
    assert_int_equal(doc_set_cstr(&d->id, id), GALEN_OK);
    assert_int_equal(doc_set_cstr(&d->title, id), GALEN_OK);
    assert_int_equal(doc_add_section(d, "", text, strlen(text)), GALEN_OK);
    return d;
}

/* An answer quoting the given sentences, all from one source document
 * made of them, in the lead (and the patient block when block is set). */
static struct galen_answer *make_answer(const char *const *sents, size_t n,
                                        const bool *dose)
{
    struct galen_answer *ans = galen_calloc(1, sizeof *ans);
    char text[4096] = "";
    size_t k, off = 0;

    assert_non_null(ans);
    ans->sentences = galen_calloc(n, sizeof *ans->sentences);
    ans->lead = galen_calloc(n, sizeof *ans->lead);
    ans->sources = galen_calloc(1, sizeof *ans->sources);
    assert_non_null(ans->sentences);
    for (k = 0; k < n; k++) {
        struct answer_sentence *s = &ans->sentences[k];
        s->text = galen_strdup(sents[k]);
        s->start = off;
        s->end = off + strlen(sents[k]);
        s->is_dose = dose && dose[k];
        s->facet = QTYPE_TREATMENT;
        strcat(text, sents[k]);
        strcat(text, " ");
        off = strlen(text);
        ans->lead[k] = k;
    }
    ans->nsentences = ans->nlead = n;
    ans->sources[0].doc = make_doc("src", text);
    ans->sources[0].number = 1;
    ans->sources[0].cited = true;
    ans->nsources = 1;
    return ans;
}

static const char *lead_text(const struct galen_answer *ans, size_t k)
{
    return k < ans->nlead ? ans->sentences[ans->lead[k]].text : "";
}

static void in_init(struct safety_in *in, const char *q)
{
    memset(in, 0, sizeof *in);
    in->question = q;
    in->audience = GALEN_AUDIENCE_PATIENT;
}

static void test_safety_parse_errors(void **state)
{
    static const char *const bad[] = {
        "quinine\tquinine\tquinine\trx\tbleeding\n",         /* 5 cols */
        "quinine\tquinine\tquinine\tmaybe\tbleeding\tFDA\n", /* rx|otc */
        "Quinine\tquinine\tquinine\trx\tbleeding\tFDA\n",    /* id */
        "q\tq\tq\trx\tb\tF\nq\tq\tq\trx\tb\tF\n",            /* dup */
        "q\tq\tq||r\trx\tb\tF\n",                            /* term */
        "q\tq\tq\trx\t\tF\n",                                /* empty */
        "# nothing\n",                                       /* none */
    };
    struct safety *sf = NULL;
    struct diag d;
    size_t i;

    UNUSED(state);
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        if (safety_parse(bad[i], strlen(bad[i]), &sf, &d) != GALEN_EPARSE)
            fail_msg("case %zu parsed", i);
    }
    assert_int_equal(safety_load("/nonexistent/companions.tsv", &sf, &d),
                     GALEN_ENOENT);
    sf = load();
    assert_int_equal(safety_count(sf), 2);
    safety_free(sf);
    safety_free(NULL);
}

/* A benefit sentence gets the warning from its own source right before
 * it; a warning already quoted is not added twice. */
static void test_safety_warning_from_source(void **state)
{
    static const char *const s[] = {
        "Quinine reduces cramps a little.",
        "Stretching helps.",
        "Quinine can cause serious bleeding from low platelets.",
    };
    struct galen_answer *ans = make_answer(s, 2, NULL);
    struct safety *sf = load();
    struct safety_in in;

    UNUSED(state);
    /* the source holds the warning, but only the first two are quoted */
    doc_free(ans->sources[0].doc);
    ans->sources[0].doc = make_doc("src", "Quinine reduces cramps a little. "
                                          "Quinine can cause serious bleeding "
                                          "from low platelets [2].");
    in_init(&in, "does quinine help cramps");
    assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 3);
    assert_string_equal(lead_text(ans, 0), s[2]);
    assert_string_equal(lead_text(ans, 1), s[0]);
    assert_int_equal(ans->sentences[ans->lead[0]].source, 0);
    assert_int_equal(ans->nnotes, 0);
    /* idempotent: a second pass adds nothing */
    assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 3);
    answer_free(ans);
    safety_free(sf);
}

/* A patient gets the plain warning, a clinician the first one. */
static void test_safety_plain_warning(void **state)
{
    static const char *const s[] = {"Quinine reduces cramps a little."};
    static const char src[] = "Quinine reduces cramps a little. Quinine "
                              "causes thrombocytopenia and bleeding. Quinine "
                              "can cause serious bleeding.";
    struct safety *sf = load();
    struct safety_in in;
    struct galen_answer *ans;
    int a;

    UNUSED(state);
    for (a = 0; a < 2; a++) {
        ans = make_answer(s, 1, NULL);
        doc_free(ans->sources[0].doc);
        ans->sources[0].doc = make_doc("src", src);
        in_init(&in, "quinine for cramps");
        in.audience = a ? GALEN_AUDIENCE_CLINICIAN : GALEN_AUDIENCE_PATIENT;
        assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
        assert_string_equal(lead_text(ans, 0),
                            a ? "Quinine causes thrombocytopenia and bleeding."
                              : "Quinine can cause serious bleeding.");
        answer_free(ans);
    }
    safety_free(sf);
}

static int search_cb(void *ctx, const char *q, struct answer_cand **out,
                     size_t *n)
{
    int *calls = ctx;
    (*calls)++;
    assert_non_null(strstr(q, "magnesium"));
    size_t k;

    /* more documents than the pass keeps: the rest must be freed */
    *out = galen_calloc(14, sizeof **out);
    if (!*out)
        return GALEN_ENOMEM;
    (*out)[0].doc = make_doc("found", "Magnesium builds up when the kidneys "
                                      "fail. Other text.");
    for (k = 1; k < 14; k++)
        (*out)[k].doc = make_doc("other", "Nothing here.");
    *n = 14;
    return GALEN_OK;
}

/* No source holds a warning: a candidate does, else a search does, else
 * the answer says so. */
static void test_safety_warning_from_cands_search_or_note(void **state)
{
    static const char *const s[] = {"Magnesium may help cramps."};
    struct galen_answer *ans = make_answer(s, 1, NULL);
    struct safety *sf = load();
    struct safety_in in;
    struct answer_cand cand = {NULL, 2.0, 0};
    int calls = 0;

    UNUSED(state);
    cand.doc = make_doc("cand", "Do not take magnesium with kidney disease.");
    in_init(&in, "magnesium for cramps");
    in.cands = &cand;
    in.ncands = 1;
    assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 2);
    assert_string_equal(lead_text(ans, 0),
                        "Do not take magnesium with kidney disease.");
    assert_int_equal(ans->nsources, 2);
    assert_null(cand.doc); /* moved into the answer */
    assert_int_equal(ans->sources[1].number, 2);
    answer_free(ans);

    /* the ask's filters hold: a consumer page is no guideline */
    ans = make_answer(s, 1, NULL);
    cand.doc = make_doc("cand", "Do not take magnesium with kidney disease.");
    cand.doc->kind = DOC_KIND_CONSUMER;
    in.kinds = 1u << DOC_KIND_GUIDELINE;
    assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 1);
    assert_int_equal(ans->nnotes, 1);
    assert_non_null(cand.doc);
    doc_free(cand.doc);
    answer_free(ans);
    in.kinds = 0;

    ans = make_answer(s, 1, NULL);
    in.ncands = 0;
    in.search = search_cb;
    in.search_ctx = &calls;
    assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
    assert_int_equal(calls, 1);
    assert_string_equal(lead_text(ans, 0),
                        "Magnesium builds up when the kidneys fail.");
    answer_free(ans);

    ans = make_answer(s, 1, NULL);
    in.search = NULL;
    assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 1);
    assert_int_equal(ans->nnotes, 1);
    assert_non_null(strstr(ans->notes[0], "no warning about magnesium"));
    answer_free(ans);
    safety_free(sf);
}

static void test_safety_conflicts(void **state)
{
    static const char *const s[] = {
        "Rub and massage the calf to ease a cramp.",
        "Do not massage a leg that may have a clot.",
        "A swollen calf needs checking.",
        "Quinine reduces cramps.",
    };
    struct galen_answer *ans = make_answer(s, 3, NULL);
    struct safety *sf;
    struct redflag_rules *rs = NULL;
    const struct redflag_rule *flags[2];
    struct safety_in in;
    const char *q = "my calf is swollen";

    UNUSED(state);
    assert_int_equal(redflag_parse(rules, strlen(rules), &rs, NULL), GALEN_OK);
    in_init(&in, q);
    in.rules = rs;
    in.flags = flags;
    in.nflags = redflag_match(rs, q, strlen(q), flags, 2);
    assert_int_equal(in.nflags, 1);
    assert_int_equal(safety_apply(NULL, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 2);
    assert_string_equal(lead_text(ans, 0), s[1]);
    answer_free(ans);

    /* a medicine warning that offers conflicting self-care is not quoted */
    sf = load();
    ans = make_answer(s + 2, 2, NULL);
    doc_free(ans->sources[0].doc);
    ans->sources[0].doc = make_doc("src", "Massage the calf, and remember "
                                          "quinine can cause bleeding.");
    assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 2);
    assert_int_equal(ans->nnotes, 1);
    assert_non_null(strstr(ans->notes[0], "no warning about quinine"));
    answer_free(ans);
    safety_free(sf);
    redflag_free(rs);
}

static void test_safety_doses_and_jargon(void **state)
{
    static const char *const s[] = {
        "Take 200 mg of quinine at night.",
        "Ephaptic transmission between nerve fibres drives cramps.",
        "Quinine can cause serious bleeding.",
    };
    static const bool dose[] = {true, false, false};
    struct galen_answer *ans = make_answer(s, 3, dose);
    struct safety_in in;

    UNUSED(state);
    in_init(&in, "why do I get cramps");
    assert_int_equal(safety_apply(NULL, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 1);
    assert_string_equal(lead_text(ans, 0), s[2]);
    answer_free(ans);

    /* asked about the dose: kept; a clinician keeps the jargon */
    ans = make_answer(s, 3, dose);
    in_init(&in, "what dose of quinine");
    in.audience = GALEN_AUDIENCE_CLINICIAN;
    assert_int_equal(safety_apply(NULL, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 3);
    answer_free(ans);

    /* jargon stays when nothing plain would be left */
    ans = make_answer(s + 1, 1, NULL);
    in_init(&in, "why do I get cramps");
    assert_int_equal(safety_apply(NULL, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 1);
    answer_free(ans);
}

/* A prescription medicine without a prescription: no dose, whoever asks,
 * and a note. */
static void test_safety_rx_request(void **state)
{
    static const char *const s[] = {
        "Take 200 mg of quinine at night.",
        "Quinine can cause serious bleeding.",
    };
    static const bool dose[] = {true, false};
    struct galen_answer *ans = make_answer(s, 2, dose);
    struct safety *sf = load();
    struct safety_in in;

    UNUSED(state);
    in_init(&in, "how much quinine can I buy online without a prescription");
    in.audience = GALEN_AUDIENCE_CLINICIAN;
    assert_int_equal(safety_apply(sf, &in, ans), GALEN_OK);
    assert_int_equal(ans->nlead, 1);
    assert_string_equal(lead_text(ans, 0), s[1]);
    assert_int_equal(ans->nnotes, 1);
    assert_non_null(strstr(ans->notes[0], "prescription"));
    answer_free(ans);
    safety_free(sf);
}

static void test_safety_oom_sweep(void **state)
{
    static const char *const s[] = {"Magnesium may help cramps.",
                                    "Quinine reduces cramps."};
    long n;

    UNUSED(state);
    for (n = 0; n < 400; n++) {
        struct galen_answer *ans = make_answer(s, 2, NULL);
        struct safety *sf = load();
        struct safety_in in;
        struct answer_cand cand = {NULL, 1.0, 0};
        int rc;

        cand.doc = make_doc("c", "Magnesium is risky with kidney disease. "
                                 "Quinine causes bleeding.");
        in_init(&in, "cramps");
        in.cands = &cand;
        in.ncands = 1;
        mem_fail_after(n);
        rc = safety_apply(sf, &in, ans);
        mem_fail_after(-1);
        doc_free(cand.doc);
        answer_free(ans);
        safety_free(sf);
        if (rc == GALEN_OK)
            return;
        assert_int_equal(rc, GALEN_ENOMEM);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safety_parse_errors),
        cmocka_unit_test(test_safety_warning_from_source),
        cmocka_unit_test(test_safety_warning_from_cands_search_or_note),
        cmocka_unit_test(test_safety_plain_warning),
        cmocka_unit_test(test_safety_conflicts),
        cmocka_unit_test(test_safety_doses_and_jargon),
        cmocka_unit_test(test_safety_rx_request),
        cmocka_unit_test(test_safety_oom_sweep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
