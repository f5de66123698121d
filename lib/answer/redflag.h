/* SPDX-License-Identifier: MIT */
/* redflag.h: red-flag rules (data/redflags.txt, format in docs/redflags.md)
 * matched against a question, so that urgent patterns ("one calf swollen,
 * warm and red") put a notice before everything else in the answer. A rule
 * is a block of "key: value" lines (id, all, any, urgency, message,
 * source). "all" is a comma-separated list of groups, every one of which
 * must occur; "|" separates alternatives inside a group. "any", if given,
 * needs at least one of its terms. A term is a phrase matched on whole
 * words, case-folded, with a trailing '*' for a prefix; a term right after
 * a negation ("no", "not", "without", ...) does not count. */
#ifndef GALEN_REDFLAG_H
#define GALEN_REDFLAG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/common.h"
#include "base/diag.h"

enum redflag_urgency {
    REDFLAG_SOON = 1,     /* see a clinician within days */
    REDFLAG_URGENT = 2,   /* same-day care */
    REDFLAG_EMERGENCY = 3 /* call emergency services now */
};

struct redflag_rule {
    const char *id;      /* NUL-terminated, owned by the rule set */
    const char *message; /* the notice shown to the reader */
    const char *source;  /* where the rule comes from (guideline, ...) */
    enum redflag_urgency urgency;
};

struct redflag_rules;

/* Parses rules text. Returns GALEN_OK, GALEN_ENOMEM or GALEN_EPARSE (diag
 * says where; diag may be NULL). Caller frees with redflag_free. */
GALEN_NODISCARD int redflag_parse(const char *text, size_t len,
                                  struct redflag_rules **out,
                                  struct diag *diag);

/* Reads and parses a rules file; GALEN_ENOENT / GALEN_EIO when unreadable. */
GALEN_NODISCARD int redflag_load(const char *path, struct redflag_rules **out,
                                 struct diag *diag);

/* Frees rs; NULL is a no-op. */
void redflag_free(struct redflag_rules *rs);

size_t redflag_count(const struct redflag_rules *rs);
const struct redflag_rule *redflag_rule_at(const struct redflag_rules *rs,
                                           size_t i);

/* Matches every rule against text[0..len). Writes up to cap matching rules
 * to hits, most urgent first and in file order within an urgency, and
 * returns how many rules matched (which may exceed cap). The pointers are
 * borrowed from rs. */
size_t redflag_match(const struct redflag_rules *rs, const char *text,
                     size_t len, const struct redflag_rule **hits, size_t cap);

/* "emergency", "urgent" or "soon"; static storage. */
const char *redflag_urgency_name(enum redflag_urgency u);

#endif
