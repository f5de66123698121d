/* SPDX-License-Identifier: MIT */
/* bench_analyzer.c: analyzer throughput in MB/s of input text, with each
 * stop/stem setting. Reads a file as raw bytes (default: the MEDIQA corpus
 * under $GALEN_SHARED or ../shared) and analyses it REPS times, one
 * analyzer_run per line, as the indexer does per document field. Speeds are
 * per CPU second of this process.
 * Usage: bench_analyzer [FILE] [REPS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <galen/error.h>

#include "base/str.h"
#include "text/analyzer.h"

struct counts {
    unsigned long terms;
    unsigned long bytes; /* term bytes, to defeat dead-code elimination */
};

static int count_term(void *ctx, const struct aterm *t)
{
    struct counts *c = ctx;

    c->terms++;
    c->bytes += t->len;
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        n = ftell(f);
        if (n > 0 && fseek(f, 0, SEEK_SET) == 0) {
            data = malloc((size_t)n);
            if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
                free(data);
                data = NULL;
            }
            *len = (size_t)n;
        }
    }
    fclose(f);
    return data;
}

static double now(void)
{
    struct timespec ts;

    /* CPU time, not wall time: the machine is shared, and a preempted run
     * should not look slow. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run_lines(struct analyzer *a, const struct analyzer_opts *o,
                     const char *data, size_t len, struct counts *c)
{
    size_t i = 0;

    while (i < len) {
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (data + i)) : len - i;
        int rc = analyzer_run(a, o, data + i, n, count_term, c);

        if (rc != GALEN_OK)
            return rc;
        i += n + 1;
    }
    return GALEN_OK;
}

/* Each setting gets a fresh analyzer and one untimed warm-up pass, so the
 * figures are the steady state of a long indexing run. */
static int bench(bool stop, bool stem, const char *data, size_t len, long reps)
{
    struct analyzer_opts o = {.stem = stem, .stop = stop};
    struct counts c = {0, 0};
    struct analyzer *a = NULL;
    double t0, dt;
    long r;
    int rc;

    if (analyzer_new(&a) != GALEN_OK)
        return GALEN_ENOMEM;
    rc = run_lines(a, &o, data, len, &c);
    c.terms = 0;
    t0 = now();
    for (r = 0; r < reps; r++) {
        if (rc == GALEN_OK)
            rc = run_lines(a, &o, data, len, &c);
    }
    dt = now() - t0;
    analyzer_free(a);
    if (rc != GALEN_OK)
        return rc;
    printf("stop=%d stem=%d  %7.1f MB/s  %6.2f Mterms/s  (%lu terms/rep)\n",
           stop, stem, (double)len * (double)reps / dt / 1e6,
           (double)c.terms / dt / 1e6, c.terms / (unsigned long)reps);
    return GALEN_OK;
}

static const char *default_path(char *buf, size_t cap)
{
    const char *shared = getenv("GALEN_SHARED");

    snprintf(buf, cap, "%s/data/eval/mediqa-alexa/corpus.jsonl",
             shared ? shared : "../shared");
    return buf;
}

int main(int argc, char **argv)
{
    char pathbuf[4096];
    const char *path =
        argc > 1 ? argv[1] : default_path(pathbuf, sizeof pathbuf);
    long reps = 5;
    size_t len = 0;
    char *data;
    int rc = 0;

    if (argc > 2 && str_to_long(argv[2], 1, 10000, &reps) != GALEN_OK) {
        fprintf(stderr, "usage: bench_analyzer [FILE] [REPS]\n");
        return 1;
    }
    data = read_file(path, &len);
    if (!data) {
        fprintf(stderr, "bench_analyzer: cannot read %s\n", path);
        return 1;
    }
    printf("%s: %.1f MB x %ld\n", path, (double)len / 1e6, reps);
    rc |= bench(false, false, data, len, reps);
    rc |= bench(true, false, data, len, reps);
    rc |= bench(true, true, data, len, reps);
    rc |= bench(false, true, data, len, reps);
    free(data);
    return rc != 0;
}
