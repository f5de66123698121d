/* SPDX-License-Identifier: MIT */
/* compose_scan.c: scanning the top documents into scored candidate sentences
 * and per-document evidence. */
#include "compose_int.h"

/* ---- scanning documents into candidate sentences ------------------------ */

struct sec_terms {
    struct compose *c;
    uint32_t *h; /* term hash per token */
    size_t *at;  /* its start offset */
    size_t n, cap;
    int rc;
};

static int on_sec_term(void *ctx, const struct aterm *t)
{
    struct sec_terms *st = ctx;

    if (st->n == st->cap) {
        size_t ncap = st->cap ? st->cap * 2 : 256;
        uint32_t *h = galen_realloc(st->h, ncap * sizeof *h);
        size_t *at;

        if (!h)
            return GALEN_ENOMEM;
        st->h = h;
        at = galen_realloc(st->at, ncap * sizeof *at);
        if (!at)
            return GALEN_ENOMEM;
        st->at = at;
        st->cap = ncap;
    }
    st->h[st->n] = hash_fnv1a32(t->term, t->len);
    st->at[st->n] = t->start;
    st->n++;
    return 0;
}

static int pool_reserve(struct compose *c, size_t n)
{
    uint32_t *p;
    size_t ncap;

    if (c->npool + n <= c->pool_cap)
        return GALEN_OK;
    ncap = c->pool_cap ? c->pool_cap : 4096;
    while (ncap < c->npool + n)
        ncap *= 2;
    p = galen_realloc(c->pool, ncap * sizeof *p);
    if (!p)
        return GALEN_ENOMEM;
    c->pool = p;
    c->pool_cap = ncap;
    return GALEN_OK;
}

/* Copies the sorted distinct hashes of tokens in [b, e) to the end of the
 * pool without claiming them (consider() claims them if it keeps the
 * sentence) and sets *n to their count. */
static int sentence_stems(struct compose *c, const struct sec_terms *st,
                          size_t *tok, size_t b, size_t e, size_t *n)
{
    uint32_t tmp[STEMS_MAX] = {0};
    size_t m = 0, k, u = 0;
    int rc;

    while (*tok < st->n && st->at[*tok] < b)
        (*tok)++;
    for (k = *tok; k < st->n && st->at[k] < e && m < STEMS_MAX; k++)
        tmp[m++] = st->h[k];
    qsort(tmp, m, sizeof *tmp, cmp_u32);
    for (k = 0; k < m; k++) {
        if (u == 0 || tmp[k] != tmp[u - 1])
            tmp[u++] = tmp[k];
    }
    rc = pool_reserve(c, u);
    if (rc != GALEN_OK)
        return rc;
    memcpy(c->pool + c->npool, tmp, u * sizeof *tmp);
    *n = u;
    return GALEN_OK;
}

static int push_sent(struct compose *c, const struct csent *s)
{
    if (c->ns >= CANDS_MAX)
        return GALEN_OK;
    if (c->ns == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 128;
        struct csent *p = galen_realloc(c->s, ncap * sizeof *p);
        if (!p)
            return GALEN_ENOMEM;
        c->s = p;
        c->cap = ncap;
    }
    c->s[c->ns++] = *s;
    return GALEN_OK;
}

static bool is_keypoint_heading(const char *h)
{
    return h && (answer_text_ieq(h, strlen(h), "key points") ||
                 answer_text_ieq(h, strlen(h), "quick summary") ||
                 answer_text_ieq(h, strlen(h), "summary"));
}

/* True if the document as a whole answers the question's type: its own
 * question type (MedQuAD, the pack's front matter) or its title says so. */
static bool doc_answers_type(const struct doc *d, enum qtype t)
{
    struct qtype_result r;
    enum qtype dt;

    if (t == QTYPE_OTHER)
        return false;
    if (d->question_type &&
        qtype_from_name(d->question_type, strlen(d->question_type), &dt) &&
        dt == t)
        return true;
    qtype_classify(d->title, strlen(d->title), &r);
    return r.type == t;
}

/* A document's weight in its sentences' scores: its retrieval score
 * relative to the best (softened by a square root, since one rare title
 * word can put the first document far ahead) and whether the document
 * answers the question's type. */
static double doc_weight(const struct compose *c, size_t ci)
{
    double rel = c->in->cands[ci].score / c->in->cands[0].score;
    bool typed = doc_answers_type(c->in->cands[ci].doc, c->q.primary);

    return DOC_W_SCORE * sqrt(rel) + (typed ? 1.0 - DOC_W_SCORE : 0.0);
}

/* True if the sentence has one of the question's own terms other than
 * the focus: for a follow-up, its qualifiers. */
static bool has_qualifier(const struct compose *c, const uint32_t *st, size_t n)
{
    size_t k, f;

    for (k = 0; k < c->q.nt; k++) {
        bool in_focus = false;

        if (!c->q.t[k].own)
            continue;
        for (f = 0; c->q.nfocus && f < c->q.focus[0].n; f++)
            in_focus = in_focus || c->q.focus[0].h[f] == c->q.t[k].h;
        if (!in_focus && has_hash(st, n, c->q.t[k].h))
            return true;
    }
    return false;
}

/* A sentence that names none of the question's terms is a candidate only
 * among the first CONTEXT_ORD of its section: an opening sentence often
 * says what the whole passage is about ("Two cartilage rings are in the
 * centre of each knee"), a later one has drifted. */
enum { CONTEXT_ORD = 3 };

#define NO_QUALIFIER 0.7

/* Patients get advice for a special population (one the sentence names
 * alone: a sentence naming several lists them among other things) only
 * when they name it, or when their sources are about that population: a
 * quarter of the document's candidates name it (a children's disease).
 * Clinicians see it, as the guidelines give it. */
static void drop_population_advice(struct compose *c, size_t first)
{
    size_t k, n = c->ns - first, named[8] = {0};
    unsigned bit;

    if (c->in->audience != GALEN_AUDIENCE_PATIENT || n == 0)
        return;
    for (k = first; k < c->ns; k++) {
        for (bit = 0; bit < 8; bit++)
            named[bit] += (c->s[k].pop >> bit) & 1u;
    }
    for (k = first; k < c->ns; k++) {
        unsigned p = c->s[k].pop & ~c->pop;

        if (p && (c->s[k].pop & (c->s[k].pop - 1)) == 0) {
            for (bit = 0; bit < 8; bit++) {
                if (((p >> bit) & 1u) && 4 * named[bit] < n)
                    c->s[k].excluded = true;
            }
        }
    }
}

/* Records one sentence's features (sentmodel.h) and keeps it if it is
 * eligible; compose_score_sentences scores it once every candidate is
 * known. */
static int consider(struct compose *c, size_t ci, size_t si,
                    const struct qtype_result *hr, double heading_focus,
                    const char *text, const struct sentence *sen, size_t nstems)
{
    const struct doc *d = c->in->cands[ci].doc;
    const char *s = text + sen->start;
    size_t len = sen->end - sen->start, ord = c->ord++;
    struct csent cs;
    double heading, fheading, fcue = 0;
    bool context;

    memset(&cs, 0, sizeof cs);
    cs.stem_off = c->npool;
    cs.nstems = nstems;
    cs.f[SM_FOCUS] = compose_focus_cov(&c->q, c->pool + c->npool, nstems);
    cs.f[SM_REL] = compose_coverage(&c->q, c->pool + c->npool, nstems);
    c->best_share = MAX(c->best_share,
                        compose_cover_share(&c->q, c->pool + c->npool, nstems));
    context = cs.f[SM_FOCUS] <= 0 && cs.f[SM_REL] < ELIGIBLE_REL;
    if (context && ord >= CONTEXT_ORD)
        return GALEN_OK;
    cs.facet = compose_choose_facet(&c->q, hr, s, len, &cs.f[SM_CUE], &fcue);
    if (compose_is_definitional(&c->q, s, len) &&
        (c->q.primary == QTYPE_DEFINITION || c->q.primary == QTYPE_OTHER)) {
        cs.facet = QTYPE_DEFINITION;
        cs.f[SM_CUE] = fcue = 1.0;
    }
    /* A heading on what was asked (or on the sentence's own facet, for
     * fscore) and a heading naming the focus both help. */
    heading = (hr->mask & (compose_primary_bit(&c->q) | c->q.mask)) ? 1.0 : 0.0;
    heading = MIN(1.0, heading + 0.5 * heading_focus);
    fheading = (hr->mask & (1u << cs.facet)) ? 1.0 : 0.0;
    fheading = MIN(1.0, fheading + 0.5 * heading_focus);
    cs.f[SM_HEADING] = heading;
    cs.f[SM_DOC] = c->docw[ci];
    cs.f[SM_TITLE] = c->title_focus;
    cs.f[SM_LEAD] = 1.0 / (1.0 + (double)ord);
    cs.f[SM_ANAPHORIC] = compose_is_anaphoric(s, len);
    cs.leans = compose_leans_back(s, len);
    cs.f[SM_LONG] = len > 300;
    cs.f[SM_CONTEXT] = context;
    /* A follow-up asks about its qualifier ("during pregnancy"): a sentence
     * without it answers the previous question, not this one. */
    cs.no_qualifier = c->in->qa->is_follow_up &&
                      !has_qualifier(c, c->pool + c->npool, nstems);
    cs.fcue = fcue;
    cs.fheading = fheading;
    cs.ord = ord;
    cs.pop = compose_populations(s, len);
    cs.cand = ci;
    cs.section = si;
    cs.start = sen->start;
    cs.end = sen->end;
    cs.block = compose_block_of(d);
    cs.is_dose = answer_is_dose(s, len);
    cs.words = answer_text_word_count(s, len);
    cs.keypoint_section = is_keypoint_heading(d->sections[si].heading);
    c->npool += nstems;
    return push_sent(c, &cs);
}

/* How much text (a heading, a title) names the focus: the share of the
 * focus's words it has; with `exact`, relative to its own words too, so
 * that "Glaucoma" names the focus "glaucoma" fully and "Glaucoma in
 * Chandler's syndrome" only in part. */
static double names_focus(struct compose *c, const char *text, bool exact)
{
    struct focus_set tmp;
    size_t k, hit = 0, best_n = 0;
    struct qcollect qc = {&c->q, text, 0, &tmp, c->in, false};

    if (!text || !*text || c->q.nfocus == 0)
        return 0;
    memset(&tmp, 0, sizeof tmp);
    if (analyzer_run(c->in->analyzer, &index_opts, text, strlen(text),
                     compose_on_qterm, &qc) != GALEN_OK)
        return 0;
    qsort(tmp.h, tmp.n, sizeof *tmp.h, cmp_u32);
    best_n = c->q.focus[0].n;
    for (k = 0; k < best_n; k++)
        hit += has_hash(tmp.h, tmp.n, c->q.focus[0].h[k]);
    if (exact)
        best_n = MAX(best_n, tmp.n);
    return best_n ? (double)hit / (double)best_n : 0;
}

/* Counts the question's own terms among n token hashes, each hit adding
 * `add` (a title hit counts as TOPIC_TF: a title names the topic), and
 * marks the question's naming words the document has. */
static void note_seen(struct compose *c, size_t ci, const uint32_t *h, size_t n,
                      unsigned add)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        for (k = 0; k < c->q.nt; k++) {
            if (c->q.t[k].own && c->q.t[k].h == h[i])
                c->tf[ci][k] = (uint8_t)MIN(255u, c->tf[ci][k] + add);
        }
        k = word_set_find(&c->q.named, h[i]);
        if (k < c->q.named.n)
            c->named_seen[ci] |= 1u << k;
    }
}

static int scan_section(struct compose *c, size_t ci, size_t si, size_t *budget)
{
    const struct doc_section *sec = &c->in->cands[ci].doc->sections[si];
    size_t len = MIN(strlen(sec->text), *budget), pos = 0, tok = 0;
    struct sec_terms st = {c, NULL, NULL, 0, 0, GALEN_OK};
    struct qtype_result hr;
    struct sentence sen;
    double hf;
    int rc, t;

    *budget -= len;
    qtype_classify(sec->heading, strlen(sec->heading), &hr);
    /* Only a heading that clearly names a facet ("Causes", not "Medicines")
     * decides a sentence's facet. */
    hr.mask = 0;
    for (t = 0; t < QTYPE_COUNT; t++) {
        if (hr.score[t] >= QTYPE_FACET_MIN)
            hr.mask |= 1u << t;
    }
    hf = names_focus(c, sec->heading, false);
    c->ord = 0; /* a section's first sentences say what it is about */
    rc = analyzer_run(c->in->analyzer, &index_opts, sec->text, len, on_sec_term,
                      &st);
    if (rc == GALEN_OK)
        note_seen(c, ci, st.h, st.n, 1);
    c->doc_len[ci] += st.n;
    while (rc == GALEN_OK && sentence_next(sec->text, len, &pos, &sen)) {
        size_t n = 0;

        sen.start +=
            compose_heading_skip(sec->text + sen.start, sen.end - sen.start);
        if (!compose_eligible_text(sec->text + sen.start, sen.end - sen.start,
                                   sen.flags))
            continue;
        rc = sentence_stems(c, &st, &tok, sen.start, sen.end, &n);
        if (rc == GALEN_OK)
            rc = consider(c, ci, si, &hr, hf, sec->text, &sen, n);
    }
    galen_free(st.h);
    galen_free(st.at);
    return rc;
}

/* Mentions of own term k per 100 words of document ci (a title mention
 * makes it the topic outright): a term a document keeps returning to is
 * what the document is about, one passing mention is not. */

double compose_density(const struct compose *c, size_t ci, size_t k)
{
    if (c->tf[ci][k] >= TITLE_TF)
        return TOPIC_DENSITY;
    return TOPIC_BODY * 100.0 * c->tf[ci][k] / (double)(c->doc_len[ci] + 100);
}

/* A document's coverage of the question (the share of the question's own
 * terms its title and text have, each term counted once) and its best
 * sentence score. */
static int doc_summary(struct compose *c, size_t ci, size_t first)
{
    const char *title = c->in->cands[ci].doc->title;
    struct sec_terms st = {c, NULL, NULL, 0, 0, GALEN_OK};
    int rc = analyzer_run(c->in->analyzer, &index_opts, title, strlen(title),
                          on_sec_term, &st);
    size_t k;
    double got = 0, topic = 0;

    if (rc == GALEN_OK)
        note_seen(c, ci, st.h, st.n, TITLE_TF);
    galen_free(st.h);
    galen_free(st.at);
    for (k = 0; k < c->q.nt; k++) {
        if (!c->q.t[k].own || !c->tf[ci][k])
            continue;
        got += c->q.t[k].cw;
        topic +=
            c->q.t[k].cw * MIN(1.0, compose_density(c, ci, k) / TOPIC_DENSITY);
    }
    c->doc_cov[ci] = c->q.ctotal > 0 ? MIN(1.0, got / c->q.ctotal) : 0;
    c->doc_topic[ci] = c->q.ctotal > 0 ? MIN(1.0, topic / c->q.ctotal) : 0;
    (void)first;
    return rc;
}

/* A sentence's text, lower-cased letters and digits only, hashed. */
static uint32_t sentence_hash(const char *s, size_t len)
{
    uint32_t h = HASH_FNV1A32_INIT;
    size_t k;

    for (k = 0; k < len; k++) {
        unsigned char ch =
            (unsigned char)answer_text_lower((unsigned char)s[k]);

        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
            h = hash_fnv1a32_byte(h, ch);
    }
    return h;
}

enum { BOILERPLATE_DOCS = 3 };

/* A candidate sentence's text hash, its document and its index. */
struct sent_key {
    uint32_t h;
    size_t cand, k;
};

static int cmp_sent_key(const void *x, const void *y)
{
    const struct sent_key *a = x, *b = y;

    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return (a->cand > b->cand) - (a->cand < b->cand);
}

/* A sentence that BOILERPLATE_DOCS or more retrieved documents hold word
 * for word is the publisher's boilerplate ("The frequency may also be
 * listed as a fraction"), not an answer: no candidate. Sorting by hash,
 * then document, puts each text's copies side by side. */
static int drop_boilerplate(struct compose *c)
{
    struct sent_key *key = galen_calloc(c->ns ? c->ns : 1, sizeof *key);
    size_t k, j, docs;

    if (!key)
        return GALEN_ENOMEM;
    for (k = 0; k < c->ns; k++) {
        const struct csent *s = &c->s[k];
        const char *t = c->in->cands[s->cand].doc->sections[s->section].text;

        key[k] = (struct sent_key){
            sentence_hash(t + s->start, s->end - s->start), s->cand, k};
    }
    qsort(key, c->ns, sizeof *key, cmp_sent_key);
    for (k = 0; k < c->ns; k = j) {
        for (j = k + 1, docs = 1; j < c->ns && key[j].h == key[k].h; j++)
            docs += key[j].cand != key[j - 1].cand;
        while (docs >= BOILERPLATE_DOCS && k < j)
            c->s[key[k++].k].excluded = true;
    }
    galen_free(key);
    return GALEN_OK;
}

/* Each allowed document's weight (doc_weight) and how far its title is
 * the focus, no more (into tfocus). General before rare: when one title is
 * exactly the focus (the "Glaucoma" page), a page whose title names
 * something else (a rare syndrome that merely mentions glaucoma) weighs
 * half. */
static void weigh_docs(struct compose *c, double *tfocus)
{
    bool general = false;
    size_t ci;

    for (ci = 0; ci < c->nscan; ci++) {
        const struct doc *d = c->in->cands[ci].doc;

        if (!compose_doc_allowed(c->in, d))
            continue;
        tfocus[ci] = names_focus(c, d->title, true);
        c->docw[ci] = doc_weight(c, ci);
        general = general || tfocus[ci] >= 1.0;
    }
    for (ci = 0; general && ci < c->nscan; ci++)
        c->docw[ci] *= 0.5 + 0.5 * tfocus[ci];
}

int compose_scan_docs(struct compose *c)
{
    size_t ci, si;
    double *tfocus = galen_calloc(c->nscan ? c->nscan : 1, sizeof *tfocus);
    int rc = tfocus ? GALEN_OK : GALEN_ENOMEM;

    if (rc == GALEN_OK)
        weigh_docs(c, tfocus);
    for (ci = 0; rc == GALEN_OK && ci < c->nscan; ci++) {
        const struct doc *d = c->in->cands[ci].doc;
        size_t budget = ANSWER_DOC_TEXT_MAX, first = c->ns;

        if (!compose_doc_allowed(c->in, d))
            continue;
        c->title_focus = tfocus[ci];
        for (si = 0; rc == GALEN_OK && si < d->nsections && budget > 0; si++) {
            if (!compose_skip_section(d->sections[si].heading))
                rc = scan_section(c, ci, si, &budget);
        }
        if (rc == GALEN_OK) {
            drop_population_advice(c, first);
            rc = doc_summary(c, ci, first);
        }
    }
    galen_free(tfocus);
    return rc == GALEN_OK ? drop_boilerplate(c) : rc;
}

/* GALEN_SENTENCE_FEATURES=1 prints each candidate's features, then its
 * facet's cue and heading, its document rank and its text, on stderr: the
 * training data of scripts/train_answer.py. */
static void dump_features(const struct compose *c, const struct csent *s)
{
    const struct doc_section *sec =
        &c->in->cands[s->cand].doc->sections[s->section];
    size_t k;

    fputs("sentence-features", stderr);
    for (k = 0; k < SM_NFEATURES; k++)
        fprintf(stderr, "\t%.4f", s->f[k]);
    fprintf(stderr, "\t%.4f\t%.4f\t%zu\t%s\t%d\t%.*s\n", s->fcue, s->fheading,
            s->cand, c->in->cands[s->cand].doc->id, (int)s->facet,
            (int)(s->end - s->start), sec->text + s->start);
}

/* Scores every candidate with the sentence model (sentmodel.h), once
 * compose_weigh_terms has weighed the terms: fscore is the score with the
 * cue and heading of the sentence's own facet instead of the asked one.
 * A document's best sentence and the best focus count only sentences that
 * name the question. */
void compose_score_sentences(struct compose *c)
{
    const struct sentmodel *m =
        c->in->model ? c->in->model : &sentmodel_default;
    double f[SM_NFEATURES];
    bool dump = getenv("GALEN_SENTENCE_FEATURES") != NULL;
    size_t k;

    for (k = 0; k < c->ns; k++) {
        struct csent *s = &c->s[k];

        s->score = sentmodel_score(m, s->f);
        memcpy(f, s->f, sizeof f);
        f[SM_CUE] = s->fcue;
        f[SM_HEADING] = s->fheading;
        s->fscore = sentmodel_score(m, f);
        if (s->excluded)
            s->score = s->fscore = 0;
        /* A rule, not a learned weight: the dev sets hold no follow-ups. */
        if (s->no_qualifier) {
            s->score *= NO_QUALIFIER;
            s->fscore *= NO_QUALIFIER;
        }
        if (s->f[SM_CONTEXT] == 0 && !s->excluded) {
            c->doc_best[s->cand] = MAX(c->doc_best[s->cand], s->score);
            c->best_focus = MAX(c->best_focus, s->f[SM_FOCUS]);
        }
        if (dump)
            dump_features(c, s);
    }
}
