/* SPDX-License-Identifier: MIT */
/* fuzz_sentence.c: the sentence splitter on arbitrary bytes; every span must
 * lie inside the input, be non-empty and follow the previous one. */
#include <stdlib.h>

#include "fuzz.h"
#include "text/sentence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *t = (const char *)data;
    struct sentence s;
    size_t pos = 0, prev = 0;

    while (sentence_next(t, size, &pos, &s)) {
        if (s.start < prev || s.start >= s.end || s.end > size)
            abort();
        prev = s.end;
    }
    return 0;
}
