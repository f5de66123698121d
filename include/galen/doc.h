/* SPDX-License-Identifier: MIT */
/* galen/doc.h: a read-only view of one stored document, as the web pages and
 * embedders show it: its fields, sections, references, tables and FAQ.
 * Every pointer is borrowed from the view and lives until galen_doc_free;
 * a string field is NULL when the document does not have it. Documents are
 * read through a service (galen_doc_get in galen/service.h). */
#ifndef GALEN_PUBLIC_DOC_H
#define GALEN_PUBLIC_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include <galen/common.h>

GALEN_BEGIN_DECLS

/* Review status of a document, in the editorial workflow's order. */
enum galen_doc_status {
    GALEN_DOC_STATUS_SUBMITTED,
    GALEN_DOC_STATUS_UNDER_REVIEW,
    GALEN_DOC_STATUS_APPROVED,
    GALEN_DOC_STATUS_REJECTED,
    GALEN_DOC_STATUS_COUNT
};

/* Static name ("under_review"), or "unknown". */
GALEN_API const char *galen_doc_status_name(enum galen_doc_status s);

/* Parses a status name. GALEN_OK, or GALEN_EPARSE (*out untouched). */
GALEN_API GALEN_NODISCARD int
galen_doc_status_parse(const char *s, enum galen_doc_status *out);

/* True if s names a document kind ("guideline", "article", ...). */
GALEN_API bool galen_doc_kind_known(const char *s);

struct galen_doc_section {
    const char *heading; /* "" for the lead section */
    const char *text;    /* paragraphs separated by "\n\n"; never NULL */
};

struct galen_doc_ref {
    const char *kind; /* guideline | research | consumer | qa, or NULL */
    const char *title;
    const char *source;
    const char *authors;
    int year; /* 0 when unknown */
    const char *pmid;
    const char *doi;
    const char *url;
};

/* A header row of ncols cells and nrows body rows, row-major. */
struct galen_doc_table {
    size_t section; /* index of the section the table appeared in */
    size_t ncols;
    size_t nrows;
    const char *const *header; /* ncols cells */
    const char *const *cells;  /* nrows * ncols cells */
};

struct galen_doc_faq {
    const char *question;
    const char *answer;
};

struct galen_doc {
    const char *id;
    const char *kind; /* "guideline", "research", "consumer", "qa", ... */
    const char *title;
    const char *source; /* publisher or journal */
    const char *authors;
    const char *date; /* YYYY-MM-DD, YYYY-MM or YYYY */
    const char *url;
    const char *licence;
    const char *audience; /* "both", "patient" or "clinician" */
    const char *specialty;
    const char *evidence; /* evidence level name, "none" if not stated */
    enum galen_doc_status status;
    /* Patient Q&A. */
    const char *age_band;
    const char *sex;
    const char *asked;
    const char *replied;

    const struct galen_doc_section *sections;
    size_t nsections;
    const struct galen_doc_ref *refs;
    size_t nrefs;
    const struct galen_doc_table *tables;
    size_t ntables;
    const struct galen_doc_faq *faq;
    size_t nfaq;
};

/* Frees d and everything it points to. NULL is a no-op. */
GALEN_API void galen_doc_free(const struct galen_doc *d);

/* Serialises d (every field, sections, references, tables, FAQ) as compact
 * JSON (docs/store.md). GALEN_OK, or GALEN_ENOMEM with *out NULL. Caller
 * frees *out with galen_free_string. */
GALEN_API GALEN_NODISCARD int galen_doc_to_json(const struct galen_doc *d,
                                                char **out);

GALEN_END_DECLS

#endif
