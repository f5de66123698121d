/* SPDX-License-Identifier: MIT */
/* qtype.c: question-type rules. Each cue phrase adds its weight to one type
 * wherever it occurs in the question (word-boundary match, '*' = prefix);
 * the highest total wins, ties going to the more specific type (the order
 * of tie_order). "What is X?" with no stronger cue is a definition. The
 * tables are the documentation: docs/answer.md lists them by type. */
#include "qtype.h"

#include <string.h>

#include "text/words.h"

struct cue {
    const char *phrase;
    enum qtype type;
    int weight;
};

static const struct cue question_cues[] = {
    /* definition: weak, so any other cue wins */
    {"what is", QTYPE_DEFINITION, 1},
    {"what are", QTYPE_DEFINITION, 1},
    {"what s", QTYPE_DEFINITION, 1},
    {"whats", QTYPE_DEFINITION, 1},
    {"define", QTYPE_DEFINITION, 3},
    {"definition", QTYPE_DEFINITION, 3},
    {"meaning of", QTYPE_DEFINITION, 3},
    {"mean", QTYPE_DEFINITION, 2},
    {"information about", QTYPE_DEFINITION, 2},
    {"information on", QTYPE_DEFINITION, 2},
    {"tell me about", QTYPE_DEFINITION, 2},
    {"explain", QTYPE_DEFINITION, 1},
    /* causes */
    {"caus*", QTYPE_CAUSES, 3},
    {"why do", QTYPE_CAUSES, 2},
    {"why does", QTYPE_CAUSES, 2},
    {"why did", QTYPE_CAUSES, 2},
    {"why am i", QTYPE_CAUSES, 2},
    {"why is", QTYPE_CAUSES, 2},
    {"why are", QTYPE_CAUSES, 2},
    {"why would", QTYPE_CAUSES, 2},
    {"reason*", QTYPE_CAUSES, 2},
    {"trigger*", QTYPE_CAUSES, 3},
    {"deficien*", QTYPE_CAUSES, 2},
    {"etiology", QTYPE_CAUSES, 3},
    {"aetiology", QTYPE_CAUSES, 3},
    {"how do you get", QTYPE_CAUSES, 3},
    {"how do people get", QTYPE_CAUSES, 3},
    {"how did i get", QTYPE_CAUSES, 3},
    {"where does", QTYPE_CAUSES, 1},
    {"come from", QTYPE_CAUSES, 2},
    {"responsible for", QTYPE_CAUSES, 2},
    {"lead to", QTYPE_CAUSES, 1},
    {"due to", QTYPE_CAUSES, 1},
    /* symptoms */
    {"symptom*", QTYPE_SYMPTOMS, 3},
    {"sign", QTYPE_SYMPTOMS, 2},
    {"signs", QTYPE_SYMPTOMS, 3},
    {"feel like", QTYPE_SYMPTOMS, 2},
    {"what does it feel", QTYPE_SYMPTOMS, 3},
    {"manifestation*", QTYPE_SYMPTOMS, 3},
    {"how do i know if i have", QTYPE_SYMPTOMS, 2},
    {"warning signs", QTYPE_SYMPTOMS, 2},
    /* diagnosis and tests */
    {"diagnos*", QTYPE_DIAGNOSIS, 4},
    {"test", QTYPE_DIAGNOSIS, 3},
    {"tests", QTYPE_DIAGNOSIS, 3},
    {"testing", QTYPE_DIAGNOSIS, 3},
    {"tested", QTYPE_DIAGNOSIS, 3},
    {"screen*", QTYPE_DIAGNOSIS, 3},
    {"exam", QTYPE_DIAGNOSIS, 3},
    {"exams", QTYPE_DIAGNOSIS, 3},
    {"examination*", QTYPE_DIAGNOSIS, 3},
    {"detect*", QTYPE_DIAGNOSIS, 3},
    {"biopsy", QTYPE_DIAGNOSIS, 3},
    {"find out if", QTYPE_DIAGNOSIS, 2},
    {"how do i know if", QTYPE_DIAGNOSIS, 1},
    {"how is it confirmed", QTYPE_DIAGNOSIS, 3},
    /* treatment */
    {"treat*", QTYPE_TREATMENT, 4},
    {"therap*", QTYPE_TREATMENT, 3},
    {"cure", QTYPE_TREATMENT, 4},
    {"cures", QTYPE_TREATMENT, 4},
    {"cured", QTYPE_TREATMENT, 4},
    {"curable", QTYPE_TREATMENT, 3},
    {"remed*", QTYPE_TREATMENT, 4},
    {"relie*", QTYPE_TREATMENT, 4},
    {"get rid of", QTYPE_TREATMENT, 4},
    {"manag*", QTYPE_TREATMENT, 3},
    {"what can i do", QTYPE_TREATMENT, 3},
    {"what should i do", QTYPE_TREATMENT, 3},
    {"what to do", QTYPE_TREATMENT, 3},
    {"how can i stop", QTYPE_TREATMENT, 3},
    {"how do i stop", QTYPE_TREATMENT, 3},
    {"how to stop", QTYPE_TREATMENT, 3},
    {"help with", QTYPE_TREATMENT, 2},
    {"helps", QTYPE_TREATMENT, 2},
    {"medication*", QTYPE_TREATMENT, 1},
    {"medicine*", QTYPE_TREATMENT, 1},
    {"surgery", QTYPE_TREATMENT, 2},
    {"ease", QTYPE_TREATMENT, 3},
    {"heal", QTYPE_TREATMENT, 3},
    {"fix", QTYPE_TREATMENT, 2},
    {"best way to", QTYPE_TREATMENT, 1},
    /* prevention */
    {"prevent*", QTYPE_PREVENTION, 5},
    {"avoid*", QTYPE_PREVENTION, 4},
    {"reduce the risk", QTYPE_PREVENTION, 4},
    {"lower the risk", QTYPE_PREVENTION, 4},
    {"reduce my risk", QTYPE_PREVENTION, 4},
    {"lower my risk", QTYPE_PREVENTION, 4},
    {"keep from", QTYPE_PREVENTION, 3},
    {"protect*", QTYPE_PREVENTION, 3},
    {"vaccin*", QTYPE_PREVENTION, 2},
    {"stop getting", QTYPE_PREVENTION, 4},
    /* dosage */
    {"dose", QTYPE_DOSAGE, 4},
    {"doses", QTYPE_DOSAGE, 4},
    {"dosage*", QTYPE_DOSAGE, 5},
    {"dosing", QTYPE_DOSAGE, 5},
    {"how much", QTYPE_DOSAGE, 3},
    {"how many mg", QTYPE_DOSAGE, 5},
    {"mg", QTYPE_DOSAGE, 2},
    {"milligram*", QTYPE_DOSAGE, 3},
    {"how often should i take", QTYPE_DOSAGE, 4},
    {"how many tablets", QTYPE_DOSAGE, 4},
    {"how many pills", QTYPE_DOSAGE, 4},
    /* side effects */
    {"side effect*", QTYPE_SIDE_EFFECTS, 6},
    {"adverse", QTYPE_SIDE_EFFECTS, 4},
    {"reaction*", QTYPE_SIDE_EFFECTS, 2},
    {"safe to take", QTYPE_SIDE_EFFECTS, 3},
    {"interact*", QTYPE_SIDE_EFFECTS, 3},
    {"contraindicat*", QTYPE_SIDE_EFFECTS, 4},
    {"toxicity", QTYPE_SIDE_EFFECTS, 4},
    {"overdose", QTYPE_SIDE_EFFECTS, 3},
    /* prognosis */
    {"prognos*", QTYPE_PROGNOSIS, 6},
    {"outlook", QTYPE_PROGNOSIS, 5},
    {"life expectancy", QTYPE_PROGNOSIS, 6},
    {"surviv*", QTYPE_PROGNOSIS, 4},
    {"how long does", QTYPE_PROGNOSIS, 3},
    {"how long will", QTYPE_PROGNOSIS, 3},
    {"how long do", QTYPE_PROGNOSIS, 3},
    {"go away", QTYPE_PROGNOSIS, 3},
    {"recover*", QTYPE_PROGNOSIS, 3},
    {"fatal", QTYPE_PROGNOSIS, 3},
    {"deadly", QTYPE_PROGNOSIS, 3},
    {"die from", QTYPE_PROGNOSIS, 3},
    {"complication*", QTYPE_PROGNOSIS, 3},
    {"permanent", QTYPE_PROGNOSIS, 2},
    {"long term", QTYPE_PROGNOSIS, 2},
    /* risk factors */
    {"risk factor*", QTYPE_RISK_FACTORS, 6},
    {"at risk", QTYPE_RISK_FACTORS, 4},
    {"who gets", QTYPE_RISK_FACTORS, 4},
    {"who is at", QTYPE_RISK_FACTORS, 4},
    {"who can get", QTYPE_RISK_FACTORS, 4},
    {"more likely", QTYPE_RISK_FACTORS, 3},
    {"increase the risk", QTYPE_RISK_FACTORS, 4},
    {"increases the risk", QTYPE_RISK_FACTORS, 4},
    {"susceptib*", QTYPE_RISK_FACTORS, 4},
    {"prone to", QTYPE_RISK_FACTORS, 3},
    {"hereditary", QTYPE_RISK_FACTORS, 3},
    {"inherit*", QTYPE_RISK_FACTORS, 3},
    {"run in families", QTYPE_RISK_FACTORS, 4},
    {"runs in families", QTYPE_RISK_FACTORS, 4},
    {"how common", QTYPE_RISK_FACTORS, 2},
    /* when to see a doctor */
    {"see a doctor", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"see the doctor", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"see my doctor", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"see a gp", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"call a doctor", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"call my doctor", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"call 911", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"go to the er", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"go to the hospital", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"go to the emergency", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"when to see", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"should i see", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"need to see", QTYPE_WHEN_TO_SEE_DOCTOR, 4},
    {"should i worry", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"should i be worried", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"should i be concerned", QTYPE_WHEN_TO_SEE_DOCTOR, 5},
    {"is it serious", QTYPE_WHEN_TO_SEE_DOCTOR, 4},
    {"is this serious", QTYPE_WHEN_TO_SEE_DOCTOR, 4},
    {"is it dangerous", QTYPE_WHEN_TO_SEE_DOCTOR, 4},
    {"is this dangerous", QTYPE_WHEN_TO_SEE_DOCTOR, 4},
    {"seek medical", QTYPE_WHEN_TO_SEE_DOCTOR, 4},
    {"emergency", QTYPE_WHEN_TO_SEE_DOCTOR, 3},
    {"urgent*", QTYPE_WHEN_TO_SEE_DOCTOR, 3},
    /* comparison */
    {"difference between", QTYPE_COMPARISON, 6},
    {"differences between", QTYPE_COMPARISON, 6},
    {"differ*", QTYPE_COMPARISON, 2},
    {"vs", QTYPE_COMPARISON, 5},
    {"versus", QTYPE_COMPARISON, 5},
    {"compar*", QTYPE_COMPARISON, 5},
    {"better than", QTYPE_COMPARISON, 5},
    {"worse than", QTYPE_COMPARISON, 5},
    {"which is better", QTYPE_COMPARISON, 6},
    {"same as", QTYPE_COMPARISON, 4},
    {"or is it", QTYPE_COMPARISON, 2},
};

/* Cue phrases that mark a sentence as answering a type. */
struct sentence_cues {
    enum qtype type;
    const char *const *phrases;
};

static const char *const def_cues[] = {
    "is a",        "is an",        "are a",     "refers to",
    "defined as",  "characteriz*", "is called", "known as",
    "involuntary", "type of",      "means",     NULL};
static const char *const causes_cues[] = {
    "caus*",        "due to",       "result* from", "associated with",
    "lead* to",     "trigger*",     "deficien*",    "contribut*",
    "because",      "factor*",      "linked to",    "imbalance*",
    "dehydrat*",    "fatigue",      "overuse",      "side effect*",
    "disturbance*", "secondary to", "exacerbat*",   NULL};
static const char *const symptoms_cues[] = {
    "symptom*",     "sign",     "signs",        "feel*",
    "pain*",        "include*", "characteriz*", "experienc*",
    "present with", "swelling", "tightness",    "sudden",
    "sore*",        NULL};
static const char *const diagnosis_cues[] = {
    "diagnos*",     "test",      "tests",    "testing",     "exam",
    "examination*", "history",   "imaging",  "blood test*", "measur*",
    "evaluat*",     "detect*",   "confirm*", "ultrasound",  "emg",
    "enmg",         "physician", NULL};
static const char *const treatment_cues[] = {
    "treat*",     "therap*",     "medication*", "drug*",    "relie*",
    "stretch*",   "massag*",     "may help",    "can help", "help*",
    "recommend*", "effective",   "efficacy",    "surgery",  "manag*",
    "option*",    "supplement*", "apply",       "heat",     "correction",
    NULL};
static const char *const prevention_cues[] = {
    "prevent*", "avoid*",    "reduc*",   "hydrat*",
    "drink*",   "stretch*",  "regular*", "lower the risk",
    "keep*",    "exercise*", "training", "nutrition",
    NULL};
static const char *const dosage_cues[] = {
    "mg",    "dose*", "dosage",     "daily",     "per day", "day", "week", "g",
    "twice", "once",  "milligram*", "increase*", "tablet*", "mcg", NULL};
static const char *const side_cues[] = {
    "side effect*", "adverse",  "toxicit*", "reaction*", "may cause",
    "can cause",    "diarrhea", "nausea",   "warning*",  "interact*",
    "worrisome",    "risk*",    NULL};
static const char *const prognosis_cues[] = {
    "prognosis",       "outlook",   "recover*", "surviv*",
    "life expectancy", "go away",   "resolve*", "self limiting",
    "chronic",         "permanent", "improve*", "complication*",
    "quality of life", NULL};
static const char *const risk_cues[] = {
    "risk*",       "more common",     "more likely",
    "older",       "elderly",         "age*",
    "pregnan*",    "athlete*",        "family history",
    "genetic*",    "associated with", "common in",
    "people with", "patients with",   NULL};
static const char *const doctor_cues[] = {"see a doctor",
                                          "doctor",
                                          "health care provider",
                                          "healthcare provider",
                                          "provider",
                                          "seek*",
                                          "medical attention",
                                          "emergency",
                                          "911",
                                          "urgent*",
                                          "right away",
                                          "immediately",
                                          "persist*",
                                          "worsen*",
                                          "consult*",
                                          "evaluation",
                                          "in person",
                                          NULL};
static const char *const comparison_cues[] = {
    "whereas", "unlike", "compared", "than",         "differ*",
    "both",    "while",  "similar*", "distinguish*", NULL};

static const struct sentence_cues sentence_table[] = {
    {QTYPE_DEFINITION, def_cues},
    {QTYPE_CAUSES, causes_cues},
    {QTYPE_SYMPTOMS, symptoms_cues},
    {QTYPE_DIAGNOSIS, diagnosis_cues},
    {QTYPE_TREATMENT, treatment_cues},
    {QTYPE_PREVENTION, prevention_cues},
    {QTYPE_DOSAGE, dosage_cues},
    {QTYPE_SIDE_EFFECTS, side_cues},
    {QTYPE_PROGNOSIS, prognosis_cues},
    {QTYPE_RISK_FACTORS, risk_cues},
    {QTYPE_WHEN_TO_SEE_DOCTOR, doctor_cues},
    {QTYPE_COMPARISON, comparison_cues},
};

/* Ties go to the first type in this list: the more specific intent. */
static const enum qtype tie_order[] = {QTYPE_WHEN_TO_SEE_DOCTOR,
                                       QTYPE_SIDE_EFFECTS,
                                       QTYPE_DOSAGE,
                                       QTYPE_COMPARISON,
                                       QTYPE_RISK_FACTORS,
                                       QTYPE_PREVENTION,
                                       QTYPE_DIAGNOSIS,
                                       QTYPE_PROGNOSIS,
                                       QTYPE_SYMPTOMS,
                                       QTYPE_CAUSES,
                                       QTYPE_TREATMENT,
                                       QTYPE_DEFINITION};

struct type_info {
    const char *name;
    const char *heading;
    const char *one;  /* follow-up for a singular focus */
    const char *many; /* follow-up for a plural focus */
};

static const struct type_info type_info[QTYPE_COUNT] = {
    [QTYPE_OTHER] = {"other", "Overview", NULL, NULL},
    [QTYPE_DEFINITION] = {"definition", "Definition", "What is %s?",
                          "What are %s?"},
    [QTYPE_CAUSES] = {"causes", "Causes", "What causes %s?", "What causes %s?"},
    [QTYPE_SYMPTOMS] = {"symptoms", "Symptoms", "What are the symptoms of %s?",
                        "What are the symptoms of %s?"},
    [QTYPE_DIAGNOSIS] = {"diagnosis", "Diagnosis and Tests",
                         "How is %s diagnosed?", "How are %s diagnosed?"},
    [QTYPE_TREATMENT] = {"treatment", "Treatment", "How is %s treated?",
                         "How are %s treated?"},
    [QTYPE_PREVENTION] = {"prevention", "Prevention",
                          "How can %s be prevented?",
                          "How can %s be prevented?"},
    [QTYPE_DOSAGE] = {"dosage", "Dosage", "What is the usual dose of %s?",
                      "What is the usual dose of %s?"},
    [QTYPE_SIDE_EFFECTS] = {"side_effects", "Side Effects",
                            "What are the side effects of %s?",
                            "What are the side effects of %s?"},
    [QTYPE_PROGNOSIS] = {"prognosis", "Outlook", "What is the outlook for %s?",
                         "What is the outlook for %s?"},
    [QTYPE_RISK_FACTORS] = {"risk_factors", "Risk Factors",
                            "Who is at risk of %s?", "Who is at risk of %s?"},
    [QTYPE_WHEN_TO_SEE_DOCTOR] = {"when_to_see_doctor", "When to See a Doctor",
                                  "When should I see a doctor about %s?",
                                  "When should I see a doctor about %s?"},
    [QTYPE_COMPARISON] = {"comparison", "Comparison", NULL, NULL},
};

/* MedQuAD's qtype attribute values and the type each one asks. */
static const struct {
    const char *name;
    enum qtype type;
} medquad_names[] = {
    {"information", QTYPE_DEFINITION},
    {"exams and tests", QTYPE_DIAGNOSIS},
    {"outlook", QTYPE_PROGNOSIS},
    {"complications", QTYPE_PROGNOSIS},
    {"stages", QTYPE_PROGNOSIS},
    {"when to contact a medical professional", QTYPE_WHEN_TO_SEE_DOCTOR},
    {"susceptibility", QTYPE_RISK_FACTORS},
    {"inheritance", QTYPE_RISK_FACTORS},
    {"genetic changes", QTYPE_CAUSES},
    {"side effects", QTYPE_SIDE_EFFECTS},
    {"severe reaction", QTYPE_SIDE_EFFECTS},
    {"important warning", QTYPE_SIDE_EFFECTS},
    {"precautions", QTYPE_SIDE_EFFECTS},
    {"contraindication", QTYPE_SIDE_EFFECTS},
    {"emergency or overdose", QTYPE_SIDE_EFFECTS},
    {"interactions with medications", QTYPE_SIDE_EFFECTS},
    {"dose", QTYPE_DOSAGE},
    {"usage", QTYPE_DOSAGE},
    {"forget a dose", QTYPE_DOSAGE},
    {"indication", QTYPE_TREATMENT},
    {"how effective is it", QTYPE_TREATMENT},
    {"how does it work", QTYPE_TREATMENT},
};

static void add_cues(const char *q, size_t len, struct qtype_result *r)
{
    size_t i = 0, e = 0, m, c;

    for (;;) {
        i = answer_text_word(q, len, i, &e);
        if (i >= len)
            return;
        for (c = 0; c < ARRAY_SIZE(question_cues); c++) {
            const struct cue *cue = &question_cues[c];

            if (answer_text_lower((unsigned char)q[i]) !=
                (unsigned char)cue->phrase[0])
                continue;
            if (answer_text_phrase_at(q, len, i, cue->phrase, &m))
                r->score[cue->type] += cue->weight;
        }
        i = e;
    }
}

void qtype_classify(const char *q, size_t len, struct qtype_result *out)
{
    size_t k;
    int best = 0;

    memset(out, 0, sizeof *out);
    out->type = QTYPE_OTHER;
    add_cues(q, len, out);
    for (k = 0; k < ARRAY_SIZE(tie_order); k++) {
        enum qtype t = tie_order[k];

        if (out->score[t] > best) {
            best = out->score[t];
            out->type = t;
        }
        if (out->score[t] >= QTYPE_FACET_MIN)
            out->mask |= 1u << t;
    }
    if (out->type != QTYPE_OTHER)
        out->mask |= 1u << out->type;
}

const char *qtype_name(enum qtype t)
{
    return (unsigned)t < QTYPE_COUNT ? type_info[t].name : "other";
}

const char *qtype_heading(enum qtype t)
{
    return (unsigned)t < QTYPE_COUNT ? type_info[t].heading : "Overview";
}

const char *qtype_followup(enum qtype t, bool plural)
{
    if ((unsigned)t >= QTYPE_COUNT)
        return NULL;
    return plural ? type_info[t].many : type_info[t].one;
}

bool qtype_from_name(const char *name, size_t len, enum qtype *out)
{
    size_t k;

    for (k = 0; k < QTYPE_COUNT; k++) {
        if (answer_text_ieq(name, len, type_info[k].name)) {
            *out = (enum qtype)k;
            return true;
        }
    }
    for (k = 0; k < ARRAY_SIZE(medquad_names); k++) {
        if (answer_text_ieq(name, len, medquad_names[k].name)) {
            *out = medquad_names[k].type;
            return true;
        }
    }
    return false;
}

/* One cue already marks the sentence as answering the type; more cues
 * add less and less. */
static const double by_count[] = {0.0, 0.6, 0.85, 1.0};

double qtype_sentence_score(enum qtype t, const char *s, size_t len)
{
    double all[QTYPE_COUNT];

    if ((unsigned)t >= QTYPE_COUNT)
        return 0.0;
    qtype_sentence_scores(s, len, all);
    return all[t];
}

/* Counts distinct cues per type in one pass over the words: a cue is only
 * tried at words that start with its first letter. */
void qtype_sentence_scores(const char *s, size_t len, double out[QTYPE_COUNT])
{
    unsigned char seen[ARRAY_SIZE(sentence_table)][32];
    size_t n[QTYPE_COUNT] = {0}, i = 0, e = 0, k, c, m;

    memset(seen, 0, sizeof seen);
    for (;;) {
        i = answer_text_word(s, len, i, &e);
        if (i >= len)
            break;
        for (k = 0; k < ARRAY_SIZE(sentence_table); k++) {
            const char *const *p = sentence_table[k].phrases;
            enum qtype t = sentence_table[k].type;

            for (c = 0; c < 32 && p[c] && n[t] < 3; c++) {
                if (seen[k][c] ||
                    answer_text_lower((unsigned char)s[i]) !=
                        (unsigned char)p[c][0] ||
                    !answer_text_phrase_at(s, len, i, p[c], &m))
                    continue;
                seen[k][c] = 1;
                n[t]++;
            }
        }
        i = e;
    }
    for (k = 0; k < QTYPE_COUNT; k++)
        out[k] = by_count[MIN(n[k], (size_t)3)];
}
