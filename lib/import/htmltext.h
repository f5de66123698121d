/* SPDX-License-Identifier: MIT */
/* htmltext.h: a small HTML fragment (a MedlinePlus summary) turned into
 * the sections of a document, in the shape galen's own articles have:
 * paragraphs separated by a blank line, list items as "- item" lines. It
 * is not a general HTML parser: it knows block tags, headings and list
 * items, drops every other tag, and decodes character references. */
#ifndef GALEN_IMPORT_HTMLTEXT_H
#define GALEN_IMPORT_HTMLTEXT_H

#include <stddef.h>

#include "base/common.h"
#include "content/doc.h"

/* Appends the sections of html[0..len) to d: the text before the first
 * heading (<h1>..<h6>) is a section with an empty heading (left out when
 * empty); each heading opens a section named by its text. <p>, <div>,
 * <ul>, <ol>, <table> and <blockquote> break paragraphs, <br> and </li>
 * break lines, <li> starts a "- " line. GALEN_OK, GALEN_ENOMEM or
 * GALEN_ETOOBIG (a section over DOC_TEXT_MAX, too many sections). */
GALEN_NODISCARD int html_to_sections(const char *html, size_t len,
                                     struct doc *d);

#endif
