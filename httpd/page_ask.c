/* SPDX-License-Identifier: MIT */
/* page_ask.c: the start page and the Ask page (seeds 000 and 001): the
 * question box, the "Which best describes you?" choice, and the answer as
 * the answer engine renders it (an HTML fragment it has already escaped).
 * The question travels in the query string so an answer can be bookmarked;
 * the access log never records query strings. */
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
             "<form method=\"get\" action=\"/ask\" class=\"ask\" "
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

/* Writes the link that shows the same answer for the other audience. */
static void audience_switch(struct ctx *c, const char *q, bool clinician)
{
    page_out(c,
             "<p class=\"switch\">Showing the answer for %s. <a "
             "href=\"/ask?q=%U&amp;audience=%s\">Show it for %s "
             "instead</a>.</p>\n",
             clinician ? "clinicians" : "patients and caregivers", q,
             clinician ? "patient" : "clinician",
             clinician ? "patients and caregivers" : "clinicians");
}

void page_ask(struct ctx *c)
{
    const char *q = http_param(&c->req->query, "q");
    bool clinician = is_clinician(http_param(&c->req->query, "audience"));
    size_t n = q ? strlen(q) : 0;
    int rc;

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
    audience_switch(c, q, clinician);
    rc = c->app->engine
             ? engine_answer_html(c->app->engine, q,
                                  clinician ? ENGINE_CLINICIAN : ENGINE_PATIENT,
                                  &c->resp->body)
             : GALEN_ENOENT;
    if (rc == GALEN_ENOENT)
        page_out(c, "<p class=\"notice\" role=\"status\">The answer engine "
                    "is not available on this server: its index has not "
                    "been built. Run <code>galen index</code>.</p>\n");
    else if (rc != GALEN_OK)
        c->rc = rc;
    page_out(c, "</article>\n");
    page_end(c);
}
