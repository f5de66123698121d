/* SPDX-License-Identifier: MIT */
/* eval.c: qrels, queries and TREC runs, and the retrieval metrics, following
 * trec_eval's conventions exactly as ../shared/bench/eval.py implements them
 * (that script is the reference; tests/unit/test_eval.c pins the cases).
 * Invariant: every ranked list is re-sorted before scoring (score
 * descending, doc id descending on ties, first occurrence of a doc wins),
 * so the metrics never depend on the rank column or on insertion order. */
#include "eval.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>
#include <galen/eval.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/str.h"

/* Input files above this size are refused rather than read. */
#define EVAL_MAX_FILE ((size_t)1 << 31)

/* Pool cap of a run's id strings. */
#define EVAL_MAX_POOL ((size_t)1 << 34)

/* Grades beyond this magnitude are treated as malformed input. */
#define EVAL_MAX_GRADE 1000000.0

struct qrel {
    const char *qid;   /* points into galen_qrels.text */
    const char *docid; /* points into galen_qrels.text */
    int grade;
    size_t seq; /* line order, for duplicates and query order */
};

struct qrels_query {
    const char *qid;
    const struct qrel *rels; /* n judgements sorted by docid */
    size_t n;
    size_t nrel;      /* judgements with grade > 0 */
    size_t first_seq; /* first line naming this query */
    double idcg10;    /* DCG of the ideal top 10 */
};

struct galen_qrels {
    char *text;        /* owned, NUL-split copy of the input */
    struct qrel *rels; /* nrels, sorted by (qid, docid) */
    size_t nrels;
    struct qrels_query *queries; /* nqueries, sorted by qid */
    size_t nqueries;
    size_t *order; /* norder judged queries, in first-appearance order */
    size_t norder;
};

struct run_entry {
    size_t qid_off; /* into galen_run.pool */
    size_t doc_off; /* into galen_run.pool */
    double score;
    size_t rank; /* 1-based position in its query block */
};

struct galen_run {
    struct buf pool; /* NUL-terminated id strings */
    struct run_entry *entries;
    size_t n;
    size_t cap;
};

struct galen_eval {
    const struct galen_qrels *qrels;      /* borrowed */
    struct galen_eval_metrics *per_query; /* per qrels query index */
    bool *is_scored;                      /* per qrels query index */
};

/* A run line resolved for scoring. */
struct ranked {
    const char *qid;
    const char *docid;
    double score;
    size_t seq;
};

/* Line cursor over a mutable NUL-terminated copy of the input. */
struct lines {
    char *p;
    size_t len;
    size_t pos;
    long no; /* 1-based number of the line last returned */
};

GALEN_PRINTF(3, 4)

static void set_err(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;

    if (!err || cap == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

static char *copy_text(const char *text, size_t len)
{
    char *c = galen_malloc(len + 1);

    if (!c)
        return NULL;
    if (len)
        memcpy(c, text, len);
    c[len] = '\0';
    return c;
}

/* Returns the next line NUL-terminated in place (without "\r\n"), or false
 * at the end. A line holding a NUL byte is returned with *has_nul set. */
static bool lines_next(struct lines *it, char **line, size_t *len,
                       bool *has_nul)
{
    char *s;
    char *nl;
    size_t n;

    if (it->pos >= it->len)
        return false;
    s = it->p + it->pos;
    nl = memchr(s, '\n', it->len - it->pos);
    n = nl ? (size_t)(nl - s) : it->len - it->pos;
    it->pos += n + (nl ? 1 : 0);
    it->no++;
    s[n] = '\0';
    if (n > 0 && s[n - 1] == '\r')
        s[--n] = '\0';
    *has_nul = memchr(s, '\0', n) != NULL;
    *line = s;
    *len = n;
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' ||
           c == '\n';
}

static bool has_space(const char *s)
{
    for (; *s; s++) {
        if (is_space(*s))
            return true;
    }
    return false;
}

/* Splits line in place on runs of blanks. Returns the field count, which
 * may exceed max (only max fields are stored). */
static size_t split_fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;

    for (;;) {
        while (*p && is_space(*p))
            p++;
        if (!*p)
            return n;
        if (n < max)
            f[n] = p;
        n++;
        while (*p && !is_space(*p))
            p++;
        if (!*p)
            return n;
        *p++ = '\0';
    }
}

static int read_file(const char *path, char **text, size_t *len, char *err,
                     size_t err_cap)
{
    unsigned char *data = NULL;
    int rc = fileio_read_all(path, EVAL_MAX_FILE, &data, len);

    if (rc == GALEN_ENOENT || rc == GALEN_EIO)
        set_err(err, err_cap, "%s: %s", path, strerror(errno));
    else if (rc != GALEN_OK)
        set_err(err, err_cap, "%s: %s", path, error_str(rc));
    *text = (char *)data;
    return rc;
}

/* ---------------------------------------------------------------- qrels */

static int cmp_qrel(const void *a, const void *b)
{
    const struct qrel *x = a;
    const struct qrel *y = b;
    int c = strcmp(x->qid, y->qid);

    if (c == 0)
        c = strcmp(x->docid, y->docid);
    if (c == 0)
        c = (x->seq > y->seq) - (x->seq < y->seq);
    return c;
}

static int cmp_grade_desc(const void *a, const void *b)
{
    int x = *(const int *)a;
    int y = *(const int *)b;

    return (x < y) - (x > y);
}

/* DCG of gains[0..n) with discount log2(rank + 1). */
static double dcg(const int *gains, size_t n)
{
    double s = 0.0;
    size_t i;

    for (i = 0; i < n; i++)
        s += (double)gains[i] / log2((double)i + 2.0);
    return s;
}

/* Parses a grade the way eval.py does: a number truncated toward zero.
 * Returns GALEN_OK, GALEN_EPARSE (not a number) or GALEN_ETOOBIG. */
static int parse_grade(const char *s, int *out)
{
    double v;

    if (str_to_double(s, &v) != GALEN_OK)
        return GALEN_EPARSE;
    if (v > EVAL_MAX_GRADE || v < -EVAL_MAX_GRADE)
        return GALEN_ETOOBIG;
    *out = (int)v;
    return GALEN_OK;
}

/* Handles one qrels line. *seen_data tracks whether a header may still
 * appear. Returns GALEN_OK (also for a skipped header) or GALEN_EPARSE. */
static int qrels_line(struct galen_qrels *q, char *line, const char *name,
                      long no, bool *seen_data, char *err, size_t err_cap)
{
    char *f[5];
    size_t nf = split_fields(line, f, ARRAY_SIZE(f));
    struct qrel *r;
    int grade;
    int rc;

    if (nf == 0)
        return GALEN_OK;
    if (nf != 3 && nf != 4) {
        set_err(err, err_cap,
                "%s:%ld: expected 3 fields (query-id corpus-id "
                "score), got %zu",
                name, no, nf);
        return GALEN_EPARSE;
    }
    rc = parse_grade(f[nf - 1], &grade);
    if (rc == GALEN_ETOOBIG) {
        set_err(err, err_cap, "%s:%ld: score '%.40s' is out of range", name, no,
                f[nf - 1]);
        return GALEN_EPARSE;
    }
    if (rc != GALEN_OK) {
        if (!*seen_data) {
            *seen_data = true;
            return GALEN_OK; /* the header line */
        }
        set_err(err, err_cap, "%s:%ld: score '%.40s' is not a number", name, no,
                f[nf - 1]);
        return GALEN_EPARSE;
    }
    *seen_data = true;
    r = &q->rels[q->nrels];
    r->qid = f[0];
    r->docid = f[nf - 2];
    r->grade = grade;
    r->seq = q->nrels++;
    return GALEN_OK;
}

static size_t count_lines(const char *text, size_t len)
{
    size_t n = 1;
    const char *p = text;
    const char *end = text + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));

        if (!nl)
            break;
        n++;
        p = nl + 1;
    }
    return n;
}

static int qrels_read_lines(struct galen_qrels *q, size_t len, const char *name,
                            char *err, size_t err_cap)
{
    struct lines it = {q->text, len, 0, 0};
    bool seen_data = false;
    char *line;
    size_t n;
    bool has_nul;
    int rc;

    while (lines_next(&it, &line, &n, &has_nul)) {
        if (has_nul) {
            set_err(err, err_cap, "%s:%ld: NUL byte in line", name, it.no);
            return GALEN_EPARSE;
        }
        rc = qrels_line(q, line, name, it.no, &seen_data, err, err_cap);
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

/* Sorts the judgements, drops all but the last line of a repeated
 * (query, doc) pair and records each query's first line. Returns the
 * number of queries. */
static size_t qrels_dedupe(struct galen_qrels *q, size_t *first_seq)
{
    size_t i;
    size_t out = 0;
    size_t nq = 0;

    qsort(q->rels, q->nrels, sizeof *q->rels, cmp_qrel);
    for (i = 0; i < q->nrels; i++) {
        const struct qrel *r = &q->rels[i];

        if (out == 0 || strcmp(q->rels[out - 1].qid, r->qid)) {
            first_seq[nq++] = r->seq;
        } else {
            first_seq[nq - 1] = MIN(first_seq[nq - 1], r->seq);
            if (!strcmp(q->rels[out - 1].docid, r->docid)) {
                q->rels[out - 1] = *r; /* a later line replaces it */
                continue;
            }
        }
        q->rels[out++] = *r;
    }
    q->nrels = out;
    return nq;
}

static double ideal_dcg10(const struct qrel *rels, size_t n, int *scratch)
{
    size_t i;
    size_t m = 0;

    for (i = 0; i < n; i++) {
        if (rels[i].grade > 0)
            scratch[m++] = rels[i].grade;
    }
    qsort(scratch, m, sizeof *scratch, cmp_grade_desc);
    return dcg(scratch, MIN(m, (size_t)10));
}

/* A judged query's position in first-appearance order. */
struct seq_index {
    size_t seq;
    size_t index;
};

static int cmp_seq_index(const void *a, const void *b)
{
    const struct seq_index *x = a;
    const struct seq_index *y = b;

    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Orders the judged queries by first appearance, as eval.py iterates its
 * qrels dict. */
static int qrels_order(struct galen_qrels *q)
{
    struct seq_index *si = galen_malloc(sizeof *si * (q->norder + 1));
    size_t i;

    if (!si)
        return GALEN_ENOMEM;
    for (i = 0; i < q->norder; i++) {
        si[i].seq = q->queries[q->order[i]].first_seq;
        si[i].index = q->order[i];
    }
    qsort(si, q->norder, sizeof *si, cmp_seq_index);
    for (i = 0; i < q->norder; i++)
        q->order[i] = si[i].index;
    galen_free(si);
    return GALEN_OK;
}

/* Groups the sorted judgements into queries. */
static int qrels_group(struct galen_qrels *q, const size_t *first_seq,
                       size_t nq)
{
    size_t i;
    size_t start = 0;
    int *scratch = galen_malloc(sizeof(int) * (q->nrels ? q->nrels : 1));

    q->queries = galen_calloc(nq ? nq : 1, sizeof *q->queries);
    q->order = galen_malloc(sizeof(size_t) * (nq ? nq : 1));
    if (!scratch || !q->queries || !q->order) {
        galen_free(scratch);
        return GALEN_ENOMEM;
    }
    for (i = 0; i < nq; i++) {
        struct qrels_query *qq = &q->queries[i];
        size_t j = start;

        while (j < q->nrels && !strcmp(q->rels[j].qid, q->rels[start].qid))
            j++;
        qq->qid = q->rels[start].qid;
        qq->rels = &q->rels[start];
        qq->n = j - start;
        qq->first_seq = first_seq[i];
        for (; start < j; start++)
            qq->nrel += q->rels[start].grade > 0;
        qq->idcg10 = ideal_dcg10(qq->rels, qq->n, scratch);
        if (qq->nrel > 0)
            q->order[q->norder++] = i;
    }
    q->nqueries = nq;
    galen_free(scratch);
    return qrels_order(q);
}

static int qrels_finish(struct galen_qrels *q)
{
    size_t *first_seq = galen_malloc(sizeof(size_t) * (q->nrels + 1));
    size_t nq;
    int rc;

    if (!first_seq)
        return GALEN_ENOMEM;
    nq = qrels_dedupe(q, first_seq);
    rc = qrels_group(q, first_seq, nq);
    galen_free(first_seq);
    return rc;
}

int eval_qrels_parse(const char *text, size_t len, const char *name,
                     struct galen_qrels **out, char *err, size_t err_cap)
{
    struct galen_qrels *q = galen_calloc(1, sizeof *q);
    int rc = GALEN_ENOMEM;

    if (!q)
        goto out;
    q->text = copy_text(text, len);
    if (!q->text)
        goto out;
    q->rels = galen_malloc(sizeof *q->rels * count_lines(text, len));
    if (!q->rels)
        goto out;
    rc = qrels_read_lines(q, len, name ? name : "qrels", err, err_cap);
    if (rc == GALEN_OK)
        rc = qrels_finish(q);
out:
    if (rc == GALEN_ENOMEM)
        set_err(err, err_cap, "%s: out of memory", name ? name : "qrels");
    if (rc != GALEN_OK) {
        eval_qrels_free(q);
        return rc;
    }
    *out = q;
    return GALEN_OK;
}

int eval_qrels_load(const char *path, struct galen_qrels **out, char *err,
                    size_t err_cap)
{
    char *text;
    size_t len;
    int rc = read_file(path, &text, &len, err, err_cap);

    if (rc != GALEN_OK)
        return rc;
    rc = eval_qrels_parse(text, len, path, out, err, err_cap);
    galen_free(text);
    return rc;
}

void eval_qrels_free(struct galen_qrels *q)
{
    if (!q)
        return;
    galen_free(q->order);
    galen_free(q->queries);
    galen_free(q->rels);
    galen_free(q->text);
    galen_free(q);
}

size_t eval_qrels_count(const struct galen_qrels *q)
{
    return q->norder;
}

static int cmp_query_key(const void *key, const void *elem)
{
    return strcmp(key, ((const struct qrels_query *)elem)->qid);
}

static const struct qrels_query *find_query(const struct galen_qrels *q,
                                            const char *qid)
{
    return bsearch(qid, q->queries, q->nqueries, sizeof *q->queries,
                   cmp_query_key);
}

static int cmp_rel_key(const void *key, const void *elem)
{
    return strcmp(key, ((const struct qrel *)elem)->docid);
}

static int query_grade(const struct qrels_query *qq, const char *docid)
{
    const struct qrel *r =
        bsearch(docid, qq->rels, qq->n, sizeof *qq->rels, cmp_rel_key);

    return r ? r->grade : 0;
}

bool eval_qrels_is_judged(const struct galen_qrels *q, const char *qid)
{
    const struct qrels_query *qq = find_query(q, qid);

    return qq && qq->nrel > 0;
}

int eval_qrels_grade(const struct galen_qrels *q, const char *qid,
                     const char *docid)
{
    const struct qrels_query *qq = find_query(q, qid);

    return qq ? query_grade(qq, docid) : 0;
}

/* -------------------------------------------------------------- queries */

/* A parsed query id and its line, for the duplicate check. */
struct query_line {
    const char *id; /* borrowed from galen_queries.items */
    long no;
};

static int cmp_query_line(const void *a, const void *b)
{
    const struct query_line *x = a;
    const struct query_line *y = b;
    int c = strcmp(x->id, y->id);

    return c ? c : (x->no > y->no) - (x->no < y->no);
}

/* Extracts _id and text from one parsed line into *item. */
static int query_fields(const cJSON *obj, struct galen_query *item,
                        const char *name, long no, char *err, size_t err_cap)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "_id");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(obj, "text");

    if (!cJSON_IsString(id) || !id->valuestring[0]) {
        set_err(err, err_cap, "%s:%ld: \"_id\" must be a non-empty string",
                name, no);
        return GALEN_EPARSE;
    }
    if (has_space(id->valuestring)) {
        set_err(err, err_cap, "%s:%ld: \"_id\" holds whitespace", name, no);
        return GALEN_EPARSE;
    }
    if (!cJSON_IsString(text)) {
        set_err(err, err_cap, "%s:%ld: \"text\" must be a string", name, no);
        return GALEN_EPARSE;
    }
    item->id = galen_strdup(id->valuestring);
    item->text = galen_strdup(text->valuestring);
    if (!item->id || !item->text) {
        galen_free(item->id);
        galen_free(item->text);
        set_err(err, err_cap, "%s: out of memory", name);
        return GALEN_ENOMEM;
    }
    return GALEN_OK;
}

static int query_line(const char *line, size_t len, struct galen_query *item,
                      const char *name, long no, char *err, size_t err_cap)
{
    const char *end = NULL;
    cJSON *obj = cJSON_ParseWithLengthOpts(line, len, &end, 0);
    int rc;

    if (!obj) {
        set_err(err, err_cap, "%s:%ld:%ld: invalid JSON", name, no,
                end ? (long)(end - line) + 1 : 1L);
        return GALEN_EPARSE;
    }
    while (end && end < line + len && is_space(*end))
        end++;
    if (!cJSON_IsObject(obj) || (end && end < line + len)) {
        cJSON_Delete(obj);
        set_err(err, err_cap, "%s:%ld: expected one JSON object", name, no);
        return GALEN_EPARSE;
    }
    rc = query_fields(obj, item, name, no, err, err_cap);
    cJSON_Delete(obj);
    return rc;
}

static bool is_blank(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (!is_space(s[i]))
            return false;
    }
    return true;
}

/* Reports the first repeated id (at its later line) as GALEN_EPARSE. */
static int queries_check_unique(size_t n, struct query_line *lines,
                                const char *name, char *err, size_t err_cap)
{
    size_t i;

    qsort(lines, n, sizeof *lines, cmp_query_line);
    for (i = 1; i < n; i++) {
        if (!strcmp(lines[i - 1].id, lines[i].id)) {
            set_err(err, err_cap, "%s:%ld: duplicate query id '%.60s'", name,
                    lines[i].no, lines[i].id);
            return GALEN_EPARSE;
        }
    }
    return GALEN_OK;
}

static int queries_read(struct galen_queries *qs, struct query_line *ql,
                        char *copy, size_t len, const char *name, char *err,
                        size_t err_cap)
{
    struct lines it = {copy, len, 0, 0};
    char *line;
    size_t n;
    bool has_nul;
    int rc;

    while (lines_next(&it, &line, &n, &has_nul)) {
        if (has_nul) {
            set_err(err, err_cap, "%s:%ld: NUL byte in line", name, it.no);
            return GALEN_EPARSE;
        }
        if (is_blank(line, n))
            continue;
        rc = query_line(line, n, &qs->items[qs->count], name, it.no, err,
                        err_cap);
        if (rc != GALEN_OK)
            return rc;
        ql[qs->count].id = qs->items[qs->count].id;
        ql[qs->count].no = it.no;
        qs->count++;
    }
    return queries_check_unique(qs->count, ql, name, err, err_cap);
}

int eval_queries_parse(const char *text, size_t len, const char *name,
                       struct galen_queries **out, char *err, size_t err_cap)
{
    size_t maxn = count_lines(text, len);
    struct galen_queries *qs = galen_calloc(1, sizeof *qs);
    struct query_line *ql = galen_malloc(sizeof *ql * maxn);
    char *copy = copy_text(text, len);
    int rc = GALEN_ENOMEM;

    name = name ? name : "queries";
    if (qs)
        qs->items = galen_calloc(maxn, sizeof *qs->items);
    if (!qs || !qs->items || !ql || !copy) {
        set_err(err, err_cap, "%s: out of memory", name);
        goto out;
    }
    rc = queries_read(qs, ql, copy, len, name, err, err_cap);
out:
    galen_free(copy);
    galen_free(ql);
    if (rc != GALEN_OK) {
        eval_queries_free(qs);
        return rc;
    }
    *out = qs;
    return GALEN_OK;
}

int eval_queries_load(const char *path, struct galen_queries **out, char *err,
                      size_t err_cap)
{
    char *text;
    size_t len;
    int rc = read_file(path, &text, &len, err, err_cap);

    if (rc != GALEN_OK)
        return rc;
    rc = eval_queries_parse(text, len, path, out, err, err_cap);
    galen_free(text);
    return rc;
}

void eval_queries_free(struct galen_queries *qs)
{
    size_t i;

    if (!qs)
        return;
    for (i = 0; i < qs->count; i++) {
        galen_free(qs->items[i].id);
        galen_free(qs->items[i].text);
    }
    galen_free(qs->items);
    galen_free(qs);
}

/* ------------------------------------------------------------------ run */

int eval_run_new(struct galen_run **out)
{
    struct galen_run *run = galen_calloc(1, sizeof *run);

    if (!run)
        return GALEN_ENOMEM;
    buf_init(&run->pool, EVAL_MAX_POOL);
    *out = run;
    return GALEN_OK;
}

void eval_run_free(struct galen_run *run)
{
    if (!run)
        return;
    buf_cleanup(&run->pool);
    galen_free(run->entries);
    galen_free(run);
}

void eval_run_reset(struct galen_run *run)
{
    buf_reset(&run->pool);
    run->n = 0;
}

size_t eval_run_len(const struct galen_run *run)
{
    return run->n;
}

static const char *pool_str(const struct galen_run *run, size_t off)
{
    return (const char *)run->pool.data + off;
}

static size_t pool_put(int *rc, struct galen_run *run, const char *s)
{
    size_t off = run->pool.len;

    buf_put(rc, &run->pool, s, strlen(s) + 1);
    return off;
}

static int run_grow(struct galen_run *run)
{
    size_t ncap;
    struct run_entry *e;

    if (run->n < run->cap)
        return GALEN_OK;
    ncap = run->cap ? run->cap * 2 : 64;
    e = galen_realloc(run->entries, ncap * sizeof *e);
    if (!e)
        return GALEN_ENOMEM;
    run->entries = e;
    run->cap = ncap;
    return GALEN_OK;
}

/* Appends without validation; the score is kept as given. */
static int run_append(struct galen_run *run, const char *qid, const char *docid,
                      double score)
{
    int rc = run_grow(run);
    struct run_entry e;
    const struct run_entry *prev = run->n ? &run->entries[run->n - 1] : NULL;
    size_t mark = run->pool.len;

    if (rc != GALEN_OK)
        return rc;
    if (prev && !strcmp(pool_str(run, prev->qid_off), qid)) {
        e.qid_off = prev->qid_off;
        e.rank = prev->rank + 1;
    } else {
        e.qid_off = pool_put(&rc, run, qid);
        e.rank = 1;
    }
    e.doc_off = pool_put(&rc, run, docid);
    e.score = score;
    if (rc != GALEN_OK) {
        run->pool.len = mark;
        return rc;
    }
    run->entries[run->n++] = e;
    return GALEN_OK;
}

int eval_run_add(struct galen_run *run, const char *qid, const char *docid,
                 double score)
{
    char tmp[64];
    int n;

    if (!qid[0] || !docid[0] || has_space(qid) || has_space(docid) ||
        !isfinite(score))
        return GALEN_EINVAL;
    n = snprintf(tmp, sizeof tmp, GALEN_RUN_SCORE_FMT, score);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return GALEN_EINVAL;
    return run_append(run, qid, docid, strtod(tmp, NULL));
}

static int run_line(struct galen_run *run, char *line, const char *name,
                    long no, char *err, size_t err_cap)
{
    char *f[7];
    size_t nf = split_fields(line, f, ARRAY_SIZE(f));
    double score;
    double rank;
    int rc;

    if (nf == 0)
        return GALEN_OK;
    if (nf != 6) {
        set_err(err, err_cap,
                "%s:%ld: expected 6 fields (qid Q0 docid rank "
                "score tag), got %zu",
                name, no, nf);
        return GALEN_EPARSE;
    }
    if (str_to_double(f[3], &rank) != GALEN_OK ||
        str_to_double(f[4], &score) != GALEN_OK) {
        set_err(err, err_cap, "%s:%ld: rank and score must be numbers", name,
                no);
        return GALEN_EPARSE;
    }
    rc = run_append(run, f[0], f[2], score);
    if (rc != GALEN_OK)
        set_err(err, err_cap, "%s: %s", name, error_str(rc));
    return rc;
}

static int run_read(struct galen_run *run, char *copy, size_t len,
                    const char *name, char *err, size_t err_cap)
{
    struct lines it = {copy, len, 0, 0};
    char *line;
    size_t n;
    bool has_nul;
    int rc;

    while (lines_next(&it, &line, &n, &has_nul)) {
        if (has_nul) {
            set_err(err, err_cap, "%s:%ld: NUL byte in line", name, it.no);
            return GALEN_EPARSE;
        }
        rc = run_line(run, line, name, it.no, err, err_cap);
        if (rc != GALEN_OK)
            return rc;
    }
    return GALEN_OK;
}

int eval_run_parse(const char *text, size_t len, const char *name,
                   struct galen_run **out, char *err, size_t err_cap)
{
    struct galen_run *run = NULL;
    char *copy = copy_text(text, len);
    int rc = GALEN_ENOMEM;

    name = name ? name : "run";
    if (copy)
        rc = eval_run_new(&run);
    if (rc != GALEN_OK) {
        set_err(err, err_cap, "%s: out of memory", name);
        goto out;
    }
    rc = run_read(run, copy, len, name, err, err_cap);
out:
    galen_free(copy);
    if (rc != GALEN_OK) {
        eval_run_free(run);
        return rc;
    }
    *out = run;
    return GALEN_OK;
}

int eval_run_load(const char *path, struct galen_run **out, char *err,
                  size_t err_cap)
{
    char *text;
    size_t len;
    int rc = read_file(path, &text, &len, err, err_cap);

    if (rc != GALEN_OK)
        return rc;
    rc = eval_run_parse(text, len, path, out, err, err_cap);
    galen_free(text);
    return rc;
}

int eval_run_fwrite(const struct galen_run *run, FILE *f, const char *tag)
{
    size_t i;

    if (!tag[0] || has_space(tag))
        return GALEN_EINVAL;
    for (i = 0; i < run->n; i++) {
        const struct run_entry *e = &run->entries[i];

        fprintf(f, "%s Q0 %s %zu " GALEN_RUN_SCORE_FMT " %s\n",
                pool_str(run, e->qid_off), pool_str(run, e->doc_off), e->rank,
                e->score, tag);
    }
    return ferror(f) ? GALEN_EIO : GALEN_OK;
}

/* -------------------------------------------------------------- metrics */

static int cmp_by_qid(const void *a, const void *b)
{
    const struct ranked *x = a;
    const struct ranked *y = b;
    int c = strcmp(x->qid, y->qid);

    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_by_docid(const void *a, const void *b)
{
    const struct ranked *x = a;
    const struct ranked *y = b;
    int c = strcmp(x->docid, y->docid);

    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* trec_eval's order: score descending, ties by doc id descending. */
static int cmp_trec_order(const void *a, const void *b)
{
    const struct ranked *x = a;
    const struct ranked *y = b;

    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return -strcmp(x->docid, y->docid);
}

/* Keeps the first line of each doc id and sorts into trec_eval's order.
 * Returns the new length. */
static size_t rank_query(struct ranked *r, size_t n)
{
    size_t i;
    size_t out = 0;

    qsort(r, n, sizeof *r, cmp_by_docid);
    for (i = 0; i < n; i++) {
        if (out > 0 && !strcmp(r[out - 1].docid, r[i].docid))
            continue;
        r[out++] = r[i];
    }
    qsort(r, out, sizeof *r, cmp_trec_order);
    return out;
}

/* Scores one judged query's ranked list (eval.py per_query, plus P@5). */
static void score_query(const struct qrels_query *qq, const struct ranked *r,
                        size_t n, struct galen_eval_metrics *m)
{
    double dcg10 = 0.0;
    double ap = 0.0;
    size_t hits = 0;
    size_t i;

    memset(m, 0, sizeof *m);
    for (i = 0; i < n; i++) {
        int g = query_grade(qq, r[i].docid);

        if (i < 10)
            dcg10 += (double)(g > 0 ? g : 0) / log2((double)i + 2.0);
        if (g <= 0)
            continue;
        hits++;
        ap += (double)hits / (double)(i + 1);
        m->recall100 += i < 100;
        m->recall1000 += i < 1000;
        m->p5 += i < 5;
        m->p10 += i < 10;
        if (i < 10 && m->mrr10 == 0.0)
            m->mrr10 = 1.0 / (double)(i + 1);
    }
    m->ndcg10 = qq->idcg10 > 0.0 ? dcg10 / qq->idcg10 : 0.0;
    m->recall100 /= (double)qq->nrel;
    m->recall1000 /= (double)qq->nrel;
    m->map = ap / (double)qq->nrel;
    m->p5 /= 5.0;
    m->p10 /= 10.0;
}

int eval_new(const struct galen_qrels *q, struct galen_eval **out)
{
    struct galen_eval *ev = galen_calloc(1, sizeof *ev);
    size_t n = q->nqueries ? q->nqueries : 1;

    if (!ev)
        return GALEN_ENOMEM;
    ev->qrels = q;
    ev->per_query = galen_calloc(n, sizeof *ev->per_query);
    ev->is_scored = galen_calloc(n, sizeof *ev->is_scored);
    if (!ev->per_query || !ev->is_scored) {
        eval_free(ev);
        return GALEN_ENOMEM;
    }
    *out = ev;
    return GALEN_OK;
}

void eval_free(struct galen_eval *ev)
{
    if (!ev)
        return;
    galen_free(ev->per_query);
    galen_free(ev->is_scored);
    galen_free(ev);
}

/* Scores the group r[0..n) (one query id) if that query is judged. */
static void eval_group(struct galen_eval *ev, struct ranked *r, size_t n)
{
    const struct qrels_query *qq = find_query(ev->qrels, r[0].qid);
    size_t idx;

    if (!qq || qq->nrel == 0)
        return;
    idx = (size_t)(qq - ev->qrels->queries);
    n = rank_query(r, n);
    score_query(qq, r, n, &ev->per_query[idx]);
    ev->is_scored[idx] = true;
}

int eval_add(struct galen_eval *ev, const struct galen_run *run)
{
    struct ranked *r = galen_malloc(sizeof *r * (run->n ? run->n : 1));
    size_t i;
    size_t start = 0;

    if (!r)
        return GALEN_ENOMEM;
    for (i = 0; i < run->n; i++) {
        const struct run_entry *e = &run->entries[i];

        r[i].qid = pool_str(run, e->qid_off);
        r[i].docid = pool_str(run, e->doc_off);
        r[i].score = e->score;
        r[i].seq = i;
    }
    qsort(r, run->n, sizeof *r, cmp_by_qid);
    for (i = 1; i <= run->n; i++) {
        if (i == run->n || strcmp(r[i].qid, r[start].qid)) {
            eval_group(ev, &r[start], i - start);
            start = i;
        }
    }
    galen_free(r);
    return GALEN_OK;
}

void eval_result(const struct galen_eval *ev, struct galen_eval_metrics *out)
{
    const struct galen_qrels *q = ev->qrels;
    struct galen_eval_metrics s;
    size_t i;

    memset(&s, 0, sizeof s);
    for (i = 0; i < q->norder; i++) {
        const struct galen_eval_metrics *m = &ev->per_query[q->order[i]];

        s.ndcg10 += m->ndcg10;
        s.recall100 += m->recall100;
        s.recall1000 += m->recall1000;
        s.mrr10 += m->mrr10;
        s.map += m->map;
        s.p5 += m->p5;
        s.p10 += m->p10;
        s.num_q_ret += ev->is_scored[q->order[i]];
    }
    s.num_q = q->norder;
    if (s.num_q > 0) {
        double n = (double)s.num_q;

        s.ndcg10 /= n;
        s.recall100 /= n;
        s.recall1000 /= n;
        s.mrr10 /= n;
        s.map /= n;
        s.p5 /= n;
        s.p10 /= n;
    }
    *out = s;
}

int eval_compute(const struct galen_qrels *q, const struct galen_run *run,
                 struct galen_eval_metrics *out)
{
    struct galen_eval *ev;
    int rc = eval_new(q, &ev);

    if (rc != GALEN_OK)
        return rc;
    rc = eval_add(ev, run);
    if (rc == GALEN_OK)
        eval_result(ev, out);
    eval_free(ev);
    return rc;
}

/* ------------------------------------------------------------- latency */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Nearest rank, written as ../shared/bench/src/common.h pct_sorted does. */
static double percentile(const double *v, size_t n, double p)
{
    long idx = (long)(p / 100.0 * (double)n + 0.999999) - 1;

    if (idx < 0)
        idx = 0;
    if ((size_t)idx >= n)
        idx = (long)n - 1;
    return v[idx];
}

void eval_latency(double *lat_us, size_t n, struct galen_latency *out)
{
    double sum = 0.0;
    size_t i;

    memset(out, 0, sizeof *out);
    if (n == 0)
        return;
    qsort(lat_us, n, sizeof *lat_us, cmp_double);
    for (i = 0; i < n; i++)
        sum += lat_us[i];
    out->p50_us = percentile(lat_us, n, 50.0);
    out->p95_us = percentile(lat_us, n, 95.0);
    out->p99_us = percentile(lat_us, n, 99.0);
    out->mean_us = sum / (double)n;
    out->max_us = lat_us[n - 1];
    out->qps = sum > 0.0 ? (double)n / (sum / 1e6) : 0.0;
}
