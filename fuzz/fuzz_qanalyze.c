/* SPDX-License-Identifier: MIT */
/* fuzz_qanalyze.c: question analysis on arbitrary bytes, once alone and once
 * as a follow-up of itself; every sub-question span must lie in the text,
 * and every whitespace-separated piece of it has a naming weight of 0, 1
 * or 2. */
#include <stdlib.h>
#include <string.h>

#include "answer/qanalyze.h"
#include "base/mem.h"
#include "fuzz.h"

/* A stand-in word list, so that the focus from rare words is fuzzed too:
 * a word of even length is everyday English. */
static bool fuzz_common(void *ctx, const char *w, size_t len)
{
    (void)ctx;
    (void)w;
    return len % 2 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *prev = galen_strndup((const char *)data, size);
    struct qanalyze_ctx c = {.previous = prev, .common_word = fuzz_common};
    struct qanalysis *qa = NULL;
    size_t k;

    if (!prev)
        return 0;
    if (qanalyze(&c, (const char *)data, size, &qa) == 0) {
        const char *t = qa->text;
        size_t len = strlen(t), b = 0, e;

        for (k = 0; k < qa->nsubs; k++) {
            if (qa->subs[k].end > len)
                abort();
        }
        while (b < len) {
            double w;

            for (e = b; e < len && t[e] != ' '; e++)
                ;
            w = qanalyze_name_weight(qa, fuzz_common, NULL, t + b, e - b);
            if (w != 0 && w != 1 && w != 2)
                abort();
            b = e + 1;
        }
        qanalysis_free(qa);
    }
    galen_free(prev);
    return 0;
}
