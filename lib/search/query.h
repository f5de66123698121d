/* SPDX-License-Identifier: MIT */
/* query.h: query text -> clauses of analysed terms, using the analyzer and
 * the per-field options the index was built with, so a query term is
 * spelled exactly as the indexed term it should meet.
 *
 * Syntax (whitespace separates clauses):
 *   word            optional term: documents need at least one of these
 *   "a phrase"      the words in this order; a quoted phrase is required
 *   +word +"a b"    required term or phrase
 *   -word -"a b"    excluded term or phrase
 *   field:word      the term in one field; also +field:word, field:"a b"
 * A written clause whose words analyse to nothing (stop words, punctuation)
 * adds no constraint. A bare word that analyses to several terms ("flu/cold")
 * gives several optional terms; under + or - it is matched as a phrase. */
#ifndef GALEN_QUERY_H
#define GALEN_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/common.h"
#include "base/str.h"
#include "index/index.h"
#include "text/analyzer.h"

enum {
    QUERY_MAX_LEN = 4096,  /* bytes of query text */
    QUERY_MAX_ATOMS = 64,  /* analysed terms, all clauses together */
    QUERY_ERRMSG_MAX = 160 /* bytes of an error message, NUL included */
};

enum query_occur { QUERY_SHOULD, QUERY_MUST, QUERY_MUST_NOT };

/* Parse flags. QUERY_PLAIN treats the whole text as free words: no quotes,
 * operators or fields, and never an error except for an empty query;
 * terms past QUERY_MAX_ATOMS are dropped instead of refused. */
enum { QUERY_PLAIN = 1 };

struct query_atom {
    struct str term; /* analysed term; borrowed from the query */
    uint32_t relpos; /* token position relative to the clause's first term */
    uint32_t off;    /* internal: offset of term in the query's storage */
    bool joined;     /* a joined token ("covid19" of "covid-19") whose parts
                        follow at the same position: phrases match the
                        parts, scoring uses both */
};

/* One analysed clause. When fields use different analyzer options, one
 * written clause yields one variant per option set; variants share a group
 * and a document matches the group if it matches any variant. */
struct query_clause {
    uint8_t occur;  /* enum query_occur */
    bool is_phrase; /* atoms must appear at their relative positions */
    uint8_t mask;   /* fields searched: bit f for field f */
    uint32_t group; /* the written clause this variant comes from */
    uint32_t first; /* atoms[first .. first + n) */
    uint32_t n;     /* atoms, >= 1 */
    uint32_t at;    /* byte offset of the written clause in the text */
};

struct query {
    struct query_clause *clause; /* owned */
    size_t nclauses;
    struct query_atom *atom; /* owned */
    size_t natoms;
    uint32_t ngroups;
    char errmsg[QUERY_ERRMSG_MAX]; /* set by a failed query_parse */
    size_t err_at;                 /* byte offset the error names */
    /* storage, reused by the next parse */
    size_t clause_cap;
    size_t atom_cap;
    struct buf terms;
};

/* Prepares an empty query; query_cleanup frees it. A query may be parsed
 * into many times and reuses its storage. */
void query_init(struct query *q);
void query_cleanup(struct query *q);

/* Parses text[0..len) for an index configured by conf. On GALEN_EPARSE
 * q->errmsg names the problem and its byte position (counted from 1, like a
 * column) and q->err_at holds the 0-based offset. Other errors:
 * GALEN_ENOMEM. The analyzer is used as scratch. On failure q holds no
 * clauses. */
GALEN_NODISCARD int query_parse(struct query *q, struct analyzer *a,
                                const struct index_conf *conf, const char *text,
                                size_t len, unsigned flags);

#endif
