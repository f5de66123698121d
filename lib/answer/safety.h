/* SPDX-License-Identifier: MIT */
/* safety.h: the safety pass over a composed answer. It runs after
 * composition and only removes, moves or adds quoted sentences:
 *  - self-care that conflicts with a fired red flag (its "conflicts:"
 *    terms, such as massage for a suspected clot) is dropped;
 *  - for a patient, dose sentences are dropped unless the question asks
 *    about a dose, and clinician jargon is dropped where a plain sentence
 *    remains; a request for a prescription medicine without a
 *    prescription never gets a dose, whoever asks;
 *  - every sentence about a watched medicine (data/companions.tsv, format
 *    in docs/redflags.md) gets that medicine's warning, quoted from a
 *    source, placed right after it; if no source holds one, the answer
 *    carries a note that says so.
 * The companions file is a safety file: a missing or malformed file fails
 * the answerer's open, it is never skipped. */
#ifndef GALEN_SAFETY_H
#define GALEN_SAFETY_H

#include <stdbool.h>
#include <stddef.h>

#include "answer.h"
#include "base/common.h"
#include "base/diag.h"

struct redflag_rules;
struct redflag_rule;
struct safety;

/* Reads data/companions.tsv. GALEN_OK, GALEN_ENOENT / GALEN_EIO (cannot
 * read), GALEN_EPARSE (diag names the line) or GALEN_ENOMEM. */
GALEN_NODISCARD int safety_load(const char *path, struct safety **out,
                                struct diag *diag);
GALEN_NODISCARD int safety_parse(const char *text, size_t len,
                                 struct safety **out, struct diag *diag);
void safety_free(struct safety *sf);
size_t safety_count(const struct safety *sf);

/* Finds more documents for a warning search: fills *out (galen_calloc'd,
 * the caller of the hook frees it and any documents left in it). */
typedef int (*safety_search_fn)(void *ctx, const char *query,
                                struct answer_cand **out, size_t *n);

struct safety_in {
    const char *question; /* as analysed */
    enum galen_audience audience;
    bool asks_dose;              /* the question type is dosage */
    struct redflag_rules *rules; /* may be NULL */
    const struct redflag_rule *const *flags;
    size_t nflags;
    unsigned kinds;            /* the ask's filters: warnings come only from */
    int min_evidence;          /* documents the answer could have quoted */
    struct answer_cand *cands; /* retrieved documents not cited (may move) */
    size_t ncands;
    safety_search_fn search; /* may be NULL */
    void *search_ctx;
};

/* Applies the safety pass to ans (not to an abstention). sf may be NULL
 * (no companions configured): the other checks still run. GALEN_OK or
 * GALEN_ENOMEM. */
GALEN_NODISCARD int safety_apply(struct safety *sf, const struct safety_in *in,
                                 struct galen_answer *ans);

#endif
