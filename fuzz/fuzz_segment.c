/* SPDX-License-Identifier: MIT */
/* fuzz_segment.c: arbitrary bytes as a segment file: open, look terms up,
 * walk cursors (next, next_geq, block-max, positions), load stored docs and
 * verify. Nothing may crash or read outside the input. */
#include <stdlib.h>
#include <string.h>

#include <galen/error.h>

#include "fuzz.h"
#include "index/segment.h"

static void walk(const struct segment *s, uint32_t t)
{
    struct postings_cursor c;
    struct term_info ti;
    uint32_t pos[8];

    if (segment_lookup(s, segment_term_at(s, t), &ti) != GALEN_OK)
        return;
    for (postings_cursor_init(&c, s, &ti); c.doc != POSTINGS_END;) {
        postings_positions(&c, t % INDEX_MAX_FIELDS, pos, 8);
        postings_shallow_geq(&c, c.doc + 50);
        if (c.doc & 1)
            postings_next(&c);
        else
            postings_next_geq(&c, c.doc + (t & 15) + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy = malloc(size + 1);
    struct segment *s = NULL;
    struct buf scratch;
    struct str f[INDEX_MAX_FIELDS], meta;
    char err[SEGMENT_ERR_MAX];
    uint32_t i, doc;
    int rc;

    /* Odd sizes get valid checksums, so mutations reach the decoders. */
    memcpy(copy, data, size);
    if (size & 1)
        segment_fix_checksums(copy, size);
    if (segment_open_mem(copy, size, &s, err, sizeof err) != GALEN_OK) {
        free(copy);
        return 0;
    }
    for (i = 0; i < segment_term_count(s) && i < 64; i++)
        walk(s, i);
    buf_init(&scratch, 1 << 24);
    for (i = 0; i < segment_doc_count(s) && i < 16; i++) {
        if (segment_doc_load(s, i, &scratch, f, &meta) == GALEN_OK &&
            segment_find_id(s, segment_doc_id(s, i), &doc) != GALEN_OK)
            __builtin_trap();
    }
    buf_cleanup(&scratch);
    rc = segment_verify(s, err, sizeof err);
    if (rc != GALEN_OK && rc != GALEN_ECORRUPT && rc != GALEN_ENOMEM)
        __builtin_trap();
    segment_close(s);
    free(copy);
    return 0;
}
