/* SPDX-License-Identifier: MIT */
/* test_index.c: the index writer and reader against an in-memory reference
 * built from the same analyzer: every posting (doc, term, field, positions),
 * field lengths, stored text and ids, over single and multiple segments,
 * deletes, replacements, merges, snapshots and reopening; and damaged files
 * (truncated, bit-flipped, foreign, newer version) that must fail cleanly. */
/* cmocka.h must come after the headers it uses. */
/* clang-format off */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
/* clang-format on */

#include <zlib.h>

#include <galen/error.h>

#include "base/mem.h"
#include "base/varint.h"
#include "index/index.h"
#include "index/manifest.h"
#include "index/postings.h"
#include "index/segment.h"
#include "text/analyzer.h"

/* ---- helpers ------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint32_t rnd(uint32_t n)
{
    return n ? (uint32_t)(rng() % n) : 0;
}

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/galen-test-index-XXXXXX";
    char *d = mkdtemp(tmpl);

    assert_non_null(d);
    return strdup(d);
}

static void remove_tree(char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];

    if (d) {
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void write_file(const char *path, const void *p, size_t len)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, len, f), len);
    fclose(f);
}

/* ---- the reference corpus ------------------------------------------------ */

struct rdoc {
    char id[32];
    char *field[2];
    char *meta;
    bool live;
};

struct corpus {
    struct rdoc *d;
    size_t n, cap;
};

static const char *const syllables[] = {"ba", "ke", "lo", "mi", "nu",  "ra",
                                        "se", "ti", "vo", "zu", "qua", "x"};

static void gen_word(char *w, size_t cap, uint32_t vocab)
{
    uint32_t k = rnd(vocab);
    uint32_t r = k * k / (vocab ? vocab : 1); /* skew towards few words */
    size_t n = 0;

    k = rnd(3) ? r : k;
    do {
        const char *s = syllables[k % ARRAY_SIZE(syllables)];

        n += (size_t)snprintf(w + n, cap - n, "%s", s);
        k /= ARRAY_SIZE(syllables);
    } while (k > 0 && n < cap - 4);
    if (rnd(10) == 0)
        snprintf(w + n, cap - n, "%u", rnd(20));
}

static char *gen_text(uint32_t nwords, uint32_t vocab)
{
    size_t cap = (size_t)nwords * 24 + 1;
    char *t = malloc(cap);
    size_t n = 0;
    uint32_t i;

    t[0] = '\0';
    for (i = 0; i < nwords; i++) {
        char w[20];

        gen_word(w, sizeof w, vocab);
        if (rnd(5) == 0)
            w[0] = (char)(w[0] - 'a' + 'A');
        n += (size_t)snprintf(t + n, cap - n, "%s%s", w,
                              rnd(8) == 0 ? ", " : " ");
    }
    return t;
}

static void rdoc_free(struct rdoc *d)
{
    free(d->field[0]);
    free(d->field[1]);
    free(d->meta);
}

static struct rdoc *corpus_add(struct corpus *c, const char *id, uint32_t vocab)
{
    struct rdoc *d;

    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->d = realloc(c->d, c->cap * sizeof *c->d);
    }
    d = &c->d[c->n++];
    snprintf(d->id, sizeof d->id, "%s", id);
    d->field[0] = gen_text(rnd(8), vocab);
    d->field[1] = gen_text(rnd(5) == 0 ? rnd(400) : rnd(60), vocab);
    d->meta = malloc(32);
    snprintf(d->meta, 32, "{\"n\":%u}", rnd(1000));
    d->live = true;
    return d;
}

static void corpus_free(struct corpus *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        rdoc_free(&c->d[i]);
    free(c->d);
}

static struct rdoc *corpus_live(struct corpus *c, const char *id)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (c->d[i].live && strcmp(c->d[i].id, id) == 0)
            return &c->d[i];
    }
    return NULL;
}

static void add_doc(struct index_writer *w, struct corpus *c, struct rdoc *d)
{
    struct index_doc x;
    struct rdoc *old;
    size_t i;

    old = NULL;
    for (i = 0; i < c->n; i++) {
        if (&c->d[i] != d && c->d[i].live && strcmp(c->d[i].id, d->id) == 0)
            old = &c->d[i];
    }
    if (old)
        old->live = false;
    memset(&x, 0, sizeof x);
    x.id = str_from(d->id);
    x.field[0] = str_from(d->field[0]);
    x.field[1] = str_from(d->field[1]);
    x.meta = str_from(d->meta);
    assert_int_equal(index_writer_add(w, &x), GALEN_OK);
}

/* ---- expected and actual postings as sorted lines ------------------------ */

struct lines {
    char **v;
    size_t n, cap;
};

static void lines_add(struct lines *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = strdup(s);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lines_free(struct lines *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

struct tp {
    char term[ANALYZER_TERM_MAX + 1];
    uint32_t pos;
};

struct collect {
    struct tp *v;
    size_t n, cap;
};

static int collect_term(void *ctx, const struct aterm *t)
{
    struct collect *c = ctx;

    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
    }
    memcpy(c->v[c->n].term, t->term, t->len);
    c->v[c->n].term[t->len] = '\0';
    c->v[c->n].pos = t->pos;
    c->n++;
    return 0;
}

static int cmp_tp(const void *a, const void *b)
{
    const struct tp *x = a;
    const struct tp *y = b;
    int c = strcmp(x->term, y->term);

    if (c != 0)
        return c;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Runs the analyzer like the writer does; returns the field length. */
static uint32_t analyze(struct analyzer *an, const struct index_conf *conf,
                        unsigned f, const char *text, struct collect *c)
{
    struct analyzer_opts o = {conf->field[f].stem, conf->field[f].stop};

    c->n = 0;
    assert_int_equal(analyzer_run(an, &o, text, strlen(text), collect_term, c),
                     GALEN_OK);
    if (c->n > 0)
        qsort(c->v, c->n, sizeof *c->v, cmp_tp);
    return (uint32_t)c->n;
}

static void append_pos(char *line, size_t cap, uint32_t p)
{
    size_t n = strlen(line);

    snprintf(line + n, cap - n, ",%u", p);
}

static void expected_lines(const struct corpus *c, struct lines *out)
{
    struct index_conf conf;
    struct analyzer *an;
    struct collect col = {0};
    char line[16384];
    size_t i, k;
    unsigned f;

    index_conf_default(&conf);
    assert_int_equal(analyzer_new(&an), GALEN_OK);
    for (i = 0; i < c->n; i++) {
        if (!c->d[i].live)
            continue;
        for (f = 0; f < 2; f++) {
            analyze(an, &conf, f, c->d[i].field[f], &col);
            for (k = 0; k < col.n; k++) {
                if (k == 0 || strcmp(col.v[k].term, col.v[k - 1].term) != 0) {
                    if (k > 0)
                        lines_add(out, line);
                    snprintf(line, sizeof line, "%s|%s|%u|", c->d[i].id,
                             col.v[k].term, f);
                }
                append_pos(line, sizeof line, col.v[k].pos);
            }
            if (col.n > 0)
                lines_add(out, line);
        }
    }
    free(col.v);
    analyzer_free(an);
    if (out->n > 0)
        qsort(out->v, out->n, sizeof *out->v, cmp_line);
}

static void posting_line(struct postings_cursor *c, const struct segment *s,
                         struct str term, unsigned f, struct lines *out)
{
    uint32_t pos[2048];
    char line[16384];
    struct str id = segment_doc_id(s, c->doc);
    uint32_t n = postings_positions(c, f, pos, 2048);
    uint32_t i;

    assert_true(n <= 2048);
    snprintf(line, sizeof line, "%.*s|%.*s|%u|", (int)id.len, id.p,
             (int)term.len, term.p, f);
    for (i = 0; i < n; i++)
        append_pos(line, sizeof line, pos[i]);
    lines_add(out, line);
}

static void actual_lines(const struct index *idx, struct lines *out)
{
    struct postings_cursor c;
    uint32_t si, t;
    unsigned f;

    for (si = 0; si < index_segment_count(idx); si++) {
        const struct segment *s = index_segment(idx, si);

        for (t = 0; t < segment_term_count(s); t++) {
            struct str term = segment_term_at(s, t);
            struct term_info ti;

            assert_int_equal(segment_lookup(s, term, &ti), GALEN_OK);
            for (postings_cursor_init(&c, s, &ti); c.doc != POSTINGS_END;
                 postings_next(&c)) {
                if (segment_is_deleted(s, c.doc))
                    continue;
                for (f = 0; f < 2; f++) {
                    if (postings_tf(&c, f) > 0)
                        posting_line(&c, s, term, f, out);
                }
            }
            assert_int_equal(c.err, GALEN_OK);
        }
    }
    if (out->n > 0)
        qsort(out->v, out->n, sizeof *out->v, cmp_line);
}

static void check_postings(const struct index *idx, const struct corpus *c)
{
    struct lines want = {0}, got = {0};
    size_t i;

    expected_lines(c, &want);
    actual_lines(idx, &got);
    for (i = 0; i < MIN(want.n, got.n); i++)
        assert_string_equal(got.v[i], want.v[i]);
    assert_int_equal(got.n, want.n);
    lines_free(&want);
    lines_free(&got);
}

/* Stored fields, meta, ids, field lengths and index_find. */
static void check_docs(const struct index *idx, const struct corpus *c)
{
    struct index_conf conf;
    struct analyzer *an;
    struct collect col = {0};
    struct buf scratch;
    uint64_t live = 0;
    size_t i;

    index_conf_default(&conf);
    assert_int_equal(analyzer_new(&an), GALEN_OK);
    buf_init(&scratch, 1 << 24);
    for (i = 0; i < c->n; i++) {
        const struct rdoc *d = &c->d[i];
        struct str field[INDEX_MAX_FIELDS], meta;
        const struct segment *s;
        uint32_t seg, doc;
        unsigned f;

        if (!d->live)
            continue;
        live++;
        assert_int_equal(index_find(idx, str_from(d->id), &seg, &doc),
                         GALEN_OK);
        s = index_segment(idx, seg);
        assert_true(str_eq_cstr(segment_doc_id(s, doc), d->id));
        assert_false(segment_is_deleted(s, doc));
        assert_int_equal(segment_doc_load(s, doc, &scratch, field, &meta),
                         GALEN_OK);
        for (f = 0; f < 2; f++) {
            assert_true(str_eq_cstr(field[f], d->field[f]));
            assert_int_equal(segment_field_len(s, doc, f),
                             analyze(an, &conf, f, d->field[f], &col));
        }
        assert_true(str_eq_cstr(meta, d->meta));
    }
    for (i = 0; i < c->n; i++) {
        uint32_t seg, doc;

        if (!c->d[i].live && !corpus_live((struct corpus *)c, c->d[i].id))
            assert_int_equal(index_find(idx, str_from(c->d[i].id), &seg, &doc),
                             GALEN_ENOENT);
    }
    assert_int_equal(index_live_doc_count(idx), live);
    buf_cleanup(&scratch);
    free(col.v);
    analyzer_free(an);
}

static void check_index(const char *dir, const struct corpus *c)
{
    struct index *idx = NULL;

    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    check_postings(idx, c);
    check_docs(idx, c);
    assert_int_equal(index_verify(idx, NULL, NULL), GALEN_OK);
    index_close(idx);
}

static struct index_writer *open_writer(const char *dir)
{
    struct index_writer *w = NULL;
    int rc = index_writer_open(dir, NULL, &w);

    if (rc != GALEN_OK)
        fail_msg("%s", index_writer_errmsg(NULL));
    return w;
}

/* Builds n docs with ids doc-0.. into dir, committing every `every`. */
static int build_codec = POSTINGS_CODEC_PACKED;

static void build(const char *dir, struct corpus *c, size_t n, size_t every,
                  size_t budget)
{
    struct index_writer *w = open_writer(dir);
    char id[32];
    size_t i;

    if (budget)
        index_writer_set_mem_budget(w, budget);
    assert_int_equal(index_writer_set_codec(w, build_codec), GALEN_OK);
    for (i = 0; i < n; i++) {
        snprintf(id, sizeof id, "doc-%zu", c->n);
        add_doc(w, c, corpus_add(c, id, 300));
        if (every && (i + 1) % every == 0)
            assert_int_equal(index_writer_commit(w), GALEN_OK);
    }
    assert_int_equal(index_writer_commit(w), GALEN_OK);
    index_writer_close(w);
}

/* ---- round trips --------------------------------------------------------- */

static void test_index_roundtrip(void **state)
{
    struct corpus c = {0};
    struct index *idx = NULL;
    char *dir = make_tmpdir();
    struct term_info ti;
    struct str t;

    UNUSED(state);
    rng_state = 1;
    build(dir, &c, 300, 0, 0);
    check_index(dir, &c);
    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    assert_int_equal(index_segment_count(idx), 1);
    assert_int_equal(index_doc_count(idx), 300);
    assert_true(index_avg_field_len(idx, 1) > 1);
    t = segment_term_at(index_segment(idx, 0), 0);
    assert_int_equal(segment_lookup(index_segment(idx, 0), t, &ti), GALEN_OK);
    assert_int_equal(index_df(idx, t), ti.df);
    assert_int_equal(index_df(idx, STR_LIT("nosuchterm")), 0);
    assert_int_equal(
        segment_lookup(index_segment(idx, 0), STR_LIT("nosuchterm"), &ti),
        GALEN_ENOENT);
    index_close(idx);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_roundtrip_varint(void **state)
{
    struct corpus c = {0};
    struct index_writer *w;
    char *dir = make_tmpdir();

    UNUSED(state);
    rng_state = 11;
    build_codec = POSTINGS_CODEC_VARINT;
    build(dir, &c, 150, 50, 0);
    build_codec = POSTINGS_CODEC_PACKED;
    check_index(dir, &c);
    /* Merging varint segments writes packed ones. */
    w = open_writer(dir);
    assert_int_equal(index_writer_set_codec(w, 7), GALEN_EINVAL);
    assert_int_equal(index_writer_merge(w, 1), GALEN_OK);
    index_writer_close(w);
    check_index(dir, &c);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_multi_segment(void **state)
{
    struct corpus c = {0};
    struct index *idx = NULL;
    char *dir = make_tmpdir();

    UNUSED(state);
    rng_state = 2;
    /* A small budget forces flushes between commits; commits every 40
     * docs make enough segments for the tiered policy to merge. */
    build(dir, &c, 700, 40, 64 * 1024);
    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    /* 17 commits and more flushes, merged by tiers. */
    assert_true(index_segment_count(idx) > 1);
    assert_true(index_segment_count(idx) < 17);
    index_close(idx);
    check_index(dir, &c);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_delete_replace_merge(void **state)
{
    struct corpus c = {0};
    struct index *idx = NULL;
    struct index_writer *w;
    char *dir = make_tmpdir();
    char id[32];
    size_t i;

    UNUSED(state);
    rng_state = 3;
    build(dir, &c, 200, 70, 0);
    w = open_writer(dir);
    for (i = 0; i < 200; i += 7) {
        snprintf(id, sizeof id, "doc-%zu", i);
        assert_int_equal(index_writer_delete(w, str_from(id)), GALEN_OK);
        corpus_live(&c, id)->live = false;
    }
    for (i = 3; i < 200; i += 11) {
        snprintf(id, sizeof id, "doc-%zu", i);
        add_doc(w, &c, corpus_add(&c, id, 300)); /* replace */
    }
    /* Replace within the buffer, then delete a buffered doc. */
    add_doc(w, &c, corpus_add(&c, "fresh", 300));
    add_doc(w, &c, corpus_add(&c, "fresh", 300));
    add_doc(w, &c, corpus_add(&c, "gone", 300));
    assert_int_equal(index_writer_delete(w, STR_LIT("gone")), GALEN_OK);
    corpus_live(&c, "gone")->live = false;
    assert_int_equal(index_writer_delete(w, STR_LIT("never-added")), GALEN_OK);
    assert_int_equal(index_writer_commit(w), GALEN_OK);
    check_index(dir, &c);
    assert_int_equal(index_writer_merge(w, 1), GALEN_OK);
    index_writer_close(w);
    check_index(dir, &c);
    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    assert_int_equal(index_segment_count(idx), 1);
    assert_int_equal(index_doc_count(idx), index_live_doc_count(idx));
    index_close(idx);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_delete_everything(void **state)
{
    struct corpus c = {0};
    struct index *idx = NULL;
    struct index_writer *w;
    char *dir = make_tmpdir();
    size_t i;

    UNUSED(state);
    rng_state = 4;
    build(dir, &c, 30, 0, 0);
    w = open_writer(dir);
    for (i = 0; i < c.n; i++) {
        assert_int_equal(index_writer_delete(w, str_from(c.d[i].id)), GALEN_OK);
        c.d[i].live = false;
    }
    assert_int_equal(index_writer_commit(w), GALEN_OK);
    index_writer_close(w);
    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    assert_int_equal(index_segment_count(idx), 0);
    assert_int_equal(index_doc_count(idx), 0);
    index_close(idx);
    check_index(dir, &c);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_snapshot_isolation(void **state)
{
    struct corpus c = {0}, old = {0};
    struct index *before = NULL, *after = NULL;
    struct index_writer *w;
    char *dir = make_tmpdir();
    size_t i;

    UNUSED(state);
    rng_state = 5;
    build(dir, &c, 120, 60, 0);
    assert_int_equal(index_open(dir, &before), GALEN_OK);
    /* Remember the reference as the snapshot saw it. */
    old.n = old.cap = c.n;
    old.d = calloc(c.n, sizeof *old.d);
    for (i = 0; i < c.n; i++) {
        old.d[i] = c.d[i];
        old.d[i].field[0] = strdup(c.d[i].field[0]);
        old.d[i].field[1] = strdup(c.d[i].field[1]);
        old.d[i].meta = strdup(c.d[i].meta);
    }
    w = open_writer(dir);
    for (i = 0; i < 120; i += 3) {
        assert_int_equal(index_writer_delete(w, str_from(c.d[i].id)), GALEN_OK);
        c.d[i].live = false;
    }
    add_doc(w, &c, corpus_add(&c, "new-one", 300));
    assert_int_equal(index_writer_merge(w, 1), GALEN_OK);
    /* The old snapshot still reads the files the merge replaced. */
    check_postings(before, &old);
    check_docs(before, &old);
    assert_int_equal(index_open(dir, &after), GALEN_OK);
    assert_true(index_generation(after) > index_generation(before));
    check_postings(after, &c);
    check_docs(after, &c);
    index_close(after);
    index_close(before);
    index_writer_close(w);
    corpus_free(&old);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_reopen_and_lock(void **state)
{
    struct corpus c = {0};
    struct index_writer *w, *w2 = NULL;
    struct index_write_stats st;
    struct index_conf conf;
    char *dir = make_tmpdir();

    UNUSED(state);
    rng_state = 6;
    build(dir, &c, 50, 0, 0);
    w = open_writer(dir);
    assert_int_equal(index_writer_open(dir, NULL, &w2), GALEN_ESTATE);
    assert_non_null(strstr(index_writer_errmsg(NULL), "LOCK"));
    add_doc(w, &c, corpus_add(&c, "late", 300));
    assert_int_equal(index_writer_commit(w), GALEN_OK);
    index_writer_stats(w, &st);
    assert_int_equal(st.docs, 1);
    assert_true(st.terms > 0 && st.index_bytes > 0 && st.store_bytes > 0);
    /* Uncommitted work is dropped at close. */
    add_doc(w, &c, corpus_add(&c, "dropped", 300));
    c.d[c.n - 1].live = false;
    index_writer_close(w);
    check_index(dir, &c);
    /* conf is only used when creating. */
    index_conf_default(&conf);
    conf.nfields = 1;
    assert_int_equal(index_writer_open(dir, &conf, &w), GALEN_OK);
    index_writer_close(w);
    corpus_free(&c);
    remove_tree(dir);
}

/* Files a crashed writer may leave behind go when the next writer opens;
 * the files the MANIFEST names stay. */
static void test_index_orphans_removed(void **state)
{
    static const char *const junk[] = {"seg-000000ff.gseg", "MANIFEST.tmp",
                                       "seg-00000001-000000aa.gdel",
                                       "seg-00000002.gdel.tmp"};
    struct corpus c = {0};
    struct index_writer *w;
    char *dir = make_tmpdir();
    char path[4200];
    struct stat st;
    size_t i;

    UNUSED(state);
    rng_state = 13;
    build(dir, &c, 20, 0, 0);
    for (i = 0; i < ARRAY_SIZE(junk); i++) {
        snprintf(path, sizeof path, "%s/%s", dir, junk[i]);
        write_file(path, "x", 1);
    }
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    write_file(path, "mine", 4);
    w = open_writer(dir);
    index_writer_close(w);
    for (i = 0; i < ARRAY_SIZE(junk); i++) {
        snprintf(path, sizeof path, "%s/%s", dir, junk[i]);
        assert_int_not_equal(stat(path, &st), 0);
    }
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    assert_int_equal(stat(path, &st), 0); /* not ours: left alone */
    check_index(dir, &c);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_rejects_bad_input(void **state)
{
    struct index_writer *w;
    struct index_doc d;
    struct index_conf conf;
    struct index *idx = NULL;
    char *dir = make_tmpdir();
    char longid[300];

    UNUSED(state);
    memset(&d, 0, sizeof d);
    memset(longid, 'a', sizeof longid);
    assert_int_equal(index_open(dir, &idx), GALEN_ENOENT);
    assert_non_null(strstr(index_errmsg(NULL), "MANIFEST"));
    index_conf_default(&conf);
    conf.field[1].b = 2;
    assert_int_equal(index_writer_open(dir, &conf, &w), GALEN_EINVAL);
    w = open_writer(dir);
    assert_int_equal(index_writer_add(w, &d), GALEN_EINVAL);
    d.id.p = longid;
    d.id.len = sizeof longid;
    assert_int_equal(index_writer_add(w, &d), GALEN_EINVAL);
    assert_int_equal(index_writer_delete(w, d.id), GALEN_EINVAL);
    d.id = STR_LIT("ok");
    assert_int_equal(index_writer_add(w, &d), GALEN_OK); /* empty fields */
    assert_int_equal(index_writer_commit(w), GALEN_OK);
    index_writer_close(w);
    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    assert_int_equal(index_live_doc_count(idx), 1);
    index_close(idx);
    remove_tree(dir);
}

/* ---- damaged files ------------------------------------------------------- */

/* Builds a small one-segment index and returns the segment's path. */
static char *small_index(const char *dir, struct corpus *c)
{
    struct index *idx = NULL;
    char *path;

    build(dir, c, 40, 0, 0);
    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    path = strdup(index_segment(idx, 0)->path);
    index_close(idx);
    return path;
}

/* Reads everything a searcher could touch; must not crash. */
static void exercise(const struct segment *s)
{
    struct postings_cursor c;
    struct buf scratch;
    uint32_t t, d, pos[16];

    buf_init(&scratch, 1 << 22);
    for (t = 0; t < segment_term_count(s); t++) {
        struct term_info ti;

        if (segment_lookup(s, segment_term_at(s, t), &ti) != GALEN_OK)
            continue;
        for (postings_cursor_init(&c, s, &ti); c.doc != POSTINGS_END;
             postings_next(&c)) {
            postings_positions(&c, 0, pos, 16);
            postings_shallow_geq(&c, c.doc + 3);
        }
    }
    for (d = 0; d < segment_doc_count(s); d++) {
        struct str f[INDEX_MAX_FIELDS], meta;

        if (segment_doc_load(s, d, &scratch, f, &meta) == GALEN_OK)
            assert_true(f[0].len <= scratch.len);
    }
    buf_cleanup(&scratch);
}

static void test_index_truncated_segment(void **state)
{
    struct corpus c = {0};
    char *dir = make_tmpdir();
    char *path = small_index(dir, &c);
    char cut[4200];
    struct index *idx = NULL;
    size_t len, n;
    unsigned char *data = read_file(path, &len);

    UNUSED(state);
    snprintf(cut, sizeof cut, "%s.cut", path);
    for (n = 0; n < len; n += 1 + n / 50) {
        struct segment *s = NULL;
        char err[SEGMENT_ERR_MAX];

        write_file(cut, data, n);
        assert_int_equal(segment_open(cut, 0, &s, err, sizeof err),
                         GALEN_ECORRUPT);
        assert_non_null(strstr(err, cut));
        assert_int_equal(segment_open_mem(data, n, &s, err, sizeof err),
                         GALEN_ECORRUPT);
    }
    unlink(cut);
    /* Through the index: the MANIFEST's size check names the file. */
    write_file(path, data, len - 10);
    assert_int_equal(index_open(dir, &idx), GALEN_ECORRUPT);
    assert_non_null(strstr(index_errmsg(NULL), path));
    assert_non_null(strstr(index_errmsg(NULL), "truncated"));
    free(data);
    free(path);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_bitflips_are_caught(void **state)
{
    struct corpus c = {0};
    char *dir = make_tmpdir();
    char *path = small_index(dir, &c);
    size_t len, at;
    unsigned char *data = read_file(path, &len);
    unsigned char *copy = malloc(len);
    unsigned caught_at_open = 0, caught_by_verify = 0;

    UNUSED(state);
    rng_state = 77;
    for (at = 0; at < len; at += 1 + rnd(7)) {
        struct segment *s = NULL;
        char err[SEGMENT_ERR_MAX];
        int rc;

        memcpy(copy, data, len);
        copy[at] ^= (unsigned char)(1u << rnd(8));
        rc = segment_open_mem(copy, len, &s, err, sizeof err);
        if (rc != GALEN_OK) {
            assert_true(rc == GALEN_ECORRUPT || rc == GALEN_EVERSION);
            caught_at_open++;
            continue;
        }
        exercise(s);
        assert_int_equal(segment_verify(s, err, sizeof err), GALEN_ECORRUPT);
        caught_by_verify++;
        segment_close(s);
    }
    assert_true(caught_at_open > 0 && caught_by_verify > 0);
    free(copy);
    free(data);
    free(path);
    corpus_free(&c);
    remove_tree(dir);
}

/* Random mutations anywhere, many bytes at once, with the CRCs of the
 * header and tables recomputed so that the structural checks and the
 * decoders themselves are exercised. */
static void test_index_mutations_never_crash(void **state)
{
    struct corpus c = {0};
    char *dir = make_tmpdir();
    char *path = small_index(dir, &c);
    size_t len;
    unsigned char *data = read_file(path, &len);
    unsigned char *copy = malloc(len);
    int iter;

    UNUSED(state);
    rng_state = 78;
    for (iter = 0; iter < 400; iter++) {
        struct segment *s = NULL;
        char err[SEGMENT_ERR_MAX];
        uint32_t k;

        memcpy(copy, data, len);
        for (k = 0; k < 1 + rnd(6); k++)
            copy[356 + rnd((uint32_t)len - 356)] = (unsigned char)rng();
        segment_fix_checksums(copy, len);
        if (segment_open_mem(copy, len, &s, err, sizeof err) != GALEN_OK)
            continue;
        exercise(s);
        segment_close(s);
    }
    free(copy);
    free(data);
    free(path);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_foreign_and_newer_files(void **state)
{
    struct corpus c = {0};
    char *dir = make_tmpdir();
    char *path = small_index(dir, &c);
    char man[4200];
    struct index *idx = NULL;
    struct segment *s = NULL;
    char err[SEGMENT_ERR_MAX];
    size_t len, mlen;
    unsigned char *data = read_file(path, &len);
    unsigned char *mdata;

    UNUSED(state);
    snprintf(man, sizeof man, "%s/MANIFEST", dir);
    mdata = read_file(man, &mlen);
    /* A foreign segment file. */
    write_file(path, "#!/bin/sh\necho hello\n", 21);
    assert_int_equal(segment_open(path, 0, &s, err, sizeof err),
                     GALEN_ECORRUPT);
    assert_non_null(strstr(err, "bad magic"));
    assert_non_null(strstr(err, path));
    /* A segment from a newer galen. */
    put_u32le(data + 8, 2);
    write_file(path, data, len);
    assert_int_equal(segment_open(path, 0, &s, err, sizeof err),
                     GALEN_EVERSION);
    assert_non_null(strstr(err, "newer"));
    assert_int_equal(index_open(dir, &idx), GALEN_EVERSION);
    put_u32le(data + 8, 1);
    write_file(path, data, len);
    assert_int_equal(index_open(dir, &idx), GALEN_OK);
    index_close(idx);
    /* A newer MANIFEST, then a foreign one, then a flipped bit. */
    put_u32le(mdata + 8, 9);
    write_file(man, mdata, mlen);
    assert_int_equal(index_open(dir, &idx), GALEN_EVERSION);
    assert_non_null(strstr(index_errmsg(NULL), "MANIFEST"));
    write_file(man, "{\"json\": true}", 14);
    assert_int_equal(index_open(dir, &idx), GALEN_ECORRUPT);
    assert_non_null(strstr(index_errmsg(NULL), "bad magic"));
    put_u32le(mdata + 8, 1);
    mdata[mlen - 3] ^= 4;
    write_file(man, mdata, mlen);
    assert_int_equal(index_open(dir, &idx), GALEN_ECORRUPT);
    assert_non_null(strstr(index_errmsg(NULL), "checksum"));
    free(mdata);
    free(data);
    free(path);
    corpus_free(&c);
    remove_tree(dir);
}

/* Random bytes in a MANIFEST with a valid checksum: parsed or refused,
 * never a crash, and a parsed one is self-consistent. */
static void test_index_manifest_mutations(void **state)
{
    struct corpus c = {0};
    char *dir = make_tmpdir();
    char path[4200], err[SEGMENT_ERR_MAX];
    size_t len;
    unsigned char *data;
    unsigned char copy[4096];
    int iter, parsed = 0;

    UNUSED(state);
    rng_state = 12;
    build(dir, &c, 10, 3, 0);
    snprintf(path, sizeof path, "%s/MANIFEST", dir);
    data = read_file(path, &len);
    assert_true(len <= sizeof copy);
    for (iter = 0; iter < 3000; iter++) {
        struct manifest m;
        uint32_t k, n = (uint32_t)len - (iter % 7 == 0 ? rnd(40) : 0);

        memcpy(copy, data, len);
        for (k = 0; k < 1 + rnd(3); k++)
            copy[20 + rnd(n - 20)] ^= (unsigned char)(1u << rnd(8));
        put_u32le(copy + 12, n - 20);
        put_u32le(copy + 16, (uint32_t)crc32(0, copy + 20, n - 20));
        if (manifest_parse(copy, n, &m, "M", err, sizeof err) != GALEN_OK)
            continue;
        parsed++;
        assert_true(manifest_conf_valid(&m.conf));
        for (k = 0; k < m.nsegs; k++)
            assert_true(m.segs[k].ndeleted <= m.segs[k].ndocs);
        manifest_cleanup(&m);
    }
    assert_true(parsed > 0);
    free(data);
    corpus_free(&c);
    remove_tree(dir);
}

static void test_index_bad_deletion_file(void **state)
{
    struct corpus c = {0};
    struct index_writer *w;
    struct index *idx = NULL;
    char *dir = make_tmpdir();
    char path[4200];
    DIR *d;
    struct dirent *e;
    size_t len;
    unsigned char *data;

    UNUSED(state);
    rng_state = 9;
    build(dir, &c, 20, 0, 0);
    w = open_writer(dir);
    assert_int_equal(index_writer_delete(w, STR_LIT("doc-3")), GALEN_OK);
    assert_int_equal(index_writer_commit(w), GALEN_OK);
    index_writer_close(w);
    d = opendir(dir);
    path[0] = '\0';
    while ((e = readdir(d)) != NULL) {
        if (strstr(e->d_name, ".gdel"))
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    assert_true(path[0] != '\0');
    data = read_file(path, &len);
    data[len - 1] ^= 0x40;
    write_file(path, data, len);
    assert_int_equal(index_open(dir, &idx), GALEN_ECORRUPT);
    assert_non_null(strstr(index_errmsg(NULL), ".gdel"));
    write_file(path, data, 10);
    assert_int_equal(index_open(dir, &idx), GALEN_ECORRUPT);
    free(data);
    corpus_free(&c);
    remove_tree(dir);
}

/* ---- out of memory ---------------------------------------------------------
 */

static int oom_round(const char *dir)
{
    struct index_writer *w = NULL;
    struct index *idx = NULL;
    struct index_doc d;
    struct buf scratch;
    struct str f[INDEX_MAX_FIELDS], meta;
    char id[16];
    int i, rc;

    memset(&d, 0, sizeof d);
    rc = index_writer_open(dir, NULL, &w);
    for (i = 0; i < 6 && rc == GALEN_OK; i++) {
        snprintf(id, sizeof id, "d%d", i);
        d.id = str_from(id);
        d.field[0] = STR_LIT("alpha beta");
        d.field[1] = STR_LIT("gamma delta alpha epsilon zeta");
        rc = index_writer_add(w, &d);
        if (rc == GALEN_OK && i == 3)
            rc = index_writer_commit(w);
    }
    if (rc == GALEN_OK)
        rc = index_writer_delete(w, STR_LIT("d1"));
    if (rc == GALEN_OK)
        rc = index_writer_merge(w, 1);
    index_writer_close(w);
    if (rc != GALEN_OK)
        return rc;
    rc = index_open(dir, &idx);
    if (rc != GALEN_OK)
        return rc;
    buf_init(&scratch, 1 << 20);
    rc = segment_doc_load(index_segment(idx, 0), 0, &scratch, f, &meta);
    buf_cleanup(&scratch);
    if (rc == GALEN_OK)
        rc = index_verify(idx, NULL, NULL);
    index_close(idx);
    return rc;
}

static void test_index_oom_sweep(void **state)
{
    long n;

    UNUSED(state);
    for (n = 0; n < 5000; n++) {
        char *dir = make_tmpdir();
        int rc;

        mem_fail_after(n);
        rc = oom_round(dir);
        mem_fail_after(-1);
        remove_tree(dir);
        if (rc == GALEN_OK)
            return;
        assert_int_equal(rc, GALEN_ENOMEM);
    }
    fail_msg("the OOM sweep never completed");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_roundtrip),
        cmocka_unit_test(test_index_roundtrip_varint),
        cmocka_unit_test(test_index_multi_segment),
        cmocka_unit_test(test_index_delete_replace_merge),
        cmocka_unit_test(test_index_delete_everything),
        cmocka_unit_test(test_index_snapshot_isolation),
        cmocka_unit_test(test_index_reopen_and_lock),
        cmocka_unit_test(test_index_orphans_removed),
        cmocka_unit_test(test_index_rejects_bad_input),
        cmocka_unit_test(test_index_truncated_segment),
        cmocka_unit_test(test_index_bitflips_are_caught),
        cmocka_unit_test(test_index_mutations_never_crash),
        cmocka_unit_test(test_index_foreign_and_newer_files),
        cmocka_unit_test(test_index_manifest_mutations),
        cmocka_unit_test(test_index_bad_deletion_file),
        cmocka_unit_test(test_index_oom_sweep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
