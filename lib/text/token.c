/* SPDX-License-Identifier: MIT */
/* token.c: the tokenizer. It scans the input once, chunk by chunk: a chunk
 * is a word, number, compound, URL or email. A chunk that makes several
 * tokens (a compound and its parts) is queued in tk->queue, which holds at
 * most TOKEN_MAX_PARTS + 1 tokens, so memory is constant. Every look-ahead
 * is bounded or consumes what it reads, so the scan is linear. */
#include "token.h"

#include <string.h>

#include "base/common.h"
#include "base/utf8.h"

/* One piece of a chunk before it becomes a token. */
struct part {
    size_t start, end;
    uint8_t kind;
    uint8_t flags;
    bool split;  /* a number whose following letters are a separate token */
    bool suffix; /* those letters, as the next part of a compound */
};

/* Units, folded and sorted by byte value (token_is_unit binary-searches).
 * "\xce\xbc" is Greek mu, the fold of both the micro sign and mu. */
static const char *const units[] = {
    "bpm",       "cal",       "cc",          "cl",    "cm",   "cm2",
    "cm3",       "d",         "da",          "day",   "days", "dl",
    "ft",        "g",         "gy",          "h",     "hour", "hours",
    "hr",        "hrs",       "hz",          "iu",    "j",    "kcal",
    "kda",       "kg",        "khz",         "kj",    "km",   "l",
    "lb",        "lbs",       "m",           "m2",    "m3",   "ma",
    "mbq",       "mcg",       "mci",         "mcl",   "meq",  "mg",
    "mgy",       "mhz",       "min",         "mins",  "miu",  "ml",
    "mm",        "mm2",       "mm3",         "mmhg",  "mmol", "mo",
    "mol",       "month",     "months",      "mosm",  "ms",   "msv",
    "mu",        "mv",        "mw",          "ng",    "nm",   "nmol",
    "oz",        "pg",        "pmol",        "sec",   "sv",   "u",
    "ug",        "ul",        "um",          "umol",  "unit", "units",
    "v",         "w",         "week",        "weeks", "wk",   "wks",
    "y",         "year",      "years",       "yr",    "yrs",  "\xce\xbcg",
    "\xce\xbcl", "\xce\xbcm", "\xce\xbcmol",
};

enum { UNIT_MAX = 8 }; /* longest folded unit, bytes */

bool token_is_unit(const char *word, size_t len)
{
    size_t lo = 0, hi = ARRAY_SIZE(units);

    if (len == 0 || len > UNIT_MAX)
        return false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        size_t ulen = strlen(units[mid]);
        int c = memcmp(units[mid], word, MIN(ulen, len));

        if (c == 0)
            c = ulen < len ? -1 : (ulen > len ? 1 : 0);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void tokenizer_init(struct tokenizer *tk, const char *text, size_t len)
{
    memset(tk, 0, offsetof(struct tokenizer, queue));
    tk->s = text;
    tk->len = len;
}

static unsigned char byte_at(const struct tokenizer *tk, size_t i)
{
    return i < tk->len ? (unsigned char)tk->s[i] : 0;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_alnum(unsigned char c)
{
    return is_alpha(c) || is_digit(c);
}

/* Class and byte length of the character at i (i < len). */
static enum utf8_class class_at(const struct tokenizer *tk, size_t i, size_t *n)
{
    unsigned char c = (unsigned char)tk->s[i];
    uint32_t cp;

    if (c < 0x80) {
        *n = 1;
        return (enum utf8_class)utf8_ascii_class[c];
    }
    *n = utf8_decode(tk->s + i, tk->len - i, &cp);
    return utf8_class(cp);
}

/* True if a word (a run of letters and digits) may start at i. */
static bool word_start(const struct tokenizer *tk, size_t i)
{
    size_t n;
    enum utf8_class k;

    if (i >= tk->len)
        return false;
    k = class_at(tk, i, &n);
    return k == UTF8_LETTER || k == UTF8_DIGIT;
}

/* True if the character at i continues a word. */
static bool word_char(const struct tokenizer *tk, size_t i)
{
    size_t n;
    enum utf8_class k;

    if (i >= tk->len)
        return false;
    k = class_at(tk, i, &n);
    return k == UTF8_LETTER || k == UTF8_DIGIT || k == UTF8_MARK;
}

static bool prefix_ci(const struct tokenizer *tk, size_t i, const char *pre)
{
    size_t n = strlen(pre), k;

    if (tk->len - i < n)
        return false;
    for (k = 0; k < n; k++) {
        unsigned char c = (unsigned char)tk->s[i + k];

        if ((is_alpha(c) ? (c | 0x20) : c) != (unsigned char)pre[k])
            return false;
    }
    return true;
}

/* Length of the clitic at i: an apostrophe, then s, ll, re, ve, d or m,
 * then no word character ("Parkinson's", "we'll", "I'm"); else 0. The
 * clitic is dropped, so "we'll" is "we", not "well". */
static size_t clitic_len(const struct tokenizer *tk, size_t i)
{
    static const char *const clitics[] = {"s", "ll", "re", "ve", "d", "m"};
    size_t n, k;

    if (i >= tk->len || class_at(tk, i, &n) != UTF8_APOS)
        return 0;
    for (k = 0; k < ARRAY_SIZE(clitics); k++) {
        size_t c = strlen(clitics[k]);

        if (prefix_ci(tk, i + n, clitics[k]) && !word_char(tk, i + n + c))
            return n + c;
    }
    return 0;
}

/* An apostrophe of n bytes at i joins the run if a letter follows and it
 * does not start a clitic: O'Brien, don't. */
static bool apos_joins(const struct tokenizer *tk, size_t i, size_t n)
{
    size_t m;

    if (i + n >= tk->len || class_at(tk, i + n, &m) != UTF8_LETTER)
        return false;
    return clitic_len(tk, i) == 0;
}

/* Scans a run of letters, digits, marks and joining apostrophes from i.
 * Returns its end and sets the part's flags and kind. */
static size_t scan_run(const struct tokenizer *tk, size_t i, struct part *p)
{
    bool letters = false, digits = false, ascii = true;

    while (i < tk->len) {
        unsigned char c = (unsigned char)tk->s[i];
        size_t n = 1;
        enum utf8_class k;

        if (c < 0x80 && is_alnum(c)) {
            letters |= is_alpha(c);
            digits |= is_digit(c);
            i++;
            continue;
        }
        k = class_at(tk, i, &n);
        if (k == UTF8_APOS && !apos_joins(tk, i, n))
            break;
        if (k != UTF8_LETTER && k != UTF8_DIGIT && k != UTF8_MARK &&
            k != UTF8_APOS)
            break;
        letters |= k == UTF8_LETTER;
        digits |= k == UTF8_DIGIT;
        ascii &= c < 0x80;
        i += n;
    }
    p->kind = digits ? (letters ? TOKEN_ALNUM : TOKEN_NUM) : TOKEN_WORD;
    p->flags =
        (uint8_t)((ascii ? TOKEN_F_ASCII : 0) | (digits ? TOKEN_F_DIGITS : 0));
    return i;
}

/* Scans ASCII digits with decimal points ("2.5", "1.2.3") and thousands
 * groups ("1,000": a comma, three digits, no fourth). */
static size_t scan_number(const struct tokenizer *tk, size_t i, bool *plain)
{
    while (is_digit(byte_at(tk, i)))
        i++;
    for (;;) {
        unsigned char c = byte_at(tk, i);

        if (c == '.' && is_digit(byte_at(tk, i + 1))) {
            i += 2;
            while (is_digit(byte_at(tk, i)))
                i++;
        } else if (c == ',' && is_digit(byte_at(tk, i + 1)) &&
                   is_digit(byte_at(tk, i + 2)) &&
                   is_digit(byte_at(tk, i + 3)) &&
                   !is_digit(byte_at(tk, i + 4))) {
            i += 4;
        } else {
            return i;
        }
        *plain = false;
    }
}

/* True if s[i..end) folds to a unit. */
static bool run_is_unit(const struct tokenizer *tk, size_t i, size_t end)
{
    char f[UNIT_MAX + 1];
    size_t n;

    if (end - i > 2 * UNIT_MAX)
        return false;
    n = utf8_fold(tk->s + i, end - i, NULL, f, sizeof f);
    return token_is_unit(f, n);
}

/* A part that starts with an ASCII digit, or '.' then a digit (".5").
 * Digits followed by a unit split ("5mg" -> 5, mg);
 * plain digits followed by other letters stay one token ("5q31"). */
static void scan_numeric(const struct tokenizer *tk, size_t i, struct part *p)
{
    bool plain = tk->s[i] != '.';
    size_t e = scan_number(tk, plain ? i : i + 1, &plain);
    struct part run;
    size_t re;

    p->start = i;
    p->end = e;
    p->kind = TOKEN_NUM;
    p->flags = TOKEN_F_ASCII | TOKEN_F_DIGITS;
    p->split = false;
    p->suffix = false;
    if (!word_char(tk, e))
        return;
    re = scan_run(tk, e, &run);
    if (re == e)
        return; /* a mark or apostrophe, not a word */
    if (run_is_unit(tk, e, re) || !plain) {
        p->split = true;
        return;
    }
    p->end = re;
    p->kind = TOKEN_ALNUM;
    p->flags = (uint8_t)(run.flags | TOKEN_F_DIGITS);
}

static void scan_part(const struct tokenizer *tk, size_t i, struct part *p)
{
    unsigned char c = (unsigned char)tk->s[i];

    if (is_digit(c) || c == '.') {
        scan_numeric(tk, i, p);
        return;
    }
    p->start = i;
    p->end = scan_run(tk, i, p);
    p->split = false;
    p->suffix = false;
}

static void push(struct tokenizer *tk, size_t start, size_t end, size_t tstart,
                 size_t tend, uint32_t pos, uint8_t kind, uint8_t flags)
{
    struct token *t = &tk->queue[tk->qlen++];

    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->tstart = (uint32_t)tstart;
    t->tend = (uint32_t)tend;
    t->pos = pos;
    t->kind = kind;
    t->flags = flags;
}

static void push_part(struct tokenizer *tk, const struct part *p, uint32_t pos,
                      uint8_t extra)
{
    push(tk, p->start, p->end, p->start, p->end, pos, p->kind,
         (uint8_t)(p->flags | extra));
}

/* Skips separators from i. A '.' before a digit starts a number (".5"). */
static size_t skip_separators(const struct tokenizer *tk, size_t i)
{
    while (i < tk->len) {
        unsigned char c = (unsigned char)tk->s[i];
        size_t n;
        enum utf8_class k;

        if (c < 0x80) {
            if (is_alnum(c) || (c == '.' && is_digit(byte_at(tk, i + 1))))
                return i;
            i++;
            continue;
        }
        k = class_at(tk, i, &n);
        if (k == UTF8_LETTER || k == UTF8_DIGIT || k == UTF8_IDEO)
            return i;
        i += n;
    }
    return i;
}

static bool host_char(unsigned char c)
{
    return is_alnum(c) || c == '.' || c == '-';
}

static bool url_char(unsigned char c)
{
    return c > 0x20 && c < 0x7F && !strchr("<>\"{}|\\^`", c);
}

/* URLs: http://, https://, ftp:// or www. followed by a host. The token
 * spans the whole URL (minus trailing punctuation); its term is the host
 * without "www.". */
static bool try_url(struct tokenizer *tk, size_t i)
{
    size_t h, he, e;

    if (prefix_ci(tk, i, "http://") || prefix_ci(tk, i, "https://") ||
        prefix_ci(tk, i, "ftp://"))
        h = (size_t)((const char *)memchr(tk->s + i, ':', 6) - tk->s) + 3;
    else if (prefix_ci(tk, i, "www.") && is_alnum(byte_at(tk, i + 4)))
        h = i;
    else
        return false;
    if (prefix_ci(tk, h, "www.") && is_alnum(byte_at(tk, h + 4)))
        h += 4;
    he = h;
    while (host_char(byte_at(tk, he)))
        he++;
    while (he > h && !is_alnum(byte_at(tk, he - 1)))
        he--;
    if (he == h)
        return false;
    e = he;
    while (url_char(byte_at(tk, e)))
        e++;
    while (e > he && strchr(".,;:!?')]}*", tk->s[e - 1]))
        e--;
    push(tk, i, e, h, he, tk->pos++, TOKEN_URL, TOKEN_F_ASCII);
    tk->off = e;
    return true;
}

static bool local_char(unsigned char c)
{
    return is_alnum(c) || (c != '\0' && strchr("._%+-", c));
}

/* Emails: local@domain.tld with an ASCII local part of at most
 * TOKEN_LOCAL_MAX bytes and a dotted domain. */
static bool try_email(struct tokenizer *tk, size_t i)
{
    size_t k = i, d, e, dot = 0;

    while (k < tk->len && k - i < TOKEN_LOCAL_MAX &&
           local_char((unsigned char)tk->s[k]))
        k++;
    if (byte_at(tk, k) != '@' || !is_alnum(byte_at(tk, k + 1)))
        return false;
    d = k + 1;
    e = d;
    while (host_char(byte_at(tk, e)))
        e++;
    while (e > d && !is_alnum(byte_at(tk, e - 1)))
        e--;
    for (k = d; k < e; k++)
        if (tk->s[k] == '.')
            dot = k;
    if (dot == 0 || e - dot < 3)
        return false;
    push(tk, i, e, i, e, tk->pos++, TOKEN_EMAIL, TOKEN_F_ASCII);
    tk->off = e;
    return true;
}

/* Dotted abbreviations of single ASCII letters: e.g., U.S, b.i.d. */
static bool try_acronym(struct tokenizer *tk, size_t i)
{
    size_t k = i, end = i;
    unsigned count = 0;

    while (is_alpha(byte_at(tk, k)) && !is_alnum(byte_at(tk, k + 1)) &&
           byte_at(tk, k + 1) < 0x80) {
        count++;
        end = k + 1;
        if (byte_at(tk, k + 1) != '.')
            break;
        end = k + 2;
        k += 2;
    }
    if (count < 2)
        return false;
    push(tk, i, end, i, end, tk->pos++, TOKEN_ACRONYM, TOKEN_F_ASCII);
    tk->off = end;
    return true;
}

/* Length of the hyphen at i if a word follows it, else 0. */
static size_t joining_hyphen(const struct tokenizer *tk, size_t i)
{
    size_t n;

    if (i >= tk->len || class_at(tk, i, &n) != UTF8_HYPHEN)
        return 0;
    return word_start(tk, i + n) ? n : 0;
}

/* Queues parts[0..n) as one chunk: the joined token (kind, with span from
 * the first part to the last) at the first part's position, then each part
 * at consecutive positions. A chain of numbers ("10-20", "10-20mg") is a
 * range and gets no joined token. */
static void push_chunk(struct tokenizer *tk, const struct part *parts, size_t n,
                       uint8_t kind)
{
    uint32_t pos = tk->pos;
    size_t span = parts[n - 1].end - parts[0].start, sum = 0, joins = 0, k;
    uint8_t flags = TOKEN_F_ASCII, extra = 0;
    bool all_num = true;

    for (k = 0; k < n; k++) {
        all_num &= parts[k].kind == TOKEN_NUM || parts[k].suffix;
        joins += k > 0 && !parts[k].suffix;
        flags |= parts[k].flags & TOKEN_F_DIGITS;
        if (!(parts[k].flags & TOKEN_F_ASCII))
            flags &= (uint8_t)~TOKEN_F_ASCII;
        sum += parts[k].end - parts[k].start;
    }
    if (span != sum + joins)
        flags &= (uint8_t)~TOKEN_F_ASCII; /* a non-ASCII hyphen */
    if (n > 1 && !all_num) {
        push(tk, parts[0].start, parts[n - 1].end, parts[0].start,
             parts[n - 1].end, pos, kind, flags);
        extra = TOKEN_F_PART;
    }
    for (k = 0; k < n; k++)
        push_part(tk, &parts[k], pos + (uint32_t)k, extra);
    tk->pos = pos + (uint32_t)n;
}

/* Collects hyphenated parts after parts[0]; returns the part count. A
 * number split from its unit ("19mg") continues the chain with the unit
 * as the next part, so each part reads the same as it would alone. */
static size_t collect_hyphens(const struct tokenizer *tk, struct part *parts)
{
    size_t n = 1;

    while (n < TOKEN_MAX_PARTS) {
        const struct part *prev = &parts[n - 1];
        size_t at = prev->end;

        if (!prev->split) {
            size_t h = joining_hyphen(tk, prev->end);

            if (h == 0)
                break;
            at += h;
        }
        scan_part(tk, at, &parts[n]);
        parts[n].suffix = prev->split;
        n++;
    }
    return n;
}

/* Collects slash-joined units after parts[0] ("mg/kg/day"). */
static size_t collect_units(const struct tokenizer *tk, struct part *parts)
{
    size_t n = 1;

    if (parts[0].kind == TOKEN_NUM || byte_at(tk, parts[0].end) != '/' ||
        !run_is_unit(tk, parts[0].start, parts[0].end))
        return 1;
    while (n < TOKEN_MAX_PARTS && byte_at(tk, parts[n - 1].end) == '/') {
        size_t s = parts[n - 1].end + 1;

        if (!is_alpha(byte_at(tk, s)) && byte_at(tk, s) < 0x80)
            break;
        parts[n].start = s;
        parts[n].end = scan_run(tk, s, &parts[n]);
        parts[n].split = false;
        parts[n].suffix = false;
        if (parts[n].end == s || !run_is_unit(tk, s, parts[n].end))
            break;
        n++;
    }
    return n;
}

/* Special chunks that start like a word: URL, acronym, email. */
static bool try_special(struct tokenizer *tk, size_t i, const struct part *p)
{
    unsigned char next = byte_at(tk, p->end);

    if (next == ':' || next == '.') {
        if (try_url(tk, i))
            return true;
    }
    if (next == '.' && p->end == i + 1 && try_acronym(tk, i))
        return true;
    if ((p->flags & TOKEN_F_ASCII) && next != '/' && next != '\'' &&
        next != ':')
        return try_email(tk, i);
    return false;
}

/* False if a word followed by byte c certainly ends its chunk: c is ASCII
 * and not a joiner (hyphen, slash, apostrophe) nor the start of a URL,
 * email or acronym continuation. */
static bool may_join(unsigned char c)
{
    switch (c) {
    case '-':
    case '/':
    case '\'':
    case ':':
    case '.':
    case '@':
    case '_':
    case '%':
    case '+':
        return true;
    default:
        return c >= 0x80;
    }
}

/* Scans the chunk at i (a word start) and queues its tokens. */
static void scan_chunk(struct tokenizer *tk, size_t i)
{
    struct part parts[TOKEN_MAX_PARTS];
    size_t n, end;

    scan_part(tk, i, &parts[0]);
    if (parts[0].split) {
        push_part(tk, &parts[0], tk->pos++, 0);
        tk->off = parts[0].end;
        return;
    }
    if (!may_join(byte_at(tk, parts[0].end))) {
        push_part(tk, &parts[0], tk->pos++, 0);
        tk->off = parts[0].end;
        return;
    }
    if (try_special(tk, i, &parts[0]))
        return;
    n = collect_hyphens(tk, parts);
    if (n > 1) {
        push_chunk(tk, parts, n, TOKEN_COMPOUND);
    } else {
        n = collect_units(tk, parts);
        push_chunk(tk, parts, n, TOKEN_UNIT);
    }
    end = parts[n - 1].end;
    tk->off = end + clitic_len(tk, end);
}

bool tokenizer_next(struct tokenizer *tk, struct token *out)
{
    while (tk->qhead == tk->qlen) {
        size_t i = skip_separators(tk, tk->off);
        size_t n;

        tk->qhead = 0;
        tk->qlen = 0;
        if (i >= tk->len) {
            tk->off = tk->len;
            return false;
        }
        if (class_at(tk, i, &n) == UTF8_IDEO) {
            push(tk, i, i + n, i, i + n, tk->pos++, TOKEN_IDEO, 0);
            tk->off = i + n;
            break;
        }
        scan_chunk(tk, i);
    }
    *out = tk->queue[tk->qhead++];
    return true;
}
