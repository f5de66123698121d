/* SPDX-License-Identifier: MIT */
/* compose_features.c: sentence features: coverage, focus, facet and cue,
 * eligibility, document kind. */
#include <strings.h>

#include "compose_int.h"

/* ---- sentence features ------------------------------------------------- */

unsigned compose_primary_bit(const struct qmodel *q)
{
    return q->primary == QTYPE_OTHER ? 0 : 1u << q->primary;
}

/* The share of the question's own words (by evidence weight) that a
 * sentence has: evidence that one passage speaks to the whole question. */
double compose_cover_share(const struct qmodel *q, const uint32_t *st, size_t n)
{
    double got = 0;
    size_t k;

    if (q->ctotal <= 0)
        return 0;
    for (k = 0; k < q->nt; k++) {
        if (q->t[k].own && has_hash(st, n, q->t[k].h))
            got += q->t[k].cw;
    }
    return MIN(1.0, got / q->ctotal);
}

double compose_coverage(const struct qmodel *q, const uint32_t *st, size_t n)
{
    double got = 0;
    size_t k;

    if (q->total <= 0)
        return 0;
    for (k = 0; k < q->nt; k++) {
        if (has_hash(st, n, q->t[k].h))
            got += q->t[k].w;
    }
    return MIN(1.0, got / q->total);
}

static bool names_body(const struct qmodel *q, const uint32_t *st, size_t n)
{
    size_t k;

    for (k = 0; k < q->nbody; k++) {
        if (has_hash(st, n, q->body[k]))
            return true;
    }
    return false;
}

/* Coverage of one focus set: its last word, the head of the noun phrase
 * ("cramps" in "soleus muscle cramps"), weighs FOCUS_HEAD and the others
 * share the rest. A body-part modifier the sentence lacks earns half its
 * share when the sentence names another part ("leg cramps" for "soleus
 * muscle cramps"). The best set, times its weight, counts. */
static double set_cov(const struct focus_set *fs, const uint32_t *st, size_t n,
                      bool body)
{
    double v = 0, share;
    size_t k;

    if (fs->n == 1)
        return has_hash(st, n, fs->h[0]) ? 1.0 : 0.0;
    share = (1.0 - FOCUS_HEAD) / (double)(fs->n - 1);
    for (k = 0; k + 1 < fs->n; k++) {
        if (has_hash(st, n, fs->h[k]))
            v += share;
        else if (fs->body[k] && body)
            v += share / 2;
    }
    return v + (has_hash(st, n, fs->h[fs->n - 1]) ? FOCUS_HEAD : 0.0);
}

double compose_focus_cov(const struct qmodel *q, const uint32_t *st, size_t n)
{
    bool body = names_body(q, st, n);
    double best = 0;
    size_t f;

    for (f = 0; f < q->nfocus; f++)
        best =
            MAX(best, q->focus[f].weight * set_cov(&q->focus[f], st, n, body));
    return best;
}

/* Types a sentence's facet is chosen from, in tie-break order. */

/* Picks the facet: the section heading's type when it has one, else the
 * type whose cue words the sentence has most of (the question's own type
 * winning ties); sets *cue to the cue score for what the question asks. */
/* Picks the facet a sentence answers and sets *cue (its cue score for
 * what the question asks) and *fcue (for its own facet). The section
 * heading decides when it names facets, the sentence's cue words choosing
 * among several ("Prevention and treatment"); a heading's facet counts as
 * a cue of at least HEADING_CUE. Otherwise the type with most cue words
 * wins, the question's own type winning ties. */
#define HEADING_CUE 0.6

enum qtype compose_choose_facet(const struct qmodel *q,
                                const struct qtype_result *heading,
                                const char *s, size_t len, double *cue,
                                double *fcue)
{
    enum qtype best = q->primary, hbest = QTYPE_OTHER;
    double best_v = -1, hv = -1, asked = 0, v[QTYPE_COUNT];
    size_t k;

    qtype_sentence_scores(s, len, v);
    if (q->primary != QTYPE_OTHER) {
        best_v = v[q->primary];
        asked = best_v;
    }
    for (k = 0; k < ARRAY_SIZE(layout_types); k++) {
        enum qtype t = layout_types[k];

        if (q->mask & (1u << t) && t != q->primary)
            asked = MAX(asked, 0.8 * v[t]);
        if (v[t] > best_v) {
            best_v = v[t];
            best = t;
        }
        if ((heading->mask & (1u << t)) && t != QTYPE_COMPARISON &&
            (v[t] > hv || (v[t] == hv && t == heading->type))) {
            hv = v[t];
            hbest = t;
        }
    }
    *cue = q->primary == QTYPE_OTHER ? MAX(asked, 0.5) : asked;
    if (hbest != QTYPE_OTHER) {
        *fcue = MAX(v[hbest], HEADING_CUE);
        if (hbest == q->primary)
            *cue = MAX(*cue, HEADING_CUE);
        return hbest;
    }
    if (best_v <= 0)
        best = q->primary == QTYPE_OTHER ? QTYPE_DEFINITION : q->primary;
    *fcue = v[best];
    return best;
}

/* Sentences opening with a word that points back ("This", "They") read
 * badly out of context; they score a little lower. */
bool compose_is_anaphoric(const char *s, size_t len)
{
    static const char *const words[] = {
        "this",    "these", "they", "it", "its", "those", "such",
        "however", "also",  "both", "he", "she", "that"};
    size_t e = 0, b = answer_text_word(s, len, 0, &e), k;

    for (k = 0; b < len && k < ARRAY_SIZE(words); k++) {
        if (answer_text_ieq(s + b, e - b, words[k]))
            return true;
    }
    return false;
}

/* True if the sentence leans on one before it: it opens with a pronoun
 * ("It is ...", "They ...") or points back within its first LEAN_WORDS
 * words ("Patients who have this form of surgery ...", "If you have these
 * symptoms ..."; not "such as"). Such a sentence can support an answer
 * but not open it. A connective ("However, ...") still reads on its own. */
enum { LEAN_WORDS = 6 };

bool compose_leans_back(const char *s, size_t len)
{
    static const char *const openers[] = {"it", "its", "they", "he", "she"};
    static const char *const pointers[] = {"this", "these", "those", "such"};
    size_t i = 0, e = 0, n, k, m;

    for (n = 0; n < LEAN_WORDS; n++) {
        i = answer_text_word(s, len, i, &e);
        if (i >= len)
            return false;
        for (k = 0; n == 0 && k < ARRAY_SIZE(openers); k++) {
            if (answer_text_ieq(s + i, e - i, openers[k]))
                return true;
        }
        for (k = 0; k < ARRAY_SIZE(pointers); k++) {
            if (answer_text_ieq(s + i, e - i, pointers[k]) &&
                !answer_text_phrase_at(s, len, i, "such as", &m))
                return true;
        }
        i = e;
    }
    return false;
}

/* The special populations a text names, as a bit mask: liver cirrhosis,
 * dialysis, pregnancy and breastfeeding, children. Advice for them is
 * wrong for everyone else, so it appears only when the question names
 * them too (compose_scan.c). A trailing '*' is a prefix. */
unsigned compose_populations(const char *s, size_t len)
{
    static const struct {
        const char *w;
        unsigned bit;
    } terms[] = {{"cirrho*", 1u},     {"dialys*", 2u},   {"haemodialys*", 2u},
                 {"hemodialys*", 2u}, {"pregnan*", 4u},  {"breastfe*", 4u},
                 {"child", 8u},       {"children*", 8u}, {"childhood", 8u},
                 {"infant*", 8u},     {"newborn*", 8u},  {"toddler*", 8u},
                 {"baby", 8u},        {"babies", 8u},    {"paediatric*", 8u},
                 {"pediatric*", 8u}};

    unsigned m = 0;
    size_t i = 0, e = 0, k;

    for (;;) {
        i = answer_text_word(s, len, i, &e);
        if (i >= len)
            return m;
        for (k = 0; k < ARRAY_SIZE(terms); k++) {
            size_t n = strlen(terms[k].w);
            bool star = terms[k].w[n - 1] == '*';

            if (star ? e - i >= n - 1 &&
                           strncasecmp(s + i, terms[k].w, n - 1) == 0
                     : answer_text_ieq(s + i, e - i, terms[k].w))
                m |= terms[k].bit;
        }
        i = e;
    }
}

/* True if s holds phrase (lower case), case folded. */
static bool has_phrase(const char *s, size_t len, const char *phrase)
{
    size_t n = strlen(phrase), i;

    for (i = 0; n <= len && i <= len - n; i++) {
        if (strncasecmp(s + i, phrase, n) == 0)
            return true;
    }
    return false;
}

/* A heading run into the first sentence is HEADING_RUN or more capitalised
 * words, nothing but spaces between them, then a lower-case word:
 * "Possible Complications Over Time Over time, high blood pressure can
 * ...". The sentence proper opens at the run's last word ("Over time,
 * ..."). A sentence's own opening names break the run with a comma or a
 * small word ("The National Institutes of Health"), or follow an article
 * ("The Monell Chemical Senses Center is ..."); headings do not open with
 * one. */
enum { HEADING_RUN = 4 };

size_t compose_heading_skip(const char *s, size_t len)
{
    size_t i = 0, e = 0, n = 0, last = 0;

    for (;;) {
        i = answer_text_word(s, len, i, &e);
        if (i >= len)
            return 0;
        if (!(s[i] >= 'A' && s[i] <= 'Z'))
            return n >= HEADING_RUN && s[i] >= 'a' && s[i] <= 'z' ? last : 0;
        if (n > 0 && s[i - 1] != ' ')
            return 0;
        if (n == 0 && (answer_text_ieq(s + i, e - i, "the") ||
                       answer_text_ieq(s + i, e - i, "a") ||
                       answer_text_ieq(s + i, e - i, "an")))
            return 0;
        last = i;
        n++;
        i = e;
    }
}

/* Page furniture, not a statement: links, navigation and notes about the
 * page ("Click the table on the right", "Much of this information comes
 * from ..."), a table row or a heading run into a sentence (most of
 * its words capitalised: "Signs and Symptoms Approximate number of
 * patients ..."), and an opener that points at something not quoted
 * ("These steps ...", "Such cases ..."). */
static bool is_furniture(const char *s, size_t len)
{
    static const char *const phrases[] = {
        "click ",
        "the table on",
        "table below",
        "table above",
        "this website",
        "this page",
        "see the link",
        "visit the ",
        "approximate number of patients",
        "human phenotype ontology",
        "medical dictionary",
        "this information comes from",
        "answers below",
        "listed below",
        "see below",
        "this article",
        "this section",
        "is usually listed as a rough estimate",
        "number of the fraction",
        "this table"};
    static const char *const openers[] = {"these", "those", "such"};
    size_t i = 0, e = 0, words = 0, caps = 0, k;

    for (k = 0; k < ARRAY_SIZE(phrases); k++) {
        if (has_phrase(s, len, phrases[k]))
            return true;
    }
    i = answer_text_word(s, len, 0, &e);
    for (k = 0; i < len && k < ARRAY_SIZE(openers); k++) {
        if (answer_text_ieq(s + i, e - i, openers[k]))
            return true;
    }
    for (i = 0;;) {
        i = answer_text_word(s, len, i, &e);
        if (i >= len)
            break;
        words++;
        caps += s[i] >= 'A' && s[i] <= 'Z';
        i = e;
    }
    return words >= 8 && 2 * caps > words;
}

bool compose_eligible_text(const char *s, size_t len, unsigned flags)
{
    if (flags & (SENTENCE_HEADING | SENTENCE_LEADIN))
        return false;
    if (len < SENT_MIN_BYTES || len > SENT_MAX_BYTES || s[len - 1] == '?')
        return false;
    return answer_text_word_count(s, len) >= SENT_MIN_WORDS &&
           !is_furniture(s, len);
}

bool answer_is_dose(const char *s, size_t len)
{
    static const char *const units[] = {
        "mg",    "g",    "mcg", "ug",         "μg",    "ml",        "iu",
        "units", "mmol", "meq", "milligrams", "grams", "micrograms"};
    size_t i = 0, e = 0, k;
    bool prev_num = false;

    for (;;) {
        bool num;

        i = answer_text_word(s, len, i, &e);
        if (i >= len)
            return false;
        num = s[i] >= '0' && s[i] <= '9';
        for (k = 0; k < ARRAY_SIZE(units); k++) {
            size_t n = strlen(units[k]);
            /* "10 mg" or "10mg" */
            if ((prev_num && answer_text_ieq(s + i, e - i, units[k])) ||
                (num && e - i > n && answer_text_ieq(s + e - n, n, units[k]) &&
                 s[e - n - 1] >= '0' && s[e - n - 1] <= '9'))
                return true;
        }
        prev_num = num;
        i = e;
    }
}

int answer_evidence_rank(int evidence)
{
    return evidence == DOC_EVIDENCE_NONE ? DOC_EVIDENCE_COUNT : evidence;
}

enum answer_block_kind compose_block_of(const struct doc *d)
{
    if (d->kind == DOC_KIND_GUIDELINE)
        return ANSWER_BLOCK_GUIDELINES;
    if (d->kind == DOC_KIND_RESEARCH)
        return ANSWER_BLOCK_RESEARCH;
    return ANSWER_BLOCK_PATIENTS;
}

/* True for a patient's own question with a specialist's reply: it feeds
 * "Similar Q&A", not the answer's evidence. */
static bool is_patient_qa(const struct doc *d)
{
    return d->kind == DOC_KIND_QA && (d->replied || d->age_band);
}

bool compose_doc_allowed(const struct answer_compose_in *in,
                         const struct doc *d)
{
    if (!d || !d->has_answer || d->status == DOC_STATUS_REJECTED ||
        is_patient_qa(d))
        return false;
    if (in->kinds && !(in->kinds & (1u << d->kind)))
        return false;
    if (in->min_evidence != DOC_EVIDENCE_NONE &&
        answer_evidence_rank((int)d->evidence) >
            answer_evidence_rank(in->min_evidence))
        return false;
    return true;
}

bool compose_skip_section(const char *heading)
{
    static const char *const skip[] = {"table of contents", "contents",
                                       "references", "sources", "question"};
    size_t k;

    for (k = 0; heading && k < ARRAY_SIZE(skip); k++) {
        if (answer_text_ieq(heading, strlen(heading), skip[k]))
            return true;
    }
    return false;
}
