/* SPDX-License-Identifier: MIT */
/* compose_followup.c: follow-up questions the retrieved documents can answer.
 */
#include "compose_int.h"

/* ---- follow-up questions ------------------------------------------------ */

/* Follow-ups offered, in this order; drugs get their own set. */
static const enum qtype followup_order[] = {
    QTYPE_DEFINITION,         QTYPE_CAUSES,       QTYPE_SYMPTOMS,
    QTYPE_DIAGNOSIS,          QTYPE_TREATMENT,    QTYPE_PREVENTION,
    QTYPE_WHEN_TO_SEE_DOCTOR, QTYPE_RISK_FACTORS, QTYPE_PROGNOSIS};

static const enum qtype drug_followup_order[] = {QTYPE_DEFINITION, QTYPE_DOSAGE,
                                                 QTYPE_SIDE_EFFECTS};

/* True if the document is about the question's focus: its title and focus
 * terms hold at least half of the focus words. */
static bool doc_on_focus(struct compose *c, const struct doc *d)
{
    struct focus_set tmp;
    struct qcollect qc = {&c->q, NULL, 0, &tmp, c->in, false};
    size_t k, hit = 0;

    if (c->q.nfocus == 0 || !d->title)
        return false;
    memset(&tmp, 0, sizeof tmp);
    qc.text = d->title;
    if (analyzer_run(c->in->analyzer, &index_opts, d->title, strlen(d->title),
                     compose_on_qterm, &qc) != GALEN_OK)
        return false;
    for (k = 0; k < d->focus.n; k++) {
        qc.text = d->focus.v[k];
        if (analyzer_run(c->in->analyzer, &index_opts, d->focus.v[k],
                         strlen(d->focus.v[k]), compose_on_qterm,
                         &qc) != GALEN_OK)
            return false;
    }
    qsort(tmp.h, tmp.n, sizeof *tmp.h, cmp_u32);
    for (k = 0; k < c->q.focus[0].n; k++)
        hit += has_hash(tmp.h, tmp.n, c->q.focus[0].h[k]);
    return 2 * hit >= c->q.focus[0].n;
}

/* The facets some retrieved document on the focus can answer: its question
 * type, or a section whose heading asks that facet. */
static unsigned answerable(struct compose *c)
{
    unsigned m = 0;
    size_t ci, si;

    for (ci = 0; ci < c->nscan; ci++) {
        const struct doc *d = c->in->cands[ci].doc;
        enum qtype t;

        if (!d || !compose_doc_allowed(c->in, d) || !doc_on_focus(c, d))
            continue;
        if (d->question_type &&
            qtype_from_name(d->question_type, strlen(d->question_type), &t))
            m |= 1u << t;
        for (si = 0; si < d->nsections; si++) {
            struct qtype_result r;
            const char *h = d->sections[si].heading;
            qtype_classify(h, strlen(h), &r);
            if (r.type != QTYPE_OTHER && r.score[r.type] >= QTYPE_FACET_MIN)
                m |= 1u << r.type;
        }
    }
    return m;
}

static bool is_plural(const char *focus)
{
    size_t n = strlen(focus);

    return n > 3 && focus[n - 1] == 's' && focus[n - 2] != 's' &&
           focus[n - 2] != 'u' && focus[n - 2] != 'i';
}

/* Fills the template's "%s" with the focus, lower-casing a capitalised
 * first word ("Leg cramps") but not an acronym ("ALS"). */
static int add_followup(struct galen_answer *ans, const char *tmpl,
                        const char *focus)
{
    const char *at = strstr(tmpl, "%s");
    struct buf b;
    int rc = GALEN_OK;
    char first = focus[0];

    if (!at)
        return GALEN_OK;
    if (focus[1] >= 'a' && focus[1] <= 'z')
        first = (char)answer_text_lower((unsigned char)first);
    buf_init(&b, 4096);
    buf_put(&rc, &b, tmpl, (size_t)(at - tmpl));
    buf_put_byte(&rc, &b, (unsigned char)first);
    buf_put_str(&rc, &b, focus + 1);
    buf_put_str(&rc, &b, at + 2);
    buf_put_nul(&rc, &b);
    if (rc != GALEN_OK) {
        buf_cleanup(&b);
        return rc;
    }
    ans->followups[ans->nfollowups++] = (char *)buf_take(&b, NULL);
    return GALEN_OK;
}

int compose_build_followups(struct compose *c, struct galen_answer *ans)
{
    const struct qanalysis *qa = c->in->qa;
    bool drug = qa->focus_kind == FOCUS_DRUG;
    const enum qtype *order = drug ? drug_followup_order : followup_order;
    size_t n =
        drug ? ARRAY_SIZE(drug_followup_order) : ARRAY_SIZE(followup_order);
    unsigned can;
    size_t k;
    int rc = GALEN_OK;

    if (!qa->focus || c->q.nfocus == 0)
        return GALEN_OK;
    can = answerable(c);
    ans->followups = galen_calloc(ANSWER_FOLLOWUPS_MAX, sizeof(char *));
    if (!ans->followups)
        return GALEN_ENOMEM;
    for (k = 0; k < n && rc == GALEN_OK; k++) {
        const char *tmpl = qtype_followup(order[k], is_plural(qa->focus));

        if (ans->nfollowups >= ANSWER_FOLLOWUPS_MAX)
            break;
        if (order[k] == qa->qtype.type || !(can & (1u << order[k])) || !tmpl)
            continue;
        rc = add_followup(ans, tmpl, qa->focus);
    }
    return rc;
}
