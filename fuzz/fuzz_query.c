/* SPDX-License-Identifier: MIT */
/* fuzz_query.c: the query parser on arbitrary bytes, with and without
 * syntax. It must return OK or EPARSE, keep its clauses inside its atoms,
 * and name an error position inside the text (or just past it). */
#include <assert.h>
#include <string.h>

#include <galen/error.h>

#include "fuzz.h"
#include "search/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"title", "body", "tags"};
    struct index_conf conf;
    struct analyzer *a;
    struct query q;
    size_t i;
    int rc;

    memset(&conf, 0, sizeof conf);
    conf.nfields = 3;
    for (i = 0; i < 3; i++) {
        memcpy(conf.field[i].name, names[i], strlen(names[i]) + 1);
        conf.field[i].stem = i != 2;
        conf.field[i].stop = true;
    }
    if (analyzer_new(&a) != GALEN_OK)
        return 0;
    query_init(&q);
    rc = query_parse(&q, a, &conf, (const char *)data, size,
                     size && data[0] == 'P' ? QUERY_PLAIN : 0);
    assert(rc == GALEN_OK || rc == GALEN_EPARSE);
    assert(rc == GALEN_OK || q.err_at <= MAX(size, (size_t)QUERY_MAX_LEN));
    for (i = 0; i < q.nclauses; i++)
        assert(q.clause[i].first + q.clause[i].n <= q.natoms);
    query_cleanup(&q);
    analyzer_free(a);
    return 0;
}
