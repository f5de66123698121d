/* SPDX-License-Identifier: MIT */
/* fuzz_import_xml.c: the MedQuAD, PubMed and MedlinePlus parsers (and the
 * MedlinePlus summary HTML conversion) on arbitrary bytes.
 * Every document they emit is validated, hashed and serialised. */
#include "base/mem.h"
#include "content/doc.h"
#include "fuzz.h"
#include "import/htmltext.h"
#include "import/medlineplus.h"
#include "import/medquad.h"
#include "import/pubmed.h"

static int check_doc(void *ctx, struct doc *d, long line)
{
    char hash[DOC_HASH_HEX];
    char *json = NULL;

    (void)ctx;
    (void)line;
    if (doc_validate(d, NULL, 0) == 0)
        doc_hash(d, hash);
    if (doc_to_json(d, &json) == 0)
        galen_free(json);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_sink sink = {check_doc, NULL, NULL, NULL, NULL};
    struct diag diag;
    struct doc d;
    int rc = import_medquad_memory((const char *)data, size, "0000001_2.xml",
                                   &sink, &diag);

    rc |= import_pubmed_memory((const char *)data, size, &sink, &diag);
    rc |= import_medlineplus_memory((const char *)data, size, "m.xml", &sink,
                                    &diag);
    doc_init(&d);
    rc |= html_to_sections((const char *)data, size, &d);
    doc_cleanup(&d);
    return rc & 0;
}
