/* SPDX-License-Identifier: MIT */
/* sentence.c: rule-based sentence splitter. A sentence ends at '.', '!' or
 * '?' followed by space and then something that can start a sentence, at a
 * blank line, before a list item or heading line, or after a title line.
 * Abbreviations ("e.g.", "Dr.", "mg."), decimals and initials do not end a
 * sentence. Each span is trimmed and lies strictly after the previous one. */
#include "sentence.h"

#include <string.h>

enum { TITLE_LINE_MAX = 70, TITLE_WORDS_MAX = 10, ABBREV_MAX = 8 };

/* Abbreviations that never end a sentence, whatever follows. */
static const char *const hard_abbrev[] = {
    "dr",  "mr",     "mrs", "ms",  "prof", "st",   "vs",   "e.g", "i.e",
    "cf",  "al",     "sr",  "jr",  "viz",  "resp", "incl", "esp", "u.s",
    "u.k", "approx", "ca",  "eg",  "ie",   "dept", "univ", "gen", "lt",
    "col", "sgt",    "rev", "vol", "pp",   "ed",   "eds",  "nos"};

/* Abbreviations that end a sentence only before a capital letter. */
static const char *const soft_abbrev[] = {
    "etc", "mg",  "mcg", "kg",  "ml",  "dl",  "mmol", "mol", "min", "hr",
    "hrs", "wk",  "wks", "yr",  "yrs", "mo",  "a.m",  "p.m", "inc", "ltd",
    "co",  "jan", "feb", "mar", "apr", "jun", "jul",  "aug", "sep", "sept",
    "oct", "nov", "dec", "mon", "tue", "wed", "thu",  "fri", "sat", "sun",
    "lb",  "lbs", "oz",  "in",  "ft",  "cm",  "mm",   "sec"};

/* Abbreviations that do not end a sentence before a digit ("No. 5"). */
static const char *const numeric_abbrev[] = {"no",  "fig", "figs", "tab",
                                             "ref", "eq",  "ch",   "p"};

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static bool is_hspace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static bool is_lower(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static bool is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alnum(unsigned char c)
{
    return is_lower(c) || is_upper(c) || is_digit(c);
}

/* True if only spaces or tabs separate i from the start of its line. */
static bool at_line_start(const char *t, size_t i)
{
    while (i > 0 && is_hspace((unsigned char)t[i - 1]))
        i--;
    return i == 0 || t[i - 1] == '\n';
}

/* Length of a list marker ("- ", "* ", "+ ", "• ", "12. ", "3) ") at i,
 * including one following space, or 0. */
static size_t marker_len(const char *t, size_t len, size_t i)
{
    size_t j = i;
    unsigned char c;

    if (i >= len)
        return 0;
    c = (unsigned char)t[i];
    if ((c == '-' || c == '*' || c == '+') && i + 1 < len &&
        is_hspace((unsigned char)t[i + 1]))
        return 2;
    if (c == 0xe2 && i + 3 < len && (unsigned char)t[i + 1] == 0x80 &&
        (unsigned char)t[i + 2] == 0xa2 && is_hspace((unsigned char)t[i + 3]))
        return 4;
    while (j < len && j - i < 3 && is_digit((unsigned char)t[j]))
        j++;
    if (j == i || j + 1 >= len)
        return 0;
    if ((t[j] == '.' || t[j] == ')') && is_hspace((unsigned char)t[j + 1]))
        return j - i + 2;
    return 0;
}

static bool in_list(const char *const *list, size_t n, const char *w)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(list[i], w) == 0)
            return true;
    }
    return false;
}

/* Copies the word ending just before the '.' at j (letters, digits and inner
 * dots, so "e.g" and "U.S"), lower-cased, into w. Returns its length, or
 * ABBREV_MAX + 1 when it is too long to be an abbreviation. */
static size_t word_before(const char *t, size_t start, size_t j, char *w)
{
    size_t b = j;
    size_t n, k;

    while (b > start && (is_alnum((unsigned char)t[b - 1]) || t[b - 1] == '.'))
        b--;
    while (b < j && t[b] == '.')
        b++;
    n = j - b;
    if (n > ABBREV_MAX)
        return ABBREV_MAX + 1;
    for (k = 0; k < n; k++) {
        unsigned char c = (unsigned char)t[b + k];
        w[k] = (char)(is_upper(c) ? c + 32 : c);
    }
    w[n] = '\0';
    return n;
}

/* Decides whether the terminal punctuation at j, whose run (closing quotes,
 * brackets and citations included) ends at k, ends the sentence. */
static bool is_boundary(const char *t, size_t len, size_t start, size_t j,
                        size_t k)
{
    char w[ABBREV_MAX + 2];
    size_t n, m = k;
    unsigned char next;

    while (m < len && is_hspace((unsigned char)t[m]))
        m++;
    if (m >= len || t[m] == '\n')
        return true;
    next = (unsigned char)t[m];
    if (t[j] != '.')
        return !is_lower(next);
    n = word_before(t, start, j, w);
    if (n > 0 && n <= ABBREV_MAX) {
        if (in_list(hard_abbrev, ARRAY_SIZE(hard_abbrev), w))
            return false;
        if (in_list(soft_abbrev, ARRAY_SIZE(soft_abbrev), w))
            return is_upper(next);
        if (is_digit(next) &&
            in_list(numeric_abbrev, ARRAY_SIZE(numeric_abbrev), w))
            return false;
    }
    return !is_lower(next) && next != ',' && next != ';' && next != ')' &&
           next != ':';
}

/* Skips a "[1]" or "[1, 2-4]" citation at i; returns the index after it. */
static size_t skip_citation(const char *t, size_t len, size_t i)
{
    size_t j = i + 1;

    if (i >= len || t[i] != '[')
        return i;
    while (j < len && (is_digit((unsigned char)t[j]) || t[j] == ',' ||
                       t[j] == ' ' || t[j] == '-'))
        j++;
    if (j < len && t[j] == ']' && j > i + 1)
        return j + 1;
    return i;
}

/* Index just past the terminal punctuation run starting at j: more of
 * ".!?", closing quotes and brackets (ASCII or UTF-8 curly) and citations. */
static size_t after_terminal(const char *t, size_t len, size_t j)
{
    size_t k = j;

    for (;;) {
        unsigned char c = k < len ? (unsigned char)t[k] : 0;
        size_t c2;

        if (k >= len)
            return k;
        if (c == '.' || c == '!' || c == '?' || c == '"' || c == '\'' ||
            c == ')' || c == ']') {
            k++;
            continue;
        }
        if (c == 0xe2 && k + 2 < len && (unsigned char)t[k + 1] == 0x80 &&
            ((unsigned char)t[k + 2] == 0x99 ||
             (unsigned char)t[k + 2] == 0x9d)) {
            k += 3;
            continue;
        }
        c2 = skip_citation(t, len, k);
        if (c2 == k)
            return k;
        k = c2;
    }
}

static size_t count_words(const char *t, size_t b, size_t e)
{
    size_t n = 0, i;
    bool in = false;

    for (i = b; i < e; i++) {
        bool sp = is_space((unsigned char)t[i]);
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

/* Decides whether the newline at j ends the sentence begun at start. Sets
 * SENTENCE_HEADING or SENTENCE_LEADIN in *flags when it does. */
static bool newline_ends(const char *t, size_t len, size_t start, size_t j,
                         unsigned *flags)
{
    size_t m = j + 1, e = j;
    unsigned char last, next;

    while (m < len && is_hspace((unsigned char)t[m]))
        m++;
    while (e > start && is_space((unsigned char)t[e - 1]))
        e--;
    if (e == start)
        return false;
    last = (unsigned char)t[e - 1];
    if (last == ':')
        *flags |= SENTENCE_LEADIN;
    if (m >= len || t[m] == '\n' || t[m] == '#' || marker_len(t, len, m))
        return true;
    if (last == ':')
        return true;
    next = (unsigned char)t[m];
    if (!at_line_start(t, start) || e - start > TITLE_LINE_MAX ||
        count_words(t, start, e) > TITLE_WORDS_MAX)
        return false;
    if (!(is_alnum(last) || last == ')') || !(is_upper(next) || is_digit(next)))
        return false;
    *flags |= SENTENCE_HEADING;
    return true;
}

/* True at i when two or more spaces are followed by a list marker: the
 * inline bullet lists of MedQuAD answers ("...    - Prediabetes is"). */
static bool inline_item_at(const char *t, size_t len, size_t i)
{
    size_t m = i;

    if (i + 1 >= len || t[i] != ' ' || t[i + 1] != ' ')
        return false;
    while (m < len && t[m] == ' ')
        m++;
    return m < len && t[m] != '\n' && marker_len(t, len, m) &&
           !is_digit((unsigned char)t[m]);
}

/* True when the '.' at j ends a sentence that the source glued to the next
 * one ("this tendency.A second operation", "(anesthesia).During"): a
 * lower-case word of three or more letters, or a bracket after one, then
 * a capital that begins a word. Abbreviations ("e.g.", "U.S.") have dots
 * inside or are shorter, and domain names go on in lower case. */
static bool glued_boundary(const char *t, size_t len, size_t start, size_t j,
                           size_t k)
{
    size_t e = j, n = 0;

    if (t[j] != '.' || k >= len || k + 1 >= len ||
        !is_upper((unsigned char)t[k]) ||
        !(is_lower((unsigned char)t[k + 1]) || t[k + 1] == ' '))
        return false;
    if (e > start && t[e - 1] == ')')
        e--;
    while (e > start && is_lower((unsigned char)t[e - 1])) {
        e--;
        n++;
    }
    return n >= 3 && (e == start ||
                      !(is_alnum((unsigned char)t[e - 1]) || t[e - 1] == '.'));
}

/* Scans from start for the end of the sentence. Returns the trimmed end and
 * sets *next to where scanning resumes. */
static size_t scan_end(const char *t, size_t len, size_t start, size_t *next,
                       unsigned *flags)
{
    size_t j;

    for (j = start; j < len; j++) {
        unsigned char c = (unsigned char)t[j];

        if (j - start >= SENTENCE_MAX_LEN) {
            size_t s = j;
            while (s > start + SENTENCE_MAX_LEN / 2 &&
                   !is_space((unsigned char)t[s]))
                s--;
            if (!is_space((unsigned char)t[s]))
                s = j;
            while (s > start + 1 && ((unsigned char)t[s] & 0xc0) == 0x80)
                s--;
            *flags |= SENTENCE_CUT;
            *next = s;
            return s;
        }
        if (c == '\n' && newline_ends(t, len, start, j, flags)) {
            *next = j + 1;
            return j;
        }
        if (c == ' ' && inline_item_at(t, len, j)) {
            *next = j;
            return j;
        }
        if (c == '.' || c == '!' || c == '?') {
            size_t k = after_terminal(t, len, j);
            if (((k >= len || is_space((unsigned char)t[k])) &&
                 is_boundary(t, len, start, j, k)) ||
                glued_boundary(t, len, start, j, k)) {
                *next = k;
                return k;
            }
            j = k - 1;
        }
    }
    *next = len;
    return len;
}

static size_t heading_span(const char *t, size_t len, size_t *i)
{
    size_t j = *i;

    while (j < len && t[j] == '#')
        j++;
    while (j < len && is_hspace((unsigned char)t[j]))
        j++;
    *i = j;
    while (j < len && t[j] != '\n')
        j++;
    return j;
}

bool sentence_next(const char *text, size_t len, size_t *pos,
                   struct sentence *out)
{
    size_t i = *pos;

    while (i < len) {
        unsigned flags = 0;
        size_t start, end, next;
        bool line;

        while (i < len && is_space((unsigned char)text[i]))
            i++;
        if (i >= len)
            break;
        line = at_line_start(text, i);
        if (line && text[i] == '#') {
            flags = SENTENCE_HEADING;
            start = i;
            end = heading_span(text, len, &start);
            next = end;
        } else {
            if ((line ||
                 (i >= 2 && text[i - 1] == ' ' && text[i - 2] == ' ')) &&
                marker_len(text, len, i)) {
                i += marker_len(text, len, i);
                flags = SENTENCE_LIST_ITEM;
                while (i < len && is_hspace((unsigned char)text[i]))
                    i++;
            }
            start = i;
            end = scan_end(text, len, start, &next, &flags);
        }
        while (end > start && is_space((unsigned char)text[end - 1]))
            end--;
        i = next > i ? next : i + 1;
        if (end <= start)
            continue;
        if (text[end - 1] == ':')
            flags |= SENTENCE_LEADIN;
        out->start = start;
        out->end = end;
        out->flags = flags;
        *pos = i;
        return true;
    }
    *pos = len;
    return false;
}

size_t sentence_count(const char *text, size_t len)
{
    struct sentence s;
    size_t pos = 0, n = 0;

    while (sentence_next(text, len, &pos, &s))
        n++;
    return n;
}
