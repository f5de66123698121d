/* SPDX-License-Identifier: MIT */
/* render_text.c: the answer for a terminal: headings, bullets and
 * references, word-wrapped at a width with hanging indents. With colour,
 * headings are bold, red flags bold red and citations cyan; the wrapper
 * skips ANSI escapes when it measures a line, and counts UTF-8 characters,
 * not bytes. */
#include <string.h>

#include <galen/error.h>

#include "qanalyze.h"
#include "render.h"

#define BOLD  "\033[1m"
#define RED   "\033[1;31m"
#define CYAN  "\033[36m"
#define RESET "\033[0m"

struct out {
    struct buf *b;
    int rc;
    bool color;
    unsigned width;
};

static void put(struct out *o, const char *s)
{
    buf_put_str(&o->rc, o->b, s);
}

static void style(struct out *o, const char *code)
{
    if (o->color)
        put(o, code);
}

/* Display width of s[0..n): UTF-8 lead bytes, ANSI escapes skipped. */
static size_t display_len(const char *s, size_t n)
{
    size_t k, w = 0;

    for (k = 0; k < n; k++) {
        if (s[k] == '\033') {
            while (k < n && s[k] != 'm')
                k++;
            continue;
        }
        if (((unsigned char)s[k] & 0xc0) != 0x80)
            w++;
    }
    return w;
}

static void spaces(struct out *o, size_t n)
{
    while (n-- > 0)
        buf_put_byte(&o->rc, o->b, ' ');
}

/* Writes text word by word, starting at column `first` (already written)
 * and wrapping to indent `rest`; ends with a newline. */
static void wrap(struct out *o, const char *text, size_t first, size_t rest)
{
    const char *p = text;
    size_t col = first;
    bool line_start = true;

    while (*p) {
        size_t n = 0, w;

        while (*p == ' ' || *p == '\n')
            p++;
        if (!*p)
            break;
        while (p[n] && p[n] != ' ' && p[n] != '\n')
            n++;
        w = display_len(p, n);
        if (!line_start && col + 1 + w > o->width) {
            buf_put_byte(&o->rc, o->b, '\n');
            spaces(o, rest);
            col = rest;
            line_start = true;
        }
        if (!line_start) {
            buf_put_byte(&o->rc, o->b, ' ');
            col++;
        }
        buf_put(&o->rc, o->b, p, n);
        col += w;
        line_start = false;
        p += n;
    }
    buf_put_byte(&o->rc, o->b, '\n');
}

static void heading(struct out *o, const char *title, size_t indent)
{
    spaces(o, indent);
    style(o, BOLD);
    put(o, title);
    style(o, RESET);
    put(o, "\n");
}

/* A sentence with its citation (and the dose note for patients) in tmp. */
static void sentence_line(struct out *o, const struct galen_answer *ans,
                          size_t idx, struct buf *tmp)
{
    const struct answer_sentence *s = &ans->sentences[idx];
    int rc = GALEN_OK;

    size_t at = render_cite_at(s->text);

    buf_reset(tmp);
    buf_put(&rc, tmp, s->text, at);
    buf_put_byte(&rc, tmp, ' ');
    if (o->color)
        buf_put_str(&rc, tmp, CYAN);
    buf_printf(&rc, tmp, "[%u]", ans->sources[s->source].number);
    if (o->color)
        buf_put_str(&rc, tmp, RESET);
    buf_put_str(&rc, tmp, s->text + at);
    if (s->is_dose && ans->audience == GALEN_AUDIENCE_PATIENT)
        buf_put_str(&rc, tmp, " (" RENDER_DOSE_NOTE ")");
    buf_put_nul(&rc, tmp);
    if (rc != GALEN_OK && o->rc == GALEN_OK)
        o->rc = rc;
}

static void bullets(struct out *o, const struct galen_answer *ans,
                    const size_t *v, size_t n, size_t indent, struct buf *tmp)
{
    size_t k;

    for (k = 0; k < n && o->rc == GALEN_OK; k++) {
        sentence_line(o, ans, v[k], tmp);
        spaces(o, indent);
        put(o, "- ");
        wrap(o, (const char *)tmp->data, indent + 2, indent + 2);
    }
}

static void lead(struct out *o, const struct galen_answer *ans, struct buf *tmp)
{
    struct buf para;
    size_t k;
    int rc = GALEN_OK;

    if (ans->nlead == 0)
        return;
    heading(o, "Summary", 0);
    buf_init(&para, 1 << 20);
    for (k = 0; k < ans->nlead; k++) {
        sentence_line(o, ans, ans->lead[k], tmp);
        if (k)
            buf_put_byte(&rc, &para, ' ');
        buf_put_str(&rc, &para, (const char *)tmp->data);
    }
    buf_put_nul(&rc, &para);
    if (rc == GALEN_OK) {
        spaces(o, 2);
        wrap(o, (const char *)para.data, 2, 2);
    } else if (o->rc == GALEN_OK) {
        o->rc = rc;
    }
    buf_cleanup(&para);
    put(o, "\n");
}

static size_t facet_count(const struct galen_answer *ans, const size_t *v,
                          size_t n)
{
    size_t k, c = 0;

    for (k = 0; k < n; k++) {
        if (k == 0 ||
            ans->sentences[v[k]].facet != ans->sentences[v[k - 1]].facet)
            c++;
    }
    return c;
}

static void blocks(struct out *o, const struct galen_answer *ans,
                   struct buf *tmp)
{
    const enum answer_block_kind *order = answer_block_order(ans->audience);
    size_t b, k;

    for (b = 0; b < ANSWER_BLOCK_COUNT; b++) {
        const size_t *v = ans->block[order[b]];
        size_t n = ans->nblock[order[b]];
        bool sub = facet_count(ans, v, n) > 1;

        if (n == 0)
            continue;
        heading(o, render_block_title(order[b]), 0);
        for (k = 0; k < n;) {
            enum qtype f = ans->sentences[v[k]].facet;
            size_t e = k;

            while (e < n && ans->sentences[v[e]].facet == f)
                e++;
            if (sub)
                heading(o, qtype_heading(f), 2);
            bullets(o, ans, v + k, e - k, sub ? 4 : 2, tmp);
            k = e;
        }
        put(o, "\n");
    }
}

static void redflags(struct out *o, const struct galen_answer *ans,
                     struct buf *tmp)
{
    size_t k;
    int rc = GALEN_OK;

    for (k = 0; k < ans->nredflags; k++) {
        const struct answer_redflag *f = &ans->redflags[k];

        buf_reset(tmp);
        buf_printf(&rc, tmp, "%s: %s (Source: %s) %s (Action: %s)", f->urgency,
                   f->message, f->source, f->action, f->action_source);
        buf_put_nul(&rc, tmp);
        if (rc != GALEN_OK)
            break;
        style(o, RED);
        put(o, "!! ");
        wrap(o, (const char *)tmp->data, 3, 3);
        style(o, RESET);
    }
    if (ans->nredflags)
        put(o, "\n");
    if (rc != GALEN_OK && o->rc == GALEN_OK)
        o->rc = rc;
}

static void notes(struct out *o, const struct galen_answer *ans)
{
    size_t k;

    for (k = 0; k < ans->nnotes; k++) {
        put(o, "!  ");
        wrap(o, ans->notes[k], 3, 3);
    }
    if (ans->nnotes)
        put(o, "\n");
}

static const char *const ref_groups[] = {"Guideline", "Research", "Consumer",
                                         "Q&A"};

/* The document's own references cited by the quoted sentences, appended
 * to tmp as "Cites: title (source, year; PMID n); ...". */
static void cites(const struct galen_answer *ans, size_t src, struct buf *tmp,
                  int *rc)
{
    const struct doc *d = ans->sources[src].doc;
    bool seen[64] = {false};
    size_t k, r, n = 0;

    for (k = 0; k < ans->nsentences; k++) {
        const struct answer_sentence *s = &ans->sentences[k];
        for (r = 0; s->source == src && r < s->nrefs; r++) {
            if (s->refs[r] >= 1 && (size_t)s->refs[r] <= d->nrefs &&
                s->refs[r] < 64)
                seen[s->refs[r]] = true;
        }
    }
    for (k = 1; k < 64 && k <= d->nrefs; k++) {
        const struct doc_ref *ref = &d->refs[k - 1];

        if (!seen[k])
            continue;
        buf_put_str(rc, tmp, n++ ? "; " : " Cites: ");
        buf_printf(rc, tmp, "%s (%s", ref->title ? ref->title : "",
                   ref->source ? ref->source : "");
        if (ref->year)
            buf_printf(rc, tmp, ", %d", ref->year);
        if (ref->pmid)
            buf_printf(rc, tmp, "; PMID %s", ref->pmid);
        else if (ref->doi)
            buf_printf(rc, tmp, "; doi %s", ref->doi);
        buf_put_byte(rc, tmp, ')');
    }
    if (n)
        buf_put_byte(rc, tmp, '.');
}

static void reference(struct out *o, const struct galen_answer *ans, size_t k,
                      struct buf *tmp)
{
    const struct doc *d = ans->sources[k].doc;
    int rc = GALEN_OK;

    buf_reset(tmp);
    buf_printf(&rc, tmp, "[%u] %s", ans->sources[k].number, d->title);
    if (render_cite_at(d->title) == strlen(d->title))
        buf_put_byte(&rc, tmp, '.');
    if (d->source)
        buf_printf(&rc, tmp, " %s.", d->source);
    if (d->date)
        buf_printf(&rc, tmp, " %.4s.", d->date);
    if (d->evidence != DOC_EVIDENCE_NONE)
        buf_printf(&rc, tmp, " Evidence: %s.", doc_evidence_name(d->evidence));
    buf_printf(&rc, tmp, " Review status: %s.", doc_status_name(d->status));
    if (d->url)
        buf_printf(&rc, tmp, " %s", d->url);
    cites(ans, k, tmp, &rc);
    buf_put_nul(&rc, tmp);
    if (rc != GALEN_OK) {
        o->rc = o->rc ? o->rc : rc;
        return;
    }
    spaces(o, 4);
    wrap(o, (const char *)tmp->data, 4, 8);
}

static void references(struct out *o, const struct galen_answer *ans,
                       struct buf *tmp)
{
    size_t g, k;

    if (ans->nsources == 0)
        return;
    heading(o, "References", 0);
    for (g = 0; g < ARRAY_SIZE(ref_groups); g++) {
        bool shown = false;

        for (k = 0; k < ans->nsources; k++) {
            if (strcmp(render_ref_group(ans->sources[k].doc->kind),
                       ref_groups[g]) != 0)
                continue;
            if (!shown)
                heading(o, ref_groups[g], 2);
            shown = true;
            reference(o, ans, k, tmp);
        }
    }
    put(o, "\n");
}

static void similar_items(struct out *o, const struct answer_similar *v,
                          size_t n, struct buf *tmp)
{
    size_t k;
    int rc = GALEN_OK;

    for (k = 0; k < n; k++) {
        buf_reset(tmp);
        buf_put_str(&rc, tmp, v[k].question ? v[k].question : "");
        if (v[k].specialty && *v[k].specialty)
            buf_printf(&rc, tmp, " (%s)", v[k].specialty);
        buf_put_nul(&rc, tmp);
        if (rc != GALEN_OK)
            break;
        spaces(o, 2);
        put(o, "- ");
        wrap(o, (const char *)tmp->data, 4, 4);
        if (v[k].snippet && *v[k].snippet) {
            spaces(o, 4);
            wrap(o, v[k].snippet, 4, 4);
        }
    }
    if (rc != GALEN_OK && o->rc == GALEN_OK)
        o->rc = rc;
}

static void tail(struct out *o, const struct galen_answer *ans, struct buf *tmp)
{
    size_t k;

    if (ans->nsimilar) {
        heading(o, "Similar Q&A", 0);
        similar_items(o, ans->similar, ans->nsimilar, tmp);
        put(o, "\n");
    }
    if (ans->nfollowups) {
        heading(o, "Follow-up questions", 0);
        for (k = 0; k < ans->nfollowups; k++) {
            put(o, "  - ");
            wrap(o, ans->followups[k], 4, 4);
        }
        put(o, "\n");
    }
    heading(o, "Disclaimer", 0);
    spaces(o, 2);
    wrap(o, render_disclaimer(ans->audience), 2, 2);
}

static void header(struct out *o, const struct galen_answer *ans,
                   struct buf *tmp)
{
    int rc = GALEN_OK;

    buf_reset(tmp);
    buf_printf(&rc, tmp, "Question: %s", ans->question);
    buf_put_nul(&rc, tmp);
    if (rc == GALEN_OK)
        wrap(o, (const char *)tmp->data, 0, 10);
    if (ans->did_you_mean) {
        buf_reset(tmp);
        buf_printf(&rc, tmp, "Did you mean: %s", ans->did_you_mean);
        buf_put_nul(&rc, tmp);
        if (rc == GALEN_OK)
            wrap(o, (const char *)tmp->data, 0, 14);
    }
    if (ans->status) {
        buf_reset(tmp);
        buf_printf(
            &rc, tmp, "Review status: %s%s. Last updated: %s.", ans->status,
            strcmp(ans->status, "approved") == 0 ? ""
                                                 : " (pending human review)",
            ans->updated ? ans->updated : "unknown");
        buf_put_nul(&rc, tmp);
        if (rc == GALEN_OK)
            wrap(o, (const char *)tmp->data, 0, 2);
    }
    put(o, "\n");
    if (rc != GALEN_OK && o->rc == GALEN_OK)
        o->rc = rc;
}

static void abstained(struct out *o, const struct galen_answer *ans)
{
    heading(o, "No answer", 0);
    spaces(o, 2);
    wrap(o, ans->abstain_reason, 2, 2);
    spaces(o, 2);
    wrap(o, ans->suggestion, 2, 2);
    put(o, "\n");
}

int render_text(const struct galen_answer *ans, bool color, unsigned width,
                struct buf *out)
{
    struct out o = {out, GALEN_OK, color, width < 30 ? 30 : width};
    struct buf tmp;

    buf_init(&tmp, 1 << 20);
    header(&o, ans, &tmp);
    redflags(&o, ans, &tmp);
    notes(&o, ans);
    if (ans->abstained) {
        abstained(&o, ans);
    } else {
        lead(&o, ans, &tmp);
        blocks(&o, ans, &tmp);
        if (ans->nkeypoints) {
            heading(&o, "Key Points", 0);
            bullets(&o, ans, ans->keypoints, ans->nkeypoints, 2, &tmp);
            put(&o, "\n");
        }
        references(&o, ans, &tmp);
    }
    tail(&o, ans, &tmp);
    buf_cleanup(&tmp);
    return o.rc;
}

int render_similar_text(const struct answer_similar *v, size_t n, bool color,
                        struct buf *out)
{
    struct out o = {out, GALEN_OK, color, 80};
    struct buf tmp;

    buf_init(&tmp, 1 << 20);
    if (n == 0)
        put(&o, "No similar answered questions found.\n");
    similar_items(&o, v, n, &tmp);
    buf_cleanup(&tmp);
    return o.rc;
}
