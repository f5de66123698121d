/* SPDX-License-Identifier: MIT */
/* segment.c: writes and reads immutable segment files. A segment is
 * written once, front to back (store, then postings, then the small
 * tables), its header last; a reader maps it and validates everything it
 * will later index into, so a bad file fails at open with a message rather
 * than misbehaving later. Postings and the store are bulk data: their
 * CRCs are checked by segment_verify, and their decoders bound every read.
 *
 * Segment file format (version 1). Integers are little-endian.
 *
 *   header (96 bytes)
 *     0   8  magic "GALENSEG"
 *     8   4  format version (1)
 *     12  4  flags (0)
 *     16  4  nfields (1..4)
 *     20  4  codec (1 varint, 2 packed; see postings.c)
 *     24  4  ndocs
 *     28  4  nterms
 *     32  4  nsections (8)
 *     36  4  reserved (0)
 *     40  32 u64 field_total[4]   -- sum of each field's lengths (tokens)
 *     72  24 reserved (0)
 *   section table: nsections entries of 32 bytes
 *     u32 id (= index + 1), u32 reserved, u64 offset, u64 length,
 *     u32 crc32 (zlib) of the section's bytes, u32 reserved
 *   u32 crc32 of the header and the section table
 *
 *   sections, each at its offset (the writer puts them in this order):
 *     1 STORE     zstd blocks of stored fields (docstore.c)
 *     2 POSTINGS  each term's postings, in term order (postings.c)
 *     3 TERMS     u32 off[nterms + 1], then the term bytes; term i is
 *                 bytes [off[i], off[i+1]), 1..255 bytes, strictly
 *                 ascending bytewise
 *     4 LEXICON   u64 post_off[nterms + 1] into POSTINGS (ascending, the
 *                 last = POSTINGS length), then u32 df[nterms] (1..ndocs)
 *     5 IDS       u32 off[ndocs + 1], then the external id bytes (1..255
 *                 bytes each)
 *     6 IDSORT    u32 doc[ndocs]: docs ordered by (id bytes, doc)
 *     7 LENS      u32 len[nfields][ndocs]: field lengths in tokens
 *     8 STORETAB  the store's block table (docstore.c)
 *
 * On open the header CRC and the CRCs of sections 3-8 are checked. */
#include "segment.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <galen/error.h>

#include "base/error.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/varint.h"

#define SEG_MAGIC "GALENSEG"
#define DEL_MAGIC "GALENDEL"

enum {
    SEG_FIXED = 96,
    SEG_NSECTIONS = 8,
    SEG_SECTION_ENTRY = 32,
    SEG_HEADER_LEN = SEG_FIXED + SEG_NSECTIONS * SEG_SECTION_ENTRY + 4,
    DEL_HEADER = 24,
    DEL_VERSION = 1
};

enum section_id {
    SEC_STORE,
    SEC_POSTINGS,
    SEC_TERMS,
    SEC_LEXICON,
    SEC_IDS,
    SEC_IDSORT,
    SEC_LENS,
    SEC_STORETAB
};

static const char *const section_names[SEG_NSECTIONS] = {
    "STORE", "POSTINGS", "TERMS", "LEXICON",
    "IDS",   "IDSORT",   "LENS",  "STORETAB"};

struct section {
    uint64_t off, len;
    uint32_t crc;
};

static uint32_t crc(const unsigned char *p, uint64_t len)
{
    return (uint32_t)crc32_z(0, p, (z_size_t)len);
}

/* ---- opening ------------------------------------------------------------ */

static int read_sections(const struct segment *s, struct section *sec,
                         char *err, size_t cap)
{
    const unsigned char *t = s->map + SEG_FIXED;
    unsigned i;

    for (i = 0; i < SEG_NSECTIONS; i++, t += SEG_SECTION_ENTRY) {
        sec[i].off = get_u64le(t + 8);
        sec[i].len = get_u64le(t + 16);
        sec[i].crc = get_u32le(t + 24);
        if (get_u32le(t) != i + 1)
            return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                               "section table entry %u has a bad id", i);
        if (sec[i].off < SEG_HEADER_LEN || sec[i].off > s->map_len ||
            sec[i].len > s->map_len - sec[i].off)
            return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                               "section %s lies outside the file (truncated?)",
                               section_names[i]);
    }
    return GALEN_OK;
}

static int check_header(struct segment *s, char *err, size_t cap)
{
    const unsigned char *h = s->map;
    uint32_t version;
    unsigned f;

    if (s->map_len < 8 || memcmp(h, SEG_MAGIC, 8) != 0)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "not a galen segment (bad magic)");
    if (s->map_len < SEG_FIXED)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "truncated: %zu bytes, the header needs %d",
                           s->map_len, SEG_HEADER_LEN);
    version = get_u32le(h + 8);
    if (version > SEGMENT_VERSION)
        return fileio_errf(err, cap, GALEN_EVERSION, s->path,
                           "segment format version %u is newer than this galen "
                           "supports (%u)",
                           version, SEGMENT_VERSION);
    if (version == 0 || get_u32le(h + 32) != SEG_NSECTIONS)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "bad format version or section count");
    if (s->map_len < SEG_HEADER_LEN)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "truncated: %zu bytes, the header needs %d",
                           s->map_len, SEG_HEADER_LEN);
    if (crc(h, SEG_HEADER_LEN - 4) != get_u32le(h + SEG_HEADER_LEN - 4))
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "header checksum mismatch");
    s->nfields = get_u32le(h + 16);
    s->codec = (uint8_t)get_u32le(h + 20);
    s->ndocs = get_u32le(h + 24);
    s->nterms = get_u32le(h + 28);
    if (s->nfields < 1 || s->nfields > INDEX_MAX_FIELDS ||
        (s->codec != POSTINGS_CODEC_VARINT &&
         s->codec != POSTINGS_CODEC_PACKED) ||
        get_u32le(h + 20) > 255 || s->ndocs == UINT32_MAX)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "bad field count, codec or doc count in header");
    for (f = 0; f < INDEX_MAX_FIELDS; f++)
        s->field_total[f] = get_u64le(h + 40 + 8 * f);
    return GALEN_OK;
}

/* Checks an offset table u32 off[n + 1] at t against the bytes after it:
 * ascending, starting at 0, ending at blen, each item 1..max bytes. */
static bool check_offsets(const unsigned char *t, uint64_t n, uint64_t blen,
                          uint32_t max)
{
    uint64_t i;

    if (get_u32le(t) != 0 || get_u32le(t + 4 * n) != blen)
        return false;
    for (i = 0; i < n; i++) {
        uint32_t a = get_u32le(t + 4 * i);
        uint32_t b = get_u32le(t + 4 * i + 4);

        if (b <= a || b - a > max)
            return false;
    }
    return true;
}

static struct str slice(const unsigned char *off, const unsigned char *bytes,
                        uint32_t i)
{
    uint32_t a = get_u32le(off + 4 * (size_t)i);
    struct str r = {(const char *)bytes + a,
                    get_u32le(off + 4 * (size_t)i + 4) - a};

    return r;
}

static int check_terms(struct segment *s, const struct section *sec, char *err,
                       size_t cap)
{
    uint64_t head = ((uint64_t)s->nterms + 1) * 4;
    uint32_t i;

    if (sec[SEC_TERMS].len < head ||
        !check_offsets(s->map + sec[SEC_TERMS].off, s->nterms,
                       sec[SEC_TERMS].len - head, SEGMENT_TERM_MAX))
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path, "bad term table");
    s->term_off = s->map + sec[SEC_TERMS].off;
    s->term_bytes = s->term_off + head;
    for (i = 1; i < s->nterms; i++) {
        if (str_cmp(slice(s->term_off, s->term_bytes, i - 1),
                    slice(s->term_off, s->term_bytes, i)) >= 0)
            return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                               "terms are not sorted");
    }
    return GALEN_OK;
}

static int check_lexicon(struct segment *s, const struct section *sec,
                         char *err, size_t cap)
{
    uint64_t n = s->nterms;
    const unsigned char *p = s->map + sec[SEC_LEXICON].off;
    uint64_t i;

    if (sec[SEC_LEXICON].len != (n + 1) * 8 + n * 4)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "lexicon size does not match the term count");
    s->lex_off = p;
    s->lex_df = p + (n + 1) * 8;
    if (get_u64le(p) != 0 || get_u64le(p + 8 * n) != s->postings_len)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "lexicon does not cover the postings");
    for (i = 0; i < n; i++) {
        uint32_t df = get_u32le(s->lex_df + 4 * i);

        if (get_u64le(p + 8 * i + 8) <= get_u64le(p + 8 * i) || df == 0 ||
            df > s->ndocs)
            return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                               "bad lexicon entry %llu", (unsigned long long)i);
    }
    return GALEN_OK;
}

/* IDSORT must be a permutation of the docs, ordered by id. The deletion
 * bitmap (all clear afterwards) serves as the "seen" set. */
static int check_id_order(struct segment *s, char *err, size_t cap)
{
    uint32_t i;

    for (i = 0; i < s->ndocs; i++) {
        uint32_t d = get_u32le(s->id_sorted + 4 * (size_t)i);
        uint32_t prev;

        if (d >= s->ndocs || (s->deleted[d >> 3] >> (d & 7)) & 1)
            return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                               "bad id order table");
        s->deleted[d >> 3] |= (unsigned char)(1u << (d & 7));
        if (i == 0)
            continue;
        prev = get_u32le(s->id_sorted + 4 * (size_t)i - 4);
        if (str_cmp(segment_doc_id(s, prev), segment_doc_id(s, d)) > 0)
            return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                               "id order table is not sorted");
    }
    memset(s->deleted, 0, (size_t)s->ndocs / 8 + 1);
    return GALEN_OK;
}

static int check_ids(struct segment *s, const struct section *sec, char *err,
                     size_t cap)
{
    uint64_t head = ((uint64_t)s->ndocs + 1) * 4;

    if (sec[SEC_IDS].len < head ||
        !check_offsets(s->map + sec[SEC_IDS].off, s->ndocs,
                       sec[SEC_IDS].len - head, SEGMENT_ID_MAX) ||
        sec[SEC_IDSORT].len != (uint64_t)s->ndocs * 4)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path, "bad id table");
    s->id_off = s->map + sec[SEC_IDS].off;
    s->id_bytes = s->id_off + head;
    s->id_sorted = s->map + sec[SEC_IDSORT].off;
    /* ndocs is now bounded by the file size, so this allocation is too. */
    s->deleted = galen_calloc((size_t)s->ndocs / 8 + 1, 1);
    if (!s->deleted)
        return fileio_errf(err, cap, GALEN_ENOMEM, s->path, "out of memory");
    return check_id_order(s, err, cap);
}

static int check_sections(struct segment *s, const struct section *sec,
                          char *err, size_t cap)
{
    const char *why = NULL;
    unsigned i;
    int rc;

    for (i = SEC_TERMS; i < SEG_NSECTIONS; i++) {
        if (crc(s->map + sec[i].off, sec[i].len) != sec[i].crc)
            return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                               "section %s checksum mismatch",
                               section_names[i]);
    }
    s->postings = s->map + sec[SEC_POSTINGS].off;
    s->postings_len = sec[SEC_POSTINGS].len;
    if (sec[SEC_LENS].len != (uint64_t)s->nfields * s->ndocs * 4)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "field length table has the wrong size");
    s->lens = s->map + sec[SEC_LENS].off;
    rc = check_terms(s, sec, err, cap);
    if (rc == GALEN_OK)
        rc = check_lexicon(s, sec, err, cap);
    if (rc == GALEN_OK)
        rc = check_ids(s, sec, err, cap);
    if (rc != GALEN_OK)
        return rc;
    if (docstore_view(&s->store, s->map + sec[SEC_STORETAB].off,
                      sec[SEC_STORETAB].len, s->map + sec[SEC_STORE].off,
                      sec[SEC_STORE].len, s->ndocs, s->nfields,
                      &why) != GALEN_OK)
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path, "%s", why);
    s->store_bytes = sec[SEC_STORE].len + sec[SEC_STORETAB].len;
    if (docstore_cache_init(&s->store) != GALEN_OK)
        return fileio_errf(err, cap, GALEN_ENOMEM, s->path, "out of memory");
    return GALEN_OK;
}

static int parse(struct segment *s, char *err, size_t cap)
{
    struct section sec[SEG_NSECTIONS];
    int rc = check_header(s, err, cap);

    if (rc == GALEN_OK)
        rc = read_sections(s, sec, err, cap);
    if (rc == GALEN_OK)
        rc = check_sections(s, sec, err, cap);
    return rc;
}

static struct segment *segment_alloc(const char *path)
{
    struct segment *s = galen_calloc(1, sizeof *s);

    if (!s)
        return NULL;
    s->path = galen_strdup(path);
    if (!s->path) {
        galen_free(s);
        return NULL;
    }
    return s;
}

static int map_file(struct segment *s, uint64_t expect, char *err, size_t cap)
{
    struct stat st;
    void *m;
    int fd = open(s->path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return fileio_errf(err, cap, errno == ENOENT ? GALEN_ENOENT : GALEN_EIO,
                           s->path, "cannot open: %s", strerror(errno));
    if (fstat(fd, &st) != 0) {
        close(fd);
        return fileio_errf(err, cap, GALEN_EIO, s->path, "cannot stat");
    }
    if (st.st_size == 0 || (expect && (uint64_t)st.st_size != expect)) {
        close(fd);
        return fileio_errf(err, cap, GALEN_ECORRUPT, s->path,
                           "file has %lld bytes, the manifest says %llu "
                           "(truncated?)",
                           (long long)st.st_size, (unsigned long long)expect);
    }
    m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return fileio_errf(err, cap, GALEN_EIO, s->path, "cannot mmap");
    s->map = m;
    s->map_len = (size_t)st.st_size;
    s->is_mapped = true;
    return GALEN_OK;
}

int segment_open(const char *path, uint64_t expect_size, struct segment **out,
                 char *err, size_t errcap)
{
    struct segment *s = segment_alloc(path);
    int rc;

    if (!s)
        return fileio_errf(err, errcap, GALEN_ENOMEM, path, "out of memory");
    rc = map_file(s, expect_size, err, errcap);
    if (rc == GALEN_OK)
        rc = parse(s, err, errcap);
    if (rc != GALEN_OK) {
        segment_close(s);
        return rc;
    }
    *out = s;
    return GALEN_OK;
}

int segment_open_mem(const unsigned char *data, size_t len,
                     struct segment **out, char *err, size_t errcap)
{
    struct segment *s = segment_alloc("<memory>");
    int rc;

    if (!s)
        return GALEN_ENOMEM;
    s->map = data;
    s->map_len = len;
    rc = parse(s, err, errcap);
    if (rc != GALEN_OK) {
        segment_close(s);
        return rc;
    }
    *out = s;
    return GALEN_OK;
}

void segment_close(struct segment *s)
{
    if (!s)
        return;
    if (s->is_mapped)
        munmap((void *)s->map, s->map_len);
    docstore_cache_cleanup(&s->store);
    galen_free(s->deleted);
    galen_free(s->path);
    galen_free(s);
}

/* ---- accessors ---------------------------------------------------------- */

uint32_t segment_doc_count(const struct segment *s)
{
    return s->ndocs;
}

bool segment_is_deleted(const struct segment *s, uint32_t doc)
{
    if (doc >= s->ndocs)
        return true;
    return (s->deleted[doc >> 3] >> (doc & 7)) & 1;
}

bool segment_mark_deleted(struct segment *s, uint32_t doc)
{
    if (segment_is_deleted(s, doc))
        return false;
    s->deleted[doc >> 3] |= (unsigned char)(1u << (doc & 7));
    s->ndeleted++;
    return true;
}

uint32_t segment_field_len(const struct segment *s, uint32_t doc,
                           unsigned field)
{
    if (doc >= s->ndocs || field >= s->nfields)
        return 0;
    return get_u32le(s->lens + ((size_t)field * s->ndocs + doc) * 4);
}

struct str segment_doc_id(const struct segment *s, uint32_t doc)
{
    struct str none = {"", 0};

    if (doc >= s->ndocs)
        return none;
    return slice(s->id_off, s->id_bytes, doc);
}

uint32_t segment_term_count(const struct segment *s)
{
    return s->nterms;
}

struct str segment_term_at(const struct segment *s, uint32_t i)
{
    struct str none = {"", 0};

    if (i >= s->nterms)
        return none;
    return slice(s->term_off, s->term_bytes, i);
}

/* Index of the first term >= t (nterms if none). */
static uint32_t lower_bound_term(const struct segment *s, struct str t)
{
    uint32_t lo = 0;
    uint32_t hi = s->nterms;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;

        if (str_cmp(segment_term_at(s, mid), t) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int segment_term_info(const struct segment *s, uint32_t i,
                      struct term_info *out)
{
    uint64_t a = get_u64le(s->lex_off + 8 * (size_t)i);
    uint64_t b = get_u64le(s->lex_off + 8 * (size_t)i + 8);
    struct term_info ti;

    ti.df = get_u32le(s->lex_df + 4 * (size_t)i);
    ti.offset = a;
    ti.nbytes = b - a;
    if (postings_list_impacts(s->postings + a, (size_t)(b - a), s->nfields,
                              &ti.list_max) != GALEN_OK)
        return GALEN_ECORRUPT;
    *out = ti;
    return GALEN_OK;
}

int segment_lookup(const struct segment *s, struct str term,
                   struct term_info *out)
{
    uint32_t i = lower_bound_term(s, term);

    if (i >= s->nterms || !str_eq(segment_term_at(s, i), term))
        return GALEN_ENOENT;
    return segment_term_info(s, i, out);
}

int segment_find_id(const struct segment *s, struct str id, uint32_t *doc)
{
    uint32_t lo = 0;
    uint32_t hi = s->ndocs;
    uint32_t found = UINT32_MAX;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t d = get_u32le(s->id_sorted + 4 * (size_t)mid);

        if (str_cmp(segment_doc_id(s, d), id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* Equal ids (an id replaced within one batch) sort by doc; prefer the
     * live one. */
    for (; lo < s->ndocs; lo++) {
        uint32_t d = get_u32le(s->id_sorted + 4 * (size_t)lo);

        if (!str_eq(segment_doc_id(s, d), id))
            break;
        found = d;
        if (!segment_is_deleted(s, d))
            break;
    }
    if (found == UINT32_MAX)
        return GALEN_ENOENT;
    *doc = found;
    return GALEN_OK;
}

int segment_doc_load(const struct segment *s, uint32_t doc, struct buf *scratch,
                     struct str field[INDEX_MAX_FIELDS], struct str *meta)
{
    return docstore_load(&s->store, doc, scratch, field, meta);
}

/* ---- verification ------------------------------------------------------- */

static int verify_terms(const struct segment *s, char *err, size_t cap)
{
    struct term_info ti;
    uint32_t i;
    int rc;

    for (i = 0; i < s->nterms; i++) {
        rc = segment_term_info(s, i, &ti);
        if (rc == GALEN_OK)
            rc = postings_check(s, &ti);
        if (rc == GALEN_ENOMEM)
            return fileio_errf(err, cap, rc, s->path, "out of memory");
        if (rc != GALEN_OK)
            return fileio_errf(err, cap, rc, s->path,
                               "postings of term %u do not decode", i);
    }
    return GALEN_OK;
}

int segment_verify(const struct segment *s, char *err, size_t errcap)
{
    struct section sec[SEG_NSECTIONS];
    unsigned i;
    int rc;

    rc = read_sections(s, sec, err, errcap);
    if (rc != GALEN_OK)
        return rc;
    for (i = 0; i < SEG_NSECTIONS; i++) {
        if (crc(s->map + sec[i].off, sec[i].len) != sec[i].crc)
            return fileio_errf(err, errcap, GALEN_ECORRUPT, s->path,
                               "section %s checksum mismatch",
                               section_names[i]);
    }
    rc = verify_terms(s, err, errcap);
    if (rc != GALEN_OK)
        return rc;
    rc = docstore_check(&s->store);
    if (rc != GALEN_OK)
        return fileio_errf(err, errcap, rc, s->path, "document store: %s",
                           error_str(rc));
    return GALEN_OK;
}

void segment_fix_checksums(unsigned char *data, size_t len)
{
    unsigned i;

    if (len < SEG_HEADER_LEN)
        return;
    for (i = 0; i < SEG_NSECTIONS; i++) {
        unsigned char *t = data + SEG_FIXED + SEG_SECTION_ENTRY * i;
        uint64_t off = get_u64le(t + 8);
        uint64_t n = get_u64le(t + 16);

        if (off <= len && n <= len - off)
            put_u32le(t + 24, crc(data + off, n));
    }
    put_u32le(data + SEG_HEADER_LEN - 4, crc(data, SEG_HEADER_LEN - 4));
}

/* ---- deletion files ------------------------------------------------------
 *
 * Deletion file format (version 1):
 *   0  8  magic "GALENDEL"
 *   8  4  version (1)
 *   12 4  ndocs (must equal the segment's)
 *   16 4  ndeleted (number of set bits)
 *   20 4  crc32 of the bitmap
 *   24 .. bitmap, ndocs / 8 + 1 bytes: doc d is deleted if bit (d & 7) of
 *         byte d >> 3 is set; bits past ndocs are 0. */

int segment_encode_deletes(const struct segment *s, struct buf *out)
{
    size_t n = (size_t)s->ndocs / 8 + 1;
    int rc = GALEN_OK;

    buf_put(&rc, out, DEL_MAGIC, 8);
    buf_put_u32le(&rc, out, DEL_VERSION);
    buf_put_u32le(&rc, out, s->ndocs);
    buf_put_u32le(&rc, out, s->ndeleted);
    buf_put_u32le(&rc, out, crc(s->deleted, n));
    buf_put(&rc, out, s->deleted, n);
    return rc;
}

static uint32_t popcount(const unsigned char *p, size_t n)
{
    uint32_t c = 0;
    size_t i;

    for (i = 0; i < n; i++)
        c += (uint32_t)__builtin_popcount(p[i]);
    return c;
}

static int parse_deletes(struct segment *s, const unsigned char *d, size_t len,
                         const char *path, char *err, size_t cap)
{
    size_t n = (size_t)s->ndocs / 8 + 1;
    unsigned char tail;

    if (len < DEL_HEADER || memcmp(d, DEL_MAGIC, 8) != 0)
        return fileio_errf(err, cap, GALEN_ECORRUPT, path,
                           "not a galen deletion file (bad magic)");
    if (get_u32le(d + 8) > DEL_VERSION)
        return fileio_errf(err, cap, GALEN_EVERSION, path,
                           "deletion file version %u is newer than this galen "
                           "supports (%u)",
                           get_u32le(d + 8), DEL_VERSION);
    if (get_u32le(d + 8) == 0 || get_u32le(d + 12) != s->ndocs ||
        len != DEL_HEADER + n)
        return fileio_errf(
            err, cap, GALEN_ECORRUPT, path,
            "deletion file does not match its segment (truncated?)");
    tail = d[DEL_HEADER + n - 1];
    if (crc(d + DEL_HEADER, n) != get_u32le(d + 20) ||
        popcount(d + DEL_HEADER, n) != get_u32le(d + 16) ||
        (tail >> (s->ndocs & 7)) != 0)
        return fileio_errf(err, cap, GALEN_ECORRUPT, path,
                           "deletion file checksum mismatch");
    memcpy(s->deleted, d + DEL_HEADER, n);
    s->ndeleted = get_u32le(d + 16);
    return GALEN_OK;
}

int segment_load_deletes(struct segment *s, const char *path, char *err,
                         size_t errcap)
{
    unsigned char *d = NULL;
    size_t len = 0;
    int rc =
        fileio_read_all(path, (size_t)s->ndocs / 8 + 1 + DEL_HEADER, &d, &len);

    if (rc == GALEN_ETOOBIG)
        return fileio_errf(err, errcap, GALEN_ECORRUPT, path,
                           "deletion file is too large for its segment");
    if (rc != GALEN_OK)
        return fileio_errf(err, errcap, rc, path, "cannot read: %s",
                           error_str(rc));
    rc = parse_deletes(s, d, len, path, err, errcap);
    galen_free(d);
    return rc;
}

/* ---- building ----------------------------------------------------------- */

struct segment_builder {
    char *path;
    FILE *f;
    bool created; /* we made the file */
    bool finished;
    bool in_postings; /* the store is closed */
    unsigned nfields;
    enum postings_codec codec;
    uint64_t off; /* bytes written so far */
    struct section sec[SEG_NSECTIONS];
    struct docstore_writer dw;
    struct buf ids, id_off; /* IDS section parts */
    struct buf lens[INDEX_MAX_FIELDS];
    struct buf terms, term_off; /* TERMS section parts */
    struct buf lex_off, lex_df;
    uint64_t field_total[INDEX_MAX_FIELDS];
    uint32_t ndocs, nterms;
};

enum { BUILDER_BUF_MAX = (size_t)1 << 40 };

static int put_bytes(struct segment_builder *b, enum section_id id,
                     const void *p, size_t n)
{
    if (n == 0)
        return GALEN_OK;
    if (fwrite(p, 1, n, b->f) != n)
        return GALEN_EIO;
    b->sec[id].crc = (uint32_t)crc32_z(b->sec[id].crc, p, n);
    b->sec[id].len += n;
    b->off += n;
    return GALEN_OK;
}

static int store_sink(void *ctx, const void *p, size_t n)
{
    return put_bytes(ctx, SEC_STORE, p, n);
}

static void builder_bufs_init(struct segment_builder *b)
{
    unsigned f;

    buf_init(&b->ids, BUILDER_BUF_MAX);
    buf_init(&b->id_off, BUILDER_BUF_MAX);
    buf_init(&b->terms, BUILDER_BUF_MAX);
    buf_init(&b->term_off, BUILDER_BUF_MAX);
    buf_init(&b->lex_off, BUILDER_BUF_MAX);
    buf_init(&b->lex_df, BUILDER_BUF_MAX);
    for (f = 0; f < INDEX_MAX_FIELDS; f++)
        buf_init(&b->lens[f], BUILDER_BUF_MAX);
}

int segment_builder_new(const char *path, unsigned nfields,
                        enum postings_codec codec, struct segment_builder **out)
{
    static const unsigned char zero[SEG_HEADER_LEN];
    struct segment_builder *b = galen_calloc(1, sizeof *b);
    int rc;

    if (!b)
        return GALEN_ENOMEM;
    builder_bufs_init(b);
    b->nfields = nfields;
    b->codec = codec;
    rc = docstore_writer_init(&b->dw, nfields, store_sink, b);
    b->path = galen_strdup(path);
    if (rc != GALEN_OK || !b->path) {
        segment_builder_free(b);
        return GALEN_ENOMEM;
    }
    b->f = fopen(path, "wbx");
    b->created = b->f != NULL;
    if (!b->f || fwrite(zero, 1, sizeof zero, b->f) != sizeof zero) {
        segment_builder_free(b);
        return GALEN_EIO;
    }
    b->off = SEG_HEADER_LEN;
    b->sec[SEC_STORE].off = b->off;
    *out = b;
    return GALEN_OK;
}

int segment_builder_add_doc(struct segment_builder *b, struct str id,
                            const uint32_t *field_len, const struct str *field,
                            struct str meta)
{
    int rc = GALEN_OK;
    unsigned f;

    if (b->in_postings || id.len == 0 || id.len > SEGMENT_ID_MAX ||
        b->ndocs >= UINT32_MAX - 1 || b->ids.len + id.len > UINT32_MAX)
        return b->in_postings ? GALEN_ESTATE : GALEN_EINVAL;
    rc = docstore_writer_add(&b->dw, field, meta);
    if (rc != GALEN_OK)
        return rc;
    buf_put_u32le(&rc, &b->id_off, (uint32_t)b->ids.len);
    buf_put(&rc, &b->ids, id.p, id.len);
    for (f = 0; f < b->nfields; f++) {
        buf_put_u32le(&rc, &b->lens[f], field_len[f]);
        b->field_total[f] += field_len[f];
    }
    if (rc == GALEN_OK)
        b->ndocs++;
    return rc;
}

uint32_t segment_builder_doc_count(const struct segment_builder *b)
{
    return b->ndocs;
}

struct str segment_builder_doc_id(const struct segment_builder *b, uint32_t doc)
{
    uint32_t a = get_u32le(b->id_off.data + 4 * (size_t)doc);
    uint32_t e = doc + 1 < b->ndocs
                     ? get_u32le(b->id_off.data + 4 * (size_t)doc + 4)
                     : (uint32_t)b->ids.len;
    struct str r = {(const char *)b->ids.data + a, e - a};

    return r;
}

uint32_t segment_builder_field_len(const struct segment_builder *b,
                                   uint32_t doc, unsigned field)
{
    return get_u32le(b->lens[field].data + 4 * (size_t)doc);
}

size_t segment_builder_mem(const struct segment_builder *b)
{
    size_t n = b->ids.cap + b->id_off.cap + b->terms.cap + b->term_off.cap +
               b->lex_off.cap + b->lex_df.cap + b->dw.raw.cap + b->dw.zbuf.cap +
               b->dw.table.cap;
    unsigned f;

    for (f = 0; f < b->nfields; f++)
        n += b->lens[f].cap;
    return n;
}

static int close_store(struct segment_builder *b)
{
    int rc;

    if (b->in_postings)
        return GALEN_OK;
    rc = docstore_writer_finish(&b->dw);
    if (rc != GALEN_OK)
        return rc;
    b->in_postings = true;
    b->sec[SEC_POSTINGS].off = b->off;
    return GALEN_OK;
}

static struct str last_term(const struct segment_builder *b)
{
    struct str t = {"", 0};
    uint32_t a;

    if (b->nterms == 0)
        return t;
    a = get_u32le(b->term_off.data + b->term_off.len - 4);
    t.p = (const char *)b->terms.data + a;
    t.len = b->terms.len - a;
    return t;
}

int segment_builder_add_term(struct segment_builder *b, struct str term,
                             const unsigned char *postings, size_t len,
                             uint32_t df)
{
    int rc = close_store(b);

    if (rc != GALEN_OK)
        return rc;
    if (term.len == 0 || term.len > SEGMENT_TERM_MAX || df == 0 ||
        df > b->ndocs || len == 0 ||
        (b->nterms > 0 && str_cmp(last_term(b), term) >= 0))
        return GALEN_EINVAL;
    if (b->terms.len + term.len > UINT32_MAX || b->nterms >= UINT32_MAX - 1)
        return GALEN_ETOOBIG;
    buf_put_u32le(&rc, &b->term_off, (uint32_t)b->terms.len);
    buf_put(&rc, &b->terms, term.p, term.len);
    buf_put_u64le(&rc, &b->lex_off, b->sec[SEC_POSTINGS].len);
    buf_put_u32le(&rc, &b->lex_df, df);
    if (rc == GALEN_OK)
        rc = put_bytes(b, SEC_POSTINGS, postings, len);
    if (rc == GALEN_OK)
        b->nterms++;
    return rc;
}

static int write_section(struct segment_builder *b, enum section_id id,
                         const struct buf *x, const struct buf *y,
                         const struct buf *z);

/* Entry pairs for sorting doc ids by (id bytes, doc). */
struct id_ref {
    const unsigned char *p;
    uint32_t len;
    uint32_t doc;
};

static int cmp_id_ref(const void *x, const void *y)
{
    const struct id_ref *a = x;
    const struct id_ref *b = y;
    int c = memcmp(a->p, b->p, MIN(a->len, b->len));

    if (c != 0)
        return c;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int write_idsort(struct segment_builder *b)
{
    struct id_ref *r = galen_malloc((size_t)b->ndocs * sizeof *r + 1);
    struct buf out;
    uint32_t i;
    int rc = GALEN_OK;

    if (!r)
        return GALEN_ENOMEM;
    for (i = 0; i < b->ndocs; i++) {
        uint32_t a = get_u32le(b->id_off.data + 4 * (size_t)i);
        uint32_t e = i + 1 < b->ndocs
                         ? get_u32le(b->id_off.data + 4 * (size_t)i + 4)
                         : (uint32_t)b->ids.len;

        r[i].p = b->ids.data + a;
        r[i].len = e - a;
        r[i].doc = i;
    }
    qsort(r, b->ndocs, sizeof *r, cmp_id_ref);
    buf_init(&out, BUILDER_BUF_MAX);
    for (i = 0; i < b->ndocs; i++)
        buf_put_u32le(&rc, &out, r[i].doc);
    galen_free(r);
    if (rc == GALEN_OK)
        rc = write_section(b, SEC_IDSORT, &out, NULL, NULL);
    buf_cleanup(&out);
    return rc;
}

/* Writes a section made of up to three parts. */
static int write_section(struct segment_builder *b, enum section_id id,
                         const struct buf *x, const struct buf *y,
                         const struct buf *z)
{
    int rc = GALEN_OK;

    b->sec[id].off = b->off;
    if (x)
        rc = put_bytes(b, id, x->data, x->len);
    if (rc == GALEN_OK && y)
        rc = put_bytes(b, id, y->data, y->len);
    if (rc == GALEN_OK && z)
        rc = put_bytes(b, id, z->data, z->len);
    return rc;
}

static int write_tables(struct segment_builder *b)
{
    int rc = GALEN_OK;
    unsigned f;

    buf_put_u32le(&rc, &b->term_off, (uint32_t)b->terms.len);
    buf_put_u64le(&rc, &b->lex_off, b->sec[SEC_POSTINGS].len);
    buf_put_u32le(&rc, &b->id_off, (uint32_t)b->ids.len);
    if (rc == GALEN_OK)
        rc = write_section(b, SEC_TERMS, &b->term_off, &b->terms, NULL);
    if (rc == GALEN_OK)
        rc = write_section(b, SEC_LEXICON, &b->lex_off, &b->lex_df, NULL);
    if (rc == GALEN_OK)
        rc = write_section(b, SEC_IDS, &b->id_off, &b->ids, NULL);
    if (rc == GALEN_OK)
        rc = write_idsort(b);
    b->sec[SEC_LENS].off = b->off;
    for (f = 0; f < b->nfields && rc == GALEN_OK; f++)
        rc = put_bytes(b, SEC_LENS, b->lens[f].data, b->lens[f].len);
    if (rc == GALEN_OK)
        rc = write_section(b, SEC_STORETAB, &b->dw.table, NULL, NULL);
    return rc;
}

static void encode_header(const struct segment_builder *b, unsigned char *h)
{
    unsigned i;

    memset(h, 0, SEG_HEADER_LEN);
    memcpy(h, SEG_MAGIC, 8);
    put_u32le(h + 8, SEGMENT_VERSION);
    put_u32le(h + 16, b->nfields);
    put_u32le(h + 20, (uint32_t)b->codec);
    put_u32le(h + 24, b->ndocs);
    put_u32le(h + 28, b->nterms);
    put_u32le(h + 32, SEG_NSECTIONS);
    for (i = 0; i < INDEX_MAX_FIELDS; i++)
        put_u64le(h + 40 + 8 * i, b->field_total[i]);
    for (i = 0; i < SEG_NSECTIONS; i++) {
        unsigned char *t = h + SEG_FIXED + SEG_SECTION_ENTRY * i;

        put_u32le(t, i + 1);
        put_u64le(t + 8, b->sec[i].off);
        put_u64le(t + 16, b->sec[i].len);
        put_u32le(t + 24, b->sec[i].crc);
    }
    put_u32le(h + SEG_HEADER_LEN - 4, crc(h, SEG_HEADER_LEN - 4));
}

int segment_builder_finish(struct segment_builder *b, uint64_t *size)
{
    unsigned char h[SEG_HEADER_LEN];
    int rc = close_store(b);

    if (rc == GALEN_OK)
        rc = write_tables(b);
    if (rc != GALEN_OK)
        return rc;
    encode_header(b, h);
    if (fflush(b->f) != 0 || fseek(b->f, 0, SEEK_SET) != 0 ||
        fwrite(h, 1, sizeof h, b->f) != sizeof h || fflush(b->f) != 0 ||
        fsync(fileno(b->f)) != 0)
        return GALEN_EIO;
    rc = fclose(b->f) == 0 ? GALEN_OK : GALEN_EIO;
    b->f = NULL;
    if (rc != GALEN_OK)
        return rc;
    b->finished = true;
    *size = b->off;
    return GALEN_OK;
}

void segment_builder_free(struct segment_builder *b)
{
    unsigned f;

    if (!b)
        return;
    if (b->f)
        fclose(b->f);
    if (b->created && !b->finished)
        unlink(b->path);
    docstore_writer_cleanup(&b->dw);
    buf_cleanup(&b->ids);
    buf_cleanup(&b->id_off);
    buf_cleanup(&b->terms);
    buf_cleanup(&b->term_off);
    buf_cleanup(&b->lex_off);
    buf_cleanup(&b->lex_df);
    for (f = 0; f < INDEX_MAX_FIELDS; f++)
        buf_cleanup(&b->lens[f]);
    galen_free(b->path);
    galen_free(b);
}
