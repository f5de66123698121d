/* SPDX-License-Identifier: MIT */
/* import_xml.h: a small streaming walker over libxml2's xmlReader, shared
 * by the MedQuAD and PubMed parsers. A table of rules maps (parent state,
 * element name) to a state; elements no rule matches are skipped whole.
 * Text of states marked for capture is collected (descendant markup such
 * as <sub> or <i> contributes its text) and normalised before it reaches
 * the end callback. Memory stays bounded: the reader frees each node once
 * passed, and captured text is capped at DOC_TEXT_MAX. */
#ifndef GALEN_IMPORT_XML_H
#define GALEN_IMPORT_XML_H

#include <libxml/xmlreader.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/common.h"
#include "import.h"

enum xml_ws {
    XML_WS_COLLAPSE, /* every whitespace run becomes one space; trimmed */
    XML_WS_LINES     /* lines trimmed and collapsed; one blank line kept
                        between paragraphs */
};

/* State 0 is "outside the root element". */
struct xml_rule {
    int parent;       /* state the element must appear in */
    const char *name; /* element name, exact */
    int state;        /* state while inside it; > 0 */
    bool capture;     /* collect its text for the end callback */
};

/* Returned by a start callback to skip the element's whole subtree (its
 * end callback is not called). */
enum { XML_SKIP = -1 };

struct xml_walker {
    const struct xml_rule *rules;
    size_t nrules;
    enum xml_ws ws;
    /* Element entered; attributes can be read from r. Returns GALEN_OK,
     * XML_SKIP, or an error that stops the walk. May be NULL. */
    int (*start)(void *ctx, int state, xmlTextReaderPtr r);
    /* Element left; text is its captured, normalised text (NUL-terminated,
     * "" when nothing was captured), borrowed for the call. */
    int (*end)(void *ctx, int state, char *text, size_t len);
    void *ctx;
    struct diag *diag;
};

/* Opens a streaming reader on a file (plain or gzip, read through zlib)
 * or on memory (name is used in messages only). Entities are not
 * substituted, no DTD is loaded and the network is never used. NULL on
 * ENOMEM or if the file cannot be opened (errno is then set). Free with
 * xml_reader_close. */
xmlTextReaderPtr xml_reader_file(const char *path, void **gz);
xmlTextReaderPtr xml_reader_memory(const char *data, size_t len,
                                   const char *name);
void xml_reader_close(xmlTextReaderPtr r, void *gz);

/* Compressed bytes consumed so far from a file opened by xml_reader_file. */
uint64_t xml_reader_offset(void *gz);

/* Walks the whole document. Returns GALEN_OK; GALEN_EPARSE for malformed
 * XML, nesting deeper than 256 or text over DOC_TEXT_MAX (diag says where);
 * or the first error a callback returned. */
GALEN_NODISCARD int xml_walk(xmlTextReaderPtr r, const struct xml_walker *w);

/* The reader's current line, for messages. The parser reads ahead, so
 * this can be past the current node; xml_node_line is the line where the
 * current node starts (0 when unknown). */
long xml_line(xmlTextReaderPtr r);
long xml_node_line(xmlTextReaderPtr r);

/* Copies attribute name of the current element into *field (removing it
 * when absent). GALEN_OK or GALEN_ENOMEM. */
GALEN_NODISCARD int xml_attr(xmlTextReaderPtr r, const char *name,
                             char **field);

#endif
