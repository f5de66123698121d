/* SPDX-License-Identifier: MIT */
/* page_ask.c: the start page and the Ask page (seeds 000 and 001): the
 * question box, the "Which best describes you?" choice, and the answer as
 * the answer engine renders it (an HTML fragment it has already escaped).
 * The question travels in the query string so an answer can be bookmarked;
 * the access log never records query strings. */
#include <cjson/cJSON.h>
#include <string.h>

#include <galen/error.h>

#include "engine.h"
#include "handlers.h"
#include "page.h"

enum { ASK_MAX = 2000 }; /* bytes of a question */

static bool is_clinician(const char *audience)
{
    return audience && strcmp(audience, "clinician") == 0;
}

static void ask_form(struct ctx *c, const char *q, bool clinician)
{
    page_out(c,
             "<form method=\"post\" action=\"/ask\" class=\"ask\" "
             "role=\"search\" aria-label=\"Ask a health question\">"
             "<label for=\"q\" class=\"q-label\">Your health question</label>"
             "<textarea id=\"q\" name=\"q\" rows=\"3\" maxlength=\"%d\" "
             "required placeholder=\"e.g. Why do my calves cramp at "
             "night?\">%s</textarea>"
             "<fieldset class=\"audience\"><legend>Which best describes "
             "you?</legend><p class=\"hint\">Your choice helps us use "
             "language that's most understandable for you.</p>"
             "<label><input type=\"radio\" name=\"audience\" "
             "value=\"patient\"%R> Patient or caregiver</label>"
             "<label><input type=\"radio\" name=\"audience\" "
             "value=\"clinician\"%R> Clinician</label></fieldset>"
             "<button type=\"submit\">Ask</button></form>\n",
             ASK_MAX, q ? q : "", clinician ? "" : " checked",
             clinician ? " checked" : "");
}

void page_home(struct ctx *c)
{
    page_begin(c, "Ask a health question");
    page_out(c, "<h1>Ask a health question</h1>\n<p class=\"lead\">galen "
                "answers from trusted guidelines, research and patient "
                "information, and cites every sentence.</p>\n");
    ask_form(c, NULL, false);
    page_out(c, "<section aria-labelledby=\"more-h\"><h2 id=\"more-h\">More "
                "ways to find answers</h2><ul>"
                "<li><a href=\"/questions\">Questions patients asked, "
                "answered by specialists</a></li>"
                "<li><a href=\"/questions/new\">Ask a specialist</a></li>"
                "<li><a href=\"/articles\">Articles</a></li></ul></section>\n");
    page_end(c);
}

/* Writes the button that shows the same answer for the other audience. */
static void audience_switch(struct ctx *c, const char *q, bool clinician)
{
    page_out(c, "<div class=\"switch\">Showing the answer for %s. ",
             clinician ? "clinicians" : "patients and caregivers");
    page_ask_link(c, q, clinician ? "patient" : "clinician",
                  clinician ? "Show it for patients and caregivers instead"
                            : "Show it for clinicians instead");
    page_out(c, "</div>\n");
}

/* The one link that carries the question, made only when the user asks
 * for it: a GET form, so the address appears on click, not before. */
static void share_link(struct ctx *c, const char *q, bool clinician)
{
    page_out(c,
             "<form method=\"get\" action=\"/ask\" class=\"share\">"
             "<input type=\"hidden\" name=\"q\" value=\"%s\">"
             "<input type=\"hidden\" name=\"audience\" value=\"%s\">"
             "<button type=\"submit\" class=\"link\">Link to this answer"
             "</button> <span class=\"hint\">(puts your question in the "
             "page address, to bookmark or share)</span></form>\n",
             q, clinician ? "clinician" : "patient");
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* Red flags first, from the answer's JSON. Returns how many. */
static int red_flags(struct ctx *c, const cJSON *root)
{
    const cJSON *f;
    int n = 0;

    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(root, "red_flags"))
    {
        const char *urgency = json_str(f, "urgency");

        page_out(c,
                 "<aside class=\"redflag\" role=\"alert\"><strong>%s:"
                 "</strong> %s",
                 urgency ? urgency : "Seek care", json_str(f, "message"));
        if (json_str(f, "source"))
            page_out(c, " <span class=\"meta\">Source: %s</span>",
                     json_str(f, "source"));
        if (json_str(f, "action"))
            page_out(c, " <strong>%s</strong>", json_str(f, "action"));
        if (json_str(f, "action_source"))
            page_out(c, " <span class=\"meta\">Action: %s</span>",
                     json_str(f, "action_source"));
        page_out(c, "</aside>\n");
        n++;
    }
    return n;
}

static void did_you_mean(struct ctx *c, const cJSON *root, bool clinician)
{
    const char *dym = json_str(root, "did_you_mean");

    if (!dym || !*dym)
        return;
    page_out(c, "<div class=\"dym\">Did you mean ");
    page_ask_link(c, dym, clinician ? "clinician" : "patient", dym);
    page_out(c, "?</div>\n");
}

/* Follow-up questions as links that ask them. Returns how many. */
static int follow_ups(struct ctx *c, const cJSON *root, bool clinician)
{
    const cJSON *f;
    int n = 0;

    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(root, "follow_ups"))
    {
        const char *q =
            cJSON_IsString(f) ? f->valuestring : json_str(f, "question");

        if (!q)
            continue;
        if (n++ == 0)
            page_out(c, "<section class=\"followups\" "
                        "aria-labelledby=\"fu-h\"><h2 id=\"fu-h\">Have a "
                        "follow-up question?</h2><ul>");
        page_out(c, "<li>");
        page_ask_link(c, q, clinician ? "clinician" : "patient", q);
        page_out(c, "</li>");
    }
    if (n)
        page_out(c, "</ul></section>\n");
    return n;
}

/* The review state of the answer's sources, as the seed's banner. */
static void review_banner(struct ctx *c, const cJSON *root)
{
    const cJSON *rv = cJSON_GetObjectItemCaseSensitive(root, "review");

    if (cJSON_IsObject(rv))
        page_banner(c, json_str(rv, "status"), json_str(rv, "updated"));
}

/* Writes the answer: red flags, banner, "did you mean", the audience
 * switch, the engine's fragment and follow-ups as links. Parts the page
 * renders itself are hidden in the fragment by class (style.css). */
static void answer(struct ctx *c, const char *q, bool clinician)
{
    struct buf html;
    struct buf json;
    cJSON *root = NULL;
    int rc;

    buf_init(&html, HTTP_MAX_RESP);
    buf_init(&json, HTTP_MAX_RESP);
    rc = engine_answer(c->app->engine, q,
                       clinician ? ENGINE_CLINICIAN : ENGINE_PATIENT, &html,
                       &json);
    if (rc == GALEN_OK)
        root = cJSON_ParseWithLength((const char *)json.data, json.len);
    if (rc == GALEN_ENOENT) {
        audience_switch(c, q, clinician);
        page_out(c, "<p class=\"notice\" role=\"status\">The answer engine "
                    "is not available on this server: its index has not "
                    "been built. Run <code>galen index</code>.</p>\n");
    } else if (rc != GALEN_OK) {
        c->rc = rc;
    } else {
        bool flags = root && red_flags(c, root) > 0;

        if (root)
            review_banner(c, root);
        if (root)
            did_you_mean(c, root, clinician);
        audience_switch(c, q, clinician);
        page_out(c, "<div class=\"galen-embed%R%R\">",
                 flags ? " has-redflags" : "", root ? " has-page-parts" : "");
        buf_put(&c->rc, &c->resp->body, html.data, html.len);
        page_out(c, "</div>\n");
        if (root)
            follow_ups(c, root, clinician);
        share_link(c, q, clinician);
    }
    cJSON_Delete(root);
    buf_cleanup(&html);
    buf_cleanup(&json);
}

void page_ask(struct ctx *c)
{
    const char *q = http_req_param(c->req, "q");
    bool clinician = is_clinician(http_req_param(c->req, "audience"));
    size_t n = q ? strlen(q) : 0;

    if (n == 0) {
        page_home(c);
        return;
    }
    if (n > ASK_MAX) {
        ctx_error(c, 413, "too_big", "the question is too long");
        return;
    }
    page_begin(c, q);
    ask_form(c, q, clinician);
    page_out(c,
             "<article class=\"answer\" aria-labelledby=\"answer-h\">"
             "<h1 id=\"answer-h\" class=\"question\">%s</h1>\n",
             q);
    answer(c, q, clinician);
    page_out(c, "</article>\n");
    page_end(c);
}
