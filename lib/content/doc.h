/* SPDX-License-Identifier: MIT */
/* doc.h: the in-memory content model of one document (DESIGN.md "Content
 * model"), shared by the importers, the store and the indexer. A struct doc
 * owns every string and array it points to; doc_free / doc_cleanup release
 * all of it. NULL string fields mean "absent"; empty lists have n == 0. */
#ifndef GALEN_DOC_H
#define GALEN_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/json.h"

/* Hard limits on one document, so hostile input cannot exhaust memory. */
enum {
    DOC_ID_MAX = 255,        /* bytes; the index's external id limit */
    DOC_LIST_MAX = 4096,     /* items in any one list */
    DOC_TEXT_MAX = 16 << 20, /* bytes in any one string */
    DOC_HASH_LEN = 16,       /* bytes of the content hash (BLAKE2b) */
    DOC_HASH_HEX = 2 * DOC_HASH_LEN + 1
};

enum doc_kind {
    DOC_KIND_GUIDELINE,
    DOC_KIND_RESEARCH,
    DOC_KIND_CONSUMER,
    DOC_KIND_QA,
    DOC_KIND_ARTICLE,
    DOC_KIND_FAQ,
    DOC_KIND_COUNT
};

enum doc_audience {
    DOC_AUDIENCE_BOTH,
    DOC_AUDIENCE_PATIENT,
    DOC_AUDIENCE_CLINICIAN,
    DOC_AUDIENCE_COUNT
};

/* Review status; the legal transitions belong to the editorial workflow. */
enum doc_status {
    DOC_STATUS_SUBMITTED,
    DOC_STATUS_UNDER_REVIEW,
    DOC_STATUS_APPROVED,
    DOC_STATUS_REJECTED,
    DOC_STATUS_COUNT
};

/* Evidence level, strongest first except NONE (not stated). */
enum doc_evidence {
    DOC_EVIDENCE_NONE,
    DOC_EVIDENCE_GUIDELINE,
    DOC_EVIDENCE_META_ANALYSIS,
    DOC_EVIDENCE_SYSTEMATIC_REVIEW,
    DOC_EVIDENCE_RCT,
    DOC_EVIDENCE_CLINICAL_TRIAL,
    DOC_EVIDENCE_COHORT,
    DOC_EVIDENCE_CASE_CONTROL,
    DOC_EVIDENCE_CASE_REPORT,
    DOC_EVIDENCE_REVIEW,
    DOC_EVIDENCE_EXPERT,
    DOC_EVIDENCE_CONSUMER,
    DOC_EVIDENCE_OTHER,
    DOC_EVIDENCE_COUNT
};

/* Canonical names ("guideline", "meta-analysis", "under_review", ...), and
 * the reverse lookups. The _parse functions return GALEN_OK or
 * GALEN_EPARSE and write *out only on success. Names are static. */
const char *doc_kind_name(enum doc_kind k);
const char *doc_audience_name(enum doc_audience a);
const char *doc_status_name(enum doc_status s);
const char *doc_evidence_name(enum doc_evidence e);
GALEN_NODISCARD int doc_kind_parse(const char *s, enum doc_kind *out);
GALEN_NODISCARD int doc_audience_parse(const char *s, enum doc_audience *out);
GALEN_NODISCARD int doc_status_parse(const char *s, enum doc_status *out);
GALEN_NODISCARD int doc_evidence_parse(const char *s, enum doc_evidence *out);

/* A list of owned strings. */
struct doc_strlist {
    char **v;
    size_t n;
    size_t cap;
};

struct doc_section {
    char *heading; /* "" for the lead section */
    char *text;    /* paragraphs separated by "\n\n"; never NULL */
};

struct doc_ref {
    char *kind; /* guideline | research | consumer | qa, or NULL */
    char *title;
    char *source;
    char *authors;
    int year; /* 0 when unknown */
    char *pmid;
    char *doi;
    char *url;
};

/* A table: a header row of ncols cells and nrows body rows, row-major. */
struct doc_table {
    size_t section; /* index of the section the table appeared in */
    size_t ncols;
    size_t nrows;
    char **header; /* ncols cells */
    char **cells;  /* nrows * ncols cells */
};

struct doc_faq {
    char *question;
    char *answer;
};

struct doc {
    char *id;
    enum doc_kind kind;
    char *title;
    char *source; /* publisher or journal */
    char *authors;
    char *date; /* YYYY-MM-DD, YYYY-MM or YYYY */
    char *url;
    char *licence;
    enum doc_audience audience;
    char *specialty;
    enum doc_evidence evidence;
    struct doc_strlist focus; /* topics, focus terms, MeSH headings */
    struct doc_strlist synonyms;
    struct doc_strlist cuis; /* UMLS concept ids */
    struct doc_strlist semantic_types;
    char *semantic_group;
    struct doc_strlist pub_types; /* PubMed publication types */
    /* Other metadata: key, value, key, value, ... (n even). Keys are unique;
     * what a source has that the model does not (MedlinePlus groups, a
     * Hugo page's unknown front-matter keys). */
    struct doc_strlist meta;
    char *question_type;
    bool has_answer; /* false: a question only, never answer evidence */
    char *pmid;
    char *doi;
    /* Patient Q&A. */
    char *age_band;
    char *sex;
    char *asked;
    char *replied;
    enum doc_status status;

    struct doc_section *sections;
    size_t nsections, sections_cap;
    struct doc_ref *refs;
    size_t nrefs, refs_cap;
    struct doc_table *tables;
    size_t ntables, tables_cap;
    struct doc_faq *faq;
    size_t nfaq, faq_cap;
};

/* A document's scalar string fields, numbered in this order: id, title,
 * source, authors, date, url, licence, specialty, semantic_group,
 * question_type, pmid, doi, age_band, sex, asked, replied. The content hash
 * and the store's columns follow the numbering, so it never changes. */
enum { DOC_STR_ID = 0, DOC_STR_COUNT = 16 };

/* String field i (< DOC_STR_COUNT) of d: where it is kept, to set or free
 * it (doc_str_slot), or its value, NULL when absent (doc_str; borrowed). */
char **doc_str_slot(struct doc *d, size_t i);
const char *doc_str(const struct doc *d, size_t i);

/* Initialises d as an empty document (has_answer true, audience both,
 * status submitted). */
void doc_init(struct doc *d);

/* Frees everything d owns and re-initialises it. */
void doc_cleanup(struct doc *d);

/* Heap variants: doc_new returns NULL on ENOMEM; doc_free(NULL) is a no-op. */
struct doc *doc_new(void);
void doc_free(struct doc *d);

/* Replaces *field with a copy of s[0..len) (NULL s clears it). Returns
 * GALEN_OK, GALEN_ENOMEM or GALEN_ETOOBIG (len > DOC_TEXT_MAX). */
GALEN_NODISCARD int doc_set(char **field, const char *s, size_t len);
GALEN_NODISCARD int doc_set_cstr(char **field, const char *s);

/* Appends a copy of s[0..len) to l. GALEN_ENOMEM, or GALEN_ETOOBIG past
 * DOC_LIST_MAX items or DOC_TEXT_MAX bytes. */
GALEN_NODISCARD int doc_strlist_add(struct doc_strlist *l, const char *s,
                                    size_t len);
void doc_strlist_cleanup(struct doc_strlist *l);

/* Sets metadata key to value (copies both), replacing an earlier value of
 * the key. Returns as doc_strlist_add. doc_meta_get returns the value of
 * key, NULL when absent (borrowed). */
GALEN_NODISCARD int doc_meta_set(struct doc *d, const char *key,
                                 const char *value);
const char *doc_meta_get(const struct doc *d, const char *key);

/* Appends a section, copying heading and text. Returns as doc_set. */
GALEN_NODISCARD int doc_add_section(struct doc *d, const char *heading,
                                    const char *text, size_t text_len);

/* Appends a zeroed reference / FAQ item / table and returns it through
 * out (borrowed; owned by d). GALEN_ENOMEM or GALEN_ETOOBIG. */
GALEN_NODISCARD int doc_add_ref(struct doc *d, struct doc_ref **out);
GALEN_NODISCARD int doc_add_faq(struct doc *d, struct doc_faq **out);
GALEN_NODISCARD int doc_add_table(struct doc *d, struct doc_table **out);

/* Checks what every stored document must satisfy: an id of 1..DOC_ID_MAX
 * bytes without control characters or spaces, a non-empty title, and
 * valid UTF-8 in every string. GALEN_OK or GALEN_EPARSE with a message in
 * msg (may be NULL). */
GALEN_NODISCARD int doc_validate(const struct doc *d, char *msg,
                                 size_t msg_cap);

/* Content hash over every content field in a fixed order, each length-
 * prefixed. The review status is not content: changing it does not change
 * the hash. Writes DOC_HASH_HEX bytes (lower-case hex plus NUL). */
void doc_hash(const struct doc *d, char out[DOC_HASH_HEX]);

/* Serialises d (every field, sections, references, tables, FAQ) as compact
 * JSON. Returns GALEN_OK or GALEN_ENOMEM; *out is a NUL-terminated string
 * the caller frees with galen_free. */
GALEN_NODISCARD int doc_to_json(const struct doc *d, char **out);

/* One reference as a JSON object, on a buf with a sticky rc (strings go
 * through base/json.h). */
void doc_json_ref(int *rc, struct buf *b, const struct doc_ref *r);

/* JSON arrays of one part of a document, as the store keeps them in its
 * JSON columns and doc_to_json embeds them: a list of strings; tables as
 * [{"section":n,"header":[...],"rows":[[...],...]}]; FAQ items as
 * [{"question":q,"answer":a}]; references as objects. */
void doc_json_list(int *rc, struct buf *b, const struct doc_strlist *l);
void doc_json_tables(int *rc, struct buf *b, const struct doc *d);
void doc_json_faq(int *rc, struct buf *b, const struct doc *d);
void doc_json_refs(int *rc, struct buf *b, const struct doc *d);

/* The members ,"references":[...],"tables":[...],"faq":[...] of an object
 * being written (doc_to_json's, the index's meta blob). */
void doc_json_parts(int *rc, struct buf *b, const struct doc *d);

#endif
