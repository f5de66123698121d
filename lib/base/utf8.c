/* SPDX-License-Identifier: MIT */
/* utf8.c: UTF-8 decode/validate, code point classes and folding. The class
 * and fold tables are generated from Unicode data (utf8_tables.h); ASCII and
 * the Latin-1/Latin Extended-A/B block take direct-indexed fast paths
 * because they carry almost all of galen's text. */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

#include <galen/error.h>

#include "utf8_tables.h"

/* Letters and digits, apostrophe, hyphen; everything else separates. */
const uint8_t utf8_ascii_class[128] = {
    ['\''] = UTF8_APOS,  ['-'] = UTF8_HYPHEN, ['0'] = UTF8_DIGIT,
    ['1'] = UTF8_DIGIT,  ['2'] = UTF8_DIGIT,  ['3'] = UTF8_DIGIT,
    ['4'] = UTF8_DIGIT,  ['5'] = UTF8_DIGIT,  ['6'] = UTF8_DIGIT,
    ['7'] = UTF8_DIGIT,  ['8'] = UTF8_DIGIT,  ['9'] = UTF8_DIGIT,
    ['A'] = UTF8_LETTER, ['B'] = UTF8_LETTER, ['C'] = UTF8_LETTER,
    ['D'] = UTF8_LETTER, ['E'] = UTF8_LETTER, ['F'] = UTF8_LETTER,
    ['G'] = UTF8_LETTER, ['H'] = UTF8_LETTER, ['I'] = UTF8_LETTER,
    ['J'] = UTF8_LETTER, ['K'] = UTF8_LETTER, ['L'] = UTF8_LETTER,
    ['M'] = UTF8_LETTER, ['N'] = UTF8_LETTER, ['O'] = UTF8_LETTER,
    ['P'] = UTF8_LETTER, ['Q'] = UTF8_LETTER, ['R'] = UTF8_LETTER,
    ['S'] = UTF8_LETTER, ['T'] = UTF8_LETTER, ['U'] = UTF8_LETTER,
    ['V'] = UTF8_LETTER, ['W'] = UTF8_LETTER, ['X'] = UTF8_LETTER,
    ['Y'] = UTF8_LETTER, ['Z'] = UTF8_LETTER, ['a'] = UTF8_LETTER,
    ['b'] = UTF8_LETTER, ['c'] = UTF8_LETTER, ['d'] = UTF8_LETTER,
    ['e'] = UTF8_LETTER, ['f'] = UTF8_LETTER, ['g'] = UTF8_LETTER,
    ['h'] = UTF8_LETTER, ['i'] = UTF8_LETTER, ['j'] = UTF8_LETTER,
    ['k'] = UTF8_LETTER, ['l'] = UTF8_LETTER, ['m'] = UTF8_LETTER,
    ['n'] = UTF8_LETTER, ['o'] = UTF8_LETTER, ['p'] = UTF8_LETTER,
    ['q'] = UTF8_LETTER, ['r'] = UTF8_LETTER, ['s'] = UTF8_LETTER,
    ['t'] = UTF8_LETTER, ['u'] = UTF8_LETTER, ['v'] = UTF8_LETTER,
    ['w'] = UTF8_LETTER, ['x'] = UTF8_LETTER, ['y'] = UTF8_LETTER,
    ['z'] = UTF8_LETTER,
};

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Bounds of the second byte of a sequence led by b0, per RFC 3629; these
 * exclude overlong forms (E0, F0), surrogates (ED) and > U+10FFFF (F4). */
static void second_range(unsigned char b0, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (b0 == 0xE0)
        *lo = 0xA0;
    else if (b0 == 0xED)
        *hi = 0x9F;
    else if (b0 == 0xF0)
        *lo = 0x90;
    else if (b0 == 0xF4)
        *hi = 0x8F;
}

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char b0 = u[0], lo, hi;
    size_t need, i;
    uint32_t v;

    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2;
        v = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3;
        v = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4;
        v = b0 & 0x07;
    } else {
        *cp = UTF8_REPLACEMENT; /* stray continuation, C0/C1, F5..FF */
        return 1;
    }
    second_range(b0, &lo, &hi);
    for (i = 1; i < need; i++) {
        if (i >= len || u[i] < lo || u[i] > hi) {
            *cp = UTF8_REPLACEMENT;
            return i;
        }
        v = (v << 6) | (u[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return need;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;

    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* True if s[i..i+n) decoded as a real code point, not a replacement. A
 * literal U+FFFD in the input is valid UTF-8 and is three bytes long. */
static bool decoded_ok(const char *s, size_t n, uint32_t cp)
{
    return cp != UTF8_REPLACEMENT ||
           (n == 3 && memcmp(s, "\xEF\xBF\xBD", 3) == 0);
}

size_t utf8_seq_len(const char *s, size_t len)
{
    uint32_t cp;
    size_t n = utf8_decode(s, len, &cp);

    return decoded_ok(s, n, cp) ? n : 0;
}

size_t utf8_valid_prefix(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t n;

        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8_seq_len(s + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

bool utf8_is_valid(const char *s, size_t len)
{
    return utf8_valid_prefix(s, len) == len;
}

void utf8_sanitize(int *rc, struct buf *b, const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && *rc == GALEN_OK) {
        size_t good = utf8_valid_prefix(s + i, len - i);
        uint32_t cp;

        buf_put(rc, b, s + i, good);
        i += good;
        if (i >= len)
            break;
        i += utf8_decode(s + i, len - i, &cp);
        buf_put(rc, b, "\xEF\xBF\xBD", 3);
    }
}

enum utf8_class utf8_class(uint32_t cp)
{
    if (cp < 0x80)
        return (enum utf8_class)utf8_ascii_class[cp];
    if (cp > 0x10FFFF)
        return UTF8_SEP;
    return (enum utf8_class)
        utf8_class_stage2[utf8_class_stage1[cp >> 8]][cp & 0xFF];
}

static const struct utf8_fold_entry *sparse_find(uint32_t cp)
{
    size_t lo = 0, hi = ARRAY_SIZE(utf8_fold_sparse);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (utf8_fold_sparse[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ARRAY_SIZE(utf8_fold_sparse) && utf8_fold_sparse[lo].cp == cp)
        return &utf8_fold_sparse[lo];
    return NULL;
}

static size_t copy_fold(const char *f, char *out)
{
    size_t n = strlen(f);

    memcpy(out, f, n);
    return n;
}

size_t utf8_fold_cp(uint32_t cp, char *out)
{
    enum utf8_class k;
    const struct utf8_fold_entry *e;

    if (cp < 0x80) {
        if (utf8_ascii_class[cp] != UTF8_LETTER &&
            utf8_ascii_class[cp] != UTF8_DIGIT)
            return 0;
        out[0] = (char)((cp >= 'A' && cp <= 'Z') ? cp + 32 : cp);
        return 1;
    }
    if (cp < 0x250)
        return copy_fold(utf8_fold_latin[cp - 0x80], out);
    k = utf8_class(cp);
    if (k != UTF8_LETTER && k != UTF8_DIGIT && k != UTF8_IDEO)
        return 0;
    e = sparse_find(cp);
    if (e)
        return copy_fold(e->fold, out);
    return utf8_encode(cp, out);
}

/* ASCII letters and digits folded; 0 for every other ASCII byte. */
static const char fold_ascii[128] = {
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e',
    ['F'] = 'f', ['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j',
    ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n', ['O'] = 'o',
    ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't',
    ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y',
    ['Z'] = 'z', ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd',
    ['e'] = 'e', ['f'] = 'f', ['g'] = 'g', ['h'] = 'h', ['i'] = 'i',
    ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
    ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's',
    ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x',
    ['y'] = 'y', ['z'] = 'z',
};

/* Folds the non-ASCII character at s[0..len) into out[n..cap); returns the
 * new n, or SIZE_MAX if it does not fit. *used gets its byte length. */
static size_t fold_one(const char *s, size_t len, size_t *used, char *out,
                       size_t n, size_t cap)
{
    char tmp[UTF8_FOLD_MAX];
    uint32_t cp;
    size_t k;

    *used = utf8_decode(s, len, &cp);
    k = utf8_fold_cp(cp, tmp);
    if (n + k > cap)
        return SIZE_MAX;
    memcpy(out + n, tmp, k);
    return n + k;
}

size_t utf8_fold(const char *s, size_t len, const char *keep, char *out,
                 size_t cap)
{
    size_t i = 0, n = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t used;

        if (c >= 0x80) {
            size_t m = fold_one(s + i, len - i, &used, out, n, cap);

            if (m == SIZE_MAX)
                break;
            n = m;
            i += used;
            continue;
        }
        i++;
        if (fold_ascii[c] == 0 && (!keep || c == 0 || !strchr(keep, c)))
            continue;
        if (n >= cap)
            break;
        out[n++] = fold_ascii[c] ? fold_ascii[c] : (char)c;
    }
    return n;
}

size_t utf8_cut(const char *s, size_t len, size_t cap)
{
    size_t n = MIN(len, cap);

    if (n == len)
        return n;
    while (n > 0 && is_cont((unsigned char)s[n]))
        n--;
    return n;
}

bool utf8_text_ok(const char *s, size_t len)
{
    size_t i;

    if (utf8_valid_prefix(s, len) != len)
        return false;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
            return false;
    }
    return true;
}
