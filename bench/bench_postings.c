/* SPDX-License-Identifier: MIT */
/* bench_postings.c: builds an index from a BEIR corpus with each postings
 * codec and measures what chose the codec: build speed, bytes per area
 * (doc/tf blocks, positions, skip+impacts) and decode speed of full scans
 * (next) and skips (next_geq). The figures are in docs/format.md.
 * Usage: bench_postings CORPUS.jsonl WORKDIR [varint|packed|both] [MERGE]
 * (MERGE: 0 commit only, 1 merge to one segment, 2 reuse WORKDIR).
 * Times are CPU time of the process: the machines we share are noisy. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <galen/error.h>

#include "base/varint.h"
#include "index/index.h"
#include "index/postings.h"
#include "index/segment.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct str json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    struct str s = {"", 0};

    if (cJSON_IsString(v))
        s = str_from(v->valuestring);
    return s;
}

static int add_line(struct index_writer *w, const char *line)
{
    cJSON *o = cJSON_Parse(line);
    struct index_doc d;
    int rc;

    if (!o)
        return GALEN_EPARSE;
    memset(&d, 0, sizeof d);
    d.id = json_str(o, "_id");
    d.field[0] = json_str(o, "title");
    d.field[1] = json_str(o, "text");
    rc = index_writer_add(w, &d);
    cJSON_Delete(o);
    return rc;
}

static int build(const char *corpus, const char *dir, int codec, int merge)
{
    struct index_writer *w = NULL;
    struct index_write_stats st;
    FILE *f = fopen(corpus, "r");
    char *line = NULL;
    size_t cap = 0;
    double t0 = now();
    int rc;

    if (!f)
        return GALEN_EIO;
    rc = index_writer_open(dir, NULL, &w);
    if (rc == GALEN_OK)
        rc = index_writer_set_codec(w, codec);
    while (rc == GALEN_OK && getline(&line, &cap, f) > 0)
        rc = add_line(w, line);
    if (rc == GALEN_OK)
        rc = merge ? index_writer_merge(w, 1) : index_writer_commit(w);
    if (rc == GALEN_OK) {
        double s = now() - t0;

        index_writer_stats(w, &st);
        printf("  build: %llu docs, %.1f MB text, %.2f s, %.1f MB/s; "
               "index %.1f MB (%.2f x text), store %.1f MB, %llu terms\n",
               (unsigned long long)st.docs, st.text_bytes / 1e6, s,
               st.text_bytes / 1e6 / s, st.index_bytes / 1e6,
               (double)st.index_bytes / (double)st.text_bytes,
               st.store_bytes / 1e6, (unsigned long long)st.terms);
    } else {
        fprintf(stderr, "build: %s\n", index_writer_errmsg(w));
    }
    index_writer_close(w);
    free(line);
    fclose(f);
    return rc;
}

struct areas {
    uint64_t postings, blocks, positions, skip, terms;
};

static void measure_areas(const struct index *idx, struct areas *a)
{
    struct postings_cursor c;
    uint32_t i, t;

    memset(a, 0, sizeof *a);
    for (i = 0; i < index_segment_count(idx); i++) {
        const struct segment *s = index_segment(idx, i);

        for (t = 0; t < segment_term_count(s); t++) {
            struct term_info ti;

            if (segment_term_info(s, t, &ti) != GALEN_OK)
                continue;
            postings_cursor_init(&c, s, &ti);
            a->postings += ti.df;
            a->blocks += (uint64_t)(c.pos - c.blocks);
            a->positions += (uint64_t)(c.end - c.pos);
            a->skip += (uint64_t)(c.blocks - c.skip);
            a->terms++;
        }
    }
}

/* The df of term t, read from the lexicon without decoding the list. */
static uint32_t df_of(const struct segment *s, uint32_t t)
{
    return get_u32le(s->lex_df + 4 * (size_t)t);
}

/* Full scans of every list with at least min_df postings: doc and tfs. */
static double scan_all(const struct index *idx, uint32_t min_df, uint64_t *sum)
{
    struct postings_cursor c;
    uint64_t n = 0;
    uint64_t acc = 0;
    double t0 = now();
    uint32_t i, t;

    for (i = 0; i < index_segment_count(idx); i++) {
        const struct segment *s = index_segment(idx, i);

        for (t = 0; t < segment_term_count(s); t++) {
            struct term_info ti;

            if (df_of(s, t) < min_df || segment_term_info(s, t, &ti) != 0)
                continue;
            for (postings_cursor_init(&c, s, &ti); c.doc != POSTINGS_END;
                 postings_next(&c)) {
                acc += c.doc + postings_tf(&c, 0) + postings_tf(&c, 1);
                n++;
            }
        }
    }
    *sum += acc;
    return (now() - t0) * 1e9 / (double)n;
}

/* Skips on long lists: next_geq by a stride of about 1/64 of the docs. */
static double skip_long(const struct index *idx, uint64_t *sum)
{
    struct postings_cursor c;
    uint64_t n = 0;
    double t0 = now();
    uint32_t i, t;

    for (i = 0; i < index_segment_count(idx); i++) {
        const struct segment *s = index_segment(idx, i);
        uint32_t stride = segment_doc_count(s) / 64 + 1;

        for (t = 0; t < segment_term_count(s); t++) {
            struct term_info ti;

            if (df_of(s, t) < 1000 || segment_term_info(s, t, &ti) != 0)
                continue;
            postings_cursor_init(&c, s, &ti);
            while (c.doc != POSTINGS_END) {
                postings_next_geq(&c, c.doc + stride);
                *sum += c.doc;
                n++;
            }
        }
    }
    return n ? (now() - t0) * 1e9 / (double)n : 0;
}

static int run(const char *corpus, const char *work, int codec, int merge)
{
    static const char *const names[] = {"", "varint", "packed"};
    char dir[4096];
    struct index *idx = NULL;
    struct areas a;
    uint64_t sum = 0;
    double scan, scan_long, skip;
    int rc;

    snprintf(dir, sizeof dir, "%s/%s", work, names[codec]);
    printf("codec %s\n", names[codec]);
    rc = merge == 2 ? GALEN_OK : build(corpus, dir, codec, merge);
    if (rc == GALEN_OK)
        rc = index_open(dir, &idx);
    if (rc != GALEN_OK)
        return rc;
    measure_areas(idx, &a);
    scan = scan_all(idx, 0, &sum);
    scan = MIN(scan, scan_all(idx, 0, &sum));
    scan_long = scan_all(idx, 1000, &sum);
    for (int r = 0; r < 9; r++)
        scan_long = MIN(scan_long, scan_all(idx, 1000, &sum));
    skip = skip_long(idx, &sum);
    skip = MIN(skip, skip_long(idx, &sum));
    printf("  %u segments, %llu terms, %llu postings\n",
           index_segment_count(idx), (unsigned long long)a.terms,
           (unsigned long long)a.postings);
    printf("  doc+tf blocks %.2f MB (%.2f bytes/posting), positions %.2f MB, "
           "skip+impacts %.2f MB\n",
           a.blocks / 1e6, (double)a.blocks / (double)a.postings,
           a.positions / 1e6, a.skip / 1e6);
    printf("  decode: next %.2f ns/posting (all lists), %.2f ns/posting "
           "(df >= 1000), next_geq(df >= 1000) %.1f ns/call (checksum %llu)\n",
           scan, scan_long, skip, (unsigned long long)(sum & 0xffff));
    index_close(idx);
    return GALEN_OK;
}

int main(int argc, char **argv)
{
    struct rusage ru;
    const char *which = argc > 3 ? argv[3] : "both";
    int merge = argc > 4 ? atoi(argv[4]) : 1;
    int rc = GALEN_OK;

    if (argc < 3) {
        fprintf(stderr,
                "usage: %s CORPUS.jsonl WORKDIR [varint|packed|both] "
                "[MERGE 0|1|2]\n",
                argv[0]);
        return 1;
    }
    if (strcmp(which, "packed") != 0)
        rc = run(argv[1], argv[2], POSTINGS_CODEC_VARINT, merge);
    if (rc == GALEN_OK && strcmp(which, "varint") != 0)
        rc = run(argv[1], argv[2], POSTINGS_CODEC_PACKED, merge);
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB\n", ru.ru_maxrss / 1024.0);
    if (rc != GALEN_OK)
        fprintf(stderr, "failed: %s\n", galen_strerror(rc));
    return rc == GALEN_OK ? 0 : 1;
}
