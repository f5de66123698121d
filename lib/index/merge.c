/* SPDX-License-Identifier: MIT */
/* merge.c: segment merging. First the live documents are copied (stored
 * fields re-compressed, ids and lengths kept) and each input gets a map
 * old doc -> new doc; then the inputs' sorted vocabularies are walked
 * together, and each term's postings are replayed through a postings
 * writer with the new doc ids. Memory is one term's encoded postings plus
 * a 4-byte map entry per input doc. */
#include "merge.h"

#include <string.h>

#include <galen/error.h>

#include "base/mem.h"

struct merge {
    struct segment *const *in;
    uint32_t n;
    uint32_t **map; /* per input: old doc -> new doc or END */
    uint32_t *next; /* per input: next term index */
    struct segment_builder *b;
    struct postings_writer *pw;
    struct postings_cursor *c;
    uint32_t *pos[INDEX_MAX_FIELDS];
    size_t cap[INDEX_MAX_FIELDS];
    struct buf blob;
};

static int copy_docs_of(struct merge *m, uint32_t i)
{
    const struct segment *s = m->in[i];
    struct docstore_iter it;
    uint32_t lens[INDEX_MAX_FIELDS];
    struct str field[INDEX_MAX_FIELDS];
    struct str meta;
    uint32_t d;
    unsigned f;
    int rc = GALEN_OK;

    docstore_iter_init(&it, &s->store);
    for (d = 0; d < s->ndocs && rc == GALEN_OK; d++) {
        m->map[i][d] = POSTINGS_END;
        rc = docstore_iter_next(&it, field, &meta);
        if (rc != GALEN_OK || segment_is_deleted(s, d))
            continue;
        for (f = 0; f < s->nfields; f++)
            lens[f] = segment_field_len(s, d, f);
        m->map[i][d] = segment_builder_doc_count(m->b);
        rc = segment_builder_add_doc(m->b, segment_doc_id(s, d), lens, field,
                                     meta);
    }
    docstore_iter_cleanup(&it);
    return rc == GALEN_ENOENT ? GALEN_ECORRUPT : rc;
}

static int copy_docs(struct merge *m)
{
    uint32_t i;
    int rc = GALEN_OK;

    for (i = 0; i < m->n && rc == GALEN_OK; i++) {
        m->map[i] =
            galen_malloc(((size_t)m->in[i]->ndocs + 1) * sizeof(uint32_t));
        rc = m->map[i] ? copy_docs_of(m, i) : GALEN_ENOMEM;
    }
    return rc;
}

/* Reads the current doc's positions of field f into m->pos[f]. */
static int read_positions(struct merge *m, unsigned f, uint32_t tf)
{
    if (tf + (size_t)1 > m->cap[f]) {
        size_t cap = (size_t)tf + 64;
        uint32_t *p = galen_realloc(m->pos[f], cap * sizeof *p);

        if (!p)
            return GALEN_ENOMEM;
        m->pos[f] = p;
        m->cap[f] = cap;
    }
    if (tf > 0 &&
        postings_positions(m->c, f, m->pos[f], (uint32_t)m->cap[f]) != tf)
        return GALEN_ECORRUPT;
    return GALEN_OK;
}

static int replay_term(struct merge *m, uint32_t i, uint32_t t)
{
    const struct segment *s = m->in[i];
    struct postings_cursor *c = m->c;
    struct term_info ti;
    int rc = segment_term_info(s, t, &ti);

    if (rc != GALEN_OK)
        return rc;
    for (postings_cursor_init(c, s, &ti); c->doc != POSTINGS_END;
         postings_next(c)) {
        uint32_t nd = m->map[i][c->doc];
        uint32_t tf[INDEX_MAX_FIELDS], len[INDEX_MAX_FIELDS];
        unsigned f;

        if (nd == POSTINGS_END)
            continue;
        for (f = 0; f < s->nfields && rc == GALEN_OK; f++) {
            tf[f] = postings_tf(c, f);
            len[f] = segment_builder_field_len(m->b, nd, f);
            rc = read_positions(m, f, tf[f]);
        }
        if (rc != GALEN_OK)
            return rc;
        postings_writer_add(m->pw, nd, tf, len,
                            (const uint32_t *const *)m->pos);
        if (m->pw->rc != GALEN_OK)
            return m->pw->rc;
    }
    return c->err;
}

/* Finds the smallest next term over all inputs; false when all are done. */
static bool min_term(const struct merge *m, struct str *out)
{
    bool found = false;
    uint32_t i;

    for (i = 0; i < m->n; i++) {
        struct str t;

        if (m->next[i] >= m->in[i]->nterms)
            continue;
        t = segment_term_at(m->in[i], m->next[i]);
        if (!found || str_cmp(t, *out) < 0)
            *out = t;
        found = true;
    }
    return found;
}

static int merge_terms(struct merge *m)
{
    struct str term;
    uint32_t i;
    int rc = GALEN_OK;

    while (rc == GALEN_OK && min_term(m, &term)) {
        postings_writer_begin(m->pw);
        for (i = 0; i < m->n && rc == GALEN_OK; i++) {
            if (m->next[i] >= m->in[i]->nterms ||
                !str_eq(segment_term_at(m->in[i], m->next[i]), term))
                continue;
            rc = replay_term(m, i, m->next[i]);
            m->next[i]++;
        }
        buf_reset(&m->blob);
        if (rc == GALEN_OK)
            rc = postings_writer_finish(m->pw, &m->blob);
        if (rc == GALEN_OK && m->pw->df > 0)
            rc = segment_builder_add_term(m->b, term, m->blob.data, m->blob.len,
                                          m->pw->df);
    }
    return rc;
}

static void merge_cleanup(struct merge *m)
{
    uint32_t i;

    if (m->map) {
        for (i = 0; i < m->n; i++)
            galen_free(m->map[i]);
    }
    galen_free(m->map);
    galen_free(m->next);
    if (m->pw)
        postings_writer_cleanup(m->pw);
    galen_free(m->pw);
    galen_free(m->c);
    for (i = 0; i < INDEX_MAX_FIELDS; i++)
        galen_free(m->pos[i]);
    buf_cleanup(&m->blob);
    segment_builder_free(m->b);
}

int merge_segments(struct segment *const *in, uint32_t n, const char *path,
                   enum postings_codec codec, uint32_t *ndocs, uint64_t *size)
{
    struct merge m;
    uint64_t sz = 0;
    uint32_t docs = 0;
    int rc;

    memset(&m, 0, sizeof m);
    m.in = in;
    m.n = n;
    buf_init(&m.blob, SIZE_MAX / 2);
    m.map = galen_calloc(n + 1, sizeof *m.map);
    m.next = galen_calloc(n + 1, sizeof *m.next);
    m.pw = galen_malloc(sizeof *m.pw);
    m.c = galen_malloc(sizeof *m.c);
    if (!m.map || !m.next || !m.pw || !m.c || n == 0) {
        galen_free(m.pw);
        m.pw = NULL;
        merge_cleanup(&m);
        return n == 0 ? GALEN_EINVAL : GALEN_ENOMEM;
    }
    postings_writer_init(m.pw, codec, in[0]->nfields);
    rc = segment_builder_new(path, in[0]->nfields, codec, &m.b);
    if (rc == GALEN_OK)
        rc = copy_docs(&m);
    docs = m.b ? segment_builder_doc_count(m.b) : 0;
    if (rc == GALEN_OK && docs > 0)
        rc = merge_terms(&m);
    if (rc == GALEN_OK && docs > 0)
        rc = segment_builder_finish(m.b, &sz);
    merge_cleanup(&m);
    if (rc != GALEN_OK)
        return rc;
    *ndocs = docs;
    *size = sz;
    return GALEN_OK;
}
