/* SPDX-License-Identifier: MIT */
/* import_medquad.c: MedQuAD XML to documents. The document-level fields
 * (focus, CUIs, semantic types and group, synonyms, URL) come before the
 * QA pairs in every file, so they are collected once into a template doc;
 * each pair then sets its own id, title, question type and answer on that
 * doc, hands it to the sink and clears them again. */
#include "medquad.h"

#include <errno.h>
#include <string.h>

#include <galen/error.h>

#include "base/mem.h"
#include "xml.h"

enum {
    S_DOC = 1,
    S_FOCUS,
    S_ANNOT,
    S_UMLS,
    S_CUIS,
    S_CUI,
    S_STYPES,
    S_STYPE,
    S_SGROUP,
    S_SYNS,
    S_SYN,
    S_PAIRS,
    S_PAIR,
    S_QUESTION,
    S_ANSWER
};

/* Upper-case <Document>, its CDC twin <DiseaseFile>, and the lowercase
 * NINDS <doc>; CUIs and types sit under <FocusAnnotations><UMLS> in most
 * files and under a bare <UMLS> or <umls> in the rest. */
static const struct xml_rule rules[] = {
    {0, "Document", S_DOC, false},
    {0, "DiseaseFile", S_DOC, false},
    {0, "doc", S_DOC, false},
    {S_DOC, "Focus", S_FOCUS, true},
    {S_DOC, "doctitle-focus", S_FOCUS, true},
    {S_DOC, "FocusAnnotations", S_ANNOT, false},
    {S_DOC, "UMLS", S_UMLS, false},
    {S_DOC, "umls", S_UMLS, false},
    {S_ANNOT, "UMLS", S_UMLS, false},
    {S_ANNOT, "Synonyms", S_SYNS, false},
    {S_DOC, "Synonyms", S_SYNS, false},
    {S_SYNS, "Synonym", S_SYN, true},
    {S_UMLS, "CUIs", S_CUIS, false},
    {S_CUIS, "CUI", S_CUI, true},
    {S_UMLS, "CUI", S_CUI, true},
    {S_UMLS, "cui", S_CUI, true},
    {S_UMLS, "SemanticTypes", S_STYPES, false},
    {S_STYPES, "SemanticType", S_STYPE, true},
    {S_UMLS, "SemanticType", S_STYPE, true},
    {S_UMLS, "semanticType", S_STYPE, true},
    {S_UMLS, "SemanticGroup", S_SGROUP, true},
    {S_UMLS, "semanticGroup", S_SGROUP, true},
    {S_DOC, "QAPairs", S_PAIRS, false},
    {S_DOC, "qaPairs", S_PAIRS, false},
    {S_PAIRS, "QAPair", S_PAIR, false},
    {S_PAIRS, "pair", S_PAIR, false},
    {S_PAIR, "Question", S_QUESTION, true},
    {S_PAIR, "question", S_QUESTION, true},
    {S_PAIR, "Answer", S_ANSWER, true},
    {S_PAIR, "answer", S_ANSWER, true},
};

/* Display names of MedQuAD's source attributes. */
static const struct {
    const char *attr;
    const char *name;
} sources[] = {
    {"CancerGov", "National Cancer Institute (cancer.gov)"},
    {"GARD", "Genetic and Rare Diseases Information Center (GARD)"},
    {"GHR", "Genetics Home Reference (NLM)"},
    {"MPlusHealthTopics", "MedlinePlus Health Topics"},
    {"NIDDK", "National Institute of Diabetes and Digestive and Kidney "
              "Diseases (NIDDK)"},
    {"NINDS", "National Institute of Neurological Disorders and Stroke "
              "(NINDS)"},
    {"NIHSeniorHealth", "NIHSeniorHealth"},
    {"NHLBI", "National Heart, Lung, and Blood Institute (NHLBI)"},
    {"CDC", "Centers for Disease Control and Prevention (CDC)"},
    {"ADAM", "MedlinePlus A.D.A.M. Medical Encyclopedia"},
    {"MPlusDrugs", "MedlinePlus Drug Information"},
    {"MPlusHerbsSupplements", "MedlinePlus Herbs and Supplements"},
};

struct medquad {
    const struct import_sink *sink;
    struct diag *diag;
    xmlTextReaderPtr r;
    const char *name; /* file base name without .xml, for ids */
    struct doc d;     /* the template, plus the current pair */
    char *src;        /* source attribute, for ids */
    char *docid;      /* document id, possibly disambiguated */
    char *pid;        /* current pair */
    char *qtype;
    char *question;
    char *answer;
    int npairs;
};

static int oom(struct medquad *m)
{
    return diag_setf(m->diag, GALEN_ENOMEM, xml_line(m->r), "out of memory");
}

static const char *source_name(const char *attr)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(sources); i++) {
        if (strcmp(sources[i].attr, attr) == 0)
            return sources[i].name;
    }
    return attr;
}

/* MedQuAD reuses an id across some CancerGov files; their base names
 * extend it ("0000013_2_1" for id "0000013_2"), so prefer such a name. */
static int choose_docid(struct medquad *m)
{
    size_t n = m->docid ? strlen(m->docid) : 0;

    if (m->name && (!m->docid || !*m->docid))
        return doc_set_cstr(&m->docid, m->name);
    if (m->name && n && strncmp(m->name, m->docid, n) == 0 && m->name[n] == '_')
        return doc_set_cstr(&m->docid, m->name);
    return GALEN_OK;
}

static int start_doc(struct medquad *m)
{
    int rc = xml_attr(m->r, "id", &m->docid);

    if (rc == GALEN_OK && !m->docid)
        rc = xml_attr(m->r, "docid", &m->docid);
    if (rc == GALEN_OK && !m->docid)
        rc = xml_attr(m->r, "fid", &m->docid);
    if (rc == GALEN_OK)
        rc = xml_attr(m->r, "source", &m->src);
    if (rc == GALEN_OK && !m->src)
        rc = xml_attr(m->r, "corpus", &m->src);
    if (rc == GALEN_OK)
        rc = xml_attr(m->r, "url", &m->d.url);
    if (rc == GALEN_OK)
        rc = choose_docid(m);
    if (rc != GALEN_OK)
        return oom(m);
    if (!m->src || !*m->src || !m->docid || !*m->docid)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "document has no source or id attribute");
    if (doc_set_cstr(&m->d.source, source_name(m->src)) != GALEN_OK)
        return oom(m);
    return GALEN_OK;
}

static int start(void *ctx, int state, xmlTextReaderPtr r)
{
    struct medquad *m = ctx;
    int rc = GALEN_OK;

    UNUSED(r);
    if (state == S_DOC)
        return start_doc(m);
    if (state == S_PAIR) {
        rc = xml_attr(m->r, "pid", &m->pid);
        galen_free(m->question);
        galen_free(m->answer);
        galen_free(m->qtype);
        m->question = m->answer = m->qtype = NULL;
    } else if (state == S_QUESTION) {
        rc = xml_attr(m->r, "qtype", &m->qtype);
    }
    return rc == GALEN_OK ? GALEN_OK : oom(m);
}

/* Sets the per-pair fields on the template, hands it over, clears them. */
static int emit_pair(struct medquad *m)
{
    char id[DOC_ID_MAX + 64];
    struct doc *d = &m->d;
    int rc;
    int n;

    if (!m->pid || !*m->pid)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "QA pair without a pid");
    if (!m->question || !*m->question)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "QA pair %s has no question", m->pid);
    n = snprintf(id, sizeof id, "%s_%s_Sec%s", m->src, m->docid, m->pid);
    if (n < 0 || (size_t)n > DOC_ID_MAX)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "document id too long");
    d->has_answer = m->answer && *m->answer;
    rc = doc_set_cstr(&d->id, id);
    if (rc == GALEN_OK)
        rc = doc_set_cstr(&d->title, m->question);
    if (rc == GALEN_OK)
        rc = doc_set_cstr(&d->question_type, m->qtype);
    if (rc == GALEN_OK && d->has_answer)
        rc = doc_add_section(d, "", m->answer, strlen(m->answer));
    if (rc != GALEN_OK)
        return oom(m);
    m->npairs++;
    rc = m->sink->doc(m->sink->ctx, d, xml_line(m->r));
    while (d->nsections > 0) {
        d->nsections--;
        galen_free(d->sections[d->nsections].heading);
        galen_free(d->sections[d->nsections].text);
    }
    return rc;
}

static int add_item(struct medquad *m, struct doc_strlist *l, const char *t,
                    size_t len)
{
    if (len == 0)
        return GALEN_OK; /* <cui></cui> in the variant schemas */
    if (doc_strlist_add(l, t, len) != GALEN_OK)
        return diag_setf(m->diag, GALEN_EPARSE, xml_line(m->r),
                         "too many list items");
    return GALEN_OK;
}

static int set_text(struct medquad *m, char **field, const char *t, size_t len)
{
    if (doc_set(field, t, len) != GALEN_OK)
        return oom(m);
    return GALEN_OK;
}

static int end(void *ctx, int state, char *text, size_t len)
{
    struct medquad *m = ctx;

    switch (state) {
    case S_FOCUS:
        return add_item(m, &m->d.focus, text, len);
    case S_CUI:
        return add_item(m, &m->d.cuis, text, len);
    case S_STYPE:
        return add_item(m, &m->d.semantic_types, text, len);
    case S_SYN:
        return add_item(m, &m->d.synonyms, text, len);
    case S_SGROUP:
        if (len == 0 || m->d.semantic_group)
            return GALEN_OK;
        return set_text(m, &m->d.semantic_group, text, len);
    case S_QUESTION:
        return set_text(m, &m->question, text, len);
    case S_ANSWER:
        return set_text(m, &m->answer, text, len);
    case S_PAIR:
        return emit_pair(m);
    default:
        return GALEN_OK;
    }
}

static void medquad_init(struct medquad *m, const char *name,
                         const struct import_sink *sink, struct diag *diag)
{
    memset(m, 0, sizeof *m);
    m->sink = sink;
    m->diag = diag;
    m->name = name;
    doc_init(&m->d);
    m->d.kind = DOC_KIND_QA;
    m->d.audience = DOC_AUDIENCE_PATIENT;
    m->d.evidence = DOC_EVIDENCE_CONSUMER;
}

static void medquad_cleanup(struct medquad *m)
{
    doc_cleanup(&m->d);
    galen_free(m->src);
    galen_free(m->docid);
    galen_free(m->pid);
    galen_free(m->qtype);
    galen_free(m->question);
    galen_free(m->answer);
}

static int run(struct medquad *m, xmlTextReaderPtr r)
{
    struct xml_walker w = {
        rules, ARRAY_SIZE(rules), XML_WS_LINES, start, end, m, m->diag};
    int rc;

    m->r = r;
    if (doc_set_cstr(&m->d.licence, "CC-BY-4.0 (MedQuAD)") != GALEN_OK)
        return oom(m);
    rc = xml_walk(r, &w);
    if (rc == GALEN_OK && !m->docid)
        rc = diag_setf(m->diag, GALEN_EPARSE, xml_line(r),
                       "not a MedQuAD file (no <Document> root)");
    return rc;
}

/* The base name of path without its directory and ".xml"/".xml.gz". */
static char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    size_t n = strlen(b);

    if (n > 7 && strcmp(b + n - 7, ".xml.gz") == 0)
        n -= 7;
    else if (n > 4 && strcmp(b + n - 4, ".xml") == 0)
        n -= 4;
    return galen_strndup(b, n);
}

int import_medquad_memory(const char *data, size_t len, const char *name,
                          const struct import_sink *sink, struct diag *diag)
{
    char *base = base_name(name ? name : "");
    xmlTextReaderPtr r = base ? xml_reader_memory(data, len, name) : NULL;
    struct medquad m;
    int rc;

    if (!r) {
        galen_free(base);
        return diag_setf(diag, GALEN_ENOMEM, 0, "out of memory");
    }
    medquad_init(&m, *base ? base : NULL, sink, diag);
    rc = run(&m, r);
    medquad_cleanup(&m);
    xml_reader_close(r, NULL);
    galen_free(base);
    return rc;
}

int import_medquad_file(const char *path, const struct import_sink *sink,
                        struct diag *diag)
{
    char *base = base_name(path);
    void *gz = NULL;
    xmlTextReaderPtr r;
    struct medquad m;
    int rc;

    if (!base)
        return diag_setf(diag, GALEN_ENOMEM, 0, "out of memory");
    r = xml_reader_file(path, &gz);
    if (!r) {
        galen_free(base);
        return diag_setf(diag, GALEN_EIO, 0, "cannot open: %s",
                         strerror(errno ? errno : EIO));
    }
    medquad_init(&m, base, sink, diag);
    rc = run(&m, r);
    if (sink->progress)
        sink->progress(sink->ctx, xml_reader_offset(gz));
    medquad_cleanup(&m);
    xml_reader_close(r, gz);
    galen_free(base);
    return rc;
}
