/* SPDX-License-Identifier: MIT */
/* page.h: the shared HTML page frame (head, navigation, footer), the
 * review-status banner, dates, and the error page. All output goes through
 * page_out, i.e. html_fmt: %s escapes, %R is raw and reserved for markup
 * galen wrote itself. */
#ifndef GALEN_HTTPD_PAGE_H
#define GALEN_HTTPD_PAGE_H

#include "app.h"

/* Appends to the response body with html_fmt conversions; errors are
 * sticky in c->rc. */
void page_out(struct ctx *c, const char *fmt, ...);

/* Writes the document head and the site header; opens <main>. title is
 * plain text. */
void page_begin(struct ctx *c, const char *title);

/* Closes <main> and writes the footer. */
void page_end(struct ctx *c);

/* Writes a complete error page with status. */
void page_error(struct ctx *c, int status, const char *msg);

/* Writes the hidden CSRF input for a form (issuing an sid if needed). */
void page_csrf_field(struct ctx *c);

/* Writes a button, looking like a link, that asks q (for audience
 * "patient" or "clinician"; NULL: the default) by POST, so that the
 * question stays out of URLs, browser history and proxy logs. label is
 * plain text. */
void page_ask_link(struct ctx *c, const char *q, const char *audience,
                   const char *label);

/* Writes the review-status banner: the steps Submitted, Under Review,
 * Approved (or Rejected) with the current one marked, and "Last updated"
 * from updated (ISO 8601 date or date-time; NULL or "" omits it). */
void page_banner(struct ctx *c, const char *status, const char *updated);

/* Writes an ISO date ("2025-03-21" or "2025-03-21T10:00:00Z") as
 * "March 21, 2025"; anything unparsable is written escaped as given. */
void page_date(struct ctx *c, const char *iso);

/* Writes the date of an ISO 8601 string as "2016/06/23", the seed's Q&A
 * date style; anything else is written escaped as given. */
void page_ymd(struct ctx *c, const char *iso);

/* Writes at most max bytes of s, escaped, cut at a word boundary with an
 * ellipsis when shortened (never inside a UTF-8 sequence). */
void page_snippet(struct ctx *c, const char *s, size_t max);

/* Writes s as paragraphs: blank lines separate <p>s and single newlines
 * become <br>. Escaped. */
void page_paragraphs(struct ctx *c, const char *s);

/* Formats Unix time t as ISO 8601 UTC into out (21 bytes). */
void page_iso_time(long long t, char out[21]);

#endif
