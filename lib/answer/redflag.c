/* SPDX-License-Identifier: MIT */
/* redflag.c: red-flag rule parsing and matching. A rule's term lists are
 * compiled at load time into words with their Snowball stems; a question
 * is analysed once into tokens (lower-cased word, stem, clause number,
 * negated or not) and every rule is matched on the tokens: a rule word
 * matches a token with the same stem, the same word, or (for longer words)
 * one typing slip away, and a rule's concept groups must fall within its
 * window of words. Rule sets are small (tens of rules) and questions
 * short, so a plain scan is fast enough. */
#include "redflag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/str.h"
#include "text/stem.h"
#include "text/words.h"

enum {
    FILE_MAX = 1u << 22,
    VALUE_MAX = 4096,
    TERM_MAX = 128,
    WORD_MAX = 24,     /* bytes of a word kept (longer words are cut) */
    PHRASE_MAX = 8,    /* words in one term */
    TOKENS_MAX = 4096, /* tokens of a question analysed */
    EVENTS_MAX = 512,  /* term matches considered per rule */
    GROUPS_MAX = 16,   /* concept groups per rule */
    NEG_SCOPE = 4,     /* words after a negation that it covers */
    GAP_MAX = 3,       /* words allowed between the parts of "a~b" */
    FREE_POS = 0x7fffffff
};

struct rword {
    char w[WORD_MAX];
    char st[WORD_MAX];
    unsigned char wl, sl;
    bool star; /* prefix match */
    bool gap;  /* up to GAP_MAX other words may come before it ("~") */
};

struct term {
    struct rword wd[PHRASE_MAX];
    unsigned nw, group;
};

struct tlist {
    struct term *t;
    size_t n;
    unsigned ngroups;
};

struct rule {
    struct redflag_rule pub;
    char *id, *message, *source, *action, *action_source;
    struct tlist all, any, unless, conflicts;
    bool has_all, has_any, has_unless, has_conflicts, has_urgency;
    unsigned within; /* 0: anywhere */
    int age_op;      /* 0 none, '<' or '>' (>=) */
    int age;
};

struct tok {
    char w[WORD_MAX];
    char st[WORD_MAX];
    unsigned char wl, sl;
    unsigned clause;
    bool neg, free, cue;
};

struct redflag_rules {
    struct rule *rules;
    size_t n, cap;
    struct stem *stem;
    struct tok *tok; /* scratch for one analysed text */
    size_t ntok;
};

static const char *const urgency_names[] = {NULL, "soon", "urgent",
                                            "emergency"};

const char *redflag_urgency_name(enum redflag_urgency u)
{
    return (u >= REDFLAG_SOON && u <= REDFLAG_EMERGENCY) ? urgency_names[u]
                                                         : "soon";
}

static void rule_cleanup(struct rule *r)
{
    galen_free(r->id);
    galen_free(r->message);
    galen_free(r->source);
    galen_free(r->action);
    galen_free(r->action_source);
    galen_free(r->all.t);
    galen_free(r->any.t);
    galen_free(r->unless.t);
    galen_free(r->conflicts.t);
    memset(r, 0, sizeof *r);
}

/* ---- words ----------------------------------------------------------------
 */

/* Lower-cases word t[0..n) into w (cut to WORD_MAX - 1) and stems it into
 * st; words with digits or non-ASCII bytes are their own stem. */
static void word_forms(struct stem *sm, const char *t, size_t n, char *w,
                       unsigned char *wl, char *st, unsigned char *sl)
{
    size_t k, m = MIN(n, (size_t)WORD_MAX - 1);
    bool alpha = true;
    const char *out;
    size_t olen;

    for (k = 0; k < m; k++) {
        w[k] = (char)answer_text_lower((unsigned char)t[k]);
        if (w[k] < 'a' || w[k] > 'z')
            alpha = false;
    }
    w[m] = '\0';
    *wl = (unsigned char)m;
    if (alpha && m > 0 && sm && stem_word(sm, w, m, &out, &olen) == GALEN_OK &&
        olen < WORD_MAX) {
        memcpy(st, out, olen);
        st[olen] = '\0';
        *sl = (unsigned char)olen;
    } else {
        memcpy(st, w, m + 1);
        *sl = (unsigned char)m;
    }
}

/* Optimal-string-alignment distance of a and b, capped: returns 2 as soon
 * as it is known to be at least 2. */
static unsigned osa(const char *a, size_t n, const char *b, size_t m)
{
    unsigned d[WORD_MAX + 1][WORD_MAX + 1];
    size_t i, j;

    if (n > WORD_MAX || m > WORD_MAX || (n > m ? n - m : m - n) > 1)
        return 2;
    for (i = 0; i <= n; i++)
        d[i][0] = (unsigned)i;
    for (j = 0; j <= m; j++)
        d[0][j] = (unsigned)j;
    for (i = 1; i <= n; i++) {
        unsigned best = 2;
        for (j = 1; j <= m; j++) {
            unsigned c = a[i - 1] == b[j - 1] ? 0 : 1, v = d[i - 1][j] + 1;
            v = MIN(v, d[i][j - 1] + 1);
            v = MIN(v, d[i - 1][j - 1] + c);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = MIN(v, d[i - 2][j - 2] + 1);
            d[i][j] = v;
            best = MIN(best, v);
        }
        if (best >= 2)
            return 2;
    }
    return d[n][m];
}

/* A typing slip: same first letter, one edit apart, and long enough that
 * one edit rarely makes another word ("fever"/"fewer" stay apart). */
static bool slip(const char *a, size_t n, const char *b, size_t m)
{
    return MIN(n, m) >= 5 && MAX(n, m) >= 6 && a[0] == b[0] &&
           osa(a, n, b, m) <= 1;
}

static bool word_matches(const struct rword *rw, const struct tok *t)
{
    size_t L;

    if (rw->star) {
        if (t->wl >= rw->wl && memcmp(t->w, rw->w, rw->wl) == 0)
            return true;
        if (rw->wl < 5)
            return false;
        for (L = rw->wl - 1u; L <= rw->wl + 1u && L <= t->wl; L++) {
            if (slip(t->w, L, rw->w, rw->wl))
                return true;
        }
        return false;
    }
    if (t->sl == rw->sl && memcmp(t->st, rw->st, rw->sl) == 0)
        return true;
    if (t->wl == rw->wl && memcmp(t->w, rw->w, rw->wl) == 0)
        return true;
    return slip(t->w, t->wl, rw->w, rw->wl);
}

/* ---- parsing --------------------------------------------------------------
 */

/* Appends the canonical form of one term t[0..n) (words joined by single
 * spaces, lower case, a trailing '*' kept). Returns false if it is empty. */
static bool put_term(int *rc, struct buf *b, const char *t, size_t n)
{
    size_t i = 0, e = 0, prev = 0, words = 0, k;
    bool star = false;

    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
        n--;
    if (n > 0 && t[n - 1] == '*') {
        star = true;
        n--;
    }
    for (;;) {
        i = answer_text_word(t, n, i, &e);
        if (i >= n)
            break;
        if (words++ > 0)
            buf_put_byte(rc, b, memchr(t + prev, '~', i - prev) ? '~' : ' ');
        for (k = i; k < e; k++)
            buf_put_byte(rc, b, answer_text_lower((unsigned char)t[k]));
        prev = i = e;
    }
    if (star && words > 0)
        buf_put_byte(rc, b, '*');
    return words > 0 && words <= PHRASE_MAX;
}

/* Compiles one canonical term ("swollen calf", "cramp*") into tl. */
static int add_term(struct redflag_rules *rs, struct tlist *tl, const char *c,
                    size_t n, unsigned group)
{
    struct term *t, *nt = galen_realloc(tl->t, (tl->n + 1) * sizeof *nt);
    size_t i = 0, e = 0;

    if (!nt)
        return GALEN_ENOMEM;
    tl->t = nt;
    t = &tl->t[tl->n++];
    memset(t, 0, sizeof *t);
    t->group = group;
    for (;;) {
        struct rword *rw;
        i = answer_text_word(c, n, i, &e);
        if (i >= n || t->nw == PHRASE_MAX)
            break;
        rw = &t->wd[t->nw++];
        rw->gap = i > 0 && c[i - 1] == '~';
        word_forms(rs->stem, c + i, e - i, rw->w, &rw->wl, rw->st, &rw->sl);
        i = e;
    }
    if (n > 0 && c[n - 1] == '*' && t->nw > 0)
        t->wd[t->nw - 1].star = true;
    return GALEN_OK;
}

/* Compiles a list value ("calf|leg, warm*|red") into tl: ',' separates
 * concept groups, '|' alternatives inside one. */
static int compile_list(struct redflag_rules *rs, const char *v, size_t len,
                        struct tlist *tl)
{
    struct buf b;
    size_t i = 0;
    unsigned group = 0;
    int rc = GALEN_OK;

    while (i <= len && rc == GALEN_OK) {
        size_t e = i, start;
        while (e < len && v[e] != ',' && v[e] != '|')
            e++;
        buf_init(&b, VALUE_MAX);
        if (e - i > TERM_MAX || !put_term(&rc, &b, v + i, e - i)) {
            buf_cleanup(&b);
            return GALEN_EPARSE;
        }
        start = 0;
        if (rc == GALEN_OK)
            rc = add_term(rs, tl, (const char *)b.data + start, b.len, group);
        buf_cleanup(&b);
        if (group >= GROUPS_MAX)
            return GALEN_EPARSE;
        if (e < len && v[e] == ',')
            group++;
        i = e + 1;
    }
    tl->ngroups = group + 1;
    return rc;
}

static int set_list(struct redflag_rules *rs, bool *has, struct tlist *tl,
                    const char *v, size_t vlen)
{
    if (*has)
        return GALEN_EEXIST;
    *has = true;
    return compile_list(rs, v, vlen, tl);
}

static int set_number(const char *v, size_t vlen, long lo, long hi, long *out)
{
    char tmp[16], *end;
    long x;

    if (vlen == 0 || vlen >= sizeof tmp)
        return GALEN_EPARSE;
    memcpy(tmp, v, vlen);
    tmp[vlen] = '\0';
    x = strtol(tmp, &end, 10);
    if (*end || x < lo || x > hi)
        return GALEN_EPARSE;
    *out = x;
    return GALEN_OK;
}

/* "within: 20" (words) or "age: <16" / "age: >=65". */
static int set_limit(struct rule *r, bool age, const char *v, size_t vlen)
{
    long x;
    int rc;

    if (!age) {
        if (r->within)
            return GALEN_EEXIST;
        rc = set_number(v, vlen, 1, 1000, &x);
        r->within = (unsigned)x;
        return rc;
    }
    if (r->age_op)
        return GALEN_EEXIST;
    if (vlen > 1 && v[0] == '<') {
        r->age_op = '<';
        v++, vlen--;
    } else if (vlen > 2 && v[0] == '>' && v[1] == '=') {
        r->age_op = '>';
        v += 2, vlen -= 2;
    } else {
        return GALEN_EPARSE;
    }
    rc = set_number(v, vlen, 0, 150, &x);
    r->age = (int)x;
    return rc;
}

static bool key_is(const char *k, size_t klen, const char *name)
{
    return strlen(name) == klen && memcmp(k, name, klen) == 0;
}

static int set_field(struct redflag_rules *rs, struct rule *r, const char *k,
                     size_t klen, const char *v, size_t vlen)
{
    char **slot = NULL;

    if (key_is(k, klen, "id"))
        slot = &r->id;
    else if (key_is(k, klen, "message"))
        slot = &r->message;
    else if (key_is(k, klen, "source"))
        slot = &r->source;
    else if (key_is(k, klen, "action"))
        slot = &r->action;
    else if (key_is(k, klen, "action-source"))
        slot = &r->action_source;
    else if (key_is(k, klen, "all"))
        return set_list(rs, &r->has_all, &r->all, v, vlen);
    else if (key_is(k, klen, "any"))
        return set_list(rs, &r->has_any, &r->any, v, vlen);
    else if (key_is(k, klen, "unless"))
        return set_list(rs, &r->has_unless, &r->unless, v, vlen);
    else if (key_is(k, klen, "conflicts"))
        return set_list(rs, &r->has_conflicts, &r->conflicts, v, vlen);
    else if (key_is(k, klen, "within"))
        return set_limit(r, false, v, vlen);
    else if (key_is(k, klen, "age"))
        return set_limit(r, true, v, vlen);
    if (!slot)
        return GALEN_EINVAL;
    if (*slot)
        return GALEN_EEXIST;
    *slot = galen_strndup(v, vlen);
    return *slot ? GALEN_OK : GALEN_ENOMEM;
}

static int set_urgency(struct rule *r, const char *v, size_t vlen)
{
    int u;

    if (r->has_urgency)
        return GALEN_EEXIST;
    for (u = REDFLAG_SOON; u <= REDFLAG_EMERGENCY; u++) {
        if (strlen(urgency_names[u]) == vlen &&
            memcmp(urgency_names[u], v, vlen) == 0) {
            r->pub.urgency = (enum redflag_urgency)u;
            r->has_urgency = true;
            return GALEN_OK;
        }
    }
    return GALEN_EPARSE;
}

static int parse_kv(struct redflag_rules *rs, struct rule *r, const char *line,
                    size_t len, long lineno, struct diag *diag)
{
    const char *colon = memchr(line, ':', len);
    size_t klen, vb;
    int rc;

    if (!colon)
        return diag_set(diag, lineno, "line is not 'key: value'", GALEN_EPARSE);
    klen = (size_t)(colon - line);
    vb = klen + 1;
    while (vb < len && (line[vb] == ' ' || line[vb] == '\t'))
        vb++;
    while (len > vb && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    if (vb >= len)
        return diag_set(diag, lineno, "empty value", GALEN_EPARSE);
    if (key_is(line, klen, "urgency"))
        rc = set_urgency(r, line + vb, len - vb);
    else
        rc = set_field(rs, r, line, klen, line + vb, len - vb);
    if (rc == GALEN_EINVAL)
        return diag_set(diag, lineno, "unknown key", GALEN_EPARSE);
    if (rc == GALEN_EEXIST)
        return diag_set(diag, lineno, "duplicate key", GALEN_EPARSE);
    if (rc == GALEN_EPARSE)
        return diag_set(diag, lineno,
                        "bad urgency, number or term (empty, too long, or "
                        "too many groups)",
                        GALEN_EPARSE);
    return rc;
}

static int close_rule(struct redflag_rules *rs, struct rule *r, long lineno,
                      struct diag *diag)
{
    struct rule *nr;

    if (!r->id && !r->has_all && !r->message && !r->has_urgency)
        return GALEN_OK;
    if (!r->id || !r->has_all || !r->message || !r->has_urgency || !r->source ||
        !r->action || !r->action_source)
        return diag_set(diag, lineno,
                        "rule needs id, all, urgency, message, action, "
                        "action-source and source",
                        GALEN_EPARSE);
    if (r->all.ngroups + (r->has_any ? 1u : 0u) > GROUPS_MAX)
        return diag_set(diag, lineno, "too many concept groups", GALEN_EPARSE);
    if (rs->n == rs->cap) {
        size_t ncap = rs->cap ? rs->cap * 2 : 16;
        nr = galen_realloc(rs->rules, ncap * sizeof *nr);
        if (!nr)
            return GALEN_ENOMEM;
        rs->rules = nr;
        rs->cap = ncap;
    }
    r->pub.id = r->id;
    r->pub.message = r->message;
    r->pub.source = r->source;
    r->pub.action = r->action;
    r->pub.action_source = r->action_source;
    rs->rules[rs->n++] = *r;
    memset(r, 0, sizeof *r);
    return GALEN_OK;
}

void redflag_free(struct redflag_rules *rs)
{
    size_t i;

    if (!rs)
        return;
    for (i = 0; i < rs->n; i++)
        rule_cleanup(&rs->rules[i]);
    galen_free(rs->rules);
    galen_free(rs->tok);
    stem_free(rs->stem);
    galen_free(rs);
}

static int parse_lines(struct redflag_rules *rs, const char *text, size_t len,
                       struct diag *diag)
{
    struct rule cur;
    size_t i = 0;
    long lineno = 0;
    struct str ln;
    int rc = GALEN_OK;

    memset(&cur, 0, sizeof cur);
    while (rc == GALEN_OK && str_next_line(text, len, &i, &ln)) {
        lineno++;
        if (answer_text_word_count(ln.p, ln.len) == 0 &&
            memchr(ln.p, ':', ln.len) == NULL)
            rc = close_rule(rs, &cur, lineno, diag);
        else if (ln.p[0] != '#')
            rc = parse_kv(rs, &cur, ln.p, ln.len, lineno, diag);
    }
    if (rc == GALEN_OK)
        rc = close_rule(rs, &cur, lineno, diag);
    rule_cleanup(&cur);
    return rc;
}

int redflag_parse(const char *text, size_t len, struct redflag_rules **out,
                  struct diag *diag)
{
    struct redflag_rules *rs = galen_calloc(1, sizeof *rs);
    int rc;

    if (!rs)
        return GALEN_ENOMEM;
    rc = stem_new(&rs->stem);
    if (rc == GALEN_OK) {
        rs->tok = galen_calloc(TOKENS_MAX, sizeof *rs->tok);
        rc = rs->tok ? GALEN_OK : GALEN_ENOMEM;
    }
    if (rc == GALEN_OK)
        rc = parse_lines(rs, text, len, diag);
    if (rc == GALEN_OK && rs->n == 0)
        rc = diag_set(diag, 0, "no rules", GALEN_EPARSE);
    if (rc != GALEN_OK) {
        redflag_free(rs);
        return rc;
    }
    *out = rs;
    return GALEN_OK;
}

int redflag_load(const char *path, struct redflag_rules **out,
                 struct diag *diag)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = fileio_read_all(path, FILE_MAX, &data, &len);

    if (rc == GALEN_ENOENT)
        return diag_set(diag, 0, "cannot open the red-flag rules", rc);
    if (rc != GALEN_OK)
        return diag_set(diag, 0, "cannot read the red-flag rules", rc);
    rc = redflag_parse((const char *)data, len, out, diag);
    galen_free(data);
    return rc;
}

size_t redflag_count(const struct redflag_rules *rs)
{
    return rs->n;
}

const struct redflag_rule *redflag_rule_at(const struct redflag_rules *rs,
                                           size_t i)
{
    return i < rs->n ? &rs->rules[i].pub : NULL;
}

/* ---- analysing a text -----------------------------------------------------
 */

static bool tok_is(const struct tok *t, const char *w)
{
    return strcmp(t->w, w) == 0;
}

static bool in_list(const struct tok *t, const char *const *v, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++) {
        if (tok_is(t, v[k]))
            return true;
    }
    return false;
}

static const char *const cue_words[] = {
    "no",     "not",    "without", "never",  "none",  "nor",    "neither",
    "denies", "deny",   "dont",    "doesnt", "didnt", "isnt",   "arent",
    "wasnt",  "werent", "havent",  "hasnt",  "hadnt", "nothing"};
static const char *const aux_words[] = {"don",  "doesn", "didn",  "isn",
                                        "aren", "wasn",  "weren", "haven",
                                        "hasn", "hadn"};
/* Words that end a negation's scope ("no fever but a red leg"). */
static const char *const scope_ends[] = {"but",     "though", "although",
                                         "however", "except", "yet",
                                         "whereas", "now",    "then"};

/* Marks which tokens a negation covers: up to NEG_SCOPE words after a cue,
 * in the same clause. "not able" and "can not" are no negation (they
 * describe what the person cannot do), and "... ruled out" negates the
 * words just before it. */
static void mark_negation(struct tok *tk, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        bool cue = in_list(&tk[i], cue_words, ARRAY_SIZE(cue_words)) ||
                   (tok_is(&tk[i], "t") && i > 0 &&
                    in_list(&tk[i - 1], aux_words, ARRAY_SIZE(aux_words)));
        if (cue && i + 1 < n && tok_is(&tk[i + 1], "able"))
            cue = false;
        if (cue && tok_is(&tk[i], "not") && i > 0 &&
            (tok_is(&tk[i - 1], "can") || tok_is(&tk[i - 1], "could")))
            cue = false;
        tk[i].cue = cue;
        if (!cue)
            continue;
        for (k = i + 1; k < n && k <= i + NEG_SCOPE; k++) {
            if (tk[k].clause != tk[i].clause)
                break;
            tk[k].neg = true;
        }
    }
    for (i = 1; i + 1 < n; i++) {
        if (!(tok_is(&tk[i], "ruled") && tok_is(&tk[i + 1], "out")))
            continue;
        for (k = i; k-- > 0 && k + NEG_SCOPE >= i;) {
            if (tk[k].clause != tk[i].clause)
                break;
            tk[k].neg = true;
        }
    }
}

/* Splits t into tokens in rs->tok. A '\x1e' byte starts the lexicon's
 * expansions: their tokens are "free" (they match at any position). */
static void analyse(struct redflag_rules *m, const char *t, size_t len)
{
    size_t i = 0, e = 0, prev = 0, n = 0;
    unsigned clause = 0;
    bool free = false;

    for (;;) {
        size_t k;
        i = answer_text_word(t, len, i, &e);
        if (i >= len || n == TOKENS_MAX)
            break;
        for (k = prev; k < i; k++) {
            if (strchr(".,;:!?()\n\x1e", t[k]))
                clause++;
            if (t[k] == '\x1e')
                free = true;
        }
        word_forms(m->stem, t + i, e - i, m->tok[n].w, &m->tok[n].wl,
                   m->tok[n].st, &m->tok[n].sl);
        if (in_list(&m->tok[n], scope_ends, ARRAY_SIZE(scope_ends)))
            clause++;
        m->tok[n].clause = clause;
        m->tok[n].free = free;
        m->tok[n].neg = false;
        n++;
        prev = e;
        i = e;
    }
    mark_negation(m->tok, n);
    m->ntok = n;
}

/* Matches the words of t from token p on (word j at p); a "~" word may
 * skip up to GAP_MAX tokens of the same clause. */
static bool words_from(const struct redflag_rules *rs, const struct term *t,
                       unsigned j, size_t p, size_t first)
{
    size_t skip;

    if (j == t->nw)
        return true;
    for (skip = 0; skip <= (t->wd[j].gap ? (size_t)GAP_MAX : 0); skip++) {
        size_t q = p + skip;
        if (q >= rs->ntok || rs->tok[q].free != rs->tok[first].free ||
            (skip > 0 && rs->tok[q].clause != rs->tok[first].clause))
            return false;
        if (word_matches(&t->wd[j], &rs->tok[q]) &&
            words_from(rs, t, j + 1, q + 1, first))
            return true;
    }
    return false;
}

static bool term_at(const struct redflag_rules *rs, const struct term *t,
                    size_t i)
{
    return !rs->tok[i].neg && words_from(rs, t, 0, i, i);
}

static bool list_anywhere(const struct redflag_rules *rs,
                          const struct tlist *tl)
{
    size_t k, i;

    for (k = 0; k < tl->n; k++) {
        for (i = 0; i < rs->ntok; i++) {
            if (term_at(rs, &tl->t[k], i))
                return true;
        }
    }
    return false;
}

/* ---- age ------------------------------------------------------------------
 */

static const char *const baby_words[] = {"baby", "babies", "infant", "newborn",
                                         "neonate"};
static const char *const child_words[] = {
    "baby",        "babies",    "infant",    "toddler",  "child",
    "children",    "kid",       "kids",      "newborn",  "son",
    "daughter",    "boy",       "girl",      "grandson", "granddaughter",
    "preschooler", "schoolboy", "schoolgirl"};

static bool is_number(const struct tok *t, long *v)
{
    char *end;

    if (t->wl == 0 || t->wl > 3 || t->w[0] < '0' || t->w[0] > '9')
        return false;
    *v = strtol(t->w, &end, 10);
    return *end == '\0';
}

/* Ages stated in the text: "67 year old", "67yo", "aged 67", "I'm 67",
 * "3 month old" (0). Calls the test for each until one passes. */
static bool age_matches(const struct redflag_rules *rs, const struct rule *r)
{
    size_t i;
    bool child = false, baby = false;

    for (i = 0; i < rs->ntok; i++) {
        const struct tok *t = &rs->tok[i];
        long v = -1, x;
        if (in_list(t, child_words, ARRAY_SIZE(child_words)))
            child = true;
        if (in_list(t, baby_words, ARRAY_SIZE(baby_words)))
            baby = true;
        if (t->wl > 2 && t->w[0] >= '0' && t->w[0] <= '9' &&
            (strstr(t->w, "yo") || strstr(t->w, "yr"))) {
            v = strtol(t->w, NULL, 10);
        } else if (is_number(t, &x)) {
            const struct tok *nx = i + 1 < rs->ntok ? &rs->tok[i + 1] : NULL;
            const struct tok *n2 = i + 2 < rs->ntok ? &rs->tok[i + 2] : NULL;
            const struct tok *pv = i > 0 ? &rs->tok[i - 1] : NULL;
            bool unit_old = nx && n2 && tok_is(n2, "old");
            if (nx && (tok_is(nx, "yo") || tok_is(nx, "yrs") ||
                       ((tok_is(nx, "year") || tok_is(nx, "years") ||
                         tok_is(nx, "yr")) &&
                        unit_old)))
                v = x;
            else if (nx && unit_old &&
                     (strncmp(nx->w, "month", 5) == 0 ||
                      strncmp(nx->w, "week", 4) == 0 ||
                      strncmp(nx->w, "day", 3) == 0))
                v = 0;
            else if (pv && (tok_is(pv, "aged") || tok_is(pv, "age") ||
                            tok_is(pv, "im") || tok_is(pv, "am")))
                v = x;
        }
        if (v < 0)
            continue;
        if (r->age_op == '<' ? v < r->age : v >= r->age)
            return true;
    }
    /* No stated age: a child word stands for one, a baby word for a baby. */
    return r->age_op == '<' && (r->age > 2 ? r->age <= 18 && child : baby);
}

/* ---- matching -------------------------------------------------------------
 */

struct event {
    int pos;
    unsigned group;
};

static int cmp_event(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Collects every non-negated match of the terms of tl, groups offset by
 * base, into ev. */
static size_t collect(const struct redflag_rules *rs, const struct tlist *tl,
                      unsigned base, bool one_group, struct event *ev, size_t n)
{
    size_t k, i;

    for (k = 0; k < tl->n; k++) {
        for (i = 0; i < rs->ntok && n < EVENTS_MAX; i++) {
            if (!term_at(rs, &tl->t[k], i))
                continue;
            ev[n].pos = rs->tok[i].free ? FREE_POS : (int)i;
            ev[n].group = base + (one_group ? 0 : tl->t[k].group);
            n++;
        }
    }
    return n;
}

/* True if every group 0..ngroups-1 has a match and the positioned ones
 * fit in a window of within words (0: anywhere). */
static bool groups_fit(struct event *ev, size_t n, unsigned ngroups,
                       unsigned within)
{
    unsigned cnt[GROUPS_MAX] = {0}, need = 0, have = 0, g;
    bool seen[GROUPS_MAX] = {false}, freeg[GROUPS_MAX] = {false};
    size_t l = 0, r;

    for (r = 0; r < n; r++) {
        seen[ev[r].group] = true;
        if (ev[r].pos == FREE_POS)
            freeg[ev[r].group] = true;
    }
    for (g = 0; g < ngroups; g++) {
        if (!seen[g])
            return false;
        if (!freeg[g])
            need++;
    }
    if (within == 0 || need <= 1)
        return true;
    qsort(ev, n, sizeof *ev, cmp_event);
    for (r = 0; r < n && ev[r].pos != FREE_POS; r++) {
        if (freeg[ev[r].group])
            continue;
        if (cnt[ev[r].group]++ == 0)
            have++;
        while (ev[r].pos - ev[l].pos > (int)within) {
            if (!freeg[ev[l].group] && --cnt[ev[l].group] == 0)
                have--;
            l++;
        }
        if (have == need)
            return true;
    }
    return false;
}

static bool rule_fires(const struct redflag_rules *rs, const struct rule *r)
{
    struct event ev[EVENTS_MAX];
    size_t n;
    unsigned ng = r->all.ngroups;

    n = collect(rs, &r->all, 0, false, ev, 0);
    if (r->has_any) {
        n = collect(rs, &r->any, ng, true, ev, n);
        ng++;
    }
    if (!groups_fit(ev, n, ng, r->within))
        return false;
    if (r->has_unless && list_anywhere(rs, &r->unless))
        return false;
    return r->age_op == 0 || age_matches(rs, r);
}

size_t redflag_match(struct redflag_rules *rs, const char *text, size_t len,
                     const struct redflag_rule **hits, size_t cap)
{
    size_t i, n = 0;
    int u;

    analyse(rs, text, len);
    for (u = REDFLAG_EMERGENCY; u >= REDFLAG_SOON; u--) {
        for (i = 0; i < rs->n; i++) {
            const struct rule *r = &rs->rules[i];

            if ((int)r->pub.urgency != u || !rule_fires(rs, r))
                continue;
            if (n < cap)
                hits[n] = &r->pub;
            n++;
        }
    }
    return n;
}

bool redflag_conflicts(struct redflag_rules *rs,
                       const struct redflag_rule *rule, const char *s,
                       size_t len)
{
    size_t i;

    for (i = 0; i < rs->n; i++) {
        const struct rule *r = &rs->rules[i];
        if (&r->pub != rule || !r->has_conflicts)
            continue;
        analyse(rs, s, len);
        return list_anywhere(rs, &r->conflicts);
    }
    return false;
}
