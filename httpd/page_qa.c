/* SPDX-License-Identifier: MIT */
/* page_qa.c: the Patient Q&A pages (seed 002): the archive of answered
 * questions, the form to ask a specialist, a question with its replies,
 * galen's "More Info" answer, Similar Q&A and Related FAQ topics, the reply
 * form for specialists, and the specialists' queue of open questions. */
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "engine.h"
#include "handlers.h"
#include "mem.h"
#include "page.h"
#include "str.h"

enum { PAGE_SIZE = 20, SIMILAR_K = 4, TOPICS_K = 10 };

static void select_opts(struct ctx *c, const char *id, const char *label,
                        const char *none, const char *const *list,
                        const char *cur)
{
    size_t i;

    page_out(c, "<label for=\"%s\">%s</label><select id=\"%s\" name=\"%s\">",
             id, label, id, id);
    page_out(c, "<option value=\"\">%s</option>", none);
    for (i = 0; list[i]; i++)
        page_out(c, "<option%R>%s</option>",
                 cur && strcmp(cur, list[i]) == 0 ? " selected" : "", list[i]);
    page_out(c, "</select>");
}

static void question_form(struct ctx *c, const char *error)
{
    const char *title = http_req_param(c->req, "title");
    const char *body = http_req_param(c->req, "body");

    page_begin(c, "Ask a specialist");
    page_out(c, "<h1>Ask a specialist</h1>\n<p>A specialist replies in "
                "their specialty. Until then only you, the specialists and "
                "the editors can read your question. If you agree below, "
                "your question and the reply are then published without "
                "your name, to help others with the same "
                "question.</p>\n<p class=\"notice\"><strong>In an "
                "emergency</strong>, or if symptoms are sudden or severe, "
                "do not wait for a reply: call your local emergency number "
                "or see a doctor now.</p>\n");
    if (error)
        page_out(c, "<p class=\"error\" role=\"alert\">%s</p>\n", error);
    page_out(c, "<form method=\"post\" action=\"/questions\" class=\"stack\">");
    page_csrf_field(c);
    page_out(c,
             "<label for=\"title\">Summary</label><input id=\"title\" "
             "name=\"title\" required maxlength=\"%d\" value=\"%s\" "
             "placeholder=\"e.g. Leg cramps at night\">"
             "<label for=\"body\">Your question</label><textarea id=\"body\" "
             "name=\"body\" rows=\"8\" required maxlength=\"%d\" "
             "aria-describedby=\"body-help\">%s</textarea>"
             "<small id=\"body-help\">Describe what you feel, since when, "
             "and what you have tried. Do not include names or contact "
             "details.</small><div class=\"row\"><div>",
             GALEN_TITLE_MAX, title ? title : "", GALEN_TEXT_MAX,
             body ? body : "");
    select_opts(c, "age_band", "Age", "Prefer not to say", galen_age_bands,
                http_req_param(c->req, "age_band"));
    page_out(c, "</div><div>");
    select_opts(c, "sex", "Sex", "Prefer not to say", galen_sexes,
                http_req_param(c->req, "sex"));
    page_out(c, "</div><div>");
    select_opts(c, "specialty", "Specialty", "Not sure", galen_specialties,
                http_req_param(c->req, "specialty"));
    page_out(c, "</div></div><label><input type=\"checkbox\" "
                "name=\"publish\" value=\"yes\"> Publish my question and "
                "the reply, without my name, once a specialist has "
                "replied</label><button type=\"submit\">Send the question"
                "</button></form>\n");
    page_end(c);
}

void page_question_new(struct ctx *c)
{
    question_form(c, NULL);
}

void page_question_submit(struct ctx *c)
{
    struct galen_question_in in;
    const char *publish = http_req_param(c->req, "publish");
    char link[GALEN_TOKEN_LEN + 1];
    long long id = 0;
    char loc[128];
    int rc;

    if (!ctx_need_store(c, "question"))
        return;
    memset(&in, 0, sizeof in);
    in.title = http_req_param(c->req, "title");
    in.body = http_req_param(c->req, "body");
    in.age_band = http_req_param(c->req, "age_band");
    in.sex = http_req_param(c->req, "sex");
    in.specialty = http_req_param(c->req, "specialty");
    in.user_id = c->user.role == GALEN_ROLE_ANON ? 0 : c->user.id;
    in.now = c->req->wall;
    in.publish = publish && strcmp(publish, "yes") == 0;
    in.link = link;
    rc = galen_question_add(c->svc, &in, &id);
    if (rc == GALEN_EINVAL) {
        c->resp->status = 400;
        question_form(c, galen_service_errmsg(c->svc));
        return;
    }
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "could not save the question");
        return;
    }
    /* The secret link is how an anonymous asker comes back. */
    snprintf(loc, sizeof loc, "/questions/%lld?key=%s", id, link);
    http_resp_redirect(c->resp, loc);
}

/* Writes "Anonymous, 40-49 year old female. Ask Date: 2016/06/23". */
static void asker_line(struct ctx *c, const struct galen_question *q)
{
    bool named = q->asker[0] && galen_question_shows_asker(q, &c->user);

    page_out(c, "<p class=\"meta\">%s", named ? q->asker : "Anonymous");
    if (q->age_band[0])
        page_out(c, ", %s year old", q->age_band);
    if (q->sex[0])
        page_out(c, "%R%s", q->age_band[0] ? " " : ", ", q->sex);
    page_out(c, ". Ask Date: <time datetime=\"%s\">", q->asked_at);
    page_ymd(c, q->asked_at);
    page_out(c, "</time></p>\n");
}

static void reply_block(struct ctx *c, const struct galen_reply *r)
{
    page_out(c,
             "<section class=\"qa-reply\" aria-label=\"Specialist reply\">"
             "<h2 class=\"reply-h\">Dr. %s reply <span class=\"specialty\">"
             "%s</span></h2>\n",
             r->author[0] ? r->author : "(former specialist)", r->specialty);
    page_paragraphs(c, r->body);
    page_out(c, "<p class=\"meta\">Reply Date: <time datetime=\"%s\">",
             r->replied_at);
    page_ymd(c, r->replied_at);
    page_out(c, "</time></p></section>\n");
}

static bool can_reply(const struct ctx *c, const struct galen_question *q)
{
    return galen_role_can(c->user.role, GALEN_PERM_REPLY) &&
           (!q->specialty[0] || strcmp(q->specialty, c->user.specialty) == 0);
}

static void reply_form(struct ctx *c, const struct galen_question *q)
{
    page_out(c,
             "<section aria-labelledby=\"rf-h\"><h2 id=\"rf-h\">Reply as "
             "%s (%s)</h2><form method=\"post\" "
             "action=\"/questions/%lld/reply\" class=\"stack\">",
             c->user.name, c->user.specialty, q->id);
    page_csrf_field(c);
    page_out(c,
             "<label for=\"reply\">Your reply</label><textarea "
             "id=\"reply\" name=\"body\" rows=\"8\" required "
             "maxlength=\"%d\"></textarea><button type=\"submit\">Publish "
             "the reply</button></form></section>\n",
             GALEN_TEXT_MAX);
}

static int similar_store_cb(void *ctx, const struct galen_question *q)
{
    struct ctx *c = ctx;
    const struct galen_reply *r = q->nreplies ? &q->replies[0] : NULL;

    page_out(c, "<li><h3><a href=\"/questions/%lld\">%s</a></h3><p>", q->id,
             q->title);
    page_snippet(c, q->body, 280);
    page_out(c, "</p>");
    if (r) {
        page_out(c,
                 "<p class=\"meta\">Dr. %s reply <span class=\"specialty\">"
                 "%s</span></p><p>",
                 r->author, r->specialty);
        page_snippet(c, r->body, 280);
        page_out(c, "</p>");
    }
    page_out(c, "<p><a href=\"/questions/%lld\">[Read More] %s</a></p></li>\n",
             q->id, q->title);
    return 0;
}

static int similar_engine_cb(void *ctx, const struct engine_hit *h)
{
    struct ctx *c = ctx;

    page_out(c, "<li><h3><a href=\"/articles/%U\">%s</a></h3><p>", h->id,
             h->title);
    page_snippet(c, h->snippet, 280);
    page_out(c, "</p>");
    if (h->specialty && h->specialty[0])
        page_out(c,
                 "<p class=\"meta\">%s%s%R<span class=\"specialty\">%s"
                 "</span></p>",
                 h->author && h->author[0] ? "Dr. " : "",
                 h->author ? h->author : "",
                 h->author && h->author[0] ? " reply " : "", h->specialty);
    page_out(c, "<p><a href=\"/articles/%U\">[Read More] %s</a></p></li>\n",
             h->id, h->title);
    return 0;
}

/* Joins title and body into one text for matching. */
static char *question_text(const struct galen_question *q)
{
    struct buf b;
    int rc = GALEN_OK;

    buf_init(&b, GALEN_TEXT_MAX + GALEN_TITLE_MAX + 8);
    buf_printf(&rc, &b, "%s. %s", q->title, q->body);
    buf_put_nul(&rc, &b);
    if (rc != GALEN_OK) {
        buf_cleanup(&b);
        return NULL;
    }
    return (char *)buf_take(&b, NULL);
}

static void similar_section(struct ctx *c, const struct galen_question *q,
                            const char *text)
{
    size_t before;

    page_out(c, "<section class=\"similar\" aria-labelledby=\"sim-h\"><h2 "
                "id=\"sim-h\">Similar Q&amp;A</h2><ul>");
    before = c->resp->body.len;
    if (c->app->engine)
        (void)!engine_similar(c->app->engine, text, SIMILAR_K,
                              similar_engine_cb, c);
    if (c->svc)
        (void)!galen_similar_questions(c->svc, text, q->id, SIMILAR_K,
                                       similar_store_cb, c);
    if (c->resp->body.len == before)
        page_out(c, "<li>No similar answered questions yet.</li>");
    page_out(c, "</ul></section>\n");
}

struct topics_ctx {
    struct ctx *c;
    const char *text; /* the question, lowercased words matched against */
    size_t shown;
};

/* True if needle (lowercase) occurs in hay ignoring ASCII case. */
static bool ci_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    for (; *hay; hay++) {
        size_t i;

        for (i = 0; i < n && hay[i] && (hay[i] | 0x20) == needle[i]; i++)
            ;
        if (i == n)
            return true;
    }
    return false;
}

/* True if some word of topic (3+ letters) occurs in text, ignoring case. */
static bool topic_matches(const char *topic, const char *text)
{
    char w[32];
    size_t n = 0;

    for (;; topic++) {
        char ch = *topic;

        if (((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') && n + 1 < sizeof w) {
            w[n++] = (char)(ch | 0x20);
            continue;
        }
        w[n] = '\0';
        if (n >= 3 && ci_contains(text, w))
            return true;
        n = 0;
        if (!ch)
            return false;
    }
}

static int topic_cb(void *ctx, const char *topic, const char *specialty,
                    long long ndocs)
{
    struct topics_ctx *t = ctx;

    UNUSED(ndocs);
    if (t->shown >= TOPICS_K || !topic_matches(topic, t->text))
        return 0;
    page_out(t->c, "<li>");
    page_ask_link(t->c, topic, NULL, topic);
    page_out(t->c, " <span class=\"specialty\">(%s)</span></li>", specialty);
    t->shown++;
    return 0;
}

static void topics_section(struct ctx *c, const char *text)
{
    struct topics_ctx t = {c, text, 0};

    if (!c->svc)
        return;
    page_out(c, "<section class=\"topics\" aria-labelledby=\"faq-h\"><h2 "
                "id=\"faq-h\">Related FAQ</h2><ul>");
    (void)!galen_topics(c->svc, NULL, 500, topic_cb, &t);
    if (t.shown == 0)
        page_out(c, "<li>No related topics yet.</li>");
    page_out(c, "</ul></section>\n");
}

static void more_info(struct ctx *c, const char *text)
{
    int rc;

    page_out(c, "<section class=\"more-info\" aria-labelledby=\"mi-h\"><h2 "
                "id=\"mi-h\">More Info</h2>");
    rc = engine_answer(c->app->engine, text, ENGINE_PATIENT, &c->resp->body,
                       NULL);
    if (rc == GALEN_ENOENT)
        page_out(c, "<p class=\"notice\">galen's answer is not available on "
                    "this server (no index).</p>");
    else if (rc != GALEN_OK)
        c->rc = rc;
    page_out(c, "</section>\n");
}

static void question_page(struct ctx *c, const struct galen_question *q)
{
    char *text = question_text(q);
    size_t i;

    if (!text) {
        c->rc = GALEN_ENOMEM;
        return;
    }
    page_begin(c, q->title);
    page_out(c, "<article class=\"qa\"><h1>%s%R%s</h1>\n", q->title,
             q->specialty[0] ? " - " : "", q->specialty);
    page_out(c, "<section class=\"qa-question\" aria-label=\"Question\">");
    page_paragraphs(c, q->body);
    asker_line(c, q);
    page_out(c, "</section>\n");
    for (i = 0; i < q->nreplies; i++)
        reply_block(c, &q->replies[i]);
    if (!q->answered)
        page_out(c, "<p class=\"notice\" role=\"status\">Awaiting a "
                    "specialist's reply.</p>\n");
    if (http_param(&c->req->query, "key"))
        page_out(c, "<p class=\"notice\">This page's address is your "
                    "private link to the question: keep it to come back "
                    "for the reply, and do not share it.</p>\n");
    if (can_reply(c, q))
        reply_form(c, q);
    more_info(c, text);
    similar_section(c, q, text);
    topics_section(c, text);
    page_out(c, "</article>\n");
    page_end(c);
    galen_free(text);
}

void page_question(struct ctx *c)
{
    struct galen_question *q = NULL;
    int rc;

    if (!ctx_need_store(c, "question"))
        return;
    rc = galen_question_get(c->svc, c->id, &q);
    /* Unreadable questions get the same 404 as missing ones. */
    if (rc == GALEN_OK && !galen_question_visible(
                              q, &c->user, http_param(&c->req->query, "key"))) {
        galen_question_free(q);
        rc = GALEN_ENOENT;
    }
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, "no such question");
        return;
    }
    question_page(c, q);
    galen_question_free(q);
}

void page_question_reply(struct ctx *c)
{
    const char *body = http_req_param(c->req, "body");
    char loc[64];
    int rc;

    if (!ctx_need_store(c, "question"))
        return;
    rc = galen_reply_add(c->svc, c->id, &c->user, body, c->req->wall, NULL);
    if (rc != GALEN_OK) {
        ctx_fail(c, rc, galen_service_errmsg(c->svc));
        return;
    }
    snprintf(loc, sizeof loc, "/questions/%lld", c->id);
    http_resp_redirect(c->resp, loc);
}

static int list_cb(void *ctx, const struct galen_question *q)
{
    struct ctx *c = ctx;

    page_out(c, "<li><h2><a href=\"/questions/%lld\">%s</a></h2>", q->id,
             q->title);
    if (q->specialty[0])
        page_out(c, "<span class=\"specialty\">%s</span> ", q->specialty);
    page_out(c, "<span class=\"meta\">");
    page_ymd(c, q->asked_at);
    page_out(c, "</span><p>");
    page_snippet(c, q->body, 240);
    page_out(c, "</p></li>\n");
    return 0;
}

/* Writes the list of answered or open questions with paging links. */
static void question_list(struct ctx *c, bool answered, const char *base)
{
    const char *p = http_param(&c->req->query, "page");
    long page = 1;
    size_t before;

    if (p && str_to_long(p, 1, 100000, &page) != GALEN_OK)
        page = 1;
    page_out(c, "<ul class=\"qa-list\">");
    before = c->resp->body.len;
    if ((!answered && c->user.role == GALEN_ROLE_SPECIALIST
             ? galen_questions_queue(c->svc, c->user.specialty, PAGE_SIZE,
                                     (size_t)(page - 1) * PAGE_SIZE, list_cb, c)
             : galen_questions(c->svc, answered, PAGE_SIZE,
                               (size_t)(page - 1) * PAGE_SIZE, list_cb, c)) !=
        GALEN_OK)
        c->rc = GALEN_EDB;
    if (c->resp->body.len == before)
        page_out(c, "<li>No questions here yet.</li>");
    page_out(c, "</ul><nav aria-label=\"Pages\" class=\"pager\">");
    if (page > 1)
        page_out(c, "<a href=\"%R%s?page=%ld\" rel=\"prev\">Newer</a> ",
                 c->app->base_path, base, page - 1);
    page_out(c, "<a href=\"%R%s?page=%ld\" rel=\"next\">Older</a></nav>\n",
             c->app->base_path, base, page + 1);
}

void page_questions(struct ctx *c)
{
    if (!ctx_need_store(c, "question"))
        return;
    page_begin(c, "Patient Q&A");
    page_out(c, "<h1>Patient Q&amp;A</h1><p>Questions patients asked, "
                "answered by specialists. <a href=\"/questions/new\">Ask "
                "a specialist</a>.</p>\n");
    question_list(c, true, "/questions");
    page_end(c);
}

void page_specialist_queue(struct ctx *c)
{
    if (!ctx_need_store(c, "question"))
        return;
    page_begin(c, "Question queue");
    page_out(c,
             "<h1>Open questions</h1><p>Questions waiting for a reply, "
             "newest first. You can reply to those asking for %s and to "
             "those that name no specialty.</p>\n",
             c->user.specialty[0] ? c->user.specialty : "your specialty");
    question_list(c, false, "/specialist");
    page_end(c);
}
