/* SPDX-License-Identifier: MIT */
/* fuzz_import_json.c: the BEIR JSONL line parser on each line of arbitrary
 * bytes; a parsed document is validated and serialised. */
#include <string.h>

#include "base/mem.h"
#include "content/doc.h"
#include "fuzz.h"
#include "import/beir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct diag diag;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char *json = NULL;
        struct doc d;

        doc_init(&d);
        if (import_beir_line(p, len, "fuzz", &d, &diag) == 0) {
            if (doc_validate(&d, NULL, 0) != 0)
                d.has_answer = false;
            if (doc_to_json(&d, &json) == 0)
                galen_free(json);
        }
        doc_cleanup(&d);
        p += len + 1;
    }
    return 0;
}
