/* SPDX-License-Identifier: MIT */
/* handlers.h: every route handler, grouped by file. The routing table in
 * router.c is the only caller. Pages live in page_*.c, JSON in api_*.c. */
#ifndef GALEN_HTTPD_HANDLERS_H
#define GALEN_HTTPD_HANDLERS_H

#include "app.h"

/* static.c */
void static_get(struct ctx *c);

/* api_health.c */
void api_health(struct ctx *c);
void api_ready(struct ctx *c);
void page_metrics(struct ctx *c);

/* page_auth.c / api_auth.c */
void page_login_form(struct ctx *c);
void page_login(struct ctx *c);
void page_logout(struct ctx *c);
void page_register_form(struct ctx *c);
void page_register(struct ctx *c);
void api_login(struct ctx *c);
void api_logout(struct ctx *c);
void api_me(struct ctx *c);

/* page_account.c */
void page_account(struct ctx *c);
void page_account_password(struct ctx *c);
void api_account_password(struct ctx *c);
void page_reset_form(struct ctx *c);
void page_reset(struct ctx *c);
void page_user_reset(struct ctx *c);
void api_user_reset(struct ctx *c);

/* page_admin.c */
void page_users(struct ctx *c);
void page_user_add(struct ctx *c);
void page_user_toggle(struct ctx *c);
void api_users(struct ctx *c);

/* page_ask.c / api_ask.c */
void page_home(struct ctx *c);
void page_ask(struct ctx *c);
void api_ask(struct ctx *c);
void api_search(struct ctx *c);
void api_similar(struct ctx *c);

/* page_qa.c / api_questions.c */
void page_questions(struct ctx *c);
void page_question_new(struct ctx *c);
void page_question_submit(struct ctx *c);
void page_question(struct ctx *c);
void page_question_reply(struct ctx *c);
void page_specialist_queue(struct ctx *c);
void api_questions_list(struct ctx *c);
void api_question_submit(struct ctx *c);
void api_question_get(struct ctx *c);
void api_question_reply(struct ctx *c);

/* page_article.c / api_docs.c */
void page_articles(struct ctx *c);
void page_article(struct ctx *c);
void page_comment_submit(struct ctx *c);
void api_documents(struct ctx *c);
void api_document(struct ctx *c);
void api_articles(struct ctx *c);
void api_article(struct ctx *c);
void api_topics(struct ctx *c);
void api_comment_submit(struct ctx *c);

/* page_review.c / api_review.c */
void page_review_queue(struct ctx *c);
void page_review_doc(struct ctx *c);
void page_review_action(struct ctx *c);
void page_review_source(struct ctx *c);
void page_moderation(struct ctx *c);
void page_moderate(struct ctx *c);
void api_review_queue(struct ctx *c);
void api_review_action(struct ctx *c);
void api_document_history(struct ctx *c);
void api_document_diff(struct ctx *c);
void api_comments_pending(struct ctx *c);
void api_comment_moderate(struct ctx *c);

#endif
