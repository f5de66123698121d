/* SPDX-License-Identifier: MIT */
/* fuzz_lexicon.c: parses arbitrary bytes as a lexicon file and, when that
 * works, scans the same bytes for phrases. */
#include <stdlib.h>

#include "answer/layterms.h"
#include "fuzz.h"

static int count(void *ctx, const struct lexicon_match *m)
{
    if (m->start >= m->end)
        abort();
    (*(size_t *)ctx)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lexicon *lx = NULL;
    size_t n = 0;

    if (lexicon_parse((const char *)data, size, &lx, NULL) != 0)
        return 0;
    if (lexicon_scan(lx, (const char *)data, size, count, &n) != 0)
        abort();
    lexicon_free(lx);
    return 0;
}
