/* SPDX-License-Identifier: MIT */
/* docview.h: a stored document (struct galen_doc) as HTML: section text with
 * paragraphs, bullet and numbered lists and [n] citations linked to the
 * reference list; pipe tables as <table>; the FAQ; references grouped as
 * the seeds show them. Every piece of document text is escaped: imported
 * content is as untrusted as a patient's question. */
#ifndef GALEN_HTTPD_DOCVIEW_H
#define GALEN_HTTPD_DOCVIEW_H

#include <galen/doc.h>

#include "app.h"

/* Writes section text: blank lines separate paragraphs, "- " lines make a
 * bullet list, "1. " lines a numbered list, and pipe-table lines are left
 * out (tables are rendered from their parsed form). [n] with 1 <= n <=
 * nrefs becomes a citation link to #ref-n. */
void docview_text(struct ctx *c, const char *text, size_t nrefs);

/* Writes table t with a header row; cells may cite [n] like text. */
void docview_table(struct ctx *c, const struct galen_doc_table *t,
                   size_t nrefs);

/* Writes the reference list as an <ol> whose items have ids ref-1.., with
 * the kind, title, source, year, and PubMed/DOI/URL links (http and https
 * URLs only). */
void docview_references(struct ctx *c, const struct galen_doc *d);

/* Estimated minutes to read d at 200 words a minute, at least 1. */
unsigned docview_read_minutes(const struct galen_doc *d);

/* Writes s in title case for display ("family medicine" becomes "Family
 * Medicine"), escaped. */
void docview_title_case(struct ctx *c, const char *s);

#endif
