/* SPDX-License-Identifier: MIT */
/* doc.c: the document content model: enum names, owned-string helpers,
 * validation, the content hash and the JSON snapshot. Every string a doc
 * points to was allocated here (galen_malloc) and is freed by doc_cleanup. */
#include "doc.h"

#include <assert.h>
#include <sodium.h>
#include <stddef.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/utf8.h"

static const char *const kind_names[DOC_KIND_COUNT] = {
    "guideline", "research", "consumer", "qa", "article", "faq"};

static const char *const audience_names[DOC_AUDIENCE_COUNT] = {
    "both", "patient", "clinician"};

static const char *const status_names[DOC_STATUS_COUNT] = {
    "submitted", "under_review", "approved", "rejected"};

static const char *const evidence_names[DOC_EVIDENCE_COUNT] = {
    "",
    "guideline",
    "meta-analysis",
    "systematic-review",
    "rct",
    "clinical-trial",
    "cohort",
    "case-control",
    "case-report",
    "review",
    "expert",
    "consumer",
    "other"};

/* Where each string field lives in struct doc, in DOC_STR_* order. */
static const size_t str_offsets[DOC_STR_COUNT] = {
    offsetof(struct doc, id),
    offsetof(struct doc, title),
    offsetof(struct doc, source),
    offsetof(struct doc, authors),
    offsetof(struct doc, date),
    offsetof(struct doc, url),
    offsetof(struct doc, licence),
    offsetof(struct doc, specialty),
    offsetof(struct doc, semantic_group),
    offsetof(struct doc, question_type),
    offsetof(struct doc, pmid),
    offsetof(struct doc, doi),
    offsetof(struct doc, age_band),
    offsetof(struct doc, sex),
    offsetof(struct doc, asked),
    offsetof(struct doc, replied)};

char **doc_str_slot(struct doc *d, size_t i)
{
    assert(i < DOC_STR_COUNT);
    return (char **)((char *)d + str_offsets[i]);
}

const char *doc_str(const struct doc *d, size_t i)
{
    assert(i < DOC_STR_COUNT);
    return *(char *const *)((const char *)d + str_offsets[i]);
}

static const char *name_at(const char *const *names, size_t n, unsigned i)
{
    return i < n ? names[i] : "";
}

static int lookup(const char *const *names, size_t n, const char *s,
                  unsigned *out)
{
    unsigned i;

    if (!s)
        return GALEN_EPARSE;
    for (i = 0; i < n; i++) {
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return GALEN_OK;
        }
    }
    return GALEN_EPARSE;
}

const char *doc_kind_name(enum doc_kind k)
{
    return name_at(kind_names, DOC_KIND_COUNT, (unsigned)k);
}

const char *doc_audience_name(enum doc_audience a)
{
    return name_at(audience_names, DOC_AUDIENCE_COUNT, (unsigned)a);
}

const char *doc_status_name(enum doc_status s)
{
    return name_at(status_names, DOC_STATUS_COUNT, (unsigned)s);
}

const char *doc_evidence_name(enum doc_evidence e)
{
    return name_at(evidence_names, DOC_EVIDENCE_COUNT, (unsigned)e);
}

int doc_kind_parse(const char *s, enum doc_kind *out)
{
    unsigned i;
    int rc = lookup(kind_names, DOC_KIND_COUNT, s, &i);

    if (rc == GALEN_OK)
        *out = (enum doc_kind)i;
    return rc;
}

int doc_audience_parse(const char *s, enum doc_audience *out)
{
    unsigned i;
    int rc = lookup(audience_names, DOC_AUDIENCE_COUNT, s, &i);

    if (rc == GALEN_OK)
        *out = (enum doc_audience)i;
    return rc;
}

int doc_status_parse(const char *s, enum doc_status *out)
{
    unsigned i;
    int rc = lookup(status_names, DOC_STATUS_COUNT, s, &i);

    if (rc == GALEN_OK)
        *out = (enum doc_status)i;
    return rc;
}

int doc_evidence_parse(const char *s, enum doc_evidence *out)
{
    unsigned i;
    int rc;

    if (!s || !*s)
        return GALEN_EPARSE; /* "" names NONE only internally */
    rc = lookup(evidence_names, DOC_EVIDENCE_COUNT, s, &i);
    if (rc == GALEN_OK)
        *out = (enum doc_evidence)i;
    return rc;
}

/* ---- lifecycle --------------------------------------------------------- */

void doc_init(struct doc *d)
{
    memset(d, 0, sizeof *d);
    d->kind = DOC_KIND_ARTICLE;
    d->audience = DOC_AUDIENCE_BOTH;
    d->status = DOC_STATUS_SUBMITTED;
    d->has_answer = true;
}

void doc_strlist_cleanup(struct doc_strlist *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        galen_free(l->v[i]);
    galen_free(l->v);
    memset(l, 0, sizeof *l);
}

static void ref_cleanup(struct doc_ref *r)
{
    galen_free(r->kind);
    galen_free(r->title);
    galen_free(r->source);
    galen_free(r->authors);
    galen_free(r->pmid);
    galen_free(r->doi);
    galen_free(r->url);
}

static void table_cleanup(struct doc_table *t)
{
    size_t i;

    if (t->header) {
        for (i = 0; i < t->ncols; i++)
            galen_free(t->header[i]);
    }
    if (t->cells) {
        for (i = 0; i < t->ncols * t->nrows; i++)
            galen_free(t->cells[i]);
    }
    galen_free(t->header);
    galen_free(t->cells);
}

static void free_parts(struct doc *d)
{
    size_t i;

    for (i = 0; i < d->nsections; i++) {
        galen_free(d->sections[i].heading);
        galen_free(d->sections[i].text);
    }
    for (i = 0; i < d->nrefs; i++)
        ref_cleanup(&d->refs[i]);
    for (i = 0; i < d->ntables; i++)
        table_cleanup(&d->tables[i]);
    for (i = 0; i < d->nfaq; i++) {
        galen_free(d->faq[i].question);
        galen_free(d->faq[i].answer);
    }
    galen_free(d->sections);
    galen_free(d->refs);
    galen_free(d->tables);
    galen_free(d->faq);
}

void doc_cleanup(struct doc *d)
{
    size_t i;

    for (i = 0; i < DOC_STR_COUNT; i++)
        galen_free(*doc_str_slot(d, i));
    doc_strlist_cleanup(&d->focus);
    doc_strlist_cleanup(&d->synonyms);
    doc_strlist_cleanup(&d->cuis);
    doc_strlist_cleanup(&d->semantic_types);
    doc_strlist_cleanup(&d->pub_types);
    doc_strlist_cleanup(&d->meta);
    free_parts(d);
    doc_init(d);
}

struct doc *doc_new(void)
{
    struct doc *d = galen_malloc(sizeof *d);

    if (d)
        doc_init(d);
    return d;
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    doc_cleanup(d);
    galen_free(d);
}

/* ---- building ---------------------------------------------------------- */

int doc_set(char **field, const char *s, size_t len)
{
    char *copy = NULL;

    if (s) {
        if (len > DOC_TEXT_MAX)
            return GALEN_ETOOBIG;
        copy = galen_strndup(s, len);
        if (!copy)
            return GALEN_ENOMEM;
    }
    galen_free(*field);
    *field = copy;
    return GALEN_OK;
}

int doc_set_cstr(char **field, const char *s)
{
    return doc_set(field, s, s ? strlen(s) : 0);
}

/* Grows an array of elem-sized items so one more fits. */
static int grow(void **arr, size_t n, size_t *cap, size_t elem)
{
    size_t ncap;
    void *p;

    if (n < *cap)
        return GALEN_OK;
    if (n >= DOC_LIST_MAX)
        return GALEN_ETOOBIG;
    ncap = *cap ? *cap * 2 : 4;
    p = galen_realloc(*arr, ncap * elem);
    if (!p)
        return GALEN_ENOMEM;
    *arr = p;
    *cap = ncap;
    return GALEN_OK;
}

int doc_strlist_add(struct doc_strlist *l, const char *s, size_t len)
{
    char *copy;
    int rc;

    if (len > DOC_TEXT_MAX)
        return GALEN_ETOOBIG;
    rc = grow((void **)&l->v, l->n, &l->cap, sizeof *l->v);
    if (rc != GALEN_OK)
        return rc;
    copy = galen_strndup(s, len);
    if (!copy)
        return GALEN_ENOMEM;
    l->v[l->n++] = copy;
    return GALEN_OK;
}

const char *doc_meta_get(const struct doc *d, const char *key)
{
    size_t i;

    for (i = 0; i + 1 < d->meta.n; i += 2) {
        if (strcmp(d->meta.v[i], key) == 0)
            return d->meta.v[i + 1];
    }
    return NULL;
}

int doc_meta_set(struct doc *d, const char *key, const char *value)
{
    struct doc_strlist *l = &d->meta;
    size_t i;
    int rc;

    for (i = 0; i + 1 < l->n; i += 2) {
        if (strcmp(l->v[i], key) == 0)
            return doc_set_cstr(&l->v[i + 1], value ? value : "");
    }
    if (l->n + 2 > DOC_LIST_MAX)
        return GALEN_ETOOBIG;
    rc = doc_strlist_add(l, key, strlen(key));
    if (rc == GALEN_OK)
        rc = doc_strlist_add(l, value ? value : "", value ? strlen(value) : 0);
    if (rc != GALEN_OK && l->n % 2) {
        l->n--; /* keep the pairs whole */
        galen_free(l->v[l->n]);
    }
    return rc;
}

int doc_add_section(struct doc *d, const char *heading, const char *text,
                    size_t text_len)
{
    struct doc_section s = {NULL, NULL};
    int rc;

    if (text_len > DOC_TEXT_MAX)
        return GALEN_ETOOBIG;
    rc = grow((void **)&d->sections, d->nsections, &d->sections_cap,
              sizeof *d->sections);
    if (rc != GALEN_OK)
        return rc;
    s.heading = galen_strdup(heading ? heading : "");
    s.text = galen_strndup(text ? text : "", text ? text_len : 0);
    if (!s.heading || !s.text) {
        galen_free(s.heading);
        galen_free(s.text);
        return GALEN_ENOMEM;
    }
    d->sections[d->nsections++] = s;
    return GALEN_OK;
}

int doc_add_ref(struct doc *d, struct doc_ref **out)
{
    int rc = grow((void **)&d->refs, d->nrefs, &d->refs_cap, sizeof *d->refs);

    if (rc != GALEN_OK)
        return rc;
    memset(&d->refs[d->nrefs], 0, sizeof *d->refs);
    *out = &d->refs[d->nrefs++];
    return GALEN_OK;
}

int doc_add_faq(struct doc *d, struct doc_faq **out)
{
    int rc = grow((void **)&d->faq, d->nfaq, &d->faq_cap, sizeof *d->faq);

    if (rc != GALEN_OK)
        return rc;
    memset(&d->faq[d->nfaq], 0, sizeof *d->faq);
    *out = &d->faq[d->nfaq++];
    return GALEN_OK;
}

int doc_add_table(struct doc *d, struct doc_table **out)
{
    int rc = grow((void **)&d->tables, d->ntables, &d->tables_cap,
                  sizeof *d->tables);

    if (rc != GALEN_OK)
        return rc;
    memset(&d->tables[d->ntables], 0, sizeof *d->tables);
    *out = &d->tables[d->ntables++];
    return GALEN_OK;
}

/* ---- validation -------------------------------------------------------- */

static bool str_ok(const char *s)
{
    return !s || utf8_is_valid(s, strlen(s));
}

static bool list_ok(const struct doc_strlist *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        if (!str_ok(l->v[i]))
            return false;
    }
    return true;
}

static bool id_ok(const char *id)
{
    size_t i, n;

    if (!id)
        return false;
    n = strlen(id);
    if (n == 0 || n > DOC_ID_MAX)
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];

        if (c <= 0x20 || c == 0x7f)
            return false;
    }
    return utf8_is_valid(id, n);
}

static bool strings_ok(const struct doc *d)
{
    size_t i;

    /* The id has its own, stricter check (id_ok). */
    for (i = DOC_STR_ID + 1; i < DOC_STR_COUNT; i++) {
        if (!str_ok(doc_str(d, i)))
            return false;
    }
    return list_ok(&d->focus) && list_ok(&d->synonyms) && list_ok(&d->cuis) &&
           list_ok(&d->semantic_types) && list_ok(&d->pub_types) &&
           list_ok(&d->meta) && d->meta.n % 2 == 0;
}

static bool parts_ok(const struct doc *d)
{
    size_t i, j;

    for (i = 0; i < d->nsections; i++) {
        if (!str_ok(d->sections[i].heading) || !str_ok(d->sections[i].text))
            return false;
    }
    for (i = 0; i < d->nrefs; i++) {
        const struct doc_ref *r = &d->refs[i];

        if (!str_ok(r->kind) || !str_ok(r->title) || !str_ok(r->source) ||
            !str_ok(r->authors) || !str_ok(r->pmid) || !str_ok(r->doi) ||
            !str_ok(r->url))
            return false;
    }
    for (i = 0; i < d->nfaq; i++) {
        if (!str_ok(d->faq[i].question) || !str_ok(d->faq[i].answer))
            return false;
    }
    for (i = 0; i < d->ntables; i++) {
        const struct doc_table *t = &d->tables[i];

        for (j = 0; j < t->ncols; j++) {
            if (!str_ok(t->header[j]))
                return false;
        }
        for (j = 0; j < t->ncols * t->nrows; j++) {
            if (!str_ok(t->cells[j]))
                return false;
        }
    }
    return true;
}

static int fail(char *msg, size_t cap, const char *what)
{
    if (msg && cap)
        snprintf(msg, cap, "%s", what);
    return GALEN_EPARSE;
}

int doc_validate(const struct doc *d, char *msg, size_t msg_cap)
{
    if (!id_ok(d->id))
        return fail(msg, msg_cap,
                    "bad document id (1-255 bytes, no spaces or controls)");
    if (!d->title || !*d->title)
        return fail(msg, msg_cap, "document has no title");
    if (!strings_ok(d) || !parts_ok(d))
        return fail(msg, msg_cap, "invalid UTF-8 in document text");
    return GALEN_OK;
}

/* ---- content hash ------------------------------------------------------ */

/* Each field is fed as a tag byte, a 64-bit length and the bytes, so that
 * no two different documents feed the same byte sequence. NULL and ""
 * differ (length UINT64_MAX marks NULL). */
static void hash_str(crypto_generichash_state *h, unsigned char tag,
                     const char *s)
{
    uint64_t len = s ? strlen(s) : UINT64_MAX;
    unsigned char hdr[9];
    int i;

    hdr[0] = tag;
    for (i = 0; i < 8; i++)
        hdr[1 + i] = (unsigned char)(len >> (8 * i));
    crypto_generichash_update(h, hdr, sizeof hdr);
    if (s)
        crypto_generichash_update(h, (const unsigned char *)s, strlen(s));
}

static void hash_num(crypto_generichash_state *h, unsigned char tag, uint64_t v)
{
    unsigned char b[9];
    int i;

    b[0] = tag;
    for (i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(h, b, sizeof b);
}

static void hash_list(crypto_generichash_state *h, unsigned char tag,
                      const struct doc_strlist *l)
{
    size_t i;

    hash_num(h, tag, l->n);
    for (i = 0; i < l->n; i++)
        hash_str(h, tag, l->v[i]);
}

static void hash_scalars(crypto_generichash_state *h, const struct doc *d)
{
    size_t i;

    for (i = 0; i < DOC_STR_COUNT; i++)
        hash_str(h, (unsigned char)('a' + i), doc_str(d, i));
    hash_num(h, 'K', (uint64_t)d->kind);
    hash_num(h, 'A', (uint64_t)d->audience);
    hash_num(h, 'E', (uint64_t)d->evidence);
    hash_num(h, 'H', d->has_answer);
    hash_list(h, 'F', &d->focus);
    hash_list(h, 'S', &d->synonyms);
    hash_list(h, 'C', &d->cuis);
    hash_list(h, 'T', &d->semantic_types);
    hash_list(h, 'P', &d->pub_types);
    /* Only when present, so documents without metadata keep the hash they
     * had before the field existed. */
    if (d->meta.n)
        hash_list(h, 'M', &d->meta);
}

static void hash_parts(crypto_generichash_state *h, const struct doc *d)
{
    size_t i, j;

    hash_num(h, '1', d->nsections);
    for (i = 0; i < d->nsections; i++) {
        hash_str(h, 'h', d->sections[i].heading);
        hash_str(h, 't', d->sections[i].text);
    }
    hash_num(h, '2', d->nrefs);
    for (i = 0; i < d->nrefs; i++) {
        const struct doc_ref *r = &d->refs[i];

        hash_str(h, 'k', r->kind);
        hash_str(h, 't', r->title);
        hash_str(h, 's', r->source);
        hash_str(h, 'a', r->authors);
        hash_num(h, 'y', (uint64_t)(int64_t)r->year);
        hash_str(h, 'p', r->pmid);
        hash_str(h, 'd', r->doi);
        hash_str(h, 'u', r->url);
    }
    hash_num(h, '3', d->ntables);
    for (i = 0; i < d->ntables; i++) {
        const struct doc_table *t = &d->tables[i];

        hash_num(h, 'c', t->ncols);
        hash_num(h, 'r', t->nrows);
        hash_num(h, 'x', t->section);
        for (j = 0; j < t->ncols; j++)
            hash_str(h, 'h', t->header[j]);
        for (j = 0; j < t->ncols * t->nrows; j++)
            hash_str(h, 'v', t->cells[j]);
    }
    hash_num(h, '4', d->nfaq);
    for (i = 0; i < d->nfaq; i++) {
        hash_str(h, 'q', d->faq[i].question);
        hash_str(h, 'a', d->faq[i].answer);
    }
}

void doc_hash(const struct doc *d, char out[DOC_HASH_HEX])
{
    crypto_generichash_state h;
    unsigned char md[DOC_HASH_LEN];

    crypto_generichash_init(&h, NULL, 0, sizeof md);
    hash_str(&h, 'V', "galen-doc-1"); /* bump if the feed order changes */
    hash_scalars(&h, d);
    hash_parts(&h, d);
    crypto_generichash_final(&h, md, sizeof md);
    sodium_bin2hex(out, DOC_HASH_HEX, md, sizeof md);
}

/* ---- JSON snapshot ----------------------------------------------------- */

static void json_key(int *rc, struct buf *b, const char *key, bool *first)
{
    if (!*first)
        buf_put_byte(rc, b, ',');
    *first = false;
    json_put_str(rc, b, key);
    buf_put_byte(rc, b, ':');
}

static void json_kv(int *rc, struct buf *b, const char *key, const char *v,
                    bool *first)
{
    if (!v)
        return;
    json_key(rc, b, key, first);
    json_put_str(rc, b, v);
}

static void json_list(int *rc, struct buf *b, const char *key,
                      const struct doc_strlist *l, bool *first)
{
    size_t i;

    json_key(rc, b, key, first);
    buf_put_byte(rc, b, '[');
    for (i = 0; i < l->n; i++) {
        if (i)
            buf_put_byte(rc, b, ',');
        json_put_str(rc, b, l->v[i]);
    }
    buf_put_byte(rc, b, ']');
}

/* "meta":{"key":"value",...} */
static void json_meta(int *rc, struct buf *b, const struct doc *d, bool *first)
{
    size_t i;

    json_key(rc, b, "meta", first);
    buf_put_byte(rc, b, '{');
    for (i = 0; i + 1 < d->meta.n; i += 2) {
        if (i)
            buf_put_byte(rc, b, ',');
        json_put_str(rc, b, d->meta.v[i]);
        buf_put_byte(rc, b, ':');
        json_put_str(rc, b, d->meta.v[i + 1]);
    }
    buf_put_byte(rc, b, '}');
}

static void json_strarr(int *rc, struct buf *b, char *const *v, size_t n)
{
    size_t i;

    buf_put_byte(rc, b, '[');
    for (i = 0; i < n; i++) {
        if (i)
            buf_put_byte(rc, b, ',');
        json_put_str(rc, b, v[i]);
    }
    buf_put_byte(rc, b, ']');
}

static void json_scalars(int *rc, struct buf *b, const struct doc *d,
                         bool *first)
{
    json_kv(rc, b, "id", d->id, first);
    json_kv(rc, b, "kind", doc_kind_name(d->kind), first);
    json_kv(rc, b, "title", d->title, first);
    json_kv(rc, b, "source", d->source, first);
    json_kv(rc, b, "authors", d->authors, first);
    json_kv(rc, b, "date", d->date, first);
    json_kv(rc, b, "url", d->url, first);
    json_kv(rc, b, "licence", d->licence, first);
    json_kv(rc, b, "audience", doc_audience_name(d->audience), first);
    json_kv(rc, b, "specialty", d->specialty, first);
    if (d->evidence != DOC_EVIDENCE_NONE)
        json_kv(rc, b, "evidence", doc_evidence_name(d->evidence), first);
    json_kv(rc, b, "semantic_group", d->semantic_group, first);
    json_kv(rc, b, "question_type", d->question_type, first);
    json_key(rc, b, "has_answer", first);
    buf_put_str(rc, b, d->has_answer ? "true" : "false");
    json_kv(rc, b, "pmid", d->pmid, first);
    json_kv(rc, b, "doi", d->doi, first);
    json_kv(rc, b, "age_band", d->age_band, first);
    json_kv(rc, b, "sex", d->sex, first);
    json_kv(rc, b, "asked", d->asked, first);
    json_kv(rc, b, "replied", d->replied, first);
    json_kv(rc, b, "status", doc_status_name(d->status), first);
    json_list(rc, b, "focus", &d->focus, first);
    json_list(rc, b, "synonyms", &d->synonyms, first);
    json_list(rc, b, "cuis", &d->cuis, first);
    json_list(rc, b, "semantic_types", &d->semantic_types, first);
    json_list(rc, b, "pub_types", &d->pub_types, first);
    if (d->meta.n)
        json_meta(rc, b, d, first);
}

static void json_sections(int *rc, struct buf *b, const struct doc *d)
{
    size_t i;

    buf_put_str(rc, b, ",\"sections\":[");
    for (i = 0; i < d->nsections; i++) {
        bool first = true;

        buf_put_str(rc, b, i ? ",{" : "{");
        json_kv(rc, b, "heading", d->sections[i].heading, &first);
        json_kv(rc, b, "text", d->sections[i].text, &first);
        buf_put_byte(rc, b, '}');
    }
    buf_put_byte(rc, b, ']');
}

void doc_json_ref(int *rc, struct buf *b, const struct doc_ref *r)
{
    bool first = true;

    buf_put_byte(rc, b, '{');
    json_kv(rc, b, "kind", r->kind, &first);
    json_kv(rc, b, "title", r->title, &first);
    json_kv(rc, b, "source", r->source, &first);
    json_kv(rc, b, "authors", r->authors, &first);
    if (r->year) {
        json_key(rc, b, "year", &first);
        buf_printf(rc, b, "%d", r->year);
    }
    json_kv(rc, b, "pmid", r->pmid, &first);
    json_kv(rc, b, "doi", r->doi, &first);
    json_kv(rc, b, "url", r->url, &first);
    buf_put_byte(rc, b, '}');
}

void doc_json_list(int *rc, struct buf *b, const struct doc_strlist *l)
{
    json_strarr(rc, b, l->v, l->n);
}

void doc_json_tables(int *rc, struct buf *b, const struct doc *d)
{
    size_t i, r;

    buf_put_byte(rc, b, '[');
    for (i = 0; i < d->ntables; i++) {
        const struct doc_table *t = &d->tables[i];

        buf_printf(rc, b, "%s{\"section\":%zu,\"header\":", i ? "," : "",
                   t->section);
        json_strarr(rc, b, t->header, t->ncols);
        buf_put_str(rc, b, ",\"rows\":[");
        for (r = 0; r < t->nrows; r++) {
            if (r)
                buf_put_byte(rc, b, ',');
            json_strarr(rc, b, t->cells + r * t->ncols, t->ncols);
        }
        buf_put_str(rc, b, "]}");
    }
    buf_put_byte(rc, b, ']');
}

void doc_json_faq(int *rc, struct buf *b, const struct doc *d)
{
    size_t i;

    buf_put_byte(rc, b, '[');
    for (i = 0; i < d->nfaq; i++) {
        bool first = true;

        buf_put_str(rc, b, i ? ",{" : "{");
        json_kv(rc, b, "question", d->faq[i].question, &first);
        json_kv(rc, b, "answer", d->faq[i].answer, &first);
        buf_put_byte(rc, b, '}');
    }
    buf_put_byte(rc, b, ']');
}

void doc_json_refs(int *rc, struct buf *b, const struct doc *d)
{
    size_t i;

    buf_put_byte(rc, b, '[');
    for (i = 0; i < d->nrefs; i++) {
        if (i)
            buf_put_byte(rc, b, ',');
        doc_json_ref(rc, b, &d->refs[i]);
    }
    buf_put_byte(rc, b, ']');
}

void doc_json_parts(int *rc, struct buf *b, const struct doc *d)
{
    buf_put_str(rc, b, ",\"references\":");
    doc_json_refs(rc, b, d);
    buf_put_str(rc, b, ",\"tables\":");
    doc_json_tables(rc, b, d);
    buf_put_str(rc, b, ",\"faq\":");
    doc_json_faq(rc, b, d);
}

int doc_to_json(const struct doc *d, char **out)
{
    struct buf b;
    int rc = GALEN_OK;
    bool first = true;

    buf_init(&b, (size_t)1 << 30);
    buf_put_byte(&rc, &b, '{');
    json_scalars(&rc, &b, d, &first);
    json_sections(&rc, &b, d);
    doc_json_parts(&rc, &b, d);
    buf_put_byte(&rc, &b, '}');
    buf_put_nul(&rc, &b);
    if (rc != GALEN_OK) {
        buf_cleanup(&b);
        return rc;
    }
    *out = (char *)buf_take(&b, NULL);
    return GALEN_OK;
}
