/* SPDX-License-Identifier: MIT */
/* render_json.c: the answer as JSON, schema "galen.answer/1" (documented
 * field by field in docs/answer-schema.md). Keys come in a fixed order and
 * numbers in a fixed format, so equal answers give equal bytes. */
#include <string.h>

#include <galen/error.h>

#include "qanalyze.h"
#include "render.h"

static void key(int *rc, struct buf *b, const char *k, bool *first)
{
    if (!*first)
        buf_put_byte(rc, b, ',');
    *first = false;
    json_put_str(rc, b, k);
    buf_put_byte(rc, b, ':');
}

static void kv_str(int *rc, struct buf *b, const char *k, const char *v,
                   bool *first)
{
    key(rc, b, k, first);
    json_put_str(rc, b, v);
}

static void kv_bool(int *rc, struct buf *b, const char *k, bool v, bool *first)
{
    key(rc, b, k, first);
    buf_put_str(rc, b, v ? "true" : "false");
}

static void provenance(int *rc, struct buf *b, const struct galen_answer *ans,
                       const struct answer_sentence *s)
{
    const struct answer_source *src = &ans->sources[s->source];
    const struct doc *d = src->doc;
    bool first = true;
    size_t k;

    buf_put_byte(rc, b, '{');
    kv_str(rc, b, "doc", d->id, &first);
    key(rc, b, "section", &first);
    buf_printf(rc, b, "%zu", s->section);
    kv_str(rc, b, "heading", d->sections[s->section].heading, &first);
    key(rc, b, "start", &first);
    buf_printf(rc, b, "%zu", s->start);
    key(rc, b, "end", &first);
    buf_printf(rc, b, "%zu", s->end);
    kv_str(rc, b, "kind", doc_kind_name(d->kind), &first);
    kv_str(rc, b, "evidence",
           d->evidence == DOC_EVIDENCE_NONE ? NULL
                                            : doc_evidence_name(d->evidence),
           &first);
    kv_str(rc, b, "date", d->date, &first);
    kv_str(rc, b, "status", doc_status_name(d->status), &first);
    key(rc, b, "refs", &first);
    buf_put_byte(rc, b, '[');
    for (k = 0; k < s->nrefs; k++)
        buf_printf(rc, b, "%s%d", k ? "," : "", s->refs[k]);
    buf_put_str(rc, b, "]}");
}

static void sentence(int *rc, struct buf *b, const struct galen_answer *ans,
                     size_t idx)
{
    const struct answer_sentence *s = &ans->sentences[idx];
    bool first = true;

    buf_put_byte(rc, b, '{');
    kv_str(rc, b, "text", s->text, &first);
    key(rc, b, "cite", &first);
    buf_printf(rc, b, "%u", ans->sources[s->source].number);
    kv_str(rc, b, "facet", qtype_name(s->facet), &first);
    key(rc, b, "score", &first);
    buf_printf(rc, b, "%.4f", s->score);
    kv_bool(rc, b, "dose", s->is_dose, &first);
    kv_str(rc, b, "note",
           s->is_dose && ans->audience == GALEN_AUDIENCE_PATIENT
               ? RENDER_DOSE_NOTE
               : NULL,
           &first);
    key(rc, b, "provenance", &first);
    provenance(rc, b, ans, s);
    buf_put_byte(rc, b, '}');
}

static void sentence_list(int *rc, struct buf *b,
                          const struct galen_answer *ans, const size_t *v,
                          size_t n)
{
    size_t k;

    buf_put_byte(rc, b, '[');
    for (k = 0; k < n; k++) {
        if (k)
            buf_put_byte(rc, b, ',');
        sentence(rc, b, ans, v[k]);
    }
    buf_put_byte(rc, b, ']');
}

/* One block: its sentences in groups of equal facet (they arrive sorted). */
static void block(int *rc, struct buf *b, const struct galen_answer *ans,
                  enum answer_block_kind bk)
{
    const size_t *v = ans->block[bk];
    size_t n = ans->nblock[bk], k = 0;
    bool first = true;

    buf_put_byte(rc, b, '{');
    kv_str(rc, b, "kind", render_block_name(bk), &first);
    kv_str(rc, b, "title", render_block_title(bk), &first);
    key(rc, b, "groups", &first);
    buf_put_byte(rc, b, '[');
    while (k < n) {
        enum qtype f = ans->sentences[v[k]].facet;
        size_t e = k;
        bool gf = true;

        while (e < n && ans->sentences[v[e]].facet == f)
            e++;
        buf_put_str(rc, b, k ? ",{" : "{");
        kv_str(rc, b, "facet", qtype_name(f), &gf);
        kv_str(rc, b, "heading", qtype_heading(f), &gf);
        key(rc, b, "sentences", &gf);
        sentence_list(rc, b, ans, v + k, e - k);
        buf_put_byte(rc, b, '}');
        k = e;
    }
    buf_put_str(rc, b, "]}");
}

static void sections(int *rc, struct buf *b, const struct galen_answer *ans)
{
    const enum answer_block_kind *order = answer_block_order(ans->audience);
    size_t k;
    bool any = false;

    buf_put_byte(rc, b, '[');
    for (k = 0; k < ANSWER_BLOCK_COUNT; k++) {
        if (ans->nblock[order[k]] == 0)
            continue;
        if (any)
            buf_put_byte(rc, b, ',');
        block(rc, b, ans, order[k]);
        any = true;
    }
    buf_put_byte(rc, b, ']');
}

/* The document's own references that quoted sentences cite. */
static void cited_refs(int *rc, struct buf *b, const struct galen_answer *ans,
                       size_t src)
{
    const struct doc *d = ans->sources[src].doc;
    bool seen[64] = {false}, any = false;
    size_t k, r;

    buf_put_byte(rc, b, '[');
    for (k = 0; k < ans->nsentences; k++) {
        const struct answer_sentence *s = &ans->sentences[k];

        for (r = 0; s->source == src && r < s->nrefs; r++) {
            int i = s->refs[r];
            if (i < 1 || (size_t)i > d->nrefs || i >= 64 || seen[i])
                continue;
            seen[i] = true;
        }
    }
    for (k = 1; k < 64 && k <= d->nrefs; k++) {
        if (!seen[k])
            continue;
        if (any)
            buf_put_byte(rc, b, ',');
        doc_json_ref(rc, b, &d->refs[k - 1]);
        any = true;
    }
    buf_put_byte(rc, b, ']');
}

static void reference(int *rc, struct buf *b, const struct galen_answer *ans,
                      size_t k)
{
    const struct doc *d = ans->sources[k].doc;
    bool first = true;

    buf_put_byte(rc, b, '{');
    key(rc, b, "n", &first);
    buf_printf(rc, b, "%u", ans->sources[k].number);
    kv_str(rc, b, "id", d->id, &first);
    kv_str(rc, b, "kind", doc_kind_name(d->kind), &first);
    kv_str(rc, b, "group", render_ref_group(d->kind), &first);
    kv_str(rc, b, "title", d->title, &first);
    kv_str(rc, b, "source", d->source, &first);
    kv_str(rc, b, "date", d->date, &first);
    kv_str(rc, b, "url", d->url, &first);
    kv_str(rc, b, "status", doc_status_name(d->status), &first);
    kv_str(rc, b, "evidence",
           d->evidence == DOC_EVIDENCE_NONE ? NULL
                                            : doc_evidence_name(d->evidence),
           &first);
    key(rc, b, "cites", &first);
    cited_refs(rc, b, ans, k);
    buf_put_byte(rc, b, '}');
}

static void references(int *rc, struct buf *b, const struct galen_answer *ans)
{
    size_t k;

    buf_put_byte(rc, b, '[');
    for (k = 0; k < ans->nsources; k++) {
        if (k)
            buf_put_byte(rc, b, ',');
        reference(rc, b, ans, k);
    }
    buf_put_byte(rc, b, ']');
}

static void similar_item(int *rc, struct buf *b, const struct answer_similar *s)
{
    bool first = true;

    buf_put_byte(rc, b, '{');
    kv_str(rc, b, "id", s->id, &first);
    kv_str(rc, b, "question", s->question, &first);
    kv_str(rc, b, "snippet", s->snippet, &first);
    kv_str(rc, b, "specialty", s->specialty, &first);
    kv_str(rc, b, "kind", s->kind, &first);
    kv_str(rc, b, "asked", s->asked, &first);
    kv_str(rc, b, "age_band", s->age_band, &first);
    kv_str(rc, b, "sex", s->sex, &first);
    key(rc, b, "score", &first);
    buf_printf(rc, b, "%.4f", s->score);
    buf_put_byte(rc, b, '}');
}

int render_similar_json(const struct answer_similar *v, size_t n,
                        struct buf *out)
{
    int rc = GALEN_OK;
    size_t k;

    buf_put_byte(&rc, out, '[');
    for (k = 0; k < n; k++) {
        if (k)
            buf_put_byte(&rc, out, ',');
        similar_item(&rc, out, &v[k]);
    }
    buf_put_byte(&rc, out, ']');
    return rc;
}

static void redflags(int *rc, struct buf *b, const struct galen_answer *ans)
{
    size_t k;

    buf_put_byte(rc, b, '[');
    for (k = 0; k < ans->nredflags; k++) {
        const struct answer_redflag *f = &ans->redflags[k];
        bool first = true;

        buf_put_str(rc, b, k ? ",{" : "{");
        kv_str(rc, b, "id", f->id, &first);
        kv_str(rc, b, "urgency", f->urgency, &first);
        kv_str(rc, b, "message", f->message, &first);
        kv_str(rc, b, "source", f->source, &first);
        buf_put_byte(rc, b, '}');
    }
    buf_put_byte(rc, b, ']');
}

static void head(int *rc, struct buf *b, const struct galen_answer *ans,
                 bool *first)
{
    int t;
    bool any = false;

    kv_str(rc, b, "schema", "galen.answer/1", first);
    kv_str(rc, b, "question", ans->question, first);
    kv_str(rc, b, "did_you_mean", ans->did_you_mean, first);
    kv_str(rc, b, "audience",
           ans->audience == GALEN_AUDIENCE_CLINICIAN ? "clinician" : "patient",
           first);
    kv_str(rc, b, "question_type", qtype_name(ans->qtype), first);
    key(rc, b, "facets", first);
    buf_put_byte(rc, b, '[');
    for (t = 0; t < QTYPE_COUNT; t++) {
        if (!(ans->facets & (1u << t)))
            continue;
        if (any)
            buf_put_byte(rc, b, ',');
        json_put_str(rc, b, qtype_name((enum qtype)t));
        any = true;
    }
    buf_put_byte(rc, b, ']');
    key(rc, b, "focus", first);
    if (!ans->focus) {
        buf_put_str(rc, b, "null");
        return;
    }
    buf_put_str(rc, b, "{\"text\":");
    json_put_str(rc, b, ans->focus);
    buf_put_str(rc, b, ",\"kind\":");
    json_put_str(rc, b, qanalyze_focus_kind_name(ans->focus_kind));
    buf_printf(rc, b, ",\"inherited\":%s}",
               ans->focus_inherited ? "true" : "false");
}

static void status(int *rc, struct buf *b, const struct galen_answer *ans,
                   bool *first)
{
    kv_bool(rc, b, "abstained", ans->abstained, first);
    key(rc, b, "abstain", first);
    if (ans->abstained) {
        buf_put_str(rc, b, "{\"reason\":");
        json_put_str(rc, b, ans->abstain_reason);
        buf_put_str(rc, b, ",\"suggestion\":");
        json_put_str(rc, b, ans->suggestion);
        buf_put_byte(rc, b, '}');
    } else {
        buf_put_str(rc, b, "null");
    }
    key(rc, b, "review", first);
    if (ans->status) {
        buf_put_str(rc, b, "{\"status\":");
        json_put_str(rc, b, ans->status);
        buf_put_str(rc, b, ",\"updated\":");
        json_put_str(rc, b, ans->updated);
        buf_put_byte(rc, b, '}');
    } else {
        buf_put_str(rc, b, "null");
    }
}

int render_json(const struct galen_answer *ans, struct buf *out)
{
    int rc = GALEN_OK;
    bool first = true;
    size_t k;

    buf_put_byte(&rc, out, '{');
    head(&rc, out, ans, &first);
    status(&rc, out, ans, &first);
    key(&rc, out, "red_flags", &first);
    redflags(&rc, out, ans);
    key(&rc, out, "lead", &first);
    sentence_list(&rc, out, ans, ans->lead, ans->nlead);
    key(&rc, out, "sections", &first);
    sections(&rc, out, ans);
    key(&rc, out, "key_points", &first);
    sentence_list(&rc, out, ans, ans->keypoints, ans->nkeypoints);
    key(&rc, out, "references", &first);
    references(&rc, out, ans);
    key(&rc, out, "similar", &first);
    rc = rc == GALEN_OK ? render_similar_json(ans->similar, ans->nsimilar, out)
                        : rc;
    key(&rc, out, "follow_ups", &first);
    buf_put_byte(&rc, out, '[');
    for (k = 0; k < ans->nfollowups; k++) {
        if (k)
            buf_put_byte(&rc, out, ',');
        json_put_str(&rc, out, ans->followups[k]);
    }
    buf_put_byte(&rc, out, ']');
    kv_str(&rc, out, "disclaimer", render_disclaimer(ans->audience), &first);
    buf_put_str(&rc, out, "}\n");
    return rc;
}
