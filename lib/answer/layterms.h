/* SPDX-License-Identifier: MIT */
/* lexicon.h: the lay-term and abbreviation lexicon (data/lexicon.tsv, format
 * in docs/lexicon.md: "lay<TAB>medical<TAB>kind" lines). It maps phrases in
 * both directions ("charley horse" <-> "muscle cramp", "K" -> "potassium")
 * and finds them in text word by word, longest phrase first. Matching folds
 * ASCII case and plurals; abbreviations written with capitals ("K", "BP",
 * "Mg") match only in that case, so "k" and "vitamin k" are not potassium. */
#ifndef GALEN_LEXICON_H
#define GALEN_LEXICON_H

#include <stdbool.h>
#include <stddef.h>

#include "base/common.h"
#include "base/diag.h"

enum lexicon_kind {
    LEXICON_SYNONYM,  /* lay phrase for a medical term */
    LEXICON_ABBREV,   /* abbreviation and its expansion */
    LEXICON_SPELLING, /* common misspelling and the right word */
    LEXICON_BODY_PART /* lay body part and its anatomical names */
};

enum { LEXICON_PHRASE_MAX = 120, LEXICON_WORDS_MAX = 8 };

struct lexicon_entry {
    const char *lay;     /* as written in the file; NUL-terminated */
    const char *medical; /* as written in the file; NUL-terminated */
    enum lexicon_kind kind;
};

struct lexicon;

/* Parses lexicon text. Blank lines and lines starting with '#' are skipped;
 * every other line needs three tab-separated fields with a known kind.
 * Returns GALEN_OK, GALEN_ENOMEM, or GALEN_EPARSE with diag filled (diag
 * may be NULL). Caller frees *out with lexicon_free. */
GALEN_NODISCARD int lexicon_parse(const char *text, size_t len,
                                  struct lexicon **out, struct diag *diag);

/* Reads and parses the file at path; GALEN_EIO or GALEN_ENOENT when it
 * cannot be read, else as lexicon_parse. */
GALEN_NODISCARD int lexicon_load(const char *path, struct lexicon **out,
                                 struct diag *diag);

/* Frees lx; NULL is a no-op. */
void lexicon_free(struct lexicon *lx);

size_t lexicon_size(const struct lexicon *lx);
const struct lexicon_entry *lexicon_entry_at(const struct lexicon *lx,
                                             size_t i);

/* One phrase found in text: the span, and one entry it belongs to, on the
 * lay side (is_lay) or the medical side. A span that belongs to several
 * entries is reported once per entry, in file order. */
struct lexicon_match {
    size_t start, end; /* byte span in the scanned text */
    const struct lexicon_entry *entry;
    bool is_lay; /* the text matched entry->lay (so map to ->medical) */
};

/* Returns non-zero to stop the scan; lexicon_scan then returns that value. */
typedef int (*lexicon_fn)(void *ctx, const struct lexicon_match *m);

/* Finds lexicon phrases in text[0..len), left to right, taking the longest
 * phrase at each word and skipping past it. Returns GALEN_OK, GALEN_ENOMEM,
 * or the callback's non-zero value. */
GALEN_NODISCARD int lexicon_scan(const struct lexicon *lx, const char *text,
                                 size_t len, lexicon_fn fn, void *ctx);

/* True if the single word w[0..len) occurs in any phrase of the lexicon
 * (case- and plural-folded); spelling correction leaves such words alone. */
bool lexicon_has_word(const struct lexicon *lx, const char *w, size_t len);

/* Parses a kind name ("synonym", "abbrev", "spelling", "body_part"). */
bool lexicon_kind_from_name(const char *s, size_t len, enum lexicon_kind *out);
const char *lexicon_kind_name(enum lexicon_kind k);

#endif
