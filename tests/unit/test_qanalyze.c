/* SPDX-License-Identifier: MIT */
/* test_qanalyze.c: question analysis: type, rule focus, lexicon expansion,
 * spelling correction, follow-ups, long messages and corpus focus. */
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

#include "answer/layterms.h"
#include "answer/qanalyze.h"
#include "answer/spell.h"
#include "base/mem.h"

static const char lex_text[] = "charley horse\tmuscle cramp\tsynonym\n"
                               "K\tpotassium\tabbrev\n"
                               "calf\tsoleus\tbody_part\n"
                               "cramp\tmuscle cramp\tsynonym\n";

struct fixture {
    struct lexicon *lex;
    struct spell *spell;
};

static int setup(void **state)
{
    static const char *const words[] = {"baclofen", "cramps", "cramp",
                                        "muscle",   "dose",   "calf",
                                        "spasms",   "night",  "pregnancy"};
    struct fixture *f = galen_calloc(1, sizeof *f);
    size_t i;

    if (!f || lexicon_parse(lex_text, strlen(lex_text), &f->lex, NULL) ||
        spell_new(&f->spell))
        return -1;
    for (i = 0; i < ARRAY_SIZE(words); i++) {
        /* "cramps" is the more frequent form, as in real text. */
        uint64_t freq = strcmp(words[i], "cramps") == 0 ? 20 : 10;
        if (spell_add(f->spell, words[i], strlen(words[i]), freq))
            return -1;
    }
    if (spell_build(f->spell))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    lexicon_free(f->lex);
    spell_free(f->spell);
    galen_free(f);
    return 0;
}

static struct qanalysis *run(void **state, const char *q, const char *prev)
{
    struct fixture *f = *state;
    struct qanalyze_ctx c = {
        .lexicon = f->lex, .spell = f->spell, .previous = prev};
    struct qanalysis *qa = NULL;

    assert_int_equal(qanalyze(&c, q, strlen(q), &qa), GALEN_OK);
    return qa;
}

static void expect_focus(void **state, const char *q, enum qtype t,
                         const char *focus, enum focus_kind kind)
{
    struct qanalysis *qa = run(state, q, NULL);

    if (qa->qtype.type != t)
        fail_msg("'%s': type %s", q, qtype_name(qa->qtype.type));
    if (!qa->focus || strcmp(qa->focus, focus) != 0)
        fail_msg("'%s': focus '%s', want '%s'", q,
                 qa->focus ? qa->focus : "(none)", focus);
    assert_int_equal(qa->focus_kind, kind);
    assert_false(qa->is_message);
    qanalysis_free(qa);
}

static void test_qanalyze_seed_questions(void **state)
{
    expect_focus(state, "What causes soleus muscle cramps?", QTYPE_CAUSES,
                 "soleus muscle cramps", FOCUS_SYMPTOM);
    expect_focus(state, "What is a muscle cramp?", QTYPE_DEFINITION,
                 "muscle cramp", FOCUS_SYMPTOM);
    expect_focus(state, "What deficiency causes calf spasms?", QTYPE_CAUSES,
                 "calf spasms", FOCUS_SYMPTOM);
    expect_focus(state, "What are the causes of lower leg cramps?",
                 QTYPE_CAUSES, "lower leg cramps", FOCUS_SYMPTOM);
    expect_focus(state, "How is diabetes treated?", QTYPE_TREATMENT, "diabetes",
                 FOCUS_CONDITION);
    expect_focus(state, "What are the side effects of baclofen?",
                 QTYPE_SIDE_EFFECTS, "baclofen", FOCUS_DRUG);
}

/* "type" is a frame word ("what type of cramp") except before a number. */
static void test_qanalyze_numbered_type(void **state)
{
    expect_focus(state, "What are the symptoms of type 2 diabetes?",
                 QTYPE_SYMPTOMS, "type 2 diabetes", FOCUS_CONDITION);
    expect_focus(state, "How is type II diabetes treated?", QTYPE_TREATMENT,
                 "type II diabetes", FOCUS_CONDITION);
    expect_focus(state, "What type of diabetes causes thirst?", QTYPE_CAUSES,
                 "diabetes", FOCUS_CONDITION);
}

static void test_qanalyze_lexicon_terms(void **state)
{
    struct qanalysis *qa =
        run(state, "Why do I get charley horses? Low K?", NULL);
    size_t k;
    bool cramp = false, potassium = false;

    for (k = 0; k < qa->nterms; k++) {
        cramp = cramp || strcmp(qa->terms[k].text, "muscle cramp") == 0;
        potassium = potassium || strcmp(qa->terms[k].text, "potassium") == 0;
    }
    assert_true(cramp);
    assert_true(potassium);
    assert_non_null(strstr(qa->query, "muscle cramp"));
    assert_non_null(strstr(qa->query, "charley horses"));
    assert_null(qa->did_you_mean);
    qanalysis_free(qa);
}

/* "cramp" -> "muscle cramp" only narrows, as "diabetes" -> "diabetes
 * mellitus" does: it stays out of the retrieval query (which would rank the
 * pages that spell the term out, often rare variants, first) but remains an
 * expansion. */
static void test_qanalyze_narrowing_expansion(void **state)
{
    struct qanalysis *qa = run(state, "What helps a cramp at night?", NULL);
    size_t k;
    bool found = false;

    for (k = 0; k < qa->nterms; k++) {
        if (strcmp(qa->terms[k].text, "muscle cramp") == 0) {
            found = true;
            assert_true(qa->terms[k].weight < QANALYZE_QUERY_MIN_WEIGHT);
        }
    }
    assert_true(found);
    assert_null(strstr(qa->query, "muscle"));
    qanalysis_free(qa);
}

static void test_qanalyze_spelling(void **state)
{
    struct qanalysis *qa = run(state,
                               "What is the dose of Baclophen for "
                               "cramsp?",
                               NULL);

    assert_int_equal(qa->qtype.type, QTYPE_DOSAGE);
    assert_int_equal(qa->nfixes, 2);
    assert_string_equal(qa->fixes[0].from, "Baclophen");
    assert_string_equal(qa->fixes[0].to, "baclofen");
    assert_string_equal(qa->fixes[1].to, "cramps");
    assert_string_equal(qa->did_you_mean,
                        "What is the dose of baclofen for cramps?");
    assert_non_null(strstr(qa->query, "baclofen"));
    assert_int_equal(qanalyze_set_fix(qa, 1, "cramping"), GALEN_OK);
    assert_string_equal(qa->did_you_mean,
                        "What is the dose of baclofen for cramping?");
    assert_non_null(strstr(qa->query, "cramping"));
    assert_int_equal(qanalyze_set_fix(qa, 2, "x"), GALEN_EINVAL);
    qanalysis_free(qa);
    /* Known words, short words and lexicon words are left alone. */
    qa = run(state, "calf cramps at night, soleus", NULL);
    assert_int_equal(qa->nfixes, 0);
    assert_null(qa->did_you_mean);
    qanalysis_free(qa);
}

/* A callback that knows one word and corrects another, as the engine's
 * index-backed corrector does. */
static size_t fake_correct(void *ctx, const char *w, size_t len, char *out,
                           size_t cap)
{
    UNUSED(ctx);
    if (len == 6 && memcmp(w, "muscel", 6) == 0 && cap > 6) {
        memcpy(out, "muscl", 5);
        return 5;
    }
    return 0;
}

static void test_qanalyze_correct_callback(void **state)
{
    struct fixture *f = *state;
    struct qanalyze_ctx c = {.lexicon = f->lex, .correct = fake_correct};
    struct qanalysis *qa = NULL;
    const char *q = "Why does my muscel ache?";

    assert_int_equal(qanalyze(&c, q, strlen(q), &qa), GALEN_OK);
    assert_int_equal(qa->nfixes, 1);
    assert_string_equal(qa->fixes[0].to, "muscl");
    assert_int_equal(qanalyze_set_fix(qa, 0, "muscle"), GALEN_OK);
    assert_string_equal(qa->did_you_mean, "Why does my muscle ache?");
    qanalysis_free(qa);
}

/* Knows two misspellings that a message's story holds. */
static size_t story_correct(void *ctx, const char *w, size_t len, char *out,
                            size_t cap)
{
    static const char *const from[] = {"achandroplasia", "tesa"};
    static const char *const to[] = {"achondroplasia", "test"};
    size_t k;

    UNUSED(ctx);
    for (k = 0; k < ARRAY_SIZE(from); k++) {
        if (len == strlen(from[k]) && memcmp(w, from[k], len) == 0 &&
            cap > strlen(to[k])) {
            memcpy(out, to[k], strlen(to[k]));
            return strlen(to[k]);
        }
    }
    return 0;
}

/* A message's story is spell-checked in its long words only: the
 * condition it is about is often misspelled there, a short word is more
 * often a name. */
static void test_qanalyze_story_spelling(void **state)
{
    struct fixture *f = *state;
    struct qanalyze_ctx c = {.lexicon = f->lex, .correct = story_correct};
    struct qanalysis *qa = NULL;
    const char *m = "My son is nine and was found to have achandroplasia when "
                    "he was a baby. His doctor in Tesa retired last year. We "
                    "moved twice since then. What treatment can help him?";

    assert_int_equal(qanalyze(&c, m, strlen(m), &qa), GALEN_OK);
    assert_true(qa->is_message);
    assert_int_equal(qa->nfixes, 1);
    assert_string_equal(qa->fixes[0].to, "achondroplasia");
    qanalysis_free(qa);
}

/* A small everyday-English word list: every word of the test messages
 * but the names of conditions and medicines. */
static bool few_common(void *ctx, const char *w, size_t len)
{
    static const char *const words[] = {
        "dear",      "sir",       "hopeless", "unfortunate", "father",
        "son",       "suffering", "years",    "old",         "disease",
        "childhood", "want",      "provide",  "treatment",   "ready",
        "thing",     "kindly",    "extend",   "helping",     "hand",
        "nine",      "found",     "baby",     "retired",     "year",
        "moved",     "twice",     "then"};
    size_t k;

    UNUSED(ctx);
    for (k = 0; k < ARRAY_SIZE(words); k++) {
        if (len == strlen(words[k]) && memcmp(w, words[k], len) == 0)
            return true;
    }
    return false;
}

/* The focus is what the words name: a rare word (here a misspelt one,
 * given as its correction) before a greeting that the rules would take,
 * in a message or in one long sentence. */
static void test_qanalyze_naming_focus(void **state)
{
    struct fixture *f = *state;
    struct qanalyze_ctx c = {
        .lexicon = f->lex, .correct = story_correct, .common_word = few_common};
    struct qanalysis *qa = NULL;
    const char *m = "Dear Sir, i am hopeless and unfortunate father of only "
                    "one son who is suffering by achandroplasia, he is 9 "
                    "years old, i want to provide better treatment to him.";

    assert_int_equal(qanalyze(&c, m, strlen(m), &qa), GALEN_OK);
    assert_string_equal(qa->focus, "achondroplasia");
    /* A better surface form of the correction follows into the focus. */
    assert_int_equal(qanalyze_set_fix(qa, 0, "Achondroplasia"), GALEN_OK);
    assert_string_equal(qa->focus, "Achondroplasia");
    qanalysis_free(qa);
    /* Without a word list nothing is known to be rare: the rule focus. */
    c.common_word = NULL;
    assert_int_equal(qanalyze(&c, m, strlen(m), &qa), GALEN_OK);
    assert_string_equal(qa->focus, "Dear Sir");
    qanalysis_free(qa);
}

static void test_qanalyze_rare_word(void **state)
{
    UNUSED(state);
    assert_true(qanalyze_is_rare_word(few_common, NULL, "Achondroplasia", 14));
    assert_true(qanalyze_is_rare_word(few_common, NULL, "MDS", 3));
    assert_false(qanalyze_is_rare_word(few_common, NULL, "ive", 3));
    assert_false(qanalyze_is_rare_word(few_common, NULL, "Father", 6));
    assert_false(qanalyze_is_rare_word(few_common, NULL, "47xxy", 5));
    assert_false(qanalyze_is_rare_word(few_common, NULL, "what", 4));
}

/* What names something, for the evidence model's key concepts: the word
 * lists, health care words and their plurals, codes, rare words; never a
 * story's everyday words or a number with its unit. A condition, a code
 * or a rare name weighs 2, a word of care 1. */
static void test_qanalyze_name_weight(void **state)
{
    struct qanalysis *qa = run(state, "Is a charley horse from K?", NULL);

    static const struct {
        const char *w;
        double weight;
    } cases[] = {{"cramps", 2},    {"bronchitis", 2}, {"B12", 2},
                 {"H1N1", 2},      {"22q11", 2},      {"Achondroplasia", 2},
                 {"insulin", 1},   {"calf", 1},       {"illness", 1},
                 {"hives", 1},     {"Chemo", 1},      {"ovaries", 1},
                 {"disorders", 1}, {"arteries", 1},   {"Bronchial", 1},
                 {"virus", 1},     {"father", 0},     {"son", 0},
                 {"helping", 0},   {"10mg", 0},       {"5th", 0},
                 {"1990s", 0},     {"2", 0},          {"ive", 0}};

    size_t k;

    for (k = 0; k < ARRAY_SIZE(cases); k++) {
        double w = qanalyze_name_weight(qa, few_common, NULL, cases[k].w,
                                        strlen(cases[k].w));

        if (w != cases[k].weight)
            fail_msg("'%s' weighs %g, want %g", cases[k].w, w, cases[k].weight);
    }
    /* Without a word list no word is rare. */
    assert_true(qanalyze_name_weight(qa, NULL, NULL, "Achondroplasia", 14) ==
                0);
    /* The lexicon's phrases in the question, on both sides of an entry. */
    assert_non_null(qa->lexical);
    assert_non_null(strstr(qa->lexical, "charley horse"));
    assert_non_null(strstr(qa->lexical, "K"));
    qanalysis_free(qa);
    qa = run(state, "How do I fix a bike chain?", NULL);
    assert_null(qa->lexical);
    qanalysis_free(qa);
}

static void test_qanalyze_follow_up(void **state)
{
    struct qanalysis *qa =
        run(state, "and during pregnancy?", "What causes leg cramps?");

    assert_true(qa->is_follow_up);
    assert_true(qa->focus_inherited);
    assert_string_equal(qa->focus, "leg cramps");
    assert_string_equal(qa->qualifiers, "pregnancy");
    assert_int_equal(qa->qtype.type, QTYPE_CAUSES);
    assert_non_null(strstr(qa->query, "leg cramps"));
    qanalysis_free(qa);
    qa = run(state, "Is it serious?", "What causes leg cramps?");
    assert_string_equal(qa->focus, "leg cramps");
    assert_int_equal(qa->qtype.type, QTYPE_WHEN_TO_SEE_DOCTOR);
    qanalysis_free(qa);
    /* A question with its own focus is not a follow-up. */
    qa = run(state, "What is baclofen?", "What causes leg cramps?");
    assert_false(qa->focus_inherited);
    assert_string_equal(qa->focus, "baclofen");
    qanalysis_free(qa);
}

static const char seed_message[] =
    "Leg cramps?\n\n"
    "I have been experiencing a sensation of warmth in my right calf at "
    "night for the past few months. My middle toe, ring toe, and little toe "
    "tend to curl up and then relax. However, if I get up and sit for a few "
    "minutes, the symptoms improve. Now, the symptoms start whenever I sit "
    "or lie down, but they resolve with movement. I consulted a practitioner "
    "who suggested that I have poor blood circulation.";

static void test_qanalyze_long_message(void **state)
{
    struct qanalysis *qa = run(state, seed_message, NULL);

    assert_true(qa->is_message);
    assert_int_equal(qa->nsubs, 1);
    assert_memory_equal(qa->text + qa->subs[0].start, "Leg cramps?", 11);
    assert_string_equal(qa->focus, "Leg cramps");
    assert_true(qa->qtype.mask & (1u << QTYPE_CAUSES));
    assert_true(qa->qtype.mask & (1u << QTYPE_TREATMENT));
    assert_true(qa->qtype.mask & (1u << QTYPE_WHEN_TO_SEE_DOCTOR));
    qanalysis_free(qa);
}

static void test_qanalyze_message_questions(void **state)
{
    const char *m =
        "Hello doctor. I am 45 and I walk a lot every day for my work. For "
        "two weeks my calves have been cramping badly at night and I wake "
        "up in pain. I drink plenty of water and I eat bananas. What could "
        "be causing this? Should I take magnesium?";
    struct qanalysis *qa = run(state, m, NULL);

    assert_true(qa->is_message);
    assert_int_equal(qa->nsubs, 2);
    assert_int_equal(qa->subs[0].type, QTYPE_CAUSES);
    assert_int_equal(qa->qtype.type, QTYPE_CAUSES);
    qanalysis_free(qa);
}

static void test_qanalyze_refine_focus(void **state)
{
    static const struct focus_cand c[] = {
        {"muscle cramp", NULL, FOCUS_SYMPTOM, 2.0},
        {"charley horse", "muscle cramp", FOCUS_NONE, 1.0},
        {"horse", NULL, FOCUS_OTHER, 9.0},
        {"diabetes", NULL, FOCUS_CONDITION, 5.0},
    };
    struct qanalysis *qa = run(state, "Why do I get charley horses?", NULL);

    assert_int_equal(qanalyze_refine_focus(qa, c, ARRAY_SIZE(c)), GALEN_OK);
    assert_string_equal(qa->focus, "muscle cramp");
    assert_int_equal(qa->focus_kind, FOCUS_SYMPTOM);
    qanalysis_free(qa);
    qa = run(state, "Hello there", NULL);
    assert_int_equal(qanalyze_refine_focus(qa, c, ARRAY_SIZE(c)), GALEN_OK);
    assert_null(qa->focus);
    qanalysis_free(qa);
}

/* A rule focus the retrieved text never uses ("Dear Sir") gives way to
 * the question's phrase that most texts hold; one they use stays. */
static void test_qanalyze_corpus_focus(void **state)
{
    static const char *const texts[] = {
        "Achondroplasia is a form of short-limbed dwarfism.",
        "People with achondroplasia have short stature.",
        "Growth hormone does not treat achondroplasia well."};
    struct qanalysis *qa =
        run(state, "Dear Sir, can achondroplasia be treated?", NULL);

    assert_int_equal(qanalyze_corpus_focus(qa, texts, 3), GALEN_OK);
    assert_string_equal(qa->focus, "achondroplasia");
    qanalysis_free(qa);
    qa = run(state, "What is a muscle cramp?", NULL);
    assert_int_equal(qanalyze_corpus_focus(qa, texts, 3), GALEN_OK);
    assert_string_equal(qa->focus, "muscle cramp");
    qanalysis_free(qa);
    assert_true(qanalyze_medical_share(qa = run(state, "knee pain", NULL)) >
                0.99);
    qanalysis_free(qa);
}

static void test_qanalyze_words_and_kinds(void **state)
{
    UNUSED(state);
    assert_true(qanalyze_is_frame_word("What", 4));
    assert_true(qanalyze_is_frame_word("your", 4));
    assert_true(qanalyze_is_frame_word("about", 5));
    assert_false(qanalyze_is_frame_word("cramp", 5));
    assert_int_equal(qanalyze_focus_kind("calf", 4), FOCUS_BODY_PART);
    assert_int_equal(qanalyze_focus_kind("ibuprofen", 9), FOCUS_DRUG);
    assert_int_equal(qanalyze_focus_kind("hepatitis", 9), FOCUS_CONDITION);
    assert_int_equal(qanalyze_focus_kind("", 0), FOCUS_NONE);
    assert_string_equal(qanalyze_focus_kind_name(FOCUS_BODY_PART), "body_part");
}

static void test_qanalyze_empty_and_junk(void **state)
{
    struct qanalysis *qa = run(state, "", NULL);

    assert_null(qa->focus);
    assert_int_equal(qa->qtype.type, QTYPE_OTHER);
    assert_string_equal(qa->query, "");
    qanalysis_free(qa);
    qa = run(state, "?!?? ...", "what causes cramps");
    assert_string_equal(qa->focus, "cramps");
    qanalysis_free(qa);
}

static void test_qanalyze_oom_sweep(void **state)
{
    struct fixture *f = *state;
    struct qanalyze_ctx c = {.lexicon = f->lex,
                             .spell = f->spell,
                             .previous = "What causes leg cramps?"};
    long n;

    for (n = 0; n < 500; n++) {
        struct qanalysis *qa = NULL;
        const char *q = "and a baclophen dose for charley horses?";
        int rc;

        mem_fail_after(n);
        rc = qanalyze(&c, q, strlen(q), &qa);
        mem_fail_after(-1);
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
        cmocka_unit_test(test_qanalyze_seed_questions),
        cmocka_unit_test(test_qanalyze_numbered_type),
        cmocka_unit_test(test_qanalyze_lexicon_terms),
        cmocka_unit_test(test_qanalyze_narrowing_expansion),
        cmocka_unit_test(test_qanalyze_spelling),
        cmocka_unit_test(test_qanalyze_correct_callback),
        cmocka_unit_test(test_qanalyze_story_spelling),
        cmocka_unit_test(test_qanalyze_follow_up),
        cmocka_unit_test(test_qanalyze_long_message),
        cmocka_unit_test(test_qanalyze_message_questions),
        cmocka_unit_test(test_qanalyze_refine_focus),
        cmocka_unit_test(test_qanalyze_corpus_focus),
        cmocka_unit_test(test_qanalyze_words_and_kinds),
        cmocka_unit_test(test_qanalyze_empty_and_junk),
        cmocka_unit_test(test_qanalyze_oom_sweep),
        cmocka_unit_test(test_qanalyze_naming_focus),
        cmocka_unit_test(test_qanalyze_rare_word),
        cmocka_unit_test(test_qanalyze_name_weight),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
