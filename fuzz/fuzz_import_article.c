/* SPDX-License-Identifier: MIT */
/* fuzz_import_article.c: the article parser on arbitrary bytes; a parsed
 * document is validated, hashed and serialised, and written back as an
 * article. The writer may refuse a document up front (article_unwritable:
 * stray carriage returns and the like), but what it does write must read
 * back as the same document. */
#include <stdlib.h>

#include <galen/error.h>

#include "base/mem.h"
#include "content/doc.h"
#include "fuzz.h"
#include "import/article.h"
#include "import/article_write.h"

static void write_back(const struct doc *d)
{
    char why[256];
    struct buf b;

    buf_init(&b, 1 << 24);
    if (article_write_checked(d, &b, why, sizeof why) == GALEN_EPARSE &&
        !article_unwritable(d))
        abort();
    buf_cleanup(&b);
}

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
        write_back(&d);
    }
    doc_cleanup(&d);
    return 0;
}
