/* SPDX-License-Identifier: MIT */
/* render_html.c: the answer as an HTML fragment (one <article>) for the web
 * pages to embed. Every piece of text, from the corpus or the question, is
 * escaped; links are emitted only for http(s) URLs; element ids carry a
 * "galen-" prefix. Class names are listed in docs/answer-schema.md. */
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "qanalyze.h"
#include "render.h"

struct html {
    struct buf *b;
    int rc;
};

static void put(struct html *h, const char *s)
{
    buf_put_str(&h->rc, h->b, s);
}

static void esc(struct html *h, const char *s)
{
    html_esc(&h->rc, h->b, s);
}

static bool is_web_url(const char *u)
{
    return u &&
           (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0);
}

static void cite(struct html *h, const struct galen_answer *ans, size_t idx)
{
    const struct answer_sentence *s = &ans->sentences[idx];
    unsigned n = ans->sources[s->source].number;
    size_t at = render_cite_at(s->text);
    char *head = galen_strndup(s->text, at);

    if (!head) {
        h->rc = h->rc ? h->rc : GALEN_ENOMEM;
        return;
    }
    esc(h, head);
    galen_free(head);
    buf_printf(&h->rc, h->b,
               " <sup class=\"galen-cite\"><a href=\"#galen-ref-%u\">[%u]</a>"
               "</sup>",
               n, n);
    esc(h, s->text + at);
    if (s->is_dose && ans->audience == GALEN_AUDIENCE_PATIENT)
        put(h, " <em class=\"galen-dose-note\">(" RENDER_DOSE_NOTE ")</em>");
}

static void items(struct html *h, const struct galen_answer *ans,
                  const size_t *v, size_t n)
{
    size_t k;

    put(h, "<ul>");
    for (k = 0; k < n; k++) {
        put(h, "<li>");
        cite(h, ans, v[k]);
        put(h, "</li>");
    }
    put(h, "</ul>\n");
}

static void header(struct html *h, const struct galen_answer *ans)
{
    put(h, "<header class=\"galen-head\"><p class=\"galen-question\">");
    esc(h, ans->question);
    put(h, "</p>\n");
    if (ans->did_you_mean) {
        put(h, "<p class=\"galen-dym\">Did you mean: <em>");
        esc(h, ans->did_you_mean);
        put(h, "</em></p>\n");
    }
    if (ans->status) {
        put(h, "<p class=\"galen-review\">Review status: <span "
               "class=\"galen-status galen-status-");
        esc(h, ans->status);
        put(h, "\">");
        esc(h, ans->status);
        put(h, "</span>");
        if (strcmp(ans->status, "approved") != 0)
            put(h, " (pending human review)");
        if (ans->updated) {
            put(h, ". Last updated: ");
            esc(h, ans->updated);
        }
        put(h, ".</p>\n");
    }
    put(h, "</header>\n");
}

static void redflags(struct html *h, const struct galen_answer *ans)
{
    size_t k;

    for (k = 0; k < ans->nredflags; k++) {
        const struct answer_redflag *f = &ans->redflags[k];

        put(h, "<aside class=\"galen-redflag galen-urgency-");
        esc(h, f->urgency);
        put(h, "\" role=\"alert\"><strong>");
        esc(h, f->urgency);
        put(h, ":</strong> ");
        esc(h, f->message);
        put(h, " <span class=\"galen-source\">Source: ");
        esc(h, f->source);
        put(h, "</span></aside>\n");
    }
}

static void lead(struct html *h, const struct galen_answer *ans)
{
    size_t k;

    if (ans->nlead == 0)
        return;
    put(h, "<section class=\"galen-lead\"><h2>Summary</h2><p>");
    for (k = 0; k < ans->nlead; k++) {
        if (k)
            put(h, " ");
        cite(h, ans, ans->lead[k]);
    }
    put(h, "</p></section>\n");
}

static void blocks(struct html *h, const struct galen_answer *ans)
{
    const enum answer_block_kind *order = answer_block_order(ans->audience);
    size_t b, k;

    for (b = 0; b < ANSWER_BLOCK_COUNT; b++) {
        const size_t *v = ans->block[order[b]];
        size_t n = ans->nblock[order[b]];

        if (n == 0)
            continue;
        put(h, "<section class=\"galen-block galen-block-");
        put(h, render_block_name(order[b]));
        put(h, "\"><h2>");
        put(h, render_block_title(order[b]));
        put(h, "</h2>\n");
        for (k = 0; k < n;) {
            enum qtype f = ans->sentences[v[k]].facet;
            size_t e = k;

            while (e < n && ans->sentences[v[e]].facet == f)
                e++;
            put(h, "<h3>");
            put(h, qtype_heading(f));
            put(h, "</h3>");
            items(h, ans, v + k, e - k);
            k = e;
        }
        put(h, "</section>\n");
    }
}

static void reference(struct html *h, const struct galen_answer *ans, size_t k)
{
    const struct doc *d = ans->sources[k].doc;

    buf_printf(&h->rc, h->b, "<li id=\"galen-ref-%u\" value=\"%u\">",
               ans->sources[k].number, ans->sources[k].number);
    if (is_web_url(d->url)) {
        put(h, "<a href=\"");
        esc(h, d->url);
        put(h, "\" rel=\"noopener\">");
        esc(h, d->title);
        put(h, "</a>");
    } else {
        esc(h, d->title);
    }
    if (d->source) {
        put(h, ". ");
        esc(h, d->source);
    }
    if (d->date) {
        put(h, ", ");
        buf_put(&h->rc, h->b, d->date, MIN(strlen(d->date), (size_t)4));
    }
    put(h, ". <span class=\"galen-status galen-status-");
    put(h, doc_status_name(d->status));
    put(h, "\">");
    put(h, doc_status_name(d->status));
    put(h, "</span>");
    if (d->evidence != DOC_EVIDENCE_NONE) {
        put(h, " <span class=\"galen-evidence\">");
        put(h, doc_evidence_name(d->evidence));
        put(h, "</span>");
    }
    put(h, "</li>\n");
}

static void references(struct html *h, const struct galen_answer *ans)
{
    static const char *const groups[] = {"Guideline", "Research", "Consumer",
                                         "Q&A"};
    size_t g, k;

    if (ans->nsources == 0)
        return;
    put(h, "<section class=\"galen-references\"><h2>References</h2>\n");
    for (g = 0; g < ARRAY_SIZE(groups); g++) {
        bool shown = false;

        for (k = 0; k < ans->nsources; k++) {
            if (strcmp(render_ref_group(ans->sources[k].doc->kind),
                       groups[g]) != 0)
                continue;
            if (!shown) {
                put(h, "<h3>");
                esc(h, groups[g]);
                put(h, "</h3><ol>\n");
            }
            shown = true;
            reference(h, ans, k);
        }
        if (shown)
            put(h, "</ol>\n");
    }
    put(h, "</section>\n");
}

static void similar_list(struct html *h, const struct answer_similar *v,
                         size_t n)
{
    size_t k;

    put(h, "<ul class=\"galen-similar-list\">\n");
    for (k = 0; k < n; k++) {
        put(h, "<li data-id=\"");
        esc(h, v[k].id);
        put(h, "\"><strong>");
        esc(h, v[k].question);
        put(h, "</strong>");
        if (v[k].specialty && *v[k].specialty) {
            put(h, " <span class=\"galen-specialty\">(");
            esc(h, v[k].specialty);
            put(h, ")</span>");
        }
        if (v[k].snippet && *v[k].snippet) {
            put(h, "<br><span class=\"galen-snippet\">");
            esc(h, v[k].snippet);
            put(h, "</span>");
        }
        put(h, "</li>\n");
    }
    put(h, "</ul>\n");
}

static void tail(struct html *h, const struct galen_answer *ans)
{
    size_t k;

    if (ans->nsimilar) {
        put(h, "<section class=\"galen-similar\"><h2>Similar Q&amp;A</h2>\n");
        similar_list(h, ans->similar, ans->nsimilar);
        put(h, "</section>\n");
    }
    if (ans->nfollowups) {
        put(h, "<section class=\"galen-followups\"><h2>Follow-up "
               "questions</h2><ul>");
        for (k = 0; k < ans->nfollowups; k++) {
            put(h, "<li>");
            esc(h, ans->followups[k]);
            put(h, "</li>");
        }
        put(h, "</ul></section>\n");
    }
    put(h, "<footer class=\"galen-disclaimer\"><h2>Disclaimer</h2><p>");
    esc(h, render_disclaimer(ans->audience));
    put(h, "</p></footer>\n");
}

int render_html(const struct galen_answer *ans, struct buf *out)
{
    struct html h = {out, GALEN_OK};

    put(&h, "<article class=\"galen-answer\" data-audience=\"");
    put(&h,
        ans->audience == GALEN_AUDIENCE_CLINICIAN ? "clinician" : "patient");
    put(&h, "\">\n");
    header(&h, ans);
    redflags(&h, ans);
    if (ans->abstained) {
        put(&h, "<section class=\"galen-abstain\"><h2>No answer</h2><p>");
        esc(&h, ans->abstain_reason);
        put(&h, "</p><p>");
        esc(&h, ans->suggestion);
        put(&h, "</p></section>\n");
    } else {
        lead(&h, ans);
        blocks(&h, ans);
        if (ans->nkeypoints) {
            put(&h, "<section class=\"galen-keypoints\"><h2>Key Points</h2>");
            items(&h, ans, ans->keypoints, ans->nkeypoints);
            put(&h, "</section>\n");
        }
        references(&h, ans);
    }
    tail(&h, ans);
    put(&h, "</article>\n");
    return h.rc;
}

int render_similar_html(const struct answer_similar *v, size_t n,
                        struct buf *out)
{
    struct html h = {out, GALEN_OK};

    similar_list(&h, v, n);
    return h.rc;
}
