/* SPDX-License-Identifier: MIT */
/* bench_ask.c: times the answer engine in process, the way a server uses
 * it: open the data folder once, then ask each question (one per line of
 * a text file) and render it as JSON. Timed per question: galen_ask,
 * galen_answer_render and the frees. One untimed warm-up pass, then --reps
 * timed passes (default 3). Prints p50/p90/p99/max latency (µs) of the
 * median pass and how many questions were answered (not abstained).
 *
 *   bench_ask DIR questions.txt [--reps N] [--lexicon FILE] [--redflags F]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <galen/answer.h>
#include <galen/error.h>

enum { QUESTIONS_MAX = 10000, LINE_MAX_BYTES = 4096, REPS_MAX = 16 };

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static size_t load(const char *path, char **q)
{
    FILE *f = fopen(path, "r");
    char line[LINE_MAX_BYTES];
    size_t n = 0;

    if (!f)
        return 0;
    while (n < QUESTIONS_MAX && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            q[n++] = strdup(line);
    }
    fclose(f);
    return n;
}

/* One pass; fills lat[] (µs) and returns the number answered, or -1. */
static long pass(struct galen_answerer *a, char **q, size_t n, double *lat)
{
    long answered = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        struct galen_answer *ans = NULL;
        char *out = NULL;
        double t0 = now_us();
        int rc = galen_ask(a, q[i], NULL, &ans);

        if (rc == GALEN_OK)
            rc = galen_answer_render(ans, GALEN_RENDER_JSON, 0, 80, &out, NULL);
        if (rc != GALEN_OK) {
            fprintf(stderr, "bench_ask: %s\n", galen_answerer_errmsg(a));
            galen_answer_free(ans);
            return -1;
        }
        answered += !galen_answer_abstained(ans);
        galen_free_string(out);
        galen_answer_free(ans);
        lat[i] = now_us() - t0;
    }
    return answered;
}

int main(int argc, char **argv)
{
    static char *q[QUESTIONS_MAX];
    static double lat[REPS_MAX][QUESTIONS_MAX];
    struct galen_answerer_opts o = {NULL, NULL, NULL};
    struct galen_answerer *a = NULL;
    double p50[REPS_MAX];
    long reps = 3, answered = 0, r;
    size_t n, i;
    int k, mid = 0;

    if (argc < 3) {
        fprintf(stderr, "usage: bench_ask DIR questions.txt [--reps N] "
                        "[--lexicon F] [--redflags F]\n");
        return 1;
    }
    for (k = 3; k + 1 < argc; k += 2) {
        if (strcmp(argv[k], "--reps") == 0)
            reps = strtol(argv[k + 1], NULL, 10);
        else if (strcmp(argv[k], "--lexicon") == 0)
            o.lexicon = argv[k + 1];
        else if (strcmp(argv[k], "--redflags") == 0)
            o.redflags = argv[k + 1];
    }
    if (reps < 1 || reps > REPS_MAX)
        reps = 3;
    n = load(argv[2], q);
    if (n == 0 || galen_answerer_open(argv[1], &o, &a) != GALEN_OK) {
        fprintf(stderr, "bench_ask: %s\n",
                n ? galen_answerer_errmsg(NULL) : "no questions");
        return 1;
    }
    if (pass(a, q, n, lat[0]) < 0)
        return 1;
    for (r = 0; r < reps; r++) {
        answered = pass(a, q, n, lat[r]);
        if (answered < 0)
            return 1;
        qsort(lat[r], n, sizeof(double), cmp_double);
        p50[r] = lat[r][n / 2];
    }
    /* The pass whose p50 is the median of the passes' p50s. */
    for (r = 0; r < reps; r++) {
        long below = 0, k2;
        for (k2 = 0; k2 < reps; k2++)
            below += p50[k2] < p50[r];
        if (below == (reps - 1) / 2)
            mid = (int)r;
    }
    printf("{\"questions\":%zu,\"answered\":%ld,\"p50_us\":%.0f,"
           "\"p90_us\":%.0f,\"p99_us\":%.0f,\"max_us\":%.0f}\n",
           n, answered, lat[mid][n / 2], lat[mid][n * 9 / 10],
           lat[mid][n * 99 / 100], lat[mid][n - 1]);
    galen_answerer_close(a);
    for (i = 0; i < n; i++)
        free(q[i]);
    return 0;
}
