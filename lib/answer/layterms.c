/* SPDX-License-Identifier: MIT */
/* lexicon.c: lexicon loading and phrase lookup. Every phrase (either side of
 * an entry) is folded to a key (lower-case words, plural "s" dropped, one
 * space between words) and put in an open-addressing table whose records
 * chain the (entry, side) pairs using that key. Every single word of every
 * phrase is also a key, for lexicon_has_word. Strings live in one pool;
 * entry pointers are fixed up after the pool stops growing. */
#include "layterms.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/fileio.h"
#include "base/hash.h"
#include "base/mem.h"
#include "base/str.h"
#include "text/words.h"

enum {
    POOL_MAX = 1u << 26,
    FILE_MAX = 1u << 24,
    KEY_MAX = LEXICON_PHRASE_MAX + 8,
    NONE = UINT32_MAX
};

struct ref {
    uint32_t entry;
    uint32_t next; /* next ref with the same key, or NONE */
    bool is_lay;
    bool exact; /* short all-capital abbreviation: match case exactly */
};

struct key {
    uint32_t off, len; /* folded key in pool */
    uint32_t first;    /* first ref, or NONE for a word-only key */
    bool is_word;      /* a single word of some phrase */
};

struct raw_entry {
    uint32_t lay_off, med_off;
    enum lexicon_kind kind;
};

struct lexicon {
    struct buf pool;
    struct raw_entry *raw;
    struct lexicon_entry *entries;
    size_t n, cap;
    struct ref *refs;
    size_t nrefs, refs_cap;
    struct key *keys;
    size_t nkeys, keys_cap;
    uint32_t *table; /* key index + 1; 0 = empty */
    size_t mask;
    unsigned max_words;
};

static const char *const kind_names[] = {"synonym", "abbrev", "spelling",
                                         "body_part"};

bool lexicon_kind_from_name(const char *s, size_t len, enum lexicon_kind *out)
{
    size_t k;

    for (k = 0; k < ARRAY_SIZE(kind_names); k++) {
        if (strlen(kind_names[k]) == len &&
            memcmp(kind_names[k], s, len) == 0) {
            *out = (enum lexicon_kind)k;
            return true;
        }
    }
    return false;
}

const char *lexicon_kind_name(enum lexicon_kind k)
{
    return (unsigned)k < ARRAY_SIZE(kind_names) ? kind_names[k] : "synonym";
}

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = hash_fnv1a64(p, n);

    return h ^ (h >> 31);
}

/* Folds the word w[0..n) into out (lower case, plural dropped: "cramps",
 * "arteries", "calves"); returns the folded length. out has room for n
 * bytes. */
static size_t fold_word(const char *w, size_t n, char *out)
{
    size_t k;

    for (k = 0; k < n; k++)
        out[k] = (char)answer_text_lower((unsigned char)w[k]);
    if (n > 5 && memcmp(out + n - 4, "lves", 4) == 0) {
        out[n - 3] = 'f';
        return n - 2;
    }
    if (n > 4 && memcmp(out + n - 3, "ies", 3) == 0) {
        out[n - 3] = 'y';
        return n - 2;
    }
    if (n > 3 && out[n - 1] == 's' && out[n - 2] != 's' && out[n - 2] != 'u' &&
        out[n - 2] != 'i')
        return n - 1;
    return n;
}

/* Folds the words of t[0..len) into key; returns the key length and sets
 * *words, or returns 0 if there are no words or the key would not fit. */
static size_t fold_phrase(const char *t, size_t len, char *key, unsigned *words)
{
    size_t i = 0, e = 0, n = 0;

    *words = 0;
    for (;;) {
        i = answer_text_word(t, len, i, &e);
        if (i >= len)
            return n;
        if (n + (e - i) + 1 > KEY_MAX)
            return 0;
        if (n > 0)
            key[n++] = ' ';
        n += fold_word(t + i, e - i, key + n);
        (*words)++;
        i = e;
    }
}

/* True for an abbreviation written with capitals ("K", "BP", "Mg"):
 * docs/lexicon.md makes its case significant, so "k" is not potassium. */
static bool is_exact(const char *p, size_t len, enum lexicon_kind kind)
{
    size_t k;

    if (kind != LEXICON_ABBREV)
        return false;
    for (k = 0; k < len; k++) {
        if (p[k] >= 'A' && p[k] <= 'Z')
            return true;
    }
    return false;
}

static size_t probe(const struct lexicon *lx, const char *key, size_t n)
{
    size_t i = hash_bytes(key, n) & lx->mask;

    for (;;) {
        uint32_t id = lx->table[i];
        const struct key *k;

        if (id == 0)
            return i;
        k = &lx->keys[id - 1];
        if (k->len == n && memcmp(lx->pool.data + k->off, key, n) == 0)
            return i;
        i = (i + 1) & lx->mask;
    }
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *q;

    if (n < *cap)
        return GALEN_OK;
    ncap = *cap ? *cap * 2 : 64;
    q = galen_realloc(*p, ncap * size);
    if (!q)
        return GALEN_ENOMEM;
    *p = q;
    *cap = ncap;
    return GALEN_OK;
}

static int table_grow(struct lexicon *lx)
{
    size_t n = lx->table ? (lx->mask + 1) * 2 : 256, i;
    uint32_t *t = galen_calloc(n, sizeof *t);

    if (!t)
        return GALEN_ENOMEM;
    galen_free(lx->table);
    lx->table = t;
    lx->mask = n - 1;
    for (i = 0; i < lx->nkeys; i++) {
        const struct key *k = &lx->keys[i];
        lx->table[probe(lx, (const char *)lx->pool.data + k->off, k->len)] =
            (uint32_t)i + 1;
    }
    return GALEN_OK;
}

/* Finds or adds the key; sets *idx to its index. */
static int intern(struct lexicon *lx, const char *key, size_t n, size_t *idx)
{
    size_t slot;
    int rc = GALEN_OK;
    struct key *k;

    if (!lx->table || (lx->nkeys + 1) * 2 > lx->mask + 1) {
        rc = table_grow(lx);
        if (rc != GALEN_OK)
            return rc;
    }
    slot = probe(lx, key, n);
    if (lx->table[slot]) {
        *idx = lx->table[slot] - 1;
        return GALEN_OK;
    }
    rc = grow((void **)&lx->keys, &lx->keys_cap, lx->nkeys, sizeof *lx->keys);
    if (rc != GALEN_OK)
        return rc;
    k = &lx->keys[lx->nkeys];
    k->off = (uint32_t)lx->pool.len;
    k->len = (uint32_t)n;
    k->first = NONE;
    k->is_word = false;
    buf_put(&rc, &lx->pool, key, n);
    if (rc != GALEN_OK)
        return rc;
    lx->table[slot] = (uint32_t)++lx->nkeys;
    *idx = lx->nkeys - 1;
    return GALEN_OK;
}

/* Marks every word of the folded key as a known word. */
static int add_words(struct lexicon *lx, const char *key, size_t n)
{
    size_t i = 0, idx;
    int rc;

    while (i < n) {
        size_t e = i;
        while (e < n && key[e] != ' ')
            e++;
        rc = intern(lx, key + i, e - i, &idx);
        if (rc != GALEN_OK)
            return rc;
        lx->keys[idx].is_word = true;
        i = e + 1;
    }
    return GALEN_OK;
}

/* Indexes one side of entry e, written as p[0..len). */
static int add_phrase(struct lexicon *lx, uint32_t e, const char *p, size_t len,
                      bool is_lay, enum lexicon_kind kind)
{
    char key[KEY_MAX];
    unsigned words;
    size_t n = fold_phrase(p, len, key, &words), idx, last;
    struct ref *r;
    int rc;

    if (n == 0)
        return GALEN_EPARSE;
    rc = add_words(lx, key, n);
    if (rc == GALEN_OK)
        rc = intern(lx, key, n, &idx);
    if (rc == GALEN_OK)
        rc = grow((void **)&lx->refs, &lx->refs_cap, lx->nrefs,
                  sizeof *lx->refs);
    if (rc != GALEN_OK)
        return rc;
    r = &lx->refs[lx->nrefs];
    r->entry = e;
    r->next = NONE;
    r->is_lay = is_lay;
    r->exact = is_lay && is_exact(p, len, kind);
    /* Append, so that matches come out in file order. */
    if (lx->keys[idx].first == NONE) {
        lx->keys[idx].first = (uint32_t)lx->nrefs;
    } else {
        for (last = lx->keys[idx].first; lx->refs[last].next != NONE;)
            last = lx->refs[last].next;
        lx->refs[last].next = (uint32_t)lx->nrefs;
    }
    lx->nrefs++;
    lx->max_words = MAX(lx->max_words, words);
    return GALEN_OK;
}

/* Splits line[0..len) at tabs into at most 4 fields; returns the count. */
static size_t split_tabs(const char *line, size_t len, const char **f,
                         size_t *flen)
{
    size_t n = 0, i, b = 0;

    for (i = 0; i <= len && n < 4; i++) {
        if (i == len || line[i] == '\t') {
            f[n] = line + b;
            flen[n] = i - b;
            n++;
            b = i + 1;
        }
    }
    return n;
}

static int put_string(struct lexicon *lx, const char *s, size_t n,
                      uint32_t *off)
{
    int rc = GALEN_OK;

    *off = (uint32_t)lx->pool.len;
    buf_put(&rc, &lx->pool, s, n);
    buf_put_byte(&rc, &lx->pool, '\0');
    return rc;
}

static int parse_line(struct lexicon *lx, const char *line, size_t len,
                      long lineno, struct diag *diag)
{
    const char *f[4];
    size_t flen[4], nf = split_tabs(line, len, f, flen);
    struct raw_entry *re;
    enum lexicon_kind kind;
    uint32_t e = (uint32_t)lx->n;
    int rc;

    if (nf != 3)
        return diag_set(diag, lineno, "expected 3 tab-separated fields",
                        GALEN_EPARSE);
    if (flen[0] == 0 || flen[1] == 0 || flen[0] > LEXICON_PHRASE_MAX ||
        flen[1] > LEXICON_PHRASE_MAX)
        return diag_set(diag, lineno, "empty or too long term", GALEN_EPARSE);
    if (!lexicon_kind_from_name(f[2], flen[2], &kind))
        return diag_set(diag, lineno, "unknown kind", GALEN_EPARSE);
    rc = grow((void **)&lx->raw, &lx->cap, lx->n, sizeof *lx->raw);
    if (rc != GALEN_OK)
        return rc;
    re = &lx->raw[lx->n];
    re->kind = kind;
    rc = put_string(lx, f[0], flen[0], &re->lay_off);
    if (rc == GALEN_OK)
        rc = put_string(lx, f[1], flen[1], &re->med_off);
    if (rc == GALEN_OK)
        rc = add_phrase(lx, e, f[0], flen[0], true, kind);
    if (rc == GALEN_OK)
        rc = add_phrase(lx, e, f[1], flen[1], false, kind);
    if (rc == GALEN_EPARSE)
        return diag_set(diag, lineno, "term has no words", rc);
    if (rc == GALEN_OK)
        lx->n++;
    return rc;
}

static int finish(struct lexicon *lx)
{
    size_t i;

    lx->entries = galen_calloc(lx->n ? lx->n : 1, sizeof *lx->entries);
    if (!lx->entries)
        return GALEN_ENOMEM;
    for (i = 0; i < lx->n; i++) {
        lx->entries[i].lay = (const char *)lx->pool.data + lx->raw[i].lay_off;
        lx->entries[i].medical =
            (const char *)lx->pool.data + lx->raw[i].med_off;
        lx->entries[i].kind = lx->raw[i].kind;
    }
    return GALEN_OK;
}

int lexicon_parse(const char *text, size_t len, struct lexicon **out,
                  struct diag *diag)
{
    struct lexicon *lx = galen_calloc(1, sizeof *lx);
    size_t i = 0;
    long lineno = 0;
    struct str ln;
    int rc = GALEN_OK;

    if (!lx)
        return GALEN_ENOMEM;
    buf_init(&lx->pool, POOL_MAX);
    while (rc == GALEN_OK && str_next_line(text, len, &i, &ln)) {
        lineno++;
        if (ln.len > 0 && ln.p[0] != '#' &&
            answer_text_word_count(ln.p, ln.len) > 0)
            rc = parse_line(lx, ln.p, ln.len, lineno, diag);
    }
    if (rc == GALEN_OK)
        rc = finish(lx);
    if (rc != GALEN_OK) {
        if (rc == GALEN_ENOMEM)
            diag_set(diag, lineno, "out of memory", rc);
        lexicon_free(lx);
        return rc;
    }
    *out = lx;
    return GALEN_OK;
}

int lexicon_load(const char *path, struct lexicon **out, struct diag *diag)
{
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = fileio_read_all(path, FILE_MAX, &data, &len);

    if (rc == GALEN_ENOENT)
        return diag_set(diag, 0, "cannot open the lexicon file", rc);
    if (rc != GALEN_OK)
        return diag_set(diag, 0, "cannot read the lexicon file", rc);
    rc = lexicon_parse((const char *)data, len, out, diag);
    galen_free(data);
    return rc;
}

void lexicon_free(struct lexicon *lx)
{
    if (!lx)
        return;
    buf_cleanup(&lx->pool);
    galen_free(lx->raw);
    galen_free(lx->entries);
    galen_free(lx->refs);
    galen_free(lx->keys);
    galen_free(lx->table);
    galen_free(lx);
}

size_t lexicon_size(const struct lexicon *lx)
{
    return lx->n;
}

const struct lexicon_entry *lexicon_entry_at(const struct lexicon *lx, size_t i)
{
    return i < lx->n ? &lx->entries[i] : NULL;
}

static const struct key *find_key(const struct lexicon *lx, const char *key,
                                  size_t n)
{
    size_t slot;

    if (!lx->table || n == 0)
        return NULL;
    slot = probe(lx, key, n);
    return lx->table[slot] ? &lx->keys[lx->table[slot] - 1] : NULL;
}

bool lexicon_has_word(const struct lexicon *lx, const char *w, size_t len)
{
    char key[KEY_MAX];
    const struct key *k;

    if (len == 0 || len > LEXICON_PHRASE_MAX)
        return false;
    k = find_key(lx, key, fold_word(w, len, key));
    return k && k->is_word;
}

struct span {
    size_t b, e;
};

/* Reports every ref of k whose case rule accepts text[b..e); returns how
 * many were reported through *hits, or the callback's stop value. */
static int report(const struct lexicon *lx, const struct key *k,
                  const char *text, size_t b, size_t e, lexicon_fn fn,
                  void *ctx, size_t *hits)
{
    uint32_t r;

    for (r = k->first; r != NONE; r = lx->refs[r].next) {
        const struct ref *ref = &lx->refs[r];
        const struct lexicon_entry *ent = &lx->entries[ref->entry];
        const char *p = ref->is_lay ? ent->lay : ent->medical;
        struct lexicon_match m = {b, e, ent, ref->is_lay};
        int rc;

        if (ref->exact && (strlen(p) != e - b || memcmp(p, text + b, e - b)))
            continue;
        rc = fn(ctx, &m);
        if (rc != 0)
            return rc;
        (*hits)++;
    }
    return GALEN_OK;
}

/* Tries the longest phrase starting at word w; returns the words consumed
 * (0 if none matched) through *used. */
static int match_at(const struct lexicon *lx, const char *text,
                    const struct span *words, size_t nw, size_t w,
                    lexicon_fn fn, void *ctx, size_t *used)
{
    size_t n = MIN((size_t)lx->max_words, nw - w);

    *used = 0;
    for (; n > 0; n--) {
        char key[KEY_MAX];
        size_t klen = 0, k, hits = 0;
        const struct key *found;
        int rc;

        for (k = 0; k < n; k++) {
            size_t wl = words[w + k].e - words[w + k].b;
            if (klen + wl + 1 > KEY_MAX)
                break;
            if (k > 0)
                key[klen++] = ' ';
            klen += fold_word(text + words[w + k].b, wl, key + klen);
        }
        if (k < n)
            continue;
        found = find_key(lx, key, klen);
        if (!found || found->first == NONE)
            continue;
        rc = report(lx, found, text, words[w].b, words[w + n - 1].e, fn, ctx,
                    &hits);
        if (rc != GALEN_OK)
            return rc;
        if (hits > 0) {
            *used = n;
            return GALEN_OK;
        }
    }
    return GALEN_OK;
}

int lexicon_scan(const struct lexicon *lx, const char *text, size_t len,
                 lexicon_fn fn, void *ctx)
{
    size_t nw = answer_text_word_count(text, len), i = 0, e = 0, w = 0;
    struct span *words;
    int rc = GALEN_OK;

    if (nw == 0 || lx->nkeys == 0)
        return GALEN_OK;
    words = galen_malloc(nw * sizeof *words);
    if (!words)
        return GALEN_ENOMEM;
    for (w = 0; w < nw; w++) {
        i = answer_text_word(text, len, i, &e);
        words[w].b = i;
        words[w].e = e;
        i = e;
    }
    for (w = 0; w < nw && rc == GALEN_OK;) {
        size_t used = 0;
        rc = match_at(lx, text, words, nw, w, fn, ctx, &used);
        w += used ? used : 1;
    }
    galen_free(words);
    return rc;
}
