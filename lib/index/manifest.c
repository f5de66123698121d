/* SPDX-License-Identifier: MIT */
/* manifest.c: reads and writes the MANIFEST. Writing goes through
 * fileio_write_atomic, so the rename is the commit point of the index: a
 * crash leaves either the old or the new generation, never a mix.
 *
 * MANIFEST format (version 1). Integers little-endian, f32 = IEEE-754 bits.
 *   0  8  magic "GALENMAN"
 *   8  4  format version (1)
 *   12 4  body length N
 *   16 4  crc32 (zlib) of the body
 *   20 N  body:
 *         u64 generation
 *         u64 next_id                   -- next unused file id
 *         u32 nfields (1..4)
 *         f32 k1
 *         nfields x 32 bytes: char name[16] (NUL-padded, non-empty),
 *                             f32 weight, f32 b, u8 stem, u8 stop,
 *                             6 bytes reserved (0)
 *         u32 nsegs
 *         nsegs x 32 bytes:   u64 id, u64 size (bytes), u32 ndocs,
 *                             u32 ndeleted, u64 del_id (0 = none)
 * The file is exactly 20 + N bytes. Segment i's file is seg-<id>.gseg and
 * its deletion file seg-<id>-<del_id>.gdel, ids in 8+ lower-case hex
 * digits. The segments are listed oldest first. */
#include "manifest.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <galen/error.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/varint.h"

#define MAN_MAGIC "GALENMAN"

enum {
    MAN_HEAD = 20,
    MAN_FIELD = 32,
    MAN_SEG = 32,
    MAN_MAX = 64 * 1024 * 1024,
    MAN_SEGS_MAX = 1 << 20
};

static float get_f32(const unsigned char *p)
{
    uint32_t u = get_u32le(p);
    float f;

    memcpy(&f, &u, sizeof f);
    return f;
}

static void put_f32(int *rc, struct buf *b, float f)
{
    uint32_t u;

    memcpy(&u, &f, sizeof u);
    buf_put_u32le(rc, b, u);
}

static bool name_ok(const char *name)
{
    size_t n = strnlen(name, INDEX_FIELD_NAME_MAX);

    return n > 0 && n < INDEX_FIELD_NAME_MAX;
}

bool manifest_conf_valid(const struct index_conf *c)
{
    unsigned i, j;

    if (c->nfields < 1 || c->nfields > INDEX_MAX_FIELDS || !isfinite(c->k1) ||
        c->k1 < 0)
        return false;
    for (i = 0; i < c->nfields; i++) {
        const struct index_field_conf *f = &c->field[i];

        if (!name_ok(f->name) || !isfinite(f->weight) || f->weight < 0 ||
            !(f->b >= 0 && f->b <= 1))
            return false;
        for (j = 0; j < i; j++) {
            if (strcmp(c->field[j].name, f->name) == 0)
                return false;
        }
    }
    return true;
}

static void parse_conf(const unsigned char *p, struct index_conf *c)
{
    unsigned i;

    memset(c, 0, sizeof *c);
    c->nfields = get_u32le(p);
    c->k1 = get_f32(p + 4);
    p += 8;
    for (i = 0; i < c->nfields && i < INDEX_MAX_FIELDS; i++, p += MAN_FIELD) {
        memcpy(c->field[i].name, p, INDEX_FIELD_NAME_MAX);
        c->field[i].weight = get_f32(p + 16);
        c->field[i].b = get_f32(p + 20);
        c->field[i].stem = p[24] != 0;
        c->field[i].stop = p[25] != 0;
    }
}

static bool parse_segs(const unsigned char *p, struct manifest *m)
{
    uint32_t i, j;

    for (i = 0; i < m->nsegs; i++, p += MAN_SEG) {
        struct manifest_seg *s = &m->segs[i];

        s->id = get_u64le(p);
        s->size = get_u64le(p + 8);
        s->ndocs = get_u32le(p + 16);
        s->ndeleted = get_u32le(p + 20);
        s->del_id = get_u64le(p + 24);
        if (s->id == 0 || s->id >= m->next_id || s->del_id >= m->next_id ||
            s->ndeleted > s->ndocs || (s->ndeleted > 0) != (s->del_id != 0))
            return false;
        for (j = 0; j < i; j++) {
            if (m->segs[j].id == s->id)
                return false;
        }
    }
    return true;
}

static int parse_body(const unsigned char *p, size_t n, struct manifest *m,
                      const char *name, char *err, size_t cap)
{
    uint32_t nf;
    size_t at;

    if (n < 24 + 4)
        return fileio_errf(err, cap, GALEN_ECORRUPT, name,
                           "manifest is too short");
    m->generation = get_u64le(p);
    m->next_id = get_u64le(p + 8);
    nf = get_u32le(p + 16);
    if (nf < 1 || nf > INDEX_MAX_FIELDS || n < 24 + (size_t)nf * MAN_FIELD + 4)
        return fileio_errf(err, cap, GALEN_ECORRUPT, name, "bad field count");
    parse_conf(p + 16, &m->conf);
    if (!manifest_conf_valid(&m->conf))
        return fileio_errf(err, cap, GALEN_ECORRUPT, name,
                           "bad index settings");
    at = 24 + (size_t)nf * MAN_FIELD;
    m->nsegs = get_u32le(p + at);
    at += 4;
    if (m->nsegs > MAN_SEGS_MAX || n - at != (size_t)m->nsegs * MAN_SEG)
        return fileio_errf(err, cap, GALEN_ECORRUPT, name,
                           "segment list has the wrong size");
    m->segs = galen_calloc(m->nsegs + 1, sizeof *m->segs);
    if (!m->segs)
        return fileio_errf(err, cap, GALEN_ENOMEM, name, "out of memory");
    if (!parse_segs(p + at, m)) {
        manifest_cleanup(m);
        return fileio_errf(err, cap, GALEN_ECORRUPT, name, "bad segment entry");
    }
    return GALEN_OK;
}

int manifest_parse(const unsigned char *p, size_t len, struct manifest *m,
                   const char *name, char *err, size_t errcap)
{
    uint32_t n;

    memset(m, 0, sizeof *m);
    if (len < 8 || memcmp(p, MAN_MAGIC, 8) != 0)
        return fileio_errf(err, errcap, GALEN_ECORRUPT, name,
                           "not a galen manifest (bad magic)");
    if (len < MAN_HEAD)
        return fileio_errf(err, errcap, GALEN_ECORRUPT, name,
                           "truncated manifest");
    if (get_u32le(p + 8) > MANIFEST_VERSION)
        return fileio_errf(
            err, errcap, GALEN_EVERSION, name,
            "manifest version %u is newer than this galen supports "
            "(%u)",
            get_u32le(p + 8), MANIFEST_VERSION);
    n = get_u32le(p + 12);
    if (get_u32le(p + 8) == 0 || n != len - MAN_HEAD)
        return fileio_errf(err, errcap, GALEN_ECORRUPT, name,
                           "manifest length mismatch (truncated?)");
    if ((uint32_t)crc32_z(0, p + MAN_HEAD, n) != get_u32le(p + 16))
        return fileio_errf(err, errcap, GALEN_ECORRUPT, name,
                           "manifest checksum mismatch");
    return parse_body(p + MAN_HEAD, n, m, name, err, errcap);
}

int manifest_read(const char *dir, struct manifest *m, char *err, size_t errcap)
{
    char path[MANIFEST_PATH_MAX];
    unsigned char *p = NULL;
    size_t len = 0;
    int rc;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, MANIFEST_NAME) >=
        sizeof path)
        return fileio_errf(err, errcap, GALEN_EINVAL, dir, "path too long");
    rc = fileio_read_all(path, MAN_MAX, &p, &len);
    if (rc == GALEN_ENOENT)
        return fileio_errf(err, errcap, rc, dir, "no index here (no %s)",
                           MANIFEST_NAME);
    if (rc == GALEN_ETOOBIG)
        rc = GALEN_ECORRUPT;
    if (rc != GALEN_OK)
        return fileio_errf(err, errcap, rc, path, "cannot read: %s",
                           error_str(rc));
    rc = manifest_parse(p, len, m, path, err, errcap);
    galen_free(p);
    return rc;
}

static void put_body(int *rc, struct buf *b, const struct manifest *m)
{
    const struct index_conf *c = &m->conf;
    static const unsigned char zero[8];
    unsigned i;

    buf_put_u64le(rc, b, m->generation);
    buf_put_u64le(rc, b, m->next_id);
    buf_put_u32le(rc, b, c->nfields);
    put_f32(rc, b, c->k1);
    for (i = 0; i < c->nfields; i++) {
        char name[INDEX_FIELD_NAME_MAX] = {0};

        memcpy(name, c->field[i].name,
               strnlen(c->field[i].name, INDEX_FIELD_NAME_MAX - 1));
        buf_put(rc, b, name, sizeof name);
        put_f32(rc, b, c->field[i].weight);
        put_f32(rc, b, c->field[i].b);
        buf_put_byte(rc, b, c->field[i].stem);
        buf_put_byte(rc, b, c->field[i].stop);
        buf_put(rc, b, zero, 6);
    }
    buf_put_u32le(rc, b, m->nsegs);
    for (i = 0; i < m->nsegs; i++) {
        buf_put_u64le(rc, b, m->segs[i].id);
        buf_put_u64le(rc, b, m->segs[i].size);
        buf_put_u32le(rc, b, m->segs[i].ndocs);
        buf_put_u32le(rc, b, m->segs[i].ndeleted);
        buf_put_u64le(rc, b, m->segs[i].del_id);
    }
}

int manifest_write(const char *dir, const struct manifest *m)
{
    char path[MANIFEST_PATH_MAX];
    struct buf b;
    int rc = GALEN_OK;

    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, MANIFEST_NAME) >=
        sizeof path)
        return GALEN_EINVAL;
    buf_init(&b, MAN_MAX);
    buf_put(&rc, &b, MAN_MAGIC, 8);
    buf_put_u32le(&rc, &b, MANIFEST_VERSION);
    buf_put_u32le(&rc, &b, 0);
    buf_put_u32le(&rc, &b, 0);
    put_body(&rc, &b, m);
    if (rc == GALEN_OK) {
        put_u32le(b.data + 12, (uint32_t)(b.len - MAN_HEAD));
        put_u32le(b.data + 16,
                  (uint32_t)crc32_z(0, b.data + MAN_HEAD, b.len - MAN_HEAD));
        rc = fileio_write_atomic(dir, path, b.data, b.len);
    }
    buf_cleanup(&b);
    return rc;
}

void manifest_cleanup(struct manifest *m)
{
    galen_free(m->segs);
    m->segs = NULL;
    m->nsegs = 0;
}

bool manifest_seg_path(char *out, size_t cap, const char *dir, uint64_t id)
{
    int n =
        snprintf(out, cap, "%s/seg-%08llx.gseg", dir, (unsigned long long)id);

    return n > 0 && (size_t)n < cap;
}

bool manifest_del_path(char *out, size_t cap, const char *dir, uint64_t id,
                       uint64_t del_id)
{
    int n = snprintf(out, cap, "%s/seg-%08llx-%08llx.gdel", dir,
                     (unsigned long long)id, (unsigned long long)del_id);

    return n > 0 && (size_t)n < cap;
}
