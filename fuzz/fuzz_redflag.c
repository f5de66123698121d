/* SPDX-License-Identifier: MIT */
/* fuzz_redflag.c: parses arbitrary bytes as red-flag rules and, when that
 * works, matches the same bytes against them. */
#include <stdlib.h>

#include "answer/redflag.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct redflag_rules *rs = NULL;
    const struct redflag_rule *hits[4];
    size_t n;

    if (redflag_parse((const char *)data, size, &rs, NULL) != 0)
        return 0;
    n = redflag_match(rs, (const char *)data, size, hits, 4);
    if (n > redflag_count(rs))
        abort();
    redflag_free(rs);
    return 0;
}
