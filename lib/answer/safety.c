/* SPDX-License-Identifier: MIT */
/* safety.c: the safety pass over a composed answer (safety.h). It edits
 * the answer's sentence lists (lead, blocks, key points): it drops
 * sentences, moves them, or adds sentences quoted from a source document
 * with their provenance; it never writes a medical sentence of its own
 * (its notes say what galen did, not what is true). */
#include "safety.h"

#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/str.h"
#include "redflag.h"
#include "text/sentence.h"
#include "text/words.h"

enum {
    FILE_MAX = 1u << 20,
    COLS = 6,
    ALT_MAX = 128,
    NOTE_MAX = 512,
    SEARCH_DOCS_MAX = 12
};

struct companion {
    char *id, *name, *drugs, *cues, *ref; /* drugs, cues: canonical alts */
    bool rx;
};

struct safety {
    struct companion *c;
    size_t n;
};

/* ---- terms ----------------------------------------------------------------
 */

/* Canonical '|'-separated alternatives: lower-case words joined by single
 * spaces, a trailing '*' kept. Returns NULL on an empty alternative. */
static char *canon_alts(const char *v, size_t len, int *rc)
{
    struct buf b;
    size_t i = 0;

    buf_init(&b, FILE_MAX);
    while (i <= len && *rc == GALEN_OK) {
        size_t e = i, w = 0, ws = 0, we = 0, an;
        const char *a = v + i;
        bool star;
        while (e < len && v[e] != '|')
            e++;
        an = e - i;
        while (an > 0 && (a[an - 1] == ' ' || a[an - 1] == '\t'))
            an--;
        star = an > 0 && a[an - 1] == '*';
        if (star)
            an--;
        for (;;) {
            ws = answer_text_word(a, an, ws, &we);
            if (ws >= an)
                break;
            if (w++ > 0)
                buf_put_byte(rc, &b, ' ');
            for (; ws < we; ws++)
                buf_put_byte(rc, &b, answer_text_lower((unsigned char)a[ws]));
        }
        if (w == 0 || an > ALT_MAX) {
            buf_cleanup(&b);
            if (*rc == GALEN_OK)
                *rc = GALEN_EPARSE;
            return NULL;
        }
        if (star)
            buf_put_byte(rc, &b, '*');
        if (e < len)
            buf_put_byte(rc, &b, '|');
        i = e + 1;
    }
    buf_put_nul(rc, &b);
    if (*rc != GALEN_OK) {
        buf_cleanup(&b);
        return NULL;
    }
    return (char *)buf_take(&b, NULL);
}

/* True if s[0..len) holds one of the alternatives as whole words. */
static bool mentions(const char *alts, const char *s, size_t len)
{
    const char *p = alts;

    while (*p) {
        char alt[ALT_MAX + 2];
        size_t n = strcspn(p, "|"), i = 0, e = 0, m;

        memcpy(alt, p, MIN(n, (size_t)ALT_MAX + 1));
        alt[MIN(n, (size_t)ALT_MAX + 1)] = '\0';
        for (;;) {
            i = answer_text_word(s, len, i, &e);
            if (i >= len)
                break;
            if (answer_text_phrase_at(s, len, i, alt, &m))
                return true;
            i = e;
        }
        p += n;
        if (*p)
            p++;
    }
    return false;
}

/* ---- the companions file --------------------------------------------------
 */

void safety_free(struct safety *sf)
{
    size_t k;

    if (!sf)
        return;
    for (k = 0; k < sf->n; k++) {
        galen_free(sf->c[k].id);
        galen_free(sf->c[k].name);
        galen_free(sf->c[k].drugs);
        galen_free(sf->c[k].cues);
        galen_free(sf->c[k].ref);
    }
    galen_free(sf->c);
    galen_free(sf);
}

size_t safety_count(const struct safety *sf)
{
    return sf ? sf->n : 0;
}

static bool id_ok(const char *s, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++) {
        char c = s[k];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return n > 0;
}

/* Parses one line: id, name, drugs, rx|otc, warning cues, reference. */
static int parse_line(struct safety *sf, const char *l, size_t len, long line,
                      struct diag *diag)
{
    const char *col[COLS];
    size_t clen[COLS], n = 0, i = 0, k;
    struct companion c, *nc;
    int rc = GALEN_OK;

    while (n < COLS) {
        size_t e = i;
        while (e < len && l[e] != '\t')
            e++;
        col[n] = l + i;
        clen[n++] = e - i;
        if (e >= len)
            break;
        i = e + 1;
    }
    if (n != COLS || i + clen[COLS - 1] != len)
        return diag_set(diag, line,
                        "want 6 tab-separated columns: id, name, "
                        "drugs, rx|otc, warning cues, reference",
                        GALEN_EPARSE);
    for (k = 0; k < COLS; k++) {
        if (clen[k] == 0)
            return diag_set(diag, line, "empty column", GALEN_EPARSE);
    }
    if (!id_ok(col[0], clen[0]))
        return diag_set(diag, line, "bad id (a-z, 0-9, -)", GALEN_EPARSE);
    for (k = 0; k < sf->n; k++) {
        if (strlen(sf->c[k].id) == clen[0] &&
            memcmp(sf->c[k].id, col[0], clen[0]) == 0)
            return diag_set(diag, line, "duplicate id", GALEN_EPARSE);
    }
    if (!((clen[3] == 2 && memcmp(col[3], "rx", 2) == 0) ||
          (clen[3] == 3 && memcmp(col[3], "otc", 3) == 0)))
        return diag_set(diag, line, "column 4 must be rx or otc", GALEN_EPARSE);
    memset(&c, 0, sizeof c);
    c.rx = clen[3] == 2;
    c.id = galen_strndup(col[0], clen[0]);
    c.name = galen_strndup(col[1], clen[1]);
    c.ref = galen_strndup(col[5], clen[5]);
    if (!c.id || !c.name || !c.ref)
        rc = GALEN_ENOMEM;
    c.drugs = rc == GALEN_OK ? canon_alts(col[2], clen[2], &rc) : NULL;
    c.cues = rc == GALEN_OK ? canon_alts(col[4], clen[4], &rc) : NULL;
    nc = rc == GALEN_OK ? galen_realloc(sf->c, (sf->n + 1) * sizeof *nc) : NULL;
    if (rc == GALEN_OK && !nc)
        rc = GALEN_ENOMEM;
    if (rc != GALEN_OK) {
        galen_free(c.id);
        galen_free(c.name);
        galen_free(c.ref);
        galen_free(c.drugs);
        galen_free(c.cues);
        return rc == GALEN_EPARSE
                   ? diag_set(diag, line, "empty or too long term", rc)
                   : rc;
    }
    sf->c = nc;
    sf->c[sf->n++] = c;
    return GALEN_OK;
}

int safety_parse(const char *text, size_t len, struct safety **out,
                 struct diag *diag)
{
    struct safety *sf = galen_calloc(1, sizeof *sf);
    size_t i = 0;
    long line = 0;
    struct str ln;
    int rc = GALEN_OK;

    if (!sf)
        return GALEN_ENOMEM;
    while (rc == GALEN_OK && str_next_line(text, len, &i, &ln)) {
        line++;
        if (ln.len > 0 && ln.p[0] != '#' &&
            answer_text_word_count(ln.p, ln.len))
            rc = parse_line(sf, ln.p, ln.len, line, diag);
    }
    if (rc == GALEN_OK && sf->n == 0)
        rc = diag_set(diag, 0, "no companions", GALEN_EPARSE);
    if (rc != GALEN_OK) {
        safety_free(sf);
        return rc;
    }
    *out = sf;
    return GALEN_OK;
}

int safety_load(const char *path, struct safety **out, struct diag *diag)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = fileio_read_all(path, FILE_MAX, &data, &len);

    if (rc != GALEN_OK)
        return diag_set(diag, 0, "cannot read the companions file", rc);
    rc = safety_parse((const char *)data, len, out, diag);
    galen_free(data);
    return rc;
}

/* ---- the answer's lists ---------------------------------------------------
 */

struct lists {
    size_t **v[2 + ANSWER_BLOCK_COUNT];
    size_t *n[2 + ANSWER_BLOCK_COUNT];
    size_t count;
};

static void lists_of(struct galen_answer *ans, struct lists *l)
{
    size_t b;

    l->count = 0;
    l->v[l->count] = &ans->lead;
    l->n[l->count++] = &ans->nlead;
    for (b = 0; b < ANSWER_BLOCK_COUNT; b++) {
        l->v[l->count] = &ans->block[b];
        l->n[l->count++] = &ans->nblock[b];
    }
    l->v[l->count] = &ans->keypoints;
    l->n[l->count++] = &ans->nkeypoints;
}

static void list_remove(size_t *v, size_t *n, size_t at)
{
    memmove(v + at, v + at + 1, (*n - at - 1) * sizeof *v);
    (*n)--;
}

static int list_insert(size_t **v, size_t *n, size_t at, size_t idx)
{
    size_t *nv = galen_realloc(*v, (*n + 1) * sizeof *nv);

    if (!nv)
        return GALEN_ENOMEM;
    memmove(nv + at + 1, nv + at, (*n - at) * sizeof *nv);
    nv[at] = idx;
    *v = nv;
    (*n)++;
    return GALEN_OK;
}

typedef bool (*drop_fn)(void *ctx, const struct answer_sentence *s);

/* Drops the sentences pred picks from every list; with keep_one, a list
 * keeps its first sentence if pred would empty it. */
static void drop_where(struct galen_answer *ans, drop_fn pred, void *ctx,
                       bool keep_one)
{
    struct lists l;
    size_t i, k;

    lists_of(ans, &l);
    for (i = 0; i < l.count; i++) {
        size_t *v = *l.v[i], kept = 0;
        for (k = 0; k < *l.n[i]; k++)
            kept += !pred(ctx, &ans->sentences[v[k]]);
        if (keep_one && kept == 0)
            continue;
        for (k = *l.n[i]; k-- > 0;) {
            if (pred(ctx, &ans->sentences[v[k]]))
                list_remove(v, l.n[i], k);
        }
    }
}

static int add_note(struct galen_answer *ans, const char *text)
{
    char **nv;
    size_t k;

    for (k = 0; k < ans->nnotes; k++) {
        if (strcmp(ans->notes[k], text) == 0)
            return GALEN_OK;
    }
    nv = galen_realloc(ans->notes, (ans->nnotes + 1) * sizeof *nv);
    if (!nv)
        return GALEN_ENOMEM;
    ans->notes = nv;
    nv[ans->nnotes] = galen_strdup(text);
    if (!nv[ans->nnotes])
        return GALEN_ENOMEM;
    ans->nnotes++;
    return GALEN_OK;
}

/* ---- conflicts, doses and jargon ----------------------------------------- */

struct conflict_ctx {
    const struct safety_in *in;
};

static bool conflicts_text(const struct safety_in *in, const char *s,
                           size_t len)
{
    size_t k;

    for (k = 0; in && in->rules && k < in->nflags; k++) {
        if (redflag_conflicts(in->rules, in->flags[k], s, len))
            return true;
    }
    return false;
}

static bool conflicts(void *ctx, const struct answer_sentence *s)
{
    return conflicts_text(((struct conflict_ctx *)ctx)->in, s->text,
                          strlen(s->text));
}

static bool is_dose(void *ctx, const struct answer_sentence *s)
{
    (void)ctx;
    return s->is_dose;
}

/* Words a patient should not need: research and physiology terms. A
 * sentence with one is dropped when a plain one stays in its list. */
static const char jargon[] =
    "ephaptic|fasciculation*|myoglobinuri*|radiculopath*|paraesthesi*|"
    "paresthesi*|hypomagnes*|hypokalae*|hypokale*|hypocalcae*|hypocalce*|"
    "hyponatrae*|hyponatre*|idiopathic|aetiolog*|etiolog*|pathophysiolog*|"
    "pathogenes*|neuromuscular junction|motor neuron hyperexcitab*|"
    "hyperexcitab*|depolari*|sarcolemm*|propriocept*|golgi tendon|"
    "muscle spindle*|afferent|efferent|electromyograph*|emg|creatine kinase|"
    "confidence interval|odds ratio|relative risk|hazard ratio|"
    "meta analys*|randomi*|placebo controlled|crossover|cross over trial|"
    "statistically significant|p value|ci|95 ci|nnt|number needed to treat|"
    "heterogeneity|cohort|in vitro|plasmodium|immune mediated|rems|"
    "placebo|hypersensitivity|adverse event*|thrombocytopeni*|haemolytic|"
    "hemolytic|uremic|uraemic|sequelae|contraindicat*";

static bool is_jargon(void *ctx, const struct answer_sentence *s)
{
    (void)ctx;
    return mentions(jargon, s->text, strlen(s->text));
}

static const char dose_words[] =
    "dose*|dosage*|dosing|how much|how many|mg|milligram*|microgram*|"
    "how often|per day|a day|daily amount|strength|tablets a day";

static const char no_script_words[] =
    "without a prescription|without prescription|no prescription|"
    "without a script|without a doctor|without seeing a doctor|"
    "without my doctor|over the counter|otc|buy|buying|order|purchase|"
    "online|get hold of|get some";

/* ---- warnings that travel with a medicine -------------------------------- */

static bool is_warning(const struct companion *c, const char *s, size_t len)
{
    return mentions(c->drugs, s, len) && mentions(c->cues, s, len);
}

/* Where a warning sentence was found. */
struct found {
    struct doc *doc; /* the document (owned by the answer or a candidate) */
    size_t section, start, end;
    size_t source;            /* answer source index, or SIZE_MAX */
    struct answer_cand *cand; /* the candidate holding doc, if not a source */
};

/* Finds c's warning in d; never one that offers self-care a fired red
 * flag conflicts with (in may be NULL); with plain, none with jargon. */
static bool find_pass(const struct safety_in *in, const struct companion *c,
                      struct doc *d, struct found *f, bool plain)
{
    size_t s;

    for (s = 0; d && s < d->nsections; s++) {
        const char *t = d->sections[s].text;
        size_t len = strlen(t), pos = 0;
        struct sentence se;

        while (sentence_next(t, len, &pos, &se)) {
            if ((se.flags & SENTENCE_HEADING) ||
                !is_warning(c, t + se.start, se.end - se.start) ||
                conflicts_text(in, t + se.start, se.end - se.start) ||
                (plain && mentions(jargon, t + se.start, se.end - se.start)))
                continue;
            f->doc = d;
            f->section = s;
            f->start = se.start;
            f->end = se.end;
            return true;
        }
    }
    return false;
}

static bool find_in_doc(const struct safety_in *in, const struct companion *c,
                        struct doc *d, struct found *f)
{
    size_t pass;

    /* a patient gets the plainest warning: one without jargon, if any */
    for (pass = in && in->audience == GALEN_AUDIENCE_PATIENT ? 0 : 1; pass < 2;
         pass++) {
        if (find_pass(in, c, d, f, pass == 0))
            return true;
    }
    return false;
}

/* The composer's rule for a quotable document, with the ask's filters. */
static bool doc_ok(const struct safety_in *in, const struct doc *d)
{
    if (!d || !d->has_answer || d->status == DOC_STATUS_REJECTED ||
        (d->kind == DOC_KIND_QA && (d->replied || d->age_band)))
        return false;
    if (in->kinds && !(in->kinds & (1u << d->kind)))
        return false;
    return in->min_evidence == DOC_EVIDENCE_NONE ||
           answer_evidence_rank((int)d->evidence) <=
               answer_evidence_rank(in->min_evidence);
}

static bool find_in_cands(const struct safety_in *in, const struct companion *c,
                          struct answer_cand *v, size_t n, struct found *f)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (doc_ok(in, v[k].doc) && find_in_doc(in, c, v[k].doc, f)) {
            f->source = SIZE_MAX;
            f->cand = &v[k];
            return true;
        }
    }
    return false;
}

/* Makes f's document an answer source (moving it from its candidate). */
static int source_of(struct galen_answer *ans, struct found *f, size_t *out)
{
    struct answer_source *ns;

    if (f->source != SIZE_MAX) {
        *out = f->source;
        return GALEN_OK;
    }
    ns = galen_realloc(ans->sources, (ans->nsources + 1) * sizeof *ns);
    if (!ns)
        return GALEN_ENOMEM;
    ans->sources = ns;
    memset(&ns[ans->nsources], 0, sizeof *ns);
    ns[ans->nsources].doc = f->doc;
    ns[ans->nsources].number = (unsigned)ans->nsources + 1;
    ns[ans->nsources].rank = ans->nsources;
    ns[ans->nsources].score = f->cand->score;
    ns[ans->nsources].cited = true;
    f->cand->doc = NULL;
    f->source = ans->nsources;
    *out = ans->nsources++;
    return GALEN_OK;
}

/* Appends the warning sentence f as a new answer sentence (facet as the
 * sentence it accompanies, so the renderers keep them together). */
static int add_warning(struct galen_answer *ans, struct found *f,
                       enum qtype facet, size_t *idx)
{
    struct answer_sentence *nv, *as;
    size_t src;
    int rc = source_of(ans, f, &src);

    if (rc != GALEN_OK)
        return rc;
    nv = galen_realloc(ans->sentences, (ans->nsentences + 1) * sizeof *nv);
    if (!nv)
        return GALEN_ENOMEM;
    ans->sentences = nv;
    as = &nv[ans->nsentences];
    memset(as, 0, sizeof *as);
    as->text = answer_clean_text(f->doc->sections[f->section].text + f->start,
                                 f->end - f->start, NULL);
    if (!as->text)
        return GALEN_ENOMEM;
    as->source = src;
    as->section = f->section;
    as->start = f->start;
    as->end = f->end;
    as->facet = facet;
    as->score = 1.0;
    *idx = ans->nsentences++;
    return GALEN_OK;
}

struct ctx {
    struct safety *sf;
    const struct safety_in *in;
    struct galen_answer *ans;
    struct answer_cand *more; /* search results */
    size_t nmore;
    bool searched[64];
};

static bool find_warning(struct ctx *x, size_t ci, struct found *f)
{
    const struct companion *c = &x->sf->c[ci];
    struct galen_answer *ans = x->ans;
    size_t k;

    memset(f, 0, sizeof *f);
    for (k = 0; k < ans->nsources; k++) {
        if (find_in_doc(x->in, c, ans->sources[k].doc, f)) {
            f->source = k;
            return true;
        }
    }
    if (find_in_cands(x->in, c, x->in->cands, x->in->ncands, f))
        return true;
    if (find_in_cands(x->in, c, x->more, x->nmore, f))
        return true;
    return false;
}

/* Runs the search hook once per companion: its name and warning cues. */
static int search_more(struct ctx *x, size_t ci)
{
    const struct companion *c = &x->sf->c[ci];
    struct answer_cand *got = NULL, *nv;
    size_t n = 0, k;
    char q[NOTE_MAX];
    int rc;

    if (!x->in->search || ci >= ARRAY_SIZE(x->searched) || x->searched[ci])
        return GALEN_OK;
    x->searched[ci] = true;
    snprintf(q, sizeof q, "%s warning safety %s", c->name, c->cues);
    for (k = 0; q[k]; k++) {
        if (q[k] == '|' || q[k] == '*')
            q[k] = ' ';
    }
    rc = x->in->search(x->in->search_ctx, q, &got, &n);
    if (rc != GALEN_OK || n == 0) {
        galen_free(got);
        return rc;
    }
    for (k = SEARCH_DOCS_MAX; k < n; k++)
        doc_free(got[k].doc);
    n = MIN(n, (size_t)SEARCH_DOCS_MAX);
    nv = galen_realloc(x->more, (x->nmore + n) * sizeof *nv);
    if (!nv) {
        for (k = 0; k < n; k++)
            doc_free(got[k].doc);
        galen_free(got);
        return GALEN_ENOMEM;
    }
    memcpy(nv + x->nmore, got, n * sizeof *nv);
    galen_free(got);
    x->more = nv;
    x->nmore += n;
    return GALEN_OK;
}

static int companions_in(struct ctx *x, const struct lists *l, size_t i);

/* Makes list i carry companion ci's warning right before position p (the
 * first sentence there about the medicine). */
static int place_warning(struct ctx *x, size_t **v, size_t *n, size_t p,
                         size_t ci, bool grouped)
{
    const struct companion *c = &x->sf->c[ci];
    struct galen_answer *ans = x->ans;
    enum qtype facet = ans->sentences[(*v)[p]].facet;
    struct found f;
    size_t k, idx;
    char note[NOTE_MAX];
    int rc;

    for (k = 0; k < *n; k++) {
        const char *t = ans->sentences[(*v)[k]].text;
        if (k != p && is_warning(c, t, strlen(t)) &&
            (!grouped || ans->sentences[(*v)[k]].facet == facet)) {
            idx = (*v)[k];
            list_remove(*v, n, k);
            if (k < p)
                p--;
            return list_insert(v, n, p, idx);
        }
    }
    if (!find_warning(x, ci, &f)) {
        rc = search_more(x, ci);
        if (rc != GALEN_OK)
            return rc;
        if (!find_warning(x, ci, &f)) {
            snprintf(note, sizeof note,
                     "Safety: galen's sources hold no warning about %s to "
                     "quote here (the warnings galen watches for it come from "
                     "%s); ask a pharmacist or doctor before using it.",
                     c->name, c->ref);
            return add_note(ans, note);
        }
    }
    rc = add_warning(ans, &f, facet, &idx);
    return rc == GALEN_OK ? list_insert(v, n, p, idx) : rc;
}

/* A warning can name another watched medicine ("water tablets can lower
 * magnesium"), so each list is passed over until nothing is added. */
static int add_companions(struct ctx *x)
{
    struct lists l;
    size_t i, pass, before;
    int rc = GALEN_OK;

    lists_of(x->ans, &l);
    for (i = 0; i < l.count && rc == GALEN_OK; i++) {
        before = SIZE_MAX;
        for (pass = 0; pass <= x->sf->n && before != *l.n[i] && rc == GALEN_OK;
             pass++) {
            before = *l.n[i];
            rc = companions_in(x, &l, i);
        }
    }
    return rc;
}

/* One pass over list i: the first sentence about each watched medicine
 * gets its warning unless it is one. */
static int companions_in(struct ctx *x, const struct lists *l, size_t i)
{
    const struct galen_answer *ans = x->ans;
    size_t p, ci;
    int rc = GALEN_OK;

    for (ci = 0; ci < x->sf->n && rc == GALEN_OK; ci++) {
        const struct companion *c = &x->sf->c[ci];
        for (p = 0; p < *l->n[i]; p++) {
            const char *t = ans->sentences[(*l->v[i])[p]].text;
            size_t len = strlen(t);
            if (!mentions(c->drugs, t, len))
                continue;
            /* blocks show their sentences grouped by facet */
            if (!is_warning(c, t, len))
                rc = place_warning(x, l->v[i], l->n[i], p, ci,
                                   i > 0 && i + 1 < l->count);
            break; /* one warning per medicine and list */
        }
    }
    return rc;
}

/* True if the question asks for a prescription medicine without a
 * prescription; names it in *ci. */
static bool rx_request(const struct safety *sf, const char *q, size_t *ci)
{
    size_t k, len = strlen(q);

    if (!mentions(no_script_words, q, len))
        return false;
    for (k = 0; sf && k < sf->n; k++) {
        if (sf->c[k].rx && mentions(sf->c[k].drugs, q, len)) {
            *ci = k;
            return true;
        }
    }
    return false;
}

int safety_apply(struct safety *sf, const struct safety_in *in,
                 struct galen_answer *ans)
{
    struct conflict_ctx cc = {in};
    struct ctx x;
    size_t ci = 0, k;
    bool rx = rx_request(sf, in->question, &ci);
    bool dose_asked = in->asks_dose ||
                      mentions(dose_words, in->question, strlen(in->question));
    char note[NOTE_MAX];
    int rc = GALEN_OK;

    if (ans->abstained)
        return GALEN_OK;
    if (in->rules && in->nflags > 0)
        drop_where(ans, conflicts, &cc, false);
    if (rx || (in->audience == GALEN_AUDIENCE_PATIENT && !dose_asked))
        drop_where(ans, is_dose, NULL, false);
    if (in->audience == GALEN_AUDIENCE_PATIENT)
        drop_where(ans, is_jargon, NULL, true);
    if (rx) {
        snprintf(note, sizeof note,
                 "Safety: %s is a prescription medicine, so galen gives no "
                 "dose for it here; a doctor or pharmacist has to decide "
                 "whether it is safe for you.",
                 sf->c[ci].name);
        rc = add_note(ans, note);
    }
    if (!sf || rc != GALEN_OK)
        return rc;
    memset(&x, 0, sizeof x);
    x.sf = sf;
    x.in = in;
    x.ans = ans;
    rc = add_companions(&x);
    if (rc == GALEN_OK && rx && ans->nlead > 0 &&
        !mentions(sf->c[ci].drugs, ans->sentences[ans->lead[0]].text,
                  strlen(ans->sentences[ans->lead[0]].text))) {
        /* The medicine was asked about but no lead sentence names it:
         * lead with its warning. */
        struct found f;
        size_t idx;
        if (!find_warning(&x, ci, &f))
            rc = search_more(&x, ci);
        if (rc == GALEN_OK && find_warning(&x, ci, &f)) {
            rc = add_warning(ans, &f, ans->sentences[ans->lead[0]].facet, &idx);
            if (rc == GALEN_OK)
                rc = list_insert(&ans->lead, &ans->nlead, 0, idx);
        }
    }
    for (k = 0; k < x.nmore; k++)
        doc_free(x.more[k].doc);
    galen_free(x.more);
    return rc;
}
