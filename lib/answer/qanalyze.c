/* SPDX-License-Identifier: MIT */
/* qanalyze.c: question analysis (see qanalyze.h and docs/answer.md). The
 * rule-based focus is the best run of consecutive content words: words that
 * are not question-frame or function words, unbroken by punctuation; runs
 * holding a symptom or condition word score higher, and a run keeps its
 * last four words, where English puts the head of a noun phrase. */
#include "qanalyze.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/mem.h"
#include "layterms.h"
#include "spell.h"
#include "text/sentence.h"
#include "text/words.h"

enum {
    WORD_MAX = 64,
    RUN_WORDS_MAX = 4,
    MESSAGE_WORDS = 60,
    MESSAGE_SENTENCES = 3,
    OUT_MAX = 1 << 20
};

/* Question-frame and function words, sorted for bsearch. */
static const char *const frame_words[] = {
    "a",          "about",       "after",      "again",       "ago",
    "all",        "also",        "am",         "an",          "and",
    "any",        "anybody",     "anyone",     "anything",    "are",
    "aren",       "around",      "as",         "ask",         "asking",
    "at",         "avoid",       "be",         "because",     "been",
    "before",     "being",       "best",       "better",      "between",
    "both",       "but",         "by",         "can",         "cause",
    "caused",     "causes",      "causing",    "come",        "comes",
    "could",      "cure",        "cured",      "cures",       "d",
    "day",        "days",        "deal",       "define",      "definition",
    "describe",   "diagnose",    "diagnosed",  "diagnosis",   "did",
    "difference", "differences", "do",         "doctor",      "doctors",
    "does",       "doing",       "don",        "dosage",      "dose",
    "during",     "each",        "effect",     "effects",     "else",
    "etc",        "ever",        "every",      "example",     "explain",
    "factor",     "factors",     "feel",       "few",         "find",
    "for",        "from",        "get",        "gets",        "getting",
    "give",       "go",          "going",      "good",        "got",
    "had",        "has",         "have",       "having",      "he",
    "hello",      "help",        "her",        "here",        "hi",
    "him",        "his",         "how",        "i",           "if",
    "im",         "in",          "info",       "information", "into",
    "is",         "isn",         "it",         "its",         "just",
    "kind",       "know",        "last",       "let",         "like",
    "ll",         "lot",         "lots",       "m",           "main",
    "make",       "many",        "may",        "me",          "mean",
    "meaning",    "means",       "might",      "month",       "months",
    "more",       "most",        "much",       "must",        "my",
    "myself",     "need",        "needs",      "new",         "no",
    "normal",     "not",         "now",        "of",          "off",
    "often",      "on",          "once",       "one",         "only",
    "or",         "other",       "our",        "out",         "outlook",
    "over",       "people",      "person",     "please",      "possible",
    "prevent",    "prevented",   "prevention", "prognosis",   "question",
    "questions",  "re",          "really",     "reason",      "reasons",
    "relieve",    "rid",         "right",      "risk",        "risks",
    "s",          "same",        "say",        "see",         "seem",
    "serious",    "she",         "should",     "side",        "sign",
    "signs",      "since",       "so",         "some",        "someone",
    "something",  "sometimes",   "still",      "stop",        "such",
    "sure",       "symptom",     "symptoms",   "t",           "take",
    "taking",     "tell",        "test",       "tests",       "than",
    "thank",      "thanks",      "that",       "the",         "their",
    "them",       "then",        "there",      "these",       "they",
    "thing",      "things",      "think",      "this",        "those",
    "through",    "time",        "times",      "to",          "too",
    "treat",      "treated",     "treating",   "treatment",   "treatments",
    "trigger",    "triggers",    "type",       "types",       "under",
    "up",         "us",          "usual",      "usually",     "ve",
    "very",       "want",        "was",        "way",         "ways",
    "we",         "week",        "weeks",      "well",        "were",
    "what",       "whats",       "when",       "where",       "which",
    "while",      "who",         "why",        "will",        "with",
    "without",    "worry",       "would",      "year",        "years",
    "yes",        "you",         "your"};

static const char *const symptom_words[] = {
    "ache",     "aches",     "aching",     "bleeding",     "breath",
    "bruising", "burning",   "congestion", "constipation", "cough",
    "cramp",    "cramping",  "cramps",     "diarrhea",     "dizziness",
    "dizzy",    "fatigue",   "fever",      "headache",     "headaches",
    "insomnia", "itch",      "itching",    "lump",         "nausea",
    "numb",     "numbness",  "pain",       "pains",        "palpitations",
    "rash",     "redness",   "seizure",    "seizures",     "shortness",
    "sore",     "soreness",  "spasm",      "spasms",       "stiffness",
    "swelling", "swollen",   "tingling",   "tremor",       "tremors",
    "twitch",   "twitching", "vomiting",   "warmth",       "weakness",
    "wheezing"};

static const char *const condition_words[] = {
    "allergy",      "anemia",    "arthritis",  "asthma",     "cancer",
    "cirrhosis",    "cold",      "deficiency", "dementia",   "diabetes",
    "disease",      "disorder",  "dvt",        "failure",    "flu",
    "hypertension", "infection", "influenza",  "injury",     "obesity",
    "pneumonia",    "stroke",    "syndrome",   "thrombosis", "tumor",
    "tumour"};

static const char *const condition_suffixes[] = {
    "itis",  "osis",   "emia", "aemia", "oma",
    "pathy", "plegia", "ism",  "algia", "trophy"};

static const char *const drug_suffixes[] = {
    "pril",    "sartan", "statin",  "mab",  "cillin",   "mycin",   "cycline",
    "azole",   "olol",   "dipine",  "ofen", "profen",   "done",    "azepam",
    "zolam",   "tidine", "prazole", "vir",  "floxacin", "triptan", "formin",
    "gliptin", "parin",  "oxetine", "afil", "lukast",   "sone",    "olone"};

static const char *const drug_words[] = {
    "aspirin", "baclofen", "drug",       "insulin", "medication", "medicine",
    "pill",    "quinine",  "supplement", "tablet",  "vaccine",    "vitamin"};

static const char *const body_words[] = {
    "abdomen",       "ankle",     "arm",     "arms",   "back",     "bladder",
    "blood",         "bone",      "bones",   "brain",  "breast",   "calf",
    "calves",        "chest",     "colon",   "ear",    "ears",     "elbow",
    "eye",           "eyes",      "feet",    "finger", "fingers",  "foot",
    "gastrocnemius", "hamstring", "hand",    "hands",  "head",     "heart",
    "hip",           "kidney",    "kidneys", "knee",   "knees",    "leg",
    "legs",          "liver",     "lung",    "lungs",  "mouth",    "muscle",
    "muscles",       "neck",      "nerve",   "nerves", "shoulder", "skin",
    "soleus",        "spine",     "stomach", "teeth",  "thigh",    "throat",
    "thyroid",       "toe",       "toes",    "tooth",  "wrist"};

/* Words of health care beyond the lists above, sorted: illnesses, care,
 * tests and parts of the body that name what a question is about.
 * Only the evidence features use them (qanalyze_name_weight). A table
 * this long keeps its columns only with clang-format off. */
/* clang-format off */
static const char *const health_words[] = {
    "abdominal",        "acne",             "addiction",        "adenoids",
    "adhd",             "aids",             "ailment",          "alcoholism",
    "allergic",         "alzheimer",        "alzheimers",       "amputation",
    "anaphylaxis",      "aneurysm",         "angina",           "anorexia",
    "antibiotic",       "antibody",         "antidepressant",   "antihistamine",
    "antiviral",        "anxiety",          "aorta",            "appendicitis",
    "appendix",         "arsenic",          "arterial",         "artery",
    "asbestos",         "autism",           "autoimmune",       "bacteria",
    "bacterial",        "biopsy",           "bipolar",          "blindness",
    "blister",          "bloating",         "bowel",            "bronchial",
    "bronchitis",       "bulimia",          "bunion",           "bursitis",
    "cadmium",          "caffeine",         "calcium",          "capsule",
    "carcinoma",        "cardiac",          "cardiovascular",   "cartilage",
    "cataract",         "catheter",         "cervix",           "chemo",
    "chemotherapy",     "chickenpox",       "chills",           "cholera",
    "cholesterol",      "chromium",         "chromosome",       "chronic",
    "clinical",         "clot",             "colitis",          "coma",
    "concussion",       "congenital",       "contagious",       "convulsion",
    "copd",             "copper",           "coronavirus",      "covid",
    "cyanide",          "cyst",             "cystic",           "dandruff",
    "deafness",         "defect",           "deformity",        "dehydration",
    "delirium",         "dementia",         "dental",           "depression",
    "dermal",           "dermatitis",       "diabetic",         "diagnosis",
    "dialysis",         "diarrhoea",        "digestive",        "disability",
    "dislocation",      "dna",              "dosage",           "dose",
    "dyslexia",         "eardrum",          "eczema",           "embolism",
    "endometriosis",    "epilepsy",         "fainting",         "fertility",
    "fever",            "fibroid",          "fibromyalgia",     "flu",
    "fluoride",         "fracture",         "fungal",           "fungus",
    "gallbladder",      "gallstone",        "gastrointestinal", "gene",
    "genes",            "genetic",          "genital",          "genitals",
    "gland",            "glaucoma",         "gout",             "groin",
    "gum",              "gums",             "haemophilia",      "hair",
    "heartburn",        "hemophilia",       "hemorrhage",       "hepatic",
    "hepatitis",        "hereditary",       "hernia",           "herpes",
    "hiv",              "hives",            "hormonal",         "hormone",
    "hospital",         "ibs",              "illness",          "immune",
    "immunization",     "impairment",       "incontinence",     "indigestion",
    "infertility",      "inflammation",     "inhaler",          "injection",
    "insulin",          "intestinal",       "intestine",        "intestines",
    "iodine",           "itchy",            "jaundice",         "jaw",
    "kidney",           "lesion",           "leukemia",         "lice",
    "ligament",         "lupus",            "lymph",            "lymphoma",
    "magnesium",        "malaria",          "malignant",        "mammogram",
    "measles",          "medical",          "melanoma",         "menopause",
    "menstrual",        "mental",           "mercury",          "metabolic",
    "metastasis",       "migraine",         "miscarriage",      "mri",
    "mucus",            "mumps",            "muscular",         "mutation",
    "nail",             "nails",            "nasal",            "neural",
    "neurologic",       "neurological",     "nickel",           "nosebleed",
    "nurse",            "nutrition",        "obstruction",      "ocd",
    "ocular",           "ointment",         "oncologist",       "ovaries",
    "ovary",            "pancreas",         "pancreatitis",     "paralysis",
    "parasite",         "parkinson",        "parkinsons",       "patient",
    "pediatrician",     "pelvis",           "penis",            "phlegm",
    "phosphorus",       "physician",        "physiotherapy",    "pneumonia",
    "poison",           "poisoning",        "polyp",            "potassium",
    "pregnancy",        "pregnant",         "prescription",     "prostate",
    "psoriasis",        "psychiatric",      "ptsd",             "pulmonary",
    "radiotherapy",     "rehab",            "relapse",          "remission",
    "renal",            "reproductive",     "respiratory",      "retina",
    "rheumatoid",       "scabies",          "scalp",            "schizophrenia",
    "sclerosis",        "scoliosis",        "sedative",         "selenium",
    "sickle",           "sickness",         "sinus",            "sinusitis",
    "skeletal",         "sodium",           "spinal",           "spleen",
    "sprain",           "steroid",          "surgery",          "surgical",
    "syndrome",         "syringe",          "tendon",           "testicle",
    "therapy",          "thrombosis",       "thyroid",          "tinnitus",
    "tonsil",           "tonsils",          "toxic",            "toxin",
    "transplant",       "trauma",           "tuberculosis",     "tumor",
    "ulcer",            "ultrasound",       "urethra",          "urinary",
    "urine",            "uterus",           "vaccination",      "vagina",
    "vascular",         "vein",             "veins",            "venous",
    "vertebra",         "vertigo",          "viral",            "virus",
    "vomit",            "vulva",            "wart",             "wound",
    "zinc"};
/* clang-format on */
/* Openers that mark a follow-up when a previous question is given. */
static const char *const follow_markers[] = {
    "and",     "also",    "what about", "how about", "but",      "or",
    "plus",    "during",  "in",         "for",       "with",     "after",
    "while",   "what if", "same",       "is it",     "are they", "does it",
    "do they", "can it",  "will it",    "and what"};

/* Openers and phrases that make a sentence of a message a question. */
static const char *const ask_openers[] = {
    "what", "how",  "why", "when",  "where",  "which", "who",
    "is",   "are",  "can", "could", "should", "would", "will",
    "do",   "does", "did", "may",   "might"};
static const char *const ask_phrases[] = {
    "i want to know", "i would like to know", "i wonder",     "wondering",
    "please advise",  "could you tell",       "can you tell", "please tell"};

static int cmp_word(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

/* Lower-cases w[0..len) into out (cap bytes); false if it does not fit. */
static bool lower_word(const char *w, size_t len, char *out, size_t cap)
{
    size_t k;

    if (len + 1 > cap)
        return false;
    for (k = 0; k < len; k++)
        out[k] = (char)answer_text_lower((unsigned char)w[k]);
    out[len] = '\0';
    return true;
}

static bool in_sorted(const char *const *list, size_t n, const char *w,
                      size_t len)
{
    char low[WORD_MAX];

    if (!lower_word(w, len, low, sizeof low))
        return false;
    return bsearch(low, list, n, sizeof *list, cmp_word) != NULL;
}

static bool in_list(const char *const *list, size_t n, const char *w,
                    size_t len)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (answer_text_ieq(w, len, list[k]))
            return true;
    }
    return false;
}

static bool ends_with(const char *w, size_t len, const char *suffix)
{
    size_t n = strlen(suffix), k;

    if (len <= n + 2)
        return false;
    for (k = 0; k < n; k++) {
        if (answer_text_lower((unsigned char)w[len - n + k]) !=
            (unsigned char)suffix[k])
            return false;
    }
    return true;
}

static bool has_suffix(const char *const *list, size_t n, const char *w,
                       size_t len)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (ends_with(w, len, list[k]))
            return true;
    }
    return false;
}

bool qanalyze_is_frame_word(const char *w, size_t len)
{
    return in_sorted(frame_words, ARRAY_SIZE(frame_words), w, len);
}

static bool is_symptom_word(const char *w, size_t len)
{
    return in_list(symptom_words, ARRAY_SIZE(symptom_words), w, len);
}

static bool is_condition_word(const char *w, size_t len)
{
    return in_list(condition_words, ARRAY_SIZE(condition_words), w, len) ||
           has_suffix(condition_suffixes, ARRAY_SIZE(condition_suffixes), w,
                      len);
}

static bool is_drug_word(const char *w, size_t len)
{
    return in_list(drug_words, ARRAY_SIZE(drug_words), w, len) ||
           has_suffix(drug_suffixes, ARRAY_SIZE(drug_suffixes), w, len);
}

static bool is_body_word(const char *w, size_t len)
{
    return in_list(body_words, ARRAY_SIZE(body_words), w, len);
}

bool qanalyze_is_body_word(const char *w, size_t len)
{
    return is_body_word(w, len);
}

const char *const *qanalyze_body_words(size_t *n)
{
    *n = ARRAY_SIZE(body_words);
    return body_words;
}

enum focus_kind qanalyze_focus_kind(const char *phrase, size_t len)
{
    bool sym = false, cond = false, drug = false, body = true, any = false;
    size_t i = 0, e = 0;

    for (;;) {
        i = answer_text_word(phrase, len, i, &e);
        if (i >= len)
            break;
        any = true;
        sym = sym || is_symptom_word(phrase + i, e - i);
        cond = cond || is_condition_word(phrase + i, e - i);
        drug = drug || is_drug_word(phrase + i, e - i);
        body = body && is_body_word(phrase + i, e - i);
        i = e;
    }
    if (!any)
        return FOCUS_NONE;
    if (sym)
        return FOCUS_SYMPTOM;
    if (cond)
        return FOCUS_CONDITION;
    if (drug)
        return FOCUS_DRUG;
    return body ? FOCUS_BODY_PART : FOCUS_OTHER;
}

const char *qanalyze_focus_kind_name(enum focus_kind k)
{
    static const char *const names[] = {"none",      "condition", "drug",
                                        "body_part", "symptom",   "other"};

    return (unsigned)k < ARRAY_SIZE(names) ? names[k] : "none";
}

/* ---- content runs and the rule-based focus ----------------------------- */

struct run {
    size_t start, end; /* bytes in the text */
    size_t words;
    double score;
};

/* True if the bytes between two words break a noun phrase. */
static bool breaks_run(const char *t, size_t b, size_t e)
{
    size_t k;

    for (k = b; k < e; k++) {
        if (t[k] != ' ' && t[k] != '-' && t[k] != '\'' && t[k] != '\t')
            return true;
    }
    return false;
}

static double word_score(const char *w, size_t len)
{
    if (is_symptom_word(w, len) || is_condition_word(w, len))
        return 2.0;
    if (is_drug_word(w, len))
        return 1.5;
    return 1.0;
}

/* Trims a run to its last RUN_WORDS_MAX words. */
static void trim_run(const char *t, struct run *r)
{
    while (r->words > RUN_WORDS_MAX) {
        size_t e = 0;

        answer_text_word(t, r->end, r->start, &e);
        r->start = answer_text_word(t, r->end, e, &e);
        r->words--;
    }
}

/* True when the word at t[i..we) is part of a name despite being a frame
 * word: "type" before a number ("type 2 diabetes", "type II"). */
static bool numbered_name(const char *t, size_t e, size_t i, size_t we)
{
    size_t n, ne = 0;

    if (we - i != 4 || strncasecmp(t + i, "type", 4) != 0)
        return false;
    n = answer_text_word(t, e, we, &ne);
    if (n >= e || n != we + 1)
        return false;
    if (t[n] >= '0' && t[n] <= '9')
        return true;
    return (ne - n == 1 && t[n] == 'I') ||
           (ne - n == 2 && t[n] == 'I' && t[n + 1] == 'I');
}

/* How naming_focus scores a run's words (message_word_score). */
struct naming {
    const struct qanalysis *qa;
    const struct qanalyze_ctx *c;
    double gain; /* multiplies every word's score */
};

static double message_word_score(const struct naming *nm, const char *w,
                                 size_t len);

/* Finds the best content run in t[b..e), its words scored by word_score
 * or, given nm, by message_word_score; returns false if there is none. */
static bool best_run_by(const char *t, size_t b, size_t e, struct run *best,
                        const struct naming *nm)
{
    struct run cur = {0, 0, 0, 0};
    size_t i = b, we = 0, prev_end = b;
    bool found = false;

    for (;;) {
        bool content;

        i = answer_text_word(t, e, i, &we);
        content = i < e && (!qanalyze_is_frame_word(t + i, we - i) ||
                            numbered_name(t, e, i, we));
        if (cur.words > 0 &&
            (!content || i >= e || breaks_run(t, prev_end, i))) {
            trim_run(t, &cur);
            if (!found || cur.score > best->score) {
                *best = cur;
                found = true;
            }
            cur.words = 0;
        }
        if (i >= e)
            return found;
        if (content) {
            if (cur.words == 0) {
                cur.start = i;
                cur.score = 0;
            }
            cur.end = we;
            cur.words++;
            cur.score += nm ? nm->gain * message_word_score(nm, t + i, we - i)
                            : word_score(t + i, we - i);
        }
        prev_end = we;
        i = we;
    }
}

static bool best_run(const char *t, size_t b, size_t e, struct run *best)
{
    return best_run_by(t, b, e, best, NULL);
}

/* Appends the content words of t[b..e) outside [skip_b, skip_e). */
static void put_qualifiers(int *rc, struct buf *out, const char *t, size_t b,
                           size_t e, size_t skip_b, size_t skip_e)
{
    size_t i = b, we = 0;

    for (;;) {
        i = answer_text_word(t, e, i, &we);
        if (i >= e)
            return;
        if ((i < skip_b || i >= skip_e) &&
            !qanalyze_is_frame_word(t + i, we - i)) {
            if (out->len > 0)
                buf_put_byte(rc, out, ' ');
            buf_put(rc, out, t + i, we - i);
        }
        i = we;
    }
}

static char *take_str(int *rc, struct buf *b)
{
    char *s;

    buf_put_nul(rc, b);
    if (*rc != GALEN_OK) {
        buf_cleanup(b);
        return NULL;
    }
    s = (char *)buf_take(b, NULL);
    if (!s)
        *rc = GALEN_ENOMEM;
    return s;
}

/* Sets qa->focus, focus_kind and qualifiers from t[b..e). */
static int rule_focus(struct qanalysis *qa, const char *t, size_t b, size_t e)
{
    struct run r = {0, 0, 0, 0};
    struct buf q;
    int rc = GALEN_OK;
    bool found = best_run(t, b, e, &r);

    if (found) {
        qa->focus = galen_strndup(t + r.start, r.end - r.start);
        if (!qa->focus)
            return GALEN_ENOMEM;
        qa->focus_kind = qanalyze_focus_kind(qa->focus, strlen(qa->focus));
    }
    buf_init(&q, OUT_MAX);
    put_qualifiers(&rc, &q, t, b, e, found ? r.start : e, found ? r.end : e);
    galen_free(qa->qualifiers);
    qa->qualifiers = take_str(&rc, &q);
    return rc;
}

/* ---- terms and fixes --------------------------------------------------- */

static bool has_term(const struct qanalysis *qa, const char *s, size_t len)
{
    size_t k;

    for (k = 0; k < qa->nterms; k++) {
        if (answer_text_ieq(s, len, qa->terms[k].text))
            return true;
    }
    return false;
}

static int add_term(struct qanalysis *qa, const char *s, size_t len,
                    enum qterm_origin origin, double weight)
{
    struct qterm *t;

    if (len == 0 || has_term(qa, s, len) || qa->nterms >= QANALYZE_TERMS_MAX)
        return GALEN_OK;
    if (qa->nterms % 8 == 0) {
        t = galen_realloc(qa->terms, (qa->nterms + 8) * sizeof *t);
        if (!t)
            return GALEN_ENOMEM;
        qa->terms = t;
    }
    t = &qa->terms[qa->nterms];
    t->text = galen_strndup(s, len);
    if (!t->text)
        return GALEN_ENOMEM;
    t->origin = origin;
    t->weight = weight;
    qa->nterms++;
    return GALEN_OK;
}

static int add_fix(struct qanalysis *qa, const char *from, size_t flen,
                   const char *to, size_t tlen)
{
    struct qfix *f;
    size_t k;

    for (k = 0; k < qa->nfixes; k++) {
        if (answer_text_ieq(from, flen, qa->fixes[k].from))
            return GALEN_OK;
    }
    if (qa->nfixes >= QANALYZE_FIX_MAX)
        return GALEN_OK;
    f = galen_realloc(qa->fixes, (qa->nfixes + 1) * sizeof *f);
    if (!f)
        return GALEN_ENOMEM;
    qa->fixes = f;
    f = &qa->fixes[qa->nfixes];
    f->from = galen_strndup(from, flen);
    f->to = galen_strndup(to, tlen);
    if (!f->from || !f->to) {
        galen_free(f->from);
        galen_free(f->to);
        return GALEN_ENOMEM;
    }
    qa->nfixes++;
    return add_term(qa, to, tlen, QTERM_SPELLING, 1.0);
}

enum { LEX_MATCHES_MAX = 64, REVERSE_MAX = 2 };

/* The lexicon matches of a question, gathered before they are used so
 * that the reverse direction can see how many lay terms a medical phrase
 * has. */
struct lex_matches {
    struct lexicon_match m[LEX_MATCHES_MAX];
    size_t n;
};

static int on_lexicon(void *ctx, const struct lexicon_match *m)
{
    struct lex_matches *lm = ctx;

    if (lm->n < LEX_MATCHES_MAX)
        lm->m[lm->n++] = *m;
    return 0;
}

/* Number of medical-side (reverse) matches on the span of m. */
static size_t reverse_count(const struct lex_matches *lm,
                            const struct lexicon_match *m)
{
    size_t k, n = 0;

    for (k = 0; k < lm->n; k++) {
        const struct lexicon_match *x = &lm->m[k];
        n += !x->is_lay && x->start == m->start && x->end == m->end &&
             x->entry->kind != LEXICON_SPELLING;
    }
    return n;
}

/* True if the medical term holds the question's words t[0..len) as whole
 * words (answer_text_find, case folded). Lexicon phrases are short: a
 * longer span never narrows. */
static bool holds_words(const char *term, const char *t, size_t len)
{
    char phrase[256];
    size_t n = strlen(term);

    return lower_word(t, len, phrase, sizeof phrase) &&
           answer_text_find(term, n, phrase) < n;
}

/* Lay words and abbreviations map strongly to their medical term; the
 * reverse direction (medical term to the words people use) only widens
 * recall, and only for a term with at most REVERSE_MAX lay names, so that
 * "muscle cramp" does not drag in every lay name of every cramp. A
 * misspelling entry becomes a spelling fix. */
static int use_lexicon(struct qanalysis *qa, const struct lex_matches *lm)
{
    size_t k;
    int rc = GALEN_OK;
    struct buf b;

    /* The phrases the lexicon knows name something (qanalysis.lexical). */
    buf_init(&b, OUT_MAX);
    for (k = 0; k < lm->n; k++) {
        if (lm->m[k].entry->kind == LEXICON_SPELLING)
            continue;
        if (b.len)
            buf_put_byte(&rc, &b, ' ');
        buf_put(&rc, &b, qa->text + lm->m[k].start,
                lm->m[k].end - lm->m[k].start);
    }
    if (b.len)
        qa->lexical = take_str(&rc, &b);
    else
        buf_cleanup(&b);
    for (k = 0; k < lm->n && rc == GALEN_OK; k++) {
        const struct lexicon_match *m = &lm->m[k];
        const char *other = m->is_lay ? m->entry->medical : m->entry->lay;

        if (m->entry->kind == LEXICON_SPELLING) {
            if (m->is_lay)
                rc = add_fix(qa, qa->text + m->start, m->end - m->start, other,
                             strlen(other));
        } else if (m->is_lay) {
            /* "diabetes" -> "diabetes mellitus" widens nothing: every page
             * with the term has the question's word. In retrieval it would
             * only favour the pages that spell the term out, the rare
             * variants before the general page, so it helps coverage only. */
            bool narrows =
                holds_words(other, qa->text + m->start, m->end - m->start);

            rc = add_term(qa, other, strlen(other), QTERM_LEXICON,
                          narrows ? 0.3 : 0.8);
        } else if (reverse_count(lm, m) <= REVERSE_MAX) {
            rc = add_term(qa, other, strlen(other), QTERM_LEXICON, 0.3);
        }
    }
    return rc;
}

static int expand(struct qanalysis *qa, const struct lexicon *lex)
{
    struct lex_matches *lm = galen_calloc(1, sizeof *lm);
    int rc;

    if (!lm)
        return GALEN_ENOMEM;
    rc = lexicon_scan(lex, qa->text, strlen(qa->text), on_lexicon, lm);
    if (rc == GALEN_OK)
        rc = use_lexicon(qa, lm);
    galen_free(lm);
    return rc;
}

static bool has_digit(const char *w, size_t len)
{
    size_t k;

    for (k = 0; k < len; k++) {
        if (w[k] >= '0' && w[k] <= '9')
            return true;
    }
    return false;
}

/* Asks the context for a correction of the lower-cased word; returns its
 * length in out, or 0. */
static size_t correct_one(const struct qanalyze_ctx *c, const char *low,
                          size_t len, char *out, size_t cap)
{
    struct spell_hit h;

    if (c->correct)
        return c->correct(c->correct_ctx, low, len, out, cap);
    if (!c->spell || !spell_correct(c->spell, low, len, &h) || h.len >= cap)
        return 0;
    memcpy(out, h.word, h.len);
    return h.len;
}

/* True if offset i lies in one of a message's questions; in a long message
 * only the questions are spell-checked, not the story around them. */
static bool in_subs(const struct qanalysis *qa, size_t i)
{
    size_t k;

    if (!qa->is_message)
        return true;
    for (k = 0; k < qa->nsubs; k++) {
        if (i >= qa->subs[k].start && i < qa->subs[k].end)
            return true;
    }
    return false;
}

/* A long message's story, outside its questions, is spell-checked only in
 * words of at least STORY_FIX_MIN letters: the condition a message is
 * about is often misspelled there ("achandroplasia"), and short words of a
 * story are more often names than typos. */
enum { STORY_FIX_MIN = 6 };

static int correct_words(struct qanalysis *qa, const struct qanalyze_ctx *c)
{
    const char *t = qa->text;
    size_t len = strlen(t), i = 0, e = 0;
    int rc = GALEN_OK;

    while (rc == GALEN_OK) {
        char low[WORD_MAX], fix[WORD_MAX];
        size_t n = 0;

        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            break;
        if (e - i >= 4 && (in_subs(qa, i) || e - i >= STORY_FIX_MIN) &&
            !has_digit(t + i, e - i) && !qanalyze_is_frame_word(t + i, e - i) &&
            !(c->lexicon && lexicon_has_word(c->lexicon, t + i, e - i)) &&
            lower_word(t + i, e - i, low, sizeof low))
            n = correct_one(c, low, e - i, fix, sizeof fix);
        if (n > 0)
            rc = add_fix(qa, t + i, e - i, fix, n);
        i = e;
    }
    return rc;
}

/* Sets *out to t with every whole word that is some fixes[k].from
 * (case folded) replaced by its .to, or to NULL when t has none of them. */
static int replace_words(const char *t, const struct qfix *fixes, size_t nfixes,
                         char **out)
{
    size_t len = strlen(t), i = 0, e = 0, done = 0, k;
    struct buf b;
    int rc = GALEN_OK;

    *out = NULL;
    buf_init(&b, OUT_MAX);
    for (;;) {
        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            break;
        for (k = 0; k < nfixes; k++) {
            if (!answer_text_ieq(t + i, e - i, fixes[k].from))
                continue;
            buf_put(&rc, &b, t + done, i - done);
            buf_put_str(&rc, &b, fixes[k].to);
            done = e;
            break;
        }
        i = e;
    }
    if (done == 0) {
        buf_cleanup(&b);
        return GALEN_OK;
    }
    buf_put(&rc, &b, t + done, len - done);
    *out = take_str(&rc, &b);
    return rc;
}

/* Builds did_you_mean: the text with every fixed word replaced. */
static int build_did_you_mean(struct qanalysis *qa)
{
    if (qa->nfixes == 0)
        return GALEN_OK;
    return replace_words(qa->text, qa->fixes, qa->nfixes, &qa->did_you_mean);
}

/* ---- long messages ------------------------------------------------------ */

static bool is_ask_sentence(const char *t, size_t b, size_t e)
{
    size_t k, we = 0;
    size_t w = answer_text_word(t, e, b, &we);

    if (e > b && t[e - 1] == '?')
        return true;
    if (w < e && in_list(ask_openers, ARRAY_SIZE(ask_openers), t + w, we - w))
        return true;
    for (k = 0; k < ARRAY_SIZE(ask_phrases); k++) {
        if (answer_text_find(t + b, e - b, ask_phrases[k]) < e - b)
            return true;
    }
    return false;
}

static int add_sub(struct qanalysis *qa, size_t b, size_t e)
{
    struct qsub *s;
    struct qtype_result r;

    if (qa->nsubs >= QANALYZE_SUBQ_MAX)
        return GALEN_OK;
    s = galen_realloc(qa->subs, (qa->nsubs + 1) * sizeof *s);
    if (!s)
        return GALEN_ENOMEM;
    qa->subs = s;
    qtype_classify(qa->text + b, e - b, &r);
    s[qa->nsubs].start = b;
    s[qa->nsubs].end = e;
    s[qa->nsubs].type = r.type;
    qa->nsubs++;
    return GALEN_OK;
}

/* Decides whether the text is a long message and, if so, collects the
 * questions asked in it. */
static int find_subs(struct qanalysis *qa)
{
    const char *t = qa->text;
    size_t len = strlen(t), pos = 0, n = 0;
    struct sentence s;
    int rc = GALEN_OK;

    if (answer_text_word_count(t, len) <= MESSAGE_WORDS &&
        sentence_count(t, len) <= MESSAGE_SENTENCES)
        return GALEN_OK;
    qa->is_message = true;
    while (rc == GALEN_OK && sentence_next(t, len, &pos, &s)) {
        if (is_ask_sentence(t, s.start, s.end))
            rc = add_sub(qa, s.start, s.end);
        n++;
    }
    return rc;
}

/* The facet mask and type of a message: the sum over its questions, or,
 * for a pure description of symptoms, what such a writer wants to know. */
static void classify_message(struct qanalysis *qa)
{
    struct qtype_result r;
    size_t k;
    int t;

    memset(&qa->qtype, 0, sizeof qa->qtype);
    for (k = 0; k < qa->nsubs; k++) {
        qtype_classify(qa->text + qa->subs[k].start,
                       qa->subs[k].end - qa->subs[k].start, &r);
        for (t = 0; t < QTYPE_COUNT; t++)
            qa->qtype.score[t] += r.score[t];
        qa->qtype.mask |= r.mask;
        if (k == 0 || r.type != QTYPE_OTHER)
            qa->qtype.type = qa->qtype.type ? qa->qtype.type : r.type;
    }
    if (qa->qtype.type == QTYPE_OTHER || qa->qtype.type == QTYPE_DEFINITION)
        qa->qtype.mask |= (1u << QTYPE_CAUSES) | (1u << QTYPE_TREATMENT) |
                          (1u << QTYPE_WHEN_TO_SEE_DOCTOR);
}

bool qanalyze_is_rare_word(qanalyze_common_fn common, void *ctx, const char *w,
                           size_t len)
{
    char low[WORD_MAX];
    size_t k, caps = 0;

    if (len < 2 || len >= sizeof low || qanalyze_is_frame_word(w, len))
        return false;
    for (k = 0; k < len; k++) {
        char ch = w[k];

        caps += ch >= 'A' && ch <= 'Z';
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch + 32);
        if (ch < 'a' || ch > 'z')
            return false;
        low[k] = ch;
    }
    /* A short word is an abbreviation ("MDS") only when capitalised;
     * lower case, it is more often a contraction typed without its
     * apostrophe ("ive", "dont"). */
    if (len <= 4 && caps < 2)
        return false;
    return !common(ctx, low, len);
}

/* True for a word that names something without the word list: a
 * symptom, a condition, or a misspelt word. */
static bool plain_name(const struct qanalysis *qa, const char *w, size_t len)
{
    size_t k;

    if (is_symptom_word(w, len) || is_condition_word(w, len))
        return true;
    for (k = 0; k < qa->nfixes; k++) {
        if (answer_text_ieq(w, len, qa->fixes[k].from))
            return true;
    }
    return false;
}

static bool is_medical_word(const char *w, size_t len)
{
    return is_symptom_word(w, len) || is_condition_word(w, len) ||
           is_drug_word(w, len) || is_body_word(w, len);
}

/* A word of the lists above or of health_words. */
static bool listed_name(const char *w, size_t len)
{
    return is_medical_word(w, len) ||
           in_sorted(health_words, ARRAY_SIZE(health_words), w, len);
}

/* A listed word or the plural of one ("disorders", "ovaries"). */
static bool listed_or_plural(const char *w, size_t len)
{
    char one[WORD_MAX];

    if (listed_name(w, len))
        return true;
    if (len < 4 || len >= sizeof one || (w[len - 1] | 0x20) != 's')
        return false;
    if (listed_name(w, len - 1))
        return true;
    if ((w[len - 2] | 0x20) != 'e')
        return false;
    if (listed_name(w, len - 2))
        return true;
    if ((w[len - 3] | 0x20) != 'i')
        return false;
    memcpy(one, w, len - 3);
    one[len - 3] = 'y';
    return listed_name(one, len - 2);
}

/* A code such as "B12", "H1N1" or "22q11": letters and digits mixed,
 * not a number with a unit or an ordinal ("10mg", "5th", "1990s"). */
static bool is_code_word(const char *w, size_t len)
{
    static const char *const units[] = {
        "am", "cc", "cm",  "g",  "h",   "hr", "hrs", "iu", "k",  "kg", "km",
        "l",  "lb", "lbs", "m",  "mcg", "mg", "min", "ml", "mm", "nd", "pm",
        "rd", "s",  "st",  "th", "ug",  "x",  "y",   "yo", "yr", "yrs"};
    size_t k = 0, letters = 0;

    while (k < len && w[k] >= '0' && w[k] <= '9')
        k++;
    if (k == len ||
        (k > 0 && in_list(units, ARRAY_SIZE(units), w + k, len - k)))
        return false;
    for (k = 0; k < len; k++)
        letters += ((unsigned char)w[k] | 0x20) >= 'a' &&
                   ((unsigned char)w[k] | 0x20) <= 'z';
    return letters > 0 && letters < len && has_digit(w, len);
}

double qanalyze_name_weight(const struct qanalysis *qa,
                            qanalyze_common_fn common, void *ctx, const char *w,
                            size_t len)
{
    if (plain_name(qa, w, len) || is_code_word(w, len))
        return 2.0;
    if (listed_or_plural(w, len))
        return 1.0;
    return common && qanalyze_is_rare_word(common, ctx, w, len) ? 2.0 : 0.0;
}

/* A word scored for what it names: a symptom, a condition or a rare word
 * (outside everyday English, or misspelt) names what a message is about;
 * an everyday word ("Dear Sir") hardly. */
static double message_word_score(const struct naming *nm, const char *w,
                                 size_t len)
{
    if (plain_name(nm->qa, w, len) ||
        qanalyze_is_rare_word(nm->c->common_word, nm->c->correct_ctx, w, len))
        return 2.0;
    if (is_drug_word(w, len))
        return 1.5;
    return is_body_word(w, len) ? 1.0 : 0.1;
}

enum { MESSAGE_ASKED_GAIN = 2 };

/* A run that scores this much names something: a rare or medical word. */
#define NAMING_SCORE 2.0

/* The focus from what the words name: the best run by message_word_score
 * anywhere in the text, the runs of a message's questions counting
 * double, being what is asked. It replaces the rule focus of a message,
 * and of a question whose rule focus names nothing ("Dear Sir" before
 * "achondroplasia"). */
static int naming_focus_by_list(struct qanalysis *qa,
                                const struct qanalyze_ctx *c)
{
    struct naming nm = {qa, c, 1.0};
    struct run r, best = {0, 0, 0, 0};
    const char *t = qa->text;
    bool found = best_run_by(t, 0, strlen(t), &best, &nm);
    size_t k;
    char *f;

    nm.gain = MESSAGE_ASKED_GAIN;
    for (k = 0; k < qa->nsubs; k++) {
        if (best_run_by(t, qa->subs[k].start, qa->subs[k].end, &r, &nm) &&
            (!found || r.score > best.score)) {
            best = r;
            found = true;
        }
    }
    if (!found || (!qa->is_message && best.score < NAMING_SCORE))
        return GALEN_OK;
    if (!qa->is_message && qa->focus) {
        nm.gain = 1.0;
        if (best_run_by(qa->focus, 0, strlen(qa->focus), &r, &nm) &&
            r.score >= NAMING_SCORE)
            return GALEN_OK;
    }
    f = galen_strndup(t + best.start, best.end - best.start);
    if (!f)
        return GALEN_ENOMEM;
    galen_free(qa->focus);
    qa->focus = f;
    qa->focus_kind = qanalyze_focus_kind(f, strlen(f));
    return GALEN_OK;
}

/* True if a word of phrase names something without the word list. */
static bool names_plainly(const struct qanalysis *qa, const char *phrase)
{
    size_t len = strlen(phrase), i = 0, e = 0;

    for (;;) {
        i = answer_text_word(phrase, len, i, &e);
        if (i >= len)
            return false;
        if (plain_name(qa, phrase + i, e - i))
            return true;
        i = e;
    }
}

/* naming_focus_by_list, except that a question whose rule focus names a
 * symptom, a condition or a misspelt word keeps it without consulting the
 * word list: most questions never pay for loading it. */
static int naming_focus(struct qanalysis *qa, const struct qanalyze_ctx *c)
{
    if (!qa->is_message && qa->focus && names_plainly(qa, qa->focus))
        return GALEN_OK;
    return naming_focus_by_list(qa, c);
}

/* Writes the corrections of fixes into the focus: the focus of "What is
 * achandroplasia?" is the corrected word. */
static int fix_focus(struct qanalysis *qa, const struct qfix *fixes,
                     size_t nfixes)
{
    char *f = NULL;
    int rc = qa->focus ? replace_words(qa->focus, fixes, nfixes, &f) : GALEN_OK;

    if (!f)
        return rc;
    galen_free(qa->focus);
    qa->focus = f;
    qa->focus_kind = qanalyze_focus_kind(f, strlen(f));
    return rc;
}

/* ---- follow-ups --------------------------------------------------------- */

static bool starts_with_marker(const char *t, size_t len)
{
    size_t i, e = 0, m, k;

    i = answer_text_word(t, len, 0, &e);
    if (i >= len)
        return false;
    for (k = 0; k < ARRAY_SIZE(follow_markers); k++) {
        if (answer_text_phrase_at(t, len, i, follow_markers[k], &m))
            return true;
    }
    return false;
}

/* True if a pronoun stands for something said before ("is it serious?"). */
static bool has_pronoun(const char *t, size_t len)
{
    static const char *const pronouns[] = {"it",   "they",  "them", "this",
                                           "that", "these", "those"};
    size_t i = 0, e = 0;

    for (;;) {
        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            return false;
        if (in_list(pronouns, ARRAY_SIZE(pronouns), t + i, e - i))
            return true;
        i = e;
    }
}

static bool is_follow_up(const struct qanalysis *qa)
{
    size_t len = strlen(qa->text);

    if (!qa->focus || starts_with_marker(qa->text, len))
        return true;
    return has_pronoun(qa->text, len) &&
           (qa->focus_kind == FOCUS_OTHER || qa->focus_kind == FOCUS_BODY_PART);
}

/* Moves the question's own focus into the qualifiers ("pregnancy" in "and
 * during pregnancy?"), ahead of the other qualifiers. */
static int demote_focus(struct qanalysis *qa)
{
    struct buf b;
    int rc = GALEN_OK;

    if (!qa->focus)
        return GALEN_OK;
    buf_init(&b, OUT_MAX);
    buf_put_str(&rc, &b, qa->focus);
    if (qa->qualifiers && *qa->qualifiers) {
        buf_put_byte(&rc, &b, ' ');
        buf_put_str(&rc, &b, qa->qualifiers);
    }
    galen_free(qa->qualifiers);
    qa->qualifiers = take_str(&rc, &b);
    galen_free(qa->focus);
    qa->focus = NULL;
    return rc;
}

static int inherit_focus(struct qanalysis *qa, const struct qanalyze_ctx *c)
{
    struct qanalyze_ctx pc = {.lexicon = c->lexicon};
    struct qanalysis *prev = NULL;
    int rc = qanalyze(&pc, c->previous, strlen(c->previous), &prev);

    if (rc != GALEN_OK)
        return rc;
    if (prev->focus) {
        rc = demote_focus(qa);
        if (rc == GALEN_OK) {
            qa->focus = prev->focus;
            qa->focus_kind = prev->focus_kind;
            prev->focus = NULL;
            qa->focus_inherited = true;
            qa->is_follow_up = true;
            rc = add_term(qa, qa->focus, strlen(qa->focus), QTERM_FOCUS, 1.0);
        }
    }
    if (qa->qtype.type == QTYPE_OTHER)
        qa->qtype = prev->qtype;
    qanalysis_free(prev);
    return rc;
}

/* ---- the whole analysis ------------------------------------------------- */

/* The span the focus is looked for in: the first question of a message, or
 * the whole text. */
static void focus_span(const struct qanalysis *qa, size_t *b, size_t *e)
{
    *b = 0;
    *e = strlen(qa->text);
    if (qa->is_message && qa->nsubs > 0) {
        *b = qa->subs[0].start;
        *e = qa->subs[0].end;
    }
}

enum { KEYWORDS_MAX = 12 };

/* A long message's medical words (symptoms, conditions, medicines, body
 * parts), once each: what the story around its questions is about. */
static int find_keywords(struct qanalysis *qa)
{
    const char *t = qa->text;
    size_t len = strlen(t), i = 0, e = 0, n = 0, k;
    size_t kb[KEYWORDS_MAX] = {0}, ke[KEYWORDS_MAX] = {0};
    struct buf b;
    int rc = GALEN_OK;

    while (n < KEYWORDS_MAX) {
        bool dup = false;

        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            break;
        for (k = 0; k < n && !dup; k++)
            dup = ke[k] - kb[k] == e - i &&
                  strncasecmp(t + kb[k], t + i, e - i) == 0;
        if (!dup && is_medical_word(t + i, e - i)) {
            kb[n] = i;
            ke[n++] = e;
        }
        i = e;
    }
    buf_init(&b, OUT_MAX);
    for (k = 0; k < n; k++) {
        if (k)
            buf_put_byte(&rc, &b, ' ');
        buf_put(&rc, &b, t + kb[k], ke[k] - kb[k]);
    }
    galen_free(qa->keywords);
    qa->keywords = take_str(&rc, &b);
    return rc;
}

static int build_query(struct qanalysis *qa)
{
    struct buf b;
    size_t k;
    int rc = GALEN_OK;

    buf_init(&b, OUT_MAX);
    if (qa->is_message) {
        /* The questions asked, the focus and the medical words first: the
         * search core takes a bounded number of words. */
        for (k = 0; k < qa->nsubs; k++) {
            buf_put(&rc, &b, qa->text + qa->subs[k].start,
                    qa->subs[k].end - qa->subs[k].start);
            buf_put_byte(&rc, &b, ' ');
        }
        if (qa->focus) {
            buf_put_str(&rc, &b, qa->focus);
            buf_put_byte(&rc, &b, ' ');
        }
        buf_put_str(&rc, &b, qa->keywords ? qa->keywords : "");
        if (qa->nsubs == 0) {
            buf_put_byte(&rc, &b, ' ');
            buf_put_str(&rc, &b, qa->text);
        }
    } else {
        buf_put_str(&rc, &b, qa->text);
    }
    qa->query_own = b.len;
    /* Weak expansions stay out of retrieval: BM25 would weigh them as much
     * as the question's own words. */
    for (k = 0; k < qa->nterms; k++) {
        if (qa->terms[k].weight < QANALYZE_QUERY_MIN_WEIGHT)
            continue;
        buf_put_byte(&rc, &b, ' ');
        buf_put_str(&rc, &b, qa->terms[k].text);
    }
    galen_free(qa->query);
    qa->query = take_str(&rc, &b);
    return rc;
}

/* Truncates to QANALYZE_TEXT_MAX at a UTF-8 character boundary. */
static size_t clip(const char *q, size_t len)
{
    if (len <= QANALYZE_TEXT_MAX)
        return len;
    len = QANALYZE_TEXT_MAX;
    while (len > 0 && ((unsigned char)q[len] & 0xc0) == 0x80)
        len--;
    return len;
}

static int analyze(struct qanalysis *qa, const struct qanalyze_ctx *c)
{
    size_t len = strlen(qa->text), b, e;
    int rc = find_subs(qa);

    if (rc != GALEN_OK)
        return rc;
    if (qa->is_message)
        classify_message(qa);
    else
        qtype_classify(qa->text, len, &qa->qtype);
    focus_span(qa, &b, &e);
    rc = rule_focus(qa, qa->text, b, e);
    if (rc == GALEN_OK && c->previous && *c->previous && is_follow_up(qa))
        rc = inherit_focus(qa, c);
    if (rc == GALEN_OK && qa->is_message)
        rc = find_keywords(qa);
    if (rc == GALEN_OK && c->lexicon)
        rc = expand(qa, c->lexicon);
    if (rc == GALEN_OK && (c->spell || c->correct))
        rc = correct_words(qa, c);
    if (rc == GALEN_OK && !qa->focus_inherited && c->common_word)
        rc = naming_focus(qa, c);
    if (rc == GALEN_OK)
        rc = fix_focus(qa, qa->fixes, qa->nfixes);
    if (rc == GALEN_OK)
        rc = build_did_you_mean(qa);
    if (rc == GALEN_OK)
        rc = build_query(qa);
    return rc;
}

int qanalyze(const struct qanalyze_ctx *ctx, const char *q, size_t len,
             struct qanalysis **out)
{
    struct qanalysis *qa = galen_calloc(1, sizeof *qa);
    int rc;

    if (!qa)
        return GALEN_ENOMEM;
    qa->text = galen_strndup(q, clip(q, len));
    rc = qa->text ? analyze(qa, ctx) : GALEN_ENOMEM;
    if (rc != GALEN_OK) {
        qanalysis_free(qa);
        return rc;
    }
    *out = qa;
    return GALEN_OK;
}

int qanalyze_set_fix(struct qanalysis *qa, size_t i, const char *to)
{
    char *copy;
    size_t k;
    int rc;

    if (i >= qa->nfixes)
        return GALEN_EINVAL;
    copy = galen_strdup(to);
    if (!copy)
        return GALEN_ENOMEM;
    for (k = 0; k < qa->nterms; k++) {
        if (qa->terms[k].origin == QTERM_SPELLING &&
            strcmp(qa->terms[k].text, qa->fixes[i].to) == 0) {
            char *t = galen_strdup(to);
            if (!t) {
                galen_free(copy);
                return GALEN_ENOMEM;
            }
            galen_free(qa->terms[k].text);
            qa->terms[k].text = t;
        }
    }
    rc = fix_focus(qa, &(struct qfix){qa->fixes[i].to, copy}, 1);
    galen_free(qa->fixes[i].to);
    qa->fixes[i].to = copy;
    if (rc != GALEN_OK)
        return rc;
    galen_free(qa->did_you_mean);
    qa->did_you_mean = NULL;
    rc = build_did_you_mean(qa);
    return rc == GALEN_OK ? build_query(qa) : rc;
}

void qanalysis_free(struct qanalysis *qa)
{
    size_t k;

    if (!qa)
        return;
    for (k = 0; k < qa->nterms; k++)
        galen_free(qa->terms[k].text);
    for (k = 0; k < qa->nfixes; k++) {
        galen_free(qa->fixes[k].from);
        galen_free(qa->fixes[k].to);
    }
    galen_free(qa->terms);
    galen_free(qa->fixes);
    galen_free(qa->subs);
    galen_free(qa->text);
    galen_free(qa->focus);
    galen_free(qa->qualifiers);
    galen_free(qa->keywords);
    galen_free(qa->lexical);
    galen_free(qa->did_you_mean);
    galen_free(qa->query);
    galen_free(qa);
}

/* ---- refining the focus from the corpus --------------------------------- */

/* True if the words of phrase occur in t, adjacent and in order, case
 * folded; the last word may also carry or drop a plural 's'. */
static bool phrase_in(const char *t, size_t len, const char *phrase)
{
    char key[256];
    size_t n = 0, i = 0, e = 0, pl = strlen(phrase), last = 0;

    for (;;) {
        i = answer_text_word(phrase, pl, i, &e);
        if (i >= pl)
            break;
        if (n + (e - i) + 3 > sizeof key)
            return false;
        if (n > 0)
            key[n++] = ' ';
        last = n;
        lower_word(phrase + i, e - i, key + n, sizeof key - n);
        n += e - i;
        i = e;
    }
    if (n == 0)
        return false;
    if (n - last > 3 && key[n - 1] == 's')
        n--;
    key[n++] = '*';
    key[n] = '\0';
    return answer_text_find(t, len, key) < len;
}

static bool cand_better(const struct focus_cand *a, size_t aw,
                        const struct focus_cand *b, size_t bw)
{
    if (aw != bw)
        return aw > bw;
    if (a->weight != b->weight)
        return a->weight > b->weight;
    return strcmp(a->phrase, b->phrase) < 0;
}

int qanalyze_refine_focus(struct qanalysis *qa, const struct focus_cand *c,
                          size_t n)
{
    const struct focus_cand *best = NULL;
    size_t k, bw = 0, len = strlen(qa->text);
    const char *name;
    char *f;

    if (qa->focus_inherited)
        return GALEN_OK;
    for (k = 0; k < n; k++) {
        size_t w = answer_text_word_count(c[k].phrase, strlen(c[k].phrase));
        if (w == 0 || !phrase_in(qa->text, len, c[k].phrase))
            continue;
        if (!best || cand_better(&c[k], w, best, bw)) {
            best = &c[k];
            bw = w;
        }
    }
    /* A corpus focus inside the question's own, more specific focus
     * ("muscle cramp" in "soleus muscle cramps") leaves it as it is. */
    if (!best || (!best->canonical && qa->focus &&
                  phrase_in(qa->focus, strlen(qa->focus), best->phrase)))
        return GALEN_OK;
    name = best->canonical ? best->canonical : best->phrase;
    f = galen_strdup(name);
    if (!f)
        return GALEN_ENOMEM;
    galen_free(qa->focus);
    qa->focus = f;
    qa->focus_kind = best->kind != FOCUS_NONE
                         ? best->kind
                         : qanalyze_focus_kind(f, strlen(f));
    if (best->canonical)
        return add_term(qa, name, strlen(name), QTERM_SYNONYM, 0.8);
    return GALEN_OK;
}

/* ---- focus from the retrieved text -------------------------------------- */

enum { CFOCUS_WORDS = 3, CFOCUS_CANDS = 64 };

/* How many of the texts hold the phrase (whole words, case and plural
 * folded). */
static size_t texts_with(const char *const *texts, size_t n, const char *p)
{
    size_t k, hits = 0;

    for (k = 0; k < n; k++)
        hits += phrase_in(texts[k], strlen(texts[k]), p);
    return hits;
}

int qanalyze_corpus_focus(struct qanalysis *qa, const char *const *texts,
                          size_t ntexts)
{
    const char *t = qa->text;
    size_t len = strlen(t), i = 0, we = 0, nw = 0, k, j;
    size_t wb[CFOCUS_CANDS], wend[CFOCUS_CANDS];
    size_t best_b = 0, best_e = 0;
    double best = 0;
    char phrase[256];
    char *f;

    if (qa->focus_inherited || ntexts == 0)
        return GALEN_OK;
    if (qa->focus && texts_with(texts, ntexts, qa->focus) > 0)
        return GALEN_OK;
    /* The question's content words, in order, with where runs break. */
    for (;;) {
        i = answer_text_word(t, len, i, &we);
        if (i >= len || nw >= CFOCUS_CANDS)
            break;
        if (we - i >= 3 && !qanalyze_is_frame_word(t + i, we - i)) {
            wb[nw] = i;
            wend[nw++] = we;
        }
        i = we;
    }
    for (k = 0; k < nw; k++) {
        for (j = k; j < nw && j < k + CFOCUS_WORDS; j++) {
            size_t n = wend[j] - wb[k], hits;
            double v;

            if (j > k && breaks_run(t, wend[j - 1], wb[j]))
                break;
            if (n + 1 > sizeof phrase)
                break;
            memcpy(phrase, t + wb[k], n);
            phrase[n] = '\0';
            hits = texts_with(texts, ntexts, phrase);
            /* Held by more of the documents, and longer (more specific),
             * is better; ties go to the earlier phrase. */
            v = (double)hits * (1.0 + 0.5 * (double)(j - k));
            if (hits > 0 && v > best) {
                best = v;
                best_b = wb[k];
                best_e = wend[j];
            }
        }
    }
    if (best <= 0)
        return GALEN_OK;
    f = galen_strndup(t + best_b, best_e - best_b);
    if (!f)
        return GALEN_ENOMEM;
    galen_free(qa->focus);
    qa->focus = f;
    qa->focus_kind = qanalyze_focus_kind(f, strlen(f));
    return add_term(qa, f, strlen(f), QTERM_FOCUS, 1.0);
}

double qanalyze_medical_share(const struct qanalysis *qa)
{
    const char *t = qa->text;
    size_t len = strlen(t), i = 0, e = 0, words = 0, med = 0;

    for (;;) {
        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            break;
        if (e - i >= 3 && !qanalyze_is_frame_word(t + i, e - i)) {
            words++;
            med += is_medical_word(t + i, e - i);
        }
        i = e;
    }
    return words ? (double)med / (double)words : 0.0;
}
