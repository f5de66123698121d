/* SPDX-License-Identifier: MIT */
/* medlineplus.c: MedlinePlus health-topics XML to documents. The topic's
 * attributes are read when it opens, its children fill the doc as they
 * end, and the topic's end hands the doc to the sink and clears it, so
 * memory holds one topic at a time whatever the file's size. Lists that
 * the content model has no field for (groups, related topics) are joined
 * with "; " into one metadata value. */
#include "medlineplus.h"

#include <errno.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/mem.h"
#include "htmltext.h"
#include "xml.h"

enum {
    S_ROOT = 1,
    S_TOPIC,
    S_ALSO,
    S_SEE,
    S_SUMMARY,
    S_GROUP,
    S_MAPPED,
    S_MESH,
    S_DESCRIPTOR,
    S_RELATED,
    S_INSTITUTE
};

static const struct xml_rule rules[] = {
    {0, "health-topics", S_ROOT, false},
    {S_ROOT, "health-topic", S_TOPIC, false},
    {S_TOPIC, "also-called", S_ALSO, true},
    {S_TOPIC, "see-reference", S_SEE, true},
    {S_TOPIC, "full-summary", S_SUMMARY, true},
    {S_TOPIC, "group", S_GROUP, true},
    {S_TOPIC, "language-mapped-topic", S_MAPPED, false},
    {S_TOPIC, "mesh-heading", S_MESH, false},
    {S_MESH, "descriptor", S_DESCRIPTOR, true},
    {S_TOPIC, "related-topic", S_RELATED, true},
    {S_TOPIC, "primary-institute", S_INSTITUTE, true},
};

enum { LIST_GROUPS, LIST_RELATED, LIST_MESH_IDS, LIST_COUNT };

static const char *const list_keys[LIST_COUNT] = {"groups", "related",
                                                  "mesh_ids"};

struct mplus {
    const struct import_sink *sink;
    struct diag *diag;
    xmlTextReaderPtr r;
    struct doc d;
    char *topic_id;  /* id attribute */
    char *language;  /* language attribute */
    char *created;   /* date-created, MM/DD/YYYY */
    char *desc;      /* meta-desc */
    char *mapped;    /* URL of the same topic in the other language */
    char *mesh_id;   /* id of the descriptor being read */
    char *institute; /* primary institute */
    struct buf lists[LIST_COUNT];
    long topic_line;
    bool seen_root;
};

static int oom(struct mplus *m)
{
    return diag_setf(m->diag, GALEN_ENOMEM, xml_line(m->r), "out of memory");
}

static void list_add(int *rc, struct buf *b, const char *s, size_t len)
{
    if (len == 0)
        return;
    if (b->len)
        buf_put_str(rc, b, "; ");
    buf_put(rc, b, s, len);
}

static void topic_reset(struct mplus *m)
{
    char **fields[] = {&m->topic_id, &m->language, &m->created,  &m->desc,
                       &m->mapped,   &m->mesh_id,  &m->institute};
    size_t i;

    doc_cleanup(&m->d);
    m->d.kind = DOC_KIND_CONSUMER;
    m->d.audience = DOC_AUDIENCE_PATIENT;
    m->d.evidence = DOC_EVIDENCE_CONSUMER;
    for (i = 0; i < ARRAY_SIZE(fields); i++) {
        galen_free(*fields[i]);
        *fields[i] = NULL;
    }
    for (i = 0; i < LIST_COUNT; i++)
        buf_reset(&m->lists[i]);
}

static int start_topic(struct mplus *m)
{
    int rc;

    topic_reset(m);
    m->topic_line = xml_node_line(m->r);
    rc = xml_attr(m->r, "title", &m->d.title);
    if (rc == GALEN_OK)
        rc = xml_attr(m->r, "url", &m->d.url);
    if (rc == GALEN_OK)
        rc = xml_attr(m->r, "id", &m->topic_id);
    if (rc == GALEN_OK)
        rc = xml_attr(m->r, "language", &m->language);
    if (rc == GALEN_OK)
        rc = xml_attr(m->r, "date-created", &m->created);
    if (rc == GALEN_OK)
        rc = xml_attr(m->r, "meta-desc", &m->desc);
    return rc == GALEN_OK ? GALEN_OK : oom(m);
}

static int start(void *ctx, int state, xmlTextReaderPtr r)
{
    struct mplus *m = ctx;
    int rc = GALEN_OK;

    UNUSED(r);
    if (state == S_ROOT)
        m->seen_root = true;
    else if (state == S_TOPIC)
        return start_topic(m);
    else if (state == S_MAPPED)
        rc = xml_attr(m->r, "url", &m->mapped);
    else if (state == S_DESCRIPTOR)
        rc = xml_attr(m->r, "id", &m->mesh_id);
    return rc == GALEN_OK ? GALEN_OK : oom(m);
}

/* "MM/DD/YYYY" (MedlinePlus's form) as "YYYY-MM-DD" into out[11]; false
 * when s is not in that form. */
static bool us_date(const char *s, char out[11])
{
    static const int digit_at[] = {0, 1, 3, 4, 6, 7, 8, 9};
    size_t i;

    if (!s || strlen(s) != 10 || s[2] != '/' || s[5] != '/')
        return false;
    for (i = 0; i < ARRAY_SIZE(digit_at); i++) {
        if (s[digit_at[i]] < '0' || s[digit_at[i]] > '9')
            return false;
    }
    memcpy(out, s + 6, 4);
    out[4] = '-';
    memcpy(out + 5, s, 2);
    out[7] = '-';
    memcpy(out + 8, s + 3, 2);
    out[10] = '\0';
    return out[5] <= '1' && out[8] <= '3';
}

static int set_meta(struct mplus *m, const char *key, const char *value)
{
    if (!value || !*value)
        return GALEN_OK;
    return doc_meta_set(&m->d, key, value);
}

/* Fills what the topic's children left for its end: id, source, licence,
 * date and the metadata. */
static int finish_topic(struct mplus *m)
{
    char id[DOC_ID_MAX + 1], date[11];
    int rc = GALEN_OK;
    size_t i;
    int n;

    n = snprintf(id, sizeof id, "medlineplus-%s", m->topic_id);
    if (n < 0 || (size_t)n >= sizeof id)
        return diag_setf(m->diag, GALEN_EPARSE, m->topic_line,
                         "topic id too long");
    rc = doc_set_cstr(&m->d.id, id);
    if (rc == GALEN_OK)
        rc = doc_set_cstr(&m->d.source, "MedlinePlus");
    if (rc == GALEN_OK)
        rc = doc_set_cstr(&m->d.licence, "Public domain (MedlinePlus, U.S. "
                                         "National Library of Medicine)");
    if (rc == GALEN_OK && us_date(m->created, date))
        rc = doc_set_cstr(&m->d.date, date);
    if (rc == GALEN_OK)
        rc = set_meta(m, "language", m->language);
    if (rc == GALEN_OK)
        rc = set_meta(m, "description", m->desc);
    if (rc == GALEN_OK)
        rc = set_meta(m, "translation", m->mapped);
    if (rc == GALEN_OK)
        rc = set_meta(m, "institute", m->institute);
    for (i = 0; rc == GALEN_OK && i < LIST_COUNT; i++) {
        buf_put_nul(&rc, &m->lists[i]);
        if (rc == GALEN_OK)
            rc = set_meta(m, list_keys[i], (const char *)m->lists[i].data);
    }
    return rc;
}

static int end_topic(struct mplus *m)
{
    int rc;

    if (!m->d.title || !*m->d.title || !m->topic_id || !*m->topic_id ||
        !m->d.url || !*m->d.url)
        return diag_setf(m->diag, GALEN_EPARSE, m->topic_line,
                         "health-topic needs title, id and url attributes");
    if (m->d.nsections == 0)
        return diag_setf(m->diag, GALEN_EPARSE, m->topic_line,
                         "health-topic %s has no full-summary", m->topic_id);
    rc = finish_topic(m);
    if (rc == GALEN_ETOOBIG)
        return diag_setf(m->diag, GALEN_EPARSE, m->topic_line,
                         "health-topic %s: too much metadata", m->topic_id);
    if (rc != GALEN_OK)
        return oom(m);
    rc = m->sink->doc(m->sink->ctx, &m->d, m->topic_line);
    topic_reset(m);
    return rc;
}

static int add_item(struct mplus *m, struct doc_strlist *l, const char *t,
                    size_t len)
{
    if (len == 0)
        return GALEN_OK;
    if (doc_strlist_add(l, t, len) != GALEN_OK)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "too many list items");
    return GALEN_OK;
}

static int add_to(struct mplus *m, int list, const char *t, size_t len)
{
    int rc = GALEN_OK;

    list_add(&rc, &m->lists[list], t, len);
    if (rc == GALEN_ETOOBIG)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "too many list items");
    return rc == GALEN_OK ? GALEN_OK : oom(m);
}

static int end_summary(struct mplus *m, const char *t, size_t len)
{
    int rc;

    if (m->d.nsections)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "health-topic has two full-summary elements");
    rc = html_to_sections(t, len, &m->d);
    if (rc == GALEN_ETOOBIG)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "full-summary too long");
    return rc == GALEN_OK ? GALEN_OK : oom(m);
}

static int end(void *ctx, int state, char *text, size_t len)
{
    struct mplus *m = ctx;

    switch (state) {
    case S_TOPIC:
        return end_topic(m);
    case S_ALSO:
    case S_SEE:
        return add_item(m, &m->d.synonyms, text, len);
    case S_SUMMARY:
        return end_summary(m, text, len);
    case S_GROUP:
        return add_to(m, LIST_GROUPS, text, len);
    case S_RELATED:
        return add_to(m, LIST_RELATED, text, len);
    case S_DESCRIPTOR:
        if (m->mesh_id && add_to(m, LIST_MESH_IDS, m->mesh_id,
                                 strlen(m->mesh_id)) != GALEN_OK)
            return GALEN_EPARSE;
        return add_item(m, &m->d.focus, text, len);
    case S_INSTITUTE:
        return doc_set(&m->institute, text, len) == GALEN_OK ? GALEN_OK
                                                             : oom(m);
    default:
        return GALEN_OK;
    }
}

static void mplus_init(struct mplus *m, const struct import_sink *sink,
                       struct diag *diag)
{
    size_t i;

    memset(m, 0, sizeof *m);
    m->sink = sink;
    m->diag = diag;
    doc_init(&m->d);
    for (i = 0; i < LIST_COUNT; i++)
        buf_init(&m->lists[i], DOC_TEXT_MAX);
}

static void mplus_cleanup(struct mplus *m)
{
    size_t i;

    topic_reset(m);
    doc_cleanup(&m->d);
    for (i = 0; i < LIST_COUNT; i++)
        buf_cleanup(&m->lists[i]);
}

static int run(struct mplus *m, xmlTextReaderPtr r)
{
    struct xml_walker w = {
        rules, ARRAY_SIZE(rules), XML_WS_COLLAPSE, start, end, m, m->diag};
    int rc;

    m->r = r;
    rc = xml_walk(r, &w);
    if (rc == GALEN_OK && !m->seen_root)
        rc = diag_setf(m->diag, GALEN_EPARSE, xml_line(r),
                       "not a MedlinePlus health-topics file (no "
                       "<health-topics> root)");
    return rc;
}

int import_medlineplus_memory(const char *data, size_t len, const char *name,
                              const struct import_sink *sink, struct diag *diag)
{
    xmlTextReaderPtr r = xml_reader_memory(data, len, name ? name : "");
    struct mplus m;
    int rc;

    if (!r)
        return diag_setf(diag, GALEN_ENOMEM, 0, "out of memory");
    mplus_init(&m, sink, diag);
    rc = run(&m, r);
    mplus_cleanup(&m);
    xml_reader_close(r, NULL);
    return rc;
}

int import_medlineplus_file(const char *path, const struct import_sink *sink,
                            struct diag *diag)
{
    void *gz = NULL;
    xmlTextReaderPtr r = xml_reader_file(path, &gz);
    struct mplus m;
    int rc;

    if (!r)
        return diag_setf(diag, GALEN_EIO, 0, "cannot open: %s",
                         strerror(errno ? errno : EIO));
    mplus_init(&m, sink, diag);
    rc = run(&m, r);
    if (sink->progress)
        sink->progress(sink->ctx, xml_reader_offset(gz));
    mplus_cleanup(&m);
    xml_reader_close(r, gz);
    return rc;
}
