/* SPDX-License-Identifier: MIT */
/* compose_build.c: building the answer from the chosen sentences: citations,
 * provenance, references. */
#include "compose_int.h"

/* ---- building the answer ------------------------------------------------ */

/* Length of an inline citation "[3]", "[1, 2]" or "[2-4]" at s[i], or 0. */
static size_t cite_len(const char *s, size_t len, size_t i)
{
    size_t j = i + 1;
    bool digit = false;

    if (s[i] != '[')
        return 0;
    while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == ',' ||
                       s[j] == ' ' || s[j] == '-')) {
        digit = digit || (s[j] >= '0' && s[j] <= '9');
        j++;
    }
    return (j < len && s[j] == ']' && digit) ? j + 1 - i : 0;
}

/* Records the reference numbers of the citation s[0..n) in as. */
static void note_refs(struct answer_sentence *as, const char *s, size_t n)
{
    size_t k = 1;

    while (k < n) {
        long v = 0;
        bool any = false;

        while (k < n && s[k] >= '0' && s[k] <= '9' && v < 100000) {
            v = v * 10 + (s[k] - '0');
            any = true;
            k++;
        }
        if (any && as->nrefs < ARRAY_SIZE(as->refs))
            as->refs[as->nrefs++] = (int)v;
        k++;
    }
}

char *answer_clean_text(const char *s, size_t len, struct answer_sentence *as)
{
    char *out = galen_malloc(len + 1);
    size_t i = 0, n = 0;

    if (!out)
        return NULL;
    while (i < len) {
        size_t cl = cite_len(s, len, i);
        unsigned char ch = (unsigned char)s[i];

        if (cl) {
            if (as)
                note_refs(as, s + i, cl);
            while (n > 0 && out[n - 1] == ' ')
                n--;
            i += cl;
            continue;
        }
        if (ch == '\n' || ch == '\t' || ch == '\r')
            ch = ' ';
        if (!(ch == ' ' && (n == 0 || out[n - 1] == ' ')))
            out[n++] = (char)ch;
        i++;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return out;
}

static int source_for(struct builder *b, size_t ci, size_t *out)
{
    struct galen_answer *ans = b->ans;
    struct answer_source *src;

    if (b->src_of[ci] != NONE) {
        *out = b->src_of[ci];
        return GALEN_OK;
    }
    src = &ans->sources[ans->nsources];
    src->doc = b->c->in->cands[ci].doc;
    b->c->in->cands[ci].doc = NULL;
    src->number = (unsigned)ans->nsources + 1;
    src->rank = ci;
    src->score = b->c->in->cands[ci].score;
    src->cited = true;
    b->src_of[ci] = ans->nsources;
    *out = ans->nsources++;
    return GALEN_OK;
}

/* Appends chosen sentence k to the answer; *idx gets its index. */
static int add_sentence(struct builder *b, size_t k, size_t *idx)
{
    const struct csent *cs = &b->c->s[k];
    struct galen_answer *ans = b->ans;
    struct answer_sentence *as = &ans->sentences[ans->nsentences];
    const struct doc *d = b->c->in->cands[cs->cand].doc;
    int rc;

    memset(as, 0, sizeof *as);
    if (!d)
        d = ans->sources[b->src_of[cs->cand]].doc;
    as->text = answer_clean_text(d->sections[cs->section].text + cs->start,
                                 cs->end - cs->start, as);
    rc = as->text ? source_for(b, cs->cand, &as->source) : GALEN_ENOMEM;
    if (rc != GALEN_OK)
        return rc;
    as->section = cs->section;
    as->start = cs->start;
    as->end = cs->end;
    as->facet = cs->facet;
    as->score = cs->score;
    as->is_dose = cs->is_dose;
    *idx = ans->nsentences++;
    return GALEN_OK;
}

static int add_list(struct builder *b, const size_t *v, size_t n, size_t **out,
                    size_t *nout)
{
    size_t k;
    int rc = GALEN_OK;

    *nout = 0;
    if (n == 0)
        return GALEN_OK;
    *out = galen_calloc(n, sizeof **out);
    if (!*out)
        return GALEN_ENOMEM;
    for (k = 0; k < n && rc == GALEN_OK; k++) {
        rc = add_sentence(b, v[k], &(*out)[k]);
        if (rc == GALEN_OK)
            (*nout)++;
    }
    return rc;
}

int compose_build_body(struct builder *b, struct chosen *ch)
{
    struct galen_answer *ans = b->ans;
    const enum answer_block_kind *order = answer_block_order(ans->audience);
    size_t k;
    int rc;

    ans->sentences =
        galen_calloc(ch->nall ? ch->nall : 1, sizeof *ans->sentences);
    ans->sources = galen_calloc(ANSWER_DOCS_MAX, sizeof *ans->sources);
    if (!ans->sentences || !ans->sources)
        return GALEN_ENOMEM;
    for (k = 0; k < ANSWER_DOCS_MAX; k++)
        b->src_of[k] = NONE;
    rc = add_list(b, ch->lead, ch->nlead, &ans->lead, &ans->nlead);
    for (k = 0; rc == GALEN_OK && k < ANSWER_BLOCK_COUNT; k++) {
        enum answer_block_kind bk = order[k];
        compose_sort_block(b->c, ch->block[bk], ch->nblock[bk]);
        rc = add_list(b, ch->block[bk], ch->nblock[bk], &ans->block[bk],
                      &ans->nblock[bk]);
    }
    if (rc == GALEN_OK)
        rc = add_list(b, ch->key, ch->nkey, &ans->keypoints, &ans->nkeypoints);
    return rc;
}

char *compose_dup_or_null(const char *s, int *rc)
{
    char *d;

    if (!s || *rc != GALEN_OK)
        return NULL;
    d = galen_strdup(s);
    if (!d)
        *rc = GALEN_ENOMEM;
    return d;
}

int compose_copy_redflags(struct galen_answer *ans,
                          const struct answer_compose_in *in)
{
    size_t k, n = MIN(in->nredflags, (size_t)ANSWER_REDFLAGS_MAX);
    int rc = GALEN_OK;

    if (n == 0)
        return GALEN_OK;
    ans->redflags = galen_calloc(n, sizeof *ans->redflags);
    if (!ans->redflags)
        return GALEN_ENOMEM;
    for (k = 0; k < n && rc == GALEN_OK; k++) {
        const struct redflag_rule *r = in->redflags[k];
        struct answer_redflag *f = &ans->redflags[k];

        f->id = compose_dup_or_null(r->id, &rc);
        f->message = compose_dup_or_null(r->message, &rc);
        f->source = compose_dup_or_null(r->source, &rc);
        f->urgency = compose_dup_or_null(redflag_urgency_name(r->urgency), &rc);
        f->action = compose_dup_or_null(r->action, &rc);
        f->action_source = compose_dup_or_null(r->action_source, &rc);
        ans->nredflags++;
    }
    return rc;
}

/* Status and date of the answer: the least-reviewed status and the latest
 * date among the cited sources. */
int compose_review_banner(struct galen_answer *ans)
{
    static const int rank[DOC_STATUS_COUNT] = {[DOC_STATUS_REJECTED] = 0,
                                               [DOC_STATUS_SUBMITTED] = 1,
                                               [DOC_STATUS_UNDER_REVIEW] = 2,
                                               [DOC_STATUS_APPROVED] = 3};
    const char *date = NULL;
    int low = 99, low_status = DOC_STATUS_SUBMITTED, rc = GALEN_OK;
    size_t k;

    for (k = 0; k < ans->nsources; k++) {
        const struct doc *d = ans->sources[k].doc;
        if (rank[d->status] < low) {
            low = rank[d->status];
            low_status = (int)d->status;
        }
        if (d->date && (!date || strcmp(d->date, date) > 0))
            date = d->date;
    }
    if (ans->nsources == 0)
        return GALEN_OK;
    ans->status =
        compose_dup_or_null(doc_status_name((enum doc_status)low_status), &rc);
    ans->updated = compose_dup_or_null(date, &rc);
    return rc;
}
