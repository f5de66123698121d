/* SPDX-License-Identifier: MIT */
/* render.c: what the renderers share (titles, groups, the disclaimer,
 * escaping) and the public galen_answer_render / galen_similar_render
 * entry points, which pick a renderer and hand back a string. */
#include "render.h"

#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"

enum { RENDER_MAX = 1 << 24 };

const char *render_block_title(enum answer_block_kind b)
{
    static const char *const t[ANSWER_BLOCK_COUNT] = {
        "From the Guidelines", "From the Research", "For Patients"};

    return (unsigned)b < ANSWER_BLOCK_COUNT ? t[b] : "";
}

const char *render_block_name(enum answer_block_kind b)
{
    static const char *const t[ANSWER_BLOCK_COUNT] = {"guidelines", "research",
                                                      "patients"};

    return (unsigned)b < ANSWER_BLOCK_COUNT ? t[b] : "";
}

const char *render_ref_group(enum doc_kind k)
{
    switch (k) {
    case DOC_KIND_GUIDELINE:
        return "Guideline";
    case DOC_KIND_RESEARCH:
        return "Research";
    case DOC_KIND_QA:
        return "Q&A";
    default:
        return "Consumer";
    }
}

const char *render_disclaimer(enum galen_audience a)
{
    if (a == GALEN_AUDIENCE_CLINICIAN)
        return "This summary is for healthcare professionals. Every sentence "
               "is quoted from the cited sources; galen adds none of its own. "
               "Check doses and recommendations against the primary sources "
               "and current guidance, and apply clinical judgement. Sources "
               "marked submitted are pending human review.";
    return "This answer is for information only and is not medical advice. "
           "Every sentence is quoted from the cited sources; galen adds none "
           "of its own. It cannot replace a clinician who knows you: if a "
           "symptom worries you, is severe or is getting worse, contact a "
           "doctor, and in an emergency call your local emergency number.";
}

size_t render_cite_at(const char *text)
{
    size_t n = strlen(text);

    if (n > 1 &&
        (text[n - 1] == '.' || text[n - 1] == '!' || text[n - 1] == '?'))
        return n - 1;
    return n;
}

static int finish(struct buf *b, int rc, char **out, size_t *len)
{
    size_t n = 0;

    buf_put_nul(&rc, b);
    if (rc != GALEN_OK) {
        buf_cleanup(b);
        return rc;
    }
    n = b->len;
    *out = (char *)buf_take(b, NULL);
    if (!*out)
        return GALEN_ENOMEM;
    if (len)
        *len = n;
    return GALEN_OK;
}

int answer_render(const struct galen_answer *ans, enum galen_render_format fmt,
                  unsigned flags, unsigned width, char **out, size_t *len)
{
    struct buf b;
    int rc;

    buf_init(&b, RENDER_MAX);
    if (fmt == GALEN_RENDER_JSON)
        rc = render_json(ans, &b);
    else if (fmt == GALEN_RENDER_HTML)
        rc = render_html(ans, &b);
    else
        rc = render_text(ans, (flags & GALEN_RENDER_COLOR) != 0,
                         width ? width : 80, &b);
    return finish(&b, rc, out, len);
}

int answer_sim_render(const struct galen_similar *s,
                      enum galen_render_format fmt, unsigned flags, char **out,
                      size_t *len)
{
    const struct answer_similar *v;
    size_t n;
    struct buf b;
    int rc;

    answer_similar_view(s, &v, &n);
    buf_init(&b, RENDER_MAX);
    if (fmt == GALEN_RENDER_JSON) {
        rc = render_similar_json(v, n, &b);
        buf_put_byte(&rc, &b, '\n');
    } else if (fmt == GALEN_RENDER_HTML) {
        rc = render_similar_html(v, n, &b);
    } else {
        rc = render_similar_text(v, n, (flags & GALEN_RENDER_COLOR) != 0, &b);
    }
    return finish(&b, rc, out, len);
}
