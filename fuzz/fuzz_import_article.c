/* SPDX-License-Identifier: MIT */
/* fuzz_import_article.c: the article parser on arbitrary bytes; a parsed
 * document is validated, hashed and serialised. */
#include "base/mem.h"
#include "content/doc.h"
#include "fuzz.h"
#include "import/article.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag diag;
    char hash[DOC_HASH_HEX];
    char *json = NULL;
    struct doc d;

    doc_init(&d);
    if (import_article_parse((const char *)data, size, &d, &diag) == 0) {
        if (doc_validate(&d, NULL, 0) == 0)
            doc_hash(&d, hash);
        if (doc_to_json(&d, &json) == 0)
            galen_free(json);
    }
    doc_cleanup(&d);
    return 0;
}
