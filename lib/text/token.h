/* SPDX-License-Identifier: MIT */
/* token.h: the tokenizer. Text (any bytes) -> raw tokens, each with its byte
 * span in the input, the bytes its term is folded from, a position and a
 * kind that tells the analyzer how to fold, stop and stem it. Medical tokens
 * stay whole: numbers (2.5, 1,000), units (mg/day), alphanumerics (b12),
 * hyphenated compounds (covid-19, also emitted part by part), dotted
 * abbreviations (b.i.d.), URLs and emails. The rules and their examples are
 * in docs/analysis.md. Invariants: spans lie within the input, token starts
 * never decrease, positions never decrease, and a compound shares its
 * position with its first part. */
#ifndef GALEN_TOKEN_H
#define GALEN_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum token_kind {
    TOKEN_WORD,     /* letters (internal apostrophes allowed): stop, stem */
    TOKEN_NUM,      /* number: 10, 2.5, 1,000 (fold keeps '.', drops ',') */
    TOKEN_ALNUM,    /* letters and digits: b12, hba1c, 5q31 */
    TOKEN_COMPOUND, /* hyphenated compound, folded without its hyphens
                       (covid-19 -> covid19); its parts follow */
    TOKEN_UNIT,     /* unit compound, folded with its slashes (mg/day);
                       its parts follow */
    TOKEN_ACRONYM,  /* dotted single letters: e.g. -> eg, b.i.d. -> bid */
    TOKEN_URL,      /* URL; its term bytes are the host, without www. */
    TOKEN_EMAIL,    /* email address, folded whole */
    TOKEN_IDEO      /* one CJK ideograph or hiragana character */
};

enum token_flag {
    TOKEN_F_ASCII = 1,  /* the term bytes are all ASCII */
    TOKEN_F_DIGITS = 2, /* the term has a digit */
    TOKEN_F_PART = 4    /* a part of the compound emitted just before */
};

struct token {
    uint32_t start, end;   /* byte span in the input */
    uint32_t tstart, tend; /* bytes the term is folded from */
    uint32_t pos;          /* position, counted from 0 */
    uint8_t kind;          /* enum token_kind */
    uint8_t flags;         /* enum token_flag bits */
};

enum {
    TOKEN_MAX_PARTS = 16, /* longer hyphen chains are split into compounds */
    TOKEN_LOCAL_MAX = 64  /* longest email local part looked at, bytes */
};

/* Iterator state; caller-allocated, no resources to free. */
struct tokenizer {
    const char *s;  /* input, borrowed */
    size_t len;     /* input bytes; must be <= UINT32_MAX */
    size_t off;     /* where scanning resumes */
    uint32_t pos;   /* position of the next chunk */
    unsigned qhead; /* next queued token */
    unsigned qlen;  /* queued tokens */
    struct token queue[TOKEN_MAX_PARTS + 1];
};

/* Starts tokenizing text[0..len), which is borrowed and must outlive tk.
 * len must be at most UINT32_MAX (offsets are 32-bit). */
void tokenizer_init(struct tokenizer *tk, const char *text, size_t len);

/* Writes the next token to *out and returns true, or returns false at the
 * end of the input. */
bool tokenizer_next(struct tokenizer *tk, struct token *out);

/* Returns true if the folded word[0..len) is a unit that the tokenizer
 * splits from a number ("5mg") and joins with slashes ("mg/day"). */
bool token_is_unit(const char *word, size_t len);

#endif
