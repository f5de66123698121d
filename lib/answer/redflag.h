/* SPDX-License-Identifier: MIT */
/* redflag.h: red-flag rules (data/redflags.txt, format in docs/redflags.md)
 * matched against a question, so that urgent patterns ("one calf swollen,
 * warm and red") put a notice and its action before everything else in the
 * answer. A rule is a block of "key: value" lines. "all" is a comma-
 * separated list of concept groups, every one of which must occur; "|"
 * separates alternatives inside a group; "any", if given, needs one of its
 * terms; "within" asks the groups to fall within that many words; "unless"
 * terms stop the rule; "age" limits it to a stated age; "conflicts" names
 * self-care that must not be offered when it fires. Terms match on words
 * with the same Snowball stem, the same spelling or one typing slip away
 * (words of 5+ letters); a trailing '*' is a prefix; a term covered by a
 * negation ("no swelling", "isn't swollen", "... ruled out") does not
 * count. */
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
    const char *id;            /* NUL-terminated, owned by the rule set */
    const char *message;       /* the notice shown to the reader */
    const char *source;        /* where the rule comes from (guideline, ...) */
    const char *action;        /* what to do now, one sentence */
    const char *action_source; /* whose wording the action follows */
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

/* Matches every rule against text[0..len). Text after a '\x1e' byte (the
 * lexicon's expansions of the question) matches at any position. Writes
 * up to cap matching rules to hits, most urgent first and in file order
 * within an urgency, and returns how many rules matched (which may exceed
 * cap). The pointers are borrowed from rs; rs keeps scratch space, so one
 * thread at a time. */
size_t redflag_match(struct redflag_rules *rs, const char *text, size_t len,
                     const struct redflag_rule **hits, size_t cap);

/* True if sentence s[0..len) offers self-care that rule (one of rs's)
 * lists under "conflicts" (not negated: "do not rub it" is no conflict). */
bool redflag_conflicts(struct redflag_rules *rs,
                       const struct redflag_rule *rule, const char *s,
                       size_t len);

/* "emergency", "urgent" or "soon"; static storage. */
const char *redflag_urgency_name(enum redflag_urgency u);

#endif
