/* SPDX-License-Identifier: MIT */
/* utf8.h: UTF-8 decoding and validation, code point classes for the
 * tokenizer, and case + accent folding ("Ménière" -> "meniere"). Invariant:
 * no input is ever an error here; each invalid byte sequence decodes as one
 * U+FFFD (Unicode's "maximal subpart" rule), which is a separator. */
#ifndef GALEN_UTF8_H
#define GALEN_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "common.h"

enum {
    UTF8_REPLACEMENT = 0xFFFD, /* what an invalid sequence decodes to */
    UTF8_FOLD_MAX = 7          /* most bytes utf8_fold_cp writes */
};

/* What a code point is to the tokenizer. */
enum utf8_class {
    UTF8_SEP = 0, /* space, punctuation, symbol, control, U+FFFD */
    UTF8_LETTER,  /* letters of any script, letter numbers (Nl) */
    UTF8_DIGIT,   /* decimal digits of any script, superscript digits */
    UTF8_MARK,    /* combining mark or invisible joiner (soft hyphen, ZWJ):
                     part of a word, folds to nothing */
    UTF8_IDEO,    /* CJK ideograph or hiragana: a word on its own */
    UTF8_APOS,    /* apostrophe: ' U+2019 U+02BC */
    UTF8_HYPHEN   /* hyphen: - U+2010 U+2011 (not dashes) */
};

/* Decodes the code point at s[0..len), len >= 1, into *cp. Returns the bytes
 * consumed, 1..4. An invalid sequence (stray continuation byte, overlong
 * form, surrogate, value above U+10FFFF, truncation) gives U+FFFD and
 * consumes its maximal valid prefix, at least one byte. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encodes cp into out[0..4). Returns 1..4, or 0 for a surrogate or a value
 * above U+10FFFF (nothing written). */
size_t utf8_encode(uint32_t cp, char *out);

/* The length (1..4) of the one valid UTF-8 sequence at s[0..len), len >=
 * 1, or 0 if it is invalid (stray continuation, overlong form, surrogate,
 * above U+10FFFF, truncated). The one UTF-8 validity check: the others
 * below, the document checks, HTML escaping and snippets all use it. */
size_t utf8_seq_len(const char *s, size_t len);

/* Returns the length of the longest valid UTF-8 prefix of s[0..len). */
size_t utf8_valid_prefix(const char *s, size_t len);

/* Returns true if all of s[0..len) is valid UTF-8. */
bool utf8_is_valid(const char *s, size_t len);

/* True if s[0..len) is valid UTF-8 with no NUL, no DEL and no C0 control
 * other than tab, LF and CR: the check for untrusted text at a boundary. */
bool utf8_text_ok(const char *s, size_t len);

/* Appends s[0..len) to b with every invalid sequence replaced by U+FFFD
 * (sticky rc, see buf.h). */
void utf8_sanitize(int *rc, struct buf *b, const char *s, size_t len);

/* Returns the class of cp; values above U+10FFFF are UTF8_SEP. */
enum utf8_class utf8_class(uint32_t cp);

/* Class of an ASCII byte (0..127): letters, digits, APOS for '\'', HYPHEN
 * for '-', SEP otherwise. Exposed for the tokenizer's fast path. */
extern const uint8_t utf8_ascii_class[128];

/* Writes the folded form of cp (lowercase, accents removed for Latin and
 * Greek, ß -> ss, æ -> ae, Cyrillic lowercased, fullwidth -> ASCII, digits
 * -> ASCII) to out, at most UTF8_FOLD_MAX bytes. Returns the byte count: 0
 * for anything that is not a letter, digit or ideograph (marks fold away). */
size_t utf8_fold_cp(uint32_t cp, char *out);

/* Folds s[0..len) into out[0..cap): word characters are folded with
 * utf8_fold_cp, ASCII bytes listed in keep (a NUL-terminated string, or
 * NULL) are copied, and everything else is dropped. Never writes part of a
 * folded character. Returns the bytes written; stops early when the next
 * folded character does not fit, so the result is cut on a boundary. */
size_t utf8_fold(const char *s, size_t len, const char *keep, char *out,
                 size_t cap);

/* Returns the largest n <= cap (and <= len) such that s[0..n) ends on a
 * code point boundary of the valid UTF-8 string s. */
size_t utf8_cut(const char *s, size_t len, size_t cap);

#endif
