/* SPDX-License-Identifier: MIT */
/* redflag.c: red-flag rule parsing and matching. Each rule keeps its "all"
 * and "any" values in a canonical form (lower-case terms, single spaces,
 * ',' between groups, '|' between alternatives) so matching just walks
 * that string and runs the word-phrase matcher; rule sets are small (tens
 * of rules) and questions short, so nothing cleverer is needed. */
#include "redflag.h"

#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "text/words.h"

enum { FILE_MAX = 1u << 22, VALUE_MAX = 4096, TERM_MAX = 128 };

struct rule {
    struct redflag_rule pub;
    char *id, *message, *source;
    char *all, *any; /* canonical; any may be NULL */
    bool has_urgency;
};

struct redflag_rules {
    struct rule *rules;
    size_t n, cap;
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
    galen_free(r->all);
    galen_free(r->any);
    memset(r, 0, sizeof *r);
}

/* Appends the canonical form of one term t[0..n) (words joined by single
 * spaces, lower case, a trailing '*' kept). Returns false if it is empty. */
static bool put_term(int *rc, struct buf *b, const char *t, size_t n)
{
    size_t i = 0, e = 0, words = 0, k;
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
            buf_put_byte(rc, b, ' ');
        for (k = i; k < e; k++)
            buf_put_byte(rc, b, answer_text_lower((unsigned char)t[k]));
        i = e;
    }
    if (star && words > 0)
        buf_put_byte(rc, b, '*');
    return words > 0;
}

/* Canonicalises a list value ("calf|leg, warm*|red") into a new string. */
static int canon_list(const char *v, size_t len, char **out)
{
    struct buf b;
    size_t i = 0;
    int rc = GALEN_OK;

    buf_init(&b, VALUE_MAX);
    while (i <= len && rc == GALEN_OK) {
        size_t e = i;
        while (e < len && v[e] != ',' && v[e] != '|')
            e++;
        if (e - i > TERM_MAX || !put_term(&rc, &b, v + i, e - i)) {
            buf_cleanup(&b);
            return GALEN_EPARSE;
        }
        if (e < len)
            buf_put_byte(&rc, &b, (unsigned char)v[e]);
        i = e + 1;
    }
    buf_put_nul(&rc, &b);
    if (rc != GALEN_OK) {
        buf_cleanup(&b);
        return rc;
    }
    *out = (char *)buf_take(&b, NULL);
    return GALEN_OK;
}

static int set_field(struct rule *r, const char *k, size_t klen, const char *v,
                     size_t vlen)
{
    char **slot = NULL;

    if (klen == 2 && memcmp(k, "id", 2) == 0)
        slot = &r->id;
    else if (klen == 7 && memcmp(k, "message", 7) == 0)
        slot = &r->message;
    else if (klen == 6 && memcmp(k, "source", 6) == 0)
        slot = &r->source;
    else if (klen == 3 && memcmp(k, "all", 3) == 0)
        return r->all ? GALEN_EEXIST : canon_list(v, vlen, &r->all);
    else if (klen == 3 && memcmp(k, "any", 3) == 0)
        return r->any ? GALEN_EEXIST : canon_list(v, vlen, &r->any);
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

static int parse_kv(struct rule *r, const char *line, size_t len, long lineno,
                    struct diag *diag)
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
    if (klen == 7 && memcmp(line, "urgency", 7) == 0)
        rc = set_urgency(r, line + vb, len - vb);
    else
        rc = set_field(r, line, klen, line + vb, len - vb);
    if (rc == GALEN_EINVAL)
        return diag_set(diag, lineno, "unknown key", GALEN_EPARSE);
    if (rc == GALEN_EEXIST)
        return diag_set(diag, lineno, "duplicate key", GALEN_EPARSE);
    if (rc == GALEN_EPARSE)
        return diag_set(diag, lineno, "bad urgency or empty term",
                        GALEN_EPARSE);
    return rc;
}

static int close_rule(struct redflag_rules *rs, struct rule *r, long lineno,
                      struct diag *diag)
{
    struct rule *nr;

    if (!r->id && !r->all && !r->message && !r->has_urgency)
        return GALEN_OK;
    if (!r->id || !r->all || !r->message || !r->has_urgency || !r->source)
        return diag_set(diag, lineno,
                        "rule needs id, all, urgency, message and source",
                        GALEN_EPARSE);
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
    galen_free(rs);
}

int redflag_parse(const char *text, size_t len, struct redflag_rules **out,
                  struct diag *diag)
{
    struct redflag_rules *rs = galen_calloc(1, sizeof *rs);
    struct rule cur;
    size_t i = 0;
    long lineno = 0;
    int rc = GALEN_OK;

    if (!rs)
        return GALEN_ENOMEM;
    memset(&cur, 0, sizeof cur);
    while (i < len && rc == GALEN_OK) {
        size_t e = i, n;
        while (e < len && text[e] != '\n')
            e++;
        n = e - i;
        if (n > 0 && text[i + n - 1] == '\r')
            n--;
        lineno++;
        if (answer_text_word_count(text + i, n) == 0 &&
            memchr(text + i, ':', n) == NULL)
            rc = close_rule(rs, &cur, lineno, diag);
        else if (text[i] != '#')
            rc = parse_kv(&cur, text + i, n, lineno, diag);
        i = e + 1;
    }
    if (rc == GALEN_OK)
        rc = close_rule(rs, &cur, lineno, diag);
    rule_cleanup(&cur);
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

static const char *const negations[] = {"no",     "not",   "without", "never",
                                        "denies", "deny",  "don t",   "dont",
                                        "nor",    "isn t", "doesn t", "didn t"};

/* True if a negation occurs within the three words before offset at, in
 * the same clause: a comma, other stop punctuation or "but" ends the
 * negation's scope ("no weakness or numbness" is negated throughout, "no
 * weakness, and numb toes" is not). */
static bool negated(const char *t, size_t at)
{
    size_t b = at, words = 0, k;

    while (b > 0 && words < 3) {
        size_t e = b, s;

        while (e > 0 && !answer_text_is_word((unsigned char)t[e - 1])) {
            if (strchr(",.;:!?()", t[e - 1]))
                return false;
            e--;
        }
        s = e;
        while (s > 0 && answer_text_is_word((unsigned char)t[s - 1]))
            s--;
        if (s == e || answer_text_ieq(t + s, e - s, "but"))
            return false;
        for (k = 0; k < ARRAY_SIZE(negations); k++) {
            size_t m;
            if (answer_text_phrase_at(t, at, s, negations[k], &m))
                return true;
        }
        b = s;
        words++;
    }
    return false;
}

/* True if the term occurs in t without a negation just before it. */
static bool term_in(const char *term, const char *t, size_t len)
{
    size_t i = 0, e = 0, m;

    for (;;) {
        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            return false;
        if (answer_text_phrase_at(t, len, i, term, &m) && !negated(t, i))
            return true;
        i = e;
    }
}

/* Walks a canonical list; with need_all every ',' group must match, else
 * any single term is enough. */
static bool list_matches(const char *list, bool need_all, const char *t,
                         size_t len)
{
    const char *p = list;
    bool group_ok = false;

    while (*p) {
        char term[TERM_MAX + 2];
        size_t n = strcspn(p, ",|");

        if (n > TERM_MAX)
            n = TERM_MAX;
        memcpy(term, p, n);
        term[n] = '\0';
        if (!group_ok && term_in(term, t, len))
            group_ok = true;
        if (group_ok && !need_all)
            return true;
        p += n;
        if (*p == ',' || *p == '\0') {
            if (need_all && !group_ok)
                return false;
            group_ok = false;
        }
        if (*p)
            p++;
    }
    return need_all;
}

size_t redflag_match(const struct redflag_rules *rs, const char *text,
                     size_t len, const struct redflag_rule **hits, size_t cap)
{
    size_t i, n = 0;
    int u;

    for (u = REDFLAG_EMERGENCY; u >= REDFLAG_SOON; u--) {
        for (i = 0; i < rs->n; i++) {
            const struct rule *r = &rs->rules[i];

            if ((int)r->pub.urgency != u)
                continue;
            if (!list_matches(r->all, true, text, len))
                continue;
            if (r->any && !list_matches(r->any, false, text, len))
                continue;
            if (n < cap)
                hits[n] = &r->pub;
            n++;
        }
    }
    return n;
}
