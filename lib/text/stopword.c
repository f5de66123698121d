/* SPDX-License-Identifier: MIT */
/* stopword.c: English stop list (the Snowball/Porter list without its
 * negations, plus a few words of consumer questions) and its lookup. The
 * words are packed into two 64-bit keys and placed in an open-addressing
 * table built once, on first use, under pthread_once. */
#include "stopword.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "base/common.h"

/* Sorted for readability only; folded forms ("youre" for "you're"). */
static const char *const stop_words[] = {
    "a",        "about",      "above",   "after",      "again",     "all",
    "also",     "am",         "an",      "and",        "any",       "are",
    "as",       "at",         "be",      "because",    "been",      "before",
    "being",    "below",      "between", "both",       "but",       "by",
    "can",      "could",      "did",     "do",         "does",      "doing",
    "down",     "during",     "each",    "eg",         "etc",       "few",
    "for",      "from",       "further", "had",        "has",       "have",
    "having",   "he",         "hed",     "her",        "here",      "hers",
    "herself",  "him",        "himself", "his",        "how",       "i",
    "ie",       "if",         "im",      "in",         "into",      "is",
    "it",       "its",        "itself",  "ive",        "may",       "me",
    "might",    "more",       "most",    "must",       "my",        "myself",
    "of",       "off",        "on",      "once",       "only",      "or",
    "other",    "ought",      "our",     "ours",       "ourselves", "out",
    "over",     "own",        "same",    "shall",      "she",       "should",
    "so",       "some",       "such",    "than",       "that",      "the",
    "their",    "theirs",     "them",    "themselves", "then",      "there",
    "these",    "they",       "theyd",   "theyll",     "theyre",    "theyve",
    "this",     "those",      "through", "to",         "too",       "under",
    "until",    "up",         "us",      "very",       "was",       "we",
    "were",     "weve",       "what",    "when",       "where",     "which",
    "while",    "who",        "whom",    "why",        "with",      "would",
    "you",      "youd",       "youll",   "your",       "youre",     "yours",
    "yourself", "yourselves", "youve",
};

enum { SLOTS = 512 }; /* power of two, > 3x the list */

struct slot {
    uint64_t k0, k1; /* the word, zero-padded to 16 bytes */
    uint8_t len;     /* 0 = empty */
};

static struct slot table[SLOTS];
/* Bit len of lengths[c - 'a'] is set if a stop word of that length starts
 * with c: most content words are rejected without hashing. */
static uint32_t lengths[26];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static size_t hash_key(uint64_t k0, uint64_t k1, size_t len)
{
    uint64_t h = (k0 * 0x9E3779B97F4A7C15ULL) ^ (k1 * 0xC2B2AE3D27D4EB4FULL);

    h ^= (uint64_t)len;
    h ^= h >> 29;
    return (size_t)(h * 0xBF58476D1CE4E5B9ULL >> 55) & (SLOTS - 1);
}

/* Packs a word of at most 16 bytes into two little-endian keys. Shifts,
 * not byte stores into a buffer: reading such a buffer back as 64-bit words
 * stalls store forwarding, which made lookups twice as slow. */
static void pack(const char *w, size_t len, uint64_t *k0, uint64_t *k1)
{
    uint64_t a = 0, b = 0;
    size_t i;

    for (i = 0; i < len && i < 8; i++)
        a |= (uint64_t)(unsigned char)w[i] << (8 * i);
    for (; i < len; i++)
        b |= (uint64_t)(unsigned char)w[i] << (8 * (i - 8));
    *k0 = a;
    *k1 = b;
}

static void build_table(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(stop_words); i++) {
        size_t len = strlen(stop_words[i]);
        uint64_t k0, k1;
        size_t h;

        pack(stop_words[i], len, &k0, &k1);
        h = hash_key(k0, k1, len);
        while (table[h].len != 0)
            h = (h + 1) & (SLOTS - 1);
        table[h].k0 = k0;
        table[h].k1 = k1;
        table[h].len = (uint8_t)len;
        lengths[stop_words[i][0] - 'a'] |= 1u << len;
    }
}

bool stopword_is(const char *word, size_t len)
{
    uint64_t k0, k1;
    size_t h;

    unsigned char c;

    if (len == 0 || len > STOPWORD_MAX_LEN)
        return false;
    c = (unsigned char)word[0];
    if (c < 'a' || c > 'z')
        return false;
    pthread_once(&table_once, build_table);
    if (!(lengths[c - 'a'] & (1u << len)))
        return false;
    pack(word, len, &k0, &k1);
    h = hash_key(k0, k1, len);
    while (table[h].len != 0) {
        if (table[h].len == len && table[h].k0 == k0 && table[h].k1 == k1)
            return true;
        h = (h + 1) & (SLOTS - 1);
    }
    return false;
}

size_t stopword_list(const char *const **out)
{
    *out = stop_words;
    return ARRAY_SIZE(stop_words);
}
