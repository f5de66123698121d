/* SPDX-License-Identifier: MIT */
/* import_pubmed.c: PubMed/MEDLINE XML to research documents. The walker's
 * rules reach only the elements used (PMID, title, abstract, journal, date,
 * authors, MeSH, publication types, DOI); everything else, such as
 * reference lists and affiliations, is skipped without being looked at.
 * One struct doc is reused for every article, so memory stays flat no
 * matter how many articles a file holds. */
#include "pubmed.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/mem.h"
#include "base/str.h"
#include "xml.h"

enum { PUBMED_MAX_AUTHORS = 25 };

enum {
    S_SET = 1,
    S_ARTICLE,
    S_CITATION,
    S_PMID,
    S_ART,
    S_JOURNAL,
    S_JTITLE,
    S_JABBR,
    S_ISSUE,
    S_PUBDATE,
    S_YEAR,
    S_MONTH,
    S_DAY,
    S_MLDATE,
    S_TITLE,
    S_ABSTRACT,
    S_ABSTEXT,
    S_AUTHORS,
    S_AUTHOR,
    S_LAST,
    S_FORE,
    S_INITIALS,
    S_COLLECTIVE,
    S_PTYPES,
    S_PTYPE,
    S_ELOC,
    S_MESHLIST,
    S_MESH,
    S_DESCRIPTOR,
    S_PDATA,
    S_IDLIST,
    S_ARTICLEID,
    S_BOOK,
    S_DELETE
};

static const struct xml_rule rules[] = {
    {0, "PubmedArticleSet", S_SET, false},
    {0, "PubmedArticle", S_ARTICLE, false}, /* a lone record */
    {S_SET, "PubmedArticle", S_ARTICLE, false},
    {S_SET, "PubmedBookArticle", S_BOOK, false},
    {S_SET, "DeleteCitation", S_DELETE, false},
    {S_ARTICLE, "MedlineCitation", S_CITATION, false},
    {S_CITATION, "PMID", S_PMID, true},
    {S_CITATION, "Article", S_ART, false},
    {S_ART, "Journal", S_JOURNAL, false},
    {S_JOURNAL, "Title", S_JTITLE, true},
    {S_JOURNAL, "ISOAbbreviation", S_JABBR, true},
    {S_JOURNAL, "JournalIssue", S_ISSUE, false},
    {S_ISSUE, "PubDate", S_PUBDATE, false},
    {S_PUBDATE, "Year", S_YEAR, true},
    {S_PUBDATE, "Month", S_MONTH, true},
    {S_PUBDATE, "Day", S_DAY, true},
    {S_PUBDATE, "MedlineDate", S_MLDATE, true},
    {S_ART, "ArticleTitle", S_TITLE, true},
    {S_ART, "Abstract", S_ABSTRACT, false},
    {S_ABSTRACT, "AbstractText", S_ABSTEXT, true},
    {S_ART, "AuthorList", S_AUTHORS, false},
    {S_AUTHORS, "Author", S_AUTHOR, false},
    {S_AUTHOR, "LastName", S_LAST, true},
    {S_AUTHOR, "ForeName", S_FORE, true},
    {S_AUTHOR, "Initials", S_INITIALS, true},
    {S_AUTHOR, "CollectiveName", S_COLLECTIVE, true},
    {S_ART, "PublicationTypeList", S_PTYPES, false},
    {S_PTYPES, "PublicationType", S_PTYPE, true},
    {S_ART, "ELocationID", S_ELOC, true},
    {S_CITATION, "MeshHeadingList", S_MESHLIST, false},
    {S_MESHLIST, "MeshHeading", S_MESH, false},
    {S_MESH, "DescriptorName", S_DESCRIPTOR, true},
    {S_ARTICLE, "PubmedData", S_PDATA, false},
    {S_PDATA, "ArticleIdList", S_IDLIST, false},
    {S_IDLIST, "ArticleId", S_ARTICLEID, true},
};

/* ---- publication types ------------------------------------------------- */

/* NLM publication types that decide the evidence level. Types not listed
 * (Journal Article, Comparative Study, Research Support, ...) say nothing
 * about design and give "other" when nothing else matches. */
static const struct {
    const char *type;
    enum doc_evidence level;
} type_map[] = {
    {"Practice Guideline", DOC_EVIDENCE_GUIDELINE},
    {"Guideline", DOC_EVIDENCE_GUIDELINE},
    {"Consensus Development Conference", DOC_EVIDENCE_GUIDELINE},
    {"Consensus Development Conference, NIH", DOC_EVIDENCE_GUIDELINE},
    {"Meta-Analysis", DOC_EVIDENCE_META_ANALYSIS},
    {"Network Meta-Analysis", DOC_EVIDENCE_META_ANALYSIS},
    {"Systematic Review", DOC_EVIDENCE_SYSTEMATIC_REVIEW},
    {"Randomized Controlled Trial", DOC_EVIDENCE_RCT},
    {"Randomized Controlled Trial, Veterinary", DOC_EVIDENCE_RCT},
    {"Clinical Trial", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Clinical Trial, Phase I", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Clinical Trial, Phase II", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Clinical Trial, Phase III", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Clinical Trial, Phase IV", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Clinical Trial, Veterinary", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Controlled Clinical Trial", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Pragmatic Clinical Trial", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Adaptive Clinical Trial", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Equivalence Trial", DOC_EVIDENCE_CLINICAL_TRIAL},
    {"Observational Study", DOC_EVIDENCE_COHORT},
    {"Observational Study, Veterinary", DOC_EVIDENCE_COHORT},
    {"Case Reports", DOC_EVIDENCE_CASE_REPORT},
    {"Review", DOC_EVIDENCE_REVIEW},
    {"Scoping Review", DOC_EVIDENCE_REVIEW},
};

/* Precedence, strongest first; see import_pubmed.h. */
static const enum doc_evidence precedence[] = {
    DOC_EVIDENCE_GUIDELINE,         DOC_EVIDENCE_META_ANALYSIS,
    DOC_EVIDENCE_SYSTEMATIC_REVIEW, DOC_EVIDENCE_RCT,
    DOC_EVIDENCE_CLINICAL_TRIAL,    DOC_EVIDENCE_COHORT,
    DOC_EVIDENCE_CASE_REPORT,       DOC_EVIDENCE_REVIEW,
};

static size_t rank_of(enum doc_evidence e)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(precedence); i++) {
        if (precedence[i] == e)
            return i;
    }
    return ARRAY_SIZE(precedence);
}

static enum doc_evidence level_of(const char *type)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(type_map); i++) {
        if (strcmp(type_map[i].type, type) == 0)
            return type_map[i].level;
    }
    return DOC_EVIDENCE_OTHER;
}

enum doc_evidence import_pubmed_evidence(const struct doc_strlist *types)
{
    enum doc_evidence best = DOC_EVIDENCE_OTHER;
    size_t i;

    if (types->n == 0)
        return DOC_EVIDENCE_NONE;
    for (i = 0; i < types->n; i++) {
        enum doc_evidence e = level_of(types->v[i]);

        if (rank_of(e) < rank_of(best))
            best = e;
    }
    return best;
}

/* ---- one article ------------------------------------------------------- */

struct pubmed {
    const struct import_sink *sink;
    struct diag *diag;
    xmlTextReaderPtr r;
    void *gz;
    struct doc d;
    char *pmid;
    char *journal_abbr;
    char *year, *month, *day, *medline_date;
    char *label;   /* current AbstractText's Label or NlmCategory */
    char *id_type; /* current ArticleId's IdType / ELocationID's type */
    char *last, *fore, *initials, *collective; /* current author */
    struct buf authors;
    unsigned nauthors;
    unsigned long narticles;
};

static int oom(struct pubmed *p)
{
    return diag_setf(p->diag, GALEN_ENOMEM, xml_line(p->r), "out of memory");
}

static void clear(char **s)
{
    galen_free(*s);
    *s = NULL;
}

static void reset_article(struct pubmed *p)
{
    char **fields[] = {&p->pmid,  &p->journal_abbr, &p->year,
                       &p->month, &p->day,          &p->medline_date,
                       &p->label, &p->id_type,      &p->last,
                       &p->fore,  &p->initials,     &p->collective};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(fields); i++)
        clear(fields[i]);
    doc_cleanup(&p->d);
    p->d.kind = DOC_KIND_RESEARCH;
    p->d.audience = DOC_AUDIENCE_CLINICIAN;
    buf_reset(&p->authors);
    p->nauthors = 0;
}

static int month_number(const char *m)
{
    static const char *const names[] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};
    long v;
    size_t i;

    if (!m)
        return 0;
    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (strncmp(m, names[i], 3) == 0)
            return (int)i + 1;
    }
    if (str_to_long(m, 1, 12, &v) == GALEN_OK)
        return (int)v;
    return 0;
}

static bool is_year(const char *s)
{
    return s && strlen(s) >= 4 && s[0] >= '1' && s[0] <= '2' && s[1] >= '0' &&
           s[1] <= '9' && s[2] >= '0' && s[2] <= '9' && s[3] >= '0' &&
           s[3] <= '9';
}

/* YYYY, YYYY-MM or YYYY-MM-DD from PubDate; MedlineDate ("1998 Dec-1999
 * Jan") gives its first year only. */
static int set_date(struct pubmed *p)
{
    char date[16];
    int mon = month_number(p->month);
    long day = 0;
    const char *y = is_year(p->year) ? p->year : p->medline_date;

    if (!is_year(y))
        return GALEN_OK;
    if (p->day && str_to_long(p->day, 1, 31, &day) != GALEN_OK)
        day = 0;
    if (mon && day)
        snprintf(date, sizeof date, "%.4s-%02d-%02ld", y, mon, day);
    else if (mon)
        snprintf(date, sizeof date, "%.4s-%02d", y, mon);
    else
        snprintf(date, sizeof date, "%.4s", y);
    return doc_set_cstr(&p->d.date, date);
}

static bool pmid_ok(const char *s)
{
    size_t i, n = s ? strlen(s) : 0;

    if (n == 0 || n > 12)
        return false;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return true;
}

static int finish_fields(struct pubmed *p)
{
    char buf[64];
    int rc = GALEN_OK;

    snprintf(buf, sizeof buf, "PubMed_%s", p->pmid);
    rc = doc_set_cstr(&p->d.id, buf);
    if (rc == GALEN_OK)
        rc = doc_set_cstr(&p->d.pmid, p->pmid);
    snprintf(buf, sizeof buf, "https://pubmed.ncbi.nlm.nih.gov/%s/", p->pmid);
    if (rc == GALEN_OK)
        rc = doc_set_cstr(&p->d.url, buf);
    if (rc == GALEN_OK && !p->d.source)
        rc = doc_set_cstr(&p->d.source, p->journal_abbr);
    if (rc == GALEN_OK)
        rc = set_date(p);
    if (rc == GALEN_OK && p->authors.len)
        rc = doc_set(&p->d.authors, (const char *)p->authors.data,
                     p->authors.len);
    p->d.evidence = import_pubmed_evidence(&p->d.pub_types);
    return rc;
}

static int emit(struct pubmed *p)
{
    long line = xml_line(p->r);
    int rc;

    p->narticles++;
    if (!pmid_ok(p->pmid))
        return import_sink_bad(p->sink, line, "article without a valid PMID");
    if (!p->d.title || !*p->d.title)
        return import_sink_bad(p->sink, line, "article without a title");
    if (p->d.nsections == 0) {
        import_sink_skip(p->sink, line, "no abstract");
        return GALEN_OK;
    }
    if (finish_fields(p) != GALEN_OK)
        return oom(p);
    rc = p->sink->doc(p->sink->ctx, &p->d, line);
    if (p->sink->progress && (p->narticles & 255) == 0)
        p->sink->progress(p->sink->ctx, xml_reader_offset(p->gz));
    return rc;
}

/* ---- callbacks --------------------------------------------------------- */

static int start(void *ctx, int state, xmlTextReaderPtr r)
{
    struct pubmed *p = ctx;
    int rc = GALEN_OK;

    switch (state) {
    case S_ARTICLE:
        reset_article(p);
        break;
    case S_BOOK:
    case S_DELETE:
        import_sink_skip(p->sink, xml_line(r),
                         state == S_BOOK ? "book record" : "deletion");
        return XML_SKIP;
    case S_ABSTEXT:
        rc = xml_attr(r, "Label", &p->label);
        if (rc == GALEN_OK && !p->label)
            rc = xml_attr(r, "NlmCategory", &p->label);
        break;
    case S_ARTICLEID:
        rc = xml_attr(r, "IdType", &p->id_type);
        break;
    case S_ELOC:
        rc = xml_attr(r, "EIdType", &p->id_type);
        break;
    case S_AUTHOR:
        clear(&p->last);
        clear(&p->fore);
        clear(&p->initials);
        clear(&p->collective);
        break;
    default:
        break;
    }
    return rc == GALEN_OK ? GALEN_OK : oom(p);
}

/* Appends an abstract paragraph: a labelled one opens a section; an
 * unlabelled one continues the previous unlabelled section. */
static int add_abstract(struct pubmed *p, const char *text, size_t len)
{
    const char *label = p->label ? p->label : "";
    struct doc *d = &p->d;
    struct doc_section *last =
        d->nsections ? &d->sections[d->nsections - 1] : NULL;
    struct buf b;
    int rc = GALEN_OK;

    if (len == 0)
        return GALEN_OK;
    if (!last || *label || *last->heading)
        return doc_add_section(d, label, text, len);
    buf_init(&b, DOC_TEXT_MAX);
    buf_put_str(&rc, &b, last->text);
    buf_put_str(&rc, &b, "\n\n");
    buf_put(&rc, &b, text, len);
    buf_put_nul(&rc, &b);
    if (rc == GALEN_OK) {
        galen_free(last->text);
        last->text = (char *)buf_take(&b, NULL);
    }
    buf_cleanup(&b);
    return rc;
}

static int end_author(struct pubmed *p)
{
    int rc = GALEN_OK;
    const char *name = p->collective ? p->collective : p->last;

    if (!name || !*name)
        return GALEN_OK;
    if (++p->nauthors > PUBMED_MAX_AUTHORS) {
        if (p->nauthors == PUBMED_MAX_AUTHORS + 1)
            buf_put_str(&rc, &p->authors, ", et al.");
        return rc;
    }
    if (p->authors.len)
        buf_put_str(&rc, &p->authors, ", ");
    buf_put_str(&rc, &p->authors, name);
    if (!p->collective && (p->initials || p->fore)) {
        buf_put_byte(&rc, &p->authors, ' ');
        buf_put_str(&rc, &p->authors, p->initials ? p->initials : p->fore);
    }
    return rc;
}

static int set_doi(struct pubmed *p, const char *text, size_t len)
{
    if (!p->id_type || strcmp(p->id_type, "doi") != 0 || len == 0)
        return GALEN_OK;
    return doc_set(&p->d.doi, text, len);
}

static int end_field(struct pubmed *p, int state, const char *text, size_t len)
{
    struct doc *d = &p->d;

    switch (state) {
    case S_PMID:
        return p->pmid ? GALEN_OK : doc_set(&p->pmid, text, len);
    case S_JTITLE:
        return len ? doc_set(&d->source, text, len) : GALEN_OK;
    case S_JABBR:
        return doc_set(&p->journal_abbr, text, len);
    case S_YEAR:
        return doc_set(&p->year, text, len);
    case S_MONTH:
        return doc_set(&p->month, text, len);
    case S_DAY:
        return doc_set(&p->day, text, len);
    case S_MLDATE:
        return doc_set(&p->medline_date, text, len);
    case S_TITLE:
        return doc_set(&d->title, text, len);
    case S_LAST:
        return doc_set(&p->last, text, len);
    case S_FORE:
        return doc_set(&p->fore, text, len);
    case S_INITIALS:
        return doc_set(&p->initials, text, len);
    case S_COLLECTIVE:
        return doc_set(&p->collective, text, len);
    default:
        return GALEN_OK;
    }
}

static int end_list(struct pubmed *p, int state, const char *text, size_t len)
{
    switch (state) {
    case S_ABSTEXT:
        return add_abstract(p, text, len);
    case S_AUTHOR:
        return end_author(p);
    case S_PTYPE:
        return len ? doc_strlist_add(&p->d.pub_types, text, len) : GALEN_OK;
    case S_DESCRIPTOR:
        return len ? doc_strlist_add(&p->d.focus, text, len) : GALEN_OK;
    case S_ARTICLEID:
    case S_ELOC:
        return p->d.doi ? GALEN_OK : set_doi(p, text, len);
    default:
        return end_field(p, state, text, len);
    }
}

static int end(void *ctx, int state, char *text, size_t len)
{
    struct pubmed *p = ctx;
    int rc;

    if (state == S_ARTICLE)
        return emit(p);
    rc = end_list(p, state, text, len);
    if (rc == GALEN_ETOOBIG)
        return diag_setf(p->diag, GALEN_EPARSE, xml_line(p->r),
                         "article %s is too large", p->pmid ? p->pmid : "?");
    return rc == GALEN_OK ? GALEN_OK : oom(p);
}

/* ---- entry points ------------------------------------------------------ */

static int run(xmlTextReaderPtr r, void *gz, const struct import_sink *sink,
               struct diag *diag)
{
    struct pubmed p;
    struct xml_walker w = {
        rules, ARRAY_SIZE(rules), XML_WS_COLLAPSE, start, end, &p, diag};
    int rc;

    memset(&p, 0, sizeof p);
    p.sink = sink;
    p.diag = diag;
    p.r = r;
    p.gz = gz;
    doc_init(&p.d);
    buf_init(&p.authors, 1 << 16);
    rc = xml_walk(r, &w);
    reset_article(&p);
    doc_cleanup(&p.d);
    buf_cleanup(&p.authors);
    if (sink->progress)
        sink->progress(sink->ctx, xml_reader_offset(gz));
    return rc;
}

int import_pubmed_memory(const char *data, size_t len,
                         const struct import_sink *sink, struct diag *diag)
{
    xmlTextReaderPtr r = xml_reader_memory(data, len, "pubmed");
    int rc;

    if (!r)
        return diag_setf(diag, GALEN_ENOMEM, 0, "out of memory");
    rc = run(r, NULL, sink, diag);
    xml_reader_close(r, NULL);
    return rc;
}

int import_pubmed_file(const char *path, const struct import_sink *sink,
                       struct diag *diag)
{
    void *gz = NULL;
    xmlTextReaderPtr r = xml_reader_file(path, &gz);
    int rc;

    if (!r)
        return diag_setf(diag, GALEN_EIO, 0, "cannot open: %s",
                         strerror(errno ? errno : EIO));
    rc = run(r, gz, sink, diag);
    xml_reader_close(r, gz);
    return rc;
}
