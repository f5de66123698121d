/* SPDX-License-Identifier: MIT */
/* fuzz_answer_doc.c: a stored document's meta blob is untrusted bytes; the
 * first half of the input is the meta JSON, the rest the body it cuts into
 * sections. Loading must fail cleanly or give sections inside the body. */
#include <stdlib.h>
#include <string.h>

#include "answer/answer_doc.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t half = size / 2, k;
    struct str meta = {(const char *)data, half};
    struct str body = {(const char *)data + half, size - half};
    struct doc *d = NULL;

    if (answer_doc_load((struct str){"id", 2}, (struct str){"", 0}, body, meta,
                        &d) != 0)
        return 0;
    for (k = 0; k < d->nsections; k++) {
        if (strlen(d->sections[k].text) > body.len)
            abort();
    }
    doc_free(d);
    return 0;
}
