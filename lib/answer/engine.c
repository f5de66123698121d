/* SPDX-License-Identifier: MIT */
/* answer_engine.c: the public answer API (galen/answer.h). It opens the
 * index, the lexicon and the red-flag rules; for each question it runs the
 * analysis, retrieves candidates with BM25F, reads them back from the
 * document store, names the focus from the corpus's own focus terms, fixes
 * spelling against the index vocabulary and hands everything to the
 * composer. The spelling index over the vocabulary is built on first need
 * only, so a question with no unknown word never pays for it. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <galen/answer.h>
#include <galen/error.h>

#include "answer.h"
#include "answer_doc.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/hash.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/utf8.h"
#include "content/datadir.h"
#include "index/index.h"
#include "layterms.h"
#include "qanalyze.h"
#include "qtype.h"
#include "redflag.h"
#include "safety.h"
#include "search/query.h"
#include "search/search.h"
#include "sentmodel.h"
#include "spell.h"
#include "text/analyzer.h"
#include "text/words.h"

/* The word list used when the caller names none (Debian's wamerican,
 * installed by scripts/deps.sh). */
#define ANSWER_DICTIONARY "/usr/share/dict/words"
#define DICT_BYTES_MAX    (64L << 20) /* a larger word list is not presized */

enum {
    RETRIEVE_K = 20,      /* candidates retrieved for an answer */
    SAFETY_SEARCH_K = 20, /* documents searched for a medicine warning */
    RANK_K = 100,         /* candidates re-ranked for evaluation */
    SIMILAR_K = 60,       /* candidates for similar questions */
    QUERY_WORDS_MAX = 56, /* words sent to the search core (a retry
                             halves it when the parser finds too many) */
    ERR_MAX = 256,
    SCRATCH_MAX = 1 << 26,
    QUESTION_MAX = 16384
};

struct galen_answerer {
    struct index *idx;
    struct analyzer *an;
    struct search *search;
    struct query q;
    struct buf scratch; /* stored fields of one document */
    struct lexicon *lex;
    struct redflag_rules *rf;
    struct safety *safety;  /* medicine warnings; set whenever rf is */
    struct sentmodel model; /* the sentence model; set whenever rf is */
    bool has_model;
    struct spell *spell; /* built from the index vocabulary on first need */
    int spell_rc;        /* GALEN_OK until a build failed */
    char *dict_path;     /* known-word list, loaded on first need */
    struct spell *dict;  /* its words (as a set), or NULL */
    bool dict_tried;
    int title_field; /* -1 if the index has no title field */
    int body_field;
    char err[ERR_MAX];
};

static _Thread_local char open_err[ERR_MAX];

static int fail(struct galen_answerer *a, int rc, const char *fmt, ...)
    GALEN_PRINTF(3, 4);

static int fail(struct galen_answerer *a, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(a ? a->err : open_err, ERR_MAX, fmt, ap);
    va_end(ap);
    return rc;
}

const char *answerer_errmsg(const struct galen_answerer *a)
{
    return a ? a->err : open_err;
}

/* ---- opening ------------------------------------------------------------ */

static int field_named(const struct index_conf *conf, const char *name)
{
    unsigned f;

    for (f = 0; f < conf->nfields; f++) {
        if (strcmp(conf->field[f].name, name) == 0)
            return (int)f;
    }
    return -1;
}

/* The path of file name in the red-flag rules' folder. */
static int beside(const char *redflags, const char *name, char *path,
                  size_t cap)
{
    const char *slash = strrchr(redflags, '/');

    if ((size_t)snprintf(path, cap, "%.*s%s",
                         slash ? (int)(slash - redflags + 1) : 0, redflags,
                         name) >= cap)
        return fail(NULL, GALEN_EINVAL, "%s path too long", name);
    return GALEN_OK;
}

/* The medicine warnings, companions.tsv beside the red-flag rules: the
 * two safety files travel together, and neither is ever skipped. The
 * sentence model, answer-model.tsv, travels with them: an answer composed
 * without it would not be the one galen was measured on. */
static int open_companions(struct galen_answerer *a, const char *redflags)
{
    struct diag sd;
    char path[4096];
    int rc = beside(redflags, "companions.tsv", path, sizeof path);

    if (rc != GALEN_OK)
        return rc;
    rc = safety_load(path, &a->safety, &sd);
    if (rc != GALEN_OK)
        return fail(NULL, rc, "%s:%ld: %s", path, sd.line, sd.msg);
    rc = beside(redflags, "answer-model.tsv", path, sizeof path);
    if (rc != GALEN_OK)
        return rc;
    rc = sentmodel_load(path, &a->model, &sd);
    if (rc != GALEN_OK)
        return fail(NULL, rc, "%s:%ld: %s", path, sd.line, sd.msg);
    a->has_model = true;
    return GALEN_OK;
}

static int open_files(struct galen_answerer *a,
                      const struct galen_answerer_opts *o)
{
    struct diag ld;
    struct diag rd;
    int rc;

    if (o && o->lexicon) {
        rc = lexicon_load(o->lexicon, &a->lex, &ld);
        if (rc != GALEN_OK)
            return fail(NULL, rc, "%s:%ld: %s", o->lexicon, ld.line, ld.msg);
    }
    /* The word list keeps everyday words from being "corrected": the
     * system's own when the caller names none, so that the service and
     * the command line correct alike. */
    if ((o && o->dictionary) || access(ANSWER_DICTIONARY, R_OK) == 0) {
        a->dict_path = galen_strdup(o && o->dictionary ? o->dictionary
                                                       : ANSWER_DICTIONARY);
        if (!a->dict_path)
            return fail(NULL, GALEN_ENOMEM, "out of memory");
    }
    if (o && o->redflags) {
        rc = redflag_load(o->redflags, &a->rf, &rd);
        if (rc != GALEN_OK)
            return fail(NULL, rc, "%s:%ld: %s", o->redflags, rd.line, rd.msg);
    }
    if (o && o->redflags)
        return open_companions(a, o->redflags);
    return GALEN_OK;
}

static int open_index(struct galen_answerer *a, const char *data_dir)
{
    char path[4096];
    const struct index_conf *conf;
    int rc;

    if (datadir_index_path(data_dir, path, sizeof path) != GALEN_OK)
        return fail(NULL, GALEN_EINVAL, "data folder path too long");
    rc = index_open(path, &a->idx);
    if (rc != GALEN_OK)
        return fail(NULL, rc, "%s: %s", path, index_errmsg(NULL));
    conf = index_get_conf(a->idx);
    a->title_field = field_named(conf, "title");
    a->body_field = field_named(conf, "body");
    if (a->body_field < 0)
        a->body_field = conf->nfields > 1 ? 1 : 0;
    rc = analyzer_new(&a->an);
    if (rc == GALEN_OK)
        rc = search_new(a->idx, &a->search);
    if (rc != GALEN_OK)
        return fail(NULL, rc, "%s", error_str(rc));
    return GALEN_OK;
}

int answerer_open(const char *data_dir, const struct galen_answerer_opts *opts,
                  struct galen_answerer **out)
{
    struct galen_answerer *a = galen_calloc(1, sizeof *a);
    int rc;

    open_err[0] = '\0';
    if (!a)
        return fail(NULL, GALEN_ENOMEM, "out of memory");
    query_init(&a->q);
    buf_init(&a->scratch, SCRATCH_MAX);
    rc = open_index(a, data_dir);
    if (rc == GALEN_OK)
        rc = open_files(a, opts);
    if (rc != GALEN_OK) {
        answerer_close(a);
        return rc;
    }
    *out = a;
    return GALEN_OK;
}

void answerer_close(struct galen_answerer *a)
{
    if (!a)
        return;
    query_cleanup(&a->q);
    buf_cleanup(&a->scratch);
    search_free(a->search);
    analyzer_free(a->an);
    index_close(a->idx);
    lexicon_free(a->lex);
    redflag_free(a->rf);
    safety_free(a->safety);
    spell_free(a->spell);
    spell_free(a->dict);
    galen_free(a->dict_path);
    galen_free(a);
}

/* ---- options ------------------------------------------------------------ */

void answer_ask_opts_init(struct galen_ask_opts *o)
{
    memset(o, 0, sizeof *o);
    o->audience = GALEN_AUDIENCE_PATIENT;
}

unsigned answer_source_kind_bit(const char *name)
{
    enum doc_kind k;

    if (!name || doc_kind_parse(name, &k) != GALEN_OK)
        return 0;
    return 1u << k;
}

bool answer_evidence_level_known(const char *name)
{
    enum doc_evidence e;

    return name && doc_evidence_parse(name, &e) == GALEN_OK;
}

/* ---- spelling against the index vocabulary ------------------------------ */

static bool alpha_term(struct str t)
{
    size_t k;

    if (t.len < 3 || t.len > SPELL_WORD_MAX)
        return false;
    for (k = 0; k < t.len; k++) {
        if (t.p[k] < 'a' || t.p[k] > 'z')
            return false;
    }
    return true;
}

static int build_speller(struct galen_answerer *a)
{
    uint32_t s, i;
    int rc = spell_new(&a->spell);

    for (s = 0; rc == GALEN_OK && s < index_segment_count(a->idx); s++) {
        const struct segment *seg = index_segment(a->idx, s);

        for (i = 0; rc == GALEN_OK && i < segment_term_count(seg); i++) {
            struct str t = segment_term_at(seg, i);
            struct term_info ti;

            if (!alpha_term(t) || segment_lookup(seg, t, &ti) != GALEN_OK)
                continue;
            rc = spell_add(a->spell, t.p, t.len, ti.df);
        }
    }
    if (rc == GALEN_OK)
        rc = spell_build(a->spell);
    if (rc != GALEN_OK) {
        spell_free(a->spell);
        a->spell = NULL;
        a->spell_rc = rc;
    }
    return rc;
}

/* Loads the known-word list, lower-cased (proper names such as "France"
 * are known words too); possessives and non-ASCII words are skipped. A list
 * that cannot be read leaves dict NULL: correction then only trusts the corpus.
 */
static void load_dictionary(struct galen_answerer *a)
{
    FILE *f;
    char line[128];
    struct stat st;
    int rc;

    a->dict_tried = true;
    if (!a->dict_path)
        return;
    f = fopen(a->dict_path, "r");
    if (!f)
        return;
    rc = spell_new(&a->dict);
    /* Sized from the file (a word is about nine bytes with its newline),
     * the list loads without regrowing: it is loaded per process. */
    if (rc == GALEN_OK && fstat(fileno(f), &st) == 0 && st.st_size > 0 &&
        st.st_size < DICT_BYTES_MAX)
        rc = spell_reserve(a->dict, (size_t)st.st_size / 8, (size_t)st.st_size);
    while (rc == GALEN_OK && fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n"), k;
        bool ok = n > 0;

        for (k = 0; k < n && ok; k++) {
            if (line[k] >= 'A' && line[k] <= 'Z')
                line[k] = (char)(line[k] + 32);
            ok = line[k] >= 'a' && line[k] <= 'z';
        }
        if (ok)
            rc = spell_add(a->dict, line, n, 1);
    }
    fclose(f);
    if (rc != GALEN_OK) {
        spell_free(a->dict);
        a->dict = NULL;
    }
}

static bool in_dictionary(struct galen_answerer *a, const char *w, size_t len)
{
    if (!a->dict_tried)
        load_dictionary(a);
    return a->dict && spell_freq(a->dict, w, len) > 0;
}

/* True if the word list could be read: only then can a word be told
 * rare. */
static bool has_dictionary(struct galen_answerer *a)
{
    if (!a->dict_tried)
        load_dictionary(a);
    return a->dict != NULL;
}

/* A word of everyday English (given in lower case): in the word list.
 * The list loads on the first word asked about; one that cannot be read
 * makes every word everyday, so that none is taken for a rare one. */
static bool common_word_cb(void *ctx, const char *w, size_t len)
{
    return !has_dictionary(ctx) || in_dictionary(ctx, w, len);
}

/* The everyday-word test, or NULL without a word list: then nothing is
 * rare and the focus keeps the rules' choice. */
static qanalyze_common_fn common_word_fn(const struct galen_answerer *a)
{
    return a->dict_path ? common_word_cb : NULL;
}

static const struct analyzer_opts stem_opts = {true, false};

enum { SURFACE_FIX_MIN = 6 };

/* Keeps the stem of v[0..n) in out when more documents have it than
 * *best. */
static void try_variant(struct galen_answerer *a, const char *v, size_t n,
                        char *out, size_t cap, size_t *outn, uint64_t *best)
{
    char stem[ANALYZER_TERM_MAX];
    size_t sn = analyzer_term(a->an, &stem_opts, v, n, stem, sizeof stem);
    uint64_t df = sn ? index_df(a->idx, (struct str){stem, sn}) : 0;

    if (df > *best && sn < cap) {
        *best = df;
        memcpy(out, stem, sn);
        *outn = sn;
    }
}

/* The correction the stem speller cannot find: a stemmer may cut a
 * misspelt word and its correction to stems far apart ("folliculitus"
 * stays whole, "folliculitis" becomes "follicul"). Every one-letter edit
 * of the word itself (deletion, substitution, insertion, swap) is stemmed
 * and looked up; the stem most documents have wins. Words of
 * SURFACE_FIX_MIN letters or more, lower case a-z only. */
static size_t surface_edit(struct galen_answerer *a, const char *w, size_t len,
                           char *out, size_t cap)
{
    char v[SPELL_WORD_MAX + 2];
    size_t i, outn = 0;
    uint64_t best = 0;
    char ch;

    if (len < SURFACE_FIX_MIN || len > SPELL_WORD_MAX)
        return 0;
    for (i = 0; i < len; i++) {
        if (w[i] < 'a' || w[i] > 'z')
            return 0;
    }
    for (i = 0; i <= len; i++) {
        if (i < len) {
            memcpy(v, w, i);
            memcpy(v + i, w + i + 1, len - i - 1);
            try_variant(a, v, len - 1, out, cap, &outn, &best);
        }
        if (i + 1 < len) {
            memcpy(v, w, len);
            v[i] = w[i + 1];
            v[i + 1] = w[i];
            try_variant(a, v, len, out, cap, &outn, &best);
        }
        for (ch = 'a'; ch <= 'z'; ch++) {
            memcpy(v, w, i);
            v[i] = ch;
            memcpy(v + i + 1, w + i, len - i);
            try_variant(a, v, len + 1, out, cap, &outn, &best);
            if (i < len && ch != w[i]) {
                memcpy(v, w, len);
                v[i] = ch;
                try_variant(a, v, len, out, cap, &outn, &best);
            }
        }
    }
    return outn;
}

/* The corrector qanalyze calls: a word whose stem is in the index is
 * known; otherwise the closest frequent stem is the correction, or
 * failing that the best one-letter edit (surface_edit). */
static size_t correct_cb(void *ctx, const char *w, size_t len, char *out,
                         size_t cap)
{
    struct galen_answerer *a = ctx;
    char stem[ANALYZER_TERM_MAX];
    size_t n = analyzer_term(a->an, &stem_opts, w, len, stem, sizeof stem);
    struct spell_hit h;

    if (n == 0 || index_df(a->idx, (struct str){stem, n}) > 0 ||
        in_dictionary(a, w, len))
        return 0;
    if (!a->spell && (a->spell_rc != GALEN_OK || build_speller(a) != GALEN_OK))
        return 0;
    if (!spell_correct(a->spell, stem, n, &h))
        return surface_edit(a, w, len, out, cap);
    if (h.len >= cap)
        return 0;
    memcpy(out, h.word, h.len);
    return h.len;
}

/* ---- retrieval ---------------------------------------------------------- */

/* The words of text, case-insensitively distinct, at most
 * QUERY_WORDS_MAX of them: what the search core gets. */
static int query_words(const char *text, size_t max, struct buf *out)
{
    size_t len = strlen(text), i = 0, e = 0, n = 0, k;
    size_t seen_b[QUERY_WORDS_MAX], seen_e[QUERY_WORDS_MAX];
    int rc = GALEN_OK;

    buf_reset(out);
    while (n < max && n < QUERY_WORDS_MAX) {
        bool dup = false;

        i = answer_text_word(text, len, i, &e);
        if (i >= len)
            break;
        /* "Parkinson's" stays one word, as the analyzer indexes it; split,
         * its "s" would be a query word of its own. */
        while (text[e] == '\'' &&
               answer_text_is_word((unsigned char)text[e + 1]))
            answer_text_word(text, len, e + 1, &e);
        for (k = 0; k < n && !dup; k++)
            dup = seen_e[k] - seen_b[k] == e - i &&
                  strncasecmp(text + seen_b[k], text + i, e - i) == 0;
        if (!dup && e - i <= 40) {
            seen_b[n] = i;
            seen_e[n] = e;
            n++;
            if (out->len)
                buf_put_byte(&rc, out, ' ');
            buf_put(&rc, out, text + i, e - i);
        }
        i = e;
    }
    buf_put_nul(&rc, out);
    return rc;
}

struct hitlist {
    struct answer_cand *c;
    size_t n;
};

static void hitlist_free(struct hitlist *h)
{
    size_t k;

    for (k = 0; k < h->n; k++)
        doc_free(h->c[k].doc);
    galen_free(h->c);
    h->c = NULL;
    h->n = 0;
}

static int load_doc(struct galen_answerer *a, const struct topk_entry *e,
                    struct doc **out)
{
    const struct segment *seg = index_segment(a->idx, e->seg);
    struct str field[INDEX_MAX_FIELDS], meta, title = {"", 0};
    int rc = segment_doc_load(seg, e->doc, &a->scratch, field, &meta);

    if (rc != GALEN_OK)
        return fail(a, rc, "cannot read a stored document: %s", error_str(rc));
    if (a->title_field >= 0)
        title = field[a->title_field];
    rc = answer_doc_load(segment_doc_id(seg, e->doc), title,
                         field[a->body_field], meta, out);
    if (rc != GALEN_OK)
        return fail(a, rc, "stored document %.*s: bad metadata",
                    (int)segment_doc_id(seg, e->doc).len,
                    segment_doc_id(seg, e->doc).p);
    return GALEN_OK;
}

/* Runs text as a free-text query for its top k; *e and *n as search_run's.
 * A query with no searchable word has no hits. title_boost > 0 multiplies
 * the title field's weight (similar-question search). */
static int search_text(struct galen_answerer *a, const char *text, unsigned k,
                       double title_boost, const struct topk_entry **e,
                       size_t *n)
{
    const struct index_conf *conf = index_get_conf(a->idx);
    struct search_params p;
    struct buf words;
    int rc;

    *n = 0;
    buf_init(&words, QUESTION_MAX);
    rc = query_words(text, QUERY_WORDS_MAX, &words);
    if (rc == GALEN_OK)
        rc = query_parse(&a->q, a->an, conf, (const char *)words.data,
                         words.len, QUERY_PLAIN);
    if (rc == GALEN_EPARSE || rc == GALEN_ETOOBIG) {
        rc = query_words(text, QUERY_WORDS_MAX / 2, &words);
        if (rc == GALEN_OK)
            rc = query_parse(&a->q, a->an, conf, (const char *)words.data,
                             words.len, QUERY_PLAIN);
    }
    buf_cleanup(&words);
    if (rc == GALEN_EPARSE || rc == GALEN_ETOOBIG)
        return GALEN_OK;
    search_params_default(&p, conf, k);
    if (title_boost > 0 && a->title_field >= 0)
        p.weight[a->title_field] *= title_boost;
    return rc == GALEN_OK ? search_run(a->search, &a->q, &p, e, n) : rc;
}

/* Runs text as a free-text query and loads the top k documents (see
 * search_text); their own score is their score, text being the question's
 * own words until add_own_hits says otherwise. */
static int retrieve(struct galen_answerer *a, const char *text, unsigned k,
                    double title_boost, struct hitlist *out)
{
    const struct topk_entry *e;
    size_t n = 0, i;
    int rc = search_text(a, text, k, title_boost, &e, &n);

    out->c = NULL;
    out->n = 0;
    if (rc == GALEN_OK && n > 0) {
        out->c = galen_calloc(n, sizeof *out->c);
        rc = out->c ? GALEN_OK : GALEN_ENOMEM;
    }
    for (i = 0; rc == GALEN_OK && i < n; i++) {
        rc = load_doc(a, &e[i], &out->c[i].doc);
        out->c[i].score = e[i].score;
        out->c[i].own = e[i].score;
        if (rc == GALEN_OK)
            out->n++;
    }
    if (rc != GALEN_OK)
        hitlist_free(out);
    return rc;
}

/* A page the question's own words find scores at least what they give it;
 * one only the expansions find scores EXPANDED_W of what the whole query
 * gives it, the trust a lexicon expansion carries (qanalyze.c). */
#define EXPANDED_W 0.8

static int cmp_cand(const void *x, const void *y)
{
    const struct answer_cand *a = x, *b = y;

    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return strcmp(a->doc->id, b->doc->id);
}

/* Widens h, found with the question and its expansions, by the top k
 * pages its own words find, keeps the top k by the better of the two
 * scores, and sets each one's own score (answer_cand.own, 0 when the own
 * words do not find it). In one query BM25 adds an expansion's score to
 * that of the word it stands for: a page naming both "hypertension" and
 * "high blood pressure" outscored the page that answers "What causes high
 * blood pressure?". */
static int add_own_hits(struct galen_answerer *a, const struct qanalysis *qa,
                        unsigned k, struct hitlist *h)
{
    const struct topk_entry *e;
    struct answer_cand *c;
    char *own;
    size_t n = 0, i, j, had = h->n;
    int rc;

    if (qa->query_own >= strlen(qa->query) || h->n == 0)
        return GALEN_OK;
    own = galen_strndup(qa->query, qa->query_own);
    rc = own ? search_text(a, own, k, 0, &e, &n) : GALEN_ENOMEM;
    galen_free(own);
    c = rc == GALEN_OK ? galen_realloc(h->c, (had + n) * sizeof *c) : NULL;
    if (rc == GALEN_OK && !c)
        rc = GALEN_ENOMEM;
    if (rc != GALEN_OK)
        return rc;
    h->c = c;
    for (i = 0; i < had; i++) {
        c[i].score *= EXPANDED_W;
        c[i].own = 0;
    }
    for (j = 0; rc == GALEN_OK && j < n; j++) {
        struct str id =
            segment_doc_id(index_segment(a->idx, e[j].seg), e[j].doc);

        for (i = 0; i < had && !str_eq_cstr(id, c[i].doc->id); i++)
            ;
        if (i < had) {
            c[i].score = MAX(c[i].score, e[j].score);
            c[i].own = e[j].score;
        } else {
            rc = load_doc(a, &e[j], &c[h->n].doc);
            if (rc == GALEN_OK) {
                c[h->n].own = e[j].score;
                c[h->n++].score = e[j].score;
            }
        }
    }
    qsort(c, h->n, sizeof *c, cmp_cand);
    while (h->n > k)
        doc_free(c[--h->n].doc);
    return rc;
}

/* ---- the pieces of an answer -------------------------------------------- */

/* BM25's idf of an analysed term. A term no document has gets the idf of
 * a term in half a document: the question asks about something the
 * sources never mention, and that must lower every sentence's coverage
 * (it is how off-topic questions abstain). */
static double answer_bm25_idf(double n, double df)
{
    return log(1.0 + (n - MAX(df, 0.5) + 0.5) / (MAX(df, 0.5) + 0.5));
}

static double idf_cb(void *ctx, const char *term, size_t len)
{
    const struct galen_answerer *a = ctx;

    return answer_bm25_idf((double)index_doc_count(a->idx),
                           (double)index_df(a->idx, (struct str){term, len}));
}

/* The idf that evidence (abstention) weighs a question's words by. A small
 * collection is a specialised one: every word it has is rare against the
 * background, so it counts as at least IDF_MIN_DOCS documents. Without
 * this a ten-document corpus weighs its own words near zero against the
 * words it lacks, and every question looks off-topic. */
enum { IDF_MIN_DOCS = 1000 };

static double cover_idf_cb(void *ctx, const char *term, size_t len)
{
    const struct galen_answerer *a = ctx;

    return answer_bm25_idf(MAX((double)index_doc_count(a->idx), IDF_MIN_DOCS),
                           (double)index_df(a->idx, (struct str){term, len}));
}

/* Focus candidates from the retrieved documents' own focus terms and
 * synonyms; the synonyms point at the document's first focus term. */
static int refine_focus(struct qanalysis *qa, const struct hitlist *h)
{
    struct focus_cand *c;
    size_t n = 0, k, j, cap = 0;
    int rc;

    for (k = 0; k < h->n; k++)
        cap += h->c[k].doc->focus.n + h->c[k].doc->synonyms.n;
    if (cap == 0)
        return GALEN_OK;
    c = galen_calloc(cap, sizeof *c);
    if (!c)
        return GALEN_ENOMEM;
    for (k = 0; k < h->n; k++) {
        const struct doc *d = h->c[k].doc;
        const char *canon = d->focus.n ? d->focus.v[0] : NULL;

        for (j = 0; j < d->focus.n; j++)
            c[n++] = (struct focus_cand){d->focus.v[j], NULL, FOCUS_NONE,
                                         h->c[k].score};
        for (j = 0; j < d->synonyms.n && canon; j++)
            c[n++] = (struct focus_cand){d->synonyms.v[j], canon, FOCUS_NONE,
                                         h->c[k].score};
    }
    rc = qanalyze_refine_focus(qa, c, n);
    galen_free(c);
    return rc;
}

enum { CFOCUS_DOCS = 5 };

/* The sections of the top documents, as texts for the corpus focus. */
static int corpus_focus(struct qanalysis *qa, const struct hitlist *h)
{
    const char *texts[64];
    size_t n = 0, k, s;

    for (k = 0; k < h->n && k < CFOCUS_DOCS; k++) {
        const struct doc *d = h->c[k].doc;

        if (d->title && *d->title && n < ARRAY_SIZE(texts))
            texts[n++] = d->title;
        for (s = 0; s < d->nsections && n < ARRAY_SIZE(texts); s++)
            texts[n++] = d->sections[s].text;
    }
    return qanalyze_corpus_focus(qa, texts, n);
}

enum { FORMS_MAX = 8 };

/* The forms a stem takes in the retrieved text, with their counts. */
struct surface {
    const char *stem;
    const char *text;
    char form[FORMS_MAX][ANALYZER_TERM_MAX + 1];
    size_t count[FORMS_MAX];
    size_t n;
};

static int on_surface(void *ctx, const struct aterm *t)
{
    struct surface *s = ctx;
    size_t len = t->end - t->start, k;
    char w[ANALYZER_TERM_MAX + 1];

    if (t->len != strlen(s->stem) || memcmp(t->term, s->stem, t->len) != 0 ||
        len > ANALYZER_TERM_MAX)
        return 0;
    for (k = 0; k < len; k++)
        w[k] = (char)answer_text_lower((unsigned char)s->text[t->start + k]);
    w[len] = '\0';
    for (k = 0; k < s->n; k++) {
        if (strcmp(s->form[k], w) == 0) {
            s->count[k]++;
            return 0;
        }
    }
    if (s->n < FORMS_MAX) {
        memcpy(s->form[s->n], w, len + 1);
        s->count[s->n++] = 1;
    }
    return 0;
}

/* The most frequent form; ties go to the bytewise first. */
static const char *best_form(const struct surface *s)
{
    size_t k, best = 0;

    if (s->n == 0)
        return NULL;
    for (k = 1; k < s->n; k++) {
        if (s->count[k] > s->count[best] ||
            (s->count[k] == s->count[best] &&
             strcmp(s->form[k], s->form[best]) < 0))
            best = k;
    }
    return s->form[best];
}

/* Replaces each spelling fix (an index stem) by the word as the retrieved
 * documents write it ("cramp" -> "cramps"), for "did you mean". */
static int surface_fixes(struct galen_answerer *a, struct qanalysis *qa,
                         const struct hitlist *h)
{
    size_t i, k, s;
    int rc = GALEN_OK;

    for (i = 0; i < qa->nfixes && rc == GALEN_OK; i++) {
        struct surface sf;

        const char *form;

        memset(&sf, 0, sizeof sf);
        sf.stem = qa->fixes[i].to;
        for (k = 0; k < h->n && k < 5 && rc == GALEN_OK; k++) {
            const struct doc *d = h->c[k].doc;
            for (s = 0; s < d->nsections && rc == GALEN_OK; s++) {
                sf.text = d->sections[s].text;
                rc = analyzer_run(a->an, &stem_opts, sf.text, strlen(sf.text),
                                  on_surface, &sf);
            }
        }
        form = best_form(&sf);
        if (rc == GALEN_OK && form && strcmp(form, qa->fixes[i].to) != 0)
            rc = qanalyze_set_fix(qa, i, form);
    }
    return rc;
}

/* The question and, after a '\x1e', its lexicon expansions: what red-flag
 * rules see (expansions match at any position of a rule's window). */
static int redflag_text(const struct qanalysis *qa, struct buf *b)
{
    size_t k;
    int rc = GALEN_OK;

    buf_put_str(&rc, b, qa->text);
    buf_put_str(&rc, b, " \x1e");
    for (k = 0; k < qa->nterms; k++) {
        buf_put_str(&rc, b, " . ");
        buf_put_str(&rc, b, qa->terms[k].text);
    }
    buf_put_nul(&rc, b);
    return rc;
}

/* The safety pass's search hook: more documents for a medicine warning. */
static int safety_search(void *ctx, const char *query, struct answer_cand **out,
                         size_t *n)
{
    struct hitlist h;
    int rc = retrieve(ctx, query, SAFETY_SEARCH_K, 0, &h);

    *out = h.c;
    *n = rc == GALEN_OK ? h.n : 0;
    return rc;
}

/* ---- similar answered questions ----------------------------------------- */

enum { STEMSET_MAX = 64 };

struct stemset {
    uint32_t h[STEMSET_MAX];
    size_t n;
    const char *text;
};

static int on_stem(void *ctx, const struct aterm *t)
{
    struct stemset *s = ctx;
    uint32_t h = hash_fnv1a32(t->term, t->len);
    size_t k;

    for (k = 0; k < s->n; k++) {
        if (s->h[k] == h)
            return 0;
    }
    if (s->n < STEMSET_MAX)
        s->h[s->n++] = h;
    return 0;
}

static const struct analyzer_opts index_opts = {true, true};

static int stem_set(struct galen_answerer *a, const char *text,
                    struct stemset *s)
{
    s->n = 0;
    s->text = text;
    return analyzer_run(a->an, &index_opts, text, strlen(text), on_stem, s);
}

/* Dice overlap of two stem sets. */
static double dice(const struct stemset *x, const struct stemset *y)
{
    size_t i, j, both = 0;

    for (i = 0; i < x->n; i++) {
        for (j = 0; j < y->n; j++) {
            if (x->h[i] == y->h[j]) {
                both++;
                break;
            }
        }
    }
    return x->n + y->n ? 2.0 * (double)both / (double)(x->n + y->n) : 0;
}

/* The question a question document asks: its text when that is the
 * question itself (a question bank), else its title. */
static const char *question_text(const struct doc *d)
{
    size_t n = d->title ? strlen(d->title) : 0;

    if (n > 0 && d->title[n - 1] == '?')
        return d->title;
    if (d->nsections == 1 && strlen(d->sections[0].text) < 600)
        return d->sections[0].text;
    return d->title ? d->title : "";
}

/* A document that is an answered question: a Q&A pair, an FAQ, a
 * document whose title is a question, or a one-paragraph document (a bank
 * of questions imported as plain documents, such as RQE's). */
static bool is_question_doc(const struct doc *d)
{
    size_t n = d->title ? strlen(d->title) : 0;

    if (!d->has_answer)
        return false;
    if (d->kind == DOC_KIND_QA || d->kind == DOC_KIND_FAQ ||
        (n > 0 && d->title[n - 1] == '?'))
        return true;
    return d->nsections == 1 && strlen(d->sections[0].text) < 600;
}

static const char *reply_text(const struct doc *d)
{
    size_t k;

    for (k = 0; k < d->nsections; k++) {
        if (strcmp(d->sections[k].heading, "Reply") == 0)
            return d->sections[k].text;
    }
    for (k = 0; k < d->nsections; k++) {
        if (strcmp(d->sections[k].heading, "Question") != 0)
            return d->sections[k].text;
    }
    return "";
}

/* Length of a source citation marker ("[1]", "[1, 2]") at t, or 0. */
static size_t marker_len(const char *t)
{
    size_t j = 1;

    if (t[0] != '[')
        return 0;
    while ((t[j] >= '0' && t[j] <= '9') || t[j] == ',' || t[j] == ' ' ||
           t[j] == '-')
        j++;
    return t[j] == ']' && j > 1 ? j + 1 : 0;
}

/* The start of text without the source's citation markers, cut at a word
 * boundary near max bytes, with an ellipsis when cut. */
static char *snippet(const char *text, size_t max, int *rc)
{
    struct buf b;
    size_t i = 0, m;

    if (*rc != GALEN_OK)
        return NULL;
    buf_init(&b, max + 8);
    while (text[i] && b.len < max) {
        m = marker_len(text + i);
        if (m) {
            while (b.len > 0 && b.data[b.len - 1] == ' ')
                b.len--;
            i += m;
            continue;
        }
        buf_put_byte(rc, &b, (unsigned char)text[i++]);
    }
    if (text[i] && *rc == GALEN_OK) {
        size_t cut = b.len;
        while (cut > max / 2 && b.data[cut - 1] != ' ')
            cut--;
        while (cut > 0 && cut < b.len && (b.data[cut] & 0xc0) == 0x80)
            cut--;
        b.len = cut;
        while (b.len > 0 && b.data[b.len - 1] == ' ')
            b.len--;
        buf_put_str(rc, &b, "\xe2\x80\xa6");
    }
    buf_put_nul(rc, &b);
    if (*rc != GALEN_OK) {
        buf_cleanup(&b);
        return NULL;
    }
    return (char *)buf_take(&b, NULL);
}

static char *copy(const char *s, int *rc)
{
    char *d;

    if (*rc != GALEN_OK)
        return NULL;
    d = galen_strdup(s ? s : "");
    if (!d)
        *rc = GALEN_ENOMEM;
    return d;
}

static int fill_similar(struct answer_similar *it, const struct doc *d,
                        double score)
{
    int rc = GALEN_OK;

    it->id = copy(d->id, &rc);
    it->question = copy(d->title, &rc);
    it->snippet = snippet(reply_text(d), 240, &rc);
    it->specialty = copy(d->specialty, &rc);
    it->kind = copy(doc_kind_name(d->kind), &rc);
    it->asked = copy(d->asked, &rc);
    it->age_band = copy(d->age_band, &rc);
    it->sex = copy(d->sex, &rc);
    it->score = score;
    return rc;
}

struct scored {
    size_t i;
    double score;
};

static int cmp_scored(const void *x, const void *y)
{
    const struct scored *a = x, *b = y;

    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Weights of the similar-question score: title overlap with the question
 * and the retrieval score (normalised to the best). */
#define SIM_W_DICE 0.3
#define SIM_W_BM25 0.7
#define SIM_W_TYPE 0.1 /* bonus for the same question type */
/* The title field's weight in similar-question retrieval, relative to the
 * index's: a question bank imported as plain documents has a title that
 * repeats the start of its text, so the title would count twice; a Q&A
 * pair's title, which is its question, is compared by the Dice term. Tuned
 * on rqe-train (docs/answer.md). */
#define SIM_BOOST    0.25
#define SIM_MIN_DICE 0.2

/* Ranks the question documents of h by similarity to question; writes up
 * to max of them to *out (caller frees with answer_similar_free). */
/* True if the document answers the same type of question ("How is X
 * treated?" for a treatment question): its own question type, else the
 * type of its question text. */
static bool same_type(const struct qtype_result *q, const struct doc *d)
{
    struct qtype_result r;
    enum qtype t;
    const char *text;

    if (q->type == QTYPE_OTHER)
        return false;
    if (d->question_type &&
        qtype_from_name(d->question_type, strlen(d->question_type), &t))
        return t == q->type;
    text = question_text(d);
    qtype_classify(text, strlen(text), &r);
    return r.type == q->type;
}

static int rank_similar(struct galen_answerer *a, const char *question,
                        const struct hitlist *h, size_t max, double min_dice,
                        struct answer_similar **out, size_t *nout)
{
    struct stemset q, t;
    struct scored *sc;
    struct qtype_result qt;
    size_t k, n = 0;
    int rc = stem_set(a, question, &q);

    qtype_classify(question, strlen(question), &qt);

    *out = NULL;
    *nout = 0;
    if (rc != GALEN_OK || h->n == 0)
        return rc;
    sc = galen_calloc(h->n, sizeof *sc);
    if (!sc)
        return GALEN_ENOMEM;
    for (k = 0; k < h->n && rc == GALEN_OK; k++) {
        const struct doc *d = h->c[k].doc;
        double dc;

        if (!is_question_doc(d))
            continue;
        rc = stem_set(a, question_text(d), &t);
        dc = dice(&q, &t);
        if (rc != GALEN_OK || dc < min_dice)
            continue;
        sc[n].i = k;
        sc[n++].score = SIM_W_DICE * dc +
                        SIM_W_BM25 * h->c[k].score / h->c[0].score +
                        (same_type(&qt, d) ? SIM_W_TYPE : 0.0);
    }
    qsort(sc, n, sizeof *sc, cmp_scored);
    n = MIN(n, max);
    if (rc == GALEN_OK && n > 0) {
        *out = galen_calloc(n, sizeof **out);
        rc = *out ? GALEN_OK : GALEN_ENOMEM;
    }
    for (k = 0; rc == GALEN_OK && k < n; k++) {
        rc = fill_similar(&(*out)[k], h->c[sc[k].i].doc, sc[k].score);
        *nout = k + 1;
    }
    galen_free(sc);
    return rc;
}

struct galen_similar {
    struct answer_similar *v;
    size_t n;
    struct galen_similar_item *items;
};

static int sanitize(const char *in, struct buf *out)
{
    int rc = GALEN_OK;

    utf8_sanitize(&rc, out, in, MIN(strlen(in), (size_t)QUESTION_MAX));
    buf_put_nul(&rc, out);
    return rc;
}

int answer_sim_find(struct galen_answerer *a, const char *question, unsigned k,
                    struct galen_similar **out)
{
    struct galen_similar *s;
    struct hitlist h;
    struct buf q;
    size_t i;
    int rc;

    if (k == 0 || k > 100)
        return fail(a, GALEN_EINVAL, "k must be 1..100");
    s = galen_calloc(1, sizeof *s);
    if (!s)
        return GALEN_ENOMEM;
    buf_init(&q, QUESTION_MAX + 8);
    rc = sanitize(question, &q);
    if (rc == GALEN_OK)
        rc = retrieve(a, (const char *)q.data, SIMILAR_K, SIM_BOOST, &h);
    if (rc == GALEN_OK) {
        rc = rank_similar(a, (const char *)q.data, &h, k, 0, &s->v, &s->n);
        hitlist_free(&h);
    }
    buf_cleanup(&q);
    if (rc == GALEN_OK && s->n) {
        s->items = galen_calloc(s->n, sizeof *s->items);
        rc = s->items ? GALEN_OK : GALEN_ENOMEM;
    }
    for (i = 0; rc == GALEN_OK && i < s->n; i++) {
        const struct answer_similar *v = &s->v[i];
        s->items[i] = (struct galen_similar_item){
            v->id,    v->question, v->snippet, v->specialty, v->kind,
            v->asked, v->age_band, v->sex,     v->score};
    }
    if (rc != GALEN_OK) {
        answer_sim_free(s);
        return rc;
    }
    *out = s;
    return GALEN_OK;
}

void answer_sim_free(struct galen_similar *s)
{
    if (!s)
        return;
    answer_similar_free(s->v, s->n);
    galen_free(s->items);
    galen_free(s);
}

void answer_similar_view(const struct galen_similar *s,
                         const struct answer_similar **v, size_t *n)
{
    *v = s->v;
    *n = s->n;
}

size_t answer_sim_count(const struct galen_similar *s)
{
    return s->n;
}

const struct galen_similar_item *answer_sim_get(const struct galen_similar *s,
                                                size_t i)
{
    return i < s->n ? &s->items[i] : NULL;
}

/* ---- asking ------------------------------------------------------------- */

_Static_assert((int)GALEN_KIND_GUIDELINE == DOC_KIND_GUIDELINE &&
                   (int)GALEN_KIND_FAQ == DOC_KIND_FAQ &&
                   (int)GALEN_KIND_COUNT == DOC_KIND_COUNT,
               "galen_source_kind mirrors doc_kind");

static int check_opts(struct galen_answerer *a, const struct galen_ask_opts *o,
                      int *min_evidence)
{
    enum doc_evidence e = DOC_EVIDENCE_NONE;

    if (o->audience != GALEN_AUDIENCE_PATIENT &&
        o->audience != GALEN_AUDIENCE_CLINICIAN)
        return fail(a, GALEN_EINVAL, "unknown audience");
    if (o->kinds >> GALEN_KIND_COUNT)
        return fail(a, GALEN_EINVAL, "unknown source kind");
    if (o->min_evidence && doc_evidence_parse(o->min_evidence, &e) != GALEN_OK)
        return fail(a, GALEN_EINVAL, "unknown evidence level '%s'",
                    o->min_evidence);
    *min_evidence = (int)e;
    return GALEN_OK;
}

/* Everything one question needs, freed by ask_cleanup. */
struct ask {
    struct buf question, previous, rftext;
    struct qanalysis *qa;
    struct hitlist hits;
    struct answer_similar *similar;
    size_t nsimilar;
    const struct redflag_rule *flags[ANSWER_REDFLAGS_MAX];
    size_t nflags;
};

static void ask_cleanup(struct ask *k)
{
    buf_cleanup(&k->question);
    buf_cleanup(&k->previous);
    buf_cleanup(&k->rftext);
    qanalysis_free(k->qa);
    hitlist_free(&k->hits);
    answer_similar_free(k->similar, k->nsimilar);
}

/* Analysis and retrieval: what both answering and ranking need. */
static int prepare(struct galen_answerer *a, struct ask *k,
                   const char *question, const char *previous, unsigned depth)
{
    struct qanalyze_ctx qc = {.lexicon = a->lex,
                              .correct = correct_cb,
                              .correct_ctx = a,
                              .common_word = common_word_fn(a)};
    int rc;

    memset(k, 0, sizeof *k);
    buf_init(&k->question, QUESTION_MAX + 8);
    buf_init(&k->previous, QUESTION_MAX + 8);
    buf_init(&k->rftext, 4 * QUESTION_MAX);
    rc = sanitize(question, &k->question);
    if (rc == GALEN_OK && previous) {
        rc = sanitize(previous, &k->previous);
        qc.previous = (const char *)k->previous.data;
    }
    if (rc == GALEN_OK)
        rc = qanalyze(&qc, (const char *)k->question.data, k->question.len,
                      &k->qa);
    if (rc == GALEN_OK)
        rc = retrieve(a, k->qa->query, depth, 0, &k->hits);
    if (rc == GALEN_OK)
        rc = add_own_hits(a, k->qa, depth, &k->hits);
    /* A message whose questions name nothing the sources use ("Do you know
     * of any research?") is looked up by its whole story instead. */
    if (rc == GALEN_OK && k->hits.n == 0 && k->qa->is_message) {
        hitlist_free(&k->hits);
        rc = retrieve(a, k->qa->text, depth, 0, &k->hits);
    }
    if (rc == GALEN_OK)
        rc = corpus_focus(k->qa, &k->hits);
    if (rc == GALEN_OK)
        rc = refine_focus(k->qa, &k->hits);
    if (rc == GALEN_OK && k->qa->nfixes)
        rc = surface_fixes(a, k->qa, &k->hits);
    return rc;
}

static void compose_in_init(struct galen_answerer *a, struct ask *k,
                            const struct galen_ask_opts *o, int min_evidence,
                            struct answer_compose_in *in)
{
    memset(in, 0, sizeof *in);
    in->qa = k->qa;
    in->cands = k->hits.c;
    in->ncands = k->hits.n;
    in->audience = o->audience;
    in->min_evidence = min_evidence;
    in->kinds = o->kinds;
    in->analyzer = a->an;
    in->idf = idf_cb;
    in->cover_idf = cover_idf_cb;
    in->idf_ctx = a;
    in->common_word = common_word_fn(a);
    in->model = a->has_model ? &a->model : NULL;
    in->ndocs = (size_t)index_doc_count(a->idx);
    in->long_answer = o->long_answer;
}

/* Hands a composed answer to the safety pass (safety.h). */
static int safety_hook(struct galen_answerer *a, struct ask *k,
                       const struct galen_ask_opts *o, int min_evidence,
                       struct galen_answer *ans)
{
    struct safety_in in = {
        k->qa->text, o->audience,   k->qa->qtype.type == QTYPE_DOSAGE,
        a->rf,       k->flags,      k->nflags,
        o->kinds,    min_evidence,  k->hits.c,
        k->hits.n,   safety_search, a};

    return safety_apply(a->safety, &in, ans);
}

int answer_ask(struct galen_answerer *a, const char *question,
               const struct galen_ask_opts *o, struct galen_answer **out)
{
    struct galen_ask_opts defaults;
    struct answer_compose_in in;
    struct ask k;
    int min_evidence = DOC_EVIDENCE_NONE, rc;

    a->err[0] = '\0';
    if (!o) {
        answer_ask_opts_init(&defaults);
        o = &defaults;
    }
    rc = check_opts(a, o, &min_evidence);
    if (rc != GALEN_OK)
        return rc;
    rc = prepare(a, &k, question, o->previous, RETRIEVE_K);
    if (rc == GALEN_OK)
        rc = redflag_text(k.qa, &k.rftext);
    if (rc == GALEN_OK && a->rf)
        k.nflags =
            MIN(redflag_match(a->rf, (const char *)k.rftext.data, k.rftext.len,
                              k.flags, ANSWER_REDFLAGS_MAX),
                (size_t)ANSWER_REDFLAGS_MAX);
    if (rc == GALEN_OK)
        rc = rank_similar(a, k.qa->text, &k.hits, ANSWER_SIMILAR_MAX,
                          SIM_MIN_DICE, &k.similar, &k.nsimilar);
    if (rc == GALEN_OK) {
        compose_in_init(a, &k, o, min_evidence, &in);
        in.redflags = k.flags;
        in.nredflags = k.nflags;
        in.similar = k.similar;
        in.nsimilar = k.nsimilar;
        rc = answer_compose(&in, out);
        if (rc == GALEN_OK) {
            rc = safety_hook(a, &k, o, min_evidence, *out);
            if (rc != GALEN_OK) {
                answer_free(*out);
                *out = NULL;
            }
        }
        k.similar = in.similar;
        k.nsimilar = in.nsimilar;
    }
    ask_cleanup(&k);
    if (rc != GALEN_OK && !a->err[0])
        fail(a, rc, "%s", error_str(rc));
    return rc;
}

int answer_rank(struct galen_answerer *a, const char *question, unsigned k,
                void (*fn)(void *ctx, const char *id, double score), void *ctx)
{
    struct galen_ask_opts o;
    struct answer_compose_in in;
    struct scored *sc = NULL;
    double *score = NULL;
    struct ask q;
    size_t i;
    int rc;

    if (k == 0 || k > 1000)
        return fail(a, GALEN_EINVAL, "k must be 1..1000");
    answer_ask_opts_init(&o);
    rc = prepare(a, &q, question, NULL, MAX(k, (unsigned)RANK_K));
    if (rc == GALEN_OK && q.hits.n > 0) {
        score = galen_calloc(q.hits.n, sizeof *score);
        sc = galen_calloc(q.hits.n, sizeof *sc);
        rc = score && sc ? GALEN_OK : GALEN_ENOMEM;
    }
    if (rc == GALEN_OK && q.hits.n > 0) {
        compose_in_init(a, &q, &o, DOC_EVIDENCE_NONE, &in);
        rc = answer_rank_scores(&in, score);
    }
    for (i = 0; rc == GALEN_OK && i < q.hits.n; i++) {
        sc[i].i = i;
        sc[i].score = score[i];
    }
    if (rc == GALEN_OK && q.hits.n > 0)
        qsort(sc, q.hits.n, sizeof *sc, cmp_scored);
    for (i = 0; rc == GALEN_OK && i < q.hits.n && i < k; i++)
        fn(ctx, q.hits.c[sc[i].i].doc->id, sc[i].score);
    galen_free(score);
    galen_free(sc);
    ask_cleanup(&q);
    return rc;
}
